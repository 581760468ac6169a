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
use crate::ocr::engine::{self, Psm};

mod find;
pub use find::{Ellipse, Found, Shape, find, ink_class, is_red, red_mask, white_balance};

/// A seal's name matches an organization at this similarity or above.
pub const MATCH_SIMILARITY: f64 = 0.6;

/// Seal ink as dark on white, for OCR of the seal's text: the "redness"
/// (red above the other channels) scaled so the strongest ink is black.
/// Continuous, not thresholded, so blurred strokes keep their holes.
pub fn ink_gray(rgb: &RgbImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    let redness: Vec<i32> = rgb
        .pixels()
        .map(|p| {
            let [r, g, b] = p.0;
            (r as i32 - (g as i32).max(b as i32)).max(0)
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

/// Pads an image with white so text does not touch the border.
fn pad(img: &GrayImage, by: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let mut out = GrayImage::from_pixel(w + 2 * by, h + 2 * by, Luma([255]));
    imageops::overlay(&mut out, img, by as i64, by as i64);
    out
}

fn read(img: &GrayImage, psm: Psm) -> (String, f32) {
    // Seal ink is faint and uneven: binarize at Otsu's level so strokes
    // are solid black for tesseract.
    let thr = crate::ocr::raster::otsu(img).clamp(80, 230);
    let mut bin = img.clone();
    for p in bin.iter_mut() {
        *p = if *p < thr { 0 } else { 255 };
    }
    let img = pad(&bin, 20);
    let (w, h) = img.dimensions();
    match engine::recognize(img.as_raw(), w, h, 300, psm) {
        Ok((words, conf)) => {
            let text = clean(&crate::ocr::join_words(
                words.iter().map(|w| w.text.as_str()),
            ));
            (text, conf)
        }
        Err(_) => (String::new(), 0.0),
    }
}

/// The unwrapped ring of a round seal crop, as OCR sees it.
pub fn ring_strip(crop: &RgbImage) -> GrayImage {
    let crop = normalize_crop(crop);
    unwrap_ring(&ink_gray(&crop), RING_IN, RING_OUT, RING_FROM, RING_TO)
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

/// Reads a seal crop: the ring text (round seals) and the horizontal text
/// below the centre, or the whole face (square seals). Returns the text
/// (ring, then centre text after a space) and a confidence in 0–1.
pub fn read_seal(crop: &RgbImage, shape: Shape) -> (String, f32) {
    // Work at a fixed size: radius ≈ 220 px puts ring characters at about
    // 60 px, which tesseract reads well.
    let crop = normalize_crop(crop);
    let ink = ink_gray(&crop);
    match shape {
        Shape::Square => {
            let (t, c) = read(&ink, Psm::Block);
            (t, c / 100.0)
        }
        Shape::Round => {
            // Two bands: ring text sits a little deeper on some seals.
            let (mut ring, mut c1) = (String::new(), -1.0f32);
            for (t_in, t_out) in [(RING_IN, RING_OUT), (RING_IN + 0.05, RING_OUT - 0.03)] {
                let strip = unwrap_ring(&ink, t_in, t_out, RING_FROM, RING_TO);
                // Seal glyphs are set loose; squeezed, split radicals
                // (阝+艮) join into one character again.
                let (sw, sh) = strip.dimensions();
                let squeeze = |k: u32| {
                    imageops::resize(&strip, sw * k / 100, sh, imageops::FilterType::Triangle)
                };
                for k in [100, 75, 60] {
                    let img = if k == 100 { strip.clone() } else { squeeze(k) };
                    let (t, c) = read(&img, Psm::Line);
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
            let (below, c2) = read(&bottom, Psm::Line);
            // Star tips and ring specks read as stray letters: keep only
            // a confident legend of Chinese characters.
            let cjk = below.chars().filter(|c| crate::ocr::is_cjk(*c)).count();
            let (below, c2) = if c2 >= 50.0 && cjk >= 2 {
                (below, c2)
            } else {
                (String::new(), 0.0)
            };
            let conf = if below.is_empty() {
                c1
            } else {
                (c1 * 2.0 + c2) / 3.0
            };
            let text = if below.is_empty() {
                ring
            } else {
                format!("{ring} {below}")
            };
            (text, conf / 100.0)
        }
    }
}

/// The seal's square around its outline (a little margin), white where
/// it reaches past the image edge, so the ring's centre is the crop's.
pub fn crop_outline(img: &DynamicImage, e: &Ellipse) -> RgbImage {
    let (rx, ry) = (e.rx * 1.04, e.ry * 1.04);
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
            Shape::Round => crop_outline(img, &f.outline),
            Shape::Square => img.crop_imm(x0, y0, x1 - x0, y1 - y0).to_rgb8(),
        };
        let (text, confidence) = read_seal(&crop, f.shape);
        // Seal legends are Chinese: Latin noise means the text is unread
        // (the seal is still reported, with its crop, for the reviewer).
        let cjk = text.chars().filter(|c| crate::ocr::is_cjk(*c)).count();
        let (text, confidence) = if cjk >= 2 {
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
            confidence: (confidence * 100.0).round() / 100.0,
            crop_png: png,
        });
    }
    out
}

/// Whether a seal's text names `org`: the ring text (before the centre
/// text) compared with [`org_similarity`]; a seal read partly still
/// matches when the name is contained in it.
pub fn seal_matches(seal_text: &str, org: &str) -> bool {
    similarity(seal_text, org) >= MATCH_SIMILARITY
}

/// Best similarity of the seal text (whole, or its ring part) to `org`.
pub fn similarity(seal_text: &str, org: &str) -> f64 {
    let ring = seal_text.split(' ').next().unwrap_or(seal_text);
    org_similarity(ring, org).max(org_similarity(seal_text, org))
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

    #[test]
    fn matching() {
        assert!(seal_matches("山东大学 合同专用章", "山东大学"));
        assert!(!seal_matches("青岛科技大学", "山东大学"));
    }
}
