//! The outline of a set of covered cells as view-plane polygons, for drawing: marching squares over the
//! cells (the `contour` crate, a port of d3-contour, which also sorts holes into their polygons), then
//! Ramer–Douglas–Peucker (geo's `Simplify`) to turn the cell staircases into straight edges. Drawing
//! polygons instead of cells keeps the lägesbild's SVG small (see BENCHMARKS.md).

use contour::ContourBuilder;
use geo::{LineString, MultiPolygon, Simplify};

use super::ViewPolygon;
use super::grid::{COVERAGE_CELL_M, CellSet};

/// How far a simplified outline may stray from the cells' outline (metres): half a cell.
const SIMPLIFY_M: f64 = COVERAGE_CELL_M / 2.0;

/// The outline of the cells, in view metres rounded to the centimetre.
pub(super) fn outline(cells: &CellSet) -> Vec<ViewPolygon> {
    let Some((i0, j0, i1, j1)) = cells.extent() else {
        return Vec::new();
    };
    let (w, h) = (i1 - i0 + 1, j1 - j0 + 1);
    let mut values = Vec::with_capacity(w * h);
    for j in j0..=j1 {
        values.extend((i0..=i1).map(|i| f64::from(u8::from(cells.contains(i, j)))));
    }
    let g = cells.grid;
    // Marching squares puts value k at k + ½ (a cell's centre): origin and step place it in the view.
    let builder = ContourBuilder::new(w, h, false)
        .x_origin(g.x0 + i0 as f64 * COVERAGE_CELL_M)
        .y_origin(g.y0 + j0 as f64 * COVERAGE_CELL_M)
        .x_step(COVERAGE_CELL_M)
        .y_step(COVERAGE_CELL_M);
    let Ok(contours) = builder.contours(&values, &[0.5]) else {
        return Vec::new();
    };
    contours
        .into_iter()
        .flat_map(|c| {
            let (m, _) = c.into_inner();
            let m: MultiPolygon<f64> = m.simplify(SIMPLIFY_M);
            m.0
        })
        .filter(|p| p.exterior().0.len() >= 4)
        .map(|p| ViewPolygon {
            exterior: ring(p.exterior()),
            holes: p
                .interiors()
                .iter()
                .filter(|r| r.0.len() >= 4)
                .map(ring)
                .collect(),
        })
        .collect()
}

fn ring(ls: &LineString<f64>) -> Vec<[f64; 2]> {
    let cm = |v: f64| (v * 100.0).round() / 100.0;
    ls.coords().map(|c| [cm(c.x), cm(c.y)]).collect()
}
