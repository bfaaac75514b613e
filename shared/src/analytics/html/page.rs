//! The HTML document: head with inline styles (screen and print), the header, the sections in order and
//! the footer with the privacy note and the map attribution.

use super::{date_sv, esc, map, tables, when_sv};
use crate::analytics::export::local_datetime;
use crate::analytics::lagesbild::Lagesbild;
use crate::site::Site;
use crate::vocab::MachineKind;

pub(super) const CSS: &str = r#"
*{box-sizing:border-box}
body{font-family:"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;margin:0;background:#fff;font-size:14px;line-height:1.35}
main{max-width:960px;margin:0 auto;padding:20px 24px}
header{border-bottom:3px solid #1b1b1b;margin-bottom:12px;padding-bottom:6px;display:flex;justify-content:space-between;align-items:flex-end;gap:12px}
h1{font-size:24px;margin:0}
h1 small{display:block;font-size:15px;font-weight:normal;color:#444}
h2{font-size:16px;margin:18px 0 6px;border-bottom:1px solid #bbb;padding-bottom:2px}
.meta{text-align:right;color:#333;font-size:13px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
table{border-collapse:collapse;width:100%;margin:2px 0 4px}
th,td{padding:3px 6px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}
th{font-size:12px;color:#444;font-weight:600;background:#f3f3f3}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nw{white-space:nowrap}
.up{color:#b2182b;font-weight:600}.down{color:#2166ac;font-weight:600}
tr.stale td{background:#fff4d6}
tr.sum td{font-weight:600}
.note{font-size:12px;color:#555;margin:2px 0 6px}
.badge{display:inline-block;min-width:20px;text-align:center;border-radius:10px;background:#d7301f;color:#fff;font-weight:700;font-size:12px;padding:1px 5px}
.levels{display:flex;gap:10px;margin:4px 0 8px}
.levels span{padding:4px 10px;border-radius:4px;border:1px solid #ccc}
.l1{background:#fde0dd;border-color:#d7301f!important}.l2{background:#fff3c4}.l3{background:#e5f5e0}
table.heat th,table.heat td{padding:2px 0;text-align:center;font-size:11px;border:1px solid #eee;min-width:22px}
table.heat td:first-child{text-align:left;padding-left:4px;font-weight:600}
table.heat td.h1{outline:2px solid #7f0000;outline-offset:-2px}
.map{width:100%;height:auto;border:1px solid #bbb;display:block}
.map .ref{fill:#d9d6cf;stroke:#b9b5ab;stroke-width:1}
.map .street{fill:none;stroke:#c8c4ba;stroke-width:6;stroke-linecap:round;opacity:.6}
.map .zone{fill:#fff;stroke:#8a8a8a;stroke-width:1;stroke-dasharray:4 3}
.map .cov{opacity:.4;stroke:none}
.map .boundary{fill:none;stroke:#1b1b1b;stroke-width:2.5}
.map .zl{font-size:12px;fill:#333;text-anchor:middle}
.map .hot{fill:#d7301f;fill-opacity:.35;stroke:#d7301f;stroke-width:1.5}
.map .hotn{fill:#d7301f;stroke:#fff;stroke-width:1.5}
.map .hott{fill:#fff;font-size:11px;font-weight:700;text-anchor:middle}
.map .lm{fill:#1b1b1b}
.map .lmt{font-size:11px;fill:#1b1b1b;paint-order:stroke;stroke:#fff;stroke-width:3px}
.map .north circle{fill:#fff;stroke:#888}.map .north line{stroke:#222;stroke-width:2.5}.map .north text{font-size:12px;font-weight:700;text-anchor:middle}
.map .scale line{stroke:#222;stroke-width:3}.map .scale text{font-size:11px}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;margin:4px 0}
.sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle;border:1px solid #888}
.attr{font-size:11px;color:#444;margin:2px 0 0}
footer{margin-top:18px;border-top:1px solid #bbb;padding-top:6px;font-size:11px;color:#555}
@media print{
 @page{size:A4 portrait;margin:12mm}
 body{font-size:11px}
 main{max-width:none;padding:0}
 h2{break-after:avoid}
 table,.map,section{break-inside:avoid}
 .grid{grid-template-columns:1fr 1fr}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@media (max-width:700px){.grid{grid-template-columns:1fr}}
"#;

fn legend(l: &Lagesbild) -> String {
    let mut s = String::from("<div class=legend>");
    for shape in &l.coverage_shapes {
        s.push_str(&format!(
            "<span><span class=sw style=\"background:{};opacity:.6\"></span>{} ({:.0} m²)</span>",
            map::kind_colour(shape.kind),
            if shape.kind == MachineKind::Fimpsug {
                "Fimpsug, dagens täckning"
            } else {
                "Skurmaskin, dagens täckning"
            },
            shape.area_m2
        ));
    }
    s.push_str(&format!(
        "<span><span class=badge>1</span> Största städ-hotspots ({0} × {0} m)</span><span><span class=sw style=\"background:#fff;border-style:dashed\"></span>Zon</span></div>",
        l.hotspot_cell_m
    ));
    s
}

fn section(title: &str, body: String) -> String {
    format!("<section><h2>{}</h2>{body}</section>", esc(title))
}

/// The printable page. The site is the one the report was built from (for the map).
pub fn render_html(site: &Site, l: &Lagesbild) -> String {
    let title = format!("Lägesbild {} – {}", l.date, l.site_name);
    let attribution = if l.attribution.is_empty() {
        "© OpenStreetMap contributors".to_owned()
    } else if l.attribution.contains("© OpenStreetMap contributors") {
        l.attribution.clone()
    } else {
        format!("© OpenStreetMap contributors · {}", l.attribution)
    };
    let mut b = String::with_capacity(64 * 1024);
    b.push_str("<!DOCTYPE html><html lang=sv><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">");
    b.push_str(&format!(
        "<title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    ));
    b.push_str(&format!(
        "<header><h1>Lägesbild · {}<small>{}</small></h1><div class=meta>Gemensam lägesbild städ och trygghet<br>Bemanning: {}<br>{}</div></header>",
        esc(&date_sv(l.date)),
        esc(&l.site_name),
        tables::staff(l),
        if l.as_of_ms >= l.period.to_ms {
            "Underlag: hela dygnet".to_owned()
        } else {
            format!("Underlag t.o.m. kl. {}", when_sv(l.as_of_ms, l.date))
        }
    ));
    b.push_str(&section("Karta: hotspots och maskintäckning", format!(
        "{}{}<p class=attr>Kartunderlag: {}. Kartan är vriden så att Plattan ligger vågrätt; pilen visar norr.</p>",
        map::site_map_svg(site, l),
        legend(l),
        esc(&attribution)
    )));
    b.push_str("<div class=grid>");
    b.push_str(&section(
        "Dagens siffror mot det vanliga",
        tables::totals(l),
    ));
    b.push_str(&section(
        "Största hotspots (städ)",
        tables::hotspots(site, l),
    ));
    b.push_str("</div>");
    b.push_str(&section(
        "Maskintäckning per zon",
        tables::coverage(site, l),
    ));
    b.push_str("<div class=grid>");
    b.push_str(&section(
        "Öppna ärenden efter ålder",
        tables::open_items(site, l),
    ));
    b.push_str(&section(
        "Återkommande hotspots (samma veckodag och timme)",
        tables::recurring(site, l),
    ));
    b.push_str("</div>");
    b.push_str("<div class=grid>");
    b.push_str(&section(
        "Störningar och ingripanden (antal)",
        tables::disturbances(l),
    ));
    b.push_str(&section("Datafärskhet per zon", tables::freshness(site, l)));
    b.push_str("</div>");
    b.push_str(&section("Störningar per zon och timme", tables::heat(l)));
    b.push_str(&format!(
        "<footer>Lägesbild {}, underlag t.o.m. {}. Rapporten innehåller inga personuppgifter: bemanning som antal per roll, störningar som antal per kategori och nivå, ingen fritext. Tider i svensk tid. Kartdata {}.</footer>",
        l.date,
        esc(&local_datetime(l.as_of_ms)),
        esc(&attribution)
    ));
    b.push_str("</main></body></html>");
    b
}
