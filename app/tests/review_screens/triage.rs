//! Triage from a report's sheet: reviewed, resolved, duplicate of a nearby report of the same kind,
//! reclassified. Each decision is one operation on the phone's disk, queued for the server.

use torgkoll_shared::{Classification, CleaningCategory, OpBody, Status};
use uuid::Uuid;

use crate::harness::Ui;
use crate::seed::manager_with_known_day;

fn open(ui: &mut Ui, id: Uuid) {
    ui.click("tab-review");
    ui.click(&format!("rv-row-{id}"));
    assert!(ui.has("triage-sheet"), "{}", ui.html());
}

fn last_op(ui: &Ui) -> OpBody {
    ui.ops().pop().expect("an operation")
}

#[test]
fn marking_reviewed_writes_a_review_operation_and_shows_it() {
    let (mut ui, day) = manager_with_known_day();
    let id = day.fimpar[2];
    open(&mut ui, id);
    assert!(ui.html().contains("Ej granskad"));
    let before = ui.ops().len();
    ui.click("triage-review");
    assert_eq!(ui.ops().len(), before + 1);
    assert_eq!(last_op(&ui), OpBody::Review { report: id });
    let disk = ui.disk();
    assert!(disk.report(id).unwrap().unwrap().report.reviewed.is_some());
    assert_eq!(
        disk.pending_count().unwrap(),
        1,
        "queued for the server like any report"
    );
    let html = ui.html();
    assert!(html.contains("✓ Granskad"), "{html}");
    assert!(html.contains("1 gång"), "{html}");
    assert!(
        !html.contains("id=\"triage-review\""),
        "no second review button"
    );
    assert!(html.contains("Sparad · Granskad"), "the toast: {html}");
    // The list marks it, and the unreviewed filter leaves it out.
    ui.click("triage-close");
    ui.click("rv-filter-toggle");
    ui.click("f-status-unreviewed");
    ui.click("rv-filter-toggle");
    assert!(!ui.has(&format!("rv-row-{id}")));
    assert!(ui.has(&format!("rv-row-{}", day.fimpar[0])));
}

#[test]
fn resolving_a_disturbance_records_a_resolve() {
    let (mut ui, day) = manager_with_known_day();
    let id = day.disturbances[0];
    open(&mut ui, id);
    let html = ui.html();
    assert!(html.contains("Akut") || html.contains("akut"), "{html}");
    ui.click("triage-resolve");
    assert_eq!(last_op(&ui), OpBody::Resolve { report: id });
    assert_eq!(
        ui.disk().report(id).unwrap().unwrap().status(),
        Status::Resolved
    );
    assert!(!ui.has("triage-resolve"));
}

#[test]
fn a_duplicate_is_picked_from_nearby_reports_of_the_same_kind() {
    let (mut ui, day) = manager_with_known_day();
    let id = day.fimpar[2];
    open(&mut ui, id);
    ui.click("triage-duplicate");
    let html = ui.html();
    // The two other fimpar reports at the same spot are offered; the snus report (another zone), the
    // disturbances (another kind) and the report itself are not.
    for other in &day.fimpar[..2] {
        assert!(html.contains(&format!("id=\"dup-{other}\"")), "{html}");
    }
    for not in [id, day.snus, day.disturbances[0], day.old_fimpar] {
        assert!(!html.contains(&format!("id=\"dup-{not}\"")));
    }
    assert!(html.contains("· 0 m"));
    let of = day.fimpar[0];
    ui.click(&format!("dup-{of}"));
    assert_eq!(last_op(&ui), OpBody::Duplicate { report: id, of });
    assert_eq!(
        ui.disk().report(id).unwrap().unwrap().status(),
        Status::Duplicate
    );
    let html = ui.html();
    assert!(html.contains("Dubblett av"), "{html}");
    assert!(!html.contains("id=\"triage-duplicate\""));
}

#[test]
fn reclassifying_offers_the_other_categories_of_the_same_kind() {
    let (mut ui, day) = manager_with_known_day();
    let id = day.fimpar[1];
    open(&mut ui, id);
    ui.click("triage-reclassify");
    let html = ui.html();
    assert!(html.contains("id=\"reclass-snus\""));
    assert!(
        !html.contains("id=\"reclass-fimpar\""),
        "not its own category"
    );
    assert!(
        !html.contains("id=\"reclass-berusad\""),
        "no disturbance category for a cleaning report"
    );
    ui.click("reclass-snus");
    assert_eq!(
        last_op(&ui),
        OpBody::Reclassify {
            report: id,
            to: Classification::Cleaning(CleaningCategory::Snus)
        }
    );
    let sheet = ui.html();
    let at = sheet.find("id=\"triage-sheet\"").expect("sheet");
    assert!(
        sheet[at..].contains("<h2>Snus</h2>"),
        "{}",
        &sheet[at..at + 300]
    );
}

/// A report from a phone whose clock was reset to 1970: the server corrected its time, so it is among
/// today's reports at the time it was made, and its sheet says what the phone's clock said.
#[test]
fn a_report_from_a_reset_phone_lies_today_and_says_its_time_was_corrected() {
    use crate::seed::{Fleet, in_zone};
    use torgkoll_shared::Role;

    let mut made = None;
    let mut ui = Ui::with_store(Some(Role::Manager), |store, now| {
        let mut f = Fleet::default();
        let site = store.site().clone();
        let t = now - 3_600_000;
        made = Some(f.clean(t, CleaningCategory::Glaskross, in_zone(&site, 3, 0.0, 0.0)));
        f.said_by_wrong_clock(3 * 3_600_000);
        f.deliver(store, now);
    });
    let id = made.expect("made");
    open(&mut ui, id);
    let html = ui.html();
    assert!(html.contains("Tid rättad"), "{html}");
    assert!(
        html.contains("telefonens klocka visade 1970-01-01 04:00"),
        "{html}"
    );
}
