//! Where a smoothed GPS piece moved, and how much ground it covered. A smoothed position still wanders by
//! its uncertainty, so neither "it changed" nor the length of the smoothed path says the machine moved: a
//! parked machine's smoothed jitter (at 8 m accuracy) wanders about as fast as a walked machine moves.
//!
//! - Moving: the smoothed position leaves the mean of the positions since the last move by more than
//!   [`MOVE_SIGMAS`] of its uncertainty, and so does the first position a window later (an independent
//!   look: a parked machine's position wanders out now and then, and comes back).
//! - Ground covered: the machine's pace times the time it moved. The pace is the median speed over chords
//!   of a fixed time: long enough that the positions' noise lengthens them little, short enough that most
//!   lie along a lane rather than across a turn. The time is what a machine at 1 m/s takes to go
//!   [`PACE_CHORD_SIGMAS`] uncertainties; the noise then lengthens a chord by up to 15 %, which about makes
//!   up for what a piece's ends and turns leave out (on the noise tests' lanes: with 5 uncertainties, 8 %
//!   at most, zone Z3 driven at 8 m of noise read 1–3 points lower).

use geo::Coord;

use super::believable::{HALF_WINDOW_MS, Smoothed};
use crate::track::dist2;

/// How far (in its uncertainties) the smoothed position must leave where the machine stood to count as
/// moving; chance carries it so far about once in a hundred independent looks.
const MOVE_SIGMAS: f64 = 3.0;
/// The least move that counts, however certain the position, in cleaning widths.
const MIN_MOVE_WIDTHS: f64 = 0.35;
/// The chords the pace is measured over: as long (in seconds at 1 m/s) as this many of the positions'
/// uncertainties (metres), within [`PACE_CHORD_MS`].
const PACE_CHORD_SIGMAS: f64 = 3.5;
const PACE_CHORD_MS: (i64, i64) = (4_000, 20_000);
/// The longest a stretch counts as moving (ms): a machine moving at all leaves the radius in far less, so
/// anything longer was mostly standing, and only its end counts.
const MAX_STRETCH_MS: i64 = 60_000;

/// How a smoothed piece moved.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Motion {
    /// The stretches `(from, to)` (indices into the piece) over which the machine moved.
    stretches: Vec<(usize, usize)>,
    /// Its pace over them (m/s).
    pace: f64,
}

impl Motion {
    /// The motion of `piece`, of a machine of cleaning width `width`.
    pub(super) fn of(piece: &[Smoothed], width: f64) -> Option<Motion> {
        let stretches = stretches(piece, MIN_MOVE_WIDTHS * width);
        let pace = pace(piece, &stretches)?;
        Some(Motion { stretches, pace })
    }

    /// Each step the machine moved over, with the ground it covered there (pace × time, metres).
    pub(super) fn steps<'a>(
        &'a self,
        piece: &'a [Smoothed],
    ) -> impl Iterator<Item = (&'a Smoothed, &'a Smoothed, f64)> + 'a {
        self.stretches.iter().flat_map(move |&(from, to)| {
            let start = piece[to].t - MAX_STRETCH_MS;
            piece[from..=to]
                .windows(2)
                .filter(move |w| w[0].t >= start)
                .map(move |w| (&w[0], &w[1], self.pace * (w[1].t - w[0].t) as f64 / 1000.0))
        })
    }
}

/// The stretches `(from, to)` of a piece over which the machine moved (see the module's comment).
fn stretches(piece: &[Smoothed], min_m: f64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(first) = piece.first() else {
        return out;
    };
    let away = |c: Coord<f64>, b: &Smoothed| {
        let d2 = dist2(c, b.at);
        d2 > (MOVE_SIGMAS * b.sigma).powi(2) && d2 > min_m * min_m
    };
    let (mut from, mut sum, mut n) = (0, first.at, 1.0);
    let mut later = 0;
    for (i, b) in piece.iter().enumerate().skip(1) {
        while later + 1 < piece.len() && piece[later].t <= b.t + 2 * HALF_WINDOW_MS {
            later += 1;
        }
        let mean = sum / n;
        if away(mean, b) && away(mean, &piece[later]) {
            out.push((from, i));
            (from, sum, n) = (i, b.at, 1.0);
        } else {
            (sum, n) = (sum + b.at, n + 1.0);
        }
    }
    out
}

