//! Photos on the phone, offline: a cleaner reports graffiti, then adds photos on the sheet that follows
//! the quick report ("Lägg till foto (n/4)" under the warning). Each is processed, kept
//! content-addressed beside the database, attached by an operation naming its hash and size, and
//! shows "väntar"; a fifth is refused; "Mina rapporter" counts them with their state.

use std::path::Path;

use image::{ImageFormat, Rgb, RgbImage};
use torgkoll_app::store::Upload;
use torgkoll_shared::photo::{PhotoRef, hash_hex};
use torgkoll_shared::{OpBody, Role};

use crate::harness::{Ui, test_clock};

/// A camera-sized JPEG (larger than the phone keeps), different for each `seed`.
pub fn write_picture(path: &Path, seed: u32) {
    // Smooth like a wall in daylight (a picture of pure noise would only test the size loop).
    let img = RgbImage::from_fn(1800, 1350, |x, y| {
        let v = ((x / 9 + y / 7) % 256) as u8;
        Rgb([v, (x / 8) as u8 ^ seed as u8, (y / 6) as u8])
    });
    img.save_with_format(path, ImageFormat::Jpeg)
        .expect("a picture");
}

/// The photo operations on disk, in order.
fn photo_ops(ui: &Ui) -> Vec<(uuid::Uuid, PhotoRef)> {
    ui.ops()
        .into_iter()
        .filter_map(|b| match b {
            OpBody::Photo { report, photo } => Some((report, photo)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_cleaner_adds_photos_offline_after_the_report() {
    let dir = tempfile::tempdir().expect("dir");
    let picture = dir.path().join("camera.jpg");
    write_picture(&picture, 1);
    let mut ui = Ui::with_photo_pick(Some(Role::Cleaner), picture.clone(), test_clock(), false);
    ui.click("cat-fimpar");
    ui.tap(ui.place(4.0, 2.0));
    assert_eq!(ui.ops().len(), 1, "the report is saved first, on its own");
    ui.click("add-details");
    let html = ui.html();
    assert!(html.contains("Lägg till foto (0/4)"), "{html}");
    assert!(
        html.contains("Inga ansikten, personer eller registreringsskyltar på bilden."),
        "{html}"
    );

    ui.click("photo-add");
    ui.run_until(|h| h.contains("id=\"photo-0-state\""));
    let ops = photo_ops(&ui);
    assert_eq!(ops.len(), 1, "{:?}", ui.ops());
    let (report, photo) = ops[0].clone();
    let Some(OpBody::Clean(_)) = ui.ops().first().cloned() else {
        panic!("the report came first")
    };
    assert_eq!(ui.disk().my_reports(1).unwrap()[0].report.id, report);
    // Content-addressed beside the database, small and named by its bytes.
    let photos = ui.db.parent().unwrap().join("photos");
    let file = std::fs::read(photos.join(format!("{}.jpg", photo.hash))).expect("the file");
    assert_eq!(hash_hex(&file), photo.hash);
    assert_eq!(file.len() as u32, photo.bytes);
    assert!(
        photo.bytes <= 250_000 && photo.w <= 1600 && photo.w * 3 == photo.h * 4,
        "{photo:?}"
    );
    assert!(
        photos
            .join("thumbs")
            .join(format!("{}.jpg", photo.hash))
            .exists()
    );
    let html = ui.html();
    assert!(html.contains(">väntar<"), "{html}");
    assert!(html.contains("Lägg till foto (1/4)"), "{html}");
    assert!(html.contains("src=\"data:image/jpeg;base64,"), "{html}");
    // The sync bar says a photo is still to follow the reports.
    assert!(html.contains("1 foto väntar"), "{html}");

    // Three more, each a different picture; then the button gives way to "4 foton".
    for seed in 2..=4 {
        write_picture(&picture, seed);
        ui.click("photo-add");
        let want = format!("Lägg till foto ({seed}/4)");
        let last = seed == 4;
        ui.run_until(|h| {
            if last {
                h.contains("id=\"photo-full-up\"")
            } else {
                h.contains(&want)
            }
        });
    }
    assert_eq!(photo_ops(&ui).len(), 4);
    assert!(!ui.has("photo-add"), "{}", ui.html());
    assert!(ui.html().contains("Rapporten har redan 4 foton."));

    // A fifth is refused before anything is written.
    write_picture(&picture, 5);
    let fifth = torgkoll_shared::photo::prepare(&std::fs::read(&picture).unwrap()).unwrap();
    let refused = ui
        .disk()
        .attach_photo(report, &fifth, None, ui.services.now_ms());
    assert!(
        matches!(
            refused,
            Err(torgkoll_app::store::StoreError::Invalid(
                torgkoll_shared::Invalid::TooManyPhotos
            ))
        ),
        "{refused:?}"
    );
    assert!(
        !photos
            .join(format!("{}.jpg", fifth.reference.hash))
            .exists()
    );
    assert_eq!(photo_ops(&ui).len(), 4);
    let states: Vec<_> = ui
        .disk()
        .photos_of(report)
        .unwrap()
        .into_iter()
        .map(|p| p.upload)
        .collect();
    assert_eq!(states, vec![Some(Upload::Pending); 4]);

    // "Mina rapporter" counts them with their state.
    ui.click("details-cancel");
    ui.click("tab-mine");
    let row = format!("id=\"row-{report}-photos\"");
    let html = ui.html();
    assert!(html.contains(&row), "{html}");
    assert!(html.contains("4 foton · 4 väntar"), "{html}");
}

#[test]
fn photo_states_read_in_the_language_chosen() {
    let dir = tempfile::tempdir().expect("dir");
    let picture = dir.path().join("camera.jpg");
    write_picture(&picture, 9);
    let mut ui = Ui::with_photo_pick(Some(Role::Cleaner), picture, test_clock(), false);
    let at = ui.place(-3.0, 1.0);
    ui.click("cat-fimpar");
    ui.tap(at);
    ui.click("add-details");
    ui.click("photo-add");
    ui.run_until(|h| h.contains("id=\"photo-0-state\""));
    let hash = photo_ops(&ui)[0].1.hash.clone();
    // The server took it: the sheet says so.
    ui.disk().set_photo_upload(&hash, Upload::Sent).unwrap();
    ui.click("details-cancel");
    ui.tap(at);
    let html = ui.html();
    assert!(html.contains("id=\"report-sheet\""), "{html}");
    assert!(html.contains(">skickad<"), "{html}");
    ui.click("sheet-close");
    ui.disk().set_photo_upload(&hash, Upload::Failed).unwrap();
    ui.click("tab-mine");
    let html = ui.html();
    assert!(html.contains("1 foto · 1 misslyckades"), "{html}");
}
