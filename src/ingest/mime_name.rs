//! Mime names: an attachment's file name read from its raw
//! `Content-Disposition` / `Content-Type` headers, as mail clients really
//! write them: RFC 2231 `filename*=` and `filename*0*=GBK''…` continuations,
//! RFC 2047 words inside quoted `name="=?GBK?B?…?= =?GBK?B?…?="` (several,
//! folded), and raw 8-bit GBK. mail-parser's own reading is the fallback.

use std::collections::BTreeMap;

use mail_parser::decoders::{base64::base64_decode, quoted_printable::quoted_printable_decode};

use super::names;

/// The best name in the raw header values `headers` (Content-Disposition
/// first, then Content-Type): `filename*`, `name*`, `filename`, `name`.
pub(super) fn from_headers(headers: &[&[u8]]) -> Option<String> {
    let params: Vec<Params> = headers.iter().map(|h| Params::parse(h)).collect();
    for key in ["filename", "name"] {
        for p in &params {
            if let Some(n) = p.extended(key).filter(|n| !n.trim().is_empty()) {
                return Some(n);
            }
        }
    }
    for key in ["filename", "name"] {
        for p in &params {
            if let Some(v) = p.plain.get(key).filter(|v| !v.trim_ascii().is_empty()) {
                return Some(decode_words(v));
            }
        }
    }
    None
}

/// Whether `name` still holds RFC 2047 syntax, i.e. was not decoded: such a
/// name must not be cut at a `/`, which is a base64 digit there.
pub(super) fn undecoded(name: &str) -> bool {
    name.contains("=?") && name.contains("?=")
}

/// One RFC 2231 section: whether it is percent-encoded, and its bytes.
type Section = (bool, Vec<u8>);

/// The parameters of one header value.
#[derive(Default)]
struct Params {
    /// `key=value`, value unquoted, raw bytes.
    plain: BTreeMap<String, Vec<u8>>,
    /// `key*=v` is section `None`; `key*N=v`/`key*N*=v` are sections `N`.
    /// Each value with whether it is percent-encoded.
    sections: BTreeMap<String, BTreeMap<Option<u32>, Section>>,
}

impl Params {
    fn parse(value: &[u8]) -> Params {
        let mut out = Params::default();
        for (key, val) in split_params(&unfold(value)) {
            let key = key.to_ascii_lowercase();
            match key.split_once('*') {
                None => {
                    out.plain.entry(key).or_insert(val);
                }
                Some((base, rest)) => {
                    let encoded = rest.ends_with('*') || rest.is_empty();
                    let n = rest.trim_end_matches('*');
                    let section = if n.is_empty() {
                        None
                    } else {
                        match n.parse::<u32>() {
                            Ok(n) => Some(n),
                            Err(_) => continue,
                        }
                    };
                    out.sections
                        .entry(base.to_string())
                        .or_default()
                        .insert(section, (encoded, val));
                }
            }
        }
        out
    }

    /// The RFC 2231 value of `key`: `key*=` or its `key*0*=`… sections
    /// joined, percent-decoded and read in the charset the first names.
    fn extended(&self, key: &str) -> Option<String> {
        let sections = self.sections.get(key)?;
        let parts: Vec<&Section> = match sections.get(&None) {
            Some(whole) => vec![whole],
            None => sections.values().collect(),
        };
        let mut charset = None;
        let mut bytes = Vec::new();
        for (i, (encoded, v)) in parts.iter().enumerate() {
            let mut v: &[u8] = v;
            if i == 0 && *encoded {
                // charset'language'value
                let mut it = v.splitn(3, |&b| b == b'\'');
                if let (Some(cs), Some(_), Some(rest)) = (it.next(), it.next(), it.next()) {
                    charset = Some(String::from_utf8_lossy(cs).into_owned());
                    v = rest;
                }
            }
            if *encoded {
                bytes.extend(percent_decode(v));
            } else {
                bytes.extend_from_slice(v);
            }
        }
        Some(decode_charset(charset.as_deref(), &bytes))
    }
}

/// Removes folding (CRLF before whitespace) from a raw header value.
fn unfold(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'\r' | b'\n' => {}
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// `; key=value` pairs of a header value (the leading type is skipped):
/// quoted values unquoted, `;` inside quotes kept.
fn split_params(v: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut items: Vec<Vec<u8>> = vec![Vec::new()];
    let mut quoted = false;
    let mut escaped = false;
    for &b in v {
        let Some(cur) = items.last_mut() else { break };
        if escaped {
            cur.push(b);
            escaped = false;
        } else if quoted && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            quoted = !quoted;
            cur.push(b);
        } else if b == b';' && !quoted {
            items.push(Vec::new());
        } else {
            cur.push(b);
        }
    }
    for item in items.iter().skip(1) {
        let Some(eq) = item.iter().position(|&b| b == b'=') else {
            continue;
        };
        let key = String::from_utf8_lossy(item[..eq].trim_ascii()).into_owned();
        let mut val = item[eq + 1..].trim_ascii();
        if let Some(inner) = val.strip_prefix(b"\"") {
            val = inner.strip_suffix(b"\"").unwrap_or(inner);
        }
        if !key.is_empty() {
            out.push((key, val.to_vec()));
        }
    }
    out
}

