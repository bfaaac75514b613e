//! The wake-up channel: while online, the phone keeps one `GET /v1/events` request open and the server
//! sends a `wake` event (`{"pos":N}`) when another device stored something this phone may see; the phone
//! syncs when `N` is beyond its pull position. Nothing else travels on it but a heartbeat comment every
//! 15 s. The engine's 30-second timer stays as the fallback; after a lost channel the phone reconnects
//! with backoff and jitter. See docs/PROTOCOL.md "Wake-up channel".

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde::Deserialize;

use super::client::{error_of, url};
use super::plan::Backoff;
use crate::store::Store;

/// Three missed heartbeats: the connection is dead even if the socket does not say so.
pub const SILENCE: Duration = Duration::from_secs(45);

/// Reconnect delays after a lost channel (with jitter): the first step after a channel that was open,
/// doubling while attempts keep failing.
pub const RECONNECT: Backoff = Backoff {
    base: Duration::from_millis(500),
    cap: Duration::from_secs(60),
};

/// How a channel ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The connection was lost, cut or silent: reconnect.
    Lost(String),
    /// The server refused it (e.g. 401 for a revoked token): reconnect only much later; the sync engine
    /// says what is wrong.
    Refused(u16),
}

#[derive(Deserialize)]
struct WakeData {
    pos: u64,
}

/// Listens on one connection until it ends. `pull_pos` reads the phone's pull position; `wake` is
/// called for each event beyond it. `opened` is called once the server has accepted the channel.
pub async fn listen(
    http: &reqwest::Client,
    server: &str,
    token: &str,
    pull_pos: impl Fn() -> u64,
    mut wake: impl FnMut(),
    opened: impl FnOnce(),
) -> Ended {
    let resp = http
        .get(url(server, "/v1/events"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(ACCEPT, "text/event-stream")
        .send()
        .await;
    let resp = match resp {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            let (status, body) = error_of(r).await;
            tracing::info!(status = status.as_u16(), error = %body.error, "wake channel refused");
            return Ended::Refused(status.as_u16());
        }
        Err(e) => return Ended::Lost(e.to_string()),
    };
    opened();
    let mut body = resp.bytes_stream();
    let mut parser = SseParser::default();
    loop {
        let chunk = match tokio::time::timeout(SILENCE, body.next()).await {
            Err(_) => return Ended::Lost("no heartbeat".into()),
            Ok(None) => return Ended::Lost("closed by the server".into()),
            Ok(Some(Err(e))) => return Ended::Lost(e.to_string()),
            Ok(Some(Ok(c))) => c,
        };
        for (event, data) in parser.feed(&chunk) {
            if event != "wake" {
                continue;
            }
            match serde_json::from_str::<WakeData>(&data) {
                Ok(d) if d.pos > pull_pos() => wake(),
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "an unreadable wake event"),
            }
        }
    }
}

/// Keeps the wake-up channel open while the phone is enrolled, reconnecting with backoff and jitter.
/// Each wake (and a channel that opens while operations wait) calls `nudge`, which asks the engine for a
/// sync; `set_live` follows the channel's state. It runs on the engine's runtime and ends with it.
pub(super) async fn wake_loop(store: Arc<Mutex<Store>>, nudge: impl Fn(), set_live: impl Fn(bool)) {
    // No overall timeout: the request lives as long as the channel; silence is caught by `SILENCE`.
    let http = super::trust::client_builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("the HTTP client builds with static settings");
    let mut failures: u32 = 0;
    loop {
        let who = lock(&store)
            .identity()
            .map(|id| (id.server.clone(), id.token.clone()));
        let Some((server, token)) = who else {
            tokio::time::sleep(Duration::from_secs(2)).await;
            continue;
        };
        let mut opened = false;
        let ended = listen(
            &http,
            &server,
            &token,
            || lock(&store).pull_pos().unwrap_or(0),
            &nudge,
            || {
                opened = true;
                set_live(true);
                // The server answers again: what waits in the outbox goes now, not after a backoff.
                if lock(&store).pending_count().unwrap_or(0) > 0 {
                    nudge();
                }
            },
        )
        .await;
        set_live(false);
        tracing::debug!(?ended, "wake channel ended");
        // A channel that opened was a working connection that was lost: reconnect at the first step.
        // Only failed attempts in a row back off further.
        failures = if opened {
            0
        } else {
            failures.saturating_add(1)
        };
        let attempt = match ended {
            Ended::Refused(_) => failures.max(7), // about a minute
            Ended::Lost(_) => failures,
        };
        tokio::time::sleep(RECONNECT.delay(attempt, rand::random::<f64>())).await;
    }
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Server-sent events, cut into `(event, data)` pairs: only what this channel uses (`event:` and
/// `data:` fields, comments, LF or CRLF line ends). A hand-written parser of a few lines instead of a
/// crate that would bring a second version of `nom` into the build.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    event: String,
    data: String,
}

impl SseParser {
    /// Feeds bytes; returns the events they completed.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for &b in bytes {
            if b != b'\n' {
                self.line.push(b);
                continue;
            }
            let mut line = std::mem::take(&mut self.line);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if line.is_empty() {
                if !self.data.is_empty() || !self.event.is_empty() {
                    let event = std::mem::take(&mut self.event);
                    let event = if event.is_empty() {
                        "message".into()
                    } else {
                        event
                    };
                    out.push((event, std::mem::take(&mut self.data)));
                }
            } else if line.starts_with(':') {
                // A comment: the heartbeat.
            } else {
                let (field, value) = line.split_once(':').unwrap_or((&line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => self.event = value.to_owned(),
                    "data" => {
                        if !self.data.is_empty() {
                            self.data.push('\n');
                        }
                        self.data.push_str(value);
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let stream =
            b"event: wake\ndata: {\"pos\":3}\n\n:\n\nevent:wake\r\ndata:{\"pos\":9}\r\n\r\n";
        for cut in 0..stream.len() {
            let mut p = SseParser::default();
            let mut got = p.feed(&stream[..cut]);
            got.extend(p.feed(&stream[cut..]));
            assert_eq!(
                got,
                vec![
                    ("wake".to_owned(), "{\"pos\":3}".to_owned()),
                    ("wake".to_owned(), "{\"pos\":9}".to_owned())
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn heartbeats_are_no_events() {
        let mut p = SseParser::default();
        assert!(p.feed(b":\n\n: ping\n\n").is_empty());
    }
}