/// The median speed (m/s) over chords between moving positions (the last [`MAX_STRETCH_MS`] of each
/// stretch); for a piece too short for one, the stretches' own chords.
fn pace(piece: &[Smoothed], stretches: &[(usize, usize)]) -> Option<f64> {
    let sigma = piece.iter().map(|s| s.sigma).sum::<f64>() / piece.len().max(1) as f64;
    let chord_ms =
        ((PACE_CHORD_SIGMAS * sigma * 1000.0) as i64).clamp(PACE_CHORD_MS.0, PACE_CHORD_MS.1);
    let mut moving = vec![false; piece.len()];
    for &(a, b) in stretches {
        let start = piece[b].t - MAX_STRETCH_MS;
        for (m, p) in moving[a..=b].iter_mut().zip(&piece[a..=b]) {
            *m = p.t >= start;
        }
    }
    let speed =
        |a: &Smoothed, b: &Smoothed| dist2(a.at, b.at).sqrt() * 1000.0 / (b.t - a.t).max(1) as f64;
    let mut speeds = Vec::new();
    let mut j = 0;
    for i in 0..piece.len() {
        while j < piece.len() && piece[j].t < piece[i].t + chord_ms {
            j += 1;
        }
        if j == piece.len() {
            break;
        }
        if moving[i] && moving[j] {
            speeds.push(speed(&piece[i], &piece[j]));
        }
    }
    if speeds.is_empty() {
        let (mut d, mut t) = (0.0, 0.0);
        for &(a, b) in stretches {
            d += speed(&piece[a], &piece[b]) * (piece[b].t - piece[a].t) as f64;
            t += (piece[b].t - piece[a].t) as f64;
        }
        return (t > 0.0).then(|| d / t);
    }
    speeds.sort_by(f64::total_cmp);
    Some(speeds[speeds.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64, t_s: i64, sigma: f64) -> Smoothed {
        Smoothed {
            at: Coord { x, y },
            t: t_s * 1000,
            sigma,
        }
    }

    #[test]
    fn a_walked_lane_moves_at_its_pace_and_a_wandering_stand_does_not_move() {
        let lane: Vec<Smoothed> = (0..60)
            .map(|i| at(f64::from(i as u8), 0.0, i, 1.0))
            .collect();
        let m = Motion::of(&lane, 0.8).unwrap();
        assert!((m.pace - 1.0).abs() < 1e-9);
        let ground: f64 = m.steps(&lane).map(|s| s.2).sum();
        assert!(ground > 50.0 && ground <= 59.0, "{ground}");

        // Standing, the smoothed position wandering by its uncertainty (±1 m at σ = 1 m).
        let stand: Vec<Smoothed> = (0..300)
            .map(|i| {
                let a = f64::from(i as u16) * 0.7;
                at(a.sin(), (1.3 * a).cos(), i, 1.0)
            })
            .collect();
        assert_eq!(Motion::of(&stand, 0.8), None);
    }

    #[test]
    fn a_long_stand_inside_a_stretch_counts_for_a_minute_at_most() {
        // Ten minutes parked, then two minutes walked at 1 m/s.
        let mut piece: Vec<Smoothed> = (0..600).map(|i| at(0.0, 0.0, i, 1.0)).collect();
        piece.extend((1..=120).map(|i| at(f64::from(i as u8), 0.0, 599 + i, 1.0)));
        let m = Motion::of(&piece, 0.8).unwrap();
        assert!((m.pace - 1.0).abs() < 1e-9, "{}", m.pace);
        let ground: f64 = m.steps(&piece).map(|s| s.2).sum();
        assert!(ground > 100.0 && ground <= 60.0 + 120.0, "{ground}");
    }
}
