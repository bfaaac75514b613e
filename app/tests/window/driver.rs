//! Driving the real page from Rust: clicks, taps on the map, waiting for text, all through
//! `document::eval` in the desktop webview.

use std::time::Duration;

use dioxus::prelude::*;

/// Runs JavaScript in the page and returns what it returns, or `Null` when the answer was lost.
///
/// dioxus-desktop 0.7 drops an eval's slot as soon as the page answers; when the answer comes before
/// the first poll, `join` reports `EvalError::Finished` although the script ran. Callers therefore
/// either ignore the answer (actions) or poll until they see what they wait for (queries).
pub async fn js(code: &str) -> serde_json::Value {
    match document::eval(code).await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("eval answer lost ({e}); continuing");
            serde_json::Value::Null
        }
    }
}

pub async fn sleep_ms(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// Waits until a JavaScript condition is true (or fails the test after 20 s).
pub async fn wait_for(what: &str, cond: &str) {
    for _ in 0..400 {
        if js(&format!("return !!({cond});")).await == serde_json::Value::Bool(true) {
            return;
        }
        sleep_ms(50).await;
    }
    let html = js("return document.body.innerText;").await;
    panic!("timed out waiting for {what} ({cond}); the page reads:\n{html}");
}

/// Waits for an element and clicks it.
pub async fn click(id: &str) {
    wait_for(
        &format!("#{id}"),
        &format!("document.getElementById('{id}')"),
    )
    .await;
    js(&format!(
        "document.getElementById('{id}').click(); return true;"
    ))
    .await;
}

/// The text of an element.
pub async fn text(id: &str) -> String {
    wait_for(
        &format!("#{id}"),
        &format!("document.getElementById('{id}')"),
    )
    .await;
    js(&format!(
        "return document.getElementById('{id}').textContent;"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Taps the map at a fraction of its width and height (a pointer down and up without moving).
pub async fn tap_map(fx: f64, fy: f64) {
    wait_for("the map", "document.getElementById('map')").await;
    js(&format!(
        "const m = document.getElementById('map'); const r = m.getBoundingClientRect();
         const o = {{bubbles: true, cancelable: true, pointerId: 1, isPrimary: true, pointerType: 'touch',
                    clientX: r.left + r.width * {fx}, clientY: r.top + r.height * {fy}}};
         m.dispatchEvent(new PointerEvent('pointerdown', o));
         m.dispatchEvent(new PointerEvent('pointerup', o));
         return true;"
    ))
    .await;
}

/// Types into an input or textarea (sets the value and fires `input`).
pub async fn type_into(id: &str, value: &str) {
    wait_for(
        &format!("#{id}"),
        &format!("document.getElementById('{id}')"),
    )
    .await;
    let v = serde_json::to_string(value).expect("a string");
    js(&format!(
        "const e = document.getElementById('{id}'); e.value = {v};
         e.dispatchEvent(new Event('input', {{bubbles: true}})); return true;"
    ))
    .await;
}
