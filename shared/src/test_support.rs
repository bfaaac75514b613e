//! Fixtures for tests and benchmarks in this and other crates (not for production code).

use crate::site::Site;

/// The Plattan, loaded from the built-in site plan.
pub fn plattan() -> Site {
    Site::from_geojson(crate::PLATTAN_GEOJSON).expect("the built-in site plan loads")
}

/// The second site plan shipped in `assets/sites/` (a draft, see its README): its own vocabulary, no
/// skurmaskin. For tests of several sites.
pub const MEDBORGARPLATSEN_GEOJSON: &str =
    include_str!("../../assets/sites/medborgarplatsen.geojson");

/// Medborgarplatsen, loaded from [`MEDBORGARPLATSEN_GEOJSON`].
pub fn medborgarplatsen() -> Site {
    Site::from_geojson(MEDBORGARPLATSEN_GEOJSON).expect("the second site plan loads")
}

/// Place words for [`bench_note`].
const NOTE_WORDS: [&str; 8] = [
    "kvar",
    "rulltrappan",
    "söder",
    "fontänen",
    "entrén Drottninggatan",
    "vid",
    "norr",
    "löv",
];

/// The note of report number `i` in a benchmark: on every other report a few place words, as the
/// fleet's workload writes them, so that bodies are the size of real ones; none on the others.
pub fn bench_note(i: usize) -> Option<String> {
    (i.is_multiple_of(2)).then(|| {
        (0..1 + i % 6)
            .map(|k| NOTE_WORDS[(i * 7 + k * 3) % NOTE_WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    })
}
