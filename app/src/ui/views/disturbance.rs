//! The guard's disturbance in a few taps: where (a tap on the map), category, level, number of people,
//! interventions as counters, and a short note under a warning not to write identities.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use torgkoll_shared::validate::{MAX_INTERVENTIONS, MAX_NOTE_CHARS, MAX_PEOPLE};
use torgkoll_shared::vocab::level_label;
use torgkoll_shared::{DisturbanceCategory, DisturbanceReport, Intervention};

use crate::ui::components::pins::pin_of;
use crate::ui::components::{Counter, MapTap, SiteMap};
use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::use_field_reports;
use crate::ui::state::{use_lang, use_ui};

/// The form's state before it is saved.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    category: Option<DisturbanceCategory>,
    level: u8,
    people: u16,
    interventions: BTreeMap<Intervention, u16>,
    note: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            category: None,
            level: 3,
            people: 1,
            interventions: BTreeMap::new(),
            note: String::new(),
        }
    }
}

#[component]
pub fn DisturbanceView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let reports = use_field_reports(ui.field_filter);
    let mut draft = use_signal(Draft::default);
    let (mut spot, mut selected) = (ui.spot, ui.selected);
    let mut problem = use_signal(|| None::<&'static str>);

    let now = crate::ui::state::use_services().now_ms();
    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter_map(|r| pin_of(r, now))
        .collect();
    let d = draft();
    let left = MAX_NOTE_CHARS as i64 - d.note.chars().count() as i64;
    let save = move |_| {
        let d = draft.peek().clone();
        let (Some(category), Some(at)) = (d.category, *spot.peek()) else {
            problem.set(Some(Msg::NeedSpotAndCategory.t(*ui.lang.peek())));
            return;
        };
        let report = DisturbanceReport {
            category,
            level: d.level,
            people: d.people,
            interventions: d.interventions,
            note: Some(d.note),
            at,
            happened: None,
        };
        if actions.save_disturbance(report).is_some() {
            draft.set(Draft::default());
            spot.set(None);
            problem.set(None);
        }
    };
    rsx! {
        SiteMap {
            pins,
            marker: spot(),
            selected: selected(),
            on_tap: move |t: MapTap| match t.pin {
                Some(id) => selected.set(Some(id)),
                None => spot.set(Some(t.at)),
            },
        }
        div { class: "scroll", id: "disturbance-form",
            h2 { "{Msg::NewDisturbance.t(lang)}" }
            div { class: if spot().is_some() { "kv" } else { "kv error-text" }, id: "where",
                if spot().is_some() { "✓ " } else { "" }
                "{Msg::Where.t(lang)}"
            }
            h2 { "{Msg::Category.t(lang)}" }
            div { class: "chips",
                for c in DisturbanceCategory::ALL.iter().copied() {
                    button {
                        key: "{c.code()}",
                        id: "dcat-{c.code()}",
                        class: if d.category == Some(c) { "on" } else { "" },
                        onclick: move |_| draft.with_mut(|d| d.category = Some(c)),
                        "{c.label(lang)}"
                    }
                }
            }
            h2 { "{Msg::Level.t(lang)}" }
            div { class: "chips",
                for level in 1..=3u8 {
                    button {
                        key: "{level}",
                        id: "level-{level}",
                        class: if d.level == level { "level-{level} on" } else { "level-{level}" },
                        onclick: move |_| draft.with_mut(|d| d.level = level),
                        "{level_label(level, lang)}"
                    }
                }
            }
            Counter {
                id: "people",
                label: Msg::People.t(lang),
                value: d.people,
                min: 1,
                max: MAX_PEOPLE,
                on_change: move |n| draft.with_mut(|d| d.people = n),
            }
            h2 { "{Msg::Interventions.t(lang)}" }
            for i in Intervention::ALL.iter().copied() {
                Counter {
                    key: "{i.code()}",
                    id: "iv-{i.code()}",
                    label: i.label(lang),
                    value: d.interventions.get(&i).copied().unwrap_or(0),
                    min: 0,
                    max: MAX_INTERVENTIONS,
                    on_change: move |n| draft.with_mut(|d| {
                        d.interventions.insert(i, n);
                    }),
                }
            }
            h2 { "{Msg::Note.t(lang)}" }
            div { class: "warning", id: "note-warning", "⚠ {Msg::NoteWarning.t(lang)}" }
            textarea {
                id: "disturbance-note",
                maxlength: "{MAX_NOTE_CHARS}",
                value: "{d.note}",
                oninput: move |e| draft.with_mut(|d| d.note = e.value()),
            }
            div { class: "meta", "{left} {Msg::Remaining.t(lang)}" }
            if let Some(p) = problem() {
                p { class: "error-text", id: "form-problem", "{p}" }
            }
            button { class: "primary stop", id: "save-disturbance", onclick: save, "{Msg::SaveDisturbance.t(lang)}" }
        }
    }
}
