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
