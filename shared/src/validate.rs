//! Validation: whether an operation may be accepted, with reasons a person can read.
//!
//! What can be checked from the operation alone is checked here; what needs the store (does the report
//! exist, whose is it) comes in through [`Lookup`], so this stays pure.

use uuid::Uuid;

use crate::geometry::GeoPoint;
pub use crate::invalid::{Action, Invalid, TimeField};
use crate::op::{Classification, Domain, OpBody, Operation};
use crate::site::{Site, Term};
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
/// The largest accuracy (metres) a position may claim.
pub const MAX_ACCURACY_M: f32 = 10_000.0;
/// The longest machine name.
pub const MAX_MACHINE_CHARS: usize = 40;
/// The longest device name a take or a cleaning request carries (who took it, who asked).
pub const MAX_DEVICE_NAME_CHARS: usize = 60;

/// What the validator needs to know about existing reports and runs.
pub trait Lookup {
    /// The domain and the creating device of a report or run, if it is known.
    fn target(&self, id: Uuid) -> Option<(Domain, Uuid)>;
    /// The start time of a run, if known.
    fn run_started(&self, _id: Uuid) -> Option<i64> {
        None
    }
    /// The distinct photos attached to a report so far, by hash.
    fn photos_on(&self, _report: Uuid) -> Vec<String> {
        Vec::new()
    }
    /// Whether a known report is a cleaning task (made by a `CleanRequest`). Required: a store that
    /// answered "no" by default would refuse every take of a task.
    fn is_task(&self, id: Uuid) -> bool;
}

/// A lookup that knows nothing: for operations that target nothing.
#[derive(Debug)]
pub struct NoLookup;

impl Lookup for NoLookup {
    fn target(&self, _id: Uuid) -> Option<(Domain, Uuid)> {
        None
    }

    fn is_task(&self, _id: Uuid) -> bool {
        false
    }
}

/// A device name as a take or a request carries it: trimmed, 1 to [`MAX_DEVICE_NAME_CHARS`].
fn device_name_ok(name: &str) -> Result<(), Invalid> {
    let n = name.trim().chars().count();
    if n == 0 || n > MAX_DEVICE_NAME_CHARS || name.trim() != name {
        Err(Invalid::DeviceName)
    } else {
        Ok(())
    }
}

