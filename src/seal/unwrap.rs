//! Seal geometry: ring and oval text unwrapped into straight strips
//! (bands, arcs fitted to the ink), and a square face's glyph grid laid
//! out as one line.

use image::{GrayImage, Luma, RgbImage, imageops};

#[allow(unused_imports)]
use super::*;

/// Unwraps the band of a round seal between `t_in` and `t_out` (fractions
/// of the radii) into a strip, reading clockwise from `from_deg` over the
/// top to `to_deg` (image angles, 0° = right, 90° = down). Character tops
/// point outward, so the outer edge is the strip's top.
pub fn unwrap_ring(
    ink: &GrayImage,
    t_in: f32,
    t_out: f32,
    from_deg: f32,
    to_deg: f32,
) -> GrayImage {
    let (w, h) = ink.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (rx, ry) = (w as f32 / 2.0, h as f32 / 2.0);
    let mid = (rx + ry) / 2.0 * (t_in + t_out) / 2.0;
    let span = (to_deg - from_deg).to_radians();
    let out_w = (span * mid).max(8.0) as u32;
    let out_h = (((t_out - t_in) * (rx + ry) / 2.0).max(8.0)) as u32;
    let mut out = GrayImage::from_pixel(out_w, out_h, Luma([255]));
    for v in 0..out_h {
        let t = t_out - (t_out - t_in) * v as f32 / out_h as f32;
        for u in 0..out_w {
            let a = from_deg.to_radians() + span * u as f32 / out_w as f32;
            let x = cx + t * rx * a.cos();
            let y = cy + t * ry * a.sin();
            if x >= 0.0 && y >= 0.0 && (x as u32) < w && (y as u32) < h {
                out.put_pixel(u, v, *ink.get_pixel(x as u32, y as u32));
            }
        }
    }
    out
}

/// Unwraps the band of an oval seal lying `d_in`..`d_out` inside its
/// outline (fractions of the semi-minor axis, measured along the normal,
/// as the engraver insets the name) from parametric angle `from_deg`
/// clockwise to `to_deg`, in equal steps of arc length so characters keep
/// their widths where the curve is flat. The crop's outline is its box
/// shrunk by `margin` (see [`crop_outline`]). Outer edge on top.
pub fn unwrap_oval(
    ink: &GrayImage,
    margin: f32,
    d_in: f32,
    d_out: f32,
    from_deg: f32,
    to_deg: f32,
) -> GrayImage {
    let (w, h) = ink.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (a, b) = (cx / margin, cy / margin);
    let minor = a.min(b);
    let (din, dout) = (d_in * minor, d_out * minor);
    let point = |deg: f32, d: f32| {
        let t = deg.to_radians();
        let (c, s) = (t.cos(), t.sin());
        let (nx, ny) = (c / a, s / b);
        let k = (nx * nx + ny * ny).sqrt().max(1e-6);
        (cx + a * c - d * nx / k, cy + b * s - d * ny / k)
    };
    // Arc length of the band's middle curve.
    let steps = 720usize;
    let mid = (din + dout) / 2.0;
    let mut cum = vec![0f32; steps + 1];
    let mut prev = point(from_deg, mid);
    for (i, c) in cum.iter_mut().enumerate().skip(1) {
        let p = point(
            from_deg + (to_deg - from_deg) * i as f32 / steps as f32,
            mid,
        );
        *c = ((p.0 - prev.0).powi(2) + (p.1 - prev.1).powi(2)).sqrt();
        prev = p;
    }
    for i in 1..=steps {
        cum[i] += cum[i - 1];
    }
    let out_w = cum[steps].max(8.0) as u32;
    let out_h = (dout - din).max(8.0) as u32;
    let mut out = GrayImage::from_pixel(out_w, out_h, Luma([255]));
    for u in 0..out_w {
        let s = cum[steps] * u as f32 / out_w as f32;
        let j = cum.partition_point(|&v| v < s).min(steps);
        let deg = from_deg + (to_deg - from_deg) * j as f32 / steps as f32;
        for v in 0..out_h {
            let d = din + (dout - din) * v as f32 / out_h as f32;
            let (x, y) = point(deg, d);
            if x >= 0.0 && y >= 0.0 && (x as u32) < w && (y as u32) < h {
                out.put_pixel(u, v, *ink.get_pixel(x as u32, y as u32));
            }
        }
    }
    out
}

