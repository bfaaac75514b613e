//! The shipped site plans and their vocabularies: every file in `assets/sites/` loads with a unique id,
//! a site without a vocabulary uses every term, and validation refuses what a site does not use, the
//! same way as a point outside it.

use std::collections::BTreeSet;

use geo::InteriorPoint;
use torgkoll_shared::analytics::Period;
use torgkoll_shared::analytics::coverage::swept_area_m2;
use torgkoll_shared::site::{SiteMachine, Term};
use torgkoll_shared::test_support::{medborgarplatsen, plattan};
use torgkoll_shared::validate::NoLookup;
use torgkoll_shared::{
    CleaningCategory, CleaningReport, DisturbanceCategory, DisturbanceReport, GeoPoint, Hlc,
    Invalid, MachineKind, OpBody, Operation, Role, Run, Site, SiteError, TrackPoint, validate,
};
use uuid::Uuid;

const T: i64 = 1_790_000_000_000;

fn op(role: Role, body: OpBody) -> Operation {
    Operation {
        id: Uuid::from_u128(0x51),
        device: Uuid::from_u128(0xD1),
        seq: 1,
        hlc: Hlc::new(T as u64, 0),
        wall_ms: T,
        role,
        body,
        fix: None,
    }
}

fn inside(site: &Site) -> GeoPoint {
    site.frame
        .from_local(site.zones[0].polygon.interior_point().unwrap().0)
        .rounded()
}

fn clean(site: &Site, category: CleaningCategory) -> Operation {
    op(
        Role::Cleaner,
        OpBody::Clean(CleaningReport {
            category,
            amount: None,
            note: None,
            at: inside(site),
            acc: None,
        }),
    )
}

fn disturbance(site: &Site, category: DisturbanceCategory) -> Operation {
    op(
        Role::Guard,
        OpBody::Disturbance(DisturbanceReport {
            category,
            level: 2,
            people: 1,
            interventions: Default::default(),
            note: None,
            at: inside(site),
            happened: None,
        }),
    )
}

fn run_start(kind: MachineKind) -> Operation {
    op(
        Role::Cleaner,
        OpBody::RunStart {
            kind,
            machine: "Maskin 1".into(),
            started: T - 1_000,
        },
    )
}

#[test]
fn every_shipped_site_loads_with_a_unique_id() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/sites");
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "geojson") {
            let text = std::fs::read_to_string(&path).unwrap();
            let site =
                Site::from_geojson(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(ids.insert(site.id.clone()), "{} twice", site.id);
        }
    }
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        ["medborgarplatsen", "plattan"]
    );
}

#[test]
fn a_site_without_a_vocabulary_uses_every_term_at_default_widths() {
    let site = plattan();
    let v = &site.vocabulary;
    assert_eq!(v.cleaning, CleaningCategory::ALL);
    assert_eq!(v.disturbance, DisturbanceCategory::ALL);
    assert_eq!(
        v.machines,
        [
            SiteMachine {
                kind: MachineKind::Fimpsug,
                width_m: 1.0
            },
            SiteMachine {
                kind: MachineKind::Skurmaskin,
                width_m: 0.8
            }
        ]
    );
    assert_eq!(v.narrowest_width_m(), 0.8);
    for c in CleaningCategory::ALL {
        assert!(validate(&clean(&site, *c), &site, &NoLookup).is_ok());
    }
    assert!(validate(&run_start(MachineKind::Skurmaskin), &site, &NoLookup).is_ok());
}

#[test]
fn the_second_site_has_its_own_plan_and_vocabulary() {
    let site = medborgarplatsen();
    assert_eq!(site.id, "medborgarplatsen");
    assert_eq!(site.zones.len(), 3);
    assert!(
        site.attribution.is_empty(),
        "a draft from general knowledge claims no OSM source"
    );
    assert!(
        (8_000.0..9_500.0).contains(&site.area_m2),
        "{}",
        site.area_m2
    );
    assert!(site.landmarks.iter().any(|l| l.kind == "subway_entrance"));
    let v = &site.vocabulary;
    assert_eq!(
        v.machines,
        [SiteMachine {
            kind: MachineKind::Fimpsug,
            width_m: 0.5
        }]
    );
    assert_eq!(v.width_m(MachineKind::Fimpsug), 0.5);
    // A kind the site does not use keeps its default width (an old run still draws).
    assert_eq!(v.width_m(MachineKind::Skurmaskin), 0.8);
    assert!(v.cleaning.contains(&CleaningCategory::Fimpar));
    assert!(!v.cleaning.contains(&CleaningCategory::Kanyler));
    assert!(!v.disturbance.contains(&DisturbanceCategory::StodBehov));
}

