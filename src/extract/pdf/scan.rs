//! Scanned pages: pages without a usable text layer are rebuilt as one
//! raster from their image XObjects (drawn where the page places them) and
//! their vector glyphs (render.rs), and handed to OCR, which adds their
//! text, tables and seals to the document. The OCR language follows the
//! page's fonts (chi_sim+eng when they do not say, or when the language
//! pack is missing, with a note).

use image::{DynamicImage, Rgb, RgbImage, imageops};
use lopdf::{Dictionary, Document as PdfDoc, Object};

use super::content::{PageImage, Shape};
use super::parse::{deref, get, stream_bytes};
use super::render;
use crate::model::{Block, Document};
use crate::pixels::engine;
use crate::pixels::pdfimage::{ColorSpace, DecodeParams, PdfImage, decode};

/// A page waiting for OCR: its size in points and the images on it.
pub struct ScanPage {
    pub no: u32,
    pub size: (f32, f32),
    pub images: Vec<PageImage>,
    /// Visible glyphs, drawn when the text layer could not be decoded.
    pub shapes: Vec<Shape>,
}

/// Resolution the page raster is built at, when its images allow it.
const TARGET_DPI: f32 = 300.0;
/// Largest raster side in pixels: a poster-sized page is read at less.
const MAX_SIDE: f32 = 7000.0;

/// OCRs the pages, in parallel; a page that cannot be rebuilt or read
/// stays in `needs_ocr` with a warning saying why.
pub fn ocr_pages(pdf: &PdfDoc, doc: &mut Document, pages: Vec<ScanPage>) {
    use rayon::prelude::*;
    type Read = (
        Result<Option<super::super::page::ReadPage>, String>,
        Vec<String>,
    );
    let results: Vec<(u32, Read)> = pages
        .par_iter()
        .map(|page| {
            let mut notes = Vec::new();
            let langs = ocr_langs(page, &mut notes);
            let read = raster(pdf, page, &mut notes).and_then(|r| match r {
                Some((img, dpi)) => engine::with_langs(langs.as_deref(), || {
                    super::super::page::read_page(&img, page.no, Some(dpi))
                })
                .map(Some)
                .map_err(|e| format!("OCR failed: {e}")),
                None => Ok(None),
            });
            (page.no, (read, notes))
        })
        .collect();
    let mut merged = false;
    for (no, (read, notes)) in results {
        doc.warnings.extend(notes);
        match read {
            Ok(Some(mut r)) => {
                for b in &mut r.ocr.blocks {
                    match b {
                        Block::Paragraph(p) => p.text = cjk_punctuation(&p.text),
                        Block::Table(t) => {
                            for c in t.rows.iter_mut().flatten() {
                                c.text = cjk_punctuation(&c.text);
                                if let crate::model::CellValue::Text(v) = &mut c.value {
                                    *v = c.text.clone();
                                }
                            }
                        }
                    }
                }
                super::super::page::merge_into(doc, r);
                merged = true;
            }
            Ok(None) => {}
            Err(e) => doc.warnings.push(format!("page {no}: {e}")),
        }
    }
    if merged {
        in_page_order(doc);
    }
}

/// The tesseract languages for a page: its fonts' script plus English,
/// when the PDF says and the language pack is installed.
fn ocr_langs(page: &ScanPage, notes: &mut Vec<String>) -> Option<String> {
    let lang = render::page_lang(&page.shapes)?;
    let langs = format!("{lang}+eng");
    if langs == engine::LANGS {
        return None;
    }
    if engine::available(&langs) {
        return Some(langs);
    }
    notes.push(format!(
        "page {}: the fonts call for OCR in {lang}, whose language pack is not installed; read as {}",
        page.no,
        engine::LANGS
    ));
    None
}

