//! The desktop window: phone-sized, titled, and optionally hidden (for the window test).

use dioxus::desktop::{Config, LogicalSize, WindowBuilder};

/// The window's inner size in logical pixels: a phone held upright.
pub const PHONE_SIZE: (f64, f64) = (420.0, 860.0);

/// The desktop configuration: a phone-sized window, without the default menu bar.
pub fn window_config(visible: bool) -> Config {
    let window = WindowBuilder::new()
        .with_title("Torgkoll")
        .with_inner_size(LogicalSize::new(PHONE_SIZE.0, PHONE_SIZE.1))
        .with_visible(visible);
    Config::new()
        .with_window(window)
        .with_menu(None)
        .with_background_color((255, 255, 255, 255))
        .with_disable_context_menu(true)
}

/// The desktop's clipboard, kept for the life of the app: on X11 the text stays on the clipboard only as
/// long as its owner lives.
static CLIPBOARD: std::sync::Mutex<Option<arboard::Clipboard>> = std::sync::Mutex::new(None);

fn with_clipboard<T>(
    f: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
) -> Result<T, String> {
    let mut c = CLIPBOARD.lock().unwrap_or_else(|e| e.into_inner());
    if c.is_none() {
        *c = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
    }
    let clipboard = c.as_mut().ok_or("no clipboard")?;
    f(clipboard).map_err(|e| e.to_string())
}

/// Puts text on the system clipboard.
pub fn copy_text(text: &str) -> Result<(), String> {
    with_clipboard(|c| c.set_text(text))
}

/// The text on the system clipboard (what the window test reads back).
pub fn clipboard_text() -> Result<String, String> {
    with_clipboard(|c| c.get_text())
}

/// The desktop's photo picker: the system's file dialog (the XDG desktop portal on Linux), for JPEG,
/// PNG and WebP pictures.
#[derive(Debug, Default, Clone, Copy)]
pub struct FileDialog;

impl super::photos::PhotoPicker for FileDialog {
    fn pick(&self) -> super::photos::Picking {
        Box::pin(async {
            let picked = rfd::AsyncFileDialog::new()
                .set_title("Foto / Photo")
                .add_filter("Bild / Picture", &["jpg", "jpeg", "png", "webp"])
                .pick_file()
                .await;
            match picked {
                Some(file) => Ok(Some(file.read().await)),
                None => Ok(None),
            }
        })
    }

    fn name(&self) -> &'static str {
        "file dialog"
    }
}
