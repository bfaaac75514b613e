//! A window-less harness for the UI: the real `App` in a `VirtualDom` on a real SQLite file, rendered with
//! dioxus-ssr, with events fired at elements found by their `id` attribute.

use std::path::PathBuf;
use std::sync::{Arc, Once};
use std::time::Duration;

use crate::idmap::IdMap;
use dioxus::dioxus_core::Event;
use dioxus::prelude::*;
use dioxus_html::{EventData, SerializedHtmlEventConverter};
use torgkoll_app::platform::{Clock, ManualClock, ScriptedPick, SystemClock};
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::sync::{EngineConfig, SyncEngine};
use torgkoll_app::ui::state::{MapView, SitePlan};
use torgkoll_app::ui::{App, Services};
use torgkoll_shared::{GeoPoint, OpBody, Role};
use uuid::Uuid;

/// The app in a VirtualDom on a fresh database file.
pub struct Ui {
    pub dom: VirtualDom,
    pub services: Services,
    /// The phone's clock (see [`test_clock`]); an in-process server of the test runs on it too.
    pub clock: Arc<ManualClock>,
    pub db: PathBuf,
    ids: IdMap,
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

static CONVERTER: Once = Once::new();

/// The fields every mouse-like event carries, at a position.
fn point_json(x: f64, y: f64) -> serde_json::Value {
    serde_json::json!({
        "alt_key": false, "button": 0, "buttons": 1, "client_x": x, "client_y": y, "ctrl_key": false,
        "meta_key": false, "offset_x": x, "offset_y": y, "page_x": x, "page_y": y, "screen_x": x,
        "screen_y": y, "shift_key": false
    })
}

impl Ui {
    /// A phone enrolled with `role` (or not enrolled, with `None`).
    pub fn new(role: Option<Role>) -> Ui {
        Self::with_store(role, |_, _| {})
    }

    /// A phone with a store prepared by `prep` (given the phone's clock) before the app starts.
    pub fn with_store(role: Option<Role>, prep: impl FnOnce(&mut Store, i64)) -> Ui {
        Self::build(role, prep, test_clock(), false, |dom| dom, |s| s)
    }

    /// The same at a given moment (a night shift, say) instead of 13:00 today.
    pub fn at(now_ms: i64, role: Option<Role>, prep: impl FnOnce(&mut Store, i64)) -> Ui {
        Self::build(
            role,
            prep,
            Arc::new(ManualClock::new(now_ms)),
            false,
            |dom| dom,
            |s| s,
        )
    }

    /// A phone whose app starts with its clock at `now_ms` and with `context` in the root context beside
    /// the services (a test's stand-in for a default, such as a shorter timer; `()` for none).
    pub fn starting_at<T: Clone + 'static>(role: Option<Role>, now_ms: i64, context: T) -> Ui {
        Self::build(
            role,
            |_, _| {},
            Arc::new(ManualClock::new(now_ms)),
            false,
            move |dom| dom.with_root_context(context),
            |s| s,
        )
    }

    /// A phone whose "Lägg till foto" picks `photo` without asking; with `engine`, its sync engine runs
    /// on `clock` (an unenrolled phone then, as `torgkoll` starts one).
    pub fn with_photo_pick(
        role: Option<Role>,
        photo: PathBuf,
        clock: Arc<ManualClock>,
        engine: bool,
    ) -> Ui {
        Self::build(
            role,
            |_, _| {},
            clock,
            engine,
            |dom| dom,
            move |s| s.with_photos(Arc::new(ScriptedPick(photo))),
        )
    }

    /// A phone at `now_ms` with a store prepared by `prep` and its services changed by `wrap` (a test's
    /// own opener, say).
    pub fn with_services(
        now_ms: i64,
        prep: impl FnOnce(&mut Store, i64),
        wrap: impl FnOnce(Services) -> Services,
    ) -> Ui {
        Self::build(
            None,
            prep,
            Arc::new(ManualClock::new(now_ms)),
            false,
            |dom| dom,
            wrap,
        )
    }

