//! Finding seals on a page image: colour first (red after a local white
//! balance, so bluish phone photos, yellowed scans and uneven lighting
//! still show their ink), then shape — a ring fitted to the outermost ink
//! (circle or axis-aligned ellipse, robust to text and a second seal
//! touching it, partly outside the image allowed; two seals stamped
//! overlapping are tried as two circles before one wide ellipse) or a
//! square border.

use image::{DynamicImage, GenericImageView, RgbImage, imageops};

use crate::pixels::raster::{Component, components};

/// Resolution the red mask is searched at (seals are large, text is not
/// needed here).
const DETECT_DPI: f32 = 75.0;

/// Outline of a detected seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Round,
    /// An ellipse clearly longer than high (or higher than long).
    Oval,
    Square,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Round => "round",
            Shape::Oval => "oval",
            Shape::Square => "square",
        }
    }
}

/// Axis ratio above which a fitted ring is an oval seal, not a round one
/// seen slightly squashed (scanner stretch, a tilted phone).
const OVAL_ASPECT: f32 = 1.15;

/// An axis-aligned ellipse (a circle when `rx == ry`), in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipse {
    pub cx: f32,
    pub cy: f32,
    pub rx: f32,
    pub ry: f32,
}

impl Ellipse {
    /// Normalized radius of (x, y): 1 on the outline.
    fn t(&self, x: f32, y: f32) -> f32 {
        let dx = (x - self.cx) / self.rx.max(0.5);
        let dy = (y - self.cy) / self.ry.max(0.5);
        (dx * dx + dy * dy).sqrt()
    }
    fn scaled(&self, k: f32) -> Ellipse {
        Ellipse {
            cx: self.cx * k,
            cy: self.cy * k,
            rx: self.rx * k,
            ry: self.ry * k,
        }
    }
}

/// A seal found on a page, in pixels of the page image.
#[derive(Debug, Clone)]
pub struct Found {
    pub shape: Shape,
    /// `[x0, y0, x1, y1]` in page-image pixels, clipped to the image.
    pub rect: [u32; 4],
    /// The seal's outline (round seals: the fitted ring; square seals:
    /// the inscribed ellipse of the box). May reach past the image edge.
    pub outline: Ellipse,
}

/// Seal ink on a white-balanced pixel: clearly red hue, saturated enough,
/// not too dark (strong), or a faded pink of the same hue (weak).
pub fn ink_class(r: u8, g: u8, b: u8) -> u8 {
    let (r, g, b) = (r as i32, g as i32, b as i32);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    if max != r || r < 70 {
        return 0;
    }
    // Hue within about ±25° of red: green and blue alike, both below red
    // (gold and orange have green close to red and blue far below).
    let hue = |slack: f32| (g - b).abs() as f32 <= 0.45 * (r - min) as f32 + slack;
    let sat = (max - min) as f32 / max as f32;
    if sat > 0.22 && r - g > 45 && r - b > 45 && hue(0.0) {
        2
    } else if r >= 110 && r - g >= 28 && r - b >= 22 && hue(8.0) {
        1
    } else {
        0
    }
}

/// Whether a white-balanced pixel is strong seal ink.
pub fn is_red(r: u8, g: u8, b: u8) -> bool {
    ink_class(r, g, b) == 2
}

/// Red mask (strong ink) of an RGB image, as it is (no white balance).
pub fn red_mask(rgb: &RgbImage) -> Vec<bool> {
    rgb.pixels()
        .map(|p| is_red(p.0[0], p.0[1], p.0[2]))
        .collect()
}

