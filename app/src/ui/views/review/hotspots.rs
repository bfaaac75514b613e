//! Hotspots: the period's cleaning reports counted per 5 m cell (by category, or all) drawn as a heat
//! layer on the map with the busiest cells listed, and the recurring hotspots of today's weekday by zone
//! and hour against the previous four weeks.

use dioxus::prelude::*;
use torgkoll_shared::CleaningCategory;
use torgkoll_shared::analytics::hotspots::{CELL_M, hotspot_grid};
use torgkoll_shared::analytics::recurring::recurring_hotspots;
use torgkoll_shared::analytics::{Period, RecurringHotspot, RecurringRule, cleaning_category};
use torgkoll_shared::calendar::local_date;

use super::{read_store, span_word, use_review};
use crate::ui::components::review::Shade;
use crate::ui::components::{MapTap, SiteMap};
use crate::ui::i18n::review::{Word, counted, hours};
use crate::ui::state::background::{Computing, computing, use_background, use_store_background};
use crate::ui::state::{Services, SitePlan, use_lang, use_services};

/// How many of the busiest cells are listed.
pub const TOP_CELLS: usize = 5;

/// A zone's id and its short name from the plan ("Z3 Fontänen").
pub fn zone_title(plan: &SitePlan, id: &str) -> String {
    plan.zones
        .iter()
        .find(|z| z.id == id)
        .map_or_else(|| id.to_owned(), |z| format!("{} {}", z.id, z.name))
}

/// Today's recurring hotspots against the four weeks before, read and computed on a worker thread.
fn recurring_now(svc: &Services) -> Vec<RecurringHotspot> {
    let date = local_date(svc.now_ms());
    let from = Period::day(date.add_days(-29)).from_ms;
    let to = Period::day(date).to_ms;
    let reports = read_store(svc, "four weeks of reports", |s| {
        s.reports_between(from, to)
    });
    recurring_hotspots(
        &svc.site,
        reports.iter().map(|r| &r.report),
        date,
        RecurringRule::default(),
    )
}

#[component]
pub fn HotspotsView() -> Element {
    let svc = use_services();
    let rs = use_review();
    let lang = use_lang();
    let mut category = rs.hot_category;
    // The grid and the recurring hotspots are computed off the UI thread.
    let grid = {
        let svc = svc.clone();
        use_background(
            move || {
                let p = (rs.span)().period(svc.now_ms());
                (svc.site.clone(), rs.reports.read().clone(), p, category())
            },
            |(site, reports, p, only)| {
                hotspot_grid(&site, reports.iter().map(|r| &r.report), &p, CELL_M, only)
            },
        )
    };
    let present = use_memo(move || {
        let reports = rs.reports.read();
        CleaningCategory::ALL
            .iter()
            .copied()
            .filter(|c| {
                reports
                    .iter()
                    .any(|r| cleaning_category(&r.report) == Some(*c))
            })
            .collect::<Vec<_>>()
    });
    let recurring = use_store_background(|| (), |svc, ()| recurring_now(svc));
    let busy = computing(&grid) || computing(&recurring);
    let g = match &*grid.read() {
        Some(Ok(g)) => g.clone(),
        // Nothing yet: an empty grid while the first one is computed.
        _ => hotspot_grid(
            &svc.site,
            std::iter::empty(),
            &Period::new(0, 0),
            CELL_M,
            None,
        ),
    };
    let max = g.cells.iter().map(|c| c.total).max().unwrap_or(0);
    let shades: Vec<Shade> = g
        .cells
        .iter()
        .map(|c| {
            let s = 0.2 + 0.75 * f64::from(c.total) / f64::from(max.max(1));
            Shade::cell(c.centre_view, g.grid.cell_m, "heat", s)
        })
        .collect();
    let top: Vec<(String, String, u32)> = g
        .top(TOP_CELLS)
        .into_iter()
        .map(|c| {
            let zone = c
                .zone_id
                .as_deref()
                .map(|z| zone_title(&svc.plan, z))
                .unwrap_or_default();
            let cats = c
                .by_category
                .iter()
                .take(3)
                .map(|k| format!("{} {}", k.category.label(lang), k.count))
                .collect::<Vec<_>>()
                .join(" · ");
            (zone, cats, c.total)
        })
        .collect();
    let (total, ncells) = (g.total, g.cells.len());
    let span = (rs.span)();
    let found = match &*recurring.read() {
        Some(Ok(r)) => r.clone(),
        _ => vec![],
    };
    let rec: Vec<(String, String)> = found
        .iter()
        .map(|h| {
            let what = format!(
                "{} · {:02}–{:02}",
                zone_title(&svc.plan, &h.zone_id),
                h.hour,
                (h.hour + 1) % 24
            );
            let how = format!(
                "{} {}{} ({} {}) · {} {}",
                Word::Usually.t(lang),
                hours(h.usual, lang),
                Word::PerWeek.t(lang),
                h.weeks_seen,
                Word::WeeksOf4.t(lang),
                Word::TodayWord.t(lang),
                h.today
            );
            (what, how)
        })
        .collect();
    rsx! {
        div { class: "rv-scroll", id: "rv-hotspots-view",
            h2 { "{Word::HeatTitle.t(lang)} · {span_word(span).t(lang)}" }
            Computing { busy }
            div { class: "chips rv-chips",
                button {
                    id: "hot-all",
                    class: if category().is_none() { "on" } else { "" },
                    onclick: move |_| category.set(None),
                    "{Word::AllCategories.t(lang)}"
                }
                for c in present() {
                    button {
                        key: "{c.code()}",
                        id: "hot-{c.code()}",
                        class: if category() == Some(c) { "on" } else { "" },
                        onclick: move |_| category.set(Some(c)),
                        "{c.label(lang)}"
                    }
                }
            }
            div { class: "rv-map-box",
                SiteMap { pins: vec![], shades, pick_pins: false, on_tap: move |_: MapTap| {} }
            }
            if total == 0 {
                p { id: "hot-none", "{Word::NoCleaning.t(lang)}" }
            } else {
                p { class: "rv-legend", id: "hot-total",
                    span { class: "rv-swatch heat" }
                    "{counted(total as usize, Word::Report, Word::Reports, lang)} {Word::InCells.t(lang)} {counted(ncells, Word::Cell, Word::Cells, lang)} · {Word::MaxInCell.t(lang)} {max} {Word::PerCell.t(lang)}"
                }
                h3 { "{Word::TopCells.t(lang)}" }
                ol { class: "rv-top", id: "hot-top",
                    for (i, (zone, cats, n)) in top.into_iter().enumerate() {
                        li { key: "{i}",
                            b { "{n}" }
                            " · {zone} · {cats}"
                        }
                    }
                }
            }
            h3 { "{Word::Recurring.t(lang)}" }
            p { class: "meta", "{Word::RecurringHint.t(lang)}" }
            if rec.is_empty() {
                p { id: "recurring-none", "{Word::NoRecurring.t(lang)}" }
            }
            ul { class: "list", id: "recurring",
                for (i, (what, how)) in rec.into_iter().enumerate() {
                    li { key: "{i}",
                        div { class: "main",
                            b { "{what}" }
                            div { class: "meta", "{how}" }
                        }
                    }
                }
            }
        }
    }
}
