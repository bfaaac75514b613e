//! `torgkoll-server lagesbild --week`: the weekly report of a seeded demo, as JSON and as HTML.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn server(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[test]
fn a_week_against_the_four_before_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    // Five weeks of demo days ending on the Sunday of 2026-W48.
    let out = server(
        &db,
        &[
            "demo",
            "--date",
            "2026-11-29",
            "--days",
            "35",
            "--disturbances-per-day",
            "20",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = server(&db, &["lagesbild", "--week", "2026-W48", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let w: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["week"]["week"], 48);
    assert_eq!(w["days"].as_array().unwrap().len(), 7);
    let cleaning = &w["totals"][0]["count"];
    assert!(cleaning["week"].as_u64().unwrap() > 100, "{cleaning}");
    let previous: Vec<u64> = cleaning["previous"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(
        previous.iter().all(|n| *n > 100),
        "four full weeks before: {previous:?}"
    );
    let usual = previous.iter().sum::<u64>() as f64 / 4.0;
    assert!((cleaning["usual"].as_f64().unwrap() - usual).abs() < 1e-9);
    let per_day: u64 = w["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["counts"][0].as_u64().unwrap())
        .sum();
    assert_eq!(
        per_day,
        cleaning["week"].as_u64().unwrap(),
        "the days add up to the week"
    );
    assert!(w["level1"].is_array() && w["zones_cleaning"].as_array().unwrap().len() == 8);

    let html_path = dir.path().join("v48.html");
    let out = server(
        &db,
        &[
            "lagesbild",
            "--week",
            "2026-W48",
            "--out",
            html_path.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("Veckorapport · vecka 48 2026") && html.contains("@media print"));

    for (bad, says) in [
        ("2026-W54", "not an ISO week"),
        ("2026-48", "not an ISO week"),
    ] {
        let out = server(&db, &["lagesbild", "--week", bad]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{bad}");
    }
    let out = server(
        &db,
        &["lagesbild", "--week", "2026-W48", "--date", "2026-11-23"],
    );
    assert!(!out.status.success(), "a day or a week, not both");
}