/// Divides out the paper colour, estimated per tile of about `tile`
/// pixels from the brightest pixels and interpolated between tiles, so
/// paper becomes white and ink keeps its hue under any light.
pub fn white_balance(img: &RgbImage, tile: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    let tile = tile.max(8);
    let (tw, th) = (w.div_ceil(tile), h.div_ceil(tile));
    let mut bg: Vec<Option<[f32; 3]>> = Vec::with_capacity((tw * th) as usize);
    for ty in 0..th {
        for tx in 0..tw {
            let (x0, y0) = (tx * tile, ty * tile);
            let (x1, y1) = ((x0 + tile).min(w), (y0 + tile).min(h));
            let mut hist = [0u32; 766];
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = img.get_pixel(x, y).0;
                    hist[p[0] as usize + p[1] as usize + p[2] as usize] += 1;
                }
            }
            let n: u32 = hist.iter().sum();
            // The brightest 20 %: paper, unless the tile is all ink.
            let (mut acc, mut cut) = (0u32, 0usize);
            for (l, &c) in hist.iter().enumerate().rev() {
                acc += c;
                if acc * 5 >= n {
                    cut = l;
                    break;
                }
            }
            let (mut s, mut k) = ([0f32; 3], 0f32);
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = img.get_pixel(x, y).0;
                    if p[0] as usize + p[1] as usize + p[2] as usize >= cut {
                        for c in 0..3 {
                            s[c] += p[c] as f32;
                        }
                        k += 1.0;
                    }
                }
            }
            let m = s.map(|v| v / k.max(1.0));
            // Dark tiles (photo margins, black areas) say nothing of paper.
            bg.push((m[0].max(m[1]).max(m[2]) >= 60.0).then_some(m));
        }
    }
    // Global paper colour for the tiles that say nothing.
    let mut known: Vec<[f32; 3]> = bg.iter().flatten().copied().collect();
    let global = if known.is_empty() {
        [255.0; 3]
    } else {
        known.sort_by(|a, b| (a[0] + a[1] + a[2]).total_cmp(&(b[0] + b[1] + b[2])));
        known[known.len() / 2]
    };
    // 3×3 median per channel: a tile under dense ink borrows from its
    // neighbours.
    let at = |x: i64, y: i64| -> [f32; 3] {
        let x = x.clamp(0, tw as i64 - 1) as u32;
        let y = y.clamp(0, th as i64 - 1) as u32;
        bg[(y * tw + x) as usize].unwrap_or(global)
    };
    let mut gains = Vec::with_capacity(bg.len());
    for ty in 0..th as i64 {
        for tx in 0..tw as i64 {
            let mut m = [0f32; 3];
            for (c, mc) in m.iter_mut().enumerate() {
                let mut v: Vec<f32> = (-1..=1)
                    .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
                    .map(|(dx, dy)| at(tx + dx, ty + dy)[c])
                    .collect();
                v.sort_by(f32::total_cmp);
                *mc = v[4];
            }
            // Keep the correction a white balance, not a recolouring: no
            // channel gains much more than the others.
            let g = m.map(|v| (255.0 / v.max(1.0)).clamp(0.9, 3.5));
            let mean = (g[0] + g[1] + g[2]) / 3.0;
            gains.push(g.map(|v| v.clamp(mean * 0.7, mean * 1.4)));
        }
    }
    let mut out = RgbImage::new(w, h);
    let half = tile as f32 / 2.0;
    for (x, y, p) in out.enumerate_pixels_mut() {
        // Bilinear between tile centres.
        let fx = ((x as f32 - half) / tile as f32).clamp(0.0, (tw - 1) as f32);
        let fy = ((y as f32 - half) / tile as f32).clamp(0.0, (th - 1) as f32);
        let (x0, y0) = (fx as u32, fy as u32);
        let (x1, y1) = ((x0 + 1).min(tw - 1), (y0 + 1).min(th - 1));
        let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
        let g = |tx: u32, ty: u32| gains[(ty * tw + tx) as usize];
        let (g00, g10, g01, g11) = (g(x0, y0), g(x1, y0), g(x0, y1), g(x1, y1));
        let src = img.get_pixel(x, y).0;
        for c in 0..3 {
            let k = (g00[c] * (1.0 - ax) + g10[c] * ax) * (1.0 - ay)
                + (g01[c] * (1.0 - ax) + g11[c] * ax) * ay;
            p.0[c] = (src[c] as f32 * k).min(255.0) as u8;
        }
    }
    out
}

/// Cheap first look: whether the page has enough reddish pixels to hold a
/// seal, from a sparse grid of the original pixels (lenient: no white
/// balance yet, so a red cast of the paper passes and is judged later).
/// Gray images have no seals. The one gate: OCR asks it before turning a
/// page upright for the seal search.
pub fn may_have_seal(img: &DynamicImage, dpi: f32) -> bool {
    let rgb = match img {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA16(_) => return false,
        DynamicImage::ImageRgb8(i) => Some(i),
        _ => None,
    };
    let (w, h) = img.dimensions();
    // About 40 samples an inch: a 15 mm seal ring leaves dozens.
    let step = ((dpi / 40.0) as u32).max(1);
    let (mut n, mut red) = (0u32, 0u32);
    for y in (0..h).step_by(step as usize) {
        for x in (0..w).step_by(step as usize) {
            let [r, g, b] = match rgb {
                Some(i) => i.get_pixel(x, y).0,
                None => {
                    let p = img.get_pixel(x, y).0;
                    [p[0], p[1], p[2]]
                }
            };
            let (r, g, b) = (r as i32, g as i32, b as i32);
            n += 1;
            red += u32::from(r - g >= 25 && r - b >= 10);
        }
    }
    red >= 12.max(n / 5000)
}

