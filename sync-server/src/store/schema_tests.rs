//! The refinery migrations on real SQLite files: databases made by the old `user_version` mechanism are
//! adopted and brought up with their data intact, a kill between migration 4 and its clock corrections
//! is finished at the next open, and a database from a newer server is refused and left as it was.

use std::path::Path;

use rusqlite::{Connection, params};
use torgkoll_shared::Hlc;

use super::*;
use crate::store::SqliteStore;
use crate::store::backfill::correct_stored_times;

const ENROLLED: i64 = 1_795_000_000_000;
const RECV: i64 = ENROLLED + 86_400_000;

fn sql(version: u32) -> String {
    runner()
        .get_migrations()
        .iter()
        .find(|m| m.version() as u32 == version)
        .and_then(|m| m.sql())
        .expect("an embedded migration")
        .to_owned()
}

/// A database made as servers made it before refinery: each migration then `user_version`, migration 4
/// being the Rust step itself. The data goes in after migration 1, so it passes through the others.
fn build_old(path: &Path, version: u32) {
    let mut conn = Connection::open(path).unwrap();
    for n in 1..=version {
        let tx = conn.transaction().unwrap();
        if n == BACKFILL_VERSION {
            correct_stored_times(&tx).unwrap();
        } else {
            tx.execute_batch(&sql(n)).unwrap();
        }
        tx.pragma_update(None, "user_version", n).unwrap();
        tx.commit().unwrap();
        if n == 1 {
            insert_data(&conn);
        }
    }
}

/// A device, an enrollment code, reports with a right clock, a day-ahead one and a broken one, and a
/// resolve from five days ahead (as in `stored_clocks_are_corrected_on_upgrade`).
fn insert_data(conn: &Connection) {
    let dev = uuid::Uuid::from_u128(1);
    let id = |n: u128| uuid::Uuid::from_u128(0x100 + n);
    conn.execute(
        "INSERT INTO devices (id, name, role, token_hash, enrolled_ms) VALUES (?1, 'P', 'cleaner', 't', ?2)",
        params![dev, ENROLLED],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO enroll_codes (code_hash, role, name, created_ms, expires_ms) VALUES ('c', 'guard', 'G', 1, 2)",
        [],
    )
    .unwrap();
    let rows: [(u128, i64, u64); 3] = [
        (1, RECV - 60_000, Hlc::new((RECV - 60_000) as u64, 0).0),
        (
            2,
            RECV + 86_400_000,
            Hlc::new((RECV + 86_400_000) as u64, 0).0,
        ),
        (3, RECV - 30_000, u64::MAX),
    ];
    for (seq, wall, hlc) in rows {
        conn.execute(
            "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'cleaner', 'clean', 'cleaning', NULL, '{}')",
            params![id(seq), dev, seq as i64, hlc as i64, wall, RECV],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target, body)
         VALUES (?1, ?2, 4, ?3, ?4, ?5, 'cleaner', 'resolve', 'cleaning', ?6, '{}')",
        params![id(9), dev, u64::MAX as i64, RECV + 5 * 86_400_000, RECV, id(2)],
    )
    .unwrap();
}

type Fingerprint = (
    Vec<(i64, i64, i64)>,
    Vec<(Vec<u8>, i64, i64, Option<i64>)>,
    i64,
    i64,
);

