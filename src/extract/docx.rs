//! DOCX, read directly from the package's XML parts with quick-xml.
//!
//! Read by hand (not through docx-rs) because application forms live in
//! the corners such readers drop: hyperlink text, vMerge continuations,
//! content controls, text boxes, checkbox glyphs and field results. The
//! body becomes paragraphs and tables in reading order; nested tables are
//! blocks of their own right after their parent table; text boxes follow
//! the top-level block that anchors them; headers, footers and footnotes
//! follow the body, each in its region.
//!
//! Limits: list markers are rendered from `w:numPr` on the paragraph or on
//! its own style (not styles it is based on); counters run per abstract
//! list unless a `w:num` restarts it, as Word mostly does; `w:isLgl` and
//! `w:lvlRestart` are ignored. Number formats of other scripts fall back
//! to decimal.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{ExtractError, MAX_PART_BYTES, ole};
use crate::model::{
    Block, Cell, CellRef, CellValue, Document, FileKind, ImageRef, Paragraph, Region, Table,
};

/// Nesting depth (tables in cells, text boxes in text boxes) beyond which
/// content is skipped: deeper is never a real form, and recursion must
/// stay bounded.
const MAX_DEPTH: usize = 24;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

pub fn extract(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // Password-protected OOXML, or a .doc renamed to .docx.
        return ole::extract(bytes, source);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("not a readable zip: {e}")))?;
    let mut doc = Document::new(source, FileKind::Docx);

    let main = main_part(&mut zip);
    let Some(xml) = read_part(&mut zip, &main)? else {
        return Err(ExtractError::Corrupt(format!("{main} missing")));
    };
    let rels = read_rels(&mut zip, &main, &mut doc.warnings);
    let styles = match read_part(&mut zip, &sibling(&main, "styles.xml")) {
        Ok(Some(x)) => parse_styles(&x),
        _ => Styles::default(),
    };
    let numbering = match read_part(&mut zip, &sibling(&main, "numbering.xml")) {
        Ok(Some(x)) => Numbering::parse(&x),
        _ => Numbering::default(),
    };

    let mut ctx = Ctx {
        styles,
        numbering,
        counters: HashMap::new(),
        images: Vec::new(),
        seen_images: HashSet::new(),
        warnings: Vec::new(),
        deletions: 0,
    };
    let mut out = Out::default();

    // Body.
    let (items, floating) = Parser::new(&xml, &rels, &mut ctx)
        .run("body")
        .map_err(|e| ExtractError::Corrupt(format!("{main}: {e}")))?;
    out.emit(items, floating, Region::Body);

    // Headers, footers, footnotes: after the body, each in its region.
    let mut parts: Vec<(Region, &str, String)> = Vec::new();
    for rel in rels.values() {
        let region = match rel.kind.rsplit('/').next().unwrap_or("") {
            "header" => Region::Header,
            "footer" => Region::Footer,
            "footnotes" | "endnotes" => Region::Footnote,
            _ => continue,
        };
        let root = match region {
            Region::Header => "hdr",
            Region::Footer => "ftr",
            _ => "notes",
        };
        parts.push((region, root, rel.target.clone()));
    }
    parts.sort_by(|a, b| {
        (region_order(a.0), natural_key(&a.2)).cmp(&(region_order(b.0), natural_key(&b.2)))
    });
    parts.dedup_by(|a, b| a.2 == b.2);
    for (region, root, path) in parts {
        let xml = match read_part(&mut zip, &path) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(e) => {
                doc.warnings.push(format!("{path}: {e}"));
                continue;
            }
        };
        let part_rels = read_rels(&mut zip, &path, &mut doc.warnings);
        match Parser::new(&xml, &part_rels, &mut ctx).run(root) {
            Ok((items, floating)) => out.emit(items, floating, region),
            Err(e) => doc.warnings.push(format!("{path}: {e}")),
        }
    }

    if let Ok(Some(core)) = read_part(&mut zip, "docProps/core.xml") {
        doc.title = core_title(&core);
    }
    doc.blocks = out.blocks;
    doc.images = ctx.images;
    doc.warnings.extend(ctx.warnings);
    if ctx.deletions > 0 {
        doc.warnings.push(format!(
            "{} tracked deletion(s) not accepted: deleted text left out",
            ctx.deletions
        ));
    }
    Ok(doc)
}

fn region_order(r: Region) -> u8 {
    match r {
        Region::Header => 0,
        Region::Footer => 1,
        _ => 2,
    }
}

/// `header10.xml` after `header2.xml`.
fn natural_key(s: &str) -> (String, u64) {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let stem: String = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    (stem, digits.parse().unwrap_or(0))
}

// ---------------------------------------------------------------- package

