//! Fonts: how a string's bytes become characters with advance widths.
//! Simple fonts (WinAnsi, MacRoman, Standard, Differences, GBK bytes in
//! CJK-named simple fonts), Type0/CID fonts (Identity-H/V, predefined CJK
//! CMaps through the shipped Adobe tables, Uni* CMaps decoded directly,
//! embedded CMaps), ToUnicode first when it is usable, and the embedded
//! TrueType `cmap` as a fallback.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use lopdf::{Dictionary, Document as PdfDoc, Object};

use super::cid_unicode;
use super::cmap::CMap;
use super::parse::{
    deref, get, get_array, get_dict, get_name, get_num, num, numbers, stream_bytes,
};
use super::unified;

/// One decoded character code.
#[derive(Debug, Clone)]
pub struct Char {
    pub text: String,
    /// Horizontal (or, in vertical mode, vertical) advance in 1/1000 em.
    pub width: f32,
    /// A single-byte code 32: word spacing (Tw) applies.
    pub is_space_code: bool,
    /// The code's glyph selector: the byte of a simple font, the CID of a
    /// composite one (for drawing the glyph, see [`Font::glyph`]).
    pub code: u32,
    /// The glyph is `.notdef` or has no outline: whatever ToUnicode says,
    /// no reader sees a character here (text left empty, not "unmapped").
    pub invisible: bool,
}

/// How a decoded code finds its glyph in the embedded font program.
#[derive(Debug, Clone, PartialEq)]
pub enum GlyphRef {
    /// A glyph id (CIDFontType2: through CIDToGIDMap, else the CID).
    Gid(u16),
    /// A CID of a CID-keyed CFF font (CIDFontType0): its charset says.
    Cid(u16),
    /// A simple font's byte, with its Differences/encoding glyph name and
    /// character when known, and whether the font is symbolic.
    Code {
        code: u8,
        name: Option<String>,
        unicode: Option<char>,
        symbolic: bool,
    },
}

/// The format of an embedded font program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramKind {
    /// FontFile2: TrueType.
    TrueType,
    /// FontFile3: bare CFF (Type1C, CIDFontType0C) or OpenType.
    Cff,
    /// FontFile: Type 1 (not drawn).
    Type1,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum UniEnc {
    Utf16,
    Utf8,
    Utf32,
}

#[derive(Debug)]
enum Kind {
    Simple {
        table: Box<[Option<char>; 256]>,
        widths: Box<[f32; 256]>,
        /// Two-byte codes of the national encoding a CJK-named font
        /// without ToUnicode implies (GBK, Big5, Shift-JIS, UHC).
        dbcs: Option<&'static encoding_rs::Encoding>,
    },
    Composite {
        /// None = Identity.
        cmap: Option<Arc<CMap>>,
        uni: Option<UniEnc>,
        /// UTF-8/UTF-32 Uni* CMaps (not shipped): the collection's UTF-16
        /// CMap, for the CIDs of the decoded characters.
        uni_cids: Option<Arc<CMap>>,
        collection: Option<&'static [u32]>,
        widths: HashMap<u32, f32>,
        dw: f32,
        cid_to_gid: Option<Vec<u16>>,
        embedded_truetype: bool,
    },
}

#[derive(Debug)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// glyph id → Unicode from the embedded TrueType/OpenType cmap table.
    /// Embedded font program, parsed for `gid_uni` only when needed.
    program: Option<lopdf::Stream>,
    program_kind: Option<ProgramKind>,
    gid_uni: OnceLock<Option<HashMap<u16, char>>>,
    /// Glyph ids found drawn or not (see [`Font::glyph_visible`]).
    visible: std::sync::Mutex<HashMap<u16, bool>>,
    /// The inflated program, only when a page is drawn for OCR.
    program_data: OnceLock<Option<Vec<u8>>>,
    /// A Type 1 program, parsed when a page is drawn.
    type1: OnceLock<Option<super::type1::Type1>>,
    /// Simple fonts: glyph names from /Differences, by code.
    diff_names: Vec<(u8, String)>,
    symbolic: bool,
    /// The tesseract language the font's script calls for, when the PDF
    /// says (see [`script_lang`]).
    pub lang: Option<&'static str>,
    pub vertical: bool,
    /// Ascent and descent in text space units (fractions of the size).
    pub metrics: (f32, f32),
}

/// Ascent and descent from a FontDescriptor, with poppler's sanity rules
/// (a zero or absurd value is ignored); otherwise 0.8 and -0.2.
fn metrics(doc: &PdfDoc, fd: Option<&Dictionary>) -> (f32, f32) {
    let num = |k: &[u8]| fd.and_then(|d| get_num(doc, d, k)).map(|v| v * 0.001);
    let asc = num(b"Ascent")
        .map(f32::abs)
        .filter(|a| *a > 0.0 && *a < 3.0)
        .unwrap_or(0.8);
    let desc = num(b"Descent")
        .map(|d| -d.abs())
        .filter(|d| *d < 0.0 && *d > -3.0)
        .unwrap_or(-0.2);
    (asc, desc)
}

