//! CSV for Excel. Choices (for Swedish Excel, which uses a comma as its decimal sign):
//! - UTF-8 with a byte-order mark, so å, ä and ö read right;
//! - `;` between fields and CRLF between rows;
//! - a field with `;`, `"`, CR or LF is quoted, with `"` doubled;
//! - free text that starts with `=`, `+`, `-`, `@`, TAB or CR (the OWASP CSV injection list) gets a leading
//!   `'`, so Excel never runs it as a formula;
//! - coordinates are written with a decimal point (they are for GIS, not for sums); counts are integers;
//! - `foton` lists the report's photos by hash (SHA-256), space-separated: names, never the pictures.

use super::{ExportOptions, local_datetime};
use crate::analytics::{Period, events_in, zone_index_of};
use crate::op::Classification;
use crate::report::{Report, ReportBody, Run, Status};
use crate::site::Site;
use crate::vocab::{Lang, level_label};

pub const BOM: &str = "\u{feff}";
pub const SEP: char = ';';

/// One field, quoted if needed.
pub fn field(s: &str) -> String {
    if s.contains([SEP, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
pub const FORMULA_LEADS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Free text, made safe from formula injection, then quoted if needed.
pub fn text_field(s: &str) -> String {
    if s.starts_with(FORMULA_LEADS) {
        field(&format!("'{s}"))
    } else {
        field(s)
    }
}

fn row(fields: &[String]) -> String {
    let mut line = fields.join(&SEP.to_string());
    line.push_str("\r\n");
    line
}

fn status_sv(s: Status) -> &'static str {
    match s {
        Status::Open => "Öppen",
        Status::Resolved => "Åtgärdad",
        Status::Duplicate => "Dubblett",
        Status::Withdrawn => "Återkallad",
    }
}

/// The reports with an event (made or +1) in the period, as a CSV document (BOM, header, rows).
pub fn csv_reports<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    period: &Period,
    opts: ExportOptions,
) -> String {
    let mut header = vec![
        "id",
        "typ",
        "kategori",
        "kategorikod",
        "skapad",
        "klocka_rättad",
        "zon",
        "zonnamn",
        "lon",
        "lat",
        "mängd",
        "nivå",
        "personer",
        "ingripanden",
        "antal_i_perioden",
        "status",
        "uppgift",
        "foton",
    ];
    if opts.include_notes {
        header.push("anteckning");
    }
    let mut out = String::from(BOM);
    out.push_str(&row(&header
        .iter()
        .map(|h| (*h).to_owned())
        .collect::<Vec<_>>()));
    for r in reports {
        let Some(line) = report_fields(site, r, period, opts) else {
            continue;
        };
        out.push_str(&row(&line));
    }
    out
}

fn report_fields(
    site: &Site,
    r: &Report,
    period: &Period,
    opts: ExportOptions,
) -> Option<Vec<String>> {
    let (Some(body), Some(origin), Some(at)) = (&r.body, &r.origin, r.at()) else {
        return None;
    };
    if !opts.include_withdrawn && r.status() == Status::Withdrawn {
        return None;
    }
    let n = events_in(r, period);
    if n == 0 {
        return None;
    }
    let (kind, cat_sv, cat_code) = match r.classification()? {
        Classification::Cleaning(c) => ("städ", c.label(Lang::Sv), c.code()),
        Classification::Disturbance(c) => ("störning", c.label(Lang::Sv), c.code()),
    };
    let zone = zone_index_of(site, r).map(|i| &site.zones[i]);
    let (level, people, ivs, task) = match body {
        ReportBody::Disturbance(_) => (
            level_label(r.level().unwrap_or(3), Lang::Sv).to_owned(),
            r.people().unwrap_or(1).to_string(),
            r.interventions()
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{}:{v}", k.code()))
                .collect::<Vec<_>>()
                .join(" "),
            String::new(),
        ),
        ReportBody::Cleaning { requested_from, .. } => (
            String::new(),
            String::new(),
            String::new(),
            if requested_from.is_some() { "ja" } else { "" }.to_owned(),
        ),
    };
    let mut f = vec![
        r.id.to_string(),
        kind.to_owned(),
        field(cat_sv),
        cat_code.to_owned(),
        local_datetime(origin.stamp.at),
        if origin.stamp.at != origin.wall_ms {
            "ja"
        } else {
            ""
        }
        .to_owned(),
        zone.map(|z| field(&z.id)).unwrap_or_default(),
        zone.map(|z| field(&z.name)).unwrap_or_default(),
        format!("{:.7}", at.lon),
        format!("{:.7}", at.lat),
        r.amount()
            .map(|a| a.label(Lang::Sv).to_owned())
            .unwrap_or_default(),
        level,
        people,
        ivs,
        n.to_string(),
        status_sv(r.status()).to_owned(),
        task,
        r.photos.keys().cloned().collect::<Vec<_>>().join(" "),
    ];
    if opts.include_notes {
        f.push(r.note().map(text_field).unwrap_or_default());
    }
    Some(f)
}

/// The machine runs with path points in the period (no paths: see the GeoJSON for those).
pub fn csv_runs<'a>(
    site: &Site,
    runs: impl IntoIterator<Item = &'a Run>,
    period: &Period,
) -> String {
    let header = [
        "id",
        "maskintyp",
        "maskin",
        "start",
        "stopp",
        "punkter",
        "längd_m",
    ];
    let mut out = String::from(BOM);
    out.push_str(&row(&header
        .iter()
        .map(|h| (*h).to_owned())
        .collect::<Vec<_>>()));
    for run in runs {
        let length = crate::analytics::coverage::run_length_m(site, run, period);
        let points = run.path().iter().filter(|p| period.contains(p.t)).count();
        if points == 0 {
            continue;
        }
        out.push_str(&row(&[
            run.id.to_string(),
            run.kind
                .map(|k| k.label(Lang::Sv).to_owned())
                .unwrap_or_default(),
            text_field(run.machine.as_deref().unwrap_or_default()),
            run.started_ms.map(local_datetime).unwrap_or_default(),
            run.stopped_ms
                .as_ref()
                .map(|s| local_datetime(s.value))
                .unwrap_or_default(),
            points.to_string(),
            format!("{length:.0}"),
        ]));
    }
    out
}