/// Reads one part as text, refusing encrypted entries and oversized parts.
fn read_part(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, ExtractError> {
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
fn decode_xml(buf: Vec<u8>) -> String {
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
fn main_part(zip: &mut Zip<'_>) -> String {
    if let Ok(Some(xml)) = read_part(zip, "_rels/.rels") {
        for rel in parse_rels(&xml, "").into_values() {
            if rel.kind.ends_with("/officeDocument") && !rel.external {
                return rel.target;
            }
        }
    }
    "word/document.xml".into()
}

struct Rel {
    kind: String,
    target: String,
    external: bool,
}

/// `word/_rels/document.xml.rels` for `word/document.xml`, resolved to
/// package paths.
fn read_rels(zip: &mut Zip<'_>, part: &str, warnings: &mut Vec<String>) -> HashMap<String, Rel> {
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

fn parse_rels(xml: &str, base_dir: &str) -> HashMap<String, Rel> {
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
fn resolve(base_dir: &str, target: &str) -> String {
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

fn sibling(part: &str, name: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_string(),
    }
}

fn core_title(xml: &str) -> Option<String> {
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

// ---------------------------------------------------------------- styles and numbering

/// styleId → a readable style name: `Heading1` (also for custom styles
/// with an outline level, as Chinese templates define them), `Title`, or
/// the style's own name.
fn parse_styles(xml: &str) -> Styles {
    let mut styles = Styles::default();
    let mut r = Reader::from_str(xml);
    let mut id: Option<String> = None;
    let mut name: Option<String> = None;
    let mut outline: Option<usize> = None;
    let mut num_id: Option<String> = None;
    let mut ilvl = 0u8;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "style" => {
                id = attr(&e, "styleId");
                name = None;
                outline = None;
                num_id = None;
                ilvl = 0;
            }
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "name" => name = attr(&e, "val"),
                "outlineLvl" => outline = attr(&e, "val").and_then(|v| v.parse().ok()),
                "numId" => num_id = attr(&e, "val"),
                "ilvl" => ilvl = num_attr(&e, "val").min(8) as u8,
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                let Some(id) = id.take() else { continue };
                if let Some(n) = num_id.take() {
                    styles.numbering.insert(id.clone(), (n, ilvl));
                }
                let n = name.take().unwrap_or_else(|| id.clone());
                let lower = n.to_ascii_lowercase();
                let pretty = if let Some(level) = lower.strip_prefix("heading ") {
                    format!("Heading{level}")
                } else if lower == "title" {
                    "Title".into()
                } else if lower == "subtitle" {
                    "Subtitle".into()
                } else if let Some(level) = outline.filter(|&l| l < 9) {
                    format!("Heading{}", level + 1)
                } else {
                    n
                };
                styles.names.insert(id, pretty);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// What styles.xml says about paragraph styles.
#[derive(Default)]
struct Styles {
    /// styleId → readable name
    names: HashMap<String, String>,
    /// styleId → list level the style itself carries (numbered headings)
    numbering: HashMap<String, NumRef>,
}

#[derive(Default)]
struct Level {
    fmt: String,
    text: String,
    start: i64,
    /// What follows the marker: `tab` (default), `space` or `nothing`.
    suff: String,
}

/// What numbering.xml says about list levels.
#[derive(Default)]
struct Numbering {
    /// numId → abstractNumId
    nums: HashMap<String, String>,
    /// (abstractNumId, ilvl) → level
    levels: HashMap<(String, u8), Level>,
    /// (numId, ilvl) → w:startOverride: such a num is a list of its own
    /// that restarts, where plain nums of one abstract list continue.
    overrides: HashMap<(String, u8), i64>,
}

impl Numbering {
    fn parse(xml: &str) -> Self {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        let mut abs: Option<String> = None;
        let mut num: Option<String> = None;
        let mut lvl: Option<u8> = None;
        let mut override_lvl: Option<u8> = None;
        loop {
            let (e, empty) = match r.read_event() {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match e.local_name().as_ref() {
                        "abstractNum" => abs = None,
                        "num" => num = None,
                        "lvl" => lvl = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            match e.local_name().as_ref() {
                "abstractNum" if !empty => abs = attr(&e, "abstractNumId"),
                "num" if !empty => num = attr(&e, "numId"),
                "lvl" if !empty && num.is_none() => {
                    lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                }
                "abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, attr(&e, "val")) {
                        n.nums.insert(id.clone(), a);
                    }
                }
                "lvlOverride" => override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some(id), Some(l)) = (&num, override_lvl) {
                        let start = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        n.overrides.insert((id.clone(), l), start);
                    }
                }
                name @ ("numFmt" | "lvlText" | "start" | "suff") => {
                    let (Some(a), Some(l)) = (&abs, lvl) else {
                        continue;
                    };
                    let Some(v) = attr(&e, "val") else { continue };
                    let level = n.levels.entry((a.clone(), l)).or_default();
                    match name {
                        // mc:Choice may carry a "custom" format with a
                        // plain fallback after it: keep the plain one.
                        "numFmt" if level.fmt.is_empty() || level.fmt == "custom" => level.fmt = v,
                        "lvlText" => level.text = v,
                        "start" => level.start = v.parse().unwrap_or(1),
                        "suff" => level.suff = v,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        n
    }
}

fn format_counter(n: i64, fmt: &str) -> String {
    const CN: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const CN_LEGAL: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
    const GAN: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
    let chinese = |n: i64, digits: &[&str; 10]| -> String {
        if !(0..10_000).contains(&n) {
            return n.to_string();
        }
        let (q, b, s, g) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
        let mut out = String::new();
        let mut zero = false;
        for (d, unit) in [(q, "千"), (b, "百"), (s, "十")] {
            if d > 0 {
                if zero {
                    out.push_str(digits[0]);
                    zero = false;
                }
                // 十一, not 一十一, when the tens lead.
                if !(unit == "十" && d == 1 && out.is_empty()) {
                    out.push_str(digits[d as usize]);
                }
                out.push_str(unit);
            } else if !out.is_empty() {
                zero = true;
            }
        }
        if g > 0 {
            if zero {
                out.push_str(digits[0]);
            }
            out.push_str(digits[g as usize]);
        }
        if out.is_empty() {
            out.push_str(digits[0]);
        }
        out
    };
    let letters = |n: i64, base: u8| -> String {
        // Word stops repeating at 780 (ZZ…Z, 30 letters); past that a
        // hostile start value would repeat a letter 10^17 times.
        if !(1..=780).contains(&n) {
            return n.to_string();
        }
        // Word repeats the letter: AA, BB, ...
        let ch = (base + ((n - 1) % 26) as u8) as char;
        std::iter::repeat_n(ch, ((n - 1) / 26 + 1) as usize).collect()
    };
    let roman = |mut n: i64| -> String {
        if !(1..4000).contains(&n) {
            return n.to_string();
        }
        let table = [
            (1000, "M"),
            (900, "CM"),
            (500, "D"),
            (400, "CD"),
            (100, "C"),
            (90, "XC"),
            (50, "L"),
            (40, "XL"),
            (10, "X"),
            (9, "IX"),
            (5, "V"),
            (4, "IV"),
            (1, "I"),
        ];
        let mut s = String::new();
        for (v, r) in table {
            while n >= v {
                s.push_str(r);
                n -= v;
            }
        }
        s
    };
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese(n, &CN),
        "chineseLegalSimplified" => chinese(n, &CN_LEGAL),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(0) => "〇",
                Some(d) => CN[d as usize],
                None => "-",
            })
            .collect(),
        "ideographTraditional" if (1..=10).contains(&n) => GAN[(n - 1) as usize].into(),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_ascii_lowercase(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + (n - 1) as u32)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => char::from_u32(0x2474 + (n - 1) as u32)
            .map(String::from)
            .unwrap_or_default(),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
                None => c,
            })
            .collect(),
        _ => n.to_string(),
    }
}

// ---------------------------------------------------------------- parse tree
// Shared with the .doc reader (`doc.rs`), which builds the same items.

pub(super) enum Item {
    Para(Para),
    Table(TTable),
    /// Text boxes anchored in the top-level block just before.
    Boxes(Vec<Item>),
}

pub(super) struct Para {
    pub(super) text: String,
    pub(super) style: Option<String>,
}

#[derive(Default)]
pub(super) struct TTable {
    pub(super) grid_cols: usize,
    pub(super) rows: Vec<TRow>,
}

#[derive(Default)]
pub(super) struct TRow {
    pub(super) grid_before: usize,
    pub(super) grid_after: usize,
    pub(super) cells: Vec<TCell>,
}

#[derive(Default, Clone, Copy, PartialEq)]
pub(super) enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Default)]
pub(super) struct CellProps {
    pub(super) span: usize,
    pub(super) vmerge: VMerge,
    pub(super) hmerge_continue: bool,
}

pub(super) struct TCell {
    pub(super) props: CellProps,
    pub(super) items: Vec<Item>,
}

/// State shared by all parts of one document.
struct Ctx {
    styles: Styles,
    numbering: Numbering,
    /// List instance → counters per level.
    counters: HashMap<String, [i64; 9]>,
    images: Vec<ImageRef>,
    seen_images: HashSet<String>,
    warnings: Vec<String>,
    /// Tracked deletions not yet accepted: dropped, but the reviewer
    /// should know the file still carries them.
    deletions: usize,
}

#[derive(Default, Clone, Copy)]
struct SdtInfo {
    checkbox: Option<bool>,
    placeholder: bool,
}

type XmlResult<T> = Result<T, quick_xml::Error>;

/// A paragraph's list membership: (numId, level).
type NumRef = (String, u8);

/// Streams one XML part into [`Item`]s.
struct Parser<'x, 'c> {
    r: Reader<&'x [u8]>,
    rels: &'x HashMap<String, Rel>,
    ctx: &'c mut Ctx,
    /// One entry per open complex field: true once past `separate`, when
    /// its text is the visible result rather than the instruction.
    fields: Vec<bool>,
    /// One entry per open mc:AlternateContent: true once a branch was read.
    alt: Vec<bool>,
    /// Properties of the content control whose content comes next.
    sdt: Option<SdtInfo>,
    /// Text boxes met so far, emitted after the block that anchors them.
    floating: Vec<Item>,
    depth: usize,
}

impl<'x, 'c> Parser<'x, 'c> {
    fn new(xml: &'x str, rels: &'x HashMap<String, Rel>, ctx: &'c mut Ctx) -> Self {
        let r = Reader::from_str(xml);
        Parser {
            r,
            rels,
            ctx,
            fields: Vec::new(),
            alt: Vec::new(),
            sdt: None,
            floating: Vec::new(),
            depth: 0,
        }
    }

    /// Reads the part: the content of every `root` element (`body`, `hdr`,
    /// `ftr`), or of each real footnote/endnote when `root` is `notes`.
    fn run(mut self, root: &str) -> XmlResult<(Vec<Item>, Vec<Item>)> {
        let mut items = Vec::new();
        loop {
            match self.r.read_event()? {
                Event::Start(e) => {
                    let name = e.local_name();
                    let name = name.as_ref();
                    if root == "notes" && (name == "footnote" || name == "endnote") {
                        // Separators are Word's own furniture, not content.
                        if attr(&e, "type").is_some_and(|t| t != "normal") {
                            self.skip(&e)?;
                            continue;
                        }
                        let end = name.to_string();
                        let mut p = CellProps::default();
                        items.extend(self.body(&end, &mut p)?);
                    } else if name == root {
                        let mut p = CellProps::default();
                        items.extend(self.body(root, &mut p)?);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((items, self.floating))
    }

    fn skip(&mut self, e: &BytesStart<'_>) -> XmlResult<()> {
        self.r.read_to_end(e.name())?;
        Ok(())
    }

    /// Handles mc:AlternateContent branches; returns true when the event
    /// was one of them (and has been dealt with).
    fn alternate(&mut self, e: &BytesStart<'_>) -> XmlResult<bool> {
        match e.local_name().as_ref() {
            "AlternateContent" => self.alt.push(false),
            "Choice" | "Fallback" => {
                // Only one branch: both hold the same text box.
                match self.alt.last_mut() {
                    Some(taken) if *taken => self.skip(e)?,
                    Some(taken) => *taken = true,
                    None => {}
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Block-level content up to the end of `end`: paragraphs, tables,
    /// and (for a cell) the cell's properties.
    fn body(&mut self, end: &str, props: &mut CellProps) -> XmlResult<Vec<Item>> {
        let mut items = Vec::new();
        loop {
            match self.r.read_event()? {
                Event::Start(e) => {
                    if self.alternate(&e)? {
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "p" => {
                            items.push(Item::Para(self.paragraph()?));
                            self.anchor_boxes(&mut items);
                        }
                        "tbl" => {
                            if self.depth >= MAX_DEPTH {
                                self.ctx
                                    .warnings
                                    .push("table nested too deep: skipped".into());
                                self.skip(&e)?;
                            } else {
                                self.depth += 1;
                                let t = self.table();
                                self.depth -= 1;
                                items.push(Item::Table(t?));
                                self.anchor_boxes(&mut items);
                            }
                        }
                        "tcPr" => *props = self.cell_props()?,
                        "sdtPr" => self.sdt = Some(self.sdt_props()?),
                        "sdtContent" => {
                            let placeholder = self.sdt.take().is_some_and(|s| s.placeholder);
                            if placeholder {
                                self.skip(&e)?;
                            }
                        }
                        "del" | "moveFrom" => {
                            self.ctx.deletions += 1;
                            self.skip(&e)?;
                        }
                        "sectPr" | "customXmlPr" => self.skip(&e)?,
                        _ => {}
                    }
                }
                Event::End(e) => {
                    let name = e.local_name();
                    if name.as_ref() == end {
                        break;
                    }
                    if name.as_ref() == "AlternateContent" {
                        self.alt.pop();
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(items)
    }

    /// At the top level of a part, text boxes met inside the block just
    /// read follow it; deeper down they wait for the enclosing block.
    fn anchor_boxes(&mut self, items: &mut Vec<Item>) {
        if self.depth == 0 && !self.floating.is_empty() {
            items.push(Item::Boxes(std::mem::take(&mut self.floating)));
        }
    }

    fn table(&mut self) -> XmlResult<TTable> {
        let mut t = TTable::default();
        loop {
            match self.r.read_event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tr" => {
                        if let Some(row) = self.row()? {
                            t.rows.push(row);
                        }
                    }
                    "tblGrid" => t.grid_cols = self.count_grid()?,
                    "tblPr" | "tblPrEx" => self.skip(&e)?,
                    "sdtPr" => self.sdt = Some(self.sdt_props()?),
                    "sdtContent" => {
                        self.sdt = None;
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tbl" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(t)
    }

    fn count_grid(&mut self) -> XmlResult<usize> {
        let mut n = 0;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "gridCol" => n += 1,
                Event::Start(e) if e.local_name().as_ref() == "tblGridChange" => self.skip(&e)?,
                Event::End(e) if e.local_name().as_ref() == "tblGrid" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(n)
    }

    /// One table row, or `None` for a row deleted in tracked changes.
    fn row(&mut self) -> XmlResult<Option<TRow>> {
        let mut row = TRow::default();
        let mut deleted = false;
        loop {
            match self.r.read_event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tc" => {
                        let mut props = CellProps::default();
                        let items = self.body("tc", &mut props)?;
                        row.cells.push(TCell { props, items });
                    }
                    "trPr" => loop {
                        match self.r.read_event()? {
                            Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                                "gridBefore" => row.grid_before = num_attr(&e, "val"),
                                "gridAfter" => row.grid_after = num_attr(&e, "val"),
                                "del" => deleted = true,
                                "trPrChange" => self.skip(&e)?,
                                _ => {}
                            },
                            Event::End(e) if e.local_name().as_ref() == "trPr" => break,
                            Event::Eof => break,
                            _ => {}
                        }
                    },
                    "tblPrEx" => self.skip(&e)?,
                    "sdtPr" => self.sdt = Some(self.sdt_props()?),
                    "sdtContent" => self.sdt = None,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        if deleted {
            self.ctx.deletions += 1;
        }
        Ok((!deleted).then_some(row))
    }

    fn cell_props(&mut self) -> XmlResult<CellProps> {
        let mut p = CellProps {
            span: 1,
            ..Default::default()
        };
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "gridSpan" => p.span = num_attr(&e, "val").clamp(1, 1000),
                    "vMerge" => {
                        p.vmerge = match attr(&e, "val").as_deref() {
                            Some("restart") => VMerge::Restart,
                            _ => VMerge::Continue,
                        }
                    }
                    "hMerge" => p.hmerge_continue = attr(&e, "val").as_deref() != Some("restart"),
                    "tcPrChange" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tcPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(p)
    }

    fn sdt_props(&mut self) -> XmlResult<SdtInfo> {
        let mut info = SdtInfo::default();
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "checkbox" => info.checkbox = Some(info.checkbox.unwrap_or(false)),
                    "checked"
                        if info.checkbox.is_some() || e.name().as_ref().starts_with("w14") =>
                    {
                        info.checkbox = Some(on(&e));
                    }
                    "showingPlcHdr" => info.placeholder = on(&e),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "sdtPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(info)
    }

    /// Reads paragraph properties: (style id, (numId, ilvl)).
    fn para_props(&mut self) -> XmlResult<(Option<String>, Option<NumRef>)> {
        let mut style = None;
        let mut num_id = None;
        let mut ilvl = 0u8;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "pStyle" => style = attr(&e, "val"),
                    "numId" => num_id = attr(&e, "val"),
                    "ilvl" => ilvl = num_attr(&e, "val").min(8) as u8,
                    // Old properties of a tracked change, and the mark's run.
                    "pPrChange" | "rPr" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "pPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((style, num_id.map(|n| (n, ilvl))))
    }

    /// Reads run properties: (hidden, symbol font if any).
    fn run_props(&mut self) -> XmlResult<(bool, Option<SymFont>)> {
        let mut hidden = false;
        let mut font = None;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "vanish" => hidden = on(&e),
                    "rFonts" => {
                        font = attr(&e, "ascii")
                            .or_else(|| attr(&e, "hAnsi"))
                            .and_then(|f| SymFont::from_name(&f));
                    }
                    "rPrChange" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "rPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((hidden, font))
    }

    /// A legacy form field's begin mark: its checkbox state, if it is one.
    fn form_checkbox(&mut self) -> XmlResult<Option<bool>> {
        let mut is_box = false;
        let mut default = false;
        let mut checked = None;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "checkBox" => is_box = true,
                    "default" if is_box => default = on_val(&e),
                    "checked" if is_box => checked = Some(on(&e)),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "fldChar" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(is_box.then(|| checked.unwrap_or(default)))
    }

    fn image(&mut self, e: &BytesStart<'_>) {
        let id = match e.local_name().as_ref() {
            "blip" => attr(e, "embed"),
            _ => attr(e, "id"),
        };
        let Some(rel) = id.and_then(|id| self.rels.get(&id)) else {
            return;
        };
        if rel.external || !self.ctx.seen_images.insert(rel.target.clone()) {
            return;
        }
        let ext = rel
            .target
            .rsplit_once('.')
            .map(|(_, x)| x.to_ascii_lowercase())
            .unwrap_or_default();
        let format = match ext.as_str() {
            "jpg" | "jpe" => "jpeg".to_string(),
            "tif" => "tiff".to_string(),
            _ => ext,
        };
        self.ctx.images.push(ImageRef {
            name: rel.target.clone(),
            format,
            ..Default::default()
        });
    }

    fn visible(&self) -> bool {
        self.fields.iter().all(|&in_result| in_result)
    }

    /// One paragraph, up to its `</w:p>`.
    fn paragraph(&mut self) -> XmlResult<Para> {
        let mut text = String::new();
        let mut style_id = None;
        let mut num = None;
        let mut in_t = false;
        let mut hidden = false;
        let mut font: Option<SymFont> = None;
        loop {
            match self.r.read_event()? {
                Event::Start(e) => {
                    if self.alternate(&e)? {
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "pPr" => (style_id, num) = self.para_props()?,
                        "r" => {
                            hidden = false;
                            font = None;
                        }
                        "rPr" => (hidden, font) = self.run_props()?,
                        "t" => in_t = true,
                        "fldChar" => {
                            let kind = attr(&e, "fldCharType");
                            if kind.as_deref() == Some("begin") {
                                let glyph = self.form_checkbox()?;
                                if let Some(c) = glyph
                                    && self.visible()
                                {
                                    text.push(box_glyph(c));
                                }
                            }
                            self.field_char(kind.as_deref());
                        }
                        "txbxContent" => {
                            if self.depth >= MAX_DEPTH {
                                self.skip(&e)?;
                            } else {
                                self.depth += 1;
                                let mut p = CellProps::default();
                                let items = self.body("txbxContent", &mut p);
                                self.depth -= 1;
                                let items = items?;
                                self.floating.extend(items);
                            }
                        }
                        "sdtPr" => self.sdt = Some(self.sdt_props()?),
                        "sdtContent" => {
                            if let Some(info) = self.sdt.take() {
                                if let Some(c) = info.checkbox {
                                    if self.visible() {
                                        text.push(box_glyph(c));
                                    }
                                    self.skip(&e)?;
                                } else if info.placeholder {
                                    self.skip(&e)?;
                                }
                            }
                        }
                        "blip" | "imagedata" => self.image(&e),
                        "del" | "moveFrom" => {
                            self.ctx.deletions += 1;
                            self.skip(&e)?;
                        }
                        // Field instructions, ruby guides, old properties.
                        "delText" | "instrText" | "delInstrText" | "rt" | "pPrChange" => {
                            self.skip(&e)?
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) => {
                    if hidden || !self.visible() {
                        if e.local_name().as_ref() == "fldChar" {
                            self.field_char(attr(&e, "fldCharType").as_deref());
                        }
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "tab" | "ptab" => text.push('\t'),
                        "br" | "cr" => text.push('\n'),
                        "noBreakHyphen" => text.push('-'),
                        "sym" => {
                            let f = attr(&e, "font").and_then(|f| SymFont::from_name(&f));
                            let code =
                                attr(&e, "char").and_then(|c| u32::from_str_radix(&c, 16).ok());
                            if let Some(c) = code.and_then(|code| sym_char(f, code)) {
                                text.push(c);
                            }
                        }
                        "fldChar" => self.field_char(attr(&e, "fldCharType").as_deref()),
                        "blip" | "imagedata" => self.image(&e),
                        _ => {}
                    }
                }
                Event::Text(t) if in_t && !hidden && self.visible() => {
                    push_text(&mut text, &t.xml10_content(), font);
                }
                Event::GeneralRef(g) if in_t && !hidden && self.visible() => {
                    let mut s = String::new();
                    push_entity(&mut s, &g);
                    push_text(&mut text, &s, font);
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "p" => break,
                    "t" => in_t = false,
                    "r" => {
                        hidden = false;
                        font = None;
                    }
                    "AlternateContent" => {
                        self.alt.pop();
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }

        // Numbering set on the paragraph wins over its style's.
        let num = num.or_else(|| {
            style_id
                .as_ref()
                .and_then(|s| self.ctx.styles.numbering.get(s).cloned())
        });
        let style_name = style_id.map(|s| self.ctx.styles.names.get(&s).cloned().unwrap_or(s));
        let mut style = style_name.clone();
        if let Some((num_id, ilvl)) = num.filter(|(n, _)| n != "0") {
            if !style_name
                .as_deref()
                .is_some_and(|s| s.starts_with("Heading") || s == "Title")
            {
                style = Some("list".into());
            }
            if let Some(marker) = self.list_marker(&num_id, ilvl)
                && !text.trim().is_empty()
            {
                text.insert_str(0, &marker);
            }
        }
        Ok(Para { text, style })
    }

    fn field_char(&mut self, kind: Option<&str>) {
        match kind {
            Some("begin") if self.fields.len() < 64 => self.fields.push(false),
            Some("separate") => {
                if let Some(top) = self.fields.last_mut() {
                    *top = true;
                }
            }
            Some("end") => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// Advances the list counters and renders the marker Word would show.
    fn list_marker(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let numbering = &self.ctx.numbering;
        let abs = numbering.nums.get(num_id)?.clone();
        let own_list = (0..9u8).any(|l| numbering.overrides.contains_key(&(num_id.to_string(), l)));
        let key = if own_list {
            format!("num {num_id}")
        } else {
            format!("abstract {abs}")
        };
        let counters = self.ctx.counters.entry(key).or_insert([i64::MIN; 9]);
        let l = ilvl as usize;
        let start_of = |lvl: usize, numbering: &Numbering| {
            numbering
                .overrides
                .get(&(num_id.to_string(), lvl as u8))
                .copied()
                .or_else(|| {
                    numbering
                        .levels
                        .get(&(abs.clone(), lvl as u8))
                        .map(|x| x.start)
                })
                .unwrap_or(1)
        };
        counters[l] = if counters[l] == i64::MIN {
            start_of(l, &self.ctx.numbering)
        } else {
            counters[l].saturating_add(1)
        };
        for c in counters.iter_mut().skip(l + 1) {
            *c = i64::MIN;
        }
        let counters = *counters;
        let level = self.ctx.numbering.levels.get(&(abs.clone(), ilvl))?;
        if matches!(level.fmt.as_str(), "bullet" | "none") || level.text.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let k = (d as usize).saturating_sub(1).min(8);
                let value = if counters[k] == i64::MIN {
                    start_of(k, &self.ctx.numbering)
                } else {
                    counters[k]
                };
                let fmt = self
                    .ctx
                    .numbering
                    .levels
                    .get(&(abs.clone(), k as u8))
                    .map_or("decimal", |x| x.fmt.as_str());
                if !(-1_000_000..=1_000_000).contains(&value)
                    && !self
                        .ctx
                        .warnings
                        .iter()
                        .any(|w| w.starts_with("list numbering"))
                {
                    self.ctx.warnings.push(format!(
                        "list numbering starts at {value}: shown as a plain number"
                    ));
                }
                out.push_str(&format_counter(value, fmt));
            } else {
                out.push(c);
            }
        }
        // Word puts a tab after the marker; a space reads the same in
        // text, and none is needed after CJK punctuation (一、 （一）).
        let cjk_punct = out.chars().last().is_some_and(|c| {
            ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        });
        if level.suff != "nothing" && !cjk_punct {
            out.push(' ');
        }
        Some(out)
    }
}

// ---------------------------------------------------------------- glyphs

/// Fonts whose code points are pictures, not letters.
#[derive(Clone, Copy, PartialEq, Debug)]
enum SymFont {
    Wingdings,
    Wingdings2,
    Symbol,
}

impl SymFont {
    fn from_name(name: &str) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        if n.starts_with("wingdings 2") || n.starts_with("wingdings2") {
            Some(SymFont::Wingdings2)
        } else if n.starts_with("wingdings") {
            Some(SymFont::Wingdings)
        } else if n == "symbol" {
            Some(SymFont::Symbol)
        } else {
            None
        }
    }
}

fn box_glyph(checked: bool) -> char {
    if checked { '☑' } else { '☐' }
}

/// The character a `w:sym` (or a symbol-font letter) shows, with ticked
/// and empty boxes normalised to ☑ and ☐. Unknown pictures are dropped.
fn sym_char(font: Option<SymFont>, code: u32) -> Option<char> {
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    match font {
        Some(SymFont::Wingdings) => Some(match low {
            0xFE | 0xFD | 0xFC | 0x78 | 0x6E => '☑',
            0xA8 | 0x6F | 0x71 | 0x72 => '☐',
            0x9F | 0x6C => '●',
            0xA1 => '○',
            0xFB => '✗',
            _ => return None,
        }),
        Some(SymFont::Wingdings2) => Some(match low {
            0x50..=0x54 => '☑',
            0xA3 | 0x2A | 0xA2 => '☐',
            0x4F => '✗',
            _ => return None,
        }),
        Some(SymFont::Symbol) => {
            const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
            const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
            Some(match low {
                0x41..=0x5A => UPPER.chars().nth((low - 0x41) as usize)?,
                0x61..=0x7A => LOWER.chars().nth((low - 0x61) as usize)?,
                0x2D => '−',
                0x2A => '∗',
                0x20..=0x3F => char::from_u32(low)?,
                0xD6 => '☑', // √ used as a tick
                0xB7 => '•',
                0xB4 => '×',
                0xB8 => '÷',
                0xB1 => '±',
                0xB0 => '°',
                0xA3 => '≤',
                0xB3 => '≥',
                0xB9 => '≠',
                0xBB => '≈',
                0xA5 => '∞',
                _ => return None,
            })
        }
        None if (0xF000..=0xF0FF).contains(&code) => sym_char(Some(SymFont::Wingdings), code),
        None => char::from_u32(code).map(normalize_box),
    }
}

/// Literal box and tick glyphs, as typed or pasted, normalised.
fn normalize_box(c: char) -> char {
    match c {
        '☑' | '☒' | '■' | '✓' | '✔' | '√' | '▣' => '☑',
        '□' | '☐' | '▢' => '☐',
        c => c,
    }
}

fn push_text(out: &mut String, s: &str, font: Option<SymFont>) {
    for c in s.chars() {
        let code = c as u32;
        if font.is_some()
            && (code < 0x100 || (0xF000..=0xF0FF).contains(&code))
            && !c.is_whitespace()
        {
            if let Some(g) = sym_char(font, code) {
                out.push(g);
            }
        } else if (0xF000..=0xF0FF).contains(&code) {
            if let Some(g) = sym_char(None, code) {
                out.push(g);
            }
        } else {
            out.push(normalize_box(c));
        }
    }
}

fn push_entity(out: &mut String, g: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = g.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&g.xml10_content()) {
        out.push_str(s);
    }
}

// ---------------------------------------------------------------- attributes

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().as_ref() == local {
            return Some(
                a.normalized_value(XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.into_owned()),
            );
        }
    }
    None
}

fn num_attr(e: &BytesStart<'_>, local: &str) -> usize {
    attr(e, local)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// An on/off property: present means on unless `val` says otherwise.
fn on(e: &BytesStart<'_>) -> bool {
    match attr(e, "val") {
        Some(v) => !matches!(v.as_str(), "0" | "false" | "off"),
        None => true,
    }
}

/// Like [`on`] but absent `val` means off (`w:default` of a form field).
fn on_val(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on"))
}

// ---------------------------------------------------------------- blocks

/// Turns parsed items into numbered model blocks.
#[derive(Default)]
pub(super) struct Out {
    pub(super) blocks: Vec<Block>,
    paragraphs: usize,
    tables: usize,
}

impl Out {
    pub(super) fn emit(&mut self, items: Vec<Item>, floating: Vec<Item>, region: Region) {
        for item in items {
            self.item(item, region);
        }
        // Text boxes not yet placed (none in well-formed parts).
        self.item(Item::Boxes(floating), region);
    }

    fn item(&mut self, item: Item, region: Region) {
        match item {
            Item::Boxes(boxes) => {
                // In headers and footers, text boxes stay header/footer.
                let r = if region == Region::Body {
                    Region::TextBox
                } else {
                    region
                };
                for b in boxes {
                    self.item(b, r);
                }
            }
            Item::Para(p) => {
                if p.text.trim().is_empty() {
                    return;
                }
                self.paragraphs += 1;
                self.blocks.push(Block::Paragraph(Paragraph {
                    text: p.text,
                    index: self.paragraphs,
                    region,
                    style: p.style,
                    ..Default::default()
                }));
            }
            Item::Table(t) => self.table(t, region, None),
        }
    }

    fn table(&mut self, t: TTable, region: Region, parent: Option<CellRef>) {
        if t.rows.is_empty() {
            return; // every row deleted, or an empty shell
        }
        self.tables += 1;
        let index = self.tables;
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(t.rows.len());
        let mut nested: Vec<(usize, usize, TTable)> = Vec::new();
        // Grid column → (row, position in row) of the cell a vMerge
        // continuation below would extend.
        let mut open: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut n_cols = t.grid_cols;
        for (r, row) in t.rows.into_iter().enumerate() {
            let mut out_row: Vec<Cell> = Vec::new();
            let mut col = row.grid_before;
            for cell in row.cells {
                let span = cell.props.span.max(1);
                if cell.props.hmerge_continue
                    && let Some(prev) = out_row.last_mut()
                {
                    prev.col_span += span;
                    col += span;
                    continue;
                }
                if cell.props.vmerge == VMerge::Continue
                    && let Some(&(or, oi)) = open.get(&col)
                    && let Some(origin) = rows.get_mut(or).and_then(|x| x.get_mut(oi))
                    && origin.row + origin.row_span == r
                {
                    origin.row_span += 1;
                    col += span;
                    continue;
                }
                let mut texts: Vec<String> = Vec::new();
                for item in cell.items {
                    match item {
                        Item::Para(p) => {
                            if !p.text.trim().is_empty() {
                                texts.push(p.text);
                            }
                        }
                        Item::Table(nt) => nested.push((r, col, nt)),
                        Item::Boxes(_) => {} // only formed at a part's top level
                    }
                }
                let text = texts.join("\n").trim().to_string();
                open.retain(|&c, _| c < col || c >= col + span);
                open.insert(col, (r, out_row.len()));
                out_row.push(Cell {
                    row: r,
                    col,
                    row_span: 1,
                    col_span: span,
                    value: if text.is_empty() {
                        CellValue::Empty
                    } else {
                        CellValue::Text(text.clone())
                    },
                    text,
                    bbox: None,
                });
                col += span;
            }
            n_cols = n_cols.max(col + row.grid_after);
            rows.push(out_row);
        }
        let n_rows = rows.len();
        self.blocks.push(Block::Table(Table {
            index,
            region,
            parent,
            n_rows,
            n_cols,
            rows,
            ..Default::default()
        }));
        for (row, col, nt) in nested {
            self.table(
                nt,
                region,
                Some(CellRef {
                    table: index,
                    row,
                    col,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#;

    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// A DOCX whose body is `body`, plus any extra parts.
    fn docx(body: &str, extra: &[(&str, &str)]) -> Document {
        let doc = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        let mut parts = vec![
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", doc.as_str()),
        ];
        parts.extend_from_slice(extra);
        let bytes = package(&parts);
        extract(&bytes, "t.docx").unwrap()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn texts(d: &Document) -> Vec<(Region, String)> {
        d.paragraphs().map(|p| (p.region, p.text.clone())).collect()
    }

    #[test]
    fn runs_split_mid_word_join_exactly() {
        let d = docx(
            r#"<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>项</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>目名</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">称 ：A&amp;B&#x4E2D;</w:t></w:r><w:r><w:tab/><w:t>x</w:t><w:br/><w:t>y</w:t><w:noBreakHyphen/></w:r></w:p>"#,
            &[],
        );
        assert_eq!(
            texts(&d),
            vec![(Region::Body, "项目名称 ：A&B中\tx\ny-".to_string())]
        );
        assert_eq!(d.paragraphs().next().unwrap().index, 1);
    }

    fn tc(props: &str, content: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
    }

    #[test]
    fn grid_span_and_vertical_merge() {
        let body = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
             <w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}</w:tr></w:tbl>",
            tc(r#"<w:vMerge w:val="restart"/>"#, &p("A")),
            tc(r#"<w:gridSpan w:val="2"/>"#, &p("B")),
            tc("<w:vMerge/>", "<w:p/>"),
            tc("", &p("C")),
            tc("", &format!("{}{}", p("D1"), p("D2"))),
            tc(r#"<w:gridSpan w:val="3"/>"#, &p("E")),
        );
        let d = docx(&body, &[]);
        let t = d.tables().next().unwrap();
        assert_eq!((t.index, t.n_rows, t.n_cols), (1, 3, 3));
        let a = t.cell_at(1, 0).unwrap();
        assert_eq!(
            (a.text.as_str(), a.row, a.row_span, a.col_span),
            ("A", 0, 2, 1)
        );
        let b = t.cell_at(0, 2).unwrap();
        assert_eq!((b.text.as_str(), b.col, b.col_span), ("B", 1, 2));
        assert_eq!(t.cell_at(1, 2).unwrap().text, "D1\nD2");
        assert_eq!(t.cell_at(2, 1).unwrap().text, "E");
        assert_eq!(t.rows[1].len(), 2, "continuation cell not emitted");
        assert_eq!(t.locate(t.cell_at(1, 1).unwrap()), "table 1, row 2, col 2");
    }

    #[test]
    fn nested_table_is_its_own_block() {
        let inner = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", &p("内")));
        let body = format!(
            "{}<w:tbl><w:tr>{}{}</w:tr></w:tbl>{}",
            p("前"),
            tc("", &format!("{}{inner}<w:p/>", p("外"))),
            tc("", &p("旁")),
            p("后")
        );
        let d = docx(&body, &[]);
        let tables: Vec<&Table> = d.tables().collect();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].cell_at(0, 0).unwrap().text, "外");
        assert_eq!(tables[1].index, 2);
        assert_eq!(
            tables[1].parent,
            Some(CellRef {
                table: 1,
                row: 0,
                col: 0
            })
        );
        assert_eq!(tables[1].cell_at(0, 0).unwrap().text, "内");
        let order: Vec<&str> = d
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text.as_str(),
                Block::Table(t) => {
                    if t.parent.is_some() {
                        "T2"
                    } else {
                        "T1"
                    }
                }
            })
            .collect();
        assert_eq!(order, vec!["前", "T1", "T2", "后"]);
    }

    #[test]
    fn content_controls_are_read_through() {
        let cell = "<w:tc><w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>控件值</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc>";
        let row_sdt = format!(
            "<w:sdt><w:sdtPr/><w:sdtContent><w:tr>{}</w:tr></w:sdtContent></w:sdt>",
            tc("", &p("行控件"))
        );
        let body = format!(
            "<w:tbl><w:tr>{cell}<w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt></w:tr>{row_sdt}</w:tbl>\
             <w:p><w:r><w:t>名称：</w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>甲公司</w:t></w:r></w:sdtContent></w:sdt></w:p>\
             <w:p><w:r><w:t>电话：</w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>单击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt></w:p>\
             <w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>",
            tc("", &p("格控件")),
            p("块控件")
        );
        let d = docx(&body, &[]);
        let t = d.tables().next().unwrap();
        assert_eq!(t.cell_at(0, 0).unwrap().text, "控件值");
        assert_eq!(t.cell_at(0, 1).unwrap().text, "格控件");
        assert_eq!(t.cell_at(1, 0).unwrap().text, "行控件");
        let ps: Vec<String> = texts(&d).into_iter().map(|x| x.1).collect();
        assert_eq!(ps, vec!["名称：甲公司", "电话：", "块控件"]);
    }

    #[test]
    fn text_box_read_once() {
        let txbx = |t: &str| format!("<w:txbxContent>{}</w:txbxContent>", p(t));
        let body = format!(
            "<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>{}",
            txbx("框内文字"),
            txbx("框内文字"),
            p("下一段")
        );
        let d = docx(&body, &[]);
        assert_eq!(
            texts(&d),
            vec![
                (Region::Body, "正文".into()),
                (Region::TextBox, "框内文字".into()),
                (Region::Body, "下一段".into()),
            ]
        );
        // Text boxes are part of the default plain text, once.
        assert_eq!(d.plain_text(false).matches("框内文字").count(), 1);
    }

    #[test]
    fn text_box_in_a_cell_follows_the_table() {
        let boxed = format!(
            "<w:p><w:r><w:t>单元格</w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
            p("盖章处")
        );
        let body = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>{}", tc("", &boxed), p("后"));
        let d = docx(&body, &[]);
        assert_eq!(
            d.tables().next().unwrap().cell_at(0, 0).unwrap().text,
            "单元格"
        );
        assert_eq!(
            texts(&d),
            vec![
                (Region::TextBox, "盖章处".into()),
                (Region::Body, "后".into())
            ]
        );
        assert!(matches!(d.blocks[0], Block::Table(_)));
    }

    #[test]
    fn checkboxes_become_two_glyphs() {
        let w14 = |checked: &str, shown: &str| {
            format!(
                "<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=\"{checked}\"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii=\"MS Gothic\"/></w:rPr><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>"
            )
        };
        let body = format!(
            "<w:p>{}<w:r><w:t>是</w:t></w:r>{}<w:r><w:t>否</w:t></w:r></w:p>\
             <w:p><w:r><w:sym w:font=\"Wingdings\" w:char=\"F0FE\"/><w:t>国际</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0A8\"/><w:t>国内</w:t></w:r></w:p>\
             <w:p><w:r><w:rPr><w:rFonts w:ascii=\"Wingdings 2\" w:hAnsi=\"Wingdings 2\"/></w:rPr><w:t>R</w:t></w:r><w:r><w:t>甲</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"Wingdings 2\"/></w:rPr><w:t>&#163;</w:t></w:r><w:r><w:t>乙</w:t></w:r></w:p>\
             <w:p><w:r><w:t>■是 □否 √对 ☐空</w:t></w:r></w:p>\
             <w:p><w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox><w:sizeAuto/><w:default w:val=\"1\"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>同意</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox><w:default w:val=\"1\"/><w:checked w:val=\"0\"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>不同意</w:t></w:r></w:p>",
            w14("1", "☒"),
            w14("0", "☐"),
        );
        let d = docx(&body, &[]);
        let ps: Vec<String> = texts(&d).into_iter().map(|x| x.1).collect();
        assert_eq!(
            ps,
            vec![
                "☑是☐否",
                "☑国际☐国内",
                "☑甲☐乙",
                "☑是 ☐否 ☑对 ☐空",
                "☑同意☐不同意"
            ]
        );
    }

    #[test]
    fn hyperlinks_insertions_deletions_fields() {
        let body = r#"<w:p><w:r><w:t>网址：</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r><w:r><w:t>文字</w:t></w:r></w:hyperlink><w:smartTag><w:r><w:t>！</w:t></w:r></w:smartTag></w:p>
            <w:p><w:r><w:t>经费</w:t></w:r><w:del w:id="1"><w:r><w:delText>100</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>200</w:t></w:r></w:ins><w:r><w:t>万元</w:t></w:r></w:p>
            <w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页，</w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "http://x" </w:instrText></w:r><w:r><w:t>instr-as-t</w:t></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>"#;
        let d = docx(body, &[]);
        let ps: Vec<String> = texts(&d).into_iter().map(|x| x.1).collect();
        assert_eq!(
            ps,
            vec!["网址：链接文字！", "经费200万元", "第3页，9", "结果"]
        );
        assert!(d.warnings.iter().any(|w| w.contains("tracked deletion")));
    }

    #[test]
    fn headers_footers_footnotes_kept_apart() {
        let rels = r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="/word/footer1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
        let hdr = format!("<w:hdr {NS}>{}</w:hdr>", p("某某大学"));
        let ftr = format!("<w:ftr {NS}>{}</w:ftr>", p("第 1 页"));
        let notes = format!(
            "<w:footnotes {NS}><w:footnote w:type=\"separator\" w:id=\"-1\">{}</w:footnote><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
            p("----"),
            p("注：单位为万元")
        );
        let core = r#"<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>申报书</dc:title></cp:coreProperties>"#;
        let body = format!(
            "{}<w:p><w:r><w:drawing><a:graphic xmlns:a=\"a\"><a:blip r:embed=\"rId4\"/></a:graphic></w:drawing></w:r></w:p>",
            p("正文")
        );
        let d = docx(
            &body,
            &[
                ("word/_rels/document.xml.rels", rels),
                ("word/header1.xml", &hdr),
                ("word/footer1.xml", &ftr),
                ("word/footnotes.xml", &notes),
                ("docProps/core.xml", core),
            ],
        );
        assert_eq!(
            texts(&d),
            vec![
                (Region::Body, "正文".into()),
                (Region::Header, "某某大学".into()),
                (Region::Footer, "第 1 页".into()),
                (Region::Footnote, "注：单位为万元".into()),
            ]
        );
        assert_eq!(d.plain_text(false), "正文\n");
        assert_eq!(d.title.as_deref(), Some("申报书"));
        assert_eq!(d.images.len(), 1);
        assert_eq!(
            (d.images[0].name.as_str(), d.images[0].format.as_str()),
            ("word/media/image1.png", "png")
        );
    }

    #[test]
    fn numbering_markers_and_styles() {
        let numbering = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num><w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>"#;
        let styles = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="a5"><w:name w:val="申报标题"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#;
        let np = |id: u8, lvl: u8, t: &str| {
            format!(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{id}\"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"
            )
        };
        let body = format!(
            "<w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>总则</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"a5\"/></w:pPr><w:r><w:t>子</w:t></w:r></w:p>{}{}{}{}{}{}{}",
            np(1, 0, "项目概况"),
            np(1, 1, "背景"),
            np(1, 1, "目标"),
            np(1, 2, "细项"),
            np(1, 0, "经费"),
            np(2, 0, "要点"),
            np(3, 0, "重新编号"),
        );
        let d = docx(
            &body,
            &[
                ("word/numbering.xml", numbering),
                ("word/styles.xml", styles),
            ],
        );
        let ps: Vec<(Option<String>, String)> = d
            .paragraphs()
            .map(|p| (p.style.clone(), p.text.clone()))
            .collect();
        let list = Some("list".to_string());
        assert_eq!(
            ps,
            vec![
                (Some("Heading1".into()), "总则".into()),
                (Some("Heading2".into()), "第一章 子".into()),
                (list.clone(), "一、项目概况".into()),
                (list.clone(), "（一）背景".into()),
                (list.clone(), "（二）目标".into()),
                (list.clone(), "一.1. 细项".into()), // each level keeps its own format, as Word does
                (list.clone(), "二、经费".into()),
                (list.clone(), "要点".into()),
                (list, "一、重新编号".into()),
            ]
        );
        assert_eq!(sym_char(Some(SymFont::Symbol), 0xF061), Some('α'));
        assert_eq!(sym_char(Some(SymFont::Symbol), 0x35), Some('5'));
        assert_eq!(format_counter(11, "chineseCounting"), "十一");
        assert_eq!(format_counter(20, "chineseCounting"), "二十");
        assert_eq!(format_counter(105, "chineseCounting"), "一百零五");
        assert_eq!(format_counter(4, "upperRoman"), "IV");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            extract(b"PK\x03\x04garbage", "x.docx"),
            Err(ExtractError::Corrupt(_))
        ));
        let good = package(&[(
            "word/document.xml",
            &format!("<w:document {NS}><w:body>{}</w:body></w:document>", p("x")),
        )]);
        for cut in [good.len() / 3, good.len() / 2, good.len() - 10] {
            let _ = extract(&good[..cut], "x.docx"); // must not panic
        }
        // Mismatched tags are corrupt XML.
        let bad = package(&[(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r></w:p></w:body>",
        )]);
        assert!(matches!(
            extract(&bad, "x.docx"),
            Err(ExtractError::Corrupt(_))
        ));
        // No main part.
        let empty = package(&[("a.txt", "x")]);
        assert!(matches!(
            extract(&empty, "x.docx"),
            Err(ExtractError::Corrupt(_))
        ));
        // An entry flagged as (traditionally) encrypted.
        let mut enc = good.clone();
        for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
            let at = enc.windows(4).position(|w| w == sig).unwrap();
            let flags = at + if sig[2] == 3 { 6 } else { 8 };
            enc[flags] |= 1;
        }
        assert!(matches!(
            extract(&enc, "x.docx"),
            Err(ExtractError::Encrypted)
        ));
        // Deeply nested tables are cut, not a stack overflow.
        let deep = "<w:tbl><w:tr><w:tc>".repeat(200) + &"</w:tc></w:tr></w:tbl>".repeat(200);
        let d = docx(&deep, &[]);
        assert!(d.tables().count() <= MAX_DEPTH + 1);
    }
}
