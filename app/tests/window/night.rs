//! The night theme in the real renderer: the component tests see the class on the root, this sees the
//! stylesheet (`assets/night.css`) actually load and paint the screens dark, and the choice reach the
//! database file.

use std::sync::Arc;

use torgkoll_app::store::Store;
use torgkoll_shared::test_support::plattan;

use crate::driver::{click, js, wait_for};
use crate::scenarios::DB;

/// The computed background of the first element matching `selector` (`rgb(r, g, b)`).
async fn background(selector: &str) -> String {
    js(&format!(
        "const e = document.querySelector('{selector}'); return e ? getComputedStyle(e).backgroundColor : '';"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

fn stored_theme() -> Option<String> {
    let store = Store::open(DB.get().expect("db path"), Arc::new(plattan())).expect("open the db");
    store.setting("theme").ok().flatten()
}

/// At 13:00 the theme is day; "Natt" in the settings turns every screen dark and is kept on disk; "Dag"
/// turns it back.
pub async fn night_theme() -> Result<(), String> {
    // The stylesheets load after the first paint.
    wait_for(
        "the day map",
        "getComputedStyle(document.querySelector('.map-wrap')).backgroundColor == 'rgb(238, 241, 244)'",
    )
    .await;
    if js("return !!document.querySelector('.app.night');").await == serde_json::Value::Bool(true) {
        return Err("dark at 13:00".into());
    }
    click("tab-settings").await;
    click("theme-night").await;
    wait_for("the night class", "document.querySelector('.app.night')").await;
    // The palette's ground, the raised buttons: the stylesheet is loaded and in force.
    wait_for(
        "the dark ground",
        "getComputedStyle(document.getElementById('app')).backgroundColor == 'rgb(14, 19, 24)'",
    )
    .await;
    let button = background("#theme-day").await;
    if button != "rgb(31, 40, 49)" {
        return Err(format!("a button at night is {button:?}"));
    }
    if stored_theme().as_deref() != Some("night") {
        return Err(format!("the theme on disk is {:?}", stored_theme()));
    }
    click("tab-report").await;
    wait_for("the map", "document.getElementById('map')").await;
    let night_map = background(".map-wrap").await;
    if night_map != "rgb(10, 14, 18)" {
        return Err(format!("the night map is {night_map:?}"));
    }
    click("tab-settings").await;
    click("theme-day").await;
    wait_for("the day class", "!document.querySelector('.app.night')").await;
    if stored_theme().as_deref() != Some("day") {
        return Err(format!("the theme on disk is {:?}", stored_theme()));
    }
    Ok(())
}
