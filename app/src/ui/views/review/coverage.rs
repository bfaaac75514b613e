//! Machine coverage: per zone the share covered by today's fimpsug and skurmaskin runs and when a
//! machine was last there, zones not cleaned in N hours highlighted in the table and on the map, and
//! the covered area drawn on the map.

use dioxus::prelude::*;
use torgkoll_shared::MachineKind;
use torgkoll_shared::analytics::coverage::{
    LAST_CLEANED_LOOKBACK_MS, covered_by_kind, shapes_of, zone_shares,
};
use torgkoll_shared::analytics::{CoverageShape, ZoneCoverage};
use torgkoll_shared::{Lang, Run};

use super::hotspots::zone_title;
use super::{read_store, use_review};
use crate::ui::components::review::Shade;
use crate::ui::components::{MapTap, SiteMap};
use crate::ui::i18n::review::{Word, hours, percent};
use crate::ui::state::background::{Computing, computing, use_store_background};
use crate::ui::state::queries::today;
use crate::ui::state::{Services, use_lang, use_services};

/// The choices of N, in hours.
pub const STALE_CHOICES: [u32; 3] = [4, 8, 24];

fn last_cleaned(z: &ZoneCoverage, lang: Lang) -> String {
    match z.hours_since {
        Some(h) => format!("{} {}", hours(h, lang), Word::HoursAgo.t(lang)),
        None => Word::NeverIn14.t(lang).to_owned(),
    }
}

fn kind_share(z: &ZoneCoverage, kind: MachineKind) -> f64 {
    z.by_kind
        .iter()
        .find(|k| k.kind == kind)
        .map_or(0.0, |k| k.share)
}

/// Per zone, today's coverage and when a machine was last there, and the covered area to draw: read
/// and computed on a worker thread.
fn coverage_now(svc: &Services, stale_h: f64) -> (Vec<ZoneCoverage>, Vec<CoverageShape>) {
    let now = svc.now_ms();
    let runs = read_store(svc, "the runs", |s| {
        s.runs_between(now - LAST_CLEANED_LOOKBACK_MS - 86_400_000, now + 1)
    });
    let runs: Vec<Run> = runs.into_iter().map(|r| r.run).collect();
    let refs: Vec<&Run> = runs.iter().collect();
    let by_kind = covered_by_kind(&svc.site, &refs, &today(now));
    (
        zone_shares(&svc.site, &by_kind, &refs, now, stale_h),
        shapes_of(&by_kind),
    )
}

#[component]
pub fn CoverageView() -> Element {
    let svc = use_services();
    let rs = use_review();
    let lang = use_lang();
    let mut stale_h = rs.stale_h;
    // The runs of the last 14 days (for "last cleaned") and today's covered area, off the UI thread.
    let table = use_store_background(
        move || *stale_h.read(),
        |svc, n| coverage_now(svc, f64::from(n)),
    );
    let busy = computing(&table);
    let t = match &*table.read() {
        Some(Ok(t)) => t.clone(),
        _ => (vec![], vec![]),
    };
    let n = stale_h();
    let shades: Vec<Shade> =
        t.0.iter()
            .filter(|z| z.stale)
            .filter_map(|z| Shade::zone(&svc.plan, &z.zone_id, "stale-zone"))
            .collect();
    let stale_count = shades.len();
    let coverage = t.1.clone();
    let rows: Vec<(String, String, String, String, String, String, bool)> =
        t.0.iter()
            .map(|z| {
                (
                    z.zone_id.clone(),
                    zone_title(&svc.plan, &z.zone_id),
                    percent(kind_share(z, MachineKind::Fimpsug)),
                    percent(kind_share(z, MachineKind::Skurmaskin)),
                    percent(z.share),
                    last_cleaned(z, lang),
                    z.stale,
                )
            })
            .collect();
    rsx! {
        div { class: "rv-scroll", id: "rv-coverage-view",
            h2 { "{Word::CoverageTitle.t(lang)}" }
            Computing { busy }
            div { class: "chips rv-chips",
                span { class: "rv-flabel", "{Word::NotCleanedIn.t(lang)}" }
                for h in STALE_CHOICES {
                    button {
                        key: "{h}",
                        id: "stale-{h}",
                        class: if n == h { "on" } else { "" },
                        onclick: move |_| stale_h.set(h),
                        "{h} h"
                    }
                }
            }
            p { class: if stale_count > 0 { "rv-alert" } else { "rv-ok" }, id: "stale-count",
                "{stale_count} {Word::ZonesNotCleaned.t(lang)} {n} h"
            }
            div { class: "rv-map-box",
                SiteMap { pins: vec![], coverage, shades, pick_pins: false, on_tap: move |_: MapTap| {} }
            }
            p { class: "rv-legend",
                span { class: "rv-swatch fimpsug" }
                "{Word::Fimpsug.t(lang)} "
                span { class: "rv-swatch skurmaskin" }
                "{Word::Skurmaskin.t(lang)} "
                span { class: "rv-swatch stale" }
                "{Word::NotCleanedIn.t(lang)} {n} h"
            }
            table { class: "rv-table", id: "coverage-table",
                thead {
                    tr {
                        th { "{Word::Zone.t(lang)}" }
                        th { "{Word::Fimpsug.t(lang)}" }
                        th { "{Word::Skurmaskin.t(lang)}" }
                        th { "{Word::AnyMachine.t(lang)}" }
                        th { "{Word::LastCleaned.t(lang)}" }
                    }
                }
                tbody {
                    for (id, title, f, s, any, last, stale) in rows {
                        tr { key: "{id}", id: "cov-{id}", class: if stale { "stale" } else { "" },
                            td { "{title}" }
                            td { class: "num", "{f}" }
                            td { class: "num", "{s}" }
                            td { class: "num", b { "{any}" } }
                            td { "{last}" }
                        }
                    }
                }
            }
        }
    }
}
