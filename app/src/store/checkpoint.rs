//! WAL checkpoints off the tap path.
//!
//! SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, which puts an fsync of
//! the database file into a tap now and then. The store turns it off for its own connection and runs a
//! passive checkpoint from this thread instead, on a second connection, once a second while the WAL has
//! grown. Passive checkpoints never block the writer.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

const INTERVAL: Duration = Duration::from_secs(1);

/// Stops the checkpoint thread (after one last checkpoint) when dropped.
pub(crate) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: PathBuf) -> rusqlite::Result<Checkpointer> {
        let conn = Connection::open(&path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("torgkoll-checkpoint".into())
            .spawn(move || {
                loop {
                    let last = matches!(
                        stopped.recv_timeout(INTERVAL),
                        Ok(()) | Err(RecvTimeoutError::Disconnected)
                    );
                    if !path.exists() {
                        // The data directory was removed under a store still open: nothing to keep.
                        break;
                    }
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::warn!("WAL checkpoint failed: {e}");
                    }
                    if last {
                        break;
                    }
                }
            })
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
