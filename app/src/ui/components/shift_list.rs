//! The guard's shift list, the grounds for the police duty report (tjänstgöringsrapport): every
//! disturbance of this phone's shift with time, zone, category, level, people and interventions, and
//! the totals per intervention. Never who, as everywhere: the report's "against whom" stays on paper.
//! "Kopiera" puts it on the clipboard as plain text laid out for the report, "Skriv ut" opens it as a
//! printable page.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use torgkoll_shared::vocab::level_label;
use torgkoll_shared::{DisturbanceCategory, Intervention, Lang, Site};

use crate::store::ReportView;
use crate::ui::i18n::{Msg, day_hhmm};
use crate::ui::state::actions::use_actions;
use crate::ui::state::{use_lang, use_ui};

/// One disturbance of the shift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftRow {
    pub at_ms: i64,
    pub zone: String,
    pub category: DisturbanceCategory,
    pub level: u8,
    pub people: u16,
    pub interventions: BTreeMap<Intervention, u16>,
}

/// A shift's list: its span and its disturbances, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShiftDoc {
    pub site: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub rows: Vec<ShiftRow>,
}

impl ShiftDoc {
    /// The list of the disturbances `reports` (as `Store::my_disturbances` gives them, oldest first).
    pub fn of(site: &Site, reports: &[ReportView], from_ms: i64, to_ms: i64) -> ShiftDoc {
        let rows = reports
            .iter()
            .filter_map(|r| {
                let category = match &r.report.body {
                    Some(torgkoll_shared::ReportBody::Disturbance(d)) => d.category,
                    _ => return None,
                };
                let zone = super::pins::zone_label(site, r.zone.as_deref());
                Some(ShiftRow {
                    at_ms: r.report.when_ms()?,
                    zone,
                    category,
                    level: r.report.level()?,
                    people: r.report.people()?,
                    interventions: r.report.interventions()?.clone(),
                })
            })
            .collect();
        ShiftDoc {
            site: site.name.clone(),
            from_ms,
            to_ms,
            rows,
        }
    }

    /// Interventions over the shift, each counted.
    pub fn totals(&self) -> BTreeMap<Intervention, u32> {
        let mut t = BTreeMap::new();
        for (i, n) in self.rows.iter().flat_map(|r| &r.interventions) {
            *t.entry(*i).or_insert(0) += u32::from(*n);
        }
        t.retain(|_, n| *n > 0);
        t
    }

    /// A row's time, with the day when it is not the day the shift began.
    fn time(&self, t: i64) -> String {
        day_hhmm(t, self.from_ms)
    }

    /// A row's interventions as "Avvisning 2, Polis tillkallad 1" (or "inga").
    pub fn interventions(row: &ShiftRow, lang: Lang) -> String {
        let list: Vec<String> = row
            .interventions
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| format!("{} {n}", i.label(lang)))
            .collect();
        if list.is_empty() {
            Msg::NoneOf.t(lang).to_owned()
        } else {
            list.join(", ")
        }
    }

    /// The list as plain text for the duty report.
    pub fn as_text(&self, lang: Lang) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let (from, to) = (self.from_ms, self.to_ms);
        let _ = writeln!(s, "{} – {}", Msg::ShiftListTitle.t(lang), self.site);
        let _ = writeln!(
            s,
            "{} {} {} – {} {}",
            Msg::Shift.t(lang),
            torgkoll_shared::calendar::local_date(from),
            crate::ui::i18n::hhmm(from),
            torgkoll_shared::calendar::local_date(to),
            crate::ui::i18n::hhmm(to)
        );
        let _ = writeln!(s, "{}\n", Msg::ShiftListNote.t(lang));
        for r in &self.rows {
            let _ = writeln!(s, "{}  {}", self.time(r.at_ms), r.zone);
            let _ = writeln!(
                s,
                "  {} · {} {} · {} {}",
                r.category.label(lang),
                Msg::Level.t(lang),
                level_label(r.level, lang),
                Msg::People.t(lang),
                r.people
            );
            let _ = writeln!(
                s,
                "  {}: {}",
                Msg::Interventions.t(lang),
                Self::interventions(r, lang)
            );
        }
        if self.rows.is_empty() {
            let _ = writeln!(s, "{}", Msg::NoDisturbances.t(lang));
        }
        let _ = writeln!(s, "\n{}:", Msg::TotalInterventions.t(lang));
        let totals = self.totals();
        if totals.is_empty() {
            let _ = writeln!(s, "  {}", Msg::NoneOf.t(lang));
        }
        for (i, n) in totals {
            let _ = writeln!(s, "  {} {n}", i.label(lang));
        }
        let level1 = self.rows.iter().filter(|r| r.level == 1).count();
        let _ = write!(
            s,
            "{}: {}, {} {level1}",
            Msg::Disturbances.t(lang),
            self.rows.len(),
            Msg::OfWhichAcute.t(lang)
        );
        s
    }
}

