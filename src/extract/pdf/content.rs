//! Content-stream interpretation: the text state (Tm, Tlm, Tf, Tc, Tw, Tz,
//! TL, Ts), the CTM with q/Q, text-showing operators (Tj, TJ, ', "), form
//! XObjects (recursively, bounded), images, and ruling lines/rectangles for
//! table detection. Output is positioned glyphs in page space (points,
//! origin top-left) under a per-page operator budget.

use std::collections::HashMap;
use std::sync::Arc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document as PdfDoc, Object, ObjectId};

use super::font::{Char, Font, font_dicts};
use super::parse::{
    deref, get, get_array, get_dict, get_name, get_num, num, numbers, stream_bytes,
};

/// Operators interpreted per page, forms included, before we stop.
pub const OP_BUDGET: usize = 3_000_000;
const MAX_FORM_DEPTH: usize = 12;

pub type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

pub fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// A positioned character in page space (origin top-left, y down).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: String,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Baseline: page y of the glyph origin.
    pub base: f32,
    /// Effective font size in points.
    pub size: f32,
    pub vertical: bool,
    /// Marked-content artifact (running heads etc.).
    pub artifact: bool,
}

/// A straight ruling segment (or a thin filled rectangle) in page space.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

#[derive(Debug, Clone)]
pub struct PageImage {
    pub name: String,
    /// The image XObject's stream, for decoding when the page goes to OCR.
    pub object: Option<lopdf::ObjectId>,
    pub format: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub bbox: [f32; 4],
}

/// A glyph to draw: its font, code ([`super::font::Char::code`]) and the
/// matrix from glyph space in ems (y up) to page space (points, y down).
#[derive(Debug, Clone)]
pub struct Shape {
    pub font: Arc<Font>,
    pub code: u32,
    pub m: Matrix,
}

/// Path segments kept while a path is open; a path longer than this is
/// no ruling line.
const MAX_PENDING_SEGMENTS: usize = 200_000;

/// Bytes of content stream lexed at a time (cut after an operator).
const CHUNK_BYTES: usize = 256 * 1024;

/// Splits a content stream into slices that each end after an operator,
/// so each can be lexed on its own. Strings, hex strings, arrays,
/// dictionaries, comments and inline images are never cut.
struct OpChunks<'a> {
    rest: &'a [u8],
}

impl<'a> OpChunks<'a> {
    fn new(content: &'a [u8]) -> Self {
        OpChunks { rest: content }
    }
}

impl<'a> Iterator for OpChunks<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let cut = next_cut(self.rest, CHUNK_BYTES);
        let (head, tail) = self.rest.split_at(cut);
        self.rest = tail;
        Some(head)
    }
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | 0)
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// The first position at or after `min` that follows an operator at the
/// top level (or the end of `b`).
fn next_cut(b: &[u8], min: usize) -> usize {
    let mut i = 0;
    let mut depth = 0usize; // arrays and dictionaries
    while i < b.len() {
        let c = b[i];
        if is_white(c) {
            i += 1;
        } else if c == b'%' {
            while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                i += 1;
            }
        } else if c == b'(' {
            let mut nest = 0usize;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 1,
                    b'(' => nest += 1,
                    b')' => {
                        nest = nest.saturating_sub(1);
                        if nest == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
        } else if c == b'<' && b.get(i + 1) == Some(&b'<') {
            depth += 1;
            i += 2;
        } else if c == b'>' && b.get(i + 1) == Some(&b'>') {
            depth = depth.saturating_sub(1);
            i += 2;
        } else if c == b'<' {
            while i < b.len() && b[i] != b'>' {
                i += 1;
            }
            i += 1;
        } else if c == b'[' {
            depth += 1;
            i += 1;
        } else if c == b']' {
            depth = depth.saturating_sub(1);
            i += 1;
        } else if c == b'/' {
            i += 1;
            while i < b.len() && !is_white(b[i]) && !is_delim(b[i]) {
                i += 1;
            }
        } else if is_delim(c) {
            i += 1;
        } else {
            let start = i;
            while i < b.len() && !is_white(b[i]) && !is_delim(b[i]) {
                i += 1;
            }
            let tok = &b[start..i];
            let operand = tok
                .iter()
                .all(|&x| x.is_ascii_digit() || matches!(x, b'+' | b'-' | b'.'))
                || matches!(tok, b"true" | b"false" | b"null");
            if tok == b"BI" {
                // Inline image: its data runs to a whitespace-delimited EI.
                i = inline_image_end(b, i);
                depth = 0;
            }
            if !operand && depth == 0 && i >= min {
                return i.min(b.len());
            }
        }
    }
    b.len()
}

