//! OCR of page images into the document model: tesseract through its C
//! API (opened on first use), one engine per thread and language set;
//! a page of Chinese is read by chi_sim alone and its Latin lines and
//! cells by chi_sim+eng, other pages by chi_sim+eng (`script`, which says
//! why). Before recognition a page is
//! scaled (its resolution checked against its text's height): under 140
//! or over 400 dpi to ~300 dpi, 220–400 dpi pages with large print down
//! until their lines are ~34 px high (`read_dpi`),
//! turned upright (0/90/180/270: line direction from the text's ink, then
//! tesseract's confidence) and deskewed (±5°);
//! ruled tables are found from their lines, erased, and rebuilt as model
//! tables from the words inside each cell. Spaces tesseract puts between
//! Chinese characters are removed. The lines tesseract reads most
//! doubtfully are read again by PP-OCRv4 (`second_read`).
//! `INTAKE_NO_SECOND_READ=1` turns that off, to measure what it adds.
//!
//! Entry point: [`ocr_page`] (one decoded page image → [`OcrPage`]). The
//! engine, raster operations and image decoding are `pixels`'; a page's
//! seals and its place in a document are `extract::page`'s.

pub mod profile;
mod script;
mod second_read;
pub mod table;

use image::{DynamicImage, GrayImage};

use crate::model::{BBox, Block, Cell, Paragraph, Region, Table};
pub use crate::pixels::{OcrError, cjk_parens, is_cjk, join_words};
use crate::pixels::{engine, raster};

use engine::{Psm, RawWord};

/// Working resolution for recognition.
pub const OCR_DPI: f32 = 300.0;

/// One recognised word with its box (points, on the upright page) and
/// confidence (0–100).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub bbox: BBox,
    pub conf: f32,
}

/// The result of OCR on one page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OcrPage {
    pub page: u32,
    /// Paragraphs (one per text line) and tables in reading order; indexes
    /// are page-local (1-based) until [`ocr_into`] renumbers them.
    pub blocks: Vec<Block>,
    pub words: Vec<Word>,
    /// Clockwise rotation applied to make the page upright.
    pub rotation: u16,
    /// Skew corrected, in degrees.
    pub skew: f32,
    /// Mean word confidence, 0–100.
    pub confidence: f32,
    /// Tesseract languages the page's text was read in (`chi_sim`,
    /// `chi_sim+eng`…; lines and cells of another script may have been
    /// read again in others).
    pub langs: String,
}

/// Resolution of a page image when the file does not say: assume A4.
pub fn guess_dpi(width: u32, height: u32) -> f32 {
    (width.max(height) as f32 / 11.69).clamp(72.0, 1200.0)
}

/// OCRs one page image; `dpi` is the image's resolution if known.
pub fn ocr_page(img: &DynamicImage, page: u32, dpi: Option<f32>) -> Result<OcrPage, OcrError> {
    let (w, h) = (img.width(), img.height());
    if w < 16 || h < 16 {
        return Err(OcrError::Image(format!("page image too small ({w}×{h})")));
    }
    let dpi = dpi
        .filter(|d| (50.0..=2400.0).contains(d))
        .unwrap_or_else(|| guess_dpi(w, h));
    let gray = profile::stage("gray+scale", || raster::to_ocr_gray(img));
    // Photographed pages: shade and glare out before thresholding.
    let gray = profile::stage("lighting", || raster::flatten_lighting(&gray)).unwrap_or(gray);
    let thr = profile::stage("binarize", || raster::otsu(&gray).clamp(60, 200));
    let lines = profile::stage("orientation", || raster::text_lines(&gray, thr));
    let dpi = text_dpi(dpi, lines.height);
    let inches = (w as f32 / dpi) * (h as f32 / dpi);
    let (gray, work_dpi) =
        profile::stage("gray+scale", || match read_dpi(dpi, lines.height, inches) {
            Some(to) => (raster::shrink(&gray, to / dpi), to),
            None => raster::scale_to_dpi(gray, dpi, OCR_DPI),
        });
    // Upright unless the lines clearly run down the page: an upright form
    // scores below 0.8, a turned one above 2.5 (samples, corpus scans).
    let vertical = lines.vertical_ratio > 1.4;
    let candidates: [u16; 2] = if vertical { [90, 270] } else { [0, 180] };
    let first = if vertical {
        profile::stage("orientation", || pick_side(&gray, work_dpi, candidates))?
    } else {
        0
    };
    // An upside-down page reads as low-confidence noise: then it is tried
    // turned, and only the better reading has its table cells read.
    let mut read = read_free_text(&gray, thr, first, work_dpi)?;
    if !vertical && read.suspect() {
        let other = read_free_text(&gray, thr, 180, work_dpi)?;
        if other.conf > read.conf + 5.0 {
            read = other;
        }
    }
    let mut best = read_cells(read, thr, work_dpi)?;
    best.page = page;
    for b in &mut best.blocks {
        match b {
            Block::Paragraph(p) => p.page = Some(page),
            Block::Table(t) => t.page = Some(page),
        }
    }
    Ok(best)
}

