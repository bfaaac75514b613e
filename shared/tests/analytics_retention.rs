//! The retention plan: old free text purged, counts kept.

mod common;
use common::*;

use torgkoll_shared::analytics::retention::{Retention, purged};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{Operation, State};
use uuid::Uuid;

#[test]
fn retention_purges_old_free_text_and_keeps_the_counts() {
    let site = plattan();
    let (ops, period) = fixture(&site);
    let day = 86_400_000;
    assert_eq!(Retention::new(0), None);
    let policy = Retention::new(30).unwrap();
    // 29 days after the day: nothing due; 31 days after: the two operations with notes.
    assert!(policy.due(&ops, period.to_ms + 29 * day).is_empty());
    let due = policy.due(&ops, period.to_ms + 31 * day);
    assert_eq!(due, vec![Uuid::from_u128(0x7001), Uuid::from_u128(0x7002)]);
    let kept: Vec<Operation> = ops
        .iter()
        .map(|o| {
            if due.contains(&o.id) {
                purged(o)
            } else {
                o.clone()
            }
        })
        .collect();
    assert!(kept.iter().all(|o| o.body.note().is_none()));
    assert!(
        policy.due(&kept, period.to_ms + 31 * day).is_empty(),
        "purging is idempotent"
    );
    // The same counts and places after purging.
    let (before, after) = (State::fold(&ops), State::fold(&kept));
    for (a, b) in before.reports.values().zip(after.reports.values()) {
        assert_eq!(
            (a.classification(), a.at(), a.status(), a.count()),
            (b.classification(), b.at(), b.status(), b.count())
        );
    }
    assert_eq!(
        kept.iter()
            .map(|o| (o.id, o.seq, o.hlc))
            .collect::<Vec<_>>(),
        ops.iter().map(|o| (o.id, o.seq, o.hlc)).collect::<Vec<_>>()
    );
}
