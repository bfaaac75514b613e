//! Opening a saved file (the lägesbild, an export) with the platform's own application: one small
//! interface, [`Opener`], chosen in `main` and handed to the UI in its services (`Services::opener`),
//! as the photo picker is:
//!
//! - [`SystemOpener`]: the desktop's default application for the file (`xdg-open`, `open`, `start`,
//!   through the `opener` crate);
//! - [`ShowPath`]: a phone, where the webview cannot hand a file to another app yet: the file stays saved
//!   and the screen shows its path (sharing comes later);
//! - a test's own opener that records what it was asked to open, instead of starting a browser.

use std::path::Path;

/// What became of a saved file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// Handed to the platform's application for it.
    Opened,
    /// Saved only: the person opens or shares it from its path.
    SavedOnly,
}

/// A way to show the person a saved file.
pub trait Opener: Send + Sync {
    /// Opens `path` (a file that exists), or says why it could not.
    fn open(&self, path: &Path) -> Result<Opened, String>;
    /// What it is, for logs.
    fn name(&self) -> &'static str;
}

/// The desktop's default application for the file.
#[cfg(feature = "desktop")]
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemOpener;

#[cfg(feature = "desktop")]
impl Opener for SystemOpener {
    fn open(&self, path: &Path) -> Result<Opened, String> {
        opener::open(path)
            .map(|()| Opened::Opened)
            .map_err(|e| e.to_string())
    }
    fn name(&self) -> &'static str {
        "system"
    }
}

/// No application to hand the file to: it stays saved and its path is shown.
#[derive(Debug, Default, Clone, Copy)]
pub struct ShowPath;

impl Opener for ShowPath {
    fn open(&self, _path: &Path) -> Result<Opened, String> {
        Ok(Opened::SavedOnly)
    }
    fn name(&self) -> &'static str {
        "show-path"
    }
}

/// The platform's own opener: the desktop's default application, or the path shown on a phone.
pub fn platform_opener() -> std::sync::Arc<dyn Opener> {
    #[cfg(feature = "desktop")]
    {
        std::sync::Arc::new(SystemOpener)
    }
    #[cfg(not(feature = "desktop"))]
    {
        std::sync::Arc::new(ShowPath)
    }
}
