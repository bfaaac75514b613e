//! The big category buttons: this phone's most-used categories first (in the shift's order, which does
//! not move mid-shift), and "Fler…" for the rest, so every category is within two taps.

use dioxus::prelude::*;
use torgkoll_shared::CleaningCategory;

use super::pins::{category_color, themed};
use crate::ui::i18n::Msg;
use crate::ui::state::theme::use_night;
use crate::ui::state::use_lang;

/// How many categories the grid shows before "Fler…".
pub const SHOWN: usize = 8;

/// A label that may wrap after its slashes ("Spyor/urin/avföring"), not inside a word.
fn breakable(label: &str) -> String {
    label.replace('/', "/\u{200B}")
}

/// The id of a category's button.
pub fn cat_id(c: CleaningCategory) -> String {
    format!("cat-{}", c.code())
}

#[component]
pub fn CategoryGrid(
    /// Every category, the first ones shown at once.
    categories: Vec<CleaningCategory>,
    armed: Option<CleaningCategory>,
    on_pick: EventHandler<CleaningCategory>,
) -> Element {
    let lang = use_lang();
    let night = use_night();
    let mut more = use_signal(|| false);
    let (first, rest) = categories.split_at(SHOWN.min(categories.len()));
    let (first, rest) = (first.to_vec(), rest.to_vec());
    // An armed category from "Fler…" shows as the last button, so the person sees what is armed.
    let armed_extra = armed.filter(|a| rest.contains(a));
    rsx! {
        div { class: "cat-grid",
            for c in first {
                button {
                    key: "{c.code()}",
                    id: cat_id(c),
                    class: if armed == Some(c) { "armed" } else { "" },
                    style: "border-left-color: {themed(category_color(c), night)}",
                    onclick: move |_| on_pick.call(c),
                    "{breakable(c.label(lang))}"
                }
            }
            if !rest.is_empty() {
                button {
                    id: "cat-more",
                    class: if armed_extra.is_some() { "more armed" } else { "more" },
                    onclick: move |_| more.set(!more()),
                    match armed_extra {
                        Some(c) => rsx! { "{breakable(c.label(lang))}" },
                        None => rsx! { "{Msg::More.t(lang)}" },
                    }
                }
            }
        }
        if more() {
            div { class: "sheet cat-more", id: "more-sheet",
                h2 { "{Msg::MoreCategories.t(lang)}" }
                div { class: "cat-grid",
                    for c in rest {
                        button {
                            key: "{c.code()}",
                            id: cat_id(c),
                            class: if armed == Some(c) { "armed" } else { "" },
                            style: "border-left-color: {themed(category_color(c), night)}",
                            onclick: move |_| {
                                more.set(false);
                                on_pick.call(c);
                            },
                            "{breakable(c.label(lang))}"
                        }
                    }
                }
                div { class: "actions",
                    button { id: "more-close", onclick: move |_| more.set(false), "{Msg::Close.t(lang)}" }
                }
            }
        }
    }
}
