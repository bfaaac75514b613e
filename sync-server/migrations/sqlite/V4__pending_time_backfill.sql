-- 4: the corrections of the operations stored before 3, as a push without a measured offset gets them.
-- They are Rust (`store/backfill.rs`), which refinery cannot run: this marks them due, and the server
-- runs them and drops the marker in one transaction before migration 5 (`store/schema.rs`).
CREATE TABLE pending_time_backfill (x INTEGER);
