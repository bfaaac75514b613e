//! HTTPS end to end: a real server process with a certificate from a CA made here (as a city's own CA
//! would issue it), and the app's own enrollment, `sync_once` and sync engine with its wake-up channel.
//! One test, in its own binary: which CA the app trusts is process-wide, and the steps change it.

use std::path::Path;
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use torgkoll_app::sync::{EngineConfig, FailureKind, SyncEngine, SyncError, trust_server_ca};
use torgkoll_app::ui::explain::failure_text;
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::server::{ServerProc, server_bin};
use torgkoll_e2e::workload;
use torgkoll_shared::{Lang, Role};

/// A CA, and a certificate it issued for `localhost` and 127.0.0.1 with its key, written to `dir`.
/// Returns the CA's PEM and the paths of the server's certificate and key.
fn site_ca(dir: &Path) -> (String, std::path::PathBuf, std::path::PathBuf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let (cert, key) = (dir.join("server.crt"), dir.join("server.key"));
    std::fs::write(&cert, leaf.pem()).unwrap();
    std::fs::write(&key, leaf_key.serialize_pem()).unwrap();
    (ca.pem(), cert, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_that_trust_the_sites_ca_sync_and_wake_over_https_and_others_are_told_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let (ca_pem, cert, key) = site_ca(dir.path());
    let args = [
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]
    .map(String::from);
    let server = ServerProc::start_with(
        &server_bin().unwrap(),
        &dir.path().join("server.sqlite"),
        &args,
    )
    .unwrap();
    assert_eq!(server.scheme, "https");
    let rig = Rig {
        dir,
        server,
        site: std::sync::Arc::new(torgkoll_shared::test_support::plattan()),
    };

    // A connection that never starts its handshake holds nothing up (it is done in its own task).
    let _idle = std::net::TcpStream::connect(rig.server.addr).unwrap();

    // Not told to trust the site's CA: the system's roots do not know it, and the app says so.
    trust_server_ca(None).unwrap();
    let code = rig.server.enroll_code(Role::Guard, "vakt-1").unwrap();
    let err = torgkoll_app::sync::enroll(&rig.server.url(), &code)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Certificate(_)), "{err:?}");
    assert!(!err.is_offline());
    let failure = err.failure();
    assert_eq!(failure.kind, FailureKind::Certificate);
    assert!(failure_text(&failure, Lang::Sv).contains("certifikat"));

    // Told to: enrollment (the code was never used), sync and the wake-up channel all work.
    trust_server_ca(Some(&ca_pem)).unwrap();
    let guard = rig.phone(Role::Guard, "vakt-1", None).await.unwrap();
    let other = rig.phone(Role::Guard, "vakt-2", None).await.unwrap();
    let mut rng = StdRng::seed_from_u64(12);
    let first = guard
        .record(workload::disturbance(&rig.site, &mut rng))
        .unwrap();
    guard.sync().await.unwrap();
    other.sync().await.unwrap();
    assert!(other.state().unwrap().reports.contains_key(&first.id));

    // Plain HTTP to the TLS port: a clean network failure, soon, and the server serves on.
    guard.set_server(&format!("http://{}", rig.server.addr));
    let started = std::time::Instant::now();
    let err = guard.sync().await.unwrap_err();
    assert!(err.is_offline(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "it waited");
    guard.set_server(&rig.server.url());
    guard.sync().await.unwrap();

    // The wake-up channel over HTTPS: with the timer at an hour, only a wake brings the report over.
    let live = EngineConfig {
        interval: Duration::from_secs(3600),
        ..EngineConfig::default()
    };
    let eg = SyncEngine::start(guard.store.clone(), live.clone(), guard.clock.clone());
    let eo = SyncEngine::start(other.store.clone(), live, other.clock.clone());
    for e in [&eg, &eo] {
        tokio::time::timeout(
            Duration::from_secs(60),
            e.subscribe().wait_for(|s| s.live && s.completed > 0),
        )
        .await
        .expect("the channel opens over HTTPS")
        .unwrap();
    }
    let woken = guard
        .record(workload::disturbance(&rig.site, &mut rng))
        .unwrap();
    eg.sync_now();
    tokio::time::timeout(Duration::from_secs(30), async {
        while other
            .store
            .lock()
            .unwrap()
            .report_state(woken.id)
            .unwrap()
            .is_none()
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the wake brings the report");
    eg.shutdown();
    eo.shutdown();

    // A client made after the CA is forgotten fails on the certificate, with the app's real sync.
    trust_server_ca(None).unwrap();
    guard.set_server(&rig.server.url());
    let err = guard.sync().await.unwrap_err();
    assert!(matches!(err, SyncError::Certificate(_)), "{err:?}");
}