/// What the data says after the newest migration: corrected times and clocks, the review index, the
/// devices and codes.
fn fingerprint(conn: &Connection) -> Fingerprint {
    let ops = conn
        .prepare("SELECT seq, at_ms, clock FROM ops ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let status = conn
        .prepare("SELECT id, made_ms, gone, resolved_hlc FROM report_status ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let count = |t: &str| {
        conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (ops, status, count("devices"), count("enroll_codes"))
}

/// The data as a database made by refinery from the start holds it.
fn expected() -> Fingerprint {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate_to(&mut conn, 1).unwrap();
    insert_data(&conn);
    migrate(&mut conn).unwrap();
    fingerprint(&conn)
}

/// refinery's history: version, name, checksum and the SQLite types of the four columns.
fn history(conn: &Connection) -> Vec<(i64, String, String, String)> {
    conn.prepare(
        "SELECT version, name, checksum, typeof(version) || typeof(name) || typeof(applied_on) || \
         typeof(checksum) FROM refinery_schema_history ORDER BY version",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn assert_newest(conn: &mut Connection) {
    let applied = runner().get_applied_migrations(conn).unwrap();
    let versions: Vec<u32> = applied.iter().map(|m| m.version() as u32).collect();
    assert_eq!(versions, (1..=VERSION).collect::<Vec<_>>());
    assert_eq!(user_version(conn).unwrap(), VERSION);
    assert!(!table_exists(conn, BACKFILL_MARKER).unwrap());
}

#[test]
fn old_databases_are_adopted_and_upgraded_with_their_data() {
    let want = expected();
    // The corrections are real: the broken clocks are not what the phone said.
    assert_ne!(want.0[1].1, RECV + 86_400_000);
    let dir = tempfile::tempdir().unwrap();
    for version in 1..=VERSION {
        let path = dir.path().join(format!("v{version}.sqlite"));
        build_old(&path, version);
        drop(SqliteStore::open(&path).unwrap());
        let mut conn = Connection::open(&path).unwrap();
        assert_newest(&mut conn);
        assert_eq!(fingerprint(&conn), want, "a database at version {version}");
        // Opened again: nothing more to do, nothing changes.
        drop(conn);
        drop(SqliteStore::open(&path).unwrap());
        let mut conn = Connection::open(&path).unwrap();
        assert_newest(&mut conn);
        assert_eq!(fingerprint(&conn), want, "version {version} reopened");
    }
}

#[test]
fn adopted_history_is_what_refinery_writes() {
    let mut fresh = Connection::open_in_memory().unwrap();
    migrate(&mut fresh).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    build_old(&path, VERSION);
    let mut adopted = Connection::open(&path).unwrap();
    assert!(!has_history(&adopted).unwrap());
    migrate(&mut adopted).unwrap();
    let rows = history(&adopted);
    assert_eq!(rows, history(&fresh));
    assert_eq!(rows.len(), VERSION as usize);
    assert_eq!(rows[0].3, "integertexttexttext");
    // refinery reads the adopted rows back (it parses `applied_on` and `checksum`) and finds nothing to do.
    assert_newest(&mut adopted);
    let report = runner().run(&mut adopted).unwrap();
    assert!(report.applied_migrations().is_empty());
}

#[test]
fn killed_between_migration_4_and_its_corrections_finishes_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.sqlite");
    {
        let mut conn = Connection::open(&path).unwrap();
        run(&mut conn, 1).unwrap();
        insert_data(&conn);
        // refinery ran 2 to 4, then the process died before the corrections.
        run(&mut conn, BACKFILL_VERSION).unwrap();
        assert!(table_exists(&conn, BACKFILL_MARKER).unwrap());
        let uncorrected: i64 = conn
            .query_row("SELECT COUNT(*) FROM ops WHERE at_ms = 0", [], |r| r.get(0))
            .unwrap();
        assert_eq!(uncorrected, 4);
    }
    drop(SqliteStore::open(&path).unwrap());
    let mut conn = Connection::open(&path).unwrap();
    assert_newest(&mut conn);
    assert_eq!(fingerprint(&conn), expected());
}

/// refinery made its (empty) history table and the process died before it wrote a row: still adopted.
#[test]
fn an_empty_history_beside_a_user_version_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty_history.sqlite");
    build_old(&path, 3);
    Connection::open(&path)
        .unwrap()
        .execute_batch(CREATE_HISTORY)
        .unwrap();
    drop(SqliteStore::open(&path).unwrap());
    let mut conn = Connection::open(&path).unwrap();
    assert_newest(&mut conn);
    assert_eq!(fingerprint(&conn), expected());
}

/// A shipped migration edited afterwards (its checksum differs from the applied one) is refused.
#[test]
fn an_edited_shipped_migration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.sqlite");
    build_old(&path, VERSION);
    drop(SqliteStore::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE refinery_schema_history SET checksum = '1' WHERE version = 6",
            [],
        )
        .unwrap();
    match SqliteStore::open(&path) {
        Err(StoreError::Migration(why)) => assert!(why.contains("V6__rejected_cause"), "{why}"),
        Err(other) => panic!("expected a refused migration, got {other:?}"),
        Ok(_) => panic!("an edited migration was accepted"),
    }
}

fn assert_too_new(result: Result<()>, found: u32) {
    match result {
        Err(StoreError::TooNew { found: f, known }) => assert_eq!((f, known), (found, VERSION)),
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn a_database_with_a_newer_migration_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    // A server of the future applied its next migration (refinery's history says it).
    let future = VERSION + 1;
    let path = dir.path().join("future.sqlite");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE future (x INTEGER);
             INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
                 VALUES ({future}, 'future', '2030-01-01T00:00:00Z', '1');"
        ))
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let mut conn = Connection::open(&path).unwrap();
    assert_too_new(migrate(&mut conn), future);
    drop(conn);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(matches!(
        SqliteStore::open(&path),
        Err(StoreError::TooNew { found, known: VERSION }) if found == future
    ));
    let conn = Connection::open(&path).unwrap();
    assert_eq!(history(&conn).len(), future as usize);
    assert_eq!(user_version(&conn).unwrap(), VERSION);

    // A database numbered only by `user_version`, above what this server knows: no history is made.
    let path = dir.path().join("numbered.sqlite");
    build_old(&path, VERSION);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", VERSION + 3)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut conn = Connection::open(&path).unwrap();
    assert_too_new(migrate(&mut conn), VERSION + 3);
    assert!(!has_history(&conn).unwrap());
    drop(conn);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_version_is_the_newest_embedded_migration() {
    let newest = runner().get_migrations().iter().map(|m| m.version()).max();
    assert_eq!(newest, Some(VERSION as _));
}
