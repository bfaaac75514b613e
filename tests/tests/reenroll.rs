//! A phone whose token is refused keeps its queue, and a new code for the same device lets it send
//! everything: real server process, real phone store. The phone records offline, the manager revokes it
//! (`torgkoll-server revoke`), its sync fails with 401 and its outbox stays; `enroll --device ID` makes a
//! code, the phone re-enrolls with it as the same device, syncs, and the server holds each operation once.

use rand::SeedableRng;
use rand::rngs::StdRng;
use torgkoll_app::sync::SyncError;
use torgkoll_e2e::audit::audit;
use torgkoll_e2e::rig::Rig;
use torgkoll_e2e::server::{server_bin, server_cli};
use torgkoll_e2e::workload;
use torgkoll_shared::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_phone_reenrolls_as_the_same_device_and_loses_nothing() {
    let rig = Rig::start(None).unwrap();
    let mut phone = rig.phone(Role::Guard, "vakt", None).await.unwrap();
    let mut rng = StdRng::seed_from_u64(12);
    let report = |rng: &mut StdRng| workload::report(Role::Guard, &rig.site, rng);
    for _ in 0..10 {
        phone.record(report(&mut rng)).unwrap();
    }
    assert_eq!(phone.sync().await.unwrap().pending, 0);
    // Offline for a while: fifteen more wait in the outbox.
    for _ in 0..15 {
        phone.record(report(&mut rng)).unwrap();
    }

    let (bin, db) = (server_bin().unwrap(), rig.server.db.clone());
    let id = phone.device.to_string();
    server_cli(&bin, &db, &["revoke", &id]).unwrap();
    match phone.sync().await {
        Err(SyncError::BadToken { code, .. }) => assert_eq!(code, "revoked"),
        other => panic!("a revoked phone's sync: {other:?}"),
    }
    let pending = || phone.store.lock().unwrap().pending_count().unwrap();
    assert_eq!(pending(), 15, "the queue is kept");
    phone.record(report(&mut rng)).unwrap();
    assert_eq!(pending(), 16, "and the phone goes on recording");

    let code = server_cli(&bin, &db, &["enroll", "--device", &id]).unwrap();
    let before = phone.device;
    let again = phone.reenroll(&rig.server.url(), &code).await.unwrap();
    assert_eq!(again, before, "the same device id");
    let s = phone.sync().await.unwrap();
    assert_eq!((s.pushed, s.pending, s.rejected), (16, 0, 0));

    // The code is spent, and an unknown device gets no code.
    assert!(phone.reenroll(&rig.server.url(), &code).await.is_err());
    let unknown = uuid::Uuid::now_v7().to_string();
    let err = server_cli(&bin, &db, &["enroll", "--device", &unknown]).unwrap_err();
    assert!(err.to_string().contains("no device"), "{err}");

    let made = phone.own_ops().unwrap();
    let a = audit(&made, &rig.server_ops().await.unwrap());
    assert_eq!(
        (a.made, a.on_server, a.missing, a.duplicates),
        (26, 26, 0, 0)
    );
}
