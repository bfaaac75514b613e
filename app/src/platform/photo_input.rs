//! The phone's camera through the webview: a file input that asks for the rear camera
//! (`accept="image/*" capture="environment"`), clicked in answer to the person's tap, its file read
//! with a `FileReader` and sent back as base64. Android's WebView and iOS's WKWebView open the camera
//! (or the gallery) for such an input when the app declares the camera permission (Android's `CAMERA`,
//! iOS's `NSCameraUsageDescription`). Type-checked for Android here; not yet tried on a device (this
//! machine has no NDK, see docs/MOBILE.md).

use base64::Engine;
use serde::Deserialize;

use super::photos::{PhotoPicker, Picking};

/// What the page sends: the picture, a cancel, or an error.
const PICK_JS: &str = r#"
const input = document.createElement('input');
input.type = 'file';
input.accept = 'image/*';
input.setAttribute('capture', 'environment');
input.style.display = 'none';
document.body.appendChild(input);
let done = false;
const finish = (msg) => { if (!done) { done = true; input.remove(); dioxus.send(msg); } };
input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!file) { finish({ cancelled: true }); return; }
    const reader = new FileReader();
    reader.onload = () => {
        const url = String(reader.result);
        finish({ base64: url.substring(url.indexOf(',') + 1) });
    };
    reader.onerror = () => finish({ error: 'the picture could not be read' });
    reader.readAsDataURL(file);
});
input.addEventListener('cancel', () => finish({ cancelled: true }));
input.click();
await new Promise(() => {});
"#;

#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    Picture {
        base64: String,
    },
    Cancelled {
        #[serde(rename = "cancelled")]
        _cancelled: serde::de::IgnoredAny,
    },
    Error {
        error: String,
    },
}

/// The camera (or gallery) through the webview's file input.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebviewCamera;

impl PhotoPicker for WebviewCamera {
    fn pick(&self) -> Picking {
        Box::pin(async {
            let mut page = dioxus::document::eval(PICK_JS);
            match page.recv::<Message>().await {
                Ok(Message::Picture { base64 }) => base64::engine::general_purpose::STANDARD
                    .decode(base64.as_bytes())
                    .map(Some)
                    .map_err(|e| format!("the picture came garbled: {e}")),
                Ok(Message::Cancelled { .. }) => Ok(None),
                Ok(Message::Error { error }) => Err(error),
                Err(e) => Err(format!("the camera did not answer: {e}")),
            }
        })
    }

    fn name(&self) -> &'static str {
        "webview camera"
    }
}
