//! Operations: everything a person does, as immutable records. Current state is a fold of them (see `fold`).
//!
//! A report's id is the id of the operation that created it; a machine run's id is the id of its start.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geometry::GeoPoint;
use crate::handover::Handover;
use crate::hlc::Hlc;
use crate::photo::PhotoRef;
use crate::timefix::TimeFix;
use crate::vocab::{
    Amount, CleaningCategory, DisturbanceCategory, Intervention, MachineKind, Role,
};

/// One thing a person did on one device. Never changes once made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// A UUIDv7, made on the device.
    pub id: Uuid,
    /// The device that made it.
    pub device: Uuid,
    /// 1, 2, 3... per device, with no gaps.
    pub seq: u64,
    /// Hybrid logical clock: orders racing changes.
    pub hlc: Hlc,
    /// The device's wall clock in ms since the epoch, as the phone said.
    pub wall_ms: i64,
    /// The role of the author when it was made.
    pub role: Role,
    pub body: OpBody,
    /// The server's correction of its time and clock, once accepted (`None`: the phone's stand, or not
    /// yet synced). See [`crate::timefix`].
    pub fix: Option<TimeFix>,
}

/// Which way a report or run is ordered among racing changes: the later (effective) clock wins, the
/// device id breaks ties, then the operation id (unique). It also says when the change happened (`at`,
/// the corrected time), which never decides the order: the operation id before it is unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub device: Uuid,
    pub op: Uuid,
    /// The corrected time of the operation (ms since the epoch).
    #[serde(default)]
    pub at: i64,
}

impl Operation {
    pub fn stamp(&self) -> Stamp {
        Stamp {
            hlc: self.clock(),
            device: self.device,
            op: self.id,
            at: self.at_ms(),
        }
    }

    /// When it happened: the server's corrected time, or the phone's wall time where it stands.
    pub fn at_ms(&self) -> i64 {
        self.fix.map_or(self.wall_ms, |f| f.at)
    }

    /// The clock it races with: the server's effective clock, or its own.
    pub fn clock(&self) -> Hlc {
        self.fix.map_or(self.hlc, |f| f.hlc)
    }

    /// How far the server moved its time; the times inside it (a run's start, stop and points) move with
    /// it. Both ends are possible times once validated, so this cannot overflow.
    pub fn shift_ms(&self) -> i64 {
        self.at_ms().saturating_sub(self.wall_ms)
    }
}

/// A point of a machine's path, with its time and, when it came from a positioning system, its accuracy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackPoint {
    pub at: GeoPoint,
    /// Wall time in ms since the epoch.
    pub t: i64,
    /// Horizontal accuracy in metres; `None` for a point tapped on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acc: Option<f32>,
}

/// A cleaning observation (städ).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CleaningReport {
    #[serde(rename = "cat")]
    pub category: CleaningCategory,
    #[serde(rename = "amt", default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub at: GeoPoint,
    /// Accuracy in metres when the position came from a positioning system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acc: Option<f32>,
}

/// A disturbance (ordningsvakt). Counts and categories only: no identities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisturbanceReport {
    #[serde(rename = "cat")]
    pub category: DisturbanceCategory,
    /// 1 akut, 2 uppmärksamma, 3 rutin.
    pub level: u8,
    /// How many people were involved.
    pub people: u16,
    /// Interventions and how many of each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub interventions: BTreeMap<Intervention, u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub at: GeoPoint,
    /// When it happened, if before it was saved (the phone's wall clock, ms): guards log after the fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub happened: Option<i64>,
}

/// What an amendment changes: each field given is set, last writer wins per field; the rest stay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Amendment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<u16>,
    /// The interventions as they now are (the whole set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interventions: Option<BTreeMap<Intervention, u16>>,
    /// The note as it now is; empty removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(rename = "amt", default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// When it happened (the phone's wall clock, ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub happened: Option<i64>,
}

impl Amendment {
    pub fn is_empty(&self) -> bool {
        *self == Amendment::default()
    }

    /// Whether it changes something only a disturbance has.
    pub fn touches_disturbance_fields(&self) -> bool {
        self.level.is_some()
            || self.people.is_some()
            || self.interventions.is_some()
            || self.happened.is_some()
    }
}

/// A report's category, whichever its kind: what a reclassification sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Cleaning(CleaningCategory),
    Disturbance(DisturbanceCategory),
}

