//! The fleet's offline and sync phases (`fleet::run` calls them in turn): the offline phase, in which
//! every phone records its reports and attaches its photos, and the sync phase, timed from the first
//! syncs: two passes in which every phone syncs until it succeeds, then each phone makes status changes
//! on reports it now sees, then passes until every phone shows the fold of every operation its role may
//! see. The push probe, the PostgreSQL kill and the mid-run backup and restore happen at their moments
//! of the sync phase.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::task::JoinSet;
use torgkoll_app::sync::plan::Backoff;
use torgkoll_app::sync::{SyncError, SyncSummary};
use torgkoll_shared::{Operation, Site};

use crate::audit::{domains, expected_state};
use crate::fleet::FleetOptions;
use crate::fleet_photos;
use crate::fleet_probe::{ProbeProc, ProbeResult};
use crate::phone::Phone;
use crate::proxy::{Proxy, ProxyStats};
use crate::server::ServerProc;
use crate::{Res, workload};

/// The enrolled fleet, as the sync phase needs it.
#[derive(Clone, Copy)]
pub(crate) struct Crowd<'a> {
    pub(crate) phones: &'a [Arc<Phone>],
    /// The run's directory: phone `i`'s files are in `phone<i>`, the mid-run backup beside them.
    pub(crate) dir: &'a Path,
    pub(crate) site: &'a Arc<Site>,
    pub(crate) proxy: &'a Proxy,
    /// The server's binary and database, for its backup and restore.
    pub(crate) bin: &'a Path,
    pub(crate) db: &'a Path,
    pub(crate) deadline: Instant,
}

/// What the sync phase ends with.
pub(crate) struct Synced {
    /// Every operation made (the probe's too), with the corrections the server made of their times.
    pub(crate) made: Vec<Operation>,
    pub(crate) converged: bool,
    /// Seconds from the first syncs to the end of the last passes.
    pub(crate) secs: f64,
    /// The proxy's counts over the sync phase.
    pub(crate) stats: ProxyStats,
    /// The push probe's times, when there was one.
    pub(crate) probed: Option<ProbeResult>,
}

/// The offline phase: every phone records its reports (and attaches its photos), each on its own
/// thread; answers the photos made, as `fleet_photos::attach` answers them.
pub(crate) fn offline(
    phones: &[Arc<Phone>],
    site: &Arc<Site>,
    opts: &FleetOptions,
    say: &(dyn Fn(&str) + Sync),
) -> Res<BTreeMap<String, u64>> {
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
    Ok(photos_made)
}

/// The sync phase, timed; `probe` pushes during the first syncs, `own_server` is restored with
/// `--restore-mid`.
pub(crate) async fn sync(
    c: Crowd<'_>,
    opts: &FleetOptions,
    mut probe: Option<&mut ProbeProc>,
    own_server: Option<&mut ServerProc>,
    say: &(dyn Fn(&str) + Sync),
) -> Res<Synced> {
    // The offline phase's writes on the disk first, as on the phones' own.
    for i in 0..c.phones.len() {
        crate::phone::flush_files(&c.dir.join(format!("phone{i}")))?;
    }
    c.proxy.reset_stats();
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
    pass(c.phones, c.deadline).await?;
    pass(c.phones, c.deadline).await?;
    say(&format!("first syncs: {:.3} s", t0.elapsed().as_secs_f64()));
    let (probed, probe_ops) = match probe.as_mut() {
        Some(p) => {
            // Off the runtime: the probe finishes its last push before it answers.
            let result = tokio::task::block_in_place(|| p.finish())?;
            say(&result.line());
            (Some(result), p.own_ops(c.site.clone())?)
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
    let backup = c.dir.join("backup.sqlite");
    if opts.restore_mid {
        let said = crate::fleet_restore::backup(c.bin, c.db, &backup)?;
        say(&format!("backup: {said}"));
    }
    let t_changes = Instant::now();
    for (i, p) in c.phones.iter().enumerate() {
        let seed = opts.seed.wrapping_mul(7919).wrapping_add(i as u64);
        make_status_changes(p, c.site, opts.status_changes, seed)?;
    }
    say(&format!(
        "status changes made: {:.2} s",
        t_changes.elapsed().as_secs_f64()
    ));
    if opts.restore_mid {
        // More syncs, then the server loses everything after the backup.
        pass(c.phones, c.deadline).await?;
        let server =
            own_server.ok_or("--restore-mid needs the fleet's own server (no --server)")?;
        let said = crate::fleet_restore::restore_and_restart(c.bin, server, &backup)?;
        say(&format!("restore: {said}"));
    }
    let mut made = Vec::new();
    let mut converged = false;
    let mut secs = 0.0;
    while Instant::now() < c.deadline {
        let t_pass = Instant::now();
        pass(c.phones, c.deadline).await?;
        pass(c.phones, c.deadline).await?;
        secs = t0.elapsed().as_secs_f64();
        say(&format!(
            "two passes: {:.2} s",
            t_pass.elapsed().as_secs_f64()
        ));
        // Each phone's own operations, with the corrections the server made of their times.
        made.clear();
        for p in c.phones {
            made.extend(p.own_ops()?);
        }
        made.extend(probe_ops.iter().cloned());
        let doms = domains(&made);
        let mut all_equal = true;
        for p in c.phones {
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
    let stats = c.proxy.stats();
    say(&format!(
        "sync phase: {secs:.2} s, {} requests, {} B up, {} B down, {} connections, {} cuts, {} replays",
        stats.requests, stats.up, stats.down, stats.connections, stats.cuts, stats.replays
    ));
    Ok(Synced {
        made,
        converged,
        secs,
        stats,
        probed,
    })
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
