//! Drawing a page's glyphs for OCR, when its text layer cannot be decoded
//! (embedded fonts with no `cmap` and a missing or wrong ToUnicode: the
//! codes name glyphs, not characters, and only their shapes say which).
//!
//! Why our own drawing rather than a PDF renderer crate: the content
//! interpreter (content.rs) already yields every glyph with its font, code
//! and full text/CTM matrix, and ttf-parser (already used for `cmap`
//! fallbacks) outlines TrueType, OpenType and bare CFF programs; filling
//! those outlines with `ab_glyph_rasterizer` (no dependencies, already in
//! the lock file) is all that is missing. A full renderer would add a large
//! dependency tree to draw images, paths and shadings that OCR of an
//! unreadable text layer does not need (images are drawn by scan.rs).
//! Only pages flagged for OCR are drawn, only their visible glyphs
//! (render modes 3 and 7 skipped), in black. Type 1 (FontFile) programs
//! and non-embedded fonts are not drawn.

use std::collections::HashMap;
use std::sync::Arc;

use ab_glyph_rasterizer::{Rasterizer, point};
use image::RgbImage;
use ttf_parser::{GlyphId, OutlineBuilder, RawFace, Tag, cff, cmap, glyf, head, loca, maxp};

use super::content::{Matrix, Shape};
use super::font::{Font, GlyphRef, ProgramKind};

/// Pixels per em tesseract reads CJK best at: measured on the corpus'
/// drawn pages (18–20 pt text misreads 寄/安 at 300 dpi, ≈ 75 px an em,
/// and reads right at 150 dpi, ≈ 40 px).
const EM_PX: f32 = 40.0;
/// The resolution range the OCR stage takes as is (it rescales outside).
const MIN_DPI: f32 = 150.0;
const MAX_DPI: f32 = 400.0;
/// A glyph box larger than this (pixels a side) is not text: skipped.
const MAX_GLYPH_PX: f32 = 3000.0;

/// The resolution to draw these glyphs at: the median em at [`EM_PX`].
pub fn dpi_for(shapes: &[Shape]) -> f32 {
    let mut sizes: Vec<f32> = shapes
        .iter()
        .map(|s| (s.m[2] * s.m[2] + s.m[3] * s.m[3]).sqrt())
        .filter(|s| s.is_finite() && *s > 0.5)
        .collect();
    if sizes.is_empty() {
        return 300.0;
    }
    let mid = sizes.len() / 2;
    let median = *sizes.select_nth_unstable_by(mid, f32::total_cmp).1;
    (EM_PX * 72.0 / median).clamp(MIN_DPI, MAX_DPI)
}

/// The OCR language the page's fonts call for (most glyphs win), if any
/// font says.
pub fn page_lang(shapes: &[Shape]) -> Option<&'static str> {
    let mut votes: HashMap<&'static str, usize> = HashMap::new();
    for s in shapes {
        if let Some(l) = s.font.lang {
            *votes.entry(l).or_default() += 1;
        }
    }
    votes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|v| v.0)
}

