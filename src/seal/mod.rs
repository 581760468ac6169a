//! Red official seals (公章) on page images: found by colour (a red mask in
//! HSV terms) and shape (connected components whose ink lies on a ring or
//! a square border), several per page, over print or not. Each seal is
//! cropped; its curved text is unwrapped by a polar transform around the
//! fitted circle/ellipse (read clockwise from the lower left) in several
//! bands, OCR'd as lines and merged character by character (`vote`), and
//! the horizontal text below the centre (合同专用章…) is read too. A seal
//! another seal crosses is never reported as read surely. The crop is kept
//! as PNG for the report. Files: `find` (where seals are), `ink` (which
//! pixels are seal ink), `unwrap` (ring and arc to a strip), `read` (the
//! engines on the strips), `vote` (readings combined).

use image::{DynamicImage, ImageFormat, RgbImage, imageops};

use crate::model::SealMark;
use crate::pixels::engine::{self, Langs, Psm};

mod find;
mod ink;
mod read;
mod unwrap;
mod vote;
pub use find::{
    Ellipse, Found, Shape, find, ink_class, is_red, may_have_seal, red_mask, white_balance,
};
pub use ink::ink_gray;
pub use read::{Engine, SealReading, StripReading, read_seal, read_strip, seal_strips};
pub use unwrap::{oval_strip, ring_strip, square_line, unwrap_oval, unwrap_ring};
#[allow(unused_imports)]
use {ink::*, read::*, unwrap::*, vote::*};

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

/// What the reader reads of a found seal: round and oval seals centred
/// on their outline ([`crop_outline`]), square ones as found.
pub fn crop_found(img: &DynamicImage, f: &Found) -> RgbImage {
    match f.shape {
        Shape::Round | Shape::Oval => crop_outline(img, &f.outline),
        Shape::Square => {
            let [x0, y0, x1, y1] = f.rect;
            img.crop_imm(x0, y0, x1 - x0, y1 - y0).to_rgb8()
        }
    }
}

/// Finds and reads every seal on a page image at `dpi`. Boxes are in
/// points of the page as scanned.
pub fn detect(img: &DynamicImage, page: u32, dpi: f32) -> Vec<SealMark> {
    let mut out = Vec::new();
    let found = find(img, dpi);
    for (k, f) in found.iter().enumerate() {
        let [x0, y0, x1, y1] = f.rect;
        let crop = crop_found(img, f);
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
        let cjk = crate::pixels::cjk_count(&text);
        let (text, mut confidence) = if cjk >= 2 && confidence >= MIN_CONFIDENCE {
            (text, confidence)
        } else {
            (String::new(), 0.0)
        };
        // Another seal stamped across this one lends its own ring
        // characters to this one's bands, read as surely as the rest: such
        // a reading is no sure evidence of whose seal it is (its owner is
        // still decided when it spells a party's name).
        let crossing: Vec<&Ellipse> = found
            .iter()
            .enumerate()
            .filter(|(j, g)| *j != k && discs_cross(&f.outline, &g.outline))
            .map(|(_, g)| &g.outline)
            .collect();
        if !crossing.is_empty() {
            confidence = confidence.min(CROSSED_CONFIDENCE);
        }
        let covered = match f.shape {
            Shape::Square => Vec::new(),
            Shape::Round | Shape::Oval => crossing
                .iter()
                .filter_map(|g| covered_arc(&f.outline, g))
                .collect(),
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
                .filter(|t| crate::pixels::cjk_count(t) >= 2)
                .collect(),
            covered,
            crop_png: png,
        });
    }
    out
}

/// Confidence at most of a seal another seal crosses: below any
/// `seal_required` bar, so an unmatched reading is SEAL_UNREADABLE.
const CROSSED_CONFIDENCE: f32 = 0.5;

/// Where a round seal's ring text sits, as a share of its radius: the
/// middle of the band its characters fill (0.57–0.87 on seals made to the
/// usual pattern, characters a third of the radius tall below a border).
const TEXT_RADIUS: f32 = 0.72;

