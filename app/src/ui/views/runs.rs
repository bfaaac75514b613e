//! Machine runs: choose the machine and start, tap the path on the map (each tap saved at once), stop.
//! The area today's runs covered is drawn on the map.

use dioxus::prelude::*;
use torgkoll_shared::MachineKind;
use torgkoll_shared::analytics::coverage::covered_area;

use crate::ui::components::SiteMap;
use crate::ui::components::pins::pin_of;
use crate::ui::i18n::{Msg, hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{
    today, use_active_run, use_field_reports, use_today_coverage, use_today_runs,
};
use crate::ui::state::{use_lang, use_services};

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
        let done: Vec<(String, String, f64)> = runs
            .read()
            .iter()
            .filter(|r| r.mine)
            .map(|r| {
                let kind = r.run.kind.unwrap_or(MachineKind::Fimpsug);
                let area =
                    covered_area(&svc.site, &[&r.run], Some(kind), &today(svc.now_ms())).area_m2();
                let when = r.run.started_ms.map(hhmm).unwrap_or_default();
                (r.run.machine.clone().unwrap_or_default(), when, area)
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
                    for (i, (machine, when, area)) in done.into_iter().enumerate() {
                        li { key: "{i}",
                            div { class: "main",
                                b { "{machine}" }
                                div { class: "meta", "{when} · {area:.0} m² {Msg::Covered.t(lang)}" }
                            }
                        }
                    }
                }
            }
        };
    };

    let run_id = run.id;
    let path: Vec<_> = run.path().iter().map(|p| p.at).collect();
    let points = path.len();
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
            div { class: "hint", span { "{Msg::RunTapHint.t(lang)}" } }
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