/// Grows a mask by `r` pixels (square), to join broken strokes.
fn dilate(mask: &[bool], w: u32, h: u32, r: u32) -> Vec<bool> {
    let (w, h, r) = (w as usize, h as usize, r as usize);
    let pass = |src: &[bool], n: usize, m: usize, idx: &dyn Fn(usize, usize) -> usize| {
        let mut out = vec![false; src.len()];
        for j in 0..m {
            let mut last: Option<usize> = None;
            for i in 0..n {
                if src[idx(i, j)] {
                    last = Some(i);
                }
                if last.is_some_and(|l| i - l <= r) {
                    out[idx(i, j)] = true;
                }
            }
            let mut next: Option<usize> = None;
            for i in (0..n).rev() {
                if src[idx(i, j)] {
                    next = Some(i);
                }
                if next.is_some_and(|l| l - i <= r) {
                    out[idx(i, j)] = true;
                }
            }
        }
        out
    };
    let tmp = pass(mask, w, h, &|x, y| y * w + x);
    pass(&tmp, h, w, &|y, x| y * w + x)
}

/// Tiny deterministic generator for RANSAC samples.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn circle3(p: [(f32, f32); 3]) -> Option<Ellipse> {
    let [(x1, y1), (x2, y2), (x3, y3)] = p;
    let d = 2.0 * (x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2));
    if d.abs() < 1e-3 {
        return None;
    }
    let s1 = x1 * x1 + y1 * y1;
    let s2 = x2 * x2 + y2 * y2;
    let s3 = x3 * x3 + y3 * y3;
    let cx = (s1 * (y2 - y3) + s2 * (y3 - y1) + s3 * (y1 - y2)) / d;
    let cy = (s1 * (x3 - x2) + s2 * (x1 - x3) + s3 * (x2 - x1)) / d;
    let r = ((x1 - cx).powi(2) + (y1 - cy).powi(2)).sqrt();
    Some(Ellipse {
        cx,
        cy,
        rx: r,
        ry: r,
    })
}

