//! How reports look: pin colours by kind and status (and their lighter tones for the night theme), and
//! the words for statuses and sync states.

use torgkoll_shared::{Classification, CleaningCategory, Lang, ReportBody, Status};

use super::map::{Pin, PinAge};
use crate::store::{ReportView, SyncState};
use crate::ui::i18n::Msg;

/// Cleaning categories: litter orange, hazards (glass, needles, vomit) purple-red, the rest brown.
pub fn category_color(c: CleaningCategory) -> &'static str {
    use CleaningCategory::*;
    match c {
        Glaskross | Kanyler | Spyor => "#ad1457",
        Klotter | Skadegorelse => "#5d4037",
        _ => "#e65100",
    }
}

/// Disturbance levels: 1 red, 2 yellow, 3 green.
pub fn level_color(level: u8) -> &'static str {
    match level {
        1 => "#c62828",
        2 => "#f9a825",
        _ => "#2e7d32",
    }
}

/// A requested cleaning task.
const TASK_COLOR: &str = "#6a1b9a";
const GREY: &str = "#757575";

/// The night theme's tone of each colour above: the same hue, lighter, so that pins, swatches and the
/// category bands stand out on the dark map as the day colours do on the light one. Each has at least
/// 5:1 contrast (WCAG) against the night map's floor (`#1a222b` in `assets/night.css`); there the day
/// colours have as little as 1.7:1, and the brown and the purple vanish.
const NIGHT_TONES: [(&str, &str); 8] = [
    ("#ad1457", "#f48fb1"),
    ("#5d4037", "#bcaaa4"),
    ("#e65100", "#ffb74d"),
    ("#c62828", "#ff7961"),
    ("#f9a825", "#ffd54f"),
    ("#2e7d32", "#81c784"),
    (TASK_COLOR, "#ce93d8"),
    (GREY, "#9e9e9e"),
];

/// A colour of this palette as the theme shows it: the day colour, or its night tone.
pub fn themed(color: &'static str, night: bool) -> &'static str {
    if !night {
        return color;
    }
    NIGHT_TONES
        .iter()
        .find(|(day, _)| *day == color)
        .map_or(color, |(_, tone)| tone)
}

/// The colour of a report: by its kind and category or level; grey when it is a duplicate.
pub fn report_color(r: &ReportView) -> &'static str {
    if r.status() == Status::Duplicate {
        return GREY;
    }
    match (&r.report.body, r.report.classification()) {
        (
            Some(ReportBody::Cleaning {
                requested_from: Some(_),
                ..
            }),
            _,
        ) => TASK_COLOR,
        (Some(ReportBody::Disturbance(_)), _) => level_color(r.report.level().unwrap_or(3)),
        (_, Some(Classification::Cleaning(c))) => category_color(c),
        _ => GREY,
    }
}

/// The pin of a report as of `now_ms`, if it has a place.
pub fn pin_of(r: &ReportView, now_ms: i64) -> Option<Pin> {
    Some(Pin {
        id: r.report.id,
        at: r.report.at()?,
        color: report_color(r),
        hollow: r.status() != Status::Open,
        count: r.report.count(),
        age: PinAge::of(r.report.when_ms().unwrap_or(now_ms), now_ms),
        accuracy_m: accuracy_of(r),
    })
}

/// The accuracy of a report's place when it came from the phone's position (`None` for a tap).
pub fn accuracy_of(r: &ReportView) -> Option<f32> {
    match r.report.body.as_ref()? {
        ReportBody::Cleaning { report, .. } => report.acc,
        ReportBody::Disturbance(_) => None,
    }
    .filter(|a| a.is_finite() && *a > 0.0)
}

/// A zone as people name it ("Trappan"), from its id; the id itself if the plan has no such zone.
pub fn zone_label(site: &torgkoll_shared::Site, id: Option<&str>) -> String {
    id.map(|z| {
        site.zone(z)
            .map_or_else(|| z.to_owned(), |z| z.name.clone())
    })
    .unwrap_or_default()
}

/// "1 gång", "3 gånger".
pub fn times_label(n: usize, lang: Lang) -> String {
    format!(
        "{n} {}",
        if n == 1 { Msg::Once } else { Msg::Times }.t(lang)
    )
}

/// What a report is, in words.
pub fn report_label(r: &ReportView, lang: Lang) -> String {
    match r.report.classification() {
        Some(Classification::Cleaning(c)) => c.label(lang).to_owned(),
        Some(Classification::Disturbance(d)) => d.label(lang).to_owned(),
        None => "?".to_owned(),
    }
}

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Open => Msg::StatusOpen.t(lang),
        Status::Resolved => Msg::StatusResolved.t(lang),
        Status::Duplicate => Msg::StatusDuplicate.t(lang),
        Status::Withdrawn => Msg::StatusWithdrawn.t(lang),
    }
}

/// The badge of a sync state: its CSS class and its word.
pub fn sync_badge(s: &SyncState, lang: Lang) -> (&'static str, &'static str) {
    match s {
        SyncState::Pending => ("pending", Msg::SyncPending.t(lang)),
        SyncState::Sent => ("sent", Msg::SyncSent.t(lang)),
        SyncState::Rejected(_) => ("rejected", Msg::SyncRejected.t(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance (WCAG 2) of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_colour_has_a_night_tone_that_reads_on_the_dark_map() {
        let mut day: Vec<&str> = CleaningCategory::ALL
            .iter()
            .map(|c| category_color(*c))
            .collect();
        day.extend([1, 2, 3].map(level_color));
        day.extend([TASK_COLOR, GREY]);
        for c in day {
            let tone = themed(c, true);
            assert_ne!(tone, c, "{c} has no night tone");
            assert_eq!(themed(c, false), c);
            assert!(
                contrast(tone, "#1a222b") >= 5.0,
                "{c} -> {tone}: {:.1}",
                contrast(tone, "#1a222b")
            );
        }
    }
}
