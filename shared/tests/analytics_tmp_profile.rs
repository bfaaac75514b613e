use std::time::Instant;
use torgkoll_shared::State;
use torgkoll_shared::analytics::*;
use torgkoll_shared::analytics::demo::{self, DemoConfig};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::test_support::plattan;

#[test]
fn profile() {
    let site = plattan();
    let start = Date::parse("2025-11-27").unwrap();
    let cfg = DemoConfig::busy_year(2026, start);
    let ops = demo::generate(&site, &cfg);
    let state = State::fold(&ops);
    let last = start.add_days(364);
    let period = Period::day(last);
    let now = period.to_ms;
    let reports: Vec<_> = state.known_reports().collect();
    let runs: Vec<_> = state.runs.values().collect();
    let day_runs: Vec<_> = runs.iter().copied().filter(|r| coverage::may_overlap(r, &period)).collect();
    macro_rules! t { ($name:expr, $e:expr) => {{ let s = Instant::now(); let r = $e; eprintln!("{:>20}: {:?}", $name, s.elapsed()); r }} }
    t!("collect", state.known_reports().collect::<Vec<_>>());
    t!("hotspots day", hotspots::hotspot_grid(&site, reports.iter().copied(), &period, 5.0, None));
    t!("open", freshness::open_items(&site, reports.iter().copied(), now));
    t!("recurring", recurring::recurring_hotspots(&site, reports.iter().copied(), last, RecurringRule::default()));
    t!("zone_cov", coverage::zone_coverage(&site, &day_runs, &period, now, 24.0));
    t!("last_cleaned", coverage::last_cleaned(&site, &runs, now));
    t!("shapes", coverage::coverage_shapes(&site, &day_runs, &period));
    t!("dist", disturbances::disturbance_summary(reports.iter().copied(), &period));
    t!("heat", disturbances::disturbance_heat(&site, reports.iter().copied(), &period));
    t!("fresh", freshness::freshness(&site, reports.iter().copied(), &runs, now));
    t!("all", Lagesbild::build(&site, &state, &LagesbildInput::new(last, now, vec![])));
}
