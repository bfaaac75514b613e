//! The webview's geolocation: `navigator.geolocation.watchPosition` through Dioxus's eval. It serves
//! Android's WebView, iOS's WKWebView and WebKitGTK on a desktop whose system has a location service
//! (GeoClue); where there is none, or the user says no, the source simply has no fix and every place is
//! a tap. docs/MOBILE.md lists the permissions each platform needs.
//!
//! Watching starts on the first [`PositionSource::start`] (a run starts, or the first "where I stand"),
//! which must come from the UI (an event handler): that is when the webview asks for the permission.
//! Each fix is stamped with the phone's one clock when it arrives.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use torgkoll_shared::GeoPoint;

use super::clock::Clock;
use super::position::{Fix, PositionSource};

/// How many fixes are kept for the run recorder (about five minutes at one a second).
const KEEP: usize = 300;

/// What the page sends for each position or error.
const WATCH_JS: &str = r#"
if (!('geolocation' in navigator)) {
    dioxus.send({ error: 'no geolocation in this webview' });
    return;
}
navigator.geolocation.watchPosition(
    (p) => dioxus.send({ lon: p.coords.longitude, lat: p.coords.latitude, acc: p.coords.accuracy }),
    (e) => dioxus.send({ error: (e && e.message) || ('error ' + (e && e.code)) }),
    { enableHighAccuracy: true, maximumAge: 1000, timeout: 30000 }
);
await new Promise(() => {});
"#;

#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    Fix { lon: f64, lat: f64, acc: f64 },
    Error { error: String },
}

#[derive(Default)]
struct State {
    started: bool,
    fixes: VecDeque<Fix>,
}

/// The webview's positioning, stamped with the phone's clock.
#[derive(Clone)]
pub struct Geolocation {
    state: Arc<Mutex<State>>,
    clock: Arc<dyn Clock>,
}

impl Geolocation {
    pub fn new(clock: Arc<dyn Clock>) -> Geolocation {
        Geolocation {
            state: Arc::default(),
            clock,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, lon: f64, lat: f64, acc: f64) {
        let at = GeoPoint::new(lon, lat);
        if !at.is_finite() || !acc.is_finite() || acc < 0.0 {
            return;
        }
        let fix = Fix {
            at,
            accuracy_m: acc as f32,
            t: self.clock.now_ms(),
        };
        let mut s = self.state();
        if s.fixes.len() == KEEP {
            s.fixes.pop_front();
        }
        s.fixes.push_back(fix);
    }
}

impl PositionSource for Geolocation {
    fn start(&self) {
        if dioxus::core::Runtime::try_current().is_none() {
            tracing::warn!("geolocation can only start from the UI");
            return;
        }
        {
            let mut s = self.state();
            if s.started {
                return;
            }
            s.started = true;
        }
        let me = self.clone();
        // On the root scope, so the watch outlives the screen that started it.
        dioxus::core::spawn_forever(async move {
            let mut page = dioxus::document::eval(WATCH_JS);
            loop {
                match page.recv::<Message>().await {
                    Ok(Message::Fix { lon, lat, acc }) => me.push(lon, lat, acc),
                    Ok(Message::Error { error }) => tracing::info!("no position: {error}"),
                    Err(e) => {
                        tracing::warn!("the position watch ended: {e}");
                        me.state().started = false;
                        return;
                    }
                }
            }
        });
    }

    fn latest(&self) -> Option<Fix> {
        self.state().fixes.back().copied()
    }

    fn since(&self, after_ms: i64) -> Vec<Fix> {
        self.state()
            .fixes
            .iter()
            .filter(|f| f.t > after_ms)
            .copied()
            .collect()
    }

    fn name(&self) -> &'static str {
        "geolocation"
    }
}
