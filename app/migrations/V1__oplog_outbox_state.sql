-- 1: the operation log, the outbox, and the materialized state for the map.

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
    