/// Tesseract reads a full-width colon, comma, semicolon, question or
/// exclamation mark as its ASCII twin; after a CJK character it is the
/// full-width one (Chinese and Japanese typesetting), as in the text layer
/// of the same document made by a word processor.
fn cjk_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let wide = match c {
            ':' => '：',
            ',' => '，',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            _ => c,
        };
        let after_cjk = prev.is_some_and(|p| crate::pixels::is_cjk(p) && !p.is_ascii());
        out.push(if after_cjk { wide } else { c });
        if !c.is_whitespace() {
            prev = Some(c);
        }
    }
    out
}

/// OCR'd pages are appended after the text pages: put every block back in
/// page order (stable, so each page keeps its own order) and renumber.
fn in_page_order(doc: &mut Document) {
    let page = |b: &Block| match b {
        Block::Paragraph(p) => p.page,
        Block::Table(t) => t.page,
    };
    doc.blocks.sort_by_key(|b| page(b).unwrap_or(u32::MAX));
    let (mut pi, mut ti) = (0, 0);
    for b in &mut doc.blocks {
        match b {
            Block::Paragraph(p) => {
                pi += 1;
                p.index = pi;
            }
            Block::Table(t) => {
                ti += 1;
                t.index = ti;
            }
        }
    }
}

/// The page as one colour raster (seals are found by their red), with its
/// resolution; `None` when the page has neither images nor glyphs that can
/// be drawn (a blank page, text drawn as vector paths, fonts not embedded).
fn raster(
    pdf: &PdfDoc,
    page: &ScanPage,
    notes: &mut Vec<String>,
) -> Result<Option<(DynamicImage, f32)>, String> {
    let mut decoded = Vec::new();
    let mut errors = Vec::new();
    for im in &page.images {
        let Some(id) = im.object else { continue };
        let Ok(Object::Stream(s)) = pdf.get_object(id) else {
            continue;
        };
        let globals = jbig2_globals(pdf, &s.dict);
        let mut image = pdf_image(pdf, &s.dict, &s.content);
        image.jbig2_globals = globals.as_deref();
        match decode(&image) {
            Ok(img) => decoded.push((im.bbox, img)),
            Err(e) => errors.push(format!("scanned image not decoded: {e}")),
        }
    }
    if decoded.is_empty() && page.shapes.is_empty() {
        return match errors.first() {
            Some(e) => Err(e.clone()),
            None => Ok(None),
        };
    }
    // Build the raster at the images' own resolution (≈ TARGET_DPI at most),
    // or finer for drawn glyphs.
    let (pw, ph) = (page.size.0.max(1.0), page.size.1.max(1.0));
    let native = decoded
        .iter()
        .map(|(bb, img)| img.width() as f32 / (bb[2] - bb[0]).max(1.0) * 72.0)
        .fold(0.0f32, f32::max);
    let mut dpi = native.clamp(72.0, TARGET_DPI);
    if !page.shapes.is_empty() {
        dpi = dpi.max(render::dpi_for(&page.shapes));
    }
    let side = pw.max(ph) * dpi / 72.0;
    if side > MAX_SIDE {
        dpi *= MAX_SIDE / side;
    }
    let scale = dpi / 72.0;
    let (w, h) = ((pw * scale).round() as u32, (ph * scale).round() as u32);
    let mut canvas = RgbImage::from_pixel(w.max(1), h.max(1), Rgb([255, 255, 255]));
    let no_images = decoded.is_empty();
    for (bb, img) in decoded {
        let x = (bb[0] * scale).round().max(0.0) as i64;
        let y = (bb[1] * scale).round().max(0.0) as i64;
        let iw = ((bb[2] - bb[0]) * scale).round().max(1.0) as u32;
        let ih = ((bb[3] - bb[1]) * scale).round().max(1.0) as u32;
        let rgb = img.to_rgb8();
        let placed = if rgb.dimensions() == (iw, ih) {
            rgb
        } else {
            imageops::resize(&rgb, iw, ih, imageops::FilterType::Triangle)
        };
        // Darkest wins, so stacked strips and overlapping images keep ink.
        for (px, py, p) in placed.enumerate_pixels() {
            let (cx, cy) = (x + px as i64, y + py as i64);
            if cx < w as i64 && cy < h as i64 {
                let c = canvas.get_pixel_mut(cx as u32, cy as u32);
                for k in 0..3 {
                    c.0[k] = c.0[k].min(p.0[k]);
                }
            }
        }
    }
    if !page.shapes.is_empty() {
        let drawn = render::draw(&mut canvas, &page.shapes, scale);
        if drawn > 0 {
            notes.push(format!(
                "page {}: text layer not decodable; {drawn} glyphs drawn and read by OCR",
                page.no
            ));
        } else if no_images {
            return match errors.first() {
                Some(e) => Err(e.clone()),
                None => Ok(None),
            };
        }
    }
    Ok(Some((DynamicImage::ImageRgb8(canvas), dpi)))
}

