//! Push and pull between phones: acknowledgements, resends, gaps, rejections, role filtering.

mod common;

use std::time::Duration;

use common::{TestServer, on_site};
use torgkoll_server::Limits;
use torgkoll_shared::{GeoPoint, OpBody, Role};

#[tokio::test]
async fn two_phones_exchange_operations() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let mut b = srv.phone(Role::Cleaner, "B").await;
    let a_ops = vec![a.clean("a1"), a.clean("a2")];
    let report = a_ops[0].id;
    let resolve = a.op(OpBody::Resolve { report });
    let mut all_a = a_ops.clone();
    all_a.push(resolve);

    srv.clock.advance(1_000);
    let ra = a.sync(&all_a, 0).await;
    assert_eq!(ra.acked_through, 3);
    assert!(ra.rejected.is_empty());
    assert!(
        ra.ops.is_empty(),
        "a phone never gets its own operations back"
    );
    assert_eq!(
        ra.pull_pos, 3,
        "the position covers the phone's own operations"
    );
    assert_eq!(ra.server_ms, common::T0 + 1_000);

    let b1 = b.clean("b1");
    let rb = b.sync(std::slice::from_ref(&b1), 0).await;
    assert_eq!(rb.acked_through, 1);
    let got: Vec<_> = rb.ops.iter().map(|p| p.op.clone()).collect();
    assert_eq!(got, all_a, "B receives A's operations as sent, in order");
    assert!(
        rb.ops
            .iter()
            .all(|p| p.dev == a.device && p.role == Role::Cleaner)
    );
    assert!(rb.ops.iter().all(|p| p.recv == common::T0 + 1_000));
    assert_eq!(rb.pull_pos, 4);

    let ra2 = a.sync(&[], ra.pull_pos).await;
    assert_eq!(ra2.acked_through, 3);
    assert_eq!(ra2.ops.len(), 1);
    assert_eq!(ra2.ops[0].op, b1);
    assert_eq!(ra2.ops[0].pos, 4);
    assert_eq!(srv.count("ops"), 4);
}

#[tokio::test]
async fn a_resent_batch_creates_nothing() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Guard, "A").await;
    let ops = vec![
        a.clean("x"),
        a.disturbance("y"),
        a.clean_at("far", GeoPoint::new(18.0, 59.0)),
    ];
    let first = a.sync(&ops, 0).await;
    assert_eq!(first.acked_through, 3);
    assert_eq!(first.rejected.len(), 1);
    let (n_ops, n_rej) = (srv.count("ops"), srv.count("rejected"));
    assert_eq!((n_ops, n_rej), (2, 1));

    // The answer was lost: the phone sends the same batch again, twice.
    for _ in 0..2 {
        let again = a.sync(&ops, 0).await;
        assert_eq!(again.acked_through, 3);
        assert_eq!(
            again.rejected, first.rejected,
            "the refusal is reported again"
        );
        assert_eq!((srv.count("ops"), srv.count("rejected")), (n_ops, n_rej));
    }
    // A later batch that overlaps the acknowledged one stores only the new operation.
    let next = a.clean("z");
    let mut overlap = ops[1..].to_vec();
    overlap.push(next);
    let r = a.sync(&overlap, 0).await;
    assert_eq!(r.acked_through, 4);
    assert_eq!(srv.count("ops"), 3);
}

#[tokio::test]
async fn a_gap_stops_the_push_there() {
    // A request after a gap waits for the batch before it (an early batch) only this long.
    let srv = TestServer::start(Limits {
        turn_wait: Duration::from_millis(50),
        ..Limits::default()
    })
    .await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let ops: Vec<_> = (0..5).map(|i| a.clean(&format!("n{i}"))).collect();
    // Seq 3 is missing from this request: 1 and 2 are stored, 4 and 5 wait.
    let holey = vec![
        ops[0].clone(),
        ops[1].clone(),
        ops[3].clone(),
        ops[4].clone(),
    ];
    let r = a.sync(&holey, 0).await;
    assert_eq!(r.acked_through, 2);
    assert_eq!(srv.count("ops"), 2);
    // Starting past the acknowledgement stores nothing.
    let r = a.sync(&ops[3..], 0).await;
    assert_eq!(r.acked_through, 2);
    assert_eq!(srv.count("ops"), 2);
    // Out of order within a request is fine: the server sorts by seq.
    let mut rest = ops[2..].to_vec();
    rest.reverse();
    let r = a.sync(&rest, 0).await;
    assert_eq!(r.acked_through, 5);
    assert_eq!(srv.count("ops"), 5);
}

