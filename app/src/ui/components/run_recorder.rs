//! The running run's recorder on screen: while this phone's run is on, a loop hands the position
//! source's new fixes to the [`Recorder`](crate::recorder::Recorder) about once a second, and after ten
//! minutes without movement a sheet asks whether the run is over. Mounted by the shell beside the run
//! banner, so it records whatever screen is open.

use std::time::Duration;

use dioxus::prelude::*;
use torgkoll_shared::Run;

use crate::recorder::Recorder;
use crate::ui::i18n::position::Pos;
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_services, use_ui};

/// How often the recorder looks for new fixes.
const TICK: Duration = Duration::from_secs(1);
/// How often (in ticks) the run is read again for points tapped on the map (movement too).
const TAPS_EVERY: u32 = 10;

#[component]
pub fn RunRecorder(run: Run) -> Element {
    let svc = use_services();
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let mut idle = use_signal(|| false);
    let mut snooze = use_signal(|| None::<i64>);
    let run_id = run.id;
    use_future(move || {
        let svc = svc.clone();
        let run = run.clone();
        async move {
            svc.position.start();
            let resumed = Recorder::resume(&svc.store(), &run);
            let mut rec = match resumed {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("cannot resume recording the run: {e}");
                    return;
                }
            };
            let mut n = 0u32;
            loop {
                let now = svc.now_ms();
                if let Some(t) = snooze.write().take() {
                    rec.snooze(t);
                }
                let fixes = svc.position.since(rec.last_offered_ms());
                let tick = rec.tick(&mut svc.store(), &fixes, now);
                match tick {
                    Ok(t) if t.flushed => {
                        let mut rev = ui.rev;
                        *rev.write() += 1;
                        crate::ui::state::sync_view::after_local_write(&svc, ui);
                    }
                    Ok(t) if t.kept > 0 => {
                        let mut tr = ui.track_rev;
                        *tr.write() += 1;
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("recording a point failed: {e}"),
                }
                n += 1;
                if n.is_multiple_of(TAPS_EVERY)
                    && let Ok(Some(r)) = svc.store().active_run()
                    && let Some(p) = r.path().last()
                {
                    rec.tapped(p.t);
                }
                let ask = rec.idle(now);
                if *idle.peek() != ask {
                    idle.set(ask);
                }
                tokio::time::sleep(TICK).await;
            }
        }
    });
    rsx! {
        if idle() {
            div { class: "sheet", id: "idle-sheet", role: "alertdialog",
                h2 { "{Pos::IdleTitle.t(lang)}" }
                p { "{Pos::IdleAsk.t(lang)}" }
                div { class: "actions column",
                    button {
                        class: "danger",
                        id: "idle-stop",
                        onclick: move |_| {
                            actions.stop_run(run_id);
                        },
                        "{Pos::IdleStop.t(lang)}"
                    }
                    button {
                        class: "primary",
                        id: "idle-go-on",
                        onclick: move |_| {
                            snooze.set(Some(actions.now_ms()));
                            idle.set(false);
                        },
                        "{Pos::IdleGoOn.t(lang)}"
                    }
                }
            }
        }
    }
}
