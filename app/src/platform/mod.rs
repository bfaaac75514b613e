//! Platform specifics, each with a desktop fallback: where the data lives, the position from a positioning
//! system, a photo from the camera or a file, a haptic tick on save, an alert's sound and vibration, the
//! clipboard, printing, and the wall clock. Everything outside this module (and `main.rs`) is free of
//! desktop-only APIs, so the same UI builds for a phone.

pub mod alert;
#[cfg(target_os = "android")]
mod android;
pub mod clock;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod geolocation;
mod haptics;
pub mod open;
pub mod photo_input;
pub mod photos;
pub mod position;
pub mod replay;

pub use alert::alert_signal;
pub use clock::{Clock, ManualClock, SystemClock};
pub use open::{Opened, Opener, ShowPath};
pub use photos::{NoPicker, PhotoPicker, ScriptedPick};
pub use position::{Fix, NoPosition, PositionSource};

use std::path::PathBuf;

/// The directory the app keeps its database in when none is given: the platform's usual place for app
/// data (`~/.local/share/torgkoll` on Linux, `Application Support` on macOS, `AppData` on Windows), or
/// `./torgkoll-data` where the platform names none.
///
/// On Android it is the app's private files directory from its Context (`Context.getFilesDir()`, see
/// `android.rs`): a launcher passes no `--data-dir`. On iOS `directories` answers from the app's
/// sandbox (`$HOME` is the app's container there): `Library/Application Support/se.Torgkoll.torgkoll`.
pub fn default_data_dir() -> PathBuf {
    #[cfg(target_os = "android")]
    if let Some(dir) = android::files_dir() {
        return dir;
    }
    directories::ProjectDirs::from("se", "Torgkoll", "torgkoll")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("torgkoll-data"))
}

/// A short vibration confirming a save: the webview's `navigator.vibrate` on Android, nothing yet on iOS
/// (WKWebView has no Vibration API), nothing on the desktop (no motor). The visible "Sparad" toast is
/// the confirmation on every platform (`haptics.rs`).
pub fn haptic_tick() {
    haptics::tick();
}

/// Puts text on the clipboard (the guard's shift list, for the duty report). The desktop uses the
/// system clipboard; a phone's webview its clipboard API (allowed after a tap, in a secure context).
pub async fn copy_text(text: String) -> Result<(), String> {
    #[cfg(feature = "desktop")]
    {
        desktop::copy_text(&text)
    }
    #[cfg(not(feature = "desktop"))]
    {
        let js = format!(
            "await navigator.clipboard.writeText({}); return true;",
            serde_json::to_string(&text).map_err(|e| e.to_string())?
        );
        dioxus::document::eval(&js)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Opens the platform's print dialog for the page on screen (the webview's own, on every platform).
pub fn print_page() {
    let _ = dioxus::document::eval("window.print();");
}

static READY_PROBE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Registers what to do once the map is on the screen and takes input (the start-up benchmark's probe).
pub fn set_ready_probe(f: fn()) {
    let _ = READY_PROBE.set(f);
}

/// Called by the map when it has been mounted with its event handlers attached.
pub fn map_ready() {
    if let Some(f) = READY_PROBE.get() {
        f();
    }
}
