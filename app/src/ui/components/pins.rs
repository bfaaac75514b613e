//! How reports look: pin colours by kind and status, and the words for statuses and sync states.

use torgkoll_shared::{Classification, CleaningCategory, Lang, ReportBody, Status};

use super::map::{Pin, PinAge};
use crate::store::{ReportView, SyncState};
use crate::ui::i18n::Msg;

/// Cleaning categories: litter orange, hazards (glass, needles, vomit) purple-red, the rest brown.
pub fn category_color(c: CleaningCategory) -> &'static str {
    use CleaningCategory::*;
    match c {
        Glaskross | Kanyler | Spyor => "#ad1457",
        Klotter | Skadegorelse => "#5d4037",
        _ => "#e65100",
    }
}

/// Disturbance levels: 1 red, 2 yellow, 3 green.
pub fn level_color(level: u8) -> &'static str {
    match level {
        1 => "#c62828",
        2 => "#f9a825",
        _ => "#2e7d32",
    }
}

/// A requested cleaning task.
const TASK_COLOR: &str = "#6a1b9a";
const GREY: &str = "#757575";

/// The colour of a report: by its kind and category or level; grey when it is a duplicate.
pub fn report_color(r: &ReportView) -> &'static str {
    if r.status() == Status::Duplicate {
        return GREY;
    }
    match (&r.report.body, r.report.classification()) {
        (
            Some(ReportBody::Cleaning {
                requested_from: Some(_),
                ..
            }),
            _,
        ) => TASK_COLOR,
        (Some(ReportBody::Disturbance(_)), _) => level_color(r.report.level().unwrap_or(3)),
        (_, Some(Classification::Cleaning(c))) => category_color(c),
        _ => GREY,
    }
}

/// The pin of a report as of `now_ms`, if it has a place.
pub fn pin_of(r: &ReportView, now_ms: i64) -> Option<Pin> {
    Some(Pin {
        id: r.report.id,
        at: r.report.at()?,
        color: report_color(r),
        hollow: r.status() != Status::Open,
        count: r.report.count(),
        age: PinAge::of(r.report.when_ms().unwrap_or(now_ms), now_ms),
    })
}

/// What a report is, in words.
pub fn report_label(r: &ReportView, lang: Lang) -> String {
    match r.report.classification() {
        Some(Classification::Cleaning(c)) => c.label(lang).to_owned(),
        Some(Classification::Disturbance(d)) => d.label(lang).to_owned(),
        None => "?".to_owned(),
    }
}

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Open => Msg::StatusOpen.t(lang),
        Status::Resolved => Msg::StatusResolved.t(lang),
        Status::Duplicate => Msg::StatusDuplicate.t(lang),
        Status::Withdrawn => Msg::StatusWithdrawn.t(lang),
    }
}

/// The badge of a sync state: its CSS class and its word.
pub fn sync_badge(s: &SyncState, lang: Lang) -> (&'static str, &'static str) {
    match s {
        SyncState::Pending => ("pending", Msg::SyncPending.t(lang)),
        SyncState::Sent => ("sent", Msg::SyncSent.t(lang)),
        SyncState::Rejected(_) => ("rejected", Msg::SyncRejected.t(lang)),
    }
}
