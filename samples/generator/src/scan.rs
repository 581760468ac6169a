//! Scanned variants: form pages rendered to images with a CJK font (Noto
//! Sans CJK, needed at generation time only), then degraded like a scan —
//! 0.5–3° rotation, blur, noise, JPEG; pages turned 90/180/270° — and sealed
//! pages with realistic red seals: round (ring, five-pointed star,
//! organization name along the arc, optional bottom text), oval (45×30 mm,
//! name along the upper arc, bottom legend) and square (name and kind in
//! columns read right to left), one or two per page, partly transparent
//! over the print, uneven ink. `write_batch` writes the committed inbox of JPEGs
//! and a `truth.jsonl` (fields and seals per page); `write_random_batch`
//! any number of randomly varied pages (also 180°/270°, 200/300 dpi).

use std::io::Cursor;
use std::path::Path;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use anyhow::{Context, Result};
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::json;

use crate::rng::Rng;

/// Fonts tried, in order, with the face index of Simplified Chinese.
const FONTS: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
];

/// Loads a CJK font's bytes and face index.
pub fn load_font() -> Result<(Vec<u8>, u32)> {
    for (path, idx) in FONTS {
        if let Ok(b) = std::fs::read(path) {
            return Ok((b, *idx));
        }
    }
    anyhow::bail!("no CJK font found: install fonts-noto-cjk")
}

/// Resolution pages are rendered at.
pub const DPI: f32 = 150.0;

/// The form's content.
#[derive(Debug, Clone)]
pub struct ScanForm {
    pub project_name: String,
    pub applicant: String,
    pub pi_name: String,
    pub country_zh: String,
    pub country_iso: String,
    pub partner: String,
}

/// Outline of a generated seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SealShape {
    /// Round 公章: ring, star, name along the arc.
    #[default]
    Round,
    /// Oval (45×30 mm): elliptical ring, name along the upper arc, small
    /// star, optional horizontal legend below (财务专用章…).
    Oval,
    /// Square (25 mm): border, legend (name then `bottom`) in columns
    /// read right to left, each top to bottom, as on traditional 方形印章.
    Square,
}

impl SealShape {
    pub fn name(self) -> &'static str {
        match self {
            SealShape::Round => "round",
            SealShape::Oval => "oval",
            SealShape::Square => "square",
        }
    }
}

/// A seal to stamp.
#[derive(Debug, Clone)]
pub struct SealSpec {
    pub org: String,
    pub bottom: Option<String>,
    pub shape: SealShape,
}

/// How one page is made.
#[derive(Debug, Clone, Default)]
pub struct PageOpts {
    pub skew_deg: f32,
    pub blur: bool,
    /// Clockwise turn of the whole page as scanned: 0, 90, 180 or 270.
    pub turn: u16,
    pub jpeg_quality: u8,
    pub seal: Option<SealSpec>,
    /// Blur radius when `blur` (0 means the default 0.8).
    pub blur_sigma: f32,
    /// Noise amplitude, ± grey levels (0 means the default 8).
    pub noise: u8,
    /// Light falling off across the page, as on a phone photo taken under
    /// a lamp: the darkest corner keeps `1 − shade` of its brightness (0:
    /// evenly lit, as a scanner lights it).
    pub shade: f32,
}

/// Alpha-blends `color` at coverage `a` (multiply, so print under seal ink
/// stays dark, as with real stamp ink).
pub(crate) fn blend(img: &mut RgbImage, x: i32, y: i32, color: [u8; 3], a: f32) {
    if x < 0 || y < 0 || x as u32 >= img.width() || y as u32 >= img.height() || a <= 0.0 {
        return;
    }
    let p = img.get_pixel_mut(x as u32, y as u32);
    for (v, c) in p.0.iter_mut().zip(color) {
        let mult = *v as f32 * c as f32 / 255.0;
        *v = (*v as f32 * (1.0 - a) + mult * a).round() as u8;
    }
}

/// Draws `text` with its top-left at (x, y), `px` high; returns the advance.
pub fn draw_text(
    img: &mut RgbImage,
    font: &FontRef,
    x: f32,
    y: f32,
    px: f32,
    text: &str,
    color: [u8; 3],
) -> f32 {
    let sf = font.as_scaled(PxScale::from(px));
    let mut pen = x;
    for c in text.chars() {
        let id = sf.glyph_id(c);
        let g =
            id.with_scale_and_position(PxScale::from(px), ab_glyph::point(pen, y + sf.ascent()));
        if let Some(o) = font.outline_glyph(g) {
            let b = o.px_bounds();
            o.draw(|gx, gy, cov| {
                blend(
                    img,
                    b.min.x as i32 + gx as i32,
                    b.min.y as i32 + gy as i32,
                    color,
                    cov,
                );
            });
        }
        pen += sf.h_advance(id);
    }
    pen - x
}

pub(crate) fn text_width(font: &FontRef, px: f32, text: &str) -> f32 {
    let sf = font.as_scaled(PxScale::from(px));
    text.chars().map(|c| sf.h_advance(sf.glyph_id(c))).sum()
}

fn rect(img: &mut RgbImage, x0: i32, y0: i32, x1: i32, y1: i32, color: [u8; 3]) {
    for y in y0..y1 {
        for x in x0..x1 {
            blend(img, x, y, color, 1.0);
        }
    }
}

