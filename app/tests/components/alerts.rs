//! Alerts that reach a person, through a real sync server on the loopback: a guard's level-1
//! disturbance rings on the manager's phone as a red banner, "Jag tar det" there, and the guard's sheet
//! says who took it; a guard's cleaning task lands on top of a cleaner's screen with a banner, the
//! cleaner takes it and marks it done, and the guard sees "klar".

use std::sync::Arc;

use torgkoll_app::platform::ManualClock;
use torgkoll_shared::{OpBody, Role};

use crate::harness::{Ui, server_with_codes, test_clock};

/// Enrolls an engine-running phone with `code` on the server at `url`.
fn enrolled(url: &str, code: &str, clock: Arc<ManualClock>) -> Ui {
    let mut ui = Ui::with_engine(clock);
    ui.input("server", url);
    ui.input("code", code);
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-settings\""));
    ui
}

/// Asks the phone's engine for a round now, as the live channel would when the server has news.
fn sync_now(ui: &Ui) {
    ui.services.sync.as_ref().expect("an engine").sync_now();
}

/// Waits until the page shows `id`, syncing now and then (a round may have started before the
/// other phone's change reached the server).
fn sync_until(ui: &mut Ui, what: &str) {
    for _ in 0..5 {
        sync_now(ui);
        ui.run_until(|h| h.contains(what));
        if ui.html().contains(what) {
            return;
        }
    }
    panic!("never showed {what}:\n{}", ui.html());
}

/// A guard's level-1 fight with three people, saved through the form; returns its id.
fn fight(g: &mut Ui, level: &str) -> uuid::Uuid {
    let at = g.place(5.0, 5.0);
    g.tap(at);
    g.click("dcat-brak_vald");
    g.click(level);
    g.click("people-plus");
    g.click("people-plus");
    g.input("disturbance-note", "fritext som aldrig står i en banner");
    g.click("save-disturbance");
    g.run_until(|h| h.contains("0 väntar"));
    g.disk().my_reports(1).unwrap()[0].report.id
}

#[test]
fn a_level_one_alert_rings_on_the_managers_phone_and_the_guard_sees_who_took_it() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = test_clock();
    let (url, codes) = server_with_codes(
        dir.path(),
        clock.clone(),
        &[(Role::Guard, "Vakt 1"), (Role::Manager, "Platsansvarig")],
    );
    let mut g = enrolled(&url, &codes[0], clock.clone());
    let mut m = enrolled(&url, &codes[1], clock.clone());
    let id = fight(&mut g, "level-1");
    assert!(
        !g.has(&format!("alert-{id}")),
        "not on the phone that made it"
    );

    sync_until(&mut m, &format!("id=\"alert-take-{id}\""));
    let html = m.html();
    let banner = html
        .split(&format!("id=\"alert-open-{id}\">"))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the banner's line");
    assert!(banner.starts_with("AKUT · Bråk/våld · "), "{banner}");
    assert!(banner.ends_with(" · 13:00 · 3 pers."), "{banner}");
    assert!(!html.contains("fritext"), "never free text in a banner");
    // Its sound was given, once: the mark is on disk.
    assert!(!m.disk().mark_alert_signalled(id, clock_now(&m)).unwrap());

    m.click(&format!("alert-take-{id}"));
    assert!(!m.has(&format!("alert-{id}")), "taken: the banner goes");
    let ops = m.ops();
    let Some(OpBody::Take { report, by }) = ops.last() else {
        panic!("{ops:?}")
    };
    assert_eq!((*report, by.as_str()), (id, "Platsansvarig"));
    m.run_until(|h| h.contains("0 väntar"));

    g.click("tab-mine");
    sync_until(&mut g, "tagen av Platsansvarig 13:00");
    g.click(&format!("row-{id}"));
    let html = g.html();
    assert!(
        html.contains("id=\"sheet-taken\">Tagen av Platsansvarig 13:00<"),
        "{html}"
    );
    assert!(!g.has("act-take"), "taken: nobody else takes it");
}

fn clock_now(ui: &Ui) -> i64 {
    use torgkoll_app::platform::Clock;
    ui.clock.now_ms()
}

#[test]
fn a_cleaning_task_reaches_the_cleaner_on_top_and_the_guard_sees_it_done() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = test_clock();
    let (url, codes) = server_with_codes(
        dir.path(),
        clock.clone(),
        &[(Role::Guard, "Vakt 1"), (Role::Cleaner, "Plock 1")],
    );
    let mut g = enrolled(&url, &codes[0], clock.clone());
    let mut c = enrolled(&url, &codes[1], clock.clone());
    let d = fight(&mut g, "level-2");
    g.click("tab-mine");
    g.click(&format!("row-{d}"));
    g.click("task-glaskross");
    g.run_until(|h| h.contains("0 väntar"));
    let task = g
        .disk()
        .open_tasks()
        .unwrap()
        .first()
        .expect("the task")
        .report
        .id;
    assert!(
        g.html()
            .contains(&format!("id=\"row-{task}-taken\">väntar<"))
    );

    sync_until(&mut c, &format!("id=\"open-task-{task}\""));
    let html = c.html();
    assert!(
        c.has(&format!("alert-take-{task}")),
        "a new task rings: {html}"
    );
    assert!(html.contains("NYTT UPPDRAG · Glaskross · "), "{html}");
    assert!(
        html.contains("Beställt av: Ordningsvakt · Vakt 1 · 13:00"),
        "{html}"
    );
    assert!(
        html.contains(&format!("id=\"open-task-state-{task}\">väntar<")),
        "{html}"
    );
    // On top of the machine screen too.
    c.click("tab-runs");
    assert!(c.has("task-list"));

    c.click(&format!("open-task-take-{task}"));
    let html = c.html();
    assert!(!c.has(&format!("alert-{task}")), "taken: the banner goes");
    assert!(
        html.contains(&format!(
            "id=\"open-task-state-{task}\">tagen av Plock 1 13:00<"
        )),
        "{html}"
    );
    assert!(!c.has(&format!("open-task-take-{task}")));
    c.click(&format!("open-task-done-{task}"));
    assert!(!c.has("task-list"), "done: off the top");
    c.run_until(|h| h.contains("0 väntar"));

    g.click("sheet-close");
    sync_until(&mut g, &format!("id=\"row-{task}-taken\">klar 13:00<"));
    g.click(&format!("row-{d}"));
    let html = g.html();
    assert!(html.contains("id=\"sheet-tasks\""), "{html}");
    assert!(html.contains("Glaskross</b> · klar 13:00"), "{html}");
}
