//! Hard seals: stamps degraded the way real ones are, one parameterized
//! degradation per [`Condition`] so they combine — seal over the printed
//! signature line and date with a signature over it (overprint), paper
//! texture, faded and broken ink, the seal turned 0–15° on a skewed page,
//! a stamp set down turned far with its serial number (防伪码) along the
//! border, blur, 150-dpi JPEG, two seals overlapping each other and the print, and
//! all of these at once. [`hard_page`] makes one page (the foot of a
//! letter) with its truth, for the per-condition seal harness;
//! [`write_hard_batch`] a scanned batch of whole form pages with such
//! seals, for the CLI. Names come from the generator's own pools.

use std::path::Path;

use ab_glyph::FontRef;
use anyhow::{Context, Result};
use image::{Rgb, RgbImage};
use serde_json::json;

use crate::rng::Rng;
use crate::scan::{self, SealShape, SealSpec};

/// One kind of hardness, or all of them at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The seal on blank paper, 200 dpi, lossless: the baseline.
    Clean,
    /// Over the signature line and the date, a signature over it.
    Overprint,
    /// Fibres, uneven tinted paper.
    Texture,
    /// Low, uneven ink; one side pressed lighter.
    Faded,
    /// Dry-stamp dropouts along the ring and within characters.
    Broken,
    /// The seal turned 4–15° either way on a page skewed 0.5–3°.
    Rotated,
    /// Gaussian blur, σ 1.2–2.0 px at 200 dpi.
    Blur,
    /// Rendered at 150 dpi, JPEG quality 60–85.
    Jpeg150,
    /// Two seals (applicant and partner) overlapping each other and print,
    /// centres 1.15–1.5 radii apart: one ring's text under the other's.
    Overlap,
    /// Several at once, milder each, as on a phone scan. Half the pages
    /// have two seals crossing 1.5–1.95 radii apart: a ring's border over
    /// the other's text, text on text only near 1.5, rings touching at the
    /// far end (the one real double-sealed scan, ~1.97).
    All,
    /// A stamp set down turned 20–75° either way, its serial number
    /// (13 digits, 防伪码) set small along the border below the name.
    /// Last, so that the other conditions' pages stay as they were (a
    /// page's seed mixes in its condition's number).
    Turned,
}

impl Condition {
    pub const EVERY: [Condition; 11] = [
        Condition::Clean,
        Condition::Overprint,
        Condition::Texture,
        Condition::Faded,
        Condition::Broken,
        Condition::Rotated,
        Condition::Turned,
        Condition::Blur,
        Condition::Jpeg150,
        Condition::Overlap,
        Condition::All,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Condition::Clean => "clean",
            Condition::Overprint => "overprint",
            Condition::Texture => "texture",
            Condition::Faded => "faded",
            Condition::Broken => "broken",
            Condition::Rotated => "rotated",
            Condition::Turned => "turned",
            Condition::Blur => "blur",
            Condition::Jpeg150 => "jpeg150",
            Condition::Overlap => "overlap",
            Condition::All => "all",
        }
    }

    /// The degradations of one page in this condition, drawn from `rng`.
    pub fn hardness(self, rng: &mut Rng) -> Hardness {
        let mut h = Hardness::default();
        let signed = |rng: &mut Rng, lo: f32, hi: f32| {
            let v = uniform(rng, lo, hi);
            if rng.chance(0.5) { v } else { -v }
        };
        match self {
            Condition::Clean => {}
            Condition::Overprint => h.overprint = true,
            Condition::Texture => h.texture = 1.0,
            Condition::Faded => h.fade = uniform(rng, 0.5, 0.8),
            Condition::Broken => h.broken = uniform(rng, 0.6, 1.0),
            Condition::Rotated => {
                h.seal_rot_deg = signed(rng, 4.0, 15.0);
                h.page_skew_deg = signed(rng, 0.5, 3.0);
            }
            Condition::Turned => {
                h.seal_rot_deg = signed(rng, 20.0, 75.0);
                h.serial = true;
            }
            Condition::Blur => h.blur_sigma = uniform(rng, 1.2, 2.0),
            Condition::Jpeg150 => {
                h.dpi = 150.0;
                h.jpeg_quality = Some(rng.range(60, 86) as u8);
                h.noise = 6;
            }
            Condition::Overlap => {
                h.overprint = true;
                h.crossing = Some([1.15, 1.5]);
            }
            Condition::All => {
                h.overprint = true;
                h.texture = uniform(rng, 0.6, 1.0);
                h.fade = uniform(rng, 0.2, 0.5);
                h.broken = uniform(rng, 0.25, 0.5);
                h.seal_rot_deg = signed(rng, 0.0, 15.0);
                h.page_skew_deg = signed(rng, 0.5, 3.0);
                h.blur_sigma = uniform(rng, 0.6, 1.1);
                h.dpi = 150.0;
                h.jpeg_quality = Some(rng.range(60, 86) as u8);
                h.noise = 6;
                h.crossing = rng.chance(0.5).then_some([1.5, 1.95]);
            }
        }
        h
    }
}

