//! `torgkoll-photo-bench`: a week offline (5,000 operations, 200 photos) drained through a 1 Mbit/s link
//! with 300 ms round trips; prints when the operations and when the photos were on the server. Run it
//! from a release build: `cargo run --release -p torgkoll-e2e --bin torgkoll-photo-bench`.

use clap::Parser;
use torgkoll_e2e::photo_bench::{PhotoBenchOptions, run};

#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    #[arg(long, default_value_t = 5_000)]
    ops: usize,
    #[arg(long, default_value_t = 200)]
    photos: usize,
    /// The link's speed in bits per second, each way.
    #[arg(long, default_value_t = 1_000_000)]
    bits_per_s: u64,
    /// Round-trip latency in milliseconds.
    #[arg(long, default_value_t = 300)]
    latency_ms: u64,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let a = Args::parse();
    let opts = PhotoBenchOptions {
        ops: a.ops,
        photos: a.photos,
        bits_per_s: a.bits_per_s,
        latency_ms: a.latency_ms,
        seed: a.seed,
    };
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime starts");
    match rt.block_on(run(&opts, &|s| eprintln!("{s}"))) {
        Ok(b) => {
            println!(
                "ops={} photos={} link={} bit/s rtt={} ms",
                opts.ops, opts.photos, opts.bits_per_s, opts.latency_ms
            );
            println!("| phase | time | bytes up / down (wire) | requests | payload |");
            println!("|---|---|---|---|---|");
            println!(
                "| operations on the server | {:.2} s | {} / {} | {} | {} operations |",
                b.ops_secs,
                b.ops_up,
                b.ops_down,
                b.ops_requests,
                opts.ops + opts.photos
            );
            println!(
                "| then the photos | {:.1} s | {} / | {} | {} B of photos ({:.0} kbit/s of photo per s) |",
                b.photos_secs,
                b.photos_up,
                b.photos_requests,
                b.photo_bytes,
                b.photo_bytes as f64 * 8.0 / b.photos_secs / 1000.0
            );
            println!(
                "| thumbnails to a manager's phone (loopback) | {:.2} s | | {} | {} thumbnails |",
                b.thumbs_secs, b.thumbs, b.thumbs
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("photo bench failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
