-- 3: clocks with bounds (see `torgkoll_shared::timefix`). Each operation keeps what the phone said
-- (`wall_ms`, `hlc`) beside the server's corrected time (`at_ms`) and effective clock (`clock`), which
-- review reads instead; each device keeps its last measured clock offset.
ALTER TABLE ops ADD COLUMN at_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ops ADD COLUMN clock INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN clock_offset_ms INTEGER;
    ALTER TABLE devices ADD COLUMN offset_measured_ms INTEGER;
    DROP INDEX ops_wall;
    DROP TRIGGER ops_report_made;
    DROP TRIGGER ops_report_status;
