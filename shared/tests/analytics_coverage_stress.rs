//! Machine coverage on the runs that used to take minutes (10,000 points of a parked machine's jitter, a
//! 10,000-point zigzag) and on broken runs (one point, a repeated point, NaN, far off the site), sent as
//! tapped points, which are painted as they are: the areas come out as computed by hand, within what the
//! coverage grid's cell size explains, and nothing lands off the site. Sent as GPS fixes, the coverage
//! does not believe them.

use geo::{Area, ConvexHull, Coord, Distance, Euclidean, Length, MultiPoint, Point};
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::{
    COVERAGE_CELL_M, CoverageShape, coverage_shapes, covered_area, zone_coverage,
};
use torgkoll_shared::analytics::demo::stress::{
    jitter_path, parking_spot, run_ops, zigzag_across_site,
};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{MachineKind, Run, Site, State};

const T0: i64 = 1_795_000_000_000;
const HOUR: i64 = 3_600_000;

fn day() -> Period {
    Period::new(T0, T0 + 24 * HOUR)
}

/// A run of tapped points along the path.
fn fold(site: &Site, kind: MachineKind, path: &[Coord<f64>]) -> State {
    State::fold(&run_ops(site, kind, 1, T0, path, None))
}

fn runs(state: &State) -> Vec<&Run> {
    state.runs.values().collect()
}

/// Every vertex of the drawn outline lies on the site or within half a cell of it: the outline runs
/// along the edges of covered cells, and a covered cell has its centre on the site.
fn assert_drawn_on_site(site: &Site, shapes: &[CoverageShape]) {
    let reach = COVERAGE_CELL_M / 2.0 + 0.01; // + the centimetre the vertices are rounded to
    for s in shapes {
        for p in &s.polygons {
            for [x, y] in p.exterior.iter().chain(p.holes.iter().flatten()) {
                let local = site.frame.view_to_local(Coord { x: *x, y: *y });
                let d = Euclidean.distance(&Point::from(local), &site.boundary);
                assert!(d <= reach, "({x}, {y}) is {d} m off the site");
            }
        }
    }
}

#[test]
fn a_parked_machine_jittering_covers_the_disc_of_its_jitter_and_cleaning_width() {
    let site = plattan();
    let (zi, spot) = parking_spot(&site, 4.0).unwrap();
    let path = jitter_path(spot, 3.0, 10_000, 7);
    let state = fold(&site, MachineKind::Fimpsug, &path);
    // The union of 10,000 chords covers the points' convex hull; the fimpsug cleans 0.5 m either side,
    // so the covered area is the hull grown by 0.5 m: area + perimeter · r + π r².
    let r = 0.5;
    let hull =
        MultiPoint::from(path.iter().map(|c| Point::from(*c)).collect::<Vec<_>>()).convex_hull();
    let perimeter: f64 = hull
        .exterior()
        .lines()
        .map(|l| (l.end.x - l.start.x).hypot(l.end.y - l.start.y))
        .sum();
    let expected = hull.unsigned_area() + perimeter * r + std::f64::consts::PI * r * r;
    let area = covered_area(&site, &runs(&state), None, &day()).area_m2();
    // Counting cells by their centres misses or adds part of a cell along the outline; along a curve
    // these cancel but for a few cells (the Gauss circle problem: about (R / cell)^(2/3) = 6 cells of
    // 1/16 m² here, 1 % of the area). 2 % leaves room for it.
    assert!(
        (area - expected).abs() / expected < 0.02,
        "area {area} vs {expected}"
    );
    // The hull of 10,000 uniform points nearly fills the 3 m disc: about π·(3 + 0.5)².
    let disc = std::f64::consts::PI * 3.5 * 3.5;
    assert!((area - disc).abs() / disc < 0.03, "area {area} vs {disc}");

    let cov = zone_coverage(&site, &runs(&state), &day(), T0 + 24 * HOUR, 24.0);
    assert!((cov[zi].covered_m2 - area).abs() < 1e-9, "all in its zone");
    assert!(cov[zi].covered_m2 <= site.zones[zi].area_m2);
    assert!(
        cov.iter()
            .enumerate()
            .all(|(j, z)| j == zi || z.covered_m2 == 0.0)
    );
    assert_eq!(cov[zi].by_kind[1].covered_m2, 0.0, "no scrubber ran");
    let shapes = coverage_shapes(&site, &runs(&state), &day());
    assert_eq!(shapes[0].polygons.len(), 1, "one disc");
    assert!(shapes[0].polygons[0].holes.is_empty());
}