/// Draws the glyphs in black onto `canvas` (darkest wins), `scale` pixels
/// per point. Returns how many glyphs were drawn.
pub fn draw(canvas: &mut RgbImage, shapes: &[Shape], scale: f32) -> usize {
    let mut outlines: HashMap<(*const Font, u32), Option<Arc<Outline>>> = HashMap::new();
    let mut raster = Rasterizer::new(0, 0);
    let mut drawn = 0;
    let (cw, ch) = canvas.dimensions();
    for s in shapes {
        let key = Arc::as_ptr(&s.font);
        let outline = outlines
            .entry((key, s.code))
            .or_insert_with(|| outline_of(&s.font, s.code).map(Arc::new))
            .clone();
        let Some(outline) = outline else { continue };
        // Font units → ems → page points → pixels.
        let u = outline.units;
        let m = s.m;
        let to_px = |x: f32, y: f32| {
            let (ex, ey) = (u[0] * x + u[2] * y + u[4], u[1] * x + u[3] * y + u[5]);
            (
                (m[0] * ex + m[2] * ey + m[4]) * scale,
                (m[1] * ex + m[3] * ey + m[5]) * scale,
            )
        };
        let pts: Vec<(f32, f32)> = outline.points.iter().map(|p| to_px(p.0, p.1)).collect();
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in &pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite())
            || x1 - x0 > MAX_GLYPH_PX
            || y1 - y0 > MAX_GLYPH_PX
            || x1 < 0.0
            || y1 < 0.0
            || x0 >= cw as f32
            || y0 >= ch as f32
        {
            continue;
        }
        let (ox, oy) = (x0.floor(), y0.floor());
        let (gw, gh) = ((x1 - ox).ceil() as usize + 1, (y1 - oy).ceil() as usize + 1);
        raster.reset(gw, gh);
        let p = |i: usize| {
            let (x, y) = pts[i];
            point(x - ox, y - oy)
        };
        for seg in &outline.segments {
            match *seg {
                Seg::Line(a, b) => raster.draw_line(p(a), p(b)),
                Seg::Quad(a, b, c) => raster.draw_quad(p(a), p(b), p(c)),
                Seg::Cubic(a, b, c, d) => raster.draw_cubic(p(a), p(b), p(c), p(d)),
            }
        }
        let (ox, oy) = (ox as i64, oy as i64);
        raster.for_each_pixel_2d(|x, y, v| {
            let ink: f32 = v.abs().min(1.0);
            if ink <= 0.0 {
                return;
            }
            let (px, py) = (ox + i64::from(x), oy + i64::from(y));
            if px < 0 || py < 0 || px >= i64::from(cw) || py >= i64::from(ch) {
                return;
            }
            // Stem darkening: unhinted strokes a pixel or two wide come out
            // grey and break up when tesseract binarizes; squaring the
            // lightness keeps their weight (the corpus' drawn pages read
            // right at 130–200 dpi this way; linear coverage misread 國/寄/安).
            let light = 1.0 - ink;
            let level = (255.0 * light * light).round() as u8;
            let c = canvas.get_pixel_mut(px as u32, py as u32);
            for k in 0..3 {
                c.0[k] = c.0[k].min(level);
            }
        });
        drawn += 1;
    }
    drawn
}

/// A glyph's outline in font units, as point indexes into `points`.
struct Outline {
    points: Vec<(f32, f32)>,
    segments: Vec<Seg>,
    /// Font units → ems (the font matrix).
    units: Matrix,
}

enum Seg {
    Line(usize, usize),
    Quad(usize, usize, usize),
    Cubic(usize, usize, usize, usize),
}

#[derive(Default)]
struct Builder {
    points: Vec<(f32, f32)>,
    segments: Vec<Seg>,
    start: usize,
    cur: usize,
}

impl Builder {
    fn push(&mut self, x: f32, y: f32) -> usize {
        self.points.push((x, y));
        self.points.len() - 1
    }
    /// Contours must be closed for coverage to accumulate right.
    fn close_open(&mut self) {
        if !self.points.is_empty() && self.cur != self.start {
            let (a, b) = (self.points[self.cur], self.points[self.start]);
            if a != b {
                self.segments.push(Seg::Line(self.cur, self.start));
            }
        }
        self.cur = self.start;
    }
}

impl OutlineBuilder for Builder {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close_open();
        self.start = self.push(x, y);
        self.cur = self.start;
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let i = self.push(x, y);
        self.segments.push(Seg::Line(self.cur, i));
        self.cur = i;
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let c = self.push(x1, y1);
        let i = self.push(x, y);
        self.segments.push(Seg::Quad(self.cur, c, i));
        self.cur = i;
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let c1 = self.push(x1, y1);
        let c2 = self.push(x2, y2);
        let i = self.push(x, y);
        self.segments.push(Seg::Cubic(self.cur, c1, c2, i));
        self.cur = i;
    }
    fn close(&mut self) {
        self.close_open();
    }
}

