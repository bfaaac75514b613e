//! The photo's way, end to end through real processes: a cleaner reports graffiti offline and adds a
//! photo; when the network is back the report is on the server after the first sync, the photo follows in
//! a link that is cut every 70 kB and resumes from what the server holds; the manager's phone then shows
//! its thumbnail and opens it whole, byte for byte; a cleaner's phone never gets a guard's photo.

use std::time::Duration;

use torgkoll_app::sync::PhotoSummary;
use torgkoll_e2e::photos;
use torgkoll_e2e::proxy::{Proxy, ProxyConfig};
use torgkoll_e2e::rig::Rig;
use torgkoll_shared::photo::UPLOAD_CHUNK_BYTES;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Role};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graffiti_photo_follows_its_report_across_cuts_to_the_manager() {
    let rig = Rig::start(None).unwrap();
    // A link cut each time 70 kB have passed (both ways, all connections): the first sync fits.
    let proxy = Proxy::start(
        rig.server.addr,
        ProxyConfig {
            cut_after: Some(70_000),
            ..ProxyConfig::default()
        },
    )
    .await
    .unwrap();
    let cleaner = rig
        .phone(Role::Cleaner, "plock", Some(&proxy.url()))
        .await
        .unwrap();
    let manager = rig
        .phone(Role::Manager, "platsansvarig", None)
        .await
        .unwrap();

    // Offline: the quick report, then the photo of it.
    let at = torgkoll_e2e::workload::point_in_site(&rig.site, &mut rand::rng());
    let report = cleaner
        .record(OpBody::Clean(CleaningReport {
            category: CleaningCategory::Klotter,
            amount: None,
            note: None,
            at,
            acc: None,
        }))
        .unwrap();
    let photo = photos::photo(42).unwrap();
    let size = u64::from(photo.reference.bytes);
    assert!(
        size > 2 * UPLOAD_CHUNK_BYTES as u64,
        "{size}: several chunks"
    );
    cleaner.attach_photo(report.id, &photo).unwrap();

    // Back online: the operations go first, whole, before a byte of the photo.
    let s = cleaner.sync().await.unwrap();
    assert_eq!((s.pushed, s.pending), (2, 0));
    let ops = rig.server_ops().await.unwrap();
    assert!(ops.iter().any(|o| o.op.id == report.id));
    assert_eq!(
        cleaner.photos_outstanding().unwrap().0,
        1,
        "the photo waits"
    );

    // The photo, over a link cut after every 70 kB, resumed each time from the server's offset.
    let mut sent = PhotoSummary::default();
    let mut failures = 0;
    while cleaner.photos_outstanding().unwrap().0 != 0 {
        match cleaner.send_photos_into(&mut sent).await {
            Ok(()) => {}
            Err(e) if e.is_retryable() && failures < 20 => {
                failures += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => panic!("{e}"),
        }
    }
    let cuts = proxy.stats().cuts;
    assert!(cuts >= 2, "the link was cut ({cuts})");
    assert_eq!(sent.sent, 1);
    let resent = sent.bytes_attempted - size;
    assert!(
        resent <= cuts * UPLOAD_CHUNK_BYTES as u64,
        "{resent} B re-sent over {cuts} cuts"
    );
    // Once there, never sent again.
    let again = cleaner.send_photos_into(&mut PhotoSummary::default()).await;
    assert!(again.is_ok());
    assert_eq!(cleaner.photos_outstanding().unwrap().0, 0);

    // The server holds it once, under its name, and nothing half-stored.
    let dir = rig.dir.path().join("server.sqlite.photos");
    let name = format!("{}.jpg", photo.reference.hash);
    assert_eq!(std::fs::read(dir.join(&name)).unwrap(), photo.bytes);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(std::fs::read_dir(dir.join("partial")).unwrap().count(), 0);

    // The manager's phone: the report with its photo, the thumbnail, and the photo when opened.
    manager.sync().await.unwrap();
    let state = manager.state().unwrap();
    let r = &state.reports[&report.id];
    assert!(r.photos.contains_key(&photo.reference.hash));
    assert_eq!(manager.fetch_thumbnails().await.unwrap(), 1);
    let client = torgkoll_app::sync::SyncClient::new(
        &rig.server.url(),
        &manager.store.lock().unwrap().identity().unwrap().token,
    );
    assert!(
        torgkoll_app::sync::fetch_photo(&client, &manager.store, &photo.reference.hash)
            .await
            .unwrap()
    );
    let whole = manager
        .store
        .lock()
        .unwrap()
        .read_photo_file(&photo.reference.hash, false)
        .unwrap();
    assert_eq!(whole.as_deref(), Some(&photo.bytes[..]));
}
