//! One report as a row of a list: its kind's colour, what it is, when and where, its status, how many
//! times it was reported, and a badge (this phone's sync state, or "reviewed" for the platsansvarig).
//! Every list of reports uses it, so they read alike.

use dioxus::prelude::*;
use uuid::Uuid;

use super::pins::{report_color, report_label, status_label, sync_badge, themed, zone_label};
use crate::store::{PhotoCounts, ReportView, SyncState};
use crate::ui::explain::refusal_text;
use crate::ui::i18n::alerts::take_line;
use crate::ui::i18n::day_hhmm;
use crate::ui::i18n::photo::count_label;
use crate::ui::i18n::review::Word;
use crate::ui::state::theme::use_night;
use crate::ui::state::{use_lang, use_services};

/// What the row's badge says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowBadge {
    /// Pending, sent or rejected (with the reason under the row), for this phone's own changes.
    Sync,
    /// ✓ once the platsansvarig has reviewed it.
    Reviewed,
}

#[component]
pub fn ReportRow(
    r: ReportView,
    row_id: String,
    badge: RowBadge,
    on_pick: EventHandler<Uuid>,
    /// The report's photos, when it has any on this phone.
    #[props(default)]
    photos: Option<PhotoCounts>,
) -> Element {
    let lang = use_lang();
    let night = use_night();
    let svc = use_services();
    let now = svc.now_ms();
    let id = r.report.id;
    let when = r
        .report
        .when_ms()
        .map(|t| day_hhmm(t, now))
        .unwrap_or_default();
    let zone = zone_label(&svc.site, r.zone.as_deref());
    let sync = r.sync.clone().filter(|_| badge == RowBadge::Sync);
    rsx! {
        li { id: "{row_id}", onclick: move |_| on_pick.call(id),
            span { class: "swatch", style: "background: {themed(report_color(&r), night)}" }
            div { class: "main",
                div { b { "{report_label(&r, lang)}" } }
                div { class: "meta",
                    "{when} · {zone} · {status_label(r.status(), lang)}"
                    if r.report.count() > 1 { " · {r.report.count()}×" }
                }
                if let Some(t) = take_line(&r.report, now, lang) {
                    div { class: "meta taken", id: "{row_id}-taken", "{t}" }
                }
                if let Some(c) = photos.filter(|c| c.total > 0) {
                    div {
                        class: if c.failed > 0 { "meta photo-count error-text" } else { "meta photo-count" },
                        id: "{row_id}-photos",
                        "{count_label(c, lang)}"
                    }
                }
                if let Some(SyncState::Rejected(refusal)) = &sync {
                    div { class: "reason", "{refusal_text(refusal, lang)}" }
                }
            }
            if let Some(s) = &sync {
                span { class: "badge {sync_badge(s, lang).0}", "{sync_badge(s, lang).1}" }
            }
            if badge == RowBadge::Reviewed && r.report.reviewed.is_some() {
                span { class: "badge reviewed", title: Word::Reviewed.t(lang), "✓" }
            }
        }
    }
}
