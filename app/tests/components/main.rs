//! Component tests of every screen and the main interactions, without a window: the real `App` in a
//! `VirtualDom` on a real SQLite file, events fired at elements, assertions on the HTML and on the disk.
//!
//! Run: `cargo test -p torgkoll-app --test components`

mod harness;
mod idmap;
#[path = "../support_server.rs"]
mod support_server;
// Other phones' operations, delivered as a pull delivers them (shared with the review-screen tests).
#[allow(dead_code)]
#[path = "../review_screens/seed.rs"]
mod seed;

mod alerts;
mod amend;
mod categories;
mod cleaner;
mod enroll;
mod field;
mod guard;
mod lists;
mod map;
mod online;
mod online_devices;
mod online_photos;
mod photos;
mod recorded_run;
mod reenroll;
mod runs;
mod shift;
mod site_plan;
mod theme;
