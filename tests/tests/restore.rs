//! A server restored from an older backup gets back everything the phones hold: phones sync part of their
//! reports, `backup` is taken while the server runs, more syncs (and a photo) follow, the server is killed,
//! `restore` puts the backup back, and after the restart the phones' next syncs re-send what the server
//! lost. In the end the server holds every operation once, the photo whole, and every phone shows what its
//! role should see (new positions come after those the lost server handed out).

use std::path::Path;
use std::process::Command;

use rand::SeedableRng;
use rand::rngs::StdRng;
use torgkoll_app::sync::PhotoSummary;
use torgkoll_e2e::audit::{audit, domains, expected_state};
use torgkoll_e2e::phone::Phone;
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::server::server_bin;
use torgkoll_e2e::{photos, workload};
use torgkoll_shared::Role;

fn run(args: &[&str], paths: &[(&str, &Path)]) -> String {
    let mut cmd = Command::new(server_bin().unwrap());
    cmd.args(args);
    for (flag, p) in paths {
        cmd.arg(flag).arg(p);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn record(p: &Phone, role: Role, rig: &Rig, rng: &mut StdRng, n: usize) {
    for _ in 0..n {
        p.record(workload::report(role, &rig.site, rng)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_server_gets_back_everything_the_phones_hold() {
    let mut rig = Rig::start(None).unwrap();
    let guard = rig.phone(Role::Guard, "vakt", None).await.unwrap();
    let cleaner = rig.phone(Role::Cleaner, "plock", None).await.unwrap();
    let manager = rig.phone(Role::Manager, "chef", None).await.unwrap();
    let phones = [
        (&guard, Role::Guard),
        (&cleaner, Role::Cleaner),
        (&manager, Role::Manager),
    ];
    let mut rng = StdRng::seed_from_u64(12);

    // Before the backup: part of the reports are synced.
    for (p, role) in phones {
        record(p, role, &rig, &mut rng, 150);
        p.sync().await.unwrap();
    }
    let db = rig.server.db.clone();
    let copy = rig.dir.path().join("backup.sqlite");
    let said = run(&["backup"], &[("--db", &db), ("--out", &copy)]);
    assert!(said.contains("450 operations, 3 devices"), "{said}");

    // After it: more reports, a photo, all synced (and pulled by the others, past the backup's positions).
    for (p, role) in phones {
        record(p, role, &rig, &mut rng, 120);
    }
    let report = cleaner
        .record(workload::report(Role::Cleaner, &rig.site, &mut rng))
        .unwrap();
    let photo = photos::photo(7).unwrap();
    cleaner.attach_photo(report.id, &photo).unwrap();
    for _ in 0..2 {
        for (p, _) in phones {
            p.sync().await.unwrap();
        }
    }
    let mut sent = PhotoSummary::default();
    cleaner.send_photos_into(&mut sent).await.unwrap();
    assert_eq!(sent.sent, 1);
    let photo_file = |hash: &str| torgkoll_server_photo(&db, hash);
    assert!(photo_file(&photo.reference.hash).exists());

    // The server dies with its disk (database and photos) and comes back from the backup.
    rig.server.kill();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    std::fs::remove_dir_all(photo_file("x").parent().unwrap()).unwrap();
    let said = run(&["restore"], &[("--from", &copy), ("--db", &db)]);
    assert!(said.contains("450 operations, 3 devices"), "{said}");
    // The lost database cannot say how far it got: positions jump.
    assert!(
        said.trim_end().ends_with("new positions after 4294967746"),
        "{said}"
    );
    assert!(!photo_file(&photo.reference.hash).exists());
    rig.server.restart().unwrap();
    for (p, _) in phones {
        p.set_server(&rig.server.url());
    }

    // The guard has made more since: its push starts after the server's acknowledgement (a gap).
    record(&guard, Role::Guard, &rig, &mut rng, 5);
    // Each phone's next sync finds the server short and re-sends; the photo goes again.
    for _ in 0..2 {
        for (p, _) in phones {
            let s = p.sync().await.unwrap();
            assert_eq!(s.pending, 0);
        }
    }
    let mut again = PhotoSummary::default();
    cleaner.send_photos_into(&mut again).await.unwrap();
    assert_eq!((again.sent, again.failed), (1, 0));
    assert!(photo_file(&photo.reference.hash).exists());
    assert_eq!(cleaner.photos_outstanding().unwrap().0, 0);

    let made: Vec<_> = phones
        .iter()
        .flat_map(|(p, _)| p.own_ops().unwrap())
        .collect();
    assert_eq!(made.len(), 3 * 270 + 2 + 5);
    let server = rig.server_ops().await.unwrap();
    let got = audit(&made, &server);
    eprintln!("{got:?}");
    assert_eq!((got.missing, got.duplicates), (0, 0));
    assert_eq!(got.on_server, made.len());
    let doms = domains(&made);
    for (p, role) in phones {
        // Not assert_eq: the states are too long to print.
        let same = p.state().unwrap() == expected_state(role, &made, &doms);
        assert!(
            same,
            "the {role}'s phone does not show what its role should see"
        );
    }
}

/// The gap the sync answer's `photos_wanted` closes: the backup holds every operation the phone made (so
/// no acknowledgement goes back and nothing is re-sent), but the photo was uploaded after it and the
/// restored server has no file. It asks the cleaner for the photo again, and the cleaner's next photo
/// pass sends it; the manager's phone gets its thumbnail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_uploaded_after_the_backup_of_its_operation_is_sent_again() {
    let mut rig = Rig::start(None).unwrap();
    let cleaner = rig.phone(Role::Cleaner, "plock", None).await.unwrap();
    let manager = rig.phone(Role::Manager, "chef", None).await.unwrap();
    let mut rng = StdRng::seed_from_u64(13);
    record(&cleaner, Role::Cleaner, &rig, &mut rng, 20);
    let report = cleaner
        .record(workload::report(Role::Cleaner, &rig.site, &mut rng))
        .unwrap();
    let photo = photos::photo(8).unwrap();
    let hash = photo.reference.hash.clone();
    cleaner.attach_photo(report.id, &photo).unwrap();
    cleaner.sync().await.unwrap();

    // The backup holds all 22 operations; the photo goes up after it.
    let db = rig.server.db.clone();
    let copy = rig.dir.path().join("backup.sqlite");
    let said = run(&["backup"], &[("--db", &db), ("--out", &copy)]);
    assert!(said.contains("22 operations"), "{said}");
    let mut sent = PhotoSummary::default();
    cleaner.send_photos_into(&mut sent).await.unwrap();
    assert_eq!(sent.sent, 1);
    assert_eq!(cleaner.photos_outstanding().unwrap().0, 0);

    rig.server.kill();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    let photo_file = torgkoll_server_photo(&db, &hash);
    std::fs::remove_dir_all(photo_file.parent().unwrap()).unwrap();
    run(&["restore"], &[("--from", &copy), ("--db", &db)]);
    assert!(!photo_file.exists());
    rig.server.restart().unwrap();
    for p in [&cleaner, &manager] {
        p.set_server(&rig.server.url());
    }

    // Nothing to re-send, but the answer asks for the photo; the photo pass sends it.
    let s = cleaner.sync().await.unwrap();
    assert_eq!(s.pending, 0);
    assert_eq!(cleaner.photos_outstanding().unwrap().0, 1);
    let mut again = PhotoSummary::default();
    cleaner.send_photos_into(&mut again).await.unwrap();
    assert_eq!((again.sent, again.failed), (1, 0));
    assert_eq!(std::fs::read(&photo_file).unwrap(), photo.bytes);
    // Asked no more.
    cleaner.sync().await.unwrap();
    assert_eq!(cleaner.photos_outstanding().unwrap().0, 0);
    manager.sync().await.unwrap();
    assert_eq!(manager.fetch_thumbnails().await.unwrap(), 1);
    assert_eq!(manager.photos_outstanding().unwrap().1, 0);
}

/// Where the server keeps a finished photo (`<db>.photos/<hash>.jpg`).
fn torgkoll_server_photo(db: &Path, hash: &str) -> std::path::PathBuf {
    let mut dir = db.as_os_str().to_owned();
    dir.push(".photos");
    std::path::PathBuf::from(dir).join(format!("{hash}.jpg"))
}
