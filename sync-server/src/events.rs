//! `GET /v1/events`: the wake-up channel. An online phone keeps this one request open; the server
//! answers with server-sent events: `wake` (data `{"pos":N}`) at once with its latest position, then
//! whenever another device of its site stores operations this phone's role may see, and a comment line
//! as a heartbeat while idle. The phone syncs when `pos` is beyond its pull position; the event carries
//! nothing else. See docs/PROTOCOL.md "Wake-up channel".

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::auth::AuthDevice;
use crate::error::ApiError;
use crate::state::AppState;
use crate::wake::{Subscription, Verdict};

/// How often an idle stream sends its heartbeat. A phone that hears nothing for three of these
/// reconnects.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/events", get(events))
}

fn wake(pos: u64) -> Event {
    Event::default()
        .event("wake")
        .data(format!("{{\"pos\":{pos}}}"))
}

async fn events(
    State(st): State<AppState>,
    AuthDevice(device): AuthDevice,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let site = &st.sites.of_device(&device)?.site.id;
    let sub = st.wake.subscribe(device.id, device.role, site);
    let (now, id) = (st.clock.now_ms(), device.id);
    // Opening the channel is contact, as a sync is (the manager's "Telefoner").
    let pos = st
        .blocking(move |store| {
            store.touch_device(id, now, None, None)?;
            store.last_pos()
        })
        .await?;
    tracing::info!(device = %device.id, role = %device.role, pos, listeners = st.wake.listeners(), "wake channel open");
    let hub = st.wake.clone();
    let later = stream::unfold((sub, hub), |(mut sub, hub)| async move {
        let pos = next_wake(&mut sub, &hub).await?;
        Some((Ok(wake(pos)), (sub, hub)))
    });
    let all = stream::once(async move { Ok(wake(pos)) }).chain(later);
    Ok(Sse::new(all).keep_alive(KeepAlive::new().interval(HEARTBEAT)))
}

/// The next position to wake the phone with, or `None` when its stream ends.
async fn next_wake(sub: &mut Subscription, hub: &crate::wake::Wake) -> Option<u64> {
    loop {
        match sub.rx.recv().await {
            Ok(signal) => match sub.judge(&signal) {
                Verdict::Wake(pos) => return Some(pos),
                Verdict::Ignore => {}
                Verdict::End => {
                    tracing::debug!(device = %sub.device, "wake channel closed");
                    return None;
                }
            },
            // Fell behind: whatever was missed, one wake covers it.
            Err(RecvError::Lagged(_)) => return Some(hub.last_pos()),
            Err(RecvError::Closed) => return None,
        }
    }
}
