//! The short vibration that confirms a save, per platform.
//!
//! - **Android**: the webview's Vibration API, `navigator.vibrate(30)`. Android's WebView hands it to the
//!   system vibrator when the app holds `android.permission.VIBRATE` (declared in `app/Dioxus.toml`)
//!   and the page has had a tap (Chromium's sticky user activation; a save always follows one).
//!   Without the permission the WebView logs a warning and nothing vibrates.
//! - **iOS**: WKWebView has no `navigator.vibrate`. A tick there needs UIKit's
//!   `UIImpactFeedbackGenerator` (style `.light`, `impactOccurred()`, on the main thread), reached
//!   through Objective-C (e.g. the `objc2-ui-kit` crate); until that is written it is a no-op.
//! - **Desktop**: no motor; a trace line only.
//!
//! Everywhere the visible "Sparad" toast is the confirmation; the tick is a courtesy for a phone in a
//! gloved hand.

/// How long the tick vibrates (ms): felt, but shorter than a notification's buzz.
#[cfg_attr(any(feature = "desktop", target_os = "ios"), allow(dead_code))] // phone webviews, tests
pub const TICK_MS: u32 = 30;
const _: () = assert!(TICK_MS <= 50, "a tick, not a buzz");

/// The script a phone's webview runs: a no-op where the webview has no Vibration API.
#[cfg_attr(any(feature = "desktop", target_os = "ios"), allow(dead_code))] // phone webviews, tests
pub fn vibrate_js(ms: u32) -> String {
    format!("if (typeof navigator.vibrate === 'function') {{ navigator.vibrate({ms}); }}")
}

/// One tick. Never blocks and never fails: a phone without a motor, or outside a Dioxus runtime (a
/// test, a background thread), simply does not vibrate.
pub fn tick() {
    tracing::trace!("haptic tick");
    #[cfg(all(not(feature = "desktop"), not(target_os = "ios")))]
    vibrate_in_webview();
}

/// Asks the webview to vibrate (Android; harmless in any other webview without the API).
#[cfg(all(not(feature = "desktop"), not(target_os = "ios")))]
fn vibrate_in_webview() {
    if dioxus::core::Runtime::try_current().is_none() {
        return;
    }
    // Fire and forget: the script's result is of no interest.
    let _ = dioxus::document::eval(&vibrate_js(TICK_MS));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_guarded_and_short() {
        let js = vibrate_js(TICK_MS);
        assert!(js.starts_with("if (typeof navigator.vibrate === 'function')"));
        assert!(js.contains("navigator.vibrate(30);"));
        // Outside a Dioxus runtime a tick does nothing, and does not panic.
        tick();
    }
}
