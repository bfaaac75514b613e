//! Torgkoll's field app: the phone's offline store, the sync engine, and the Dioxus UI.
//!
//! `store` and `sync` are usable without any UI (the fleet simulator drives them headless).

pub mod store;
pub mod sync;

pub mod config;
pub mod demo_track;
pub mod platform;
pub mod recorder;
pub mod site_file;
pub mod ui;
