//! Extract: one reader per format, each producing a [`Document`]. Every
//! reader has the same contract: bytes in, document or [`ExtractError`]
//! out, never a panic on bad data.

mod blocks;
mod doc;
mod docx;
mod ole;
pub mod outline;
pub mod page;
mod pdf;
mod pictures;
mod text;
mod xlsx;

use crate::model::{Document, FileKind};

pub use xlsx::format_number;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("encrypted or password-protected")]
    Encrypted,
    #[error("corrupt or truncated: {0}")]
    Corrupt(String),
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("empty file")]
    Empty,
    #[error("too large: {0}")]
    TooLarge(String),
}

/// Whether a reader's warning says content was left unread at a limit
/// (the readers word those warnings so): such a file was read in part.
pub fn content_left_unread(warning: &str) -> bool {
    [
        "read in part",
        "rest not read",
        "document content too long",
        "pages were read",
    ]
    .iter()
    .any(|p| warning.contains(p))
}

/// Largest decompressed XML part we read from an OOXML package.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

fn has_office_extension(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".dotx"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// How to extract.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// OCR the PDF pages that have no usable text layer (slow: seconds a
    /// page). Off, such pages stay listed in `Document::needs_ocr`.
    pub ocr_scanned_pdf_pages: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ocr_scanned_pdf_pages: true,
        }
    }
}

/// Extracts a document of the given kind from its bytes, OCR included.
pub fn extract(bytes: &[u8], kind: FileKind, source: &str) -> Result<Document, ExtractError> {
    extract_with(bytes, kind, source, &Options::default())
}

/// Extracts a document of the given kind from its bytes.
pub fn extract_with(
    bytes: &[u8],
    kind: FileKind,
    source: &str,
    opts: &Options,
) -> Result<Document, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let mut doc = extract_format(bytes, kind, source, opts)?;
    doc.outline = outline::build(&doc);
    Ok(doc)
}

fn extract_format(
    bytes: &[u8],
    kind: FileKind,
    source: &str,
    opts: &Options,
) -> Result<Document, ExtractError> {
    match kind {
        FileKind::Docx => docx::extract(bytes, source),
        FileKind::Xlsx => {
            if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
                // Renamed .xls or password-protected .xlsx.
                return ole::extract(bytes, source);
            }
            xlsx::extract_xlsx(bytes, source)
        }
        FileKind::Ole => ole::extract(bytes, source),
        FileKind::Text => text::extract(bytes, source),
        FileKind::Pdf => pdf::extract(bytes, source, opts.ocr_scanned_pdf_pages),
        FileKind::Image => page::extract_image(bytes, source),
        // A package named like a document whose parts cannot be found is a
        // damaged document, not an archive to unpack.
        FileKind::Zip if has_office_extension(source) => Err(ExtractError::Corrupt(
            "damaged or truncated Office package (no readable document part)".into(),
        )),
        FileKind::Zip | FileKind::Eml => Err(ExtractError::Unsupported(format!(
            "{} is a container: ingest unpacks it",
            kind.as_str()
        ))),
        FileKind::Unknown => Err(ExtractError::Unsupported("unrecognised file type".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_errors() {
        assert!(matches!(
            extract(b"", FileKind::Docx, "x"),
            Err(ExtractError::Empty)
        ));
        assert!(matches!(
            extract(b"%PDF-1.4", FileKind::Pdf, "x"),
            Err(ExtractError::Corrupt(m)) if m.contains("PDF")
        ));
        assert!(matches!(
            extract(b"abc", FileKind::Docx, "x"),
            Err(ExtractError::Corrupt(_))
        ));
        assert!(matches!(
            extract(b"abc", FileKind::Xlsx, "x"),
            Err(ExtractError::Corrupt(_))
        ));
        let d = extract("甲\n乙".as_bytes(), FileKind::Text, "x").unwrap();
        assert_eq!(d.paragraphs().count(), 2);
    }
}