/// Just after the `EI` closing an inline image whose `BI` ends at `i`.
fn inline_image_end(b: &[u8], mut i: usize) -> usize {
    while i + 2 <= b.len() {
        if b[i..].starts_with(b"EI")
            && i > 0
            && is_white(b[i - 1])
            && b.get(i + 2).is_none_or(|&c| is_white(c) || is_delim(c))
        {
            return i + 2;
        }
        i += 1;
    }
    b.len()
}

/// Most glyph shapes recorded per page for drawing.
const MAX_SHAPES: usize = 100_000;

#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    /// Visible glyphs as shapes, only when recording (see [`Interp::record_shapes`]).
    pub shapes: Vec<Shape>,
    pub segments: Vec<Segment>,
    pub images: Vec<PageImage>,
    pub budget_exhausted: bool,
    pub unmapped: usize,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    size: f32,
    tc: f32,
    tw: f32,
    tz: f32,
    tl: f32,
    rise: f32,
    /// Text rendering mode (3 and 7 draw nothing).
    tr: i64,
}

/// Cache of loaded fonts by object id (shared across pages).
#[derive(Default)]
pub struct FontCache {
    by_id: HashMap<ObjectId, Arc<Font>>,
}

pub struct Interp<'a> {
    doc: &'a PdfDoc,
    fonts: &'a mut FontCache,
    page_h: f32,
    origin: (f32, f32),
    ops: usize,
    out: PageContent,
    forms_seen: Vec<ObjectId>,
    artifact: bool,
    page_ctm: Matrix,
    budget: usize,
    record: bool,
}

impl<'a> Interp<'a> {
    /// `mediabox` is `[x0, y0, x1, y1]` of the upright page; `budget` caps
    /// the operators interpreted (at most [`OP_BUDGET`]).
    pub fn new(
        doc: &'a PdfDoc,
        fonts: &'a mut FontCache,
        mediabox: [f32; 4],
        budget: usize,
    ) -> Self {
        Interp {
            doc,
            fonts,
            page_h: mediabox[3],
            origin: (mediabox[0], mediabox[1]),
            ops: 0,
            out: PageContent::default(),
            forms_seen: Vec::new(),
            artifact: false,
            page_ctm: IDENTITY,
            budget: budget.min(OP_BUDGET),
            record: false,
        }
    }

    /// Also records every visible glyph as a [`Shape`], for drawing a page
    /// whose text layer is unusable.
    pub fn record_shapes(&mut self) {
        self.record = true;
    }