/// Where a square seal's border ends on each side of the crop: the
/// first run of heavy ink rows/columns from the edge, within the outer
/// fifth. Returns `[x0, y0, x1, y1]` of the face inside the border.
pub(super) fn square_face(dark: &[bool], w: u32, h: u32) -> [u32; 4] {
    let frac_row = |y: u32, x0: u32, x1: u32| {
        (x0..x1).filter(|&x| dark[(y * w + x) as usize]).count() as f32 / (x1 - x0).max(1) as f32
    };
    let frac_col = |x: u32, y0: u32, y1: u32| {
        (y0..y1).filter(|&y| dark[(y * w + x) as usize]).count() as f32 / (y1 - y0).max(1) as f32
    };
    // Scans from the edge inward: past the heavy border, to its end.
    let inward = |n: u32, f: &dyn Fn(u32) -> f32| -> u32 {
        let lim = n / 5;
        let mut seen = false;
        for i in 0..lim {
            let v = f(i);
            if v > 0.45 {
                seen = true;
            } else if seen && v < 0.25 {
                return i;
            }
        }
        n / 12
    };
    let top = inward(h, &|i| frac_row(i, 0, w));
    let bottom = h - 1 - inward(h, &|i| frac_row(h - 1 - i, 0, w));
    let left = inward(w, &|i| frac_col(i, 0, h));
    let right = w - 1 - inward(w, &|i| frac_col(w - 1 - i, 0, h));
    [left, top, right.max(left + 1), bottom.max(top + 1)]
}

/// How many equal cells `profile` (ink per line across a span) divides
/// into with a near-empty line at every cell boundary, trying `max`
/// down to 1 (1 always fits).
pub(super) fn grid_cells(profile: &[u32], max: usize) -> usize {
    let n = profile.len();
    if n < 8 {
        return 1;
    }
    let mean = profile.iter().sum::<u32>() as f32 / n as f32;
    for c in (2..=max).rev() {
        let half = (n / (8 * c)).max(1);
        let ok = (1..c).all(|i| {
            let b = i * n / c;
            let lo = b.saturating_sub(half);
            let hi = (b + half).min(n - 1);
            let gap = profile[lo..=hi].iter().copied().min().unwrap_or(0);
            (gap as f32) <= 0.15 * mean
        });
        if ok {
            return c;
        }
    }
    1
}

/// The unwrapped upper arc of an oval seal crop, as OCR sees it.
pub fn oval_strip(crop: &RgbImage) -> GrayImage {
    let crop = normalize_crop(crop);
    clean_strip(&unwrap_oval(
        &ink_gray(&crop),
        CROP_MARGIN,
        OVAL_IN,
        OVAL_OUT,
        OVAL_FROM,
        OVAL_TO,
    ))
}

/// A square seal crop's characters in reading order on one line, as OCR
/// sees them.
pub fn square_line(crop: &RgbImage) -> Option<GrayImage> {
    square_cells_line(&ink_gray(&normalize_crop(crop)))
}

