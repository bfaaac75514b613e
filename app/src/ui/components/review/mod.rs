//! Presentational pieces of the manager's review screens: their stylesheet, shaded areas on the map
//! (hotspot cells, zones not cleaned), the report list with its review marks, small tables, and one
//! phone of the "Telefoner" list.

pub mod device_row;
pub mod review_list;
pub mod shade_layer;
pub mod style;

pub use device_row::DeviceRow;
pub use review_list::ReviewList;
pub use shade_layer::{Shade, ShadeLayer};
pub use style::ReviewStyle;
