//! Reading a seal's strips: PP-OCRv4 on every strip first (it reads worn,
//! loose real stamps far better; tests/seal_engines.rs), tesseract's
//! variants (band, size, ink) only when PP-OCRv4 is unsure or absent, and
//! every reading kept for the owner's error-tolerant match
//! (`fields::seals`).

use image::{GrayImage, RgbImage, imageops};

use crate::pixels::ppocr::LineReading;

#[allow(unused_imports)]
use super::*;

/// Seal text read with less confidence than this (0–1) is left unread.
pub(super) const MIN_CONFIDENCE: f32 = 0.4;

/// Reads a square seal's face in the traditional order: columns right to
/// left, each top to bottom. The grid is found from gaps in the ink
/// profiles (columns, then each column's rows); the cells are laid side
/// by side on one line for OCR. `None` when no grid of columns shows.
pub(super) fn read_square_columns(ink: &GrayImage) -> Option<(String, f32, Vec<String>)> {
    let line = square_cells_line(ink)?;
    let (text, conf, alts) = read_line_both(
        &line,
        &[
            (100, 100, true),
            (100, 100, false),
            (75, 75, false),
            (75, 75, true),
            (60, 60, true),
        ],
    );
    // The readings as the name alone: the kind (财务专用章) after a name
    // would read as a sub-unit's seal.
    let alts = alts
        .iter()
        .map(|a| split_kind(a).split(' ').next().unwrap_or("").to_string())
        .collect::<Vec<_>>();
    let alts = distinct_readings(alts.iter().map(String::as_str));
    Some((split_kind(&text), conf / 100.0, alts))
}

/// What a seal says it is for, ending its legend (…财务专用章): split off
/// after a space, as the centre text of a round seal is, so the name
/// alone is compared with the applicant.
pub(super) const SEAL_KINDS: &[&str] = &["专用章", "之印", "公章", "印章"];

pub(super) fn split_kind(text: &str) -> String {
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

/// Keeps what a seal legend can hold: Chinese, Latin letters, digits and
/// brackets; drops OCR noise and spaces.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            let cjk_punct =
                ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FF0F}').contains(&c);
            (crate::pixels::is_cjk(c) && !cjk_punct)
                || c.is_ascii_alphanumeric()
                || "()（）".contains(c)
        })
        .collect()
}