pub(super) fn square_cells_line(ink: &GrayImage) -> Option<GrayImage> {
    let (w, h) = ink.dimensions();
    let thr = crate::pixels::raster::otsu(ink).clamp(80, 230);
    let dark: Vec<bool> = ink.pixels().map(|p| p.0[0] < thr).collect();
    let [fx0, fy0, fx1, fy1] = square_face(&dark, w, h);
    // A little inside the border's inner edge: its ragged edge is not text.
    let m = (fx1 - fx0) / 40;
    let (fx0, fy0, fx1, fy1) = (
        fx0 + m,
        fy0 + m,
        fx1.saturating_sub(m),
        fy1.saturating_sub(m),
    );
    if fx1 <= fx0 + 16 || fy1 <= fy0 + 16 {
        return None;
    }
    // The face's own level: blurred characters come out far paler than
    // the heavy border, which sets the whole crop's level.
    let face = stretch(&imageops::crop_imm(ink, fx0, fy0, fx1 - fx0, fy1 - fy0).to_image());
    let fthr = crate::pixels::raster::otsu(&face).clamp(80, 230);
    let at = |x: u32, y: u32| face.get_pixel(x - fx0, y - fy0).0[0] < fthr;
    let cols_profile: Vec<u32> = (fx0..fx1)
        .map(|x| (fy0..fy1).filter(|&y| at(x, y)).count() as u32)
        .collect();
    let cols = grid_cells(&cols_profile, 6);
    if cols < 2 {
        return None;
    }
    let cw = (fx1 - fx0) as f32 / cols as f32;
    let mut boxes = Vec::new();
    for c in (0..cols).rev() {
        let (x0, x1) = (
            fx0 + (c as f32 * cw) as u32,
            fx0 + ((c + 1) as f32 * cw) as u32,
        );
        let rows_profile: Vec<u32> = (fy0..fy1)
            .map(|y| (x0..x1).filter(|&x| at(x, y)).count() as u32)
            .collect();
        // Characters down the column: runs of inked rows, a run joined to
        // the character above while both fit in one character's height
        // (about the column's width), so 三 or 专 stay whole.
        let speck = ((x1 - x0) / 30).max(1);
        for (r0, r1) in char_runs(&rows_profile, speck, (x1 - x0) as usize * 23 / 20, x1 - x0) {
            let (y0, y1) = (fy0 + r0 as u32, fy0 + r1 as u32);
            // The character's own box inside its cell.
            let (mut bx0, mut by0, mut bx1, mut by1) = (u32::MAX, u32::MAX, 0, 0);
            for y in y0..y1 {
                for x in x0..x1 {
                    if at(x, y) {
                        (bx0, by0, bx1, by1) = (bx0.min(x), by0.min(y), bx1.max(x), by1.max(y));
                    }
                }
            }
            if bx1 < bx0 + 2 || by1 < by0 + 2 {
                continue;
            }
            boxes.push([bx0, by0, bx1 + 1, by1 + 1]);
        }
    }
    cells_line(ink, &boxes)
}

/// Lays characters (boxes in `ink`) side by side on one line, each scaled
/// by its longer side to one height (so flat ones such as 一 stay flat)
/// and stretched so its own darkest strokes are black: blurred thin
/// strokes come out pale beside a seal's heavy border, and one level for
/// the whole line would turn them into solid blots.
pub(super) fn cells_line(ink: &GrayImage, boxes: &[[u32; 4]]) -> Option<GrayImage> {
    const CELL: u32 = 64;
    let mut cells: Vec<GrayImage> = Vec::new();
    for &[x0, y0, x1, y1] in boxes {
        let (bw, bh) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        if bw < 2 || bh < 2 {
            continue;
        }
        let cell = stretch(&imageops::crop_imm(ink, x0, y0, bw, bh).to_image());
        let k = (CELL * 9 / 10) as f32 / bw.max(bh) as f32;
        let (sw, sh) = (
            ((bw as f32 * k) as u32).max(4),
            ((bh as f32 * k) as u32).max(4),
        );
        let glyph = imageops::resize(&cell, sw, sh, imageops::FilterType::Triangle);
        let mut c = GrayImage::from_pixel(sw, CELL, Luma([255]));
        imageops::overlay(&mut c, &glyph, 0, ((CELL - sh.min(CELL)) / 2) as i64);
        cells.push(c);
    }
    if cells.is_empty() {
        return None;
    }
    let gap = CELL / 5;
    let line_w: u32 = cells.iter().map(|c| c.width() + gap).sum();
    let mut line = GrayImage::from_pixel(line_w, CELL, Luma([255]));
    let mut x = 0i64;
    for c in &cells {
        imageops::overlay(&mut line, c, x, 0);
        x += (c.width() + gap) as i64;
    }
    Some(line)
}

