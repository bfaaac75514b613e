//! One button each for the partners' documents: "Dagens lägesbild" (the server's printable HTML of
//! today) and the exports of the review's period (CSV for Excel, GeoJSON for QGIS). Each is fetched from
//! the server, saved into the data directory's `exports/` and opened with the platform's application;
//! the screen says where it was saved, or why not.

use dioxus::prelude::*;
use torgkoll_shared::calendar::local_date;

use super::use_review;
use crate::platform::Opened;
use crate::sync::{ExportKind, ReviewDoc};
use crate::ui::i18n::review::Word;
use crate::ui::state::review_fetch::{DocError, FetchError, save_document};
use crate::ui::state::{use_lang, use_services};

/// What the last button did, for the line under the buttons.
#[derive(Clone, Debug, PartialEq)]
enum DocState {
    Fetching,
    Done(Result<(std::path::PathBuf, Opened), DocError>),
}

#[component]
pub fn ReviewDocs() -> Element {
    let svc = use_services();
    let lang = use_lang();
    let rs = use_review();
    let mut state = use_signal(|| None::<DocState>);
    let now = svc.now_ms();
    let get = use_callback(move |doc: ReviewDoc| {
        let svc = svc.clone();
        state.set(Some(DocState::Fetching));
        spawn(async move {
            let r = save_document(svc, doc).await;
            if let Err(e) = &r {
                tracing::warn!(?doc, "a review document failed: {e:?}");
            }
            state.set(Some(DocState::Done(r)));
        });
    });
    let today = local_date(now);
    let period = (rs.span)().period(now);
    let (from, to) = (local_date(period.from_ms), local_date(period.to_ms - 1));
    let export = move |kind| ReviewDoc::Export { from, to, kind };
    let line = state.read().clone().map(|s| match s {
        DocState::Fetching => (Word::Fetching.t(lang).to_owned(), ""),
        DocState::Done(Ok((path, _))) => {
            (format!("{}: {}", Word::SavedAt.t(lang), path.display()), "")
        }
        DocState::Done(Err(DocError::Fetch(FetchError::Offline))) => (
            format!(
                "{}: {}",
                Word::NotFetched.t(lang),
                Word::CannotReach.t(lang)
            ),
            "error",
        ),
        DocState::Done(Err(DocError::Fetch(FetchError::Server(m)))) => (
            format!(
                "{}: {}: {m}",
                Word::NotFetched.t(lang),
                Word::ServerSaid.t(lang)
            ),
            "error",
        ),
        DocState::Done(Err(DocError::Save(m))) => {
            (format!("{}: {m}", Word::NotSaved.t(lang)), "error")
        }
        DocState::Done(Err(DocError::Open(path, m))) => (
            format!(
                "{}: {} ({}: {m})",
                Word::SavedAt.t(lang),
                path.display(),
                Word::NotOpened.t(lang)
            ),
            "error",
        ),
    });
    let busy = matches!(*state.read(), Some(DocState::Fetching));
    rsx! {
        div { class: "rv-docs",
            div { class: "rv-docs-buttons",
                button {
                    id: "doc-lagesbild",
                    disabled: busy,
                    onclick: move |_| get.call(ReviewDoc::Lagesbild(today)),
                    "{Word::DayReport.t(lang)}"
                }
                button {
                    id: "doc-csv",
                    disabled: busy,
                    onclick: move |_| get.call(export(ExportKind::Csv)),
                    "{Word::ExportCsv.t(lang)}"
                }
                button {
                    id: "doc-geojson",
                    disabled: busy,
                    onclick: move |_| get.call(export(ExportKind::Geojson)),
                    "{Word::ExportGeojson.t(lang)}"
                }
            }
            if let Some((text, class)) = line {
                p { class: "rv-docs-line {class}", id: "doc-status", "{text}" }
            }
        }
    }
}
