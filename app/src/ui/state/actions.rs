//! What a person does, as actions on the store. Each records one operation and says "saved" only after
//! `Store::record` returned: the operation is then on disk and queued for the server.

use std::collections::BTreeMap;
use std::time::Duration;

use dioxus::prelude::*;
use torgkoll_shared::{
    Amendment, CleaningCategory, CleaningReport, DisturbanceReport, GeoPoint, HandoverSummary,
    Lang, MachineKind, OpBody, Operation, TrackPoint,
};
use uuid::Uuid;

use crate::platform;
use crate::ui::explain::store_error_text;
use crate::ui::i18n::Msg;
use crate::ui::i18n::alerts::Alert;

use super::sync_view::after_local_write;
use super::{Services, Toast, UiState, use_services, use_ui};

/// How long a quick report can be undone.
pub const UNDO_MS: i64 = 5_000;

/// The actions, bound to the app's services and state. `Copy`, so every event handler can take one.
#[derive(Clone, Copy)]
pub struct Actions {
    svc: CopyValue<Services>,
    ui: UiState,
}

pub fn use_actions() -> Actions {
    let svc = use_services();
    let ui = use_ui();
    use_hook(move || Actions {
        svc: CopyValue::new(svc),
        ui,
    })
}

impl Actions {
    fn lang(&self) -> Lang {
        *self.ui.lang.peek()
    }

    /// Now, by the phone's clock.
    pub fn now_ms(&self) -> i64 {
        self.svc.read().now_ms()
    }

    /// Records one operation now. On success the queries re-run and the sync engine is nudged.
    pub fn record(&self, body: OpBody) -> Result<Operation, String> {
        self.write(|store, now| {
            // The first report after hours of quiet starts a new shift.
            if let Err(e) = store.ensure_shift(now) {
                tracing::warn!("keeping the shift failed: {e}");
            }
            store.record(body, now)
        })
    }

    /// One write to the store that makes an operation, with what follows a saved one (queries re-run,
    /// the sync engine nudged, a haptic tick) or, when it fails, a toast saying why.
    fn write(
        &self,
        f: impl FnOnce(&mut crate::store::Store, i64) -> crate::store::Result<Operation>,
    ) -> Result<Operation, String> {
        let svc = self.svc.read().clone();
        let now = svc.now_ms();
        let result = f(&mut svc.store(), now);
        match result {
            Ok(op) => {
                let mut rev = self.ui.rev;
                *rev.write() += 1;
                after_local_write(&svc, self.ui);
                platform::haptic_tick();
                Ok(op)
            }
            Err(e) => {
                tracing::warn!("recording failed: {e}");
                let msg = store_error_text(&e, self.lang());
                self.toast(
                    format!("{}: {msg}", Msg::NotSaved.t(self.lang())),
                    true,
                    None,
                );
                Err(msg)
            }
        }
    }

    /// Starts a shift now ("Starta pass").
    pub fn start_shift(&self) -> bool {
        let svc = self.svc.read().clone();
        let started = svc.store().start_shift(svc.now_ms());
        match started {
            Ok(_) => {
                let mut rev = self.ui.rev;
                *rev.write() += 1;
                self.toast(Msg::ShiftStarted.t(self.lang()).to_owned(), false, None);
                true
            }
            Err(e) => {
                tracing::warn!("starting the shift failed: {e}");
                self.toast(store_error_text(&e, self.lang()), true, None);
                false
            }
        }
    }

    /// Hands the shift over with the drafted summary and the person's note, and ends the shift.
    pub fn hand_over(&self, note: &str, summary: HandoverSummary) -> bool {
        let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
        let ok = self
            .write(|store, now| store.hand_over(note, summary, now))
            .is_ok();
        if ok {
            self.toast(Msg::HandedOver.t(self.lang()).to_owned(), false, None);
        }
        ok
    }

    /// Marks a handover read on this phone.
    pub fn mark_handover_read(&self, id: Uuid) {
        let svc = self.svc.read().clone();
        let marked = svc.store().mark_handover_read(id, svc.now_ms());
        if let Err(e) = marked {
            tracing::warn!("marking a handover read failed: {e}");
        }
        let mut rev = self.ui.rev;
        *rev.write() += 1;
    }

