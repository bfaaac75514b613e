//! `torgkoll-sync-bench`: the sync benchmark of SYNC.md against a real `torgkoll-server` on loopback.
//! Run it from a release build: `cargo run --release -p torgkoll-e2e --bin torgkoll-sync-bench`.

use clap::Parser;
use torgkoll_e2e::bench::{BenchOptions, row, run};

/// Measures push, pull, no-op, status changes and the push at added latency; prints a Markdown table of
/// the medians.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    #[arg(long, default_value_t = 10_000)]
    reports: usize,
    #[arg(long, default_value_t = 1_000)]
    status_changes: usize,
    /// Added round-trip latency for the `*_rtt` steps.
    #[arg(long, default_value_t = 100)]
    latency_ms: u64,
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let a = Args::parse();
    let opts = BenchOptions {
        reports: a.reports,
        status_changes: a.status_changes,
        latency_ms: a.latency_ms,
        repeats: a.repeats,
        seed: a.seed,
    };
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime starts");
    match rt.block_on(run(&opts, &|s| eprintln!("{s}"))) {
        Ok((meds, raw)) => {
            println!(
                "reports={} raw_ndjson_bytes={raw} latency_ms={} repeats={} (medians)",
                opts.reports, opts.latency_ms, opts.repeats
            );
            println!("| step | ops | time | bytes up | bytes down | bytes total | requests |");
            println!("|---|---|---|---|---|---|---|");
            for m in &meds {
                println!("{}", row(m));
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
