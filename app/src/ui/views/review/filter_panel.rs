//! The filter panel of the review map: kind, category (of the chosen kind), zone, status and level, as
//! rows of chips; a chip tapped again clears its filter.

use dioxus::prelude::*;
use torgkoll_shared::site::SiteVocabulary;
use torgkoll_shared::{Classification, Domain};

use super::filter::{StatusFilter, chip_id};
use super::use_review;
use crate::ui::components::pins::status_label;
use crate::ui::i18n::review::Word;
use crate::ui::state::{use_lang, use_services};

fn status_word(s: StatusFilter, lang: torgkoll_shared::Lang) -> &'static str {
    match s {
        StatusFilter::Unreviewed => Word::Unreviewed.t(lang),
        StatusFilter::Is(st) => status_label(st, lang),
    }
}

/// The categories of a kind that the site uses.
fn category_chips(
    kind: Domain,
    vocabulary: &SiteVocabulary,
) -> Vec<(Classification, &'static str)> {
    match kind {
        Domain::Cleaning => vocabulary
            .cleaning
            .iter()
            .map(|c| (Classification::Cleaning(*c), c.code()))
            .collect(),
        Domain::Disturbance => vocabulary
            .disturbance
            .iter()
            .map(|c| (Classification::Disturbance(*c), c.code()))
            .collect(),
    }
}

fn category_label(c: Classification, lang: torgkoll_shared::Lang) -> &'static str {
    match c {
        Classification::Cleaning(c) => c.label(lang),
        Classification::Disturbance(d) => d.label(lang),
    }
}

#[component]
pub fn FilterPanel() -> Element {
    let svc = use_services();
    let rs = use_review();
    let lang = use_lang();
    let mut filter = rs.filter;
    let f = filter.read().clone();
    let zones: Vec<String> = svc.site.zones.iter().map(|z| z.id.clone()).collect();
    let kinds = [
        (Domain::Cleaning, "cleaning", Word::KindCleaning),
        (Domain::Disturbance, "disturbance", Word::KindDisturbance),
    ];
    let show_levels = f.kind != Some(Domain::Cleaning);
    rsx! {
        div { class: "rv-filters", id: "rv-filters",
            div { class: "rv-frow",
                span { class: "rv-flabel", "{Word::Kind.t(lang)}" }
                for (k, code, word) in kinds {
                    button {
                        key: "{code}",
                        id: chip_id("kind", code),
                        class: if f.kind == Some(k) { "on" } else { "" },
                        onclick: move |_| {
                            filter.with_mut(|f| {
                                let next = if f.kind == Some(k) { None } else { Some(k) };
                                f.set_kind(next);
                            })
                        },
                        "{word.t(lang)}"
                    }
                }
            }
            if let Some(kind) = f.kind {
                div { class: "rv-frow",
                    span { class: "rv-flabel", "{Word::Category.t(lang)}" }
                    for (c, code) in category_chips(kind, &svc.site.vocabulary) {
                        button {
                            key: "{code}",
                            id: chip_id("cat", code),
                            class: if f.category == Some(c) { "on" } else { "" },
                            onclick: move |_| {
                                filter.with_mut(|f| {
                                    f.category = if f.category == Some(c) { None } else { Some(c) };
                                })
                            },
                            "{category_label(c, lang)}"
                        }
                    }
                }
            }
            div { class: "rv-frow",
                span { class: "rv-flabel", "{Word::Zone.t(lang)}" }
                for z in zones {
                    button {
                        key: "{z}",
                        id: chip_id("zone", &z),
                        class: if f.zone.as_deref() == Some(z.as_str()) { "on" } else { "" },
                        onclick: {
                            let z = z.clone();
                            move |_| {
                                let z = z.clone();
                                filter.with_mut(|f| {
                                    f.zone = if f.zone.as_deref() == Some(z.as_str()) { None } else { Some(z) };
                                })
                            }
                        },
                        "{z}"
                    }
                }
            }
            div { class: "rv-frow",
                span { class: "rv-flabel", "{Word::Status.t(lang)}" }
                for s in StatusFilter::ALL {
                    button {
                        key: "{s.code()}",
                        id: chip_id("status", s.code()),
                        class: if f.status == Some(s) { "on" } else { "" },
                        onclick: move |_| {
                            filter.with_mut(|f| {
                                f.status = if f.status == Some(s) { None } else { Some(s) };
                            })
                        },
                        "{status_word(s, lang)}"
                    }
                }
            }
            if show_levels {
                div { class: "rv-frow",
                    span { class: "rv-flabel", "{Word::Level.t(lang)}" }
                    for l in 1u8..=3 {
                        button {
                            key: "{l}",
                            id: chip_id("level", &l.to_string()),
                            class: if f.level == Some(l) { "on level-{l}" } else { "level-{l}" },
                            onclick: move |_| {
                                filter.with_mut(|f| {
                                    f.level = if f.level == Some(l) { None } else { Some(l) };
                                })
                            },
                            "{l}"
                        }
                    }
                }
            }
            if f.active() > 0 {
                button {
                    id: "f-clear",
                    class: "rv-clear",
                    onclick: move |_| filter.set(Default::default()),
                    "{Word::ClearFilters.t(lang)}"
                }
            }
        }
    }
}
