//! What the manager's review shows: the period, the filters on kind, category, zone, status and level,
//! and the nearby reports of the same kind a report may be a duplicate of. Pure (tested in `filter_tests`).

use torgkoll_shared::analytics::Period;
use torgkoll_shared::calendar::local_date;
use torgkoll_shared::{Classification, Domain, ReportBody, Site, Status};
use uuid::Uuid;

use crate::store::ReportView;

/// The period the review looks at, always ending with today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Span {
    #[default]
    Today,
    /// Today and the six days before.
    Week,
    /// Today and the 27 days before.
    FourWeeks,
}

impl Span {
    pub const ALL: [Span; 3] = [Span::Today, Span::Week, Span::FourWeeks];

    pub fn days(self) -> i64 {
        match self {
            Span::Today => 1,
            Span::Week => 7,
            Span::FourWeeks => 28,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Span::Today => "today",
            Span::Week => "7d",
            Span::FourWeeks => "4w",
        }
    }

    /// The local days of the span, as of `now_ms`.
    pub fn period(self, now_ms: i64) -> Period {
        let today = local_date(now_ms);
        let from = Period::day(today.add_days(1 - self.days())).from_ms;
        Period::new(from, Period::day(today).to_ms)
    }
}

/// A report's kind (its domain).
pub fn kind_of(r: &ReportView) -> Option<Domain> {
    match r.report.body.as_ref()? {
        ReportBody::Cleaning { .. } => Some(Domain::Cleaning),
        ReportBody::Disturbance(_) => Some(Domain::Disturbance),
    }
}

/// A disturbance's level.
pub fn level_of(r: &ReportView) -> Option<u8> {
    match r.report.body.as_ref()? {
        ReportBody::Disturbance(d) => Some(d.level),
        ReportBody::Cleaning { .. } => None,
    }
}

/// The status filter: one status, or open reports nobody has reviewed yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    Unreviewed,
    Is(Status),
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::Unreviewed,
        StatusFilter::Is(Status::Open),
        StatusFilter::Is(Status::Resolved),
        StatusFilter::Is(Status::Duplicate),
    ];

    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::Unreviewed => "unreviewed",
            StatusFilter::Is(Status::Open) => "open",
            StatusFilter::Is(Status::Resolved) => "resolved",
            StatusFilter::Is(Status::Duplicate) => "duplicate",
            StatusFilter::Is(Status::Withdrawn) => "withdrawn",
        }
    }

    pub fn matches(self, r: &ReportView) -> bool {
        match self {
            StatusFilter::Unreviewed => r.status() == Status::Open && r.report.reviewed.is_none(),
            StatusFilter::Is(s) => r.status() == s,
        }
    }
}

/// The filters of the map and the list; `None` everywhere shows everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewFilter {
    pub kind: Option<Domain>,
    pub category: Option<Classification>,
    pub zone: Option<String>,
    pub status: Option<StatusFilter>,
    /// A disturbance level (1-3); keeps disturbances only.
    pub level: Option<u8>,
}

impl ReviewFilter {
    pub fn matches(&self, r: &ReportView) -> bool {
        self.kind.is_none_or(|k| kind_of(r) == Some(k))
            && self
                .category
                .is_none_or(|c| r.report.classification() == Some(c))
            && self
                .zone
                .as_ref()
                .is_none_or(|z| r.zone.as_deref() == Some(z.as_str()))
            && self.status.is_none_or(|s| s.matches(r))
            && self.level.is_none_or(|l| level_of(r) == Some(l))
    }

    /// How many filters are set.
    pub fn active(&self) -> usize {
        usize::from(self.kind.is_some())
            + usize::from(self.category.is_some())
            + usize::from(self.zone.is_some())
            + usize::from(self.status.is_some())
            + usize::from(self.level.is_some())
    }

    /// Sets the kind; a category or level of the other kind is dropped.
    pub fn set_kind(&mut self, kind: Option<Domain>) {
        self.kind = kind;
        let same = |c: Classification| {
            matches!(
                (c, kind),
                (_, None)
                    | (Classification::Cleaning(_), Some(Domain::Cleaning))
                    | (Classification::Disturbance(_), Some(Domain::Disturbance))
            )
        };
        if self.category.is_some_and(|c| !same(c)) {
            self.category = None;
        }
        if kind == Some(Domain::Cleaning) {
            self.level = None;
        }
    }
}

/// How far away another report may be and still be offered as the original of a duplicate (metres).
pub const NEARBY_M: f64 = 30.0;
/// How many nearby reports are offered.
pub const NEARBY_MAX: usize = 8;

/// Reports of the same kind (cleaning or disturbance) as `target` within [`NEARBY_M`], those of the same
/// category first, then nearest first, with their distance in metres. Duplicates and the report itself
/// are left out.
pub fn nearby(
    site: &Site,
    target: &ReportView,
    candidates: &[ReportView],
) -> Vec<(ReportView, f64)> {
    let (Some(at), Some(kind)) = (target.report.at(), kind_of(target)) else {
        return vec![];
    };
    let here = site.frame.to_local(at);
    let mut out: Vec<(ReportView, f64)> = candidates
        .iter()
        .filter(|c| c.report.id != target.report.id && kind_of(c) == Some(kind))
        .filter(|c| !matches!(c.status(), Status::Duplicate | Status::Withdrawn))
        .filter_map(|c| {
            let p = site.frame.to_local(c.report.at()?);
            let d = (p.x - here.x).hypot(p.y - here.y);
            (d <= NEARBY_M).then(|| (c.clone(), d))
        })
        .collect();
    let category = target.report.classification();
    let other = |r: &ReportView| r.report.classification() != category;
    out.sort_by(|a, b| other(&a.0).cmp(&other(&b.0)).then(a.1.total_cmp(&b.1)));
    out.truncate(NEARBY_MAX);
    out
}

/// The id of a filter chip: `f-{group}-{value}`.
pub fn chip_id(group: &str, value: &str) -> String {
    format!("f-{group}-{}", value.to_lowercase())
}

/// A report's id as a short handle for people ("#1a2b").
pub fn short_id(id: Uuid) -> String {
    let s = id.simple().to_string();
    format!("#{}", &s[s.len() - 4..])
}
