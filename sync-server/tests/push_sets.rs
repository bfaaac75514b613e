//! The set-based push (`ingest::apply_push`): ids looked up for the whole push at once, operations of
//! the same push that name each other, multi-row inserts of any length, and a push that fails half-way
//! storing nothing, so that its resend stores everything once. Runs on the store `TORGKOLL_TEST_STORE`
//! names, like the other protocol tests.

mod common;

use common::TestServer;
use torgkoll_server::review::demo;
use torgkoll_server::{Clock, Limits};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{OpBody, Role};

#[tokio::test]
async fn duplicate_ids_inside_a_push_and_across_pushes_are_refused() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let mut b = srv.phone(Role::Cleaner, "B").await;
    let first = a.clean("first");
    let r = a.sync(std::slice::from_ref(&first), 0).await;
    assert_eq!((r.acked_through, r.rejected.len()), (1, 0));

    let one = b.clean("one");
    let mut twin = b.clean("twin");
    twin.id = one.id; // the same id again, inside this push
    let mut stolen = b.clean("stolen");
    stolen.id = first.id; // an id stored by an earlier push
    let fine = b.clean("fine");
    // The same operation twice in one request is stored once.
    let req = [one.clone(), twin, one.clone(), stolen, fine.clone()];
    let r = b.sync(&req, 0).await;
    assert_eq!(r.acked_through, 4);
    let refused: Vec<(u64, bool)> = r
        .rejected
        .iter()
        .map(|x| (x.seq, x.reason.contains("already in use")))
        .collect();
    assert_eq!(refused, vec![(2, true), (3, true)]);
    assert_eq!(srv.count("ops"), 3);
    assert_eq!(srv.count("rejected"), 2);

    // Resent with one more: the refusals are reported again, once each, and only the new one is stored.
    let more = b.clean("more");
    let mut again = req.to_vec();
    again.push(more);
    let r = b.sync(&again, 0).await;
    assert_eq!(r.acked_through, 5);
    let seqs: Vec<u64> = r.rejected.iter().map(|x| x.seq).collect();
    assert_eq!(seqs, vec![2, 3]);
    assert_eq!((srv.count("ops"), srv.count("rejected")), (4, 2));
}

#[tokio::test]
async fn operations_of_one_push_find_each_other() {
    let srv = TestServer::start(Limits::default()).await;
    let mut g = srv.phone(Role::Guard, "G").await;
    let mut c = srv.phone(Role::Cleaner, "C").await;
    let report = g.disturbance("bråk");
    let details = g.op(OpBody::Details {
        report: report.id,
        amount: None,
        note: Some("mer".into()),
    });
    let resolve = g.op(OpBody::Resolve { report: report.id });
    let gone = g.clean("skräp");
    let withdraw = g.op(OpBody::Withdraw { report: gone.id });
    let push = [report.clone(), details, resolve, gone, withdraw];
    let r = g.sync(&push, 0).await;
    assert_eq!((r.acked_through, r.rejected.len()), (5, 0));
    assert_eq!(srv.count("ops"), 5);
    // Not the author: the cleaner's withdrawal of the guard's report is refused.
    let foreign = c.op(OpBody::Withdraw { report: report.id });
    let r = c.sync(&[foreign], 0).await;
    assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
    // The report's status kept by the store sees the resolve and the withdrawal of the same push.
    assert_eq!(srv.count("report_status"), 2);
    let resolved = srv.count("report_status WHERE resolved_hlc IS NOT NULL");
    assert_eq!(resolved, 1);
    assert_eq!(srv.count("report_status WHERE gone = TRUE"), 1);
}