/// Characters along a profile: runs of lines with more than `speck`
/// ink, each joined to the one before while together they span at most
/// `max_len` lines (a character's inner gaps are not gaps between
/// characters). Runs holding less than `min_ink` are specks (一 is flat
/// but long).
pub(super) fn char_runs(
    profile: &[u32],
    speck: u32,
    max_len: usize,
    min_ink: u32,
) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &v) in profile.iter().chain(std::iter::once(&0)).enumerate() {
        match (v > speck, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some(last) if r.1 - last.0 <= max_len => last.1 = r.1,
            _ => out.push(r),
        }
    }
    out.retain(|r| profile[r.0..r.1].iter().sum::<u32>() >= min_ink);
    out
}

/// The unwrapped ring of a round seal crop, as OCR sees it.
pub fn ring_strip(crop: &RgbImage) -> GrayImage {
    let ink = ink_gray(&normalize_crop(crop));
    clean_strip(&unwrap_ring(&ink, RING_IN, RING_OUT, RING_FROM, RING_TO))
}

/// Whether a seal crop holds ink at fraction `t` of its radius, at image
/// angle `deg` (0° right, 90° down).
pub(super) fn ring_ink_at(ink: &GrayImage, t: f32, deg: f32) -> bool {
    let (w, h) = ink.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let a = deg.to_radians();
    let (x, y) = (cx + t * cx * a.cos(), cy + t * cy * a.sin());
    x >= 0.0
        && y >= 0.0
        && (x as u32) < w
        && (y as u32) < h
        && ink.get_pixel(x as u32, y as u32).0[0] < 128
}

/// The band a round seal's name fills, fitted to its ring: just inside
/// the border's inner edge (the outermost heavy ink along the name's
/// arc) and as deep as characters of that ring run (a third of the
/// radius). `None` when no border shows.
pub(super) fn text_band(ink: &GrayImage, (from, to): (f32, f32)) -> Option<(f32, f32)> {
    // Ink per radius (percent of the radius) along the arc.
    let steps = ((to - from).max(1.0)) as usize;
    let profile: Vec<f32> = (40..=100)
        .map(|r| {
            let t = r as f32 / 100.0;
            let dark = (0..steps)
                .filter(|k| ring_ink_at(ink, t, from + *k as f32))
                .count();
            dark as f32 / steps as f32
        })
        .collect();
    let at = |r: usize| profile[r - 40];
    let peak = (80..=100).max_by(|a, b| at(*a).total_cmp(&at(*b)))?;
    if at(peak) < 0.5 {
        return None;
    }
    // Inward: the border's blur, the blank between border and name, the
    // name down to where its ink ends.
    let mut r = peak;
    while r > 41 && at(r - 1) >= 0.1 {
        r -= 1;
    }
    // Blank is under a tenth, or under half the name's own ink where its
    // strokes are thin (a long name cut narrow inks 5–13 % of the arc).
    let name_ink = (45..r).map(at).fold(0.0, f32::max);
    let blank = (name_ink * 0.5).min(0.1);
    while r > 41 && at(r - 1) < blank {
        r -= 1;
    }
    let top = r;
    while r > 41 && at(r - 1) >= 0.05 {
        r -= 1;
    }
    let t_out = (top as f32 + 1.0) / 100.0;
    let t_in = ((r as f32 - 1.0) / 100.0).max(t_out - 0.45);
    (t_out - t_in >= 0.15).then_some((t_in, t_out))
}

/// The arc a round seal's name spans, clockwise from the lower left: the
/// widest arc of the band without ink that lies about the bottom is the
/// gap between the name's last and first characters. Seal makers spread
/// a name over anything from half the ring to nearly all of it, so a
/// fixed arc cuts the first character of some and adds empty ring to
/// others. A stamp's serial number (防伪码), set small along the border,
/// splits that gap, and a stamp may be set down turned far: so the inner
/// part of the band, which the serial does not reach, is searched too,
/// further round, and its gap is taken when it is clearly the wider
/// (the whole band's then ends at the serial). When neither shows a gap
/// (a legend reaching into the band), the usual arc.
pub(super) fn text_arc(ink: &GrayImage, t_in: f32, t_out: f32) -> (f32, f32) {
    let whole = gap_arc(ink, t_in, t_out, GAP_TILT);
    let inner = gap_arc(
        ink,
        t_in,
        t_in + (t_out - t_in) * INNER_PART,
        GAP_TILT_INNER,
    );
    // The arc read is 380° less the gap ([`gap_arc`]).
    let gap = |a: Option<(f32, f32)>| a.map_or(0.0, |(from, to)| 380.0 - (to - from));
    let arc = if gap(inner) >= gap(whole) + INNER_WIDER {
        inner
    } else {
        whole
    };
    arc.unwrap_or((RING_FROM, RING_TO))
}

