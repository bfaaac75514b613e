//! `torgkoll-year-pull`: a fresh phone pulls a year of a busy site from a real server on loopback.
//! Seed the database first, e.g.
//! `torgkoll-server demo --db year.sqlite --date 2026-11-20 --days 365 --cleaning-per-day 520
//! --disturbances-per-day 14 --seed 1`, then `torgkoll-year-pull --db year.sqlite` (a release build).

use std::path::PathBuf;

use clap::Parser;
use torgkoll_e2e::server::server_bin;

/// Times fresh phones pulling everything the server at `--db` holds.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The seeded database: a SQLite file or a `postgres://` URL.
    #[arg(long)]
    db: PathBuf,
    /// How many fresh phones pull, one after the other.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    /// The server binary (default: `torgkoll-server` beside this one).
    #[arg(long)]
    server_bin: Option<PathBuf>,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let a = Args::parse();
    let run = || -> torgkoll_e2e::Res<Vec<torgkoll_e2e::year_pull::YearPull>> {
        let bin = match a.server_bin.clone() {
            Some(b) => b,
            None => server_bin()?,
        };
        let work = tempfile::tempdir()?;
        let rt = tokio::runtime::Runtime::new()?;
        rt.block_on(torgkoll_e2e::year_pull::run(
            &bin,
            &a.db,
            work.path(),
            a.repeats,
            &|s| eprintln!("{s}"),
        ))
    };
    match run() {
        Ok(pulls) => {
            let mut secs: Vec<f64> = pulls.iter().map(|p| p.secs).collect();
            secs.sort_by(f64::total_cmp);
            let median = secs.get(secs.len() / 2).copied().unwrap_or_default();
            let last = pulls.last();
            println!(
                "year_pull ops={} requests={} reports={} median_s={median:.2} runs_s={secs:.2?}",
                last.map_or(0, |p| p.pulled),
                last.map_or(0, |p| p.requests),
                last.map_or(0, |p| p.reports),
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("year pull failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
