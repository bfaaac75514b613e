//! The fleet simulator: N phones, each with the app's real store and sync code on its own SQLite file,
//! against a real server process, optionally through the fault proxy.
//!
//! Phases: enroll; the offline phase (every phone records its reports); the sync phase (timed): two
//! passes in which every phone syncs until it succeeds, then each phone makes status changes on reports
//! it now sees (its own and others'), then passes until every phone shows the fold of every operation
//! its role may see. Last, what the server holds is pulled by a device that made nothing, and compared
//! with every operation made.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::task::JoinSet;
use torgkoll_app::platform::{Clock, SystemClock};
use torgkoll_app::sync::plan::Backoff;
use torgkoll_app::sync::{SyncClient, SyncError, SyncSummary};
use torgkoll_shared::{Role, Site};

use crate::audit::{audit, domains, expected_state, pull_all};
use crate::fleet_probe::ProbeProc;
pub use crate::fleet_result::FleetResult;
use crate::phone::{OffsetClock, Phone};
use crate::proxy::{Proxy, ProxyConfig};
use crate::server::{ServerProc, enroll_code, server_bin};
use crate::{Res, workload};
use crate::{fleet_live, fleet_photos};

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

/// Syncs one phone until it succeeds, retrying with backoff through cuts and restarts until `deadline`.
async fn sync_until_ok(phone: &Phone, deadline: Instant) -> Result<SyncSummary, SyncError> {
    let backoff = Backoff {
        base: Duration::from_millis(50),
        cap: Duration::from_secs(1),
    };
    let mut attempt = 0;
    loop {
        match phone.sync().await {
            Ok(s) => return Ok(s),
            Err(e) if e.is_retryable() && Instant::now() < deadline => {
                tracing::debug!(phone = %phone.name, error = %e, "sync failed; retrying");
                let wait = e.wait_before_retry(backoff.delay(attempt, rand::random()));
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Every phone syncs until it succeeds, all at once.
async fn pass(phones: &[Arc<Phone>], deadline: Instant) -> Res<()> {
    let mut set = JoinSet::new();
    for p in phones {
        let p = p.clone();
        set.spawn(async move {
            sync_until_ok(&p, deadline)
                .await
                .map_err(|e| (p.name.clone(), e))
        });
    }
    while let Some(r) = set.join_next().await {
        if let Err((name, e)) = r? {
            return Err(format!("{name}: {e}").into());
        }
    }
    Ok(())
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
    let audit_client = SyncClient::new(&server_url, &auditor.token);
    say(&format!("enrolled {} phones", phones.len()));

    // Offline: every phone records its reports (and attaches its photos), each on its own thread.
    let t = Instant::now();
    let mut photos_made = BTreeMap::new();
    std::thread::scope(|s| -> Res<()> {
        let handles: Vec<_> = phones
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let site = site.clone();
                let seed = opts.seed.wrapping_mul(1000).wrapping_add(i as u64);
                s.spawn(move || -> Res<BTreeMap<String, u64>> {
                    record_reports(p, &site, opts.reports, seed)?;
                    fleet_photos::attach(p, &p.own_ops()?, opts.photos, seed)
                })
            })
            .collect();
        for h in handles {
            photos_made.extend(h.join().map_err(|_| "a recording thread panicked")??);
        }
        Ok(())
    })?;
    say(&format!(
        "offline phase: {:.2} s",
        t.elapsed().as_secs_f64()
    ));

    // The sync phase, timed; the offline phase's writes on the disk first, as on the phones' own.
    for i in 0..phones.len() {
        crate::phone::flush_files(&dir.path().join(format!("phone{i}")))?;
    }
    proxy.reset_stats();
    let killer = match (&opts.postgres_data, opts.kill_postgres_after_ms) {
        (Some(data), Some(ms)) => Some(crate::fleet_pg::kill_and_restart_later(
            data.clone(),
            Duration::from_millis(ms),
            Duration::from_secs(2),
        )),
        (None, Some(_)) => return Err("--kill-postgres-after-ms needs --postgres-data".into()),
        _ => None,
    };
    let t0 = Instant::now();
    if let Some(p) = probe.as_mut() {
        p.go()?;
    }
    pass(&phones, deadline).await?;
    pass(&phones, deadline).await?;
    say(&format!("first syncs: {:.3} s", t0.elapsed().as_secs_f64()));
    let (probed, probe_ops) = match probe.as_mut() {
        Some(p) => {
            // Off the runtime: the probe finishes its last push before it answers.
            let result = tokio::task::block_in_place(|| p.finish())?;
            say(&result.line());
            (Some(result), p.own_ops(site.clone())?)
        }
        None => (None, Vec::new()),
    };
    if let Some(k) = killer {
        // Joined off the runtime: it may still be waiting for PostgreSQL to come back.
        let said = tokio::task::spawn_blocking(move || k.join())
            .await?
            .map_err(|_| "the postmaster killer panicked")??;
        say(&said);
    }
    let backup = dir.path().join("backup.sqlite");
    if opts.restore_mid {
        let said = crate::fleet_restore::backup(&bin, &db, &backup)?;
        say(&format!("backup: {said}"));
    }
    let t_changes = Instant::now();
    for (i, p) in phones.iter().enumerate() {
        let seed = opts.seed.wrapping_mul(7919).wrapping_add(i as u64);
        make_status_changes(p, &site, opts.status_changes, seed)?;
    }
    say(&format!(
        "status changes made: {:.2} s",
        t_changes.elapsed().as_secs_f64()
    ));
    if opts.restore_mid {
        // More syncs, then the server loses everything after the backup.
        pass(&phones, deadline).await?;
        let server = own_server
            .as_mut()
            .ok_or("--restore-mid needs the fleet's own server (no --server)")?;
        let said = crate::fleet_restore::restore_and_restart(&bin, server, &backup)?;
        say(&format!("restore: {said}"));
    }
    let mut made = Vec::new();
    let mut converged = false;
    let mut secs = 0.0;
    while Instant::now() < deadline {
        let t_pass = Instant::now();
        pass(&phones, deadline).await?;
        pass(&phones, deadline).await?;
        secs = t0.elapsed().as_secs_f64();
        say(&format!(
            "two passes: {:.2} s",
            t_pass.elapsed().as_secs_f64()
        ));
        // Each phone's own operations, with the corrections the server made of their times.
        made.clear();
        for p in &phones {
            made.extend(p.own_ops()?);
        }
        made.extend(probe_ops.iter().cloned());
        let doms = domains(&made);
        let mut all_equal = true;
        for p in &phones {
            let want = expected_state(p.role, &made, &doms);
            let have = p.state()?;
            if have != want || p.pending()? != 0 {
                say(&format!(
                    "{}: {} reports, expected {}; pending {}",
                    p.name,
                    have.reports.len(),
                    want.reports.len(),
                    p.pending()?
                ));
                all_equal = false;
            }
        }
        if all_equal {
            converged = true;
            break;
        }
    }
    say(&format!(
        "clock corrections: {} of {} operations",
        made.iter().filter(|o| o.fix.is_some()).count(),
        made.len()
    ));
    let stats = proxy.stats();
    say(&format!(
        "sync phase: {secs:.2} s, {} requests, {} B up, {} B down, {} connections, {} cuts, {} replays",
        stats.requests, stats.up, stats.down, stats.connections, stats.cuts, stats.replays
    ));

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
        made.clear();
        for p in &phones {
            made.extend(p.own_ops()?);
        }
        Some(r)
    } else {
        None
    };

    let on_server = retry(deadline, || async { Ok(pull_all(&audit_client).await?) }).await?;
    Ok(FleetResult {
        audit: audit(&made, &on_server),
        converged,
        secs,
        bytes: stats.bytes(),
        requests: stats.requests,
        photos,
        live,
        probe: probed,
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

fn record_reports(p: &Phone, site: &Site, n: usize, seed: u64) -> Res<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    for _ in 0..n {
        let op = p.record(workload::report(p.role, site, &mut rng))?;
        if rng.random_bool(0.05) {
            // A quick report completed a moment later.
            p.record(torgkoll_shared::OpBody::Details {
                report: op.id,
                amount: Some(torgkoll_shared::Amount::Mycket),
                note: workload::maybe_note(&mut rng),
            })?;
        }
    }
    Ok(())
}

fn make_status_changes(p: &Phone, site: &Site, n: usize, seed: u64) -> Res<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let targets = workload::targets(&p.state()?);
    let mut made = 0;
    let mut tries = 0;
    while made < n && tries < n * 10 {
        tries += 1;
        if let Some(body) = workload::status_change(p.role, p.device, &targets, site, &mut rng) {
            p.record(body)?;
            made += 1;
        }
    }
    Ok(())
}
