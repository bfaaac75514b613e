//! The refinery migrations on real SQLite files: phones' databases made by the old `user_version`
//! mechanism are adopted and brought up with their data intact, and a database written by a newer app
//! is refused and left as it was.

use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;
use torgkoll_shared::test_support::plattan;

use super::*;
use crate::store::{DB_FILE, Store};

fn sql(version: u32) -> String {
    runner()
        .get_migrations()
        .iter()
        .find(|m| m.version() as u32 == version)
        .and_then(|m| m.sql())
        .expect("an embedded migration")
        .to_owned()
}

/// A database made as phones made it before refinery: each migration then `user_version`. The data goes
/// in after migration 1, so it passes through the others.
fn build_old(path: &Path, version: u32) {
    let mut conn = Connection::open(path).unwrap();
    for n in 1..=version {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(&sql(n)).unwrap();
        tx.pragma_update(None, "user_version", n).unwrap();
        tx.commit().unwrap();
        if n == 1 {
            conn.execute_batch(
                "INSERT INTO meta (key, value) VALUES ('device', 'd'), ('last_seq', '1');
                 INSERT INTO oplog (op_id, device, seq, hlc, wall_ms, role, kind, target, body, local, sync_state)
                     VALUES (x'01', x'02', 1, 5, 6, 'cleaner', 'clean', x'03', '{}', 1, 'pending');
                 INSERT INTO outbox (seq, op_id) VALUES (1, x'01');",
            )
            .unwrap();
        }
    }
}

type Data = (
    Vec<(String, String)>,
    Vec<(Vec<u8>, i64, String)>,
    Vec<(i64, Vec<u8>)>,
);

fn data(conn: &Connection) -> Data {
    let meta = conn
        .prepare("SELECT key, value FROM meta WHERE key != 'rebuild' ORDER BY key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let oplog = conn
        .prepare("SELECT op_id, seq, sync_state FROM oplog")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let outbox = conn
        .prepare("SELECT seq, op_id FROM outbox")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (meta, oplog, outbox)
}

/// refinery's history: version, name, checksum and the SQLite type of each column.
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

#[test]
fn old_databases_are_adopted_and_upgraded_with_their_data() {
    let mut fresh = Connection::open_in_memory().unwrap();
    migrate(&mut fresh).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for version in 1..=VERSION {
        let path = dir.path().join(format!("v{version}.sqlite"));
        build_old(&path, version);
        let mut conn = Connection::open(&path).unwrap();
        let before = data(&conn);
        migrate(&mut conn).unwrap();
        assert_eq!(data(&conn), before, "a database at version {version}");
        // What the later migrations add is there, what refinery knows is what it writes itself.
        conn.execute_batch("SELECT fix_at, cause FROM oplog; SELECT * FROM alert_marks;")
            .unwrap();
        assert_eq!(history(&conn), history(&fresh), "version {version}");
        assert_eq!(user_version(&conn).unwrap(), VERSION);
        let applied = runner().get_applied_migrations(&mut conn).unwrap();
        assert_eq!(applied.len(), VERSION as usize);
        // Opened again: nothing more to do.
        migrate(&mut conn).unwrap();
        assert_eq!(data(&conn), before);
    }
    let rows = history(&fresh);
    assert_eq!(rows.len(), VERSION as usize);
    assert_eq!(rows[0].3, "integertexttexttext");
}

/// A phone whose database a newer app wrote (migration 7, which this app does not know), opened by
/// this app: refused with an error the UI can say, the file not touched.
#[test]
fn a_database_from_a_newer_app_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let mut s = Store::open(&path, Arc::new(plattan())).unwrap();
        s.set_identity(crate::store::Identity {
            device: uuid::Uuid::from_u128(7),
            token: "t".into(),
            role: torgkoll_shared::Role::Cleaner,
            name: "Plock 1".into(),
            server: "http://127.0.0.1:1".into(),
        })
        .unwrap();
    }
    let future = VERSION + 1;
    Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE future (x INTEGER);
             INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
                 VALUES ({future}, 'future', '2030-01-01T00:00:00Z', '1');"
        ))
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    match Store::open(&path, Arc::new(plattan())) {
        Err(StoreError::TooNew { found, known }) => assert_eq!((found, known), (future, VERSION)),
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let conn = Connection::open(&path).unwrap();
    assert_eq!(history(&conn).len(), future as usize);
    let device: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'device'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(device, uuid::Uuid::from_u128(7).to_string());

    // Numbered by `user_version` alone, above what this app knows: no history is made either.
    let path = dir.path().join("numbered.sqlite");
    build_old(&path, VERSION);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", VERSION + 1)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut conn = Connection::open(&path).unwrap();
    assert!(matches!(
        migrate(&mut conn),
        Err(StoreError::TooNew { found, .. }) if found == VERSION + 1
    ));
    assert!(!table_exists(&conn, HISTORY).unwrap());
    drop(conn);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_version_is_the_newest_embedded_migration() {
    let newest = runner().get_migrations().iter().map(|m| m.version()).max();
    assert_eq!(newest, Some(VERSION as _));
}

/// Migration 7 drops the clock index no query uses; the log's other indexes stay, and the queries that
/// read the log by target, by id and by device still use theirs.
#[test]
fn migration_7_drops_the_clock_index_and_keeps_the_lookups_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    build_old(&path, 6);
    let mut conn = Connection::open(&path).unwrap();
    migrate(&mut conn).unwrap();
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'oplog' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!indexes.iter().any(|i| i == "oplog_hlc"), "{indexes:?}");
    assert!(indexes.iter().any(|i| i == "oplog_target"), "{indexes:?}");
    let plan = |q: &str| -> String {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {q}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert!(plan("SELECT * FROM oplog WHERE target = x'03'").contains("oplog_target"));
    assert!(plan("SELECT 1 FROM oplog WHERE op_id = x'01'").contains("INDEX"));
    assert!(
        plan("SELECT wall_ms FROM oplog WHERE device = x'02' ORDER BY seq DESC LIMIT 1")
            .contains("INDEX")
    );
    assert_eq!(data(&conn).1.len(), 1, "the log kept its row");
}
