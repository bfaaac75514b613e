//! What the store's tests share: a store on a file, enrolled as a cleaner of the Plattan, and a report.

use std::path::Path;
use std::sync::Arc;

use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, OpBody, Operation, Role};
use uuid::Uuid;

use super::{DB_FILE, Identity, Store};

/// A store in `dir`, enrolled as cleaner "Plock 1" of the Plattan (a new device id).
pub(super) fn enrolled_cleaner(dir: &Path) -> Store {
    let mut s = Store::open(&dir.join(DB_FILE), Arc::new(plattan())).unwrap();
    enroll_cleaner(&mut s);
    s
}

/// Enrolls the store as cleaner "Plock 1" (a new device id).
pub(super) fn enroll_cleaner(s: &mut Store) {
    s.set_identity(Identity {
        device: Uuid::now_v7(),
        token: "t".into(),
        role: Role::Cleaner,
        name: "Plock 1".into(),
        server: "http://127.0.0.1:1".into(),
    })
    .unwrap();
}

/// A graffiti report in the middle of the plan, recorded at `now_ms`.
pub(super) fn klotter(s: &mut Store, now_ms: i64) -> Operation {
    let at = plattan().frame.from_view(geo::Coord { x: 0.0, y: 0.0 });
    let body = OpBody::Clean(CleaningReport {
        category: CleaningCategory::Klotter,
        amount: None,
        note: None,
        at,
        acc: None,
    });
    s.record(body, now_ms).unwrap()
}
