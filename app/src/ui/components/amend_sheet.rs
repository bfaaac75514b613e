//! Changing one's own report after saving: a cleaner's amount and note, a guard's time, level, people,
//! interventions and note. Only what differs from the report as it now is is sent, as one amendment;
//! the fields fold last writer wins, each on its own.

use dioxus::prelude::*;
use torgkoll_shared::{Amendment, Amount, Report};
use uuid::Uuid;

use super::incident_fields::{Incident, IncidentEditor};
use super::note_input::NoteInput;
use super::photo_strip::PhotoStrip;
use super::when_picker::{When, WhenPicker};
use crate::store::QUIET_MS;
use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{use_report, use_shift};
use crate::ui::state::{use_lang, use_services, use_ui};

/// The sheet's fields, filled from the report as it was when the sheet opened.
#[derive(Clone, Debug, PartialEq)]
struct Form {
    incident: Option<Incident>,
    amount: Option<Amount>,
    note: String,
    when: When,
}

impl Form {
    fn of(r: &Report) -> Form {
        Form {
            incident: match (r.level(), r.people(), r.interventions()) {
                (Some(level), Some(people), Some(iv)) => Some(
                    Incident {
                        level,
                        people,
                        interventions: iv.clone(),
                    }
                    .normalized(),
                ),
                _ => None,
            },
            amount: r.amount(),
            note: r.note().unwrap_or_default().to_owned(),
            when: r.when_ms().map_or(When::Now, When::At),
        }
    }

    /// What changed from `before`, as an amendment (empty when nothing did).
    fn change_from(&self, before: &Form, now_ms: i64) -> Amendment {
        let mut a = Amendment::default();
        if let (Some(new), Some(old)) = (&self.incident, &before.incident) {
            a.level = (new.level != old.level).then_some(new.level);
            a.people = (new.people != old.people).then_some(new.people);
            a.interventions =
                (new.interventions != old.interventions).then(|| new.interventions.clone());
            if self.when != before.when {
                a.happened = Some(self.when.resolve(now_ms).unwrap_or(now_ms));
            }
        } else if self.amount != before.amount {
            a.amount = self.amount;
        }
        let note = self.note.trim();
        if note != before.note.trim() {
            a.note = Some(note.to_owned());
        }
        a
    }
}

#[component]
pub fn AmendSheet(id: Uuid) -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let svc = use_services();
    let mut details_for = ui.details_for;
    let report = use_report(id);
    let shift = use_shift();
    let before = use_hook(|| report.peek().as_ref().map(|r| Form::of(&r.report)));
    let mut form = use_signal(|| before.clone());
    let Some(f) = form() else {
        return rsx! {};
    };
    let now = svc.now_ms();
    let created = report.read().as_ref().and_then(|r| r.report.when_ms());
    let earliest = shift()
        .map_or(now - QUIET_MS, |s| s.start_ms)
        .min(created.unwrap_or(now) - 30 * 60_000);
    let save = move |_| {
        let (Some(new), Some(old)) = (form.peek().clone(), before.as_ref()) else {
            return;
        };
        let change = new.change_from(old, svc.now_ms());
        if change.is_empty() || actions.amend(id, change) {
            details_for.set(None);
        }
    };
    rsx! {
        div { class: "sheet", id: "details-sheet",
            h2 { class: "sheet-title", "{Msg::Change.t(lang)}" }
            if let Some(incident) = f.incident.clone() {
                WhenPicker {
                    prefix: "amend-",
                    value: f.when,
                    now,
                    earliest,
                    on_change: move |w| form.with_mut(|f| if let Some(f) = f { f.when = w }),
                }
                IncidentEditor {
                    prefix: "amend-",
                    value: incident,
                    on_change: move |i| form.with_mut(|f| if let Some(f) = f { f.incident = Some(i) }),
                }
            } else {
                h2 { "{Msg::Amount.t(lang)}" }
                div { class: "chips",
                    for a in Amount::ALL.iter().copied() {
                        button {
                            key: "{a.code()}",
                            id: "amount-{a.code()}",
                            class: if f.amount == Some(a) { "on" } else { "" },
                            onclick: move |_| form.with_mut(|f| if let Some(f) = f {
                                f.amount = Some(a);
                            }),
                            "{a.label(lang)}"
                        }
                    }
                }
            }
            NoteInput {
                id: "details-note",
                value: f.note.clone(),
                on_input: move |n| form.with_mut(|f| if let Some(f) = f { f.note = n }),
            }
            PhotoStrip { report: id, can_add: true }
            div { class: "actions",
                button { id: "details-cancel", onclick: move |_| details_for.set(None), "{Msg::Cancel.t(lang)}" }
                button { class: "primary", id: "details-save", onclick: save, "{Msg::Save.t(lang)}" }
            }
        }
    }
}
