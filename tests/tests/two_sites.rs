//! Two sites on one server: the real server binary serving `--sites` with the Plattan and Medborgarplatsen,
//! phones of each (the app's real store, opened with its own site's plan, and the app's sync code)
//! enrolled with `enroll --site`. They record reports offline and sync; each phone ends holding exactly
//! its own site's reports, never one of the other site. A phone whose plan is wrong for its site (the
//! Plattan's on a Medborgarplatsen phone) records a report the server refuses, with the reason.
//! Runs on SQLite, and on PostgreSQL with `TORGKOLL_TEST_STORE=postgres`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use torgkoll_app::store::SyncState;
use torgkoll_app::sync::SyncClient;
use torgkoll_e2e::audit::{domains, expected_state, pull_all, visible};
use torgkoll_e2e::phone::Phone;
use torgkoll_e2e::server::{ServerProc, server_bin, server_cli};
use torgkoll_e2e::workload;
use torgkoll_shared::{Domain, Invalid, OpBody, Operation, Role, Site};
use uuid::Uuid;

const SITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/sites");

fn plan(id: &str) -> Arc<Site> {
    let text = std::fs::read_to_string(Path::new(SITES).join(format!("{id}.geojson"))).unwrap();
    Arc::new(Site::from_geojson(&text).unwrap())
}

/// A report a person of `role` makes on `site`, in the site's own vocabulary.
fn report(role: Role, site: &Site, rng: &mut StdRng) -> OpBody {
    match workload::report(role, site, rng) {
        OpBody::Clean(mut c) => {
            c.category = *site.vocabulary.cleaning.choose(rng).unwrap();
            OpBody::Clean(c)
        }
        OpBody::Disturbance(mut d) => {
            d.category = *site.vocabulary.disturbance.choose(rng).unwrap();
            OpBody::Disturbance(d)
        }
        other => other,
    }
}

struct TwoSites {
    dir: tempfile::TempDir,
    server: ServerProc,
}

impl TwoSites {
    fn start() -> TwoSites {
        let dir = tempfile::tempdir().unwrap();
        let extra = ["--sites", SITES, "--default-site", "plattan"].map(String::from);
        let server = ServerProc::start_with(
            &server_bin().unwrap(),
            &dir.path().join("server.sqlite"),
            &extra,
        )
        .unwrap();
        TwoSites { dir, server }
    }

    /// A code from `torgkoll-server enroll --site SITE`.
    fn code(&self, role: Role, name: &str, site: &str) -> String {
        let args = [
            "enroll",
            "--role",
            role.code(),
            "--name",
            name,
            "--site",
            site,
        ];
        server_cli(&server_bin().unwrap(), &self.server.db, &args).unwrap()
    }

    /// A phone of `site` whose store holds the plan `plan` (its own, unless the test says otherwise).
    async fn phone(&self, role: Role, name: &str, site: &str, plan: Arc<Site>) -> Phone {
        let code = self.code(role, name, site);
        let pdir = self.dir.path().join(name);
        std::fs::create_dir_all(&pdir).unwrap();
        let url = self.server.url();
        Phone::enroll(&pdir, plan, &url, &url, &code).await.unwrap()
    }

    /// Everything the server hands a fresh manager of `site`.
    async fn server_ops(&self, site: &str) -> BTreeSet<Uuid> {
        let code = self.code(Role::Manager, &format!("audit {site}"), site);
        let e = torgkoll_app::sync::enroll(&self.server.url(), &code)
            .await
            .unwrap();
        assert_eq!(e.site_id, site);
        let client = SyncClient::new(&self.server.url(), &e.token);
        pull_all(&client)
            .await
            .unwrap()
            .iter()
            .map(|p| p.op.id)
            .collect()
    }
}

/// The ids of `ops`.
fn ids<'a>(ops: impl IntoIterator<Item = &'a Operation>) -> BTreeSet<Uuid> {
    ops.into_iter().map(|o| o.id).collect()
}

/// What `phone` must hold: its own operations and the ones of its site its role may see.
fn expected(phone: &Phone, made: &[Operation], doms: &HashMap<Uuid, Domain>) -> BTreeSet<Uuid> {
    ids(made
        .iter()
        .filter(|o| o.device == phone.device || visible(phone.role, doms[&o.id])))
}

