//! Writes a made-up recorded track as a replay file (`torgkoll --replay-track FILE`): a machine driving
//! lanes over a band of a zone at walking pace, one fix a second, with GPS noise and rare outliers.
//!
//! `cargo run -p torgkoll-app --example make_track -- ZONE FROM TO NOISE_M OUT.geojson`
//! e.g. `... -- Z3 0.0 0.4 3 assets/tracks/skurmaskin-plattan-norra.geojson`

use torgkoll_app::demo_track::{LanesSpec, lanes};
use torgkoll_shared::MachineKind;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [zone, from, to, noise, out] = &args[..] else {
        eprintln!("usage: make_track ZONE FROM TO NOISE_M OUT.geojson");
        std::process::exit(2);
    };
    let num = |s: &str| {
        s.parse::<f64>().unwrap_or_else(|_| {
            eprintln!("not a number: {s}");
            std::process::exit(2)
        })
    };
    let spec = LanesSpec {
        zone: zone.clone(),
        band: (num(from), num(to)),
        spacing_m: MachineKind::Skurmaskin.cleaning_width_m(),
        speed_mps: 1.0,
        noise_m: num(noise),
        outliers: 0.01,
        seed: 2026,
    };
    let site = torgkoll_shared::test_support::plattan();
    let Some(made) = lanes(&site, &spec) else {
        eprintln!("no such zone, or an empty band: {zone}");
        std::process::exit(1);
    };
    if let Err(e) = std::fs::write(out, made.track.to_geojson()) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
    println!(
        "{out}: {} fixes over {} s",
        made.track.vertices.len(),
        made.track.duration_ms() / 1_000
    );
}
