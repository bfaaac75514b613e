//! Handovers on the phone: the ones the next shift of a role has not read yet, all of them for the
//! manager, and handing one over (which ends this phone's shift). A read mark is this phone's own,
//! kept beside the synced handover and never sent.

use rusqlite::params;
use torgkoll_shared::{HandedOver, Handover, OpBody, Operation, Role};
use uuid::Uuid;

use super::{Result, Store, StoreError};

/// A handover as the UI shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoverView {
    pub handover: HandedOver,
    /// Made on this phone (by the person before, on a phone shared between shifts, or by this one).
    pub mine: bool,
    /// When it was marked read on this phone.
    pub read_ms: Option<i64>,
}

fn view(r: &rusqlite::Row<'_>) -> rusqlite::Result<HandoverView> {
    let state: String = r.get(0)?;
    let handover = serde_json::from_str(&state).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(HandoverView {
        handover,
        mine: r.get(1)?,
        read_ms: r.get(2)?,
    })
}

impl Store {
    /// The handovers of `role` not read on this phone, newest first.
    pub fn unread_handovers(&self, role: Role) -> Result<Vec<HandoverView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, mine, read_ms FROM handovers WHERE role = ?1 AND read_ms IS NULL
             ORDER BY made_ms DESC",
        )?;
        Ok(stmt
            .query_map([role.code()], view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The newest `limit` handovers of every role (what the manager sees), newest first.
    pub fn handovers(&self, limit: usize) -> Result<Vec<HandoverView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, mine, read_ms FROM handovers ORDER BY made_ms DESC LIMIT ?1",
        )?;
        Ok(stmt
            .query_map([limit as i64], view)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Marks a handover read on this phone. Reading it again changes nothing.
    pub fn mark_handover_read(&self, id: Uuid, now_ms: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE handovers SET read_ms = ?2 WHERE id = ?1 AND read_ms IS NULL",
            params![id, now_ms],
        )?;
        Ok(())
    }

    /// Hands the current shift over: records the handover and ends the shift, in that order (a handover
    /// saved and a shift still open is harmless; the reverse would lose the shift's start).
    pub fn hand_over(
        &mut self,
        note: Option<String>,
        summary: torgkoll_shared::HandoverSummary,
        now_ms: i64,
    ) -> Result<Operation> {
        let shift = self.shift()?.ok_or(StoreError::NoShift)?;
        let op = self.record(
            OpBody::Handover(Handover {
                shift_from: shift.start_ms,
                note,
                summary,
            }),
            now_ms,
        )?;
        self.end_shift()?;
        Ok(op)
    }
}
