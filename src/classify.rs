//! Classify: decides a file's [`FileKind`] from its leading bytes (and,
//! for zip containers, the parts inside), falling back on the extension
//! only when the bytes say nothing. Applicants rename files freely, so a
//! `.docx` that is really a PDF must come out as [`FileKind::Pdf`].

use std::io::Cursor;

use crate::model::FileKind;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs the kind of a file from its bytes and name.
pub fn sniff(bytes: &[u8], name: &str) -> FileKind {
    if bytes.is_empty() {
        return FileKind::Unknown;
    }
    if let Some(kind) = by_magic(bytes) {
        return kind;
    }
    let ext = extension(name);
    if looks_like_eml(bytes) || (ext == "eml" && is_text(bytes)) {
        return FileKind::Eml;
    }
    if matches!(ext.as_str(), "txt" | "csv" | "tsv" | "md" | "text" | "log") && is_text(bytes) {
        return FileKind::Text;
    }
    if let Some(kind) = by_extension(&ext) {
        // Bytes we do not recognise under a binary extension: let the
        // extractor for that kind report what is wrong with them.
        return kind;
    }
    if std::str::from_utf8(strip_bom(bytes)).is_ok_and(|s| !s.contains('\0')) {
        return FileKind::Text;
    }
    FileKind::Unknown
}

fn by_magic(b: &[u8]) -> Option<FileKind> {
    if b.starts_with(b"%PDF") {
        return Some(FileKind::Pdf);
    }
    if b.starts_with(b"PK\x03\x04") {
        return Some(zip_kind(b));
    }
    if b.starts_with(b"PK\x05\x06") || b.starts_with(b"PK\x07\x08") {
        return Some(FileKind::Zip);
    }
    if b.starts_with(&OLE_MAGIC) {
        return Some(FileKind::Ole);
    }
    let image = b.starts_with(&[0xFF, 0xD8, 0xFF])
        || b.starts_with(b"\x89PNG\r\n\x1a\n")
        || b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        || b.starts_with(b"GIF87a")
        || b.starts_with(b"GIF89a")
        || (b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP")
        // BMP: "BM" then a size and four reserved zero bytes.
        || (b.len() >= 26 && b.starts_with(b"BM") && b[6..10] == [0, 0, 0, 0]);
    if image {
        return Some(FileKind::Image);
    }
    // Some producers put junk (or a BOM, or an HTTP header) before `%PDF`.
    let head = &b[..b.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Some(FileKind::Pdf);
    }
    None
}

/// Tells DOCX and XLSX from other zips by the parts they contain.
fn zip_kind(b: &[u8]) -> FileKind {
    let names: Option<Vec<String>> = zip::ZipArchive::new(Cursor::new(b)).ok().map(|z| {
        z.file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    });
    match names {
        Some(names) => {
            // Some Chinese tools write `xl\workbook.xml` with backslashes.
            let has = |p: &str| {
                names
                    .iter()
                    .any(|n| n.replace('\\', "/").trim_start_matches('/') == p)
            };
            if has("word/document.xml") {
                FileKind::Docx
            } else if has("xl/workbook.xml") {
                FileKind::Xlsx
            } else {
                FileKind::Zip
            }
        }
        // A damaged central directory: the local headers still carry the
        // part names, so look for them in the raw bytes.
        None => {
            if find(b, b"word/document.xml").is_some() {
                FileKind::Docx
            } else if find(b, b"xl/workbook.xml").is_some() {
                FileKind::Xlsx
            } else {
                FileKind::Zip
            }
        }
    }
}

fn by_extension(ext: &str) -> Option<FileKind> {
    Some(match ext {
        "docx" | "docm" | "dotx" => FileKind::Docx,
        "xlsx" | "xlsm" | "xltx" => FileKind::Xlsx,
        "pdf" => FileKind::Pdf,
        "zip" => FileKind::Zip,
        "doc" | "xls" | "wps" | "et" | "ppt" | "msg" => FileKind::Ole,
        "jpg" | "jpeg" | "png" | "tif" | "tiff" | "bmp" | "gif" | "webp" => FileKind::Image,
        _ => return None,
    })
}

fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(b)
}

/// Valid UTF-8 or GB18030 without NULs.
fn is_text(b: &[u8]) -> bool {
    let b = strip_bom(b);
    if b.contains(&0) {
        return false;
    }
    if std::str::from_utf8(b).is_ok() {
        return true;
    }
    let (_, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(b);
    !had_errors
}

/// RFC 822 headers at the top: the first line is a header (or an mbox
/// `From ` line) and one of the lines that only mail carries is present.
fn looks_like_eml(b: &[u8]) -> bool {
    let head = &b[..b.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return false;
    };
    let is_header = |l: &str| {
        l.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
    };
    if !(first.starts_with("From ") || is_header(first)) {
        return false;
    }
    const MAIL: [&str; 7] = [
        "from:",
        "received:",
        "mime-version:",
        "return-path:",
        "delivered-to:",
        "message-id:",
        "x-mailer:",
    ];
    std::iter::once(first)
        .chain(lines.take(40))
        .take_while(|l| !l.is_empty())
        .any(|l| {
            let l = l.to_ascii_lowercase();
            MAIL.iter().any(|m| l.starts_with(m))
        })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for n in names {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"<x/>").unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn magic_beats_extension() {
        let docx = zip_with(&["[Content_Types].xml", "word/document.xml"]);
        let xlsx = zip_with(&["[Content_Types].xml", "xl/workbook.xml"]);
        let other = zip_with(&["a.txt"]);
        assert_eq!(sniff(&docx, "申请书.pdf"), FileKind::Docx);
        assert_eq!(sniff(&docx, "x.docx"), FileKind::Docx);
        assert_eq!(sniff(&xlsx, "x.docx"), FileKind::Xlsx);
        assert_eq!(sniff(&other, "x.docx"), FileKind::Zip);
        assert_eq!(sniff(b"%PDF-1.7\n...", "x.docx"), FileKind::Pdf);
        assert_eq!(sniff(b"\r\n\r\n%PDF-1.4\n", "x"), FileKind::Pdf);
        assert_eq!(sniff(&OLE_MAGIC, "x.docx"), FileKind::Ole);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "seal.pdf"), FileKind::Image);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "a.txt"), FileKind::Image);
    }

    #[test]
    fn text_mail_and_empty() {
        assert_eq!(sniff(b"", "a.docx"), FileKind::Unknown);
        let mail = b"Received: by x\r\nFrom: a@b.c\r\nSubject: hi\r\n\r\nbody";
        assert_eq!(sniff(mail, "mail.txt"), FileKind::Eml);
        assert_eq!(sniff("项目名称：X".as_bytes(), "a.txt"), FileKind::Text);
        let gbk = encoding_rs::GBK.encode("项目名称：X").0.into_owned();
        assert_eq!(sniff(&gbk, "a.csv"), FileKind::Text);
        assert_eq!(sniff(b"hello", "notes"), FileKind::Text);
        assert_eq!(
            sniff(b"\x00\x01\x02garbage\xff", "blob.bin"),
            FileKind::Unknown
        );
        // Unknown bytes under a binary extension go to that extractor,
        // which reports them as corrupt.
        assert_eq!(sniff(b"\x00\x01garbage", "a.docx"), FileKind::Docx);
    }

    #[test]
    fn damaged_zip_still_named_by_parts() {
        let mut docx = zip_with(&["word/document.xml"]);
        let len = docx.len();
        docx.truncate(len - 30); // cut into the central directory
        assert_eq!(sniff(&docx, "a.bin"), FileKind::Docx);
    }
}
