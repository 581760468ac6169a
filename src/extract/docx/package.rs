//! The DOCX package: parts read from the zip (bounded, any encoding),
//! relationships, and the core properties' title.

use super::*;

// ---------------------------------------------------------------- package

/// Reads one part as text, refusing encrypted entries and oversized parts.
pub(super) fn read_part(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, ExtractError> {
    let Some(index) = zip.index_for_name(name).or_else(|| {
        // Tolerate producers that differ in case.
        (0..zip.len()).find(|&i| {
            zip.name_for_index(i).is_some_and(|n| {
                n.is_ok_and(|n| {
                    n.replace('\\', "/")
                        .trim_start_matches('/')
                        .eq_ignore_ascii_case(name)
                })
            })
        })
    }) else {
        return Ok(None);
    };
    let file = zip.by_index(index).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m)
            if m.to_ascii_lowercase().contains("password") =>
        {
            ExtractError::Encrypted
        }
        zip::result::ZipError::InvalidPassword => ExtractError::Encrypted,
        e => ExtractError::Corrupt(format!("{name}: {e}")),
    })?;
    if file.encrypted() {
        return Err(ExtractError::Encrypted);
    }
    if file.size() > MAX_PART_BYTES {
        return Err(ExtractError::TooLarge(format!(
            "{name}: {} bytes",
            file.size()
        )));
    }
    let mut buf = Vec::with_capacity(file.size().min(64 << 20) as usize);
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ExtractError::Corrupt(format!("{name}: {e}")))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(ExtractError::TooLarge(format!(
            "{name}: over {MAX_PART_BYTES} bytes"
        )));
    }
    Ok(Some(decode_xml(buf)))
}

/// XML parts are UTF-8 in practice; UTF-16 (with BOM) is allowed by the
/// standard and occasionally written.
pub(super) fn decode_xml(buf: Vec<u8>) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&buf) {
        return enc.decode_without_bom_handling(&buf[bom..]).0.into_owned();
    }
    match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The main document part named by `_rels/.rels` (almost always
/// `word/document.xml`).
pub(super) fn main_part(zip: &mut Zip<'_>) -> String {
    if let Ok(Some(xml)) = read_part(zip, "_rels/.rels") {
        for rel in parse_rels(&xml, "").into_values() {
            if rel.kind.ends_with("/officeDocument") && !rel.external {
                return rel.target;
            }
        }
    }
    "word/document.xml".into()
}

pub(super) struct Rel {
    pub(super) kind: String,
    pub(super) target: String,
    pub(super) external: bool,
}

/// `word/_rels/document.xml.rels` for `word/document.xml`, resolved to
/// package paths.
pub(super) fn read_rels(
    zip: &mut Zip<'_>,
    part: &str,
    warnings: &mut Vec<String>,
) -> HashMap<String, Rel> {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    match read_part(zip, &rels_path) {
        Ok(Some(xml)) => parse_rels(&xml, dir),
        Ok(None) => HashMap::new(),
        Err(e) => {
            warnings.push(format!("{rels_path}: {e}"));
            HashMap::new()
        }
    }
}

pub(super) fn parse_rels(xml: &str, base_dir: &str) -> HashMap<String, Rel> {
    let mut map = HashMap::new();
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) else {
                    continue;
                };
                let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                let target = if external {
                    target
                } else {
                    resolve(base_dir, &target)
                };
                let kind = attr(&e, "Type").unwrap_or_default();
                map.insert(
                    id,
                    Rel {
                        kind,
                        target,
                        external,
                    },
                );
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    map
}

/// Joins a relationship target onto its part's directory, folding `..`.
pub(super) fn resolve(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let rel = if let Some(abs) = target.strip_prefix('/') {
        abs
    } else {
        parts.extend(base_dir.split('/').filter(|s| !s.is_empty()));
        target
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub(super) fn sibling(part: &str, name: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_string(),
    }
}

pub(super) fn core_title(xml: &str) -> Option<String> {
    let mut r = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "title" => in_title = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == "title" => break,
            Ok(Event::Text(t)) if in_title => title.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(g)) if in_title => push_entity(&mut title, &g),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let t = title.trim();
    (!t.is_empty()).then(|| t.to_string())
}