    fn initial(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            tz: 1.0,
            tl: 0.0,
            rise: 0.0,
            tr: 0,
        }
    }

    /// Interprets a page's content stream; `ctm` maps user space to the
    /// upright page (origin and /Rotate).
    pub fn run_page(&mut self, content: &[u8], resources: Option<&Dictionary>, ctm: Matrix) {
        self.page_ctm = ctm;
        self.run(content, resources, Self::initial(ctm), 0);
    }

    /// Operators interpreted so far, forms included.
    pub fn ops(&self) -> usize {
        self.ops
    }

    /// Interprets an annotation's normal appearance (form field values),
    /// mapping its BBox (after its Matrix) onto the annotation's Rect.
    pub fn run_appearance(&mut self, ap: &lopdf::Stream, rect: [f32; 4]) {
        let doc = self.doc;
        let m = get_array(doc, &ap.dict, b"Matrix")
            .map(|a| numbers(a))
            .filter(|m| m.len() >= 6)
            .map(|m| [m[0], m[1], m[2], m[3], m[4], m[5]])
            .unwrap_or(IDENTITY);
        let bb = get_array(doc, &ap.dict, b"BBox")
            .map(|a| numbers(a))
            .filter(|b| b.len() >= 4)
            .unwrap_or_else(|| vec![0.0, 0.0, 1.0, 1.0]);
        let pts = [
            apply(&m, bb[0], bb[1]),
            apply(&m, bb[2], bb[3]),
            apply(&m, bb[0], bb[3]),
            apply(&m, bb[2], bb[1]),
        ];
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if w.abs() < 1e-3 || h.abs() < 1e-3 {
            return;
        }
        let (rx0, ry0) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
        let (sx, sy) = ((rect[2] - rect[0]).abs() / w, (rect[3] - rect[1]).abs() / h);
        let a = [sx, 0.0, 0.0, sy, rx0 - x0 * sx, ry0 - y0 * sy];
        let ctm = mul(&mul(&m, &a), &self.page_ctm);
        let Some(data) = stream_bytes(doc, &Object::Stream(ap.clone())) else {
            return;
        };
        let res = get_dict(doc, &ap.dict, b"Resources");
        self.run(&data, res, Self::initial(ctm), 1);
    }

    pub fn finish(self) -> PageContent {
        self.out
    }

    fn to_page(&self, x: f32, y: f32) -> (f32, f32) {
        (x - self.origin.0, self.page_h - y)
    }

    fn load_font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Arc<Font>> {
        let res = resources?;
        let (_, dict, id) = font_dicts(self.doc, res)
            .into_iter()
            .find(|(k, _, _)| *k == name)?;
        if let Some(id) = id
            && let Some(f) = self.fonts.by_id.get(&id)
        {
            return Some(f.clone());
        }
        let f = Arc::new(Font::load(self.doc, dict));
        if let Some(id) = id {
            self.fonts.by_id.insert(id, f.clone());
        }
        Some(f)
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        mut gs: GState,
        depth: usize,
    ) {
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut path_start: Option<(f32, f32)> = None;
        let mut cur: Option<(f32, f32)> = None;
        let mut pending: Vec<Segment> = Vec::new();
        let mut artifact_depth: Vec<bool> = Vec::new();
        // Lexed a slice at a time: decoding a 60 MB stream of `q Q` at once
        // built 30 million operations before the budget was ever checked.
        for chunk in OpChunks::new(content) {
            let ops = match Content::decode(chunk) {
                Ok(c) => c.operations,
                Err(_) => return,
            };
            for op in &ops {
                self.ops += 1;
                if self.ops > self.budget {
                    self.out.budget_exhausted = true;
                    return;
                }
                self.artifact = artifact_depth.last().copied().unwrap_or(false);
                let a = &op.operands;
                let f = |i: usize| a.get(i).and_then(num).unwrap_or(0.0);
                match op.operator.as_str() {
                    "q" if stack.len() < 256 => stack.push(gs.clone()),
                    "Q" => {
                        if let Some(s) = stack.pop() {
                            gs = s;
                        }
                    }
                    "cm" if a.len() >= 6 => {
                        let m = [f(0), f(1), f(2), f(3), f(4), f(5)];
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                    "BT" => {
                        tm = IDENTITY;
                        tlm = IDENTITY;
                    }
                    "Tf" => {
                        gs.size = f(1);
                        gs.font = a
                            .first()
                            .and_then(|o| o.as_name().ok())
                            .and_then(|n| self.load_font(resources, n));
                    }
                    "Tc" => gs.tc = f(0),
                    "Tw" => gs.tw = f(0),
                    "Tz" => gs.tz = f(0) / 100.0,
                    "TL" => gs.tl = f(0),
                    "Ts" => gs.rise = f(0),
                    "Tr" => gs.tr = f(0) as i64,
                    "Td" => {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                        tm = tlm;
                    }
                    "TD" => {
                        gs.tl = -f(1);
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                        tm = tlm;
                    }
                    "Tm" if a.len() >= 6 => {
                        tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                        tm = tlm;
                    }
                    "T*" => {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    "Tj" => {
                        if let Some(Object::String(s, _)) = a.first() {
                            self.show(&gs, &mut tm, s);
                        }
                    }
                    "'" | "\"" => {
                        if op.operator == "\"" {
                            gs.tw = f(0);
                            gs.tc = f(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                        if let Some(Object::String(s, _)) = a.last() {
                            self.show(&gs, &mut tm, s);
                        }
                    }
                    "TJ" => {
                        if let Some(Object::Array(items)) = a.first() {
                            for it in items {
                                match it {
                                    Object::String(s, _) => self.show(&gs, &mut tm, s),
                                    o => {
                                        if let Some(adj) = num(o) {
                                            let vertical =
                                                gs.font.as_ref().is_some_and(|f| f.vertical);
                                            let d = -adj / 1000.0 * gs.size;
                                            if vertical {
                                                tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -d], &tm);
                                            } else {
                                                tm =
                                                    mul(&[1.0, 0.0, 0.0, 1.0, d * gs.tz, 0.0], &tm);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    "BMC" | "BDC" => {
                        let is_art = a.first().and_then(|o| o.as_name().ok()) == Some(b"Artifact");
                        let parent = artifact_depth.last().copied().unwrap_or(false);
                        artifact_depth.push(is_art || parent);
                    }
                    "EMC" => {
                        artifact_depth.pop();
                    }
                    "Do" => {
                        if let Some(name) = a.first().and_then(|o| o.as_name().ok()) {
                            self.xobject(resources, name, &gs, depth);
                        }
                    }
                    "BI" | "EI" => {}
                    "m" => {
                        let p = apply(&gs.ctm, f(0), f(1));
                        path_start = Some(p);
                        cur = Some(p);
                    }
                    "l" => {
                        let p = apply(&gs.ctm, f(0), f(1));
                        if let Some(c) = cur {
                            pending.push(self.seg(c, p));
                        }
                        cur = Some(p);
                    }
                    "h" => {
                        if let (Some(c), Some(s)) = (cur, path_start) {
                            pending.push(self.seg(c, s));
                            cur = Some(s);
                        }
                    }
                    "re" => {
                        let (x, y, w, h) = (f(0), f(1), f(2), f(3));
                        let p0 = apply(&gs.ctm, x, y);
                        let p1 = apply(&gs.ctm, x + w, y);
                        let p2 = apply(&gs.ctm, x + w, y + h);
                        let p3 = apply(&gs.ctm, x, y + h);
                        // A thin filled rectangle is a ruling line; a cell
                        // background contributes its four edges.
                        pending.push(self.seg(p0, p1));
                        pending.push(self.seg(p1, p2));
                        pending.push(self.seg(p2, p3));
                        pending.push(self.seg(p3, p0));
                        path_start = Some(p0);
                        cur = Some(p0);
                    }
                    "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                        if self.out.segments.len() < 50_000 {
                            self.out.segments.append(&mut pending);
                        }
                        pending.clear();
                        cur = None;
                    }
                    "n" => {
                        pending.clear();
                        cur = None;
                    }
                    _ => {}
                }
                if pending.len() > MAX_PENDING_SEGMENTS {
                    pending.clear();
                }
            }
        }
    }

    fn seg(&self, a: (f32, f32), b: (f32, f32)) -> Segment {
        let (x0, y0) = self.to_page(a.0, a.1);
        let (x1, y1) = self.to_page(b.0, b.1);
        Segment { x0, y0, x1, y1 }
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        let mut chars: Vec<Char> = Vec::new();
        font.decode(bytes, &mut chars);
        let vertical = font.vertical;
        for ch in chars {
            let w0 = ch.width / 1000.0;
            let trm = mul(
                &[gs.size * gs.tz, 0.0, 0.0, gs.size, 0.0, gs.rise],
                &mul(tm, &gs.ctm),
            );
            // Glyph box in glyph space.
            let (bx0, by0, bx1, by1) = if vertical {
                (-0.5, -1.0, 0.5, 0.0)
            } else {
                (0.0, font.metrics.1, w0.max(0.0), font.metrics.0)
            };
            let pts = [
                apply(&trm, bx0, by0),
                apply(&trm, bx1, by0),
                apply(&trm, bx0, by1),
                apply(&trm, bx1, by1),
            ];
            let base = {
                let (ox, oy) = apply(&trm, 0.0, 0.0);
                self.to_page(ox, oy).1
            };
            let mut x0 = f32::MAX;
            let mut y0 = f32::MAX;
            let mut x1 = f32::MIN;
            let mut y1 = f32::MIN;
            for (x, y) in pts {
                let (px, py) = self.to_page(x, y);
                x0 = x0.min(px);
                x1 = x1.max(px);
                y0 = y0.min(py);
                y1 = y1.max(py);
            }
            let size = {
                let (ax, ay) = (trm[2], trm[3]);
                (ax * ax + ay * ay).sqrt()
            };
            if ch.text.is_empty() && !ch.invisible {
                self.out.unmapped += 1;
            }
            if self.record && gs.tr != 3 && gs.tr != 7 && self.out.shapes.len() < MAX_SHAPES {
                let page = [1.0, 0.0, 0.0, -1.0, -self.origin.0, self.page_h];
                let m = if vertical {
                    // Vertical glyphs hang from their origin, centred on it.
                    mul(&[1.0, 0.0, 0.0, 1.0, -w0 / 2.0, -0.88], &trm)
                } else {
                    trm
                };
                let m = mul(&m, &page);
                if m.iter().all(|v| v.is_finite()) {
                    self.out.shapes.push(Shape {
                        font: font.clone(),
                        code: ch.code,
                        m,
                    });
                }
            }
            if x0.is_finite()
                && y0.is_finite()
                && x1.is_finite()
                && y1.is_finite()
                && !ch.text.is_empty()
            {
                self.out.glyphs.push(Glyph {
                    text: ch.text,
                    x0,
                    y0,
                    x1,
                    y1,
                    base,
                    size,
                    vertical,
                    artifact: self.artifact,
                });
            }
            let spacing = gs.tc + if ch.is_space_code { gs.tw } else { 0.0 };
            if vertical {
                let ty = w0.max(1.0) * gs.size + spacing;
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -ty], tm);
            } else {
                let tx = (w0 * gs.size + spacing) * gs.tz;
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
            }
        }
    }

    fn xobject(&mut self, resources: Option<&Dictionary>, name: &[u8], gs: &GState, depth: usize) {
        let doc = self.doc;
        let Some(res) = resources else { return };
        let Some(xobjs) = get_dict(doc, res, b"XObject") else {
            return;
        };
        let Ok(raw) = xobjs.get(name) else { return };
        let id = raw.as_reference().ok();
        let Object::Stream(stream) = deref(doc, raw) else {
            return;
        };
        let d = &stream.dict;
        match get_name(doc, d, b"Subtype") {
            Some(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    return;
                }
                if let Some(id) = id {
                    if self.forms_seen.contains(&id) {
                        return;
                    }
                    self.forms_seen.push(id);
                }
                let mut inner = gs.clone();
                if let Some(m) = get_array(doc, d, b"Matrix") {
                    let m = numbers(m);
                    if m.len() >= 6 {
                        inner.ctm = mul(&[m[0], m[1], m[2], m[3], m[4], m[5]], &gs.ctm);
                    }
                }
                let form_res = get_dict(doc, d, b"Resources").or(Some(res));
                if let Some(data) = stream_bytes(doc, &Object::Stream(stream.clone())) {
                    self.run(&data, form_res, inner, depth + 1);
                }
                if id.is_some() {
                    self.forms_seen.pop();
                }
            }
            Some(b"Image") => {
                let format = image_format(doc, d);
                let pts = [
                    apply(&gs.ctm, 0.0, 0.0),
                    apply(&gs.ctm, 1.0, 1.0),
                    apply(&gs.ctm, 0.0, 1.0),
                    apply(&gs.ctm, 1.0, 0.0),
                ];
                let mut bb = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
                for (x, y) in pts {
                    let (px, py) = self.to_page(x, y);
                    bb[0] = bb[0].min(px);
                    bb[1] = bb[1].min(py);
                    bb[2] = bb[2].max(px);
                    bb[3] = bb[3].max(py);
                }
                if self.out.images.len() < 1000 {
                    self.out.images.push(PageImage {
                        name: String::from_utf8_lossy(name).into_owned(),
                        object: id,
                        format,
                        width: get_num(doc, d, b"Width").map(|w| w.max(0.0) as u32),
                        height: get_num(doc, d, b"Height").map(|w| w.max(0.0) as u32),
                        bbox: bb,
                    });
                }
            }
            _ => {}
        }
    }
}

/// The image's storage format from its last filter.
fn image_format(doc: &PdfDoc, d: &Dictionary) -> String {
    let filter = match get(doc, d, b"Filter") {
        Some(Object::Name(n)) => Some(n.clone()),
        Some(Object::Array(a)) => a
            .last()
            .and_then(|o| deref(doc, o).as_name().ok())
            .map(|n| n.to_vec()),
        _ => None,
    };
    match filter.as_deref() {
        Some(b"DCTDecode") => "jpeg",
        Some(b"JPXDecode") => "jpx",
        Some(b"CCITTFaxDecode") => "ccitt",
        Some(b"JBIG2Decode") => "jbig2",
        Some(b"FlateDecode") => "flate",
        Some(b"LZWDecode") => "lzw",
        Some(b"RunLengthDecode") => "runlength",
        Some(_) => "other",
        None => "raw",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops_of(b: &[u8]) -> Vec<String> {
        Content::decode(b)
            .map(|c| c.operations.iter().map(|o| format!("{o:?}")).collect())
            .unwrap_or_default()
    }

    #[test]
    fn chunks_cut_only_after_operators() {
        let stream: &[u8] =
            b"q 1 0 0 1 10 20 cm BT /F1 12 Tf (a \\) Q (b) c) Tj [(x) 5 (y)] TJ ET \
% comment Q q\n<< /MCID 3 >> BDC <414243> Tj EMC BI /W 2 /H 1 ID \x00Q\xffq EI Q";
        let whole = ops_of(stream);
        assert!(whole.len() > 8, "{whole:?}");
        // Cutting after every operator must give the same operations.
        let mut pieces = Vec::new();
        let mut rest = stream;
        while !rest.is_empty() {
            let cut = next_cut(rest, 1);
            assert!(cut > 0);
            pieces.extend(ops_of(&rest[..cut]));
            rest = &rest[cut..];
        }
        assert_eq!(pieces, whole);
    }
}
