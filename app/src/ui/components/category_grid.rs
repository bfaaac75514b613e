//! The cleaner's big category buttons.

use dioxus::prelude::*;
use torgkoll_shared::CleaningCategory;

use super::pins::{category_color, themed};
use crate::ui::state::theme::use_night;
use crate::ui::state::use_lang;

/// The eight categories on the cleaner's home screen, in the order they are asked for most.
pub const QUICK: [CleaningCategory; 8] = [
    CleaningCategory::Fimpar,
    CleaningCategory::Nedskrapning,
    CleaningCategory::Glaskross,
    CleaningCategory::Kanyler,
    CleaningCategory::Klotter,
    CleaningCategory::Spyor,
    CleaningCategory::OverfullPapperskorg,
    CleaningCategory::Annat,
];

/// The id of a category's button.
pub fn cat_id(c: CleaningCategory) -> String {
    format!("cat-{}", c.code())
}

#[component]
pub fn CategoryGrid(
    categories: Vec<CleaningCategory>,
    armed: Option<CleaningCategory>,
    on_pick: EventHandler<CleaningCategory>,
) -> Element {
    let lang = use_lang();
    let night = use_night();
    rsx! {
        div { class: "cat-grid",
            for c in categories {
                button {
                    key: "{c.code()}",
                    id: cat_id(c),
                    class: if armed == Some(c) { "armed" } else { "" },
                    style: "border-left-color: {themed(category_color(c), night)}",
                    onclick: move |_| on_pick.call(c),
                    "{c.label(lang)}"
                }
            }
        }
    }
}
