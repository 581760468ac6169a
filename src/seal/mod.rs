//! Red official seals (公章) on page images: found by colour (a red mask in
//! HSV terms) and shape (connected components whose ink lies on a ring or
//! a square border), several per page, over print or not. Each seal is
//! cropped; its curved text is unwrapped by a polar transform around the
//! fitted circle/ellipse (read clockwise from the lower left) and OCR'd as
//! one line, and the horizontal text below the centre (合同专用章…) is read
//! too. The crop is kept as PNG for the report.

use image::{DynamicImage, GrayImage, ImageFormat, Luma, RgbImage, imageops};

use crate::model::SealMark;
use crate::normalize::org::org_similarity;
use crate::ocr::engine::{self, Langs, Psm};

mod find;
pub use find::{
    Ellipse, Found, Shape, find, ink_class, is_red, may_have_seal, red_mask, white_balance,
};

/// Seal text read with less confidence than this (0–1) is left unread.
const MIN_CONFIDENCE: f32 = 0.4;

/// A seal's name matches an organization at this similarity or above.
pub const MATCH_SIMILARITY: f64 = 0.6;

/// Seal ink as dark on white, for OCR of the seal's text: a pixel's
/// darkness where it is red enough to be seal ink (its "redness", red
/// above the other channels, at least half its darkness), scaled so the
/// strongest ink is black. Black print is not red and drops out.
/// Continuous, not thresholded, so blurred strokes keep their holes.
pub fn ink_gray(rgb: &RgbImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    let redness: Vec<i32> = rgb
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
fn square_face(dark: &[bool], w: u32, h: u32) -> [u32; 4] {
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
fn grid_cells(profile: &[u32], max: usize) -> usize {
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

/// Reads a square seal's face in the traditional order: columns right to
/// left, each top to bottom. The grid is found from gaps in the ink
/// profiles (columns, then each column's rows); the cells are laid side
/// by side on one line for OCR. `None` when no grid of columns shows.
fn read_square_columns(ink: &GrayImage) -> Option<(String, f32, Vec<String>)> {
    let line = square_cells_line(ink)?;
    let (text, conf, alts) = read_scaled(
        &line,
        &[
            (100, 100, true),
            (100, 100, false),
            (75, 75, false),
            (75, 75, true),
            (60, 60, true),
        ],
    );
    Some((split_kind(&text), conf / 100.0, alts))
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

fn square_cells_line(ink: &GrayImage) -> Option<GrayImage> {
    let (w, h) = ink.dimensions();
    let thr = crate::ocr::raster::otsu(ink).clamp(80, 230);
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
    let fthr = crate::ocr::raster::otsu(&face).clamp(80, 230);
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
fn cells_line(ink: &GrayImage, boxes: &[[u32; 4]]) -> Option<GrayImage> {
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

/// Stretches grey levels so the image's darkest twentieth of inked
/// pixels is black.
fn stretch(img: &GrayImage) -> GrayImage {
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

/// Characters along a profile: runs of lines with more than `speck`
/// ink, each joined to the one before while together they span at most
/// `max_len` lines (a character's inner gaps are not gaps between
/// characters). Runs holding less than `min_ink` are specks (一 is flat
/// but long).
fn char_runs(profile: &[u32], speck: u32, max_len: usize, min_ink: u32) -> Vec<(usize, usize)> {
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

/// What a seal says it is for, ending its legend (…财务专用章): split off
/// after a space, as the centre text of a round seal is, so the name
/// alone is compared with the applicant.
const SEAL_KINDS: &[&str] = &["专用章", "之印", "公章", "印章"];

fn split_kind(text: &str) -> String {
    for k in SEAL_KINDS {
        if let Some(head) = text.strip_suffix(k) {
            // Two characters before 专用章 name the use (财务, 合同…).
            let n = if *k == "专用章" { 2 } else { 0 };
            let chars: Vec<char> = head.chars().collect();
            if chars.len() > n + 1 {
                let cut = chars.len() - n;
                let name: String = chars[..cut].iter().collect();
                let kind: String = chars[cut..].iter().collect();
                return format!("{name} {kind}{k}");
            }
        }
    }
    text.to_string()
}

/// Prepares an unwrapped band for OCR: rows near its edges that are inked
/// across most of the width are the ring's edge (the fit is never exact)
/// and are whitened; then the ink is stretched so the band's own darkest
/// strokes are black (a dense star elsewhere leaves the text pale).
fn clean_strip(strip: &GrayImage) -> GrayImage {
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
fn clear_rim_pieces(img: &mut GrayImage) {
    let (w, h) = img.dimensions();
    let rim = (h / 8).max(1);
    let mask: Vec<bool> = img.pixels().map(|p| p.0[0] < 200).collect();
    let (comps, labels) = crate::ocr::raster::components(&mask, w, h);
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

/// Keeps what a seal legend can hold: Chinese, Latin letters, digits and
/// brackets; drops OCR noise and spaces.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            let cjk_punct =
                ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FF0F}').contains(&c);
            (crate::ocr::is_cjk(c) && !cjk_punct)
                || c.is_ascii_alphanumeric()
                || "()（）".contains(c)
        })
        .collect()
}

/// Reads a one-line image at several scales (percent of width, percent
/// of height, binarized or grey) and keeps the [`consensus`] reading.
/// Also returns every non-empty reading, for the owner's error-tolerant
/// match (each variant misreads different characters).
fn read_scaled(img: &GrayImage, variants: &[(u32, u32, bool)]) -> (String, f32, Vec<String>) {
    let (w, h) = img.dimensions();
    let readings = variants
        .iter()
        .map(|&(kx, ky, bin)| {
            let scaled = imageops::resize(
                img,
                (w * kx / 100).max(1),
                (h * ky / 100).max(1),
                imageops::FilterType::Triangle,
            );
            read_as(&scaled, Psm::Line, bin)
        })
        .collect::<Vec<_>>();
    let all = distinct_readings(readings.iter().map(|(t, _)| t.as_str()));
    let (text, conf) = consensus(readings);
    (text, conf, all)
}

/// The non-empty readings, each once, in order.
fn distinct_readings<'a>(readings: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in readings {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// Of several readings of one image, the one closest (in edit distance)
/// to the others, ties to the more confident: tesseract misreads a
/// different character at each size, so the consensus beats the most
/// confident reading. Empty readings do not vote.
fn consensus(readings: Vec<(String, f32)>) -> (String, f32) {
    let rs: Vec<(Vec<char>, f32)> = readings
        .into_iter()
        .filter(|(t, _)| !t.is_empty())
        .map(|(t, c)| (t.chars().collect(), c))
        .collect();
    let cost = |i: usize| -> usize {
        rs.iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, r)| edit_distance(&rs[i].0, &r.0))
            .sum()
    };
    (0..rs.len())
        .min_by(|&i, &j| cost(i).cmp(&cost(j)).then(rs[j].1.total_cmp(&rs[i].1)))
        .map(|i| (rs[i].0.iter().collect(), rs[i].1))
        .unwrap_or((String::new(), 0.0))
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Brackets in a seal's name are parentheses: a seal never carries
/// 《》〈〉【】〔〕, which OCR reads for a blurred （ or ）. A name with an
/// opening bracket and no closing one lost the closer at the end of the
/// ring (it is the last glyph before the gap, where arcs and crops cut),
/// so it is closed after the last Chinese character.
fn seal_brackets(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .map(|c| match c {
            '〈' | '《' | '【' | '〔' | '（' => '(',
            '〉' | '》' | '】' | '〕' | '）' => ')',
            c => c,
        })
        .collect();
    let opens = s.matches('(').count();
    let closes = s.matches(')').count();
    if opens == closes + 1
        && let Some(open) = s.rfind('(')
        && !s[open..].contains(')')
        && let Some((last, c)) = s[open..]
            .char_indices()
            .rfind(|(_, c)| crate::ocr::is_cjk(*c))
    {
        s.insert(open + last + c.len_utf8(), ')');
    }
    s
}

/// Drops Latin letters and digits at the ends of each part of a seal's
/// text: a second seal's ring or the star's tips crossing the unwrapped
/// band read as stray letters there.
fn trim_latin_ends(text: &str) -> String {
    text.split(' ')
        .map(|p| p.trim_matches(|c: char| c.is_ascii_alphanumeric()))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pads an image with white so text does not touch the border.
fn pad(img: &GrayImage, by: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let mut out = GrayImage::from_pixel(w + 2 * by, h + 2 * by, Luma([255]));
    imageops::overlay(&mut out, img, by as i64, by as i64);
    out
}

fn read(img: &GrayImage, psm: Psm) -> (String, f32) {
    read_as(img, psm, true)
}

/// OCR of seal ink, binarized or as it is (grey keeps thin strokes that
/// Otsu's level breaks).
fn read_as(img: &GrayImage, psm: Psm, binarize: bool) -> (String, f32) {
    // Seal ink is faint and uneven: binarize at Otsu's level so strokes
    // are solid black for tesseract.
    let mut bin = img.clone();
    if binarize {
        let thr = crate::ocr::raster::otsu(img).clamp(80, 230);
        for p in bin.iter_mut() {
            *p = if *p < thr { 0 } else { 255 };
        }
    }
    let img = pad(&bin, 20);
    let (w, h) = img.dimensions();
    // Chinese alone: with English loaded, pale or blurred seal characters
    // come out as Latin letters.
    match engine::recognize_in(Langs::Chi, img.as_raw(), w, h, 300, psm) {
        Ok((words, conf)) => {
            let raw = crate::ocr::join_words(words.iter().map(|w| w.text.as_str()));
            // Brackets first: a blurred 「（」 reads as 「《」, which `clean`
            // would drop as punctuation.
            let text = clean(&crate::ocr::cjk_parens(&seal_brackets(&raw)));
            (text, conf)
        }
        Err(_) => (String::new(), 0.0),
    }
}

/// The unwrapped ring of a round seal crop, as OCR sees it.
pub fn ring_strip(crop: &RgbImage) -> GrayImage {
    let ink = ink_gray(&normalize_crop(crop));
    clean_strip(&unwrap_ring(&ink, RING_IN, RING_OUT, RING_FROM, RING_TO))
}

/// Whether a seal crop holds ink at fraction `t` of its radius, at image
/// angle `deg` (0° right, 90° down).
fn ring_ink_at(ink: &GrayImage, t: f32, deg: f32) -> bool {
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
fn text_band(ink: &GrayImage, (from, to): (f32, f32)) -> Option<(f32, f32)> {
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
    while r > 41 && at(r - 1) < 0.1 {
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
/// others. When no such gap shows (a legend or number reaching into the
/// band), the usual arc.
fn text_arc(ink: &GrayImage, t_in: f32, t_out: f32) -> (f32, f32) {
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
    if (25.0..=200.0).contains(&len) && (centre - 90.0).abs() <= 50.0 {
        // Room at each end for thin strokes the profile misses (（）).
        (start + len - 10.0, start + 370.0)
    } else {
        (RING_FROM, RING_TO)
    }
}

/// Fraction of the radius where ring text lies, and the arc it spans.
const RING_IN: f32 = 0.56;
const RING_OUT: f32 = 0.87;
const RING_FROM: f32 = 140.0;
const RING_TO: f32 = 400.0;

fn normalize_crop(crop: &RgbImage) -> RgbImage {
    imageops::resize(
        crop,
        440,
        440 * crop.height() / crop.width().max(1),
        imageops::FilterType::Triangle,
    )
}

/// What OCR made of a seal.
pub struct SealReading {
    /// Ring text, then the centre text after a space.
    pub text: String,
    /// 0–1.
    pub confidence: f32,
    /// Every reading of the name (band, size, binarization variants).
    pub alternatives: Vec<String>,
}

/// Reads a seal crop: the ring text (round seals) and the horizontal text
/// below the centre, or the whole face (square seals).
pub fn read_seal(crop: &RgbImage, shape: Shape) -> SealReading {
    let (text, confidence, alternatives) = read_seal_parts(crop, shape);
    SealReading {
        text,
        confidence,
        alternatives,
    }
}

fn read_seal_parts(crop: &RgbImage, shape: Shape) -> (String, f32, Vec<String>) {
    // Work at a fixed size: radius ≈ 220 px puts ring characters at about
    // 60 px, which tesseract reads well.
    let crop = normalize_crop(crop);
    let ink = ink_gray(&crop);
    match shape {
        Shape::Square => read_square_columns(&ink).unwrap_or_else(|| {
            let (t, c) = read(&ink, Psm::Block);
            let alts = distinct_readings(std::iter::once(t.as_str()));
            (t, c / 100.0, alts)
        }),
        Shape::Oval => read_oval(&ink),
        Shape::Round => {
            // Two bands: ring text sits a little deeper on some seals.
            let (mut ring, mut c1) = (String::new(), -1.0f32);
            let mut seen: Vec<String> = Vec::new();
            let bands = [
                (RING_IN, RING_OUT, RING_FROM, RING_TO),
                (RING_IN + 0.05, RING_OUT - 0.03, RING_FROM, RING_TO),
            ];
            // A third band and arc fitted to the seal, for seals the usual
            // ones read poorly: names set close to the border or deep,
            // spread over more or less of the ring than usual. Fitted only
            // when the loop gets that far.
            let fitted = || {
                let (t_in, t_out) = text_band(&ink, text_arc(&ink, RING_IN, RING_OUT))?;
                let (from, to) = text_arc(&ink, t_in, t_out);
                let f = (t_in, t_out, from, to);
                bands
                    .iter()
                    .all(|b| {
                        (b.0 - f.0).abs() > 0.02
                            || (b.1 - f.1).abs() > 0.02
                            || (b.2 - f.2).abs() > 5.0
                            || (b.3 - f.3).abs() > 5.0
                    })
                    .then_some(f)
            };
            let extra = std::iter::once_with(fitted).flatten();
            for (t_in, t_out, from, to) in bands.into_iter().chain(extra) {
                let strip = clean_strip(&unwrap_ring(&ink, t_in, t_out, from, to));
                // Seal glyphs are set loose; squeezed, split radicals
                // (阝+艮) join into one character again. Grey last: pale
                // thin strokes that binarizing breaks.
                let (sw, sh) = strip.dimensions();
                let squeeze = |k: u32| {
                    imageops::resize(&strip, sw * k / 100, sh, imageops::FilterType::Triangle)
                };
                for (k, bin) in [(100, true), (75, true), (60, true), (75, false)] {
                    let img = if k == 100 { strip.clone() } else { squeeze(k) };
                    let (t, c) = read_as(&img, Psm::Line, bin);
                    seen.push(t.clone());
                    if c > c1 {
                        (ring, c1) = (t, c);
                    }
                    // Confident enough: skip the remaining variants.
                    if c1 >= 88.0 {
                        break;
                    }
                }
                if c1 >= 88.0 {
                    break;
                }
            }
            let (w, h) = ink.dimensions();
            let bottom =
                imageops::crop_imm(&ink, w / 5, h * 67 / 100, w * 3 / 5, h * 19 / 100).to_image();
            let (text, conf) = legend_below(ring, c1, &bottom);
            (
                text,
                conf,
                distinct_readings(seen.iter().map(String::as_str)),
            )
        }
    }
}

/// The oval's inset band (fractions of the semi-minor axis) and arc.
const OVAL_IN: f32 = 0.13;
const OVAL_OUT: f32 = 0.52;
const OVAL_FROM: f32 = 145.0;
const OVAL_TO: f32 = 395.0;

/// Reads an oval seal: the name unwrapped along the upper arc, then the
/// horizontal legend below the centre.
fn read_oval(ink: &GrayImage) -> (String, f32, Vec<String>) {
    let strip = clean_strip(&unwrap_oval(
        ink,
        CROP_MARGIN,
        OVAL_IN,
        OVAL_OUT,
        OVAL_FROM,
        OVAL_TO,
    ));
    // Several sizes, grey and binarized: the reading closest to all the
    // others (each misreads a different character).
    let (ring, c1, alts) = read_scaled(
        &strip,
        &[
            (100, 100, false),
            (75, 75, false),
            (75, 75, true),
            (125, 125, true),
            (60, 75, false),
        ],
    );
    let (w, h) = ink.dimensions();
    let (a, b) = (w as f32 / 2.0 / CROP_MARGIN, h as f32 / 2.0 / CROP_MARGIN);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let bottom = imageops::crop_imm(
        ink,
        (cx - 0.55 * a) as u32,
        (cy + 0.22 * b) as u32,
        (1.1 * a) as u32,
        (0.42 * b) as u32,
    )
    .to_image();
    let (text, conf) = legend_below(ring, c1, &bottom);
    (text, conf, alts)
}

/// Joins the ring text with the horizontal legend read from `bottom`,
/// kept only when confident and Chinese (star tips and ring specks read
/// as stray letters).
fn legend_below(ring: String, c1: f32, bottom: &GrayImage) -> (String, f32) {
    let (below, c2, _) = read_scaled(
        bottom,
        &[
            (100, 100, false),
            (60, 60, true),
            (60, 60, false),
            (125, 125, false),
        ],
    );
    // Legends run three characters or more (专用章, 合同专用章); specks
    // read as a character or two.
    let cjk = below.chars().filter(|c| crate::ocr::is_cjk(*c)).count();
    if c2 >= 45.0 && cjk >= 3 {
        (format!("{ring} {below}"), (c1 * 2.0 + c2) / 3.0 / 100.0)
    } else {
        (ring, c1 / 100.0)
    }
}

/// Margin of [`crop_outline`] around the outline.
const CROP_MARGIN: f32 = 1.04;

/// The seal's square around its outline (a little margin), white where
/// it reaches past the image edge, so the ring's centre is the crop's.
pub fn crop_outline(img: &DynamicImage, e: &Ellipse) -> RgbImage {
    let (rx, ry) = (e.rx * CROP_MARGIN, e.ry * CROP_MARGIN);
    let (x0, y0) = ((e.cx - rx).round() as i64, (e.cy - ry).round() as i64);
    let (cw, ch) = (
        ((2.0 * rx).round() as u32).max(1),
        ((2.0 * ry).round() as u32).max(1),
    );
    let mut out = RgbImage::from_pixel(cw, ch, image::Rgb([255, 255, 255]));
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (sx0, sy0) = (x0.clamp(0, w), y0.clamp(0, h));
    let (sx1, sy1) = ((x0 + cw as i64).clamp(0, w), (y0 + ch as i64).clamp(0, h));
    if sx1 > sx0 && sy1 > sy0 {
        let part = img
            .crop_imm(
                sx0 as u32,
                sy0 as u32,
                (sx1 - sx0) as u32,
                (sy1 - sy0) as u32,
            )
            .to_rgb8();
        imageops::overlay(&mut out, &part, sx0 - x0, sy0 - y0);
    }
    out
}

/// Finds and reads every seal on a page image at `dpi`. Boxes are in
/// points of the page as scanned.
pub fn detect(img: &DynamicImage, page: u32, dpi: f32) -> Vec<SealMark> {
    let mut out = Vec::new();
    for f in find(img, dpi) {
        let [x0, y0, x1, y1] = f.rect;
        let crop = match f.shape {
            Shape::Round | Shape::Oval => crop_outline(img, &f.outline),
            Shape::Square => img.crop_imm(x0, y0, x1 - x0, y1 - y0).to_rgb8(),
        };
        let SealReading {
            text,
            confidence,
            alternatives,
        } = read_seal(&crop, f.shape);
        // Seal legends are Chinese: Latin noise means the text is unread
        // (the seal is still reported, with its crop, for the reviewer).
        // A reading below `MIN_CONFIDENCE` is mostly wrong characters,
        // which would make a seal look like another organization's.
        // Brackets were made full-width where the text was read (read_as).
        let text = trim_latin_ends(&text);
        let cjk = text.chars().filter(|c| crate::ocr::is_cjk(*c)).count();
        let (text, confidence) = if cjk >= 2 && confidence >= MIN_CONFIDENCE {
            (text, confidence)
        } else {
            (String::new(), 0.0)
        };
        let mut png = Vec::new();
        let _ = DynamicImage::ImageRgb8(crop)
            .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png);
        let pt = |v: u32| (v as f32 * 72.0 / dpi * 10.0).round() / 10.0;
        out.push(SealMark {
            page: Some(page),
            bbox: Some([pt(x0), pt(y0), pt(x1), pt(y1)]),
            text,
            shape: Some(f.shape.name().to_string()),
            confidence: (confidence * 100.0).round() / 100.0,
            readings: alternatives
                .iter()
                .map(|t| trim_latin_ends(t))
                .filter(|t| t.chars().filter(|c| crate::ocr::is_cjk(*c)).count() >= 2)
                .collect(),
            crop_png: png,
        });
    }
    out
}

/// Resolution placed seal images are searched at: seal reading is tuned
/// to 150-dpi scans, and sharper images read worse.
const PLACED_DPI: f32 = 150.0;

/// Seals on an image placed on a born-digital page (an electronic seal
/// over a PDF's signature line, a stamp pasted into a DOCX). `placed` is
/// where the image is drawn, in points; boxes come back in those
/// coordinates. Transparency must already be laid on white.
pub fn detect_placed(img: DynamicImage, page: u32, placed: crate::model::BBox) -> Vec<SealMark> {
    let bw = (placed[2] - placed[0]).max(1.0);
    let mut img = img;
    let mut dpi = (img.width() as f32 / bw * 72.0).clamp(36.0, 1200.0);
    if dpi > PLACED_DPI {
        let f = PLACED_DPI / dpi;
        let (w, h) = (
            (img.width() as f32 * f).round() as u32,
            (img.height() as f32 * f).round() as u32,
        );
        img = img.resize_exact(w.max(1), h.max(1), image::imageops::FilterType::Triangle);
        dpi = PLACED_DPI;
    }
    if !may_have_seal(&img, dpi) {
        return Vec::new();
    }
    // A seal image is cut to the seal's edge; the finder wants paper
    // around it, as on a page.
    let pad = img.width().max(img.height()) / 5;
    let mut paper = RgbImage::from_pixel(
        img.width() + 2 * pad,
        img.height() + 2 * pad,
        image::Rgb([255, 255, 255]),
    );
    image::imageops::overlay(&mut paper, &img.to_rgb8(), pad as i64, pad as i64);
    let mut marks = detect(&DynamicImage::ImageRgb8(paper), page, dpi);
    let off = pad as f32 * 72.0 / dpi;
    for m in &mut marks {
        if let Some(b) = &mut m.bbox {
            *b = [
                b[0] - off + placed[0],
                b[1] - off + placed[1],
                b[2] - off + placed[0],
                b[3] - off + placed[1],
            ];
        }
    }
    marks
}

/// Whether a seal's text names `org`: the ring text (before the centre
/// text) compared with [`org_similarity`]; a seal read partly still
/// matches when the name is contained in it.
pub fn seal_matches(seal_text: &str, org: &str) -> bool {
    similarity(seal_text, org) >= MATCH_SIMILARITY
}

/// Best similarity of the seal text (whole, or its ring part) to `org`,
/// also with brackets dropped from both: OCR of a seal loses or turns
/// them half-width (中国石油大学华东) while the letter's name keeps them.
pub fn similarity(seal_text: &str, org: &str) -> f64 {
    let ring = seal_text.split(' ').next().unwrap_or(seal_text);
    let bare = |s: &str| -> String { s.chars().filter(|c| !"()（）".contains(*c)).collect() };
    let bare_org = bare(org);
    org_similarity(ring, org)
        .max(org_similarity(seal_text, org))
        .max(org_similarity(&bare(ring), &bare_org))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_is_red_gold_is_not() {
        assert!(is_red(220, 30, 40));
        assert!(is_red(230, 120, 120)); // faded ink
        assert!(!is_red(212, 175, 55)); // gold
        assert!(!is_red(30, 30, 30));
        assert!(!is_red(250, 250, 250));
        assert!(!is_red(230, 140, 30)); // orange
    }

    #[test]
    fn seal_ink_is_red_and_dark_not_black_print() {
        let mut rgb = RgbImage::from_pixel(4, 1, image::Rgb([255, 255, 255]));
        rgb.put_pixel(0, 0, image::Rgb([200, 30, 40])); // seal ink
        rgb.put_pixel(1, 0, image::Rgb([20, 20, 20])); // black print
        rgb.put_pixel(2, 0, image::Rgb([250, 200, 200])); // pale pink haze
        let ink = ink_gray(&rgb);
        let v: Vec<u8> = ink.pixels().map(|p| p.0[0]).collect();
        assert!(v[0] < 40, "{v:?}");
        assert_eq!(v[1], 255, "{v:?}");
        // Pink haze is red but bright: far paler than the ink.
        assert!(v[2] > 150, "{v:?}");
        assert_eq!(v[3], 255);
    }

    #[test]
    fn rim_pieces_go_and_characters_stay() {
        let (w, h) = (200, 40);
        let mut img = GrayImage::from_pixel(w, h, Luma([255]));
        // A broken bit of the ring's edge along the top rows.
        for x in 10..60 {
            for y in 0..2 {
                img.put_pixel(x, y, Luma([120]));
            }
        }
        // A character: 十 in the middle rows.
        for k in 10..30 {
            img.put_pixel(100, k, Luma([0]));
            img.put_pixel(90 + k - 10, 20, Luma([0]));
        }
        // A short top stroke near the rim (三's first stroke) stays.
        for x in 140..150 {
            img.put_pixel(x, 3, Luma([0]));
        }
        clear_rim_pieces(&mut img);
        assert!((10..60).all(|x| img.get_pixel(x, 0).0[0] == 255));
        assert_eq!(img.get_pixel(100, 15).0[0], 0);
        assert_eq!(img.get_pixel(95, 20).0[0], 0);
        assert_eq!(img.get_pixel(145, 3).0[0], 0);
    }

    #[test]
    fn seal_brackets_are_parentheses_and_closed() {
        assert_eq!(seal_brackets("中国石油大学《华东"), "中国石油大学(华东)");
        assert_eq!(seal_brackets("中国石油大学〈华东)"), "中国石油大学(华东)");
        assert_eq!(seal_brackets("中国石油大学(华东1"), "中国石油大学(华东)1");
        assert_eq!(seal_brackets("山东大学"), "山东大学");
        assert_eq!(seal_brackets("中国石油大学华东)"), "中国石油大学华东)");
    }

    /// Ink blobs on a ring of radius `t` (fraction) over `from..to` degrees.
    fn ring_of_blobs(t: f32, from: i32, to: i32) -> GrayImage {
        let mut img = GrayImage::from_pixel(400, 400, Luma([255]));
        for deg in (from..to).step_by(2) {
            if deg % 20 >= 14 {
                continue; // gaps between characters
            }
            let a = (deg as f32).to_radians();
            for k in -20..=20 {
                let r = 200.0 * t + k as f32;
                let (x, y) = (200.0 + r * a.cos(), 200.0 + r * a.sin());
                img.put_pixel(x as u32, y as u32, Luma([0]));
            }
        }
        img
    }

    #[test]
    fn text_arc_follows_the_gap_at_the_bottom() {
        // A name from 170° clockwise over the top to 370° (10°).
        let img = ring_of_blobs(0.7, 170, 370);
        let (from, to) = text_arc(&img, RING_IN, RING_OUT);
        assert!((150.0..=170.0).contains(&from), "{from}");
        assert!((365.0..=390.0).contains(&to), "{to}");
        // No gap at the bottom: the usual arc.
        let full = ring_of_blobs(0.7, 0, 360);
        assert_eq!(text_arc(&full, RING_IN, RING_OUT), (RING_FROM, RING_TO));
    }

    #[test]
    fn text_band_reaches_from_the_border_to_the_name_s_foot() {
        let mut img = ring_of_blobs(0.7, 170, 370);
        // The border: a heavy ring at 0.93–0.97 of the radius.
        for deg in 0..3600 {
            let a = (deg as f32 / 10.0).to_radians();
            for r in 186..=194 {
                let (x, y) = (200.0 + r as f32 * a.cos(), 200.0 + r as f32 * a.sin());
                img.put_pixel(x as u32, y as u32, Luma([0]));
            }
        }
        let (t_in, t_out) = text_band(&img, (170.0, 370.0)).expect("a band");
        // Blobs span 0.6–0.8 of the radius.
        assert!((0.57..=0.61).contains(&t_in), "{t_in}");
        assert!((0.80..=0.84).contains(&t_out), "{t_out}");
        // Without a border there is nothing to fit to.
        assert!(text_band(&ring_of_blobs(0.7, 170, 370), (170.0, 370.0)).is_none());
    }

    #[test]
    fn stretch_makes_pale_strokes_black() {
        let mut img = GrayImage::from_pixel(20, 20, Luma([255]));
        for k in 0..20 {
            img.put_pixel(k, 10, Luma([150]));
        }
        let out = stretch(&img);
        assert!(out.get_pixel(5, 10).0[0] < 20);
        assert_eq!(out.get_pixel(5, 5).0[0], 255);
    }

    #[test]
    fn ring_is_found_and_text_is_not() {
        let mut img = RgbImage::from_pixel(800, 800, image::Rgb([255, 255, 255]));
        // A 200 px ring at 150 dpi (≈34 mm).
        for y in 0..800u32 {
            for x in 0..800u32 {
                let d = ((x as f32 - 400.0).powi(2) + (y as f32 - 300.0).powi(2)).sqrt();
                if (92.0..100.0).contains(&d) || d < 10.0 {
                    img.put_pixel(x, y, image::Rgb([210, 30, 30]));
                }
            }
        }
        // A red text bar: wide, not a seal.
        for y in 600..640 {
            for x in 100..700 {
                if (x / 12) % 2 == 0 {
                    img.put_pixel(x, y, image::Rgb([210, 30, 30]));
                }
            }
        }
        let found = find(&DynamicImage::ImageRgb8(img), 150.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].shape, Shape::Round);
        let [x0, y0, x1, y1] = found[0].rect;
        assert!(
            x0.abs_diff(300) < 6
                && y0.abs_diff(200) < 6
                && x1.abs_diff(500) < 6
                && y1.abs_diff(400) < 6
        );
    }

    /// A page with an elliptical ring (45×30 mm at 150 dpi) and a square
    /// border (25 mm), each with some ink inside.
    fn oval_and_square_page() -> RgbImage {
        let mut img = RgbImage::from_pixel(1000, 700, image::Rgb([255, 255, 255]));
        let red = image::Rgb([210, 30, 30]);
        for y in 0..700u32 {
            for x in 0..1000u32 {
                let (dx, dy) = ((x as f32 - 300.0) / 133.0, (y as f32 - 300.0) / 89.0);
                let t = (dx * dx + dy * dy).sqrt();
                let text = (280..320).contains(&x) && (290..310).contains(&y);
                if (0.93..1.0).contains(&t) || text {
                    img.put_pixel(x, y, red);
                }
                let (sx, sy) = (x as i32 - 700, y as i32 - 300);
                let border = sx.abs() < 74 && sy.abs() < 74 && (sx.abs() >= 65 || sy.abs() >= 65);
                let glyph = sx.abs() < 40 && sy.abs() < 40 && (sx % 12).abs() < 4;
                if border || glyph {
                    img.put_pixel(x, y, red);
                }
            }
        }
        img
    }

    #[test]
    fn oval_and_square_are_found_with_their_shapes() {
        let mut found = find(&DynamicImage::ImageRgb8(oval_and_square_page()), 150.0);
        found.sort_by_key(|f| f.rect[0]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].shape, Shape::Oval);
        let [x0, y0, x1, y1] = found[0].rect;
        assert!(
            x0.abs_diff(167) < 6 && x1.abs_diff(433) < 6,
            "{:?}",
            found[0]
        );
        assert!(
            y0.abs_diff(211) < 6 && y1.abs_diff(389) < 6,
            "{:?}",
            found[0]
        );
        assert_eq!(found[1].shape, Shape::Square);
    }

    #[test]
    fn seal_kind_is_split_off() {
        assert_eq!(split_kind("山东大学财务专用章"), "山东大学 财务专用章");
        assert_eq!(split_kind("山东大学"), "山东大学");
        assert_eq!(
            trim_latin_ends("WZ齐鲁工业大学 合同专用章a"),
            "齐鲁工业大学 合同专用章"
        );
    }

    #[test]
    fn split_characters_stay_whole() {
        // 三-like: three strokes within one character height, then a gap
        // and the next character.
        let mut p = vec![0u32; 100];
        for r in [0..4, 12..16, 26..30, 45..75] {
            for v in &mut p[r] {
                *v = 10;
            }
        }
        p[90] = 5;
        assert_eq!(char_runs(&p, 1, 34, 20), vec![(0, 30), (45, 75)]);
    }

    #[test]
    fn matching() {
        assert!(seal_matches("山东大学 合同专用章", "山东大学"));
        // Brackets lost or half-width on the seal, one character misread.
        assert!(seal_matches("中国五油大学华东)", "中国石油大学（华东）"));
        assert!(!seal_matches("青岛农业大学", "中国石油大学（华东）"));
        assert!(!seal_matches("青岛科技大学", "山东大学"));
    }
}
