//! A small pool of read-only SQLite connections, handed out first come, first served.
//!
//! WAL lets any number of readers run beside the one writer, each transaction on its own snapshot; with
//! one reader connection every pull of every phone waited in one queue. A waiter takes a ticket and is
//! served in ticket order, so a burst of short reads cannot starve a long-waiting one.

use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex};

use rusqlite::Connection;

use super::{Result, StoreError};

struct State {
    free: Vec<Connection>,
    next_ticket: u64,
    serving: u64,
}

pub(super) struct ReadPool {
    state: Mutex<State>,
    freed: Condvar,
    size: usize,
}

/// How many readers: one per core, at least two (a pull and a report at the same time).
pub(super) fn default_size() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

impl ReadPool {
    pub(super) fn new(conns: Vec<Connection>) -> ReadPool {
        ReadPool {
            size: conns.len(),
            state: Mutex::new(State {
                free: conns,
                next_ticket: 0,
                serving: 0,
            }),
            freed: Condvar::new(),
        }
    }

    pub(super) fn size(&self) -> usize {
        self.size
    }

    /// A connection, waiting for one to be free; it goes back to the pool when the guard drops.
    pub(super) fn get(&self) -> Result<PooledConn<'_>> {
        let mut st = self.state.lock().map_err(|_| StoreError::Poisoned)?;
        let ticket = st.next_ticket;
        st.next_ticket += 1;
        while st.serving != ticket || st.free.is_empty() {
            st = self.freed.wait(st).map_err(|_| StoreError::Poisoned)?;
        }
        st.serving += 1;
        let conn = st.free.pop().expect("checked non-empty above");
        // The next ticket may be served at once if another connection is free.
        self.freed.notify_all();
        Ok(PooledConn {
            pool: self,
            conn: Some(conn),
        })
    }
}

pub(super) struct PooledConn<'a> {
    pool: &'a ReadPool,
    conn: Option<Connection>,
}

impl Deref for PooledConn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("present until dropped")
    }
}

impl DerefMut for PooledConn<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("present until dropped")
    }
}

impl Drop for PooledConn<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // A poisoned pool lock means a panic elsewhere; the connection is then simply closed.
        if let Ok(mut st) = self.pool.state.lock() {
            st.free.push(conn);
            self.pool.freed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    fn pool(n: usize) -> ReadPool {
        ReadPool::new(
            (0..n)
                .map(|_| Connection::open_in_memory().unwrap())
                .collect(),
        )
    }

    #[test]
    fn readers_are_held_at_once_and_a_third_waits_for_one_back() {
        let pool = pool(2);
        let a = pool.get().unwrap();
        let b = pool.get().unwrap();
        assert_eq!(
            a.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).unwrap(),
            1
        );
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let c = pool.get().unwrap();
                tx.send(c.query_row("SELECT 2", [], |r| r.get::<_, i64>(0)).unwrap())
                    .unwrap();
            });
            assert!(
                rx.recv_timeout(Duration::from_millis(200)).is_err(),
                "no reader was free"
            );
            drop(a);
            assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), 2);
        });
        drop(b);
        assert_eq!(pool.state.lock().unwrap().free.len(), 2);
    }

    #[test]
    fn waiters_are_served_in_the_order_they_came() {
        let pool = pool(1);
        let held = pool.get().unwrap();
        let order = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for i in 0..4 {
                let (pool, order) = (&pool, &order);
                s.spawn(move || {
                    let _c = pool.get().unwrap();
                    order.lock().unwrap().push(i);
                });
                // Each waiter takes its ticket before the next starts.
                while pool.state.lock().unwrap().next_ticket < i as u64 + 2 {
                    std::thread::yield_now();
                }
            }
            drop(held);
        });
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3]);
    }
}
