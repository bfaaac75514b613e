//! The phone's position from a replayed track (`--replay-track`): a skurmaskin run started and stopped
//! with no tap on the map records the replayed path, and a quick report with a good fix lands where the
//! phone stands. The clock is the test's: 13:00 on the day it runs, moved one second every 25 ms by a
//! thread, so the three-minute track plays in a few seconds whatever the hour.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use torgkoll_app::demo_track::{LanesSpec, MadeTrack, lanes};
use torgkoll_app::platform::replay::Replay;
use torgkoll_app::platform::{Clock, ManualClock};
use torgkoll_app::ui::Services;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{OpBody, Role};

use crate::driver::{click, sleep_ms, wait_for};
use crate::scenarios::{check, on_disk, ops};

/// The track the replay scenarios play: lanes over a band of Plattan norra, 3 m of GPS noise (a longer
/// one for the screenshots, whose demo's running run starts the replay long before the new run).
pub fn made_track_over(band: (f64, f64)) -> MadeTrack {
    let spec = LanesSpec {
        zone: "Z3".into(),
        band,
        spacing_m: 1.6,
        speed_mps: 1.0,
        noise_m: 3.0,
        outliers: 0.0,
        seed: 7,
    };
    lanes(&plattan(), &spec).expect("a track over Z3")
}

pub fn made_track() -> MadeTrack {
    made_track_over((0.1, 0.3))
}

/// The services of a phone playing [`made_track`], with the clock running 40 times faster than real time.
pub fn replay_services(db: &Path, role: Role, demo: bool) -> Services {
    let today = torgkoll_shared::calendar::local_date(torgkoll_app::platform::SystemClock.now_ms());
    let clock = Arc::new(ManualClock::new(today.at_local(13, 0)));
    let store = if demo {
        let mut store = torgkoll_app::store::Store::open(db, Arc::new(plattan())).expect("store");
        torgkoll_app::ui::demo::seed(&mut store, role, clock.now_ms()).expect("demo");
        store
    } else {
        crate::launch::enrolled_store(db, role)
    };
    let runner = clock.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(25));
            runner.advance(1_000);
        }
    });
    let made = if demo {
        made_track_over((0.0, 1.0))
    } else {
        made_track()
    };
    let replay = Replay::new(made.track, 1.0, clock.clone());
    Services::new(store, clock).with_position(Arc::new(replay))
}

/// Start, drive (the replay), report where I stand on the way, stop: no tap on the map.
pub async fn replayed_run() -> Result<(), String> {
    let made = made_track();
    click("tab-runs").await;
    click("machine-skurmaskin-2").await;
    wait_for("the live path", "document.getElementById('run-here')").await;
    wait_for(
        "a chunk sent while the run goes on",
        "document.getElementById('run-banner-points')?.textContent.match(/^[1-9]/)",
    )
    .await;
    // A glaskross where the phone stands: one tap.
    click("tab-report").await;
    click("cat-glaskross").await;
    wait_for(
        "saved",
        "document.getElementById('toast-text')?.textContent.includes('Sparad')",
    )
    .await;
    let report = ops().into_iter().find_map(|o| match o {
        OpBody::Clean(c) => Some(c),
        _ => None,
    });
    let report = report.ok_or("no report on disk")?;
    let site = plattan();
    let near_track = made.track.vertices.iter().any(|v| {
        let (a, b) = (site.frame.to_local(v.at), site.frame.to_local(report.at));
        (a.x - b.x).hypot(a.y - b.y) < 0.05
    });
    check(
        report.acc.is_some() && near_track,
        "the report is at a replayed fix, with its accuracy",
    )?;
    // Let the track play out (about 3 minutes of the test's clock), then stop.
    click("tab-runs").await;
    let secs = made.track.duration_ms() / 1_000;
    sleep_ms((secs as u64 * 25 * 11) / 10 + 1_500).await;
    click("stop-run").await;
    wait_for("the banner goes", "!document.getElementById('run-banner')").await;
    let chunks = ops()
        .iter()
        .filter(|o| matches!(o, OpBody::RunPoints { .. }))
        .count();
    let store = on_disk();
    let run = store
        .runs_between(0, i64::MAX)
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("no run on disk")?
        .run;
    let path = run.path();
    let n = made.track.vertices.len();
    check(
        chunks >= 3,
        &format!("the path went out in chunks ({chunks})"),
    )?;
    check(
        path.len() >= n / 5 && path.len() <= n,
        &format!("{} of {n} fixes kept", path.len()),
    )?;
    check(
        path.iter().all(|p| p.acc.is_some()),
        "no point of the path is a tap",
    )?;
    let extent = |pts: &mut dyn Iterator<Item = torgkoll_shared::GeoPoint>| {
        pts.map(|p| site.frame.to_view(p))
            .fold((f64::MAX, f64::MIN), |(lo, hi), c| {
                (lo.min(c.x), hi.max(c.x))
            })
    };
    let (t0, t1) = extent(&mut made.truth.iter().copied());
    let (p0, p1) = extent(&mut path.iter().map(|p| p.at));
    check(
        (p0 - t0).abs() < 8.0 && (p1 - t1).abs() < 8.0,
        &format!("the path spans the track: {p0:.0}–{p1:.0} m against {t0:.0}–{t1:.0} m"),
    )?;
    check(
        store
            .buffered_points(run.id)
            .map_err(|e| e.to_string())?
            .is_empty(),
        "nothing left unsent at the stop",
    )?;
    Ok(())
}
