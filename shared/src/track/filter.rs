//! [`TrackFilter`]: the state machine the phone's run recorder feeds one GPS fix at a time.
//!
//! A fix is dropped when it is no usable fix (no, a non-finite or too poor an accuracy, a non-finite
//! position), more than the validation's path tolerance off the site (the server would refuse the whole
//! chunk), out of the machine's reach from the last kept fix (see [`super::reach`]), or when the machine
//! stands still.
//!
//! Standing still cannot be told from one fix: at 3–8 m of accuracy a fix is off by more than a machine at
//! walking pace moves in several seconds, so a radius of a few accuracies around the last kept fix would
//! drop most of a moving machine's fixes (which the coverage's smoothing needs: measured, 12–50 % kept)
//! and one of an accuracy would keep most of a parked one's. So the filter keeps every fix the machine
//! could have reached, except within `min_move_m` of the last kept one, until the fixes show a machine
//! standing: since they started to gather within [`STILL_ACCURACIES`] of their mean, longer than a machine
//! walked at [`SLOWEST_MPS`] could have stayed there, with block means that scatter no more than noise
//! does (which a machine driving lanes to and fro in one area does not). From then on, fixes within the
//! radius are `Still`; the first fix out is held back too (one stray fix of a parked machine is no
//! departure), the second is kept. A parked machine jittering 3 m sends its first 40 s or so of fixes (the
//! four blocks), then nothing.

use geo::Coord;

use super::reach::{Fix, Suspects, dist2};
use super::{FilterSettings, Verdict};
use crate::op::TrackPoint;
use crate::site::Site;
use crate::validate::PATH_TOLERANCE_M;
use crate::vocab::MachineKind;

/// The radius around where the machine stands that a parked machine's fixes stay in, in the fix's
/// accuracies (a fix's error exceeds 3 accuracies about once in a hundred).
const STILL_ACCURACIES: f64 = 3.0;
/// The slowest a machine is driven (m/s). A moving machine draws away from the mean of its fixes at half its
/// speed, so fixes that have stayed within the radius for radius / (half this) seconds are a machine
/// standing (36 s at 3 m accuracy, 96 s at 8 m), and a machine walked at 0.5 m/s or faster never looks so.
const SLOWEST_MPS: f64 = 0.5;

/// Fixes per block: a standing machine's block means scatter √10 times less than its fixes (the errors
/// average out), a machine driving lanes to and fro in one area hardly less (the blocks are at different
/// places). That tells the two apart without trusting the reported accuracy.
const BLOCK: u32 = 10;
/// The most the block means' variance may be, times the block size, of the fixes' variance, for a machine
/// standing (1 for pure noise; lanes of 20 m at 8 m accuracy give about 2.4).
const BLOCK_RATIO: f64 = 2.0;
/// Blocks needed before the spread of their means says anything.
const MIN_BLOCKS: u32 = 4;

/// Sums for a mean and a variance of points.
#[derive(Clone, Copy, Debug, Default)]
struct Spread {
    sum: Coord<f64>,
    sum_sq: f64,
    n: u32,
}

impl Spread {
    fn add(&mut self, c: Coord<f64>) {
        self.sum = self.sum + c;
        self.sum_sq += c.x * c.x + c.y * c.y;
        self.n += 1;
    }

    fn mean(&self) -> Coord<f64> {
        self.sum / f64::from(self.n.max(1))
    }

    /// The variance (both axes summed, n − 1 in the denominator).
    fn variance(&self) -> f64 {
        let n = f64::from(self.n);
        let m = self.mean();
        ((self.sum_sq - n * (m.x * m.x + m.y * m.y)) / (n - 1.0).max(1.0)).max(0.0)
    }
}

/// Where the machine may be standing: the fixes since it may have stopped (local metres), and the means
/// of their blocks of [`BLOCK`].
#[derive(Clone, Copy, Debug)]
struct Stand {
    fixes: Spread,
    block: Spread,
    blocks: Spread,
    since_ms: i64,
}

impl Stand {
    fn of(f: &Fix) -> Stand {
        let mut s = Stand {
            fixes: Spread::default(),
            block: Spread::default(),
            blocks: Spread::default(),
            since_ms: f.t,
        };
        s.add(f);
        s
    }

    fn add(&mut self, f: &Fix) {
        self.fixes.add(f.at);
        self.block.add(f.at);
        if self.block.n == BLOCK {
            self.blocks.add(self.block.mean());
            self.block = Spread::default();
        }
    }

    fn mean(&self) -> Coord<f64> {
        self.fixes.mean()
    }

    /// Whether the fixes, now at `t`, are a machine standing: they stayed within `radius` longer than a
    /// machine walked at the slowest pace could, and their block means scatter as little as noise does.
    fn standing(&self, t: i64, radius: f64) -> bool {
        (t - self.since_ms) as f64 / 1000.0 >= radius / (SLOWEST_MPS / 2.0)
            && self.blocks.n >= MIN_BLOCKS
            && self.blocks.variance() * f64::from(BLOCK) <= BLOCK_RATIO * self.fixes.variance()
    }
}