/// A one-page letter on A4 at `dpi` (the CJK font of [`load_font`]): a
/// centred title, then `lines` from the left margin in 12 pt, 1.8 apart.
/// For tests of reading order on skewed scans (see [`degrade`]).
pub fn render_letter(title: &str, lines: &[&str], dpi: f32) -> Result<RgbImage> {
    let (bytes, idx) = load_font()?;
    let font = FontRef::try_from_slice_and_index(&bytes, idx).context("font")?;
    let (w, h) = ((8.27 * dpi) as u32, (11.69 * dpi) as u32);
    let mut img = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    let black = [20, 20, 20];
    let px = dpi * 12.0 / 72.0;
    let tw = text_width(&font, px * 1.4, title);
    draw_text(
        &mut img,
        &font,
        (w as f32 - tw) / 2.0,
        dpi * 1.2,
        px * 1.4,
        title,
        black,
    );
    let mut y = dpi * 1.2 + px * 3.5;
    for line in lines {
        draw_text(&mut img, &font, dpi * 1.0, y, px, line, black);
        y += px * 1.8;
    }
    Ok(img)
}

/// A one-page form at [`DPI`]: title, a ruled label/value table, a
/// signature line.
pub fn render_form(form: &ScanForm, font: &FontRef) -> RgbImage {
    render_form_at(form, font, DPI)
}

/// The form rendered at `dpi`.
pub fn render_form_at(form: &ScanForm, font: &FontRef, dpi: f32) -> RgbImage {
    let (w, h) = ((8.27 * dpi) as u32, (11.69 * dpi) as u32);
    let mut img = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    let black = [20, 20, 20];
    let px = dpi * 14.0 / 72.0;
    let title = "山东省国际科技合作项目指南建议表";
    let tw = text_width(font, px * 1.3, title);
    draw_text(
        &mut img,
        font,
        (w as f32 - tw) / 2.0,
        dpi * 0.9,
        px * 1.3,
        title,
        black,
    );
    let rows = [
        ("项目名称", form.project_name.as_str()),
        ("建议单位", form.applicant.as_str()),
        ("项目负责人", form.pi_name.as_str()),
        ("合作国别", form.country_zh.as_str()),
        ("外方合作单位", form.partner.as_str()),
        ("执行期限", "2026年1月至2027年12月"),
    ];
    let (x0, x1, xm) = (dpi * 0.9, w as f32 - dpi * 0.9, dpi * 2.6);
    let row_h = dpi * 0.55;
    let top = dpi * 1.6;
    let lw = (dpi / 75.0).max(2.0) as i32;
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = top + i as f32 * row_h;
        draw_text(
            &mut img,
            font,
            x0 + dpi * 0.12,
            y + (row_h - px) / 2.0 - px * 0.1,
            px,
            label,
            black,
        );
        draw_text(
            &mut img,
            font,
            xm + dpi * 0.12,
            y + (row_h - px) / 2.0 - px * 0.1,
            px,
            value,
            black,
        );
    }
    for i in 0..=rows.len() {
        let y = (top + i as f32 * row_h) as i32;
        rect(&mut img, x0 as i32, y, x1 as i32, y + lw, black);
    }
    let bottom = (top + rows.len() as f32 * row_h) as i32 + lw;
    for x in [x0, xm, x1 - lw as f32] {
        rect(&mut img, x as i32, top as i32, x as i32 + lw, bottom, black);
    }
    let y = bottom as f32 + dpi * 1.2;
    draw_text(&mut img, font, dpi * 4.6, y, px, "建议单位（盖章）", black);
    draw_text(
        &mut img,
        font,
        dpi * 4.6,
        y + dpi * 0.5,
        px,
        "2025年11月20日",
        black,
    );
    img
}

/// Stamps a round seal centred at (cx, cy) with radius `r` (pixels).
pub fn stamp_seal(
    img: &mut RgbImage,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    r: f32,
    rng: &mut Rng,
) {
    let alpha = ink_field(rng);
    let layer = round_layer(img.width(), img.height(), font, spec, cx, cy, r, true);
    ink_layer(img, &layer, [cx - r, cy - r, cx + r, cy + r], alpha);
}

/// A stamp's serial number (防伪码) on a round seal's `layer`: digits set
/// small just inside the border, centred on the bottom, read left to
/// right with their tops toward the centre.
#[allow(clippy::too_many_arguments)]
pub fn serial_layer(
    layer: &mut [f32],
    w: u32,
    h: u32,
    font: &FontRef,
    digits: &str,
    cx: f32,
    cy: f32,
    r: f32,
) {
    let px = r * 0.11;
    let rad = r * 0.84;
    // A digit is about half an em wide.
    let step = (px * 0.55 / rad).to_degrees();
    let n = digits.chars().count() as f32;
    for (i, c) in digits.chars().enumerate() {
        // Left to right along the bottom is anticlockwise in image angles.
        let deg = 90.0 + step * ((n - 1.0) / 2.0 - i as f32);
        let a = deg.to_radians();
        let (gx, gy) = (cx + rad * a.cos(), cy + rad * a.sin());
        let rot = a - std::f32::consts::FRAC_PI_2;
        draw_glyph_rotated(layer, w as i32, h as i32, font, c, px, gx, gy, rot);
    }
}

