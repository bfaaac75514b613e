//! `torgkoll-server webhook add|list|remove` as an operator types them, and what it refuses.

use std::path::Path;
use std::process::{Command, Output};

fn server(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("RUST_LOG", "warn")
        .env_remove("TORGKOLL_WEBHOOK_SECRET")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "accepted: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn an_operator_adds_lists_and_removes_webhooks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    let add = |url: &str, events: &str| {
        let args = [
            "webhook", "add", "--url", url, "--events", events, "--secret", "hemligt",
        ];
        server(&db, &args)
    };
    let polisen = stdout(&add("https://polisen.example/torgkoll", "level1"));
    let staden = stdout(&add("http://stad.example:8080/in", "level1, lagesbild"));
    let (p, s) = (polisen.trim(), staden.trim());
    assert!(
        p.parse::<i64>().is_ok() && s.parse::<i64>().is_ok() && p != s,
        "{p} {s}"
    );

    let list = stdout(&server(&db, &["webhook", "list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert!(lines[0].starts_with("id\turl\tevents"));
    assert!(
        lines[1].starts_with(&format!("{p}\thttps://polisen.example/torgkoll\tlevel1\t")),
        "{list}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "{s}\thttp://stad.example:8080/in\tlevel1,lagesbild\t"
        )),
        "{list}"
    );
    assert!(!list.contains("hemligt"), "the secret is never shown");
    assert!(
        lines[1].ends_with("\t(default)"),
        "no --site: the default site's, {list}"
    );

    // A hook of another site.
    let args = [
        "webhook",
        "add",
        "--url",
        "https://m.example/in",
        "--events",
        "level1",
        "--secret",
        "x",
        "--site",
        "medborgarplatsen",
    ];
    let m = stdout(&server(&db, &args));
    let list = stdout(&server(&db, &["webhook", "list"]));
    let line = list
        .lines()
        .find(|l| l.starts_with(&format!("{}\t", m.trim())));
    assert!(
        line.is_some_and(|l| l.ends_with("\tmedborgarplatsen")),
        "{list}"
    );
    stdout(&server(&db, &["webhook", "remove", "--id", m.trim()]));

    stdout(&server(&db, &["webhook", "remove", "--id", p]));
    let list = stdout(&server(&db, &["webhook", "list"]));
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(!list.contains("polisen"));
    assert!(
        refused(&server(&db, &["webhook", "remove", "--id", p]))
            .contains(&format!("no webhook {p}"))
    );

    // Bad input is refused and stores nothing.
    for (url, events, secret, says) in [
        (
            "ftp://polisen.example/x",
            "level1",
            "k",
            "not an http or https address",
        ),
        ("polisen.example/x", "level1", "k", "the URL"),
        (
            "https://polisen.example/x",
            "level1,level2",
            "k",
            "unknown event 'level2'",
        ),
        ("https://polisen.example/x", "", "k", "at least one event"),
        (
            "https://polisen.example/x",
            "level1",
            "  ",
            "the secret must not be empty",
        ),
    ] {
        let args = [
            "webhook", "add", "--url", url, "--events", events, "--secret", secret,
        ];
        let err = refused(&server(&db, &args));
        assert!(err.contains(says), "{url} {events}: {err}");
    }
    assert_eq!(
        stdout(&server(&db, &["webhook", "list"])).lines().count(),
        2
    );
}
