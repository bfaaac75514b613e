//! Points on the earth and the site's local plane.
//!
//! Reports carry WGS84 lon/lat. All measuring (areas, buffers, grids) happens in a local plane in metres,
//! an equirectangular projection around the site's centre: over a few hundred metres its error is far below
//! a GPS fix. The view plane is the local plane rotated so that the site's long axis lies horizontal.

use geo::Coord;
use serde::{Deserialize, Serialize};

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 position, serialized as `[lon, lat]` like GeoJSON.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "[f64; 2]", into = "[f64; 2]")]
pub struct GeoPoint {
    pub lon: f64,
    pub lat: f64,
}

impl GeoPoint {
    pub fn new(lon: f64, lat: f64) -> Self {
        GeoPoint { lon, lat }
    }

    /// Rounded to 7 decimals (about 1 cm): what the wire and the stores keep.
    pub fn rounded(self) -> Self {
        let r = |v: f64| (v * 1e7).round() / 1e7;
        GeoPoint {
            lon: r(self.lon),
            lat: r(self.lat),
        }
    }

    pub fn is_finite(self) -> bool {
        self.lon.is_finite() && self.lat.is_finite()
    }
}

impl From<[f64; 2]> for GeoPoint {
    fn from([lon, lat]: [f64; 2]) -> Self {
        GeoPoint { lon, lat }
    }
}

impl From<GeoPoint> for [f64; 2] {
    fn from(p: GeoPoint) -> Self {
        [p.lon, p.lat]
    }
}

/// The projection between lon/lat and the site's local plane (metres east and north of the origin), and
/// the view plane (the local plane rotated so the site's long axis runs left to right).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalFrame {
    origin: GeoPoint,
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
    /// Rotation applied for the view: the axis bearing (clockwise from north) minus 90°, as cos/sin.
    cos: f64,
    sin: f64,
}

impl LocalFrame {
    /// A frame around `origin`; `axis_bearing_deg` is the compass bearing of the long axis (e.g. 64° for ENE).
    pub fn new(origin: GeoPoint, axis_bearing_deg: f64) -> Self {
        let m_per_deg_lat = EARTH_RADIUS_M.to_radians();
        let m_per_deg_lon = m_per_deg_lat * origin.lat.to_radians().cos();
        // The axis direction in the local plane (x east, y north) makes an angle of 90° - bearing with x.
        // The view turns it onto the x axis: rotate by (bearing - 90°).
        let theta = (axis_bearing_deg - 90.0).to_radians();
        LocalFrame {
            origin,
            m_per_deg_lon,
            m_per_deg_lat,
            cos: theta.cos(),
            sin: theta.sin(),
        }
    }

    pub fn origin(&self) -> GeoPoint {
        self.origin
    }

    /// Metres east (x) and north (y) of the origin.
    pub fn to_local(&self, p: GeoPoint) -> Coord<f64> {
        Coord {
            x: (p.lon - self.origin.lon) * self.m_per_deg_lon,
            y: (p.lat - self.origin.lat) * self.m_per_deg_lat,
        }
    }

    pub fn from_local(&self, c: Coord<f64>) -> GeoPoint {
        GeoPoint {
            lon: self.origin.lon + c.x / self.m_per_deg_lon,
            lat: self.origin.lat + c.y / self.m_per_deg_lat,
        }
    }

    /// Local metres to view metres: x along the site's axis, y across it (up is positive).
    pub fn local_to_view(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: c.x * self.cos - c.y * self.sin,
            y: c.x * self.sin + c.y * self.cos,
        }
    }

    pub fn view_to_local(&self, v: Coord<f64>) -> Coord<f64> {
        Coord {
            x: v.x * self.cos + v.y * self.sin,
            y: -v.x * self.sin + v.y * self.cos,
        }
    }

    pub fn to_view(&self, p: GeoPoint) -> Coord<f64> {
        self.local_to_view(self.to_local(p))
    }

    pub fn from_view(&self, v: Coord<f64>) -> GeoPoint {
        self.from_local(self.view_to_local(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_round_trip_and_scale() {
        let f = LocalFrame::new(GeoPoint::new(18.064, 59.332), 64.0);
        let p = GeoPoint::new(18.065, 59.3325);
        let back = f.from_local(f.to_local(p));
        assert!((back.lon - p.lon).abs() < 1e-12 && (back.lat - p.lat).abs() < 1e-12);
        // 0.001° of latitude is about 111 m.
        let d = f.to_local(GeoPoint::new(18.064, 59.333));
        assert!((d.y - 111.2).abs() < 0.5, "{d:?}");
        let v = f.from_view(f.to_view(p));
        assert!((v.lon - p.lon).abs() < 1e-12 && (v.lat - p.lat).abs() < 1e-12);
    }

    #[test]
    fn view_lays_the_axis_horizontal() {
        let f = LocalFrame::new(GeoPoint::new(18.064, 59.332), 64.0);
        // A unit step along bearing 64° in the local plane.
        let b = 64f64.to_radians();
        let step = Coord {
            x: b.sin(),
            y: b.cos(),
        };
        let v = f.local_to_view(step);
        assert!((v.x - 1.0).abs() < 1e-9 && v.y.abs() < 1e-9, "{v:?}");
    }

    #[test]
    fn serializes_like_geojson() {
        let p = GeoPoint::new(18.0641234, 59.3321234);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            "[18.0641234,59.3321234]"
        );
        assert_eq!(
            GeoPoint::new(18.06412345678, 59.0).rounded().lon,
            18.0641235
        );
    }
}
