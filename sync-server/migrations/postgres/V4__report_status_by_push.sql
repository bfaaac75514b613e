-- 4: `report_status` is kept by the push itself, set-based, after it inserts its operations
-- (`src/store/pg_push_sql.rs`, `REPORTS_MADE` and `REPORTS_CHANGED`), instead of by a row trigger on `ops`
-- (as SQLite's migration 12 does, for the same reason: the trigger ran once per row). The values are
-- the same: every column is a maximum over the report's operations. The push is the only writer of
-- `ops` rows; anything that inserts operations some other way must keep `report_status` the same way.
DROP TRIGGER ops_report_status ON ops;
DROP FUNCTION ops_report_status();
