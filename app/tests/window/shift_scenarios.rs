//! Night-shift scenarios: a guard who logs a disturbance 15 minutes back, amends it twice and copies the
//! shift list; a cleaner who meets yesterday evening's open glaskross on the map and marks it cleaned.

use std::path::Path;
use std::sync::Arc;

use torgkoll_app::platform::ManualClock;
use torgkoll_app::ui::Services;
use torgkoll_shared::calendar::{Date, local_date, local_hhmm};
use torgkoll_shared::protocol::{PROTOCOL_VERSION, PulledOp, SyncResponse, WireOp};
use torgkoll_shared::{
    CleaningCategory, CleaningReport, Hlc, Intervention, OpBody, Operation, Role, Status,
};
use uuid::Uuid;

use crate::driver::{click, js, wait_for};
use crate::scenarios::{check, on_disk, ops};

const MIN: i64 = 60_000;

fn today() -> Date {
    local_date(torgkoll_app::platform::Clock::now_ms(
        &torgkoll_app::platform::SystemClock,
    ))
}

/// The guard's clock: 23:30 (standing still); the cleaner's: 00:40.
pub fn night_clock(role: Role) -> i64 {
    match role {
        Role::Guard => today().at_local(23, 30),
        _ => today().at_local(0, 40),
    }
}

/// A phone at night: a guard's shift started at 18:00; a cleaner's phone with yesterday evening's open
/// glaskross from another cleaner, delivered as a pull delivers it.
pub fn night_services(db: &Path, role: Role) -> Services {
    let mut store = crate::launch::enrolled_store(db, role);
    let now = night_clock(role);
    match role {
        Role::Guard => {
            store.start_shift(today().at_local(18, 0)).expect("shift");
        }
        _ => {
            let t = today().add_days(-1).at_local(21, 30);
            let site = store.site().clone();
            let (x0, y0, x1, y1) = site.view_bounds();
            let at = site
                .frame
                .from_view(geo::Coord {
                    x: x0 + (x1 - x0) * 0.3,
                    y: (y0 + y1) / 2.0,
                })
                .rounded();
            let op = Operation {
                id: Uuid::now_v7(),
                device: Uuid::from_u128(0xC1EA_0002),
                seq: 1,
                hlc: Hlc::new(t as u64, 0),
                wall_ms: t,
                role: Role::Cleaner,
                body: OpBody::Clean(CleaningReport {
                    category: CleaningCategory::Glaskross,
                    amount: None,
                    note: None,
                    at,
                    acc: None,
                }),
                fix: None,
            };
            let resp = SyncResponse {
                v: PROTOCOL_VERSION,
                acked_through: 0,
                rejected: vec![],
                fixed: vec![],
                ops: vec![PulledOp {
                    pos: 1,
                    dev: op.device,
                    role: op.role,
                    recv: t + 1_000,
                    op: WireOp::from_op(&op),
                    fix: None,
                }],
                pull_pos: 1,
                more: false,
                photos_wanted: vec![],
                server_ms: t + 1_000,
            };
            store.apply_sync(&resp, t + 1_000, t + 1_000).expect("pull");
        }
    }
    Services::new(store, Arc::new(ManualClock::new(now)))
}