/// Reads a one-line image at several scales (percent of width, percent
/// of height, binarized or grey) and keeps the [`consensus`] reading.
/// Also returns every non-empty reading, for the owner's error-tolerant
/// match (each variant misreads different characters).
pub(super) fn read_scaled(
    img: &GrayImage,
    variants: &[(u32, u32, bool)],
) -> (String, f32, Vec<String>) {
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

/// Brackets in a seal's name are parentheses: a seal never carries
/// 《》〈〉【】〔〕, which OCR reads for a blurred （ or ）. A name with an
/// opening bracket and no closing one lost the closer at the end of the
/// ring (it is the last glyph before the gap, where arcs and crops cut),
/// so it is closed after the last Chinese character.
pub(super) fn seal_brackets(raw: &str) -> String {
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
            .rfind(|(_, c)| crate::pixels::is_cjk(*c))
    {
        s.insert(open + last + c.len_utf8(), ')');
    }
    s
}

/// Drops Latin letters and digits at the ends of each part of a seal's
/// text: a second seal's ring or the star's tips crossing the unwrapped
/// band read as stray letters there.
pub(super) fn trim_latin_ends(text: &str) -> String {
    text.split(' ')
        .map(|p| p.trim_matches(|c: char| c.is_ascii_alphanumeric()))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn read(img: &GrayImage, psm: Psm) -> (String, f32) {
    read_as(img, psm, true)
}

/// OCR of seal ink, binarized or as it is (grey keeps thin strokes that
/// Otsu's level breaks).
pub(super) fn read_as(img: &GrayImage, psm: Psm, binarize: bool) -> (String, f32) {
    // Seal ink is faint and uneven: binarize at Otsu's level so strokes
    // are solid black for tesseract.
    let mut bin = img.clone();
    if binarize {
        let thr = crate::pixels::raster::otsu(img).clamp(80, 230);
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
            let raw = crate::pixels::join_words(words.iter().map(|w| w.text.as_str()));
            (clean_reading(&raw), conf)
        }
        Err(_) => (String::new(), 0.0),
    }
}

/// An engine's raw line as seal text: brackets first (a blurred 「（」
/// reads as 「《」, which `clean` would drop as punctuation), then only
/// what a legend can hold.
fn clean_reading(raw: &str) -> String {
    clean(&crate::pixels::cjk_parens(&seal_brackets(raw)))
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

pub(super) fn read_seal_parts(crop: &RgbImage, shape: Shape) -> (String, f32, Vec<String>) {
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
            // PP-OCRv4 on every band: the one that holds the whole name
            // differs from seal to seal, and a sure reading of a cut band
            // must not end the search.
            let strips: Vec<GrayImage> = ring_strips(&ink).collect();
            let (ring, c1, seen) = read_both(&strips, || {
                let (mut ring, mut c1) = (String::new(), -1.0f32);
                let mut seen = Vec::new();
                for strip in &strips {
                    let r = read_strip_tesseract(strip);
                    seen.extend(r.all);
                    if r.confidence * 100.0 > c1 {
                        (ring, c1) = (r.text, r.confidence * 100.0);
                    }
                    // Confident enough: skip the remaining bands.
                    if c1 >= 88.0 {
                        break;
                    }
                }
                (ring, c1, seen)
            });
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

/// The strips of a round seal's ring text, in the order tesseract tries
/// them: two bands (ring text sits a little deeper on some seals), then a
/// band and arc fitted to the seal, for names set close to the border or
/// deep, spread over more or less of the ring than usual (only when it
/// differs).
pub(super) fn ring_strips(ink: &GrayImage) -> impl Iterator<Item = GrayImage> + '_ {
    let bands = [
        (RING_IN, RING_OUT, RING_FROM, RING_TO),
        (RING_IN + 0.05, RING_OUT - 0.03, RING_FROM, RING_TO),
    ];
    let fitted = move || {
        let (t_in, t_out) = text_band(ink, text_arc(ink, RING_IN, RING_OUT))?;
        let (from, to) = text_arc(ink, t_in, t_out);
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
    bands
        .into_iter()
        .chain(extra)
        .map(move |(t_in, t_out, from, to)| clean_strip(&unwrap_ring(ink, t_in, t_out, from, to)))
}

/// The text strips the reader makes of a seal crop: a round seal's ring
/// bands, an oval seal's upper arc, a square seal's cells on one line.
pub fn seal_strips(crop: &RgbImage, shape: Shape) -> Vec<GrayImage> {
    let ink = ink_gray(&normalize_crop(crop));
    match shape {
        Shape::Round => ring_strips(&ink).collect(),
        Shape::Oval => vec![oval_arc_strip(&ink)],
        Shape::Square => square_cells_line(&ink).into_iter().collect(),
    }
}

/// The OCR engines a strip can be read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Tesseract,
    PpOcr,
}

/// What one engine read of one strip.
#[derive(Debug, Clone, Default)]
pub struct StripReading {
    pub text: String,
    /// 0–1.
    pub confidence: f32,
    /// Every non-empty reading (tesseract's variants).
    pub all: Vec<String>,
}

/// Reads one strip with one engine, as the reader does; PP-OCRv4 reads
/// nothing when its model is not installed.
pub fn read_strip(strip: &GrayImage, engine: Engine) -> StripReading {
    match engine {
        Engine::Tesseract => read_strip_tesseract(strip),
        Engine::PpOcr => read_ppocr(strip)
            .map(|(text, confidence)| StripReading {
                all: distinct_readings(std::iter::once(text.as_str())),
                text,
                confidence,
            })
            .unwrap_or_default(),
    }
}

/// Tesseract on a ring strip: as it is, then squeezed (seal glyphs are
/// set loose; squeezed, split radicals such as 阝+艮 join into one
/// character again), grey last (pale thin strokes that binarizing
/// breaks); the most confident reading, stopping once one is confident.
pub(super) fn read_strip_tesseract(strip: &GrayImage) -> StripReading {
    let (sw, sh) = strip.dimensions();
    let (mut best, mut conf) = (String::new(), -1.0f32);
    let mut all = Vec::new();
    for (k, bin) in [(100, true), (75, true), (60, true), (75, false)] {
        let img = if k == 100 {
            strip.clone()
        } else {
            imageops::resize(strip, sw * k / 100, sh, imageops::FilterType::Triangle)
        };
        let (t, c) = read_as(&img, Psm::Line, bin);
        all.push(t.clone());
        if c > conf {
            (best, conf) = (t, c);
        }
        if conf >= 88.0 {
            break;
        }
    }
    StripReading {
        text: best,
        confidence: conf.max(0.0) / 100.0,
        all: distinct_readings(all.iter().map(String::as_str)),
    }
}

/// PP-OCRv4's reading of a strip, cleaned as tesseract's is; `None`
/// without the model.
pub(super) fn read_ppocr(strip: &GrayImage) -> Option<(String, f32)> {
    crate::pixels::ppocr::read_line(strip).map(|r| ppocr_text(&r))
}

/// A PP-OCRv4 line as seal text, with its surety.
fn ppocr_text(r: &LineReading) -> (String, f32) {
    let raw: String = trim_unsure_ends(&r.chars).iter().map(|c| c.0).collect();
    // Surety of the whole line: a trimmed fragment still says the strip
    // was hard to read.
    (clean_reading(&raw), surety(&r.chars))
}

/// A line without the unsure characters at its ends. A ring strip starts
/// and ends in the gap at the seal's foot, where the star's arm, the
/// legend's corner or half of the last character lie; PP-OCRv4 reads such
/// a fragment as a character of its own (a 東 or 廣 before the name) at
/// low probability. Dropping it costs no more than a misread character
/// when the fragment was a real one, and saves a whole one when it was not.
/// One character at most per end: two unsure ones are the text's own,
/// worn.
fn trim_unsure_ends(chars: &[(char, f32)]) -> &[(char, f32)] {
    let mut s = chars;
    if s.len() > 3 && s[0].1 < SURE_CHAR && s[1].1 >= SURE_CHAR {
        s = &s[1..];
    }
    if s.len() > 3 && s[s.len() - 1].1 < SURE_CHAR && s[s.len() - 2].1 >= SURE_CHAR {
        s = &s[..s.len() - 1];
    }
    s
}

/// How surely a PP-OCRv4 line is read right as a whole: the mean
/// character probability times the share of characters read surely. Its
/// mean alone runs high on a line with a few misread characters (each
/// still read at 0.3–0.6 among others at 0.99), and a seal read "surely"
/// that names nobody is a SEAL_MISMATCH.
pub(super) fn surety(chars: &[(char, f32)]) -> f32 {
    if chars.is_empty() {
        return 0.0;
    }
    let n = chars.len() as f32;
    let mean = chars.iter().map(|c| c.1).sum::<f32>() / n;
    let sure = chars.iter().filter(|c| c.1 >= SURE_CHAR).count() as f32;
    mean * sure / n
}

/// The surety of a ring's merged bands: of the name's characters some
/// band read at least [`KEEP`] (a worn one two bands agree on is kept but
/// says little of surety), not of digits a turned seal's bands catch of
/// its serial number, which the seal's text drops (`trim_latin_ends`).
fn merged_surety(merged: &[(char, f32)]) -> f32 {
    let sure: Vec<(char, f32)> = merged
        .iter()
        .copied()
        .filter(|c| c.1 >= KEEP && crate::pixels::is_cjk(c.0))
        .collect();
    surety(&sure)
}

/// A character read with at least this probability is read surely.
const SURE_CHAR: f32 = 0.7;

/// Reads one text: PP-OCRv4 on each of `strips`, then `tesseract` (its
/// text, confidence 0–100 or below 0 for none, and readings) unless
/// PP-OCRv4's most confident strip was sure, and the reading
/// [`prefer_ppocr`] keeps. PP-OCRv4's reading of several strips (a ring's
/// bands) is their [`merge_bands`] (each without its unsure ends), at the
/// surety of the most sure strip.
/// Returns the text, its confidence (0–100, as tesseract's) and every
/// reading: PP-OCRv4's merged or most confident first, its strips' next
/// (a strip that cuts the name off and one crossed by another seal's ink
/// miss different characters of it, and the owner's match takes them
/// together), tesseract's last.
pub(super) fn read_both(
    strips: &[GrayImage],
    tesseract: impl FnOnce() -> (String, f32, Vec<String>),
) -> (String, f32, Vec<String>) {
    let lines: Vec<LineReading> = strips
        .iter()
        .filter_map(crate::pixels::ppocr::read_line)
        .collect();
    let mut pps: Vec<(String, f32)> = lines
        .iter()
        .map(ppocr_text)
        .filter(|(t, _)| !t.is_empty())
        .collect();
    if let Some(i) = (0..pps.len()).max_by(|&a, &b| pps[a].1.total_cmp(&pps[b].1)) {
        pps[..=i].rotate_right(1);
    }
    // The candidate text and the surety it is weighed against tesseract's
    // with; it is reported at the surety of the most sure strip.
    let mut pp = pps.first().map(|(t, c)| (t.clone(), *c, *c));
    if let Some((t, rank, _)) = pp.as_mut()
        && lines.len() > 1
    {
        let bands: Vec<Vec<(char, f32)>> = lines
            .iter()
            .map(|l| trim_unsure_ends(&l.chars).to_vec())
            .collect();
        let merged = merge_bands(&bands);
        let text = clean_reading(&merged.iter().map(|c| c.0).collect::<String>());
        if crate::pixels::cjk_count(&text) >= 2 {
            *rank = merged_surety(&merged);
            *t = text;
        }
    }
    let (mut text, mut conf, tess_alts) = match &pp {
        Some(p) if p.2 >= PPOCR_SURE => (String::new(), -1.0, Vec::new()),
        _ => tesseract(),
    };
    let mut alts = distinct_readings(
        pp.iter()
            .map(|p| p.0.as_str())
            .chain(pps.iter().map(|(t, _)| t.as_str())),
    );
    alts.extend(tess_alts);
    if let Some((t, rank, sure)) = pp
        && prefer_ppocr(&t, rank, conf / 100.0)
    {
        (text, conf) = (t, sure * 100.0);
    }
    (text, conf.max(0.0), alts)
}

/// [`read_both`] on one line, tesseract reading it at the `variants` of
/// [`read_scaled`].
fn read_line_both(line: &GrayImage, variants: &[(u32, u32, bool)]) -> (String, f32, Vec<String>) {
    read_both(std::slice::from_ref(line), || read_scaled(line, variants))
}

/// PP-OCRv4's reading (confidence `pp`) replaces tesseract's (`tess`,
/// both 0–1) when it holds Chinese, is confident and more confident than
/// tesseract, unless tesseract is sure: confident tesseract readings of
/// clean print are right, while PP-OCRv4 is as confident when it drops
/// or adds a character at the ring's ends (tests/seal_engines.rs).
pub(super) fn prefer_ppocr(text: &str, pp: f32, tess: f32) -> bool {
    let cjk = crate::pixels::cjk_count(text);
    cjk >= 2 && pp >= PPOCR_MIN && pp >= tess && tess < TESSERACT_SURE
}

/// PP-OCRv4 readings less probable than this are not preferred.
const PPOCR_MIN: f32 = 0.6;
/// A PP-OCRv4 reading this sure is not checked with tesseract: on hard
/// seals (tests/seal_conditions.rs, seeds held out as well) tesseract's
/// "sure" readings then only replaced right ones with ones missing an end
/// character, and on real stamps it reads nothing usable, at 0.1 s of CPU
/// a variant.
const PPOCR_SURE: f32 = 0.8;
/// Tesseract readings this confident are kept.
const TESSERACT_SURE: f32 = 0.85;

/// An oval seal's name unwrapped along its upper arc.
pub(super) fn oval_arc_strip(ink: &GrayImage) -> GrayImage {
    clean_strip(&unwrap_oval(
        ink,
        CROP_MARGIN,
        OVAL_IN,
        OVAL_OUT,
        OVAL_FROM,
        OVAL_TO,
    ))
}

/// Reads an oval seal: the name unwrapped along the upper arc, then the
/// horizontal legend below the centre.
pub(super) fn read_oval(ink: &GrayImage) -> (String, f32, Vec<String>) {
    let strip = oval_arc_strip(ink);
    // Several sizes, grey and binarized: the reading closest to all the
    // others (each misreads a different character).
    let (ring, c1, alts) = read_line_both(
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
pub(super) fn legend_below(ring: String, c1: f32, bottom: &GrayImage) -> (String, f32) {
    let (below, c2, _) = read_line_both(
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
    let cjk = crate::pixels::cjk_count(&below);
    if c2 >= 45.0 && cjk >= 3 {
        (format!("{ring} {below}"), (c1 * 2.0 + c2) / 3.0 / 100.0)
    } else {
        (ring, c1 / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str, p: &[f32]) -> Vec<(char, f32)> {
        s.chars().zip(p.iter().copied()).collect()
    }

    #[test]
    fn serial_digits_caught_by_a_turned_ring_do_not_make_its_name_unsure() {
        let name = line("东川电子大学", &[0.99; 6]);
        let mut with_digits = name.clone();
        with_digits.extend(line("25981", &[0.53, 0.88, 0.59, 0.63, 0.59]));
        assert!(merged_surety(&with_digits) >= merged_surety(&name) - 1e-6);
        assert!(merged_surety(&with_digits) > PPOCR_SURE);
    }

    #[test]
    fn a_line_with_unsure_characters_is_not_read_surely() {
        let sure = [('山', 0.99), ('西', 0.98), ('大', 0.99), ('学', 0.97)];
        assert!(surety(&sure) > 0.95);
        // Mean 0.84, but a quarter of the characters are guesses.
        let guessed = [('小', 0.45), ('西', 0.98), ('大', 0.97), ('学', 0.97)];
        assert!(surety(&guessed) < 0.7);
        assert_eq!(surety(&[]), 0.0);
        // PP-OCRv4 wins over tesseract only when tesseract is unsure.
        assert!(prefer_ppocr("山西大学", 0.9, 0.6));
        assert!(!prefer_ppocr("山西大学", 0.99, 0.9));
        assert!(!prefer_ppocr("山西大学", 0.5, 0.3));
        assert!(!prefer_ppocr("AB", 0.99, 0.3));
    }

    #[test]
    fn an_unsure_fragment_at_either_end_is_dropped() {
        let l = line("東东海大学", &[0.4, 0.95, 0.9, 0.99, 0.97]);
        assert_eq!(trim_unsure_ends(&l), &l[1..]);
        let l = line("东海大学厂", &[0.95, 0.9, 0.99, 0.97, 0.3]);
        assert_eq!(trim_unsure_ends(&l), &l[..4]);
        // Two unsure characters at an end are the name's own, worn.
        let l = line("東山西大学", &[0.4, 0.5, 0.9, 0.99, 0.97]);
        assert_eq!(trim_unsure_ends(&l), &l[..]);
        // Short lines keep everything; sure ends stay.
        let l = line("東大学", &[0.3, 0.99, 0.97]);
        assert_eq!(trim_unsure_ends(&l), &l[..]);
        let l = line("东海大学", &[0.95, 0.9, 0.99, 0.97]);
        assert_eq!(trim_unsure_ends(&l), &l[..]);
    }
}