#[tokio::test]
async fn a_long_push_is_stored_whole_in_order() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let b = srv.phone(Role::Cleaner, "B").await;
    // 2,345 rows: several statements of each size, and more than one `UNNEST` chunk.
    let ops: Vec<_> = (0..2_345).map(|i| a.clean(&format!("n{i}"))).collect();
    let r = a.sync(&ops, 0).await;
    assert_eq!((r.acked_through, r.rejected.len()), (2_345, 0));
    let (got, pos, _) = b.pull_all(0).await;
    assert_eq!(pos, 2_345);
    let ids: Vec<_> = got.iter().map(|p| p.op.id).collect();
    let sent: Vec<_> = ops.iter().map(|o| o.id).collect();
    assert_eq!(ids, sent, "positions follow the sequence numbers");
    assert!(got.iter().zip(1..).all(|(p, n)| p.pos == n));
    let made = got.iter().map(|p| &p.op).cloned().collect::<Vec<_>>();
    assert_eq!(made, ops, "every operation stored as sent");
}

/// A trigger that fails the insert of an operation whose note says "boom", on either store.
fn fail_on_boom(srv: &TestServer) {
    if srv.pg_url.is_some() {
        srv.execute(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN IF NEW.body LIKE '%boom%' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
             CREATE TRIGGER boom BEFORE INSERT ON ops FOR EACH ROW EXECUTE FUNCTION boom();",
        );
    } else {
        srv.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON ops WHEN NEW.body LIKE '%boom%'
             BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        );
    }
}

#[tokio::test]
async fn a_push_that_fails_half_way_stores_nothing_and_its_resend_everything() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let mut ops: Vec<_> = (0..150).map(|i| a.clean(&format!("n{i}"))).collect();
    ops.push(a.disturbance("a cleaner may not")); // refused
    ops.push(a.clean("boom"));
    ops.extend((0..20).map(|i| a.clean(&format!("m{i}"))));
    fail_on_boom(&srv);
    let resp = a.post_raw(common::request_json(&ops, 0, None), true).await;
    assert!(resp.status().is_server_error(), "{}", resp.status());
    assert_eq!((srv.count("ops"), srv.count("rejected")), (0, 0));
    assert_eq!(srv.count("report_status"), 0);
    let acked = srv.one_text("SELECT acked_through FROM devices WHERE name = 'A'");
    assert_eq!(acked, "0");

    srv.execute(if srv.pg_url.is_some() {
        "DROP TRIGGER boom ON ops"
    } else {
        "DROP TRIGGER boom"
    });
    let r = a.sync(&ops, 0).await;
    assert_eq!(r.acked_through, 172);
    let seqs: Vec<u64> = r.rejected.iter().map(|x| x.seq).collect();
    assert_eq!(seqs, vec![151]);
    assert_eq!((srv.count("ops"), srv.count("rejected")), (171, 1));
}

/// `report_status` as `(id|made|gone|resolved|again|changed)` strings, kept (`kept`) or recomputed from
/// the operations (the backfill query of SQLite's migration 5), in SQL both stores speak.
fn report_status(srv: &TestServer, kept: bool) -> Vec<String> {
    let id = if srv.pg_url.is_some() {
        "CAST(id AS TEXT)"
    } else {
        "hex(id)"
    };
    let row = format!(
        "{id} || '|' || made_ms || '|' || (CASE WHEN gone THEN 1 ELSE 0 END) || '|' ||
         COALESCE(CAST(resolved_hlc AS TEXT), '') || '|' || COALESCE(CAST(again_hlc AS TEXT), '')
         || '|' || COALESCE(CAST(changed_ms AS TEXT), '')"
    );
    let from = if kept {
        "report_status".to_owned()
    } else {
        "(SELECT c.op_id AS id, c.at_ms AS made_ms, COALESCE(g.gone, 0) = 1 AS gone,
                 g.resolved AS resolved_hlc, g.again AS again_hlc, g.changed AS changed_ms
          FROM ops c LEFT JOIN (
              SELECT target,
                     MAX(CASE WHEN kind IN ('withdraw', 'duplicate') THEN 1 ELSE 0 END) AS gone,
                     MAX(CASE WHEN kind = 'resolve' THEN clock END) AS resolved,
                     MAX(CASE WHEN kind = 'still_there' THEN clock END) AS again,
                     MAX(at_ms) AS changed
              FROM ops WHERE kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
              GROUP BY target) g ON g.target = c.op_id
          WHERE c.kind IN ('clean', 'clean_request', 'disturbance')) AS s"
            .to_owned()
    };
    srv.texts(&format!("SELECT {row} FROM {from} ORDER BY id"))
}

