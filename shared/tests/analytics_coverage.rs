//! Machine coverage on fixed runs with areas computed by hand.

use geo::{Contains, Coord, Distance, Euclidean, InteriorPoint, Point, Rect};
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::{
    COVERAGE_CELL_M, coverage_shapes, covered_area, zone_coverage,
};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{Hlc, MachineKind, OpBody, Operation, Role, Run, Site, State, TrackPoint};
use uuid::Uuid;

const T0: i64 = 1_795_000_000_000;

fn op(n: u128, t: i64, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x1000 + n),
        device: Uuid::from_u128(0xD1),
        seq: n as u64,
        hlc: Hlc::new(t as u64, 0),
        wall_ms: t,
        role: Role::Cleaner,
        body,
        fix: None,
    }
}

/// A run of `kind` through the local points, one second apart from `t`.
fn run_ops(
    site: &Site,
    n: u128,
    kind: MachineKind,
    t: i64,
    local: &[Coord<f64>],
) -> Vec<Operation> {
    let start = op(
        n,
        t,
        OpBody::RunStart {
            kind,
            machine: "M1".into(),
            started: t,
        },
    );
    let points: Vec<TrackPoint> = local
        .iter()
        .enumerate()
        .map(|(i, c)| TrackPoint {
            at: site.frame.from_local(*c),
            t: t + 1000 * (i as i64 + 1),
            acc: None,
        })
        .collect();
    let end = t + 1000 * (points.len() as i64 + 1);
    let run = start.id;
    vec![
        start,
        op(n + 1, end - 1, OpBody::RunPoints { run, points }),
        op(n + 2, end, OpBody::RunStop { run, stopped: end }),
    ]
}

/// A closed rectangle of `w` × `h` metres centred on `c`, as a path (with points every metre along it).
fn rectangle(c: Coord<f64>, w: f64, h: f64) -> Vec<Coord<f64>> {
    let corners = [
        (-w / 2.0, -h / 2.0),
        (w / 2.0, -h / 2.0),
        (w / 2.0, h / 2.0),
        (-w / 2.0, h / 2.0),
        (-w / 2.0, -h / 2.0),
    ];
    let mut out = Vec::new();
    for pair in corners.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let steps = ((b.0 - a.0).abs() + (b.1 - a.1).abs()).ceil() as usize;
        for i in 0..steps {
            let f = i as f64 / steps as f64;
            out.push(Coord {
                x: c.x + a.0 + (b.0 - a.0) * f,
                y: c.y + a.1 + (b.1 - a.1) * f,
            });
        }
    }
    out.push(Coord {
        x: c.x + corners[0].0,
        y: c.y + corners[0].1,
    });
    out
}

/// A zone with room for a 10 × 6 m rectangle plus a metre around it, and the rectangle's centre.
fn roomy_zone(site: &Site) -> (usize, Coord<f64>) {
    for (i, z) in site.zones.iter().enumerate() {
        let c = z.polygon.interior_point().unwrap().0;
        let room = Rect::new(
            Coord {
                x: c.x - 7.0,
                y: c.y - 5.0,
            },
            Coord {
                x: c.x + 7.0,
                y: c.y + 5.0,
            },
        );
        if z.polygon.contains(&room.to_polygon()) {
            return (i, c);
        }
    }
    panic!("no zone has room for the test rectangle");
}

fn runs(state: &State) -> Vec<&Run> {
    state.runs.values().collect()
}

