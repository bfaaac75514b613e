//! The shift on this phone: when it began, and the order of the cleaning categories for its duration.
//!
//! A shift starts when the person says so, or by itself at the first report after six hours of quiet;
//! it ends with a handover. The category buttons show this phone's most-used categories first (its own
//! counts, taken when the shift starts, so the buttons do not move under a gloved finger mid-shift).
//! Kept in `meta`: it is this phone's, not synced.

use rusqlite::OptionalExtension;
use torgkoll_shared::CleaningCategory;

use super::{Result, Store, get_meta, set_meta};

/// After this much quiet, the next report starts a new shift.
pub const QUIET_MS: i64 = 6 * 3_600_000;

/// The categories on the home screen in the order they are asked for most, before a phone has its own.
pub const DEFAULT_ORDER: [CleaningCategory; 12] = [
    CleaningCategory::Fimpar,
    CleaningCategory::Nedskrapning,
    CleaningCategory::Glaskross,
    CleaningCategory::Kanyler,
    CleaningCategory::Klotter,
    CleaningCategory::Spyor,
    CleaningCategory::OverfullPapperskorg,
    CleaningCategory::Annat,
    CleaningCategory::Snus,
    CleaningCategory::Tuggummi,
    CleaningCategory::Plast,
    CleaningCategory::Skadegorelse,
];

/// A shift as this phone keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    pub start_ms: i64,
    /// Every cleaning category, this phone's most used first.
    pub categories: Vec<CleaningCategory>,
}

impl Store {
    /// The current shift, if one has started and not been handed over.
    pub fn shift(&self) -> Result<Option<Shift>> {
        let Some(start) = get_meta(&self.conn, "shift.start_ms")?.and_then(|v| v.parse().ok())
        else {
            return Ok(None);
        };
        let categories = get_meta(&self.conn, "shift.categories")?
            .map(|v| {
                v.split(',')
                    .filter_map(CleaningCategory::from_code)
                    .collect::<Vec<_>>()
            })
            .filter(|c| c.len() == DEFAULT_ORDER.len())
            .unwrap_or_else(|| DEFAULT_ORDER.to_vec());
        Ok(Some(Shift {
            start_ms: start,
            categories,
        }))
    }

    /// Starts a shift now, with the categories in this phone's order.
    pub fn start_shift(&self, now_ms: i64) -> Result<Shift> {
        let categories = self.category_order()?;
        let codes: Vec<&str> = categories.iter().map(|c| c.code()).collect();
        set_meta(&self.conn, "shift.start_ms", &now_ms.to_string())?;
        set_meta(&self.conn, "shift.categories", &codes.join(","))?;
        Ok(Shift {
            start_ms: now_ms,
            categories,
        })
    }

    /// Ends the shift (after its handover).
    pub fn end_shift(&self) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key LIKE 'shift.%'", [])?;
        Ok(())
    }

    /// The shift a report made now belongs to: the current one, or a new one when there is none or this
    /// phone has been quiet for six hours.
    pub fn ensure_shift(&self, now_ms: i64) -> Result<Shift> {
        // A device's operations are numbered in the order it made them: the last is the latest.
        let last_own: Option<i64> = match self.device() {
            Some(me) => self
                .conn
                .prepare_cached(
                    "SELECT wall_ms FROM oplog WHERE device = ?1 ORDER BY seq DESC LIMIT 1",
                )?
                .query_row([me], |r| r.get(0))
                .optional()?,
            None => None,
        };
        match self.shift()? {
            // Quiet since the last report, or since the shift was started by hand.
            Some(s)
                if now_ms.saturating_sub(last_own.unwrap_or(s.start_ms).max(s.start_ms))
                    < QUIET_MS =>
            {
                Ok(s)
            }
            _ => self.start_shift(now_ms),
        }
    }

    /// Every cleaning category, the ones this phone reported most first (ties and unused ones in the
    /// default order).
    pub fn category_order(&self) -> Result<Vec<CleaningCategory>> {
        let mut counts: Vec<(CleaningCategory, i64)> =
            DEFAULT_ORDER.iter().map(|c| (*c, 0)).collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT json_extract(body, '$.cat'), COUNT(*) FROM oplog
             WHERE local = 1 AND kind = 'clean' GROUP BY 1",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (code, n) = row?;
            if let Some(c) = code.as_deref().and_then(CleaningCategory::from_code)
                && let Some(e) = counts.iter_mut().find(|(k, _)| *k == c)
            {
                e.1 = n;
            }
        }
        // A stable sort keeps the default order among equal counts.
        counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        Ok(counts.into_iter().map(|(c, _)| c).collect())
    }
}
