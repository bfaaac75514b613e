use refinery::{Migration, Runner};
use rusqlite::Connection;

use super::*;

const V1: &str = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);";
const V2: &str = "ALTER TABLE notes ADD COLUMN done INTEGER NOT NULL DEFAULT 0;";
const V3: &str = "CREATE INDEX notes_done ON notes (done);";

fn runner(sql: &[(&str, &str)]) -> Runner {
    let migrations: Vec<Migration> = sql
        .iter()
        .map(|(name, sql)| Migration::unapplied(name, sql).expect("a migration"))
        .collect();
    Runner::new(&migrations)
}

fn all() -> Runner {
    runner(&[("V1__notes", V1), ("V2__done", V2), ("V3__done_index", V3)])
}

fn file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("db.sqlite");
    (dir, path)
}

fn history(conn: &Connection) -> Vec<(u32, String)> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT version, name FROM {HISTORY} ORDER BY version"
        ))
        .expect("the history");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

#[test]
fn a_new_database_gets_every_migration_and_its_user_version() {
    let mut conn = Connection::open_in_memory().unwrap();
    refuse_newer(&conn, 3).unwrap();
    assert_eq!(adopt(&mut conn, &all()).unwrap(), None);
    let applied = run(&mut conn, all(), 3).unwrap();
    assert_eq!(applied.iter().map(|a| a.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(record_newest(&conn).unwrap(), 3);
    assert_eq!(user_version(&conn).unwrap(), 3);
    // Once more: nothing to do.
    assert!(run(&mut conn, all(), 3).unwrap().is_empty());
}

#[test]
fn a_database_numbered_by_user_version_is_adopted_and_keeps_its_rows() {
    let mut conn = Connection::open_in_memory().unwrap();
    // The old way: the same SQL, numbered by user_version alone.
    conn.execute_batch(V1).unwrap();
    conn.execute_batch(V2).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute("INSERT INTO notes (text, done) VALUES ('kept', 1)", [])
        .unwrap();

    assert_eq!(adopt(&mut conn, &all()).unwrap(), Some(2));
    assert_eq!(
        history(&conn),
        [(1, "notes".to_owned()), (2, "done".to_owned())]
    );
    // refinery accepts the adopted rows (same checksums) and applies only the rest.
    let applied = run(&mut conn, all(), 3).unwrap();
    assert_eq!(applied, [(3, "done_index".to_owned())]);
    assert_eq!(record_newest(&conn).unwrap(), 3);
    let text: String = conn
        .query_row("SELECT text FROM notes WHERE done = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, "kept");
    // Adopting again changes nothing.
    assert_eq!(adopt(&mut conn, &all()).unwrap(), None);
}

#[test]
fn a_database_from_a_newer_build_is_refused_before_anything_is_written() {
    let (_dir, path) = file();
    {
        let mut conn = Connection::open(&path).unwrap();
        run(&mut conn, all(), 3).unwrap();
        record_newest(&conn).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    match refuse_newer(&conn, 2) {
        Err(MigrateError::TooNew { found: 3, known: 2 }) => {}
        other => panic!("expected TooNew, got {other:?}"),
    }
    drop(conn);
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // user_version alone says so too (a database from before refinery).
    let conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", 7).unwrap();
    assert!(matches!(
        refuse_newer(&conn, 3),
        Err(MigrateError::TooNew { found: 7, known: 3 })
    ));
}

#[test]
fn an_edited_shipped_migration_is_refused() {
    let mut conn = Connection::open_in_memory().unwrap();
    run(&mut conn, all(), 2).unwrap();
    let edited = runner(&[
        ("V1__notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY);"),
        ("V2__done", V2),
        ("V3__done_index", V3),
    ]);
    assert!(matches!(
        run(&mut conn, edited, 3),
        Err(MigrateError::Refinery(_))
    ));
    assert_eq!(history(&conn).len(), 2);
}

#[test]
fn a_target_stops_the_run_there() {
    let mut conn = Connection::open_in_memory().unwrap();
    assert_eq!(run(&mut conn, all(), 1).unwrap().len(), 1);
    assert_eq!(record_newest(&conn).unwrap(), 1);
    assert!(!table_exists(&conn, "notes_done").unwrap());
    assert_eq!(run(&mut conn, all(), 3).unwrap().len(), 2);
}
