//! The window test: the real desktop renderer (a hidden window under `xvfb-run -a`) driven through the
//! page, checking the phone's SQLite file after each step.
//!
//! Run: `xvfb-run -a cargo test -p torgkoll-app --test window`
//!
//! The test binary runs each scenario in a child process of its own (a process can open the desktop
//! event loop only once): a cleaner's quick report with undo, a cleaner's machine run, a guard's
//! disturbance. A watchdog ends a stuck scenario with a failure.

mod driver;
mod scenarios;
mod shots;

use std::process::Command;
use std::time::Duration;

const SCENARIOS: [&str; 3] = ["quick-report", "machine-run", "disturbance"];
const WATCHDOG: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--scenario") {
        let name = args.get(pos + 1).cloned().unwrap_or_default();
        std::thread::spawn(|| {
            std::thread::sleep(WATCHDOG);
            eprintln!("window test: watchdog fired after {WATCHDOG:?}");
            std::process::exit(3);
        });
        scenarios::run(&name);
        return;
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("window test: no display; run it under `xvfb-run -a`");
        std::process::exit(1);
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
