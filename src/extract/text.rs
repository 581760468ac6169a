//! Plain text files: one paragraph per non-blank line, decoded as UTF-8
//! when valid, else as GB18030 (what Chinese Windows Notepad saved).

use super::ExtractError;
use crate::model::{Block, Document, FileKind, Paragraph};

pub fn extract(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let mut doc = Document::new(source, FileKind::Text);
    let text = decode(bytes, &mut doc.warnings);
    let mut index = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        index += 1;
        doc.blocks.push(Block::Paragraph(Paragraph {
            text: line.to_string(),
            index,
            ..Default::default()
        }));
    }
    Ok(doc)
}

/// Decodes text bytes: a BOM decides, else UTF-8 when valid, else GB18030.
pub fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                warnings.push("text is neither valid UTF-8 nor GB18030; bad bytes replaced".into());
            }
            s.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_gbk_lines() {
        let d = extract("项目名称：甲\r\n\r\n  负责人：乙\n".as_bytes(), "a.txt").unwrap();
        let p: Vec<_> = d.paragraphs().map(|p| (p.index, p.text.as_str())).collect();
        assert_eq!(p, vec![(1, "项目名称：甲"), (2, "  负责人：乙")]);
        let gbk = encoding_rs::GBK.encode("预算经费：100万元").0.into_owned();
        let d = extract(&gbk, "a.txt").unwrap();
        assert_eq!(d.paragraphs().next().unwrap().text, "预算经费：100万元");
        assert!(d.warnings.is_empty());
    }
}