/// Who may take what: a level-1 alert (any disturbance) a guard or the manager; a cleaning task a
/// cleaner or the manager; a plain cleaning report nobody (it is cleaned, not taken).
fn take_ok(role: Role, domain: Domain, report: Uuid, lookup: &dyn Lookup) -> Result<(), Invalid> {
    match domain {
        Domain::Disturbance if role == Role::Cleaner => Err(deny(role, Action::TakeAlert)),
        Domain::Disturbance => Ok(()),
        Domain::Cleaning if !lookup.is_task(report) => Err(Invalid::NotTakeable(report)),
        Domain::Cleaning if role == Role::Guard => Err(deny(role, Action::TakeTask)),
        Domain::Cleaning => Ok(()),
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

/// A position's accuracy, when it came from a positioning system: a number of metres, 0 to
/// [`MAX_ACCURACY_M`]. (A negative one would pass every "accurate enough" rule.)
fn accuracy_ok(acc: Option<f32>) -> Result<(), Invalid> {
    match acc {
        Some(a) if !(a.is_finite() && (0.0..=MAX_ACCURACY_M).contains(&a)) => {
            Err(Invalid::Accuracy)
        }
        _ => Ok(()),
    }
}

/// Whether the site's vocabulary has the term (the same kind of refusal as a point outside the site).
fn used_here(site: &Site, term: Term) -> Result<(), Invalid> {
    site.vocabulary
        .allows(term)
        .map_err(|term| Invalid::NotUsedHere {
            term,
            site: site.name.clone(),
        })
}

fn on_site(site: &Site, p: GeoPoint) -> Result<(), Invalid> {
    if !p.is_finite() {
        return Err(Invalid::NotANumber);
    }
    site.locate(p).map(|_| ()).map_err(Invalid::from)
}

/// A time inside an operation must be possible and near the operation's own wall time (`wall`, checked
/// first), so the server's correction of the operation moves it to a possible time too.
fn inner_time_ok(what: TimeField, t: i64, wall: i64) -> Result<(), Invalid> {
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

/// When something happened: a possible time, near the operation and not after it.
fn happened_ok(what: TimeField, t: i64, wall: i64) -> Result<(), Invalid> {
    inner_time_ok(what, t, wall)?;
    if t > wall.saturating_add(60_000) {
        return Err(Invalid::InTheFuture { what });
    }
    Ok(())
}

fn level_ok(level: u8) -> Result<(), Invalid> {
    if (1..=3).contains(&level) {
        Ok(())
    } else {
        Err(Invalid::Level(level))
    }
}

fn people_ok(people: u16) -> Result<(), Invalid> {
    if people == 0 || people > MAX_PEOPLE {
        Err(Invalid::People(people))
    } else {
        Ok(())
    }
}

fn interventions_ok(
    ivs: &std::collections::BTreeMap<crate::Intervention, u16>,
) -> Result<(), Invalid> {
    match ivs.values().find(|n| **n == 0 || **n > MAX_INTERVENTIONS) {
        Some(n) => Err(Invalid::InterventionCount(*n)),
        None => Ok(()),
    }
}

fn deny(role: Role, action: Action) -> Invalid {
    Invalid::NotAllowed { role, action }
}

/// The domain an operation belongs to, which decides who may see it.
pub fn domain_of(op: &Operation, lookup: &dyn Lookup) -> Result<Domain, Invalid> {
    match &op.body {
        OpBody::Disturbance(_) => Ok(Domain::Disturbance),
        // A guard's or the manager's handover may count disturbances: cleaners never see it.
        OpBody::Handover(_) if op.role == Role::Cleaner => Ok(Domain::Cleaning),
        OpBody::Handover(_) => Ok(Domain::Disturbance),
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
            what: TimeField::WallTime,
            ms: op.wall_ms,
        });
    }
    let domain = domain_of(op, lookup)?;
    let author_of = |id: Uuid| lookup.target(id).map(|(_, dev)| dev);
    match &op.body {
        OpBody::Clean(c) => {
            note_ok(&c.note)?;
            used_here(site, Term::Cleaning(c.category))?;
            on_site(site, c.at)?;
            accuracy_ok(c.acc)?;
        }
        OpBody::CleanRequest { from, task, by } => {
            if role == Role::Cleaner {
                return Err(deny(role, Action::RequestCleaning));
            }
            if let Some(by) = by {
                device_name_ok(by)?;
            }
            if lookup.target(*from).map(|(d, _)| d) != Some(Domain::Disturbance) {
                return Err(Invalid::UnknownTarget(*from));
            }
            note_ok(&task.note)?;
            used_here(site, Term::Cleaning(task.category))?;
            on_site(site, task.at)?;
            accuracy_ok(task.acc)?;
        }
        OpBody::Disturbance(d) => {
            if role == Role::Cleaner {
                return Err(deny(role, Action::ReportDisturbances));
            }
            level_ok(d.level)?;
            people_ok(d.people)?;
            interventions_ok(&d.interventions)?;
            note_ok(&d.note)?;
            if let Some(h) = d.happened {
                happened_ok(TimeField::TimeItHappened, h, op.wall_ms)?;
            }
            used_here(site, Term::Disturbance(d.category))?;
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
        OpBody::Photo { report, photo } => {
            if role == Role::Cleaner && domain == Domain::Disturbance {
                return Err(deny(role, Action::ChangeDisturbance));
            }
            if !photo.is_valid() {
                return Err(Invalid::PhotoRef);
            }
            let on = lookup.photos_on(*report);
            if !on.contains(&photo.hash) && on.len() >= crate::photo::MAX_PHOTOS_PER_REPORT {
                return Err(Invalid::TooManyPhotos);
            }
        }
        OpBody::Take { report, by } => {
            device_name_ok(by)?;
            take_ok(role, domain, *report, lookup)?;
        }
        OpBody::Resolve { .. } | OpBody::StillThere { .. } => {
            if role == Role::Cleaner && domain == Domain::Disturbance {
                return Err(deny(role, Action::ChangeDisturbance));
            }
        }
        OpBody::Review { .. } | OpBody::Duplicate { .. } | OpBody::Reclassify { .. }
            if role != Role::Manager =>
        {
            return Err(deny(role, Action::Triage));
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
            used_here(site, Term::from(*to))?;
        }
        OpBody::RunStart {
            kind,
            machine,
            started,
        } => {
            inner_time_ok(TimeField::StartTime, *started, op.wall_ms)?;
            if role == Role::Guard {
                return Err(deny(role, Action::LogRuns));
            }
            let n = machine.trim().chars().count();
            if n == 0 || n > MAX_MACHINE_CHARS {
                return Err(Invalid::MachineName);
            }
            used_here(site, Term::Machine(*kind))?;
        }
        OpBody::RunPoints { run, points } => {
            if author_of(*run) != Some(op.device) {
                return Err(Invalid::NotAuthor(*run));
            }
            if points.is_empty() || points.len() > MAX_CHUNK_POINTS {
                return Err(Invalid::ChunkSize);
            }
            for p in points {
                inner_time_ok(TimeField::PointTime, p.t, op.wall_ms)?;
                accuracy_ok(p.acc)?;
                // GPS drifts: points a little off the site are kept (coverage is clipped to the site anyway).
                match site.locate(p.at) {
                    Err(e) if e.distance_m > PATH_TOLERANCE_M => return Err(e.into()),
                    _ if !p.at.is_finite() => return Err(Invalid::NotANumber),
                    _ => {}
                }
            }
        }
        OpBody::Amend { report, change } => {
            if author_of(*report) != Some(op.device) {
                return Err(Invalid::NotAuthor(*report));
            }
            if change.is_empty() {
                return Err(Invalid::NothingToChange);
            }
            let wrong_kind = match domain {
                Domain::Disturbance => change.amount.is_some(),
                Domain::Cleaning => change.touches_disturbance_fields(),
            };
            if wrong_kind {
                return Err(Invalid::FieldNotForKind);
            }
            change.level.map_or(Ok(()), level_ok)?;
            change.people.map_or(Ok(()), people_ok)?;
            change
                .interventions
                .as_ref()
                .map_or(Ok(()), interventions_ok)?;
            note_ok(&change.note)?;
            if let Some(h) = change.happened {
                happened_ok(TimeField::TimeItHappened, h, op.wall_ms)?;
            }
        }
        OpBody::Handover(h) => {
            note_ok(&h.note)?;
            happened_ok(TimeField::ShiftStart, h.shift_from, op.wall_ms)?;
            if !h.summary.is_bounded() {
                return Err(Invalid::HandoverTooLarge);
            }
        }
        OpBody::RunStop { run, stopped } => {
            inner_time_ok(TimeField::StopTime, *stopped, op.wall_ms)?;
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
