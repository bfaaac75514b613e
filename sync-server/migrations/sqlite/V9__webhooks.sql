-- 9: webhooks for the partners (`crate::webhooks`): the hooks, each delivery (committed before its
-- first attempt, due by `next_ms` while pending), the cursor over `ops.pos` that finds level-1 events
-- (starting at the operations stored before, which are never announced), and the last day whose
-- lägesbild the server made by itself.
CREATE TABLE webhooks (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        url        TEXT NOT NULL,
        events     TEXT NOT NULL,
        secret     TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE webhook_deliveries (
        id         BLOB PRIMARY KEY,
        hook       INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event      TEXT NOT NULL,
        body       BLOB NOT NULL,
        created_ms INTEGER NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        next_ms    INTEGER,
        last_ms    INTEGER,
        last_error TEXT
    ) STRICT;
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_ms) WHERE state = 'pending';
    CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (hook, state);
    CREATE TABLE webhook_cursor (
        id  INTEGER PRIMARY KEY CHECK (id = 1),
        pos INTEGER NOT NULL
    ) STRICT;
    INSERT INTO webhook_cursor (id, pos) SELECT 1, COALESCE(MAX(pos), 0) FROM ops;
    CREATE TABLE lagesbild_made (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        day     TEXT NOT NULL,
        made_ms INTEGER NOT NULL
    ) STRICT;