#[tokio::test]
async fn the_push_keeps_report_status_as_the_operations_say() {
    let srv = TestServer::start(Limits::default()).await;
    let last = Date::parse("2026-11-26").unwrap();
    srv.clock.set(last.bounds_ms().1);
    let site = torgkoll_shared::test_support::plattan();
    let cfg = demo::config(11, last, 10, 120, 14);
    demo::seed(&*srv.store, &site, &cfg, srv.clock.now_ms()).unwrap();
    let kept = report_status(&srv, true);
    assert!(kept.len() > 1_000, "{}", kept.len());
    assert!(kept.iter().any(|r| r.split('|').nth(2) == Some("1")));
    assert!(
        kept.iter()
            .any(|r| !r.split('|').nth(4).unwrap().is_empty())
    );
    assert_eq!(kept, report_status(&srv, false));
}

/// A sync request saying the phone's outbox size and app version.
fn request_saying(ops: &[torgkoll_shared::protocol::WireOp], pending: u64, app: &str) -> Vec<u8> {
    serde_json::to_vec(&torgkoll_shared::protocol::SyncRequest {
        v: 1,
        ops: ops
            .iter()
            .map(|o| serde_json::value::to_raw_value(o).unwrap())
            .collect(),
        pull_after: 0,
        pull_limit: None,
        phone_ms: None,
        pending: Some(pending),
        app: Some(app.into()),
    })
    .unwrap()
}

/// The device's contact as `last_contact_ms|pending|app|acked_through`.
fn contact(srv: &TestServer) -> String {
    srv.one_text(
        "SELECT COALESCE(CAST(last_contact_ms AS TEXT), '') || '|' ||
                COALESCE(CAST(pending AS TEXT), '') || '|' || COALESCE(app, '') || '|' ||
                CAST(acked_through AS TEXT)
         FROM devices WHERE name = 'A'",
    )
}

#[tokio::test]
async fn the_contact_is_written_in_the_push_transaction() {
    let srv = TestServer::start(Limits::default()).await;
    let mut a = srv.phone(Role::Cleaner, "A").await;
    let ops = vec![a.clean("one"), a.clean("two")];
    // Recording the contact fails: the push's operations are not stored either (one transaction).
    if srv.pg_url.is_some() {
        srv.execute(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN IF NEW.app = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
             CREATE TRIGGER boom BEFORE UPDATE ON devices FOR EACH ROW EXECUTE FUNCTION boom();",
        );
    } else {
        srv.execute(
            "CREATE TRIGGER boom BEFORE UPDATE ON devices WHEN NEW.app = 'boom'
             BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        );
    }
    let resp = a.post_raw(request_saying(&ops, 9, "boom"), true).await;
    assert!(resp.status().is_server_error(), "{}", resp.status());
    assert_eq!((srv.count("ops"), contact(&srv)), (0, "|||0".to_owned()));

    // It succeeds: both, in the same commit.
    let t1 = srv.clock.now_ms();
    let resp = a.post_raw(request_saying(&ops, 2, "1.2.3"), true).await;
    assert!(resp.status().is_success(), "{}", resp.status());
    assert_eq!(srv.count("ops"), 2);
    assert_eq!(contact(&srv), format!("{t1}|2|1.2.3|2"));

    // A resend (its answer was lost): nothing stored again, the contact moves on.
    srv.clock.advance(60_000);
    let r = a.sync(&ops, 0).await;
    assert_eq!((r.acked_through, srv.count("ops")), (2, 2));
    let resp = a.post_raw(request_saying(&ops, 0, "1.2.4"), true).await;
    assert!(resp.status().is_success(), "{}", resp.status());
    assert_eq!(srv.count("ops"), 2);
    assert_eq!(contact(&srv), format!("{}|0|1.2.4|2", t1 + 60_000));

    // A pull without either count or version keeps what the phone said before.
    srv.clock.advance(60_000);
    a.sync(&[], 0).await;
    assert_eq!(contact(&srv), format!("{}|0|1.2.4|2", t1 + 120_000));
}
