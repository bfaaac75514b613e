//! A guard's incident as it happens, on a night shift with three days of data: logged 15 minutes back,
//! amended twice (only what changed is sent, each field last writer wins), the history on its sheet; a
//! time outside the shift is refused on the form; a cleaner changes amount and removes a note; nobody
//! changes another phone's report.

use torgkoll_shared::calendar::{Date, local_date};
use torgkoll_shared::{Amount, CleaningCategory, Intervention, OpBody, Role};

use crate::harness::{Ui, test_clock};
use crate::seed::{Fleet, in_zone};

const MIN: i64 = 60_000;

/// Ten past midnight, with another guard's disturbance from two days ago and a cleaner's open report
/// from yesterday evening on the phone.
fn night(role: Role) -> (Ui, Date, uuid::Uuid) {
    let today: Date = local_date(torgkoll_app::platform::Clock::now_ms(&*test_clock()));
    let now = today.at_local(0, 10);
    let mut other = None;
    let ui = Ui::at(now, Some(role), |store, now| {
        let site = store.site().clone();
        let mut f = Fleet::default();
        other = Some(f.disturbance(
            today.add_days(-2).at_local(23, 0),
            2,
            1,
            in_zone(&site, 3, 0.0, 0.0),
        ));
        f.clean(
            today.add_days(-1).at_local(21, 30),
            CleaningCategory::Glaskross,
            in_zone(&site, 1, 0.0, 0.0),
        );
        f.deliver(store, now);
    });
    (ui, today, other.expect("seeded"))
}

#[test]
fn a_disturbance_logged_fifteen_minutes_back_and_amended_twice() {
    let (mut ui, today, _) = night(Role::Guard);
    let now = today.at_local(0, 10);
    let at = ui.place(-8.0, 6.0);
    ui.tap(at);
    ui.click("when-15");
    assert!(ui.html().contains("Hände kl. 23:55"), "{}", ui.html());
    ui.click("dcat-brak_vald");
    ui.click("level-2");
    ui.click("save-disturbance");
    let ops = ui.ops();
    let Some(OpBody::Disturbance(d)) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!(d.happened, Some(now - 15 * MIN), "15 minutes before saving");
    assert_eq!(d.level, 2);

    // It grows: level 1, three people.
    ui.clock.advance(5 * MIN);
    ui.tap(at);
    let yesterday = today.add_days(-1);
    let said = format!("{}/{} 23:55", yesterday.day, yesterday.month);
    assert!(ui.html().contains(&said), "the day is shown: {}", ui.html());
    ui.click("act-details");
    assert!(ui.has("details-sheet"));
    assert!(ui.html().contains("Skriv aldrig namn"));
    ui.click("amend-level-1");
    ui.click("amend-people-plus");
    ui.click("amend-people-plus");
    ui.click("details-save");
    assert!(!ui.has("details-sheet"));
    let ops = ui.ops();
    let Some(OpBody::Amend { change, .. }) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!((change.level, change.people), (Some(1), Some(3)));
    assert!(
        change.interventions.is_none() && change.note.is_none() && change.happened.is_none(),
        "only what changed: {change:?}"
    );

    // And later: the police came, and a note.
    ui.clock.advance(10 * MIN);
    ui.tap(at);
    ui.click("act-details");
    ui.click("amend-iv-polis-plus");
    ui.input("details-note", "Lugnt efter polisens ankomst");
    ui.click("details-save");
    let ops = ui.ops();
    let Some(OpBody::Amend { report, change }) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!(change.level, None, "the level is not sent again");
    assert_eq!(
        change
            .interventions
            .as_ref()
            .and_then(|i| i.get(&Intervention::PolisTillkallad)),
        Some(&1)
    );
    let r = ui.disk().report_state(*report).unwrap().unwrap();
    assert_eq!((r.level(), r.people()), (Some(1), Some(3)));
    assert_eq!(r.note(), Some("Lugnt efter polisens ankomst"));
    assert_eq!(r.when_ms(), Some(now - 15 * MIN));

    // The sheet shows it as it now is, and who changed what, when.
    ui.tap(at);
    let html = ui.html();
    assert!(html.contains("Polis tillkallad"), "{html}");
    assert!(html.contains("Historik"));
    assert!(html.contains("Ändrad: Nivå 1"), "{html}");
    assert!(html.contains("Antal personer 3"));
    assert!(html.contains("«Lugnt efter polisens ankomst»"));
    assert_eq!(html.matches("class=\"who\">Du<").count(), 3, "{html}");
}

#[test]
fn a_time_outside_the_shift_is_refused_on_the_form() {
    let (mut ui, _, _) = night(Role::Guard);
    ui.tap(ui.place(0.0, 0.0));
    ui.click("when-other");
    assert!(ui.has("when-time"));
    // 17:00 yesterday is seven hours back: before any shift this phone has.
    ui.input("when-time", "17:00");
    assert!(ui.has("when-problem"), "{}", ui.html());
    ui.input("when-time", "23:40");
    assert!(!ui.has("when-problem"));
    assert!(ui.html().contains("Hände kl. 23:40"));
    ui.click("dcat-hot");
    ui.click("save-disturbance");
    let ops = ui.ops();
    let Some(OpBody::Disturbance(d)) = ops.last() else {
        panic!("{ops:?}")
    };
    let t = d.happened.expect("a time");
    assert_eq!(torgkoll_shared::calendar::local_hhmm(t), "23:40");
    assert!(
        t < torgkoll_app::platform::Clock::now_ms(&*ui.clock),
        "yesterday evening, not tonight"
    );
}

#[test]
fn another_phones_report_cannot_be_changed() {
    let (mut ui, _, other) = night(Role::Guard);
    let r = ui.disk().report(other).unwrap().unwrap();
    ui.tap(r.report.at().unwrap());
    assert!(ui.has("report-sheet"));
    assert!(!ui.has("act-details"));
    let html = ui.html();
    assert!(html.contains("class=\"who\">Ordningsvakt<"), "{html}");
}

#[test]
fn a_cleaner_changes_the_amount_and_removes_the_note() {
    let (mut ui, _, _) = night(Role::Cleaner);
    let at = ui.place(6.0, -4.0);
    ui.click("cat-fimpar");
    ui.tap(at);
    ui.click("add-details");
    ui.click("amount-mycket");
    ui.input("details-note", "Vid trappan");
    ui.click("details-save");
    ui.tap(at);
    ui.click("act-details");
    ui.click("amount-lite");
    ui.input("details-note", "  ");
    ui.click("details-save");
    let ops = ui.ops();
    let Some(OpBody::Amend { report, change }) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!(change.amount, Some(Amount::Lite));
    assert_eq!(
        change.note.as_deref(),
        Some(""),
        "an emptied note is removed"
    );
    let r = ui.disk().report_state(*report).unwrap().unwrap();
    assert_eq!((r.amount(), r.note()), (Some(Amount::Lite), None));
    // Saving with nothing changed sends nothing.
    let before = ui.ops().len();
    ui.tap(at);
    ui.click("act-details");
    ui.click("details-save");
    assert_eq!(ui.ops().len(), before);
    assert!(!ui.has("details-sheet"));
}