/// The page's resolution as its text says, when the file's claim is off
/// by more than half: body text is 0.13–0.24 of an inch high in the forms
/// and letters of the corpus (median band height / dpi), so a claim the
/// text contradicts (a book scanned at 300 dpi, stored as 96 dpi at three
/// times the paper size) would have the page scaled ×3 and read with
/// characters 150 px high: slow and worse.
fn text_dpi(claimed: f32, height: Option<f32>) -> f32 {
    let Some(h) = height else { return claimed };
    let from_text = h / 0.16;
    if claimed * 2.0 < from_text || claimed > from_text * 2.0 {
        from_text.clamp(72.0, 1200.0)
    } else {
        claimed
    }
}

/// The resolution a sharp scan (220–400 dpi) is read at: lower, so its
/// text's median line band is about [`TARGET_BAND`] px, when that is at
/// least [`LEAST_DPI`] and a real change. Tesseract's page pass costs a
/// fifth less there, and reads better: born-digital pages rendered at
/// 300 and 400 dpi with their own text as truth (15 pages of forms and
/// letters) read 0.946 / 0.921 of their characters as they were, 0.964 /
/// 0.948 shrunk; the drawn page of tests/pdf_drawn_ocr.rs 0.881 → 0.936
/// (a 30 px band read no better than as it was). Pages over 400 dpi are
/// brought to [`OCR_DPI`] as before (a poster at 1200 dpi read far worse
/// shrunk further). Images under [`LEAST_AREA`] square inches (a label,
/// one drawn line of six characters) are read as they are: shrunk, such
/// a line read as Latin noise.
fn read_dpi(dpi: f32, band: Option<f32>, square_inches: f32) -> Option<f32> {
    let to = (dpi * TARGET_BAND / band?).max(LEAST_DPI);
    // Above the range `scale_to_dpi` keeps, pages go to OCR_DPI instead.
    let sharp = dpi > SHARP_FROM && dpi <= *raster::KEPT_DPI.end();
    (sharp && square_inches >= LEAST_AREA && to < dpi * 0.9).then_some(to)
}

/// See [`read_dpi`]. The samples' 150-dpi scans have 22–26 px bands.
const TARGET_BAND: f32 = 34.0;
const LEAST_DPI: f32 = 150.0;
const SHARP_FROM: f32 = 220.0;
/// A quarter of an A4 page.
const LEAST_AREA: f32 = 24.0;

/// For a page turned sideways: which of 90°/270° reads better, judged on
/// a band across the middle of the page (cheaper than two full passes).
fn pick_side(gray: &GrayImage, dpi: f32, sides: [u16; 2]) -> Result<u16, OcrError> {
    let mut best = (f32::MIN, sides[0]);
    for side in sides {
        let up = raster::rotate_right_angle(gray, side);
        let (w, h) = up.dimensions();
        let band_h = (h / 4).max(16);
        let y0 = h / 2 - band_h / 2;
        let band = image::imageops::crop_imm(&up, 0, y0, w, band_h).to_image();
        let (words, conf) = engine::recognize(band.as_raw(), w, band_h, dpi as u32, Psm::Auto)?;
        let score = if words.is_empty() { 0.0 } else { conf };
        if score > best.0 {
            best = (score, side);
        }
    }
    Ok(best.1)
}

/// A page turned upright and read without its table cells: the page
/// (rules erased), its tables and the words of its free text.
struct FreeText {
    up: GrayImage,
    grids: Vec<table::Grid>,
    raw: Vec<RawWord>,
    conf: f32,
    skew: f32,
    rotation: u16,
    /// What the page was read in (`script`).
    langs: engine::Langs,
}

