//! The Dioxus UI: the root component (which rebuilds everything below it when the site plan changes)
//! and the shell (sync bar, run banner, the current screen, sheets, toast, tabs). Screens are in `views`,
//! presentational pieces in `components`, state behind `use_*` hooks in `state`, the UI's words in
//! `i18n`.
//!
//! Start it with the [`Services`](state::Services) in the root context:
//! `VirtualDom::new(App).with_root_context(services)` or `LaunchBuilder::with_context(services)`.

pub mod assets;
pub mod components;
pub mod demo;
pub mod explain;
pub mod i18n;
pub mod state;
pub mod views;

use dioxus::prelude::*;
use torgkoll_shared::Lang;

use components::{
    AlertBanners, AmendSheet, ReportSheet, RunBanner, RunRecorder, SyncBar, Tabs, TaskList,
    ToastBar, UnreadHandover,
};
use state::queries::use_active_run;
use state::sync_view::use_sync_follower;
use state::theme::use_provide_theme;
use state::{Screen, SiteSwitch, use_provide_state, use_services};
use views::{
    AllReportsView, EnrollView, GuardHome, OverviewMap, PrintPage, ReportView, ReviewView,
    RunsView, SettingsView, ShiftView,
};

pub use state::Services;

/// The root component: the [`Shell`] on the site plan the store works with. When the store switches to
/// another plan (see [`SiteSwitch`]), the whole screen tree is built again, keyed by the plan, under
/// services that carry the new plan: no screen keeps showing or checking against the old one.
#[component]
pub fn App() -> Element {
    let launched = use_services();
    let switch = use_context_provider(|| SiteSwitch {
        services: Signal::new(launched),
        generation: Signal::new(0),
    });
    let key = format!(
        "{}-{}",
        switch.services.read().site.id,
        (switch.generation)()
    );
    // A one-item list: Dioxus compares keys only among siblings, so a new key replaces the tree.
    rsx! {
        for key in [key] {
            OnSite { key: "{key}" }
        }
    }
}

/// The screens under the present services of the [`SiteSwitch`].
#[component]
fn OnSite() -> Element {
    let switch = use_context::<SiteSwitch>();
    use_context_provider(|| switch.services.peek().clone());
    rsx! {
        Shell {}
    }
}

/// The app's body: the sync bar, run banner, the current screen, sheets, toast and tabs, or the
/// enrollment screen.
#[component]
pub fn Shell() -> Element {
    let ui = use_provide_state();
    use_sync_follower();
    let night = use_provide_theme().night();
    let active = use_active_run();
    let lang = if (ui.lang)() == Lang::En { "en" } else { "sv" };
    // Re-enrolling (a new code after the server refused the token) shows the enrollment screen again.
    let enrolled = ui.identity.read().is_some() && !(ui.reenroll)();
    let screen = (ui.screen)();
    let selected = (ui.selected)();
    let details_for = (ui.details_for)();
    let home = ui
        .identity
        .read()
        .as_ref()
        .is_some_and(|i| state::Screen::home(i.role) == screen);
    // A cleaner's open tasks stay on top of every screen but the settings until done.
    let tasks_on_top = ui
        .identity
        .read()
        .as_ref()
        .is_some_and(|i| i.role == torgkoll_shared::Role::Cleaner)
        && screen != Screen::Settings;
    rsx! {
        assets::AppStyle {}
        div { class: if night { "app night" } else { "app" }, id: "app", lang,
            if enrolled && (ui.printing)() {
                PrintPage {}
            } else if enrolled {
                SyncBar {}
                if let Some(run) = active() {
                    RunRecorder { key: "{run.id}", run: run.clone() }
                    RunBanner { run }
                }
                AlertBanners {}
                if tasks_on_top {
                    TaskList {}
                }
                if home {
                    UnreadHandover {}
                }
                main { class: "screen", id: "screen-{screen.id()}",
                    match screen {
                        Screen::Report => rsx! { ReportView {} },
                        Screen::Runs => rsx! { RunsView {} },
                        Screen::Disturbance => rsx! { GuardHome {} },
                        Screen::Map => rsx! { OverviewMap {} },
                        Screen::Mine => rsx! { ShiftView {} },
                        Screen::All => rsx! { AllReportsView {} },
                        Screen::Review => rsx! { ReviewView {} },
                        Screen::Settings => rsx! { SettingsView {} },
                    }
                }
                if let Some(id) = selected {
                    ReportSheet { key: "{id}", id }
                }
                if let Some(id) = details_for {
                    AmendSheet { key: "{id}", id }
                }
                ToastBar {}
                Tabs {}
            } else {
                EnrollView {}
            }
        }
    }
}
