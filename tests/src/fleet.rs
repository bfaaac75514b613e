//! The fleet simulator: N phones, each with the app's real store and sync code on its own SQLite file,
//! against a real server process, optionally through the fault proxy.
//!
//! Phases: enroll; the offline phase (every phone records its reports); the sync phase (timed): two
//! passes in which every phone syncs until it succeeds, then each phone makes status changes on reports
//! it now sees (its own and others'), then passes until every phone shows the fold of every operation
//! its role may see. Last, what the server holds is pulled by a device that made nothing, and compared
//! with every operation made. Here are the options and the run, from starting the server to the
//! audit; the offline and sync phases themselves are in `fleet_phases`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use torgkoll_app::platform::{Clock, SystemClock};
use torgkoll_shared::Role;

use crate::audit::{audit, pull_all};
use crate::fleet_probe::ProbeProc;
pub use crate::fleet_result::FleetResult;
use crate::phone::{OffsetClock, Phone};
use crate::proxy::{Proxy, ProxyConfig};
use crate::server::{ServerProc, enroll_code, server_bin};
use crate::{Res, fleet_live, fleet_phases, fleet_photos};

/// What to simulate.
#[derive(Clone, Debug)]
pub struct FleetOptions {
    pub devices: usize,
    /// Reports per phone, made offline.
    pub reports: usize,
    /// Status changes per phone, made after the first syncs.
    pub status_changes: usize,
    pub faults: bool,
    pub latency_ms: u64,
    pub seed: u64,
    /// A running server; without it a fresh one is started.
    pub server: Option<String>,
    /// The running server's database, for `torgkoll-server enroll`.
    pub server_db: Option<PathBuf>,
    pub server_bin: Option<PathBuf>,
    pub timeout: Duration,
    pub page_size: Option<u32>,
    /// Give the phones wrong clocks (a day ahead, a day behind, reset to 1970, three minutes fast),
    /// all but the manager's.
    pub skew: bool,
    /// Photos each phone attaches to its own reports offline, sent after the operations.
    pub photos: usize,
    /// Seconds of the live phase after the bulk phase (0: none), see `fleet_live`.
    pub live: u64,
    /// During the live phase, cut every connection every this many seconds (0: never).
    pub live_cut_every: u64,
    /// Back the server up after the first syncs, and after more syncs restore it from that backup and
    /// restart it (`fleet_restore`); needs a server of the fleet's own.
    pub restore_mid: bool,
    /// Serve on a fresh database of the PostgreSQL cluster in this directory (`fleet_pg`).
    pub postgres_data: Option<PathBuf>,
    /// With `postgres_data`: `kill -9` the postmaster this many ms into the sync phase, then restart it.
    pub kill_postgres_after_ms: Option<u64>,
    /// Time one more phone's single pushes while the crowd makes its first syncs (`fleet_probe`), from
    /// a process of its own.
    pub push_probe: bool,
    /// Lower the fleet process's CPU priority to this nice value once the server (and the probe) are
    /// started, so the simulated phones, separate devices in real life, do not take the server's CPU
    /// (0: unchanged).
    pub nice: i32,
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            devices: 5,
            reports: 2_000,
            status_changes: 200,
            faults: false,
            latency_ms: 0,
            seed: 1,
            server: None,
            server_db: None,
            server_bin: None,
            timeout: Duration::from_secs(300),
            page_size: None,
            skew: false,
            photos: 0,
            live: 0,
            live_cut_every: 0,
            restore_mid: false,
            postgres_data: None,
            kill_postgres_after_ms: None,
            push_probe: false,
            nice: 0,
        }
    }
}

/// The role of phone `i` of `n`: cleaners and guards in turn, the last a manager when there are four or more.
pub fn role_of(i: usize, n: usize) -> Role {
    if n >= 4 && i == n - 1 {
        Role::Manager
    } else if i.is_multiple_of(2) {
        Role::Cleaner
    } else {
        Role::Guard
    }
}

/// How wrong phone `i`'s clock is with `skew` (the manager's, the last, is right): none, a day ahead,
/// a day behind, reset to its epoch three hours ago (it reads 03:00 on 1 January 1970), three minutes
/// fast, in turn.
pub fn clock_of(i: usize, n: usize, skew: bool) -> Arc<dyn Clock> {
    const DAY: i64 = 86_400_000;
    let since_reset = -(SystemClock.now_ms() - 3 * 3_600_000);
    let offsets = [0, DAY, -DAY, since_reset, 180_000];
    match (skew, role_of(i, n)) {
        (true, r) if r != Role::Manager => Arc::new(OffsetClock(offsets[i % offsets.len()])),
        _ => Arc::new(SystemClock),
    }
}

