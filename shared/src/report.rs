//! The current state of one report or one machine run, as a join of everything done to it.
//!
//! Every field is either set once by the creating operation, a last-writer-wins register ordered by
//! [`Stamp`], or a grow-only set. Applying an operation is therefore commutative, associative and
//! idempotent: any order of the same operations, with any duplicates, gives the same state.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::op::{Classification, CleaningReport, DisturbanceReport, Stamp, TrackPoint};
use crate::vocab::{Amount, MachineKind, Role};

/// A value with the stamp of the operation that set it; a later stamp replaces it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lww<T> {
    pub value: T,
    pub stamp: Stamp,
}

/// Sets the register to `value` if `stamp` is later than what it holds.
pub fn lww_set<T>(reg: &mut Option<Lww<T>>, value: T, stamp: Stamp) {
    if reg.as_ref().is_none_or(|r| stamp > r.stamp) {
        *reg = Some(Lww { value, stamp });
    }
}

/// Who made something, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    pub stamp: Stamp,
    pub wall_ms: i64,
    pub role: Role,
}

/// What a report is, as created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportBody {
    Cleaning {
        #[serde(flatten)]
        report: CleaningReport,
        /// The disturbance this cleaning task was asked for from, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requested_from: Option<Uuid>,
    },
    Disturbance(DisturbanceReport),
}

/// Open or resolved; still-there reopens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Open,
    Resolved,
}

/// What a report shows as its status, all things considered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Resolved,
    Duplicate,
    Withdrawn,
}

/// Amount and note added after the report was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Details {
    pub amount: Option<Amount>,
    pub note: Option<String>,
}

/// A report's current state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: Uuid,
    /// `None` until the creating operation has been seen.
    pub origin: Option<Origin>,
    pub body: Option<ReportBody>,
    pub resolution: Option<Lww<Resolution>>,
    pub reviewed: Option<Stamp>,
    pub classification: Option<Lww<Classification>>,
    pub details: Option<Lww<Details>>,
    pub duplicate_of: Option<Lww<Uuid>>,
    pub withdrawn: Option<Stamp>,
    /// The still-there operations: each counts once, however often it arrives.
    pub still_there: BTreeSet<Stamp>,
    /// Cleaning tasks asked for from this (disturbance) report.
    pub tasks: BTreeSet<Uuid>,
    /// The latest stamp of anything done to it.
    pub last_change: Option<Stamp>,
}

impl Report {
    pub fn new(id: Uuid) -> Self {
        Report {
            id,
            ..Default::default()
        }
    }

    /// Whether the creating operation has been seen (only then is there anything to show).
    pub fn is_known(&self) -> bool {
        self.body.is_some()
    }

    pub fn status(&self) -> Status {
        if self.withdrawn.is_some() {
            Status::Withdrawn
        } else if self.duplicate_of.is_some() {
            Status::Duplicate
        } else if matches!(
            self.resolution,
            Some(Lww {
                value: Resolution::Resolved,
                ..
            })
        ) {
            Status::Resolved
        } else {
            Status::Open
        }
    }

    /// The category, after any reclassification.
    pub fn classification(&self) -> Option<Classification> {
        if let Some(c) = &self.classification {
            return Some(c.value);
        }
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => Some(Classification::Cleaning(report.category)),
            ReportBody::Disturbance(d) => Some(Classification::Disturbance(d.category)),
        }
    }

    pub fn amount(&self) -> Option<Amount> {
        if let Some(amount) = self.details.as_ref().and_then(|d| d.value.amount) {
            return Some(amount);
        }
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => report.amount,
            ReportBody::Disturbance(_) => None,
        }
    }

    pub fn note(&self) -> Option<&str> {
        if let Some(n) = self.details.as_ref().and_then(|d| d.value.note.as_deref()) {
            return Some(n);
        }
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => report.note.as_deref(),
            ReportBody::Disturbance(d) => d.note.as_deref(),
        }
    }

    pub fn at(&self) -> Option<crate::GeoPoint> {
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => Some(report.at),
            ReportBody::Disturbance(d) => Some(d.at),
        }
    }

    /// How many times it was reported: once, plus every still-there.
    pub fn count(&self) -> usize {
        1 + self.still_there.len()
    }

    pub(crate) fn touch(&mut self, stamp: Stamp) {
        if self.last_change.is_none_or(|s| stamp > s) {
            self.last_change = Some(stamp);
        }
    }
}

/// A machine run's current state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: Uuid,
    pub origin: Option<Origin>,
    pub kind: Option<MachineKind>,
    pub machine: Option<String>,
    pub started_ms: Option<i64>,
    pub stopped_ms: Option<Lww<i64>>,
    /// Path chunks, by the id of the operation that carried them.
    pub chunks: BTreeMap<Uuid, Vec<TrackPoint>>,
}

impl Run {
    pub fn new(id: Uuid) -> Self {
        Run {
            id,
            ..Default::default()
        }
    }

    pub fn is_running(&self) -> bool {
        self.stopped_ms.is_none()
    }

    /// The whole path in time order (ties broken by chunk, then position in it).
    pub fn path(&self) -> Vec<TrackPoint> {
        let mut pts: Vec<(i64, usize, TrackPoint)> = Vec::new();
        for (n, chunk) in self.chunks.values().enumerate() {
            for (i, p) in chunk.iter().enumerate() {
                pts.push((p.t, n * 1_000_000 + i, *p));
            }
        }
        pts.sort_by_key(|(t, k, _)| (*t, *k));
        pts.into_iter().map(|(_, _, p)| p).collect()
    }
}
