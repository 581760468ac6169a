//! The pixels: raster operations (`raster`), decoding of PDF image streams
//! (`pdfimage`), the tesseract engine (`engine`), the PP-OCRv4 line
//! recognizer (`ppocr`) and the text rules of what
//! it returns (`text`). A leaf: `ocr` (pages into text and tables) and
//! `seal` (red stamps) build on it, and `extract` composes them; it
//! depends on neither.

pub mod engine;
pub mod pdfimage;
pub mod ppocr;
pub mod raster;
pub mod text;

pub use text::{cjk_count, cjk_parens, edit_distance, is_cjk, join_words};

/// Why a page could not be OCR'd.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("OCR engine: {0}")]
    Engine(String),
    #[error("image: {0}")]
    Image(String),
}
