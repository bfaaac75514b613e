//! Machine runs that stress the coverage, for its tests and benchmarks: a parked machine's GPS jitter (the
//! path crosses itself thousands of times in a few square metres) and a zigzag across the whole site from
//! one end to the other (every segment crosses the square). Both made a polygon union of the buffered path
//! take tens of seconds at 2,000 points; GPS tracks make runs of 10,000 points normal.
//!
//! Sent as tapped points (`acc: None`) they are the painting's worst case, since taps are painted as they
//! are; sent as GPS fixes the coverage no longer believes them (the jitter never moves, the zigzag is out
//! of any machine's reach), which the tests check too.

use geo::{Contains, Coord, InteriorPoint, LineString, Polygon};

use super::{Draft, SplitMix64, device, finish, push};
use crate::op::{OpBody, Operation, TrackPoint};
use crate::site::Site;
use crate::vocab::{Lang, MachineKind, Role};

/// Track points per chunk, as a phone sends them.
const CHUNK: usize = 60;
/// Time between two track points (ms).
const STEP_MS: i64 = 1_000;

/// `n` points uniform in the disc of `radius_m` around `centre` (local metres): a parked machine's GPS fixes.
pub fn jitter_path(centre: Coord<f64>, radius_m: f64, n: usize, seed: u64) -> Vec<Coord<f64>> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let r = radius_m * rng.unit().sqrt();
            let a = std::f64::consts::TAU * rng.unit();
            Coord {
                x: centre.x + r * a.cos(),
                y: centre.y + r * a.sin(),
            }
        })
        .collect()
}

/// `n` points (local metres) zigzagging between the bottom and top of the view rectangle `[x0, x1] × [y0,
/// y1]` while advancing from `x0` to `x1`: a band along the site's axis.
pub fn zigzag_path(site: &Site, view: (f64, f64, f64, f64), n: usize) -> Vec<Coord<f64>> {
    let (x0, y0, x1, y1) = view;
    let last = n.saturating_sub(1).max(1) as f64;
    (0..n)
        .map(|i| {
            let v = Coord {
                x: x0 + (x1 - x0) * i as f64 / last,
                y: if i % 2 == 0 { y0 } else { y1 },
            };
            site.frame.view_to_local(v)
        })
        .collect()
}

/// A zigzag of `n` points over the site's whole view bounding box, end to end along its axis.
pub fn zigzag_across_site(site: &Site, n: usize) -> Vec<Coord<f64>> {
    zigzag_path(site, site.view_bounds(), n)
}

/// A zone with room for a disc of `radius_m` around its interior point, and that point (local metres).
pub fn parking_spot(site: &Site, radius_m: f64) -> Option<(usize, Coord<f64>)> {
    site.zones.iter().enumerate().find_map(|(i, z)| {
        let c = z.polygon.interior_point()?.0;
        let disc: LineString<f64> = (0..=64)
            .map(|k| {
                let a = std::f64::consts::TAU * f64::from(k) / 64.0;
                Coord {
                    x: c.x + radius_m * a.cos(),
                    y: c.y + radius_m * a.sin(),
                }
            })
            .collect();
        z.polygon
            .contains(&Polygon::new(disc, vec![]))
            .then_some((i, c))
    })
}

/// A run of `kind` along the local `path`, one point a second from `started`, each with accuracy `acc`
/// (`None`: tapped), by cleaner device `n`: start, point chunks and stop. Points are not rounded, so NaN
/// and far-off points stay as given.
pub fn run_ops(
    site: &Site,
    kind: MachineKind,
    n: u8,
    started: i64,
    path: &[Coord<f64>],
    acc: Option<f32>,
) -> Vec<Operation> {
    let points: Vec<TrackPoint> = path
        .iter()
        .zip(1..)
        .map(|(c, i)| TrackPoint {
            at: site.frame.from_local(*c),
            t: started + STEP_MS * i,
            acc,
        })
        .collect();
    points_run(kind, n, started, &points)
}

/// A run of `kind` with the given points (in time order, after `started`), by cleaner device `n`: start,
/// point chunks as a phone sends them, and stop a second after the last point.
pub fn points_run(kind: MachineKind, n: u8, started: i64, points: &[TrackPoint]) -> Vec<Operation> {
    let mut rng = SplitMix64::new(started as u64 ^ u64::from(n));
    let mut drafts: Vec<Draft> = Vec::new();
    let cleaner = device(Role::Cleaner, n);
    let machine = format!("{} {n}", kind.label(Lang::Sv));
    let body = OpBody::RunStart {
        kind,
        machine,
        started,
    };
    let run = push(&mut drafts, &mut rng, started, cleaner, Role::Cleaner, body);
    let mut t = started;
    for chunk in points.chunks(CHUNK) {
        t = chunk.last().map_or(t, |p| p.t);
        let body = OpBody::RunPoints {
            run,
            points: chunk.to_vec(),
        };
        push(&mut drafts, &mut rng, t, cleaner, Role::Cleaner, body);
    }
    let stopped = t + STEP_MS;
    let body = OpBody::RunStop { run, stopped };
    push(&mut drafts, &mut rng, stopped, cleaner, Role::Cleaner, body);
    finish(drafts)
}

/// Two stress runs starting at `started`, as tapped points (the painting's worst case): a fimpsug parked for
/// `n` points with ±3 m of jitter in the first zone with room, and a skurmaskin zigzagging `n` points
/// across the whole site (devices 11 and 12).
pub fn stress_runs(site: &Site, started: i64, n: usize) -> Vec<Operation> {
    let (_, spot) = parking_spot(site, 4.0).expect("a zone with room for a parked machine");
    let mut ops = run_ops(
        site,
        MachineKind::Fimpsug,
        11,
        started,
        &jitter_path(spot, 3.0, n, 42),
        None,
    );
    ops.extend(run_ops(
        site,
        MachineKind::Skurmaskin,
        12,
        started,
        &zigzag_across_site(site, n),
        None,
    ));
    ops
}
