//! Which tesseract languages read a scanned page. chi_sim+eng reads again
//! with eng every word chi_sim does not accept, and chi_sim accepts few
//! Chinese words: on a page of Chinese that costs ~60 % more CPU and reads
//! the Chinese no better (a 300-dpi A4 notice: 0.98 s against 0.60 s,
//! tesseract 5.3, one core; the dev set's fields alike). On a page of
//! English it is the other way: chi_sim+eng is faster (eng accepts English
//! words at once) and reads English better (chi_sim alone misread an
//! agreement's English enough for a false BILINGUAL_MISMATCH). So a few of
//! a page's lines are read by chi_sim first ([`page_langs`]); a page of
//! Chinese is read by chi_sim alone, and its lines and cells of Latin
//! letters again by chi_sim+eng ([`reread_latin_lines`], [`latin`]); any
//! other page by chi_sim+eng.

use image::GrayImage;

use super::{ink_span, place};
use crate::pixels::engine::{self, Langs, Psm, RawWord};
use crate::pixels::{OcrError, is_cjk};

/// The most of a line read to tell a page's script, in line heights
/// (some 12 Chinese characters or 25 letters).
const PROBE_LENGTH: u32 = 12;
/// A probe of this many Chinese characters and no letter (or twice as
/// many letters and no Chinese) decides alone.
const PLAIN_CJK: usize = 6;
/// Bands this much shorter or taller than the median are no body text…
const BAND_RANGE: (f32, f32) = (0.6, 1.8);
/// …nor are bands taller than this, in inches (a photo, a shaded page).
const TALLEST_BAND: f32 = 0.4;

/// The languages for the page `free` (upright, tables blanked) at `dpi`:
/// the current set's first language alone when a few of its lines read
/// as Chinese, else the set.
pub(super) fn page_langs(free: &GrayImage, thr: u8, dpi: f32) -> Result<Langs, OcrError> {
    if !engine::current_langs().contains('+') {
        return Ok(Langs::ChiEng);
    }
    // The middle three fifths of the width: a photographed page's
    // surroundings darken every row at its edges.
    let (w, h) = free.dimensions();
    let (mx0, mx1) = (w / 5, w * 4 / 5);
    let dark = |x: u32, y: u32| free.get_pixel(x, y).0[0] < thr;
    let rows: Vec<u32> = (0..h)
        .map(|y| (mx0..mx1).filter(|&x| dark(x, y)).count() as u32)
        .collect();
    let mut bands = bands(&rows, 2, (dpi / 40.0) as u32);
    let mut heights: Vec<u32> = bands.iter().map(|b| b.1 - b.0 + 1).collect();
    heights.sort_unstable();
    let Some(&median) = heights.get(heights.len() / 2) else {
        return Ok(Langs::ChiEng);
    };
    let (lo, hi) = (median as f32 * BAND_RANGE.0, median as f32 * BAND_RANGE.1);
    bands.retain(|b| {
        let bh = (b.1 - b.0 + 1) as f32;
        bh >= lo && bh <= hi && bh >= dpi / 40.0 && bh <= dpi * TALLEST_BAND
    });
    let (mut cjk, mut letters) = (0usize, 0usize);
    // The middle line first, then a quarter and three quarters down: one
    // line of plain Chinese or English decides.
    let n = bands.len();
    let picks = [n / 2, n / 4, n * 3 / 4];
    for (k, &i) in picks.iter().enumerate() {
        if picks[..k].contains(&i) {
            continue;
        }
        let Some(&(y0, y1)) = bands.get(i) else {
            continue;
        };
        let bh = y1 - y0 + 1;
        let cols: Vec<u32> = (mx0..mx1)
            .map(|x| (y0..=y1).filter(|&y| dark(x, y)).count() as u32)
            .collect();
        let Some((x0, x1)) = ink_span(&cols, 1) else {
            continue;
        };
        let (x0, x1) = (mx0 + x0, mx0 + x1.min(x0 + PROBE_LENGTH * bh));
        let Some((words, _)) = read_alone(free, [x0, y0, x1 + 1, y1 + 1], dpi, Langs::Primary)?
        else {
            continue;
        };
        let (c, l) = counts(&words);
        (cjk, letters) = (cjk + c, letters + l);
        if (cjk >= PLAIN_CJK && letters == 0) || (letters >= 2 * PLAIN_CJK && cjk == 0) {
            break;
        }
    }
    // A character of Chinese says about as much as two letters.
    Ok(if cjk >= 2 && cjk * 2 > letters {
        Langs::Primary
    } else {
        Langs::ChiEng
    })
}

/// Runs of rows (first, last) holding at least `min` dark pixels; runs
/// at most `gap` blank rows apart are one.
fn bands(rows: &[u32], min: u32, gap: u32) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (y, &n) in rows.iter().enumerate() {
        if n < min {
            continue;
        }
        let y = y as u32;
        match out.last_mut() {
            Some(last) if y <= last.1 + gap + 1 => last.1 = y,
            _ => out.push((y, y)),
        }
    }
    out
}

