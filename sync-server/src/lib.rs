//! Torgkoll's sync server: protocol v1 over axum, operations stored in SQLite.
//!
//! `connections` accepts connections (with their timeouts) and shuts down gracefully, `routes` is the HTTP
//! surface, `decode` reads a pushed request, `ingest` decides what a push stores, `store` keeps it (behind
//! the [`store::ServerStore`] trait), `error` turns every failure into one kind of answer, `review` serves
//! the platsansvarig (daily report, exports, retention), `photos` takes and serves the photos' bytes, `events` and `wake` are the wake-up channel.
//! See `docs/PROTOCOL.md`.

pub mod answer;
pub mod auth;
pub mod backup;
pub mod body;
pub mod cancel;
pub mod cli;
pub mod clock;
pub mod connections;
pub mod decode;
pub mod enroll_command;
pub mod error;
pub mod events;
pub mod flag_bounds;
pub mod ingest;
pub mod photos;
pub mod query;
pub mod review;
pub mod routes;
pub mod secret;
pub mod serve_command;
pub mod shed;
pub mod sites;
pub mod state;
pub mod store;
pub mod tls;
pub mod turns;
pub mod wake;
pub mod webhooks;

pub use clock::{Clock, ManualClock, SystemClock};
pub use connections::{serve, serve_tls, shutdown_signal};
pub use error::ApiError;
pub use routes::router;
pub use sites::Sites;
pub use state::{AppState, Limits};
pub use store::{PgStore, ServerStore, SqliteStore};