    /// An unenrolled phone with its sync engine running, as `torgkoll` starts it, on `clock` (the clock
    /// of the test's server).
    pub fn with_engine(clock: Arc<ManualClock>) -> Ui {
        Self::build(None, |_, _| {}, clock, true, |dom| dom, |s| s)
    }

    /// An unenrolled phone with its sync engine running and keeping its site plan beside the database,
    /// exactly as `torgkoll` starts it, on `clock`.
    pub fn with_engine_keeping_site(clock: Arc<ManualClock>) -> Ui {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::build_in(dir, None, |_, _| {}, clock, Some(true), |dom| dom, |s| s)
    }

    /// The same phone started again on the same files (its kept site plan, as `torgkoll` starts), with
    /// its engine keeping the site plan when `engine`; `prep` runs on the store first.
    pub fn restart(self, engine: bool, prep: impl FnOnce(&mut Store, i64)) -> Ui {
        let Ui {
            dom,
            services,
            clock,
            rt,
            _dir: dir,
            ..
        } = self;
        // The engine stops when its last handle goes (with the services and the dom).
        drop((dom, services, rt));
        Self::build_in(
            dir,
            None,
            prep,
            clock,
            engine.then_some(true),
            |dom| dom,
            |s| s,
        )
    }

    fn build(
        role: Option<Role>,
        prep: impl FnOnce(&mut Store, i64),
        clock: Arc<ManualClock>,
        engine: bool,
        root: impl FnOnce(VirtualDom) -> VirtualDom,
        wrap: impl FnOnce(Services) -> Services,
    ) -> Ui {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::build_in(dir, role, prep, clock, engine.then_some(false), root, wrap)
    }

