//! What the partners (the city, the police, the property owners) receive by webhook: the event names and
//! the payloads, built purely from the folded state and the site plan.
//!
//! A payload holds codes, counts, a zone and times, never free text (no note) and never who (no device,
//! no device name, no person): GDPR art. 10 keeps data about suspected crimes with the authorities, and a
//! partner's system is not one. The types below have no field that could carry either, and the test at
//! the end checks a report with a note through to the bytes sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::analytics::ZoneRef;
use crate::analytics::disturbances::DisturbanceSummary;
use crate::analytics::lagesbild::{Lagesbild, StaffCount, Total};
use crate::calendar::{Date, local_date, local_hhmm};
use crate::fold::apply_to_report;
use crate::op::{Classification, OpBody, Operation};
use crate::report::Report;
use crate::site::Site;

/// What a webhook may subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerEvent {
    /// An accepted level-1 (akut) disturbance, or one amended to level 1.
    Level1,
    /// The previous day's lägesbild, made at the set time each morning.
    Lagesbild,
}

impl PartnerEvent {
    pub const ALL: &'static [PartnerEvent] = &[PartnerEvent::Level1, PartnerEvent::Lagesbild];

    /// The name on the wire (`X-Torgkoll-Event`, the payload's `event`) and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            PartnerEvent::Level1 => "level1",
            PartnerEvent::Lagesbild => "lagesbild",
        }
    }

    pub fn from_code(code: &str) -> Option<PartnerEvent> {
        Self::ALL.iter().copied().find(|e| e.code() == code)
    }
}

/// A level-1 disturbance as a partner receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level1Payload {
    /// Always `level1`.
    pub event: String,
    /// The report's id (the id of the operation that made it): the same report is announced once.
    pub report: Uuid,
    /// The disturbance category's code (`brak_vald`, ...), after any reclassification.
    pub category: String,
    pub level: u8,
    /// How many people were involved.
    pub people: u16,
    /// Interventions by code, and how many of each.
    pub interventions: BTreeMap<String, u16>,
    /// The zone of the site plan it lies in; `None` just off the site.
    pub zone: Option<ZoneRef>,
    /// When the operation that made it level 1 was made (the server's corrected time, ms since the epoch).
    pub at_ms: i64,
    /// The same instant as Stockholm local time, `YYYY-MM-DD HH:MM`.
    pub at_local: String,
    /// When the server noticed it (ms since the epoch).
    pub server_ms: i64,
}

/// The index of the operation at which a report's folded level first became 1, over its operations in
/// the order the server stored them (or `None` if it never did). A report is announced once: at the
/// disturbance made at level 1, or at the first amendment that made it level 1.
pub fn first_level1(ops: &[Operation]) -> Option<usize> {
    let id = ops.first()?.id;
    let mut report = Report::new(id);
    ops.iter().position(|op| {
        apply_to_report(&mut report, op);
        report.level() == Some(1)
    })
}

/// Whether an operation may make a report level 1 (cheap, before loading the report).
pub fn may_make_level1(body: &OpBody) -> bool {
    match body {
        OpBody::Disturbance(d) => d.level == 1,
        OpBody::Amend { change, .. } => change.level == Some(1),
        _ => false,
    }
}

/// The payload of a level-1 event for a report as it stands, noticed by the operation made at `at_ms`;
/// `None` unless it is a known level-1 disturbance.
pub fn level1_payload(
    site: &Site,
    report: &Report,
    at_ms: i64,
    server_ms: i64,
) -> Option<Level1Payload> {
    let Some(Classification::Disturbance(category)) = report.classification() else {
        return None;
    };
    let level = report.level().filter(|l| *l == 1)?;
    let zone = report
        .at()
        .and_then(|p| site.locate(p).ok())
        .map(|z| ZoneRef {
            id: z.id.clone(),
            name: z.name.clone(),
        });
    Some(Level1Payload {
        event: PartnerEvent::Level1.code().into(),
        report: report.id,
        category: category.code().into(),
        level,
        people: report.people()?,
        interventions: report
            .interventions()?
            .iter()
            .map(|(k, v)| (k.code().to_string(), *v))
            .collect(),
        zone,
        at_ms,
        at_local: local_text(at_ms),
        server_ms,
    })
}

/// An instant as Stockholm local time, `YYYY-MM-DD HH:MM`.
pub fn local_text(ms: i64) -> String {
    format!("{} {}", local_date(ms), local_hhmm(ms))
}

/// Open items in a zone at the report's end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneCount {
    pub zone_id: String,
    pub count: u32,
}

/// A day's lägesbild as a partner receives it: the summary in counts (the full report is the file the
/// server wrote beside it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LagesbildPayload {
    /// Always `lagesbild`.
    pub event: String,
    pub site_id: String,
    pub date: Date,
    /// Each total on the day against the mean of the same weekday in the four weeks before.
    pub totals: Vec<Total>,
    /// Devices active that day, per role.
    pub staff: Vec<StaffCount>,
    pub disturbances: DisturbanceSummary,
    /// Open cleaning items at the day's end, in all and per zone.
    pub open_total: u32,
    pub open_by_zone: Vec<ZoneCount>,
    pub reports_with_photos: u32,
    /// When the server made it (ms since the epoch).
    pub server_ms: i64,
}

/// The summary of a day's report for the partners.
pub fn lagesbild_payload(report: &Lagesbild, server_ms: i64) -> LagesbildPayload {
    LagesbildPayload {
        event: PartnerEvent::Lagesbild.code().into(),
        site_id: report.site_id.clone(),
        date: report.date,
        totals: report.totals.clone(),
        staff: report.staff.clone(),
        disturbances: report.disturbances.clone(),
        open_total: report.open_total,
        open_by_zone: report
            .open_by_zone
            .iter()
            .map(|(zone_id, count)| ZoneCount {
                zone_id: zone_id.clone(),
                count: *count,
            })
            .collect(),
        reports_with_photos: report.reports_with_photos,
        server_ms,
    }
}

#[cfg(test)]
mod tests;