/// The phone-side filter of one run's GPS fixes. `Clone` so a recorder can try a fix without committing.
#[derive(Clone, Debug)]
pub struct TrackFilter {
    settings: FilterSettings,
    last_kept: Option<TrackPoint>,
    stand: Option<Stand>,
    /// Whether the previous fix left a standing machine's radius (held back: one fix out is not yet a
    /// departure).
    leaving: bool,
    suspects: Suspects<TrackPoint>,
    first_ms: Option<i64>,
}

impl TrackFilter {
    pub fn new(settings: FilterSettings) -> TrackFilter {
        TrackFilter::resume(settings, None)
    }

    /// Resuming after the app was restarted: the last point kept before (from the stored path).
    pub fn resume(settings: FilterSettings, last_kept: Option<TrackPoint>) -> TrackFilter {
        TrackFilter {
            settings,
            last_kept,
            stand: None,
            leaving: false,
            suspects: Suspects::default(),
            first_ms: last_kept.map(|p| p.t),
        }
    }

    /// Decides on one fix (acc: Some(m)); the site is used to drop points more than `crate::validate`
    /// PATH tolerance (25 m: the server rejects a whole RunPoints chunk containing such a point) off the
    /// site. A kept fix becomes the reference for the next.
    pub fn offer(&mut self, site: &Site, p: TrackPoint) -> Verdict {
        let Some(acc) = p.acc.filter(|a| a.is_finite() && *a >= 0.0) else {
            return Verdict::PoorAccuracy;
        };
        if !p.at.is_finite() || acc > self.settings.max_accuracy_m {
            return Verdict::PoorAccuracy;
        }
        if let Err(e) = site.locate(p.at)
            && e.distance_m > PATH_TOLERANCE_M
        {
            return Verdict::OffSite;
        }
        self.first_ms.get_or_insert(p.t);
        let fix = |q: &TrackPoint| Fix {
            at: site.frame.to_local(q.at),
            t: q.t,
            acc: q.acc.map_or(0.0, f64::from),
        };
        let Some(last) = self.last_kept else {
            self.stand = Some(Stand::of(&fix(&p)));
            return self.keep(p);
        };
        let speed = self.settings.max_speed_mps;
        let here = fix(&p);
        if !fix(&last).reaches(&here, speed) {
            let agrees = |s: &TrackPoint| fix(s).reaches(&here, speed);
            return match self.suspects.add(p, agrees) {
                Some(_) => {
                    self.stand = Some(Stand::of(&here));
                    self.keep(p)
                }
                None => Verdict::TooFast,
            };
        }
        self.suspects.clear();
        let radius = self
            .settings
            .min_move_m
            .max(f64::from(acc) * STILL_ACCURACIES);
        let Some(stand) = self.stand.as_mut() else {
            self.stand = Some(Stand::of(&here));
            return self.keep_if_moved(&fix(&last), &here, p);
        };
        let mean = stand.mean();
        if dist2(here.at, mean) <= radius * radius {
            stand.add(&here);
            self.leaving = false;
            return if stand.standing(p.t, radius) {
                Verdict::Still
            } else {
                self.keep_if_moved(&fix(&last), &here, p)
            };
        }
        if stand.standing(p.t, radius) && !self.leaving {
            self.leaving = true;
            return Verdict::Still;
        }
        self.stand = Some(Stand::of(&here));
        self.keep_if_moved(&fix(&last), &here, p)
    }

    /// When the machine last moved (the time of the last kept point, or of the start), for "no movement
    /// for 10 minutes: is the run over?".
    pub fn last_moved_ms(&self) -> Option<i64> {
        self.last_kept.map(|p| p.t).or(self.first_ms)
    }

    /// Keeps `p` unless it lies within the settings' smallest move of the last kept fix.
    fn keep_if_moved(&mut self, last: &Fix, here: &Fix, p: TrackPoint) -> Verdict {
        if dist2(here.at, last.at) < self.settings.min_move_m.powi(2) {
            Verdict::Still
        } else {
            self.keep(p)
        }
    }

    fn keep(&mut self, p: TrackPoint) -> Verdict {
        self.last_kept = Some(p);
        self.leaving = false;
        self.suspects.clear();
        Verdict::Keep
    }
}

/// What a phone with [`TrackFilter`] sends of a run's fixes (a whole track at once: demos, tests, tools).
pub fn filter_track(
    site: &Site,
    kind: MachineKind,
    fixes: impl IntoIterator<Item = TrackPoint>,
) -> Vec<TrackPoint> {
    let mut filter = TrackFilter::new(FilterSettings::for_width(site.vocabulary.width_m(kind)));
    fixes
        .into_iter()
        .filter(|p| filter.offer(site, *p) == Verdict::Keep)
        .collect()
}
