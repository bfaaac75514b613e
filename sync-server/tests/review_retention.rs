//! Retention: free text older than the period is purged from accepted and rejected operations, newer
//! text stays, every count stays, a second purge changes nothing, and `serve` purges by itself.

mod common;
mod review_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{T0, TestServer};
use review_support::{get, op_at, pulled_ops};
use torgkoll_server::store::ServerStore;
use torgkoll_server::{Clock, Limits, SqliteStore, secret};
use torgkoll_shared::analytics::Retention;
use torgkoll_shared::analytics::retention::purged;
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    OpBody, Operation, Role, State,
};

const DAY: i64 = 86_400_000;
const NOW: i64 = T0 + 100 * DAY;

fn clean(note: &str, at: GeoPoint) -> OpBody {
    OpBody::Clean(CleaningReport {
        category: CleaningCategory::Fimpar,
        amount: None,
        note: Some(note.into()),
        at,
        acc: None,
    })
}

fn on_site() -> GeoPoint {
    GeoPoint::new(18.0641234, 59.3321234)
}

/// Every row's first column, joined by '|'.
fn db_text(srv: &TestServer, sql: &str) -> String {
    srv.texts(sql).join("|")
}

#[tokio::test]
async fn old_free_text_goes_new_stays_and_counts_do_not_change() {
    let srv = TestServer::start(Limits::default()).await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock").await;
    let mut guard = srv.phone(Role::Guard, "Vakt").await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;

    // Forty days ago: a report with text, details with text, a disturbance with text, and a rejected
    // report (off the site) with text.
    let old = NOW - 40 * DAY;
    srv.clock.set(old);
    let c1 = op_at(&mut cleaner, old, clean("GAMMAL-1", on_site()));
    let details = OpBody::Details {
        report: c1.id,
        amount: None,
        note: Some("GAMMAL-2".into()),
    };
    let c2 = op_at(&mut cleaner, old + 1_000, details);
    let off = op_at(
        &mut cleaner,
        old + 2_000,
        clean("GAMMAL-AVVISAD", GeoPoint::new(18.0, 59.0)),
    );
    let r = cleaner.sync(&[c1, c2, off], 0).await;
    assert_eq!(r.rejected.len(), 1);
    let d = op_at(
        &mut guard,
        old,
        OpBody::Disturbance(DisturbanceReport {
            category: DisturbanceCategory::Berusad,
            level: 2,
            people: 1,
            interventions: Default::default(),
            note: Some("GAMMAL-3".into()),
            at: on_site(),
            happened: None,
        }),
    );
    assert!(guard.sync(&[d], 0).await.rejected.is_empty());

    // Five days ago: new text, a new rejection, and an operation whose wall clock says forty days but
    // whose clock says five (a phone with a wrong clock): its text stays.
    let new = NOW - 5 * DAY;
    srv.clock.set(new);
    let n1 = op_at(&mut cleaner, new, clean("NY-1", on_site()));
    let n2 = op_at(
        &mut cleaner,
        new + 1_000,
        clean("NY-AVVISAD", GeoPoint::new(18.0, 59.0)),
    );
    let mut skew = op_at(&mut cleaner, new + 2_000, clean("SKEV-KLOCKA", on_site()));
    skew.wall = old;
    skew.hlc = Hlc::new((new + 2_000) as u64, 0);
    assert_eq!(cleaner.sync(&[n1, n2, skew], 0).await.rejected.len(), 1);

    srv.clock.set(NOW);
    let before = pulled_ops(&manager).await;
    let (ops, rejected) = (srv.count("ops"), srv.count("rejected"));
    let export = |srv: &TestServer| {
        let from = torgkoll_shared::calendar::local_date(old - DAY);
        let to = torgkoll_shared::calendar::local_date(NOW);
        format!("{}/v1/export?from={from}&to={to}&format=csv", srv.url)
    };
    let csv_before = get(&export(&srv), Some(&manager))
        .await
        .text()
        .await
        .unwrap();

    let retention = Retention::new(30).unwrap();
    let out = srv.store.purge_free_text(retention, NOW).unwrap();
    assert_eq!((out.ops, out.rejected), (3, 1));

    let after = pulled_ops(&manager).await;
    let notes: Vec<&str> = after.iter().filter_map(|o| o.body.note()).collect();
    assert_eq!(notes, ["NY-1", "SKEV-KLOCKA"]);
    assert_eq!((srv.count("ops"), srv.count("rejected")), (ops, rejected));
    let stripped: Vec<Operation> = before
        .iter()
        .map(|o| {
            if retention.is_due(o, NOW) {
                purged(o)
            } else {
                o.clone()
            }
        })
        .collect();
    assert_eq!(
        State::fold(&after),
        State::fold(&stripped),
        "everything but the text stays"
    );
    assert_eq!(after.len(), before.len());
    let csv_after = get(&export(&srv), Some(&manager))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_after, csv_before, "the counts are the same");

    let bodies = db_text(&srv, "SELECT body FROM ops");
    let raws = db_text(&srv, "SELECT raw FROM rejected");
    assert!(
        !bodies.contains("GAMMAL") && !raws.contains("GAMMAL"),
        "{bodies}\n{raws}"
    );
    assert!(bodies.contains("NY-1") && raws.contains("NY-AVVISAD"));
    // SQLite's file itself (PostgreSQL's files are its own: vacuum reclaims old row versions).
    if srv.pg_url.is_none() {
        let mut file = std::fs::read(&srv.db).unwrap();
        if let Ok(wal) = std::fs::read(srv.db.with_extension("sqlite-wal")) {
            file.extend(wal);
        }
        assert!(
            !file.windows(7).any(|w| w == b"GAMMAL-"),
            "purged text lingers in the database file"
        );
    }

    // A phone that pulls now gets the operations without the text.
    let (pulled, _, _) = guard.pull_all(0).await;
    assert!(
        pulled
            .iter()
            .all(|p| p.op.body.note().is_none_or(|n| !n.starts_with("GAMMAL")))
    );

    let again = srv.store.purge_free_text(retention, NOW).unwrap();
    assert_eq!((again.ops, again.rejected), (0, 0));
    assert_eq!(db_text(&srv, "SELECT body FROM ops"), bodies);
    assert_eq!(db_text(&srv, "SELECT raw FROM rejected"), raws);
}