/// Largest image (pixels) searched for a seal on a page that has text.
const MAX_SEAL_IMAGE_PIXELS: u64 = 12_000_000;
/// Most images searched for seals in one document.
const MAX_SEAL_IMAGES: usize = 24;

/// Seals placed as images on pages that have a text layer (an electronic
/// seal over the signature line of a born-digital agreement): each image
/// that may hold red ink is decoded, laid on white through its soft mask,
/// and searched like a scanned page. Its seals are added to the document
/// in page coordinates.
pub fn seals_in_images(pdf: &PdfDoc, doc: &mut Document, pages: &[(u32, Vec<PageImage>)]) {
    use rayon::prelude::*;
    let jobs: Vec<(u32, &PageImage)> = pages
        .iter()
        .flat_map(|(no, ims)| ims.iter().map(move |im| (*no, im)))
        .filter(|(_, im)| {
            let (w, h) = (im.bbox[2] - im.bbox[0], im.bbox[3] - im.bbox[1]);
            // A seal is 3–6 cm across; logos and rules are smaller, pages larger.
            w >= 36.0 && h >= 24.0
        })
        .take(MAX_SEAL_IMAGES)
        .collect();
    let found: Vec<Vec<crate::model::SealMark>> = jobs
        .par_iter()
        .map(|(no, im)| {
            let Some(img) = image_on_white(pdf, im) else {
                return Vec::new();
            };
            crate::seal::detect_placed(img, *no, im.bbox)
        })
        .collect();
    doc.seals.extend(found.into_iter().flatten());
}

/// The image XObject decoded, with its `/SMask` applied over white paper.
fn image_on_white(pdf: &PdfDoc, im: &PageImage) -> Option<DynamicImage> {
    let id = im.object?;
    let Ok(Object::Stream(s)) = pdf.get_object(id) else {
        return None;
    };
    let (w, h) = (im.width.unwrap_or(0) as u64, im.height.unwrap_or(0) as u64);
    if w * h > MAX_SEAL_IMAGE_PIXELS {
        return None;
    }
    let img = decode(&pdf_image(pdf, &s.dict, &s.content)).ok()?;
    let mut rgb = img.to_rgb8();
    let mask = match get(pdf, &s.dict, b"SMask").map(|o| deref(pdf, o)) {
        Some(Object::Stream(m)) => decode(&pdf_image(pdf, &m.dict, &m.content)).ok(),
        _ => None,
    };
    if let Some(mask) = mask {
        let mask = mask
            .resize_exact(rgb.width(), rgb.height(), imageops::FilterType::Triangle)
            .to_luma8();
        for (p, a) in rgb.pixels_mut().zip(mask.pixels()) {
            let a = a.0[0] as u32;
            for c in &mut p.0 {
                *c = ((*c as u32 * a + 255 * (255 - a)) / 255) as u8;
            }
        }
    }
    Some(DynamicImage::ImageRgb8(rgb))
}