/// The list as a table, with "Kopiera" and "Skriv ut".
#[component]
pub fn ShiftList(doc: ShiftDoc) -> Element {
    let lang = use_lang();
    let actions = use_actions();
    let mut printing = use_ui().printing;
    let text = doc.as_text(lang);
    rsx! {
        ShiftRows { doc: doc.clone() }
        div { class: "actions",
            button {
                id: "shift-copy",
                onclick: move |_| actions.copy(text.clone()),
                "{Msg::Copy.t(lang)}"
            }
            button { id: "shift-print", onclick: move |_| printing.set(true), "{Msg::Print.t(lang)}" }
        }
    }
}

/// The list on a phone's screen: a row of three lines per disturbance, then the totals.
#[component]
pub fn ShiftRows(doc: ShiftDoc) -> Element {
    let lang = use_lang();
    rsx! {
        ol { class: "list shift-rows", id: "shift-list",
            for (i, r) in doc.rows.iter().enumerate() {
                li { key: "{i}", class: "shift-row level-{r.level}",
                    div { class: "main",
                        div { b { "{doc.time(r.at_ms)}" } " · {r.zone}" }
                        div { "{r.category.label(lang)} · {level_label(r.level, lang)} · {r.people} {Msg::PeopleShort.t(lang)}" }
                        div { class: "meta", "{ShiftDoc::interventions(r, lang)}" }
                    }
                }
            }
        }
        Totals { doc: doc.clone() }
    }
}

/// The list as a table, for paper (the printable page).
#[component]
pub fn ShiftTable(doc: ShiftDoc) -> Element {
    let lang = use_lang();
    rsx! {
        table { class: "shift-list", id: "shift-table",
            thead {
                tr {
                    th { "{Msg::Time.t(lang)}" }
                    th { "{Msg::Zone.t(lang)}" }
                    th { "{Msg::Category.t(lang)}" }
                    th { "{Msg::Level.t(lang)}" }
                    th { "{Msg::PeopleShort.t(lang)}" }
                    th { "{Msg::Interventions.t(lang)}" }
                }
            }
            tbody {
                for (i, r) in doc.rows.iter().enumerate() {
                    tr { key: "{i}", class: "level-{r.level}",
                        td { "{doc.time(r.at_ms)}" }
                        td { "{r.zone}" }
                        td { "{r.category.label(lang)}" }
                        td { "{level_label(r.level, lang)}" }
                        td { "{r.people}" }
                        td { "{ShiftDoc::interventions(r, lang)}" }
                    }
                }
            }
        }
        Totals { doc: doc.clone() }
    }
}

/// Under the list: "none" when it is empty, and the interventions in total.
#[component]
fn Totals(doc: ShiftDoc) -> Element {
    let lang = use_lang();
    rsx! {
        if doc.rows.is_empty() {
            p { class: "meta", "{Msg::NoDisturbances.t(lang)}" }
        }
        h2 { "{Msg::TotalInterventions.t(lang)}" }
        ul { class: "list totals", id: "shift-totals",
            for (i, n) in doc.totals() {
                li { key: "{i.code()}", "{i.label(lang)}: {n}" }
            }
        }
    }
}
