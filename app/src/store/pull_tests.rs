//! Pulled pages on a real SQLite file: a page gives the same rows whatever its order or cut, and a resent
//! page adds nothing. (How long they take is measured by `torgkoll-year-pull`, BENCHMARKS.md.)

use std::sync::Arc;

use torgkoll_shared::analytics::demo::{self, DemoConfig};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::protocol::{PulledOp, SyncResponse, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{Operation, Role};
use uuid::Uuid;

use super::*;

/// A few busy days of the demo site, in the order a server would hand them out.
fn busy_days(weeks: u32) -> Vec<Operation> {
    let site = plattan();
    let last = Date::parse("2026-11-20").unwrap();
    let mut ops = demo::generate(&site, &DemoConfig::busy_weeks(7, last, weeks));
    ops.sort_by_key(|o| (o.wall_ms, o.id));
    ops
}

fn pulled(ops: &[Operation], first_pos: u64) -> Vec<PulledOp> {
    ops.iter()
        .zip(first_pos..)
        .map(|(op, pos)| PulledOp {
            pos,
            dev: op.device,
            role: op.role,
            recv: op.wall_ms + 500,
            op: WireOp::from_op(op),
            fix: op.fix,
        })
        .collect()
}

fn page(ops: Vec<PulledOp>, pull_pos: u64) -> SyncResponse {
    SyncResponse {
        v: 1,
        acked_through: 0,
        rejected: vec![],
        fixed: vec![],
        ops,
        pull_pos,
        more: false,
        photos_wanted: vec![],
        server_ms: 1_764_150_000_000,
    }
}

fn manager(dir: &std::path::Path) -> Store {
    let mut s = Store::open(&dir.join(DB_FILE), Arc::new(plattan())).unwrap();
    s.set_identity(Identity {
        device: Uuid::now_v7(),
        token: "t".into(),
        role: Role::Manager,
        name: "Chef".into(),
        server: "http://127.0.0.1:1".into(),
    })
    .unwrap();
    s
}

/// Applies `ops` in pages of `size`, answering what was new.
fn apply_in_pages(s: &mut Store, ops: &[Operation], size: usize) -> usize {
    let mut new = 0;
    for (i, chunk) in ops.chunks(size).enumerate() {
        let first = (i * size) as u64 + 1;
        let resp = page(pulled(chunk, first), first + chunk.len() as u64 - 1);
        new += s
            .apply_sync(&resp, 0, 1_764_150_000_000)
            .unwrap()
            .pulled_new;
    }
    new
}

type Rows = Vec<(Vec<u8>, String, Option<String>, Option<String>, Option<i64>)>;

/// Every materialized row (reports, runs, handovers, photos) and the log, as text to compare.
fn rows(s: &Store) -> (Rows, Vec<String>) {
    let reports = s
        .conn
        .prepare(
            "SELECT id, state, zone, status || '/' || IFNULL(category, '') || '/' || IFNULL(level, '') \
             || '/' || task || '/' || IFNULL(taken_ms, '') || '/' || mine || '/' || known \
             || '/' || IFNULL(domain, '') || '/' || IFNULL(created_ms, '') || '/' || IFNULL(made_ms, '') \
             || '/' || quote(author), closed_ms FROM reports ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<Rows>>()
        .unwrap();
    let mut other = Vec::new();
    for q in [
        "SELECT quote(id) || state || IFNULL(kind, '') || IFNULL(started_ms, '') || IFNULL(stopped_ms, '') FROM runs ORDER BY id",
        "SELECT quote(id) || state || made_ms FROM handovers ORDER BY id",
        "SELECT hash || quote(report) || bytes FROM photos ORDER BY hash",
        "SELECT quote(op_id) || quote(device) || seq || hlc || wall_ms || role || kind || quote(target) || body \
         || local || IFNULL(server_pos, '') FROM oplog ORDER BY op_id",
    ] {
        other.extend(
            s.conn
                .prepare(q)
                .unwrap()
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(|r| r.unwrap()),
        );
    }
    (reports, other)
}

/// One page, pages of every size, the ops one at a time, and the ops in reverse: the same rows.
#[test]
fn a_page_gives_the_same_rows_in_any_order_and_cut() {
    let ops = busy_days(1);
    let ops = &ops[..3_000];
    let dir = tempfile::tempdir().unwrap();
    let mut whole = manager(&dir.path().join("a").tap_mkdir());
    assert_eq!(apply_in_pages(&mut whole, ops, ops.len()), ops.len());
    let want = rows(&whole);
    assert!(want.0.len() > 100, "{} reports", want.0.len());
    let mut ones = manager(&dir.path().join("b").tap_mkdir());
    apply_in_pages(&mut ones, ops, 1);
    assert_eq!(rows(&ones).0, want.0);
    let mut small = manager(&dir.path().join("c").tap_mkdir());
    apply_in_pages(&mut small, ops, 7);
    assert_eq!(rows(&small), want);
    let mut reversed: Vec<Operation> = ops.to_vec();
    reversed.reverse();
    let mut back = manager(&dir.path().join("d").tap_mkdir());
    apply_in_pages(&mut back, &reversed, 500);
    assert_eq!(rows(&back).0, want.0);
    // Every column of the rows kept up to date page by page is what a refold of the whole log writes
    // afresh.
    for s in [&mut ones, &mut back] {
        let before = rows(s).0;
        materialize::rebuild_all(&s.conn, &s.site, s.device()).unwrap();
        assert_eq!(rows(s).0, before);
    }
}

/// A page pulled twice (the answer lost, the request made again) adds and changes nothing.
#[test]
fn a_resent_page_adds_nothing() {
    let ops = busy_days(1);
    let ops = &ops[..2_000];
    let dir = tempfile::tempdir().unwrap();
    let mut s = manager(dir.path());
    assert_eq!(apply_in_pages(&mut s, ops, 1_000), ops.len());
    let before = rows(&s);
    let again = s
        .apply_sync(&page(pulled(&ops[500..1_500], 501), 1_500), 0, 1)
        .unwrap();
    assert_eq!((again.pulled_new, again.pulled_dup), (0, 1_000));
    assert_eq!(rows(&s), before);
    assert_eq!(s.pull_pos().unwrap(), 2_000, "the position never goes back");
}

/// Operations pulled again with another correction of their time (the server restored from a backup,
/// their authors' resends corrected anew): the phone takes the server's new correction and folds as a
/// phone that pulled only the new one does; pulled a third time, nothing changes.
#[test]
fn a_page_pulled_again_with_new_corrections_takes_them() {
    let ops = busy_days(1);
    let ops = &ops[..2_000];
    let refixed: Vec<Operation> = ops
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut op = op.clone();
            if i % 10 == 0 {
                // An hour earlier, as a clock an hour fast would be corrected.
                let at = op.wall_ms - 3_600_000;
                op.fix = Some(torgkoll_shared::TimeFix {
                    at,
                    hlc: torgkoll_shared::Hlc((at as u64) << 16),
                });
            }
            op
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut s = manager(&dir.path().join("a").tap_mkdir());
    apply_in_pages(&mut s, ops, 1_000);
    let old = rows(&s);
    let again = s
        .apply_sync(&page(pulled(&refixed, 1), 2_000), 0, 1)
        .unwrap();
    assert_eq!((again.pulled_new, again.refixed), (0, 200));
    let mut fresh = manager(&dir.path().join("b").tap_mkdir());
    apply_in_pages(&mut fresh, &refixed, 1_000);
    let want = rows(&fresh);
    assert_ne!(old.0, want.0, "the corrections change what the reports say");
    assert_eq!(rows(&s).0, want.0);
    let third = s
        .apply_sync(&page(pulled(&refixed, 1), 2_000), 0, 1)
        .unwrap();
    assert_eq!((third.pulled_dup, third.refixed), (2_000, 0));
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for std::path::PathBuf {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}