/// A round seal's ink coverage (0–1) over a `w`×`h` page: ring, star
/// (when `star`), name along the arc, optional bottom text.
#[allow(clippy::too_many_arguments)]
pub fn round_layer(
    w: u32,
    h: u32,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    r: f32,
    star: bool,
) -> Vec<f32> {
    let mut layer = vec![0f32; (w * h) as usize];
    let (w, h) = (w as i32, h as i32);
    let put = |layer: &mut Vec<f32>, x: i32, y: i32, a: f32| {
        if x >= 0 && y >= 0 && x < w && y < h {
            let i = (y * w + x) as usize;
            layer[i] = layer[i].max(a);
        }
    };
    // Ring.
    let th = r * 0.07;
    for y in (cy - r - 2.0) as i32..=(cy + r + 2.0) as i32 {
        for x in (cx - r - 2.0) as i32..=(cx + r + 2.0) as i32 {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            let cov = ((r - d).min(d - (r - th)) + 0.5).clamp(0.0, 1.0);
            put(&mut layer, x, y, cov);
        }
    }
    // Five-pointed star.
    if star {
        star_layer(&mut layer, w, h, cx, cy, r * 0.28);
    }
    // Name along the arc, tops outward, clockwise from the lower left.
    let chars: Vec<char> = spec.org.chars().collect();
    let n = chars.len().max(1) as f32;
    let span = (n * 22.0).clamp(150.0, 250.0);
    let start = 270.0 - span / 2.0;
    let gpx = r * 0.30;
    let rad = r * 0.72;
    // A long name's characters are cut narrower to fit the ring, as on
    // oval seals, never set over one another.
    let pitch = (span / n).to_radians() * rad;
    let sx = (pitch / 1.05 / gpx).min(1.0);
    for (i, c) in chars.iter().enumerate() {
        let deg = start + span * (i as f32 + 0.5) / n;
        let a = deg.to_radians();
        let (gx, gy) = (cx + rad * a.cos(), cy + rad * a.sin());
        // The glyph's up direction points away from the centre.
        let rot = a + std::f32::consts::FRAC_PI_2;
        draw_glyph_condensed(&mut layer, w, h, font, *c, gpx, gx, gy, rot, sx);
    }
    if let Some(bottom) = &spec.bottom {
        let bpx = r * 0.2;
        let bw = text_width(font, bpx, bottom);
        let mut tmp =
            RgbImage::from_pixel((bw + 4.0) as u32, (bpx * 1.4) as u32, Rgb([255, 255, 255]));
        draw_text(&mut tmp, font, 2.0, 0.0, bpx, bottom, [0, 0, 0]);
        let (ox, oy) = ((cx - bw / 2.0) as i32, (cy + r * 0.42) as i32);
        for (x, y, p) in tmp.enumerate_pixels() {
            put(
                &mut layer,
                ox + x as i32,
                oy + y as i32,
                1.0 - p.0[0] as f32 / 255.0,
            );
        }
    }
    layer
}

/// Uneven ink as for round seals: a smooth random field, about 0.66–0.98.
pub(crate) fn ink_field(rng: &mut Rng) -> impl Fn(f32, f32) -> f32 + use<> {
    let (p1, p2, p3) = (
        rng.range(0, 628) as f32 / 100.0,
        rng.range(0, 628) as f32 / 100.0,
        rng.range(0, 628) as f32 / 100.0,
    );
    move |x: f32, y: f32| {
        let v = (x / 37.0 + p1).sin() * (y / 23.0 + p2).cos() + (0.5 * (x + y) / 51.0 + p3).sin();
        0.82 + 0.16 * v.clamp(-1.5, 1.5) / 1.5
    }
}

/// Blends a coverage layer onto the page in seal ink within `[x0, y0, x1, y1]`.
fn ink_layer(img: &mut RgbImage, layer: &[f32], bounds: [f32; 4], alpha: impl Fn(f32, f32) -> f32) {
    let ink = [205, 25, 35];
    let (w, h) = (img.width() as i32, img.height() as i32);
    for y in (bounds[1] - 3.0) as i32..=(bounds[3] + 3.0) as i32 {
        for x in (bounds[0] - 3.0) as i32..=(bounds[2] + 3.0) as i32 {
            if x >= 0 && y >= 0 && x < w && y < h {
                let a = layer[(y * w + x) as usize];
                if a > 0.0 {
                    blend(img, x, y, ink, a * alpha(x as f32, y as f32));
                }
            }
        }
    }
}

/// Draws a five-pointed star of radius `sr` centred at (cx, cy).
fn star_layer(layer: &mut [f32], w: i32, h: i32, cx: f32, cy: f32, sr: f32) {
    let star: Vec<(f32, f32)> = (0..10)
        .map(|k| {
            let a = -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
            let rr = if k % 2 == 0 { sr } else { sr * 0.4 };
            (cx + rr * a.cos(), cy + rr * a.sin())
        })
        .collect();
    for y in (cy - sr) as i32..=(cy + sr) as i32 {
        for x in (cx - sr) as i32..=(cx + sr) as i32 {
            if x >= 0 && y >= 0 && x < w && y < h && inside(&star, x as f32 + 0.5, y as f32 + 0.5) {
                let i = (y * w + x) as usize;
                layer[i] = 1.0;
            }
        }
    }
}