/// What an operation does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum OpBody {
    /// A new cleaning report; its id is the operation's.
    Clean(CleaningReport),
    /// A cleaning task asked for by a guard (or manager) from a disturbance; its id is the operation's.
    CleanRequest {
        from: Uuid,
        #[serde(flatten)]
        task: CleaningReport,
        /// Who asked: the requester's device name as enrolled (not a person's name; absent in
        /// operations made before it existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// A new disturbance report; its id is the operation's.
    Disturbance(DisturbanceReport),
    /// Amount and note added after a quick report. Only the author's device. (The app now sends
    /// `Amend`; this stays for operations already made.)
    Details {
        report: Uuid,
        #[serde(rename = "amt", default, skip_serializing_if = "Option::is_none")]
        amount: Option<Amount>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Cleaned / resolved.
    Resolve { report: Uuid },
    /// Still there (+1): the report is open again and counted once more.
    StillThere { report: Uuid },
    /// Seen by the platsansvarig.
    Review { report: Uuid },
    /// A new category, set by the platsansvarig.
    Reclassify { report: Uuid, to: Classification },
    /// The same thing as another report, set by the platsansvarig.
    Duplicate { report: Uuid, of: Uuid },
    /// Undone within seconds by its author: withdrawn from every map.
    Withdraw { report: Uuid },
    /// A machine run started; its id is the operation's.
    RunStart {
        kind: MachineKind,
        machine: String,
        started: i64,
    },
    /// A chunk of a run's path.
    RunPoints { run: Uuid, points: Vec<TrackPoint> },
    /// A machine run stopped.
    RunStop { run: Uuid, stopped: i64 },
    /// A report changed by its author after it was saved: each field folds last writer wins.
    Amend {
        report: Uuid,
        #[serde(flatten)]
        change: Amendment,
    },
    /// What a shift hands over to the next shift of the same role; its id is the operation's.
    Handover(Handover),
    /// A photo attached to a report; the bytes follow in a separate upload (see `photo`).
    Photo {
        report: Uuid,
        #[serde(flatten)]
        photo: PhotoRef,
    },
    /// "Jag tar det": someone takes a level-1 disturbance or a cleaning task, so the others know it is
    /// being handled. `by` is the taker's device name as enrolled; the earliest take wins.
    Take { report: Uuid, by: String },
}

/// The two families of data, which decide who may see an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Cleaning,
    Disturbance,
}

impl OpBody {
    /// The report this operation is about, if it changes one that exists already.
    pub fn target(&self) -> Option<Uuid> {
        match self {
            OpBody::Details { report, .. }
            | OpBody::Amend { report, .. }
            | OpBody::Resolve { report }
            | OpBody::StillThere { report }
            | OpBody::Review { report }
            | OpBody::Reclassify { report, .. }
            | OpBody::Duplicate { report, .. }
            | OpBody::Withdraw { report }
            | OpBody::Photo { report, .. }
            | OpBody::Take { report, .. } => Some(*report),
            OpBody::RunPoints { run, .. } | OpBody::RunStop { run, .. } => Some(*run),
            _ => None,
        }
    }

    /// The short name of the operation, as on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            OpBody::Clean(_) => "clean",
            OpBody::CleanRequest { .. } => "clean_request",
            OpBody::Disturbance(_) => "disturbance",
            OpBody::Details { .. } => "details",
            OpBody::Resolve { .. } => "resolve",
            OpBody::StillThere { .. } => "still_there",
            OpBody::Review { .. } => "review",
            OpBody::Reclassify { .. } => "reclassify",
            OpBody::Duplicate { .. } => "duplicate",
            OpBody::Withdraw { .. } => "withdraw",
            OpBody::RunStart { .. } => "run_start",
            OpBody::RunPoints { .. } => "run_points",
            OpBody::RunStop { .. } => "run_stop",
            OpBody::Amend { .. } => "amend",
            OpBody::Handover(_) => "handover",
            OpBody::Photo { .. } => "photo",
            OpBody::Take { .. } => "take",
        }
    }

    /// The photo this operation attaches, if any.
    pub fn photo(&self) -> Option<&PhotoRef> {
        match self {
            OpBody::Photo { photo, .. } => Some(photo),
            _ => None,
        }
    }

    /// The free text this operation carries, if any.
    pub fn note(&self) -> Option<&str> {
        match self {
            OpBody::Clean(c) | OpBody::CleanRequest { task: c, .. } => c.note.as_deref(),
            OpBody::Disturbance(d) => d.note.as_deref(),
            OpBody::Details { note, .. } => note.as_deref(),
            OpBody::Amend { change, .. } => change.note.as_deref(),
            OpBody::Handover(h) => h.note.as_deref(),
            _ => None,
        }
    }

    /// The same operation without its free text (for retention purges and exports).
    pub fn without_note(&self) -> OpBody {
        let mut b = self.clone();
        match &mut b {
            OpBody::Clean(c) | OpBody::CleanRequest { task: c, .. } => c.note = None,
            OpBody::Disturbance(d) => d.note = None,
            OpBody::Details { note, .. } => *note = None,
            OpBody::Amend { change, .. } => change.note = None,
            OpBody::Handover(h) => h.note = None,
            _ => {}
        }
        b
    }
}
