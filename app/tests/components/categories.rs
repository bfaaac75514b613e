//! Every category within two taps, this phone's most-used first and stable within a shift; the guard's
//! quick cleaning report; "already reported here" asks +1 or new.

use torgkoll_app::platform::Clock;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Role};

use crate::harness::Ui;

fn clean(ui: &Ui, category: CleaningCategory) -> OpBody {
    OpBody::Clean(CleaningReport {
        category,
        amount: None,
        note: None,
        at: ui.place(0.0, 0.0),
        acc: None,
    })
}

/// The category buttons in the order they stand on the page.
fn order(ui: &Ui) -> Vec<String> {
    let html = ui.html();
    html.match_indices("id=\"cat-")
        .map(|(i, _)| {
            let rest = &html[i + 8..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .collect()
}

#[test]
fn the_other_four_are_two_taps_away() {
    for category in [
        CleaningCategory::Snus,
        CleaningCategory::Tuggummi,
        CleaningCategory::Plast,
        CleaningCategory::Skadegorelse,
    ] {
        let mut ui = Ui::new(Some(Role::Cleaner));
        assert!(!ui.has(&format!("cat-{}", category.code())));
        ui.click("cat-more");
        ui.click(&format!("cat-{}", category.code()));
        assert!(!ui.has("more-sheet"), "the sheet closes when one is chosen");
        assert!(
            ui.html()
                .contains(category.label(torgkoll_shared::Lang::Sv))
        );
        ui.tap(ui.place(2.0, 1.0));
        let ops = ui.ops();
        assert!(
            matches!(&ops[..], [OpBody::Clean(c)] if c.category == category),
            "{ops:?}"
        );
    }
}

#[test]
fn this_phones_most_used_come_first_and_stay_put_within_the_shift() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    // Before any report: the usual order.
    assert_eq!(order(&ui)[..3], ["fimpar", "nedskrapning", "glaskross"]);
    // This phone mostly reports snus and gum.
    {
        let mut store = ui.disk();
        let now = ui.clock.now_ms() - 10 * 3_600_000;
        for (i, c) in [CleaningCategory::Snus; 5]
            .into_iter()
            .chain([CleaningCategory::Tuggummi; 3])
            .enumerate()
        {
            store.record(clean(&ui, c), now + i as i64).unwrap();
        }
    }
    // The next report, after ten quiet hours, starts a shift with this phone's order.
    ui.click("cat-annat");
    ui.tap(ui.place(3.0, 0.0));
    let shifted = order(&ui);
    assert_eq!(shifted[..3], ["snus", "tuggummi", "fimpar"], "{shifted:?}");
    assert_eq!(shifted.last().map(String::as_str), Some("more"));
    // Many reports of another category within the shift do not move the buttons.
    for i in 0..7 {
        ui.click("cat-klotter");
        ui.tap(ui.place(-20.0 + 3.0 * f64::from(i), 5.0));
    }
    assert_eq!(order(&ui), shifted);
}

#[test]
fn a_guard_reports_glass_without_a_disturbance() {
    let mut ui = Ui::new(Some(Role::Guard));
    assert!(ui.has("disturbance-form"));
    ui.click("mode-cleaning");
    assert!(!ui.has("disturbance-form"));
    ui.click("cat-glaskross");
    ui.tap(ui.place(0.0, 0.0));
    assert!(
        matches!(&ui.ops()[..], [OpBody::Clean(c)] if c.category == CleaningCategory::Glaskross)
    );
}

#[test]
fn a_tap_by_an_open_report_of_the_same_category_asks_plus_one_or_new() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    ui.click("cat-glaskross");
    ui.tap(ui.place(0.0, 0.0));
    let first = match &ui.ops()[..] {
        [OpBody::Clean(_)] => ui.disk().my_reports(1).unwrap()[0].report.id,
        other => panic!("{other:?}"),
    };
    // Two metres off, the same category: the app asks.
    ui.click("cat-glaskross");
    ui.tap(ui.place(2.0, 0.0));
    assert!(ui.has("already-sheet"), "{}", ui.html());
    assert_eq!(ui.ops().len(), 1, "nothing saved while it asks");
    ui.click("near-still-there");
    assert!(matches!(ui.ops().last(), Some(OpBody::StillThere { report }) if *report == first));
    assert_eq!(ui.disk().report(first).unwrap().unwrap().report.count(), 2);
    // Asked again, a new report is a new report.
    ui.click("cat-glaskross");
    ui.tap(ui.place(1.0, 1.0));
    ui.click("near-new");
    assert_eq!(ui.disk().my_reports(5).unwrap().len(), 2);
    // Another category at the same spot does not ask, nor does the same one 20 m away.
    ui.click("cat-fimpar");
    ui.tap(ui.place(1.0, 0.0));
    ui.click("cat-glaskross");
    ui.tap(ui.place(25.0, 0.0));
    assert!(!ui.has("already-sheet"));
    assert_eq!(ui.disk().my_reports(10).unwrap().len(), 4);
}