/// A phone sends its next batch before the answer to the one before it, on a second connection
/// (docs/PROTOCOL.md, "Early batches"); the early one may reach the store first. It waits for the
/// batch before it instead of finding a gap, and pulls nothing (`pull_limit` 0).
#[tokio::test]
async fn an_early_batch_waits_for_the_one_before_it() {
    let srv = TestServer::start(Limits::default()).await;
    let mut b = srv.phone(Role::Cleaner, "B").await;
    let theirs = b.clean("from another phone");
    b.sync(&[theirs], 0).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let ops: Vec<_> = (0..10).map(|i| a.clean(&format!("n{i}"))).collect();
    let early = {
        let (a, later) = (a.clone(), ops[5..].to_vec());
        tokio::spawn(async move { a.sync_limit(&later, 0, Some(0)).await })
    };
    // Without the wait, the early batch would be answered by now, with nothing of it stored.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!early.is_finished(), "the early batch waits");
    assert_eq!(srv.count("ops"), 1);
    let first = a.sync(&ops[..5], 0).await;
    assert_eq!(first.acked_through, 5);
    assert_eq!(
        first.ops.len(),
        1,
        "the batch that pulls gets the other phone's report"
    );
    let second = early.await.unwrap();
    assert_eq!(second.acked_through, 10);
    assert!(second.rejected.is_empty());
    assert!(second.ops.is_empty(), "a pull limit of 0 pulls nothing");
    assert_eq!(
        second.pull_pos, 0,
        "and leaves the pull position where it was"
    );
    assert_eq!(srv.count("ops"), 11);
}

#[tokio::test]
async fn operations_that_can_never_be_accepted_are_rejected_with_reasons() {
    let srv = TestServer::start(Limits::default()).await;
    let mut cleaner = srv.phone(Role::Cleaner, "C").await;
    let mut guard = srv.phone(Role::Guard, "G").await;

    let own = cleaner.clean("mine");
    let outside = cleaner.clean_at("far", GeoPoint::new(18.0, 59.0));
    let disturbance = cleaner.disturbance("not mine to report");
    let review = cleaner.op(OpBody::Review { report: own.id });
    let mut unknown_cat = serde_json::to_value(cleaner.clean("cat")).unwrap();
    unknown_cat["body"]["cat"] = "guldklimp".into();
    let unknown_cat = serde_json::value::to_raw_value(&unknown_cat).unwrap();
    let ok = cleaner.clean("fine");

    let mut req = serde_json::from_slice::<serde_json::Value>(&common::request_json(
        &[
            own.clone(),
            outside.clone(),
            disturbance.clone(),
            review.clone(),
        ],
        0,
        None,
    ))
    .unwrap();
    let ops = req["ops"].as_array_mut().unwrap();
    ops.push(serde_json::from_str(unknown_cat.get()).unwrap());
    ops.push(serde_json::to_value(&ok).unwrap());
    let resp = cleaner
        .post_raw(serde_json::to_vec(&req).unwrap(), true)
        .await;
    assert_eq!(resp.status(), 200);
    let r: torgkoll_shared::protocol::SyncResponse = resp.json().await.unwrap();
    assert_eq!(
        r.acked_through, 6,
        "refused operations are acknowledged too"
    );
    let seqs: Vec<u64> = r.rejected.iter().map(|x| x.seq).collect();
    assert_eq!(seqs, vec![2, 3, 4, 5]);
    assert!(
        r.rejected[0].reason.contains("outside the site"),
        "{}",
        r.rejected[0].reason
    );
    assert!(
        r.rejected[1].reason.contains("disturbances"),
        "{}",
        r.rejected[1].reason
    );
    assert!(
        r.rejected[2].reason.contains("review"),
        "{}",
        r.rejected[2].reason
    );
    assert!(
        r.rejected[3].reason.contains("guldklimp"),
        "{}",
        r.rejected[3].reason
    );
    assert_eq!(r.rejected[0].id, outside.id);
    assert_eq!(srv.count("ops"), 2, "only the two good reports are stored");
    assert_eq!(srv.count("rejected"), 4);

    // Nobody ever receives a rejected operation.
    let g = guard.sync(&[], 0).await;
    let ids: Vec<_> = g.ops.iter().map(|p| p.op.id).collect();
    assert_eq!(ids, vec![own.id, ok.id]);

    // A guard may report disturbances; an operation id used already is refused.
    let d = guard.disturbance("bråk");
    let mut stolen = guard.clean("copy");
    stolen.id = own.id;
    let r = guard.sync(&[d, stolen], 0).await;
    assert_eq!(r.acked_through, 2);
    assert_eq!(r.rejected.len(), 1);
    assert!(r.rejected[0].reason.contains("already in use"));
}

