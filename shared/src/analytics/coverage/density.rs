//! How GPS pieces paint: as a cleaning density. With 3–8 m of noise against a 0.8 m machine, painting the
//! band of each smoothed position leaves holes wherever lane traces wander apart, and widening the band
//! spills over every edge. Instead each piece lays down the area it swept (width × the ground it covered,
//! see [`super::motion`]) along its smoothed path, each bit spread as a Gaussian [`SPREAD_SIGMAS`] as wide as
//! its position's uncertainty; a cell is covered where the density reaches [`COVERED`]. Lanes driven side
//! by side add up to about one however their traces wander; an edge of a driven area stays where it was
//! (the noise spreads it both ways); a machine standing still lays down nothing.
//!
//! Cost: one Gaussian per spread of path, each of (5 spreads / cell)² cells, whatever the grid's size.

use geo::Coord;

use super::believable::Smoothed;
use super::grid::{COVERAGE_CELL_M, CellGrid, CellSet};
use super::motion::Motion;
use crate::track::dist2;

/// The density (swept m² per m²) at which a cell counts as cleaned. Below one half: the density falls to
/// one half at the edge of a driven area, and the cells just inside it should count (on the noise tests'
/// lanes, BENCHMARKS.md, 0.5 read fully driven zones 4–12 points low, 0.4 within 6).
const COVERED: f32 = 0.4;
/// The spread of a position, in its uncertainties: wide enough that the wandering traces of neighbouring
/// lanes blend into one density rather than stripes.
const SPREAD_SIGMAS: f64 = 1.5;
/// The narrowest spread, in cleaning widths: a single pass of a precise track then covers a band of about
/// its width (where a Gaussian line of mass `w` and spread 0.35 `w` reaches 0.4).
const MIN_SPREAD_WIDTHS: f64 = 0.35;
/// Where a Gaussian is cut, in spreads (2.5 % of its mass lies beyond; it is given to the cells within).
const CUT_SPREADS: f64 = 2.5;

/// The cleaning density of one machine kind over the site's grid.
pub(super) struct Density {
    grid: CellGrid,
    rho: Vec<f32>,
}

impl Density {
    pub(super) fn new(grid: CellGrid) -> Density {
        Density {
            grid,
            rho: vec![0.0; grid.nx * grid.ny],
        }
    }

    /// Lays down the area a smoothed piece of a machine of cleaning width `width` swept.
    pub(super) fn add_piece(&mut self, piece: &[Smoothed], width: f64) {
        let min_h = MIN_SPREAD_WIDTHS * width;
        let Some(motion) = Motion::of(piece, width) else {
            return;
        };
        // Beads: the swept area of each step spread evenly along it, gathered until a bead holds a spread
        // of path, then laid down at its centre of mass (Gaussians a spread apart sum to a smooth band:
        // the ripple is 2·e^(-2π²) of it).
        let mut bead = Bead::default();
        for (a, b, ground) in motion.steps(piece) {
            let h = min_h.max(SPREAD_SIGMAS * a.sigma.max(b.sigma));
            let len = dist2(a.at, b.at).sqrt();
            let parts = (len / h).ceil().max(1.0);
            for k in 0..parts as usize {
                let f = (k as f64 + 0.5) / parts;
                bead.add(
                    a.at + (b.at - a.at) * f,
                    width * ground / parts,
                    len / parts,
                    h,
                );
                if bead.len >= bead.h {
                    self.lay(&std::mem::take(&mut bead));
                }
            }
        }
        self.lay(&bead);
    }

    fn lay(&mut self, bead: &Bead) {
        if bead.mass > 0.0 {
            self.splat(bead.at / bead.mass, bead.mass, bead.h);
        }
    }

