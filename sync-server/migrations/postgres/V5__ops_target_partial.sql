-- 5: as SQLite's migration 13: the index on `ops.target` holds only the operations that have one; every
-- lookup is by a report's id (`target = $1`, `target IN (...)`), which the partial index serves.
DROP INDEX ops_target;
CREATE INDEX ops_target ON ops (target) WHERE target IS NOT NULL;
