-- 2: review reads operations by time and by the report or run they change, and finds the reports that
-- may be open at an instant without scanning every operation: `report_status` keeps, per report, what
-- decides that (kept by triggers, so every way an operation is stored keeps it too).
CREATE INDEX ops_wall ON ops (wall_ms);
    CREATE INDEX ops_target ON ops (target);
    CREATE INDEX rejected_received ON rejected (received_ms);
    CREATE TABLE report_status (
        id           BLOB PRIMARY KEY,
        made_ms      INTEGER NOT NULL,
        gone         INTEGER NOT NULL DEFAULT 0,
        resolved_hlc INTEGER,
        again_hlc    INTEGER,
        changed_ms   INTEGER
    ) STRICT, WITHOUT ROWID;
    INSERT INTO report_status (id, made_ms)
        SELECT op_id, wall_ms FROM ops WHERE kind IN ('clean', 'clean_request', 'disturbance');
    UPDATE report_status SET
        gone = g.gone, resolved_hlc = g.resolved, again_hlc = g.again, changed_ms = g.changed
    FROM (SELECT target,
                 MAX(kind IN ('withdraw', 'duplicate')) AS gone,
                 MAX(CASE WHEN kind = 'resolve' THEN hlc END) AS resolved,
                 MAX(CASE WHEN kind = 'still_there' THEN hlc END) AS again,
                 MAX(wall_ms) AS changed
          FROM ops WHERE kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
          GROUP BY target) AS g
    WHERE g.target = report_status.id;
    CREATE INDEX report_status_changed ON report_status (changed_ms);
    CREATE INDEX report_status_open ON report_status (made_ms)
        WHERE gone = 0 AND (resolved_hlc IS NULL OR again_hlc >= resolved_hlc);
    CREATE TRIGGER ops_report_made AFTER INSERT ON ops
        WHEN NEW.kind IN ('clean', 'clean_request', 'disturbance')
    BEGIN
        INSERT OR IGNORE INTO report_status (id, made_ms) VALUES (NEW.op_id, NEW.wall_ms);
    END;
    CREATE TRIGGER ops_report_status AFTER INSERT ON ops
        WHEN NEW.kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
    BEGIN
        UPDATE report_status SET
            gone = MAX(gone, NEW.kind IN ('withdraw', 'duplicate')),
            resolved_hlc = CASE WHEN NEW.kind = 'resolve'
                THEN MAX(COALESCE(resolved_hlc, NEW.hlc), NEW.hlc) ELSE resolved_hlc END,
            again_hlc = CASE WHEN NEW.kind = 'still_there'
                THEN MAX(COALESCE(again_hlc, NEW.hlc), NEW.hlc) ELSE again_hlc END,
            changed_ms = MAX(COALESCE(changed_ms, NEW.wall_ms), NEW.wall_ms)
        WHERE id = NEW.target;
    END;
