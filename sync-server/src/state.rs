//! What every handler shares: the store, the site plan, the clock and the limits.

use std::sync::Arc;

use torgkoll_shared::Site;

use crate::clock::Clock;
use crate::store::ServerStore;

/// Bounds on what one request may carry and one answer may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, both as sent (compressed) and once inflated.
    pub max_body_bytes: usize,
    /// The most operations one push may carry.
    pub max_ops: usize,
    /// The most operations one answer carries.
    pub page_size: u32,
}

impl Limits {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
    pub const DEFAULT_MAX_OPS: usize = 10_000;
    pub const DEFAULT_PAGE_SIZE: u32 = 5_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_ops: Self::DEFAULT_MAX_OPS,
            page_size: Self::DEFAULT_PAGE_SIZE,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ServerStore>,
    pub site: Arc<Site>,
    pub clock: Arc<dyn Clock>,
    pub limits: Limits,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("site", &self.site.id)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}
