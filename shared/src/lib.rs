//! Torgkoll's pure domain code: the site plan and its geometry, the report vocabulary, operations and their
//! deterministic fold, validation, the sync protocol's wire types, the phone's GPS track filter, and the
//! analytics for review.
//!
//! Nothing here does I/O, spawns, sleeps or reads a clock: time and randomness come in as arguments.

pub mod access;
pub mod analytics;
pub mod calendar;
pub mod clock;
pub mod devices;
pub mod enroll_link;
pub mod fold;
pub mod geometry;
pub mod handover;
pub mod hlc;
pub mod invalid;
pub mod op;
pub mod partner;
pub mod photo;
pub mod protocol;
pub mod report;
pub mod site;
pub mod sun;
pub mod timefix;
pub mod track;
pub mod validate;
pub mod vocab;

#[doc(hidden)]
pub mod test_support;

pub use clock::{Clock, ManualClock};
pub use fold::{HandedOver, State, Touches, apply_to_report, apply_to_run, touches};
pub use geometry::{GeoPoint, LocalFrame};
pub use handover::{Handover, HandoverSummary};
pub use hlc::Hlc;
pub use op::{
    Amendment, Classification, CleaningReport, DisturbanceReport, Domain, OpBody, Operation, Stamp,
    TrackPoint,
};
pub use report::{Report, ReportBody, Resolution, Run, Status, Taken};
pub use site::{OutsideSite, Site, SiteError, Zone};
pub use timefix::TimeFix;
pub use validate::{Invalid, Lookup, validate};
pub use vocab::{
    Amount, CleaningCategory, DisturbanceCategory, Intervention, Lang, MachineKind, Role,
};

/// The Plattan's site plan, built in: the default site of the app and the server.
pub const PLATTAN_GEOJSON: &str = include_str!("../../assets/sites/plattan.geojson");
