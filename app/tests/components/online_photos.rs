//! Photos with a real sync server on the loopback: a cleaner's photo follows its report and the sheet
//! turns "skickad"; a guard's disturbance photo reaches the manager but never a cleaner's phone, neither
//! as an operation nor as a thumbnail.

use std::sync::{Arc, Mutex};

use torgkoll_app::platform::Clock;
use torgkoll_app::store::{Identity, Store, Upload};
use torgkoll_app::sync::{
    SyncClient, SyncOptions, enroll, fetch_photo, fetch_thumbnails, send_photos, sync_once,
};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{DisturbanceCategory, DisturbanceReport, OpBody, Role};

use crate::harness::{Ui, server_with_codes, test_clock};
use crate::photos::write_picture;

#[test]
fn a_cleaners_photo_follows_its_report_and_turns_sent() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = test_clock();
    let (url, mut codes) = server_with_codes(dir.path(), clock.clone(), &[(Role::Cleaner, "Anna")]);
    let picture = dir.path().join("camera.jpg");
    write_picture(&picture, 3);
    let mut ui = Ui::with_photo_pick(None, picture, clock, true);
    ui.input("server", &url);
    ui.input("code", &codes.pop().expect("a code"));
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-report\""));
    ui.click("cat-fimpar");
    ui.tap(ui.place(1.0, 1.0));
    ui.click("add-details");
    ui.click("photo-add");
    ui.run_until(|h| h.contains("id=\"photo-0-state\""));
    ui.run_until(|h| h.contains(">skickad<"));
    let html = ui.html();
    assert!(html.contains(">skickad<"), "{html}");
    let report = ui.disk().my_reports(1).unwrap()[0].report.id;
    let photos = ui.disk().photos_of(report).unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].upload, Some(Upload::Sent));
    let op_sent = ui.disk().my_reports(1).unwrap()[0].sync.clone();
    assert_eq!(op_sent, Some(torgkoll_app::store::SyncState::Sent));
}

/// A phone of `role` enrolled with `code`, headless.
fn phone(
    dir: &std::path::Path,
    name: &str,
    url: &str,
    code: &str,
) -> (Arc<Mutex<Store>>, SyncClient) {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let e = rt.block_on(enroll(url, code)).expect("enrolled");
    let phone_dir = dir.join(name);
    std::fs::create_dir_all(&phone_dir).unwrap();
    let mut store = Store::open(&phone_dir.join("phone.sqlite"), Arc::new(plattan())).unwrap();
    store
        .set_identity(Identity {
            device: e.device,
            token: e.token.clone(),
            role: e.role,
            name: e.name,
            server: url.to_owned(),
        })
        .unwrap();
    (Arc::new(Mutex::new(store)), SyncClient::new(url, &e.token))
}

#[test]
fn a_disturbance_photo_never_reaches_a_cleaner() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = test_clock();
    let (url, codes) = server_with_codes(
        dir.path(),
        clock.clone(),
        &[
            (Role::Guard, "Bo"),
            (Role::Cleaner, "Anna"),
            (Role::Manager, "Cia"),
        ],
    );
    let (guard, guard_c) = phone(dir.path(), "guard", &url, &codes[0]);
    let (cleaner, cleaner_c) = phone(dir.path(), "cleaner", &url, &codes[1]);
    let (manager, manager_c) = phone(dir.path(), "manager", &url, &codes[2]);
    let now = clock.now_ms();
    let at = plattan().frame.from_view(geo::Coord { x: 0.0, y: 0.0 });
    let picture = dir.path().join("camera.jpg");
    write_picture(&picture, 7);
    let prepared = torgkoll_shared::photo::prepare(&std::fs::read(&picture).unwrap()).unwrap();
    let hash = prepared.reference.hash.clone();
    {
        let mut g = guard.lock().unwrap();
        let op = g
            .record(
                OpBody::Disturbance(DisturbanceReport {
                    category: DisturbanceCategory::ALL[0],
                    level: 2,
                    people: 2,
                    interventions: Default::default(),
                    note: None,
                    at,
                    happened: None,
                }),
                now,
            )
            .unwrap();
        g.attach_photo(op.id, &prepared, None, now + 1).unwrap();
    }
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let opts = SyncOptions::default();
    rt.block_on(async {
        sync_once(&guard_c, &guard, opts, &*clock).await.unwrap();
        let sent = send_photos(&guard_c, &guard).await.unwrap();
        assert_eq!(
            (sent.sent, sent.bytes_sent),
            (1, u64::from(prepared.reference.bytes))
        );
        // Sent once: a second pass sends nothing.
        assert_eq!(send_photos(&guard_c, &guard).await.unwrap().sent, 0);

        sync_once(&cleaner_c, &cleaner, opts, &*clock)
            .await
            .unwrap();
        assert_eq!(fetch_thumbnails(&cleaner_c, &cleaner).await.unwrap(), 0);
        assert!(!fetch_photo(&cleaner_c, &cleaner, &hash).await.unwrap());

        sync_once(&manager_c, &manager, opts, &*clock)
            .await
            .unwrap();
        assert_eq!(fetch_thumbnails(&manager_c, &manager).await.unwrap(), 1);
        assert!(fetch_photo(&manager_c, &manager, &hash).await.unwrap());
    });
    let c = cleaner.lock().unwrap();
    assert!(c.photo_counts().unwrap().is_empty(), "no trace of it");
    assert!(c.read_photo_file(&hash, true).unwrap().is_none());
    assert!(
        c.all_ops()
            .unwrap()
            .iter()
            .all(|o| o.body.photo().is_none())
    );
    let m = manager.lock().unwrap();
    assert!(m.read_photo_file(&hash, true).unwrap().is_some());
    assert_eq!(
        m.read_photo_file(&hash, false).unwrap().as_deref(),
        Some(&prepared.bytes[..])
    );
    assert_eq!(guard.lock().unwrap().photos_pending().unwrap(), 0);
}
