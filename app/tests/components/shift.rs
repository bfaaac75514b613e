//! A night shift from the first tap to the handover: the day shift's handover on top until read, a shift
//! started by hand, disturbances across midnight (one logged after the fact, one amended, one undone),
//! the shift list over the shift (not the calendar day) with totals, copied and printed, and the
//! handover the next shift reads. The manager sees every handover; a cleaner only cleaners'.

use torgkoll_app::ui::components::shift_list::ShiftDoc;
use torgkoll_shared::calendar::{Date, local_date};
use torgkoll_shared::handover::{HandoverSummary, ZoneOpen};
use torgkoll_shared::{CleaningCategory, Handover, Lang, OpBody, Role};

use crate::harness::{Ui, test_clock};
use crate::seed::{CLEANER, Fleet, GUARD, in_zone};

const MIN: i64 = 60_000;

fn today() -> Date {
    local_date(torgkoll_app::platform::Clock::now_ms(&*test_clock()))
}

fn handover(shift_from: i64, note: &str, disturbances: u32) -> OpBody {
    OpBody::Handover(Handover {
        shift_from,
        note: Some(note.into()),
        summary: HandoverSummary {
            open: vec![ZoneOpen {
                zone: "Z1".into(),
                count: 1,
                oldest_h: 20,
            }],
            disturbances,
            level1: 0,
            ..HandoverSummary::default()
        },
    })
}

/// A phone at 18:00 with yesterday evening's open glaskross, the day shift's handovers (a guard's and a
/// cleaner's), and another guard's disturbance from yesterday.
fn evening(role: Role) -> Ui {
    let today = today();
    Ui::at(today.at_local(18, 0), Some(role), |store, now| {
        let site = store.site().clone();
        let mut f = Fleet::default();
        f.clean(
            today.add_days(-1).at_local(22, 0),
            CleaningCategory::Glaskross,
            in_zone(&site, 0, 0.0, 0.0),
        );
        f.disturbance(
            today.add_days(-1).at_local(23, 0),
            1,
            1,
            in_zone(&site, 2, 0.0, 0.0),
        );
        let day = today.at_local(8, 0);
        f.op(
            GUARD,
            Role::Guard,
            today.at_local(17, 55),
            handover(day, "Lugn dag, bevaka T-Centralen", 2),
        );
        f.op(
            CLEANER,
            Role::Cleaner,
            today.at_local(17, 50),
            handover(day, "Glas vid trappan", 0),
        );
        f.deliver(store, now);
    })
}

/// Logs a disturbance at a place now (or `ago` minutes back), with interventions by their ids.
fn log(ui: &mut Ui, x: f64, cat: &str, level: u8, ago: Option<u16>, ivs: &[&str]) {
    ui.click("tab-disturbance");
    ui.tap(ui.place(x, 0.0));
    if let Some(m) = ago {
        ui.click(&format!("when-{m}"));
    }
    ui.click(&format!("dcat-{cat}"));
    ui.click(&format!("level-{level}"));
    for iv in ivs {
        ui.click(&format!("iv-{iv}-plus"));
    }
    ui.click("save-disturbance");
}