    /// Puts text on the clipboard and says so.
    pub fn copy(&self, text: String) {
        let this = *self;
        spawn(async move {
            let lang = this.lang();
            match platform::copy_text(text).await {
                Ok(()) => this.toast(Msg::Copied.t(lang).to_owned(), false, None),
                Err(e) => {
                    tracing::warn!("copying failed: {e}");
                    this.toast(Msg::NotCopied.t(lang).to_owned(), true, None);
                }
            }
        });
    }

    /// Shows a toast; it disappears after the undo time.
    pub fn toast(&self, text: String, error: bool, undo: Option<(Uuid, i64)>) {
        let mut toast = self.ui.toast;
        let seq = toast.peek().as_ref().map_or(1, |t| t.seq + 1);
        toast.set(Some(Toast {
            text,
            error,
            undo,
            seq,
        }));
        spawn(async move {
            tokio::time::sleep(Duration::from_millis(UNDO_MS as u64)).await;
            if toast.peek().as_ref().is_some_and(|t| t.seq == seq) {
                toast.set(None);
            }
        });
    }

    /// A cleaner's one-tap report, at a tapped place (`acc: None`) or at the phone's position with its
    /// accuracy. Returns its id once it is saved.
    pub fn quick_report(
        &self,
        category: CleaningCategory,
        at: GeoPoint,
        acc: Option<f32>,
    ) -> Option<Uuid> {
        let body = OpBody::Clean(CleaningReport {
            category,
            amount: None,
            note: None,
            at: at.rounded(),
            acc,
        });
        let op = self.record(body).ok()?;
        let lang = self.lang();
        let text = format!("{} · {}", Msg::Saved.t(lang), category.label(lang));
        self.toast(text, false, Some((op.id, op.wall_ms + UNDO_MS)));
        Some(op.id)
    }

    /// Undoes a quick report within its undo time (a withdrawal, recorded like everything else).
    pub fn undo(&self, report: Uuid, deadline_ms: i64) {
        if self.now_ms() > deadline_ms {
            let mut toast = self.ui.toast;
            toast.set(None);
            return;
        }
        if self.record(OpBody::Withdraw { report }).is_ok() {
            let mut details = self.ui.details_for;
            if *details.peek() == Some(report) {
                details.set(None);
            }
            self.toast(Msg::Undone.t(self.lang()).to_owned(), false, None);
        }
    }

    /// A change to one's own report after saving (only the fields that changed).
    pub fn amend(&self, report: Uuid, change: Amendment) -> bool {
        self.simple(OpBody::Amend { report, change }, Msg::Changed)
    }

    pub fn resolve(&self, report: Uuid) -> bool {
        self.simple(OpBody::Resolve { report }, Msg::Cleaned)
    }

    pub fn still_there(&self, report: Uuid) -> bool {
        self.simple(OpBody::StillThere { report }, Msg::StillThere)
    }

    fn simple(&self, body: OpBody, msg: Msg) -> bool {
        let ok = self.record(body).is_ok();
        if ok {
            let lang = self.lang();
            self.toast(
                format!("{} · {}", Msg::Saved.t(lang), msg.t(lang)),
                false,
                None,
            );
        }
        ok
    }

    /// A guard's (or manager's) request for a cleaning task at a disturbance's place.
    pub fn request_cleaning(&self, from: Uuid, category: CleaningCategory, at: GeoPoint) -> bool {
        let task = CleaningReport {
            category,
            amount: None,
            note: None,
            at,
            acc: None,
        };
        let by = self.device_name();
        self.simple(
            OpBody::CleanRequest { from, task, by },
            Msg::CleaningRequested,
        )
    }

    /// This phone's name as enrolled, as a take or a request carries it (trimmed, at most 60
    /// characters); `None` when enrollment gave it none.
    fn device_name(&self) -> Option<String> {
        let id = self.ui.identity.peek();
        let name: String = id.as_ref()?.name.trim().chars().take(60).collect();
        Some(name.trim().to_owned()).filter(|n| !n.is_empty())
    }

