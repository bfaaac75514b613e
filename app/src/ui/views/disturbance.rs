//! The guard's disturbance in a few taps: where (a tap on the map), when (now or minutes ago: incidents
//! are logged after the fact), category, level, number of people, interventions as counters, and a short
//! note under a warning not to write identities. Everything but place and category can be changed later.

use dioxus::prelude::*;
use torgkoll_shared::{DisturbanceCategory, DisturbanceReport};

use crate::store::QUIET_MS;
use crate::ui::components::pins::pin_of;
use crate::ui::components::{
    Incident, IncidentEditor, MapTap, NoteInput, SiteMap, When, WhenPicker,
};
use crate::ui::i18n::Msg;
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{use_field_reports, use_shift};
use crate::ui::state::{use_lang, use_services, use_ui};

/// The form's state before it is saved.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    category: Option<DisturbanceCategory>,
    when: When,
    incident: Incident,
    note: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            category: None,
            when: When::Now,
            incident: Incident::default(),
            note: String::new(),
        }
    }
}

#[component]
pub fn DisturbanceView() -> Element {
    let ui = use_ui();
    let lang = use_lang();
    let actions = use_actions();
    let svc = use_services();
    // Only what this site uses.
    let categories = svc.site.vocabulary.disturbance.clone();
    let reports = use_field_reports(ui.field_filter);
    let shift = use_shift();
    let mut draft = use_signal(Draft::default);
    let (mut spot, mut selected) = (ui.spot, ui.selected);
    let mut problem = use_signal(|| None::<&'static str>);

    let now = svc.now_ms();
    // A time within the shift; before the first report of a shift, within the quiet time before it.
    let earliest = shift().map_or(now - QUIET_MS, |s| s.start_ms.min(now - 30 * 60_000));
    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter_map(|r| pin_of(r, now))
        .collect();
    let d = draft();
    let save = move |_| {
        let d = draft.peek().clone();
        let (Some(category), Some(at)) = (d.category, *spot.peek()) else {
            problem.set(Some(Msg::NeedSpotAndCategory.t(*ui.lang.peek())));
            return;
        };
        let report = DisturbanceReport {
            category,
            level: d.incident.level,
            people: d.incident.people,
            interventions: d.incident.interventions,
            note: Some(d.note),
            at,
            happened: d.when.resolve(svc.now_ms()),
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
            WhenPicker {
                prefix: "",
                value: d.when,
                now,
                earliest,
                on_change: move |w| draft.with_mut(|d| d.when = w),
            }
            h2 { "{Msg::Category.t(lang)}" }
            div { class: "chips",
                for c in categories.iter().copied() {
                    button {
                        key: "{c.code()}",
                        id: "dcat-{c.code()}",
                        class: if d.category == Some(c) { "on" } else { "" },
                        onclick: move |_| draft.with_mut(|d| d.category = Some(c)),
                        "{c.label(lang)}"
                    }
                }
            }
            IncidentEditor {
                prefix: "",
                value: d.incident.clone(),
                on_change: move |i| draft.with_mut(|d| d.incident = i),
            }
            NoteInput {
                id: "disturbance-note",
                value: d.note.clone(),
                on_input: move |n| draft.with_mut(|d| d.note = n),
            }
            if let Some(p) = problem() {
                p { class: "error-text", id: "form-problem", "{p}" }
            }
            button { class: "primary stop", id: "save-disturbance", onclick: save, "{Msg::SaveDisturbance.t(lang)}" }
        }
    }
}