impl FreeText {
    /// Whether the text reads like an upside-down page: low confidence
    /// over several words.
    fn suspect(&self) -> bool {
        self.conf < 60.0 && self.raw.len() >= 3
    }
}

/// Reads the page turned by `rotation`: deskew, tables found and their
/// rules erased, then the free text (the page with its tables blanked).
fn read_free_text(
    gray: &GrayImage,
    thr: u8,
    rotation: u16,
    dpi: f32,
) -> Result<FreeText, OcrError> {
    let up = profile::stage("rotate", || raster::rotate_right_angle(gray, rotation));
    let skew = profile::stage("deskew", || raster::estimate_skew(&up, thr, 5.0));
    let mut up = if skew.abs() >= 0.15 {
        profile::stage("deskew", || raster::rotate_small(&up, skew))
    } else {
        up
    };
    let (grids, lines) = profile::stage("tables", || table::find_tables(&up, thr, dpi));
    for (p, erase) in up.iter_mut().zip(&lines) {
        if *erase {
            *p = 255;
        }
    }
    let (w, h) = up.dimensions();
    let mut free = up.clone();
    for g in &grids {
        let [x0, y0, x1, y1] = g.bbox();
        let m = (dpi / 40.0) as u32;
        blank(
            &mut free,
            x0.saturating_sub(m),
            y0.saturating_sub(m),
            x1 + m,
            y1 + m,
        );
    }
    let langs = profile::stage("script", || script::page_langs(&free, thr, dpi))?;
    let (raw, conf) = profile::stage("page pass", || {
        engine::recognize_in(langs, free.as_raw(), w, h, dpi as u32, Psm::Auto)
    })?;
    Ok(FreeText {
        up,
        grids,
        raw,
        conf,
        skew,
        rotation,
        langs,
    })
}

/// Completes a [`FreeText`] reading with its table cells, laid out.
fn read_cells(read: FreeText, thr: u8, dpi: f32) -> Result<OcrPage, OcrError> {
    let FreeText {
        up,
        grids,
        mut raw,
        conf,
        skew,
        rotation,
        langs,
    } = read;
    let (w, h) = up.dimensions();
    drop_stacked_marks(&mut raw);
    profile::stage("line retries", || match langs {
        engine::Langs::Primary => script::reread_latin_lines(&up, &mut raw, dpi),
        _ => reread_latin_lines(&up, &mut raw, dpi),
    })?;
    // Table cells one by one, inset from their rules: rule remnants at a
    // cell's edge otherwise read as 「|」 and letters.
    let inset = (dpi / 30.0) as u32;
    for g in &grids {
        for ci in 0..g.cells.len() {
            let [x0, y0, x1, y1] = g.cell_rect(ci);
            let (cx0, cy0) = (x0 + inset, y0 + inset);
            let (cx1, cy1) = (
                x1.saturating_sub(inset).min(w),
                y1.saturating_sub(inset).min(h),
            );
            if cx1 <= cx0 + 4 || cy1 <= cy0 + 4 {
                continue;
            }
            let Some(words) = read_cell(&up, [cx0, cy0, cx1, cy1], thr, dpi, langs)? else {
                continue;
            };
            for mut wd in words {
                // Keep cell words apart from page lines in grouping.
                wd.line = (10_000 + ci as u32, wd.line.1, wd.line.2);
                raw.push(wd);
            }
        }
    }
    if std::env::var("INTAKE_NO_SECOND_READ").is_err() {
        profile::stage("second read", || {
            second_read::reread_doubtful(&up, &mut raw, dpi)
        });
    }
    raw.retain(|w| !w.text.is_empty());
    let mut page = profile::stage("layout", || layout(&raw, &grids, dpi));
    page.rotation = rotation;
    page.skew = skew;
    page.confidence = conf;
    page.langs = langs.name();
    Ok(page)
}

/// Drops unsure words several lines tall and narrower than tall: a
/// column of list numbers (1. 2. 3.) or marks that tesseract took for
/// one word across the lines beside it (read as 「eat」). Vertical
/// Chinese is read a character or a few per word, each a line high.
fn drop_stacked_marks(raw: &mut Vec<RawWord>) {
    let mut heights: Vec<u32> = raw.iter().map(|w| w.height).collect();
    heights.sort_unstable();
    let Some(&typical) = heights.get(heights.len() / 2) else {
        return;
    };
    raw.retain(|w| {
        let stacked = w.height as f32 > 2.5 * typical as f32 && w.width < w.height;
        !(stacked && w.conf < STACKED_CONF)
    });
}

