//! A phone enrolled at a server that serves another site than the built-in Plattan: it downloads that
//! site's plan after enrolling, keeps it beside its database, shows that site's map at once (no restart:
//! the store and every screen switch to the new plan), and after a restart without network still shows
//! that site's map and only that site's categories.

use std::time::{Duration, Instant};

use torgkoll_app::site_file;
use torgkoll_app::store::SyncState;
use torgkoll_server::Sites;
use torgkoll_server::sites::SiteFile;
use torgkoll_shared::enroll_link::EnrollLink;
use torgkoll_shared::test_support::MEDBORGARPLATSEN_GEOJSON;
use torgkoll_shared::{DisturbanceCategory, OpBody, Role};

use crate::harness::Ui;

fn medborgarplatsen() -> Sites {
    Sites::one(SiteFile::parse(MEDBORGARPLATSEN_GEOJSON.as_bytes().to_vec().into()).expect("loads"))
}

/// Waits (up to 10 s) until `path` holds `bytes`; the engine writes it from its own thread.
fn wait_for_file(path: &std::path::Path, bytes: &[u8]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read(path).ok().as_deref() != Some(bytes) {
        assert!(
            Instant::now() < deadline,
            "{} never held the plan",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_phone_of_another_site_keeps_its_plan_and_vocabulary_offline() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, codes) = crate::harness::server_of_sites_with_codes(
        dir.path(),
        clock.clone(),
        medborgarplatsen(),
        &[(Role::Guard, "Vakt M")],
    );
    let mut ui = Ui::with_engine_keeping_site(clock);
    assert_eq!(ui.services.site.id, "plattan", "nothing kept yet");
    ui.input("server", &url);
    ui.input("code", &codes[0]);
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-disturbance\""));
    let kept = site_file::path_beside(&ui.db);
    wait_for_file(&kept, MEDBORGARPLATSEN_GEOJSON.as_bytes());

    // Started again with its server out of reach.
    let mut ui = ui.restart(true, |store, _| {
        let mut me = store.identity().cloned().expect("enrolled");
        me.server = "http://127.0.0.1:1".into();
        store.set_identity(me).expect("same device");
    });
    ui.run_until(|h| h.contains("Ingen kontakt med servern"));
    assert_eq!(ui.services.site.id, "medborgarplatsen");
    assert_eq!(ui.services.site.vocabulary.machines.len(), 1);
    let html = ui.html();
    for zone in ["Götgatssidan", "Torgytan", "Söderhallarna"] {
        assert!(html.contains(zone), "zone {zone} on the map: {html}");
    }
    assert!(!html.contains("Trappan"), "no Plattan zone");
    assert!(ui.has("dcat-berusad"));
    assert!(
        !ui.has("dcat-stodbehov"),
        "a category the site does not use"
    );

    // A disturbance on the new site's map is saved there, offline.
    ui.tap(ui.place(0.0, 0.0));
    ui.click("dcat-berusad");
    ui.click("save-disturbance");
    let ops = ui.ops();
    let [OpBody::Disturbance(d)] = &ops[..] else {
        panic!("{ops:?}")
    };
    assert_eq!(d.category, DisturbanceCategory::Berusad);
    assert!(ui.services.site.locate(d.at).is_ok());
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        MEDBORGARPLATSEN_GEOJSON.as_bytes(),
        "the kept plan is untouched offline"
    );
}

/// Medborgarplatsen's zones are on the page and none of the Plattan's.
fn shows_medborgarplatsen(html: &str) -> bool {
    ["Götgatssidan", "Torgytan", "Söderhallarna"]
        .iter()
        .all(|z| html.contains(z))
        && !html.contains("Trappan")
}