fn percent_decode(v: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%'
            && let (Some(h), Some(l)) = (
                v.get(i + 1).copied().and_then(hex),
                v.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// Bytes in the named charset; GBK and GB2312 are read as GB18030 (their
/// superset, which is what senders really use); unknown → UTF-8 or GB18030.
fn decode_charset(charset: Option<&str>, bytes: &[u8]) -> String {
    let label = charset.unwrap_or("").trim().to_ascii_lowercase();
    if matches!(
        label.as_str(),
        "gbk" | "gb2312" | "gb18030" | "cp936" | "x-gbk"
    ) {
        return encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned();
    }
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(enc) if !label.is_empty() => enc.decode_without_bom_handling(bytes).0.into_owned(),
        _ => names::decode_bytes(bytes),
    }
}

/// Decodes the RFC 2047 words in a raw parameter value. Adjacent words
/// (separated only by whitespace, or by nothing) are one text: their bytes
/// are joined before decoding, since a client may split a character
/// between two words. Text outside words is UTF-8 or GB18030.
fn decode_words(v: &[u8]) -> String {
    let mut out = String::new();
    // Pending bytes of adjacent words in one charset.
    let mut pending: Option<(String, Vec<u8>)> = None;
    let mut gap: Vec<u8> = Vec::new();
    let mut i = 0;
    let flush = |out: &mut String, pending: &mut Option<(String, Vec<u8>)>| {
        if let Some((cs, bytes)) = pending.take() {
            out.push_str(&decode_charset(Some(&cs), &bytes));
        }
    };
    while i < v.len() {
        if let Some((cs, bytes, len)) = encoded_word(&v[i..]) {
            // Whitespace between two words is dropped; other text is kept.
            match &mut pending {
                Some((pcs, pb)) if pcs.eq_ignore_ascii_case(&cs) => pb.extend(bytes),
                _ => {
                    flush(&mut out, &mut pending);
                    pending = Some((cs, bytes));
                }
            }
            gap.clear();
            i += len;
            continue;
        }
        if pending.is_some() && matches!(v[i], b' ' | b'\t') {
            gap.push(v[i]);
            i += 1;
            continue;
        }
        flush(&mut out, &mut pending);
        let start = i;
        i += 1;
        while i < v.len() && !v[i..].starts_with(b"=?") {
            i += 1;
        }
        let mut text = std::mem::take(&mut gap);
        text.extend_from_slice(&v[start..i]);
        out.push_str(&names::decode_bytes(&text));
    }
    flush(&mut out, &mut pending);
    out
}

/// `=?charset?B|Q?text?=` at the start of `v`: charset, decoded bytes and
/// the word's length.
fn encoded_word(v: &[u8]) -> Option<(String, Vec<u8>, usize)> {
    let rest = v.strip_prefix(b"=?")?;
    let q1 = rest.iter().position(|&b| b == b'?')?;
    let charset = std::str::from_utf8(&rest[..q1]).ok()?;
    // RFC 2231 language suffix: charset*lang.
    let charset = charset.split('*').next().unwrap_or(charset).to_string();
    let enc = *rest.get(q1 + 1)?;
    if rest.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let text_start = q1 + 3;
    let body = rest.get(text_start..)?;
    let end = body.windows(2).position(|w| w == b"?=")?;
    let text = &body[..end];
    if text.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let bytes = match enc.to_ascii_uppercase() {
        b'B' => base64_decode(text)?,
        b'Q' => {
            let t: Vec<u8> = text
                .iter()
                .map(|&b| if b == b'_' { b' ' } else { b })
                .collect();
            quoted_printable_decode(&t)?
        }
        _ => return None,
    };
    Some((charset, bytes, 2 + text_start + end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    fn b64(b: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in b.chunks(3) {
            let n = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            for i in 0..4 {
                out.push(if i <= c.len() {
                    T[(n >> (18 - 6 * i) & 63) as usize] as char
                } else {
                    '='
                });
            }
        }
        out
    }

    /// The shape that once came out as `…=?==?GBK?B?emlw?=`: a folded,
    /// quoted name of several words, and RFC 2231 continuations.
    #[test]
    fn continuations_and_folded_words() {
        let name = "关于推荐2026年度国际科技合作项目的函（附件材料）.zip";
        let bytes = gbk(name);
        let (a, b) = bytes.split_at(17); // splits a GBK character between words
        let ct = format!(
            " application/octet-stream;\r\n\tname=\"=?GBK?B?{}?=\r\n =?GBK?B?{}?=\"",
            b64(a),
            b64(b)
        );
        assert_eq!(from_headers(&[ct.as_bytes()]).as_deref(), Some(name));
        let pct: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
        let (p0, p1) = pct.split_at(30);
        let cd = format!(" attachment;\r\n\tfilename*0*=GBK''{p0};\r\n\tfilename*1*={p1}");
        assert_eq!(
            from_headers(&[cd.as_bytes(), ct.as_bytes()]).as_deref(),
            Some(name)
        );
        // Words run together without a space.
        let glued = format!(" a; name=\"=?GBK?B?{}?==?GBK?B?{}?=\"", b64(a), b64(b));
        assert_eq!(from_headers(&[glued.as_bytes()]).as_deref(), Some(name));
    }

    #[test]
    fn plain_forms() {
        assert_eq!(
            from_headers(&[b" attachment; filename*=UTF-8''%E7%94%B3.doc"]).as_deref(),
            Some("申.doc")
        );
        assert_eq!(
            from_headers(&[b" attachment; FileName=\"\xc9\xea.doc\"; size=3"]).as_deref(),
            Some("申.doc")
        );
        assert_eq!(
            from_headers(&[b" text/plain; name=\"=?utf-8?Q?a_b=E7=94=B3?=.txt\""]).as_deref(),
            Some("a b申.txt")
        );
        assert_eq!(
            from_headers(&[b" a; xname=1; name=b.doc"]).as_deref(),
            Some("b.doc")
        );
        assert_eq!(
            from_headers(&[b" a; name=\"unterminated"]).as_deref(),
            Some("unterminated")
        );
        assert_eq!(from_headers(&[b" a"]), None);
        assert!(undecoded("WuMT=?==?GBK?B?emlw?="));
        assert!(!undecoded("a=b.zip"));
    }
}
