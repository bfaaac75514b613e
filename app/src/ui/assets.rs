//! The stylesheet and icons, declared with `asset!()` so that `dx` bundles them with the app.
//!
//! `asset!()` URLs work when `dx` built the app (bundled assets) and under `cargo run`/`cargo test`
//! (source paths). A binary built by plain `cargo build` and started directly has neither: then the same
//! files, compiled in, are used inline.

use dioxus::prelude::*;

pub const STYLE: Asset = asset!("/assets/app.css");
const STYLE_TEXT: &str = include_str!("../../assets/app.css");
/// The night theme's palette, in force under `.app.night` (see `state::theme`).
pub const NIGHT_STYLE: Asset = asset!("/assets/night.css");
const NIGHT_STYLE_TEXT: &str = include_str!("../../assets/night.css");

const TBANA: Asset = asset!("/assets/icons/tbana.svg");
const OFFICE: Asset = asset!("/assets/icons/office.svg");
const STAIRS: Asset = asset!("/assets/icons/stairs.svg");
const LANDMARK: Asset = asset!("/assets/icons/landmark.svg");

/// Whether an asset's URL leads to the file (see the module documentation).
pub fn served(a: &Asset) -> bool {
    !a.to_string().contains(BundledAsset::PLACEHOLDER_HASH)
}

/// The stylesheets: linked when assets are served, inline otherwise.
#[component]
pub fn AppStyle() -> Element {
    if served(&STYLE) {
        rsx! {
            document::Stylesheet { href: STYLE }
            document::Stylesheet { href: NIGHT_STYLE }
        }
    } else {
        rsx! {
            style { {STYLE_TEXT} }
            style { {NIGHT_STYLE_TEXT} }
        }
    }
}

fn data_uri(svg: &str) -> String {
    let body: String = svg
        .trim()
        .chars()
        .map(|c| match c {
            '#' => "%23".to_owned(),
            '%' => "%25".to_owned(),
            '\n' => " ".to_owned(),
            c => c.to_string(),
        })
        .collect();
    format!("data:image/svg+xml;utf8,{body}")
}

/// The icon of a landmark kind.
pub fn icon(kind: &str) -> String {
    let (asset, text) = match kind {
        "subway_entrance" => (TBANA, include_str!("../../assets/icons/tbana.svg")),
        "office" => (OFFICE, include_str!("../../assets/icons/office.svg")),
        "stairs" => (STAIRS, include_str!("../../assets/icons/stairs.svg")),
        _ => (LANDMARK, include_str!("../../assets/icons/landmark.svg")),
    };
    if served(&asset) {
        asset.to_string()
    } else {
        data_uri(text)
    }
}
