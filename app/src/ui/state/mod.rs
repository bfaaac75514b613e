//! The UI's state: the shared services (store, site, sync engine), the reactive state every screen reads
//! (signals), and the `use_*` hooks and actions that connect the two.

pub mod actions;
pub mod alerts;
pub mod background;
pub mod map_view;
pub mod photos;
pub mod queries;
pub mod review_fetch;
mod services;
pub mod sync_view;
pub mod theme;

use dioxus::prelude::*;
use torgkoll_shared::{GeoPoint, Lang, Role};
use uuid::Uuid;

use crate::store::{FieldFilter, Identity};

pub use actions::Actions;
pub use map_view::{MapView, SitePlan};
pub use services::Services;
pub use sync_view::SyncView;

/// The screens. Which ones a phone offers depends on its role (see [`Screen::tabs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The cleaner's quick report: the map and the category buttons.
    Report,
    /// Machine runs.
    Runs,
    /// The guard's disturbance form.
    Disturbance,
    /// The map with everything (guard, manager).
    Map,
    /// This phone's reports with their sync state.
    Mine,
    /// Today's reports, all of them (manager).
    All,
    /// The manager's review: map and list with filters and triage, hotspots, coverage, disturbances,
    /// freshness (`views::review`).
    Review,
    Settings,
}

impl Screen {
    /// The tabs of a role, first one the home screen. A new screen for a role goes here.
    pub fn tabs(role: Role) -> &'static [Screen] {
        match role {
            Role::Cleaner => &[Screen::Report, Screen::Runs, Screen::Mine, Screen::Settings],
            Role::Guard => &[
                Screen::Disturbance,
                Screen::Map,
                Screen::Mine,
                Screen::Settings,
            ],
            Role::Manager => &[
                Screen::Map,
                Screen::Review,
                Screen::All,
                Screen::Mine,
                Screen::Settings,
            ],
        }
    }

    pub fn home(role: Role) -> Screen {
        Screen::tabs(role)[0]
    }

    /// The stable id of its tab button.
    pub fn id(self) -> &'static str {
        match self {
            Screen::Report => "tab-report",
            Screen::Runs => "tab-runs",
            Screen::Disturbance => "tab-disturbance",
            Screen::Map => "tab-map",
            Screen::Mine => "tab-mine",
            Screen::All => "tab-all",
            Screen::Review => "tab-review",
            Screen::Settings => "tab-settings",
        }
    }
}

/// A short message at the bottom, possibly with an undo.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    /// The report that may still be undone, and until when (ms since the epoch).
    pub undo: Option<(Uuid, i64)>,
    /// Increases with every toast, so a timer clears only its own.
    pub seq: u64,
}

/// The reactive state every screen shares. `Copy`: signals are handles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UiState {
    /// Bumped after every local write and every sync; queries re-run when it changes.
    pub rev: Signal<u64>,
    pub lang: Signal<Lang>,
    pub identity: Signal<Option<Identity>>,
    pub screen: Signal<Screen>,
    pub toast: Signal<Option<Toast>>,
    /// The report whose details sheet is open.
    pub selected: Signal<Option<Uuid>>,
    /// The report whose change sheet (amount, note, level...) is open.
    pub details_for: Signal<Option<Uuid>>,
    /// A spot tapped on the map and not used yet (the cleaner's spot-then-category, the guard's form).
    pub spot: Signal<Option<GeoPoint>>,
    pub sync: Signal<SyncView>,
    /// Which reports the field maps and lists show.
    pub field_filter: Signal<FieldFilter>,
    /// The printable page of the shift list is open instead of the app.
    pub printing: Signal<bool>,
    /// Bumped when the run recorder keeps a point (the live path), without re-running every query.
    pub track_rev: Signal<u64>,
    /// The enrollment screen is open again on an enrolled phone, for a new code for this same device
    /// (after the server refused its token).
    pub reenroll: Signal<bool>,
}

/// Creates the UI state in the root component and provides it to every screen. The services must be in
/// the root context already (`LaunchBuilder::with_context`, `VirtualDom::with_root_context`).
pub fn use_provide_state() -> UiState {
    let svc = use_services();
    use_context_provider(|| {
        let (identity, lang, status) = {
            let store = svc.store();
            let lang = match store.setting("lang").ok().flatten().as_deref() {
                Some("en") => Lang::En,
                _ => Lang::Sv,
            };
            (
                store.identity().cloned(),
                lang,
                store.sync_status().unwrap_or_default(),
            )
        };
        let screen = identity
            .as_ref()
            .map_or(Screen::Report, |i| Screen::home(i.role));
        UiState {
            rev: Signal::new(0),
            lang: Signal::new(lang),
            identity: Signal::new(identity),
            screen: Signal::new(screen),
            toast: Signal::new(None),
            selected: Signal::new(None),
            details_for: Signal::new(None),
            spot: Signal::new(None),
            sync: Signal::new(SyncView {
                photos_pending: svc.store().photos_pending().unwrap_or(0),
                site: svc.site.id.clone(),
                ..SyncView::from_store(&status, svc.sync.is_some())
            }),
            field_filter: Signal::new(FieldFilter::default()),
            printing: Signal::new(false),
            track_rev: Signal::new(0),
            reenroll: Signal::new(false),
        }
    })
}

pub fn use_services() -> Services {
    use_context::<Services>()
}

/// The services of the screens on the present site plan, held by the root component. When the store
/// switches to another plan ([`Store::set_site`]: the engine kept a new one, or the enrollment screen
/// fetched it), [`SiteSwitch::follow_store`] replaces them and the root builds every screen again under
/// them (each screen reads `Services::site` and `plan` once). What must survive (language, identity)
/// is in the store, read again by [`use_provide_state`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SiteSwitch {
    pub services: Signal<Services>,
    /// Bumped at every switch: the key of the screen tree.
    pub generation: Signal<u64>,
}

impl SiteSwitch {
    /// Moves the screens to the store's site plan if they are not on it. Returns whether they moved.
    pub fn follow_store(mut self) -> bool {
        let next = self.services.peek().on_store_site();
        let Some(next) = next else {
            return false;
        };
        tracing::info!(site = %next.site.id, "the screens follow the new site plan");
        self.services.set(next);
        *self.generation.write() += 1;
        true
    }
}

/// The site switch, where the root component provides one (not in tests of a lone component).
pub fn use_site_switch() -> Option<SiteSwitch> {
    try_use_context::<SiteSwitch>()
}

pub fn use_ui() -> UiState {
    use_context::<UiState>()
}

/// The language, subscribing the caller to changes.
pub fn use_lang() -> Lang {
    let ui = use_ui();
    (ui.lang)()
}

/// The role of this phone (a cleaner until enrolled).
pub fn use_role() -> Role {
    let ui = use_ui();
    ui.identity
        .read()
        .as_ref()
        .map_or(Role::Cleaner, |i| i.role)
}