/// How one page is degraded. Zero means "not at all".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hardness {
    pub overprint: bool,
    /// Paper texture strength, 0–1.
    pub texture: f32,
    /// Ink fading, 0–1 (1 leaves about a third of the ink).
    pub fade: f32,
    /// Ink dropouts, 0–1 (1 drops about a third of the ink).
    pub broken: f32,
    /// The seal's own turn, degrees, clockwise.
    pub seal_rot_deg: f32,
    /// The whole page's skew, degrees.
    pub page_skew_deg: f32,
    pub blur_sigma: f32,
    pub dpi: f32,
    pub jpeg_quality: Option<u8>,
    /// Noise amplitude, ± grey levels.
    pub noise: u8,
    /// A second seal (the partner's) crossing the first, the two centres
    /// this many radii apart (low, high); `None`: one seal.
    pub crossing: Option<[f32; 2]>,
    /// A serial number along the border below the name.
    pub serial: bool,
}

impl Default for Hardness {
    fn default() -> Self {
        Hardness {
            overprint: false,
            texture: 0.0,
            fade: 0.0,
            broken: 0.0,
            seal_rot_deg: 0.0,
            page_skew_deg: 0.0,
            blur_sigma: 0.0,
            dpi: 200.0,
            jpeg_quality: None,
            noise: 3,
            crossing: None,
            serial: false,
        }
    }
}

/// Uniform in `lo..hi`.
fn uniform(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
}

/// CJK faces (path, face index of Simplified Chinese), regular and bold,
/// sans and serif: seal engravers use many.
const FACES: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
];

/// The faces found on this machine (at least the one [`scan::load_font`]
/// finds), with their file names.
pub struct Faces {
    faces: Vec<(String, Vec<u8>, u32)>,
}

impl Faces {
    pub fn load() -> Result<Faces> {
        let mut faces = Vec::new();
        for (path, idx) in FACES {
            if let Ok(b) = std::fs::read(path) {
                let name = Path::new(path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                faces.push((name, b, *idx));
            }
        }
        if faces.is_empty() {
            let (b, idx) = scan::load_font()?;
            faces.push(("cjk".to_string(), b, idx));
        }
        Ok(Faces { faces })
    }

    fn font(&self, k: usize) -> Result<(&str, FontRef<'_>)> {
        let (name, b, idx) = &self.faces[k % self.faces.len()];
        let f = FontRef::try_from_slice_and_index(b, *idx).context("font")?;
        Ok((name, f))
    }
}

/// Organizations of one province and kind, from the generator's pools:
/// a seal's owner and its distractors (parties named alike) come from one.
pub fn groups() -> Vec<Vec<&'static str>> {
    use crate::content::{APPLICANTS, OrgType};
    let of = |k: OrgType| -> Vec<&'static str> {
        APPLICANTS
            .iter()
            .filter(|o| o.kind == k)
            .map(|o| o.name)
            .collect()
    };
    let (ent, uni) = (
        crate::application::ENTERPRISES,
        crate::application::UNIVERSITIES,
    );
    vec![
        of(OrgType::University),
        of(OrgType::Institute),
        of(OrgType::Enterprise),
        of(OrgType::Hospital),
        ent[..8].to_vec(),
        ent[8..].to_vec(),
        uni[..4].to_vec(),
        uni[4..].to_vec(),
    ]
}

/// Legends below the star.
const LEGENDS: &[Option<&str>] = &[
    None,
    None,
    Some("合同专用章"),
    Some("专用章"),
    Some("科研专用章"),
];

