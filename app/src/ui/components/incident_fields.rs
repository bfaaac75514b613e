//! What a guard says of an incident beyond its place and kind: level, people and interventions. The
//! same fields on the new-disturbance form and when amending one, so they read and work alike.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use torgkoll_shared::validate::{MAX_INTERVENTIONS, MAX_PEOPLE};
use torgkoll_shared::vocab::level_label;
use torgkoll_shared::{DisturbanceReport, Intervention};

use super::Counter;
use crate::ui::i18n::Msg;
use crate::ui::state::use_lang;

/// Level, people and interventions (only those above zero count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    pub level: u8,
    pub people: u16,
    pub interventions: BTreeMap<Intervention, u16>,
}

impl Default for Incident {
    fn default() -> Self {
        Incident {
            level: 3,
            people: 1,
            interventions: BTreeMap::new(),
        }
    }
}

impl Incident {
    pub fn of(d: &DisturbanceReport) -> Incident {
        Incident {
            level: d.level,
            people: d.people,
            interventions: d.interventions.clone(),
        }
        .normalized()
    }

    /// Without interventions counted zero times, so that equal incidents compare equal.
    pub fn normalized(mut self) -> Incident {
        self.interventions.retain(|_, n| *n > 0);
        self
    }
}

/// The editor. `prefix` keeps element ids apart where two forms could be on screen.
#[component]
pub fn IncidentEditor(
    prefix: String,
    value: Incident,
    on_change: EventHandler<Incident>,
) -> Element {
    let lang = use_lang();
    let (v1, v2, v3) = (value.clone(), value.clone(), value.clone());
    rsx! {
        h2 { "{Msg::Level.t(lang)}" }
        div { class: "chips",
            for level in 1..=3u8 {
                button {
                    key: "{level}",
                    id: "{prefix}level-{level}",
                    class: if value.level == level { "level-{level} on" } else { "level-{level}" },
                    onclick: {
                        let v = v1.clone();
                        move |_| on_change.call(Incident { level, ..v.clone() })
                    },
                    "{level_label(level, lang)}"
                }
            }
        }
        Counter {
            id: "{prefix}people",
            label: Msg::People.t(lang),
            value: value.people,
            min: 1,
            max: MAX_PEOPLE,
            on_change: move |people| on_change.call(Incident { people, ..v2.clone() }),
        }
        h2 { "{Msg::Interventions.t(lang)}" }
        for i in Intervention::ALL.iter().copied() {
            Counter {
                key: "{i.code()}",
                id: "{prefix}iv-{i.code()}",
                label: i.label(lang),
                value: value.interventions.get(&i).copied().unwrap_or(0),
                min: 0,
                max: MAX_INTERVENTIONS,
                on_change: {
                    let v = v3.clone();
                    move |n| {
                        let mut v = v.clone();
                        v.interventions.insert(i, n);
                        on_change.call(v.normalized());
                    }
                },
            }
        }
    }
}