/// A glyph's outline from the font's embedded program: TrueType `glyf`
/// or CFF charstrings (bare, or inside OpenType); a simple font's code
/// finds its glyph by name, the program's own encoding or its `cmap`.
fn outline_of(font: &Font, code: u32) -> Option<Outline> {
    let (data, kind) = font.program()?;
    let glyph = font.glyph(code);
    if kind == ProgramKind::Type1 {
        return type1_outline(font, data, &glyph);
    }
    let raw = RawFace::parse(data, 0).ok();
    let table = |t: &[u8; 4]| raw.as_ref().and_then(|r| r.table(Tag::from_bytes(t)));
    let cff_data = table(b"CFF ").or(match raw {
        None if kind == ProgramKind::Cff => Some(data),
        _ => None,
    });
    let cmap = table(b"cmap").and_then(cmap::Table::parse);
    if let Some(glyf_data) = table(b"glyf") {
        let head = head::Table::parse(table(b"head")?)?;
        let n = maxp::Table::parse(table(b"maxp")?)?.number_of_glyphs;
        let loca = loca::Table::parse(n, head.index_to_location_format, table(b"loca")?)?;
        let glyf = glyf::Table::parse(loca, glyf_data)?;
        let gid = match &glyph {
            GlyphRef::Gid(g) | GlyphRef::Cid(g) => GlyphId(*g),
            GlyphRef::Code {
                code,
                unicode,
                symbolic,
                ..
            } => simple_gid(cmap.as_ref(), *code, *unicode, *symbolic)?,
        };
        let mut b = Builder::default();
        glyf.outline(gid, &mut b)?;
        b.close_open();
        let upem = f32::from(head.units_per_em.max(16));
        return Some(Outline {
            points: b.points,
            segments: b.segments,
            units: [1.0 / upem, 0.0, 0.0, 1.0 / upem, 0.0, 0.0],
        });
    }
    let cff = cff::Table::parse(cff_data?)?;
    let gid = match &glyph {
        GlyphRef::Gid(g) => GlyphId(*g),
        GlyphRef::Cid(c) => {
            // CID-keyed: the charset maps glyphs to CIDs.
            match cff.glyph_cid(GlyphId(0)) {
                Some(_) => (0..cff.number_of_glyphs())
                    .map(GlyphId)
                    .find(|g| cff.glyph_cid(*g) == Some(*c))?,
                None => GlyphId(*c),
            }
        }
        GlyphRef::Code {
            code,
            name,
            unicode,
            symbolic,
        } => name
            .as_deref()
            .and_then(|n| cff.glyph_index_by_name(n))
            .or_else(|| cff.glyph_index(*code))
            .or_else(|| simple_gid(cmap.as_ref(), *code, *unicode, *symbolic))?,
    };
    let mut b = Builder::default();
    cff.outline(gid, &mut b).ok()?;
    b.close_open();
    let m = cff.matrix();
    let units = if m.sx.abs() > 1e-6 && m.sy.abs() > 1e-6 {
        [m.sx, m.ky, m.kx, m.sy, m.tx, m.ty]
    } else {
        [0.001, 0.0, 0.0, 0.001, 0.0, 0.0]
    };
    Some(Outline {
        points: b.points,
        segments: b.segments,
        units,
    })
}

/// A Type 1 glyph by its /Differences name, else the program's own
/// encoding (the parsed program is kept by the font).
fn type1_outline(font: &Font, data: &[u8], glyph: &GlyphRef) -> Option<Outline> {
    let GlyphRef::Code { code, name, .. } = glyph else {
        return None;
    };
    let t = font.type1(|| super::type1::Type1::parse(data))?;
    let name = name.as_deref().or_else(|| t.name_of(*code))?;
    let mut b = Builder::default();
    if !t.outline(name, &mut b) {
        return None;
    }
    b.close_open();
    Some(Outline {
        points: b.points,
        segments: b.segments,
        units: t.matrix,
    })
}

/// A simple font's code → glyph id through the embedded `cmap` (PDF 32000
/// 9.6.6.4): symbolic fonts by (3,0) at F0xx or the code, then (1,0);
/// others by the character in (3,1), then (1,0).
fn simple_gid(
    cmap: Option<&cmap::Table>,
    code: u8,
    unicode: Option<char>,
    symbolic: bool,
) -> Option<GlyphId> {
    let cmap = cmap?;
    let sub = |p: u16, e: u16| {
        cmap.subtables
            .into_iter()
            .find(move |s| s.platform_id as u16 == p && s.encoding_id == e)
    };
    let look = |p: u16, e: u16, cp: u32| sub(p, e)?.glyph_index(cp).filter(|g| g.0 != 0);
    let c = u32::from(code);
    let by_unicode = || unicode.and_then(|u| look(3, 1, u32::from(u)));
    let by_symbol = || look(3, 0, 0xF000 + c).or_else(|| look(3, 0, c));
    let by_mac = || look(1, 0, c);
    if symbolic {
        by_symbol().or_else(by_mac).or_else(by_unicode)
    } else {
        by_unicode().or_else(by_mac).or_else(by_symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_closes_open_contours() {
        let mut b = Builder::default();
        b.move_to(0.0, 0.0);
        b.line_to(10.0, 0.0);
        b.line_to(10.0, 10.0);
        b.move_to(20.0, 20.0);
        b.line_to(30.0, 20.0);
        b.line_to(30.0, 30.0);
        b.close();
        // Two triangles: each has its closing edge.
        assert_eq!(b.segments.len(), 6);
    }
}