#[test]
fn a_guards_night_shift_from_the_handover_read_to_the_handover_made() {
    let today = today();
    let mut ui = evening(Role::Guard);
    // The day shift's guard handover is on top; the cleaner's is not for a guard.
    let html = ui.html();
    assert!(ui.has("handover-card"), "{html}");
    assert!(html.contains("Lugn dag, bevaka T-Centralen"));
    assert!(html.contains("Trappan: 1 öppna, äldsta 20 h"), "{html}");
    assert!(!html.contains("Glas vid trappan"));
    ui.click("handover-read");
    assert!(!ui.has("handover-card"));

    ui.click("tab-mine");
    assert!(ui.html().contains("Inget pass pågår"));
    ui.click("shift-start");
    assert!(ui.html().contains("Pass sedan 18:00"), "{}", ui.html());

    ui.clock.advance(40 * MIN); // 18:40
    log(&mut ui, -20.0, "brak_vald", 2, None, &["avvisning"]);
    ui.clock.advance(170 * MIN); // 21:30, about what happened at 21:15
    log(&mut ui, 0.0, "hot", 1, Some(15), &["polis"]);
    let later = ui.place(0.0, 0.0);
    ui.clock.advance(180 * MIN); // 00:30 the next day
    log(&mut ui, 20.0, "berusad", 3, None, &["omhandertagande"]);
    // One made by mistake, undone: not on the list.
    log(&mut ui, 10.0, "annat", 3, None, &[]);
    ui.click("undo");
    // The threat grew: a turn-away too.
    ui.tap(later);
    ui.click("act-details");
    ui.click("amend-iv-avvisning-plus");
    ui.click("details-save");

    ui.click("tab-mine");
    let html = ui.html();
    let table = &html[html.find("id=\"shift-list\"").expect("the list")..];
    assert_eq!(
        table.matches("<li class=\"shift-row level-").count(),
        3,
        "{table}"
    );
    assert!(
        table.contains("18:40") && table.contains("21:15"),
        "{table}"
    );
    let tomorrow = today.add_days(1);
    assert!(
        table.contains(&format!("{}/{} 00:30", tomorrow.day, tomorrow.month)),
        "the day is shown across midnight"
    );
    assert!(
        html.contains("Avvisning: 2") && html.contains("Polis tillkallad: 1"),
        "{html}"
    );
    assert!(
        !table.contains("<div>Annat"),
        "the undone one is not listed"
    );

    // The text for the duty report, as "Kopiera" puts it on the clipboard.
    let store = ui.disk();
    let now = torgkoll_app::platform::Clock::now_ms(&*ui.clock);
    let from = today.at_local(18, 0);
    let doc = ShiftDoc::of(
        store.site(),
        &store.my_disturbances(from, now).unwrap(),
        from,
        now,
    );
    let text = doc.as_text(Lang::Sv);
    assert!(text.starts_with("Passlista – "), "{text}");
    assert!(
        text.contains(&format!("Pass {today} 18:00 – {tomorrow} 00:30")),
        "{text}"
    );
    assert!(text.contains("21:15  "), "{text}");
    assert!(text.contains("Hot · Nivå 1"), "{text}");
    assert!(
        text.contains("Ingripanden: Avvisning 1, Polis tillkallad 1"),
        "{text}"
    );
    assert!(
        text.contains("Summa ingripanden:\n  Avvisning 2\n"),
        "{text}"
    );
    assert!(
        text.ends_with("Störningar: 3, varav akuta (nivå 1): 1"),
        "{text}"
    );
    ui.click("shift-copy");
    ui.run_until(|h| h.contains("Kopiera") && h.contains("id=\"toast\""));
    if std::env::var_os("DISPLAY").is_some() {
        assert!(ui.html().contains("Kopierat"), "{}", ui.html());
    }

    // The printable page: the table alone, and back.
    ui.click("shift-print");
    assert!(ui.has("print-page") && !ui.has("tab-mine"));
    assert_eq!(
        ui.html().matches("<tr class=\"level-").count(),
        3,
        "a table on paper"
    );
    assert!(ui.html().contains("Underlag för tjänstgöringsrapporten"));
    ui.click("print-back");
    assert!(ui.has("shift-box"));

    // The handover: drafted from the phone's data, a note, handed over.
    ui.click("shift-end");
    let html = ui.html();
    assert!(ui.has("handover-sheet"));
    // Yesterday 22:00 to 00:30 tonight: 26 hours, or 25 across the spring-forward night.
    let age = (now - today.add_days(-1).at_local(22, 0)) / 3_600_000;
    assert!(
        html.contains(&format!("Trappan: 1 öppna, äldsta {age} h")),
        "{html}"
    );
    assert!(
        html.contains("Störningar: 3, varav akuta (nivå 1): 1"),
        "{html}"
    );
    assert!(html.contains("Skriv aldrig namn"));
    ui.input("handover-note", "Oroligt vid Sergelgången efter midnatt");
    ui.click("handover-save");
    let ops = ui.ops();
    let Some(OpBody::Handover(h)) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!(h.shift_from, from);
    assert_eq!((h.summary.disturbances, h.summary.level1), (3, 1));
    assert_eq!(
        h.note.as_deref(),
        Some("Oroligt vid Sergelgången efter midnatt")
    );
    assert!(ui.disk().shift().unwrap().is_none(), "the shift has ended");
    assert!(ui.html().contains("Inget pass pågår"));

    // The next guard on this phone finds it on top of the home screen.
    ui.click("tab-disturbance");
    assert!(ui.has("handover-card"));
    assert!(ui.html().contains("Oroligt vid Sergelgången efter midnatt"));
    ui.click("handover-read");
    assert!(!ui.has("handover-card"));
}

#[test]
fn the_manager_sees_every_handover_and_a_cleaner_the_cleaners() {
    let mut ui = evening(Role::Manager);
    assert!(!ui.has("handover-card"), "no manager's handover is unread");
    ui.click("tab-mine");
    let html = ui.html();
    let list = &html[html.find("id=\"handovers\"").expect("the handovers")..];
    assert!(
        list.contains("Lugn dag, bevaka T-Centralen") && list.contains("Glas vid trappan"),
        "{list}"
    );
    assert!(
        list.contains("Överlämning · Ordningsvakt") && list.contains("Överlämning · Plockstädare")
    );

    let mut ui = evening(Role::Cleaner);
    assert!(ui.has("handover-card"));
    assert!(ui.html().contains("Glas vid trappan"));
    assert!(!ui.html().contains("Lugn dag"));
    // A cleaner has no shift list, but hands over too.
    ui.click("tab-mine");
    ui.click("shift-start");
    assert!(!ui.has("shift-list"));
    ui.click("shift-end");
    ui.click("handover-save");
    assert!(
        matches!(ui.ops().last(), Some(OpBody::Handover(h)) if h.note.is_none() && h.summary.disturbances == 0)
    );
}

#[test]
fn the_report_that_starts_a_shift_is_on_its_list_though_it_happened_before() {
    let mut ui = evening(Role::Guard);
    log(&mut ui, 0.0, "berusad", 2, Some(30), &["avvisning"]);
    let shift = ui
        .disk()
        .shift()
        .unwrap()
        .expect("the report started a shift");
    assert_eq!(shift.start_ms, today().at_local(18, 0));
    ui.click("tab-mine");
    let html = ui.html();
    assert!(html.contains("<b>17:30</b>"), "{html}");
    assert!(html.contains("Avvisning: 1"));
}
