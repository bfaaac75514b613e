//! Painting a machine's path into the coverage grid: every cell whose centre lies within half the cleaning
//! width of the path. The path is cut into segments; each segment with its round ends is a capsule, and a
//! capsule meets a row of cell centres in one interval, found in closed form. So a segment costs one step
//! per row it spans, however often the path crosses itself: a parked machine's jitter or a zigzag over
//! the whole square cost what a straight run of the same length costs.

use geo::Coord;

use super::grid::{CellGrid, CellSet, Span};

/// Points closer than this to the previous kept point are dropped (metres): a quarter of a cell moves the
/// painted edge by at most that much, and a machine standing still adds no segments.
const THIN_M: f64 = super::COVERAGE_CELL_M / 4.0;
/// Points farther than this from the site's origin (metres) are not the machine: a broken fix. Validation
/// already refuses points more than 25 m off the site; this keeps the arithmetic sane for anything else.
const FAR_M: f64 = 10_000.0;

/// Paints the path (view metres) with cleaning radius `r` into `cells`. Non-finite and far-off points are
/// skipped; a path of one point paints the disc under the machine.
pub(super) fn paint_path(cells: &mut CellSet, path: impl IntoIterator<Item = Coord<f64>>, r: f64) {
    let mut last: Option<Coord<f64>> = None;
    let mut moved = false;
    for p in path {
        let d2 = p.x * p.x + p.y * p.y;
        if d2.is_nan() || d2 > FAR_M * FAR_M {
            continue;
        }
        match last {
            None => last = Some(p),
            Some(a) if (p.x - a.x).powi(2) + (p.y - a.y).powi(2) >= THIN_M * THIN_M => {
                paint_capsule(cells, a, p, r);
                last = Some(p);
                moved = true;
            }
            Some(_) => {}
        }
    }
    if let (Some(a), false) = (last, moved) {
        paint_capsule(cells, a, a, r);
    }
}

/// Paints the cells whose centres lie within `r` of the segment `a`–`b`.
fn paint_capsule(cells: &mut CellSet, a: Coord<f64>, b: Coord<f64>, r: f64) {
    let grid: CellGrid = cells.grid;
    let Some((j0, j1)) = grid.rows(a.y.min(b.y) - r, a.y.max(b.y) + r) else {
        return;
    };
    let capsule = Capsule::new(a, b, r);
    for row in j0..=j1 {
        if let Some((lo, hi)) = capsule.row(grid.row_y(row))
            && let Some((a, b)) = grid.cols(lo, hi)
        {
            cells.fill(Span { row, a, b });
        }
    }
}

/// The points within `r` of the segment `a`–`b`, with what each row needs worked out once.
struct Capsule {
    a: Coord<f64>,
    b: Coord<f64>,
    r: f64,
    d: Coord<f64>,
    /// 1 / d.x and 1 / d.y (infinite for 0, then unused).
    inv: Coord<f64>,
    l2: f64,
    /// r · |d|.
    rl: f64,
}

impl Capsule {
    fn new(a: Coord<f64>, b: Coord<f64>, r: f64) -> Capsule {
        let d = Coord {
            x: b.x - a.x,
            y: b.y - a.y,
        };
        let l2 = d.x * d.x + d.y * d.y;
        Capsule {
            a,
            b,
            r,
            d,
            inv: Coord {
                x: 1.0 / d.x,
                y: 1.0 / d.y,
            },
            l2,
            rl: r * l2.sqrt(),
        }
    }

    /// The interval of x where the line `y` meets the capsule, if it does. The capsule is convex, so the
    /// union of what its two end discs and its middle slab give is one interval.
    fn row(&self, y: f64) -> Option<(f64, f64)> {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for p in [self.a, self.b] {
            let h2 = self.r * self.r - (y - p.y) * (y - p.y);
            if h2 >= 0.0 {
                let h = h2.sqrt();
                lo = lo.min(p.x - h);
                hi = hi.max(p.x + h);
            }
        }
        if self.l2 > 0.0 {
            // With u = x - a.x: the point projects onto the segment (0 ≤ (p - a)·d ≤ |d|²) and lies
            // within r of its line (|(p - a) × d| ≤ r·|d|). Both are linear in u.
            let (d, ey) = (self.d, y - self.a.y);
            let mut u = (f64::NEG_INFINITY, f64::INFINITY);
            within(&mut u, d.x, self.inv.x, -ey * d.y, self.l2 - ey * d.y);
            within(
                &mut u,
                d.y,
                self.inv.y,
                ey * d.x - self.rl,
                ey * d.x + self.rl,
            );
            if u.0 <= u.1 {
                lo = lo.min(self.a.x + u.0);
                hi = hi.max(self.a.x + u.1);
            }
        }
        (lo <= hi).then_some((lo, hi))
    }
}

/// Narrows `u` to where `c·u` lies in `[p, q]` (`inv` = 1 / c).
fn within(u: &mut (f64, f64), c: f64, inv: f64, p: f64, q: f64) {
    if c > 0.0 {
        *u = (u.0.max(p * inv), u.1.min(q * inv));
    } else if c < 0.0 {
        *u = (u.0.max(q * inv), u.1.min(p * inv));
    } else if !(p <= 0.0 && 0.0 <= q) {
        *u = (f64::INFINITY, f64::NEG_INFINITY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(a: Coord<f64>, b: Coord<f64>, r: f64, x: f64, y: f64) -> bool {
        let d = (b.x - a.x, b.y - a.y);
        let l2 = d.0 * d.0 + d.1 * d.1;
        let t = if l2 == 0.0 {
            0.0
        } else {
            (((x - a.x) * d.0 + (y - a.y) * d.1) / l2).clamp(0.0, 1.0)
        };
        (x - a.x - t * d.0).hypot(y - a.y - t * d.1) <= r
    }

    #[test]
    fn the_row_interval_matches_the_distance_to_the_segment() {
        let segs = [
            ((0.0, 0.0), (3.0, 1.0)),
            ((1.0, -2.0), (1.0, 2.0)),
            ((-2.0, 0.5), (2.0, 0.5)),
            ((0.3, 0.3), (0.3, 0.3)),
            ((2.0, 2.0), (-1.0, -0.5)),
        ];
        for ((ax, ay), (bx, by)) in segs {
            let (a, b) = (Coord { x: ax, y: ay }, Coord { x: bx, y: by });
            for k in -30..=30 {
                let y = f64::from(k) * 0.1 + 0.013;
                let span = Capsule::new(a, b, 0.5).row(y);
                for i in -40..=40 {
                    let x = f64::from(i) * 0.1 + 0.007;
                    let inside = span.is_some_and(|(lo, hi)| lo <= x && x <= hi);
                    assert_eq!(inside, brute(a, b, 0.5, x, y), "{a:?} {b:?} at ({x}, {y})");
                }
            }
        }
    }
}