    /// The app on the database in `dir`, opened with the site plan kept there (else the Plattan); with
    /// `engine` `Some(keep_site)`, its sync engine runs (keeping the site plan when `keep_site`).
    fn build_in(
        dir: tempfile::TempDir,
        role: Option<Role>,
        prep: impl FnOnce(&mut Store, i64),
        clock: Arc<ManualClock>,
        engine: Option<bool>,
        root: impl FnOnce(VirtualDom) -> VirtualDom,
        wrap: impl FnOnce(Services) -> Services,
    ) -> Ui {
        CONVERTER
            .call_once(|| dioxus_html::set_event_converter(Box::new(SerializedHtmlEventConverter)));
        let db = dir.path().join(torgkoll_app::store::DB_FILE);
        let site = torgkoll_app::site_file::at_start(&torgkoll_app::site_file::path_beside(&db));
        let mut store = Store::open(&db, site).expect("store");
        if let Some(role) = role {
            store
                .set_identity(Identity {
                    device: Uuid::now_v7(),
                    token: "t".into(),
                    role,
                    name: "test".into(),
                    server: "http://127.0.0.1:9".into(),
                })
                .expect("identity");
        }
        prep(&mut store, clock.now_ms());
        let mut services = wrap(Services::new(store, clock.clone()));
        if let Some(keep_site) = engine {
            let cfg = EngineConfig {
                site_file: keep_site.then(|| torgkoll_app::site_file::path_beside(&db)),
                ..EngineConfig::default()
            };
            services.site_file = cfg.site_file.clone();
            let handle = SyncEngine::start(services.store.clone(), cfg, clock.clone());
            services.sync = Some(Arc::new(handle));
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let dom = root(VirtualDom::new(App).with_root_context(services.clone()));
        let mut ui = Ui {
            dom,
            services,
            clock,
            db,
            ids: IdMap::default(),
            rt,
            _dir: dir,
        };
        {
            let _g = ui.rt.enter();
            ui.dom.rebuild(&mut ui.ids);
        }
        ui.settle();
        ui.finish_background_work();
        ui
    }

    /// Waits until no screen shows "Räknar…" (review work runs on worker threads).
    fn finish_background_work(&mut self) {
        self.run_until(|h| !h.contains("class=\"computing\""));
    }

    fn settle(&mut self) {
        let _g = self.rt.enter();
        for _ in 0..10 {
            self.dom.process_events();
            self.dom.render_immediate(&mut self.ids);
        }
    }

    /// Lets the app's async tasks work for up to 50 ms, then renders.
    fn step(&mut self) {
        let dom = &mut self.dom;
        self.rt.block_on(async {
            let _ = tokio::time::timeout(Duration::from_millis(50), dom.wait_for_work()).await;
        });
        self.settle();
    }

    /// Runs the app's async tasks until `done` holds for the page (or 10 s pass).
    pub fn run_until(&mut self, done: impl Fn(&str) -> bool) {
        for _ in 0..200 {
            if done(&self.html()) {
                return;
            }
            self.step();
        }
    }

    /// Runs the app's async tasks until the sync engine's status satisfies `done` (or 10 s pass): what
    /// the engine reports lags what the screens show, as it follows the engine's own steps.
    pub fn run_until_engine(&mut self, done: impl Fn(&torgkoll_app::sync::EngineStatus) -> bool) {
        for _ in 0..200 {
            let status = self.services.sync.as_ref().expect("engine").status();
            if done(&status) {
                return;
            }
            self.step();
        }
    }

    pub fn html(&self) -> String {
        dioxus_ssr::render(&self.dom)
    }

    pub fn has(&self, id: &str) -> bool {
        self.html().contains(&format!("id=\"{id}\""))
    }

    fn fire(&mut self, id: &str, name: &str, data: EventData) {
        let eid = *self
            .ids
            .ids
            .get(id)
            .unwrap_or_else(|| panic!("no element with id {id}; page:\n{}", self.html()));
        let _g = self.rt.enter();
        let event = Event::new(data.into_any(), true);
        self.dom.runtime().handle_event(name, event, eid);
        drop(_g);
        self.settle();
    }

    pub fn click(&mut self, id: &str) {
        self.click_now(id);
        self.finish_background_work();
    }

    /// A click, without waiting for the work it starts on worker threads.
    pub fn click_now(&mut self, id: &str) {
        let data = serde_json::from_value(point_json(0.0, 0.0)).expect("mouse data");
        self.fire(id, "click", EventData::Mouse(data));
    }

    pub fn input(&mut self, id: &str, value: &str) {
        self.input_now(id, value);
        self.finish_background_work();
    }

    fn input_now(&mut self, id: &str, value: &str) {
        let data = serde_json::from_value(
            serde_json::json!({ "value": value, "values": [], "valid": true }),
        )
        .expect("form data");
        self.fire(id, "input", EventData::Form(data));
    }

    fn pointer(&mut self, name: &str, id: i32, (x, y): (f64, f64)) {
        let mut json = point_json(x, y);
        let extra = serde_json::json!({
            "pointer_id": id, "width": 1.0, "height": 1.0, "pressure": 0.5, "tangential_pressure": 0.0,
            "tilt_x": 0, "tilt_y": 0, "twist": 0, "pointer_type": "touch", "is_primary": id == 1
        });
        json.as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        let data = serde_json::from_value(json).expect("pointer data");
        self.fire("map", name, EventData::Pointer(data));
        self.finish_background_work();
    }

    /// A tap on the map at a pixel position.
    pub fn tap_px(&mut self, p: (f64, f64)) {
        self.pointer("pointerdown", 1, p);
        self.pointer("pointerup", 1, p);
    }

    /// A drag on the map from one pixel position to another.
    pub fn drag(&mut self, from: (f64, f64), to: (f64, f64)) {
        self.pointer("pointerdown", 1, from);
        self.pointer(
            "pointermove",
            1,
            ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0),
        );
        self.pointer("pointermove", 1, to);
        self.pointer("pointerup", 1, to);
    }

