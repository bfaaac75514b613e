//! Realistic operations for simulated phones: reports at points inside the Plattan's zones, the real
//! categories, short notes on about 60% (like the PouchDB benchmark), and status changes each role may make.

use std::collections::BTreeMap;

use geo::{BoundingRect, Coord};
use rand::Rng;
use rand::seq::IndexedRandom;
use torgkoll_shared::{
    Amendment, Amount, Classification, CleaningCategory, CleaningReport, DisturbanceCategory,
    DisturbanceReport, GeoPoint, Intervention, OpBody, ReportBody, Role, Site, State, Status,
};
use uuid::Uuid;

const WORDS: &[&str] = &[
    "vid",
    "bänken",
    "trappan",
    "nära",
    "fontänen",
    "rulltrappan",
    "Drottninggatan",
    "hörnet",
    "stor",
    "liten",
    "påse",
    "glas",
    "plast",
    "blött",
    "löv",
    "kvar",
    "igen",
    "söder",
    "norr",
    "entrén",
];

/// A point inside a random zone of the site.
pub fn point_in_site(site: &Site, rng: &mut impl Rng) -> GeoPoint {
    let zone = site.zones.choose(rng).expect("a site has zones");
    let rect = zone.polygon.bounding_rect().expect("a zone has an extent");
    loop {
        let c = Coord {
            x: rng.random_range(rect.min().x..=rect.max().x),
            y: rng.random_range(rect.min().y..=rect.max().y),
        };
        if site.locate_local(c).is_ok_and(|z| z.id == zone.id) {
            let p = site.frame.from_local(c).rounded();
            if site.locate(p).is_ok() {
                return p;
            }
        }
    }
}

/// A short note of at most 50 characters, or none (40% of the time).
pub fn maybe_note(rng: &mut impl Rng) -> Option<String> {
    if !rng.random_bool(0.6) {
        return None;
    }
    let mut s = String::new();
    while s.chars().count() < 45 {
        s.push_str(WORDS.choose(rng).unwrap());
        s.push(' ');
    }
    Some(
        s.trim()
            .chars()
            .take(50)
            .collect::<String>()
            .trim()
            .to_owned(),
    )
}

fn amount(rng: &mut impl Rng) -> Option<Amount> {
    rng.random_bool(0.3)
        .then(|| *Amount::ALL.choose(rng).unwrap())
}

/// A cleaning report.
pub fn clean(site: &Site, rng: &mut impl Rng) -> OpBody {
    OpBody::Clean(CleaningReport {
        category: *CleaningCategory::ALL.choose(rng).unwrap(),
        amount: amount(rng),
        note: maybe_note(rng),
        at: point_in_site(site, rng),
        acc: rng.random_bool(0.5).then(|| rng.random_range(3..20) as f32),
    })
}

/// A disturbance report: categories and counts only.
pub fn disturbance(site: &Site, rng: &mut impl Rng) -> OpBody {
    let mut interventions = BTreeMap::new();
    for _ in 0..rng.random_range(0..3) {
        interventions.insert(
            *Intervention::ALL.choose(rng).unwrap(),
            rng.random_range(1..4),
        );
    }
    OpBody::Disturbance(DisturbanceReport {
        category: *DisturbanceCategory::ALL.choose(rng).unwrap(),
        level: rng.random_range(1..=3),
        people: rng.random_range(1..6),
        interventions,
        note: maybe_note(rng),
        at: point_in_site(site, rng),
        happened: None,
    })
}

/// A new report as a person of `role` would make it.
pub fn report(role: Role, site: &Site, rng: &mut impl Rng) -> OpBody {
    match role {
        Role::Cleaner => clean(site, rng),
        Role::Guard | Role::Manager if rng.random_bool(0.6) => disturbance(site, rng),
        _ => clean(site, rng),
    }
}

/// A change to one's own report, as it grows: a disturbance's level, people, interventions or note; a
/// cleaning report's amount or note. Never empty.
pub fn amendment(disturbance: bool, rng: &mut impl Rng) -> Amendment {
    let mut a = Amendment::default();
    if disturbance {
        a.level = Some(rng.random_range(1..=3));
        if rng.random_bool(0.5) {
            a.people = Some(rng.random_range(1..8));
        }
        if rng.random_bool(0.3) {
            a.interventions = Some(
                [(
                    *Intervention::ALL.choose(rng).unwrap(),
                    rng.random_range(1..3),
                )]
                .into_iter()
                .collect(),
            );
        }
    } else {
        a.amount = Some(*Amount::ALL.choose(rng).unwrap());
    }
    if rng.random_bool(0.3) {
        a.note = Some(maybe_note(rng).unwrap_or_default());
    }
    a
}

/// The reports a phone can act on: known, not withdrawn, as (id, is_disturbance, author).
pub fn targets(state: &State) -> Vec<(Uuid, bool, Uuid)> {
    state
        .known_reports()
        .filter(|r| r.status() != Status::Withdrawn)
        .filter_map(|r| {
            let author = r.origin.as_ref()?.stamp.device;
            let dist = matches!(r.body, Some(ReportBody::Disturbance(_)));
            Some((r.id, dist, author))
        })
        .collect()
}

/// A status change a person of `role` on device `me` may make to one of `targets`.
pub fn status_change(
    role: Role,
    me: Uuid,
    targets: &[(Uuid, bool, Uuid)],
    site: &Site,
    rng: &mut impl Rng,
) -> Option<OpBody> {
    let &(report, dist, author) = targets.choose(rng)?;
    let roll: f64 = rng.random();
    Some(match role {
        _ if author == me && roll < 0.04 => OpBody::Details {
            report,
            amount: amount(rng),
            note: maybe_note(rng),
        },
        _ if author == me && roll < 0.1 => OpBody::Amend {
            report,
            change: amendment(dist, rng),
        },
        Role::Cleaner if dist => return None,
        Role::Guard if dist && roll < 0.25 => OpBody::CleanRequest {
            from: report,
            task: match clean(site, rng) {
                OpBody::Clean(c) => c,
                _ => unreachable!("clean makes a cleaning report"),
            },
            by: None,
        },
        Role::Manager if roll < 0.3 => OpBody::Review { report },
        Role::Manager if roll < 0.45 => OpBody::Reclassify {
            report,
            to: if dist {
                Classification::Disturbance(*DisturbanceCategory::ALL.choose(rng).unwrap())
            } else {
                Classification::Cleaning(*CleaningCategory::ALL.choose(rng).unwrap())
            },
        },
        Role::Manager if roll < 0.5 => {
            let &(of, _, _) = targets.choose(rng)?;
            if of == report {
                return None;
            }
            OpBody::Duplicate { report, of }
        }
        _ if roll < 0.7 => OpBody::Resolve { report },
        _ => OpBody::StillThere { report },
    })
}