impl Font {
    pub fn load(doc: &PdfDoc, dict: &Dictionary) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"");
        let base = get_name(doc, dict, b"BaseFont").unwrap_or(b"");
        let to_unicode = get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_bytes(doc, o))
            .map(|d| CMap::parse(&d))
            .filter(|c| !c.is_empty_unicode());
        if subtype == b"Type0" {
            return load_type0(doc, dict, to_unicode);
        }
        let descriptor = get_dict(doc, dict, b"FontDescriptor");
        let embedded = descriptor.and_then(|d| embedded_font(doc, d));
        let flags = descriptor
            .and_then(|d| get_num(doc, d, b"Flags"))
            .unwrap_or(0.0) as u32;
        let symbolic = flags & 4 != 0;

        let mut table: [Option<char>; 256] = [None; 256];
        let enc = get(doc, dict, b"Encoding");
        let base_enc = match enc {
            Some(Object::Name(n)) => Some(n.as_slice()),
            Some(Object::Dictionary(d)) => get_name(doc, d, b"BaseEncoding"),
            _ => None,
        };
        let base_table = match base_enc {
            Some(b"MacRomanEncoding") => encoding_rs::MACINTOSH,
            _ => encoding_rs::WINDOWS_1252,
        };
        for (b, slot) in table.iter_mut().enumerate() {
            if b >= 0x20 && !(symbolic && base_enc.is_none() && embedded.is_some() && b >= 0x80) {
                let byte = [b as u8];
                let (s, _) = base_table.decode_without_bom_handling(&byte);
                *slot = s.chars().next().filter(|c| *c != '\u{FFFD}');
            }
        }
        if base_enc == Some(b"StandardEncoding") || base_enc.is_none() {
            table[0x27] = Some('\u{2019}');
            table[0x60] = Some('\u{2018}');
            if base_enc.is_none() {
                table[0x27] = Some('\'');
                table[0x60] = Some('`');
            }
        }
        let mut diff_names = Vec::new();
        let mut gids = None;
        if let Some(Object::Dictionary(d)) = enc
            && let Some(diffs) = get_array(doc, d, b"Differences")
        {
            let mut code = 0usize;
            for item in diffs {
                match deref(doc, item) {
                    Object::Integer(i) => code = (*i).clamp(0, 255) as usize,
                    Object::Name(n) => {
                        if code < 256 {
                            let s = std::str::from_utf8(n).unwrap_or("");
                            table[code] = glyph_name_to_string(s)
                                .and_then(|s| s.chars().next())
                                .or_else(|| cid_glyph_name(s, base, embedded.as_ref(), &mut gids));
                            diff_names.push((code as u8, s.to_string()));
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }

        let mut widths = [0f32; 256];
        let first = get_num(doc, dict, b"FirstChar").unwrap_or(0.0).max(0.0) as usize;
        let missing = descriptor
            .and_then(|d| get_num(doc, d, b"MissingWidth"))
            .unwrap_or(0.0);
        let mut width_scale = 1.0;
        if subtype == b"Type3"
            && let Some(m) = get_array(doc, dict, b"FontMatrix")
        {
            let m = numbers(m);
            if let Some(a) = m.first() {
                width_scale = a * 1000.0;
            }
        }
        match get_array(doc, dict, b"Widths") {
            Some(ws) => {
                widths.iter_mut().for_each(|w| *w = missing);
                for (k, w) in ws.iter().enumerate() {
                    if let Some(slot) = widths.get_mut(first + k) {
                        *slot = num(deref(doc, w)).unwrap_or(missing) * width_scale;
                    }
                }
            }
            None => {
                // Standard 14 fonts: an average is enough for spacing.
                for (b, w) in widths.iter_mut().enumerate() {
                    *w = if b == 32 { 250.0 } else { 500.0 };
                }
            }
        }
        let program_kind = descriptor.and_then(|d| embedded_kind(doc, d));
        let program = embedded;
        // GBK (Big5, Shift-JIS, UHC) bytes in a simple font: CJK font name
        // and no ToUnicode or Differences above 0x7F that say otherwise
        // (poppler shows Latin-1 mojibake here). Differences naming the
        // high codes' glyphs (`/uni4E2D`) are a custom one-byte encoding.
        let dbcs = if to_unicode.is_none() && !diff_names.iter().any(|(c, _)| *c >= 0x80) {
            national_encoding(base)
        } else {
            None
        };
        Font {
            kind: Kind::Simple {
                table: Box::new(table),
                widths: Box::new(widths),
                dbcs,
            },
            to_unicode,
            program,
            program_kind,
            gid_uni: OnceLock::new(),
            visible: Default::default(),
            program_data: OnceLock::new(),
            type1: OnceLock::new(),
            diff_names,
            symbolic,
            lang: script_lang(&String::from_utf8_lossy(base), None, None),
            vertical: false,
            metrics: metrics(doc, descriptor),
        }
    }

    /// The embedded font program, inflated (cached), with its format.
    pub fn program(&self) -> Option<(&[u8], ProgramKind)> {
        let data = self
            .program_data
            .get_or_init(|| self.program.as_ref().and_then(inflate))
            .as_deref()?;
        Some((data, self.program_kind?))
    }

    /// The Type 1 program, parsed once by `parse`.
    pub fn type1(
        &self,
        parse: impl FnOnce() -> Option<super::type1::Type1>,
    ) -> Option<&super::type1::Type1> {
        self.type1.get_or_init(parse).as_ref()
    }

    /// Where the glyph of a decoded code ([`Char::code`]) is found.
    pub fn glyph(&self, code: u32) -> GlyphRef {
        match &self.kind {
            Kind::Simple { table, .. } => {
                let b = code.min(255) as u8;
                GlyphRef::Code {
                    code: b,
                    name: self
                        .diff_names
                        .iter()
                        .rev()
                        .find(|d| d.0 == b)
                        .map(|d| d.1.clone()),
                    unicode: table[b as usize],
                    symbolic: self.symbolic,
                }
            }
            Kind::Composite { cid_to_gid, .. } => {
                let gid = match cid_to_gid {
                    Some(map) => map.get(code as usize).copied().unwrap_or(0),
                    None => u16::try_from(code).unwrap_or(0),
                };
                if self.program_kind == Some(ProgramKind::Cff) && cid_to_gid.is_none() {
                    GlyphRef::Cid(u16::try_from(code).unwrap_or(0))
                } else {
                    GlyphRef::Gid(gid)
                }
            }
        }
    }

    /// Whether an embedded TrueType glyph draws anything: `.notdef` (glyph
    /// 0), a glyph id past the font's end and an empty outline do not.
    /// None when the program cannot tell (not TrueType, unparsable).
    fn glyph_visible(&self, gid: u16) -> Option<bool> {
        if let Ok(cache) = self.visible.lock()
            && let Some(v) = cache.get(&gid)
        {
            return Some(*v);
        }
        let (data, kind) = self.program()?;
        if kind != ProgramKind::TrueType {
            return None;
        }
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        struct Sink;
        impl ttf_parser::OutlineBuilder for Sink {
            fn move_to(&mut self, _: f32, _: f32) {}
            fn line_to(&mut self, _: f32, _: f32) {}
            fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
            fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
            fn close(&mut self) {}
        }
        let v = gid != 0
            && gid < face.number_of_glyphs()
            && face
                .outline_glyph(ttf_parser::GlyphId(gid), &mut Sink)
                .is_some();
        if let Ok(mut cache) = self.visible.lock()
            && cache.len() < 65_536
        {
            cache.insert(gid, v);
        }
        Some(v)
    }

    /// Decodes a string into characters, radicals and compatibility
    /// ideographs as the unified ideographs readers see.
    pub fn decode(&self, bytes: &[u8], out: &mut Vec<Char>) {
        let start = out.len();
        self.decode_raw(bytes, out);
        for c in &mut out[start..] {
            if let std::borrow::Cow::Owned(u) = unified::unify(&c.text) {
                c.text = u;
            }
        }
    }

    fn decode_raw(&self, bytes: &[u8], out: &mut Vec<Char>) {
        match &self.kind {
            Kind::Simple {
                table,
                widths,
                dbcs,
            } => {
                let mut i = 0;
                while i < bytes.len() {
                    let b = bytes[i];
                    if let Some(enc) = dbcs
                        && (0x81..=0xFE).contains(&b)
                        && let Some(&b2) = bytes.get(i + 1)
                        && (0x40..=0xFE).contains(&b2)
                        && b2 != 0x7F
                    {
                        // One character from both bytes, or the pair is no
                        // double-byte code (Shift-JIS half-width kana).
                        let s = enc
                            .decode_without_bom_handling_and_without_replacement(&[b, b2])
                            .map(|s| s.into_owned())
                            .filter(|s| s.chars().count() == 1);
                        if let Some(s) = s {
                            let w = widths[b as usize] + widths[b2 as usize];
                            out.push(Char {
                                text: s,
                                width: if w > 0.0 { w } else { 1000.0 },
                                is_space_code: false,
                                code: u32::from(b),
                                invisible: false,
                            });
                            i += 2;
                            continue;
                        }
                    }
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|t| t.to_unicode(u32::from(b), 1))
                        .filter(|s| usable(s))
                        .or_else(|| table[b as usize].map(String::from))
                        .unwrap_or_default();
                    out.push(Char {
                        text,
                        width: widths[b as usize],
                        is_space_code: b == 32,
                        code: u32::from(b),
                        invisible: false,
                    });
                    i += 1;
                }
            }
            Kind::Composite {
                cmap,
                uni,
                uni_cids,
                collection,
                widths,
                dw,
                cid_to_gid,
                embedded_truetype,
            } => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let (code, n) = match (cmap, uni) {
                        (Some(cm), _) if cm.has_codespace() => cm.next_code(rest, 2),
                        (_, Some(UniEnc::Utf16)) => {
                            let n = if rest.len() >= 4 && (0xD8..0xDC).contains(&rest[0]) {
                                4
                            } else {
                                2
                            };
                            let n = n.min(rest.len());
                            (be(&rest[..n]), n)
                        }
                        (_, Some(UniEnc::Utf32)) => {
                            let n = 4.min(rest.len());
                            (be(&rest[..n]), n)
                        }
                        (_, Some(UniEnc::Utf8)) => {
                            let n = match rest[0] {
                                0xF0.. => 4,
                                0xE0.. => 3,
                                0xC0.. => 2,
                                _ => 1,
                            }
                            .min(rest.len());
                            (be(&rest[..n]), n)
                        }
                        _ => {
                            let n = 2.min(rest.len());
                            (be(&rest[..n]), n)
                        }
                    };
                    if n == 0 {
                        break;
                    }
                    let cid = match (cmap, uni_cids) {
                        (Some(cm), _) => cm.to_cid(code, n).unwrap_or(0),
                        (None, Some(u16map)) => utf16_cid(u16map, &rest[..n], *uni).unwrap_or(0),
                        (None, None) => code,
                    };
                    let from_tu = self
                        .to_unicode
                        .as_ref()
                        .and_then(|t| t.to_unicode(code, n))
                        .filter(|s| usable(s));
                    let gid = || match cid_to_gid {
                        Some(map) => map.get(cid as usize).copied(),
                        None => u16::try_from(cid).ok(),
                    };
                    let from_gid = || {
                        self.gid_uni
                            .get_or_init(|| {
                                self.program
                                    .as_ref()
                                    .and_then(inflate)
                                    .and_then(|d| truetype_gid_to_unicode(&d))
                            })
                            .as_ref()
                            .and_then(|m| m.get(&gid()?).copied())
                            .map(String::from)
                    };
                    let from_uni = || match uni {
                        Some(UniEnc::Utf16) => {
                            let u: Vec<u16> = rest[..n]
                                .chunks(2)
                                .map(|p| {
                                    (u16::from(p[0]) << 8) | u16::from(*p.get(1).unwrap_or(&0))
                                })
                                .collect();
                            Some(String::from_utf16_lossy(&u))
                        }
                        Some(UniEnc::Utf8) => {
                            std::str::from_utf8(&rest[..n]).ok().map(String::from)
                        }
                        Some(UniEnc::Utf32) => char::from_u32(code).map(String::from),
                        None => None,
                    };
                    let from_collection = || {
                        let u = *(*collection)?.get(cid as usize)?;
                        char::from_u32(u).filter(|_| u != 0).map(String::from)
                    };
                    let text = from_tu
                        .or_else(|| from_uni().filter(|s| usable(s)))
                        .or_else(|| {
                            if *embedded_truetype {
                                from_gid().or_else(from_collection)
                            } else {
                                from_collection().or_else(from_gid)
                            }
                        })
                        .unwrap_or_default();
                    // Only an embedded TrueType program says for sure which
                    // glyph a CID draws.
                    let invisible = *embedded_truetype
                        && !text.trim().is_empty()
                        && gid().is_some_and(|g| self.glyph_visible(g) == Some(false));
                    out.push(Char {
                        text: if invisible { String::new() } else { text },
                        width: widths.get(&cid).copied().unwrap_or(*dw),
                        is_space_code: n == 1 && code == 32,
                        code: cid,
                        invisible,
                    });
                    i += n;
                }
            }
        }
    }
}

