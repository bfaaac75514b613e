//! Machine coverage and the daily report on a day with two long runs that stress it: a parked fimpsug's GPS
//! jitter (±3 m) and a skurmaskin zigzagging across the whole site, each of `TORGKOLL_BENCH_POINTS` points
//! (10,000 unless set), on top of an ordinary busy day from the demo generator (four weeks of history).
//!
//! Run: `cargo bench -p torgkoll-shared --bench coverage`
//! One timed call of each instead of criterion's statistics (for slow code): `TORGKOLL_BENCH_ONCE=1`.

use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use torgkoll_shared::analytics::coverage::{covered_by_kind, shapes_of, zone_coverage};
use torgkoll_shared::analytics::demo::{self, DemoConfig, stress};
use torgkoll_shared::analytics::html::{render_html, site_map_svg};
use torgkoll_shared::analytics::{Lagesbild, LagesbildInput, Period};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{Run, Site, State};

struct Day {
    site: Site,
    state: State,
    period: Period,
    input: LagesbildInput,
}

fn stress_day() -> Day {
    let points = std::env::var("TORGKOLL_BENCH_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let site = plattan();
    let date = Date::parse("2026-11-20").unwrap();
    let (from, to) = date.bounds_ms();
    let mut ops = demo::generate(&site, &DemoConfig::busy_weeks(7, date, 4));
    ops.extend(stress::stress_runs(&site, from + 10 * 3_600_000, points));
    let state = State::fold(&ops);
    eprintln!(
        "stress day: {} operations, {} runs, two stress runs of {points} points",
        ops.len(),
        state.runs.len()
    );
    let input = LagesbildInput::new(date, to + 3_600_000, demo::staff());
    Day {
        site,
        state,
        period: Period::day(date),
        input,
    }
}

/// The runs of one kind of stress: the jitter (fimpsug 11) or the zigzag (skurmaskin 12), or all.
fn runs<'a>(state: &'a State, machine: Option<&str>) -> Vec<&'a Run> {
    state
        .runs
        .values()
        .filter(|r| machine.is_none_or(|m| r.machine.as_deref() == Some(m)))
        .collect()
}

fn sizes(d: &Day) {
    let l = Lagesbild::build(&d.site, &d.state, &d.input);
    let svg = site_map_svg(&d.site, &l);
    let html = render_html(&d.site, &l);
    let polygons: usize = l.coverage_shapes.iter().map(|s| s.polygons.len()).sum();
    let vertices: usize = l
        .coverage_shapes
        .iter()
        .flat_map(|s| &s.polygons)
        .map(|p| p.exterior.len() + p.holes.iter().map(Vec::len).sum::<usize>())
        .sum();
    eprintln!(
        "lägesbild: map SVG {} B, HTML {} B, JSON {} B; coverage {polygons} polygons, {vertices} vertices",
        svg.len(),
        html.len(),
        l.to_json().len()
    );
}

fn once(d: &Day) {
    let time = |name: &str, f: &dyn Fn()| {
        let t = Instant::now();
        f();
        eprintln!("{name}: {:.3} s", t.elapsed().as_secs_f64());
    };
    for (name, m) in [
        ("jitter", Some("Fimpsug 11")),
        ("zigzag", Some("Skurmaskin 12")),
    ] {
        let r = runs(&d.state, m);
        time(&format!("covered_by_kind {name}"), &|| {
            black_box(covered_by_kind(&d.site, &r, &d.period));
        });
    }
    let all = runs(&d.state, None);
    time("zone_coverage day", &|| {
        black_box(zone_coverage(
            &d.site,
            &all,
            &d.period,
            d.input.now_ms,
            24.0,
        ));
    });
    time("lagesbild day", &|| {
        black_box(Lagesbild::build(&d.site, &d.state, &d.input));
    });
}

fn bench(c: &mut Criterion, d: &Day) {
    let mut g = c.benchmark_group("coverage");
    g.sample_size(20);
    for (name, m) in [
        ("covered_by_kind_jitter", Some("Fimpsug 11")),
        ("covered_by_kind_zigzag", Some("Skurmaskin 12")),
    ] {
        let r = runs(&d.state, m);
        g.bench_function(name, |b| {
            b.iter(|| covered_by_kind(black_box(&d.site), &r, &d.period))
        });
    }
    let all = runs(&d.state, None);
    g.bench_function("zone_coverage_stress_day", |b| {
        b.iter(|| zone_coverage(black_box(&d.site), &all, &d.period, d.input.now_ms, 24.0))
    });
    let covered = covered_by_kind(&d.site, &all, &d.period);
    g.bench_function("shapes_stress_day", |b| {
        b.iter(|| shapes_of(black_box(&covered)))
    });
    g.bench_function("lagesbild_stress_day", |b| {
        b.iter(|| Lagesbild::build(black_box(&d.site), black_box(&d.state), &d.input))
    });
    g.finish();
}

fn main() {
    let d = stress_day();
    if std::env::var_os("TORGKOLL_BENCH_ONCE").is_some() {
        once(&d);
        sizes(&d);
        return;
    }
    sizes(&d);
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &d);
    c.final_summary();
}