#[test]
fn a_zigzag_covers_its_band_grown_by_half_the_cleaning_width() {
    let site = plattan();
    let (zi, spot) = parking_spot(&site, 6.0).unwrap();
    // 10,000 points between y = ±2 m while x goes from -4 to +4 m (local metres, 26° off the grid).
    let path: Vec<Coord<f64>> = (0..10_000)
        .map(|i| Coord {
            x: spot.x - 4.0 + 8.0 * f64::from(i) / 9_999.0,
            y: spot.y + if i % 2 == 0 { -2.0 } else { 2.0 },
        })
        .collect();
    let state = fold(&site, MachineKind::Skurmaskin, &path);
    // The skurmaskin cleans 0.4 m either side: the 8 × 4 m band grown by 0.4 m.
    let r = 0.4;
    let expected = 8.0 * 4.0 + 2.0 * (8.0 + 4.0) * r + std::f64::consts::PI * r * r;
    let cov = zone_coverage(&site, &runs(&state), &day(), T0 + 24 * HOUR, 24.0);
    let area = cov[zi].by_kind[1].covered_m2;
    // Straight edges at 26° to the grid: the half cells gained and lost along them cancel to a few cells.
    assert!(
        (area - expected).abs() / expected < 0.015,
        "area {area} vs {expected}"
    );
    assert_eq!(cov[zi].covered_m2, area);
    assert!(
        cov.iter()
            .enumerate()
            .all(|(j, z)| j == zi || z.covered_m2 == 0.0)
    );
}

#[test]
fn a_zigzag_over_the_whole_square_covers_every_zone() {
    let site = plattan();
    let state = fold(
        &site,
        MachineKind::Skurmaskin,
        &zigzag_across_site(&site, 10_000),
    );
    let covered = covered_area(&site, &runs(&state), None, &day());
    // The path fills the site's bounding box, so every cell on the site is covered: the site's area, up
    // to the cells its outline cuts, which lie within half a cell's diagonal of it (a band of 2 · c/√2 ·
    // 358 m = 127 m², 1.5 %; the gains and losses along straight edges cancel to far less).
    let outline = Euclidean.length(site.boundary.exterior());
    let band = outline * COVERAGE_CELL_M * std::f64::consts::SQRT_2;
    assert!(
        (covered.area_m2() - site.area_m2).abs() < band,
        "{} vs {} ± {band}",
        covered.area_m2(),
        site.area_m2
    );
    let cov = zone_coverage(&site, &runs(&state), &day(), T0 + 24 * HOUR, 24.0);
    for z in &cov {
        assert!(z.share > 0.99, "{} {}", z.zone_id, z.share);
        assert_eq!(z.by_kind[0].covered_m2, 0.0);
    }
    let shapes = coverage_shapes(&site, &runs(&state), &day());
    assert_drawn_on_site(&site, &shapes);
    let vertices: usize = shapes[1].polygons.iter().map(|p| p.exterior.len()).sum();
    assert!(
        vertices < 500,
        "the outline is simplified: {vertices} vertices"
    );
}

#[test]
fn broken_runs_neither_panic_nor_cover_anything_off_the_site() {
    let site = plattan();
    let (zi, spot) = parking_spot(&site, 2.0).unwrap();
    let far = Coord {
        x: spot.x + 5_000.0,
        y: spot.y,
    };
    let nan = Coord {
        x: f64::NAN,
        y: spot.y,
    };
    let huge = Coord {
        x: 1e300,
        y: -1e300,
    };
    let disc = std::f64::consts::PI * 0.5 * 0.5;
    let cases: [(&str, Vec<Coord<f64>>, f64); 6] = [
        ("one point", vec![spot], disc),
        ("two identical points", vec![spot, spot], disc),
        ("NaN only", vec![nan, nan], 0.0),
        ("NaN between", vec![spot, nan, spot, nan], disc),
        (
            "far off",
            vec![
                far,
                far,
                Coord {
                    x: far.x,
                    y: far.y + 30.0,
                },
            ],
            0.0,
        ),
        ("absurd", vec![huge, huge, nan], 0.0),
    ];
    for (name, path, want) in cases {
        let state = fold(&site, MachineKind::Fimpsug, &path);
        let area = covered_area(&site, &runs(&state), None, &day()).area_m2();
        // A disc of 0.5 m (two cells) holds 11 to 14 cell centres of 1/16 m², by where it falls on the
        // grid: within two cells' area of π/4 m².
        let cell = COVERAGE_CELL_M * COVERAGE_CELL_M;
        assert!(
            (area - want).abs() <= 2.0 * cell,
            "{name}: {area} vs {want}"
        );
        let cov = zone_coverage(&site, &runs(&state), &day(), T0 + 24 * HOUR, 24.0);
        let others: f64 = cov
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != zi)
            .map(|(_, z)| z.covered_m2)
            .sum();
        assert_eq!(others, 0.0, "{name}");
        assert_eq!(cov[zi].covered_m2, area, "{name}");
        assert_drawn_on_site(&site, &coverage_shapes(&site, &runs(&state), &day()));
    }
}

#[test]
fn as_gps_fixes_the_jitter_and_the_zigzag_are_not_believed() {
    let site = plattan();
    let (_, spot) = parking_spot(&site, 4.0).unwrap();
    let cases = [
        (
            "jitter",
            MachineKind::Fimpsug,
            jitter_path(spot, 3.0, 10_000, 7),
        ),
        (
            "zigzag",
            MachineKind::Skurmaskin,
            zigzag_across_site(&site, 10_000),
        ),
    ];
    for (name, kind, path) in cases {
        let state = State::fold(&run_ops(&site, kind, 1, T0, &path, Some(4.0)));
        let area = covered_area(&site, &runs(&state), None, &day()).area_m2();
        // The parked machine never moves; of the zigzag only the points along one edge are within
        // reach of each other, and they creep 11 m a quarter of an hour.
        assert!(area < 1.0, "{name}: {area} m²");
    }
}