#[tokio::test]
async fn changes_check_the_target_and_its_author() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let mut b = srv.phone(Role::Cleaner, "B").await;
    let mut m = srv.phone(Role::Manager, "M").await;
    let report = a.clean("r");
    a.sync(std::slice::from_ref(&report), 0).await;

    let foreign_details = b.op(OpBody::Details {
        report: report.id,
        amount: None,
        note: Some("not mine".into()),
    });
    let resolve = b.op(OpBody::Resolve { report: report.id });
    let ghost = b.op(OpBody::Resolve {
        report: uuid::Uuid::now_v7(),
    });
    let r = b.sync(&[foreign_details, resolve, ghost], 0).await;
    assert_eq!(r.acked_through, 3);
    let seqs: Vec<u64> = r.rejected.iter().map(|x| x.seq).collect();
    assert_eq!(seqs, vec![1, 3], "{:?}", r.rejected);

    let review = m.op(OpBody::Review { report: report.id });
    let r = m.sync(&[review], 0).await;
    assert!(r.rejected.is_empty());
    assert_eq!(srv.count("ops"), 3);
}

#[tokio::test]
async fn a_cleaner_never_receives_disturbances_or_their_notes() {
    let srv = TestServer::start(Limits {
        page_size: 3,
        ..Limits::default()
    })
    .await;
    let mut guard = srv.phone(Role::Guard, "G").await;
    let cleaner = srv.phone(Role::Cleaner, "C").await;
    let manager = srv.phone(Role::Manager, "M").await;
    let mut ops = Vec::new();
    for i in 0..7 {
        ops.push(guard.disturbance(&format!("hemlig {i}")));
    }
    let d = ops[0].id;
    ops.push(guard.op(OpBody::Resolve { report: d }));
    ops.push(guard.op(OpBody::CleanRequest {
        from: d,
        task: torgkoll_shared::CleaningReport {
            category: torgkoll_shared::CleaningCategory::Glaskross,
            amount: None,
            note: Some("glas".into()),
            at: on_site(),
            acc: None,
        },
        by: Some("Vakt 1".into()),
    }));
    ops.push(guard.clean("städ"));
    let r = guard.sync(&ops, 0).await;
    assert_eq!((r.acked_through, r.rejected.len()), (10, 0));

    let (seen, pos, _) = cleaner.pull_all(0).await;
    let kinds: Vec<_> = seen.iter().map(|p| p.op.body.name()).collect();
    assert_eq!(kinds, vec!["clean_request", "clean"]);
    let text = serde_json::to_string(&seen).unwrap();
    assert!(!text.contains("hemlig"));
    assert_eq!(pos, 10, "filtered rows are not scanned again");
    let again = cleaner.sync(&[], pos).await;
    assert!(again.ops.is_empty() && !again.more);

    let (all, _, _) = manager.pull_all(0).await;
    assert_eq!(all.len(), 10);
}
