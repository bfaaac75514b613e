//! The phone's track filter: which GPS fixes of a machine run are worth sending. The run recorder offers
//! one fix at a time (every 1–2 s) to a [`TrackFilter`] and stores what it keeps; the coverage on the
//! server then believes what it gets by the same rules (`reach.rs`: accuracy and speed), whatever phone sent
//! it, so a phone without this filter cannot fool it either.

mod filter;
mod reach;

pub use filter::{TrackFilter, filter_track};
pub use reach::{ACCURACY_ALLOWANCE, ACCURACY_WIDTHS, MAX_SPEED_MPS, REANCHOR_FIXES};

pub(crate) use reach::{Fix, Suspects, dist2};

use crate::vocab::MachineKind;

/// What the filter needs to know about the machine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FilterSettings {
    /// Fixes with a worse accuracy (metres) are dropped.
    pub max_accuracy_m: f32,
    /// The fastest the machine moves (m/s).
    pub max_speed_mps: f64,
    /// Moves shorter than this (metres) are standing still, however good the fix.
    pub min_move_m: f64,
}

impl FilterSettings {
    /// For a machine kind: accuracy at most 10 cleaning widths (8 m skurmaskin, 10 m fimpsug, the rule the
    /// coverage applies), 2 m/s, and half a width of movement.
    pub fn for_machine(kind: MachineKind) -> FilterSettings {
        FilterSettings::for_width(kind.cleaning_width_m())
    }

    /// For a machine of this cleaning width (a site's own width, `SiteVocabulary::width_m`).
    pub fn for_width(width: f64) -> FilterSettings {
        FilterSettings {
            max_accuracy_m: (width * ACCURACY_WIDTHS) as f32,
            max_speed_mps: MAX_SPEED_MPS,
            min_move_m: width / 2.0,
        }
    }
}

/// What the filter decided about a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Send it.
    Keep,
    /// No accuracy, an accuracy worse than the settings allow, or a non-finite position or accuracy.
    PoorAccuracy,
    /// Farther from the last kept fix than the machine can move in the time.
    TooFast,
    /// The machine has not moved.
    Still,
    /// More than the validation's path tolerance off the site.
    OffSite,
}

#[cfg(test)]
mod tests;
