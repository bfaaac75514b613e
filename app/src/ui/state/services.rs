//! The services the app runs on (store, site plan, sync engine, clock, platform parts), handed to the root
//! component as a context.

use std::sync::{Arc, Mutex, MutexGuard};

use torgkoll_shared::Site;

use super::SitePlan;
use crate::platform::{Clock, NoPicker, NoPosition, Opener, PhotoPicker, PositionSource, ShowPath};
use crate::store::Store;
use crate::sync::SyncHandle;

/// What the app runs on, handed to the root component as a context. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<Mutex<Store>>,
    pub site: Arc<Site>,
    /// The site plan as SVG paths, computed once.
    pub plan: Arc<SitePlan>,
    /// The sync engine; `None` when the app runs without a server (demo, tests of the UI alone).
    pub sync: Option<Arc<SyncHandle>>,
    /// What the first-start screen is prefilled with, and why an enrollment at start failed.
    pub server_hint: Option<String>,
    pub startup_error: Option<crate::sync::Failure>,
    /// The phone's one clock: everything on screen that needs the time reads it here.
    pub clock: Arc<dyn Clock>,
    /// Where the phone is (`platform::position`): none until `main` chooses a source.
    pub position: Arc<dyn PositionSource>,
    /// Where photos come from (`platform::photos`): none until `main` chooses a picker.
    pub photos: Arc<dyn PhotoPicker>,
    /// What shows a saved lägesbild or export (`platform::open`): its path until `main` chooses.
    pub opener: Arc<dyn Opener>,
    /// Where the phone keeps the site plan its server gives it (`site_file`): the enrollment screen
    /// fetches it there before the first map shows. `None`: the plan it started with stays.
    pub site_file: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("site", &self.site.id)
            .field("sync", &self.sync.is_some())
            .field("position", &self.position.name())
            .field("photos", &self.photos.name())
            .field("opener", &self.opener.name())
            .finish()
    }
}

impl Services {
    /// The services of a phone without a sync engine yet (see [`Services::sync`]).
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        let site = store.site().clone();
        Services {
            store: Arc::new(Mutex::new(store)),
            plan: Arc::new(SitePlan::of(&site)),
            site,
            sync: None,
            server_hint: None,
            startup_error: None,
            clock,
            position: Arc::new(NoPosition),
            photos: Arc::new(NoPicker),
            opener: Arc::new(ShowPath),
            site_file: None,
        }
    }

    /// The same services on the site plan the store works with now, if that is another plan (after
    /// [`Store::set_site`]); `None` when they are on it already.
    pub fn on_store_site(&self) -> Option<Services> {
        let site = self.store().site().clone();
        (!Arc::ptr_eq(&site, &self.site)).then(|| Services {
            plan: Arc::new(SitePlan::of(&site)),
            site,
            ..self.clone()
        })
    }

    /// The same services with an opener for saved files.
    pub fn with_opener(mut self, opener: Arc<dyn Opener>) -> Self {
        self.opener = opener;
        self
    }

    /// The same services with a photo picker.
    pub fn with_photos(mut self, photos: Arc<dyn PhotoPicker>) -> Self {
        self.photos = photos;
        self
    }

    /// The same services with a position source.
    pub fn with_position(mut self, position: Arc<dyn PositionSource>) -> Self {
        self.position = position;
        self
    }

    /// Now, by the phone's clock (ms since the epoch).
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The store, locked. A panic while it was held cannot leave a half-written transaction behind
    /// (SQLite rolls it back), so a poisoned lock is taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}
