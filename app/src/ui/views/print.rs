//! The shift list as a printable page: black on white, the table alone, for paper or a PDF. It replaces
//! the app until "Tillbaka"; "Skriv ut" opens the platform's print dialog.

use dioxus::prelude::*;

use crate::platform;
use crate::ui::components::shift_list::{ShiftDoc, ShiftTable};
use crate::ui::i18n::{Msg, hhmm};
use crate::ui::state::queries::use_store_query;
use crate::ui::state::{use_lang, use_services, use_ui};

#[component]
pub fn PrintPage() -> Element {
    let lang = use_lang();
    let svc = use_services();
    let mut printing = use_ui().printing;
    let site = svc.site.clone();
    let doc = use_store_query("the shift list", move |s, now| {
        let from = s.shift()?.map_or(now, |sh| sh.start_ms);
        Ok(ShiftDoc::of(
            &site,
            &s.my_disturbances(from, now)?,
            from,
            now,
        ))
    });
    let d = doc();
    let (from, to) = (d.from_ms, d.to_ms);
    let day = |t| torgkoll_shared::calendar::local_date(t);
    rsx! {
        div { class: "print-page", id: "print-page",
            div { class: "no-print actions",
                button { id: "print-back", onclick: move |_| printing.set(false), "{Msg::Back.t(lang)}" }
                button { class: "primary", id: "print-now", onclick: move |_| platform::print_page(), "{Msg::Print.t(lang)}" }
            }
            h1 { "{Msg::ShiftListTitle.t(lang)} – {d.site}" }
            p { "{Msg::Shift.t(lang)} {day(from)} {hhmm(from)} – {day(to)} {hhmm(to)}" }
            p { class: "meta", "{Msg::ShiftListNote.t(lang)}" }
            ShiftTable { doc: d.clone() }
        }
    }
}