/// A stacked word read at least this surely is kept (0–100).
const STACKED_CONF: f32 = 50.0;

/// Free-text lines that chi_sim+eng read as Latin letters with low
/// confidence: Chinese print it took for English (a book's running head
/// with spaced characters, bilevel scans). Each is read again alone by
/// chi_sim and replaced when that reads Chinese more confidently. Real
/// English lines read confidently and are left alone.
fn reread_latin_lines(up: &GrayImage, raw: &mut Vec<RawWord>, dpi: f32) -> Result<(), OcrError> {
    let mut keys: Vec<(u32, u32, u32)> = raw.iter().map(|w| w.line).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let line: Vec<&RawWord> = raw.iter().filter(|w| w.line == key).collect();
        // Confidence of the letters alone: digits read well either way.
        let (mut letters, mut cjk, mut conf) = (0usize, 0usize, 0.0f32);
        for wd in &line {
            for c in wd.text.chars() {
                if is_cjk(c) {
                    cjk += 1;
                } else if c.is_ascii_alphabetic() {
                    letters += 1;
                    conf += wd.conf;
                }
            }
        }
        let conf = conf / letters.max(1) as f32;
        // Against Chinese characters, not all characters: a running head
        // over its rule reads as dashes and digits around a few letters.
        if letters < 3 || letters <= cjk || conf >= 60.0 {
            continue;
        }
        let Some((words, c)) =
            script::read_alone(up, script::line_box(&line), dpi, engine::Langs::Chi)?
        else {
            continue;
        };
        if c <= conf || !words.iter().any(|w| w.text.chars().any(is_cjk)) {
            continue;
        }
        raw.retain(|w| w.line != key);
        for mut wd in words {
            wd.line = key;
            raw.push(wd);
        }
    }
    Ok(())
}

/// The rows or columns holding ink: (first, last) of a profile's entries
/// with at least `min` dark pixels.
fn ink_span(profile: &[u32], min: u32) -> Option<(u32, u32)> {
    let first = profile.iter().position(|&n| n >= min)?;
    let last = profile.iter().rposition(|&n| n >= min)?;
    Some((first as u32, last as u32))
}

/// Number of text lines in a row profile: runs of inked rows, gaps
/// shorter than `gap` bridged.
fn line_runs(rows: &[u32], min: u32, gap: u32) -> usize {
    let (mut runs, mut blank) = (0, u32::MAX);
    for &n in rows {
        if n >= min {
            if blank > gap {
                runs += 1;
            }
            blank = 0;
        } else {
            blank = blank.saturating_add(1);
        }
    }
    runs
}

