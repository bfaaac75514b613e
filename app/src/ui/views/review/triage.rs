//! The triage sheet of a report: what it is, and the platsansvarig's decisions on it — reviewed,
//! resolved, a duplicate of a nearby report of the same kind, or another category. Each decision is one
//! operation recorded in the phone's store and synced to the other phones like any report.

use dioxus::prelude::*;
use torgkoll_shared::site::SiteVocabulary;
use torgkoll_shared::vocab::level_label;
use torgkoll_shared::{Classification, Lang, OpBody, ReportBody, Status};
use uuid::Uuid;

use super::filter::nearby;
use super::use_review;
use crate::store::ReportView;
use crate::ui::components::photo_strip::PhotoStrip;
use crate::ui::components::pins::{report_label, status_label, zone_label};
use crate::ui::i18n::Msg;
use crate::ui::i18n::day_hhmm;
use crate::ui::i18n::review::{Word, counted};
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::use_report;
use crate::ui::state::{use_lang, use_services};

/// Which decision needs a second choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choosing {
    Nothing,
    Original,
    Category,
}

/// The categories a report may be moved to: the others of its kind that the site uses.
fn other_categories(
    r: &ReportView,
    vocabulary: &SiteVocabulary,
) -> Vec<(Classification, &'static str)> {
    match r.report.classification() {
        Some(Classification::Cleaning(cur)) => vocabulary
            .cleaning
            .iter()
            .filter(|c| **c != cur)
            .map(|c| (Classification::Cleaning(*c), c.code()))
            .collect(),
        Some(Classification::Disturbance(cur)) => vocabulary
            .disturbance
            .iter()
            .filter(|c| **c != cur)
            .map(|c| (Classification::Disturbance(*c), c.code()))
            .collect(),
        None => vec![],
    }
}

fn class_label(c: Classification, lang: Lang) -> &'static str {
    match c {
        Classification::Cleaning(c) => c.label(lang),
        Classification::Disturbance(d) => d.label(lang),
    }
}