/// A seal as stamped, with where it ended up on the finished page.
#[derive(Debug, Clone)]
pub struct PlacedSeal {
    pub org: String,
    pub legend: Option<String>,
    /// Whose it is among the page's parties: `applicant` or `partner`.
    pub role: &'static str,
    /// Centre on the finished page (after skew), pixels.
    pub centre: (f32, f32),
    pub radius: f32,
    /// The seal's turn on the page, degrees (its own turn plus skew).
    pub rotation_deg: f32,
    pub star: bool,
    pub face: String,
}

/// A page with hard seals and its truth.
pub struct HardPage {
    pub condition: Condition,
    pub hardness: Hardness,
    /// The page as a reader sees it (decoded from JPEG where compressed).
    pub image: RgbImage,
    /// The JPEG bytes, where compressed.
    pub jpeg: Option<Vec<u8>>,
    pub dpi: f32,
    pub seals: Vec<PlacedSeal>,
    /// The parties the proposal names (role, name): the seals' owners and
    /// two or three organizations of the same province and kind.
    pub parties: Vec<(&'static str, String)>,
}

/// Smooth value noise in about 0–1 with cells of `cell` pixels.
fn value_noise(x: f32, y: f32, cell: f32, seed: u64) -> f32 {
    let hash = |ix: i64, iy: i64| {
        let mut z = (ix as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add((iy as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
            ^ seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    };
    let (fx, fy) = (x / cell, y / cell);
    let (ix, iy) = (fx.floor() as i64, fy.floor() as i64);
    let s = |t: f32| t * t * (3.0 - 2.0 * t);
    let (tx, ty) = (s(fx - ix as f32), s(fy - iy as f32));
    let top = hash(ix, iy) + (hash(ix + 1, iy) - hash(ix, iy)) * tx;
    let bot = hash(ix, iy + 1) + (hash(ix + 1, iy + 1) - hash(ix, iy + 1)) * tx;
    top + (bot - top) * ty
}

/// Paper: a tint (grey or yellowish), brightness that wanders across the
/// sheet, fibres and specks; `strength` 0–1. Print and ink are blended
/// over it (multiply), as on real paper.
pub fn paper(w: u32, h: u32, dpi: f32, strength: f32, rng: &mut Rng) -> RgbImage {
    if strength <= 0.0 {
        return RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    }
    let tints = [
        [246.0, 244.0, 238.0],
        [250.0, 243.0, 222.0],
        [236.0, 235.0, 232.0],
    ];
    let tint = *rng.pick(&tints);
    let seed = rng.next_u64();
    let cell = dpi * 1.5;
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let wander = 1.0 - strength * 0.09 * value_noise(x as f32, y as f32, cell, seed);
        let grain = 1.0 - strength * 0.04 * value_noise(x as f32, y as f32, 2.0, seed ^ 7);
        let k = wander * grain;
        let t = |c: f32| (255.0 - strength * (255.0 - c)) * k;
        p.0 = [t(tint[0]) as u8, t(tint[1]) as u8, t(tint[2]) as u8];
    }
    // Fibres: short, slightly curved, darker strands.
    let n = (w as f32 * h as f32 / 2500.0 * strength) as usize;
    for _ in 0..n {
        let (mut x, mut y) = (uniform(rng, 0.0, w as f32), uniform(rng, 0.0, h as f32));
        let mut a = uniform(rng, 0.0, std::f32::consts::TAU);
        let len = uniform(rng, 0.03, 0.18) * dpi;
        let dark = uniform(rng, 0.06, 0.22) * strength;
        let bend = uniform(rng, -0.08, 0.08);
        for _ in 0..len as usize {
            scan::blend(&mut img, x as i32, y as i32, [120, 110, 95], dark);
            x += a.cos();
            y += a.sin();
            a += bend;
        }
    }
    // Specks of dirt.
    for _ in 0..n / 4 {
        let (x, y) = (rng.below(w as usize) as i32, rng.below(h as usize) as i32);
        let dark = uniform(rng, 0.2, 0.6) * strength;
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            scan::blend(&mut img, x + dx, y + dy, [60, 55, 50], dark);
        }
    }
    img
}

/// A handwritten-looking signature: a wavy, looping stroke from (x, y),
/// `len` pixels long, in dark blue-black ink.
pub fn signature(img: &mut RgbImage, x: f32, y: f32, len: f32, dpi: f32, rng: &mut Rng) {
    let amp = dpi * uniform(rng, 0.08, 0.16);
    let (f1, f2, p) = (
        uniform(rng, 3.0, 6.0),
        uniform(rng, 9.0, 15.0),
        uniform(rng, 0.0, 6.0),
    );
    let width = (dpi / 80.0).max(1.5);
    let steps = (len * 3.0) as usize;
    for i in 0..steps {
        let t = i as f32 / steps as f32;
        let a = std::f32::consts::TAU * t;
        let px = x + len * t + amp * 0.6 * (f2 * a + p).cos();
        let py = y + amp * (f1 * a + p).sin() + amp * 0.4 * (f2 * a).sin();
        let r = width;
        for dy in -(r as i32)..=(r as i32) {
            for dx in -(r as i32)..=(r as i32) {
                if (dx * dx + dy * dy) as f32 <= r * r {
                    scan::blend(img, px as i32 + dx, py as i32 + dy, [25, 30, 70], 0.9);
                }
            }
        }
    }
}

/// Stamps a round seal with the ink of `hard`: turned by
/// `hard.seal_rot_deg`, faded and broken as asked. Returns the ink laid
/// (sum of coverage), for checks that the degradations took effect.
#[allow(clippy::too_many_arguments)]
pub fn stamp_hard(
    img: &mut RgbImage,
    font: &FontRef,
    spec: &SealSpec,
    star: bool,
    cx: f32,
    cy: f32,
    r: f32,
    rot_deg: f32,
    hard: &Hardness,
    rng: &mut Rng,
) -> f32 {
    let (w, h) = img.dimensions();
    let layer = match spec.shape {
        SealShape::Oval => scan::oval_layer(w, h, font, spec, cx, cy, r * 1.07, r * 0.71, star),
        SealShape::Square => scan::square_layer(w, h, font, spec, cx, cy, r * 1.2),
        SealShape::Round => scan::round_layer(w, h, font, spec, cx, cy, r, star),
    };
    let mut layer = layer;
    if hard.serial && spec.shape == SealShape::Round {
        let digits: String = (0..13)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        scan::serial_layer(&mut layer, w, h, font, &digits, cx, cy, r);
    }
    let base = scan::ink_field(rng);
    let (s, c) = rot_deg.to_radians().sin_cos();
    let seed = rng.next_u64();
    // Uneven pressure: one side of the stamp lighter.
    let light = uniform(rng, 0.0, std::f32::consts::TAU);
    let (lx, ly) = (light.cos(), light.sin());
    // Gaps along the ring: one or two arcs where the rim did not print.
    let gaps: Vec<(f32, f32)> = (0..1 + rng.below(2))
        .map(|_| {
            let from = uniform(rng, 0.0, 360.0);
            (from, from + uniform(rng, 8.0, 25.0) * hard.broken)
        })
        .collect();
    let ink = if hard.fade > 0.0 {
        [
            (205.0 + 20.0 * hard.fade) as u8,
            (25.0 + 60.0 * hard.fade) as u8,
            (35.0 + 55.0 * hard.fade) as u8,
        ]
    } else {
        [205, 25, 35]
    };
    let reach = r * 1.25 + 3.0;
    let mut laid = 0.0;
    for y in (cy - reach).max(0.0) as u32..((cy + reach) as u32).min(h) {
        for x in (cx - reach).max(0.0) as u32..((cx + reach) as u32).min(w) {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            // Turn: sample the unturned layer at the inverse rotation.
            let (sx, sy) = (cx + c * dx + s * dy, cy - s * dx + c * dy);
            let a = bilinear(&layer, w, h, sx, sy);
            if a <= 0.0 {
                continue;
            }
            let mut k = base(x as f32, y as f32);
            if hard.fade > 0.0 {
                let low = value_noise(x as f32, y as f32, r * 0.5, seed);
                let side = ((dx * lx + dy * ly) / r).max(0.0);
                // Mottled: the ink sits on the paper's fibres in specks.
                let grain = value_noise(x as f32, y as f32, 1.6, seed ^ 3);
                k *= (1.0 - hard.fade * (0.35 + 0.35 * low) - hard.fade * 0.3 * side).max(0.05)
                    * (1.0 - hard.fade * 0.5 * grain);
            }
            if hard.broken > 0.0 {
                // Dry patches at two scales: blotches and breaks in strokes.
                let coarse = value_noise(x as f32, y as f32, r * 0.12, seed ^ 1);
                let fine = value_noise(x as f32, y as f32, r * 0.035, seed ^ 2);
                if coarse < 0.28 * hard.broken || fine < 0.22 * hard.broken {
                    k *= 0.08;
                }
                // The ring's gaps (in the seal's own frame).
                let d = (dx * dx + dy * dy).sqrt();
                if d > r * 0.9 {
                    let deg = (sy - cy).atan2(sx - cx).to_degrees().rem_euclid(360.0);
                    if gaps
                        .iter()
                        .any(|&(f, t)| (f..t).contains(&deg) || (f..t).contains(&(deg + 360.0)))
                    {
                        k *= 0.05;
                    }
                }
            }
            let a = a * k;
            laid += a;
            scan::blend(img, x as i32, y as i32, ink, a);
        }
    }
    laid
}

fn bilinear(layer: &[f32], w: u32, h: u32, x: f32, y: f32) -> f32 {
    if x < 0.0 || y < 0.0 || x >= (w - 1) as f32 || y >= (h - 1) as f32 {
        return 0.0;
    }
    let (x0, y0) = (x as usize, y as usize);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |xx: usize, yy: usize| layer[yy * w as usize + xx];
    let t = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * fx;
    let b = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * fx;
    t + (b - t) * fy
}

/// Where a point of the page lands after `scan::rotate` by `deg`.
fn turned(p: (f32, f32), w: u32, h: u32, deg: f32) -> (f32, f32) {
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (dx, dy) = (p.0 - cx, p.1 - cy);
    (cx + c * dx + s * dy, cy - s * dx + c * dy)
}

/// Skew, blur, noise and JPEG: the page as scanned. Returns the image a
/// reader sees and the JPEG bytes where compressed.
fn finish(page: RgbImage, hard: &Hardness, rng: &mut Rng) -> Result<(RgbImage, Option<Vec<u8>>)> {
    let mut page = if hard.page_skew_deg.abs() > 0.01 {
        scan::rotate(&page, hard.page_skew_deg)
    } else {
        page
    };
    if hard.blur_sigma > 0.0 {
        page = image::imageops::blur(&page, hard.blur_sigma);
    }
    let amp = hard.noise as u32;
    if amp > 0 {
        for p in page.pixels_mut() {
            let n = rng.range(0, 2 * amp + 1) as i32 - amp as i32;
            for v in p.0.iter_mut() {
                *v = (*v as i32 + n).clamp(0, 255) as u8;
            }
        }
    }
    let Some(q) = hard.jpeg_quality else {
        return Ok((page, None));
    };
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q);
    page.write_with_encoder(enc).context("JPEG")?;
    let seen = image::load_from_memory(&out).context("JPEG")?.to_rgb8();
    Ok((seen, Some(out)))
}

/// Lines of a commitment letter above its signature block.
const LETTER: &[&str] = &[
    "本单位承诺所提交的申报材料真实、准确、完整，",
    "如有虚假，愿承担由此产生的一切责任。",
];

/// One page of `cond` (seed `seed`): the foot of a commitment letter,
/// 8.27 × 4.2 in — two lines of text, then 申报单位（盖章）,
/// 法定代表人（签字） and the date — with one round seal (two with
/// overlap) of an organization from [`groups`], and the page's parties.
pub fn hard_page(faces: &Faces, cond: Condition, seed: u64) -> Result<HardPage> {
    let mut rng = Rng::new(seed ^ (cond as u64).wrapping_mul(0x1000_0001));
    let hard = cond.hardness(&mut rng);
    let dpi = hard.dpi;
    let (w, h) = ((8.27 * dpi) as u32, (4.2 * dpi) as u32);
    let mut img = paper(w, h, dpi, hard.texture, &mut rng);
    let (_, print) = faces.font(0)?;
    let black = [20, 20, 20];
    let px = dpi * 12.0 / 72.0;
    for (i, line) in LETTER.iter().enumerate() {
        scan::draw_text(
            &mut img,
            &print,
            dpi * 0.9,
            dpi * (0.35 + 0.4 * i as f32),
            px,
            line,
            black,
        );
    }
    let (lx, ly) = (dpi * 4.3, dpi * 1.6);
    scan::draw_text(&mut img, &print, lx, ly, px, "申报单位（盖章）：", black);
    scan::draw_text(
        &mut img,
        &print,
        lx,
        ly + dpi * 0.6,
        px,
        "法定代表人（签字）：",
        black,
    );
    // The date goes on after stamping where it is printed over the seal.
    let date_at = (lx + dpi * 0.6, ly + dpi * 1.2);
    if !hard.overprint {
        scan::draw_text(
            &mut img,
            &print,
            date_at.0,
            date_at.1,
            px,
            "2025年11月20日",
            black,
        );
    }
    // The seals: over the signature block, or on blank paper left of it.
    let group_list = groups();
    let g = rng.below(group_list.len());
    let group = &group_list[g];
    let r = dpi * 0.82;
    let mut centres = vec![if hard.overprint {
        (lx + dpi * 1.1, ly + dpi * 0.75)
    } else {
        (dpi * 2.2, dpi * 2.45)
    }];
    if let Some([near, far]) = hard.crossing {
        let (x, y) = centres[0];
        let dx = r * uniform(&mut rng, near, far);
        let dy = r * uniform(&mut rng, -0.3, 0.3);
        // The partner's seal to the left, into the letter's text.
        centres.insert(0, (x - dx, y + dy));
    }
    let picks = rng.sample_indices(group.len(), (centres.len() + 3).min(group.len()));
    let mut seals = Vec::new();
    let mut parties: Vec<(&'static str, String)> = Vec::new();
    let roles: &[&'static str] = if centres.len() == 2 {
        &["partner", "applicant"]
    } else if rng.chance(0.7) {
        &["applicant"]
    } else {
        &["partner"]
    };
    for (k, &(cx, cy)) in centres.iter().enumerate() {
        let org = group[picks[k]].to_string();
        let legend = rng.pick(LEGENDS).map(str::to_string);
        let star = rng.chance(0.8);
        let (face, font) = faces.font(rng.below(FACES.len()))?;
        let face = face.to_string();
        let rot = if hard.seal_rot_deg != 0.0 {
            hard.seal_rot_deg * uniform(&mut rng, 0.7, 1.0)
        } else {
            0.0
        };
        let spec = SealSpec {
            org: org.clone(),
            bottom: legend.clone(),
            shape: SealShape::Round,
        };
        stamp_hard(
            &mut img, &font, &spec, star, cx, cy, r, rot, &hard, &mut rng,
        );
        parties.push((roles[k], org.clone()));
        seals.push(PlacedSeal {
            org,
            legend,
            role: roles[k],
            centre: turned((cx, cy), w, h, hard.page_skew_deg),
            radius: r,
            rotation_deg: rot + hard.page_skew_deg,
            star,
            face,
        });
    }
    // Distractors: the proposal's other parties, named alike.
    let others: Vec<&'static str> = ["partner", "other", "recommender"]
        .into_iter()
        .filter(|r| !roles.contains(r))
        .collect();
    let n_distract = 2 + rng.below(2);
    for (k, &i) in picks[centres.len()..].iter().take(n_distract).enumerate() {
        parties.push((others[k % others.len()], group[i].to_string()));
    }
    if hard.overprint {
        scan::draw_text(
            &mut img,
            &print,
            date_at.0,
            date_at.1,
            px,
            "2025年11月20日",
            black,
        );
        let len = dpi * uniform(&mut rng, 0.9, 1.4);
        signature(
            &mut img,
            lx + dpi * 1.7,
            ly + dpi * 0.68,
            len,
            dpi,
            &mut rng,
        );
    }
    let (image, jpeg) = finish(img, &hard, &mut rng)?;
    Ok(HardPage {
        condition: cond,
        hardness: hard,
        image,
        jpeg,
        dpi,
        seals,
        parties,
    })
}

/// Writes `n` scanned form pages (150 dpi JPEG, one A4 form each, see
/// `scan::render_form_at`) whose applicant seals are stamped as in
/// [`Condition::All`] — over the signature line and date, textured paper,
/// faded and broken ink, turned, blurred — into `out/inbox/…` with a
/// `truth.jsonl` in the format of `scan::write_batch`. Every fifth page
/// carries the seal of an organization the form does not name.
pub fn write_hard_batch(out: &Path, seed: u64, n: usize) -> Result<()> {
    let faces = Faces::load()?;
    let mut rng = Rng::new(seed);
    let inbox = out.join("inbox");
    let dir = "上合组织成员国";
    std::fs::create_dir_all(inbox.join(dir))?;
    let mut truth = String::new();
    for i in 0..n {
        let form = scan::form_of(&scan::PROJECTS[i % scan::PROJECTS.len()]);
        let mut hard = Condition::All.hardness(&mut rng);
        hard.crossing = None;
        let dpi = hard.dpi;
        let (_, print) = faces.font(0)?;
        let page = scan::render_form_at(&form, &print, dpi);
        let (w, h) = page.dimensions();
        // Print over textured paper: multiply.
        let mut img = paper(w, h, dpi, hard.texture, &mut rng);
        for (p, q) in img.pixels_mut().zip(page.pixels()) {
            for (v, c) in p.0.iter_mut().zip(q.0) {
                *v = (*v as u32 * c as u32 / 255) as u8;
            }
        }
        let stranger = i % 5 == 4;
        let org = if stranger {
            scan::OTHER_ORGS[i % scan::OTHER_ORGS.len()].to_string()
        } else {
            form.applicant.clone()
        };
        let legend = rng.pick(LEGENDS).map(str::to_string);
        let (face, font) = faces.font(rng.below(FACES.len()))?;
        let face = face.to_string();
        let spec = SealSpec {
            org: org.clone(),
            bottom: legend.clone(),
            shape: SealShape::Round,
        };
        let (sx, sy) = scan::SEAL_AT;
        let star = rng.chance(0.8);
        stamp_hard(
            &mut img,
            &font,
            &spec,
            star,
            sx * dpi,
            sy * dpi,
            dpi * 0.82,
            hard.seal_rot_deg,
            &hard,
            &mut rng,
        );
        signature(&mut img, dpi * 5.0, dpi * 6.1, dpi * 1.2, dpi, &mut rng);
        let (_, jpeg) = finish(img, &hard, &mut rng)?;
        let jpeg = jpeg.context("hard pages are JPEG")?;
        let name = format!("{}.{}-{}.jpg", i + 1, form.project_name, form.applicant);
        std::fs::write(inbox.join(dir).join(&name), &jpeg)?;
        let line = json!({
            "container": [],
            "path": format!("{dir}/{name}"),
            "scan": {"skew_deg": hard.page_skew_deg, "turn": 0, "blur": hard.blur_sigma > 0.0,
                     "dpi": dpi, "jpeg_quality": hard.jpeg_quality,
                     "hard": {"seal_rot_deg": hard.seal_rot_deg, "fade": hard.fade,
                              "broken": hard.broken, "texture": hard.texture,
                              "blur_sigma": hard.blur_sigma, "face": face, "star": star}},
            "fields": {
                "project_name": form.project_name,
                "applicant": form.applicant,
                "pi": {"name": form.pi_name},
                "partner_countries": [form.country_iso],
                "partner_institution": form.partner,
                "seals": [{"text": org, "bottom": legend, "shape": "round",
                           "owner": (!stranger).then_some("applicant")}],
            }
        });
        truth.push_str(&line.to_string());
        truth.push('\n');
    }
    std::fs::write(out.join("truth.jsonl"), truth)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Red ink laid in the seal's disc: pixels clearly redder than grey.
    fn red_share(p: &HardPage) -> f64 {
        let s = &p.seals[0];
        let (mut red, mut all) = (0usize, 0usize);
        for (x, y, px) in p.image.enumerate_pixels() {
            let d = ((x as f32 - s.centre.0).powi(2) + (y as f32 - s.centre.1).powi(2)).sqrt();
            if d < s.radius {
                all += 1;
                let [r, g, b] = px.0;
                red += usize::from(r as i32 - (g as i32).max(b as i32) > 60);
            }
        }
        red as f64 / all.max(1) as f64
    }

    #[test]
    fn conditions_degrade_and_are_reproducible() {
        let Ok(faces) = Faces::load() else {
            eprintln!("skipped: no CJK font");
            return;
        };
        let clean = hard_page(&faces, Condition::Clean, 3).unwrap();
        let again = hard_page(&faces, Condition::Clean, 3).unwrap();
        assert_eq!(clean.image.as_raw(), again.image.as_raw());
        assert_eq!(clean.seals.len(), 1);
        assert!(clean.parties.len() >= 3);
        let faded = hard_page(&faces, Condition::Faded, 3).unwrap();
        assert!(red_share(&faded) < red_share(&clean) * 0.8);
        let overlap = hard_page(&faces, Condition::Overlap, 3).unwrap();
        assert_eq!(overlap.seals.len(), 2);
        let jpeg = hard_page(&faces, Condition::Jpeg150, 3).unwrap();
        assert!(jpeg.jpeg.is_some() && jpeg.dpi == 150.0);
    }
}
