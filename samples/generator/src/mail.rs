//! An RFC 5322 e-mail as a Chinese government mailbox sends it: GBK text,
//! RFC 2047 `=?GBK?B?…?=` subject and names, a base64 zip attachment named
//! both ways (RFC 2231 `filename*0*=GBK''…` continuations and a folded
//! RFC 2047 `name="=?GBK?B?…?= =?GBK?B?…?="`).

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

/// RFC 2047 encoded words, split at character boundaries so each word stays
/// under 75 characters; joined with folding whitespace.
fn encoded_words(s: &str) -> String {
    let mut words = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        cur.push(ch);
        if gbk(&cur).len() >= 40 {
            words.push(format!("=?GBK?B?{}?=", base64(&gbk(&cur))));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        words.push(format!("=?GBK?B?{}?=", base64(&gbk(&cur))));
    }
    words.join("\r\n ")
}

/// RFC 2231 percent-encoding of the GBK bytes.
fn rfc2231(s: &str) -> String {
    let mut out = String::from("GBK''");
    for b in gbk(s) {
        if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `key*0*=GBK''…;` `key*1*=…` sections of at most 60 characters, each on
/// its own line (RFC 2231 §3), never cutting a `%XX` escape.
fn rfc2231_sections(key: &str, s: &str) -> String {
    let value = rfc2231(s);
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        if c == '%' {
            cur.extend(chars.next());
            cur.extend(chars.next());
        }
        if cur.len() >= 60 {
            parts.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{key}*{i}*={p}"))
        .collect::<Vec<_>>()
        .join(";\r\n\t")
}

fn wrap76(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 38);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push_str("\r\n");
        }
        out.push(ch);
    }
    out
}

pub struct Mail<'a> {
    pub from_name: &'a str,
    pub from_addr: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub date: &'a str,
    pub message_id: &'a str,
    pub attachment_name: &'a str,
    pub attachment: &'a [u8],
}

pub fn build(m: &Mail) -> Vec<u8> {
    let boundary = "----=_NextPart_000_0012_01DC5F3A.7B2C9E40";
    let mut s = String::new();
    s.push_str(&format!(
        "From: {} <{}>\r\n",
        encoded_words(m.from_name),
        m.from_addr
    ));
    s.push_str(&format!("To: {}\r\n", m.to));
    s.push_str(&format!("Subject: {}\r\n", encoded_words(m.subject)));
    s.push_str(&format!("Date: {}\r\n", m.date));
    s.push_str(&format!("Message-ID: <{}>\r\n", m.message_id));
    s.push_str("MIME-Version: 1.0\r\n");
    s.push_str(&format!(
        "Content-Type: multipart/mixed;\r\n\tboundary=\"{boundary}\"\r\n"
    ));
    s.push_str("X-Mailer: Foxmail 7.2.25.228[cn]\r\n\r\n");
    s.push_str("This is a multi-part message in MIME format.\r\n\r\n");
    // Body as text and HTML alternatives, as Foxmail and Coremail send it.
    let alt = "----=_NextPart_001_0013_01DC5F3A.7B2C9E40";
    s.push_str(&format!("--{boundary}\r\n"));
    s.push_str(&format!(
        "Content-Type: multipart/alternative;\r\n\tboundary=\"{alt}\"\r\n\r\n"
    ));
    s.push_str(&format!("--{alt}\r\n"));
    s.push_str("Content-Type: text/plain;\r\n\tcharset=\"GBK\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    s.push_str(&wrap76(&base64(&gbk(m.body))));
    s.push_str("\r\n\r\n");
    let html: String = m
        .body
        .split("\r\n")
        .map(|l| {
            format!(
                "<div>{}</div>",
                l.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    let html = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\"></head><body>{html}</body></html>"
    );
    s.push_str(&format!("--{alt}\r\n"));
    s.push_str("Content-Type: text/html;\r\n\tcharset=\"GBK\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    s.push_str(&wrap76(&base64(&gbk(&html))));
    s.push_str(&format!("\r\n\r\n--{alt}--\r\n\r\n"));
    s.push_str(&format!("--{boundary}\r\n"));
    // As Foxmail and Outlook write it: a quoted name of several RFC 2047
    // words folded over lines, and RFC 2231 `filename*N*` continuations.
    s.push_str(&format!(
        "Content-Type: application/x-zip-compressed;\r\n\tname=\"{}\"\r\n",
        encoded_words(m.attachment_name)
    ));
    s.push_str("Content-Transfer-Encoding: base64\r\n");
    s.push_str(&format!(
        "Content-Disposition: attachment;\r\n\t{}\r\n\r\n",
        rfc2231_sections("filename", m.attachment_name)
    ));
    s.push_str(&wrap76(&base64(m.attachment)));
    s.push_str(&format!("\r\n\r\n--{boundary}--\r\n"));
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn rfc2231_is_gbk_percent_encoded() {
        // 济 is 0xBCC3 in GBK.
        assert_eq!(rfc2231("济.zip"), "GBK''%BC%C3.zip");
        let long = rfc2231_sections("filename", &"济".repeat(30));
        assert!(long.starts_with("filename*0*=GBK''%BC%C3"));
        assert!(long.contains(";\r\n\tfilename*1*=%"));
    }
}
