//! A fresh phone pulls everything a busy site holds: a real `torgkoll-server serve` on a database seeded
//! beforehand (`torgkoll-server demo --days 365 ...`, SQLite file or PostgreSQL URL), and a phone made of
//! the app's real store and sync engine on loopback, timed from its first request to its last answer
//! applied (`torgkoll-year-pull`, BENCHMARKS.md).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use torgkoll_shared::Role;

use crate::Res;
use crate::phone::Phone;
use crate::server::ServerProc;

/// One fresh phone's pull.
#[derive(Clone, Debug, PartialEq)]
pub struct YearPull {
    pub secs: f64,
    pub pulled: usize,
    pub requests: u32,
    /// Reports the phone's map knows after the pull.
    pub reports: usize,
}

/// Serves `db` with `server_bin` and pulls it `repeats` times, each into a fresh phone (a new manager
/// device, so it sees both domains), in `work` (the server's log, the phones' files).
pub async fn run(
    server_bin: &Path,
    db: &Path,
    work: &Path,
    repeats: usize,
    progress: &dyn Fn(&str),
) -> Res<Vec<YearPull>> {
    let server = ServerProc::start_at(server_bin, db, &work.join("server"), None)?;
    let site = Arc::new(torgkoll_shared::test_support::plattan());
    let mut out = Vec::new();
    for i in 0..repeats {
        let name = format!("year-{i}");
        let code = server.enroll_code(Role::Manager, &name)?;
        let dir = work.join(&name);
        std::fs::create_dir_all(&dir)?;
        let url = server.url();
        let phone = Phone::enroll(&dir, site.clone(), &url, &url, &code).await?;
        let t = Instant::now();
        let summary = phone.sync().await?;
        let secs = t.elapsed().as_secs_f64();
        let reports = phone.state()?.known_reports().count();
        progress(&format!(
            "pull {i}: {} ops in {secs:.2} s, {} requests, {reports} reports",
            summary.pulled, summary.requests
        ));
        out.push(YearPull {
            secs,
            pulled: summary.pulled,
            requests: summary.requests,
            reports,
        });
        drop(phone);
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(out)
}
