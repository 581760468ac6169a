//! PDF text layer: lopdf's object model (parse.rs), our own content-stream
//! interpreter for positioned glyphs (content.rs), font decoding (font.rs,
//! cmap.rs, cid_unicode.rs), lines and reading order (layout.rs), ruled
//! tables (tables.rs) and garbled-page detection (garbled.rs), assembled
//! here into the document model. Pages without usable text are listed in
//! `Document::needs_ocr` with their images.

mod cid_unicode;
mod cmap;
mod content;
mod font;
mod garbled;
mod layout;
mod parse;
mod tables;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Document as PdfDoc, Object};

use super::ExtractError;
use crate::model::{
    Block, Cell, CellValue, Document, FileKind, ImageRef, Paragraph, Region, Table,
};
use content::{FontCache, Interp, PageContent};
use layout::Line;
use parse::{get, get_dict, inherited, numbers, stream_bytes};

/// Most pages read from one file.
const MAX_PAGES: usize = 5000;

/// Reads a PDF's text layer into the document model.
pub fn extract(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let pdf = parse::load(bytes)?;
    let mut doc = Document::new(source, FileKind::Pdf);
    doc.title = title(&pdf);
    let pages = pdf.get_pages();
    doc.pages = Some(pages.len() as u32);
    let mut fonts = FontCache::default();
    let mut per_page: Vec<(u32, Vec<Block>)> = Vec::new();
    for (&no, &id) in pages.iter().take(MAX_PAGES) {
        let Ok(page) = pdf.get_dictionary(id) else {
            doc.warnings
                .push(format!("page {no}: unreadable page object"));
            doc.needs_ocr.push(no);
            continue;
        };
        // A bug of ours on one page must not lose the others.
        let read = catch_unwind(AssertUnwindSafe(|| read_page(&pdf, page, &mut fonts)));
        let (pc, page_w) = match read {
            Ok(r) => r,
            Err(_) => {
                doc.warnings
                    .push(format!("page {no}: internal error while reading"));
                doc.needs_ocr.push(no);
                continue;
            }
        };
        if pc.budget_exhausted {
            doc.warnings
                .push(format!("page {no}: content too long, read in part"));
        }
        let blocks = page_blocks(&pc, no, page_w);
        let text: String = blocks.iter().map(block_text).collect::<Vec<_>>().join("\n");
        if let Some(why) = garbled::verdict(&text, pc.unmapped) {
            doc.warnings.push(format!(
                "page {no}: text layer garbled ({why}), sent to OCR"
            ));
            doc.needs_ocr.push(no);
            add_images(&mut doc, no, &pc);
            continue;
        }
        if text.trim().is_empty() {
            doc.needs_ocr.push(no);
            add_images(&mut doc, no, &pc);
            continue;
        }
        per_page.push((no, blocks));
    }
    if pages.len() > MAX_PAGES {
        doc.warnings
            .push(format!("only the first {MAX_PAGES} pages were read"));
    }
    mark_running_heads(&mut per_page);
    let (mut pi, mut ti) = (0, 0);
    for (_, blocks) in per_page {
        let mut first_body = true;
        for mut b in blocks {
            let body = match &b {
                Block::Paragraph(p) => p.region == Region::Body,
                Block::Table(t) => t.region == Region::Body,
            };
            // A table broken by a page break continues the previous page's
            // last table when its columns line up, as in the DOCX original.
            if body
                && std::mem::take(&mut first_body)
                && let Block::Table(t) = &b
                && let Some(Block::Table(prev)) = doc
                    .blocks
                    .iter_mut()
                    .rev()
                    .find(|x| !matches!(x, Block::Paragraph(p) if p.region != Region::Body))
                && prev.page.map(|p| p + 1) == t.page
                && same_columns(prev, t)
            {
                let off = prev.n_rows;
                for row in &t.rows {
                    prev.rows.push(
                        row.iter()
                            .cloned()
                            .map(|mut c| {
                                c.row += off;
                                c
                            })
                            .collect(),
                    );
                }
                prev.n_rows += t.n_rows;
                continue;
            }
            match &mut b {
                Block::Paragraph(p) => {
                    pi += 1;
                    p.index = pi;
                }
                Block::Table(t) => {
                    ti += 1;
                    t.index = ti;
                }
            }
            doc.blocks.push(b);
        }
    }
    Ok(doc)
}

/// Column boundaries of a table, from its cells' boxes.
fn column_edges(t: &Table) -> Vec<f32> {
    let mut xs: Vec<f32> = t
        .cells()
        .filter_map(|c| c.bbox)
        .flat_map(|b| [b[0], b[2]])
        .collect();
    xs.sort_by(f32::total_cmp);
    xs.dedup_by(|a, b| (*a - *b).abs() < 2.0);
    xs
}

