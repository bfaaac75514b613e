//! A camera's photo becomes a small, clean one: at most 1600 px and 250 KB, upright, with no EXIF (no GPS
//! position) left, checked by parsing the result.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use torgkoll_shared::photo::{
    MAX_EDGE_PX, MAX_PHOTO_BYTES, PhotoError, THUMB_EDGE_PX, hash_hex, inspect, prepare, thumbnail,
};

/// A TIFF block as a camera writes it: orientation 6 (turn 90° clockwise to view) and a GPS latitude.
fn exif_with_gps() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
    // IFD0: orientation, GPS pointer (to offset 38).
    t.extend_from_slice(&[0, 2]);
    t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    t.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    t.extend_from_slice(&[0, 0, 0, 0]);
    // GPS IFD: latitude ref "N", latitude (three rationals at offset 68).
    t.extend_from_slice(&[0, 2]);
    t.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    t.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68]);
    t.extend_from_slice(&[0, 0, 0, 0]);
    for (n, d) in [(59u32, 1u32), (19, 1), (5500, 100)] {
        t.extend_from_slice(&n.to_be_bytes());
        t.extend_from_slice(&d.to_be_bytes());
    }
    t
}

/// A 12-megapixel (4000 × 3000) camera JPEG with detail everywhere, stored sideways with EXIF (made once).
fn camera_photo() -> &'static [u8] {
    static PHOTO: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PHOTO.get_or_init(make_camera_photo)
}

fn make_camera_photo() -> Vec<u8> {
    let img = RgbImage::from_fn(4000, 3000, |x, y| {
        let v = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(2_654_435_761);
        image::Rgb([
            (x / 16 % 256) as u8,
            (y / 12 % 256) as u8,
            ((v >> 24) as u8) / 4 + 96,
        ])
    });
    let mut out = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut out, 92);
    enc.set_exif_metadata(exif_with_gps()).unwrap();
    enc.write_image(img.as_raw(), 4000, 3000, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn exif_of(jpeg: &[u8]) -> Result<exif::Exif, exif::Error> {
    exif::Reader::new().read_from_container(&mut Cursor::new(jpeg))
}

#[test]
fn a_12_megapixel_photo_with_gps_becomes_small_upright_and_clean() {
    let input = camera_photo();
    let before = exif_of(input).expect("the camera photo carries EXIF");
    assert!(
        before
            .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some(),
        "the input has a GPS position to strip"
    );
    assert!(input.len() > MAX_PHOTO_BYTES as usize);

    let out = prepare(input).unwrap();
    let r = &out.reference;
    assert!(
        r.w.max(r.h) <= MAX_EDGE_PX && r.bytes <= MAX_PHOTO_BYTES,
        "{r:?}"
    );
    // Orientation 6 turned the 4000 × 3000 landscape into a portrait.
    assert_eq!((r.w, r.h), (1200, 1600));
    assert_eq!(inspect(&out.bytes).unwrap(), (1200, 1600));
    assert_eq!(r.bytes as usize, out.bytes.len());
    assert_eq!(r.hash, hash_hex(&out.bytes));
    assert!(r.is_valid());
    assert!(
        matches!(exif_of(&out.bytes), Err(exif::Error::NotFound(_))),
        "no EXIF may be left: {:?}",
        exif_of(&out.bytes).map(|e| e.fields().count())
    );
    // No other metadata block either: only JFIF's APP0 and the picture's own segments.
    let markers = app_markers(&out.bytes);
    assert!(markers.iter().all(|m| *m == 0xE0), "{markers:x?}");
}

/// The APPn markers (0xE0..=0xEF) and comments (0xFE) in a JPEG's header.
fn app_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut found = Vec::new();
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        if marker == 0xDA {
            break;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if (0xE0..=0xEF).contains(&marker) || marker == 0xFE {
            found.push(marker);
        }
        i += 2 + len;
    }
    found
}

#[test]
fn the_same_picture_gives_the_same_photo_and_a_small_one_stays_its_size() {
    let small = RgbImage::from_fn(640, 480, |x, y| image::Rgb([x as u8, y as u8, 128]));
    let mut png = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let a = prepare(&png).unwrap();
    let b = prepare(&png).unwrap();
    assert_eq!(a, b, "content addressing needs a deterministic result");
    assert_eq!((a.reference.w, a.reference.h), (640, 480));
}

#[test]
fn a_thumbnail_is_about_320_px() {
    let p = prepare(camera_photo()).unwrap();
    let t = thumbnail(&p.bytes).unwrap();
    let (w, h) = inspect(&t).unwrap();
    assert_eq!(w.max(h), THUMB_EDGE_PX);
    assert!(t.len() < 40_000, "{} bytes", t.len());
}

#[test]
fn what_is_not_a_picture_is_refused_with_a_reason() {
    assert!(matches!(
        prepare(b"%PDF-1.7 not a photo"),
        Err(PhotoError::NotAPicture(_))
    ));
    assert!(matches!(prepare(&[]), Err(PhotoError::NotAPicture(_))));
    // A JPEG cut before its frame header: nothing to show. (A file cut later decodes with grey at its
    // end, as the decoder fills what is missing.)
    let cut = &camera_photo()[..40];
    assert!(prepare(cut).is_err());
}
