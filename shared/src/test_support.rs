//! Fixtures for tests and benchmarks in this and other crates (not for production code).

use crate::site::Site;

/// The Plattan, loaded from the built-in site plan.
pub fn plattan() -> Site {
    Site::from_geojson(crate::PLATTAN_GEOJSON).expect("the built-in site plan loads")
}
