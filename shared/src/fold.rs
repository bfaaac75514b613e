//! The fold: current state from a set of operations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::handover::Handover;
use crate::op::{Amendment, OpBody, Operation, TrackPoint};
use crate::report::{Amended, Origin, Report, ReportBody, Resolution, Run, Taken, lww_set};

/// The state of the whole site: every report, every machine run and every shift handover.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub reports: BTreeMap<Uuid, Report>,
    pub runs: BTreeMap<Uuid, Run>,
    #[serde(default)]
    pub handovers: BTreeMap<Uuid, HandedOver>,
}

/// A handover as handed over: by whom (role and device) and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandedOver {
    pub id: Uuid,
    pub origin: Origin,
    pub handover: Handover,
}

impl State {
    /// Folds operations in any order; duplicates count once.
    ///
    /// Groups the operations by the report or run they touch first, so each one is built once and the
    /// maps are bulk-built from sorted keys.
    pub fn fold<'a>(ops: impl IntoIterator<Item = &'a Operation>) -> State {
        let mut keyed: Vec<(bool, Uuid, &Operation)> = Vec::new();
        let mut handovers = BTreeMap::new();
        for op in ops {
            match touches(op) {
                Touches::Run(id) => keyed.push((true, id, op)),
                t @ Touches::Reports(..) => keyed.extend(t.report_ids().map(|id| (false, id, op))),
                Touches::Handover(_) => apply_handover(&mut handovers, op),
            }
        }
        keyed.sort_unstable_by_key(|(run, id, _)| (*run, id.as_u128()));
        let mut reports = Vec::new();
        let mut runs = Vec::new();
        for group in keyed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let (is_run, id, _) = group[0];
            if is_run {
                let mut run = Run::new(id);
                group
                    .iter()
                    .for_each(|(_, _, op)| apply_to_run(&mut run, op));
                runs.push((id, run));
            } else {
                let mut r = Report::new(id);
                group
                    .iter()
                    .for_each(|(_, _, op)| apply_to_report(&mut r, op));
                reports.push((id, r));
            }
        }
        State {
            reports: reports.into_iter().collect(),
            runs: runs.into_iter().collect(),
            handovers,
        }
    }

    /// Applies one operation. Commutative and idempotent.
    pub fn apply(&mut self, op: &Operation) {
        match touches(op) {
            Touches::Run(id) => {
                apply_to_run(self.runs.entry(id).or_insert_with(|| Run::new(id)), op)
            }
            t @ Touches::Reports(..) => {
                for id in t.report_ids() {
                    apply_to_report(
                        self.reports.entry(id).or_insert_with(|| Report::new(id)),
                        op,
                    );
                }
            }
            Touches::Handover(_) => apply_handover(&mut self.handovers, op),
        }
    }

    /// Reports whose creation has been seen.
    pub fn known_reports(&self) -> impl Iterator<Item = &Report> {
        self.reports.values().filter(|r| r.is_known())
    }
}

fn origin(op: &Operation) -> Origin {
    Origin {
        stamp: op.stamp(),
        wall_ms: op.wall_ms,
        role: op.role,
    }
}

/// Sets the creating operation's facts. Op ids are unique, so only one operation creates a report; the
/// earliest stamp is kept should two ever claim the same id, to stay order-independent.
fn set_origin(slot: &mut Option<Origin>, op: &Operation) -> bool {
    if slot.as_ref().is_none_or(|o| op.stamp() <= o.stamp) {
        *slot = Some(origin(op));
        true
    } else {
        false
    }
}

/// Applies an operation to one report it touches (see [`touches`]): the one it creates or changes, or the
/// disturbance a cleaning request came from.
pub fn apply_to_report(r: &mut Report, op: &Operation) {
    let stamp = op.stamp();
    r.touch(stamp);
    match &op.body {
        OpBody::CleanRequest { from, .. } if *from == r.id && op.id != r.id => {
            r.tasks.insert(op.id);
        }
        OpBody::Clean(c) => {
            if set_origin(&mut r.origin, op) {
                r.body = Some(ReportBody::Cleaning {
                    report: c.clone(),
                    requested_from: None,
                    requested_by: None,
                });
            }
        }
        OpBody::CleanRequest { from, task, by } => {
            if set_origin(&mut r.origin, op) {
                r.body = Some(ReportBody::Cleaning {
                    report: task.clone(),
                    requested_from: Some(*from),
                    requested_by: by.clone(),
                });
            }
        }
        OpBody::Disturbance(d) => {
            if set_origin(&mut r.origin, op) {
                r.body = Some(ReportBody::Disturbance(d.clone()));
            }
        }
        OpBody::Details { amount, note, .. } => {
            let a = &mut r.amended;
            if let Some(v) = amount {
                lww_set(&mut a.amount, *v, stamp);
            }
            if let Some(v) = note {
                lww_set(&mut a.note, v.clone(), stamp);
            }
        }
        OpBody::Amend { change, .. } => amend(&mut r.amended, change, op),
        OpBody::Resolve { .. } => lww_set(&mut r.resolution, Resolution::Resolved, stamp),
        OpBody::StillThere { .. } => {
            lww_set(&mut r.resolution, Resolution::Open, stamp);
            r.still_there.insert(stamp);
        }
        OpBody::Review { .. } => r.reviewed = r.reviewed.max(Some(stamp)),
        OpBody::Reclassify { to, .. } => lww_set(&mut r.classification, *to, stamp),
        OpBody::Duplicate { of, .. } => lww_set(&mut r.duplicate_of, *of, stamp),
        OpBody::Withdraw { .. } => r.withdrawn = r.withdrawn.max(Some(stamp)),
        OpBody::Photo { photo, .. } => {
            r.photos.insert(photo.hash.clone(), photo.clone());
        }
        OpBody::Take { by, .. } => r.take(Taken {
            by: by.clone(),
            role: op.role,
            stamp,
        }),
        OpBody::RunStart { .. }
        | OpBody::RunPoints { .. }
        | OpBody::RunStop { .. }
        | OpBody::Handover(_) => {}
    }
}