/// Draws horizontal `text`, `px` high, centred on (cx, top..).
#[allow(clippy::too_many_arguments)]
fn text_layer(
    layer: &mut [f32],
    w: i32,
    h: i32,
    font: &FontRef,
    text: &str,
    px: f32,
    cx: f32,
    top: f32,
) {
    let tw = text_width(font, px, text);
    let mut tmp = RgbImage::from_pixel((tw + 4.0) as u32, (px * 1.4) as u32, Rgb([255, 255, 255]));
    draw_text(&mut tmp, font, 2.0, 0.0, px, text, [0, 0, 0]);
    let (ox, oy) = ((cx - tw / 2.0) as i32, top as i32);
    for (x, y, p) in tmp.enumerate_pixels() {
        let (x, y) = (ox + x as i32, oy + y as i32);
        if x >= 0 && y >= 0 && x < w && y < h {
            let i = (y * w + x) as usize;
            layer[i] = layer[i].max(1.0 - p.0[0] as f32 / 255.0);
        }
    }
}

/// Stamps an oval seal centred at (cx, cy) with semi-axes `a` × `b`
/// (pixels, `a` horizontal): elliptical ring, the name along the upper
/// arc (tops outward, clockwise from the lower left, spaced evenly along
/// the arc), a small star, the bottom legend horizontal below it.
#[allow(clippy::too_many_arguments)]
pub fn stamp_oval(
    img: &mut RgbImage,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    a: f32,
    b: f32,
    rng: &mut Rng,
) {
    let alpha = ink_field(rng);
    let layer = oval_layer(img.width(), img.height(), font, spec, cx, cy, a, b, true);
    ink_layer(img, &layer, [cx - a, cy - b, cx + a, cy + b], alpha);
}

/// An oval seal's ink coverage over a `w`×`h` page (see [`stamp_oval`]).
#[allow(clippy::too_many_arguments)]
pub fn oval_layer(
    w: u32,
    h: u32,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    a: f32,
    b: f32,
    star: bool,
) -> Vec<f32> {
    let (w, h) = (w as i32, h as i32);
    let mut layer = vec![0f32; (w * h) as usize];
    // Ring: distance to the outline approximated by the algebraic distance
    // scaled by the gradient (good for thin rings).
    let th = b * 0.08;
    for y in (cy - b - 2.0) as i32..=(cy + b + 2.0) as i32 {
        for x in (cx - a - 2.0) as i32..=(cx + a + 2.0) as i32 {
            if x < 0 || y < 0 || x >= w || y >= h {
                continue;
            }
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let f = (dx / a).powi(2) + (dy / b).powi(2) - 1.0;
            let g = 2.0 * ((dx / (a * a)).powi(2) + (dy / (b * b)).powi(2)).sqrt();
            let d = -f / g.max(1e-6); // > 0 inside
            let cov = ((d + 0.5).min(th - d + 0.5)).clamp(0.0, 1.0);
            let i = (y * w + x) as usize;
            layer[i] = layer[i].max(cov);
        }
    }
    // Name along the upper arc: glyph centres on the curve at `inset`
    // inside the outline, equal steps of arc length.
    let chars: Vec<char> = spec.org.chars().collect();
    let n = chars.len().max(1);
    let gpx0 = b * 0.34;
    let inset = th + gpx0 * 0.62;
    let point = |deg: f32| {
        let t = deg.to_radians();
        let (c, s) = (t.cos(), t.sin());
        let (nx, ny) = (c / a, s / b);
        let k = (nx * nx + ny * ny).sqrt();
        let (nx, ny) = (nx / k, ny / k);
        (
            cx + a * c - inset * nx,
            cy + b * s - inset * ny,
            ny.atan2(nx),
        )
    };
    // Arc length table over the widest span the name may use.
    let (lo, hi) = (150.0f32, 390.0f32);
    let steps = 480;
    let mut cum = vec![0f32; steps + 1];
    let mut prev = point(lo);
    for i in 1..=steps {
        let p = point(lo + (hi - lo) * i as f32 / steps as f32);
        cum[i] = cum[i - 1] + ((p.0 - prev.0).powi(2) + (p.1 - prev.1).powi(2)).sqrt();
        prev = p;
    }
    let total = cum[steps];
    // Pitch: a little over the glyph size, shrunk (with the glyphs) for
    // long names.
    let pitch = (gpx0 * 1.12).min(total / n as f32);
    let sx = (pitch / 1.05 / gpx0).min(1.0);
    let used = pitch * n as f32;
    let start = (total - used) / 2.0;
    for (i, c) in chars.iter().enumerate() {
        let s = start + pitch * (i as f32 + 0.5);
        let j = cum.partition_point(|&v| v < s).min(steps);
        let deg = lo + (hi - lo) * j as f32 / steps as f32;
        let (gx, gy, out) = point(deg);
        let rot = out + std::f32::consts::FRAC_PI_2;
        draw_glyph_condensed(&mut layer, w, h, font, *c, gpx0, gx, gy, rot, sx);
    }
    if star {
        star_layer(&mut layer, w, h, cx, cy - b * 0.08, b * 0.24);
    }
    if let Some(bottom) = &spec.bottom {
        text_layer(&mut layer, w, h, font, bottom, b * 0.26, cx, cy + b * 0.28);
    }
    layer
}

/// The legend of a square seal: name then `bottom`.
pub fn square_legend(spec: &SealSpec) -> String {
    format!("{}{}", spec.org, spec.bottom.as_deref().unwrap_or(""))
}

