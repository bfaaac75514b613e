//! `torgkoll-proxy`: the benchmarks' link model (`torgkoll_e2e::proxy`) as a program of its own, to put
//! in front of another server (the PouchDB peer of `tests/pouchdb/photos.js`). Prints its URL on the
//! first line of stdout; each line read on stdin prints the counters so far; the end of stdin, ctrl-c or
//! SIGTERM prints them once more and stops.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use torgkoll_e2e::proxy::{Proxy, ProxyConfig, ProxyStats};

#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The server to forward to, e.g. 127.0.0.1:5995.
    #[arg(long)]
    upstream: SocketAddr,
    /// Added round-trip latency in milliseconds.
    #[arg(long, default_value_t = 300)]
    latency_ms: u64,
    /// The link's speed in bits per second each way; 0 for no limit.
    #[arg(long, default_value_t = 1_000_000)]
    bits_per_s: u64,
    /// The port to listen on (127.0.0.1); a free one if not given.
    #[arg(long)]
    listen_port: Option<u16>,
    /// Cut the connection carrying the traffic each time this many bytes (both ways) have passed.
    #[arg(long)]
    cut_after: Option<u64>,
}

fn line(s: &ProxyStats) -> String {
    format!(
        "up={} down={} requests={} connections={} cuts={}",
        s.up, s.down, s.requests, s.connections, s.cuts
    )
}

/// Resolves on SIGTERM (on Unix) or ctrl-c.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => return,
                _ = tokio::signal::ctrl_c() => return,
            }
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn serve(a: Args) -> std::io::Result<()> {
    let cfg = ProxyConfig {
        latency: Duration::from_millis(a.latency_ms),
        rate: (a.bits_per_s > 0).then_some(a.bits_per_s / 8),
        cut_after: a.cut_after,
        ..ProxyConfig::default()
    };
    let listen = SocketAddr::from(([127, 0, 0, 1], a.listen_port.unwrap_or(0)));
    let proxy = Proxy::start_on(listen, a.upstream, cfg).await?;
    println!("{}", proxy.url());
    // Stdin on a thread of its own (tokio's `io-std` is not enabled): a message a line, and the end.
    let (tx, mut stdin) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for l in std::io::stdin().lines() {
            if l.is_err() || tx.send(()).is_err() {
                break;
            }
        }
    });
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            l = stdin.recv() => match l {
                Some(()) => println!("{}", line(&proxy.stats())),
                None => break,
            },
            _ = &mut stop => break,
        }
    }
    println!("{}", line(&proxy.stats()));
    Ok(())
}

fn main() -> std::process::ExitCode {
    let a = Args::parse();
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime starts");
    match rt.block_on(serve(a)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("torgkoll-proxy: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