/// A database with one device and one report with text made and synced `age_days` ago (by the real
/// clock), on a phone enrolled the day before.
fn store_with_note(path: &std::path::Path, note: &str, age_days: i64) {
    let store = SqliteStore::open(path).unwrap();
    let now = torgkoll_server::SystemClock.now_ms();
    let t = now - age_days * DAY;
    let enrolled = t - DAY;
    let code = secret::hash("code");
    store
        .add_enroll_code(&code, Role::Cleaner, "Plock", enrolled + DAY, enrolled)
        .unwrap();
    let device = uuid::Uuid::now_v7();
    store
        .redeem_enroll_code(&code, device, &secret::hash("token"), "plattan", enrolled)
        .unwrap();
    let wire = WireOp {
        id: uuid::Uuid::now_v7(),
        seq: 1,
        hlc: Hlc::new(t as u64, 0),
        wall: t,
        body: clean(note, on_site()),
    };
    let decoded = torgkoll_server::decode::DecodedOp {
        seq: 1,
        id: wire.id,
        raw: serde_json::value::to_raw_value(&wire).unwrap(),
        op: Ok(wire),
    };
    let site = std::sync::Arc::new(torgkoll_shared::test_support::plattan());
    let out = store
        .push(
            device,
            Role::Cleaner,
            vec![decoded],
            &site,
            Receipt::new(t + 1_000, Some(t + 1_000)),
        )
        .unwrap();
    assert_eq!(out.accepted, 1);
}

#[test]
fn serve_purges_by_itself_when_a_retention_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    store_with_note(&db, "GAMMAL-BAKGRUND", 45);
    let mut child = Command::new(env!("CARGO_BIN_EXE_torgkoll-server"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--retention-days",
            "30",
            "--db",
        ])
        .arg(&db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let purged = loop {
        let body: String = conn
            .query_row("SELECT body FROM ops", [], |r| r.get(0))
            .unwrap();
        if !body.contains("GAMMAL") {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(purged, "the server did not purge the old note by itself");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM ops", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the operation itself stays");
}
