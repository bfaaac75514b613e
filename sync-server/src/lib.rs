//! Torgkoll's sync server: protocol v1 over axum, operations stored in SQLite.
//!
//! `routes` is the HTTP surface, `decode` reads a pushed request, `ingest` decides what a push stores,
//! `store` keeps it (behind the [`store::ServerStore`] trait), `error` turns every failure into one kind of
//! answer, `review` serves the platsansvarig (daily report, exports, retention). See `docs/PROTOCOL.md`.

pub mod auth;
pub mod body;
pub mod cli;
pub mod clock;
pub mod decode;
pub mod error;
pub mod flag_bounds;
pub mod ingest;
pub mod review;
pub mod routes;
pub mod secret;
pub mod serve_command;
pub mod state;
pub mod store;

use std::future::Future;

use tokio::net::TcpListener;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ApiError;
pub use routes::router;
pub use state::{AppState, Limits};
pub use store::{ServerStore, SqliteStore};

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}
