//! The photos the server holds operations of but no file for, by the device that attached them, so that
//! each sync answer can ask that device for them again (`photos_wanted`, docs/PROTOCOL.md "Restore").
//!
//! A server restored from a backup may hold a photo's operation (pushed before the backup) without the
//! photo (uploaded after it, and lost with the disk). The phone saw the upload finish and, having lost no
//! operation, has no other reason to send it again. The server finds such photos once, at start (a
//! restore always ends with a start), by looking for the file of every photo its operations name. Photos
//! whose upload simply had not finished are found too; asking their phone again is harmless (it is
//! uploading them anyway).
//!
//! An entry goes when its file is complete (checked as the answer is made, so an upload through any
//! route or process counts) or when retention removes the photo. Nothing is written: the set is made
//! again from the database and the files at every start.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use torgkoll_shared::photo::is_hash;
use torgkoll_shared::protocol::PHOTOS_WANTED_MAX;
use uuid::Uuid;

use super::files::PhotoFiles;
use crate::store::{Result, ServerStore};

/// The photos wanted again, by device. Cloning shares the set.
#[derive(Clone, Debug, Default)]
pub struct WantedPhotos {
    by_device: Arc<Mutex<HashMap<Uuid, BTreeSet<String>>>>,
}

impl WantedPhotos {
    /// Every photo the store's operations name (and retention has not removed) whose file is not
    /// complete in the store's photos directory.
    pub fn find(store: &dyn ServerStore) -> Result<WantedPhotos> {
        let files = PhotoFiles::new(store.photos_dir());
        let mut by_device: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
        for (device, hash) in store.photo_owners()? {
            if is_hash(&hash) && !is_complete(&files, &hash) {
                by_device.entry(device).or_default().insert(hash);
            }
        }
        Ok(WantedPhotos {
            by_device: Arc::new(Mutex::new(by_device)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Uuid, BTreeSet<String>>> {
        self.by_device
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// How many photos are wanted, over every device.
    pub fn len(&self) -> usize {
        self.lock().values().map(BTreeSet::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The photos to ask `device` for in this answer (at most [`PHOTOS_WANTED_MAX`]), after dropping
    /// those whose file is complete by now.
    pub fn for_device(&self, device: Uuid, files: &PhotoFiles) -> Vec<String> {
        let mut map = self.lock();
        let Some(set) = map.get_mut(&device) else {
            return Vec::new();
        };
        set.retain(|hash| !is_complete(files, hash));
        let out: Vec<String> = set.iter().take(PHOTOS_WANTED_MAX).cloned().collect();
        if set.is_empty() {
            map.remove(&device);
        }
        out
    }

    /// Retention removed the photo: nobody is asked for it any more.
    pub fn forget(&self, hash: &str) {
        let mut map = self.lock();
        map.retain(|_, set| {
            set.remove(hash);
            !set.is_empty()
        });
    }
}

/// Whether the photo's file is complete; an unreadable directory counts as not (asking again is
/// harmless, the upload asks first).
fn is_complete(files: &PhotoFiles, hash: &str) -> bool {
    matches!(files.complete_len(hash), Ok(Some(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(n: u8) -> String {
        format!("{n:02x}").repeat(32)
    }

    fn wanted(entries: &[(Uuid, String)]) -> WantedPhotos {
        let w = WantedPhotos::default();
        for (d, h) in entries {
            w.lock().entry(*d).or_default().insert(h.clone());
        }
        w
    }

    #[test]
    fn a_photo_whose_file_is_complete_is_no_longer_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let files = PhotoFiles::new(dir.path());
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let w = wanted(&[(a, hash(1)), (a, hash(2)), (b, hash(3))]);
        assert_eq!(w.for_device(a, &files), vec![hash(1), hash(2)]);
        assert_eq!(
            w.for_device(Uuid::from_u128(9), &files),
            Vec::<String>::new()
        );
        files.append(&hash(1), b"jpeg").unwrap();
        // Under way is not complete.
        assert_eq!(w.for_device(a, &files), vec![hash(1), hash(2)]);
        files.complete(&hash(1), b"thumb").unwrap();
        assert_eq!(w.for_device(a, &files), vec![hash(2)]);
        assert_eq!(w.len(), 2);
        w.forget(&hash(2));
        assert_eq!(w.for_device(a, &files), Vec::<String>::new());
        assert_eq!(w.for_device(b, &files), vec![hash(3)]);
    }

    #[test]
    fn an_answer_asks_for_a_bounded_number() {
        let dir = tempfile::tempdir().unwrap();
        let files = PhotoFiles::new(dir.path());
        let a = Uuid::from_u128(1);
        let many: Vec<_> = (0..100).map(|n| (a, hash(n))).collect();
        let w = wanted(&many);
        let first = w.for_device(a, &files);
        assert_eq!(first.len(), PHOTOS_WANTED_MAX);
        assert_eq!(first[0], hash(0));
    }
}
