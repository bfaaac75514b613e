-- 12: `report_status` is kept by the push itself, set-based, after it inserts its operations
-- (`src/store/sqlite_push.rs`, `REPORTS_MADE` and `REPORTS_CHANGED`), instead of by two row triggers on
-- `ops`: with the triggers, inserting 5,000 reports took three times as long (BENCHMARKS.md, "The push,
-- faster"). The values are the same: every column is a maximum over the report's operations, so one
-- statement over a push's rows gives what one trigger run per row gave. The push is the only writer of
-- `ops` rows; anything that inserts operations some other way must keep `report_status` the same way.
DROP TRIGGER ops_report_made;
DROP TRIGGER ops_report_status;