#[test]
fn a_run_around_a_rectangle_covers_a_known_share_of_its_zone() {
    let site = plattan();
    let (zi, c) = roomy_zone(&site);
    let ops = run_ops(&site, 1, MachineKind::Fimpsug, T0, &rectangle(c, 10.0, 6.0));
    let state = State::fold(&ops);
    let period = Period::new(T0, T0 + 3_600_000);
    // The fimpsug cleans 1 m: a band 0.5 m either side of the path. The outer outline is 11 × 7 with
    // rounded corners of radius 0.5 (each loses (1 - π/4)·0.25 m²), the hole 9 × 5.
    let expected = 11.0 * 7.0 - 4.0 * (1.0 - std::f64::consts::FRAC_PI_4) * 0.25 - 9.0 * 5.0;
    let area = covered_area(&site, &runs(&state), None, &period).area_m2();
    assert!(
        (area - expected).abs() / expected < 0.015,
        "area {area} vs {expected}"
    );

    let cov = zone_coverage(&site, &runs(&state), &period, T0 + 3_600_000, 24.0);
    let zone = &cov[zi];
    let share = expected / site.zones[zi].area_m2;
    assert!(
        (zone.share - share).abs() / share < 0.015,
        "share {} vs {share}",
        zone.share
    );
    assert_eq!(zone.by_kind[0].kind, MachineKind::Fimpsug);
    assert!((zone.by_kind[0].share - share).abs() / share < 0.015);
    assert_eq!(zone.by_kind[1].covered_m2, 0.0, "no scrubber ran");
    for (j, other) in cov.iter().enumerate() {
        if j != zi {
            assert_eq!(other.covered_m2, 0.0, "{} got coverage", other.zone_id);
        }
    }
    // Last cleaned: the last of the 33 points (32 m of perimeter, closed), 33 s after the start.
    let last = zone.last_cleaned_ms.unwrap();
    assert_eq!(last, T0 + 33_000);
    assert!(!zone.stale);
    assert!(
        cov.iter()
            .enumerate()
            .all(|(j, z)| j == zi || (z.stale && z.last_cleaned_ms.is_none()))
    );
}

#[test]
fn overlapping_runs_count_once_and_only_the_period_counts() {
    let site = plattan();
    let (zi, c) = roomy_zone(&site);
    let path = rectangle(c, 10.0, 6.0);
    let mut ops = run_ops(&site, 1, MachineKind::Fimpsug, T0, &path);
    ops.extend(run_ops(
        &site,
        10,
        MachineKind::Fimpsug,
        T0 + 600_000,
        &path,
    ));
    // A scrubber run the day before: outside the period.
    ops.extend(run_ops(
        &site,
        20,
        MachineKind::Skurmaskin,
        T0 - 86_400_000,
        &path,
    ));
    let state = State::fold(&ops);
    let period = Period::new(T0, T0 + 3_600_000);
    let once = 11.0 * 7.0 - (4.0 - std::f64::consts::PI) * 0.25 - 45.0;
    let cov = zone_coverage(&site, &runs(&state), &period, T0 + 30 * 3_600_000, 24.0);
    assert!(
        (cov[zi].covered_m2 - once).abs() / once < 0.015,
        "{}",
        cov[zi].covered_m2
    );
    assert_eq!(cov[zi].by_kind[1].covered_m2, 0.0);
    // 30 h after T0, the last run point (T0 + 10 min + 36 s) is more than 24 h ago.
    assert!(cov[zi].stale);
    assert_eq!(cov[zi].hours_since, Some(29.8));
}

#[test]
fn coverage_is_clipped_to_the_site() {
    let site = plattan();
    // From a zone's centre straight out 200 m east: only the part on the site is covered.
    let c = site.zones[0].polygon.interior_point().unwrap().0;
    let path: Vec<Coord<f64>> = (0..=200)
        .map(|i| Coord {
            x: c.x + f64::from(i),
            y: c.y,
        })
        .collect();
    let state = State::fold(&run_ops(&site, 1, MachineKind::Skurmaskin, T0, &path));
    let period = Period::new(T0, T0 + 3_600_000);
    let covered = covered_area(&site, &runs(&state), None, &period);
    let area = covered.area_m2();
    assert!(area > 10.0 && area < 0.8 * 200.0 * 0.5, "area {area}");
    let shapes = coverage_shapes(&site, &runs(&state), &period);
    // The drawn outline runs along the edges of covered cells, whose centres are on the site: no vertex
    // lies more than half a cell (and the centimetre it is rounded to) off the boundary.
    for v in shapes
        .iter()
        .flat_map(|s| &s.polygons)
        .flat_map(|p| &p.exterior)
    {
        let local = site.frame.view_to_local(Coord { x: v[0], y: v[1] });
        let inside = site.boundary.contains(&Point::from(local))
            || Euclidean.distance(&Point::from(local), &site.boundary)
                <= COVERAGE_CELL_M / 2.0 + 0.01;
        assert!(inside, "{v:?} is off the site");
    }
    assert_eq!(shapes.len(), 2);
    let sk = shapes
        .iter()
        .find(|s| s.kind == MachineKind::Skurmaskin)
        .unwrap();
    assert!((sk.area_m2 - area).abs() < 1e-6);
    assert!(!sk.polygons.is_empty());
}