/// The CID of a UTF-8 or UTF-32 code through the collection's UTF-16 CMap.
fn utf16_cid(map: &CMap, bytes: &[u8], enc: Option<UniEnc>) -> Option<u32> {
    let c = match enc? {
        UniEnc::Utf8 => std::str::from_utf8(bytes).ok()?.chars().next()?,
        UniEnc::Utf32 => char::from_u32(be(bytes))?,
        UniEnc::Utf16 => return None,
    };
    let mut units = [0u16; 2];
    let units = c.encode_utf16(&mut units);
    let code = units.iter().fold(0u32, |a, u| (a << 16) | u32::from(*u));
    map.to_cid(code, units.len() * 2)
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b))
}

fn load_type0(doc: &PdfDoc, dict: &Dictionary, to_unicode: Option<CMap>) -> Font {
    let desc = get_array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| match o {
            Object::Dictionary(d) => Some(d),
            _ => None,
        });
    if desc.is_none() {
        return broken_type0(doc, dict, to_unicode);
    }
    let mut cmap: Option<Arc<CMap>> = None;
    let mut uni = None;
    let mut uni_cids = None;
    let mut vertical = false;
    let mut cmap_name = String::new();
    match get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            cmap_name = String::from_utf8_lossy(n).into_owned();
            vertical = cmap_name.ends_with("-V");
            if cmap_name.starts_with("Identity") {
            } else if cmap_name.starts_with("Uni") {
                // Codes are Unicode; the CMap (code → CID) still serves
                // codes written as private-use (HKSCS) and the widths.
                cmap = cid_unicode::predefined_cmap(&cmap_name);
                if cmap.is_none() {
                    uni_cids = cid_unicode::utf16_cmap_for(&cmap_name);
                }
                uni = Some(if cmap_name.contains("UTF8") {
                    UniEnc::Utf8
                } else if cmap_name.contains("UTF32") {
                    UniEnc::Utf32
                } else {
                    UniEnc::Utf16
                });
            } else {
                cmap = cid_unicode::predefined_cmap(&cmap_name);
            }
        }
        Some(s @ Object::Stream(st)) => {
            if let Some(data) = stream_bytes(doc, s) {
                let mut cm = CMap::parse(&data);
                if let Some(parent) = cm
                    .usecmap
                    .clone()
                    .or_else(|| {
                        get_name(doc, &st.dict, b"UseCMap")
                            .map(|n| String::from_utf8_lossy(n).into_owned())
                    })
                    .and_then(|p| cid_unicode::predefined_cmap(&p))
                {
                    cm.inherit(&parent);
                }
                vertical = cm.wmode == 1;
                if let Some(n) = get_name(doc, &st.dict, b"CMapName") {
                    cmap_name = String::from_utf8_lossy(n).into_owned();
                }
                cmap = Some(Arc::new(cm));
            }
        }
        _ => {}
    }
    if let Some(cm) = &cmap
        && cm.wmode == 1
    {
        vertical = true;
    }
    let mut widths = HashMap::new();
    let mut dw = 1000.0;
    let mut cid_to_gid = None;
    let mut ordering = None;
    let mut program = None;
    let mut program_kind = None;
    let mut embedded_truetype = false;
    if let Some(d) = desc {
        dw = get_num(doc, d, b"DW").unwrap_or(1000.0);
        if let Some(w) = get_array(doc, d, b"W") {
            parse_w(doc, w, &mut widths);
        }
        if let Some(info) = get_dict(doc, d, b"CIDSystemInfo")
            && let Some(Object::String(o, _)) = get(doc, info, b"Ordering")
        {
            ordering = Some(String::from_utf8_lossy(o).into_owned());
        }
        if let Some(s @ Object::Stream(_)) = get(doc, d, b"CIDToGIDMap")
            && let Some(data) = stream_bytes(doc, s)
        {
            cid_to_gid = Some(
                data.chunks(2)
                    .map(|p| (u16::from(p[0]) << 8) | u16::from(*p.get(1).unwrap_or(&0)))
                    .collect(),
            );
        }
        if let Some(fd) = get_dict(doc, d, b"FontDescriptor")
            && let Some(font) = embedded_font(doc, fd)
        {
            embedded_truetype = get_name(doc, d, b"Subtype") == Some(b"CIDFontType2");
            program_kind = embedded_kind(doc, fd);
            program = Some(font);
        }
    }
    let ordering = ordering
        .as_deref()
        .and_then(|o| match o {
            "GB1" | "CNS1" | "Japan1" | "Korea1" => Some(o),
            _ => None,
        })
        .map(String::from)
        .or_else(|| cid_unicode::ordering_of_cmap(&cmap_name).map(String::from));
    let collection = ordering.as_deref().and_then(cid_unicode::cid_to_unicode);
    let base = get_name(doc, dict, b"BaseFont").unwrap_or(b"");
    let lang = script_lang(
        &String::from_utf8_lossy(base),
        Some(&cmap_name),
        ordering.as_deref(),
    );
    Font {
        kind: Kind::Composite {
            cmap,
            uni,
            uni_cids,
            collection,
            widths,
            dw,
            cid_to_gid,
            embedded_truetype,
        },
        to_unicode,
        program,
        program_kind,
        gid_uni: OnceLock::new(),
        visible: Default::default(),
        program_data: OnceLock::new(),
        type1: OnceLock::new(),
        diff_names: Vec::new(),
        symbolic: false,
        lang,
        vertical,
        metrics: metrics(doc, desc.and_then(|d| get_dict(doc, d, b"FontDescriptor"))),
    }
}

