//! The current state of one report or one machine run, as a join of everything done to it.
//!
//! Every field is either set once by the creating operation, a last-writer-wins register ordered by
//! [`Stamp`], or a grow-only set. Applying an operation is therefore commutative, associative and
//! idempotent: any order of the same operations, with any duplicates, gives the same state.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::op::{Classification, CleaningReport, DisturbanceReport, Stamp, TrackPoint};
use crate::photo::PhotoRef;
use crate::vocab::{Amount, Intervention, MachineKind, Role};

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
        /// Who asked for the task: the requester's device name, when the request said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requested_by: Option<String>,
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

impl Status {
    /// Its serde name: what the phone's `status` column and the exports hold.
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
            Status::Duplicate => "duplicate",
            Status::Withdrawn => "withdrawn",
        }
    }
}

/// What the author changed after the report was saved, field by field (each a last-writer-wins
/// register): `Details` and `Amend` operations. A time here is already corrected (see `timefix`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Amended {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Lww<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<Lww<u16>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interventions: Option<Lww<BTreeMap<Intervention, u16>>>,
    /// Empty: the note was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Lww<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Lww<Amount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub happened: Option<Lww<i64>>,
}

/// Who took a report ("Jag tar det"), and when: the earliest `Take` by [`Stamp`], so every phone shows the
/// same taker whatever order the takes arrive in. The stamp holds the taker's device and the corrected
/// time of the take (`stamp.at`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Taken {
    /// The taker's device name as enrolled.
    pub by: String,
    pub role: Role,
    pub stamp: Stamp,
}

impl Taken {
    /// When it was taken (corrected time, ms since the epoch).
    pub fn at(&self) -> i64 {
        self.stamp.at
    }

    /// The device that took it.
    pub fn device(&self) -> Uuid {
        self.stamp.device
    }
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
    #[serde(default)]
    pub amended: Amended,
    pub duplicate_of: Option<Lww<Uuid>>,
    pub withdrawn: Option<Stamp>,
    /// The still-there operations: each counts once, however often it arrives.
    pub still_there: BTreeSet<Stamp>,
    /// Cleaning tasks asked for from this (disturbance) report.
    pub tasks: BTreeSet<Uuid>,
    /// Photos attached to it, by hash: a grow-only set (the same photo twice is one).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub photos: BTreeMap<String, PhotoRef>,
    /// Who took it ("Jag tar det"), the earliest take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken: Option<Taken>,
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

    /// When it stopped being open (resolved, marked a duplicate or withdrawn), as it now stands.
    pub fn closed_ms(&self) -> Option<i64> {
        match self.status() {
            Status::Open => None,
            Status::Withdrawn => self.withdrawn.map(|s| s.at),
            Status::Duplicate => self.duplicate_of.as_ref().map(|d| d.stamp.at),
            Status::Resolved => self.resolution.as_ref().map(|r| r.stamp.at),
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
        if let Some(a) = &self.amended.amount {
            return Some(a.value);
        }
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => report.amount,
            ReportBody::Disturbance(_) => None,
        }
    }

    /// The note as it now is (an amendment may have changed or removed it).
    pub fn note(&self) -> Option<&str> {
        if let Some(n) = &self.amended.note {
            return Some(n.value.as_str()).filter(|n| !n.is_empty());
        }
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => report.note.as_deref(),
            ReportBody::Disturbance(d) => d.note.as_deref(),
        }
    }

    fn disturbance(&self) -> Option<&crate::op::DisturbanceReport> {
        match self.body.as_ref()? {
            ReportBody::Disturbance(d) => Some(d),
            ReportBody::Cleaning { .. } => None,
        }
    }

    /// A disturbance's level as it now is.
    pub fn level(&self) -> Option<u8> {
        let d = self.disturbance()?;
        Some(self.amended.level.as_ref().map_or(d.level, |l| l.value))
    }

    /// How many people a disturbance involved, as it now is.
    pub fn people(&self) -> Option<u16> {
        let d = self.disturbance()?;
        Some(self.amended.people.as_ref().map_or(d.people, |l| l.value))
    }

    /// A disturbance's interventions as they now are.
    pub fn interventions(&self) -> Option<&BTreeMap<Intervention, u16>> {
        let d = self.disturbance()?;
        Some(
            self.amended
                .interventions
                .as_ref()
                .map_or(&d.interventions, |l| &l.value),
        )
    }

    /// When it happened, if its author said (corrected like every time an operation carries).
    pub fn happened_ms(&self) -> Option<i64> {
        if let Some(h) = &self.amended.happened {
            return Some(h.value);
        }
        let said = self.disturbance()?.happened?;
        let o = self.origin.as_ref()?;
        Some(said.saturating_add(o.stamp.at.saturating_sub(o.wall_ms)))
    }

    /// When it happened: the time its author gave, else when it was made (both corrected).
    pub fn when_ms(&self) -> Option<i64> {
        self.happened_ms()
            .or_else(|| self.origin.as_ref().map(|o| o.stamp.at))
    }

    pub fn at(&self) -> Option<crate::GeoPoint> {
        match self.body.as_ref()? {
            ReportBody::Cleaning { report, .. } => Some(report.at),
            ReportBody::Disturbance(d) => Some(d.at),
        }
    }

    /// Whether it is a cleaning task (asked for from a disturbance).
    pub fn is_task(&self) -> bool {
        matches!(
            self.body,
            Some(ReportBody::Cleaning {
                requested_from: Some(_),
                ..
            })
        )
    }

    /// Who asked for a cleaning task, when the request said.
    pub fn requested_by(&self) -> Option<&str> {
        match self.body.as_ref()? {
            ReportBody::Cleaning { requested_by, .. } => requested_by.as_deref(),
            ReportBody::Disturbance(_) => None,
        }
    }

    /// Takes it for `taken` if that take is earlier than the one it holds (or it holds none).
    pub(crate) fn take(&mut self, taken: Taken) {
        if self.taken.as_ref().is_none_or(|t| taken.stamp < t.stamp) {
            self.taken = Some(taken);
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
