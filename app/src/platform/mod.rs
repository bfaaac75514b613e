//! Platform specifics, each with a desktop fallback: where the data lives, the position from a positioning
//! system, a haptic tick on save, the clipboard, printing, and the wall clock. Everything outside this module (and `main.rs`) is
//! free of desktop-only APIs, so the same UI builds for a phone.

pub mod clock;
#[cfg(feature = "desktop")]
pub mod desktop;

pub use clock::{Clock, ManualClock, SystemClock};

use std::path::PathBuf;

use torgkoll_shared::GeoPoint;

/// A position from the platform's positioning system, with its horizontal accuracy in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fix {
    pub at: GeoPoint,
    pub accuracy_m: f32,
    /// When it was taken (ms since the epoch).
    pub t: i64,
}

/// The directory the app keeps its database in when none is given: the platform's usual place for app
/// data (`~/.local/share/torgkoll` on Linux, `Application Support` on macOS, `AppData` on Windows), or
/// `./torgkoll-data` where the platform names none. On Android `directories` has no answer: a phone
/// build passes the app's files directory (`Context.getFilesDir()`) as `--data-dir`/`TORGKOLL_DATA_DIR`.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("se", "Torgkoll", "torgkoll")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("torgkoll-data"))
}

/// The latest position fix, if this platform has a positioning system and it has a fix.
///
/// The desktop has no positioning system: it returns `None`, and the place of a report or a run point is
/// a tap on the site plan, as it is on a phone without a fix. A phone build plugs its location service in
/// here; a missing fix never blocks anything.
pub fn current_fix() -> Option<Fix> {
    None
}

/// A short vibration confirming a save. The desktop has no vibration motor, so nothing happens there;
/// the visible "Sparad" toast is the confirmation on every platform.
pub fn haptic_tick() {
    tracing::trace!("haptic tick");
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