/// Least-squares axis-aligned conic `A x² + B y² + C x + D y = 1` through
/// the points (centred first for conditioning); `circle` ties A = B.
fn fit_lsq(pts: &[(f32, f32)], circle: bool) -> Option<Ellipse> {
    if pts.len() < if circle { 3 } else { 4 } {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = pts.iter().fold((0f64, 0f64), |(a, b), p| {
        (a + p.0 as f64 / n, b + p.1 as f64 / n)
    });
    // Circle: x² + y² + Cx + Dy + E = 0; ellipse: x² + By² + Cx + Dy + E = 0.
    let k = if circle { 3 } else { 4 };
    let mut ata = vec![0f64; k * k];
    let mut atb = vec![0f64; k];
    for p in pts {
        let (x, y) = (p.0 as f64 - mx, p.1 as f64 - my);
        let (row, rhs): (Vec<f64>, f64) = if circle {
            (vec![x, y, 1.0], -(x * x + y * y))
        } else {
            (vec![y * y, x, y, 1.0], -(x * x))
        };
        for i in 0..k {
            for j in 0..k {
                ata[i * k + j] += row[i] * row[j];
            }
            atb[i] += row[i] * rhs;
        }
    }
    let sol = solve(&mut ata, &mut atb, k)?;
    let (a, b, c, d, e) = if circle {
        (1.0, 1.0, sol[0], sol[1], sol[2])
    } else {
        (1.0, sol[0], sol[1], sol[2], sol[3])
    };
    if b <= 0.0 {
        return None;
    }
    let cx = -c / (2.0 * a);
    let cy = -d / (2.0 * b);
    let f = a * cx * cx + b * cy * cy - e;
    if f <= 0.0 {
        return None;
    }
    Some(Ellipse {
        cx: (cx + mx) as f32,
        cy: (cy + my) as f32,
        rx: (f / a).sqrt() as f32,
        ry: (f / b).sqrt() as f32,
    })
}

/// Gaussian elimination with partial pivoting on a k×k system.
fn solve(a: &mut [f64], b: &mut [f64], k: usize) -> Option<Vec<f64>> {
    for col in 0..k {
        let piv =
            (col..k).max_by(|&i, &j| a[i * k + col].abs().total_cmp(&a[j * k + col].abs()))?;
        if a[piv * k + col].abs() < 1e-12 {
            return None;
        }
        for j in 0..k {
            a.swap(col * k + j, piv * k + j);
        }
        b.swap(col, piv);
        for i in col + 1..k {
            let f = a[i * k + col] / a[col * k + col];
            for j in col..k {
                a[i * k + j] -= f * a[col * k + j];
            }
            b[i] -= f * b[col];
        }
    }
    let mut x = vec![0f64; k];
    for i in (0..k).rev() {
        let s: f64 = (i + 1..k).map(|j| a[i * k + j] * x[j]).sum();
        x[i] = (b[i] - s) / a[i * k + i];
    }
    Some(x)
}

const BINS: usize = 72;

/// The outermost ink pixel in each angular bin around (cx, cy).
fn outer_points(pix: &[(u32, u32)], cx: f32, cy: f32) -> Vec<(f32, f32)> {
    let mut best = [(-1f32, 0f32, 0f32); BINS];
    for &(x, y) in pix {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let d = dx * dx + dy * dy;
        let a = dy.atan2(dx).rem_euclid(std::f32::consts::TAU);
        let i = ((a / std::f32::consts::TAU) * BINS as f32) as usize % BINS;
        if d > best[i].0 {
            best[i] = (d, x as f32, y as f32);
        }
    }
    best.iter()
        .filter(|b| b.0 >= 0.0)
        .map(|b| (b.1, b.2))
        .collect()
}

fn inliers(e: &Ellipse, pts: &[(f32, f32)], tol: f32) -> Vec<(f32, f32)> {
    pts.iter()
        .copied()
        .filter(|p| (e.t(p.0, p.1) - 1.0).abs() <= tol)
        .collect()
}

/// Fits the seal ring to the outermost ink of `pix`: RANSAC circle on the
/// outer points (text or a second seal touching the ring are outliers),
/// refined by least squares, then an ellipse if it fits clearly better.
fn fit_ring(pix: &[(u32, u32)], guess: (f32, f32), rmin: f32, rmax: f32) -> Option<Ellipse> {
    fit_outline(pix, guess, rmin, rmax, true)
}

/// [`fit_ring`], circles only when `!ovals`.
fn fit_outline(
    pix: &[(u32, u32)],
    guess: (f32, f32),
    rmin: f32,
    rmax: f32,
    ovals: bool,
) -> Option<Ellipse> {
    let mut center = guess;
    let mut best: Option<Ellipse> = None;
    for _round in 0..2 {
        let pts = outer_points(pix, center.0, center.1);
        if pts.len() < 12 {
            return None;
        }
        let mut rng = Lcg(0x5EA1 + pts.len() as u64);
        let mut top: Option<(usize, Ellipse)> = None;
        for _ in 0..200 {
            let (i, j, k) = (
                rng.below(pts.len()),
                rng.below(pts.len()),
                rng.below(pts.len()),
            );
            if i == j || j == k || i == k {
                continue;
            }
            let Some(c) = circle3([pts[i], pts[j], pts[k]]) else {
                continue;
            };
            if c.rx < rmin || c.rx > rmax {
                continue;
            }
            let tol = (1.5 / c.rx).max(0.05);
            let n = inliers(&c, &pts, tol).len();
            if top.as_ref().is_none_or(|t| n > t.0) {
                top = Some((n, c));
            }
        }
        // Oval seals: ellipses through one outer point of each quadrant,
        // tried when no circle explains most of the outline.
        let q = pts.len() / 4;
        let circle_fits = top.as_ref().is_some_and(|t| t.0 * 10 >= pts.len() * 7);
        for _ in 0..if circle_fits || !ovals { 0 } else { 200 } {
            let s: Vec<(f32, f32)> = (0..4).map(|k| pts[k * q + rng.below(q)]).collect();
            let Some(e) = fit_lsq(&s, false) else {
                continue;
            };
            let aspect = e.rx / e.ry;
            if !(0.5..=2.0).contains(&aspect)
                || e.rx.min(e.ry) < rmin
                || e.rx.max(e.ry) > rmax * 1.3
            {
                continue;
            }
            let tol = (1.5 / e.rx.min(e.ry)).max(0.05);
            let n = inliers(&e, &pts, tol).len();
            if top.as_ref().is_none_or(|t| n > t.0) {
                top = Some((n, e));
            }
        }
        let (_, c) = top?;
        let tol = (1.5 / c.rx.min(c.ry)).max(0.06);
        let ins = inliers(&c, &pts, tol);
        let circle = fit_lsq(&ins, true).unwrap_or(c);
        // An oval: fit the loosely near points and keep it when it
        // explains clearly more of them.
        let near = if (c.rx / c.ry - 1.0).abs() > 0.05 {
            ins.clone()
        } else {
            inliers(&circle, &pts, 0.3)
        };
        let mut pick = circle;
        if let Some(el) = fit_lsq(&near, false).filter(|_| ovals) {
            let aspect = el.rx / el.ry;
            let (ne, nc) = (
                inliers(&el, &pts, tol).len(),
                inliers(&circle, &pts, tol).len(),
            );
            if (0.5..=2.0).contains(&aspect) && ne as f32 > nc as f32 * 1.2 + 2.0 {
                pick = el;
            }
        }
        center = (pick.cx, pick.cy);
        best = Some(pick);
    }
    best.filter(|e| e.rx.min(e.ry) >= rmin && e.rx.max(e.ry) <= rmax * 1.3)
}

/// Two overlapping round rings in `pix`, each a ring by [`is_ring`], the
/// second fitted to the ink outside the first, its centre outside the
/// first ring and the two outlines crossing.
fn two_circles(
    pix: &[(u32, u32)],
    guess: (f32, f32),
    rmin: f32,
    rmax: f32,
    mask: &[bool],
    w: u32,
    h: u32,
) -> Option<[Ellipse; 2]> {
    let a = fit_outline(pix, guess, rmin, rmax, false)?;
    if !is_ring(&a, mask, w, h) {
        return None;
    }
    let rest: Vec<(u32, u32)> = pix
        .iter()
        .copied()
        .filter(|&(x, y)| a.t(x as f32, y as f32) > 1.12)
        .collect();
    if rest.len() < pix.len() / 8 {
        return None;
    }
    let (x0, y0, x1, y1) = rest
        .iter()
        .fold((u32::MAX, u32::MAX, 0, 0), |(a, b, c, d), &(x, y)| {
            (a.min(x), b.min(y), c.max(x), d.max(y))
        });
    let g = ((x0 + x1) as f32 / 2.0, (y0 + y1) as f32 / 2.0);
    let b = fit_outline(&rest, g, rmin, rmax, false)?;
    let apart = ((a.cx - b.cx).powi(2) + (a.cy - b.cy).powi(2)).sqrt();
    let crossing = apart < a.rx + b.rx && apart > (a.rx - b.rx).abs();
    (is_ring(&b, mask, w, h) && a.t(b.cx, b.cy) >= 0.5 && crossing).then_some([a, b])
}

/// Least share of ink inside a ring (within 0.8 of its radius) for it to
/// be a seal's: a faded stamp without a star keeps only a few pale
/// characters there (0.0095 on a generated one, the ring text mostly
/// outside 0.8), and half of that still tells it from an empty circle.
const MIN_FILL: f32 = 0.005;

/// Whether the ink around `e` is a seal ring: ink on the outline all
/// round (where the outline lies inside the image), something inside,
/// not a filled disc.
fn is_ring(e: &Ellipse, mask: &[bool], w: u32, h: u32) -> bool {
    const SECTORS: usize = 36;
    let mut ring = [false; SECTORS];
    let mut seen = [false; SECTORS];
    for (s, v) in seen.iter_mut().enumerate() {
        let a = (s as f32 + 0.5) / SECTORS as f32 * std::f32::consts::TAU;
        let (x, y) = (e.cx + e.rx * a.cos(), e.cy + e.ry * a.sin());
        *v = x >= 0.0 && y >= 0.0 && x < w as f32 && y < h as f32;
    }
    let (mut inner, mut inner_area, mut band, mut outside) = (0u32, 0u32, 0u32, 0u32);
    let x0 = (e.cx - e.rx * 1.3).max(0.0) as u32;
    let y0 = (e.cy - e.ry * 1.3).max(0.0) as u32;
    let x1 = ((e.cx + e.rx * 1.3) as u32).min(w - 1);
    let y1 = ((e.cy + e.ry * 1.3) as u32).min(h - 1);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let t = e.t(x as f32, y as f32);
            let ink = mask[(y * w + x) as usize];
            if t < 0.8 {
                inner_area += 1;
                inner += ink as u32;
            } else if t <= 1.1 {
                band += ink as u32;
                if ink && t >= 0.86 {
                    let a = (y as f32 - e.cy)
                        .atan2(x as f32 - e.cx)
                        .rem_euclid(std::f32::consts::TAU);
                    ring[((a / std::f32::consts::TAU) * SECTORS as f32) as usize % SECTORS] = true;
                }
            } else if t <= 1.3 {
                outside += ink as u32;
            }
        }
    }
    let seen_n = seen.iter().filter(|&&s| s).count();
    let hit = ring.iter().zip(&seen).filter(|(r, s)| **r && **s).count();
    let coverage = hit as f32 / seen_n.max(1) as f32;
    let fill = inner as f32 / inner_area.max(1) as f32;
    seen_n * 2 >= SECTORS
        && coverage >= 0.75
        && (MIN_FILL..0.6).contains(&fill)
        && band > 0
        && (outside as f32) < band as f32 * 1.2
}

