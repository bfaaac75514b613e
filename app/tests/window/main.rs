//! The window test: the real desktop renderer (a hidden window under `xvfb-run -a`) driven through the
//! page, checking the phone's SQLite file after each step.
//!
//! Run: `xvfb-run -a cargo test -p torgkoll-app --test window` (without a display it re-runs itself
//! under `xvfb-run -a`).
//!
//! The test binary runs each scenario in a child process of its own (a process can open the desktop
//! event loop only once): a cleaner's quick report with undo, a cleaner's machine run (tapped, and recorded from a replayed track), a guard's
//! disturbance, a night shift's guard and cleaner, and the night theme. A watchdog ends a stuck
//! scenario with a failure.

mod alert_shots;
mod device_shots;
mod driver;
mod launch;
mod night;
mod photo_shots;
mod replay_scenarios;
mod scenarios;
mod shift_scenarios;
mod shots;
mod site_shots;
#[path = "../support_server.rs"]
mod support_server;

use std::process::Command;
use std::time::Duration;

const SCENARIOS: [&str; 7] = [
    "quick-report",
    "machine-run",
    "replayed-run",
    "disturbance",
    "night-shift-guard",
    "night-shift-cleaner",
    "night-theme",
];
const WATCHDOG: Duration = Duration::from_secs(120);

/// Without a display GTK cannot start: run the whole test again under `xvfb-run -a`, or fail saying so.
fn rerun_under_xvfb(args: &[String]) -> ! {
    if std::env::var_os("TORGKOLL_UNDER_XVFB").is_some() {
        eprintln!("window test: still no display under xvfb-run");
        std::process::exit(1);
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1024x900x24"])
        .arg(exe)
        .args(&args[1..])
        .env("TORGKOLL_UNDER_XVFB", "1")
        .status();
    match status {
        Ok(s) => std::process::exit(s.code().unwrap_or(1)),
        Err(e) => {
            eprintln!("window test: no display, and xvfb-run could not start ({e}); install xvfb");
            std::process::exit(1);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--scenario") {
        let name = args.get(pos + 1).cloned().unwrap_or_default();
        std::thread::spawn(|| {
            std::thread::sleep(WATCHDOG);
            eprintln!("window test: watchdog fired after {WATCHDOG:?}");
            std::process::exit(3);
        });
        launch::run(&name);
        return;
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        rerun_under_xvfb(&args);
    }
    let filter: Option<&String> = args.iter().skip(1).find(|a| !a.starts_with('-'));
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut failed = Vec::new();
    for name in SCENARIOS {
        if filter.is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let status = Command::new(&exe)
            .args(["--scenario", name])
            .status()
            .expect("start the scenario");
        println!(
            "window test {name} ... {}",
            if status.success() { "ok" } else { "FAILED" }
        );
        if !status.success() {
            failed.push(name);
        }
    }
    if !failed.is_empty() {
        eprintln!("window test: failed: {failed:?}");
        std::process::exit(1);
    }
}
