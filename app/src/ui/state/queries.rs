//! Read hooks: what the screens show, re-read from the store whenever `UiState::rev` changes.

use dioxus::prelude::*;
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::{CoverageShape, coverage_shapes};
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::{Role, Run};

use crate::store::{ReportView, RunView};

use super::{use_services, use_ui};

/// The local day of `now_ms` as a period.
pub fn today(now_ms: i64) -> Period {
    Period::day(local_date(now_ms))
}

fn logged<T: Default>(what: &str, r: crate::store::Result<T>) -> T {
    r.unwrap_or_else(|e| {
        tracing::error!("reading {what} failed: {e}");
        T::default()
    })
}

/// Today's reports, newest first (withdrawn ones left out); a cleaner's phone holds cleaning data only.
pub fn use_today_reports() -> Memo<Vec<ReportView>> {
    let svc = use_services();
    let ui = use_ui();
    use_memo(move || {
        let _ = (ui.rev)();
        let p = today(svc.now_ms());
        logged(
            "today's reports",
            svc.store().reports_between(p.from_ms, p.to_ms),
        )
    })
}

/// Today's machine runs, newest first.
pub fn use_today_runs() -> Memo<Vec<RunView>> {
    let svc = use_services();
    let ui = use_ui();
    use_memo(move || {
        let _ = (ui.rev)();
        let p = today(svc.now_ms());
        logged("today's runs", svc.store().runs_between(p.from_ms, p.to_ms))
    })
}

/// This phone's running machine run, if any.
pub fn use_active_run() -> Memo<Option<Run>> {
    let svc = use_services();
    let ui = use_ui();
    use_memo(move || {
        let _ = (ui.rev)();
        logged("the active run", svc.store().active_run())
    })
}

/// This phone's own reports with their sync state, newest first.
pub fn use_my_reports(limit: usize) -> Memo<Vec<ReportView>> {
    let svc = use_services();
    let ui = use_ui();
    use_memo(move || {
        let _ = (ui.rev)();
        logged("my reports", svc.store().my_reports(limit))
    })
}

/// The area today's runs covered, per machine kind, for the map.
pub fn use_today_coverage(runs: Memo<Vec<RunView>>) -> Memo<Vec<CoverageShape>> {
    let svc = use_services();
    use_memo(move || {
        let runs = runs.read();
        let refs: Vec<&Run> = runs.iter().map(|r| &r.run).collect();
        coverage_shapes(&svc.site, &refs, &today(svc.now_ms()))
    })
}

/// Whether a role sees a report on its map: cleaners see cleaning reports, the others everything.
pub fn visible_to(role: Role, r: &ReportView) -> bool {
    role != Role::Cleaner
        || matches!(
            r.report.body,
            Some(torgkoll_shared::ReportBody::Cleaning { .. })
        )
}
