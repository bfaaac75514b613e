//! The scenarios: each drives the real app like a person and checks the phone's database file after
//! each step.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use torgkoll_app::store::Store;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{
    Amount, CleaningCategory, DisturbanceCategory, Intervention, OpBody, Status,
};

use crate::driver::{click, js, sleep_ms, tap_map, text, type_into, wait_for};

pub static DB: OnceLock<PathBuf> = OnceLock::new();
pub static SCENARIO: OnceLock<String> = OnceLock::new();

/// A second, independent connection to the phone's database file: what is on disk.
pub fn on_disk() -> Store {
    Store::open(DB.get().expect("db path"), Arc::new(plattan())).expect("open the phone's db")
}

pub fn ops() -> Vec<OpBody> {
    on_disk()
        .all_ops()
        .expect("ops")
        .into_iter()
        .map(|o| o.body)
        .collect()
}

pub fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}; ops on disk: {:?}", ops()))
    }
}

async fn pins() -> u64 {
    js("return document.querySelectorAll('#pins .pin').length;")
        .await
        .as_u64()
        .unwrap_or(0)
}

/// Category then spot, saved, undone; spot then category, saved, details added.
pub async fn quick_report() -> Result<(), String> {
    wait_for(
        "the category buttons",
        "document.getElementById('cat-glaskross')",
    )
    .await;
    click("cat-glaskross").await;
    tap_map(0.5, 0.5).await;
    wait_for(
        "saved",
        "document.getElementById('toast-text')?.textContent.includes('Sparad')",
    )
    .await;
    let o = ops();
    check(o.len() == 1, "one operation after the first tap")?;
    let OpBody::Clean(c) = &o[0] else {
        return Err(format!("not a cleaning report: {o:?}"));
    };
    check(
        c.category == CleaningCategory::Glaskross,
        "the category is glaskross",
    )?;
    check(
        on_disk().sync_status().map_err(|e| e.to_string())?.pending == 1,
        "one pending",
    )?;
    wait_for(
        "the pin",
        "document.querySelectorAll('#pins .pin').length == 1",
    )
    .await;

    click("undo").await;
    wait_for(
        "undone",
        "document.getElementById('toast-text')?.textContent.includes('Ångrad')",
    )
    .await;
    check(
        matches!(ops().last(), Some(OpBody::Withdraw { .. })),
        "the undo is a withdrawal",
    )?;
    let mine = on_disk().my_reports(10).map_err(|e| e.to_string())?;
    check(
        mine.len() == 1 && mine[0].status() == Status::Withdrawn,
        "the report is withdrawn",
    )?;
    wait_for(
        "no pin",
        "document.querySelectorAll('#pins .pin').length == 0",
    )
    .await;

    tap_map(0.3, 0.45).await;
    wait_for("the spot marker", "document.getElementById('spot-marker')").await;
    click("cat-fimpar").await;
    wait_for(
        "saved again",
        "document.getElementById('toast-text')?.textContent.includes('Fimpar')",
    )
    .await;
    let o = ops();
    check(
        o.len() == 3 && matches!(&o[2], OpBody::Clean(c) if c.category == CleaningCategory::Fimpar),
        "fimpar saved",
    )?;
    check(pins().await == 1, "one pin on the map")?;

    click("add-details").await;
    click("amount-mycket").await;
    type_into("details-note", "Vid bänkarna").await;
    click("details-save").await;
    wait_for(
        "the sheet closes",
        "!document.getElementById('details-sheet')",
    )
    .await;
    let o = ops();
    check(
        matches!(o.last(), Some(OpBody::Amend { change, .. })
            if change.amount == Some(Amount::Mycket) && change.note.as_deref() == Some("Vid bänkarna")),
        "amount and note added",
    )?;
    let pending = text("pending-count").await;
    check(
        pending.starts_with('4'),
        &format!("the sync bar counts 4 pending, reads {pending}"),
    )
}

/// Start a skurmaskin run, tap three points (each on disk at once), see the coverage, stop.
pub async fn machine_run() -> Result<(), String> {
    click("tab-runs").await;
    click("machine-skurmaskin-2").await;
    wait_for(
        "the run banner",
        "document.getElementById('run-banner')?.textContent.includes('Skurmaskin 2')",
    )
    .await;
    let run = on_disk()
        .active_run()
        .map_err(|e| e.to_string())?
        .ok_or("no active run on disk")?;
    check(
        run.machine.as_deref() == Some("Skurmaskin 2"),
        "the machine is Skurmaskin 2",
    )?;
    for (k, (fx, fy)) in [(0.3, 0.5), (0.5, 0.52), (0.7, 0.5)]
        .into_iter()
        .enumerate()
    {
        tap_map(fx, fy).await;
        let want = k + 1;
        wait_for(
            "the point",
            &format!("document.querySelectorAll('#run-path circle').length == {want}"),
        )
        .await;
        let run = on_disk()
            .active_run()
            .map_err(|e| e.to_string())?
            .ok_or("run gone")?;
        check(
            run.path().len() == want,
            &format!("{want} path points on disk"),
        )?;
    }
    wait_for(
        "the covered area",
        "document.querySelectorAll('#coverage path').length > 0",
    )
    .await;
    click("stop-run").await;
    wait_for("the banner goes", "!document.getElementById('run-banner')").await;
    check(
        on_disk().active_run().map_err(|e| e.to_string())?.is_none(),
        "the run is stopped on disk",
    )?;
    check(
        matches!(ops().last(), Some(OpBody::RunStop { .. })),
        "the stop is recorded",
    )?;
    sleep_ms(1).await;
    Ok(())
}

/// A disturbance in a few taps, then a cleaning task asked for from its pin.
pub async fn disturbance() -> Result<(), String> {
    wait_for("the form", "document.getElementById('disturbance-form')").await;
    tap_map(0.5, 0.5).await;
    wait_for("the spot marker", "document.getElementById('spot-marker')").await;
    click("dcat-berusad").await;
    click("level-2").await;
    click("people-plus").await;
    click("people-plus").await;
    click("iv-avvisning-plus").await;
    type_into("disturbance-note", "Lugnade sig efter samtal").await;
    click("save-disturbance").await;
    wait_for(
        "saved",
        "document.getElementById('toast-text')?.textContent.includes('Sparad')",
    )
    .await;
    let o = ops();
    let Some(OpBody::Disturbance(d)) = o.first() else {
        return Err(format!("no disturbance: {o:?}"));
    };
    check(
        d.category == DisturbanceCategory::Berusad && d.level == 2 && d.people == 3,
        "category, level, people",
    )?;
    check(
        d.interventions.get(&Intervention::Avvisning) == Some(&1),
        "one avvisning",
    )?;
    check(
        d.note.as_deref() == Some("Lugnade sig efter samtal"),
        "the note",
    )?;

    tap_map(0.5, 0.5).await;
    click("task-glaskross").await;
    wait_for(
        "requested",
        "document.getElementById('toast-text')?.textContent.includes('Städning begärd')",
    )
    .await;
    let o = ops();
    check(
        matches!(o.last(), Some(OpBody::CleanRequest { task, .. }) if task.category == CleaningCategory::Glaskross),
        "a cleaning task is on disk",
    )
}