/// The arc of `own`'s ring text circle that lies inside `other`'s disc,
/// as `[from, to]` degrees clockwise from `own`'s top (`from` < `to`,
/// either may pass ±180), or None where none does.
fn covered_arc(own: &Ellipse, other: &Ellipse) -> Option<[f32; 2]> {
    let rho = TEXT_RADIUS * (own.rx + own.ry) / 2.0;
    let r = (other.rx + other.ry) / 2.0;
    let (dx, dy) = (other.cx - own.cx, other.cy - own.cy);
    let d = (dx * dx + dy * dy).sqrt();
    if d < 1.0 {
        return Some([-180.0, 180.0]);
    }
    // Law of cosines: text-circle points within r of the other centre.
    let cos = (rho * rho + d * d - r * r) / (2.0 * rho * d);
    if cos >= 1.0 {
        return None;
    }
    let half = cos.max(-1.0).acos().to_degrees();
    let towards = dx.atan2(-dy).to_degrees();
    Some([towards - half, towards + half])
}

/// Whether two seal outlines overlap by more than their borders' width
/// (two stamps side by side may touch).
fn discs_cross(a: &Ellipse, b: &Ellipse) -> bool {
    let ra = (a.rx + a.ry) / 2.0;
    let rb = (b.rx + b.ry) / 2.0;
    let d = ((a.cx - b.cx).powi(2) + (a.cy - b.cy).powi(2)).sqrt();
    d < (ra + rb) * 0.95
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

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    #[test]
    fn seals_cross_when_they_overlap_past_their_borders() {
        let at = |cx: f32| Ellipse {
            cx,
            cy: 100.0,
            rx: 50.0,
            ry: 50.0,
        };
        // Stamped one over the other (1.15–1.5 radii apart), side by side
        // touching, and apart.
        assert!(discs_cross(&at(0.0), &at(60.0)));
        assert!(discs_cross(&at(0.0), &at(75.0)));
        assert!(!discs_cross(&at(0.0), &at(99.0)));
        assert!(!discs_cross(&at(0.0), &at(160.0)));
    }

    #[test]
    fn the_arc_under_a_crossing_seal_faces_it() {
        let at = |cx: f32, cy: f32| Ellipse {
            cx,
            cy,
            rx: 50.0,
            ry: 50.0,
        };
        // A seal 1.3 radii to the left covers the text circle (radius 36)
        // over ±50° about 270° (-90°): cos = (36² + 65² − 50²) / (2·36·65).
        let Some([from, to]) = covered_arc(&at(100.0, 100.0), &at(35.0, 100.0)) else {
            panic!("no arc");
        };
        let half = ((36.0f32.powi(2) + 65.0f32.powi(2) - 2500.0) / (2.0 * 36.0 * 65.0))
            .acos()
            .to_degrees();
        assert!((from - (-90.0 - half)).abs() < 0.5 && (to - (-90.0 + half)).abs() < 0.5);
        // Below: about 180°; touching side by side (2 radii): none.
        let [from, to] = covered_arc(&at(100.0, 100.0), &at(100.0, 165.0)).unwrap_or_default();
        assert!(((from + to) / 2.0 - 180.0).abs() < 0.5);
        assert_eq!(covered_arc(&at(100.0, 100.0), &at(199.0, 100.0)), None);
    }

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
    fn text_arc_finds_a_far_turned_name_past_its_serial_number() {
        // Turned 70° clockwise: the name from 240° to 440° (80°), the gap
        // centred at 160°, a serial number along the border in the gap.
        let mut img = ring_of_blobs(0.7, 240, 440);
        for deg in (130..190).step_by(2) {
            let a = (deg as f32).to_radians();
            for k in -12..=12 {
                let r = 200.0 * 0.8 + k as f32;
                let (x, y) = (200.0 + r * a.cos(), 200.0 + r * a.sin());
                img.put_pixel(x as u32, y as u32, Luma([0]));
            }
        }
        let (from, to) = text_arc(&img, RING_IN, RING_OUT);
        assert!((220.0..=240.0).contains(&from), "{from}");
        assert!((435.0..=460.0).contains(&to), "{to}");
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
}