/// Stamps a square seal centred at (cx, cy), `side` pixels: a border and
/// the legend in ⌈√n⌉ columns read right to left, each top to bottom
/// (the right-hand columns take the extra characters), characters spread
/// evenly down each column.
pub fn stamp_square(
    img: &mut RgbImage,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    side: f32,
    rng: &mut Rng,
) {
    let alpha = ink_field(rng);
    let layer = square_layer(img.width(), img.height(), font, spec, cx, cy, side);
    let half = side / 2.0;
    ink_layer(
        img,
        &layer,
        [cx - half, cy - half, cx + half, cy + half],
        alpha,
    );
}

/// A square seal's ink coverage over a `w`×`h` page (see [`stamp_square`]).
pub fn square_layer(
    w: u32,
    h: u32,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    side: f32,
) -> Vec<f32> {
    let (w, h) = (w as i32, h as i32);
    let mut layer = vec![0f32; (w * h) as usize];
    let half = side / 2.0;
    let th = side * 0.06;
    for y in (cy - half) as i32..(cy + half) as i32 {
        for x in (cx - half) as i32..(cx + half) as i32 {
            if x < 0 || y < 0 || x >= w || y >= h {
                continue;
            }
            let d = (x as f32 + 0.5 - (cx - half))
                .min(cx + half - x as f32 - 0.5)
                .min(y as f32 + 0.5 - (cy - half))
                .min(cy + half - y as f32 - 0.5);
            if d < th {
                layer[(y * w + x) as usize] = 1.0;
            }
        }
    }
    let chars: Vec<char> = square_legend(spec).chars().collect();
    let n = chars.len().max(1);
    let cols = (n as f32).sqrt().ceil() as usize;
    let (base, extra) = (n / cols, n % cols);
    let rows_max = base + usize::from(extra > 0);
    let inner = side - 2.0 * th - side * 0.06;
    let (cw, ch) = (inner / cols as f32, inner / rows_max as f32);
    let gpx = cw.min(ch) * 0.9;
    let (x0, y0) = (cx - inner / 2.0, cy - inner / 2.0);
    let mut k = 0;
    for col in 0..cols {
        let rows = base + usize::from(col < extra);
        let gx = x0 + inner - cw * (col as f32 + 0.5);
        let rh = inner / rows as f32;
        for row in 0..rows {
            if let Some(c) = chars.get(k) {
                let gy = y0 + rh * (row as f32 + 0.5);
                draw_glyph_rotated(&mut layer, w, h, font, *c, gpx, gx, gy, 0.0);
            }
            k += 1;
        }
    }
    layer
}

/// Stamps `spec` centred at (cx, cy), sized for `dpi`: round 42 mm,
/// oval 45×30 mm, square 25 mm.
pub fn stamp(
    img: &mut RgbImage,
    font: &FontRef,
    spec: &SealSpec,
    cx: f32,
    cy: f32,
    dpi: f32,
    rng: &mut Rng,
) {
    let mm = dpi / 25.4;
    match spec.shape {
        SealShape::Round => stamp_seal(img, font, spec, cx, cy, dpi * 0.82, rng),
        SealShape::Oval => stamp_oval(img, font, spec, cx, cy, 22.5 * mm, 15.0 * mm, rng),
        SealShape::Square => stamp_square(img, font, spec, cx, cy, 25.0 * mm, rng),
    }
}

fn inside(poly: &[(f32, f32)], x: f32, y: f32) -> bool {
    let mut c = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (xi, yi) = poly[i];
        let (xj, yj) = poly[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            c = !c;
        }
        j = i;
    }
    c
}

/// Draws one glyph centred at (gx, gy), rotated by `rot` radians.
#[allow(clippy::too_many_arguments)]
fn draw_glyph_rotated(
    layer: &mut [f32],
    w: i32,
    h: i32,
    font: &FontRef,
    c: char,
    px: f32,
    gx: f32,
    gy: f32,
    rot: f32,
) {
    draw_glyph_condensed(layer, w, h, font, c, px, gx, gy, rot, 1.0);
}

/// [`draw_glyph_rotated`] with the glyph's width scaled by `sx` (oval
/// seals condense the characters of long names rather than shrink them).
#[allow(clippy::too_many_arguments)]
fn draw_glyph_condensed(
    layer: &mut [f32],
    w: i32,
    h: i32,
    font: &FontRef,
    c: char,
    px: f32,
    gx: f32,
    gy: f32,
    rot: f32,
    sx: f32,
) {
    let size = (px * 1.3) as u32;
    let mut tmp = RgbImage::from_pixel(size, size, Rgb([255, 255, 255]));
    let adv = text_width(font, px, &c.to_string());
    draw_text(
        &mut tmp,
        font,
        (size as f32 - adv) / 2.0,
        (size as f32 - px * 1.15) / 2.0,
        px,
        &c.to_string(),
        [0, 0, 0],
    );
    let (s, co) = rot.sin_cos();
    let half = size as f32 / 2.0;
    let reach = (half * 1.5) as i32;
    for dy in -reach..=reach {
        for dx in -reach..=reach {
            // Inverse rotation into the glyph image.
            let u = (co * dx as f32 + s * dy as f32) / sx + half;
            let v = -s * dx as f32 + co * dy as f32 + half;
            if u < 0.0 || v < 0.0 || u >= size as f32 || v >= size as f32 {
                continue;
            }
            let a = 1.0 - tmp.get_pixel(u as u32, v as u32).0[0] as f32 / 255.0;
            let (x, y) = (gx as i32 + dx, gy as i32 + dy);
            if a > 0.0 && x >= 0 && y >= 0 && x < w && y < h {
                let i = (y * w + x) as usize;
                layer[i] = layer[i].max(a);
            }
        }
    }
}