/// A Type0 font without a usable descendant (`/DescendantFonts [ null ]`,
/// seen in emoji fonts of Feishu exports). Poppler, whose output readers
/// compare against, cannot type such a font and reads it as a simple font:
/// one-byte codes, ToUnicode looked up by code value, no Widths, so the
/// substitute font's widths through StandardEncoding (codes the encoding
/// leaves undefined have no width). Doing the same keeps these glyphs
/// where poppler places them in reading order.
fn broken_type0(doc: &PdfDoc, dict: &Dictionary, to_unicode: Option<CMap>) -> Font {
    let mut widths = [0f32; 256];
    for (b, w) in widths.iter_mut().enumerate() {
        if standard_encoding_defines(b as u8) {
            *w = if b == 32 { 250.0 } else { 500.0 };
        }
    }
    let base = get_name(doc, dict, b"BaseFont").unwrap_or(b"");
    Font {
        kind: Kind::Simple {
            table: Box::new([None; 256]),
            widths: Box::new(widths),
            dbcs: None,
        },
        to_unicode,
        program: None,
        program_kind: None,
        gid_uni: OnceLock::new(),
        visible: Default::default(),
        program_data: OnceLock::new(),
        type1: OnceLock::new(),
        diff_names: Vec::new(),
        symbolic: false,
        lang: script_lang(&String::from_utf8_lossy(base), None, None),
        vertical: false,
        metrics: metrics(doc, None),
    }
}

