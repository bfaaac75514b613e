//! The platsansvarig's review ("Granska"): everything synced on the map with filters and a list, triage
//! from a report's sheet, hotspots, machine coverage, disturbances by hour and zone, freshness per
//! zone, and the phones ("Telefoner", fetched from the server). One screen with its own row of
//! sub-views; the period and filters are kept while switching. Under them, one button each for the
//! day's lägesbild and the exports (`documents.rs`).
//!
//! The data comes from the phone's store (a manager's phone pulls everything). The period's reports are
//! read once per change of period or store (`UiState::rev`) into a memo every sub-view shares; each
//! sub-view computes its analytics on a worker thread when its inputs change
//! ([`use_background`](crate::ui::state::background::use_background)), so neither a render nor a big
//! day's coverage holds up the UI thread.

pub mod coverage;
pub mod devices;
pub mod disturbances;
pub mod documents;
pub mod filter;
pub mod filter_panel;
#[cfg(test)]
mod filter_tests;
pub mod freshness;
pub mod hotspots;
pub mod map_list;
pub mod triage;

use dioxus::prelude::*;
use torgkoll_shared::CleaningCategory;
use uuid::Uuid;

use crate::store::ReportView;
use crate::ui::components::review::ReviewStyle;
use crate::ui::state::queries::use_store_query;
use crate::ui::state::use_lang;
use triage::TriageSheet;

use crate::ui::i18n::review::Word;
pub use filter::{ReviewFilter, Span, StatusFilter};

/// The review's sub-views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewTab {
    Map,
    Hotspots,
    Machines,
    Disturbances,
    Freshness,
    /// Who is out there: the phones and their last contact (fetched from the server).
    Devices,
}

impl ReviewTab {
    pub const ALL: [ReviewTab; 6] = [
        ReviewTab::Map,
        ReviewTab::Hotspots,
        ReviewTab::Machines,
        ReviewTab::Disturbances,
        ReviewTab::Freshness,
        ReviewTab::Devices,
    ];

    /// The id of its button.
    pub fn id(self) -> &'static str {
        match self {
            ReviewTab::Map => "rv-map",
            ReviewTab::Hotspots => "rv-hotspots",
            ReviewTab::Machines => "rv-machines",
            ReviewTab::Disturbances => "rv-disturbances",
            ReviewTab::Freshness => "rv-freshness",
            ReviewTab::Devices => "rv-devices",
        }
    }

    /// Whether the period chips apply (coverage is today's, freshness is as of now).
    pub fn uses_period(self) -> bool {
        matches!(
            self,
            ReviewTab::Map | ReviewTab::Hotspots | ReviewTab::Disturbances
        )
    }

    pub fn word(self) -> Word {
        match self {
            ReviewTab::Map => Word::SubMap,
            ReviewTab::Hotspots => Word::SubHotspots,
            ReviewTab::Machines => Word::SubMachines,
            ReviewTab::Disturbances => Word::SubDisturbances,
            ReviewTab::Freshness => Word::SubFreshness,
            ReviewTab::Devices => Word::SubDevices,
        }
    }
}

pub fn span_word(s: Span) -> Word {
    match s {
        Span::Today => Word::SpanToday,
        Span::Week => Word::SpanWeek,
        Span::FourWeeks => Word::SpanFourWeeks,
    }
}

/// The review's state, shared by its sub-views through the context. `Copy`: signals are handles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReviewState {
    pub tab: Signal<ReviewTab>,
    pub span: Signal<Span>,
    pub filter: Signal<ReviewFilter>,
    pub show_filters: Signal<bool>,
    /// The report whose triage sheet is open.
    pub selected: Signal<Option<Uuid>>,
    /// Zones not cleaned in this many hours are highlighted.
    pub stale_h: Signal<u32>,
    /// The hotspot map's category (`None`: all).
    pub hot_category: Signal<Option<CleaningCategory>>,
    /// The period's reports (withdrawn ones left out), newest first.
    pub reports: Memo<Vec<ReportView>>,
}

pub fn use_review() -> ReviewState {
    use_context::<ReviewState>()
}

/// Reads the store on a worker thread, logging a failed read as empty.
pub(crate) fn read_store<T: Default>(
    svc: &crate::ui::state::Services,
    what: &str,
    f: impl FnOnce(&crate::store::Store) -> crate::store::Result<T>,
) -> T {
    crate::ui::state::queries::logged(what, f(&svc.store()))
}

#[component]
pub fn ReviewView() -> Element {
    let lang = use_lang();
    let span = use_signal(Span::default);
    let reports = use_store_query("the period's reports", move |s, now| {
        let p = span().period(now);
        s.reports_between(p.from_ms, p.to_ms)
    });
    let rs = use_context_provider(|| ReviewState {
        tab: Signal::new(ReviewTab::Map),
        span,
        filter: Signal::new(ReviewFilter::default()),
        show_filters: Signal::new(false),
        selected: Signal::new(None),
        stale_h: Signal::new(4),
        hot_category: Signal::new(None),
        reports,
    });
    let (mut tab, mut span, mut show_filters, mut selected) =
        (rs.tab, rs.span, rs.show_filters, rs.selected);
    let current = tab();
    let active_filters = rs.filter.read().active();
    rsx! {
        ReviewStyle {}
        div { class: "review", id: "review",
            nav { class: "rv-tabs", role: "tablist",
                for t in ReviewTab::ALL {
                    button {
                        key: "{t.id()}",
                        id: t.id(),
                        role: "tab",
                        class: if t == current { "on" } else { "" },
                        onclick: move |_| {
                            selected.set(None);
                            tab.set(t);
                        },
                        "{t.word().t(lang)}"
                    }
                }
            }
            div { class: "rv-bar",
                for s in Span::ALL.into_iter().filter(|_| current.uses_period()) {
                    button {
                        key: "{s.code()}",
                        id: "span-{s.code()}",
                        class: if span() == s { "on" } else { "" },
                        onclick: move |_| span.set(s),
                        "{span_word(s).t(lang)}"
                    }
                }
                if current == ReviewTab::Map {
                    button {
                        id: "rv-filter-toggle",
                        class: if show_filters() { "on filter-toggle" } else { "filter-toggle" },
                        onclick: move |_| show_filters.set(!show_filters()),
                        if active_filters > 0 {
                            "{Word::Filter.t(lang)} ({active_filters})"
                        } else {
                            "{Word::Filter.t(lang)}"
                        }
                    }
                }
            }
            match current {
                ReviewTab::Map => rsx! { map_list::ReviewMapList {} },
                ReviewTab::Hotspots => rsx! { hotspots::HotspotsView {} },
                ReviewTab::Machines => rsx! { coverage::CoverageView {} },
                ReviewTab::Disturbances => rsx! { disturbances::DisturbanceHeatView {} },
                ReviewTab::Freshness => rsx! { freshness::FreshnessView {} },
                ReviewTab::Devices => rsx! { devices::DevicesView {} },
            }
            documents::ReviewDocs {}
        }
        if let Some(id) = selected() {
            TriageSheet { key: "{id}", id, on_close: move |_| selected.set(None) }
        }
    }
}
