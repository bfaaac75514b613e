//! The fold: current state from a set of operations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::op::{OpBody, Operation};
use crate::report::{Details, Origin, Report, ReportBody, Resolution, Run, lww_set};

/// The state of the whole site: every report and every machine run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub reports: BTreeMap<Uuid, Report>,
    pub runs: BTreeMap<Uuid, Run>,
}

impl State {
    /// Folds operations in any order; duplicates count once.
    pub fn fold<'a>(ops: impl IntoIterator<Item = &'a Operation>) -> State {
        let mut s = State::default();
        for op in ops {
            s.apply(op);
        }
        s
    }

    /// Applies one operation. Commutative and idempotent.
    pub fn apply(&mut self, op: &Operation) {
        match &op.body {
            OpBody::RunStart { .. } | OpBody::RunPoints { .. } | OpBody::RunStop { .. } => {
                let id = op.body.target().unwrap_or(op.id);
                apply_to_run(self.runs.entry(id).or_insert_with(|| Run::new(id)), op);
            }
            OpBody::CleanRequest { from, .. } => {
                let from = *from;
                apply_to_report(
                    self.reports
                        .entry(op.id)
                        .or_insert_with(|| Report::new(op.id)),
                    op,
                );
                let d = self
                    .reports
                    .entry(from)
                    .or_insert_with(|| Report::new(from));
                d.tasks.insert(op.id);
                d.touch(op.stamp());
            }
            _ => {
                let id = op.body.target().unwrap_or(op.id);
                apply_to_report(
                    self.reports.entry(id).or_insert_with(|| Report::new(id)),
                    op,
                );
            }
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

/// Applies an operation to the report it creates or targets. Also the phone's materialized view uses this.
pub fn apply_to_report(r: &mut Report, op: &Operation) {
    let stamp = op.stamp();
    r.touch(stamp);
    match &op.body {
        OpBody::Clean(c) => {
            if set_origin(&mut r.origin, op) {
                r.body = Some(ReportBody::Cleaning {
                    report: c.clone(),
                    requested_from: None,
                });
            }
        }
        OpBody::CleanRequest { from, task } => {
            if set_origin(&mut r.origin, op) {
                r.body = Some(ReportBody::Cleaning {
                    report: task.clone(),
                    requested_from: Some(*from),
                });
            }
        }
        OpBody::Disturbance(d) => {
            if set_origin(&mut r.origin, op) {
                r.body = Some(ReportBody::Disturbance(d.clone()));
            }
        }
        OpBody::Details { amount, note, .. } => {
            lww_set(
                &mut r.details,
                Details {
                    amount: *amount,
                    note: note.clone(),
                },
                stamp,
            );
        }
        OpBody::Resolve { .. } => lww_set(&mut r.resolution, Resolution::Resolved, stamp),
        OpBody::StillThere { .. } => {
            lww_set(&mut r.resolution, Resolution::Open, stamp);
            r.still_there.insert(stamp);
        }
        OpBody::Review { .. } => r.reviewed = r.reviewed.max(Some(stamp)),
        OpBody::Reclassify { to, .. } => lww_set(&mut r.classification, *to, stamp),
        OpBody::Duplicate { of, .. } => lww_set(&mut r.duplicate_of, *of, stamp),
        OpBody::Withdraw { .. } => r.withdrawn = r.withdrawn.max(Some(stamp)),
        OpBody::RunStart { .. } | OpBody::RunPoints { .. } | OpBody::RunStop { .. } => {}
    }
}

/// Applies an operation to the machine run it starts or targets.
pub fn apply_to_run(run: &mut Run, op: &Operation) {
    match &op.body {
        OpBody::RunStart {
            kind,
            machine,
            started,
        } => {
            if set_origin(&mut run.origin, op) {
                run.kind = Some(*kind);
                run.machine = Some(machine.clone());
                run.started_ms = Some(*started);
            }
        }
        OpBody::RunPoints { points, .. } => {
            run.chunks.insert(op.id, points.clone());
        }
        OpBody::RunStop { stopped, .. } => lww_set(&mut run.stopped_ms, *stopped, op.stamp()),
        _ => {}
    }
}

/// What an operation touches, so a store can load just those rows, apply, and write them back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touches {
    Reports(Vec<Uuid>),
    Run(Uuid),
}

pub fn touches(op: &Operation) -> Touches {
    match &op.body {
        OpBody::RunStart { .. } | OpBody::RunPoints { .. } | OpBody::RunStop { .. } => {
            Touches::Run(op.body.target().unwrap_or(op.id))
        }
        OpBody::CleanRequest { from, .. } => Touches::Reports(vec![op.id, *from]),
        body => Touches::Reports(vec![body.target().unwrap_or(op.id)]),
    }
}
