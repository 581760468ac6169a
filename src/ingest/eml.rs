//! Eml: expands an e-mail message (MIME, base64/quoted-printable, names per
//! RFC 2047/2231 in any charset mail-parser knows) into its attachments,
//! held in memory, and records the message's subject/from/date.
//! Inline text and HTML bodies are not files.

use std::collections::HashSet;
use std::sync::Arc;

use mail_parser::{HeaderName, MessageParser, MimeHeaders, PartType};

use super::{Ctx, InputFile, Message, Origin, dispatch_memory, mime_name, names, over_size};

/// Expands the message `me` whose raw bytes are `bytes`. If it cannot be
/// parsed, `me` itself is listed with the problem.
pub(super) fn expand(ctx: &mut Ctx, me: InputFile, bytes: &[u8]) {
    if let Err(e) = ctx.depth_ok(&me) {
        return ctx.push(InputFile {
            problem: Some(e),
            ..me
        });
    }
    let Some(msg) = MessageParser::default().parse(bytes) else {
        return ctx.push(InputFile {
            problem: Some("unreadable e-mail: no message headers".into()),
            ..me
        });
    };
    let slot = ctx.out.messages.len();
    ctx.out.messages.push(Message {
        path: me.display_path(),
        subject: msg.subject().map(str::to_string),
        from: msg
            .from()
            .and_then(|a| a.first())
            .map(|a| match (a.name(), a.address()) {
                (Some(n), Some(ad)) => format!("{n} <{ad}>"),
                (Some(n), None) => n.to_string(),
                (None, Some(ad)) => ad.to_string(),
                (None, None) => String::new(),
            }),
        date: msg.date().map(|d| d.to_rfc3339()),
        attachments: 0,
    });
    let container = me.as_container();
    let mut used = HashSet::new();
    let mut count = 0;
    for (n, part) in msg.attachments().enumerate() {
        // Our reading of the raw headers first (RFC 2231 continuations,
        // folded RFC 2047 words, raw GBK), mail-parser's as the fallback.
        let name = raw_header_name(msg.raw_message(), part)
            .or_else(|| part.attachment_name().map(str::to_string))
            .and_then(|n| {
                if mime_name::undecoded(&n) {
                    // Undecoded base64 holds `/`: never cut a path there.
                    names::attachment_file_name(&n.replace(['/', '\\'], "_"))
                } else {
                    names::attachment_file_name(&n)
                }
            });
        let is_message = matches!(part.body, PartType::Message(_));
        // Unnamed text/HTML parts are bodies (alternatives, related parts).
        if name.is_none() && matches!(part.body, PartType::Text(_) | PartType::Html(_)) {
            continue;
        }
        let name = name.unwrap_or_else(|| unnamed(n + 1, part, is_message));
        let name = unique(name, &mut used);
        count += 1;
        let data: Arc<[u8]> = Arc::from(part.contents());
        let size = data.len() as u64;
        let mut f = InputFile {
            path: name,
            container: container.clone(),
            size,
            origin: Origin::Memory(data.clone()),
            problem: None,
        };
        if size > ctx.limits.max_member_bytes {
            f.problem = Some(over_size(ctx.limits.max_member_bytes));
        } else if let Err(e) = ctx.charge(size) {
            f.problem = Some(e);
        }
        if f.problem.is_some() {
            // Do not keep bytes that are over a limit.
            f.origin = Origin::Memory(Arc::from(Vec::new()));
            ctx.push(f);
        } else if is_message {
            expand(ctx, f, &data);
        } else {
            dispatch_memory(ctx, f, data);
        }
    }
    ctx.out.messages[slot].attachments = count;
}

/// The attachment name in a part's raw Content-Disposition and
/// Content-Type headers (see `mime_name`).
fn raw_header_name(raw: &[u8], part: &mail_parser::MessagePart) -> Option<String> {
    let headers: Vec<&[u8]> = [HeaderName::ContentDisposition, HeaderName::ContentType]
        .iter()
        .filter_map(|want| part.headers.iter().find(|h| &h.name == want))
        .filter_map(|h| raw.get(h.offset_start as usize..h.offset_end as usize))
        .collect();
    mime_name::from_headers(&headers)
}

/// A name for an attachment that has none, from its MIME type.
fn unnamed(n: usize, part: &mail_parser::MessagePart, is_message: bool) -> String {
    if is_message {
        return format!("attachment-{n}.eml");
    }
    let ext = part
        .content_type()
        .and_then(|ct| ct.subtype())
        .map(|s| match s.to_ascii_lowercase().as_str() {
            "plain" => "txt".to_string(),
            "vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx".to_string(),
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx".to_string(),
            "msword" => "doc".to_string(),
            "vnd.ms-excel" => "xls".to_string(),
            "x-zip-compressed" | "x-zip" => "zip".to_string(),
            "x-7z-compressed" => "7z".to_string(),
            "x-rar-compressed" | "vnd.rar" | "x-rar" => "rar".to_string(),
            "octet-stream" => "bin".to_string(),
            s if s.chars().all(|c| c.is_ascii_alphanumeric()) && s.len() <= 8 => s.to_string(),
            _ => "bin".to_string(),
        })
        .unwrap_or_else(|| "bin".to_string());
    format!("attachment-{n}.{ext}")
}

/// Makes `name` unique within one message (`a.docx`, `a (2).docx`, …).
fn unique(name: String, used: &mut HashSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    for k in 2.. {
        let candidate = format!("{stem} ({k}){ext}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names() {
        let mut used = HashSet::new();
        assert_eq!(unique("a.docx".into(), &mut used), "a.docx");
        assert_eq!(unique("a.docx".into(), &mut used), "a (2).docx");
        assert_eq!(unique("a.docx".into(), &mut used), "a (3).docx");
        assert_eq!(unique("README".into(), &mut used), "README");
        assert_eq!(unique("README".into(), &mut used), "README (2)");
    }
}
