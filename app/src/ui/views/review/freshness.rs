//! Freshness: per zone, when the latest synced report and machine run came from it, so a zone with no
//! data does not read as a quiet one.

use dioxus::prelude::*;
use torgkoll_shared::Run;
use torgkoll_shared::analytics::ZoneFreshness;
use torgkoll_shared::analytics::freshness::{FRESHNESS_LOOKBACK_MS, freshness};

use super::hotspots::zone_title;
use super::read_store;
use crate::ui::components::review::Shade;
use crate::ui::components::{MapTap, SiteMap};
use crate::ui::i18n::day_hhmm;
use crate::ui::i18n::review::{Word, hours};
use crate::ui::state::background::{Computing, computing, use_store_background};
use crate::ui::state::{Services, use_lang, use_services};

/// Data older than this many hours is marked as not current.
pub const OLD_AFTER_H: f64 = 4.0;

/// Each zone's freshness as of now, read and computed on a worker thread.
fn freshness_now(svc: &Services) -> (Vec<ZoneFreshness>, i64) {
    let now = svc.now_ms();
    let from = now - FRESHNESS_LOOKBACK_MS;
    let reports = read_store(svc, "recent reports", |s| s.reports_between(from, now + 1));
    let runs: Vec<Run> = read_store(svc, "recent runs", |s| {
        s.runs_between(from - 86_400_000, now + 1)
    })
    .into_iter()
    .map(|r| r.run)
    .collect();
    let refs: Vec<&Run> = runs.iter().collect();
    (
        freshness(&svc.site, reports.iter().map(|r| &r.report), &refs, now),
        now,
    )
}

#[component]
pub fn FreshnessView() -> Element {
    let svc = use_services();
    let lang = use_lang();
    let fresh = use_store_background(|| (), |svc, ()| freshness_now(svc));
    let busy = computing(&fresh);
    let f = match &*fresh.read() {
        Some(Ok(f)) => f.clone(),
        _ => (vec![], svc.now_ms()),
    };
    let now = f.1;
    let show =
        |t: Option<i64>| t.map_or_else(|| Word::NoneYet.t(lang).to_owned(), |t| day_hhmm(t, now));
    let rows: Vec<(String, String, String, String, String, &'static str)> =
        f.0.iter()
            .map(|z| {
                let (age, class) = match z.age_h {
                    None => (Word::NoData.t(lang).to_owned(), "nodata"),
                    Some(h) => (
                        format!("{} {}", hours(h, lang), Word::HoursAgo.t(lang)),
                        if h > OLD_AFTER_H { "old" } else { "" },
                    ),
                };
                (
                    z.zone_id.clone(),
                    zone_title(&svc.plan, &z.zone_id),
                    show(z.last_report_ms),
                    show(z.last_run_ms),
                    age,
                    class,
                )
            })
            .collect();
    let shades: Vec<Shade> = rows
        .iter()
        .filter(|r| !r.5.is_empty())
        .filter_map(|r| {
            Shade::zone(
                &svc.plan,
                &r.0,
                if r.5 == "nodata" {
                    "fresh-none"
                } else {
                    "fresh-old"
                },
            )
        })
        .collect();
    rsx! {
        div { class: "rv-scroll", id: "rv-freshness-view",
            h2 { "{Word::FreshTitle.t(lang)}" }
            Computing { busy }
            p { class: "rv-note", "{Word::FreshHint.t(lang)}" }
            div { class: "rv-map-box small",
                SiteMap { pins: vec![], shades, pick_pins: false, on_tap: move |_: MapTap| {} }
            }
            table { class: "rv-table", id: "fresh-table",
                thead {
                    tr {
                        th { "{Word::Zone.t(lang)}" }
                        th { "{Word::LatestReport.t(lang)}" }
                        th { "{Word::LatestRun.t(lang)}" }
                        th { "{Word::Age.t(lang)}" }
                    }
                }
                tbody {
                    for (id, title, rep, run, age, class) in rows {
                        tr { key: "{id}", id: "fresh-{id}", class: "{class}",
                            td { "{title}" }
                            td { "{rep}" }
                            td { "{run}" }
                            td { b { "{age}" } }
                        }
                    }
                }
            }
            p { class: "rv-legend",
                span { class: "rv-swatch old" }
                "{Word::StaleData.t(lang)} "
                span { class: "rv-swatch nodata" }
                "{Word::NoData.t(lang)}"
            }
        }
    }
}
