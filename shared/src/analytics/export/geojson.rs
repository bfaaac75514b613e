//! A GeoJSON FeatureCollection (RFC 7946, WGS84 lon/lat) of the period's reports as Points and machine
//! runs as LineStrings, with flat properties so QGIS shows them as attribute columns.

use serde_json::{Map, Value, json};

use super::{ExportOptions, local_datetime};
use crate::analytics::{Period, events_in, zone_index_of};
use crate::op::Classification;
use crate::report::{Report, ReportBody, Run, Status};
use crate::site::Site;
use crate::vocab::Lang;

fn report_feature(site: &Site, r: &Report, period: &Period, opts: ExportOptions) -> Option<Value> {
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
    let mut p = Map::new();
    p.insert("id".into(), json!(r.id));
    let (kind, code, label) = match r.classification()? {
        Classification::Cleaning(c) => ("cleaning", c.code(), c.label(Lang::Sv)),
        Classification::Disturbance(c) => ("disturbance", c.code(), c.label(Lang::Sv)),
    };
    p.insert("kind".into(), json!(kind));
    p.insert("category".into(), json!(code));
    p.insert("category_sv".into(), json!(label));
    p.insert("created_ms".into(), json!(origin.stamp.at));
    p.insert(
        "created_local".into(),
        json!(local_datetime(origin.stamp.at)),
    );
    p.insert(
        "clock_corrected".into(),
        json!(origin.stamp.at != origin.wall_ms),
    );
    let zone = zone_index_of(site, r).map(|i| &site.zones[i]);
    p.insert("zone".into(), json!(zone.map(|z| z.id.clone())));
    p.insert("count_in_period".into(), json!(n));
    p.insert("status".into(), json!(r.status().code()));
    match body {
        ReportBody::Cleaning { requested_from, .. } => {
            p.insert("amount".into(), json!(r.amount().map(|a| a.code())));
            p.insert("task".into(), json!(requested_from.is_some()));
        }
        ReportBody::Disturbance(_) => {
            p.insert("level".into(), json!(r.level()));
            p.insert("people".into(), json!(r.people()));
            for (k, v) in r.interventions().into_iter().flatten() {
                p.insert(format!("iv_{}", k.code()), json!(v));
            }
        }
    }
    if opts.include_notes {
        p.insert("note".into(), json!(r.note()));
    }
    Some(json!({
        "type": "Feature",
        "id": r.id.to_string(),
        "geometry": {"type": "Point", "coordinates": [at.rounded().lon, at.rounded().lat]},
        "properties": p,
    }))
}

fn run_feature(run: &Run, period: &Period) -> Option<Value> {
    let coords: Vec<[f64; 2]> = run
        .path()
        .iter()
        .filter(|p| period.contains(p.t) && p.at.is_finite())
        .map(|p| [p.at.rounded().lon, p.at.rounded().lat])
        .collect();
    if coords.len() < 2 {
        return None;
    }
    Some(json!({
        "type": "Feature",
        "id": run.id.to_string(),
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {
            "id": run.id,
            "kind": "machine_run",
            "machine_kind": run.kind.map(|k| k.code()),
            "machine": run.machine,
            "started_local": run.started_ms.map(local_datetime),
            "stopped_local": run.stopped_ms.as_ref().map(|s| local_datetime(s.value)),
            "points": coords.len(),
        },
    }))
}

/// The period's reports and runs as a FeatureCollection.
pub fn feature_collection<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    runs: impl IntoIterator<Item = &'a Run>,
    period: &Period,
    opts: ExportOptions,
) -> Value {
    let mut features: Vec<Value> = reports
        .into_iter()
        .filter_map(|r| report_feature(site, r, period, opts))
        .collect();
    features.extend(runs.into_iter().filter_map(|r| run_feature(r, period)));
    json!({
        "type": "FeatureCollection",
        "name": format!("torgkoll-{}", site.id),
        "features": features,
    })
}
