//! Names: decoding zip entry names (UTF-8 flag, Info-ZIP Unicode Path extra
//! field, GBK/GB18030 fallback), sanitising logical paths (no `..`, no
//! absolute paths, no NUL) and recognising junk files.

/// Language-encoding flag (EFS, bit 11): the name is UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
/// Info-ZIP Unicode Path extra field.
const UNICODE_PATH_ID: u16 = 0x7075;

/// Decodes a raw zip entry name. Order: UTF-8 flag, a Unicode Path extra
/// field whose CRC matches the raw name, valid UTF-8, then GB18030 (a
/// superset of GBK/GB2312, which is what Chinese Windows tools write).
///
/// Backslashes are NOT touched here: they can only be judged after decoding,
/// because a multi-byte character's trail byte may be 0x5C.
pub fn decode_entry_name(raw: &[u8], flags: u16, extra: Option<&[u8]>) -> String {
    if flags & FLAG_UTF8 != 0
        && let Ok(s) = std::str::from_utf8(raw)
    {
        return s.to_string();
    }
    if let Some(s) = extra.and_then(|e| unicode_path_from_extra(e, raw)) {
        return s;
    }
    decode_bytes(raw)
}

/// UTF-8 if valid, else GB18030 (lossy: undecodable bytes become U+FFFD).
pub fn decode_bytes(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

/// Finds a version-1 Unicode Path field (0x7075) in an extra-field blob and
/// returns its name if its CRC32 matches `raw` (a stale field, left behind
/// by a tool that renamed the entry, must be ignored).
pub fn unicode_path_from_extra(extra: &[u8], raw: &[u8]) -> Option<String> {
    let mut rest = extra;
    while rest.len() >= 4 {
        let id = u16::from_le_bytes([rest[0], rest[1]]);
        let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        if id != UNICODE_PATH_ID || data.len() < 5 || data[0] != 1 {
            continue;
        }
        let crc = u32::from_le_bytes([data[1], data[2], data[3], data[4]]);
        if crc != crc32fast::hash(raw) {
            continue;
        }
        if let Ok(s) = std::str::from_utf8(&data[5..]) {
            return Some(s.to_string());
        }
    }
    None
}

/// Whether a decoded entry name denotes a directory.
pub fn is_dir_name(decoded: &str) -> bool {
    decoded.ends_with('/') || decoded.ends_with('\\')
}

/// A name that may not be used as a logical path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The name with the offending parts dropped, for display only.
    pub display: String,
    pub reason: String,
}

/// Turns a decoded archive name into a `/`-separated relative path, or
/// refuses it (traversal, absolute path, NUL byte, nothing left).
pub fn sanitize(decoded: &str) -> Result<String, Refused> {
    let mut reasons: Vec<&str> = Vec::new();
    let mut s = decoded.to_string();
    if s.contains('\0') {
        reasons.push("NUL byte in name");
        s = s.replace('\0', "");
    }
    let s = s.replace('\\', "/");
    let mut rest = s.as_str();
    // Drive letters (`C:` / `C:/`) and UNC or root-anchored names.
    let b = rest.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        reasons.push("absolute path");
        rest = &rest[2..];
    } else if rest.starts_with('/') {
        reasons.push("absolute path");
    }
    let mut parts: Vec<&str> = Vec::new();
    for comp in rest.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if !reasons.contains(&"parent-directory (..) component") {
                    reasons.push("parent-directory (..) component");
                }
            }
            c => parts.push(c),
        }
    }
    let display = parts.join("/");
    if display.is_empty() && reasons.is_empty() {
        reasons.push("empty name");
    }
    if reasons.is_empty() {
        Ok(display)
    } else {
        Err(Refused {
            display: if display.is_empty() {
                "(unnamed)".to_string()
            } else {
                display
            },
            reason: reasons.join(", "),
        })
    }
}