/// Sets each field an amendment gives, last writer wins per field; its time moves with the operation's.
fn amend(a: &mut Amended, change: &Amendment, op: &Operation) {
    let stamp = op.stamp();
    if let Some(v) = change.level {
        lww_set(&mut a.level, v, stamp);
    }
    if let Some(v) = change.people {
        lww_set(&mut a.people, v, stamp);
    }
    if let Some(v) = &change.interventions {
        lww_set(&mut a.interventions, v.clone(), stamp);
    }
    if let Some(v) = &change.note {
        lww_set(&mut a.note, v.clone(), stamp);
    }
    if let Some(v) = change.amount {
        lww_set(&mut a.amount, v, stamp);
    }
    if let Some(v) = change.happened {
        lww_set(&mut a.happened, v.saturating_add(op.shift_ms()), stamp);
    }
}

/// Records a handover (made once; the earliest stamp is kept should two claim one id).
fn apply_handover(handovers: &mut BTreeMap<Uuid, HandedOver>, op: &Operation) {
    let OpBody::Handover(h) = &op.body else {
        return;
    };
    let mut h = h.clone();
    h.shift_from = h.shift_from.saturating_add(op.shift_ms());
    match handovers.get(&op.id) {
        Some(known) if known.origin.stamp <= op.stamp() => {}
        _ => {
            handovers.insert(
                op.id,
                HandedOver {
                    id: op.id,
                    origin: origin(op),
                    handover: h,
                },
            );
        }
    }
}

/// Applies an operation to the machine run it starts or targets.
///
/// The times inside the operation move with the server's correction of its time ([`Operation::shift_ms`]),
/// so a run from a phone with a wrong clock lies when it truly happened.
pub fn apply_to_run(run: &mut Run, op: &Operation) {
    let shift = op.shift_ms();
    match &op.body {
        OpBody::RunStart {
            kind,
            machine,
            started,
        } if set_origin(&mut run.origin, op) => {
            run.kind = Some(*kind);
            run.machine = Some(machine.clone());
            run.started_ms = Some(started.saturating_add(shift));
        }
        OpBody::RunPoints { points, .. } => {
            let moved = points
                .iter()
                .map(|p| TrackPoint {
                    t: p.t.saturating_add(shift),
                    ..*p
                })
                .collect();
            run.chunks.insert(op.id, moved);
        }
        OpBody::RunStop { stopped, .. } => lww_set(
            &mut run.stopped_ms,
            stopped.saturating_add(shift),
            op.stamp(),
        ),
        _ => {}
    }
}

/// What an operation touches, so a store can load just those rows, apply, and write them back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Touches {
    /// One report, and for a cleaning request also the disturbance it came from.
    Reports(Uuid, Option<Uuid>),
    Run(Uuid),
    Handover(Uuid),
}

impl Touches {
    /// Every report or run touched.
    pub fn ids(self) -> impl Iterator<Item = Uuid> {
        let other = match self {
            Touches::Run(id) | Touches::Handover(id) => Some(id),
            Touches::Reports(..) => None,
        };
        self.report_ids().chain(other)
    }

    /// The reports touched, the created or changed one first.
    pub fn report_ids(self) -> impl Iterator<Item = Uuid> {
        let (a, b) = match self {
            Touches::Reports(a, b) => (Some(a), b),
            Touches::Run(_) | Touches::Handover(_) => (None, None),
        };
        a.into_iter().chain(b)
    }
}

pub fn touches(op: &Operation) -> Touches {
    match &op.body {
        OpBody::RunStart { .. } | OpBody::RunPoints { .. } | OpBody::RunStop { .. } => {
            Touches::Run(op.body.target().unwrap_or(op.id))
        }
        OpBody::CleanRequest { from, .. } => Touches::Reports(op.id, Some(*from)),
        OpBody::Handover(_) => Touches::Handover(op.id),
        body => Touches::Reports(body.target().unwrap_or(op.id), None),
    }
}
