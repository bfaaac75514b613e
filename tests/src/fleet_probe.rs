//! The fleet's push probe (`--push-probe`): while the crowd makes its first syncs, one more phone records a
//! report every 200 ms and pushes it in a round of its own that pulls at most one operation, marked as a
//! push (`Torgkoll-Push: 1`, the server's push lane), timed from the request to its answer applied (waits
//! on a 503 `busy` and retries included: that is what its user waits). Its operations count among those
//! made, so the audit and the other phones' states include them.
//!
//! The probe phone runs in a process of its own (`torgkoll-push-probe`, [`ProbeProc`]), started before the
//! fleet lowers its own priority (`--nice`), so its times are the server's and not those of a fleet
//! process busy applying a hundred phones' pages. On stdio: it prints `ready <device>` once enrolled,
//! starts pushing on a `go` line, stops when its stdin closes, and prints its [`ProbeResult`] as JSON.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};
use torgkoll_app::store::{Durability, Store};
use torgkoll_app::sync::plan::Backoff;
use torgkoll_shared::{Operation, Site};
use uuid::Uuid;

use crate::phone::Phone;
use crate::{Res, workload};

/// The probe's binary, beside this executable's (or `TORGKOLL_PUSH_PROBE_BIN`).
pub const PROBE_BIN: &str = "torgkoll-push-probe";

/// The pushes' times, and how many of their tries were shed or failed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub millis: Vec<f64>,
    pub retries: usize,
}

impl ProbeResult {
    /// The `q` quantile (0..=1) of the times, nearest rank.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut v = self.millis.clone();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return 0.0;
        }
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    }

    pub fn line(&self) -> String {
        format!(
            "push probe: {} pushes, p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms, {} retries",
            self.millis.len(),
            self.quantile(0.5),
            self.quantile(0.99),
            self.quantile(1.0),
            self.retries
        )
    }
}

/// Pushes one report at a time from `phone` until `stop` is set.
pub async fn run(
    phone: Arc<Phone>,
    site: Arc<Site>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> Res<ProbeResult> {
    let mut rng = StdRng::seed_from_u64(seed);
    let backoff = Backoff {
        base: Duration::from_millis(50),
        cap: Duration::from_secs(1),
    };
    let mut out = ProbeResult::default();
    while !stop.load(Ordering::SeqCst) {
        phone.record(workload::report(phone.role, &site, &mut rng))?;
        let t = Instant::now();
        let mut attempt = 0;
        loop {
            match phone.push_round().await {
                Ok(()) => break,
                Err(e) if e.is_retryable() && attempt < 100 => {
                    out.retries += 1;
                    tokio::time::sleep(e.wait_before_retry(backoff.delay(attempt, rand::random())))
                        .await;
                    attempt += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
        out.millis.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(out)
}

/// A probe phone in its own process.
pub struct ProbeProc {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    dir: PathBuf,
    pub device: Uuid,
}

impl ProbeProc {
    /// Starts the probe on `server` with enrollment `code`, its store in `dir`, and waits until it has
    /// enrolled.
    pub fn start(server: &str, code: &str, dir: &Path, seed: u64) -> Res<ProbeProc> {
        let mut child = Command::new(probe_bin()?)
            .args([
                "--server",
                server,
                "--code",
                code,
                "--seed",
                &seed.to_string(),
            ])
            .arg("--dir")
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().ok_or("the probe has no stdout")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let device = match line.trim().strip_prefix("ready ") {
            Some(d) => d.parse()?,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("the push probe did not enroll: {line:?}").into());
            }
        };
        Ok(ProbeProc {
            child,
            stdin,
            stdout,
            dir: dir.to_owned(),
            device,
        })
    }

    /// Starts its pushes.
    pub fn go(&mut self) -> Res<()> {
        let stdin = self.stdin.as_mut().ok_or("the probe was stopped")?;
        stdin.write_all(b"go\n")?;
        stdin.flush()?;
        Ok(())
    }

    /// Stops its pushes (the last one finishes first) and reads what it measured.
    pub fn finish(&mut self) -> Res<ProbeResult> {
        drop(self.stdin.take());
        let mut json = String::new();
        self.stdout.read_line(&mut json)?;
        let status = self.child.wait()?;
        if !status.success() {
            return Err(format!("the push probe failed: {status}").into());
        }
        Ok(serde_json::from_str(&json)?)
    }

    /// Every operation the probe phone made (read from its store once it has finished).
    pub fn own_ops(&self, site: Arc<Site>) -> Res<Vec<Operation>> {
        let store = Store::open_with(
            &self.dir.join(torgkoll_app::store::DB_FILE),
            site,
            Durability::Normal,
        )?;
        let ops = store.all_ops()?;
        Ok(ops
            .into_iter()
            .filter(|o| o.device == self.device)
            .collect())
    }
}

impl Drop for ProbeProc {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn probe_bin() -> Res<PathBuf> {
    if let Some(p) = std::env::var_os("TORGKOLL_PUSH_PROBE_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe()?;
    let mut dir = exe.parent().ok_or("the executable has no directory")?;
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir = dir.parent().ok_or("deps has no parent")?;
    }
    let bin = dir.join(format!("{PROBE_BIN}{}", std::env::consts::EXE_SUFFIX));
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!(
            "{} not found (cargo build -p torgkoll-e2e --bins)",
            bin.display()
        )
        .into())
    }
}
