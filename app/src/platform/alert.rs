//! The sound and vibration of a new alert (a level-1 disturbance, a cleaning task), per platform. The
//! banner on screen is the alert; this makes a phone in a pocket at 23:00 on a loud plaza noticed.
//!
//! - **Android**: the webview's Vibration API, `navigator.vibrate([pattern])` (as the save tick in
//!   `haptics.rs`: needs `android.permission.VIBRATE`), and a short two-tone beep through WebAudio.
//! - **iOS**: WKWebView has no `navigator.vibrate`; the beep only (a vibration needs UIKit's
//!   `UINotificationFeedbackGenerator`, not written yet).
//! - **Desktop**: the beep through the window's webview; outside a Dioxus runtime (a test, a thread) a
//!   log line only.
//!
//! Browsers start an `AudioContext` suspended until the page has had a tap (autoplay rules). A phone
//! in use has had one; a phone whose app was just started may stay silent until the first tap, and
//! vibrates anyway. The caller fires this once per alert (`ui/state/alerts.rs` keeps the mark).

use crate::store::AlertKind;

/// The vibration pattern (ms on, off, on...): long and insistent for an acute disturbance, shorter for
/// a task. Both far longer than the 30 ms save tick, so nobody takes one for the other.
pub fn vibration_pattern(kind: AlertKind) -> &'static [u32] {
    match kind {
        AlertKind::Acute => &[400, 150, 400, 150, 400],
        AlertKind::Task => &[250, 120, 250],
    }
}

/// The tone's two frequencies (Hz): a falling pair for acute, a rising one for a task.
fn tones(kind: AlertKind) -> (u32, u32) {
    match kind {
        AlertKind::Acute => (988, 740),
        AlertKind::Task => (660, 880),
    }
}

/// The script the webview runs: a guarded vibration (where `vibrate`), then a 0.5 s beep (where
/// WebAudio). Never throws.
pub fn alert_js(kind: AlertKind, vibrate: bool) -> String {
    let pattern = vibration_pattern(kind)
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let (a, b) = tones(kind);
    let vibrate = if vibrate {
        format!(
            "if (typeof navigator.vibrate === 'function') {{ navigator.vibrate([{pattern}]); }}"
        )
    } else {
        String::new()
    };
    format!(
        "try {{ {vibrate} \
         const C = window.AudioContext || window.webkitAudioContext; \
         if (C) {{ const c = new C(); const o = c.createOscillator(); const g = c.createGain(); \
         o.type = 'square'; o.frequency.setValueAtTime({a}, c.currentTime); \
         o.frequency.setValueAtTime({b}, c.currentTime + 0.25); g.gain.value = 0.25; \
         o.connect(g); g.connect(c.destination); o.start(); o.stop(c.currentTime + 0.5); \
         o.onended = () => c.close(); }} }} catch (e) {{}}"
    )
}

/// Sounds (and on Android vibrates) for one new alert. Never blocks and never fails.
pub fn alert_signal(kind: AlertKind) {
    tracing::info!("alert signal: {kind:?}");
    if dioxus::core::Runtime::try_current().is_none() {
        return;
    }
    let vibrate = cfg!(all(not(feature = "desktop"), not(target_os = "ios")));
    // Fire and forget: the script's result is of no interest.
    let _ = dioxus::document::eval(&alert_js(kind, vibrate));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_guarded_and_says_the_pattern() {
        let js = alert_js(AlertKind::Acute, true);
        assert!(js.starts_with("try {"), "{js}");
        assert!(
            js.contains("navigator.vibrate([400,150,400,150,400]);"),
            "{js}"
        );
        assert!(js.contains("window.AudioContext"), "{js}");
        assert!(!alert_js(AlertKind::Task, false).contains("vibrate"));
        assert_ne!(
            alert_js(AlertKind::Task, true),
            alert_js(AlertKind::Acute, true)
        );
        // Outside a Dioxus runtime it does nothing, and does not panic.
        alert_signal(AlertKind::Task);
    }
}
