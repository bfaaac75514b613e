//! Why an operation is refused: one enum with an English sentence for logs and the server's answer, and a
//! stable code with its details on the wire (`Rejection::cause`), so a phone can say it in its user's
//! language and say what to do.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::site::{OutsideSite, Term};
use crate::validate::{
    MAX_CHUNK_POINTS, MAX_DEVICE_NAME_CHARS, MAX_INTERVENTIONS, MAX_MACHINE_CHARS, MAX_PEOPLE,
};
use crate::vocab::{Lang, Role};

/// Why an operation cannot be accepted. On the wire: `{"code": "...", "detail": ...}`.
#[derive(Clone, Debug, Error, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
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
    #[error("a {} may not {action}", role.label(Lang::En))]
    NotAllowed { role: Role, action: Action },
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
    #[error("there is nothing to change")]
    NothingToChange,
    #[error(
        "level, people, interventions and time are a disturbance's; an amount is a cleaning report's"
    )]
    FieldNotForKind,
    #[error("the {what} is after the operation was made")]
    InTheFuture { what: TimeField },
    #[error(
        "a handover lists at most {} zones",
        crate::handover::MAX_HANDOVER_ZONES
    )]
    HandoverTooLarge,
    #[error("the {what} ({ms} ms after 1970-01-01) is not a possible time")]
    ImpossibleTime { what: TimeField, ms: i64 },
    #[error("the {what} is {hours} hours away from the operation's own time")]
    TimesApart { what: TimeField, hours: i64 },
    #[error("the operation id {0} is already in use")]
    IdInUse(Uuid),
    #[error("could not read the operation: {0}")]
    Malformed(String),
    #[error("a position's accuracy must be 0 to 10000 metres")]
    Accuracy,
    #[error(
        "a photo must be named by its SHA-256 and be at most {} bytes and {} pixels on each edge",
        crate::photo::MAX_PHOTO_BYTES,
        crate::photo::MAX_EDGE_PX
    )]
    PhotoRef,
    #[error(
        "a report may have at most {} photos",
        crate::photo::MAX_PHOTOS_PER_REPORT
    )]
    TooManyPhotos,
    #[error("report {0} is a cleaning report, not a task or an alert: it is cleaned, not taken")]
    NotTakeable(Uuid),
    #[error(
        "a device name must be 1 to {MAX_DEVICE_NAME_CHARS} characters, without spaces around it"
    )]
    DeviceName,
    #[error("{term} is not used at the site '{site}'")]
    NotUsedHere { term: Term, site: String },
}

/// What a role was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ReportDisturbances,
    RequestCleaning,
    ChangeDisturbance,
    Triage,
    LogRuns,
    TakeAlert,
    TakeTask,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::ReportDisturbances => "report disturbances",
            Action::RequestCleaning => "request cleaning from a disturbance",
            Action::ChangeDisturbance => "change a disturbance",
            Action::Triage => "review, reclassify or mark duplicates",
            Action::LogRuns => "log machine runs",
            Action::TakeAlert => "take a disturbance",
            Action::TakeTask => "take a cleaning task",
        })
    }
}

/// Which time inside an operation is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeField {
    WallTime,
    StartTime,
    StopTime,
    PointTime,
    TimeItHappened,
    ShiftStart,
}

impl std::fmt::Display for TimeField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeField::WallTime => "wall time",
            TimeField::StartTime => "start time",
            TimeField::StopTime => "stop time",
            TimeField::PointTime => "point time",
            TimeField::TimeItHappened => "time it happened",
            TimeField::ShiftStart => "shift start",
        })
    }
}

/// Reads a cause leniently: one this build does not know (from a newer server) is no cause at all, not
/// an unreadable answer.
pub fn lenient_cause<'de, D>(d: D) -> Result<Option<Invalid>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.and_then(|v| serde_json::from_value(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_travel_with_stable_codes_and_unknown_ones_are_ignored() {
        let cases = [
            (
                Invalid::NoteTooLong(281),
                r#"{"code":"note_too_long","detail":281}"#,
            ),
            (
                Invalid::NotAllowed {
                    role: Role::Cleaner,
                    action: Action::ReportDisturbances,
                },
                r#"{"code":"not_allowed","detail":{"role":"cleaner","action":"report_disturbances"}}"#,
            ),
            (Invalid::NothingToChange, r#"{"code":"nothing_to_change"}"#),
        ];
        for (cause, json) in cases {
            assert_eq!(serde_json::to_string(&cause).unwrap(), json);
            assert_eq!(serde_json::from_str::<Invalid>(json).unwrap(), cause);
        }
        assert_eq!(
            Invalid::NotAllowed {
                role: Role::Cleaner,
                action: Action::ReportDisturbances
            }
            .to_string(),
            "a Cleaner may not report disturbances"
        );
        #[derive(Deserialize)]
        struct R {
            #[serde(default, deserialize_with = "lenient_cause")]
            cause: Option<Invalid>,
        }
        let r: R = serde_json::from_str(r#"{"cause":{"code":"from_the_future"}}"#).unwrap();
        assert_eq!(r.cause, None);
    }
}