fn held(phone: &Phone) -> BTreeSet<Uuid> {
    ids(&phone.store.lock().unwrap().all_ops().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_of_two_sites_sync_through_one_server_and_never_see_each_other() {
    let t = TwoSites::start();
    let (plattan, medborgarplatsen) = (plan("plattan"), plan("medborgarplatsen"));
    let p = [
        t.phone(Role::Guard, "vakt P", "plattan", plattan.clone())
            .await,
        t.phone(Role::Manager, "chef P", "plattan", plattan.clone())
            .await,
        t.phone(Role::Cleaner, "plock P", "plattan", plattan.clone())
            .await,
    ];
    let m = [
        t.phone(
            Role::Guard,
            "vakt M",
            "medborgarplatsen",
            medborgarplatsen.clone(),
        )
        .await,
        t.phone(
            Role::Manager,
            "chef M",
            "medborgarplatsen",
            medborgarplatsen.clone(),
        )
        .await,
        t.phone(
            Role::Cleaner,
            "plock M",
            "medborgarplatsen",
            medborgarplatsen.clone(),
        )
        .await,
    ];
    let mut rng = StdRng::seed_from_u64(12);

    // Offline: reports on each phone's own site.
    for (phones, site) in [(&p, &plattan), (&m, &medborgarplatsen)] {
        for phone in phones {
            for _ in 0..25 {
                phone.record(report(phone.role, site, &mut rng)).unwrap();
            }
        }
    }
    // Reconnect, the two sites' pushes interleaved, twice round so that everyone pulls everything.
    for _ in 0..2 {
        for (a, b) in p.iter().zip(&m) {
            let s = a.sync().await.unwrap();
            assert_eq!((s.pending, s.rejected), (0, 0), "{}", a.name);
            let s = b.sync().await.unwrap();
            assert_eq!((s.pending, s.rejected), (0, 0), "{}", b.name);
        }
    }

    for (phones, other) in [(&p, &m), (&m, &p)] {
        let made: Vec<Operation> = phones.iter().flat_map(|x| x.own_ops().unwrap()).collect();
        let theirs: BTreeSet<Uuid> = other
            .iter()
            .flat_map(|x| x.own_ops().unwrap())
            .map(|o| o.id)
            .collect();
        let doms = domains(&made);
        for phone in phones {
            let holds = held(phone);
            assert_eq!(holds, expected(phone, &made, &doms), "{}", phone.name);
            assert!(
                holds.is_disjoint(&theirs),
                "{} holds another site's",
                phone.name
            );
            assert_eq!(
                phone.state().unwrap(),
                expected_state(phone.role, &made, &doms),
                "{}",
                phone.name
            );
        }
    }
    // What the server hands a fresh manager of each site: exactly that site's operations.
    let made_p: Vec<Operation> = p.iter().flat_map(|x| x.own_ops().unwrap()).collect();
    let made_m: Vec<Operation> = m.iter().flat_map(|x| x.own_ops().unwrap()).collect();
    assert_eq!(made_p.len() + made_m.len(), 150);
    assert_eq!(t.server_ops("plattan").await, ids(&made_p));
    assert_eq!(t.server_ops("medborgarplatsen").await, ids(&made_m));

    // A Medborgarplatsen phone with the Plattan's plan records a report on the Plattan: the server
    // validates against the device's own site and refuses it, with the reason.
    let astray = t
        .phone(
            Role::Cleaner,
            "plock M2",
            "medborgarplatsen",
            plattan.clone(),
        )
        .await;
    let refused = astray
        .record(report(Role::Cleaner, &plattan, &mut rng))
        .unwrap();
    let s = astray.sync().await.unwrap();
    assert_eq!((s.pending, s.rejected), (0, 1));
    let view = astray
        .store
        .lock()
        .unwrap()
        .report(refused.id)
        .unwrap()
        .unwrap();
    match view.sync {
        Some(SyncState::Rejected(refusal)) => {
            assert!(
                matches!(refusal.cause, Some(Invalid::Outside(_))),
                "{refusal:?}"
            );
            assert!(refusal.reason.contains("outside"), "{refusal:?}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert!(!t.server_ops("medborgarplatsen").await.contains(&refused.id));
    assert!(!t.server_ops("plattan").await.contains(&refused.id));
}