/// Rotates about the centre by `deg` (bilinear), white fill.
pub(crate) fn rotate(img: &RgbImage, deg: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    for y in 0..h {
        for x in 0..w {
            let dx = x as f32 - cx;
            let dy = y as f32 - cy;
            let sx = c * dx - s * dy + cx;
            let sy = s * dx + c * dy + cy;
            if sx >= 0.0 && sy >= 0.0 && sx < (w - 1) as f32 && sy < (h - 1) as f32 {
                let (x0, y0) = (sx as u32, sy as u32);
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let mut px = [0u8; 3];
                for (k, v) in px.iter_mut().enumerate() {
                    let p = |xx: u32, yy: u32| img.get_pixel(xx, yy).0[k] as f32;
                    let t = p(x0, y0) + (p(x0 + 1, y0) - p(x0, y0)) * fx;
                    let b = p(x0, y0 + 1) + (p(x0 + 1, y0 + 1) - p(x0, y0 + 1)) * fx;
                    *v = (t + (b - t) * fy) as u8;
                }
                out.put_pixel(x, y, Rgb(px));
            }
        }
    }
    out
}

/// Makes the page look scanned and encodes it as JPEG.
pub fn degrade(img: &RgbImage, opts: &PageOpts, rng: &mut Rng) -> Result<Vec<u8>> {
    let mut page = if opts.skew_deg.abs() > 0.01 {
        rotate(img, opts.skew_deg)
    } else {
        img.clone()
    };
    if opts.blur {
        let sigma = if opts.blur_sigma > 0.0 {
            opts.blur_sigma
        } else {
            0.8
        };
        page = image::imageops::blur(&page, sigma);
    }
    if opts.shade > 0.0 {
        // A direction for the light, then a smooth fall-off along it.
        let a = rng.range(0, 360) as f32 * std::f32::consts::PI / 180.0;
        let (dx, dy) = (a.cos(), a.sin());
        let (w, h) = (page.width() as f32, page.height() as f32);
        let span = (w * dx.abs() + h * dy.abs()).max(1.0);
        let x0 = if dx < 0.0 { w } else { 0.0 };
        let y0 = if dy < 0.0 { h } else { 0.0 };
        for (x, y, p) in page.enumerate_pixels_mut() {
            let t = (((x as f32 - x0) * dx + (y as f32 - y0) * dy) / span).clamp(0.0, 1.0);
            let k = 1.0 - opts.shade * t * t.sqrt();
            for v in p.0.iter_mut() {
                *v = (*v as f32 * k) as u8;
            }
        }
    }
    let amp = if opts.noise > 0 { opts.noise as u32 } else { 8 };
    for p in page.pixels_mut() {
        let n = rng.range(0, 2 * amp + 1) as i32 - amp as i32;
        for v in p.0.iter_mut() {
            *v = (*v as i32 + n).clamp(0, 255) as u8;
        }
    }
    page = match opts.turn % 360 {
        90 => image::imageops::rotate90(&page),
        180 => image::imageops::rotate180(&page),
        270 => image::imageops::rotate270(&page),
        _ => page,
    };
    let mut out = Vec::new();
    let enc =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, opts.jpeg_quality.max(30));
    page.write_with_encoder(enc).context("JPEG")?;
    Ok(out)
}

pub(crate) const PROJECTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "盐碱地耐逆作物品种联合选育与示范",
        "山东省农业科学院",
        "王建国",
        "哈萨克斯坦",
        "KZ",
        "Kazakh National Agrarian University",
    ),
    (
        "海洋牧场智能监测关键技术合作研究",
        "中国海洋大学",
        "李晓燕",
        "韩国",
        "KR",
        "Pukyong National University",
    ),
    (
        "氢燃料电池电堆关键材料联合研发",
        "山东大学",
        "张明华",
        "德国",
        "DE",
        "Forschungszentrum Juelich",
    ),
    (
        "工业互联网安全态势感知平台联合开发",
        "浪潮集团有限公司",
        "刘志强",
        "新加坡",
        "SG",
        "Nanyang Technological University",
    ),
    (
        "畜禽疫病快速检测技术转移与示范",
        "青岛农业大学",
        "陈思远",
        "乌兹别克斯坦",
        "UZ",
        "Tashkent State Agrarian University",
    ),
    (
        "高端轴承材料服役性能联合研究",
        "山东理工大学",
        "赵立新",
        "日本",
        "JP",
        "Tohoku University",
    ),
    (
        "黄河三角洲湿地生态修复技术联合研究",
        "中国石油大学（华东）",
        "孙海涛",
        "俄罗斯",
        "RU",
        "Tomsk Polytechnic University",
    ),
    (
        "热带作物病虫害绿色防控技术示范",
        "山东农业大学",
        "周丽娟",
        "泰国",
        "TH",
        "Kasetsart University",
    ),
    (
        "智能网联汽车车规级芯片联合研发",
        "潍柴动力股份有限公司",
        "吴国栋",
        "德国",
        "DE",
        "Technische Universitaet Muenchen",
    ),
    (
        "海水淡化膜材料制备技术合作研究",
        "自然资源部第一海洋研究所",
        "郑雪梅",
        "新加坡",
        "SG",
        "National University of Singapore",
    ),
    (
        "中药材质量追溯体系共建",
        "山东中医药大学",
        "冯振宇",
        "马来西亚",
        "MY",
        "Universiti Putra Malaysia",
    ),
    (
        "草原畜牧业数字化管理平台合作开发",
        "齐鲁工业大学",
        "马文杰",
        "蒙古国",
        "MN",
        "Mongolian University of Life Sciences",
    ),
];

