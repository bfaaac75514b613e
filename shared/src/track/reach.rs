//! The reach rule both sides use to believe a GPS fix: the phone's [`super::TrackFilter`] before it sends
//! a point, and the coverage (`analytics::coverage`) on whatever points a phone sent. A fix is believed
//! when the machine could have driven there from the last believed fix: the distance, less an allowance
//! for the two fixes' accuracies, covered at no more than the machine's top speed. A run of fixes that
//! agree with each other but not with the last believed one moves the reference there ("re-anchors"), so
//! one bad fix that slipped through cannot hold the track back for long.

use geo::Coord;

/// The fastest a fimpsug or skurmaskin moves (m/s): both are walked at 0.5–1.5 m/s.
pub const MAX_SPEED_MPS: f64 = 2.0;
/// The allowance for the two fixes' accuracies, in their sum. A phone's accuracy is about one standard
/// deviation of its error, so two good fixes a second apart often lie farther apart than the sum of their
/// accuracies plus the machine's reach: with the sum itself, 12–17 % of the fixes of the noise tests' lanes
/// (3 m) were dropped as too fast, each drop biasing the track towards the last kept fix's error; with 1.5
/// times the sum, 4 %. A 40 m jump still fails at the worst accuracy believed (10 m: 40 − 30 > 2).
pub const ACCURACY_ALLOWANCE: f64 = 1.5;
/// The worst believable accuracy, in cleaning widths: 8 m for a skurmaskin, 10 m for a fimpsug.
pub const ACCURACY_WIDTHS: f64 = 10.0;
/// Consecutive fixes that the reference cannot reach but that reach each other before they become the new
/// reference. A single 40 m outlier never gets there; a reference that was the outlier is left after three.
pub const REANCHOR_FIXES: usize = 3;

/// A fix in metres of some plane (local or view), with its time (ms) and accuracy (m).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Fix {
    pub(crate) at: Coord<f64>,
    pub(crate) t: i64,
    pub(crate) acc: f64,
}

impl Fix {
    /// Whether `b` can be reached from `self` at `max_speed` (m/s), allowing for both accuracies.
    pub(crate) fn reaches(&self, b: &Fix, max_speed: f64) -> bool {
        let dt = (b.t - self.t).max(0) as f64 / 1000.0;
        let reach = ACCURACY_ALLOWANCE * (self.acc + b.acc) + max_speed * dt;
        dist2(self.at, b.at) <= reach * reach
    }
}

/// The squared distance between two points (m²): `hypot` is a library call, and this runs for every fix.
pub(crate) fn dist2(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let d = b - a;
    d.x * d.x + d.y * d.y
}

/// The fixes the reference could not reach, in a row, while they agree with each other.
#[derive(Clone, Debug)]
pub(crate) struct Suspects<T> {
    items: Vec<T>,
}

impl<T> Default for Suspects<T> {
    fn default() -> Self {
        Suspects { items: Vec::new() }
    }
}

impl<T> Suspects<T> {
    /// Adds a fix the reference cannot reach. `agrees` says whether the previous suspect reaches it; if
    /// not, the row starts again. Returns the row once it is [`REANCHOR_FIXES`] long: re-anchor there.
    pub(crate) fn add(&mut self, item: T, agrees: impl Fn(&T) -> bool) -> Option<Vec<T>> {
        if !self.items.last().is_some_and(agrees) {
            self.items.clear();
        }
        self.items.push(item);
        (self.items.len() >= REANCHOR_FIXES).then(|| std::mem::take(&mut self.items))
    }

    /// Forgets the row (a fix the reference reaches came in between).
    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(x: f64, t_s: i64, acc: f64) -> Fix {
        Fix {
            at: Coord { x, y: 0.0 },
            t: t_s * 1000,
            acc,
        }
    }

    #[test]
    fn reach_allows_both_accuracies_and_the_top_speed() {
        let a = fix(0.0, 0, 3.0);
        assert!(
            a.reaches(&fix(11.0, 1, 3.0), 2.0),
            "11 m - 1.5 × 6 m = 2 m in 1 s"
        );
        assert!(!a.reaches(&fix(11.1, 1, 3.0), 2.0));
        assert!(
            a.reaches(&fix(40.0, 20, 0.0), 2.0),
            "time makes anything reachable"
        );
        assert!(!a.reaches(&fix(40.0, 1, 5.0), 2.0), "a 40 m outlier");
        let worst = fix(0.0, 0, 10.0);
        assert!(
            !worst.reaches(&fix(40.0, 1, 10.0), 2.0),
            "even at 10 m accuracy"
        );
        assert!(
            !a.reaches(&fix(7.0, -5, 0.0), 2.0),
            "time going back is no time"
        );
    }

    #[test]
    fn three_agreeing_suspects_re_anchor_and_a_disagreeing_one_starts_again() {
        let mut s = Suspects::default();
        let near = |a: &i32, b: i32| (a - b).abs() <= 1;
        assert!(s.add(10, |p| near(p, 10)).is_none());
        assert!(
            s.add(50, |p| near(p, 50)).is_none(),
            "50 does not agree with 10"
        );
        assert!(s.add(51, |p| near(p, 51)).is_none());
        assert_eq!(s.add(52, |p| near(p, 52)), Some(vec![50, 51, 52]));
        assert!(s.add(53, |p| near(p, 53)).is_none(), "the row was taken");
    }
}