/// Square border: each side's band holds ink along most of its length.
fn is_square(c: &Component, mask: &[bool], w: u32) -> bool {
    let side = |horizontal: bool, near_start: bool| -> f32 {
        let band = ((if horizontal { c.height() } else { c.width() }) / 10).max(2);
        let (len, mut hit) = (if horizontal { c.width() } else { c.height() }, 0u32);
        for i in 0..len {
            let mut any = false;
            for d in 0..band {
                let (x, y) = match (horizontal, near_start) {
                    (true, true) => (c.x0 + i, c.y0 + d),
                    (true, false) => (c.x0 + i, c.y1 - d),
                    (false, true) => (c.x0 + d, c.y0 + i),
                    (false, false) => (c.x1 - d, c.y0 + i),
                };
                any |= mask[(y * w + x) as usize];
            }
            hit += any as u32;
        }
        hit as f32 / len.max(1) as f32
    };
    let aspect = c.width() as f32 / c.height() as f32;
    if !(0.7..=1.45).contains(&aspect) {
        return false;
    }
    let sides = [
        side(true, true),
        side(true, false),
        side(false, true),
        side(false, false),
    ];
    // Something inside the border: the legend.
    let (mut inner, mut area) = (0u32, 0u32);
    let (mx, my) = (c.width() / 5, c.height() / 5);
    for y in c.y0 + my..c.y1.saturating_sub(my) {
        for x in c.x0 + mx..c.x1.saturating_sub(mx) {
            area += 1;
            inner += mask[(y * w + x) as usize] as u32;
        }
    }
    let fill = inner as f32 / area.max(1) as f32;
    sides.iter().all(|&s| s > 0.85) && (0.03..0.6).contains(&fill)
}

