//! Saved means saved: a child process records reports and says each one's sequence number as soon as
//! `Store::record` returns; the parent kills it with SIGKILL mid-stream and checks that every report the
//! child called saved is in the phone's SQLite file, with the outbox and the materialized state intact.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use torgkoll_app::store::{DB_FILE, Identity, Store};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Role, State};
use uuid::Uuid;

const CHILD_ENV: &str = "TORGKOLL_KILL_TEST_DIR";

/// The child: records reports as fast as it can, forever, printing each saved seq.
fn child(dir: &str) -> ! {
    let site = Arc::new(plattan());
    let at = site
        .frame
        .from_local(geo::Coord { x: 0.0, y: 0.0 })
        .rounded();
    let mut store = Store::open(&std::path::Path::new(dir).join(DB_FILE), site).expect("store");
    store
        .set_identity(Identity {
            device: Uuid::now_v7(),
            token: "t".into(),
            role: Role::Cleaner,
            name: "kill test".into(),
            server: String::new(),
        })
        .expect("identity");
    let mut now = 1_764_000_000_000i64;
    loop {
        now += 1_000;
        let body = OpBody::Clean(CleaningReport {
            category: CleaningCategory::Fimpar,
            amount: None,
            note: Some("sparad".into()),
            at,
            acc: None,
        });
        let op = store.record(body, now).expect("recorded");
        println!("{}", op.seq);
    }
}

#[test]
fn a_report_called_saved_survives_sigkill() {
    if let Ok(dir) = std::env::var(CHILD_ENV) {
        child(&dir);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut proc = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_report_called_saved_survives_sigkill",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(proc.stdout.take().unwrap()).lines();
    let mut last_saved = 0u64;
    while last_saved < 500 {
        match lines.next() {
            Some(Ok(l)) => {
                if let Ok(seq) = l.trim().parse() {
                    last_saved = seq;
                }
            }
            _ => panic!("the child stopped before saving 500 reports"),
        }
    }
    // SIGKILL: no destructor, no checkpoint, no flush.
    proc.kill().unwrap();
    proc.wait().unwrap();

    let store = Store::open(&dir.path().join(DB_FILE), Arc::new(plattan())).unwrap();
    let ops = store.all_ops().unwrap();
    assert!(
        ops.len() as u64 >= last_saved,
        "saved {last_saved}, found {}",
        ops.len()
    );
    let mut seqs: Vec<u64> = ops.iter().map(|o| o.seq).collect();
    seqs.sort();
    assert!(
        seqs.iter().enumerate().all(|(i, s)| *s == i as u64 + 1),
        "sequence numbers have gaps"
    );
    assert_eq!(store.pending_count().unwrap(), ops.len() as u64);
    assert_eq!(store.state().unwrap(), State::fold(&ops));
}
