//! The report's sections as HTML tables.

use std::fmt::Write;

use super::{age_sv, dec1, esc, pct, weekday_plural_sv, when_sv};
use crate::analytics::lagesbild::Lagesbild;
use crate::site::Site;
use crate::vocab::{Lang, Role};

fn zone_name(site: &Site, id: Option<&str>) -> String {
    match id.and_then(|id| site.zone(id)) {
        Some(z) => format!("{} {}", esc(&z.id), esc(&z.name)),
        None => "utanför zon".to_owned(),
    }
}

/// "1 platsansvarig · 2 ordningsvakter · 2 plockstädare".
pub fn staff(l: &Lagesbild) -> String {
    let parts: Vec<String> = l
        .staff
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| {
            let word = match (s.role, s.count) {
                (Role::Manager, 1) => "platsansvarig",
                (Role::Manager, _) => "platsansvariga",
                (Role::Guard, 1) => "ordningsvakt",
                (Role::Guard, _) => "ordningsvakter",
                (Role::Cleaner, _) => "plockstädare",
            };
            format!("{} {word}", s.count)
        })
        .collect();
    if parts.is_empty() {
        "Ingen enhet aktiv".to_owned()
    } else {
        parts.join(" · ")
    }
}

pub fn totals(l: &Lagesbild) -> String {
    let mut s = String::from(
        "<table><thead><tr><th>Mått</th><th class=n>Idag</th><th class=n>Vanligt*</th><th class=n>Skillnad</th></tr></thead><tbody>",
    );
    for t in &l.totals {
        let diff = f64::from(t.today) - t.usual;
        let cls = if t.usual > 0.0 && diff > t.usual * 0.25 {
            "up"
        } else if t.usual > 0.0 && diff < -t.usual * 0.25 {
            "down"
        } else {
            ""
        };
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=n><b>{}</b></td><td class=n>{}</td><td class=\"n {cls}\">{}{}</td></tr>",
            t.metric.label_sv(),
            t.today,
            dec1(t.usual),
            if diff > 0.0 { "+" } else { "" },
            dec1(diff),
        );
    }
    let _ = write!(
        s,
        "</tbody></table><p class=note>{} med foto idag (fotona visas inte här).</p><p class=note>* Snitt av samma veckodag de fyra föregående veckorna ({}).</p>",
        reports_sv(l.reports_with_photos),
        weekday_plural_sv(l.date)
    );
    s
}

/// "1 rapport", "12 rapporter".
fn reports_sv(n: u32) -> String {
    if n == 1 {
        "1 rapport".to_owned()
    } else {
        format!("{n} rapporter")
    }
}

pub fn hotspots(site: &Site, l: &Lagesbild) -> String {
    if l.top_hotspots.is_empty() {
        return "<p>Inga städrapporter denna dag.</p>".to_owned();
    }
    let mut s = String::from(
        "<table><thead><tr><th>#</th><th>Zon</th><th>Vanligast</th><th class=n>Antal</th></tr></thead><tbody>",
    );
    for (i, c) in l.top_hotspots.iter().enumerate() {
        let top: Vec<String> = c
            .by_category
            .iter()
            .take(2)
            .map(|k| format!("{} {}", esc(k.category.label(Lang::Sv)), k.count))
            .collect();
        let _ = write!(
            s,
            "<tr><td><span class=badge>{}</span></td><td>{}</td><td>{}</td><td class=n><b>{}</b></td></tr>",
            i + 1,
            zone_name(site, c.zone_id.as_deref()),
            top.join(", "),
            c.total
        );
    }
    let _ = write!(
        s,
        "</tbody></table><p class=note>Rutor om {} × {} m; en rapport räknas med sina +1.</p>",
        l.hotspot_cell_m, l.hotspot_cell_m
    );
    s
}

pub fn recurring(site: &Site, l: &Lagesbild) -> String {
    if l.recurring.is_empty() {
        return "<p>Inga återkommande mönster de fyra senaste veckorna.</p>".to_owned();
    }
    let mut s = String::from(
        "<table><thead><tr><th>Zon</th><th>Tid</th><th class=n>Idag</th><th class=n>Vanligt</th><th class=n>Veckor</th></tr></thead><tbody>",
    );
    for r in l.recurring.iter().take(6) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=nw>{:02}–{:02}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{} av 4</td></tr>",
            zone_name(site, Some(&r.zone_id)),
            r.hour,
            (r.hour + 1) % 24,
            r.today,
            dec1(r.usual),
            r.weeks_seen
        );
    }
    s.push_str("</tbody></table>");
    s
}

