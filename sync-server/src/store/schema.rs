//! The server database's schema: append-only migrations, numbered by `PRAGMA user_version`.
//! Never edit a migration that has shipped; add a new one. A migration is SQL, or a Rust step where the
//! data must pass through the same code as at run time (the clock corrections of migration 4).

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{Result, StoreError};

/// One migration.
enum Step {
    Sql(&'static str),
    Rust(fn(&Transaction<'_>) -> Result<()>),
}

const MIGRATIONS: &[Step] = &[
    // 1: devices, enrollment codes, accepted operations in commit order, rejected operations.
    Step::Sql(
        "CREATE TABLE devices (
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
    ) STRICT;",
    ),
    // 2: review reads operations by time and by the report or run they change, and finds the reports that
    // may be open at an instant without scanning every operation: `report_status` keeps, per report, what
    // decides that (kept by triggers, so every way an operation is stored keeps it too).
    Step::Sql(
        "CREATE INDEX ops_wall ON ops (wall_ms);
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
    END;",
    ),
    // 3: clocks with bounds (see `torgkoll_shared::timefix`). Each operation keeps what the phone said
    // (`wall_ms`, `hlc`) beside the server's corrected time (`at_ms`) and effective clock (`clock`), which
    // review reads instead; each device keeps its last measured clock offset.
    Step::Sql(
        "ALTER TABLE ops ADD COLUMN at_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ops ADD COLUMN clock INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN clock_offset_ms INTEGER;
    ALTER TABLE devices ADD COLUMN offset_measured_ms INTEGER;
    DROP INDEX ops_wall;
    DROP TRIGGER ops_report_made;
    DROP TRIGGER ops_report_status;",
    ),
    // 4: the corrections of the operations stored before 3, as a push without a measured offset gets them.
    Step::Rust(super::backfill::correct_stored_times),
    // 5: review by corrected time and effective clock.
    Step::Sql(
        "CREATE INDEX ops_at ON ops (at_ms);
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
    END;",
    ),
    // 6: why an operation was refused, as a code a phone can say in its user's language.
    Step::Sql("ALTER TABLE rejected ADD COLUMN cause TEXT;"),
    // 7: photos. The operations attaching a photo are found by its hash (uploads, downloads, retention);
    // `photos_purged` remembers the photos whose files retention removed, so they stay unknown.
    Step::Sql(
        "CREATE INDEX ops_photo_hash ON ops (json_extract(body, '$.hash')) WHERE kind = 'photo';
    CREATE TABLE photos_purged (
        hash      TEXT PRIMARY KEY,
        purged_ms INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;",
    ),
    // 8: who is out there: each device's last contact (the server's clock), the outbox size and the app
    // version it last said (`torgkoll_shared::devices`).
    Step::Sql(
        "ALTER TABLE devices ADD COLUMN last_contact_ms INTEGER;
    ALTER TABLE devices ADD COLUMN pending INTEGER;
    ALTER TABLE devices ADD COLUMN app TEXT;",
    ),
    // 9: webhooks for the partners (`crate::webhooks`): the hooks, each delivery (committed before its
    // first attempt, due by `next_ms` while pending), the cursor over `ops.pos` that finds level-1 events
    // (starting at the operations stored before, which are never announced), and the last day whose
    // lägesbild the server made by itself.
    Step::Sql(
        "CREATE TABLE webhooks (
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
    ) STRICT;",
    ),
];

/// The schema version this server writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`VERSION`], each migration in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, VERSION)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > VERSION {
            return Err(StoreError::TooNew {
                found,
                known: VERSION,
            });
        }
        let Some(step) = MIGRATIONS.get(found as usize).filter(|_| found < target) else {
            return Ok(());
        };
        match step {
            Step::Sql(sql) => tx.execute_batch(sql)?,
            Step::Rust(f) => f(&tx)?,
        }
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
        tracing::info!(version = found + 1, "database migrated");
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::params;
    use torgkoll_shared::Hlc;
    use torgkoll_shared::timefix::CLOCK_TOLERANCE_MS;

    use super::*;

    /// A database of version 2 with the clocks phones sent before the server corrected them, brought to
    /// the newest version: the corrections are those a push without a measured offset gets.
    #[test]
    fn stored_clocks_are_corrected_on_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 2).unwrap();
        let enrolled = 1_795_000_000_000i64;
        let recv = enrolled + 86_400_000;
        let dev = uuid::Uuid::from_u128(1);
        let id = |n: u128| uuid::Uuid::from_u128(0x100 + n);
        conn.execute(
            "INSERT INTO devices (id, name, role, token_hash, enrolled_ms) VALUES (?1, 'P', 'cleaner', 't', ?2)",
            params![dev, enrolled],
        )
        .unwrap();
        // (seq, wall, hlc): right; a day ahead; a clock of 2^64 - 1; a resolve made before its report.
        let rows: [(u128, i64, u64); 3] = [
            (1, recv - 60_000, Hlc::new((recv - 60_000) as u64, 0).0),
            (
                2,
                recv + 86_400_000,
                Hlc::new((recv + 86_400_000) as u64, 0).0,
            ),
            (3, recv - 30_000, u64::MAX),
        ];
        for (seq, wall, hlc) in rows {
            conn.execute(
                "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'cleaner', 'clean', 'cleaning', NULL, '{}')",
                params![id(seq), dev, seq as i64, hlc as i64, wall, recv],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target, body)
             VALUES (?1, ?2, 4, ?3, ?4, ?5, 'cleaner', 'resolve', 'cleaning', ?6, '{}')",
            params![id(9), dev, u64::MAX as i64, recv + 5 * 86_400_000, recv, id(2)],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let got: Vec<(i64, i64, i64)> = conn
            .prepare("SELECT seq, at_ms, clock FROM ops ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            got[0],
            (
                1,
                recv - 60_000,
                Hlc::new((recv - 60_000) as u64, 0).0 as i64
            )
        );
        // The day-ahead one was made before the next (whose clock was broken, but not its wall time),
        // the resolve from five days ahead before it arrived.
        let ats: Vec<i64> = got.iter().map(|g| g.1).collect();
        assert_eq!(ats[1..], [recv - 30_000, recv - 30_000, recv]);
        for (_, at, clock) in &got[1..] {
            let ms = Hlc(*clock as u64).millis() as i64;
            assert!((ms - at).abs() <= CLOCK_TOLERANCE_MS + 1, "{ms} vs {at}");
        }
        // Effective clocks keep the device's order.
        assert!(got.windows(2).all(|w| w[0].2 < w[1].2));
        // The review index follows the corrected values.
        let (made, resolved): (i64, Option<i64>) = conn
            .query_row(
                "SELECT made_ms, resolved_hlc FROM report_status WHERE id = ?1",
                [id(2)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(made, recv - 30_000);
        assert_eq!(resolved, Some(got[3].2));
    }
}
