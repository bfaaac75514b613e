//! Component tests of every screen and the main interactions, without a window: the real `App` in a
//! `VirtualDom` on a real SQLite file, events fired at elements, assertions on the HTML and on the disk.
//!
//! Run: `cargo test -p torgkoll-app --test components`

mod harness;
mod idmap;

mod cleaner;
mod enroll;
mod guard;
mod lists;
mod map;
mod online;
mod runs;
mod theme;
