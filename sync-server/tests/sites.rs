//! Several sites on one server: `serve --sites DIR` loads every plan in a directory (ids unique), and
//! `GET /v1/site` hands a phone its site's plan byte for byte, with an entity tag that lets it skip an
//! unchanged download. A device belongs to the site its code named (`enroll --site`); operations are
//! validated against that site and its vocabulary, and a pull never returns another site's operations.
//! Run on SQLite, and on PostgreSQL with `TORGKOLL_TEST_STORE=postgres`.

mod common;

use std::path::Path;

use clap::Parser;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use sha2::{Digest, Sha256};
use torgkoll_server::cli::Cli;
use torgkoll_server::secret;
use torgkoll_server::{Limits, Sites};
use torgkoll_shared::protocol::EnrollResponse;
use torgkoll_shared::site::Term;
use torgkoll_shared::test_support::MEDBORGARPLATSEN_GEOJSON;
use torgkoll_shared::{GeoPoint, Invalid, MachineKind, OpBody, PLATTAN_GEOJSON, Role};
use uuid::Uuid;

use common::TestServer;

const SITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/sites");

fn etag_of(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

async fn get_site(s: &TestServer, token: Option<&str>, if_none: Option<&str>) -> reqwest::Response {
    let mut req = s.client.get(format!("{}/v1/site", s.url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(e) = if_none {
        req = req.header(IF_NONE_MATCH, e);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn a_phone_gets_its_site_plan_as_stored_and_skips_it_when_unchanged() {
    let s = TestServer::start(Limits::default()).await;
    let phone = s.phone(Role::Cleaner, "Städ 1").await;

    let resp = get_site(&s, None, None).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    let resp = get_site(&s, Some(&phone.token), None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/geo+json");
    let etag = resp.headers()[ETAG].to_str().unwrap().to_owned();
    assert_eq!(etag, etag_of(PLATTAN_GEOJSON.as_bytes()));
    assert_eq!(resp.bytes().await.unwrap(), PLATTAN_GEOJSON.as_bytes());

    let resp = get_site(&s, Some(&phone.token), Some(&etag)).await;
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(resp.headers()[ETAG], etag.as_str());
    assert!(resp.bytes().await.unwrap().is_empty());

    // Another tag (an older plan on the phone) gets the whole file again.
    let resp = get_site(&s, Some(&phone.token), Some("\"0000\"")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.bytes().await.unwrap().len(), PLATTAN_GEOJSON.len());
}

#[tokio::test]
async fn a_server_of_several_sites_serves_and_validates_against_the_devices_site() {
    let sites = Sites::load_dir(Path::new(SITES), Some("medborgarplatsen")).unwrap();
    assert_eq!(
        sites.ids().collect::<Vec<_>>(),
        ["medborgarplatsen", "plattan"]
    );
    let s = TestServer::start_serving(Limits::default(), sites, |s| s).await;
    let code = s.code(Role::Cleaner, "Städ M", 24);
    let e: EnrollResponse = s.post_enroll(&code).await.json().await.unwrap();
    assert_eq!(e.site_id, "medborgarplatsen");
    let mut phone = s.phone(Role::Cleaner, "Städ M2").await;

    let resp = get_site(&s, Some(&phone.token), None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()[ETAG].to_str().unwrap(),
        etag_of(MEDBORGARPLATSEN_GEOJSON.as_bytes())
    );
    assert_eq!(
        resp.bytes().await.unwrap(),
        MEDBORGARPLATSEN_GEOJSON.as_bytes()
    );

    // A floor scrubber is not used here; a report on the Plattan is outside this site.
    let scrubber = phone.op(OpBody::RunStart {
        kind: MachineKind::Skurmaskin,
        machine: "Skurmaskin 1".into(),
        started: common::T0,
    });
    let fimpsug = phone.op(OpBody::RunStart {
        kind: MachineKind::Fimpsug,
        machine: "Fimpsug 1".into(),
        started: common::T0,
    });
    let on_plattan = phone.clean("på Plattan");
    let r = phone.sync(&[scrubber, fimpsug, on_plattan], 0).await;
    assert_eq!(r.acked_through, 3);
    assert_eq!(r.rejected.len(), 2, "{:?}", r.rejected);
    assert_eq!(
        r.rejected[0].cause,
        Some(Invalid::NotUsedHere {
            term: Term::Machine(MachineKind::Skurmaskin),
            site: "Driftområde Medborgarplatsen (torgytan)".into(),
        })
    );
    assert_eq!(r.rejected[0].seq, 1);
    assert!(matches!(r.rejected[1].cause, Some(Invalid::Outside(_))));
    assert_eq!(r.rejected[1].seq, 3);
}

/// A point on Medborgarplatsen's square.
fn on_medborgarplatsen() -> GeoPoint {
    GeoPoint::new(18.0724, 59.3147)
}

/// A server of both sites, the Plattan the default.
async fn both_sites() -> TestServer {
    let sites = Sites::load_dir(Path::new(SITES), Some("plattan")).unwrap();
    TestServer::start_serving(Limits::default(), sites, |s| s).await
}

fn ids(ops: &[torgkoll_shared::protocol::PulledOp]) -> Vec<Uuid> {
    let mut v: Vec<Uuid> = ops.iter().map(|p| p.op.id).collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v
}

#[tokio::test]
async fn each_site_pulls_exactly_its_own_operations() {
    let s = both_sites().await;
    let mut plock_p = s.phone_of_site(Role::Cleaner, "Plock P", "plattan").await;
    let chef_p = s.phone(Role::Manager, "Chef P").await;
    let mut plock_m = s
        .phone_of_site(Role::Cleaner, "Plock M", "medborgarplatsen")
        .await;
    let mut chef_m = s
        .phone_of_site(Role::Manager, "Chef M", "medborgarplatsen")
        .await;

    // The enrollment answer and the plan name each phone's own site, whatever the default.
    let resp = get_site(&s, Some(&plock_m.token), None).await;
    assert_eq!(
        resp.bytes().await.unwrap(),
        MEDBORGARPLATSEN_GEOJSON.as_bytes()
    );
    let resp = get_site(&s, Some(&chef_p.token), None).await;
    assert_eq!(resp.bytes().await.unwrap(), PLATTAN_GEOJSON.as_bytes());

    // Interleaved pushes, so that the two sites' positions interleave.
    let (mut on_p, mut on_m) = (Vec::new(), Vec::new());
    for i in 0..3 {
        let p = plock_p.clean(&format!("Plattan {i}"));
        on_p.push(p.id);
        assert!(plock_p.sync(&[p], 0).await.rejected.is_empty());
        let m = plock_m.clean_at(&format!("Medborgarplatsen {i}"), on_medborgarplatsen());
        on_m.push(m.id);
        assert!(plock_m.sync(&[m], 0).await.rejected.is_empty());
    }
    // A Plattan point from a Medborgarplatsen phone is refused, with the reason.
    let astray = plock_m.clean_at("på Plattan", common::on_site());
    let r = plock_m.sync(&[astray], 0).await;
    assert_eq!(r.acked_through, 4);
    assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
    assert!(
        matches!(r.rejected[0].cause, Some(Invalid::Outside(_))),
        "{:?}",
        r.rejected[0]
    );
    assert!(
        r.rejected[0].reason.contains("outside"),
        "{:?}",
        r.rejected[0]
    );
    // Nor can a report of the other site be reached by its id.
    let resolve = chef_m.op(OpBody::Resolve { report: on_p[0] });
    let r = chef_m.sync(&[resolve], 0).await;
    assert_eq!(
        r.rejected.first().and_then(|r| r.cause.clone()),
        Some(Invalid::UnknownTarget(on_p[0]))
    );

    let last: u64 = s.one_text("SELECT MAX(pos) FROM ops").parse().unwrap();
    let (got, pos, _) = chef_p.pull_all(0).await;
    assert_eq!(ids(&got), sorted(on_p.clone()));
    assert_eq!(pos, last, "the pull examined every position, of both sites");
    let (got, pos, _) = chef_m.pull_all(0).await;
    assert_eq!(ids(&got), sorted(on_m.clone()));
    assert_eq!(pos, last);
    // Page by page (one operation a page) the same: other sites' positions are passed over.
    let (mut paged, mut after) = (Vec::new(), 0);
    loop {
        let r = chef_m.sync_limit(&[], after, Some(1)).await;
        assert!(r.ops.len() <= 1);
        paged.extend(r.ops);
        after = r.pull_pos;
        if !r.more {
            break;
        }
    }
    assert_eq!(ids(&paged), sorted(on_m.clone()));
    // A phone sees neither its own operations nor the other site's.
    assert!(plock_m.pull_all(0).await.0.is_empty());
    assert_eq!(ids(&plock_p.pull_all(0).await.0), Vec::<Uuid>::new());

    // Every site's manager has the review routes, of the own site (see tests/sites_review.rs).
    let review = |token: String| {
        s.client
            .get(format!("{}/v1/review/devices", s.url))
            .bearer_auth(token)
            .send()
    };
    for chef in [&chef_m, &chef_p] {
        let resp = review(chef.token.clone()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }

    let sites = s.texts("SELECT site FROM ops ORDER BY pos");
    assert_eq!(
        sites,
        [
            "plattan",
            "medborgarplatsen",
            "plattan",
            "medborgarplatsen",
            "plattan",
            "medborgarplatsen"
        ]
    );
}

#[tokio::test]
async fn rows_from_before_sites_are_adopted_into_the_default_site() {
    let s = both_sites().await;
    let mut old = s.phone(Role::Cleaner, "Gammal").await;
    let op = old.clean("från förr");
    assert!(
        old.sync(std::slice::from_ref(&op), 0)
            .await
            .rejected
            .is_empty()
    );
    // As the V10 (SQLite) / V2 (PostgreSQL) migration leaves rows stored before sites.
    s.execute("UPDATE devices SET site = ''; UPDATE ops SET site = ''");

    // Not adopted yet, the device's site ('') is not served: a clear refusal, never another site.
    let (status, body) =
        common::error_of(old.post_raw(common::request_json(&[], 0, None), true).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body.error, "site_not_served");

    assert_eq!(s.store.adopt_default_site("plattan").unwrap(), 2);
    assert_eq!(
        s.store.adopt_default_site("plattan").unwrap(),
        0,
        "idempotent"
    );
    assert_eq!(s.texts("SELECT site FROM devices"), ["plattan"]);
    let chef = s.phone(Role::Manager, "Chef").await;
    let chef_m = s
        .phone_of_site(Role::Manager, "Chef M", "medborgarplatsen")
        .await;
    assert_eq!(ids(&chef.pull_all(0).await.0), [op.id]);
    assert!(chef_m.pull_all(0).await.0.is_empty());
    assert_eq!(old.sync(&[], 0).await.acked_through, 1);
}

#[tokio::test]
async fn a_code_for_a_site_not_served_is_refused_and_not_spent() {
    let s = both_sites().await;
    let code = s.code_for_site(Role::Cleaner, "Plock G", Some("gamla_stan"), 24);
    let (status, body) = common::error_of(s.post_enroll(&code).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body.error, "site_not_served");
    assert!(body.message.contains("'gamla_stan'"), "{}", body.message);
    assert_eq!(
        s.one_text("SELECT COUNT(*) FROM enroll_codes WHERE used_ms IS NULL"),
        "1"
    );
    assert_eq!(s.count("devices"), 0);
    // An unknown code is still just that.
    let (status, body) = common::error_of(s.post_enroll("AAAA-BBBB-CCCC").await).await;
    assert_eq!(
        (status, body.error.as_str()),
        (StatusCode::FORBIDDEN, "bad_code")
    );

    // Re-enrollment keeps the device's site (not the default).
    let phone = s
        .phone_of_site(Role::Cleaner, "Plock M", "medborgarplatsen")
        .await;
    let again = secret::new_code();
    let hash = secret::hash(&secret::normalize_code(&again).unwrap());
    let now = torgkoll_server::Clock::now_ms(&*s.clock);
    s.store
        .add_reenroll_code(&hash, phone.device, now + 3_600_000, now)
        .unwrap()
        .unwrap();
    let e: EnrollResponse = s.post_enroll(&again).await.json().await.unwrap();
    assert_eq!(
        (e.device, e.site_id.as_str()),
        (phone.device, "medborgarplatsen")
    );
}

#[test]
fn a_directory_of_sites_needs_unique_ids_and_a_known_default() {
    let dir = tempfile::tempdir().unwrap();
    let err = Sites::load_dir(dir.path(), None).unwrap_err();
    assert!(err.message.contains("no *.geojson"), "{err}");

    std::fs::write(dir.path().join("a.geojson"), MEDBORGARPLATSEN_GEOJSON).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a plan").unwrap();
    let one = Sites::load_dir(dir.path(), None).unwrap();
    assert_eq!(one.default_file().site.id, "medborgarplatsen");

    let err = Sites::load_dir(dir.path(), Some("plattan")).unwrap_err();
    assert!(err.message.contains("no site 'plattan'"), "{err}");

    // Several sites: the default is never guessed.
    let err = Sites::load_dir(Path::new(SITES), None).unwrap_err();
    assert!(err.message.contains("--default-site"), "{err}");
    let both = Sites::load_dir(Path::new(SITES), Some("plattan")).unwrap();
    assert_eq!(both.default_file().site.id, "plattan");
    assert_eq!(both.get("medborgarplatsen").unwrap().site.zones.len(), 3);

    std::fs::write(dir.path().join("b.geojson"), MEDBORGARPLATSEN_GEOJSON).unwrap();
    let err = Sites::load_dir(dir.path(), None).unwrap_err();
    assert!(err.path.ends_with("b.geojson"), "{err}");
    assert!(err.message.contains("'medborgarplatsen'"), "{err}");

    std::fs::write(
        dir.path().join("b.geojson"),
        "{\"type\": \"FeatureCollection\"",
    )
    .unwrap();
    let err = Sites::load_dir(dir.path(), None).unwrap_err();
    assert!(err.path.ends_with("b.geojson"), "{err}");
}

#[test]
fn sites_and_site_conflict_and_default_site_needs_sites() {
    let parse = |args: &[&str]| Cli::try_parse_from([&["torgkoll-server", "serve"], args].concat());
    assert!(parse(&["--sites", SITES]).is_ok());
    assert!(parse(&["--sites", SITES, "--default-site", "plattan"]).is_ok());
    let e = parse(&["--sites", SITES, "--site", "x.geojson"]).unwrap_err();
    assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    let e = parse(&["--default-site", "plattan"]).unwrap_err();
    assert_eq!(e.kind(), clap::error::ErrorKind::MissingRequiredArgument);
}

const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");

/// The real binary: `serve --sites DIR --default-site ID` serves that site's plan to a phone enrolled
/// with `enroll`; a directory with two plans of one id does not start, naming the file.
#[tokio::test]
async fn the_binary_serves_a_directory_of_sites() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let serve = || {
        let mut child = Command::new(BIN)
            .args(["serve", "--db"])
            .arg(&db)
            .args(["--listen", "127.0.0.1:0", "--sites", SITES])
            .args(["--default-site", "medborgarplatsen"])
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
            .unwrap()
            .to_owned();
        (child, url)
    };
    let (mut child, url) = serve();
    let enroll = |site: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.args(["enroll", "--db"])
            .arg(&db)
            .args(["--role", "cleaner", "--name", "Städ M"]);
        if let Some(site) = site {
            cmd.args(["--site", site]);
        }
        let out = cmd.stderr(Stdio::null()).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let code = enroll(None);
    let http = reqwest::Client::new();
    // `enroll --site`: a device of the other site.
    let other: EnrollResponse = http
        .post(format!("{url}/v1/enroll"))
        .json(&serde_json::json!({ "code": enroll(Some("plattan")) }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other.site_id, "plattan");
    let e: EnrollResponse = http
        .post(format!("{url}/v1/enroll"))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(e.site_id, "medborgarplatsen");
    let plan_of = |url: String, token: String| {
        let http = http.clone();
        async move {
            let resp = http
                .get(format!("{url}/v1/site"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.bytes().await.unwrap()
        }
    };
    let plan = plan_of(url.clone(), e.token.clone()).await;
    assert_eq!(plan, MEDBORGARPLATSEN_GEOJSON.as_bytes());
    child.kill().unwrap();
    child.wait().unwrap();

    // A device from before sites (site ''), as the migration leaves it: `serve` adopts it into its
    // default site at start; the device of the other site keeps its own.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE devices SET site = '' WHERE id = ?1", [e.device])
        .unwrap();
    let (mut child, url) = serve();
    let plan = plan_of(url.clone(), e.token.clone()).await;
    assert_eq!(plan, MEDBORGARPLATSEN_GEOJSON.as_bytes());
    let plan = plan_of(url, other.token.clone()).await;
    assert_eq!(plan, PLATTAN_GEOJSON.as_bytes());
    child.kill().unwrap();
    child.wait().unwrap();

    let twice = tempfile::tempdir().unwrap();
    for name in ["a.geojson", "b.geojson"] {
        std::fs::write(twice.path().join(name), PLATTAN_GEOJSON).unwrap();
    }
    let out = Command::new(BIN)
        .args(["serve", "--db"])
        .arg(&db)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--default-site",
            "plattan",
            "--sites",
        ])
        .arg(twice.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("b.geojson") && err.contains("'plattan'"),
        "{err}"
    );
}
