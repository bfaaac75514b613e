//! Documents the manager fetched from the server (the lägesbild, exports), kept in `exports/` beside
//! the database so they can be opened, shared or printed later, offline too.
//!
//! A document is written to a temporary name and renamed into place: a name that exists always holds a
//! whole document. Fetching the same one again replaces it.

use std::path::{Path, PathBuf};

use super::Store;

impl Store {
    /// Where fetched documents are kept (`exports/` in the data directory, beside `photos/`); `None`
    /// for an in-memory store.
    pub fn exports_dir(&self) -> Option<PathBuf> {
        self.photos_dir
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("exports"))
    }
}

/// Writes `bytes` as `dir/name` (the directory made if needed), replacing an older copy. `name` must be
/// a plain file name.
pub fn save_document(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("'{name}' is not a plain file name"),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_replaces_its_older_copy_and_odd_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let exports = dir.path().join("exports");
        let p = save_document(&exports, "lagesbild-2026-11-30.html", b"one").unwrap();
        save_document(&exports, "lagesbild-2026-11-30.html", b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&exports).unwrap().count(), 1);
        for bad in ["", "../x.csv", ".hidden", "a/b.csv"] {
            assert!(save_document(&exports, bad, b"x").is_err(), "{bad}");
        }
    }
}
