//! Cold start: from starting the release `torgkoll` process to the map mounted with its handlers attached
//! (the app prints the time and exits: `TORGKOLL_READY_PROBE`). On a phone that has a day of reports
//! (the demo day), in a visible phone-sized window. Needs a display: run under `xvfb-run -a`.
//!
//! Run: `xvfb-run -a cargo bench -p torgkoll-app --bench cold_start`

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 12;

fn start(exe: &str, data: &std::path::Path) -> (f64, f64) {
    let t0 = Instant::now();
    let mut child = Command::new(exe)
        .args(["--demo", "--data-dir"])
        .arg(data)
        .env("TORGKOLL_READY_PROBE", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start torgkoll");
    let out = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).expect("read");
    let outside = t0.elapsed().as_secs_f64() * 1000.0;
    let _ = child.wait();
    let inside: f64 = line
        .trim()
        .strip_prefix("ready ")
        .and_then(|s| s.strip_suffix(" ms"))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {line:?}"));
    (outside, inside)
}

fn stats(name: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    let pick = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name}: median {:.0} ms, p90 {:.0} ms, min {:.0} ms, max {:.0} ms ({} runs)",
        pick(0.5),
        pick(0.9),
        v[0],
        v[v.len() - 1],
        v.len()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("cold_start: no display; run under `xvfb-run -a`");
        std::process::exit(1);
    }
    let exe = env!("CARGO_BIN_EXE_torgkoll");
    let dir = tempfile::tempdir().expect("temp dir");
    // The first start seeds the demo day; it is not counted.
    let _ = start(exe, dir.path());
    let (mut outside, mut inside) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (o, i) = start(exe, dir.path());
        outside.push(o);
        inside.push(i);
    }
    stats(
        "cold start to interactive map (process spawn to ready line)",
        outside,
    );
    stats("cold start to interactive map (inside the process)", inside);
}
