//! The quick cleaning report: the map and the big category buttons, category then spot or spot then
//! category, saved at once (with an undo for 5 seconds). The cleaner's home, and the guard's "Städ".
//!
//! With a fresh and good position (`platform::position`), a category tap saves where the phone stands,
//! with its accuracy; otherwise the category is armed and the hint says why a tap is needed ("ingen
//! position", "osäker position ±40 m"). Under the deck no satellite reaches: taps stay first class.
//!
//! A tap with a category armed right by an open report of the same category asks first: "+1 (finns
//! kvar)" or a new report. An armed category that waits untouched for half a minute disarms itself, so a
//! stray tap on a wet screen saves nothing. A tap on a pin opens it.

use std::time::Duration;

use dioxus::prelude::*;
use torgkoll_shared::{CleaningCategory, GeoPoint};

use crate::platform::position::{NoGoodFix, fix_to_report_at};
use crate::store::ReportView as Report;
use crate::ui::components::already_reported::Nearby;
use crate::ui::components::pins::pin_of;
use crate::ui::components::{AlreadyReported, CategoryGrid, FieldFilterChips, MapTap, SiteMap};
use crate::ui::i18n::Msg;
use crate::ui::i18n::position::no_fix_text;
use crate::ui::state::actions::use_actions;
use crate::ui::state::queries::{
    use_field_reports, use_store_query, use_today_coverage, use_today_runs, visible_to,
};
use crate::ui::state::{use_lang, use_role, use_services, use_ui};

/// How close a tap must be to an open report of the same category to ask "+1 or new?" (metres).
pub const NEAR_M: f64 = 5.0;
/// How long an armed category waits for its spot.
const ARMED_FOR: Duration = Duration::from_secs(30);

/// The open report of `category` nearest to `at`, within [`NEAR_M`].
fn open_near(
    site: &torgkoll_shared::Site,
    reports: &[Report],
    category: CleaningCategory,
    at: GeoPoint,
) -> Option<uuid::Uuid> {
    let here = site.frame.to_local(at);
    reports
        .iter()
        .filter(|r| r.status() == torgkoll_shared::Status::Open)
        .filter(|r| torgkoll_shared::analytics::cleaning_category(&r.report) == Some(category))
        .filter_map(|r| {
            let p = site.frame.to_local(r.report.at()?);
            Some((r.report.id, (p.x - here.x).hypot(p.y - here.y)))
        })
        .filter(|(_, d)| *d <= NEAR_M)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

#[component]
pub fn ReportView() -> Element {
    let ui = use_ui();
    let svc = use_services();
    let lang = use_lang();
    let role = use_role();
    let actions = use_actions();
    let reports = use_field_reports(ui.field_filter);
    let runs = use_today_runs();
    let coverage = use_today_coverage(runs);
    let categories = use_store_query("the categories", |s, _| {
        let order = match s.shift()? {
            Some(shift) => shift.categories,
            None => s.category_order()?,
        };
        // Only what this site uses.
        let used = &s.site().vocabulary.cleaning;
        Ok(order
            .into_iter()
            .filter(|c| used.contains(c))
            .collect::<Vec<_>>())
    });
    let mut armed = use_signal(|| None::<CleaningCategory>);
    let mut armed_at = use_signal(|| 0u64);
    let mut nearby = use_signal(|| None::<Nearby>);
    // Why the last category tap could not use the phone's position (shown in the hint).
    let mut no_fix = use_signal(|| None::<NoGoodFix>);
    let good_acc = use_store_query("the good-fix setting", |s, _| {
        Ok(crate::store::good_fix_accuracy_m(s))
    });
    let (mut spot, mut selected) = (ui.spot, ui.selected);

    let now = svc.now_ms();
    let pins: Vec<_> = reports
        .read()
        .iter()
        .filter(|r| visible_to(role, r))
        .filter_map(|r| pin_of(r, now))
        .collect();
    let hint = match (armed(), spot()) {
        (Some(c), _) => match no_fix().filter(|_| svc.position.name() != "none") {
            Some(why) => format!(
                "{} {} ({})",
                Msg::TapSpotFor.t(lang),
                c.label(lang),
                no_fix_text(why, lang)
            ),
            None => format!("{} {}", Msg::TapSpotFor.t(lang), c.label(lang)),
        },
        (None, Some(_)) => Msg::SpotChosen.t(lang).to_owned(),
        (None, None) => Msg::PickCategory.t(lang).to_owned(),
    };

    let site = svc.site.clone();
    let on_tap = move |t: MapTap| {
        if let Some(c) = armed() {
            if let Some(existing) = open_near(&site, &reports.read(), c, t.at) {
                nearby.set(Some(Nearby {
                    category: c,
                    at: t.at,
                    acc: None,
                    existing,
                }));
                return;
            }
            armed.set(None);
            actions.quick_report(c, t.at, None);
        } else if let Some(id) = t.pin {
            spot.set(None);
            selected.set(Some(id));
        } else {
            spot.set(Some(t.at));
        }
    };
    let site = svc.site.clone();
    let position = svc.position.clone();
    let clock = svc.clock.clone();
    let on_pick = move |c: CleaningCategory| {
        if let Some(at) = spot() {
            spot.set(None);
            actions.quick_report(c, at, None);
            return;
        }
        if armed() == Some(c) {
            armed.set(None);
            return;
        }
        // Where I stand: the first such tap starts the positioning (and its permission question).
        position.start();
        match fix_to_report_at(position.latest(), clock.now_ms(), good_acc()) {
            Ok(fix) => {
                no_fix.set(None);
                let acc = Some(fix.accuracy_m);
                if let Some(existing) = open_near(&site, &reports.read(), c, fix.at) {
                    nearby.set(Some(Nearby {
                        category: c,
                        at: fix.at,
                        acc,
                        existing,
                    }));
                } else {
                    actions.quick_report(c, fix.at, acc);
                }
            }
            Err(why) => {
                no_fix.set(Some(why));
                armed.set(Some(c));
                // Disarm by itself if no spot comes: a stray tap later saves nothing.
                let n = *armed_at.peek() + 1;
                armed_at.set(n);
                spawn(async move {
                    tokio::time::sleep(ARMED_FOR).await;
                    if *armed_at.peek() == n {
                        armed.set(None);
                    }
                });
            }
        }
    };
    let pending = armed().is_some() || spot().is_some();
    rsx! {
        FieldFilterChips {}
        SiteMap {
            pins,
            coverage: coverage(),
            marker: spot(),
            selected: selected(),
            pick_pins: armed().is_none(),
            on_tap,
        }
        div { class: if pending { "hint armed" } else { "hint" }, id: "hint",
            span { "{hint}" }
            if pending {
                button {
                    id: "cancel-pending",
                    onclick: move |_| {
                        armed.set(None);
                        spot.set(None);
                    },
                    "{Msg::Cancel.t(lang)}"
                }
            }
        }
        CategoryGrid { categories: categories(), armed: armed(), on_pick }
        if let Some(n) = nearby() {
            AlreadyReported {
                nearby: n.clone(),
                on_done: move |_| {
                    nearby.set(None);
                    armed.set(None);
                },
            }
        }
    }
}
