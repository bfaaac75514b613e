-- 13: the index on `ops.target` holds only the operations that have one (changes, photos, takes). A new
-- report (most operations) has none and was an index entry nobody looks up: every lookup is by a report's
-- id (`target = ?`, `target IN (...)`), which implies `target IS NOT NULL`, so the partial index serves it.
DROP INDEX ops_target;
CREATE INDEX ops_target ON ops (target) WHERE target IS NOT NULL;
