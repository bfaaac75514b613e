//! The partners are told without anyone running a command: a real `torgkoll-server serve` process with a
//! webhook the operator added, a real HTTP receiver on loopback that refuses the first attempt, a guard's
//! phone that logs a level-1 disturbance, and the daily lägesbild the server makes by itself.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sha2::Sha256;
use torgkoll_e2e::phone::Phone;
use torgkoll_e2e::server::{ServerProc, enroll_code, server_bin};
use torgkoll_e2e::workload;
use torgkoll_shared::{OpBody, Role};

const SECRET: &str = "partner-secret-1";

#[derive(Clone, Debug)]
struct Got {
    event: String,
    delivery: String,
    signature: String,
    body: Bytes,
}

/// A partner's endpoint: records every attempt; answers 500 to each delivery's first attempt, 200 after.
async fn receiver() -> (String, Arc<Mutex<Vec<Got>>>) {
    let got: Arc<Mutex<Vec<Got>>> = Arc::default();
    let log = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |h: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let header = |n: &str| {
                    h.get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                let mut l = log.lock().unwrap();
                let delivery = header("x-torgkoll-delivery");
                let first = !l.iter().any(|g| g.delivery == delivery);
                l.push(Got {
                    event: header("x-torgkoll-event"),
                    delivery,
                    signature: header("x-torgkoll-signature"),
                    body,
                });
                if first {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

fn signed_right(g: &Got) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(&g.body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    g.signature == format!("sha256={hex}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn level1_events_and_the_daily_report_reach_the_partner_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (bin, db) = (server_bin().unwrap(), dir.path().join("server.sqlite"));
    let reports = dir.path().join("lagesbild");
    let (url, got) = receiver().await;
    // The operator adds the hook once, before (or while) the server runs.
    let out = std::process::Command::new(&bin)
        .args(["webhook", "add", "--db"])
        .arg(&db)
        .args(["--url", &url, "--events", "level1,lagesbild"])
        .args(["--secret", SECRET])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 00:00: whatever the hour the test runs, today's run is due, and made once.
    let extra = ["--lagesbild-at", "00:00", "--lagesbild-dir"].map(String::from);
    let mut args = extra.to_vec();
    args.push(reports.display().to_string());
    let server = ServerProc::start_with(&bin, &db, &args).unwrap();

    let code = enroll_code(&bin, &db, Role::Guard, "Väktare Kalle").unwrap();
    let pdir = dir.path().join("guard");
    std::fs::create_dir_all(&pdir).unwrap();
    let site = Arc::new(torgkoll_shared::test_support::plattan());
    let guard = Phone::enroll(&pdir, site.clone(), &server.url(), &server.url(), &code)
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(3);
    let OpBody::Disturbance(mut d) = workload::disturbance(&site, &mut rng) else {
        unreachable!()
    };
    d.level = 1;
    d.note = Some("Personen hette Nils Nilsson".into());
    let op = guard.record(OpBody::Disturbance(d)).unwrap();
    guard.sync().await.unwrap();

    // Each first attempt is refused; the retry (5 s later) carries the same id and bytes.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let done = |g: &[Got]| {
        g.iter().filter(|x| x.event == "level1").count() >= 2
            && g.iter().filter(|x| x.event == "lagesbild").count() >= 2
    };
    while !done(&got.lock().unwrap()) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            got.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // nothing more may come
    let got = got.lock().unwrap().clone();
    assert!(got.iter().all(signed_right), "every delivery is signed");
    let level1: Vec<_> = got.iter().filter(|g| g.event == "level1").collect();
    let daily: Vec<_> = got.iter().filter(|g| g.event == "lagesbild").collect();
    // Refused once, accepted once, then never again.
    assert_eq!((level1.len(), daily.len()), (2, 2), "{got:?}");
    for pair in [&level1, &daily] {
        assert!(!pair[0].delivery.is_empty());
        assert_eq!(
            (&pair[0].delivery, &pair[0].body),
            (&pair[1].delivery, &pair[1].body)
        );
    }
    let first = level1[0];
    let text = String::from_utf8_lossy(&first.body);
    let v: serde_json::Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(v["report"], op.id.to_string());
    assert_eq!(v["level"], 1);
    for secret in ["Nils", "Kalle", &guard.device.to_string()] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // The day's files are where the operator said.
    let mut names: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("lagesbild-") && names[0].ends_with(".html"));
    assert!(names[1].ends_with(".json"));
}