/// Organizations whose seals land on other applicants' pages.
pub(crate) const OTHER_ORGS: &[&str] = &[
    "烟台市星辰科技有限公司",
    "济南华信检测技术有限公司",
    "青岛海川国际贸易有限公司",
];

/// One page to write: its form, how it is degraded, its seals (each
/// with its centre in inches from the top left).
struct PageSpec {
    form: ScanForm,
    opts: PageOpts,
    dpi: f32,
    seals: Vec<(SealSpec, f32, f32)>,
}

/// Where the applicant's seal goes: over the signature line, so the seal
/// overlaps printed text.
pub(crate) const SEAL_AT: (f32, f32) = (5.6, 6.3);

pub(crate) fn form_of(p: &(&str, &str, &str, &str, &str, &str)) -> ScanForm {
    ScanForm {
        project_name: p.0.into(),
        applicant: p.1.into(),
        pi_name: p.2.into(),
        country_zh: p.3.into(),
        country_iso: p.4.into(),
        partner: p.5.into(),
    }
}

/// Renders, stamps and degrades the pages; writes
/// `inbox/<direction>/N.项目-单位.jpg` and `truth.jsonl`.
fn write_pages(out: &Path, pages: &[PageSpec], rng: &mut Rng) -> Result<()> {
    let (bytes, idx) = load_font()?;
    let font = FontRef::try_from_slice_and_index(&bytes, idx).context("font")?;
    let inbox = out.join("inbox");
    let dir = "上合组织成员国";
    std::fs::create_dir_all(inbox.join(dir))?;
    let mut truth = String::new();
    for (i, pg) in pages.iter().enumerate() {
        let form = &pg.form;
        let mut img = render_form_at(form, &font, pg.dpi);
        for (spec, x, y) in &pg.seals {
            stamp(&mut img, &font, spec, pg.dpi * x, pg.dpi * y, pg.dpi, rng);
        }
        let jpg = degrade(&img, &pg.opts, rng)?;
        let name = format!("{}.{}-{}.jpg", i + 1, form.project_name, form.applicant);
        std::fs::write(inbox.join(dir).join(&name), &jpg)?;
        let seals: Vec<serde_json::Value> = pg
            .seals
            .iter()
            .map(|(s, _, _)| {
                // Whose seal it is (SPEC §3 `seals[].owner`): another
                // organization's seal belongs to nobody the form names.
                let owner = if s.org == form.applicant {
                    Some("applicant")
                } else if s.org == form.partner {
                    Some("partner")
                } else {
                    None
                };
                json!({"text": s.org, "bottom": s.bottom, "shape": s.shape.name(),
                       "owner": owner})
            })
            .collect();
        let o = &pg.opts;
        let line = json!({
            "container": [],
            "path": format!("{dir}/{name}"),
            "scan": {"skew_deg": o.skew_deg, "turn": o.turn, "blur": o.blur, "dpi": pg.dpi,
                     "jpeg_quality": o.jpeg_quality, "shade": o.shade},
            "fields": {
                "project_name": form.project_name,
                "applicant": form.applicant,
                "pi": {"name": form.pi_name},
                "partner_countries": [form.country_iso],
                "partner_institution": form.partner,
                "seals": seals,
            }
        });
        truth.push_str(&line.to_string());
        truth.push('\n');
    }
    std::fs::write(out.join("truth.jsonl"), truth)?;
    Ok(())
}

/// Second seals on a page: the supervising department's (主管部门).
const DEPARTMENTS: &[&str] = &["青岛市科学技术局", "济南市科学技术局", "山东省教育厅"];

/// Where a second seal goes: left of the applicant's, clear of it, or
/// overlapping it (round and oval seals only).
const SECOND_BESIDE: (f32, f32) = (3.2, 6.4);
const SECOND_OVERLAP: (f32, f32) = (4.0, 6.6);

fn seal(org: &str, bottom: Option<&str>, shape: SealShape) -> SealSpec {
    SealSpec {
        org: org.to_string(),
        bottom: bottom.map(str::to_string),
        shape,
    }
}