/// Reads one table cell (`rect` in pixels of `up`, already inset from its
/// rules), padded with white, as a block, in the page's languages
/// (`script`); only text read with low confidence (or not at all) is
/// read again (see below).
/// Returns the words in pixels of `up`; `None` for a cell without ink.
fn read_cell(
    up: &GrayImage,
    rect: [u32; 4],
    thr: u8,
    dpi: f32,
    page_langs: engine::Langs,
) -> Result<Option<Vec<RawWord>>, OcrError> {
    let [cx0, cy0, cx1, cy1] = rect;
    let cell = image::imageops::crop_imm(up, cx0, cy0, cx1 - cx0, cy1 - cy0).to_image();
    let (cw, ch) = cell.dimensions();
    let mut rows = vec![0u32; ch as usize];
    let mut cols = vec![0u32; cw as usize];
    for (x, y, p) in cell.enumerate_pixels() {
        if p.0[0] < thr {
            rows[y as usize] += 1;
            cols[x as usize] += 1;
        }
    }
    // Two dark pixels in a row or column: single specks are noise.
    let (Some((iy0, iy1)), Some(_)) = (ink_span(&rows, 2), ink_span(&cols, 2)) else {
        return Ok(None);
    };
    let one_line = line_runs(&rows[iy0 as usize..=iy1 as usize], 2, (dpi / 40.0) as u32) == 1;
    let pad = (dpi / 15.0) as u32;
    let mut padded = GrayImage::from_pixel(cw + 2 * pad, ch + 2 * pad, image::Luma([255]));
    image::imageops::overlay(&mut padded, &cell, pad as i64, pad as i64);
    let (pw, ph) = padded.dimensions();
    let (mut words, mut conf) = profile::stage("cells", || {
        engine::recognize_in(page_langs, padded.as_raw(), pw, ph, dpi as u32, Psm::Block)
    })?;
    // Latin letters in a cell of a Chinese page (an English name, an
    // e-mail address): read as a whole page of English would be.
    let mut langs = page_langs;
    if langs == engine::Langs::Primary && script::latin(&words) {
        langs = engine::Langs::ChiEng;
        let (w, c) = profile::stage("cells", || {
            engine::recognize_in(langs, padded.as_raw(), pw, ph, dpi as u32, Psm::Block)
        })?;
        if !w.is_empty() && c >= conf {
            (words, conf) = (w, c);
        }
    }
    // A Chinese character read at very low confidence inside a confident
    // cell is usually a misread one (「跨卉」 for 「跨境」): retried too.
    let weak = words
        .iter()
        .any(|w| w.conf < 50.0 && w.text.chars().any(is_cjk));
    if conf >= 80.0 && !weak && !words.is_empty() {
        return Ok(Some(place(words, cx0, cy0, pad)));
    }
    // Low confidence or nothing read: other readings, the most confident
    // wins. Twice as large (small or blurred print); as one line (a short
    // name alone in a wide cell can read as nothing in block mode).
    let big = (dpi < 250.0).then(|| {
        image::imageops::resize(
            &padded,
            pw * 2,
            ph * 2,
            image::imageops::FilterType::CatmullRom,
        )
    });
    let consider = |w: Vec<RawWord>, c: f32, words: &mut Vec<RawWord>, conf: &mut f32| {
        if !w.is_empty() && (c > *conf || words.is_empty()) {
            (*words, *conf) = (w, c);
        }
    };
    profile::stage("cell retries", || -> Result<(), OcrError> {
        if one_line {
            let (w, c) =
                engine::recognize_in(langs, padded.as_raw(), pw, ph, dpi as u32, Psm::Line)?;
            consider(w, c, &mut words, &mut conf);
        }
        if let Some(big) = &big {
            let (w, c) = engine::recognize_in(
                langs,
                big.as_raw(),
                pw * 2,
                ph * 2,
                (dpi * 2.0) as u32,
                Psm::Block,
            )?;
            consider(halve(w), c, &mut words, &mut conf);
        }
        // Chinese that chi_sim+eng took for Latin letters (blurred names
        // read as 「FRR」): a Chinese-only engine, kept only if it reads
        // Chinese more confidently (read so already, as a block, on a
        // page read by chi_sim alone).
        let has_cjk = words.iter().any(|w| w.text.chars().any(is_cjk));
        let read_so = !one_line
            && page_langs == engine::Langs::Primary
            && page_langs.name() == engine::Langs::Chi.name();
        if !has_cjk && conf < 80.0 && !read_so {
            let (w, c) = engine::recognize_in(
                engine::Langs::Chi,
                padded.as_raw(),
                pw,
                ph,
                dpi as u32,
                if one_line { Psm::Line } else { Psm::Block },
            )?;
            if w.iter().any(|w| w.text.chars().any(is_cjk)) {
                consider(w, c, &mut words, &mut conf);
            }
        }
        // Still nothing: a short value (「泰国」) alone in a wide cell of a
        // noisy scan, which tesseract takes for noise; the paper made
        // white first.
        if words.is_empty() {
            let mut clean = padded.clone();
            let levelled = raster::level_paper(&cell);
            image::imageops::overlay(&mut clean, &levelled, pad as i64, pad as i64);
            let psm = if one_line { Psm::Line } else { Psm::Block };
            let (w, c) = engine::recognize_in(langs, clean.as_raw(), pw, ph, dpi as u32, psm)?;
            consider(w, c, &mut words, &mut conf);
        }
        Ok(())
    })?;
    Ok(Some(place(words, cx0, cy0, pad)))
}

/// Halves word boxes read on an image scaled ×2.
fn halve(words: Vec<RawWord>) -> Vec<RawWord> {
    words
        .into_iter()
        .map(|mut w| {
            w.left /= 2;
            w.top /= 2;
            w.width /= 2;
            w.height /= 2;
            w
        })
        .collect()
}

/// Moves word boxes read on a crop padded by `pad` whose ink starts at
/// (x, y) of the page.
fn place(mut words: Vec<RawWord>, x: u32, y: u32, pad: u32) -> Vec<RawWord> {
    for w in &mut words {
        w.left = (w.left + x).saturating_sub(pad);
        w.top = (w.top + y).saturating_sub(pad);
    }
    words
}

