//! Component tests of the platsansvarig's review screens: the real `App` in a `VirtualDom` on a real
//! SQLite file seeded with known data (other phones' operations arriving as a sync would bring them),
//! rendered with dioxus-ssr; clicks fired at elements; decisions checked on the disk. One test runs the
//! whole loop through a real sync server on the loopback.
//!
//! Run: `cargo test -p torgkoll-app --test review_screens`

// The UI engineer's window-less harness, shared with the `components` tests.
#[allow(dead_code)]
#[path = "../components/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../components/idmap.rs"]
mod idmap;
#[path = "../support_server.rs"]
mod support_server;

mod analytics;
mod map_list;
mod seed;
mod sync_back;
mod triage;
