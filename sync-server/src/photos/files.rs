//! Photo files on disk, content-addressed (docs/PROTOCOL.md, "Storage and retention"):
//!
//! - `<dir>/<hash>.jpg`: a complete, verified photo;
//! - `<dir>/partial/<hash>`: an upload under way, appended chunk by chunk;
//! - `<dir>/thumbs/<hash>.jpg`: the thumbnail of a complete photo, made before the photo gets its name.
//!
//! Every change is on disk before it is answered: a chunk is fsynced, a new name is made by `rename` and the
//! directory fsynced, so a power cut leaves either the old state or the new one. Callers pass only
//! checked hashes ([`torgkoll_shared::photo::is_hash`]), so a name never leaves the directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use torgkoll_shared::photo::is_hash;

/// One upload or purge of a photo at a time: a lock per stripe of hashes, shared by every directory in
/// the process (a photo's files are changed only while its stripe is held).
static STRIPES: [Mutex<()>; 64] = [const { Mutex::new(()) }; 64];

/// The photos directory of a database when `--photos-dir` is not given: its path with `.photos` appended.
pub fn default_dir(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".photos");
    PathBuf::from(name)
}

/// Which file of a complete photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Photo,
    Thumb,
}

/// The photo files of one server.
#[derive(Clone, Debug)]
pub struct PhotoFiles {
    root: PathBuf,
}

/// The directory of `path` made durable: its entries (a new or renamed file) survive a power cut.
fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// `Ok(None)` for a file that is not there.
fn absent_ok<T>(r: io::Result<T>) -> io::Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl PhotoFiles {
    pub fn new(root: impl Into<PathBuf>) -> PhotoFiles {
        PhotoFiles { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates the directory and its `partial/` and `thumbs/` (nothing if they exist).
    pub fn create_dirs(&self) -> io::Result<()> {
        fs::create_dir_all(self.root.join("partial"))?;
        fs::create_dir_all(self.root.join("thumbs"))
    }

    /// Holds off every other upload or purge of `hash` until the guard is dropped.
    pub fn lock(hash: &str) -> MutexGuard<'static, ()> {
        let stripe = usize::from_str_radix(hash.get(..2).unwrap_or("0"), 16).unwrap_or(0);
        STRIPES[stripe % STRIPES.len()]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn path(&self, hash: &str, v: Variant) -> PathBuf {
        debug_assert!(is_hash(hash), "unchecked photo name {hash:?}");
        match v {
            Variant::Photo => self.root.join(format!("{hash}.jpg")),
            Variant::Thumb => self.root.join("thumbs").join(format!("{hash}.jpg")),
        }
    }

    fn partial(&self, hash: &str) -> PathBuf {
        debug_assert!(is_hash(hash), "unchecked photo name {hash:?}");
        self.root.join("partial").join(hash)
    }

    /// The size of the complete photo, if it is stored.
    pub fn complete_len(&self, hash: &str) -> io::Result<Option<u64>> {
        Ok(absent_ok(fs::metadata(self.path(hash, Variant::Photo)))?.map(|m| m.len()))
    }

    /// How many bytes of an upload under way are stored (0 if none).
    pub fn received(&self, hash: &str) -> io::Result<u64> {
        Ok(absent_ok(fs::metadata(self.partial(hash)))?.map_or(0, |m| m.len()))
    }

    /// Appends `bytes` to the upload of `hash` and makes them durable; answers the new size.
    pub fn append(&self, hash: &str, bytes: &[u8]) -> io::Result<u64> {
        let path = self.partial(hash);
        let created = !path.exists();
        if created {
            self.create_dirs()?;
        }
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(bytes)?;
        file.sync_data()?;
        if created {
            sync_dir(&self.root.join("partial"))?;
        }
        Ok(file.metadata()?.len())
    }

    /// The bytes of the upload under way.
    pub fn read_partial(&self, hash: &str) -> io::Result<Vec<u8>> {
        fs::read(self.partial(hash))
    }

    /// Throws the upload under way away.
    pub fn discard_partial(&self, hash: &str) -> io::Result<()> {
        if absent_ok(fs::remove_file(self.partial(hash)))?.is_some() {
            sync_dir(&self.root.join("partial"))?;
        }
        Ok(())
    }

    /// Makes the verified upload a complete photo: its thumbnail first, then the photo's final name.
    pub fn complete(&self, hash: &str, thumb: &[u8]) -> io::Result<()> {
        self.create_dirs()?;
        let thumb_path = self.path(hash, Variant::Thumb);
        let tmp = thumb_path.with_extension("tmp");
        let mut file = File::create(&tmp)?;
        file.write_all(thumb)?;
        file.sync_all()?;
        fs::rename(&tmp, &thumb_path)?;
        sync_dir(&self.root.join("thumbs"))?;
        fs::rename(self.partial(hash), self.path(hash, Variant::Photo))?;
        sync_dir(&self.root)?;
        sync_dir(&self.root.join("partial"))
    }

    /// The bytes of a complete photo or its thumbnail, if stored.
    pub fn read(&self, hash: &str, v: Variant) -> io::Result<Option<Vec<u8>>> {
        if v == Variant::Thumb && self.complete_len(hash)?.is_none() {
            return Ok(None);
        }
        absent_ok(fs::read(self.path(hash, v)))
    }

    /// Removes every file of `hash` (photo, thumbnail, upload under way); whether there was any.
    pub fn remove(&self, hash: &str) -> io::Result<bool> {
        let mut any = false;
        for (path, dir) in [
            (self.path(hash, Variant::Photo), self.root.clone()),
            (self.path(hash, Variant::Thumb), self.root.join("thumbs")),
            (self.partial(hash), self.root.join("partial")),
        ] {
            if absent_ok(fs::remove_file(&path))?.is_some() {
                sync_dir(&dir)?;
                any = true;
            }
        }
        Ok(any)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_directory_is_beside_the_database() {
        assert_eq!(
            default_dir(Path::new("/var/lib/torgkoll.db")),
            PathBuf::from("/var/lib/torgkoll.db.photos")
        );
    }

    #[test]
    fn an_upload_appends_completes_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let files = PhotoFiles::new(dir.path().join("p"));
        let hash = "ab".repeat(32);
        assert_eq!(files.received(&hash).unwrap(), 0);
        assert_eq!(files.append(&hash, b"abc").unwrap(), 3);
        assert_eq!(files.append(&hash, b"de").unwrap(), 5);
        assert_eq!(files.read_partial(&hash).unwrap(), b"abcde");
        assert_eq!(files.read(&hash, Variant::Thumb).unwrap(), None);
        files.complete(&hash, b"thumb").unwrap();
        assert_eq!(files.received(&hash).unwrap(), 0);
        assert_eq!(files.complete_len(&hash).unwrap(), Some(5));
        assert_eq!(
            files.read(&hash, Variant::Thumb).unwrap().as_deref(),
            Some(&b"thumb"[..])
        );
        assert!(files.remove(&hash).unwrap());
        assert!(!files.remove(&hash).unwrap());
        assert_eq!(files.read(&hash, Variant::Photo).unwrap(), None);
    }
}
