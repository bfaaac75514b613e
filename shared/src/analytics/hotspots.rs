//! Hotspots: cleaning reports counted on a grid of square cells over the site.
//!
//! The grid is laid in the view plane (x along the site's long axis, y across it), so its cells line up
//! with the plaza as it is drawn. Cell (0, 0) is the lower-left corner of the boundary's view bounding box.

use serde::{Deserialize, Serialize};

use super::{Period, cleaning_category, counts, event_times, view_xy};
use crate::geometry::GeoPoint;
use crate::report::Report;
use crate::site::Site;
use crate::vocab::CleaningCategory;

/// The default cell size in metres.
pub const CELL_M: f64 = 5.0;

/// A square grid over the site in the view plane.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// The view coordinates of the lower-left corner of cell (0, 0).
    pub origin: [f64; 2],
    pub cell_m: f64,
    pub cols: u32,
    pub rows: u32,
}

impl Grid {
    /// A grid of `cell_m` cells covering the site's boundary.
    pub fn for_site(site: &Site, cell_m: f64) -> Grid {
        let (x0, y0, x1, y1) = site.view_bounds();
        let cell_m = cell_m.max(0.5);
        Grid {
            origin: [x0, y0],
            cell_m,
            cols: ((x1 - x0) / cell_m).ceil().max(1.0) as u32,
            rows: ((y1 - y0) / cell_m).ceil().max(1.0) as u32,
        }
    }

    /// The cell (col, row) of a view-plane point, if it is on the grid.
    pub fn cell_of(&self, v: [f64; 2]) -> Option<(u32, u32)> {
        let c = ((v[0] - self.origin[0]) / self.cell_m).floor();
        let r = ((v[1] - self.origin[1]) / self.cell_m).floor();
        (c >= 0.0 && r >= 0.0 && c < f64::from(self.cols) && r < f64::from(self.rows))
            .then_some((c as u32, r as u32))
    }

    /// The centre of a cell in the view plane.
    pub fn centre(&self, col: u32, row: u32) -> [f64; 2] {
        [
            self.origin[0] + (f64::from(col) + 0.5) * self.cell_m,
            self.origin[1] + (f64::from(row) + 0.5) * self.cell_m,
        ]
    }

    fn index(&self, col: u32, row: u32) -> usize {
        row as usize * self.cols as usize + col as usize
    }
}

/// One cell's count of a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub category: CleaningCategory,
    pub count: u32,
}

/// A cell with reports in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HotspotCell {
    pub col: u32,
    pub row: u32,
    /// The cell's centre in the view plane and on the earth.
    pub centre_view: [f64; 2],
    pub centre: GeoPoint,
    /// The zone of the cell's centre, if the centre is on the site.
    pub zone_id: Option<String>,
    pub total: u32,
    /// Non-zero categories, most first.
    pub by_category: Vec<CategoryCount>,
}

/// Counts per cell and category for a period. Only cells with reports are listed, by row then column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HotspotGrid {
    pub grid: Grid,
    pub period: Period,
    pub total: u32,
    pub cells: Vec<HotspotCell>,
}

impl HotspotGrid {
    /// The `n` cells with the most reports (ties: lower row, then lower column first).
    pub fn top(&self, n: usize) -> Vec<HotspotCell> {
        let mut v: Vec<&HotspotCell> = self.cells.iter().collect();
        v.sort_by(|a, b| {
            b.total
                .cmp(&a.total)
                .then(a.row.cmp(&b.row))
                .then(a.col.cmp(&b.col))
        });
        v.into_iter().take(n).cloned().collect()
    }
}

/// Counts cleaning reports (with their +1s, without withdrawn ones and duplicates) in the period on a grid
/// of `cell_m` cells; `only` keeps one category.
pub fn hotspot_grid<'a>(
    site: &Site,
    reports: impl IntoIterator<Item = &'a Report>,
    period: &Period,
    cell_m: f64,
    only: Option<CleaningCategory>,
) -> HotspotGrid {
    let grid = Grid::for_site(site, cell_m);
    let ncat = CleaningCategory::ALL.len();
    let mut dense = vec![0u32; grid.cols as usize * grid.rows as usize * ncat];
    let mut total = 0;
    for r in reports {
        let Some(cat) = cleaning_category(r) else {
            continue;
        };
        if only.is_some_and(|o| o != cat) {
            continue;
        }
        let n = event_times(r).filter(|t| period.contains(*t)).count() as u32;
        if n == 0 || !counts(r) {
            continue;
        }
        let Some(at) = r.at() else { continue };
        let Some((c, row)) = grid.cell_of(view_xy(site.frame.to_view(at))) else {
            continue;
        };
        dense[grid.index(c, row) * ncat + cat_index(cat)] += n;
        total += n;
    }
    let mut cells = Vec::new();
    for row in 0..grid.rows {
        for col in 0..grid.cols {
            let base = grid.index(col, row) * ncat;
            let slice = &dense[base..base + ncat];
            let sum: u32 = slice.iter().sum();
            if sum == 0 {
                continue;
            }
            let mut by_category: Vec<CategoryCount> = slice
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| CategoryCount {
                    category: CleaningCategory::ALL[i],
                    count: *n,
                })
                .collect();
            by_category.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(&b.category)));
            let centre_view = grid.centre(col, row);
            let centre = site.frame.from_view(geo::Coord {
                x: centre_view[0],
                y: centre_view[1],
            });
            let zone_id = site
                .locate_local(site.frame.to_local(centre))
                .ok()
                .map(|z| z.id.clone());
            cells.push(HotspotCell {
                col,
                row,
                centre_view,
                centre: centre.rounded(),
                zone_id,
                total: sum,
                by_category,
            });
        }
    }
    HotspotGrid {
        grid,
        period: *period,
        total,
        cells,
    }
}

fn cat_index(c: CleaningCategory) -> usize {
    CleaningCategory::ALL
        .iter()
        .position(|x| *x == c)
        .unwrap_or(0)
}
