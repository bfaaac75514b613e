//! The field maps over days: at 00:30 the night shift sees every open report whatever its age (with its
//! age on the pin) and what closed today, not what closed before; "Öppna / Idag / Allt" choose, and the
//! manager's list follows the same rule.

use torgkoll_shared::calendar::{Date, local_date};
use torgkoll_shared::{CleaningCategory, OpBody, Role};
use uuid::Uuid;

use crate::harness::{Ui, test_clock};
use crate::seed::{CLEANER, Fleet, in_zone};

/// Reports of three days, seen at 00:30: an open glaskross from the evening before yesterday, one
/// resolved yesterday, one made yesterday evening and resolved ten minutes ago, and a fresh one.
struct Night {
    old_open: Uuid,
    closed_yesterday: Uuid,
    closed_tonight: Uuid,
    fresh: Uuid,
}

fn night(role: Role) -> (Ui, Night) {
    let today: Date = local_date(torgkoll_app::platform::Clock::now_ms(&*test_clock()));
    let now = today.at_local(0, 30);
    let mut n = None;
    let ui = Ui::at(now, Some(role), |store, now| {
        let site = store.site().clone();
        let mut f = Fleet::default();
        let spot = |z| in_zone(&site, z, 0.0, 0.0);
        let old_open = f.clean(
            today.add_days(-2).at_local(21, 0),
            CleaningCategory::Glaskross,
            spot(1),
        );
        let closed_yesterday = f.clean(
            today.add_days(-1).at_local(9, 0),
            CleaningCategory::Fimpar,
            spot(2),
        );
        f.op(
            CLEANER,
            Role::Cleaner,
            today.add_days(-1).at_local(10, 0),
            OpBody::Resolve {
                report: closed_yesterday,
            },
        );
        let closed_tonight = f.clean(
            today.add_days(-1).at_local(22, 0),
            CleaningCategory::Kanyler,
            spot(3),
        );
        f.op(
            CLEANER,
            Role::Cleaner,
            now - 10 * 60_000,
            OpBody::Resolve {
                report: closed_tonight,
            },
        );
        let fresh = f.clean(now - 5 * 60_000, CleaningCategory::Snus, spot(4));
        f.deliver(store, now);
        n = Some(Night {
            old_open,
            closed_yesterday,
            closed_tonight,
            fresh,
        });
    });
    (ui, n.expect("seeded"))
}

fn pins(ui: &Ui) -> Vec<String> {
    let html = ui.html();
    html.match_indices("id=\"pin-")
        .map(|(i, _)| html[i + 8..i + 44].to_owned())
        .collect()
}

#[test]
fn the_night_shift_starts_with_what_the_evening_left() {
    let (mut ui, n) = night(Role::Cleaner);
    let shown = pins(&ui);
    for id in [n.old_open, n.closed_tonight, n.fresh] {
        assert!(shown.contains(&id.to_string()), "{id} missing: {shown:?}");
    }
    assert!(!shown.contains(&n.closed_yesterday.to_string()));
    let html = ui.html();
    // The age on the pins: two days for the glaskross, an hour and more for none, none for the fresh.
    assert!(html.contains("class=\"pin-age\""), "{html}");
    assert!(
        html.contains(">1 d<"),
        "the day-old glaskross shows its age: {html}"
    );
    assert!(html.contains("age-fresh") && html.contains("age-days"));

    ui.click("ff-open");
    let open = pins(&ui);
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open.contains(&n.old_open.to_string()) && open.contains(&n.fresh.to_string()));

    ui.click("ff-today");
    let today = pins(&ui);
    assert_eq!(today.len(), 2, "{today:?}");
    assert!(today.contains(&n.closed_tonight.to_string()) && today.contains(&n.fresh.to_string()));

    // The old glaskross is where the night starts: open it and mark it cleaned; it stays on the map,
    // as closed today.
    ui.click("ff-all");
    let at = in_zone(&ui.services.site, 1, 0.0, 0.0);
    ui.tap(at);
    assert!(ui.has("report-sheet"), "{}", ui.html());
    ui.click("act-resolve");
    let r = ui.disk().report(n.old_open).unwrap().unwrap();
    assert_eq!(r.status(), torgkoll_shared::Status::Resolved);
    assert!(pins(&ui).contains(&n.old_open.to_string()));
}

#[test]
fn the_managers_list_follows_the_same_rule() {
    let (mut ui, n) = night(Role::Manager);
    ui.click("tab-all");
    let html = ui.html();
    for id in [n.old_open, n.closed_tonight, n.fresh] {
        assert!(html.contains(&format!("id=\"row-{id}\"")), "{id}");
    }
    assert!(!html.contains(&format!("id=\"row-{}\"", n.closed_yesterday)));
    ui.click("ff-open");
    assert_eq!(ui.html().matches("id=\"row-").count(), 2);
}
