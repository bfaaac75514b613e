//! Screenshots of the main screens with the demo day, for `scripts/screenshots.sh`: the same driver as
//! the window test, with a visible window, saving the X screen with ImageMagick's `import` after each step.
//! Only run when asked (`--scenario shots-cleaner` and so on) with `TORGKOLL_SCREENSHOT_DIR` set.

use std::path::PathBuf;
use std::process::Command;

use crate::driver::{click, sleep_ms, tap_map, wait_for};

pub(crate) async fn shot(name: &str) -> Result<(), String> {
    let dir = PathBuf::from(
        std::env::var("TORGKOLL_SCREENSHOT_DIR")
            .map_err(|_| "TORGKOLL_SCREENSHOT_DIR is not set")?,
    );
    sleep_ms(600).await;
    let file = dir.join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&file)
        .status()
        .map_err(|e| format!("import: {e}"))?;
    if !status.success() {
        return Err(format!("import failed for {name}"));
    }
    println!("saved {}", file.display());
    Ok(())
}

/// Zooms the map in (a wheel turn of `delta`) around the element `selector` finds.
async fn zoom_at(selector: &str, delta: i32) {
    crate::driver::js(&format!(
        "const e = document.querySelector('{selector}'); const m = document.getElementById('map');
         const r = e.getBoundingClientRect();
         m.dispatchEvent(new WheelEvent('wheel', {{bubbles: true, cancelable: true, deltaY: {delta},
             clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}}));
         return true;"
    ))
    .await;
    sleep_ms(300).await;
}

pub async fn take(which: &str) -> Result<(), String> {
    wait_for("the map", "document.getElementById('map')").await;
    match which {
        "shots-cleaner" => {
            // The morning shift's handover on top of the home screen, until it is marked read.
            wait_for("the handover", "document.getElementById('handover-card')").await;
            shot("37-handover-next-shift").await?;
            click("handover-read").await;
            wait_for("read", "!document.getElementById('handover-card')").await;
            shot("01-cleaner-report").await?;
            // Everything still open, whatever its age, with the age on the pin.
            click("ff-open").await;
            shot("30-field-map-open-days").await?;
            click("ff-all").await;
            click("cat-more").await;
            wait_for("more", "document.getElementById('more-sheet')").await;
            shot("31-more-categories").await?;
            click("more-close").await;
            click("cat-glaskross").await;
            tap_map(0.42, 0.55).await;
            wait_for("saved", "document.getElementById('toast')").await;
            shot("02-cleaner-saved-undo").await?;
            // The same category armed again, a tap by the open report: "+1" or a new one.
            click("cat-glaskross").await;
            tap_map(0.425, 0.55).await;
            wait_for("asked", "document.getElementById('near-still-there')").await;
            shot("32-already-reported").await?;
            click("near-still-there").await;
            click("tab-runs").await;
            wait_for("the run view", "document.getElementById('stop-run')").await;
            shot("03-machine-run").await?;
            click("tab-mine").await;
            wait_for("the list", "document.getElementById('mine')").await;
            shot("04-my-reports").await?;
        }
        "shots-guard" => {
            click("handover-read").await;
            tap_map(0.55, 0.5).await;
            click("when-15").await;
            click("dcat-berusad").await;
            click("level-2").await;
            click("iv-avvisning-plus").await;
            shot("05-guard-disturbance").await?;
            click("save-disturbance").await;
            wait_for("saved", "document.getElementById('toast')").await;
            // It grew: level 1, and the police were called; then the sheet with its history.
            for buttons in [
                &["amend-level-1", "amend-people-plus"][..],
                &["amend-iv-polis-plus"],
            ] {
                tap_map(0.55, 0.5).await;
                click("act-details").await;
                for b in buttons {
                    click(b).await;
                }
                click("details-save").await;
                wait_for("closed", "!document.getElementById('details-sheet')").await;
            }
            tap_map(0.55, 0.5).await;
            wait_for(
                "the history",
                "document.querySelectorAll('#history li').length == 3",
            )
            .await;
            crate::driver::js(
                "document.getElementById('report-sheet').scrollTop = 9999; return true;",
            )
            .await;
            shot("33-guard-amend-history").await?;
            click("sheet-close").await;
            click("tab-mine").await;
            wait_for("the shift list", "document.getElementById('shift-list')").await;
            shot("34-shift-list").await?;
            click("shift-end").await;
            wait_for("the draft", "document.getElementById('handover-draft')").await;
            crate::driver::type_into(
                "handover-note",
                "Oroligt vid Sergelgången efter lunch, polis var här 12:50.",
            )
            .await;
            shot("35-handover").await?;
            click("handover-cancel").await;
            click("tab-map").await;
            wait_for("the map", "document.getElementById('map')").await;
            shot("06-guard-map").await?;
            // Open a disturbance's pin (level 2, yellow): its sheet offers a cleaning task.
            crate::driver::js(
                "const c = [...document.querySelectorAll('#pins .pin circle')]
                     .find(c => c.getAttribute('stroke') == '#f9a825' || c.getAttribute('stroke') == '#c62828');
                 const m = document.getElementById('map'); const r = m.getBoundingClientRect();
                 const o = {bubbles: true, pointerId: 1, isPrimary: true, pointerType: 'touch',
                            clientX: r.left + +c.getAttribute('cx'), clientY: r.top + +c.getAttribute('cy')};
                 m.dispatchEvent(new PointerEvent('pointerdown', o));
                 m.dispatchEvent(new PointerEvent('pointerup', o));
                 return true;",
            )
            .await;
            wait_for("the sheet", "document.getElementById('report-sheet')").await;
            shot("07-guard-pin-sheet").await?;
        }
        "shots-position" => {
            // A skurmaskin run recording itself from a replayed track, then a report where I stand.
            click("handover-read").await;
            click("tab-runs").await;
            // The demo's run in progress (tapped) is stopped first.
            click("stop-run").await;
            wait_for("stopped", "!document.getElementById('run-banner')").await;
            click("machine-skurmaskin-1").await;
            wait_for("the live path", "document.getElementById('run-here')").await;
            sleep_ms(3_000).await;
            wait_for("the toast gone", "!document.getElementById('toast')").await;
            zoom_at("#run-here", -350).await;
            shot("40-run-recording").await?;
            click("tab-report").await;
            click("cat-nedskrapning").await;
            wait_for("saved", "document.querySelector('#pins .pin-accuracy')").await;
            zoom_at("#pins .pin-accuracy", -700).await;
            shot("41-report-at-position").await?;
        }
        "shots-night" => {
            // The cleaner's home screen at 22:30 in November: dark by itself, pins on the dark map.
            wait_for("the night theme", "document.querySelector('.app.night')").await;
            click("handover-read").await;
            shot("36-night").await?;
        }
        _ => {
            click("handover-read").await;
            shot("08-manager-map").await?;
            click("tab-settings").await;
            click("lang-en").await;
            click("tab-all").await;
            shot("09-manager-list-english").await?;
        }
    }
    Ok(())
}
