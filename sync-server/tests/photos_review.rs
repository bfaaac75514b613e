//! Photos in review and retention: the lägesbild counts the day's reports with a photo and shows none, the
//! CSV export lists their hashes, and the retention purge removes a photo's files (on the server's clock)
//! once every operation attaching it is older than the period, after which it is unknown.

mod common;
mod photo_support;
mod review_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{T0, TestServer, error_of};
use photo_support::{download, files, photo, photo_body, put, upload, upload_status};
use review_support::{at, get, op_at};
use torgkoll_server::Limits;
use torgkoll_server::review::retention;
use torgkoll_server::store::ServerStore;
use torgkoll_shared::analytics::{Lagesbild, Retention};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, OpBody,
    Role,
};

const DAY: i64 = 86_400_000;

fn clean_body() -> OpBody {
    OpBody::Clean(CleaningReport {
        category: CleaningCategory::Klotter,
        amount: None,
        note: Some("Klotter".into()),
        at: GeoPoint::new(18.0641234, 59.3321234),
        acc: None,
    })
}

async fn assert_unknown(resp: reqwest::Response) {
    let (status, body) = error_of(resp).await;
    assert_eq!(
        (status.as_u16(), body.error.as_str()),
        (404, "unknown_photo")
    );
}

#[tokio::test]
async fn retention_removes_photo_files_on_schedule_and_they_are_unknown_after() {
    let srv = TestServer::start(Limits::default()).await;
    let mut cleaner = srv.phone(Role::Cleaner, "Plock 1").await;
    let manager = srv.phone(Role::Manager, "Platsansvarig").await;
    let now = T0 + 100 * DAY;
    let (old_t, new_t) = (now - 40 * DAY, now - 5 * DAY);
    let (old, new, shared) = (photo(20), photo(21), photo(22));

    // Forty days ago: a report with two photos; five days ago: another report with one new photo and one
    // of the old ones (so that one has an attaching operation within the period).
    srv.clock.set(old_t);
    let a = op_at(&mut cleaner, old_t, clean_body());
    let a1 = op_at(&mut cleaner, old_t + 1_000, photo_body(a.id, &old));
    let a2 = op_at(&mut cleaner, old_t + 2_000, photo_body(a.id, &shared));
    assert!(cleaner.sync(&[a, a1, a2], 0).await.rejected.is_empty());
    srv.clock.set(new_t);
    let b = op_at(&mut cleaner, new_t, clean_body());
    let b1 = op_at(&mut cleaner, new_t + 1_000, photo_body(b.id, &new));
    let b2 = op_at(&mut cleaner, new_t + 2_000, photo_body(b.id, &shared));
    assert!(cleaner.sync(&[b, b1, b2], 0).await.rejected.is_empty());
    for p in [&old, &new, &shared] {
        assert!(upload(&cleaner, p).await.complete);
    }
    let all = files(&srv);
    assert_eq!(all.len(), 6, "{all:?}");

    // The server's purge runs on its schedule with its clock: twenty days after the old photo nothing is
    // due; at `now` the old photo's files go.
    srv.clock.set(old_t + 20 * DAY);
    let store: Arc<dyn ServerStore> = srv.store.clone();
    let purging = tokio::spawn(retention::run_periodically(
        store,
        Default::default(),
        srv.clock.clone(),
        Retention::new(30).unwrap(),
        Duration::from_millis(20),
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(files(&srv), all, "nothing is due yet");
    srv.clock.set(now);
    let old_hash = old.reference.hash.clone();
    let deadline = Instant::now() + Duration::from_secs(10);
    while files(&srv).iter().any(|f| f.contains(&old_hash)) {
        assert!(Instant::now() < deadline, "the purge did not run");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    purging.abort();
    let left: Vec<String> = all.into_iter().filter(|f| !f.contains(&old_hash)).collect();
    assert_eq!(files(&srv), left);

    for thumb in [false, true] {
        assert_unknown(download(&manager, &old_hash, thumb).await).await;
        assert_unknown(download(&cleaner, &old_hash, thumb).await).await;
        for p in [&new, &shared] {
            assert_eq!(
                download(&manager, &p.reference.hash, thumb).await.status(),
                200
            );
        }
    }
    assert_unknown(upload_status(&cleaner, &old_hash).await).await;
    assert_unknown(put(&cleaner, &old_hash, 0, &old.bytes[..1000]).await).await;
    // The operations stay, so the report still names its photos; a second purge changes nothing.
    let again = retention::purge_now(
        &*srv.store,
        &Default::default(),
        Retention::new(30).unwrap(),
        now,
    )
    .unwrap();
    assert_eq!(again.photos, 0);
    assert_eq!(files(&srv), left);
    let (pulled, _, _) = manager.pull_all(0).await;
    assert_eq!(
        pulled
            .iter()
            .filter(|o| o.op.body.photo().is_some())
            .count(),
        4
    );
}

#[tokio::test]
async fn the_lagesbild_counts_reports_with_photos_and_the_csv_lists_their_hashes() {
    let srv = TestServer::start(Limits::default()).await;
    let date = Date::parse("2026-11-26").unwrap();
    let mut cleaner = srv.phone_enrolled_at(T0, Role::Cleaner, "Plock 1").await;
    let mut guard = srv.phone_enrolled_at(T0, Role::Guard, "Vakt 1").await;
    let manager = srv
        .phone_enrolled_at(T0, Role::Manager, "Platsansvarig")
        .await;
    srv.clock.set(at(date, 18, 0));
    let (p1, p2, p3) = (photo(30), photo(31), photo(32));

    // Three cleaning reports (one with two photos, one with none, one with one), a disturbance with one.
    let c1 = op_at(&mut cleaner, at(date, 9, 0), clean_body());
    let c2 = op_at(&mut cleaner, at(date, 9, 10), clean_body());
    let c3 = op_at(&mut cleaner, at(date, 9, 20), clean_body());
    let ops = [
        op_at(&mut cleaner, at(date, 9, 1), photo_body(c1.id, &p2)),
        op_at(&mut cleaner, at(date, 9, 2), photo_body(c1.id, &p1)),
        op_at(&mut cleaner, at(date, 9, 21), photo_body(c3.id, &p3)),
    ];
    let (ids, photos1) = ([c1.id, c2.id, c3.id], [&p1, &p2]);
    let mut all = vec![c1, c2, c3];
    all.extend(ops);
    assert!(cleaner.sync(&all, 0).await.rejected.is_empty());
    let disturbance = OpBody::Disturbance(DisturbanceReport {
        category: DisturbanceCategory::BrakVald,
        level: 2,
        people: 2,
        interventions: Default::default(),
        note: None,
        at: GeoPoint::new(18.0641234, 59.3321234),
        happened: None,
    });
    let d = op_at(&mut guard, at(date, 10, 0), disturbance);
    let dp = op_at(&mut guard, at(date, 10, 1), photo_body(d.id, &p3));
    assert!(guard.sync(&[d, dp], 0).await.rejected.is_empty());

    let url = format!("{}/v1/lagesbild?date={date}", srv.url);
    let json: Lagesbild = get(&format!("{url}&format=json"), Some(&manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.reports_with_photos, 3);
    let html = get(&url, Some(&manager)).await.text().await.unwrap();
    assert!(html.contains("3 rapporter med foto"), "the count is shown");
    assert!(!html.contains("<img") && !html.contains(&p1.reference.hash));

    let export = format!("{}/v1/export?from={date}&to={date}&format=csv", srv.url);
    let csv = get(&export, Some(&manager)).await.text().await.unwrap();
    let rows: Vec<Vec<&str>> = csv
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').collect())
        .collect();
    let col = rows[0]
        .iter()
        .position(|h| *h == "foton")
        .expect("a photo column");
    let photos_of = |id: uuid::Uuid| {
        rows.iter()
            .find(|r| r[0] == id.to_string())
            .map(|r| r[col].to_owned())
            .unwrap()
    };
    let mut two: Vec<&str> = photos1.iter().map(|p| p.reference.hash.as_str()).collect();
    two.sort_unstable();
    assert_eq!(photos_of(ids[0]), two.join(" "));
    assert_eq!(photos_of(ids[1]), "");
    assert_eq!(photos_of(ids[2]), p3.reference.hash);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    // The count needs no photo on the server: nothing was uploaded.
    assert!(files(&srv).is_empty());
}