/// Chinese characters and Latin letters in words.
fn counts<'a>(words: impl IntoIterator<Item = &'a RawWord>) -> (usize, usize) {
    let (mut cjk, mut letters) = (0usize, 0usize);
    for c in words.into_iter().flat_map(|w| w.text.chars()) {
        if is_cjk(c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            letters += 1;
        }
    }
    (cjk, letters)
}

/// Whether words read mostly as Latin letters (at least three).
pub(super) fn latin<'a>(words: impl IntoIterator<Item = &'a RawWord>) -> bool {
    let (cjk, letters) = counts(words);
    letters >= 3 && letters > cjk
}

/// Lines of a page read by its first language alone that read mostly as
/// Latin letters: each read again alone by the whole set, which reads
/// English better, and replaced when that reads more confidently.
pub(super) fn reread_latin_lines(
    up: &GrayImage,
    raw: &mut Vec<RawWord>,
    dpi: f32,
) -> Result<(), OcrError> {
    let mut keys: Vec<(u32, u32, u32)> = raw.iter().map(|w| w.line).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let line: Vec<&RawWord> = raw.iter().filter(|w| w.line == key).collect();
        if !latin(line.iter().copied()) {
            continue;
        }
        let conf = engine::mean_conf(line.iter().copied());
        let Some((words, c)) = read_alone(up, line_box(&line), dpi, Langs::ChiEng)? else {
            continue;
        };
        if words.is_empty() || c < conf {
            continue;
        }
        raw.retain(|w| w.line != key);
        raw.extend(words.into_iter().map(|mut wd| {
            wd.line = key;
            wd
        }));
    }
    Ok(())
}

/// The box of a line's words, [x0, y0, x1, y1) in pixels.
pub(super) fn line_box(line: &[&RawWord]) -> [u32; 4] {
    [
        line.iter().map(|w| w.left).min().unwrap_or(0),
        line.iter().map(|w| w.top).min().unwrap_or(0),
        line.iter().map(|w| w.left + w.width).max().unwrap_or(0),
        line.iter().map(|w| w.top + w.height).max().unwrap_or(0),
    ]
}

/// Reads the box [x0, y0, x1, y1) of `up` alone as one line, padded with
/// white: its words in pixels of `up` and their confidence. `None` for a
/// box too small to read.
pub(super) fn read_alone(
    up: &GrayImage,
    rect: [u32; 4],
    dpi: f32,
    langs: Langs,
) -> Result<Option<(Vec<RawWord>, f32)>, OcrError> {
    let (w, h) = up.dimensions();
    let [x0, y0, x1, y1] = rect;
    let (x1, y1) = (x1.min(w), y1.min(h));
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return Ok(None);
    }
    let crop = image::imageops::crop_imm(up, x0, y0, x1 - x0, y1 - y0).to_image();
    let pad = (dpi / 15.0) as u32;
    let (pw, ph) = (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
    let mut padded = GrayImage::from_pixel(pw, ph, image::Luma([255]));
    image::imageops::overlay(&mut padded, &crop, pad as i64, pad as i64);
    let (words, c) = engine::recognize_in(langs, padded.as_raw(), pw, ph, dpi as u32, Psm::Line)?;
    Ok(Some((place(words, x0, y0, pad), c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, conf: f32) -> RawWord {
        RawWord {
            text: text.into(),
            left: 0,
            top: 0,
            width: 10,
            height: 10,
            conf,
            line: (1, 1, 1),
        }
    }

    #[test]
    fn rows_of_ink_make_bands_small_gaps_bridged() {
        let rows = [0, 3, 4, 0, 5, 0, 0, 0, 2, 1, 6];
        assert_eq!(bands(&rows, 2, 1), vec![(1, 4), (8, 10)]);
        assert_eq!(bands(&rows, 2, 0), vec![(1, 2), (4, 4), (8, 8), (10, 10)]);
        assert_eq!(bands(&rows, 2, 3), vec![(1, 10)]);
        assert!(bands(&[0, 1, 0], 2, 1).is_empty());
    }

    #[test]
    fn latin_lines_are_mostly_letters() {
        let en = word("Agreement", 90.0);
        let zh = word("合作协议书", 90.0);
        let mixed = word("TRL", 90.0);
        assert!(latin([&en]));
        assert!(!latin([&zh]));
        assert!(!latin([&zh, &mixed]));
        assert!(latin([&word("技术", 80.0), &en]));
        // Digits and two letters are no English.
        assert!(!latin(&[word("2021年", 90.0), word("ab", 90.0)]));
    }

    #[test]
    fn confidence_is_weighted_by_characters() {
        let long = word("abcdefgh", 90.0);
        let short = word("x", 10.0);
        assert!((engine::mean_conf([&long, &short]) - 730.0 / 9.0).abs() < 0.01);
        assert_eq!(engine::mean_conf([]), 0.0);
    }
}