/// A seal of `shape` outlined by `e` on the image shrunk by `scale`, as
/// found on the image of size `full`.
fn placed(shape: Shape, e: &Ellipse, scale: f32, full: (u32, u32)) -> Found {
    let back = |v: f32, lim: u32| ((v / scale).max(0.0) as u32).min(lim);
    Found {
        shape,
        rect: [
            back(e.cx - e.rx, full.0),
            back(e.cy - e.ry, full.1),
            back(e.cx + e.rx + 1.0, full.0),
            back(e.cy + e.ry + 1.0, full.1),
        ],
        outline: e.scaled(1.0 / scale),
    }
}

/// Round, or oval when the outline is clearly longer one way.
fn shape_of(e: &Ellipse) -> Shape {
    if e.rx.max(e.ry) / e.rx.min(e.ry) > OVAL_ASPECT {
        Shape::Oval
    } else {
        Shape::Round
    }
}

/// Finds seal outlines on a page image whose resolution is `dpi`.
pub fn find(img: &DynamicImage, dpi: f32) -> Vec<Found> {
    let (w0, h0) = (img.width(), img.height());
    if w0 < 16 || h0 < 16 || !may_have_seal(img, dpi) {
        return Vec::new();
    }
    let scale = (DETECT_DPI / dpi.max(1.0)).min(1.0);
    let small = if scale < 0.95 {
        img.resize_exact(
            ((w0 as f32 * scale) as u32).max(1),
            ((h0 as f32 * scale) as u32).max(1),
            imageops::FilterType::Triangle,
        )
        .to_rgb8()
    } else {
        img.to_rgb8()
    };
    let sdpi = dpi * scale;
    let (w, h) = small.dimensions();
    let bal = white_balance(&small, (sdpi * 0.6) as u32);
    let class: Vec<u8> = bal
        .pixels()
        .map(|p| ink_class(p.0[0], p.0[1], p.0[2]))
        .collect();
    let mask: Vec<bool> = class.iter().map(|&c| c > 0).collect();
    let joined = dilate(&mask, w, h, ((sdpi / 37.0) as u32).max(1));
    let (comps, labels) = components(&joined, w, h);
    // Seals run 15–60 mm across; an image not much larger than that is a
    // crop around one seal, which may fill it whatever the stated dpi.
    let min = sdpi * 0.55;
    let crop_like = (w.min(h) as f32) < sdpi * 3.0;
    let max = if crop_like {
        (w.max(h) as f32 * 1.3).max(sdpi * 2.6)
    } else {
        sdpi * 2.6
    };
    let mut found = Vec::new();
    // Ink pixels of the blob each seal was fitted to.
    let mut blob_ink: Vec<usize> = Vec::new();
    // Each seal's outline on the small image and the ink it was fitted to.
    let mut fits: Vec<(Ellipse, Vec<(u32, u32)>)> = Vec::new();
    for (id, c) in comps.iter().enumerate() {
        let (cw, ch) = (c.width() as f32, c.height() as f32);
        if cw.max(ch) < min || cw.min(ch) > max || cw.max(ch) > max * 2.2 {
            continue;
        }
        let label = id as u32 + 1;
        let mut pix = Vec::new();
        let mut strong = 0u32;
        for y in c.y0..=c.y1 {
            for x in c.x0..=c.x1 {
                let i = (y * w + x) as usize;
                if labels[i] == label && mask[i] {
                    pix.push((x, y));
                    strong += u32::from(class[i] == 2);
                }
            }
        }
        // Faint pink alone is too easily paper tint or JPEG fringes.
        if (strong as usize) * 10 < pix.len() || strong < 20 {
            continue;
        }
        let mut push = |shape: Shape, e: Ellipse, fitted: Vec<(u32, u32)>| {
            blob_ink.push(pix.len());
            found.push(placed(shape, &e, scale, (w0, h0)));
            fits.push((e, fitted));
        };
        if is_square(c, &mask, w) && c.width().min(c.height()) as f32 >= min {
            let e = Ellipse {
                cx: (c.x0 + c.x1 + 1) as f32 / 2.0,
                cy: (c.y0 + c.y1 + 1) as f32 / 2.0,
                rx: cw / 2.0,
                ry: ch / 2.0,
            };
            push(Shape::Square, e, Vec::new());
            continue;
        }
        // Rings: up to three per blob (overlapping seals), each fitted to
        // the ink not yet explained by the ones before.
        let mut rings: Vec<(Ellipse, Vec<(u32, u32)>)> = Vec::new();
        let mut rest = pix.clone();
        for _ in 0..3 {
            if rest.len() < pix.len() / 8 || rest.len() < 30 {
                break;
            }
            let (bx0, by0, bx1, by1) = rest
                .iter()
                .fold((u32::MAX, u32::MAX, 0, 0), |(a, b, c, d), &(x, y)| {
                    (a.min(x), b.min(y), c.max(x), d.max(y))
                });
            let guess = ((bx0 + bx1) as f32 / 2.0, (by0 + by1) as f32 / 2.0);
            let Some(e) = fit_ring(&rest, guess, min / 2.0, max / 2.0) else {
                break;
            };
            // Two round seals stamped overlapping (applicant and partner
            // on a joint document) fit one wide ellipse around both, whose
            // outline passes for a ring: rings are tried first.
            if e.rx.max(e.ry) / e.rx.min(e.ry) > OVAL_ASPECT
                && let Some(pair) = two_circles(&rest, guess, min / 2.0, max / 2.0, &mask, w, h)
            {
                for c in pair {
                    let fitted = rest
                        .iter()
                        .copied()
                        .filter(|&(x, y)| c.t(x as f32, y as f32) <= 1.12)
                        .collect();
                    rest.retain(|&(x, y)| c.t(x as f32, y as f32) > 1.12);
                    rings.push((c, fitted));
                }
                continue;
            }
            if !is_ring(&e, &mask, w, h) || rings.iter().any(|r| r.0.t(e.cx, e.cy) < 0.5) {
                break;
            }
            let fitted = rest.clone();
            rest.retain(|&(x, y)| e.t(x as f32, y as f32) > 1.12);
            rings.push((e, fitted));
        }
        for (e, fitted) in rings {
            push(shape_of(&e), e, fitted);
        }
    }
    // Broken ink splits one seal into several blobs, each fitting the same
    // ring: one seal per place, the one fitted to the most ink.
    // Each piece fits only its own arcs (a cut ring fits a smaller circle
    // through them), so the kept seal is fitted again to all its pieces'
    // ink.
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(blob_ink[i]));
    let mut keep = vec![false; found.len()];
    let mut pieces: Vec<Vec<usize>> = vec![Vec::new(); found.len()];
    for &i in &order {
        let (a, r) = (
            &found[i].outline,
            found[i].outline.rx.min(found[i].outline.ry),
        );
        let twin = (0..found.len()).filter(|&j| keep[j]).find(|&j| {
            let b = &found[j].outline;
            let apart = ((a.cx - b.cx).powi(2) + (a.cy - b.cy).powi(2)).sqrt();
            apart < 0.25 * r && (0.8..1.25).contains(&(b.rx / a.rx))
        });
        match twin {
            Some(j) => pieces[j].push(i),
            None => keep[i] = true,
        }
    }
    for j in 0..found.len() {
        if pieces[j].is_empty() || found[j].shape == Shape::Square {
            continue;
        }
        let (e, own) = &fits[j];
        let mut ink = own.clone();
        for &i in &pieces[j] {
            ink.extend_from_slice(&fits[i].1);
        }
        // Kept when it explains more of the pieces' outline than the
        // piece's own fit.
        let refit = fit_ring(&ink, (e.cx, e.cy), min / 2.0, max / 2.0).filter(|f| {
            let pts = outer_points(&ink, f.cx, f.cy);
            let tol = (1.5 / f.rx.min(f.ry)).max(0.05);
            is_ring(f, &mask, w, h) && inliers(f, &pts, tol).len() > inliers(e, &pts, tol).len()
        });
        if let Some(f) = refit {
            found[j] = placed(shape_of(&f), &f, scale, (w0, h0));
        }
    }
    let mut k = keep.iter();
    found.retain(|_| k.next().copied().unwrap_or(true));
    // Text and star inside a seal can pass for a small ring of their own:
    // no seal sits inside another.
    let all = found.clone();
    found.retain(|f| {
        !all.iter().any(|g| {
            let (a, b) = (&g.outline, &f.outline);
            a.rx * a.ry > b.rx * b.ry * 1.5 && a.t(b.cx, b.cy) < 0.85
        })
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_overlapping_round_seals_are_two_rings() {
        // Two 200 px rings at 150 dpi (≈34 mm), centres 1.3 radii apart,
        // text-like ink inside each: one wide blob a single ellipse fits.
        let mut img = RgbImage::from_pixel(1000, 600, image::Rgb([255, 255, 255]));
        let red = image::Rgb([205, 30, 40]);
        let centres = [(400.0f32, 300.0f32), (530.0, 310.0)];
        for y in 0..600u32 {
            for x in 0..1000u32 {
                for (cx, cy) in centres {
                    let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                    let glyph = (55.0..75.0).contains(&d) && (x / 9) % 2 == 0;
                    if (93.0..100.0).contains(&d) || d < 14.0 || glyph {
                        img.put_pixel(x, y, red);
                    }
                }
            }
        }
        let mut found = find(&DynamicImage::ImageRgb8(img), 150.0);
        found.sort_by(|a, b| a.outline.cx.total_cmp(&b.outline.cx));
        assert_eq!(found.len(), 2, "{found:?}");
        for (f, (cx, cy)) in found.iter().zip(centres) {
            assert_eq!(f.shape, Shape::Round, "{f:?}");
            assert!((f.outline.cx - cx).abs() < 6.0 && (f.outline.cy - cy).abs() < 6.0);
            assert!((f.outline.rx - 100.0).abs() < 6.0, "{f:?}");
        }
    }
}
