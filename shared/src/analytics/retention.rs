//! Retention: after a configured number of days, free text is purged; the operations themselves (and so
//! every count per zone, category and hour) stay. The server applies the plan; this only decides it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::op::Operation;

const MS_PER_DAY: i64 = 86_400_000;

/// The retention setting. A municipal operator needs a formal decision before deleting, so there is no
/// built-in default: the server's configuration sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Free text older than this many days is purged. At least 1.
    pub free_text_days: u32,
}

impl Retention {
    /// `None` for 0 days (which would purge free text as it arrives).
    pub fn new(free_text_days: u32) -> Option<Retention> {
        (free_text_days >= 1).then_some(Retention { free_text_days })
    }

    /// Operations made before this instant have their free text purged.
    pub fn cutoff_ms(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(i64::from(self.free_text_days) * MS_PER_DAY)
    }

    /// Whether this operation's free text is due for purging. An operation's age is taken from its
    /// corrected time (see [`crate::timefix`]): a phone whose clock ran fast or slow neither keeps text
    /// for ever nor loses it early.
    pub fn is_due(&self, op: &Operation, now_ms: i64) -> bool {
        op.body.note().is_some() && op.at_ms() < self.cutoff_ms(now_ms)
    }

    /// The ids of the operations whose free text must be purged now.
    pub fn due<'a>(&self, ops: impl IntoIterator<Item = &'a Operation>, now_ms: i64) -> Vec<Uuid> {
        ops.into_iter()
            .filter(|op| self.is_due(op, now_ms))
            .map(|op| op.id)
            .collect()
    }
}

/// The operation as it is kept after purging: everything but its free text.
pub fn purged(op: &Operation) -> Operation {
    Operation {
        body: op.body.without_note(),
        ..op.clone()
    }
}
