//! Attaching a photo: the files are on disk before the operation, the operation names the photo's hash,
//! size and pixels and is queued like any other, and an attach that cannot be recorded leaves nothing.

use std::sync::Arc;

use torgkoll_shared::photo::{Prepared, hash_hex, prepare};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{Invalid, OpBody};
use uuid::Uuid;

use super::*;

const NOW: i64 = 1_764_150_000_000;

fn picture(seed: u8) -> Prepared {
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x as u8) ^ seed, (y as u8).wrapping_add(seed), 90])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    prepare(jpeg.get_ref()).unwrap()
}

fn cleaner(dir: &std::path::Path) -> (Store, Uuid) {
    let mut s = super::test_support::enrolled_cleaner(dir);
    let op = super::test_support::klotter(&mut s, NOW);
    (s, op.id)
}

#[test]
fn the_file_is_kept_and_the_operation_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, report) = cleaner(dir.path());
    let p = picture(1);
    let op = s.attach_photo(report, &p, Some(b"thumb"), NOW + 1).unwrap();
    let OpBody::Photo { report: on, photo } = &op.body else {
        panic!("{op:?}")
    };
    assert_eq!((*on, photo), (report, &p.reference));
    let file = std::fs::read(
        dir.path()
            .join("photos")
            .join(format!("{}.jpg", photo.hash)),
    )
    .unwrap();
    assert_eq!(hash_hex(&file), photo.hash);
    assert_eq!(file.len() as u32, photo.bytes);
    assert_eq!(
        s.read_photo_file(&photo.hash, true).unwrap().unwrap(),
        b"thumb"
    );
    // Queued like any other operation, and the report's fold has it.
    assert_eq!(s.outbox_batch(10).unwrap().last().unwrap().id, op.id);
    assert_eq!(s.report_state(report).unwrap().unwrap().photos.len(), 1);
    let out = s.photos_to_send().unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].attach_state.as_deref(), Some("pending"));
    // Durable: a reopened store has it all.
    drop(s);
    let again = Store::open(&dir.path().join(DB_FILE), Arc::new(plattan())).unwrap();
    assert_eq!(
        again.photos_of(report).unwrap()[0].upload,
        Some(Upload::Pending)
    );
}

#[test]
fn no_operation_without_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, report) = cleaner(dir.path());
    // Where the photos directory should be, a file: nothing can be written.
    std::fs::write(dir.path().join("photos"), b"in the way").unwrap();
    let err = s
        .attach_photo(report, &picture(2), None, NOW + 1)
        .unwrap_err();
    assert!(matches!(err, StoreError::Photo(_)), "{err:?}");
    assert_eq!(s.all_ops().unwrap().len(), 1, "only the report");
    assert!(s.photos_to_send().unwrap().is_empty());
}

#[test]
fn a_refused_attach_leaves_no_file_and_a_fifth_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, report) = cleaner(dir.path());
    let p = picture(3);
    let err = s
        .attach_photo(Uuid::now_v7(), &p, None, NOW + 1)
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let photos = dir.path().join("photos");
    assert!(!photos.join(format!("{}.jpg", p.reference.hash)).exists());
    for seed in 10..14 {
        s.attach_photo(report, &picture(seed), None, NOW + 2)
            .unwrap();
    }
    // The same photo again is harmless; a fifth is not.
    s.attach_photo(report, &picture(10), None, NOW + 3).unwrap();
    let fifth = picture(20);
    let err = s.attach_photo(report, &fifth, None, NOW + 4).unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::TooManyPhotos)),
        "{err:?}"
    );
    assert!(
        !photos
            .join(format!("{}.jpg", fifth.reference.hash))
            .exists()
    );
    assert_eq!(s.photos_of(report).unwrap().len(), 4);
}
