//! Photo files beside the database: `photos/<hash>.jpg` and `photos/thumbs/<hash>.jpg`, named by the
//! SHA-256 of the processed photo (a thumbnail carries its photo's name).
//!
//! A file is written to a temporary name, fsynced, renamed into place and its directory fsynced, so a
//! name that exists always holds the whole file, and it is on disk before the operation naming it is
//! committed: the operation is durable at the tap and never names a missing file.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use torgkoll_shared::photo::is_hash;

/// The photo directory of the database at `db`.
pub(crate) fn dir_beside(db: &Path) -> PathBuf {
    db.parent()
        .map_or_else(|| PathBuf::from("photos"), |d| d.join("photos"))
}

/// The file of a photo (or, with `thumb`, of its thumbnail) under `dir`. `None` for a name that is not
/// a hash (it becomes a file name).
pub(crate) fn path_of(dir: &Path, hash: &str, thumb: bool) -> Option<PathBuf> {
    if !is_hash(hash) {
        return None;
    }
    let file = format!("{hash}.jpg");
    Some(if thumb {
        dir.join("thumbs").join(file)
    } else {
        dir.join(file)
    })
}

/// Writes `bytes` durably to `path` (tmp, fsync, rename, fsync of the directory). A file already there
/// is left alone: its name is its content.
pub(crate) fn write_durable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("a photo file needs a directory"))?;
    fs::create_dir_all(dir)?;
    let tmp = path.with_extension("jpg.tmp");
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(dir)
}

/// Makes a rename inside `dir` durable. Directories cannot be opened as files on Windows; there the
/// rename is as durable as the file system makes it.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Removes a photo's files (after an attach that could not be recorded). Missing files are fine.
pub(crate) fn remove(dir: &Path, hash: &str) {
    for thumb in [false, true] {
        if let Some(p) = path_of(dir, hash, thumb) {
            let _ = fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_whole_under_its_name_and_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let hash = "ab".repeat(32);
        let p = path_of(dir.path(), &hash, true).unwrap();
        write_durable(&p, b"first").unwrap();
        write_durable(&p, b"second").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"first");
        assert!(!p.with_extension("jpg.tmp").exists());
        assert!(path_of(dir.path(), "../../etc/passwd", false).is_none());
    }
}
