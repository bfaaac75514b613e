//! The night theme: the field screens turn dark and high-contrast from sunset to sunrise at the site, or
//! stay day or night as the person chose in the settings ("Tema"). White screens glare at 23:00 in the
//! rain; a dark one does not.
//!
//! The choice is kept with the data, like the language. Whether the sun is down is computed
//! (`torgkoll_shared::sun`, from the site's own position) against the phone's one clock,
//! `Services::clock`, and looked at again by a timer about once a minute: not on every render, so a
//! screen never flips between two taps for any other reason than the sun. The root element carries the
//! class `night` while the theme is dark; the stylesheet `assets/night.css` does the rest.

use std::time::Duration;

use dioxus::prelude::*;
use torgkoll_shared::{Lang, sun};

use super::{Services, use_services};
use crate::ui::i18n::Msg;

/// The setting's key in the store.
const SETTING: &str = "theme";

/// How often the automatic theme looks at the clock again: a minute late at dusk goes unseen.
pub const RECHECK: Duration = Duration::from_secs(60);

/// Another interval for that timer, put in the root context beside the services (tests shorten it).
#[derive(Clone, Copy, Debug)]
pub struct ThemeRecheck(pub Duration);

/// The theme the person chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Dark from sunset to sunrise.
    #[default]
    Auto,
    Day,
    Night,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::Auto, ThemeChoice::Day, ThemeChoice::Night];

    /// The value kept in the store.
    pub fn code(self) -> &'static str {
        match self {
            ThemeChoice::Auto => "auto",
            ThemeChoice::Day => "day",
            ThemeChoice::Night => "night",
        }
    }

    /// A stored value; automatic for anything else (nothing stored yet, or a value from a newer app).
    fn from_code(code: Option<&str>) -> Self {
        match code {
            Some("day") => ThemeChoice::Day,
            Some("night") => ThemeChoice::Night,
            _ => ThemeChoice::Auto,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ThemeChoice::Auto => Msg::ThemeAuto.t(lang),
            ThemeChoice::Day => Msg::ThemeDay.t(lang),
            ThemeChoice::Night => Msg::ThemeNight.t(lang),
        }
    }

    /// The stable id of its button in the settings.
    pub fn id(self) -> &'static str {
        match self {
            ThemeChoice::Auto => "theme-auto",
            ThemeChoice::Day => "theme-day",
            ThemeChoice::Night => "theme-night",
        }
    }
}

/// The theme's state, shared by every screen. `Copy`: signals are handles.
#[derive(Clone, Copy)]
pub struct Theme {
    pub choice: Signal<ThemeChoice>,
    /// Whether the sun is down at the site, as of the timer's last look.
    pub dark_outside: Signal<bool>,
    svc: CopyValue<Services>,
}

impl Theme {
    /// Whether the screens are dark now. Subscribes the caller to changes.
    pub fn night(&self) -> bool {
        match (self.choice)() {
            ThemeChoice::Auto => (self.dark_outside)(),
            ThemeChoice::Day => false,
            ThemeChoice::Night => true,
        }
    }

    /// Switches the theme and keeps the choice with the data.
    pub fn choose(&self, choice: ThemeChoice) {
        if let Err(e) = self.svc.read().store().set_setting(SETTING, choice.code()) {
            tracing::warn!("saving the theme failed: {e}");
        }
        let mut c = self.choice;
        c.set(choice);
    }
}

/// Creates the theme in the root component, provides it to every screen and starts its timer.
pub fn use_provide_theme() -> Theme {
    let svc = use_services();
    let every = try_use_context::<ThemeRecheck>().map_or(RECHECK, |r| r.0);
    let theme = use_context_provider({
        let svc = svc.clone();
        move || {
            let stored = svc.store().setting(SETTING).ok().flatten();
            Theme {
                choice: Signal::new(ThemeChoice::from_code(stored.as_deref())),
                dark_outside: Signal::new(sun::is_dark(&svc.site, svc.now_ms())),
                svc: CopyValue::new(svc),
            }
        }
    });
    use_hook(move || {
        let mut dark = theme.dark_outside;
        spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let now = sun::is_dark(&svc.site, svc.now_ms());
                // Only a change is written, so nothing re-renders between sunrise and sunset.
                if now != *dark.peek() {
                    dark.set(now);
                }
            }
        });
    });
    theme
}

pub fn use_theme() -> Theme {
    use_context::<Theme>()
}

/// Whether the screens are dark now, for components that draw in colour (pins, swatches); day where
/// there is no theme (a component drawn on its own).
pub fn use_night() -> bool {
    try_use_context::<Theme>().is_some_and(|t| t.night())
}
