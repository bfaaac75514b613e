//! Disturbances by local hour and zone as a heat table for the period, with the period's counts by level
//! and interventions. Counts only: no free text, no identities.

use dioxus::prelude::*;
use torgkoll_shared::analytics::disturbances::{disturbance_heat, disturbance_summary};
use torgkoll_shared::analytics::{HeatCell, HeatTable, Period};

use super::{span_word, use_review};
use crate::ui::i18n::review::Word;
use crate::ui::state::background::{Computing, computing, use_background};
use crate::ui::state::{use_lang, use_services};

/// A cell's background: transparent at zero, deeper red the more disturbances.
pub fn heat_style(c: &HeatCell, max: u32) -> String {
    if c.count == 0 || max == 0 {
        return String::new();
    }
    let a = 0.15 + 0.75 * f64::from(c.count) / f64::from(max);
    let ink = if a > 0.55 { "#fff" } else { "#111" };
    format!("background: rgba(198, 40, 40, {a:.2}); color: {ink}")
}

/// A cell as drawn: its style, class and count.
type CellView = (String, &'static str, u32);

fn cell_class(c: &HeatCell) -> &'static str {
    if c.levels[0] > 0 { "l1" } else { "" }
}

#[component]
pub fn DisturbanceHeatView() -> Element {
    let svc = use_services();
    let rs = use_review();
    let lang = use_lang();
    let heat = use_background(
        {
            let svc = svc.clone();
            move || {
                let p = (rs.span)().period(svc.now_ms());
                (svc.site.clone(), rs.reports.read().clone(), p)
            }
        },
        |(site, reports, p)| {
            let it = || reports.iter().map(|r| &r.report);
            (
                disturbance_heat(&site, it(), &p),
                disturbance_summary(it(), &p),
            )
        },
    );
    let busy = computing(&heat);
    let h = match &*heat.read() {
        Some(Ok(h)) => h.clone(),
        // Nothing yet: an empty table while the first one is computed.
        _ => {
            let p = Period::new(0, 0);
            (
                disturbance_heat(&svc.site, std::iter::empty(), &p),
                disturbance_summary(std::iter::empty(), &p),
            )
        }
    };
    let (table, sum): (&HeatTable, _) = (&h.0, &h.1);
    let max = table.max;
    let rows: Vec<(String, Vec<CellView>, u32)> = table
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .hours
                .iter()
                .map(|c| (heat_style(c, max), cell_class(c), c.count))
                .collect();
            (r.zone.id.clone(), cells, r.total.count)
        })
        .collect();
    let by_hour: Vec<u32> = table.by_hour.iter().map(|c| c.count).collect();
    let summary: Vec<String> = vec![
        format!("{} {}", sum.total, Word::DisturbancesWord.t(lang)),
        format!("{}: {}", Word::Level1.t(lang), sum.by_level[0]),
        format!("{}: {}", Word::Level2.t(lang), sum.by_level[1]),
        format!("{}: {}", Word::Level3.t(lang), sum.by_level[2]),
        format!(
            "{} {}",
            sum.interventions_total,
            Word::InterventionsWord.t(lang)
        ),
    ];
    let total = sum.total;
    drop(h);
    let span = (rs.span)();
    rsx! {
        div { class: "rv-scroll", id: "rv-disturbance-view",
            h2 { "{Word::HeatTableTitle.t(lang)} · {span_word(span).t(lang)}" }
            Computing { busy }
            p { class: "rv-summary", id: "dist-summary",
                for (i, part) in summary.into_iter().enumerate() {
                    span { key: "{i}", if i > 0 { "\u{a0}· " } b { "{part}" } }
                }
            }
            if total == 0 {
                p { id: "dist-none", "{Word::NoDisturbances.t(lang)}" }
            }
            div { class: "rv-heat-wrap",
                table { class: "rv-heat", id: "dist-heat",
                    thead {
                        tr {
                            th { class: "zone", "{Word::Zone.t(lang)}" }
                            for hr in 0..24 {
                                th { key: "{hr}", class: if hr % 3 == 0 { "h3" } else { "" },
                                    if hr % 3 == 0 { "{hr:02}" }
                                }
                            }
                            th { class: "sum", "Σ" }
                        }
                    }
                    tbody {
                        for (zone, cells, zt) in rows {
                            tr { key: "{zone}", id: "heat-{zone}",
                                th { class: "zone", "{zone}" }
                                for (hr, (style, class, n)) in cells.into_iter().enumerate() {
                                    td { key: "{hr}", class: "{class}", style: "{style}",
                                        if n > 0 { "{n}" }
                                    }
                                }
                                td { class: "sum", "{zt}" }
                            }
                        }
                        tr { class: "total", id: "heat-total",
                            th { class: "zone", "Σ" }
                            for (hr, n) in by_hour.into_iter().enumerate() {
                                td { key: "{hr}", if n > 0 { "{n}" } }
                            }
                            td { class: "sum", "{total}" }
                        }
                    }
                }
            }
            p { class: "meta", "{Word::HeatLegend.t(lang)}" }
        }
    }
}