/// Retries `f` until it succeeds or `deadline` passes.
async fn retry<T, F, Fut>(deadline: Instant, mut f: F) -> Res<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Res<T>>,
{
    loop {
        match f().await {
            Ok(v) => return Ok(v),
            Err(e) if Instant::now() < deadline => {
                tracing::debug!(error = %e, "retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Runs the fleet; `say` gets progress lines.
pub async fn run(opts: &FleetOptions, say: &(dyn Fn(&str) + Sync)) -> Res<FleetResult> {
    let deadline = Instant::now() + opts.timeout;
    let dir = tempfile::tempdir()?;
    let site = Arc::new(torgkoll_shared::test_support::plattan());
    let bin = match &opts.server_bin {
        Some(b) => b.clone(),
        None => server_bin()?,
    };
    // The server: a running one, or a fresh one on a free loopback port.
    // `db` is what the server's command line takes (a file, or a PostgreSQL URL), `files` the path its
    // photo directory is named after (`<files>.photos`).
    let (mut own_server, server_url, db, files) = match (&opts.server, &opts.server_db) {
        (Some(url), Some(db)) => (
            None,
            url.trim_end_matches('/').to_owned(),
            db.clone(),
            db.clone(),
        ),
        (Some(_), None) => return Err("--server needs --server-db to enroll phones".into()),
        (None, _) => {
            let files = dir.path().join("server.sqlite");
            let s = match &opts.postgres_data {
                Some(data) => {
                    let url = PathBuf::from(crate::fleet_pg::fresh_db(data)?);
                    ServerProc::start_at(&bin, &url, &files, opts.page_size)?
                }
                None => ServerProc::start(&bin, &files, opts.page_size)?,
            };
            let url = s.url();
            say(&format!(
                "started {} on {url} (--db {})",
                bin.display(),
                s.db.display()
            ));
            let db = s.db.clone();
            (Some(s), url, db, files)
        }
    };
    let upstream = server_url
        .strip_prefix("http://")
        .ok_or("the server URL must be http://127.0.0.1:PORT")?
        .parse()?;
    let proxy = Proxy::start(
        upstream,
        ProxyConfig {
            faults: opts.faults,
            latency: Duration::from_millis(opts.latency_ms),
            seed: opts.seed,
            cut_after: None,
            rate: None,
        },
    )
    .await?;

    // The probe phone, in a process of its own started before this one lowers its priority.
    let mut probe = if opts.push_probe {
        let pdir = dir.path().join("probe");
        let code = enroll_code(&bin, &db, Role::Cleaner, "fleet-probe")?;
        let start = || ProbeProc::start(&server_url, &code, &pdir, opts.seed);
        Some(tokio::task::block_in_place(start)?)
    } else {
        None
    };
    if opts.nice != 0 {
        say(&lower_priority(opts.nice)?);
    }

    // Enroll: codes from the server's command line, exchanged directly with the server.
    let mut phones = Vec::new();
    for i in 0..opts.devices {
        let role = role_of(i, opts.devices);
        let name = format!("fleet-{}-{i}", role.code());
        let pdir = dir.path().join(format!("phone{i}"));
        std::fs::create_dir_all(&pdir)?;
        let phone = retry(deadline, || async {
            let code = enroll_code(&bin, &db, role, &name)?;
            Phone::enroll(&pdir, site.clone(), &server_url, &proxy.url(), &code).await
        })
        .await?
        .with_clock(clock_of(i, opts.devices, opts.skew));
        phones.push(Arc::new(phone));
    }
    let auditor = retry(deadline, || async {
        let code = enroll_code(&bin, &db, Role::Manager, "fleet-audit")?;
        Ok(torgkoll_app::sync::enroll(&server_url, &code).await?)
    })
    .await?;
    let audit_client = torgkoll_app::sync::SyncClient::new(&server_url, &auditor.token);
    say(&format!("enrolled {} phones", phones.len()));

    let photos_made = fleet_phases::offline(&phones, &site, opts, say)?;
    // The sync phase, timed; then the photo and live phases, when asked for.
    let crowd = fleet_phases::Crowd {
        phones: &phones,
        dir: dir.path(),
        site: &site,
        proxy: &proxy,
        bin: &bin,
        db: &db,
        deadline,
    };
    let mut synced =
        fleet_phases::sync(crowd, opts, probe.as_mut(), own_server.as_mut(), say).await?;

    let photos = if photos_made.is_empty() {
        None
    } else {
        Some(fleet_photos::phase(&proxy, &phones, &files, &photos_made, deadline, say).await?)
    };

    let live = if opts.live > 0 {
        proxy.reset_stats();
        let cuts = (opts.live_cut_every > 0).then(|| Duration::from_secs(opts.live_cut_every));
        let r = fleet_live::phase(&phones, &site, &proxy, cuts, opts, say).await?;
        let s = proxy.stats();
        say(&format!(
            "live phase: {} requests, {} B up, {} B down, {} connections, {} cuts, {} replays",
            s.requests, s.up, s.down, s.connections, s.cuts, s.replays
        ));
        // The phones' operations anew (they made more); the push probe's, made in its own process, stay.
        synced
            .made
            .retain(|op| phones.iter().all(|p| p.device != op.device));
        for p in &phones {
            synced.made.extend(p.own_ops()?);
        }
        Some(r)
    } else {
        None
    };

    let on_server = retry(deadline, || async { Ok(pull_all(&audit_client).await?) }).await?;
    Ok(FleetResult {
        audit: audit(&synced.made, &on_server),
        converged: synced.converged,
        secs: synced.secs,
        bytes: synced.stats.bytes(),
        requests: synced.stats.requests,
        photos,
        live,
        probe: synced.probed,
    })
}

/// Sets every thread of this process to nice value `nice` (Linux: a thread's priority is its own; threads
/// started later inherit it), with `renice`; the server and the probe, children started before, keep
/// theirs.
fn lower_priority(nice: i32) -> Res<String> {
    let tids: Vec<String> = std::fs::read_dir("/proc/self/task")?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let status = std::process::Command::new("renice")
        .arg(nice.to_string())
        .arg("-p")
        .args(&tids)
        .stdout(std::process::Stdio::null())
        .status()?;
    if !status.success() {
        return Err(format!("renice {nice} failed: {status}").into());
    }
    Ok(format!("fleet: {} threads at nice {nice}", tids.len()))
}