#[test]
fn what_a_site_does_not_use_is_refused_with_the_term_and_the_site() {
    let site = medborgarplatsen();
    let refused = |o: &Operation| validate(o, &site, &NoLookup).unwrap_err();
    let not_here = |term| Invalid::NotUsedHere {
        term,
        site: site.name.clone(),
    };
    assert_eq!(
        refused(&run_start(MachineKind::Skurmaskin)),
        not_here(Term::Machine(MachineKind::Skurmaskin))
    );
    assert!(validate(&run_start(MachineKind::Fimpsug), &site, &NoLookup).is_ok());
    assert_eq!(
        refused(&clean(&site, CleaningCategory::Kanyler)),
        not_here(Term::Cleaning(CleaningCategory::Kanyler))
    );
    assert!(validate(&clean(&site, CleaningCategory::Snus), &site, &NoLookup).is_ok());
    assert_eq!(
        refused(&disturbance(&site, DisturbanceCategory::StodBehov)),
        not_here(Term::Disturbance(DisturbanceCategory::StodBehov))
    );
    assert!(
        validate(
            &disturbance(&site, DisturbanceCategory::Berusad),
            &site,
            &NoLookup
        )
        .is_ok()
    );
    // The same operation is fine at the Plattan (every term), and the reason travels with a stable code.
    let plattan = plattan();
    assert!(validate(&run_start(MachineKind::Skurmaskin), &plattan, &NoLookup).is_ok());
    assert_eq!(
        serde_json::to_string(&not_here(Term::Machine(MachineKind::Skurmaskin))).unwrap(),
        r#"{"code":"not_used_here","detail":{"term":{"machine":"skurmaskin"},"site":"Driftområde Medborgarplatsen (torgytan)"}}"#
    );
}

fn with_vocabulary(vocabulary: &str) -> Result<Site, SiteError> {
    let mut doc: serde_json::Value =
        serde_json::from_str(torgkoll_shared::test_support::MEDBORGARPLATSEN_GEOJSON).unwrap();
    doc["properties"]["vocabulary"] = serde_json::from_str(vocabulary).unwrap();
    Site::from_geojson(&doc.to_string())
}

#[test]
fn an_unknown_or_malformed_vocabulary_is_a_clear_error() {
    assert_eq!(
        with_vocabulary(r#"{"cleaning": ["fimpar", "glasburk"]}"#).unwrap_err(),
        SiteError::UnknownTerm {
            list: "cleaning",
            code: "glasburk".into()
        }
    );
    assert_eq!(
        with_vocabulary(r#"{"machines": [{"kind": "lovblas"}]}"#).unwrap_err(),
        SiteError::UnknownTerm {
            list: "machines",
            code: "lovblas".into()
        }
    );
    let e = with_vocabulary(r#"{"machines": [{"kind": "fimpsug", "width_m": 0}]}"#).unwrap_err();
    assert!(e.to_string().contains("width of 'fimpsug'"), "{e}");
    assert!(matches!(
        with_vocabulary(r#"{"disturbance": []}"#),
        Err(SiteError::Vocabulary(_))
    ));
    assert!(matches!(
        with_vocabulary(r#"["fimpar"]"#),
        Err(SiteError::Vocabulary(_))
    ));
    // A list left out is every term of it; a width left out is the default.
    let site = with_vocabulary(r#"{"machines": [{"kind": "skurmaskin"}]}"#).unwrap();
    assert_eq!(site.vocabulary.cleaning, CleaningCategory::ALL);
    assert_eq!(site.vocabulary.width_m(MachineKind::Skurmaskin), 0.8);
}

#[test]
fn coverage_sweeps_the_sites_own_width() {
    // The same tapped path at two widths of the same machine: the area swept follows the site's width.
    let wide = with_vocabulary(r#"{"machines": [{"kind": "fimpsug", "width_m": 1.0}]}"#).unwrap();
    let narrow = medborgarplatsen();
    let run = |site: &Site| {
        let c = site.zones[1].polygon.interior_point().unwrap().0;
        let mut r = Run::new(Uuid::from_u128(1));
        r.kind = Some(MachineKind::Fimpsug);
        r.started_ms = Some(T);
        let points = (0..20)
            .map(|i| TrackPoint {
                at: site.frame.from_local(geo::Coord {
                    x: c.x - 10.0 + i as f64,
                    y: c.y,
                }),
                t: T + i * 1_000,
                acc: None,
            })
            .collect();
        r.chunks.insert(Uuid::from_u128(2), points);
        r
    };
    let period = Period::new(T - 1, T + 60_000);
    let a_wide = swept_area_m2(&wide, &run(&wide), &period);
    let a_narrow = swept_area_m2(&narrow, &run(&narrow), &period);
    assert!((17.0..23.0).contains(&a_wide), "{a_wide}");
    assert!((8.0..12.0).contains(&a_narrow), "{a_narrow}");
}
