//! Switching the store to another site plan (`Store::set_site`).

use std::sync::Arc;

use geo::InteriorPoint;
use torgkoll_shared::test_support::{medborgarplatsen, plattan};
use torgkoll_shared::{CleaningCategory, CleaningReport, GeoPoint, OpBody, Site};

use super::*;

const NOW: i64 = 1_764_150_000_000;

/// Inside the first zone of `site`.
fn inside(site: &Site) -> (GeoPoint, String) {
    let z = &site.zones[0];
    let p = site
        .frame
        .from_local(z.polygon.interior_point().unwrap().0)
        .rounded();
    (p, z.id.clone())
}

fn clean(at: GeoPoint) -> OpBody {
    OpBody::Clean(CleaningReport {
        category: CleaningCategory::Fimpar,
        amount: None,
        note: None,
        at,
        acc: None,
    })
}

#[test]
fn a_new_site_plan_validates_and_rebuilds_the_map_state_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let (old, new) = (Arc::new(plattan()), Arc::new(medborgarplatsen()));
    let mut s = Store::open(&path, old.clone()).unwrap();
    super::test_support::enroll_cleaner(&mut s);
    let (on_plattan, plattan_zone) = inside(&old);
    let (on_medborgarplatsen, new_zone) = inside(&new);
    assert!(
        s.record(clean(on_medborgarplatsen), NOW).is_err(),
        "outside the Plattan"
    );
    let first = s.record(clean(on_plattan), NOW).unwrap();
    let zones = |s: &Store| {
        s.reports_between(NOW - 1000, NOW + 1000)
            .unwrap()
            .into_iter()
            .map(|r| (r.report.id, r.zone))
            .collect::<Vec<_>>()
    };
    assert_eq!(zones(&s), vec![(first.id, Some(plattan_zone))]);

    s.set_site(new.clone()).unwrap();
    assert_eq!(s.site().id, "medborgarplatsen");
    // The report kept, its zone now what the new plan says: none, it lies outside Medborgarplatsen.
    assert_eq!(zones(&s), vec![(first.id, None)]);
    assert!(
        matches!(
            s.record(clean(on_plattan), NOW + 1),
            Err(StoreError::Invalid(_))
        ),
        "the old plan no longer validates"
    );
    let second = s.record(clean(on_medborgarplatsen), NOW + 2).unwrap();
    assert!(zones(&s).contains(&(second.id, Some(new_zone.clone()))));
    assert_eq!(s.pending_count().unwrap(), 2, "nothing recorded was lost");

    // The rebuilt state is committed: opened again with the new plan, it is the same.
    drop(s);
    let s = Store::open(&path, new).unwrap();
    assert!(zones(&s).contains(&(second.id, Some(new_zone))));
}
