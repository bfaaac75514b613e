-- 5: review by corrected time and effective clock.
CREATE INDEX ops_at ON ops (at_ms);
    DELETE FROM report_status;
    INSERT INTO report_status (id, made_ms)
        SELECT op_id, at_ms FROM ops WHERE kind IN ('clean', 'clean_request', 'disturbance');
    UPDATE report_status SET
        gone = g.gone, resolved_hlc = g.resolved, again_hlc = g.again, changed_ms = g.changed
    FROM (SELECT target,
                 MAX(kind IN ('withdraw', 'duplicate')) AS gone,
                 MAX(CASE WHEN kind = 'resolve' THEN clock END) AS resolved,
                 MAX(CASE WHEN kind = 'still_there' THEN clock END) AS again,
                 MAX(at_ms) AS changed
          FROM ops WHERE kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
          GROUP BY target) AS g
    WHERE g.target = report_status.id;
    CREATE TRIGGER ops_report_made AFTER INSERT ON ops
        WHEN NEW.kind IN ('clean', 'clean_request', 'disturbance')
    BEGIN
        INSERT OR IGNORE INTO report_status (id, made_ms) VALUES (NEW.op_id, NEW.at_ms);
    END;
    CREATE TRIGGER ops_report_status AFTER INSERT ON ops
        WHEN NEW.kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
    BEGIN
        UPDATE report_status SET
            gone = MAX(gone, NEW.kind IN ('withdraw', 'duplicate')),
            resolved_hlc = CASE WHEN NEW.kind = 'resolve'
                THEN MAX(COALESCE(resolved_hlc, NEW.clock), NEW.clock) ELSE resolved_hlc END,
            again_hlc = CASE WHEN NEW.kind = 'still_there'
                THEN MAX(COALESCE(again_hlc, NEW.clock), NEW.clock) ELSE again_hlc END,
            changed_ms = MAX(COALESCE(changed_ms, NEW.at_ms), NEW.at_ms)
        WHERE id = NEW.target;
    END;