/// Paints a rectangle white.
fn blank(img: &mut GrayImage, x0: u32, y0: u32, x1: u32, y1: u32) {
    let (w, h) = img.dimensions();
    for y in y0..y1.min(h) {
        for x in x0..x1.min(w) {
            img.put_pixel(x, y, image::Luma([255]));
        }
    }
}

fn to_points(px: f32, dpi: f32) -> f32 {
    (px * 72.0 / dpi * 10.0).round() / 10.0
}

fn word_bbox(w: &RawWord, dpi: f32) -> BBox {
    [
        to_points(w.left as f32, dpi),
        to_points(w.top as f32, dpi),
        to_points((w.left + w.width) as f32, dpi),
        to_points((w.top + w.height) as f32, dpi),
    ]
}

fn union(a: BBox, b: BBox) -> BBox {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Splits Latin words OCR ran together (「NanyangTechnological」 →
/// 「Nanyang Technological」): a capital after three or more lower-case
/// letters, itself followed by lower-case letters, starts a new word.
/// Shorter heads (「McGill」, 「MacDonald」) stay whole.
pub fn split_run_together(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len() + 4);
    let mut lower_run = 0;
    for (i, &c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        if c.is_ascii_uppercase() && lower_run >= 3 && next_lower {
            out.push(' ');
        }
        lower_run = if c.is_ascii_lowercase() {
            lower_run + 1
        } else {
            0
        };
        out.push(c);
    }
    out
}

/// Removes the spaces OCR puts between Chinese characters (and between a
/// Chinese character and anything else), keeping those between Latin words.
pub fn remove_cjk_spaces(s: &str) -> String {
    join_words(s.split(' '))
}

/// Words → lines: groups by tesseract's (block, par, line), each line's
/// words left to right, lines top to bottom.
fn group_lines<'a>(words: &[&'a RawWord]) -> Vec<Vec<&'a RawWord>> {
    let mut lines: Vec<Vec<&RawWord>> = Vec::new();
    let mut keys: Vec<(u32, u32, u32)> = Vec::new();
    for w in words {
        match keys.iter().position(|k| *k == w.line) {
            Some(i) => lines[i].push(w),
            None => {
                keys.push(w.line);
                lines.push(vec![w]);
            }
        }
    }
    for l in &mut lines {
        // A line tesseract found running down the page (it reads such
        // blocks as vertical Chinese) is read top to bottom; sorted by x
        // its characters would be shuffled.
        let (x0, x1) = (
            l.iter().map(|w| w.left).min().unwrap_or(0),
            l.iter().map(|w| w.left + w.width).max().unwrap_or(0),
        );
        let (y0, y1) = (
            l.iter().map(|w| w.top).min().unwrap_or(0),
            l.iter().map(|w| w.top + w.height).max().unwrap_or(0),
        );
        if l.len() > 1 && y1 - y0 > 2 * (x1 - x0) {
            l.sort_by_key(|w| w.top);
        } else {
            l.sort_by_key(|w| w.left);
        }
    }
    lines.sort_by_key(|l| (l.iter().map(|w| w.top).min().unwrap_or(0), l[0].left));
    lines
}

/// One line's words joined, run-together Latin words split.
fn line_text(line: &[&RawWord]) -> String {
    let words: Vec<String> = line.iter().map(|w| split_run_together(&w.text)).collect();
    join_words(words.iter().map(String::as_str))
}