/// How far from the bottom the gap's middle may lie, in degrees, on the
/// whole band; and on its inner part, where words of the name never
/// leave a gap as wide, so a stamp turned far is still read from its
/// first character.
const GAP_TILT: f32 = 50.0;
const GAP_TILT_INNER: f32 = 80.0;
/// Share of the band, from its inner edge, that a serial number set
/// small along the border does not reach.
const INNER_PART: f32 = 0.5;
/// How much wider (degrees) the inner part's gap must be to be taken: a
/// name's characters leave a few degrees more of it empty at their ends.
const INNER_WIDER: f32 = 20.0;

/// The arc of [`text_arc`] read from the widest gap of the band
/// `t_in`..`t_out` whose middle lies within `tilt` degrees of the bottom.
fn gap_arc(ink: &GrayImage, t_in: f32, t_out: f32, tilt: f32) -> Option<(f32, f32)> {
    const BINS: usize = 360;
    let radii = 12;
    let mut inked = [false; BINS];
    for (deg, slot) in inked.iter_mut().enumerate() {
        let dark = (0..radii)
            .filter(|k| {
                let t = t_in + (t_out - t_in) * *k as f32 / (radii - 1) as f32;
                ring_ink_at(ink, t, deg as f32)
            })
            .count();
        *slot = dark >= 4;
    }
    // Longest run of empty degrees (wrapping), as (start, length).
    let (mut best, mut run_start, mut run) = ((0usize, 0usize), 0usize, 0usize);
    for i in 0..2 * BINS {
        if inked[i % BINS] {
            run = 0;
        } else {
            if run == 0 {
                run_start = i;
            }
            run += 1;
            if run > best.1 && run <= BINS {
                best = (run_start % BINS, run);
            }
        }
    }
    let (start, len) = (best.0 as f32, best.1 as f32);
    let centre = (start + len / 2.0) % 360.0;
    // 90° is straight down in image angles.
    // Room at each end for thin strokes the profile misses (（）).
    ((25.0..=200.0).contains(&len) && (centre - 90.0).abs() <= tilt)
        .then_some((start + len - 10.0, start + 370.0))
}

/// Fraction of the radius where ring text lies, and the arc it spans.
pub(super) const RING_IN: f32 = 0.56;
pub(super) const RING_OUT: f32 = 0.87;
pub(super) const RING_FROM: f32 = 140.0;
pub(super) const RING_TO: f32 = 400.0;

/// The oval's inset band (fractions of the semi-minor axis) and arc.
pub(super) const OVAL_IN: f32 = 0.13;
pub(super) const OVAL_OUT: f32 = 0.52;
pub(super) const OVAL_FROM: f32 = 145.0;
pub(super) const OVAL_TO: f32 = 395.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_thin_strokes_is_banded_below_the_border() {
        let n = 440u32;
        let c = n as f32 / 2.0;
        let img = GrayImage::from_fn(n, n, |x, y| {
            let (dx, dy) = (x as f32 - c, y as f32 - c);
            let t = (dx * dx + dy * dy).sqrt() / c;
            let deg = dy.atan2(dx).to_degrees().rem_euclid(360.0);
            let border = (0.9..0.97).contains(&t);
            // Thin strokes: ink on a fourteenth of the arc, through the
            // name's depth.
            let name = (0.6..0.78).contains(&t) && (deg as u32).is_multiple_of(14);
            image::Luma([if border || name { 0 } else { 255 }])
        });
        let (t_in, t_out) = text_band(&img, (140.0, 400.0)).expect("a band");
        assert!(t_in <= 0.62 && t_out >= 0.76, "{t_in} {t_out}");
    }
}
