//! WAL checkpoints off the write path, for the phone's store and the server's alike.
//!
//! SQLite's automatic checkpoint runs inside whichever commit takes the log past its threshold (1,000
//! pages by default): that commit copies the logged pages into the database file and fsyncs it before it
//! returns. On the phone that put an fsync into a tap now and then; on the server it was about a fifth of
//! the time of the push that crossed the threshold, with the phone waiting for its answer. So the owner
//! of the database turns its writer's automatic checkpoint off (or down to a backstop), and this thread
//! runs a `PASSIVE` checkpoint on a connection of its own: it copies what no reader still needs and
//! returns, never waiting for a reader or the writer, and the writer never waits for it.
//!
//! It checkpoints every `every`, and soon after a [`Checkpointer::nudge`] (a writer saying it committed
//! much), though never sooner than `min_gap` after the last one, so that a crowd's commits share one.
//! Durability does not depend on it: a commit is durable in the log; the checkpoint keeps the log short.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;

#[derive(Default)]
struct Signal {
    nudged: bool,
    stop: bool,
}

/// The checkpoint thread; stopped (after one last checkpoint) when dropped.
pub struct Checkpointer {
    signal: Arc<(Mutex<Signal>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread on the database at `path` (in WAL mode), checkpointing every `every` and after
    /// nudges, at most once per `min_gap`.
    pub fn start(
        path: &Path,
        every: Duration,
        min_gap: Duration,
    ) -> rusqlite::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let signal = Arc::new((Mutex::new(Signal::default()), Condvar::new()));
        let theirs = signal.clone();
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(&conn, &path, &theirs, every, min_gap))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Checkpointer {
            signal,
            thread: Some(thread),
        })
    }

    /// Much was committed: checkpoint soon.
    pub fn nudge(&self) {
        let (lock, cvar) = &*self.signal;
        if let Ok(mut s) = lock.lock() {
            s.nudged = true;
            cvar.notify_one();
        }
    }
}

/// Waits for a nudge, `every`, or the stop; then for the rest of `min_gap` since `last`. True to stop.
fn wait_turn(
    signal: &(Mutex<Signal>, Condvar),
    every: Duration,
    min_gap: Duration,
    last: Instant,
) -> bool {
    let (lock, cvar) = signal;
    let Ok(mut s) = lock.lock() else { return true };
    let tick = Instant::now() + every;
    while !s.nudged && !s.stop && Instant::now() < tick {
        s = match cvar.wait_timeout(s, tick.saturating_duration_since(Instant::now())) {
            Ok((next, _)) => next,
            Err(_) => return true,
        };
    }
    s.nudged = false;
    while !s.stop && last.elapsed() < min_gap {
        s = match cvar.wait_timeout(s, min_gap.saturating_sub(last.elapsed())) {
            Ok((next, _)) => next,
            Err(_) => return true,
        };
    }
    s.stop
}

fn run(
    conn: &Connection,
    path: &Path,
    signal: &(Mutex<Signal>, Condvar),
    every: Duration,
    min_gap: Duration,
) {
    let mut last = Instant::now();
    loop {
        let stop = wait_turn(signal, every, min_gap, last);
        if !path.exists() {
            // The data directory was removed under a store still open: nothing to keep.
            return;
        }
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
        last = Instant::now();
        if stop {
            return;
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.signal;
        if let Ok(mut s) = lock.lock() {
            s.stop = true;
            cvar.notify_one();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database whose log holds 2,000 inserts its writer never checkpoints by itself: the directory,
    /// the file, the writer (kept open, so the log stays), and the file's length before any checkpoint.
    struct Log {
        _dir: tempfile::TempDir,
        path: std::path::PathBuf,
        _writer: Connection,
        before: u64,
    }

    fn unchecked_log() -> Log {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)")
            .unwrap();
        for i in 0..2_000 {
            conn.execute("INSERT INTO t VALUES (?1, hex(randomblob(200)))", [i])
                .unwrap();
        }
        let before = db_len(&path);
        Log {
            _dir: dir,
            path,
            _writer: conn,
            before,
        }
    }

    fn db_len(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }

    /// Waits (at most 10 s) until the database file has grown by 100 pages: the log's pages copied in.
    fn grows(path: &Path, from: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while db_len(path) < from + 100 * 4096 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        db_len(path) >= from + 100 * 4096
    }

    /// A nudge moves the log into the database file, long before the hour-long `every`: the pages reach
    /// it through the thread alone, as the writer never checkpoints.
    #[test]
    fn a_nudge_moves_the_log_into_the_database_file() {
        let log = unchecked_log();
        let hour = Duration::from_secs(3600);
        let c = Checkpointer::start(&log.path, hour, Duration::from_millis(10)).unwrap();
        c.nudge();
        assert!(grows(&log.path, log.before), "{} bytes", db_len(&log.path));
    }

    /// Without nudges it checkpoints every `every`.
    #[test]
    fn unnudged_it_checkpoints_on_its_own() {
        let log = unchecked_log();
        let every = Duration::from_millis(50);
        let _c = Checkpointer::start(&log.path, every, Duration::ZERO).unwrap();
        assert!(grows(&log.path, log.before), "{} bytes", db_len(&log.path));
    }

    /// Dropped, it makes one last checkpoint before the thread ends.
    #[test]
    fn dropping_it_checkpoints_once_more() {
        let log = unchecked_log();
        let hour = Duration::from_secs(3600);
        drop(Checkpointer::start(&log.path, hour, Duration::ZERO).unwrap());
        let grown = db_len(&log.path) >= log.before + 100 * 4096;
        assert!(grown, "{} bytes", db_len(&log.path));
    }
}
