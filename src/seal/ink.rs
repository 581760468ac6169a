//! Seal ink: red pixels as dark strokes on white, crops brought to a
//! working size, strips cleaned of ring and rim pieces before OCR.

use image::{GrayImage, Luma, RgbImage, imageops};

#[allow(unused_imports)]
use super::*;

/// Seal ink as dark on white, for OCR of the seal's text: a pixel's
/// darkness where it is red enough to be seal ink (its "redness", red
/// above the other channels, at least half its darkness), scaled so the
/// strongest ink is black. Black print is not red and drops out.
/// Continuous, not thresholded, so blurred strokes keep their holes.
pub fn ink_gray(rgb: &RgbImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    // Tinted or yellowed paper would read as faint red everywhere: the
    // paper's colour is divided out first.
    let balanced = white_balance(rgb, (w.max(h) / 4).max(16));
    let redness: Vec<i32> = balanced
        .pixels()
        .map(|p| {
            let [r, g, b] = p.0;
            let redness = (r as i32 - (g as i32).max(b as i32)).max(0);
            // JPEG keeps colour at half resolution and brightness at full,
            // and a photo's colour is smeared: colour says which pixels
            // are seal ink, brightness where the strokes' edges are.
            let luma = (299 * r as i32 + 587 * g as i32 + 114 * b as i32) / 1000;
            (2 * redness).min(255 - luma)
        })
        .collect();
    let mut sorted: Vec<i32> = redness.iter().copied().filter(|&v| v > 20).collect();
    sorted.sort_unstable();
    let top = sorted
        .get(sorted.len() * 9 / 10)
        .copied()
        .unwrap_or(255)
        .max(40) as f32;
    let px: Vec<u8> = redness
        .iter()
        .map(|&v| 255 - ((v as f32 / top).min(1.0) * 255.0) as u8)
        .collect();
    GrayImage::from_raw(w, h, px).unwrap_or_else(|| GrayImage::from_pixel(w, h, Luma([255])))
}

/// Stretches grey levels so the image's darkest twentieth of inked
/// pixels is black.
pub(super) fn stretch(img: &GrayImage) -> GrayImage {
    let mut out = img.clone();
    let mut v: Vec<u8> = img.pixels().map(|p| p.0[0]).filter(|&p| p < 230).collect();
    if v.len() >= 16 {
        v.sort_unstable();
        let black = v[v.len() / 20] as f32;
        if black > 10.0 {
            for p in out.iter_mut() {
                let t = ((*p as f32 - black) / (255.0 - black)).clamp(0.0, 1.0);
                *p = (t * 255.0) as u8;
            }
        }
    }
    out
}

/// Prepares an unwrapped band for OCR: rows near its edges that are inked
/// across most of the width are the ring's edge (the fit is never exact)
/// and are whitened; then the ink is stretched so the band's own darkest
/// strokes are black (a dense star elsewhere leaves the text pale).
pub(super) fn clean_strip(strip: &GrayImage) -> GrayImage {
    let (w, h) = strip.dimensions();
    let mut out = strip.clone();
    let edge = h / 4;
    for y in (0..edge).chain(h.saturating_sub(edge)..h) {
        let dark = (0..w).filter(|&x| strip.get_pixel(x, y).0[0] < 170).count();
        if dark * 2 > w as usize {
            for x in 0..w {
                out.put_pixel(x, y, Luma([255]));
            }
        }
    }
    let mut out = stretch(&out);
    // Where the fit wanders, the ring's edge crosses the band's rim in
    // pieces: a run of ink along a rim row longer than a character is
    // wide is the ring, not text (left on a character's top it turns 山
    // into 出). Judged after the stretch: pale edges binarize to black.
    for y in (0..edge).chain(h.saturating_sub(edge)..h) {
        let mut x = 0;
        while x < w {
            let run = (x..w)
                .take_while(|&k| out.get_pixel(k, y).0[0] < 200)
                .count() as u32;
            if run > h * 6 / 5 {
                for k in x..x + run {
                    out.put_pixel(k, y, Luma([255]));
                }
            }
            x += run.max(1);
        }
    }
    clear_rim_pieces(&mut out);
    out
}

/// Whitens flat pieces of ink touching the band's outer or inner eighth:
/// broken bits of the ring's edge (or of a crossing seal's ring) lie
/// there, long and thin, and read as strokes of the character below them
/// (山 → 出). Characters are inset from the ring and do not reach it.
pub(super) fn clear_rim_pieces(img: &mut GrayImage) {
    let (w, h) = img.dimensions();
    let rim = (h / 8).max(1);
    let mask: Vec<bool> = img.pixels().map(|p| p.0[0] < 200).collect();
    let (comps, labels) = crate::pixels::raster::components(&mask, w, h);
    let gone: Vec<bool> = comps
        .iter()
        .map(|c| {
            let at_rim = c.y0 < rim || c.y1 >= h - rim;
            let in_rim = c.y1 < h / 4 || c.y0 >= h - h / 4;
            at_rim && in_rim && c.width() >= 3 * c.height() && c.width() * 3 >= h
        })
        .collect();
    for (p, &l) in img.iter_mut().zip(&labels) {
        if l > 0 && gone[l as usize - 1] {
            *p = 255;
        }
    }
}

/// Pads an image with white so text does not touch the border.
pub(super) fn pad(img: &GrayImage, by: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let mut out = GrayImage::from_pixel(w + 2 * by, h + 2 * by, Luma([255]));
    imageops::overlay(&mut out, img, by as i64, by as i64);
    out
}

pub(super) fn normalize_crop(crop: &RgbImage) -> RgbImage {
    imageops::resize(
        crop,
        440,
        440 * crop.height() / crop.width().max(1),
        imageops::FilterType::Triangle,
    )
}
