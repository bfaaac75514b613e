-- 7: cheaper pulled operations. No query looks an operation up by its clock alone (the log is read in
-- clock order only by `COALESCE(fix_hlc, hlc)`, which this index cannot serve), so it goes: every pulled
-- operation wrote it, some 580,000 times for a year's fresh pull.

    DROP INDEX IF EXISTS oplog_hlc;