    /// Adds `mass` m² spread as a Gaussian of standard deviation `h` around `c`.
    fn splat(&mut self, c: Coord<f64>, mass: f64, h: f64) {
        let g = self.grid;
        let r = CUT_SPREADS * h;
        let (Some((i0, i1)), Some((j0, j1))) = (g.cols(c.x - r, c.x + r), g.rows(c.y - r, c.y + r))
        else {
            return;
        };
        let k = -0.5 / (h * h);
        let wx: Vec<f32> = (i0..=i1)
            .map(|i| ((g.col_x(i) - c.x).powi(2) * k).exp() as f32)
            .collect();
        let wy: Vec<f32> = (j0..=j1)
            .map(|j| ((g.row_y(j) - c.y).powi(2) * k).exp() as f32)
            .collect();
        let total = wx.iter().sum::<f32>() * wy.iter().sum::<f32>();
        if total <= 0.0 {
            return;
        }
        let scale = (mass / (COVERAGE_CELL_M * COVERAGE_CELL_M)) as f32 / total;
        for (j, fy) in (j0..=j1).zip(&wy) {
            let row = &mut self.rho[j * g.nx + i0..=j * g.nx + i1];
            let f = scale * fy;
            for (cell, fx) in row.iter_mut().zip(&wx) {
                *cell += f * fx;
            }
        }
    }

    /// The cells where the density reaches [`COVERED`].
    pub(super) fn covered(&self) -> CellSet {
        let mut cells = CellSet::empty(self.grid);
        for (j, row) in self.rho.chunks_exact(self.grid.nx).enumerate() {
            for (i, v) in row.iter().enumerate() {
                if *v >= COVERED {
                    cells.set(i, j);
                }
            }
        }
        cells
    }
}

impl Density {
    /// The expected area, in cells, the density stands for on the site outside `counted`: each cell's
    /// density capped at one.
    pub(super) fn expected_cells(&self, on_site: &CellSet, counted: &CellSet) -> f64 {
        let mut n = 0.0;
        for (j, row) in self.rho.chunks_exact(self.grid.nx).enumerate() {
            for (i, v) in row.iter().enumerate() {
                if *v > 0.0 && on_site.contains(i, j) && !counted.contains(i, j) {
                    n += f64::from(v.min(1.0));
                }
            }
        }
        n
    }
}

/// Swept area gathered along a path: its mass-weighted position sum, mass, path length and spread.
#[derive(Default)]
struct Bead {
    at: Coord<f64>,
    mass: f64,
    len: f64,
    h: f64,
}

impl Bead {
    fn add(&mut self, c: Coord<f64>, mass: f64, len: f64, h: f64) {
        self.at = self.at + c * mass;
        self.mass += mass;
        self.len += len;
        self.h = self.h.max(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::plattan;

    #[test]
    fn a_gaussian_lays_down_its_mass_and_a_clean_pass_covers_about_its_width() {
        let site = plattan();
        let grid = CellGrid::of(&site);
        let mut d = Density::new(grid);
        d.splat(Coord { x: 0.0, y: 0.0 }, 3.0, 1.0);
        let cell = COVERAGE_CELL_M * COVERAGE_CELL_M;
        let mass: f64 = d.rho.iter().map(|v| f64::from(*v) * cell).sum();
        assert!((mass - 3.0).abs() < 1e-3, "{mass}");

        // A precise track (uncertainty 0.1 m) walked 20 m along x at 1 m/s by a 0.8 m machine.
        let piece: Vec<Smoothed> = (0..=20)
            .map(|i| Smoothed {
                at: Coord {
                    x: f64::from(i),
                    y: 0.3,
                },
                t: i64::from(i) * 1000,
                sigma: 0.1,
            })
            .collect();
        let mut d = Density::new(grid);
        d.add_piece(&piece, 0.8);
        let area = d.covered().count() as f64 * cell;
        // What painting the same line as taps covers (3 or 4 rows of cells, by where it lies on the grid),
        // less the ends a moving start and stop leave out.
        let mut painted = CellSet::empty(grid);
        super::super::paint::paint_path(&mut painted, piece.iter().map(|s| s.at), 0.4);
        let paint = painted.count() as f64 * cell;
        assert!(area > 0.75 * paint && area <= paint, "{area} vs {paint}");
    }
}
