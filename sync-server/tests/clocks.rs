//! Phones whose clocks lie, through a real server: a phone a day ahead, a day behind or reset to 1970
//! changes nothing it should not (races, the daily report, retention), impossible values are corrected
//! or refused with a reason, and every phone, the author included, learns the same corrections.

mod common;
mod review_support;

use common::{TestServer, on_site};
use review_support::{get, pulled_ops};
use torgkoll_server::Limits;
use torgkoll_shared::analytics::{Lagesbild, Retention};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::timefix::CLOCK_TOLERANCE_MS;
use torgkoll_shared::{CleaningCategory, CleaningReport, Hlc, OpBody, Role, State, Status};
use uuid::Uuid;

const MIN: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

fn day() -> Date {
    Date::parse("2026-11-26").unwrap()
}

/// 14:00 on the day, in Stockholm.
fn afternoon() -> i64 {
    day().bounds_ms().0 + 14 * HOUR
}

/// The phone's next operation, made when its clock read `wall`.
fn op(phone: &mut common::Phone, wall: i64, body: OpBody) -> WireOp {
    phone.seq += 1;
    WireOp {
        id: Uuid::now_v7(),
        seq: phone.seq,
        hlc: Hlc::new(wall.max(0) as u64, 0),
        wall,
        body,
    }
}

fn clean(note: Option<&str>) -> OpBody {
    OpBody::Clean(CleaningReport {
        category: CleaningCategory::Glaskross,
        amount: None,
        note: note.map(Into::into),
        at: on_site(),
        acc: None,
    })
}

/// A server at 14:00 on the day whose phones were enrolled a month before.
async fn server() -> TestServer {
    let srv = TestServer::start(Limits::default()).await;
    srv.clock.set(afternoon());
    srv
}

async fn phone(srv: &TestServer, role: Role, name: &str) -> common::Phone {
    srv.phone_enrolled_at(afternoon() - 30 * DAY, role, name)
        .await
}

#[tokio::test]
async fn a_phone_a_day_ahead_cannot_win_a_race_it_lost() {
    let srv = server().await;
    let mut right = phone(&srv, Role::Cleaner, "Rätt klocka").await;
    let mut ahead = phone(&srv, Role::Cleaner, "Dygn före").await;
    let manager = phone(&srv, Role::Manager, "Platsansvarig").await;
    let t = afternoon();

    let report = op(&mut right, t, clean(None));
    right.sync_at(std::slice::from_ref(&report), 0, t).await;
    // A minute later the fast phone says it is cleaned; ten minutes later the right one says it is back.
    srv.clock.set(t + MIN);
    let resolve = op(
        &mut ahead,
        t + MIN + DAY,
        OpBody::Resolve { report: report.id },
    );
    let r = ahead.sync_at(&[resolve], 0, t + MIN + DAY).await;
    assert_eq!(r.fixed.len(), 1, "the author learns the correction");
    assert_eq!(r.fixed[0].fix.at, t + MIN);
    srv.clock.set(t + 11 * MIN);
    let again = op(
        &mut right,
        t + 11 * MIN,
        OpBody::StillThere { report: report.id },
    );
    right.sync_at(&[again], 0, t + 11 * MIN).await;

    let ops = pulled_ops(&manager).await;
    let state = State::fold(&ops);
    assert_eq!(state.reports[&report.id].status(), Status::Open);
    // The measured offset is kept per device.
    let devices = srv.store.devices(None).unwrap();
    let fast = devices
        .iter()
        .find(|d| d.device.id == ahead.device)
        .unwrap();
    assert_eq!(fast.clock_offset_ms, Some(DAY));
    assert_eq!(fast.offset_measured_ms, Some(t + MIN));
}