/// Whether Adobe's StandardEncoding names a glyph for the code.
fn standard_encoding_defines(b: u8) -> bool {
    // The codes StandardEncoding leaves empty above 0xA0 (PDF 32000 D.2).
    const GAPS: &[u8] = &[
        0xA0, 0xB0, 0xB5, 0xBE, 0xC0, 0xC9, 0xCC, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8,
        0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xE0, 0xE2, 0xE4, 0xE5, 0xE6, 0xE7, 0xEC, 0xED,
        0xEE, 0xEF, 0xF0, 0xF2, 0xF3, 0xF4, 0xF6, 0xF7, 0xFC, 0xFD, 0xFE, 0xFF,
    ];
    (0x20..0x7F).contains(&b) || (b >= 0xA1 && !GAPS.contains(&b))
}

/// The tesseract language a font's script calls for, from the evidence a
/// PDF gives: the font name (Ming/HKSCS → traditional, Mincho/Gothic →
/// Japanese, …), then the CMap name (UniCNS, UniJIS, …), then the
/// CIDSystemInfo ordering (GB1, CNS1, Japan1, Korea1). The name comes
/// first because producers often declare a generic ordering (a Japan1
/// font set in traditional Chinese is common) while the face is specific.
pub fn script_lang(base: &str, cmap: Option<&str>, ordering: Option<&str>) -> Option<&'static str> {
    // Subset prefix "ABCDEF+" and style suffixes do not matter. Pan-CJK
    // faces (Noto/Source Han "CJKjp", …) say nothing: LibreOffice sets
    // Chinese in Noto Sans CJK JP when that is the installed default.
    let name = base
        .split_once('+')
        .map_or(base, |(p, r)| if p.len() == 6 { r } else { base })
        .to_ascii_lowercase();
    const BY_NAME: &[(&str, &str)] = &[
        ("hkscs", "chi_tra"),
        ("mingliu", "chi_tra"),
        ("pming", "chi_tra"),
        ("ming", "chi_tra"),
        ("dfkai", "chi_tra"),
        ("biaukai", "chi_tra"),
        ("jhenghei", "chi_tra"),
        ("-tw", "chi_tra"),
        ("_tw", "chi_tra"),
        ("mincho", "jpn"),
        ("msgothic", "jpn"),
        ("ms-gothic", "jpn"),
        ("mspgothic", "jpn"),
        ("ms-pgothic", "jpn"),
        ("gothicbbb", "jpn"),
        ("kakugo", "jpn"),
        ("meiryo", "jpn"),
        ("hiragino", "jpn"),
        ("kozmin", "jpn"),
        ("kozgo", "jpn"),
        ("heiseimin", "jpn"),
        ("heiseikaku", "jpn"),
        ("yugoth", "jpn"),
        ("batang", "kor"),
        ("gulim", "kor"),
        ("dotum", "kor"),
        ("malgun", "kor"),
        ("simsun", "chi_sim"),
        ("simhei", "chi_sim"),
        ("stsong", "chi_sim"),
        ("yahei", "chi_sim"),
        ("fangsong", "chi_sim"),
        ("kaiti", "chi_sim"),
        ("gb2312", "chi_sim"),
    ];
    if let Some((_, l)) = BY_NAME.iter().find(|(k, _)| name.contains(k)) {
        return Some(l);
    }
    if let Some(c) = cmap {
        let by_cmap = if c.contains("CNS")
            || c.contains("B5")
            || c.contains("ETen")
            || c.contains("HK")
        {
            Some("chi_tra")
        } else if c.contains("GB") {
            Some("chi_sim")
        } else if c.contains("JIS") || c.contains("90m") || c.contains("83pv") || c.contains("RKSJ")
        {
            Some("jpn")
        } else if c.contains("KS") {
            Some("kor")
        } else {
            None
        };
        if by_cmap.is_some() {
            return by_cmap;
        }
    }
    match ordering? {
        "GB1" => Some("chi_sim"),
        "CNS1" => Some("chi_tra"),
        "Japan1" => Some("jpn"),
        "Korea1" => Some("kor"),
        _ => None,
    }
}

