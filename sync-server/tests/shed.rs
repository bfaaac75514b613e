//! Load shedding (`src/shed.rs`): a flood of syncs beyond what the server takes at once is answered 503
//! `busy` with `Retry-After`, nothing of a refused request is stored, and every phone that tries again
//! after the pause gets all its operations in and pulls everyone else's.

mod common;

use std::time::Duration;

use common::{Phone, TestServer, request_json};
use reqwest::StatusCode;
use torgkoll_server::Limits;
use torgkoll_shared::Role;
use torgkoll_shared::protocol::{ErrorBody, SyncResponse};

const PHONES: usize = 12;
const OPS: usize = 150;
const SLOTS: usize = 2;

/// One sync until it is let in: the answer, and how many times it was shed first.
async fn sync_until_let_in(p: &Phone, body: Vec<u8>) -> (SyncResponse, usize) {
    let mut shed = 0;
    loop {
        let resp = p.post_raw(body.clone(), true).await;
        if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
            let retry = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .expect("a 503 says when to try again");
            assert!((1..=5).contains(&retry), "Retry-After {retry}");
            let err: ErrorBody = resp.json().await.unwrap();
            assert_eq!(err.error, "busy");
            shed += 1;
            // As asked, spread a little (as phones' own backoff does), so the retries do not all
            // arrive in the same instant again.
            let spread = Duration::from_millis(rand::random::<u64>() % 400);
            tokio::time::sleep(Duration::from_secs(retry) + spread).await;
            continue;
        }
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{text}");
        return (serde_json::from_str(&text).unwrap(), shed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_is_shed_with_retry_after_and_every_phone_converges_after() {
    // Two syncs at a time, and no waiting for a turn: everything beyond them is shed.
    let srv = TestServer::start(Limits {
        max_syncs: SLOTS,
        sync_wait: Duration::ZERO,
        ..Limits::default()
    })
    .await;
    let mut phones = Vec::new();
    for i in 0..PHONES {
        // Managers see both domains, so each should pull everyone else's operations.
        phones.push(srv.phone(Role::Manager, &format!("chef-{i}")).await);
    }

    // The flood: every phone pushes at once.
    let mut pushes = tokio::task::JoinSet::new();
    for p in &phones {
        let mut p = p.clone();
        let ops: Vec<_> = (0..OPS).map(|i| p.clean(&format!("{i}"))).collect();
        pushes.spawn(async move {
            let (resp, shed) = sync_until_let_in(&p, request_json(&ops, 0, Some(1))).await;
            assert_eq!(
                resp.acked_through, OPS as u64,
                "every operation acknowledged"
            );
            shed
        });
    }
    let mut shed = 0;
    while let Some(r) = pushes.join_next().await {
        shed += r.unwrap();
    }
    assert!(
        shed > 0,
        "a flood of {PHONES} syncs on one slot was never shed"
    );
    assert_eq!(
        srv.count("ops"),
        (PHONES * OPS) as i64,
        "nothing lost or doubled"
    );

    // After: every phone pulls everyone else's operations, through the same gate.
    let mut pulls = tokio::task::JoinSet::new();
    for p in &phones {
        let p = p.clone();
        pulls.spawn(async move {
            let (mut after, mut seen) = (0, 0);
            loop {
                let (resp, _) = sync_until_let_in(&p, request_json(&[], after, None)).await;
                seen += resp.ops.len();
                assert!(resp.ops.iter().all(|o| o.dev != p.device));
                after = resp.pull_pos;
                if !resp.more {
                    return seen;
                }
            }
        });
    }
    while let Some(r) = pulls.join_next().await {
        assert_eq!(r.unwrap(), (PHONES - 1) * OPS, "a phone missed operations");
    }
}

#[tokio::test]
async fn one_phone_within_the_limit_is_never_shed() {
    let srv = TestServer::start(Limits {
        max_syncs: 1,
        sync_wait: Duration::from_secs(5),
        ..Limits::default()
    })
    .await;
    let mut p = srv.phone(Role::Cleaner, "plock").await;
    for round in 0..5u64 {
        let op = p.clean("en");
        let resp = p.post_raw(request_json(&[op], 0, None), true).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let r: SyncResponse = resp.json().await.unwrap();
        assert_eq!(r.acked_through, round + 1);
    }
}