pub fn coverage(site: &Site, l: &Lagesbild) -> String {
    let mut s = String::from(
        "<table><thead><tr><th>Zon</th><th class=n>Yta</th><th class=n>Fimpsug</th><th class=n>Skurmaskin</th><th class=n>Totalt</th><th class=n>Senast maskin</th></tr></thead><tbody>",
    );
    for z in &l.coverage {
        let kind = |i: usize| z.by_kind.get(i).map(|k| pct(k.share)).unwrap_or_default();
        let last = match (z.last_cleaned_ms, z.hours_since) {
            (Some(t), Some(h)) => format!("{} ({} sedan)", when_sv(t, l.date), age_sv(h)),
            _ => "ej 14 dygn".to_owned(),
        };
        let _ = write!(
            s,
            "<tr{}><td>{}</td><td class=n>{:.0} m²</td><td class=n>{}</td><td class=n>{}</td><td class=n><b>{}</b></td><td class=n>{}{}</td></tr>",
            if z.stale { " class=stale" } else { "" },
            zone_name(site, Some(&z.zone_id)),
            z.area_m2,
            kind(0),
            kind(1),
            pct(z.share),
            last,
            if z.stale { " ⚠" } else { "" }
        );
    }
    let _ = write!(
        s,
        "</tbody></table><p class=note>⚠ = ingen maskin i zonen de senaste {:.0} timmarna. Täckning = zonens yta som dagens rundor passerat (spårets bredd = maskinens arbetsbredd).</p>",
        l.stale_after_h
    );
    s
}

pub fn open_items(site: &Site, l: &Lagesbild) -> String {
    let mut s = String::from(
        "<table><thead><tr><th>Ålder</th><th class=n>Öppna</th><th class=n>varav uppdrag</th></tr></thead><tbody>",
    );
    for b in &l.open_by_age {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            esc(&b.label),
            b.count,
            b.tasks
        );
    }
    let _ = write!(
        s,
        "<tr class=sum><td>Totalt</td><td class=n>{}</td><td></td></tr></tbody></table>",
        l.open_total
    );
    let zones: Vec<String> = l
        .open_by_zone
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(id, n)| format!("{} {n}", zone_name(site, Some(id))))
        .collect();
    if !zones.is_empty() {
        let _ = write!(s, "<p class=note>Per zon: {}</p>", zones.join(" · "));
    }
    s
}

pub fn disturbances(l: &Lagesbild) -> String {
    let d = &l.disturbances;
    let mut s = format!(
        "<div class=levels><span class=l1>Nivå 1 akut: <b>{}</b></span><span class=l2>Nivå 2: <b>{}</b></span><span class=l3>Nivå 3: <b>{}</b></span></div>",
        d.by_level[0], d.by_level[1], d.by_level[2]
    );
    let list = |title: &str, rows: Vec<(String, u32)>| -> String {
        if rows.is_empty() {
            return format!("<p>{title}: inga.</p>");
        }
        let mut t =
            format!("<table><thead><tr><th>{title}</th><th class=n>Antal</th></tr></thead><tbody>");
        for (k, n) in rows {
            let _ = write!(t, "<tr><td>{}</td><td class=n>{n}</td></tr>", esc(&k));
        }
        t + "</tbody></table>"
    };
    s.push_str(&list(
        "Nivå 1 per kategori",
        d.level1_by_category
            .iter()
            .map(|c| (c.what.label(Lang::Sv).to_owned(), c.count))
            .collect(),
    ));
    s.push_str(&list(
        "Ingripanden",
        d.interventions
            .iter()
            .map(|c| (c.what.label(Lang::Sv).to_owned(), c.count))
            .collect(),
    ));
    s
}

pub fn heat(l: &Lagesbild) -> String {
    let h = &l.disturbance_heat;
    let mut s = String::from("<table class=heat><thead><tr><th>Zon</th>");
    for hour in 0..24 {
        let _ = write!(s, "<th>{hour:02}</th>");
    }
    s.push_str("<th>Σ</th></tr></thead><tbody>");
    for row in &h.rows {
        let _ = write!(s, "<tr><td>{}</td>", esc(&row.zone.id));
        for c in &row.hours {
            let a = if h.max == 0 {
                0.0
            } else {
                f64::from(c.count) / f64::from(h.max)
            };
            let mark = if c.levels[0] > 0 { " class=h1" } else { "" };
            let txt = if c.count > 0 {
                c.count.to_string()
            } else {
                String::new()
            };
            let _ = write!(
                s,
                "<td{mark} style=\"background:rgba(215,48,39,{:.2})\">{txt}</td>",
                a * 0.85
            );
        }
        let _ = write!(s, "<td class=n><b>{}</b></td></tr>", row.total.count);
    }
    s.push_str("</tbody></table><p class=note>Antal störningar per zon och timme; ram = minst en på nivå 1.</p>");
    s
}

pub fn freshness(site: &Site, l: &Lagesbild) -> String {
    let mut s = String::from(
        "<table><thead><tr><th>Zon</th><th class=n>Senaste data</th><th class=n>Ålder</th></tr></thead><tbody>",
    );
    for f in &l.freshness {
        let (when, age, cls) = match (f.last_ms, f.age_h) {
            (Some(t), Some(h)) => (
                when_sv(t, l.date),
                age_sv(h),
                if h > 6.0 { " class=stale" } else { "" },
            ),
            _ => (
                "ingen data".to_owned(),
                "> 14 dygn".to_owned(),
                " class=stale",
            ),
        };
        let _ = write!(
            s,
            "<tr{cls}><td>{}</td><td class=n>{when}</td><td class=n>{age}</td></tr>",
            zone_name(site, Some(&f.zone_id))
        );
    }
    s.push_str("</tbody></table><p class=note>Senaste rapport eller maskinpunkt i zonen. Ingen data betyder inte lugnt.</p>");
    s
}
