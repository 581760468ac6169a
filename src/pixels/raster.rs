//! Gray raster helpers for OCR preparation: conversion that drops red seal
//! ink, Otsu threshold, scaling, right-angle and small-angle rotation, and
//! the projection-profile skew and orientation estimates.

use image::{DynamicImage, GrayImage, imageops};

/// Gray page for OCR. For colour scans the red channel is used: red seal
/// ink is bright there and vanishes, black print stays dark.
pub fn to_ocr_gray(img: &DynamicImage) -> GrayImage {
    if img.color().has_color() {
        let rgb = img.to_rgb8();
        let (w, h) = rgb.dimensions();
        let mut out = GrayImage::new(w, h);
        for (o, p) in out.pixels_mut().zip(rgb.pixels()) {
            let [r, g, b] = p.0;
            // Reddish pixels (seal ink) become paper; the rest take luma.
            let red = r as i32 - (g as i32).max(b as i32) > 60;
            o.0[0] = if red {
                255
            } else {
                ((r as u32 * 299 + g as u32 * 587 + b as u32 * 114) / 1000) as u8
            };
        }
        out
    } else {
        img.to_luma8()
    }
}

/// Otsu's threshold over the histogram.
pub fn otsu(img: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in img.as_raw() {
        hist[*p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 128;
    }
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0f64, 0f64, -1f64, 128u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        if w0 == 0.0 {
            continue;
        }
        let w1 = total as f64 - w0;
        if w1 == 0.0 {
            break;
        }
        sum0 += t as f64 * c as f64;
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// Resolutions [`scale_to_dpi`] leaves as they are: tesseract reads
/// 150–400 dpi print well; rescaling costs more than it gains there.
pub const KEPT_DPI: std::ops::RangeInclusive<f32> = 140.0..=400.0;

/// Scales so that the page is at `target` dpi, when it is far from it.
pub fn scale_to_dpi(img: GrayImage, dpi: f32, target: f32) -> (GrayImage, f32) {
    if KEPT_DPI.contains(&dpi) {
        return (img, dpi);
    }
    let ratio = target / dpi.max(1.0);
    let (w, h) = img.dimensions();
    let nw = ((w as f32 * ratio).round() as u32).max(1);
    let nh = ((h as f32 * ratio).round() as u32).max(1);
    let filter = if ratio < 1.0 {
        imageops::FilterType::Triangle
    } else {
        imageops::FilterType::CatmullRom
    };
    (imageops::resize(&img, nw, nh, filter), target)
}

/// Shrinks by `ratio` (< 1) by area averaging: on a 300-dpi A4 page
/// about a fifth of the time of a triangle-filtered resize (0.04 vs
/// 0.21 s), and tesseract reads it as well.
pub fn shrink(img: &GrayImage, ratio: f32) -> GrayImage {
    let (w, h) = img.dimensions();
    let nw = ((w as f32 * ratio).round() as u32).clamp(1, w);
    let nh = ((h as f32 * ratio).round() as u32).clamp(1, h);
    imageops::thumbnail(img, nw, nh)
}

/// Rotates clockwise by a multiple of 90°.
pub fn rotate_right_angle(img: &GrayImage, degrees: u16) -> GrayImage {
    match degrees % 360 {
        90 => imageops::rotate90(img),
        180 => imageops::rotate180(img),
        270 => imageops::rotate270(img),
        _ => img.clone(),
    }
}

/// Rotates by a small angle (degrees, positive = counter-clockwise on
/// screen) about the centre, bilinear, filling with white.
pub fn rotate_small(img: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = img.dimensions();
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let src = img.as_raw();
    let mut out = vec![255u8; src.len()];
    let wi = w as i64;
    let hi = h as i64;
    for y in 0..h {
        let dy = y as f32 - cy;
        let row = (y * w) as usize;
        for x in 0..w {
            let dx = x as f32 - cx;
            // Inverse mapping: where this output pixel comes from.
            let sx = c * dx - s * dy + cx;
            let sy = s * dx + c * dy + cy;
            let x0 = sx.floor() as i64;
            let y0 = sy.floor() as i64;
            if x0 < 0 || y0 < 0 || x0 + 1 >= wi || y0 + 1 >= hi {
                continue;
            }
            let fx = sx - x0 as f32;
            let fy = sy - y0 as f32;
            let i = (y0 * wi + x0) as usize;
            let p00 = src[i] as f32;
            let p10 = src[i + 1] as f32;
            let p01 = src[i + w as usize] as f32;
            let p11 = src[i + w as usize + 1] as f32;
            let top = p00 + (p10 - p00) * fx;
            let bot = p01 + (p11 - p01) * fx;
            out[row + x as usize] = (top + (bot - top) * fy).round() as u8;
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_else(|| img.clone())
}

/// Dark pixel coordinates, subsampled on a grid of `step`.
fn dark_points(img: &GrayImage, thr: u8, step: u32) -> Vec<(f32, f32)> {
    let (w, h) = img.dimensions();
    let mut pts = Vec::new();
    let raw = img.as_raw();
    let mut y = 0;
    while y < h {
        let mut x = 0;
        while x < w {
            if raw[(y * w + x) as usize] < thr {
                pts.push((x as f32, y as f32));
            }
            x += step;
        }
        y += step;
    }
    pts
}

/// Sharpness of the row profile of `pts` rotated by `deg`: text lines
/// aligned with rows give a peaky profile (high sum of squares).
fn profile_score(pts: &[(f32, f32)], deg: f32, bins: usize, along_x: bool) -> f64 {
    tilted_profile(pts, deg, bins, along_x)
        .iter()
        .map(|&n| (n as f64) * (n as f64))
        .sum()
}

/// Counts of `pts` in 2-px bins across lines tilted by `deg` (columns
/// when `along_x`, rows otherwise).
fn tilted_profile(pts: &[(f32, f32)], deg: f32, bins: usize, along_x: bool) -> Vec<u32> {
    let (s, c) = deg.to_radians().sin_cos();
    let mut hist = vec![0u32; bins + 2];
    for &(x, y) in pts {
        let v = if along_x {
            x * c + y * s
        } else {
            y * c - x * s
        };
        let b = (v / 2.0).round();
        if b >= 0.0 && (b as usize) < hist.len() {
            hist[b as usize] += 1;
        }
    }
    hist
}

/// Skew of the text lines in degrees (±`max_deg`), by projection profile:
/// a coarse search in 0.5° steps then a fine one in 0.1° steps.
pub fn estimate_skew(img: &GrayImage, thr: u8, max_deg: f32) -> f32 {
    let (w, h) = img.dimensions();
    let step = ((w.max(h) / 1200).max(1)) * 2;
    let pts = dark_points(img, thr, step);
    if pts.len() < 200 {
        return 0.0;
    }
    let bins = ((w + h) / 2 + 2) as usize;
    let best_in = |from: f32, to: f32, by: f32| {
        let mut best = (f64::MIN, 0.0f32);
        let mut a = from;
        while a <= to + 1e-4 {
            let sc = profile_score(&pts, a, bins, false);
            if sc > best.0 {
                best = (sc, a);
            }
            a += by;
        }
        best.1
    };
    let coarse = best_in(-max_deg, max_deg, 0.5);
    best_in(coarse - 0.5, coarse + 0.5, 0.1)
}

/// Dark pixels of text, subsampled on a grid of `step`: pixels in dark
/// runs longer than `max_run` (grid cells) along a row or a column are
/// left out. Those are ruling lines, underlines and the dark edges of a
/// scanned sheet, which say nothing about the direction of text lines and
/// (a page-long border) would outweigh all of it.
pub fn text_points(img: &GrayImage, thr: u8, step: u32, max_run: u32) -> Vec<(f32, f32)> {
    let (w, h) = img.dimensions();
    let (gw, gh) = (w.div_ceil(step) as usize, h.div_ceil(step) as usize);
    let raw = img.as_raw();
    let mut dark = vec![false; gw * gh];
    for gy in 0..gh {
        let row = gy * step as usize * w as usize;
        for gx in 0..gw {
            dark[gy * gw + gx] = raw[row + gx * step as usize] < thr;
        }
    }
    let mut long = vec![false; gw * gh];
    mark_long_runs(&dark, &mut long, (gw, gh), max_run, true);
    mark_long_runs(&dark, &mut long, (gw, gh), max_run, false);
    let mut pts = Vec::new();
    for gy in 0..gh {
        for gx in 0..gw {
            let i = gy * gw + gx;
            if dark[i] && !long[i] {
                pts.push(((gx as u32 * step) as f32, (gy as u32 * step) as f32));
            }
        }
    }
    pts
}

/// Marks in `long` the cells of `dark` runs longer than `max_run` along
/// rows (`horizontal`) or columns of a `size` grid.
fn mark_long_runs(
    dark: &[bool],
    long: &mut [bool],
    size: (usize, usize),
    max_run: u32,
    horizontal: bool,
) {
    let (gw, gh) = size;
    let (outer, inner) = if horizontal { (gh, gw) } else { (gw, gh) };
    let idx = |o: usize, i: usize| if horizontal { o * gw + i } else { i * gw + o };
    for o in 0..outer {
        let mut i = 0;
        while i < inner {
            if !dark[idx(o, i)] {
                i += 1;
                continue;
            }
            let start = i;
            while i < inner && dark[idx(o, i)] {
                i += 1;
            }
            if (i - start) as u32 > max_run {
                for k in start..i {
                    long[idx(o, k)] = true;
                }
            }
        }
    }
}

/// Peakiness of the profile of `pts` across lines tilted by `deg`
/// (rows when `along_x` is false): the sum of squares of the profile
/// scaled so that ink spread evenly over its extent (2nd–98th percentile)
/// scores 1. Scaling by the extent keeps a portrait page's narrower text
/// width from passing for sharper columns.
fn peakiness(pts: &[(f32, f32)], deg: f32, bins: usize, along_x: bool) -> f64 {
    let hist = tilted_profile(pts, deg, bins, along_x);
    let n = pts.len() as f64;
    let (mut seen, mut lo, mut hi) = (0.0, 0, 0);
    for (k, &m) in hist.iter().enumerate() {
        seen += m as f64;
        if seen < n * 0.02 {
            lo = k;
        }
        if seen < n * 0.98 {
            hi = k;
        }
    }
    let sq: f64 = hist.iter().map(|&m| (m as f64) * (m as f64)).sum();
    sq * (hi - lo).max(1) as f64 / (n * n).max(1.0)
}

/// What the ink of a page says about its text lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextLines {
    /// How much more the column profile is peaked than the row profile
    /// (each at its best tilt within ±3°): well above 1 when the lines run
    /// vertically (a page turned by 90° or 270°), well below 1 on an
    /// upright or upside-down page; 1.0 when there is too little ink.
    pub vertical_ratio: f64,
    /// Median height of the inked bands across the lines, in pixels: the
    /// height of the body text's characters. `None` without lines.
    pub height: Option<f32>,
}

/// Line direction and text height from the ink, rules and page edges left
/// out (see [`text_points`]; runs longer than 1/30 of the page's longer
/// side: a rule or a border, never a stroke of text).
pub fn text_lines(img: &GrayImage, thr: u8) -> TextLines {
    let (w, h) = img.dimensions();
    let step = ((w.max(h) / 1200).max(1)) * 2;
    let max_run = (w.max(h) / 30 / step).max(4);
    let pts = text_points(img, thr, step, max_run);
    if pts.len() < 200 {
        return TextLines {
            vertical_ratio: 1.0,
            height: None,
        };
    }
    let bins = (w.max(h) + 2) as usize;
    let best = |along_x: bool| {
        (-6..=6)
            .map(|i| {
                let deg = i as f32 * 0.5;
                (peakiness(&pts, deg, bins, along_x), deg)
            })
            .fold((f64::MIN, 0.0), |a, b| if b.0 > a.0 { b } else { a })
    };
    let (cols, rows) = (best(true), best(false));
    let vertical_ratio = cols.0 / rows.0.max(1e-9);
    let (along_x, deg) = if vertical_ratio > 1.0 {
        (true, cols.1)
    } else {
        (false, rows.1)
    };
    TextLines {
        vertical_ratio,
        height: band_height(&pts, deg, along_x, step as f32),
    }
}

/// Median height of the inked bands of the profile of `pts` (bins of
/// `bin` pixels, lines tilted by `deg`); gaps of one bin are bridged,
/// bands of one or two bins (specks, dots) are not lines.
fn band_height(pts: &[(f32, f32)], deg: f32, along_x: bool, bin: f32) -> Option<f32> {
    let (s, c) = deg.to_radians().sin_cos();
    let mut hist: Vec<u32> = Vec::new();
    for &(x, y) in pts {
        let v = if along_x {
            x * c + y * s
        } else {
            y * c - x * s
        };
        let b = (v / bin).round();
        if b >= 0.0 {
            let b = b as usize;
            if b >= hist.len() {
                hist.resize(b + 1, 0);
            }
            hist[b] += 1;
        }
    }
    let inked = hist.iter().filter(|&&n| n > 0).count().max(1);
    // A bin holds ink of a line when it has a tenth of an inked bin's mean.
    let min = (pts.len() as f32 / inked as f32 / 10.0).max(1.0) as u32;
    let mut bands = Vec::new();
    let (mut start, mut last) = (None::<usize>, 0usize);
    for (i, &n) in hist.iter().enumerate() {
        if n < min {
            continue;
        }
        match start {
            Some(_) if i - last <= 2 => {}
            Some(s0) => {
                bands.push(last - s0 + 1);
                start = Some(i);
            }
            None => start = Some(i),
        }
        last = i;
    }
    if let Some(s0) = start {
        bands.push(last - s0 + 1);
    }
    bands.retain(|&b| b >= 3);
    if bands.is_empty() {
        return None;
    }
    bands.sort_unstable();
    Some(bands[bands.len() / 2] as f32 * bin)
}

/// A photographed page's uneven light taken out: each pixel divided by the
/// paper's brightness around it (the brightest level of its cell, a cell
/// being about a 50th of the page, larger than any character stroke), so
/// shade and glare no longer decide what global thresholding calls ink.
/// `None` when the paper is evenly lit (scanners): its brightness spreads
/// by less than 40 levels over the page.
pub fn flatten_lighting(img: &GrayImage) -> Option<GrayImage> {
    let (w, h) = img.dimensions();
    let cell = (w.max(h) / 50).max(8);
    let (gw, gh) = (w.div_ceil(cell), h.div_ceil(cell));
    if gw < 4 || gh < 4 {
        return None;
    }
    let mut grid = vec![0u8; (gw * gh) as usize];
    for (x, y, p) in img.enumerate_pixels() {
        let g = &mut grid[((y / cell) * gw + x / cell) as usize];
        *g = (*g).max(p.0[0]);
    }
    // A cell inside a large character or a photo is dark: the brightest
    // neighbour stands in, then a 3×3 mean smooths the steps.
    // The 3×3 cells around each cell (edges repeated), row by row.
    let around = |g: &[u8]| -> Vec<[u8; 9]> {
        let at = |x: i64, y: i64| {
            g[(y.clamp(0, gh as i64 - 1) * gw as i64 + x.clamp(0, gw as i64 - 1)) as usize]
        };
        (0..gh as i64)
            .flat_map(|y| (0..gw as i64).map(move |x| (x, y)))
            .map(|(x, y)| std::array::from_fn(|k| at(x + k as i64 % 3 - 1, y + k as i64 / 3 - 1)))
            .collect()
    };
    let bright: Vec<u8> = around(&grid)
        .iter()
        .map(|n| n.iter().copied().max().unwrap_or(0))
        .collect();
    let smooth: Vec<f32> = around(&bright)
        .iter()
        .map(|n| n.iter().map(|&v| v as f32).sum::<f32>() / 9.0)
        .collect();
    let mut sorted: Vec<f32> = smooth.clone();
    sorted.sort_by(f32::total_cmp);
    let pct = |q: f32| sorted[((sorted.len() - 1) as f32 * q) as usize];
    if pct(0.95) - pct(0.05) < 40.0 {
        return None;
    }
    // Bilinear between cell centres.
    let bg = |x: u32, y: u32| {
        let fx = ((x as f32 + 0.5) / cell as f32 - 0.5).clamp(0.0, (gw - 1) as f32);
        let fy = ((y as f32 + 0.5) / cell as f32 - 0.5).clamp(0.0, (gh - 1) as f32);
        let (x0, y0) = (fx.floor() as u32, fy.floor() as u32);
        let (x1, y1) = ((x0 + 1).min(gw - 1), (y0 + 1).min(gh - 1));
        let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
        let v = |x: u32, y: u32| smooth[(y * gw + x) as usize];
        let top = v(x0, y0) * (1.0 - tx) + v(x1, y0) * tx;
        let bottom = v(x0, y1) * (1.0 - tx) + v(x1, y1) * tx;
        top * (1.0 - ty) + bottom * ty
    };
    let mut out = img.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let b = bg(x, y).max(16.0);
        p.0[0] = (p.0[0] as f32 * 255.0 / b).min(255.0) as u8;
    }
    Some(out)
}

/// Paper made pure white: levels are scaled so that a little below the
/// median (the paper of a mostly blank crop) becomes 255. Scanner noise on
/// the paper then vanishes while faint, blurred strokes keep their shades.
pub fn level_paper(img: &GrayImage) -> GrayImage {
    let mut hist = [0u32; 256];
    for p in img.as_raw() {
        hist[*p as usize] += 1;
    }
    let half = img.as_raw().len() as u32 / 2;
    let mut seen = 0;
    let median = hist
        .iter()
        .position(|&n| {
            seen += n;
            seen > half
        })
        .unwrap_or(255) as f32;
    // Below the median by more than scan noise (±12 levels) spreads.
    let white = (median - 14.0).max(64.0);
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p.0[0] = (p.0[0] as f32 * 255.0 / white).min(255.0) as u8;
    }
    out
}

/// Bounding box and pixel count of one connected component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub count: u32,
}

