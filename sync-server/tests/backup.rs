//! `backup` while a phone pushes gives a copy that opens and holds one committed state, photos included and
//! uploads under way left out; `restore` refuses a running server's database, an existing one without
//! `--force`, and a file that is no Torgkoll database.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::TestServer;
use rusqlite::Connection;
use torgkoll_server::Limits;
use torgkoll_server::backup::{backup, lock_db, restore};
use torgkoll_server::photos::files::default_dir;
use torgkoll_shared::Role;

const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");
const HASH_A: &str = "aa00000000000000000000000000000000000000000000000000000000000001";
const HASH_B: &str = "bb00000000000000000000000000000000000000000000000000000000000002";

/// The copy is one committed state: it passes SQLite's check, and every device's acknowledgement is
/// exactly the operations stored for it, 1..=acked_through without a hole. Answers the operations.
fn check_consistent(db: &Path) -> i64 {
    let conn = Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut stmt = conn
        .prepare(
            "SELECT d.acked_through,
               (SELECT COUNT(*) FROM ops o WHERE o.device = d.id)
                 + (SELECT COUNT(*) FROM rejected r WHERE r.device = d.id),
               (SELECT COALESCE(MAX(seq), 0) FROM ops o WHERE o.device = d.id)
             FROM devices d",
        )
        .unwrap();
    let rows: Vec<(i64, i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!rows.is_empty());
    for (acked, stored, max_seq) in rows {
        assert_eq!(acked, stored, "acknowledged {acked}, stored {stored}");
        assert!(max_seq <= acked);
    }
    conn.query_row("SELECT COUNT(*) FROM ops", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_a_phone_pushes_is_one_committed_state() {
    let server = TestServer::start(Limits::default()).await;
    let mut phone = server.phone(Role::Cleaner, "Plock 1").await;
    // Photos: two finished (one with a thumbnail) and an upload under way.
    let photos = default_dir(&server.db);
    std::fs::create_dir_all(photos.join("partial")).unwrap();
    std::fs::create_dir_all(photos.join("thumbs")).unwrap();
    std::fs::write(photos.join(format!("{HASH_A}.jpg")), b"photo a").unwrap();
    std::fs::write(photos.join(format!("{HASH_B}.jpg")), b"photo bb").unwrap();
    std::fs::write(photos.join("thumbs").join(format!("{HASH_A}.jpg")), b"t").unwrap();
    std::fs::write(photos.join("partial").join(HASH_B), b"half").unwrap();

    let (batches, per) = (60, 20);
    let ops: Vec<_> = (0..batches * per)
        .map(|i| phone.clean(&format!("r{i}")))
        .collect();
    let writer = {
        let phone = phone.clone();
        tokio::spawn(async move {
            for chunk in ops.chunks(per) {
                let r = phone.sync(chunk, 0).await;
                assert_eq!(r.acked_through, chunk.last().unwrap().seq);
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for i in 0..8 {
        let out = dir.path().join(format!("copy{i}.sqlite"));
        let db = server.db.clone();
        let c = tokio::task::spawn_blocking(move || backup(&db, None, &out))
            .await
            .unwrap()
            .unwrap();
        let out = dir.path().join(format!("copy{i}.sqlite"));
        let n = check_consistent(&out);
        assert_eq!(c.ops, n as u64);
        assert_eq!(c.devices, 1);
        assert_eq!((c.photos, c.photo_bytes), (2, 15));
        seen.push(n);
        tokio::time::sleep(std::time::Duration::from_millis(15)).await;
    }
    writer.await.unwrap();
    let last = dir.path().join("after.sqlite");
    let c = backup(&server.db, None, &last).unwrap();
    assert_eq!(c.ops, (batches * per) as u64);
    assert_eq!(check_consistent(&last), (batches * per) as i64);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    // The photos beside the copy: finished ones and thumbnails, no upload under way, no temporary names.
    let copied = default_dir(&last);
    assert_eq!(
        std::fs::read(copied.join(format!("{HASH_B}.jpg"))).unwrap(),
        b"photo bb"
    );
    assert!(copied.join("thumbs").join(format!("{HASH_A}.jpg")).exists());
    assert!(!copied.join("partial").exists());
    assert_eq!(std::fs::read_dir(&copied).unwrap().count(), 3);
    // A backup never overwrites.
    assert!(backup(&server.db, None, &last).is_err());
}

#[test]
fn restore_refuses_a_held_database_an_existing_one_without_force_and_a_stranger() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.sqlite");
    torgkoll_server::SqliteStore::open(&live).unwrap();
    let copy = dir.path().join("copy.sqlite");
    let c = backup(&live, None, &copy).unwrap();
    assert_eq!((c.ops, c.devices, c.photos), (0, 0, 0));

    let target = dir.path().join("target.sqlite");
    {
        let _held = lock_db(&target).unwrap();
        let e = restore(&copy, &target, None, true).unwrap_err().to_string();
        assert!(e.contains("running server"), "{e}");
    }
    // Nothing says how far the lost server got: positions jump.
    let c = restore(&copy, &target, None, false).unwrap();
    assert_eq!(c.positions_after, torgkoll_server::backup::POSITION_JUMP);
    let e = restore(&copy, &target, None, false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--force"), "{e}");
    // With --force, and the old database's write-ahead log goes with it.
    std::fs::write(dir.path().join("target.sqlite-wal"), b"stale").unwrap();
    // The replaced database says how far it got.
    let c = restore(&copy, &target, None, true).unwrap();
    assert_eq!(c.positions_after, torgkoll_server::backup::POSITION_JUMP);
    assert!(!dir.path().join("target.sqlite-wal").exists());
    torgkoll_server::SqliteStore::open(&target).unwrap();

    let stranger = dir.path().join("stranger.sqlite");
    Connection::open(&stranger)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER)")
        .unwrap();
    let e = restore(&stranger, &dir.path().join("new.sqlite"), None, false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a Torgkoll server database"), "{e}");
    assert!(!dir.path().join("new.sqlite").exists());
}

#[test]
fn the_binary_refuses_to_restore_under_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert!(line.starts_with("listening on"), "{line:?}");
    let copy = dir.path().join("copy.sqlite");
    let out = Command::new(BIN)
        .args(["backup", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("0 operations, 0 devices, 0 photos"), "{said}");
    let out = Command::new(BIN)
        .args(["restore", "--force", "--from"])
        .arg(&copy)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("held by a running server"), "{said}");
    child.kill().unwrap();
    child.wait().unwrap();
    let out = Command::new(BIN)
        .args(["restore", "--force", "--from"])
        .arg(&copy)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}
