//! A page image read into the document: `ocr` gives its text and tables,
//! `seal` its seals; this module puts the two together (the pages of
//! scanned PDFs and image files alike), so that neither of them needs the
//! other.

use image::DynamicImage;

use super::ExtractError;
use crate::model::{Document, FileKind};
use crate::ocr::{self, OcrError, OcrPage};

/// A page read by OCR, with its seals, ready to be added to a document.
pub struct ReadPage {
    pub ocr: OcrPage,
    pub seals: Vec<crate::model::SealMark>,
}

/// Reads one page image: its text, tables and seals. Independent of any
/// document, so pages can be read in parallel.
pub fn read_page(img: &DynamicImage, page: u32, dpi: Option<f32>) -> Result<ReadPage, OcrError> {
    let ocr = ocr::ocr_page(img, page, dpi)?;
    let dpi = dpi.unwrap_or_else(|| ocr::guess_dpi(img.width(), img.height()));
    // Seals only where there is red ink: a gray scan or a page without
    // red skips the search (a full-page colour copy and mask).
    // Seals are read on the upright page: ring text is read clockwise
    // from the lower left, which a turned page moves elsewhere.
    let seals = if crate::seal::may_have_seal(img, dpi) {
        crate::ocr::profile::stage("seals", || {
            let turned;
            let upright = match ocr.rotation {
                90 => {
                    turned = img.rotate90();
                    &turned
                }
                180 => {
                    turned = img.rotate180();
                    &turned
                }
                270 => {
                    turned = img.rotate270();
                    &turned
                }
                _ => img,
            };
            crate::seal::detect(upright, page, dpi)
        })
    } else {
        Vec::new()
    };
    Ok(ReadPage { ocr, seals })
}

/// Appends a read page's blocks (renumbered after the document's) and
/// seals to `doc`; marks the document as OCR'd.
pub fn merge_into(doc: &mut Document, read: ReadPage) -> OcrPage {
    let ReadPage { mut ocr, seals } = read;
    let page = ocr.page;
    let paras = doc.paragraphs().count();
    let tables = doc.tables().count();
    let mut blocks = std::mem::take(&mut ocr.blocks);
    ocr::renumber(&mut blocks, paras, tables);
    doc.blocks.extend(blocks);
    doc.ocr = true;
    doc.needs_ocr.retain(|&p| p != page);
    doc.seals.extend(seals);
    if ocr.confidence < 50.0 && !ocr.words.is_empty() {
        doc.warnings.push(format!(
            "page {page}: OCR confidence is low ({:.0}%); text may be wrong",
            ocr.confidence
        ));
    }
    ocr
}

/// OCRs a page image and appends its blocks and seals to `doc`.
pub fn ocr_into(
    doc: &mut Document,
    img: &DynamicImage,
    page: u32,
    dpi: Option<f32>,
) -> Result<OcrPage, OcrError> {
    Ok(merge_into(doc, read_page(img, page, dpi)?))
}

/// Reads an image file (JPEG, PNG, TIFF, BMP; the first frame of a
/// multi-page TIFF) as a one-page document by OCR.
pub fn extract_image(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let img = crate::ocr::profile::stage("decode", || image::load_from_memory(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("image could not be decoded: {e}")))?;
    let dpi = ocr::image_dpi(bytes);
    let mut doc = Document::new(source, FileKind::Image);
    doc.pages = Some(1);
    ocr_into(&mut doc, &img, 1, dpi).map_err(|e| match e {
        OcrError::Engine(m) => ExtractError::Unsupported(format!("OCR unavailable: {m}")),
        OcrError::Image(m) => ExtractError::Corrupt(m),
    })?;
    Ok(doc)
}
