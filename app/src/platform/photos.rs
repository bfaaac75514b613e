//! Where a photo comes from: one small interface, [`PhotoPicker`], chosen in `main` and handed to the UI
//! in its services (`Services::photos`):
//!
//! - [`WebviewCamera`](super::photo_input::WebviewCamera): the phone's camera through the webview's file
//!   input (`capture="environment"`), on Android and iOS;
//! - a native file dialog on the desktop (`desktop::FileDialog`, through `rfd`);
//! - [`ScriptedPick`]: a given file, without asking (`--photo-pick`, `TORGKOLL_PHOTO_PICK`), for window
//!   tests, screenshots and demos;
//! - [`NoPicker`]: none; the button says there is no camera.
//!
//! A picker answers the picture's bytes as the camera or the file has them; the caller processes them
//! (`torgkoll_shared::photo::prepare`) off the UI thread before anything is saved.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// What a pick gives: the picture's bytes, `None` when the person cancelled, or why it failed.
pub type Picked = Result<Option<Vec<u8>>, String>;

/// A pick under way. Not `Send`: a webview's pick lives on the UI's thread.
pub type Picking = Pin<Box<dyn Future<Output = Picked>>>;

/// A source of pictures the app can ask for one.
pub trait PhotoPicker: Send + Sync {
    /// Asks for one picture. Must be called from the UI (an event handler): a phone opens its camera
    /// only in answer to a tap.
    fn pick(&self) -> Picking;
    /// What it is, for logs.
    fn name(&self) -> &'static str;
}

/// No way to take a photo.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPicker;

impl PhotoPicker for NoPicker {
    fn pick(&self) -> Picking {
        Box::pin(async { Err("this device has no camera or file picker".to_owned()) })
    }
    fn name(&self) -> &'static str {
        "none"
    }
}

/// A given file, every time, without asking.
#[derive(Debug, Clone)]
pub struct ScriptedPick(pub PathBuf);

impl PhotoPicker for ScriptedPick {
    fn pick(&self) -> Picking {
        let path = self.0.clone();
        Box::pin(async move {
            std::fs::read(&path)
                .map(Some)
                .map_err(|e| format!("{}: {e}", path.display()))
        })
    }
    fn name(&self) -> &'static str {
        "scripted"
    }
}

/// The platform's own picker: the file dialog on the desktop, the camera through the webview on a phone.
pub fn platform_picker() -> std::sync::Arc<dyn PhotoPicker> {
    #[cfg(feature = "desktop")]
    {
        std::sync::Arc::new(super::desktop::FileDialog)
    }
    #[cfg(not(feature = "desktop"))]
    {
        std::sync::Arc::new(super::photo_input::WebviewCamera)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scripted_pick_reads_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.jpg");
        std::fs::write(&p, b"jpeg").unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(
            rt.block_on(ScriptedPick(p).pick()),
            Ok(Some(b"jpeg".to_vec()))
        );
        assert!(rt.block_on(NoPicker.pick()).is_err());
    }
}
