//! Read hooks: what the screens show, read from the store. [`use_store_query`] is the one way a view reads
//! the store: it runs again whenever the store changes (`UiState::rev`, bumped after every local write
//! and every sync) or a signal the query reads changes, so no view reads the refresh counter itself.

use dioxus::prelude::*;
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::{CoverageShape, coverage_shapes};
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::{Role, Run};

use crate::store::{FieldFilter, ReportView, RunView, Shift, Store};

use super::{use_services, use_ui};

/// The local day of `now_ms` as a period.
pub fn today(now_ms: i64) -> Period {
    Period::day(local_date(now_ms))
}

/// A failed read is logged and shows as nothing.
pub(crate) fn logged<T: Default>(what: &str, r: crate::store::Result<T>) -> T {
    r.unwrap_or_else(|e| {
        tracing::error!("reading {what} failed: {e}");
        T::default()
    })
}

/// A query of the store (given the phone's clock now), re-run when the store changes or a signal it
/// reads changes.
pub fn use_store_query<T: PartialEq + Default + 'static>(
    what: &'static str,
    query: impl Fn(&Store, i64) -> crate::store::Result<T> + 'static,
) -> Memo<T> {
    let svc = use_services();
    let ui = use_ui();
    use_memo(move || {
        let _ = (ui.rev)();
        let now = svc.now_ms();
        logged(what, query(&svc.store(), now))
    })
}

/// What the field maps and lists show under `filter`: by default everything still open whatever its age,
/// and what closed today. A cleaner's phone holds cleaning data only.
pub fn use_field_reports(filter: Signal<FieldFilter>) -> Memo<Vec<ReportView>> {
    use_store_query("the field's reports", move |s, now| {
        s.field_reports(filter(), &today(now), now)
    })
}

/// Today's machine runs, newest first.
pub fn use_today_runs() -> Memo<Vec<RunView>> {
    use_store_query("today's runs", |s, now| {
        let p = today(now);
        s.runs_between(p.from_ms, p.to_ms)
    })
}

/// This phone's running machine run, if any.
pub fn use_active_run() -> Memo<Option<Run>> {
    use_store_query("the active run", |s, _| s.active_run())
}

/// This phone's own reports with their sync state, newest first.
pub fn use_my_reports(limit: usize) -> Memo<Vec<ReportView>> {
    use_store_query("my reports", move |s, _| s.my_reports(limit))
}

/// This phone's shift, if one is running.
pub fn use_shift() -> Memo<Option<Shift>> {
    use_store_query("the shift", |s, _| s.shift())
}

/// One report as it now is.
pub fn use_report(id: uuid::Uuid) -> Memo<Option<ReportView>> {
    use_store_query("a report", move |s, _| s.report(id))
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

/// Whether a role sees a report on its map (the rule in `torgkoll_shared::access`). A cleaner's phone
/// is never sent a disturbance; this keeps a screen right even if one were on the phone.
pub fn visible_to(role: Role, r: &ReportView) -> bool {
    torgkoll_shared::access::domain_of_report(&r.report)
        .is_some_and(|d| torgkoll_shared::access::may_see(role, d))
}
