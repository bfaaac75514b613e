//! Photos attached to reports: what the attaching operation carries, the limits both sides check, the
//! upload's wire types, and (in [`prepare`]) the processing that makes a photo small and clean before the
//! phone saves it.
//!
//! A photo is content-addressed: its name is the SHA-256 of its processed bytes, so the same photo is
//! stored and sent once, and a receiver can verify what it got.

mod prepare;

pub use prepare::{PhotoError, Prepared, hash_hex, inspect, prepare, thumbnail};

use serde::{Deserialize, Serialize};

/// The most photos one report may carry.
pub const MAX_PHOTOS_PER_REPORT: usize = 4;
/// The longest edge of a processed photo, in pixels.
pub const MAX_EDGE_PX: u32 = 1600;
/// The largest processed photo, in bytes.
pub const MAX_PHOTO_BYTES: u32 = 250_000;
/// The longest edge of a thumbnail, in pixels.
pub const THUMB_EDGE_PX: u32 = 320;
/// The size of one upload chunk: what a cut can cost at most.
pub const UPLOAD_CHUNK_BYTES: usize = 64 * 1024;

/// A processed photo, as the operation that attaches it names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PhotoRef {
    /// SHA-256 of the processed bytes, 64 lowercase hex digits.
    pub hash: String,
    /// Size in bytes.
    pub bytes: u32,
    /// Width in pixels.
    pub w: u32,
    /// Height in pixels.
    pub h: u32,
}

impl PhotoRef {
    /// Whether the reference is possible: a well-formed hash and sizes within the limits.
    pub fn is_valid(&self) -> bool {
        is_hash(&self.hash)
            && (1..=MAX_PHOTO_BYTES).contains(&self.bytes)
            && (1..=MAX_EDGE_PX).contains(&self.w)
            && (1..=MAX_EDGE_PX).contains(&self.h)
    }
}

/// Whether `s` is a SHA-256 in lowercase hex: what a photo's name must be (it becomes a file name).
pub fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// How much of a photo the server holds: the answer to every upload request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    /// Bytes received so far; the next chunk starts here.
    pub received: u64,
    /// The whole photo is stored and verified.
    pub complete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_checked() {
        let good = PhotoRef {
            hash: "ab".repeat(32),
            bytes: 1000,
            w: 1600,
            h: 1200,
        };
        assert!(good.is_valid());
        for bad in [
            PhotoRef {
                hash: "AB".repeat(32),
                ..good.clone()
            },
            PhotoRef {
                hash: "../etc/passwd".into(),
                ..good.clone()
            },
            PhotoRef {
                bytes: MAX_PHOTO_BYTES + 1,
                ..good.clone()
            },
            PhotoRef {
                w: 1601,
                ..good.clone()
            },
            PhotoRef { h: 0, ..good },
        ] {
            assert!(!bad.is_valid(), "{bad:?}");
        }
    }
}