    /// The site plan the screens show: the store's (which the app switches to when the server gives
    /// another), with its drawing.
    pub fn site(&self) -> (Arc<torgkoll_shared::Site>, Arc<SitePlan>) {
        let site = self.services.store().site().clone();
        if Arc::ptr_eq(&site, &self.services.site) {
            (site, self.services.plan.clone())
        } else {
            let plan = Arc::new(SitePlan::of(&site));
            (site, plan)
        }
    }

    /// Where a place is on the (unmeasured, default-sized, unzoomed) map.
    pub fn px_of(&self, p: GeoPoint) -> (f64, f64) {
        let (w, h) = torgkoll_app::ui::components::map::DEFAULT_SIZE;
        let (site, plan) = self.site();
        MapView::new(w, h).geo_to_screen(&site, &plan, p)
    }

    /// A place on the site, in view metres from its centre.
    pub fn place(&self, x: f64, y: f64) -> GeoPoint {
        let (site, _) = self.site();
        let (x0, y0, x1, y1) = site.view_bounds();
        site.frame.from_view(geo::Coord {
            x: (x0 + x1) / 2.0 + x,
            y: (y0 + y1) / 2.0 + y,
        })
    }

    /// A tap at a place.
    pub fn tap(&mut self, p: GeoPoint) {
        let px = self.px_of(p);
        self.tap_px(px);
    }

    /// The operations on disk, read through a second connection.
    pub fn ops(&self) -> Vec<OpBody> {
        self.disk()
            .all_ops()
            .expect("ops")
            .into_iter()
            .map(|o| o.body)
            .collect()
    }

    /// A second connection to the phone's database.
    pub fn disk(&self) -> Store {
        let site =
            torgkoll_app::site_file::at_start(&torgkoll_app::site_file::path_beside(&self.db));
        Store::open(&self.db, site).expect("reopen")
    }
}

/// A clock for one test: 13:00 local time on the day the test runs (by the system clock, which the
/// test script's faketime runs move to other hours and to the days the clocks change), standing still
/// until the test moves it. The phone and the test's server both run on it, so nothing depends on the
/// hour a test runs at: only on the date, on purpose.
pub fn test_clock() -> Arc<ManualClock> {
    let today = torgkoll_shared::calendar::local_date(SystemClock.now_ms());
    Arc::new(ManualClock::new(today.at_local(13, 0)))
}

/// Starts a real sync server on 127.0.0.1 (port 0) in a thread of its own, with its database in `dir`
/// and the test's `clock`; returns its address and a one-time enrollment code for each `(role, name)`.
pub fn server_with_codes(
    dir: &std::path::Path,
    clock: Arc<ManualClock>,
    devices: &[(torgkoll_shared::Role, &str)],
) -> (String, Vec<String>) {
    server_of_sites_with_codes(dir, clock, torgkoll_server::Sites::builtin(), devices)
}

/// [`server_with_codes`] serving these site plans.
pub fn server_of_sites_with_codes(
    dir: &std::path::Path,
    clock: Arc<ManualClock>,
    sites: torgkoll_server::Sites,
    devices: &[(torgkoll_shared::Role, &str)],
) -> (String, Vec<String>) {
    use torgkoll_server::secret::{hash, new_code, normalize_code};
    use torgkoll_server::{ServerStore, SqliteStore};

    let store = SqliteStore::open(&dir.join("server.sqlite")).expect("server store");
    let now = clock.now_ms();
    let codes = devices
        .iter()
        .map(|(role, name)| {
            let code = new_code();
            let h = hash(&normalize_code(&code).expect("a code"));
            store
                .add_enroll_code(&h, *role, name, now + 3_600_000, now)
                .expect("code");
            code
        })
        .collect();
    let url = crate::support_server::serve_sites_on_loopback(Arc::new(store), clock, sites);
    (url, codes)
}