    /// "Jag tar det" / "Jag tar den": takes a level-1 alert or a cleaning task, so the others see who
    /// has it. A phone enrolled without a name says its role instead.
    pub fn take(&self, report: Uuid) -> bool {
        let lang = self.lang();
        let by = self.device_name().unwrap_or_else(|| {
            let role = self.ui.identity.peek().as_ref().map(|i| i.role);
            role.map_or("?", |r| r.label(lang)).to_owned()
        });
        let ok = self.record(OpBody::Take { report, by }).is_ok();
        if ok {
            self.toast(Alert::TookIt.t(lang).to_owned(), false, None);
        }
        ok
    }

    /// "Klar": a cleaning task done (a resolve, like "Städat").
    pub fn task_done(&self, report: Uuid) -> bool {
        let ok = self.record(OpBody::Resolve { report }).is_ok();
        if ok {
            self.toast(Alert::MarkedDone.t(self.lang()).to_owned(), false, None);
        }
        ok
    }

    /// "Sett": silences an alert's banner on this phone without taking it (never sent).
    pub fn dismiss_alert(&self, report: Uuid) {
        let svc = self.svc.read().clone();
        let marked = svc.store().mark_alert_seen(report, svc.now_ms());
        if let Err(e) = marked {
            tracing::warn!("marking an alert seen failed: {e}");
        }
        let mut rev = self.ui.rev;
        *rev.write() += 1;
    }

    /// Starts a run; the position source starts with it (a phone asks for the permission now).
    pub fn start_run(&self, kind: MachineKind, machine: &str) -> Option<Uuid> {
        self.svc.read().position.start();
        let body = OpBody::RunStart {
            kind,
            machine: machine.to_owned(),
            started: self.now_ms(),
        };
        self.record(body).ok().map(|op| op.id)
    }

    /// One point of the running machine's path, saved at once as its own chunk.
    pub fn add_run_point(&self, run: Uuid, at: GeoPoint, accuracy_m: Option<f32>) -> bool {
        let point = TrackPoint {
            at: at.rounded(),
            t: self.now_ms(),
            acc: accuracy_m,
        };
        self.record(OpBody::RunPoints {
            run,
            points: vec![point],
        })
        .is_ok()
    }

    /// Stops a run: what the recorder still holds goes out first, then the stop.
    pub fn stop_run(&self, run: Uuid) -> bool {
        let svc = self.svc.read().clone();
        let flushed = svc.store().flush_track(run, svc.now_ms());
        if let Err(e) = flushed {
            tracing::warn!("sending the run's last points failed: {e}");
            if matches!(e, crate::store::StoreError::Invalid(_)) {
                // They can never be sent: do not let them wait for ever.
                let _ = svc.store().drop_track_buffer(run);
            }
        }
        self.simple(
            OpBody::RunStop {
                run,
                stopped: self.now_ms(),
            },
            Msg::StopRun,
        )
    }

    /// A guard's disturbance: category, level, people, interventions, an optional short note.
    pub fn save_disturbance(&self, d: DisturbanceReport) -> Option<Uuid> {
        let interventions: BTreeMap<_, _> = d
            .interventions
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect();
        let note = d
            .note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        let body = OpBody::Disturbance(DisturbanceReport {
            interventions,
            note,
            at: d.at.rounded(),
            ..d
        });
        let op = self.record(body).ok()?;
        let lang = self.lang();
        let text = format!("{} · {}", Msg::Saved.t(lang), d.category.label(lang));
        self.toast(text, false, Some((op.id, op.wall_ms + UNDO_MS)));
        Some(op.id)
    }

    /// Switches the language and keeps the choice with the data.
    pub fn set_lang(&self, lang: Lang) {
        let code = if lang == Lang::En { "en" } else { "sv" };
        if let Err(e) = self.svc.read().store().set_setting("lang", code) {
            tracing::warn!("saving the language failed: {e}");
        }
        let mut l = self.ui.lang;
        l.set(lang);
    }

    /// "Synka nu".
    pub fn sync_now(&self) {
        if let Some(h) = &self.svc.read().sync {
            h.sync_now();
        }
    }
}
