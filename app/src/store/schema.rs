//! The phone's schema. Migrations are append-only: never edit one that has shipped, add the next.

use rusqlite::Connection;

/// Each entry is one migration; its 1-based index is the schema version it brings the file to.
const MIGRATIONS: &[&str] = &[
    // 1: the operation log, the outbox, and the materialized state for the map.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

    -- Every operation this phone knows: its own and those pulled from the server.
    CREATE TABLE oplog (
        op_id       BLOB PRIMARY KEY,
        device      BLOB NOT NULL,
        seq         INTEGER NOT NULL,
        hlc         INTEGER NOT NULL,
        wall_ms     INTEGER NOT NULL,
        role        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        target      BLOB NOT NULL,      -- the report or run it creates or changes
        body        TEXT NOT NULL,      -- the OpBody as JSON
        local       INTEGER NOT NULL,   -- 1 if made on this phone
        sync_state  TEXT,               -- own operations: pending | sent | rejected
        reason      TEXT,               -- why the server rejected it
        server_pos  INTEGER,            -- pulled operations: the server's global position
        received_ms INTEGER,            -- pulled operations: when the server received it
        UNIQUE (device, seq)
    ) STRICT;
    CREATE INDEX oplog_target ON oplog (target);
    CREATE INDEX oplog_hlc ON oplog (hlc);

    -- Own operations not yet acknowledged by the server, in sequence order.
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, op_id BLOB NOT NULL UNIQUE) STRICT;

    -- The current state of each report: a fold of its operations, kept up to date on every write.
    CREATE TABLE reports (
        id          BLOB PRIMARY KEY,
        known       INTEGER NOT NULL,
        domain      TEXT,
        category    TEXT,
        status      TEXT,
        zone        TEXT,
        created_ms  INTEGER,
        author      BLOB,
        mine        INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX reports_created ON reports (created_ms);

    CREATE TABLE runs (
        id          BLOB PRIMARY KEY,
        kind        TEXT,
        started_ms  INTEGER,
        stopped_ms  INTEGER,
        author      BLOB,
        mine        INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX runs_started ON runs (started_ms);
    "#,
    // 2: the server's clock corrections (`torgkoll_shared::timefix`): each operation keeps what the phone
    // said beside the corrected time and effective clock, which every fold uses. The materialized state
    // is folded anew from the log (`rebuild` in `meta`), since its stamps now carry the corrected time.
    r#"
    ALTER TABLE oplog ADD COLUMN fix_at INTEGER;
    ALTER TABLE oplog ADD COLUMN fix_hlc INTEGER;
    INSERT INTO meta (key, value) VALUES ('rebuild', '1')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    "#,
    // 3: a whole shift. Why the server refused an operation, as a code the UI can say in Swedish; when
    // a report stopped being open (the field maps show what is open whatever its age, and what closed
    // today); shift handovers. `created_ms` now holds when a report's event happened (a guard may log
    // after the fact), so the state is folded anew.
    r#"
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
    "#,
    // 4: a run that records its own track. The points the recorder kept and has not yet sent in a chunk
    // (a RunPoints operation every 30 s or 50 points) wait here, each durable when taken, so a run
    // killed with the app resumes without losing its path.
    r#"
    CREATE TABLE track_buffer (
        run         BLOB NOT NULL,
        t           INTEGER NOT NULL,
        lon         REAL NOT NULL,
        lat         REAL NOT NULL,
        acc         REAL,
        PRIMARY KEY (run, t)
    ) STRICT;
    "#,
    // 5: photos (`store/photos.rs`). The bytes live in files named by their SHA-256 beside the database
    // (`photos/<hash>.jpg`, `photos/thumbs/<hash>.jpg`); this table says what the phone has of each and,
    // for its own, where the upload stands.
    r#"
    CREATE TABLE photos (
        hash        TEXT PRIMARY KEY,   -- SHA-256 of the processed bytes, lowercase hex
        report      BLOB NOT NULL,      -- the report it was first attached to
        bytes       INTEGER NOT NULL,
        w           INTEGER NOT NULL,
        h           INTEGER NOT NULL,
        own         INTEGER NOT NULL,   -- 1 if made on this phone, 0 if pulled
        upload      TEXT,               -- own photos: pending | sent | failed
        has_full    INTEGER NOT NULL,   -- photos/<hash>.jpg is on disk
        has_thumb   INTEGER NOT NULL,   -- photos/thumbs/<hash>.jpg is on disk
        created_ms  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX photos_report ON photos (report);
    "#,
    // 6: alerts and tasks that reach a person (`store/alerts.rs`). A report's level as it now is, whether
    // it is a cleaning task, when it was made (corrected time) and when it was taken ("Jag tar det"), so
    // the banners and the task list are one indexed query; and this phone's own marks per report: "Sett"
    // (the banner silenced here) and when its sound was given (once per alert, across restarts). The
    // state is folded anew to fill the new columns.
    r#"
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
    "#,
];

/// Brings the database to the newest schema, one transaction per migration.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