/// 23:30: a fight that began at 23:15, logged now; it grows (level 1), the police come; the shift list
/// is copied for the duty report.
pub async fn night_guard() -> Result<(), String> {
    let now = night_clock(Role::Guard);
    wait_for("the form", "document.getElementById('disturbance-form')").await;
    crate::driver::tap_map(0.5, 0.5).await;
    wait_for("the spot marker", "document.getElementById('spot-marker')").await;
    click("when-15").await;
    wait_for(
        "the time",
        "document.getElementById('when-at')?.textContent.includes('23:15')",
    )
    .await;
    click("dcat-brak_vald").await;
    click("level-2").await;
    click("save-disturbance").await;
    wait_for(
        "saved",
        "document.getElementById('toast-text')?.textContent.includes('Sparad')",
    )
    .await;
    let o = ops();
    let Some(OpBody::Disturbance(d)) = o.last() else {
        return Err(format!("no disturbance: {o:?}"));
    };
    check(d.happened == Some(now - 15 * MIN), "it happened at 23:15")?;

    // First amendment: level 1, three people.
    amend(&["amend-level-1", "amend-people-plus", "amend-people-plus"]).await;
    let o = ops();
    check(
        matches!(o.last(), Some(OpBody::Amend { change, .. })
            if change.level == Some(1) && change.people == Some(3) && change.interventions.is_none()),
        "the first amendment: level and people only",
    )?;
    // Second: the police were called.
    amend(&["amend-iv-polis-plus"]).await;
    let o = ops();
    let Some(OpBody::Amend { report, change }) = o.last() else {
        return Err(format!("no second amendment: {o:?}"));
    };
    check(
        change.level.is_none()
            && change
                .interventions
                .as_ref()
                .and_then(|i| i.get(&Intervention::PolisTillkallad))
                == Some(&1),
        "the second amendment: the interventions only",
    )?;
    let r = on_disk()
        .report_state(*report)
        .map_err(|e| e.to_string())?
        .ok_or("the report")?;
    check(
        r.level() == Some(1) && r.people() == Some(3),
        "both amendments folded",
    )?;
    // Its history shows both.
    crate::driver::tap_map(0.5, 0.5).await;
    wait_for(
        "the history",
        "document.querySelectorAll('#history li').length == 3",
    )
    .await;
    click("sheet-close").await;

    // The shift list, copied for the duty report.
    click("tab-mine").await;
    wait_for("the shift list", "document.getElementById('shift-list')").await;
    click("shift-copy").await;
    wait_for(
        "copied",
        "document.getElementById('toast-text')?.textContent.includes('Kopierat')",
    )
    .await;
    let text = torgkoll_app::platform::desktop::clipboard_text()?;
    check(
        text.starts_with("Passlista – ")
            && text.contains(&format!("{}  ", local_hhmm(now - 15 * MIN)))
            && text.contains("Bråk/våld · Nivå 1")
            && text.contains("Ingripanden: Polis tillkallad 1")
            && text.contains("Summa ingripanden:\n  Polis tillkallad 1"),
        &format!("the clipboard holds the shift list: {text}"),
    )
}

/// Opens the disturbance's sheet, "Ändra", the given buttons, "Spara".
async fn amend(buttons: &[&str]) {
    crate::driver::tap_map(0.5, 0.5).await;
    click("act-details").await;
    for b in buttons {
        click(b).await;
    }
    click("details-save").await;
    wait_for(
        "the sheet closes",
        "!document.getElementById('details-sheet')",
    )
    .await;
    crate::driver::sleep_ms(50).await;
}

/// 00:40: yesterday evening's glaskross is on the map with its age; the cleaner marks it cleaned.
pub async fn night_cleaner() -> Result<(), String> {
    wait_for("the map", "document.getElementById('map')").await;
    wait_for(
        "the old pin with its age",
        "[...document.querySelectorAll('#pins .pin.age-hours, #pins .pin.age-days')].length == 1",
    )
    .await;
    js("const c = document.querySelector('#pins .pin circle');
        const m = document.getElementById('map'); const r = m.getBoundingClientRect();
        const b = c.getBoundingClientRect();
        const o = {bubbles: true, pointerId: 1, isPrimary: true, pointerType: 'touch',
                   clientX: b.left + b.width / 2, clientY: b.top + b.height / 2};
        m.dispatchEvent(new PointerEvent('pointerdown', o));
        m.dispatchEvent(new PointerEvent('pointerup', o));
        return true;")
    .await;
    wait_for("the sheet", "document.getElementById('report-sheet')").await;
    wait_for(
        "it is yesterday's glaskross",
        "document.getElementById('report-sheet').textContent.includes('Glaskross')",
    )
    .await;
    click("act-resolve").await;
    wait_for(
        "saved",
        "document.getElementById('toast-text')?.textContent.includes('Städat')",
    )
    .await;
    let reports = on_disk()
        .field_reports(
            torgkoll_app::store::FieldFilter::All,
            &torgkoll_shared::analytics::Period::day(today()),
            night_clock(Role::Cleaner),
        )
        .map_err(|e| e.to_string())?;
    check(
        reports.len() == 1 && reports[0].status() == Status::Resolved,
        "the glaskross is cleaned, and shows as closed today",
    )?;
    check(
        matches!(ops().last(), Some(OpBody::Resolve { .. })),
        "the resolve is on disk",
    )
}