fn same_columns(a: &Table, b: &Table) -> bool {
    let (ea, eb) = (column_edges(a), column_edges(b));
    a.n_cols == b.n_cols
        && ea.len() == eb.len()
        && ea.iter().zip(&eb).all(|(x, y)| (x - y).abs() < 2.0)
}

fn title(pdf: &PdfDoc) -> Option<String> {
    let info = match pdf.trailer.get(b"Info").ok().map(|o| parse::deref(pdf, o)) {
        Some(Object::Dictionary(d)) => d,
        _ => return None,
    };
    match get(pdf, info, b"Title")? {
        Object::String(s, _) => {
            let t =
                lopdf::decode_text_string(&Object::String(s.clone(), lopdf::StringFormat::Literal))
                    .ok()?;
            let t = t.trim().to_string();
            (!t.is_empty()).then_some(t)
        }
        _ => None,
    }
}

fn read_page(pdf: &PdfDoc, page: &lopdf::Dictionary, fonts: &mut FontCache) -> (PageContent, f32) {
    let mb = inherited(pdf, page, b"CropBox")
        .or_else(|| inherited(pdf, page, b"MediaBox"))
        .and_then(|o| match o {
            Object::Array(a) => Some(numbers(a)),
            _ => None,
        })
        .filter(|v| v.len() >= 4)
        .map(|v| {
            [
                v[0].min(v[2]),
                v[1].min(v[3]),
                v[0].max(v[2]),
                v[1].max(v[3]),
            ]
        })
        .unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let resources = match inherited(pdf, page, b"Resources") {
        Some(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let mut content = Vec::new();
    match page.get(b"Contents").ok().map(|o| parse::deref(pdf, o)) {
        Some(Object::Array(parts)) => {
            for p in parts {
                if let Some(d) = stream_bytes(pdf, p) {
                    content.extend_from_slice(&d);
                    content.push(b'\n');
                }
            }
        }
        Some(o @ Object::Stream(_)) => {
            if let Some(d) = stream_bytes(pdf, o) {
                content = d;
            }
        }
        _ => {}
    }
    let mut interp = Interp::new(pdf, fonts, mb);
    interp.run_page(&content, resources);
    // Form field values and other annotations show through their
    // appearance streams (hidden ones excepted).
    if let Some(Object::Array(annots)) = get(pdf, page, b"Annots") {
        for a in annots.iter().take(2000) {
            let Object::Dictionary(ad) = parse::deref(pdf, a) else {
                continue;
            };
            let flags = get(pdf, ad, b"F").and_then(parse::num).unwrap_or(0.0) as u32;
            let sub = parse::get_name(pdf, ad, b"Subtype").unwrap_or(b"");
            if flags & 2 != 0 || sub == b"Popup" || sub == b"Link" {
                continue;
            }
            let Some(rect) = get(pdf, ad, b"Rect").and_then(|o| match o {
                Object::Array(r) => Some(numbers(r)),
                _ => None,
            }) else {
                continue;
            };
            if rect.len() < 4 {
                continue;
            }
            let Some(ap) = get_dict(pdf, ad, b"AP") else {
                continue;
            };
            let normal = match get(pdf, ap, b"N") {
                Some(Object::Stream(s)) => Some(s),
                Some(Object::Dictionary(states)) => parse::get_name(pdf, ad, b"AS")
                    .and_then(|st| get(pdf, states, st))
                    .and_then(|o| match o {
                        Object::Stream(s) => Some(s),
                        _ => None,
                    }),
                _ => None,
            };
            if let Some(s) = normal {
                interp.run_appearance(s, [rect[0], rect[1], rect[2], rect[3]]);
            }
        }
    }
    (interp.finish(), mb[2] - mb[0])
}

fn add_images(doc: &mut Document, no: u32, pc: &PageContent) {
    for im in &pc.images {
        doc.images.push(ImageRef {
            page: Some(no),
            name: format!("page {no}, XObject {}", im.name),
            format: im.format.clone(),
            width: im.width,
            height: im.height,
            bbox: Some(im.bbox),
        });
    }
}

fn block_text(b: &Block) -> String {
    match b {
        Block::Paragraph(p) => p.text.clone(),
        Block::Table(t) => t
            .cells()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// One page's blocks in reading order: ruled tables and lines.
fn page_blocks(pc: &PageContent, no: u32, _page_w: f32) -> Vec<Block> {
    let grids = tables::detect(&pc.segments);
    let (cells, mut rest_glyphs) = tables::route(&grids, pc.glyphs.clone());
    let mut tables_out: Vec<Table> = Vec::new();
    for (grid, cell_glyphs) in grids.iter().zip(cells) {
        // A box around one value, or a frame with at most one filled
        // cell, reads as running text, not as a table.
        let filled = cell_glyphs.iter().filter(|g| !g.is_empty()).count();
        // Drawing frames (title blocks, borders) are mostly empty boxes.
        if grid.cells.len() < 2 || filled < 2 || filled * 4 < grid.cells.len() {
            rest_glyphs.extend(cell_glyphs.into_iter().flatten());
            continue;
        }
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); grid.n_rows];
        for (gc, gl) in grid.cells.iter().zip(cell_glyphs) {
            let ls = layout::reading_order(layout::lines(&gl));
            // Inner left padding, assumed equal on the right.
            let pad = ls
                .iter()
                .map(|l| l.bbox[0] - gc.bbox[0])
                .fold(f32::MAX, f32::min)
                .clamp(0.0, 20.0);
            let ls = layout::join_wrapped(ls, gc.bbox[0] + pad, gc.bbox[2] - pad);
            let text = ls
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            rows[gc.row].push(Cell {
                row: gc.row,
                col: gc.col,
                row_span: gc.row_span,
                col_span: gc.col_span,
                value: if text.is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Text(text.clone())
                },
                text,
                bbox: Some(gc.bbox),
            });
        }
        tables_out.push(Table {
            index: 0,
            sheet: None,
            page: Some(no),
            region: Region::Body,
            parent: None,
            n_rows: grid.n_rows,
            n_cols: grid.n_cols,
            rows,
            bbox: Some(grid.bbox),
        });
    }
    let (vert, blocks) = layout::split_blocks(layout::lines(&rest_glyphs));
    enum Item {
        Lines(Vec<Line>),
        Table(Table),
    }
    let mut items: Vec<([f32; 4], Item)> = blocks
        .into_iter()
        .map(|(b, ls)| (b, Item::Lines(ls)))
        .collect();
    for t in tables_out {
        items.push((t.bbox.unwrap_or_default(), Item::Table(t)));
    }
    let boxes: Vec<[f32; 4]> = items.iter().map(|i| i.0).collect();
    let mut items: Vec<Option<Item>> = items.into_iter().map(|i| Some(i.1)).collect();
    let mut out = Vec::new();
    for i in layout::order(&boxes) {
        match items[i].take() {
            Some(Item::Lines(ls)) => {
                let ls = layout::join_wrapped(ls, boxes[i][0], boxes[i][2]);
                out.extend(
                    ls.into_iter()
                        .map(|l| Block::Paragraph(line_paragraph(l, no))),
                );
            }
            Some(Item::Table(t)) => out.push(Block::Table(t)),
            None => {}
        }
    }
    out.extend(
        vert.into_iter()
            .map(|l| Block::Paragraph(line_paragraph(l, no))),
    );
    out
}

fn line_paragraph(l: Line, no: u32) -> Paragraph {
    Paragraph {
        text: l.text,
        index: 0,
        region: if l.artifact {
            Region::Header
        } else {
            Region::Body
        },
        page: Some(no),
        bbox: Some(l.bbox),
        style: None,
    }
}

/// Marks running heads and page numbers: a line at the top or bottom of a
/// page whose text (digits ignored) repeats on at least half of the pages,
/// or a bare page number at the bottom.
fn mark_running_heads(pages: &mut [(u32, Vec<Block>)]) {
    if pages.len() < 2 {
        return;
    }
    let key = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect::<String>()
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, blocks) in pages.iter() {
        let n = blocks.len();
        for (i, b) in blocks.iter().enumerate() {
            if let Block::Paragraph(p) = b
                && (i < 2 || i + 2 >= n)
            {
                *counts.entry(key(&p.text)).or_default() += 1;
            }
        }
    }
    let half = pages.len().div_ceil(2).max(2);
    for (_, blocks) in pages.iter_mut() {
        let n = blocks.len();
        for (i, b) in blocks.iter_mut().enumerate() {
            if let Block::Paragraph(p) = b {
                let k = key(&p.text);
                let is_num = k.chars().all(|c| "-—第页/Pageof ".contains(c))
                    && p.text.chars().any(|c| c.is_ascii_digit());
                if i < 2 && counts.get(&k).copied().unwrap_or(0) >= half && !k.is_empty() {
                    p.region = Region::Header;
                } else if i + 2 >= n
                    && ((counts.get(&k).copied().unwrap_or(0) >= half && !k.is_empty())
                        || (is_num && i + 1 == n))
                {
                    p.region = Region::Footer;
                }
            }
        }
    }
}
