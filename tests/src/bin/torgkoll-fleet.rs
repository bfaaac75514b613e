//! `torgkoll-fleet`: N simulated phones (the app's real store and sync code, each on its own SQLite file)
//! against a real `torgkoll-server`, optionally through a fault-injecting proxy. The last line is the
//! summary; the exit code is non-zero unless nothing is missing or duplicated and every phone converged.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use torgkoll_e2e::fleet::{FleetOptions, run};

#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Simulated phones (cleaners and guards in turn; the last a manager from four on).
    #[arg(long, default_value_t = 5)]
    devices: usize,
    /// Reports each phone makes offline.
    #[arg(long, default_value_t = 2_000)]
    reports: usize,
    /// Status changes each phone makes after its first sync.
    #[arg(long, default_value_t = 200)]
    status_changes: usize,
    /// Put a proxy in between that cuts connections, delays and replays requests.
    #[arg(long)]
    faults: bool,
    /// Added round-trip latency in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A running server (http://127.0.0.1:PORT); by default a fresh one is started.
    #[arg(long, requires = "server_db")]
    server: Option<String>,
    /// The running server's database, for `torgkoll-server enroll --db`.
    #[arg(long)]
    server_db: Option<PathBuf>,
    /// The torgkoll-server binary (default: beside this one, built if missing).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// The server's pull page size, for a server this starts.
    #[arg(long)]
    page_size: Option<u32>,
    /// Wrong phone clocks: a day ahead, a day behind, reset to 1970, three minutes fast (all but the
    /// manager's); every phone must still converge on the same state.
    #[arg(long)]
    skew: bool,
    /// Photos each phone attaches to its own reports while offline; sent after the operations, through
    /// the proxy. The summary line then counts them.
    #[arg(long, default_value_t = 0)]
    photos: usize,
    /// After the bulk phase, keep every phone online with its sync engine running for this many
    /// seconds while people report at random moments; prints the delivery times (commit on the author's
    /// phone to applied on each other phone allowed to see it) in a `live:` line before the summary.
    #[arg(long, default_value_t = 0)]
    live: u64,
    /// During the live phase, cut every connection (wake-up channels too) every this many seconds, as a
    /// phone walking through a dead zone would see.
    #[arg(long, default_value_t = 0, requires = "live")]
    live_cut_every: u64,
    /// Back the server up after the first syncs; after more syncs kill it, restore that backup and
    /// restart it: the phones must give back what it lost (ends with missing=0).
    #[arg(long, conflicts_with = "server")]
    restore_mid: bool,
    /// Serve on a fresh database of the running PostgreSQL cluster whose data directory this is
    /// (`scripts/pg-cluster.sh start DIR`) instead of a SQLite file.
    #[arg(long, conflicts_with_all = ["server", "restore_mid"])]
    postgres_data: Option<PathBuf>,
    /// `kill -9` PostgreSQL's postmaster this many ms into the sync phase, and restart it 2 s later.
    #[arg(long, requires = "postgres_data")]
    kill_postgres_after_ms: Option<u64>,
    /// While the phones make their first syncs, one more phone pushes one report every 200 ms, each
    /// timed; prints a `push probe:` line with p50 and p99. The phone runs in a process of its own
    /// (`torgkoll-push-probe`, beside this binary) and talks to the server directly, not via the proxy.
    #[arg(long)]
    push_probe: bool,
    /// Lower this process's CPU priority to this nice value once the server and the probe are started
    /// (they keep theirs): the simulated phones are separate devices in real life, and should not take
    /// the server's CPU on a shared machine. 0 leaves it.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=19))]
    nice: i32,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let a = Args::parse();
    let opts = FleetOptions {
        devices: a.devices,
        reports: a.reports,
        status_changes: a.status_changes,
        faults: a.faults,
        latency_ms: a.latency_ms,
        seed: a.seed,
        server: a.server,
        server_db: a.server_db,
        server_bin: a.server_bin,
        timeout: Duration::from_secs(a.timeout),
        page_size: a.page_size,
        skew: a.skew,
        photos: a.photos,
        live: a.live,
        live_cut_every: a.live_cut_every,
        restore_mid: a.restore_mid,
        postgres_data: a.postgres_data,
        kill_postgres_after_ms: a.kill_postgres_after_ms,
        push_probe: a.push_probe,
        nice: a.nice,
    };
    // The phones' store work runs on blocking threads (`sync_once`). On a phone that is one thread
    // on its own cores; here a hundred phones share two cores, and a hundred threads applying at
    // once only take turns with each other and with the server. A few at a time is the phones'
    // concurrency the machine can give.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()
        .expect("a tokio runtime starts");
    match rt.block_on(run(&opts, &|s| eprintln!("{s}"))) {
        Ok(result) => {
            if let Some(l) = &result.live {
                println!("{}", l.line());
            }
            println!("{result}");
            if result.ok() {
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("fleet failed: {e}");
            println!(
                "fleet: made=0 on_server=0 missing=0 duplicates=0 converged=no secs=0.00 bytes=0 requests=0"
            );
            std::process::ExitCode::FAILURE
        }
    }
}
