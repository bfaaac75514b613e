-- 3: a whole shift. Why the server refused an operation, as a code the UI can say in Swedish; when
-- a report stopped being open (the field maps show what is open whatever its age, and what closed
-- today); shift handovers. `created_ms` now holds when a report's event happened (a guard may log
-- after the fact), so the state is folded anew.

    ALTER TABLE oplog ADD COLUMN cause TEXT;
    ALTER TABLE reports ADD COLUMN closed_ms INTEGER;
    CREATE INDEX reports_status ON reports (status, closed_ms);
    CREATE TABLE handovers (
        id          BLOB PRIMARY KEY,
        role        TEXT NOT NULL,
        author      BLOB NOT NULL,
        mine        INTEGER NOT NULL,
        made_ms     INTEGER NOT NULL,
        read_ms     INTEGER,            -- when this phone's user marked it read
        state       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX handovers_made ON handovers (made_ms);
    INSERT INTO meta (key, value) VALUES ('rebuild', '1')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    