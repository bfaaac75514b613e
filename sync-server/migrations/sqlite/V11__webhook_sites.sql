-- 11: webhooks and the daily lägesbild per site (`crate::webhooks`). A webhook belongs to one site
-- (`webhooks.site`): it gets that site's level-1 events and lägesbild only. The last day whose lägesbild
-- the server made by itself is kept per site (`lagesbild_days`; `lagesbild_made` of migration 9 is no
-- longer written).
--
-- '' marks hooks added before sites existed, or by `webhook add` without `--site`, and the day made
-- before: they are the default site's. As for devices and operations (migration 10), `serve` gives them
-- the default site at every start (`ServerStore::adopt_default_site`), and the worker gives hooks added
-- while it runs the default site at its next turn.
ALTER TABLE webhooks ADD COLUMN site TEXT NOT NULL DEFAULT '';
CREATE TABLE lagesbild_days (
        site    TEXT PRIMARY KEY,
        day     TEXT NOT NULL,
        made_ms INTEGER NOT NULL
    ) STRICT;
INSERT INTO lagesbild_days (site, day, made_ms) SELECT '', day, made_ms FROM lagesbild_made;
