//! Machine runs: choose the machine and start; the track records itself from the phone's position (see
//! `recorder`), and taps on the map add points where no satellite reaches (each saved at once); stop.
//! The live path and the area today's runs covered are drawn on the map.

use dioxus::prelude::*;
use torgkoll_shared::MachineKind;
use torgkoll_shared::analytics::coverage::{run_length_m, swept_area_m2};

use crate::ui::components::SiteMap;
use crate::ui::components::pins::pin_of;
use crate::ui::i18n::position::Pos;
use crate::ui::i18n::{Msg, hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{
    today, use_active_run, use_field_reports, use_today_coverage, use_today_runs,
};
use crate::ui::state::{use_lang, use_services, use_ui};

/// The crew's machines.
pub const MACHINES: [(MachineKind, &str); 4] = [
    (MachineKind::Fimpsug, "Fimpsug 1"),
    (MachineKind::Fimpsug, "Fimpsug 2"),
    (MachineKind::Skurmaskin, "Skurmaskin 1"),
    (MachineKind::Skurmaskin, "Skurmaskin 2"),
];

/// The id of a machine's start button.
pub fn machine_id(name: &str) -> String {
    format!("machine-{}", name.to_lowercase().replace(' ', "-"))
}

#[component]
pub fn RunsView() -> Element {
    let svc = use_services();
    let lang = use_lang();
    let actions = use_actions();
    let active = use_active_run();
    let runs = use_today_runs();
    let coverage = use_today_coverage(runs);
    let reports = use_field_reports(crate::ui::state::use_ui().field_filter);
    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter_map(|r| pin_of(r, svc.now_ms()))
        .collect();

    let Some(run) = active() else {
        let done: Vec<(String, String, f64, f64)> = runs
            .read()
            .iter()
            .filter(|r| r.mine)
            .map(|r| {
                let day = today(svc.now_ms());
                // What this run swept (a single noisy pass too); the map shows what the day's runs
                // believably cleaned.
                let area = swept_area_m2(&svc.site, &r.run, &day);
                let length = run_length_m(&svc.site, &r.run, &day);
                let when = r.run.started_ms.map(hhmm).unwrap_or_default();
                (
                    r.run.machine.clone().unwrap_or_default(),
                    when,
                    length,
                    area,
                )
            })
            .collect();
        return rsx! {
            SiteMap { pins, coverage: coverage(), pick_pins: false, on_tap: move |_| {} }
            div { class: "scroll",
                h2 { "{Msg::ChooseMachine.t(lang)}" }
                div { class: "machines",
                    for (kind, name) in MACHINES {
                        button {
                            key: "{name}",
                            id: machine_id(name),
                            class: "primary",
                            onclick: move |_| {
                                actions.start_run(kind, name);
                            },
                            "{name}"
                        }
                    }
                }
                h2 { "{Msg::RunsToday.t(lang)}" }
                ul { class: "list", id: "run-list",
                    for (i, (machine, when, length, area)) in done.into_iter().enumerate() {
                        li { key: "{i}",
                            div { class: "main",
                                b { "{machine}" }
                                div { class: "meta",
                                    "{when} · {length:.0} m {Pos::Driven.t(lang)} · {Pos::About.t(lang)} {area:.0} m² {Msg::Covered.t(lang)}"
                                }
                            }
                        }
                    }
                }
            }
        };
    };

    let run_id = run.id;
    let _ = (use_ui().track_rev)();
    let mut path = run.path();
    path.extend(svc.store().buffered_points(run_id).unwrap_or_default());
    path.sort_by_key(|p| p.t);
    let points = path.len();
    let recording = svc.position.name() != "none";
    let fix = svc
        .position
        .latest()
        .filter(|f| svc.now_ms().saturating_sub(f.t) < crate::platform::position::FRESH_FOR_MS);
    let fix_state = match fix {
        Some(f) => format!("{} · ±{:.0} m", Pos::Recording.t(lang), f.accuracy_m),
        None => Pos::WaitingForFix.t(lang).to_owned(),
    };
    rsx! {
        SiteMap {
            pins,
            coverage: coverage(),
            path,
            pick_pins: false,
            on_tap: move |t: crate::ui::components::MapTap| {
                actions.add_run_point(run_id, t.at, None);
            },
        }
        div { class: "scroll",
            if recording {
                p { class: "fix-state", id: "fix-state", "{fix_state}" }
                div { class: "hint", span { "{Pos::RecordingHint.t(lang)}" } }
            } else {
                div { class: "hint", span { "{Pos::NoSource.t(lang)}" } }
            }
            p { id: "run-points", "{points} {Msg::RunPoints.t(lang)}" }
            button {
                class: "danger stop",
                id: "stop-run",
                onclick: move |_| {
                    actions.stop_run(run_id);
                },
                "{Msg::StopRun.t(lang)}"
            }
        }
    }
}
