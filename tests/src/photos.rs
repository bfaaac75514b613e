//! Photos for the fleet and the benchmark: pictures a phone camera might take of a wall or a bench
//! (gradients, texture and sensor noise, different for every seed), processed by the app's own
//! `prepare`, so sizes and hashes are like real ones.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use torgkoll_shared::photo::{Prepared, prepare};

use crate::Res;

/// A camera-like picture of `w` × `h` pixels as a JPEG of high quality, as a picker hands it over.
pub fn picture(seed: u64, w: u32, h: u32) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    let base: [f32; 3] = [
        rng.random_range(60.0..200.0),
        rng.random_range(60.0..200.0),
        rng.random_range(60.0..200.0),
    ];
    let (fx, fy) = (rng.random_range(0.002..0.02), rng.random_range(0.002..0.02));
    let stripes = rng.random_range(8.0..40.0f32);
    // Per column and per row once: the picture's broad light and its brick-like texture.
    let cols: Vec<f32> = (0..w).map(|x| (x as f32 * fx).sin() * 30.0).collect();
    let rows: Vec<f32> = (0..h).map(|y| (y as f32 * fy).cos() * 25.0).collect();
    let mut noise = seed | 1;
    let img = RgbImage::from_fn(w, h, |x, y| {
        // Sensor noise: xorshift, a couple of levels either way.
        noise ^= noise << 13;
        noise ^= noise >> 7;
        noise ^= noise << 17;
        let n = (noise % 5) as f32 - 2.0;
        let (xf, yf) = (x as f32, y as f32);
        let brick = if ((xf / stripes) as i32 + (yf / (stripes * 0.5)) as i32) % 2 == 0 {
            12.0
        } else {
            -12.0
        };
        let v = cols[x as usize] + rows[y as usize] + brick + n;
        let px = |c: f32| (c + v).clamp(0.0, 255.0) as u8;
        Rgb([
            px(base[0]),
            px(base[1] + yf * 0.02),
            px(base[2] - xf * 0.02),
        ])
    });
    let mut out = Vec::new();
    img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, 95))
        .expect("a JPEG encodes into memory");
    out
}

/// A processed photo, as the phone saves it after the person picks a picture.
pub fn photo(seed: u64) -> Res<Prepared> {
    Ok(prepare(&picture(seed, 1280, 960))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_differ_by_seed_and_are_camera_sized() {
        let a = photo(1).unwrap();
        let b = photo(2).unwrap();
        assert_ne!(a.reference.hash, b.reference.hash);
        for p in [&a, &b] {
            assert!(p.reference.bytes > 40_000, "{:?}", p.reference);
        }
    }
}
