//! Tests of site loading and zone lookup.

use super::*;
use crate::test_support::plattan;
use geo::InteriorPoint;

#[test]
fn plattan_loads_with_its_zones_and_axis() {
    let site = plattan();
    assert_eq!(site.id, "plattan");
    assert_eq!(site.zones.len(), 8);
    assert!(
        (site.area_m2 - 8389.0).abs() < 150.0,
        "area {}",
        site.area_m2
    );
    assert!((site.axis_bearing_deg - 64.0).abs() < 1.0);
    assert!(site.attribution.contains("OpenStreetMap"));
    let zone_sum: f64 = site.zones.iter().map(|z| z.area_m2).sum();
    assert!(
        (zone_sum - site.area_m2).abs() / site.area_m2 < 0.02,
        "zones {zone_sum} vs {}",
        site.area_m2
    );
    assert!(site.landmarks.iter().any(|l| l.id == "P-TRYGGHETSKONTORET"));
    // Laid horizontal, the site is wider than tall.
    let (x0, y0, x1, y1) = site.view_bounds();
    assert!(x1 - x0 > y1 - y0);
}

#[test]
fn every_zone_centre_locates_to_its_zone() {
    let site = plattan();
    for z in &site.zones {
        let c = z.polygon.interior_point().unwrap();
        let p = site.frame.from_local(c.0);
        assert_eq!(site.locate(p).unwrap().id, z.id);
    }
}

#[test]
fn a_point_outside_is_a_clear_error() {
    let site = plattan();
    let far = site.frame.from_local(Coord { x: 500.0, y: 0.0 });
    let err = site.locate(far).unwrap_err();
    assert!(err.distance_m > 400.0);
    let msg = err.to_string();
    assert!(msg.contains("outside the site"), "{msg}");
}

#[test]
fn broken_plans_are_rejected_with_reasons() {
    assert!(matches!(Site::from_geojson("{"), Err(SiteError::Json(_))));
    let no_zone = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"site_boundary"},
        "geometry":{"type":"Polygon","coordinates":[[[0,0],[0.001,0],[0.001,0.001],[0,0]]]}}]}"#;
    assert_eq!(Site::from_geojson(no_zone).unwrap_err(), SiteError::NoZones);
}

#[test]
fn another_square_is_another_file() {
    // A made-up 40 m square with two zones and no axis given: the axis is computed.
    let sq = r#"{"type":"FeatureCollection","properties":{"site_id":"mini","license":"test"},"features":[
      {"type":"Feature","properties":{"kind":"site_boundary","name":"Mini"},"geometry":{"type":"Polygon","coordinates":[[[18.0,59.0],[18.001,59.0],[18.001,59.0002],[18.0,59.0002],[18.0,59.0]]]}},
      {"type":"Feature","properties":{"kind":"zone","id":"A","name":"Väst"},"geometry":{"type":"Polygon","coordinates":[[[18.0,59.0],[18.0005,59.0],[18.0005,59.0002],[18.0,59.0002],[18.0,59.0]]]}},
      {"type":"Feature","properties":{"kind":"zone","id":"B","name":"Öst"},"geometry":{"type":"Polygon","coordinates":[[[18.0005,59.0],[18.001,59.0],[18.001,59.0002],[18.0005,59.0002],[18.0005,59.0]]]}}]}"#;
    let site = Site::from_geojson(sq).unwrap();
    assert_eq!(site.id, "mini");
    assert!(
        (site.axis_bearing_deg - 90.0).abs() < 1.0,
        "{}",
        site.axis_bearing_deg
    );
    assert_eq!(
        site.locate(GeoPoint::new(18.0002, 59.0001)).unwrap().id,
        "A"
    );
    assert_eq!(
        site.locate(GeoPoint::new(18.0008, 59.0001)).unwrap().id,
        "B"
    );
}
