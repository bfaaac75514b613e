//! The weekly report as a printable page (Swedish), in the daily report's styles: the week's totals
//! against the four weeks before, the days, categories, level-1 disturbances, zones and open items.

use std::fmt::Write;

use super::page::CSS;
use super::{date_sv, dec1, esc};
use crate::analytics::lagesbild::Metric;
use crate::analytics::weekly::{WeekCount, WeekRow, Weekly};
use crate::site::Site;
use crate::vocab::Lang;

const DAYS: [&str; 7] = ["Mån", "Tis", "Ons", "Tor", "Fre", "Lör", "Sön"];

fn diff_cell(c: &WeekCount) -> String {
    let cls = if c.usual > 0.0 && c.diff > c.usual * 0.25 {
        "up"
    } else if c.usual > 0.0 && c.diff < -c.usual * 0.25 {
        "down"
    } else {
        ""
    };
    let sign = if c.diff > 0.0 { "+" } else { "" };
    format!("<td class=\"n {cls}\">{sign}{}</td>", dec1(c.diff))
}

/// A table of rows against the four weeks before; `label` names each row.
fn table<K>(head: &str, rows: &[WeekRow<K>], label: impl Fn(&K) -> String) -> String {
    if rows.is_empty() {
        return "<p class=note>Inget denna vecka eller de fyra före.</p>".into();
    }
    let mut s = format!(
        "<table><thead><tr><th>{}</th><th class=n>Veckan</th><th class=n>Snitt 4 v.</th><th class=n>Skillnad</th></tr></thead><tbody>",
        esc(head)
    );
    for r in rows {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=n><b>{}</b></td><td class=n>{}</td>{}</tr>",
            esc(&label(&r.what)),
            r.count.week,
            dec1(r.count.usual),
            diff_cell(&r.count)
        );
    }
    s.push_str("</tbody></table>");
    s
}

fn days(w: &Weekly) -> String {
    let mut s = String::from("<table><thead><tr><th>Mått</th>");
    for (d, name) in w.days.iter().zip(DAYS) {
        let _ = write!(s, "<th class=n>{name} {}/{}</th>", d.date.day, d.date.month);
    }
    s.push_str("</tr></thead><tbody>");
    for (i, m) in Metric::ALL.iter().enumerate() {
        let _ = write!(s, "<tr><td>{}</td>", m.label_sv());
        for d in &w.days {
            let _ = write!(
                s,
                "<td class=n>{}</td>",
                d.counts.get(i).copied().unwrap_or(0)
            );
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

fn section(title: &str, body: String) -> String {
    format!("<section><h2>{}</h2>{body}</section>", esc(title))
}

/// The printable page of a weekly report built on `site`.
pub fn render_weekly_html(site: &Site, w: &Weekly) -> String {
    let zone = |id: &String| site.zone(id).map_or_else(|| id.clone(), |z| z.name.clone());
    let sunday = w.monday.add_days(6);
    let mut b = String::with_capacity(32 * 1024);
    b.push_str("<!DOCTYPE html><html lang=sv><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">");
    let _ = write!(
        b,
        "<title>Veckorapport {} – {}</title><style>{CSS}</style></head><body><main>",
        w.week,
        esc(&w.site_name)
    );
    let _ = write!(
        b,
        "<header><h1>Veckorapport · vecka {} {}<small>{}</small></h1><div class=meta>{} – {}<br>Jämfört med snittet av de fyra föregående veckorna</div></header>",
        w.week.week,
        w.week.year,
        esc(&w.site_name),
        esc(&date_sv(w.monday)),
        esc(&date_sv(sunday)),
    );
    b.push_str(&section(
        "Veckans siffror mot de fyra föregående",
        table("Mått", &w.totals, |m| m.label_sv().to_string()),
    ));
    b.push_str(&section("Dag för dag", days(w)));
    b.push_str("<div class=grid>");
    b.push_str(&section(
        "Städ per kategori",
        table("Kategori", &w.cleaning, |c| c.label(Lang::Sv).to_string()),
    ));
    b.push_str(&section(
        "Störningar per kategori",
        table("Kategori", &w.disturbances, |c| {
            c.label(Lang::Sv).to_string()
        }),
    ));
    b.push_str("</div>");
    b.push_str(&section(
        "Nivå 1 (akut) per kategori",
        table("Kategori", &w.level1, |c| c.label(Lang::Sv).to_string()),
    ));
    b.push_str("<div class=grid>");
    b.push_str(&section(
        "Städrapporter per zon",
        table("Zon", &w.zones_cleaning, zone),
    ));
    b.push_str(&section(
        "Störningar per zon",
        table("Zon", &w.zones_disturbances, zone),
    ));
    b.push_str("</div>");
    let mut open = format!(
        "<p><b>{}</b> öppna städärenden vid veckans slut.</p><table><thead><tr><th>Zon</th><th class=n>Öppna</th></tr></thead><tbody>",
        w.open_at_end
    );
    for (id, n) in w.open_by_zone.iter().filter(|(_, n)| *n > 0) {
        let _ = write!(
            open,
            "<tr><td>{}</td><td class=n>{n}</td></tr>",
            esc(&zone(id))
        );
    }
    open.push_str("</tbody></table>");
    b.push_str(&section("Öppna ärenden vid veckans slut", open));
    b.push_str("<footer>Räknat per kategori, zon och dag (Stockholmstid). Inga namn, inga personuppgifter och ingen fritext ingår. Kartunderlag © OpenStreetMap contributors.</footer></main></body></html>");
    b
}
