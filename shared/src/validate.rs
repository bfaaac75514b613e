//! Validation: whether an operation may be accepted, with reasons a person can read.
//!
//! What can be checked from the operation alone is checked here; what needs the store (does the report
//! exist, whose is it) comes in through [`Lookup`], so this stays pure.

use thiserror::Error;
use uuid::Uuid;

use crate::geometry::GeoPoint;
use crate::op::{Classification, Domain, OpBody, Operation};
use crate::site::{OutsideSite, Site};
use crate::timefix::{MAX_INNER_APART_MS, is_possible};
use crate::vocab::Role;

/// The longest free text allowed, in characters.
pub const MAX_NOTE_CHARS: usize = 280;
/// The most people one disturbance may count.
pub const MAX_PEOPLE: u16 = 500;
/// The most of one intervention one disturbance may count.
pub const MAX_INTERVENTIONS: u16 = 100;
/// The most points one path chunk may carry.
pub const MAX_CHUNK_POINTS: usize = 2_000;
/// How far off the site a path point may lie, in metres.
pub const PATH_TOLERANCE_M: f64 = 25.0;
/// The longest machine name.
pub const MAX_MACHINE_CHARS: usize = 40;

/// Why an operation cannot be accepted.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum Invalid {
    #[error("the note is {0} characters long; at most 280 are allowed")]
    NoteTooLong(usize),
    #[error("the level must be 1, 2 or 3, not {0}")]
    Level(u8),
    #[error("the number of people must be between 1 and {MAX_PEOPLE}, not {0}")]
    People(u16),
    #[error("an intervention count must be between 1 and {MAX_INTERVENTIONS}, not {0}")]
    InterventionCount(u16),
    #[error(transparent)]
    Outside(#[from] OutsideSite),
    #[error("the position is not a number")]
    NotANumber,
    #[error("a {role} may not {action}")]
    NotAllowed {
        role: &'static str,
        action: &'static str,
    },
    #[error("there is no report or run {0}")]
    UnknownTarget(Uuid),
    #[error("only the device that made report {0} may change its details or withdraw it")]
    NotAuthor(Uuid),
    #[error("a cleaning category cannot be given to a disturbance, nor the other way round")]
    WrongKind,
    #[error("the machine name must be 1 to {MAX_MACHINE_CHARS} characters")]
    MachineName,
    #[error("a path chunk must have 1 to {MAX_CHUNK_POINTS} points")]
    ChunkSize,
    #[error("the run stops before it starts")]
    StopBeforeStart,
    #[error("a report cannot be a duplicate of itself")]
    SelfDuplicate,
    #[error("the {what} ({ms} ms after 1970-01-01) is not a possible time")]
    ImpossibleTime { what: &'static str, ms: i64 },
    #[error("the {what} is {hours} hours away from the operation's own time")]
    TimesApart { what: &'static str, hours: i64 },
    #[error("could not read the operation: {0}")]
    Malformed(String),
}

/// What the validator needs to know about existing reports and runs.
pub trait Lookup {
    /// The domain and the creating device of a report or run, if it is known.
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)>;
    /// The start time of a run, if known.
    fn run_started(&self, _id: Uuid) -> Option<i64> {
        None
    }
}

/// A lookup that knows nothing: for operations that target nothing.
#[derive(Debug)]
pub struct NoLookup;

impl Lookup for NoLookup {
    fn target(&self, _id: Uuid) -> Option<(Domain, Uuid)> {
        None
    }
}

fn note_ok(note: &Option<String>) -> Result<(), Invalid> {
    match note {
        Some(n) if n.chars().count() > MAX_NOTE_CHARS => {
            Err(Invalid::NoteTooLong(n.chars().count()))
        }
        _ => Ok(()),
    }
}

fn on_site(site: &Site, p: GeoPoint) -> Result<(), Invalid> {
    if !p.is_finite() {
        return Err(Invalid::NotANumber);
    }
    site.locate(p).map(|_| ()).map_err(Invalid::from)
}

/// A time inside an operation must be possible and near the operation's own wall time (`wall`, checked
/// first), so the server's correction of the operation moves it to a possible time too.
fn inner_time_ok(what: &'static str, t: i64, wall: i64) -> Result<(), Invalid> {
    if !is_possible(t) {
        return Err(Invalid::ImpossibleTime { what, ms: t });
    }
    let apart = (t - wall).abs();
    if apart > MAX_INNER_APART_MS {
        return Err(Invalid::TimesApart {
            what,
            hours: apart / 3_600_000,
        });
    }
    Ok(())
}

fn deny(role: Role, action: &'static str) -> Invalid {
    Invalid::NotAllowed {
        role: role.label(crate::Lang::En),
        action,
    }
}

/// The domain an operation belongs to, which decides who may see it.
pub fn domain_of(op: &Operation, lookup: &dyn Lookup) -> Result<Domain, Invalid> {
    match &op.body {
        OpBody::Disturbance(_) => Ok(Domain::Disturbance),
        OpBody::Clean(_) | OpBody::CleanRequest { .. } | OpBody::RunStart { .. } => {
            Ok(Domain::Cleaning)
        }
        body => {
            let id = body.target().expect("other operations target something");
            lookup
                .target(id)
                .map(|(d, _)| d)
                .ok_or(Invalid::UnknownTarget(id))
        }
    }
}

/// Checks an operation made by `op.role` against the site and the known reports; on success returns the
/// domain it belongs to.
pub fn validate(op: &Operation, site: &Site, lookup: &dyn Lookup) -> Result<Domain, Invalid> {
    let role = op.role;
    if !is_possible(op.wall_ms) {
        return Err(Invalid::ImpossibleTime {
            what: "wall time",
            ms: op.wall_ms,
        });
    }
    let domain = domain_of(op, lookup)?;
    let author_of = |id: Uuid| lookup.target(id).map(|(_, dev)| dev);
    match &op.body {
        OpBody::Clean(c) => {
            note_ok(&c.note)?;
            on_site(site, c.at)?;
        }
        OpBody::CleanRequest { from, task } => {
            if role == Role::Cleaner {
                return Err(deny(role, "request cleaning from a disturbance"));
            }
            if lookup.target(*from).map(|(d, _)| d) != Some(Domain::Disturbance) {
                return Err(Invalid::UnknownTarget(*from));
            }
            note_ok(&task.note)?;
            on_site(site, task.at)?;
        }
        OpBody::Disturbance(d) => {
            if role == Role::Cleaner {
                return Err(deny(role, "report disturbances"));
            }
            if !(1..=3).contains(&d.level) {
                return Err(Invalid::Level(d.level));
            }
            if d.people == 0 || d.people > MAX_PEOPLE {
                return Err(Invalid::People(d.people));
            }
            if let Some(n) = d
                .interventions
                .values()
                .find(|n| **n == 0 || **n > MAX_INTERVENTIONS)
            {
                return Err(Invalid::InterventionCount(*n));
            }
            note_ok(&d.note)?;
            on_site(site, d.at)?;
        }
        OpBody::Details { report, note, .. } => {
            note_ok(note)?;
            if author_of(*report) != Some(op.device) {
                return Err(Invalid::NotAuthor(*report));
            }
        }
        OpBody::Withdraw { report } => {
            if author_of(*report) != Some(op.device) {
                return Err(Invalid::NotAuthor(*report));
            }
        }
        OpBody::Resolve { .. } | OpBody::StillThere { .. } => {
            if role == Role::Cleaner && domain == Domain::Disturbance {
                return Err(deny(role, "change a disturbance"));
            }
        }
        OpBody::Review { .. } | OpBody::Duplicate { .. } | OpBody::Reclassify { .. }
            if role != Role::Manager =>
        {
            return Err(deny(role, "review, reclassify or mark duplicates"));
        }
        OpBody::Review { .. } => {}
        OpBody::Duplicate { report, of } => {
            if report == of {
                return Err(Invalid::SelfDuplicate);
            }
            if lookup.target(*of).is_none() {
                return Err(Invalid::UnknownTarget(*of));
            }
        }
        OpBody::Reclassify { to, .. } => {
            let kind_ok = matches!(
                (to, domain),
                (Classification::Cleaning(_), Domain::Cleaning)
                    | (Classification::Disturbance(_), Domain::Disturbance)
            );
            if !kind_ok {
                return Err(Invalid::WrongKind);
            }
        }
        OpBody::RunStart {
            machine, started, ..
        } => {
            inner_time_ok("start time", *started, op.wall_ms)?;
            if role == Role::Guard {
                return Err(deny(role, "log machine runs"));
            }
            let n = machine.trim().chars().count();
            if n == 0 || n > MAX_MACHINE_CHARS {
                return Err(Invalid::MachineName);
            }
        }
        OpBody::RunPoints { run, points } => {
            if author_of(*run) != Some(op.device) {
                return Err(Invalid::NotAuthor(*run));
            }
            if points.is_empty() || points.len() > MAX_CHUNK_POINTS {
                return Err(Invalid::ChunkSize);
            }
            for p in points {
                inner_time_ok("point time", p.t, op.wall_ms)?;
                // GPS drifts: points a little off the site are kept (coverage is clipped to the site anyway).
                match site.locate(p.at) {
                    Err(e) if e.distance_m > PATH_TOLERANCE_M => return Err(e.into()),
                    _ if !p.at.is_finite() => return Err(Invalid::NotANumber),
                    _ => {}
                }
            }
        }
        OpBody::RunStop { run, stopped } => {
            inner_time_ok("stop time", *stopped, op.wall_ms)?;
            if author_of(*run) != Some(op.device) {
                return Err(Invalid::NotAuthor(*run));
            }
            if lookup.run_started(*run).is_some_and(|s| *stopped < s) {
                return Err(Invalid::StopBeforeStart);
            }
        }
    }
    Ok(domain)
}
