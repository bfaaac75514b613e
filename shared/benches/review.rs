//! The review analytics over a year of a busy site (about 500,000 operations, generated deterministically):
//! the daily report (lägesbild) for one day, and the hotspot grid over the whole year.
//!
//! Run: `cargo bench -p torgkoll-shared --bench review`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use torgkoll_shared::State;
use torgkoll_shared::analytics::demo::{self, DemoConfig};
use torgkoll_shared::analytics::hotspots::{CELL_M, hotspot_grid};
use torgkoll_shared::analytics::html::render_html;
use torgkoll_shared::analytics::{Lagesbild, LagesbildInput, Period};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;

fn review(c: &mut Criterion) {
    let site = plattan();
    let start = Date::parse("2025-11-27").unwrap();
    let cfg = DemoConfig::busy_year(2026, start);
    let ops = demo::generate(&site, &cfg);
    let state = State::fold(&ops);
    let last = start.add_days(i64::from(cfg.days) - 1);
    let year = Period::new(start.bounds_ms().0, last.bounds_ms().1);
    eprintln!(
        "year of a busy site: {} operations, {} reports, {} runs, {} track points",
        ops.len(),
        state.reports.len(),
        state.runs.len(),
        state
            .runs
            .values()
            .map(|r| r.chunks.values().map(Vec::len).sum::<usize>())
            .sum::<usize>()
    );
    drop(ops);
    let input = LagesbildInput::new(last, last.bounds_ms().1 + 3_600_000, demo::staff());

    let mut g = c.benchmark_group("review");
    g.sample_size(20);
    g.bench_function("lagesbild_day_of_busy_year", |b| {
        b.iter(|| Lagesbild::build(black_box(&site), black_box(&state), &input))
    });
    let l = Lagesbild::build(&site, &state, &input);
    g.bench_function("lagesbild_render_html", |b| {
        b.iter(|| render_html(black_box(&site), black_box(&l)))
    });
    g.bench_function("hotspot_grid_busy_year", |b| {
        b.iter(|| hotspot_grid(black_box(&site), state.known_reports(), &year, CELL_M, None))
    });
    g.finish();
}

criterion_group!(benches, review);
criterion_main!(benches);
