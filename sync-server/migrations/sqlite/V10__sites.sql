-- 10: several sites on one server (`crate::sites`). A device belongs to one site (`devices.site`); an
-- enrollment code may name the site of the device it makes (`enroll_codes.site`, NULL: the server's
-- default site at redemption); every accepted operation carries its device's site (`ops.site`, written
-- at insert), so a pull reads one site's operations in position order through `ops_site_pos`.
--
-- '' marks the rows stored before sites existed: they belonged to the one site the server served. This
-- migration cannot know that site's id (it is the plan's `site_id`, not in the database), so at every
-- start `serve` gives the '' rows the default site it serves (`ServerStore::adopt_default_site`, which
-- changes nothing once no '' row is left).
ALTER TABLE devices ADD COLUMN site TEXT NOT NULL DEFAULT '';
ALTER TABLE enroll_codes ADD COLUMN site TEXT;
ALTER TABLE ops ADD COLUMN site TEXT NOT NULL DEFAULT '';
CREATE INDEX ops_site_pos ON ops (site, pos);