/// Writes the committed scanned batch into `out` (twelve 150-dpi pages):
/// plain skewed scans, pages turned 90°, 180° and 270° (unsealed: seals on
/// turned pages are in the random batches), pages sealed by the applicant
/// (one with a bottom legend), one sealed by another organization; then
/// an oval seal, two seals side by side, a square seal, and an oval seal
/// overlapping a round one.
pub fn write_batch(out: &Path, seed: u64) -> Result<()> {
    let mut rng = Rng::new(seed);
    let mut pages = Vec::new();
    for (i, p) in PROJECTS.iter().take(12).enumerate() {
        let form = form_of(p);
        let app = form.applicant.as_str();
        let (x, y) = SEAL_AT;
        let seals = match i {
            0 | 3 => vec![(seal(app, None, SealShape::Round), x, y)],
            2 => vec![(seal(app, Some("合同专用章"), SealShape::Round), x, y)],
            4 => vec![(seal(OTHER_ORGS[0], None, SealShape::Round), x, y)],
            8 => vec![(seal(app, Some("合同专用章"), SealShape::Oval), x, y)],
            9 => vec![
                (seal(app, None, SealShape::Round), x, y),
                (
                    seal(DEPARTMENTS[0], None, SealShape::Round),
                    SECOND_BESIDE.0,
                    SECOND_BESIDE.1,
                ),
            ],
            10 => vec![(seal(app, Some("财务专用章"), SealShape::Square), x, y)],
            11 => vec![
                (seal(app, None, SealShape::Round), x, y),
                (
                    seal(DEPARTMENTS[1], Some("财务专用章"), SealShape::Oval),
                    SECOND_OVERLAP.0,
                    SECOND_OVERLAP.1,
                ),
            ],
            _ => Vec::new(),
        };
        pages.push(PageSpec {
            seals,
            opts: PageOpts {
                skew_deg: [
                    0.7, -1.4, 2.2, -0.5, 2.9, -2.0, 1.1, -0.8, 1.6, -2.4, 0.9, -1.2,
                ][i],
                blur: i % 2 == 1,
                turn: [0, 0, 0, 0, 0, 90, 180, 270, 0, 0, 0, 0][i],
                jpeg_quality: [75, 60, 70, 80, 65, 72, 68, 62, 70, 66, 74, 64][i] as u8,
                ..Default::default()
            },
            dpi: DPI,
            form,
        });
    }
    write_pages(out, &pages, &mut rng)
}

/// Writes `n` randomly varied scanned pages into `out` (for a larger test
/// set made on the fly): fields mixed across projects; 0.5–3° skew either
/// way; blur of varying strength; noise; one page in five lit unevenly
/// (a phone photo); JPEG quality 45–85; 150, 200 or
/// 300 dpi; a quarter of pages turned 90°, 180° or 270°; seals by the
/// applicant or another organization (round, oval or square; with a
/// bottom legend or not) or none; a quarter of sealed pages also carry a
/// department's round or oval seal, beside or overlapping the first.
pub fn write_random_batch(out: &Path, seed: u64, n: usize) -> Result<()> {
    let mut rng = Rng::new(seed);
    let mut pages = Vec::new();
    for _ in 0..n {
        let pick = |rng: &mut Rng| *rng.pick(PROJECTS);
        let (a, b, c, d) = (
            pick(&mut rng),
            pick(&mut rng),
            pick(&mut rng),
            pick(&mut rng),
        );
        let form = ScanForm {
            project_name: a.0.into(),
            applicant: b.1.into(),
            pi_name: c.2.into(),
            country_zh: d.3.into(),
            country_iso: d.4.into(),
            partner: d.5.into(),
        };
        let skew = rng.range(5, 31) as f32 / 10.0;
        let skew = if rng.chance(0.5) { skew } else { -skew };
        let turn = if rng.chance(0.75) {
            0
        } else {
            *rng.pick(&[90u16, 180, 270])
        };
        let mut seals = Vec::new();
        if rng.chance(0.6) {
            let org = if rng.chance(0.8) {
                form.applicant.clone()
            } else {
                rng.pick(OTHER_ORGS).to_string()
            };
            let bottom = rng
                .chance(0.3)
                .then(|| rng.pick(&["合同专用章", "财务专用章"]).to_string());
            let shape = *rng.pick(&[
                SealShape::Round,
                SealShape::Round,
                SealShape::Oval,
                SealShape::Square,
            ]);
            seals.push((SealSpec { org, bottom, shape }, SEAL_AT.0, SEAL_AT.1));
            if rng.chance(0.25) {
                let org = *rng.pick(DEPARTMENTS);
                let second = *rng.pick(&[SealShape::Round, SealShape::Oval]);
                let overlap = shape != SealShape::Square && rng.chance(0.5);
                let (x, y) = if overlap {
                    SECOND_OVERLAP
                } else {
                    SECOND_BESIDE
                };
                seals.push((seal(org, None, second), x, y));
            }
        }
        let blur = rng.chance(0.5);
        pages.push(PageSpec {
            opts: PageOpts {
                skew_deg: skew,
                blur,
                turn,
                jpeg_quality: rng.range(45, 86) as u8,
                blur_sigma: rng.range(5, 13) as f32 / 10.0,
                noise: rng.range(4, 13) as u8,
                seal: None,
                // One page in five photographed under a lamp.
                shade: if rng.chance(0.2) {
                    rng.range(30, 56) as f32 / 100.0
                } else {
                    0.0
                },
            },
            dpi: *rng.pick(&[150.0f32, 150.0, 200.0, 300.0]),
            seals,
            form,
        });
    }
    write_pages(out, &pages, &mut rng)
}

/// Encodes an RGB image as PNG (for tests that need an exact image).
pub fn png(img: &RgbImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)?;
    Ok(out)
}
