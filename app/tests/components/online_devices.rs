//! The manager's "Telefoner" and the document buttons against a real sync server on the loopback: a
//! phone that synced two hours ago during the shift is on top in red, "Tyst i 2 h", with what waited on
//! it and its version; one heard from five minutes ago is in contact. The lägesbild and an export are
//! saved into `exports/` and handed to the opener (a recording one: the platform's edge, not the
//! server). With the server gone, the last list stays with "Kan inte nå servern".

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use torgkoll_app::platform::{Clock, Opened, Opener};
use torgkoll_app::store::{Identity, Store};
use torgkoll_app::sync::{APP_VERSION, SyncClient, SyncOptions, enroll, sync_once};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Role};

use crate::harness::{Ui, server_with_codes, test_clock};

const MIN: i64 = 60_000;

/// Remembers what it was asked to open instead of starting an application.
#[derive(Default)]
struct RecordingOpener(Mutex<Vec<PathBuf>>);

impl Opener for RecordingOpener {
    fn open(&self, path: &Path) -> Result<Opened, String> {
        self.0.lock().unwrap().push(path.to_path_buf());
        Ok(Opened::Opened)
    }
    fn name(&self) -> &'static str {
        "recording"
    }
}

fn identity_of(url: &str, code: &str) -> Identity {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let e = rt.block_on(enroll(url, code)).expect("enrolled");
    Identity {
        device: e.device,
        token: e.token,
        role: e.role,
        name: e.name,
        server: url.to_owned(),
    }
}

/// A headless phone that records one cleaning report and syncs it now (saying 1 waits as it sends).
fn phone_syncs(dir: &Path, url: &str, code: &str, clock: &dyn Clock) {
    let id = identity_of(url, code);
    let phone_dir = dir.join(id.device.to_string());
    std::fs::create_dir_all(&phone_dir).unwrap();
    let mut store = Store::open(&phone_dir.join("phone.sqlite"), Arc::new(plattan())).unwrap();
    let client = SyncClient::new(url, &id.token);
    store.set_identity(id).unwrap();
    let at = plattan().frame.from_view(geo::Coord { x: 0.0, y: 0.0 });
    store
        .record(
            OpBody::Clean(CleaningReport {
                category: CleaningCategory::Fimpar,
                amount: None,
                note: None,
                at,
                acc: None,
            }),
            clock.now_ms(),
        )
        .unwrap();
    let store = Arc::new(Mutex::new(store));
    let rt = tokio::runtime::Runtime::new().expect("rt");
    rt.block_on(sync_once(&client, &store, SyncOptions::default(), clock))
        .expect("synced");
}

#[test]
fn a_phone_quiet_for_two_hours_is_on_top_in_red_and_documents_are_saved_and_opened() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = test_clock();
    let now = clock.now_ms();
    let (url, codes) = server_with_codes(
        dir.path(),
        clock.clone(),
        &[
            (Role::Manager, "Cia"),
            (Role::Cleaner, "Anna"),
            (Role::Guard, "Bo"),
        ],
    );
    let manager = identity_of(&url, &codes[0]);
    clock.set(now - 120 * MIN);
    phone_syncs(dir.path(), &url, &codes[1], &*clock);
    clock.set(now - 5 * MIN);
    phone_syncs(dir.path(), &url, &codes[2], &*clock);
    clock.set(now);

    let opener = Arc::new(RecordingOpener::default());
    let o = opener.clone();
    let mut ui = Ui::with_services(
        now,
        move |s, _| s.set_identity(manager).unwrap(),
        move |s| s.with_opener(o),
    );
    ui.click("tab-review");
    ui.click("rv-devices");
    ui.run_until(|h| h.contains("Tyst i 2 h"));
    let html = ui.html();
    assert!(html.contains("Tyst i 2 h"), "{html}");
    let anna = html.find(">Anna<").expect("Anna listed");
    let bo = html.find(">Bo<").expect("Bo listed");
    assert!(anna < bo, "the silent phone is on top");
    assert!(html.contains("class=\"dev silent\""), "{html}");
    // What still waited behind her last sync (nothing: it carried her one report), and her version.
    assert!(html.contains(">0 väntar<"), "{html}");
    assert!(html.contains(&format!("version {APP_VERSION}")), "{html}");
    let at = torgkoll_shared::calendar::local_hhmm(now - 120 * MIN);
    assert!(
        html.contains(&format!("senast kontakt {at} (för 2 h sedan)")),
        "{html}"
    );
    assert!(html.contains(">I kontakt<"), "{html}");
    assert!(!html.contains("id=\"devices-problem\""), "{html}");

    // The day's lägesbild: fetched, saved into exports/, opened.
    ui.click("doc-lagesbild");
    ui.run_until(|h| h.contains("Sparad: "));
    let opened = opener.0.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "{}", ui.html());
    let today = torgkoll_shared::calendar::local_date(now);
    assert!(opened[0].ends_with(format!("exports/lagesbild-{today}.html")));
    let page = std::fs::read_to_string(&opened[0]).unwrap();
    assert!(
        page.contains("<html") || page.contains("<!DOCTYPE"),
        "{page}"
    );
    assert!(ui.html().contains(&opened[0].display().to_string()));

    // And the period's export as CSV.
    ui.click("doc-csv");
    ui.run_until(|h| h.contains(".csv"));
    let opened = opener.0.lock().unwrap().clone();
    assert_eq!(opened.len(), 2, "{}", ui.html());
    assert_eq!(opened[1].extension().unwrap(), "csv");
    assert!(std::fs::metadata(&opened[1]).unwrap().len() > 0);
}

#[test]
fn without_the_server_the_last_list_stays_and_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = test_clock();
    let now = clock.now_ms();
    let (url, codes) = server_with_codes(dir.path(), clock.clone(), &[(Role::Manager, "Cia")]);
    let manager = identity_of(&url, &codes[0]);
    let keep = manager.clone();
    let mut ui = Ui::with_services(now, move |s, _| s.set_identity(keep).unwrap(), |s| s);
    ui.click("tab-review");
    ui.click("rv-devices");
    ui.run_until(|h| h.contains(">Cia<"));
    assert!(ui.html().contains(">Aldrig synkad<"), "{}", ui.html());

    // The server moves away (nothing listens at port 9); ten minutes later the manager refreshes.
    ui.services
        .store()
        .set_identity(Identity {
            server: "http://127.0.0.1:9".into(),
            ..manager
        })
        .unwrap();
    ui.clock.advance(10 * MIN);
    ui.click("devices-refresh");
    ui.run_until(|h| h.contains("id=\"devices-problem\""));
    let html = ui.html();
    let at = torgkoll_shared::calendar::local_hhmm(now);
    assert!(
        html.contains(&format!("Kan inte nå servern · senast hämtat {at}")),
        "{html}"
    );
    assert!(html.contains(">Cia<"), "the last list stays: {html}");

    // The documents say it in Swedish too.
    ui.click("doc-geojson");
    ui.run_until(|h| h.contains("Kunde inte hämta"));
    assert!(
        ui.html().contains("Kunde inte hämta: Kan inte nå servern"),
        "{}",
        ui.html()
    );
}