#[component]
pub fn TriageSheet(id: Uuid, on_close: EventHandler<()>) -> Element {
    let svc = use_services();
    let rs = use_review();
    let lang = use_lang();
    let actions = use_actions();
    let mut choosing = use_signal(|| Choosing::Nothing);
    let mut error = use_signal(|| None::<String>);
    let now = svc.now_ms();
    let report = use_report(id);
    let Some(r) = report() else {
        return rsx! {};
    };
    let mut decide = move |body: OpBody, done: Word| match actions.record(body) {
        Ok(_) => {
            error.set(None);
            choosing.set(Choosing::Nothing);
            let text = format!("{} · {}", Msg::Saved.t(lang), done.t(lang));
            actions.toast(text, false, None);
        }
        Err(e) => error.set(Some(e)),
    };
    let status = r.status();
    let reviewed = r.report.reviewed.is_some();
    let made = r
        .report
        .origin
        .as_ref()
        .map(|o| day_hhmm(o.stamp.at, now))
        .unwrap_or_default();
    // A phone with a wrong clock: the server placed the report at its true time; say what the phone said.
    let phone_said = r
        .report
        .origin
        .as_ref()
        .filter(|o| o.stamp.at != o.wall_ms)
        .map(|o| torgkoll_shared::analytics::export::local_datetime(o.wall_ms));
    let dist = match &r.report.body {
        Some(ReportBody::Disturbance(d)) => Some((d.level, d.people, d.interventions.clone())),
        _ => None,
    };
    let amount = r.report.amount().map(|a| a.label(lang));
    let note = r.report.note().map(str::to_owned);
    let original = r.report.duplicate_of.as_ref().map(|d| d.value);
    let near = if choosing() == Choosing::Original {
        nearby(&svc.site, &r, &rs.reports.read())
    } else {
        vec![]
    };
    let others = other_categories(&r, &svc.site.vocabulary);
    rsx! {
        div { class: "sheet rv-sheet", id: "triage-sheet",
            h2 { "{report_label(&r, lang)}" }
            div { class: "kv", b { "{Word::Zone.t(lang)}" } "{zone_label(&svc.site, r.zone.as_deref())}" }
            div { class: "kv", b { "{Word::Reported.t(lang)}" } "{made} · {counted(r.report.count(), Word::Time, Word::Times, lang)}" }
            if let Some(said) = phone_said {
                div { class: "kv meta", id: "triage-clock-corrected",
                    b { "{Word::ClockCorrected.t(lang)}" }
                    "{Word::PhoneSaid.t(lang)} {said}"
                }
            }
            div { class: "kv", id: "triage-status",
                b { "{Word::Status.t(lang)}" }
                "{status_label(status, lang)} · "
                if reviewed {
                    span { class: "badge reviewed", "✓ {Word::Reviewed.t(lang)}" }
                } else {
                    "{Word::NotReviewed.t(lang)}"
                }
            }
            if let Some(of) = original {
                div { class: "kv", b { "{Word::DuplicateOfShort.t(lang)}" } "{super::filter::short_id(of)}" }
            }
            if let Some((level, people, interventions)) = dist {
                div { class: "kv", b { "{Word::Level.t(lang)}" } "{level_label(level, lang)}" }
                div { class: "kv", b { "{Word::People.t(lang)}" } "{people}" }
                for (i, n) in interventions {
                    div { class: "kv", key: "{i.code()}", b { "{i.label(lang)}" } "{n}" }
                }
            }
            if let Some(a) = amount {
                div { class: "kv", b { "{Msg::Amount.t(lang)}" } "{a}" }
            }
            if let Some(n) = note {
                div { class: "kv", b { "{Word::NoteLabel.t(lang)}" } "{n}" }
            }
            PhotoStrip { report: id, can_add: false }
            if let Some(e) = error() {
                div { class: "error-text", id: "triage-error", role: "alert", "{Msg::NotSaved.t(lang)}: {e}" }
            }
            div { class: "actions",
                if !reviewed {
                    button {
                        class: "primary",
                        id: "triage-review",
                        onclick: move |_| decide(OpBody::Review { report: id }, Word::MarkedReviewed),
                        "{Word::MarkReviewed.t(lang)}"
                    }
                }
                if status == Status::Open {
                    button {
                        id: "triage-resolve",
                        onclick: move |_| decide(OpBody::Resolve { report: id }, Word::MarkedResolved),
                        "{Word::MarkResolved.t(lang)}"
                    }
                }
                if status != Status::Duplicate {
                    button {
                        id: "triage-duplicate",
                        class: if choosing() == Choosing::Original { "on" } else { "" },
                        onclick: move |_| choosing.set(if choosing() == Choosing::Original { Choosing::Nothing } else { Choosing::Original }),
                        "{Word::DuplicateOf.t(lang)}"
                    }
                }
                button {
                    id: "triage-reclassify",
                    class: if choosing() == Choosing::Category { "on" } else { "" },
                    onclick: move |_| choosing.set(if choosing() == Choosing::Category { Choosing::Nothing } else { Choosing::Category }),
                    "{Word::Reclassify.t(lang)}"
                }
            }
            if choosing() == Choosing::Original {
                p { class: "rv-ask", "{Word::ChooseOriginal.t(lang)}" }
                if near.is_empty() {
                    p { id: "dup-none", "{Word::NoNearby.t(lang)}" }
                }
                ul { class: "list rv-near", id: "dup-list",
                    for (o, d) in near {
                        li { key: "{o.report.id}",
                            button {
                                id: "dup-{o.report.id}",
                                onclick: move |_| decide(OpBody::Duplicate { report: id, of: o.report.id }, Word::MarkedDuplicate),
                                "{report_label(&o, lang)} · {o.report.origin.as_ref().map(|x| day_hhmm(x.stamp.at, now)).unwrap_or_default()} · {status_label(o.status(), lang)} · {d:.0} m"
                            }
                        }
                    }
                }
            }
            if choosing() == Choosing::Category {
                p { class: "rv-ask", "{Word::ChooseCategory.t(lang)}" }
                div { class: "chips", id: "reclass-list",
                    for (c, code) in others {
                        button {
                            key: "{code}",
                            id: "reclass-{code}",
                            onclick: move |_| decide(OpBody::Reclassify { report: id, to: c }, Word::Reclassified),
                            "{class_label(c, lang)}"
                        }
                    }
                }
            }
            div { class: "actions",
                button { id: "triage-close", onclick: move |_| on_close.call(()), "{Msg::Close.t(lang)}" }
            }
        }
    }
}