/// Builds paragraphs and tables from words and grids (pixels at `dpi`).
fn layout(raw: &[RawWord], grids: &[table::Grid], dpi: f32) -> OcrPage {
    let mut in_cell: Vec<Vec<Vec<&RawWord>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    let mut free: Vec<&RawWord> = Vec::new();
    for w in raw {
        let cx = w.left as f32 + w.width as f32 / 2.0;
        let cy = w.top as f32 + w.height as f32 / 2.0;
        let hit = grids
            .iter()
            .enumerate()
            .find_map(|(gi, g)| g.cell_of(cx, cy).map(|ci| (gi, ci)));
        match hit {
            Some((gi, ci)) => in_cell[gi][ci].push(w),
            None => free.push(w),
        }
    }
    // Blocks keyed by their top edge, for reading order.
    let mut keyed: Vec<(f32, Block)> = Vec::new();
    for line in group_lines(&free) {
        let text = cjk_parens(&line_text(&line));
        let bbox = line
            .iter()
            .map(|w| word_bbox(w, dpi))
            .reduce(union)
            .unwrap_or_default();
        keyed.push((
            bbox[1],
            Block::Paragraph(Paragraph {
                text,
                index: 0,
                region: Region::Body,
                page: None,
                bbox: Some(bbox),
                style: None,
            }),
        ));
    }
    for (gi, g) in grids.iter().enumerate() {
        let n_rows = g.ys.len() - 1;
        let n_cols = g.xs.len() - 1;
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); n_rows];
        for (ci, &(r, c, rs, cs)) in g.cells.iter().enumerate() {
            let lines = group_lines(&in_cell[gi][ci]);
            let text = cjk_parens(&join_words(
                lines
                    .iter()
                    .map(|l| line_text(l))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            ));
            let [x0, y0, x1, y1] = g.cell_rect(ci);
            rows[r].push(Cell {
                row: r,
                col: c,
                row_span: rs,
                col_span: cs,
                value: if text.is_empty() {
                    crate::model::CellValue::Empty
                } else {
                    crate::model::CellValue::Text(text.clone())
                },
                text,
                bbox: Some([
                    to_points(x0 as f32, dpi),
                    to_points(y0 as f32, dpi),
                    to_points(x1 as f32, dpi),
                    to_points(y1 as f32, dpi),
                ]),
            });
        }
        for row in &mut rows {
            row.sort_by_key(|c| c.col);
        }
        let [x0, y0, x1, y1] = g.bbox();
        let bbox = [
            to_points(x0 as f32, dpi),
            to_points(y0 as f32, dpi),
            to_points(x1 as f32, dpi),
            to_points(y1 as f32, dpi),
        ];
        keyed.push((
            bbox[1],
            Block::Table(Table {
                index: 0,
                sheet: None,
                page: None,
                region: Region::Body,
                parent: None,
                n_rows,
                n_cols,
                rows,
                bbox: Some(bbox),
            }),
        ));
    }
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut blocks: Vec<Block> = keyed.into_iter().map(|(_, b)| b).collect();
    renumber(&mut blocks, 0, 0);
    let words = raw
        .iter()
        .map(|w| Word {
            text: w.text.clone(),
            bbox: word_bbox(w, dpi),
            conf: w.conf,
        })
        .collect();
    OcrPage {
        blocks,
        words,
        ..Default::default()
    }
}

/// Gives blocks 1-based indexes following `paras`/`tables` already used.
pub fn renumber(blocks: &mut [Block], mut paras: usize, mut tables: usize) {
    for b in blocks {
        match b {
            Block::Paragraph(p) => {
                paras += 1;
                p.index = paras;
            }
            Block::Table(t) => {
                tables += 1;
                t.index = tables;
            }
        }
    }
}