#[tokio::test]
async fn clocks_from_the_far_future_are_not_stored_as_they_come() {
    let srv = server().await;
    let mut phone = phone(&srv, Role::Cleaner, "Trasig").await;
    let manager = phone_of_manager(&srv).await;
    let t = afternoon();
    let year_2100 = Date::parse("2100-01-01").unwrap().bounds_ms().0;
    let mut a = op(&mut phone, t, clean(None));
    a.hlc = Hlc(u64::MAX);
    let mut b = op(&mut phone, t, clean(None));
    b.hlc = Hlc::new(year_2100 as u64, 0);
    // A phone that does not say what its clock reads: only the impossible is corrected.
    let r = phone.sync(&[a, b], 0).await;
    assert_eq!(r.acked_through, 2);
    for p in pulled_ops(&manager).await {
        let late = p.clock().millis() as i64 - t;
        assert!(late.abs() <= CLOCK_TOLERANCE_MS + 1, "clock {late} ms off");
        assert_eq!(p.at_ms(), t);
    }
    let stored: i64 = srv
        .one_text("SELECT MAX(clock >> 16) FROM ops")
        .parse()
        .unwrap();
    assert!(stored <= t + CLOCK_TOLERANCE_MS);
}

async fn phone_of_manager(srv: &TestServer) -> common::Phone {
    phone(srv, Role::Manager, "Platsansvarig").await
}

/// Twelve reports made today between 09:00 and 13:00 on phones a day ahead, a day behind and reset to
/// 1970 (four each), synced at 14:00 with their clocks still wrong: today's report counts all twelve and
/// yesterday's does not change.
#[tokio::test]
async fn wrong_clocks_do_not_move_reports_between_days() {
    let srv = server().await;
    let manager = phone_of_manager(&srv).await;
    let lagesbild = |date: Date| {
        let url = format!("{}/v1/lagesbild?date={date}&format=json", srv.url);
        let manager = &manager;
        async move {
            let text = get(&url, Some(manager)).await.text().await.unwrap();
            serde_json::from_str::<Lagesbild>(&text).unwrap()
        }
    };
    let reported = |l: &Lagesbild| l.totals[0].today;
    let yesterday_before = reported(&lagesbild(day().add_days(-1)).await);
    let t = afternoon();
    let epoch_offset = -(t - 6 * HOUR); // reset to its epoch at 08:00: it reads 6 h at 14:00
    for (i, offset) in [DAY, -DAY, epoch_offset].into_iter().enumerate() {
        let mut p = phone(&srv, Role::Cleaner, &format!("Telefon {i}")).await;
        let ops: Vec<WireOp> = (0..4)
            .map(|k| op(&mut p, t - 5 * HOUR + k * HOUR + offset, clean(None)))
            .collect();
        let r = p.sync_at(&ops, 0, t + offset).await;
        assert_eq!((r.acked_through, r.rejected.len()), (4, 0));
        assert_eq!(r.fixed.len(), 4);
    }
    assert_eq!(reported(&lagesbild(day()).await), 12);
    assert_eq!(
        reported(&lagesbild(day().add_days(-1)).await),
        yesterday_before
    );
}

/// A phone reset to 1970 that got its clock back before it synced: nothing tells when its operations
/// were made but that they came before the next one, or before they arrived.
#[tokio::test]
async fn a_reset_phone_that_found_its_time_again_loses_nothing() {
    let srv = server().await;
    let mut p = phone(&srv, Role::Cleaner, "Återställd").await;
    let manager = phone_of_manager(&srv).await;
    let t = afternoon();
    let ops = vec![
        op(&mut p, 5 * MIN, clean(Some("1970-a"))),
        op(&mut p, 6 * MIN, clean(Some("1970-b"))),
        op(&mut p, t - 20 * MIN, clean(Some("rätt"))),
    ];
    let r = p.sync_at(&ops, 0, t).await;
    assert_eq!((r.acked_through, r.rejected.len()), (3, 0));
    let by_note = |ops: &[torgkoll_shared::Operation], note: &str| {
        ops.iter()
            .find(|o| o.body.note() == Some(note))
            .map(|o| (o.at_ms(), o.at_ms() != o.wall_ms))
            .unwrap()
    };
    let pulled = pulled_ops(&manager).await;
    assert_eq!(by_note(&pulled, "1970-a"), (t - 20 * MIN, true));
    assert_eq!(by_note(&pulled, "1970-b"), (t - 20 * MIN, true));
    assert_eq!(by_note(&pulled, "rätt"), (t - 20 * MIN, false));
}

