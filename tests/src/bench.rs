//! The sync benchmark of SYNC.md over loopback against a real server process: push of 10,000 reports,
//! a no-op sync, a pull into a fresh phone, 1,000 status changes, and the push at 100 ms round trips.
//! Bytes are counted on the wire by the proxy (headers and gzip bodies, both directions).

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::{OpBody, Role, Site};

use crate::phone::Phone;
use crate::proxy::{Proxy, ProxyConfig};
use crate::server::{ServerProc, server_bin};
use crate::{Res, workload};

#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub reports: usize,
    pub status_changes: usize,
    pub latency_ms: u64,
    pub repeats: usize,
    pub seed: u64,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            reports: 10_000,
            status_changes: 1_000,
            latency_ms: 100,
            repeats: 3,
            seed: 42,
        }
    }
}

/// One measured step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measure {
    pub label: &'static str,
    pub secs: f64,
    pub up: u64,
    pub down: u64,
    pub requests: u64,
    /// Operations moved (pushed or pulled).
    pub ops: u64,
}

/// A fresh server and a counting proxy in front of it.
struct Rig {
    server: ServerProc,
    proxy: Proxy,
    site: Arc<Site>,
    /// Last, so it is removed after the server and the phones using it are gone.
    _dir: tempfile::TempDir,
}

impl Rig {
    async fn new(latency_ms: u64) -> Res<Rig> {
        let dir = tempfile::tempdir()?;
        let server = ServerProc::start(&server_bin()?, &dir.path().join("server.sqlite"), None)?;
        let proxy = Proxy::start(
            server.addr,
            ProxyConfig {
                latency: Duration::from_millis(latency_ms),
                ..ProxyConfig::default()
            },
        )
        .await?;
        Ok(Rig {
            _dir: dir,
            server,
            proxy,
            site: Arc::new(torgkoll_shared::test_support::plattan()),
        })
    }

    async fn phone(&self, role: Role, name: &str) -> Res<Phone> {
        let code = self.server.enroll_code(role, name)?;
        let pdir = self._dir.path().join(name);
        std::fs::create_dir_all(&pdir)?;
        Phone::enroll(
            &pdir,
            self.site.clone(),
            &self.server.url(),
            &self.proxy.url(),
            &code,
        )
        .await
    }

    /// The phone `name`'s files written through to the disk before a timed step: what a phone recorded
    /// offline is on its own flash, not queued on the disk the server fsyncs to (`phone::flush_files`).
    fn flush(&self, name: &str) -> Res<()> {
        Ok(crate::phone::flush_files(&self._dir.path().join(name))?)
    }

    /// Syncs `phone` once and measures it.
    async fn measure(&self, label: &'static str, phone: &Phone) -> Res<Measure> {
        self.proxy.reset_stats();
        let t = Instant::now();
        let s = phone.sync().await?;
        let secs = t.elapsed().as_secs_f64();
        let st = self.proxy.stats();
        if s.pending != 0 {
            return Err(format!("{label}: {} operations left unsent", s.pending).into());
        }
        Ok(Measure {
            label,
            secs,
            up: st.up,
            down: st.down,
            requests: st.requests,
            ops: s.pushed.max(s.pulled as u64),
        })
    }
}

/// Records `n` cleaning reports (about 60% with a short note); returns their raw JSON size on the wire.
fn record_reports(p: &Phone, site: &Site, n: usize, seed: u64) -> Res<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut raw = 0;
    for _ in 0..n {
        let op = p.record(workload::clean(site, &mut rng))?;
        raw += serde_json::to_string(&WireOp::from_op(&op))?.len() + 1;
    }
    Ok(raw)
}

/// One repeat of every step; returns the steps and the raw NDJSON size of the reports.
pub async fn repeat(opts: &BenchOptions, rep: u64) -> Res<(Vec<Measure>, usize)> {
    let seed = opts.seed + rep;
    let rig = Rig::new(0).await?;
    let a = rig.phone(Role::Cleaner, "bench-a").await?;
    let raw = record_reports(&a, &rig.site, opts.reports, seed)?;
    rig.flush("bench-a")?;
    let mut out = vec![rig.measure("push", &a).await?];
    out.push(rig.measure("push_noop", &a).await?);
    let b = rig.phone(Role::Cleaner, "bench-b").await?;
    out.push(rig.measure("pull_fresh", &b).await?);
    out.push(rig.measure("pull_noop", &b).await?);
    let mine: Vec<_> = a.own_ops()?.iter().map(|o| o.id).collect();
    let mut rng = StdRng::seed_from_u64(seed * 7);
    for _ in 0..opts.status_changes {
        let report = *mine.choose(&mut rng).unwrap();
        let body = if rng.random_bool(0.8) {
            OpBody::Resolve { report }
        } else {
            OpBody::StillThere { report }
        };
        a.record(body)?;
    }
    out.push(rig.measure("status_push", &a).await?);
    out.push(rig.measure("status_pull", &b).await?);
    drop(rig);

    let slow = Rig::new(opts.latency_ms).await?;
    let c = slow.phone(Role::Cleaner, "bench-c").await?;
    record_reports(&c, &slow.site, opts.reports, seed)?;
    slow.flush("bench-c")?;
    out.push(slow.measure("push_rtt", &c).await?);
    let d = slow.phone(Role::Cleaner, "bench-d").await?;
    out.push(slow.measure("pull_fresh_rtt", &d).await?);
    Ok((out, raw))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs the repeats and returns the median of each step (by each field).
pub async fn run(opts: &BenchOptions, say: &dyn Fn(&str)) -> Res<(Vec<Measure>, usize)> {
    let mut all = Vec::new();
    let mut raw = 0;
    for rep in 0..opts.repeats.max(1) {
        let (steps, r) = repeat(opts, rep as u64).await?;
        for m in &steps {
            say(&format!("rep {rep}: {}", row(m)));
        }
        raw = r;
        all.push(steps);
    }
    let meds = (0..all[0].len())
        .map(|i| {
            let col = |f: &dyn Fn(&Measure) -> f64| median(all.iter().map(|r| f(&r[i])).collect());
            Measure {
                label: all[0][i].label,
                secs: col(&|m| m.secs),
                up: col(&|m| m.up as f64) as u64,
                down: col(&|m| m.down as f64) as u64,
                requests: col(&|m| m.requests as f64) as u64,
                ops: col(&|m| m.ops as f64) as u64,
            }
        })
        .collect();
    Ok((meds, raw))
}

/// A table row: step, time, bytes up/down/total, requests.
pub fn row(m: &Measure) -> String {
    format!(
        "| {} | {} | {:.3} s | {} | {} | {} | {} |",
        m.label,
        m.ops,
        m.secs,
        m.up,
        m.down,
        m.up + m.down,
        m.requests
    )
}
