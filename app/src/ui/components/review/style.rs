//! The review screens' stylesheet, declared with `asset!()` like the app's own (see `ui::assets`): linked
//! when assets are served, compiled in otherwise.

use dioxus::prelude::*;

use crate::ui::assets::served;

pub const REVIEW_STYLE: Asset = asset!("/assets/review.css");
const REVIEW_STYLE_TEXT: &str = include_str!("../../../../assets/review.css");

#[component]
pub fn ReviewStyle() -> Element {
    if served(&REVIEW_STYLE) {
        rsx! { document::Stylesheet { href: REVIEW_STYLE } }
    } else {
        rsx! { style { {REVIEW_STYLE_TEXT} } }
    }
}
