//! The review commands as an operator runs them: `demo`, `lagesbild`, `export` and `purge`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use torgkoll_shared::analytics::Lagesbild;
use torgkoll_shared::{Role, analytics::StaffCount};

fn server(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn demo_then_report_and_exports_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let seeded = ok(server(
        &db,
        &["demo", "--date", "2026-06-12", "--days", "8", "--seed", "3"],
    ));
    let said = String::from_utf8(seeded.stderr).unwrap();
    assert!(said.contains("seeded 8 days up to 2026-06-12"), "{said}");
    let again = server(&db, &["demo", "--date", "2026-06-12"]);
    assert!(
        !again.status.success(),
        "a second demo in the same database is refused"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("demo devices already"));

    let json = dir.path().join("l.json");
    let args = [
        "lagesbild",
        "--date",
        "2026-06-12",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
    ];
    let out = ok(server(&db, &args));
    assert!(out.stdout.is_empty(), "--out writes the file, not stdout");
    let report: Lagesbild = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report.date.to_string(), "2026-06-12");
    assert_eq!(
        report.staff,
        [
            StaffCount {
                role: Role::Manager,
                count: 1
            },
            StaffCount {
                role: Role::Guard,
                count: 2
            },
            StaffCount {
                role: Role::Cleaner,
                count: 2
            },
        ]
    );
    assert!(
        report.totals[0].today > 50 && report.totals[0].usual > 0.0,
        "{:?}",
        report.totals[0]
    );

    let html = ok(server(&db, &["lagesbild", "--date", "2026-06-12"])).stdout;
    let html = String::from_utf8(html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("fredag 12 juni 2026"));

    let csv = ok(server(
        &db,
        &[
            "export",
            "--from",
            "2026-06-11",
            "--to",
            "2026-06-12",
            "--format",
            "csv",
        ],
    ));
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}id;typ;kategori"));
    assert!(!csv.contains("Kort anteckning") && !csv.contains("anteckning\r\n"));
    let with_notes = ok(server(
        &db,
        &[
            "export",
            "--from",
            "2026-06-11",
            "--to",
            "2026-06-12",
            "--format",
            "csv",
            "--with-notes",
        ],
    ));
    let with_notes = String::from_utf8(with_notes.stdout).unwrap();
    assert!(with_notes.contains(";anteckning\r\n"));
    assert_eq!(
        with_notes.lines().count(),
        csv.lines().count(),
        "the same rows"
    );

    let geo = dir.path().join("x.geojson");
    let args = [
        "export",
        "--from",
        "2026-06-12",
        "--to",
        "2026-06-12",
        "--format",
        "geojson",
        "--out",
    ];
    ok(server(&db, &[&args[..], &[geo.to_str().unwrap()]].concat()));
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    assert!(fc["features"].as_array().unwrap().len() > 50);

    let bad = server(
        &db,
        &[
            "export",
            "--from",
            "2026-06-12",
            "--to",
            "2026-06-11",
            "--format",
            "csv",
        ],
    );
    assert!(!bad.status.success());
    assert!(
        !server(&db, &["lagesbild", "--date", "2026-13-01"])
            .status
            .success()
    );

    // The demo's days lie in the past, so a one-day retention purges every note there is, and a second
    // purge finds nothing.
    let first = ok(server(&db, &["purge", "--retention-days", "1"]));
    let first = String::from_utf8(first.stderr).unwrap();
    // The retention may come from the environment, as for `serve`.
    let second = Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
        .arg("purge")
        .env("TORGKOLL_DB", &db)
        .env("TORGKOLL_RETENTION_DAYS", "1")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let second = String::from_utf8(ok(second).stderr).unwrap();
    assert!(
        second.contains("from 0 operations and 0 rejected"),
        "{second}"
    );
    assert!(!first.contains("from 0 operations"), "{first}");
    let after = ok(server(
        &db,
        &[
            "export",
            "--from",
            "2026-06-11",
            "--to",
            "2026-06-12",
            "--format",
            "csv",
            "--with-notes",
        ],
    ));
    let after = String::from_utf8(after.stdout).unwrap();
    assert!(!after.contains("Kort anteckning") && !after.contains("Ligger vid"));
    assert_eq!(after.lines().count(), csv.lines().count(), "counts stay");
    assert!(
        !server(&db, &["purge", "--retention-days", "0"])
            .status
            .success()
    );
}
