//! The real binary: `serve` prints its address, `enroll` prints only a code, `revoke` and `devices` work
//! on the same file, and whatever was acknowledged survives a SIGKILL.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{Phone, request_json};
use torgkoll_shared::protocol::EnrollResponse;

const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");

struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--db"])
            .arg(db)
            .args(["--listen", "127.0.0.1:0", "--page-size", "50"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_string();
        Server { child, url }
    }

    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(db: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("TORGKOLL_DB", db)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}

async fn enroll(url: &str, db: &Path, role: &str, name: &str) -> Phone {
    let (ok, code) = cli(db, &["enroll", "--role", role, "--name", name]);
    assert!(ok);
    assert_eq!(code.lines().count(), 1, "only the code on stdout: {code:?}");
    let code = code.trim();
    assert_eq!(code.len(), 11);
    let client = reqwest::Client::new();
    let resp = client
        .post(format!("{url}/v1/enroll"))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let e: EnrollResponse = resp.json().await.unwrap();
    Phone {
        url: url.to_string(),
        client,
        device: e.device,
        token: e.token,
        role: e.role,
        seq: 0,
    }
}

#[tokio::test]
async fn acknowledged_operations_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    let server = Server::start(&db);
    let mut a = enroll(&server.url, &db, "guard", "A").await;
    let b = enroll(&server.url, &db, "manager", "B").await;

    let ops: Vec<_> = (0..120).map(|i| a.clean(&format!("r{i}"))).collect();
    let r = a.sync(&ops[..100], 0).await;
    assert_eq!(r.acked_through, 100);
    // Killed right after the answer: nothing may be lost.
    server.kill9();

    let server = Server::start(&db);
    a.url = server.url.clone();
    let b = Phone {
        url: server.url.clone(),
        ..b
    };
    // The phone resends from its last ack, overlapping what was stored: no duplicates.
    let r = a.sync(&ops[90..], 0).await;
    assert_eq!(r.acked_through, 120);
    let (pulled, _, rounds) = b.pull_all(0).await;
    assert_eq!(rounds, 3);
    let ids: Vec<_> = pulled.iter().map(|p| p.op.id).collect();
    assert_eq!(ids, ops.iter().map(|o| o.id).collect::<Vec<_>>());

    // The device list shows both, with A's acknowledgement.
    let (ok, list) = cli(&db, &["devices"]);
    assert!(ok);
    let a_line = list
        .lines()
        .find(|l| l.starts_with(&a.device.to_string()))
        .unwrap();
    assert!(
        a_line.contains("\tguard\tA\t") && a_line.contains("\t120\t120\t0"),
        "{a_line}"
    );

    // Revoked from the command line while serving: cut off at once.
    let (ok, _) = cli(&db, &["revoke", &a.device.to_string()]);
    assert!(ok);
    let resp = a.post_raw(request_json(&[], 0, None), true).await;
    assert_eq!(resp.status(), 401);
    let (ok, _) = cli(&db, &["revoke", "no-such-device"]);
    assert!(!ok);
    drop(server);
}

#[tokio::test]
async fn sigterm_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    let mut server = Server::start(&db);
    let health: serde_json::Value = reqwest::get(format!("{}/v1/health", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn sigkill_in_the_middle_of_pushes_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    let mut server = Server::start(&db);
    let mut a = enroll(&server.url, &db, "guard", "A").await;
    let reader = enroll(&server.url, &db, "manager", "R").await;
    let ops: Vec<_> = (0..3_000).map(|i| a.clean(&format!("r{i}"))).collect();

    // Each round pushes a batch and kills the server while that push may be anywhere: being received,
    // stored, committed or answered. The phone never learns the outcome and resends from its last ack.
    let mut acked = 0usize;
    for round in 0..6u64 {
        a.url = server.url.clone();
        let batch = ops[acked..(acked + 1_000).min(ops.len())].to_vec();
        let phone = a.clone();
        let push =
            tokio::spawn(
                async move { phone.post_raw(request_json(&batch, 0, Some(0)), true).await },
            );
        tokio::time::sleep(std::time::Duration::from_millis(round * 7)).await;
        server.kill9();
        if let Ok(resp) = push.await
            && resp.status() == 200
        {
            let r: torgkoll_shared::protocol::SyncResponse = resp.json().await.unwrap();
            acked = r.acked_through as usize;
        }
        server = Server::start(&db);
    }
    a.url = server.url.clone();
    let r = a.sync(&ops[acked..], 0).await;
    assert_eq!(r.acked_through, 3_000);
    let reader = Phone {
        url: server.url.clone(),
        ..reader
    };
    let (pulled, _, _) = reader.pull_all(0).await;
    let ids: Vec<_> = pulled.iter().map(|p| p.op.id).collect();
    assert_eq!(ids, ops.iter().map(|o| o.id).collect::<Vec<_>>());
}
