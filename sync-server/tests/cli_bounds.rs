//! Numeric flags out of their range are usage errors (exit code 2, a message naming the range), never an
//! overflow: `enroll --valid-hours 1e300` once overflowed the expiry and `serve --purge-every-hours 1e300`
//! panicked in `Duration::from_secs_f64`.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use torgkoll_server::cli::Cli;

const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");

/// Runs the binary; a command that is still running after a minute (a server that started) fails the test.
fn run(db: &Path, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(BIN)
        .args(args)
        .env("TORGKOLL_DB", db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?} still runs after a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    }
}

/// How long each stored code is valid, in ms.
fn code_lifetimes(db: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT expires_ms - created_ms FROM enroll_codes ORDER BY created_ms")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn enroll_valid_hours_are_more_than_zero_and_at_most_thirty_days() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let enroll = ["enroll", "--role", "cleaner", "--name", "Plock 1"];
    for bad in ["1e300", "720.01", "0", "-1", "NaN", "inf", "soon"] {
        let out = run(&db, &[&enroll[..], &["--valid-hours", bad]].concat());
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--valid-hours {bad}: {said}");
        assert!(
            said.contains("--valid-hours") && said.contains("at most 720 (30 days)"),
            "--valid-hours {bad}: {said}"
        );
        assert!(out.stdout.is_empty(), "no code printed for {bad}");
    }
    // `-inf` reads as a flag unless attached.
    let out = run(&db, &[&enroll[..], &["--valid-hours=-inf"]].concat());
    assert_eq!(out.status.code(), Some(2));
    for good in ["0.5", "720"] {
        let out = run(&db, &[&enroll[..], &["--valid-hours", good]].concat());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim().len(), 11);
    }
    assert_eq!(code_lifetimes(&db), [1_800_000, 720 * 3_600_000]);
}

fn refused(args: &[&str], range: &str) {
    let err = Cli::try_parse_from([&["torgkoll-server"], args].concat())
        .expect_err(&format!("{args:?} is refused"));
    assert_eq!(
        err.kind(),
        clap::error::ErrorKind::ValueValidation,
        "{args:?}: {err}"
    );
    let said = err.to_string();
    assert!(said.contains(range), "{args:?}: {said}");
}

fn accepted(args: &[&str]) {
    if let Err(e) = Cli::try_parse_from([&["torgkoll-server"], args].concat()) {
        panic!("{args:?}: {e}");
    }
}

#[test]
fn serve_purge_and_demo_numbers_are_bounded_when_parsed() {
    let purge_range = "at least 0.01 (36 seconds) and at most 720 (30 days)";
    for bad in ["1e300", "1e-300", "0", "-6", "NaN", "inf", "720.5"] {
        refused(&["serve", "--purge-every-hours", bad], purge_range);
    }
    accepted(&["serve", "--purge-every-hours", "0.01"]);
    accepted(&["serve", "--purge-every-hours", "720"]);

    for bad in ["3651", "4294967295", "99999999999", "-1"] {
        refused(&["serve", "--retention-days", bad], "0..=3650");
        refused(&["purge", "--retention-days", bad], "1..=3650");
    }
    refused(&["purge", "--retention-days", "0"], "1..=3650");
    accepted(&["serve", "--retention-days", "0"]);
    accepted(&["serve", "--retention-days", "3650"]);
    accepted(&["purge", "--retention-days", "3650"]);

    let bytes = "1024..=67108864";
    for bad in ["0", "1023", "67108865", "18446744073709551615"] {
        refused(&["serve", "--max-body-bytes", bad], bytes);
    }
    accepted(&["serve", "--max-body-bytes", "67108864"]);
    for bad in ["0", "1000001", "18446744073709551615"] {
        refused(&["serve", "--max-ops", bad], "1..=1000000");
    }
    for bad in ["0", "601", "18446744073709551615"] {
        refused(&["serve", "--header-timeout-secs", bad], "1..=600");
    }
    for bad in ["0", "3601", "18446744073709551615"] {
        refused(&["serve", "--body-timeout-secs", bad], "1..=3600");
    }
    accepted(&[
        "serve",
        "--header-timeout-secs",
        "600",
        "--body-timeout-secs",
        "3600",
    ]);

    for flag in ["--cleaning-per-day", "--disturbances-per-day"] {
        refused(
            &["demo", "--date", "2026-06-12", flag, "10001"],
            "0..=10000",
        );
        accepted(&["demo", "--date", "2026-06-12", flag, "10000"]);
    }
}

#[test]
fn serve_with_a_huge_purge_interval_is_a_usage_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let out = run(
        &db,
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--retention-days",
            "30",
            "--purge-every-hours",
            "1e300",
        ],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("--purge-every-hours"), "{said}");
    assert!(out.stdout.is_empty(), "it never listened");
}

#[test]
fn the_photos_directory_is_a_directory_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let file = file.to_str().unwrap();
    let long = "d/".repeat(2049);
    for cmd in [&["serve"][..], &["purge", "--retention-days", "30"][..]] {
        refused(&[cmd, &["--photos-dir", ""]].concat(), "1 to 4096 bytes");
        refused(&[cmd, &["--photos-dir", &long]].concat(), "1 to 4096 bytes");
        refused(
            &[cmd, &["--photos-dir", file]].concat(),
            "is not a directory",
        );
        let fresh = dir.path().join("photos");
        accepted(&[cmd, &["--photos-dir", fresh.to_str().unwrap()]].concat());
        accepted(&[cmd, &["--photos-dir", dir.path().to_str().unwrap()]].concat());
    }
}
