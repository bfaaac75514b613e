//! Screenshots of the main screens with the demo day, for `scripts/screenshots.sh`: the same driver as
//! the window test, with a visible window, saving the X screen with ImageMagick's `import` after each step.
//! Only run when asked (`--scenario shots-cleaner` and so on) with `TORGKOLL_SCREENSHOT_DIR` set.

use std::path::PathBuf;
use std::process::Command;

use crate::driver::{click, sleep_ms, tap_map, wait_for};

async fn shot(name: &str) -> Result<(), String> {
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

pub async fn take(which: &str) -> Result<(), String> {
    wait_for("the map", "document.getElementById('map')").await;
    match which {
        "shots-cleaner" => {
            shot("01-cleaner-report").await?;
            click("cat-glaskross").await;
            tap_map(0.42, 0.55).await;
            wait_for("saved", "document.getElementById('toast')").await;
            shot("02-cleaner-saved-undo").await?;
            click("tab-runs").await;
            wait_for("the run view", "document.getElementById('stop-run')").await;
            shot("03-machine-run").await?;
            click("tab-mine").await;
            wait_for("the list", "document.getElementById('mine')").await;
            shot("04-my-reports").await?;
        }
        "shots-guard" => {
            tap_map(0.55, 0.5).await;
            click("dcat-berusad").await;
            click("level-2").await;
            click("iv-avvisning-plus").await;
            shot("05-guard-disturbance").await?;
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
        "shots-night" => {
            // The cleaner's home screen at 22:30 in November: dark by itself, pins on the dark map.
            wait_for("the night theme", "document.querySelector('.app.night')").await;
            shot("36-night").await?;
        }
        _ => {
            shot("08-manager-map").await?;
            click("tab-settings").await;
            click("lang-en").await;
            click("tab-all").await;
            shot("09-manager-list-english").await?;
        }
    }
    Ok(())
}