/// Resolution stored in a JPEG (JFIF) or PNG (pHYs) header, if any.
pub fn image_dpi(bytes: &[u8]) -> Option<f32> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        // JFIF APP0: "JFIF\0", version, units, Xdensity, Ydensity.
        let i = bytes.windows(5).take(64).position(|w| w == b"JFIF\0")?;
        let units = *bytes.get(i + 7)?;
        let x = u16::from_be_bytes([*bytes.get(i + 8)?, *bytes.get(i + 9)?]) as f32;
        return match units {
            1 if x > 1.0 => Some(x),
            2 if x > 1.0 => Some(x * 2.54),
            _ => None,
        };
    }
    if bytes.starts_with(b"\x89PNG") {
        let i = bytes.windows(4).take(4096).position(|w| w == b"pHYs")?;
        let d = bytes.get(i + 4..i + 13)?;
        let ppm = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as f32;
        if d[8] == 1 && ppm > 100.0 {
            return Some(ppm * 0.0254);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_spacing() {
        assert_eq!(
            remove_cjk_spaces("项 目 名 称 : AI model"),
            "项目名称: AI model"
        );
        assert_eq!(
            join_words(["合作", "2026", "年", "Dr.", "Smith"]),
            "合作2026年Dr. Smith"
        );
        assert_eq!(
            join_words(["2", ".培养", "Univ.", "(", "Japan", ")", ";"]),
            "2.培养Univ. (Japan);"
        );
        assert_eq!(cjk_parens("中国石油大学(华东)"), "中国石油大学（华东）");
        assert_eq!(cjk_parens("(华东)"), "（华东）");
        assert_eq!(cjk_parens("大学〈华东)"), "大学（华东）");
        assert_eq!(cjk_parens("〈华东〉"), "〈华东〉");
        assert_eq!(
            cjk_parens("Tohoku University (Japan)"),
            "Tohoku University (Japan)"
        );
        assert_eq!(cjk_parens("a) b (c"), "a) b (c");
    }

    #[test]
    fn misread_parentheses() {
        assert_eq!(cjk_parens("中国石油大学《华东)"), "中国石油大学（华东）");
        assert_eq!(cjk_parens("中国石油大学【华东)"), "中国石油大学（华东）");
        assert_eq!(cjk_parens("大学(华东〕"), "大学（华东）");
        assert_eq!(cjk_parens("见《指南》"), "见《指南》");
        assert_eq!(cjk_parens("【通知】"), "【通知】");
        assert_eq!(cjk_parens("《A)"), "《A)");
    }

    fn word(text: &str, left: u32, top: u32, line: u32) -> RawWord {
        RawWord {
            text: text.into(),
            left,
            top,
            width: 30,
            height: 30,
            conf: 90.0,
            line: (1, 1, line),
        }
    }

    #[test]
    fn lines_in_reading_order() {
        // A line across the page (words given out of order) and one that
        // tesseract found running down it, slightly slanted.
        let words = [
            word("名称", 200, 100, 2),
            word("项目", 100, 102, 2),
            word("附件", 100, 20, 1),
            word("备", 600, 300, 3),
            word("注", 603, 340, 3),
            word("栏", 598, 380, 3),
        ];
        let refs: Vec<&RawWord> = words.iter().collect();
        let lines: Vec<String> = group_lines(&refs).iter().map(|l| line_text(l)).collect();
        assert_eq!(lines, ["附件", "项目名称", "备注栏"]);
    }

    #[test]
    fn a_column_of_list_numbers_read_as_one_word_is_dropped() {
        let mut words = vec![
            word("土壤墒情", 100, 100, 1),
            word("灌溉", 100, 150, 2),
            word("施肥", 100, 200, 3),
            // Numbers 1. 2. 3. down the lines' left, as one unsure word.
            RawWord {
                width: 25,
                height: 130,
                conf: 10.0,
                ..word("eat", 60, 100, 4)
            },
            // A stacked word read surely stays.
            RawWord {
                width: 25,
                height: 130,
                conf: 90.0,
                ..word("备注栏", 600, 100, 5)
            },
        ];
        drop_stacked_marks(&mut words);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["土壤墒情", "灌溉", "施肥", "备注栏"]);
    }

    #[test]
    fn sharp_scans_with_large_text_are_read_smaller() {
        const A4: f32 = 8.27 * 11.69;
        // 300 dpi, 10.5 pt body text: a 44 px band is read at ~230 dpi.
        let to = read_dpi(300.0, Some(44.0), A4).expect("shrunk");
        assert!((to - 231.8).abs() < 1.0, "{to}");
        // Small print, or already near the target: left as it is.
        assert_eq!(read_dpi(300.0, Some(28.0), A4), None);
        assert_eq!(read_dpi(300.0, Some(36.0), A4), None);
        // Never below 150 dpi; 150-dpi scans and 600-dpi ones are not its.
        assert_eq!(read_dpi(300.0, Some(120.0), A4), Some(150.0));
        assert_eq!(read_dpi(150.0, Some(40.0), A4), None);
        assert_eq!(read_dpi(600.0, Some(88.0), A4), None);
        assert_eq!(read_dpi(300.0, None, A4), None);
        // A label-sized image stays as it is; a half page does not.
        assert_eq!(read_dpi(362.0, Some(58.0), 1.2 * 0.3), None);
        assert!(read_dpi(300.0, Some(44.0), A4 / 2.0).is_some());
    }

    #[test]
    fn run_together_words() {
        assert_eq!(
            split_run_together("NanyangTechnological"),
            "Nanyang Technological"
        );
        assert_eq!(split_run_together("NationalAgrarian"), "National Agrarian");
        assert_eq!(split_run_together("McGill"), "McGill");
        assert_eq!(split_run_together("MacDonald"), "MacDonald");
        assert_eq!(split_run_together("University"), "University");
        assert_eq!(split_run_together("IEEE"), "IEEE");
        assert_eq!(split_run_together("iPhone"), "iPhone");
        assert_eq!(split_run_together("项目ABC"), "项目ABC");
    }
}