/// The last component of a name given in a message header (attachments
/// sometimes carry a client-side path), sanitised to a plain file name.
pub fn attachment_file_name(name: &str) -> Option<String> {
    let cleaned: String = name.chars().filter(|c| !c.is_control()).collect();
    let last = cleaned.rsplit(['/', '\\']).next().unwrap_or("").trim();
    // Strip a drive prefix such as `C:` left when no separator followed it.
    let last = match last.as_bytes() {
        [d, b':', ..] if d.is_ascii_alphabetic() => last[2..].trim(),
        _ => last,
    };
    if last.is_empty() || last == "." || last == ".." {
        None
    } else {
        Some(last.to_string())
    }
}

/// Why a logical path is junk that should not be processed, if it is.
pub fn junk_reason(path: &str) -> Option<&'static str> {
    let mut comps = path.split('/').filter(|c| !c.is_empty()).peekable();
    while let Some(c) = comps.next() {
        let last = comps.peek().is_none();
        if c == "__MACOSX" {
            return Some("macOS resource fork folder (__MACOSX)");
        }
        if !last {
            continue;
        }
        let lower = c.to_lowercase();
        if lower == ".ds_store" {
            return Some("macOS folder metadata (.DS_Store)");
        }
        if c.starts_with("._") {
            return Some("macOS AppleDouble file (._*)");
        }
        if lower == "thumbs.db" {
            return Some("Windows thumbnail cache (Thumbs.db)");
        }
        if lower == "desktop.ini" {
            return Some("Windows folder settings (desktop.ini)");
        }
        if c.starts_with("~$") {
            return Some("Office lock file (~$*)");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    fn unicode_extra(raw: &[u8], name: &str, crc: Option<u32>) -> Vec<u8> {
        let mut data = vec![1u8];
        data.extend_from_slice(&crc.unwrap_or_else(|| crc32fast::hash(raw)).to_le_bytes());
        data.extend_from_slice(name.as_bytes());
        let mut e = Vec::new();
        // An unrelated field first, to check that fields are walked.
        e.extend_from_slice(&0x5455u16.to_le_bytes());
        e.extend_from_slice(&5u16.to_le_bytes());
        e.extend_from_slice(&[1, 0, 0, 0, 0]);
        e.extend_from_slice(&UNICODE_PATH_ID.to_le_bytes());
        e.extend_from_slice(&(data.len() as u16).to_le_bytes());
        e.extend_from_slice(&data);
        e
    }

    #[test]
    fn utf8_flag_is_honoured() {
        let name = "一带一路共建国家/1.智能农机-山东大学.docx";
        assert_eq!(decode_entry_name(name.as_bytes(), FLAG_UTF8, None), name);
    }

    #[test]
    fn gbk_without_flag_is_decoded() {
        let name = "一带一路共建国家/1.智能农机-山东大学.docx";
        assert_eq!(decode_entry_name(&gbk(name), 0, None), name);
        // GB18030-only characters (four-byte sequences) decode as well.
        let raw = encoding_rs::GB18030.encode("𠀀.txt").0.into_owned();
        assert_eq!(decode_entry_name(&raw, 0, None), "𠀀.txt");
    }

    #[test]
    fn plain_utf8_without_flag_is_utf8() {
        assert_eq!(
            decode_entry_name("中文.txt".as_bytes(), 0, None),
            "中文.txt"
        );
    }

    #[test]
    fn unicode_extra_field_wins_when_crc_matches() {
        let raw = gbk("旧名.docx");
        let extra = unicode_extra(&raw, "新名.docx", None);
        assert_eq!(decode_entry_name(&raw, 0, Some(&extra)), "新名.docx");
    }

    #[test]
    fn stale_unicode_extra_field_is_ignored() {
        let raw = gbk("旧名.docx");
        let extra = unicode_extra(&raw, "新名.docx", Some(0xdead_beef));
        assert_eq!(decode_entry_name(&raw, 0, Some(&extra)), "旧名.docx");
        // Truncated extra blob: no panic, falls back.
        assert_eq!(decode_entry_name(&raw, 0, Some(&extra[..7])), "旧名.docx");
    }

    #[test]
    fn garbage_bytes_do_not_panic() {
        let s = decode_entry_name(&[0xff, 0xfe, 0x80, b'.', b'd', b'o', b'c'], 0, None);
        assert!(s.ends_with(".doc"), "{s}");
        assert!(s.contains('\u{fffd}'));
        // Flag set but invalid UTF-8: falls back instead of failing.
        let s = decode_entry_name(&gbk("中.txt"), FLAG_UTF8, None);
        assert_eq!(s, "中.txt");
    }

    #[test]
    fn trail_byte_0x5c_is_not_a_separator() {
        // CP932 表 = 95 5C; GBK reads 95 5C as one character.
        let raw = [0x95, 0x5c, b'.', b't', b'x', b't'];
        let s = decode_entry_name(&raw, 0, None);
        assert!(!s.contains('\\'), "{s:?}");
        assert_eq!(sanitize(&s).unwrap().split('/').count(), 1);
    }

    #[test]
    fn backslashes_become_separators() {
        assert_eq!(sanitize("a\\b\\c.docx").unwrap(), "a/b/c.docx");
        assert_eq!(sanitize("./a//b/./c.docx").unwrap(), "a/b/c.docx");
        assert!(is_dir_name("folder\\"));
        assert!(is_dir_name("folder/"));
        assert!(!is_dir_name("folder/x"));
    }

    #[test]
    fn traversal_and_absolute_paths_are_refused() {
        let r = sanitize("../../evil.docx").unwrap_err();
        assert_eq!(r.display, "evil.docx");
        assert!(r.reason.contains(".."), "{}", r.reason);
        let r = sanitize("a/../../b.docx").unwrap_err();
        assert_eq!(r.display, "a/b.docx");
        let r = sanitize("..\\..\\evil.docx").unwrap_err();
        assert_eq!(r.display, "evil.docx");
        let r = sanitize("/etc/passwd").unwrap_err();
        assert_eq!(r.display, "etc/passwd");
        assert!(r.reason.contains("absolute"));
        let r = sanitize("C:\\x.docx").unwrap_err();
        assert_eq!(r.display, "x.docx");
        assert!(r.reason.contains("absolute"));
        let r = sanitize("c:x.docx").unwrap_err();
        assert_eq!(r.display, "x.docx");
        let r = sanitize("\\\\server\\share\\x.docx").unwrap_err();
        assert_eq!(r.display, "server/share/x.docx");
        let r = sanitize("a\0b.docx").unwrap_err();
        assert_eq!(r.display, "ab.docx");
        assert!(r.reason.contains("NUL"));
        let r = sanitize("..").unwrap_err();
        assert_eq!(r.display, "(unnamed)");
        assert!(sanitize("").is_err());
        // Dots inside names are fine.
        assert_eq!(sanitize("a..b/..c").unwrap(), "a..b/..c");
    }

    #[test]
    fn attachment_names_lose_client_paths() {
        assert_eq!(
            attachment_file_name("C:\\Users\\x\\申报书.docx").unwrap(),
            "申报书.docx"
        );
        assert_eq!(attachment_file_name("../../a.zip").unwrap(), "a.zip");
        assert_eq!(attachment_file_name("C:a.zip").unwrap(), "a.zip");
        assert_eq!(attachment_file_name(".."), None);
        assert_eq!(attachment_file_name("  "), None);
    }

    #[test]
    fn junk_is_recognised() {
        assert!(junk_reason("__MACOSX/a/._x.docx").is_some());
        assert!(junk_reason("a/.DS_Store").is_some());
        assert!(junk_reason("a/Thumbs.db").is_some());
        assert!(junk_reason("Desktop.ini").is_some());
        assert!(junk_reason("a/~$申报书.docx").is_some());
        assert!(junk_reason("a/申报书.docx").is_none());
        assert!(junk_reason("~$dir/x.docx").is_none());
    }
}
