-- 1: devices, enrollment codes, accepted operations in commit order, rejected operations.
CREATE TABLE devices (
        id            BLOB PRIMARY KEY,
        name          TEXT NOT NULL,
        role          TEXT NOT NULL,
        token_hash    TEXT NOT NULL UNIQUE,
        enrolled_ms   INTEGER NOT NULL,
        revoked_ms    INTEGER,
        acked_through INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE enroll_codes (
        code_hash  TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        name       TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        used_ms    INTEGER,
        device     BLOB
    ) STRICT;
    CREATE TABLE ops (
        pos         INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id       BLOB NOT NULL UNIQUE,
        device      BLOB NOT NULL REFERENCES devices(id),
        seq         INTEGER NOT NULL,
        hlc         INTEGER NOT NULL,
        wall_ms     INTEGER NOT NULL,
        received_ms INTEGER NOT NULL,
        role        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        domain      TEXT NOT NULL CHECK (domain IN ('cleaning', 'disturbance')),
        target      BLOB,
        body        TEXT NOT NULL,
        UNIQUE (device, seq)
    ) STRICT;
    CREATE TABLE rejected (
        device      BLOB NOT NULL REFERENCES devices(id),
        seq         INTEGER NOT NULL,
        op_id       BLOB NOT NULL,
        reason      TEXT NOT NULL,
        received_ms INTEGER NOT NULL,
        raw         TEXT NOT NULL,
        PRIMARY KEY (device, seq)
    ) STRICT;
