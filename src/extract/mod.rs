//! Extract: one reader per format, each producing a [`Document`]. Every
//! reader has the same contract: bytes in, document or [`ExtractError`]
//! out, never a panic on bad data.

use crate::model::{Document, FileKind};

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

/// Extracts a document of the given kind from its bytes.
pub fn extract(bytes: &[u8], kind: FileKind, source: &str) -> Result<Document, ExtractError> {
    let _ = (bytes, source);
    Err(ExtractError::Unsupported(kind.as_str().into()))
}
