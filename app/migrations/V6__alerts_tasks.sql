-- 6: alerts and tasks that reach a person (`store/alerts.rs`). A report's level as it now is, whether
-- it is a cleaning task, when it was made (corrected time) and when it was taken ("Jag tar det"), so
-- the banners and the task list are one indexed query; and this phone's own marks per report: "Sett"
-- (the banner silenced here) and when its sound was given (once per alert, across restarts). The
-- state is folded anew to fill the new columns.

    ALTER TABLE reports ADD COLUMN level INTEGER;
    ALTER TABLE reports ADD COLUMN task INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE reports ADD COLUMN made_ms INTEGER;
    ALTER TABLE reports ADD COLUMN taken_ms INTEGER;
    CREATE INDEX reports_alerts ON reports (made_ms) WHERE status = 'open' AND taken_ms IS NULL;
    CREATE TABLE alert_marks (
        report       BLOB PRIMARY KEY,
        seen_ms      INTEGER,           -- "Sett": the banner silenced on this phone
        signalled_ms INTEGER            -- the sound and vibration given on this phone
    ) STRICT;
    INSERT INTO meta (key, value) VALUES ('rebuild', '1')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    