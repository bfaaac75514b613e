//! `torgkoll-server`: see `torgkoll-server --help` and docs/PROTOCOL.md.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use torgkoll_server::cli::{Cli, run};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("torgkoll-server: {e}");
            ExitCode::FAILURE
        }
    }
}
