//! The review index of the store: `report_status`, kept by the push as operations are stored, equals what
//! the operations say (by corrected time and effective clock) when recomputed from scratch (the
//! migration's backfill query).

mod common;

use common::TestServer;
use torgkoll_server::review::demo;
use torgkoll_server::{Clock, Limits};
use torgkoll_shared::calendar::Date;

type Row = (Vec<u8>, i64, i64, Option<i64>, Option<i64>, Option<i64>);

fn rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Row> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<Vec<_>>>()
    .unwrap()
}

#[tokio::test]
async fn report_status_follows_every_stored_operation() {
    let srv = TestServer::start(Limits::default()).await;
    let last = Date::parse("2026-11-26").unwrap();
    srv.clock.set(last.bounds_ms().1);
    let site = torgkoll_shared::test_support::plattan();
    let cfg = demo::config(11, last, 10, 120, 14);
    demo::seed(&*srv.store, &site, &cfg, srv.clock.now_ms()).unwrap();

    let conn = rusqlite::Connection::open(&srv.db).unwrap();
    let kept = rows(
        &conn,
        "SELECT id, made_ms, gone, resolved_hlc, again_hlc, changed_ms FROM report_status ORDER BY id",
    );
    let recomputed = rows(
        &conn,
        "SELECT c.op_id, c.at_ms, COALESCE(g.gone, 0), g.resolved, g.again, g.changed
         FROM ops c LEFT JOIN (
             SELECT target,
                    MAX(kind IN ('withdraw', 'duplicate')) AS gone,
                    MAX(CASE WHEN kind = 'resolve' THEN clock END) AS resolved,
                    MAX(CASE WHEN kind = 'still_there' THEN clock END) AS again,
                    MAX(at_ms) AS changed
             FROM ops WHERE kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
             GROUP BY target) g ON g.target = c.op_id
         WHERE c.kind IN ('clean', 'clean_request', 'disturbance') ORDER BY c.op_id",
    );
    assert!(kept.len() > 1_000);
    assert!(kept.iter().any(|r| r.2 == 1) && kept.iter().any(|r| r.4.is_some()));
    assert_eq!(kept, recomputed);
}