#[tokio::test]
async fn impossible_wall_times_are_refused_with_a_reason_and_review_still_works() {
    let srv = server().await;
    let mut p = phone(&srv, Role::Cleaner, "Galen").await;
    let manager = phone_of_manager(&srv).await;
    let ops = vec![
        op(&mut p, i64::MIN, clean(None)),
        op(&mut p, i64::MAX, clean(None)),
        op(&mut p, -1, clean(None)),
    ];
    let run_start = {
        let mut o = op(
            &mut p,
            afternoon(),
            OpBody::RunStart {
                kind: torgkoll_shared::MachineKind::Fimpsug,
                machine: "Fimpsug 1".into(),
                started: i64::MAX,
            },
        );
        o.hlc = Hlc::new(afternoon() as u64, 1);
        o
    };
    let mut all = ops;
    all.push(run_start);
    let r = p.sync_at(&all, 0, afternoon()).await;
    assert_eq!(r.acked_through, 4);
    assert_eq!(r.rejected.len(), 4, "{:?}", r.rejected);
    assert!(r.rejected[0].reason.contains("not a possible time"));
    assert!(r.rejected[3].reason.contains("start time"));
    assert_eq!(srv.count("ops"), 0);
    for date in [day(), day().add_days(-1)] {
        let url = format!("{}/v1/lagesbild?date={date}&format=json", srv.url);
        assert_eq!(get(&url, Some(&manager)).await.status(), 200);
    }
}

#[tokio::test]
async fn a_lost_answer_is_made_good_by_the_resend() {
    let srv = server().await;
    let mut ahead = phone(&srv, Role::Cleaner, "Före").await;
    let t = afternoon();
    let ops = vec![op(&mut ahead, t + DAY, clean(None))];
    let first = ahead.sync_at(&ops, 0, t + DAY).await;
    assert_eq!(first.fixed.len(), 1);
    // The answer was lost: the phone sends the same again, and learns the same correction.
    srv.clock.advance(30_000);
    let again = ahead.sync_at(&ops, 0, t + DAY + 30_000).await;
    assert_eq!(again.fixed, first.fixed);
    assert_eq!(srv.count("ops"), 1);
}

/// Retention ages free text by corrected time: a phone whose clock ran years ahead neither keeps its
/// text for ever nor, behind, loses it early.
#[tokio::test]
async fn retention_uses_the_corrected_time() {
    let srv = server().await;
    let enrolled = afternoon() - 60 * DAY;
    let mut fast = srv
        .phone_enrolled_at(enrolled, Role::Cleaner, "Snabb")
        .await;
    let mut slow = srv
        .phone_enrolled_at(enrolled, Role::Cleaner, "Långsam")
        .await;
    let t = afternoon() - 40 * DAY;
    srv.clock.set(t);
    let far = t + 80 * 365 * DAY;
    let made = op(&mut fast, far, clean(Some("FRAMTID")));
    fast.sync_at(&[made], 0, far).await;
    let now = afternoon();
    srv.clock.set(now - 10 * DAY);
    let back = now - 10 * DAY - 300 * DAY;
    let made = op(&mut slow, back, clean(Some("BAKÅT")));
    slow.sync_at(&[made], 0, back).await;
    srv.clock.set(now);
    let out = srv
        .store
        .purge_free_text(Retention::new(30).unwrap(), now)
        .unwrap();
    assert_eq!(out.ops, 1);
    let bodies = srv.texts("SELECT body FROM ops").join("|");
    assert!(
        !bodies.contains("FRAMTID") && bodies.contains("BAKÅT"),
        "{bodies}"
    );
}
