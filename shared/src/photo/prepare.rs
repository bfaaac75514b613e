//! Making a photo small and clean: decoded, turned upright, scaled to at most [`MAX_EDGE_PX`] on its long
//! edge and re-encoded as a JPEG of at most [`MAX_PHOTO_BYTES`]. Re-encoding writes pixels only, so EXIF
//! (GPS position, phone model, time), XMP, ICC profiles and comments are all left behind.
//!
//! Pure: bytes in, bytes out. It is slow for a 12-megapixel photo (hundreds of milliseconds), so callers
//! run it off their UI or request thread.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::{MAX_EDGE_PX, MAX_PHOTO_BYTES, PhotoRef, THUMB_EDGE_PX};

/// The largest picture accepted as input, per edge: beyond any phone camera, below a decompression bomb.
const MAX_INPUT_EDGE_PX: u32 = 12_000;
/// The most memory decoding one picture may take.
const MAX_INPUT_ALLOC: u64 = 700 << 20;
/// JPEG qualities tried in turn until the photo fits.
const QUALITIES: [u8; 5] = [85, 75, 65, 55, 45];
const THUMB_QUALITY: u8 = 70;

/// Why a picture cannot be used.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("the file is not a picture this app can read ({0})")]
    NotAPicture(String),
    #[error("the picture is too large ({0} × {1} pixels)")]
    TooLarge(u32, u32),
    #[error("the picture could not be encoded ({0})")]
    Encode(String),
}

/// A photo ready to be saved: its processed bytes and the reference an operation carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub reference: PhotoRef,
}

/// SHA-256 of `bytes` in lowercase hex: a photo's name.
pub fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode(input: &[u8]) -> Result<DynamicImage, PhotoError> {
    let bad = |e: image::ImageError| PhotoError::NotAPicture(e.to_string());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_INPUT_EDGE_PX);
    limits.max_image_height = Some(MAX_INPUT_EDGE_PX);
    limits.max_alloc = Some(MAX_INPUT_ALLOC);
    let mut reader = ImageReader::new(Cursor::new(input))
        .with_guessed_format()
        .map_err(|e| PhotoError::NotAPicture(e.to_string()))?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge(0, 0),
        e => bad(e),
    })?;
    let (w, h) = decoder.dimensions();
    if w > MAX_INPUT_EDGE_PX || h > MAX_INPUT_EDGE_PX {
        return Err(PhotoError::TooLarge(w, h));
    }
    // A phone stores a portrait photo sideways with an orientation tag; the tag goes with the EXIF.
    let orientation = decoder.orientation().map_err(bad)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(bad)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Scales `img` to fit within `edge` on its long edge (never up).
fn fit(img: DynamicImage, edge: u32) -> DynamicImage {
    if img.width().max(img.height()) <= edge {
        return img;
    }
    // A cheap box reduction to about twice the size, then a proper filter for the last step.
    let img = if img.width().max(img.height()) > edge * 3 {
        img.thumbnail(edge * 2, edge * 2)
    } else {
        img
    };
    img.resize(edge, edge, FilterType::Triangle)
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    img.to_rgb8()
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality))
        .map_err(|e| PhotoError::Encode(e.to_string()))?;
    Ok(out)
}

/// Makes a picture (JPEG, PNG or WebP, any size a camera makes) into a photo to save and send.
pub fn prepare(input: &[u8]) -> Result<Prepared, PhotoError> {
    let mut img = fit(decode(input)?, MAX_EDGE_PX);
    loop {
        for q in QUALITIES {
            let bytes = jpeg(&img, q)?;
            if bytes.len() <= MAX_PHOTO_BYTES as usize {
                let reference = PhotoRef {
                    hash: hash_hex(&bytes),
                    bytes: bytes.len() as u32,
                    w: img.width(),
                    h: img.height(),
                };
                return Ok(Prepared { bytes, reference });
            }
        }
        // Still too large at the lowest quality (a picture of pure noise): smaller, and again.
        let edge = img.width().max(img.height()) * 3 / 4;
        img = fit(img, edge.max(1));
    }
}

/// A thumbnail of a processed photo: at most [`THUMB_EDGE_PX`] on its long edge, as a JPEG.
pub fn thumbnail(photo: &[u8]) -> Result<Vec<u8>, PhotoError> {
    jpeg(&fit(decode(photo)?, THUMB_EDGE_PX), THUMB_QUALITY)
}

/// The pixel size of a picture, read from its header only.
pub fn inspect(bytes: &[u8]) -> Result<(u32, u32), PhotoError> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::NotAPicture(e.to_string()))?
        .into_dimensions()
        .map_err(|e| PhotoError::NotAPicture(e.to_string()))
}
