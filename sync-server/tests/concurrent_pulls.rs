//! Pulls beside pushes on one real SQLite file (or, with `TORGKOLL_TEST_STORE=postgres`, a real PostgreSQL
//! database, where positions come from a counter row locked until commit): several threads push while
//! several others page through the operations with `pull_pos`, each on a connection of the store's pool. Every puller must
//! see every operation exactly once, in rising positions: a row committed after one it already saw never
//! has a lower position, so paging never steps over it.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use torgkoll_server::decode::DecodedOp;
use torgkoll_server::store::ServerStore;
use torgkoll_server::{PgStore, SqliteStore, secret};
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{CleaningCategory, CleaningReport, GeoPoint, Hlc, OpBody, Role};
use uuid::Uuid;

#[path = "common/pg.rs"]
mod pg;

const T: i64 = 1_767_225_600_000;
const DAY: i64 = 86_400_000;
const PUSHERS: usize = 4;
const PUSHES: u64 = 40;
const PER_PUSH: u64 = 5;
const PULLERS: usize = 4;

fn enroll(store: &dyn ServerStore, role: Role, name: &str) -> Uuid {
    let code = secret::hash(&format!("code-{name}"));
    store
        .add_enroll_code(&code, role, name, T, T - DAY)
        .unwrap();
    let device = Uuid::now_v7();
    let token = secret::hash(&format!("token-{name}"));
    store
        .redeem_enroll_code(&code, device, &token, "plattan", T - DAY)
        .unwrap()
        .expect("the code is fresh");
    device
}

fn report(seq: u64) -> DecodedOp {
    let wall = T + seq as i64;
    let wire = WireOp {
        id: Uuid::now_v7(),
        seq,
        hlc: Hlc::new(wall as u64, 0),
        wall,
        body: OpBody::Clean(CleaningReport {
            category: CleaningCategory::Fimpar,
            amount: None,
            note: None,
            at: GeoPoint::new(18.0641234, 59.3321234),
            acc: None,
        }),
    };
    DecodedOp {
        seq,
        id: wire.id,
        raw: serde_json::value::to_raw_value(&wire).unwrap(),
        op: Ok(wire),
    }
}

/// Pages through everything after 0 until the pushers are done and a last page is empty; the op ids seen.
fn pull_everything(store: &dyn ServerStore, me: Uuid, limit: u32, done: &AtomicUsize) -> Vec<Uuid> {
    let mut seen = Vec::new();
    let mut after = 0;
    let mut last_pos = 0;
    loop {
        let finished = done.load(Ordering::SeqCst) == PUSHERS;
        let page = store
            .pull(me, Role::Manager, "plattan", after, limit)
            .unwrap();
        for p in &page.ops {
            assert!(p.pos > last_pos, "position {} after {last_pos}", p.pos);
            last_pos = p.pos;
            seen.push(p.op.id);
        }
        assert!(page.pull_pos >= after, "pull_pos went back");
        after = page.pull_pos;
        if finished && !page.more && page.ops.is_empty() {
            return seen;
        }
        if page.ops.is_empty() {
            std::thread::yield_now();
        }
    }
}

#[test]
fn concurrent_pullers_see_every_pushed_operation_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store: Box<dyn ServerStore> = if pg::wanted() {
        Box::new(PgStore::open(&pg::fresh_db(), dir.path().join("photos")).unwrap())
    } else {
        let store = SqliteStore::open(&dir.path().join("server.sqlite")).unwrap();
        assert!(store.readers() >= 2, "a pool of readers, not one");
        Box::new(store)
    };
    let store = &*store;
    let site = std::sync::Arc::new(torgkoll_shared::test_support::plattan());
    let pushers: Vec<Uuid> = (0..PUSHERS)
        .map(|i| enroll(store, Role::Cleaner, &format!("plock-{i}")))
        .collect();
    let pullers: Vec<Uuid> = (0..PULLERS)
        .map(|i| enroll(store, Role::Manager, &format!("chef-{i}")))
        .collect();
    let done = AtomicUsize::new(0);

    let (pushed, pulled) = std::thread::scope(|s| {
        let push_handles: Vec<_> = pushers
            .iter()
            .map(|&device| {
                let (site, done) = (&site, &done);
                s.spawn(move || {
                    let mut ids = Vec::new();
                    for push in 0..PUSHES {
                        let ops: Vec<DecodedOp> = (1..=PER_PUSH)
                            .map(|k| report(push * PER_PUSH + k))
                            .collect();
                        ids.extend(ops.iter().map(|o| o.id));
                        let receipt = Receipt::new(T + 60_000, None);
                        let out = store
                            .push(device, Role::Cleaner, ops, site, receipt)
                            .unwrap();
                        assert_eq!(out.accepted, PER_PUSH as usize);
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                    ids
                })
            })
            .collect();
        let pull_handles: Vec<_> = pullers
            .iter()
            .enumerate()
            .map(|(i, &me)| {
                let done = &done;
                // Pages of different sizes, so page ends fall everywhere.
                s.spawn(move || pull_everything(store, me, 3 + 4 * i as u32, done))
            })
            .collect();
        let pushed: Vec<Uuid> = push_handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let pulled: Vec<Vec<Uuid>> = pull_handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        (pushed, pulled)
    });

    let want: BTreeSet<Uuid> = pushed.iter().copied().collect();
    assert_eq!(want.len(), PUSHERS * (PUSHES * PER_PUSH) as usize);
    for (i, seen) in pulled.iter().enumerate() {
        let got: BTreeSet<Uuid> = seen.iter().copied().collect();
        assert_eq!(got.len(), seen.len(), "puller {i} saw an operation twice");
        assert_eq!(got, want, "puller {i} missed operations");
    }
}
