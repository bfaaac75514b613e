//! Work that stops when nobody waits for it any more. A review request (a month of operations read and
//! folded) runs on a blocking thread; when its client goes, axum drops the request's future, the
//! [`CancelOnDrop`] guard it holds flags the work, and the work stops at its next check: between its
//! steps, and inside SQLite every few thousand instructions (`StoreError::Cancelled`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::store::StoreError;

/// A flag shared between a request and the work it started.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Work nobody will cancel (a command on the terminal).
    pub fn never() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once cancelled: for `?` between the steps of a piece of work.
    pub fn check(&self) -> Result<(), StoreError> {
        if self.is_cancelled() {
            Err(StoreError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// A guard that cancels when dropped (held by the request's future).
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Cancels its [`Cancel`] when dropped.
#[derive(Debug)]
pub struct CancelOnDrop(Cancel);

impl CancelOnDrop {
    /// The work finished and was answered: nothing to cancel any more.
    pub fn disarm(self) {
        std::mem::forget(self);
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if !self.0.is_cancelled() {
            tracing::info!("the client went away; its work stops");
        }
        self.0.cancel();
    }
}