/// A disturbance tapped at the centre of the map, then waited for until the server has it.
fn report_and_see_it_accepted(ui: &mut Ui) {
    ui.tap(ui.place(0.0, 0.0));
    ui.click("dcat-berusad");
    ui.click("save-disturbance");
    let ops = ui.ops();
    let [OpBody::Disturbance(d)] = &ops[..] else {
        panic!("{ops:?}")
    };
    assert!(ui.site().0.locate(d.at).is_ok(), "on the new site's map");
    ui.run_until(|h| h.contains("0 väntar") && h.contains("Senast synkad"));
    let mine = ui.disk().my_reports(5).expect("mine");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].sync, Some(SyncState::Sent), "accepted, not refused");
    assert!(mine[0].zone.is_some(), "in one of the site's zones");
}

#[test]
fn a_phone_enrolled_in_the_app_shows_its_site_at_once_and_the_server_takes_its_reports() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, codes) = crate::harness::server_of_sites_with_codes(
        dir.path(),
        clock.clone(),
        medborgarplatsen(),
        &[(Role::Guard, "Vakt M")],
    );
    let mut ui = Ui::with_engine_keeping_site(clock);
    assert_eq!(
        ui.services.site.id, "plattan",
        "started on the built-in plan"
    );
    // Enrolled with a link, as a real phone is.
    let link = EnrollLink {
        server: url,
        code: codes[0].clone(),
    };
    ui.input("code", &link.to_link());
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-disturbance\""));
    // The first map the guard sees is the site's own: the plan was fetched before the screen left.
    assert_eq!(ui.services.store().site().id, "medborgarplatsen");
    let html = ui.html();
    assert!(shows_medborgarplatsen(&html), "{html}");
    // Its vocabulary: a category the site uses, none it does not.
    assert!(ui.has("dcat-berusad"));
    assert!(
        !ui.has("dcat-stodbehov"),
        "a category the site does not use"
    );
    report_and_see_it_accepted(&mut ui);
    // The engine reports the plan after the sync's last step, its check of the plan, which can come
    // after the report's acknowledgement is stored: waited for, not raced.
    ui.run_until_engine(|s| s.site == "medborgarplatsen");
    let status = ui.services.sync.as_ref().expect("engine").status();
    assert_eq!(status.site, "medborgarplatsen");
}

#[test]
fn a_plan_the_engine_fetches_later_replaces_the_screens_without_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = crate::harness::test_clock();
    let (url, codes) = crate::harness::server_of_sites_with_codes(
        dir.path(),
        clock.clone(),
        medborgarplatsen(),
        &[(Role::Guard, "Vakt M")],
    );
    let mut ui = Ui::with_engine_keeping_site(clock);
    ui.input("server", &url);
    ui.input("code", &codes[0]);
    ui.click("enroll-button");
    ui.run_until(|h| h.contains("id=\"tab-disturbance\""));
    // Once the engine has checked the plan after its first sync (so it writes no file any more)...
    let engine = ui.services.sync.clone().expect("engine");
    let deadline = Instant::now() + Duration::from_secs(10);
    while engine.status().site != "medborgarplatsen" {
        assert!(Instant::now() < deadline, "{:?}", engine.status());
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(engine);
    // ... a phone enrolled before it kept plans (or whose enrollment could not fetch one): started on
    // the Plattan, enrolled, its engine running.
    let kept = site_file::path_beside(&ui.db);
    std::fs::remove_file(&kept).expect("the kept plan");
    let mut ui = ui.restart(true, |_, _| {});
    assert_eq!(ui.services.site.id, "plattan");
    // Its first sync fetches the plan; the store and every screen switch to it.
    ui.run_until(shows_medborgarplatsen);
    assert_eq!(ui.services.store().site().id, "medborgarplatsen");
    let html = ui.html();
    assert!(shows_medborgarplatsen(&html), "{html}");
    wait_for_file(&kept, MEDBORGARPLATSEN_GEOJSON.as_bytes());
    assert!(ui.has("tab-disturbance"), "still enrolled, at home");
    report_and_see_it_accepted(&mut ui);
}