impl Component {
    pub fn width(&self) -> u32 {
        self.x1 - self.x0 + 1
    }
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
}

/// 8-connected components of a mask (row-major, `w*h`), with the label of
/// each pixel (0 = background, k+1 = component k).
pub fn components(mask: &[bool], w: u32, h: u32) -> (Vec<Component>, Vec<u32>) {
    let (wu, hu) = (w as usize, h as usize);
    let mut labels = vec![0u32; wu * hu];
    let mut comps = Vec::new();
    let mut stack = Vec::new();
    for start in 0..wu * hu {
        if !mask[start] || labels[start] != 0 {
            continue;
        }
        let id = comps.len() as u32 + 1;
        labels[start] = id;
        stack.push(start);
        let mut c = Component {
            x0: u32::MAX,
            y0: u32::MAX,
            x1: 0,
            y1: 0,
            count: 0,
        };
        while let Some(i) = stack.pop() {
            let (x, y) = (i % wu, i / wu);
            c.x0 = c.x0.min(x as u32);
            c.x1 = c.x1.max(x as u32);
            c.y0 = c.y0.min(y as u32);
            c.y1 = c.y1.max(y as u32);
            c.count += 1;
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let nx = x as i64 + dx;
                    let ny = y as i64 + dy;
                    if nx < 0 || ny < 0 || nx >= wu as i64 || ny >= hu as i64 {
                        continue;
                    }
                    let j = ny as usize * wu + nx as usize;
                    if mask[j] && labels[j] == 0 {
                        labels[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        comps.push(c);
    }
    (comps, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dark strokes on paper lit from one side (255 at the left, 120 at
    /// the right): flattened, the paper is white everywhere and the strokes
    /// stay dark; an evenly lit page is left alone.
    #[test]
    fn lighting_flattened_only_when_uneven() {
        let (w, h) = (500u32, 700u32);
        let shade = |x: u32| 255.0 - 135.0 * x as f32 / w as f32;
        let mut img = GrayImage::new(w, h);
        for (x, y, p) in img.enumerate_pixels_mut() {
            let stroke = (y % 40) < 4 && (x % 30) < 20;
            let v = if stroke { shade(x) * 0.25 } else { shade(x) };
            p.0[0] = v as u8;
        }
        let flat = flatten_lighting(&img).expect("uneven light is flattened");
        for x in [10, 250, 490] {
            assert!(flat.get_pixel(x, 20).0[0] >= 235, "paper at x={x}");
            assert!(
                flat.get_pixel(x.min(480) / 30 * 30 + 5, 41).0[0] <= 90,
                "stroke at x={x}"
            );
        }
        // Globally, the right half's paper (≈ 150) would have gone under
        // Otsu's threshold with the strokes; flattened it stays paper.
        let even = GrayImage::from_fn(w, h, |x, y| {
            image::Luma([if (y % 40) < 4 && (x % 30) < 20 {
                40
            } else {
                245
            }])
        });
        assert!(flatten_lighting(&even).is_none());
    }

    fn lines_image(angle: f32) -> GrayImage {
        let mut img = GrayImage::from_pixel(600, 400, image::Luma([255]));
        for k in 0..10 {
            let y0 = 40.0 + k as f32 * 32.0;
            for x in 50..550 {
                if (x / 9) % 4 == 3 {
                    continue;
                }
                let y = y0 + (x as f32 - 300.0) * angle.to_radians().tan();
                for d in 0..8 {
                    let yy = (y as i32 + d) as u32;
                    if yy < 400 {
                        img.put_pixel(x, yy, image::Luma([0]));
                    }
                }
            }
        }
        img
    }

    #[test]
    fn skew_is_found() {
        let img = lines_image(2.0);
        let a = estimate_skew(&img, 128, 5.0);
        assert!((a - 2.0).abs() < 0.35, "{a}");
        let fixed = rotate_small(&img, a);
        assert!(estimate_skew(&fixed, 128, 5.0).abs() < 0.35);
    }

    #[test]
    fn paper_levelled() {
        // Noisy gray paper (236–250) with a faint stroke (150).
        let mut img = GrayImage::new(40, 20);
        for (x, y, p) in img.enumerate_pixels_mut() {
            p.0[0] = if (10..14).contains(&x) && y > 4 {
                150
            } else {
                236 + ((x * 7 + y * 3) % 15) as u8
            };
        }
        let out = level_paper(&img);
        assert!(
            out.enumerate_pixels()
                .all(|(x, _, p)| (10..14).contains(&x) || p.0[0] == 255)
        );
        let stroke = out.get_pixel(11, 10).0[0];
        assert!((150..200).contains(&stroke), "{stroke}");
    }

    #[test]
    fn vertical_lines_detected() {
        // Ten lines of 14 px "characters" (square outlines) 30 px apart,
        // and a page edge: a dark band down the left side.
        let mut img = GrayImage::from_pixel(700, 400, image::Luma([255]));
        for k in 0..10 {
            let y0 = 40 + k * 30;
            for c in 0..(30 - k % 3) {
                let x0 = 60 + c * 18;
                for d in 0..14 {
                    for (x, y) in [
                        (x0 + d, y0),
                        (x0 + d, y0 + 13),
                        (x0, y0 + d),
                        (x0 + 13, y0 + d),
                    ] {
                        img.put_pixel(x, y, image::Luma([0]));
                    }
                }
            }
        }
        for y in 0..400 {
            for x in 0..12 {
                img.put_pixel(x, y, image::Luma([20]));
            }
        }
        let up = text_lines(&img, 128);
        assert!(up.vertical_ratio < 0.7, "{up:?}");
        assert!(
            up.height.is_some_and(|h| (12.0..=18.0).contains(&h)),
            "{up:?}"
        );
        let turned = text_lines(&rotate_right_angle(&img, 90), 128);
        assert!(turned.vertical_ratio > 1.4, "{turned:?}");
    }
}