fn embedded_kind(doc: &PdfDoc, descriptor: &Dictionary) -> Option<ProgramKind> {
    [
        (&b"FontFile2"[..], ProgramKind::TrueType),
        (b"FontFile3", ProgramKind::Cff),
        (b"FontFile", ProgramKind::Type1),
    ]
    .into_iter()
    .find(|(k, _)| matches!(get(doc, descriptor, k), Some(Object::Stream(_))))
    .map(|(_, kind)| kind)
}

fn parse_w(doc: &PdfDoc, w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() && out.len() < 200_000 {
        let Some(first) = num(deref(doc, &w[i])) else {
            i += 1;
            continue;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, x) in ws.iter().enumerate() {
                    if let Some(v) = num(deref(doc, x)) {
                        out.insert(first + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).unwrap_or(0.0).max(0.0) as u32;
                let v = w
                    .get(i + 2)
                    .and_then(|x| num(deref(doc, x)))
                    .unwrap_or(1000.0);
                for c in first..=last.min(first.saturating_add(65_535)) {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// The embedded font program's stream, still compressed: it is inflated
/// only if its `cmap` is ever needed.
fn embedded_font(doc: &PdfDoc, descriptor: &Dictionary) -> Option<lopdf::Stream> {
    for key in [&b"FontFile2"[..], b"FontFile3", b"FontFile"] {
        if let Some(Object::Stream(s)) = get(doc, descriptor, key) {
            return Some(s.clone());
        }
    }
    None
}

fn inflate(s: &lopdf::Stream) -> Option<Vec<u8>> {
    if super::parse::unfiltered(s) {
        return Some(s.content.clone());
    }
    s.decompressed_content_with_limit(super::parse::MAX_STREAM)
        .ok()
}

/// Reverse of a TrueType font's Unicode `cmap`: glyph id → character.
fn truetype_gid_to_unicode(data: &[u8]) -> Option<HashMap<u16, char>> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut map = HashMap::new();
    for sub in cmap.subtables {
        if !sub.is_unicode() {
            continue;
        }
        sub.codepoints(|cp| {
            if let (Some(g), Some(c)) = (sub.glyph_index(cp), char::from_u32(cp))
                && g.0 != 0
                && !(0xE000..=0xF8FF).contains(&cp)
            {
                map.entry(g.0).or_insert(c);
            }
        });
    }
    (!map.is_empty()).then_some(map)
}

/// Text a reader can use: no control characters, no U+FFFD, no private use.
fn usable(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            !(c.is_control() && c != '\t' && c != '\n')
                && c != '\u{FFFD}'
                && !('\u{E000}'..='\u{F8FF}').contains(&c)
        })
}

/// The national double-byte encoding a simple font's name implies: a
/// Chinese, Japanese or Korean system font's bytes are GBK, Big5,
/// Shift-JIS or UHC even under WinAnsiEncoding.
fn national_encoding(base: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    // A name in raw bytes is a GBK name (宋体) from a Chinese system.
    if base.iter().any(|b| *b >= 0x80) {
        return Some(encoding_rs::GBK);
    }
    // Windows system faces only: a looser match would turn accented Latin
    // of an unrelated font into CJK.
    let n = String::from_utf8_lossy(base).to_ascii_lowercase();
    const BY_NAME: &[(&str, &encoding_rs::Encoding)] = &[
        ("mingliu", encoding_rs::BIG5),
        ("dfkai", encoding_rs::BIG5),
        ("kaiu", encoding_rs::BIG5),
        ("ms-mincho", encoding_rs::SHIFT_JIS),
        ("msmincho", encoding_rs::SHIFT_JIS),
        ("ms-pmincho", encoding_rs::SHIFT_JIS),
        ("mspmincho", encoding_rs::SHIFT_JIS),
        ("ms-gothic", encoding_rs::SHIFT_JIS),
        ("msgothic", encoding_rs::SHIFT_JIS),
        ("ms-pgothic", encoding_rs::SHIFT_JIS),
        ("mspgothic", encoding_rs::SHIFT_JIS),
        ("batang", encoding_rs::EUC_KR),
        ("gulim", encoding_rs::EUC_KR),
        ("dotum", encoding_rs::EUC_KR),
        ("gungsuh", encoding_rs::EUC_KR),
    ];
    if let Some((_, e)) = BY_NAME.iter().find(|(k, _)| n.contains(k)) {
        return Some(e);
    }
    looks_chinese_font(base).then_some(encoding_rs::GBK)
}

/// The character of a `cidNNNN` glyph name (a CID of the collection the
/// font's name implies) or of a `gNNNN` one (a glyph id of the embedded
/// TrueType program, through its `cmap`).
fn cid_glyph_name(
    name: &str,
    base: &[u8],
    program: Option<&lopdf::Stream>,
    gids: &mut Option<Option<HashMap<u16, char>>>,
) -> Option<char> {
    let digits = |s: &str| {
        (!s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if let Some(cid) = name.strip_prefix("cid").and_then(digits) {
        let ordering = match script_lang(&String::from_utf8_lossy(base), None, None)? {
            "chi_sim" => "GB1",
            "chi_tra" => "CNS1",
            "jpn" => "Japan1",
            "kor" => "Korea1",
            _ => return None,
        };
        let u = *cid_unicode::cid_to_unicode(ordering)?.get(cid as usize)?;
        return char::from_u32(u).filter(|_| u != 0);
    }
    let gid = u16::try_from(name.strip_prefix('g').and_then(digits)?).ok()?;
    // The program's cmap is read once for all the font's names.
    gids.get_or_insert_with(|| {
        program
            .and_then(inflate)
            .and_then(|d| truetype_gid_to_unicode(&d))
    })
    .as_ref()?
    .get(&gid)
    .copied()
}

/// Whether a simple font's name says it is a Chinese font, whose bytes are
/// then GBK even under WinAnsiEncoding.
fn looks_chinese_font(base: &[u8]) -> bool {
    let n = String::from_utf8_lossy(base).to_ascii_lowercase();
    [
        "gb2312",
        "gbk",
        "gb18030",
        "simsun",
        "simhei",
        "simkai",
        "simfang",
        "fangsong",
        "kaiti",
        "stsong",
        "stheiti",
        "stkaiti",
        "stfangsong",
        "stzhongsong",
        "nsimsun",
        "yahei",
        "songti",
        "heiti",
        "fzxiaobiaosong",
        "fzshusong",
        "fzkai",
        "fzhei",
        "fzfangsong",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Unicode text of a glyph name: `uniXXXX`, `uXXXX[XX]` and the common
/// Adobe Glyph List names.
pub fn glyph_name_to_string(name: &str) -> Option<String> {
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        let units: Vec<u16> = (0..hex.len() / 4)
            .filter_map(|k| u16::from_str_radix(&hex[k * 4..k * 4 + 4], 16).ok())
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    let base = name.split('.').next().unwrap_or(name);
    if base.len() == 1 && base.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(base.to_string());
    }
    let c = match base {
        "space" | "nbspace" => ' ',
        "exclam" => '!',
        "quotedbl" => '"',
        "numbersign" => '#',
        "dollar" => '$',
        "percent" => '%',
        "ampersand" => '&',
        "quotesingle" => '\'',
        "parenleft" => '(',
        "parenright" => ')',
        "asterisk" => '*',
        "plus" => '+',
        "comma" => ',',
        "hyphen" | "minus" => '-',
        "period" => '.',
        "slash" => '/',
        "zero" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        "colon" => ':',
        "semicolon" => ';',
        "less" => '<',
        "equal" => '=',
        "greater" => '>',
        "question" => '?',
        "at" => '@',
        "bracketleft" => '[',
        "backslash" => '\\',
        "bracketright" => ']',
        "asciicircum" => '^',
        "underscore" => '_',
        "grave" => '`',
        "braceleft" => '{',
        "bar" => '|',
        "braceright" => '}',
        "asciitilde" => '~',
        "bullet" => '•',
        "endash" => '–',
        "emdash" => '—',
        "quoteleft" => '‘',
        "quoteright" => '’',
        "quotedblleft" => '“',
        "quotedblright" => '”',
        "ellipsis" => '…',
        "periodcentered" | "middot" => '·',
        "copyright" => '©',
        "registered" => '®',
        "trademark" => '™',
        "degree" => '°',
        "section" => '§',
        "paragraph" => '¶',
        "dagger" => '†',
        "daggerdbl" => '‡',
        "multiply" => '×',
        "divide" => '÷',
        "plusminus" => '±',
        "mu" => 'µ',
        "fi" => return Some("fi".into()),
        "fl" => return Some("fl".into()),
        "ff" => return Some("ff".into()),
        _ => return None,
    };
    Some(c.to_string())
}

/// Font dictionaries of a resource dictionary, by resource name.
pub fn font_dicts<'a>(
    doc: &'a PdfDoc,
    resources: &'a Dictionary,
) -> Vec<(&'a [u8], &'a Dictionary, Option<lopdf::ObjectId>)> {
    let mut out = Vec::new();
    if let Some(fonts) = get_dict(doc, resources, b"Font") {
        for (k, v) in fonts.iter() {
            let id = v.as_reference().ok();
            if let Object::Dictionary(d) = deref(doc, v) {
                out.push((k.as_slice(), d, id));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use lopdf::{Stream, dictionary};

    use super::*;

    #[test]
    fn type0_without_descendant_reads_as_poppler_does() {
        let mut doc = PdfDoc::with_version("1.5");
        let tu = doc.add_object(Stream::new(
            dictionary! {},
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
              2 beginbfchar <0083> <26F3> <00B3> <2B50> endbfchar"
                .to_vec(),
        ));
        let dict = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "NotoColorEmoji",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![Object::Null], "ToUnicode" => tu,
        };
        let font = Font::load(&doc, &dict);
        let mut out = Vec::new();
        font.decode(&[0x00, 0x83, 0x00, 0xB3], &mut out);
        let got: Vec<(&str, f32)> = out.iter().map(|c| (c.text.as_str(), c.width)).collect();
        // One-byte codes; 0x83 is undefined in StandardEncoding (no width),
        // 0xB3 is daggerdbl (half an em).
        assert_eq!(got, [("", 0.0), ("⛳", 0.0), ("", 0.0), ("⭐", 500.0)]);
        assert!(standard_encoding_defines(b'A') && !standard_encoding_defines(0x80));
    }

    #[test]
    fn differences_above_0x7f_are_one_byte_codes_even_in_a_chinese_font() {
        let doc = PdfDoc::with_version("1.5");
        let enc = dictionary! {
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![Object::Integer(0x80), Object::Name(b"uni4E2D".to_vec()), Object::Name(b"cid1".to_vec())],
        };
        let dict = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "SimSun", "Encoding" => enc,
        };
        let mut out = Vec::new();
        Font::load(&doc, &dict).decode(&[0x80, 0x41], &mut out);
        let got: String = out.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(got, "中A");
        // Without them, SimSun's bytes are GBK; MS Mincho's are Shift-JIS.
        let plain = |name: &str| {
            let d = dictionary! { "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => name.to_string(), "Encoding" => "WinAnsiEncoding" };
            Font::load(&doc, &d)
        };
        let mut out = Vec::new();
        plain("SimSun").decode(&[0xD6, 0xD0], &mut out);
        plain("MS-Mincho").decode(&[0x93, 0xFA], &mut out);
        let got: String = out.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(got, "中日");
    }

    #[test]
    fn an_empty_filter_array_is_no_filter() {
        let mut doc = PdfDoc::with_version("1.5");
        let id = doc.add_object(Stream::new(
            dictionary! { "Filter" => Vec::<Object>::new() },
            b"BT ET".to_vec(),
        ));
        let got = super::super::parse::stream_bytes(&doc, &Object::Reference(id));
        assert_eq!(got.as_deref(), Some(&b"BT ET"[..]));
    }

    #[test]
    fn predefined_vertical_and_utf8_cmaps_decode_without_tounicode() {
        let mut doc = PdfDoc::with_version("1.5");
        let info = dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Japan1"), "Supplement" => 6 };
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "KozMinPr6N-Regular",
            "CIDSystemInfo" => info,
        });
        let font = |enc: &str| {
            let d = dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "KozMinPr6N-Regular",
                "Encoding" => enc.to_string(), "DescendantFonts" => vec![Object::Reference(cid_font)],
            };
            Font::load(&doc, &d)
        };
        let text = |f: &Font, bytes: &[u8]| {
            let mut out = Vec::new();
            f.decode(bytes, &mut out);
            out.iter().map(|c| c.text.clone()).collect::<String>()
        };
        let v = font("V");
        assert!(v.vertical);
        assert_eq!(text(&v, &[0x46, 0x7C, 0x4B, 0x5C]), "日本");
        let rksj = font("90ms-RKSJ-V");
        assert!(rksj.vertical);
        assert_eq!(text(&rksj, &[0x93, 0xFA, 0x96, 0x7B]), "日本");
        let utf8 = font("UniJIS-UTF8-V");
        assert!(utf8.vertical);
        assert_eq!(text(&utf8, "日本".as_bytes()), "日本");
    }

    #[test]
    fn notdef_and_empty_glyphs_are_dropped_whatever_tounicode_says() {
        let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        let Ok(ttf) = std::fs::read(path) else {
            println!("skipped: {path} not installed");
            return;
        };
        let face = ttf_parser::Face::parse(&ttf, 0).unwrap();
        let a = face.glyph_index('A').unwrap().0;
        let space = face.glyph_index(' ').unwrap().0;
        let mut doc = PdfDoc::with_version("1.5");
        let program = doc.add_object(Stream::new(dictionary! {}, ttf.clone()));
        let fd = doc.add_object(dictionary! { "Type" => "FontDescriptor", "FontFile2" => program });
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DejaVuSans", "FontDescriptor" => fd,
        });
        // A broken ToUnicode: .notdef and the blank glyph "are" X and Y.
        let tu = doc.add_object(Stream::new(
            dictionary! {},
            format!(
                "1 begincodespacerange <0000> <FFFF> endcodespacerange
                 3 beginbfchar <0000> <0058> <{a:04X}> <0041> <{space:04X}> <0059> endbfchar"
            )
            .into_bytes(),
        ));
        let dict = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DejaVuSans",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![Object::Reference(cid_font)], "ToUnicode" => tu,
        };
        let font = Font::load(&doc, &dict);
        let mut out = Vec::new();
        let bytes: Vec<u8> = [0, a, space]
            .iter()
            .flat_map(|g: &u16| g.to_be_bytes())
            .collect();
        font.decode(&bytes, &mut out);
        let got: Vec<(&str, bool)> = out.iter().map(|c| (c.text.as_str(), c.invisible)).collect();
        assert_eq!(got, [("", true), ("A", false), ("", true)]);
    }
}
