//! `torgkoll-fleet --postgres-data DIR`: the fleet's server on a fresh database of the running cluster
//! in DIR (started by `scripts/pg-cluster.sh start DIR`), and with `--kill-postgres-after-ms N` a
//! `kill -9` of the cluster's postmaster N ms into the sync phase, then a restart
//! (`scripts/pg-cluster.sh restart DIR`). The phones get 503 with `Retry-After` while it is down and
//! must end with nothing missing and nothing doubled.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::Res;

/// The cluster script, found from this crate's source directory (or `TORGKOLL_PG_CLUSTER`).
fn script() -> PathBuf {
    std::env::var_os("TORGKOLL_PG_CLUSTER").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg-cluster.sh"),
        PathBuf::from,
    )
}

/// The URL of the cluster in `data` (its port is in `data/torgkoll.port`).
pub fn cluster_url(data: &Path) -> Res<String> {
    let port = std::fs::read_to_string(data.join("torgkoll.port")).map_err(|e| {
        format!(
            "{}: {e}; start it with scripts/pg-cluster.sh start",
            data.display()
        )
    })?;
    Ok(format!(
        "postgres://postgres@127.0.0.1:{}/postgres",
        port.trim()
    ))
}

/// A fresh database on the cluster in `data`: its URL.
pub fn fresh_db(data: &Path) -> Res<String> {
    crate::pg::fresh_db_on(&cluster_url(data)?)
}

/// `kill -9` of the postmaster (the first line of `data/postmaster.pid`); its pid.
pub fn kill_postmaster(data: &Path) -> Res<u32> {
    let pidfile = std::fs::read_to_string(data.join("postmaster.pid"))?;
    let pid: u32 = pidfile
        .lines()
        .next()
        .ok_or("an empty postmaster.pid")?
        .trim()
        .parse()?;
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()?;
    if !status.success() {
        return Err(format!("kill -9 {pid}: {status}").into());
    }
    Ok(pid)
}

/// Starts the cluster in `data` again on its port.
pub fn restart(data: &Path) -> Res<()> {
    let out = Command::new(script()).arg("restart").arg(data).output()?;
    if !out.status.success() {
        return Err(format!(
            "pg-cluster.sh restart: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// After `after`, kills the postmaster, leaves PostgreSQL down for `down`, and restarts it; on a thread
/// of its own, which says what it did.
pub fn kill_and_restart_later(
    data: PathBuf,
    after: Duration,
    down: Duration,
) -> std::thread::JoinHandle<Result<String, String>> {
    std::thread::spawn(move || {
        std::thread::sleep(after);
        let pid = kill_postmaster(&data).map_err(|e| e.to_string())?;
        std::thread::sleep(down);
        restart(&data).map_err(|e| e.to_string())?;
        Ok(format!(
            "postgres: postmaster {pid} killed (-9) after {} ms, restarted after {} ms down",
            after.as_millis(),
            down.as_millis()
        ))
    })
}
