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
