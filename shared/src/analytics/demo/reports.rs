//! Demo cleaning reports (with +1s, details, resolves, triage) and disturbances (with counts and, now and
//! then, a cleaning task asked for from them).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{Draft, Places, SplitMix64, device, push};
use crate::geometry::GeoPoint;
use crate::op::{CleaningReport, DisturbanceReport, OpBody};
use crate::site::Site;
use crate::vocab::{Amount, CleaningCategory, DisturbanceCategory, Intervention, Role};

/// Category weights in `CleaningCategory::ALL` order: fimpar dominate (about 62 % of items counted).
const CLEAN_CATS: [u32; 12] = [50, 16, 8, 5, 9, 3, 4, 1, 1, 1, 1, 1];
const DIST_CATS: [u32; 10] = [20, 22, 6, 5, 3, 14, 8, 12, 4, 6];

/// A cleaning report (or a task asked for from a disturbance) and what follows it.
pub(super) fn cleaning(
    site: &Site,
    places: &Places,
    rng: &mut SplitMix64,
    drafts: &mut Vec<Draft>,
    t: i64,
    from: Option<(Uuid, GeoPoint, CleaningCategory)>,
) {
    let cleaner = device(Role::Cleaner, rng.below(2) as u8 + 1);
    let (category, at) = match from {
        Some((_, at, c)) => (c, at),
        None => (
            CleaningCategory::ALL[rng.weighted(&CLEAN_CATS)],
            places.sample(site, rng, 4.0),
        ),
    };
    let amount = [
        None,
        Some(Amount::Lite),
        Some(Amount::Mycket),
        Some(Amount::Extremt),
    ][rng.weighted(&[4, 4, 2, 1])];
    let report = CleaningReport {
        category,
        amount,
        note: None,
        at,
        acc: Some(5.0),
    };
    let id = match from {
        Some((d, ..)) => push(
            drafts,
            rng,
            t,
            device(Role::Guard, 1),
            Role::Guard,
            OpBody::CleanRequest {
                from: d,
                task: report,
                by: None,
            },
        ),
        None => push(
            drafts,
            rng,
            t,
            cleaner,
            Role::Cleaner,
            OpBody::Clean(report),
        ),
    };
    let roll = rng.below(1000);
    if roll < 10 {
        push(
            drafts,
            rng,
            t + 4_000,
            cleaner,
            Role::Cleaner,
            OpBody::Withdraw { report: id },
        );
        return;
    }
    if roll < 60 {
        let note = Some("Ligger vid bänken, återkommande".to_owned());
        push(
            drafts,
            rng,
            t + 30_000,
            cleaner,
            Role::Cleaner,
            OpBody::Details {
                report: id,
                amount,
                note,
            },
        );
    }
    // The last +1 comes before the resolve (a +1 after it would reopen the report).
    let mut last_plus_one = 0;
    for k in 0..rng.weighted(&[70, 20, 7, 3]) {
        let dt = (k as i64 + 1) * (10 + rng.below(50) as i64) * 60_000;
        last_plus_one = last_plus_one.max(dt);
        let who = device(Role::Cleaner, rng.below(2) as u8 + 1);
        push(
            drafts,
            rng,
            t + dt,
            who,
            Role::Cleaner,
            OpBody::StillThere { report: id },
        );
    }
    if rng.below(100) < 20 {
        push(
            drafts,
            rng,
            t + 3_600_000,
            device(Role::Manager, 1),
            Role::Manager,
            OpBody::Review { report: id },
        );
    }
    // A duplicate of an earlier report of the same kind (the one made just before), when there is one.
    let earlier = drafts
        .iter()
        .rev()
        .find(|d| d.id != id && d.t < t && matches!(d.body, OpBody::Clean(_)))
        .map(|d| d.id);
    if let (true, Some(of)) = (rng.below(100) < 2, earlier) {
        push(
            drafts,
            rng,
            t + 3_700_000,
            device(Role::Manager, 1),
            Role::Manager,
            OpBody::Duplicate { report: id, of },
        );
    } else {
        // Mostly within hours; some wait for days, none for more than five.
        let hours = if rng.below(100) < 6 {
            24 + rng.below(96) as i64
        } else {
            rng.below(4) as i64
        };
        let dt = last_plus_one + (20 + rng.below(40) as i64) * 60_000 + hours * 3_600_000;
        push(
            drafts,
            rng,
            t + dt,
            cleaner,
            Role::Cleaner,
            OpBody::Resolve { report: id },
        );
    }
}

/// A guard's disturbance with counts, sometimes with a cleaning task asked for from it.
pub(super) fn disturbance(
    site: &Site,
    places: &Places,
    rng: &mut SplitMix64,
    drafts: &mut Vec<Draft>,
    t: i64,
) {
    let guard = device(Role::Guard, rng.below(2) as u8 + 1);
    let category = DisturbanceCategory::ALL[rng.weighted(&DIST_CATS)];
    let level = [1u8, 2, 3][rng.weighted(&[1, 4, 5])];
    let mut interventions = BTreeMap::new();
    for (iv, w) in [
        (Intervention::Avvisning, 25),
        (Intervention::Avlagsnande, 10),
        (Intervention::Omhandertagande, 6),
        (Intervention::PolisTillkallad, 8),
        (Intervention::AmbulansTillkallad, 3),
    ] {
        if rng.below(100) < w + if level == 1 { 20 } else { 0 } {
            interventions.insert(iv, 1u16);
        }
    }
    let at = places.sample(site, rng, 8.0);
    let note = (rng.below(100) < 15).then(|| "Kort anteckning utan personuppgifter".to_owned());
    let report = DisturbanceReport {
        category,
        level,
        people: 1 + rng.below(4) as u16,
        interventions,
        note,
        at,
        happened: None,
    };
    let id = push(
        drafts,
        rng,
        t,
        guard,
        Role::Guard,
        OpBody::Disturbance(report),
    );
    if rng.below(100) < 8 {
        let cat = [
            CleaningCategory::Glaskross,
            CleaningCategory::Spyor,
            CleaningCategory::Kanyler,
        ][rng.weighted(&[5, 4, 1])];
        cleaning(site, places, rng, drafts, t + 120_000, Some((id, at, cat)));
    }
}
