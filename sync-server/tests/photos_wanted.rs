//! A server that holds a photo's operation but not its file (restored from a backup taken before the
//! upload, the photos lost with the disk) asks the phone that attached it for the photo again in every
//! sync answer (`photos_wanted`, docs/PROTOCOL.md "Restore") until the file is whole; no other phone is
//! asked, and nobody is asked for a photo retention removed. Runs on SQLite and on PostgreSQL.

mod common;
mod photo_support;

use common::TestServer;
use photo_support::{
    attach, cleaner_with_photo, download, files, ok_status, photo, photos_dir, put, upload,
};
use torgkoll_shared::Role;
use torgkoll_shared::photo::UPLOAD_CHUNK_BYTES;

#[tokio::test]
async fn a_photo_lost_with_the_disk_is_asked_for_again_until_it_is_whole() {
    let (mut srv, mut cleaner, lost) = cleaner_with_photo(1).await;
    let guard = srv.phone(Role::Guard, "Vakt 1").await;
    let hash = lost.reference.hash.clone();
    // A second photo that retention will have removed.
    let purged = photo(2);
    let report = cleaner.clean("Glas vid trappan");
    let attached = attach(&mut cleaner, report.id, &purged);
    assert!(
        cleaner
            .sync(&[report, attached], 0)
            .await
            .rejected
            .is_empty()
    );
    // A server started on an empty database lacks nothing: an upload under way is not asked for.
    assert!(cleaner.sync(&[], 0).await.photos_wanted.is_empty());
    for p in [&lost, &purged] {
        assert!(upload(&cleaner, p).await.complete);
    }

    // The photos directory is lost (the database kept both operations); retention had removed the
    // second photo. The server starts again.
    std::fs::remove_dir_all(photos_dir(&srv)).unwrap();
    srv.store
        .mark_photo_purged(&purged.reference.hash, common::T0)
        .unwrap();
    srv.restart().await;
    assert_eq!(
        cleaner.sync(&[], 0).await.photos_wanted,
        std::slice::from_ref(&hash)
    );
    assert!(guard.sync(&[], 0).await.photos_wanted.is_empty());
    assert_eq!(download(&guard, &hash, true).await.status(), 404);

    // Half of it again: still asked for, on every answer.
    let first = ok_status(put(&cleaner, &hash, 0, &lost.bytes[..UPLOAD_CHUNK_BYTES]).await).await;
    assert!(!first.complete);
    assert_eq!(
        cleaner.sync(&[], 0).await.photos_wanted,
        std::slice::from_ref(&hash)
    );
    // Whole: no longer asked for, and served again.
    assert!(upload(&cleaner, &lost).await.complete);
    assert!(cleaner.sync(&[], 0).await.photos_wanted.is_empty());
    let got = download(&guard, &hash, false).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap(), lost.bytes);
    assert_eq!(
        files(&srv),
        [format!("{hash}.jpg"), format!("thumbs/{hash}.jpg")]
    );
}

#[tokio::test]
async fn a_server_started_again_asks_only_for_photos_it_lacks() {
    let (mut srv, cleaner, p) = cleaner_with_photo(3).await;
    assert!(upload(&cleaner, &p).await.complete);
    srv.restart().await;
    assert!(cleaner.sync(&[], 0).await.photos_wanted.is_empty());
    // One whose upload had not finished is asked for: the phone is sending it anyway.
    let (mut srv2, cleaner2, p2): (TestServer, _, _) = cleaner_with_photo(4).await;
    let half = ok_status(
        put(
            &cleaner2,
            &p2.reference.hash,
            0,
            &p2.bytes[..UPLOAD_CHUNK_BYTES],
        )
        .await,
    )
    .await;
    assert!(!half.complete);
    srv2.restart().await;
    assert_eq!(
        cleaner2.sync(&[], 0).await.photos_wanted,
        std::slice::from_ref(&p2.reference.hash)
    );
}
