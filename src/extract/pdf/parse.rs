//! Object-model helpers over lopdf: loading (lopdf itself rebuilds damaged
//! xref tables, reads object/xref streams and incremental updates, and
//! decrypts with the empty user password), dereferencing and typed access
//! that never panics.

use lopdf::{Dictionary, Document as PdfDoc, Object};

use super::super::ExtractError;

/// Largest decoded stream we accept (content, font, CMap).
pub const MAX_STREAM: usize = 64 * 1024 * 1024;

pub fn load(bytes: &[u8]) -> Result<PdfDoc, ExtractError> {
    match PdfDoc::load_mem(bytes) {
        Ok(doc) => {
            // lopdf tried the empty user password while loading; a document
            // that is still encrypted needs a real password.
            if doc.is_encrypted() && doc.encryption_state.is_none() {
                return Err(ExtractError::Encrypted);
            }
            Ok(doc)
        }
        Err(lopdf::Error::Decryption(_)) | Err(lopdf::Error::InvalidPassword) => {
            Err(ExtractError::Encrypted)
        }
        Err(e) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("password") || msg.to_lowercase().contains("decrypt") {
                Err(ExtractError::Encrypted)
            } else {
                Err(ExtractError::Corrupt(format!("PDF: {msg}")))
            }
        }
    }
}

/// Follows references (bounded) to the object itself.
pub fn deref<'a>(doc: &'a PdfDoc, mut obj: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match obj {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(o) => obj = o,
                None => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

pub fn get<'a>(doc: &'a PdfDoc, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key)
        .ok()
        .map(|o| deref(doc, o))
        .filter(|o| !o.is_null())
}

pub fn get_dict<'a>(doc: &'a PdfDoc, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn name_of(obj: &Object) -> Option<&[u8]> {
    match obj {
        Object::Name(n) => Some(n.as_slice()),
        _ => None,
    }
}

pub fn get_name<'a>(doc: &'a PdfDoc, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    name_of(get(doc, dict, key)?)
}

pub fn num(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

pub fn get_num(doc: &PdfDoc, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    num(get(doc, dict, key)?)
}

pub fn get_array<'a>(doc: &'a PdfDoc, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    match get(doc, dict, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

/// Decoded bytes of a stream object (raw bytes when it has no filter).
pub fn stream_bytes(doc: &PdfDoc, obj: &Object) -> Option<Vec<u8>> {
    match deref(doc, obj) {
        // lopdf decodes `/Filter []` to nothing.
        Object::Stream(s) if unfiltered(s) => Some(s.content.clone()),
        Object::Stream(s) => s.decompressed_content_with_limit(MAX_STREAM).ok(),
        _ => None,
    }
}

/// A stream without a filter: no `/Filter`, or an empty `/Filter []`.
pub fn unfiltered(s: &lopdf::Stream) -> bool {
    match s.dict.get(b"Filter") {
        Err(_) | Ok(Object::Null) => true,
        Ok(Object::Array(a)) => a.is_empty(),
        Ok(_) => false,
    }
}

/// A page attribute, inherited from parent Pages nodes when absent.
pub fn inherited<'a>(doc: &'a PdfDoc, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(v) = get(doc, node, key) {
            return Some(v);
        }
        node = get_dict(doc, node, b"Parent")?;
    }
    None
}

pub fn numbers(arr: &[Object]) -> Vec<f32> {
    arr.iter().filter_map(num).collect()
}
