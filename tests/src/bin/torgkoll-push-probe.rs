//! `torgkoll-push-probe`: one phone that enrolls with `--code`, prints `ready <device>`, and on a `go`
//! line on stdin records a report every 200 ms and pushes it alone, timing each push, until its stdin
//! closes; then it prints the times as JSON (`fleet_probe::ProbeResult`). `torgkoll-fleet --push-probe`
//! runs it as a process of its own, so its times are the server's and not the busy fleet's.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use torgkoll_e2e::Res;
use torgkoll_e2e::fleet_probe::run;
use torgkoll_e2e::phone::Phone;

#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The server (http://HOST:PORT).
    #[arg(long)]
    server: String,
    /// An enrollment code for the probe phone.
    #[arg(long)]
    code: String,
    /// The phone's store directory; its operations stay there for the fleet's audit.
    #[arg(long)]
    dir: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

async fn probe(a: Args) -> Res<()> {
    let site = Arc::new(torgkoll_shared::test_support::plattan());
    std::fs::create_dir_all(&a.dir)?;
    let phone = Phone::enroll(&a.dir, site.clone(), &a.server, &a.server, &a.code).await?;
    println!("ready {}", phone.device);
    // stdin: a `go` line starts the pushes, its end stops them.
    let (go_tx, go_rx) = tokio::sync::oneshot::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stop_reader = stop.clone();
    std::thread::spawn(move || {
        let mut lines = std::io::stdin().lock().lines();
        let go = matches!(lines.next(), Some(Ok(l)) if l.trim() == "go");
        let _ = go_tx.send(go);
        for _ in lines.by_ref() {}
        stop_reader.store(true, Ordering::SeqCst);
    });
    if !go_rx.await.unwrap_or(false) {
        return Err("no `go` on stdin".into());
    }
    let result = run(Arc::new(phone), site, stop, a.seed).await?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

fn main() -> std::process::ExitCode {
    let a = Args::parse();
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime starts");
    match rt.block_on(probe(a)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("push probe failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