/// The decoded `/JBIG2Globals` stream named in `/DecodeParms`, if any.
fn jbig2_globals(pdf: &PdfDoc, d: &Dictionary) -> Option<Vec<u8>> {
    let parms = get(pdf, d, b"DecodeParms")?;
    let dicts: Vec<&Object> = match deref(pdf, parms) {
        Object::Array(a) => a.iter().collect(),
        o => vec![o],
    };
    dicts.into_iter().find_map(|o| match deref(pdf, o) {
        Object::Dictionary(p) => stream_bytes(pdf, p.get(b"JBIG2Globals").ok()?),
        _ => None,
    })
}

/// The XObject's stream as the image decoder takes it.
fn pdf_image<'a>(pdf: &PdfDoc, d: &Dictionary, data: &'a [u8]) -> PdfImage<'a> {
    let int = |k: &[u8]| match get(pdf, d, k) {
        Some(Object::Integer(i)) => Some(*i),
        Some(Object::Boolean(b)) => Some(*b as i64),
        Some(Object::Real(r)) => Some(*r as i64),
        _ => None,
    };
    let image_mask = matches!(get(pdf, d, b"ImageMask"), Some(Object::Boolean(true)));
    PdfImage {
        data,
        filters: names(pdf, get(pdf, d, b"Filter")),
        params: params(pdf, get(pdf, d, b"DecodeParms")),
        width: int(b"Width").unwrap_or(0).max(0) as u32,
        height: int(b"Height").unwrap_or(0).max(0) as u32,
        bits_per_component: if image_mask {
            1
        } else {
            int(b"BitsPerComponent").unwrap_or(8).clamp(1, 16) as u8
        },
        color_space: color_space(pdf, get(pdf, d, b"ColorSpace")),
        invert: matches!(get(pdf, d, b"Decode"),
            Some(Object::Array(a)) if matches!(a.first(), Some(Object::Integer(1)))),
        jbig2_globals: None,
    }
}

fn names(pdf: &PdfDoc, o: Option<&Object>) -> Vec<String> {
    match o.map(|o| deref(pdf, o)) {
        Some(Object::Name(n)) => vec![String::from_utf8_lossy(n).into_owned()],
        Some(Object::Array(a)) => a.iter().flat_map(|x| names(pdf, Some(x))).collect(),
        _ => Vec::new(),
    }
}

fn params(pdf: &PdfDoc, o: Option<&Object>) -> Vec<DecodeParams> {
    let one = |o: &Object| {
        let mut p = DecodeParams::default();
        if let Object::Dictionary(d) = deref(pdf, o) {
            for (k, v) in d.iter() {
                let v = match deref(pdf, v) {
                    Object::Integer(i) => Some(*i),
                    Object::Boolean(b) => Some(*b as i64),
                    _ => None,
                };
                if let Some(v) = v {
                    p.set(&String::from_utf8_lossy(k), v);
                }
            }
        }
        p
    };
    match o.map(|o| deref(pdf, o)) {
        Some(Object::Array(a)) => a.iter().map(one).collect(),
        Some(o) => vec![one(o)],
        None => Vec::new(),
    }
}

fn color_space(pdf: &PdfDoc, o: Option<&Object>) -> ColorSpace {
    match o.map(|o| deref(pdf, o)) {
        Some(Object::Name(n)) => ColorSpace::from_name(&String::from_utf8_lossy(n), None),
        Some(Object::Array(a)) => {
            let first = names(pdf, a.first()).pop().unwrap_or_default();
            let n = a.get(1).and_then(|s| match deref(pdf, s) {
                Object::Stream(s) => match get(pdf, &s.dict, b"N") {
                    Some(Object::Integer(n)) => Some(*n as usize),
                    _ => None,
                },
                _ => None,
            });
            ColorSpace::from_name(&first, n)
        }
        _ => ColorSpace::Gray,
    }
}
