//! PDF text layer: lopdf's object model (parse.rs), our own content-stream
//! interpreter for positioned glyphs (content.rs), font decoding (font.rs,
//! cmap.rs, cid_unicode.rs, unified.rs), lines and reading order (layout.rs), ruled
//! tables (tables.rs) and garbled-page detection (garbled.rs), assembled
//! here into the document model. Pages without usable text are listed in
//! `Document::needs_ocr` with their images; with OCR on, they are drawn
//! (images by scan.rs, vector glyphs by render.rs) and read by OCR.

mod cid_unicode;
mod cmap;
mod content;
mod font;
mod garbled;
mod layout;
mod parse;
mod render;
mod scan;
mod tables;
mod type1;
mod unified;

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
/// Content operators interpreted per document, all pages together.
const DOC_OP_BUDGET: usize = 60_000_000;

/// Reads a PDF's text layer into the document model; with `ocr`, pages
/// without a usable text layer are read by OCR from their images.
pub fn extract(bytes: &[u8], source: &str, ocr: bool) -> Result<Document, ExtractError> {
    let pdf = parse::load(bytes)?;
    let mut doc = Document::new(source, FileKind::Pdf);
    doc.title = title(&pdf);
    let pages = pdf.get_pages();
    doc.pages = Some(pages.len() as u32);
    let mut fonts = FontCache::default();
    let mut per_page: Vec<(u32, Vec<Block>, f32)> = Vec::new();
    let mut budget = DOC_OP_BUDGET;
    let mut scans: Vec<scan::ScanPage> = Vec::new();
    let mut seal_images: Vec<(u32, Vec<content::PageImage>)> = Vec::new();
    for (&no, &id) in pages.iter().take(MAX_PAGES) {
        let Ok(page) = pdf.get_dictionary(id) else {
            doc.warnings
                .push(format!("page {no}: unreadable page object"));
            doc.needs_ocr.push(no);
            continue;
        };
        // A bug of ours on one page must not lose the others.
        if budget == 0 {
            doc.warnings
                .push(format!("page {no}: not read, document content too long"));
            continue;
        }
        let read = catch_unwind(AssertUnwindSafe(|| {
            // Shapes recorded in the same pass (cheap): a page sent to OCR
            // is never decoded and interpreted a second time.
            read_page(&pdf, page, &mut fonts, budget, ocr)
        }));
        let (mut pc, (page_w, page_h), used) = match read {
            Ok(r) => r,
            Err(_) => {
                doc.warnings
                    .push(format!("page {no}: internal error while reading"));
                doc.needs_ocr.push(no);
                continue;
            }
        };
        budget = budget.saturating_sub(used);
        if pc.budget_exhausted {
            doc.warnings
                .push(format!("page {no}: content too long, read in part"));
        }
        let blocks = page_blocks(std::mem::take(&mut pc.glyphs), &pc.segments, no);
        let text: String = blocks.iter().map(block_text).collect::<Vec<_>>().join("\n");
        if let Some(why) = garbled::verdict(&text, pc.unmapped) {
            doc.warnings.push(format!(
                "page {no}: text layer garbled ({why}), sent to OCR"
            ));
            doc.needs_ocr.push(no);
            add_images(&mut doc, no, &pc);
            scans.push(scan::ScanPage {
                no,
                size: (page_w, page_h),
                images: std::mem::take(&mut pc.images),
                shapes: std::mem::take(&mut pc.shapes),
            });
            continue;
        }
        if text.trim().is_empty() {
            doc.needs_ocr.push(no);
            add_images(&mut doc, no, &pc);
            scans.push(scan::ScanPage {
                no,
                size: (page_w, page_h),
                images: std::mem::take(&mut pc.images),
                shapes: std::mem::take(&mut pc.shapes),
            });
            continue;
        }
        if ocr && !pc.images.is_empty() {
            seal_images.push((no, std::mem::take(&mut pc.images)));
        }
        per_page.push((no, blocks, page_h));
    }
    if pages.len() > MAX_PAGES {
        doc.warnings
            .push(format!("only the first {MAX_PAGES} pages were read"));
    }
    mark_running_heads(&mut per_page);
    let (mut pi, mut ti) = (0, 0);
    for (_, blocks, _) in per_page {
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
    if ocr {
        scan::ocr_pages(&pdf, &mut doc, scans);
        scan::seals_in_images(&pdf, &mut doc, &seal_images);
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

fn read_page(
    pdf: &PdfDoc,
    page: &lopdf::Dictionary,
    fonts: &mut FontCache,
    budget: usize,
    record_shapes: bool,
) -> (PageContent, (f32, f32), usize) {
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
                // All parts together stay under one stream's cap.
                if content.len() >= parse::MAX_STREAM {
                    break;
                }
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
    // Upright page space: origin at the box corner, /Rotate applied.
    let (w, h) = (mb[2] - mb[0], mb[3] - mb[1]);
    let rotate = inherited(pdf, page, b"Rotate")
        .and_then(parse::num)
        .map(|r| (r as i32).rem_euclid(360))
        .unwrap_or(0);
    let (rot, upright): ([f32; 6], [f32; 4]) = match rotate {
        90 => ([0.0, -1.0, 1.0, 0.0, 0.0, w], [0.0, 0.0, h, w]),
        180 => ([-1.0, 0.0, 0.0, -1.0, w, h], [0.0, 0.0, w, h]),
        270 => ([0.0, 1.0, -1.0, 0.0, h, 0.0], [0.0, 0.0, h, w]),
        _ => ([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, w, h]),
    };
    let shift = [1.0, 0.0, 0.0, 1.0, -mb[0], -mb[1]];
    let ctm = content::mul(&shift, &rot);
    let mut interp = Interp::new(pdf, fonts, upright, budget);
    if record_shapes {
        interp.record_shapes();
    }
    interp.run_page(&content, resources, ctm);
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
    let used = interp.ops();
    (interp.finish(), (upright[2], upright[3]), used)
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
fn page_blocks(glyphs: Vec<content::Glyph>, segments: &[content::Segment], no: u32) -> Vec<Block> {
    let mut grids = tables::detect(segments);
    let (mut cells, rest_glyphs) = tables::route(&grids, glyphs);
    // Borderless tables from the text the ruled ones left.
    let aligned = tables::aligned(&rest_glyphs);
    let (aligned_cells, mut rest_glyphs) = tables::route(&aligned, rest_glyphs);
    grids.extend(aligned);
    cells.extend(aligned_cells);
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
            let ls = layout::reading_order(layout::cell_lines(&gl));
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
    let blocks = layout::split_blocks(layout::lines(&rest_glyphs));
    enum Item {
        Lines(Vec<Line>),
        Table(Table),
    }
    // Items in the order blocks were grown (top down); a table joins
    // where its top is.
    let mut items: Vec<([f32; 4], f32, Item)> = blocks
        .into_iter()
        .map(|b| (b.bbox, b.size, Item::Lines(b.lines)))
        .collect();
    for t in tables_out {
        let bbox = t.bbox.unwrap_or_default();
        let at = items
            .iter()
            .position(|i| i.0[1] > bbox[1])
            .unwrap_or(items.len());
        items.insert(at, (bbox, 0.0, Item::Table(t)));
    }
    let boxes: Vec<[f32; 4]> = items.iter().map(|i| i.0).collect();
    let sizes: Vec<f32> = items.iter().map(|i| i.1).collect();
    let mut items: Vec<Option<Item>> = items.into_iter().map(|i| Some(i.2)).collect();
    let mut out = Vec::new();
    // Consecutive blocks that continue one another (a paragraph whose lines
    // stand further apart than a block allows) wrap as one: a flow.
    let mut flow: Vec<Line> = Vec::new();
    let mut fbox = [0.0f32; 4];
    let flush = |flow: &mut Vec<Line>, fbox: &[f32; 4], out: &mut Vec<Block>| {
        if flow.is_empty() {
            return;
        }
        // The text column the flow sits in: all blocks it overlaps
        // horizontally.
        let (l, r) = boxes
            .iter()
            .filter(|b| b[0] < fbox[2] && fbox[0] < b[2])
            .fold((f32::MAX, f32::MIN), |(l, r), b| (l.min(b[0]), r.max(b[2])));
        let ls = layout::join_wrapped(std::mem::take(flow), l, r);
        out.extend(
            ls.into_iter()
                .map(|l| Block::Paragraph(line_paragraph(l, no))),
        );
    };
    for i in layout::order(&boxes, &sizes) {
        match items[i].take() {
            Some(Item::Lines(ls)) => {
                let continues = match (flow.last(), ls.first()) {
                    (Some(p), Some(n)) => layout::continues(p, n),
                    _ => false,
                };
                if !continues {
                    flush(&mut flow, &fbox, &mut out);
                    fbox = boxes[i];
                }
                fbox = [
                    fbox[0].min(boxes[i][0]),
                    fbox[1].min(boxes[i][1]),
                    fbox[2].max(boxes[i][2]),
                    fbox[3].max(boxes[i][3]),
                ];
                flow.extend(ls);
            }
            Some(Item::Table(t)) => {
                flush(&mut flow, &fbox, &mut out);
                out.push(Block::Table(t));
            }
            None => {}
        }
    }
    flush(&mut flow, &fbox, &mut out);
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

/// Marks running heads and page numbers: a short line in the top or bottom
/// 9% of a page whose text (digits ignored) recurs there on at least half of
/// the pages, or a bare page number in the bottom margin.
fn mark_running_heads(pages: &mut [(u32, Vec<Block>, f32)]) {
    if pages.len() < 2 {
        return;
    }
    let key = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect::<String>()
    };
    // Which margin a paragraph sits in, if any.
    let margin = |p: &Paragraph, h: f32| match p.bbox {
        _ if p.text.chars().count() > 60 => None,
        Some(b) if h > 0.0 && b[3] <= 0.09 * h => Some(Region::Header),
        Some(b) if h > 0.0 && b[1] >= 0.91 * h => Some(Region::Footer),
        _ => None,
    };
    let mut counts: HashMap<(Region, String), usize> = HashMap::new();
    for (_, blocks, h) in pages.iter() {
        for b in blocks {
            if let Block::Paragraph(p) = b
                && let Some(m) = margin(p, *h)
            {
                *counts.entry((m, key(&p.text))).or_default() += 1;
            }
        }
    }
    let half = pages.len().div_ceil(2).max(2);
    for (_, blocks, h) in pages.iter_mut() {
        for b in blocks.iter_mut() {
            if let Block::Paragraph(p) = b
                && let Some(m) = margin(p, *h)
            {
                let k = key(&p.text);
                let repeated =
                    !k.is_empty() && counts.get(&(m, k.clone())).copied().unwrap_or(0) >= half;
                let page_no = k.chars().all(|c| "-—第页/Pageof()（）".contains(c))
                    && p.text.chars().any(|c| c.is_ascii_digit());
                if repeated || (page_no && m == Region::Footer) {
                    p.region = m;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
    use lopdf::{EncryptionState, EncryptionVersion, Permissions, Stream, dictionary};

    use super::*;

    /// A one-page PDF: Helvetica text at two lines and a ruled 2×2 table
    /// whose cells hold 姓名/张三 in a Type0 Identity-H font with ToUnicode.
    fn sample(rotate: Option<i64>) -> PdfDoc {
        // Content drawn so that it shows upright once the page is rotated.
        let cm: &[u8] = match rotate {
            Some(90) => b"q 0 1 -1 0 612 0 cm\n",
            Some(180) => b"q -1 0 0 -1 612 792 cm\n",
            Some(270) => b"q 0 -1 1 0 0 792 cm\n",
            _ => b"q\n",
        };
        let mut doc = PdfDoc::with_version("1.5");
        let pages_id = doc.new_object_id();
        let helv = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let tu = doc.add_object(Stream::new(
            dictionary! {},
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
              2 beginbfchar <0001> <59D3> <0002> <540D> endbfchar
              1 beginbfrange <0003> <0004> [<5F20> <4E09>] endbfrange"
                .to_vec(),
        ));
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 1000,
        });
        let t0 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()], "ToUnicode" => tu,
        });
        let content = b"BT /F1 12 Tf 72 720 Td (Hello World) Tj 0 -16 Td (Second line) Tj ET
            0.5 w 72 600 m 372 600 l S 72 620 m 372 620 l S 72 640 m 372 640 l S
            72 600 m 72 640 l S 222 600 m 222 640 l S 372 600 m 372 640 l S
            BT /F2 12 Tf 80 625 Td <00010002> Tj ET BT /F2 12 Tf 230 625 Td <00030004> Tj ET
            BT /F2 12 Tf 80 605 Td <0001> Tj ET BT /F2 12 Tf 230 605 Td <0002> Tj ET";
        let content = [cm, &content[..], b"\nQ"].concat();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        };
        if let Some(r) = rotate {
            page.set("Rotate", r);
        }
        let page_id = doc.add_object(page);
        // Fonts and MediaBox inherited from the Pages node.
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => helv, "F2" => t0 } },
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn bytes(mut doc: PdfDoc) -> Vec<u8> {
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn check(d: &Document) {
        let text = d.plain_text(false);
        assert!(text.starts_with("Hello World\nSecond line\n"), "{text}");
        let t = d.tables().next().expect("a table");
        assert_eq!((t.n_rows, t.n_cols), (2, 2));
        assert_eq!(t.cell_at(0, 0).unwrap().text, "姓名");
        assert_eq!(t.cell_at(0, 1).unwrap().text, "张三");
        assert_eq!(t.cell_at(1, 1).unwrap().text, "名");
        assert!(d.needs_ocr.is_empty());
    }

    #[test]
    fn running_heads_and_page_numbers_are_marked() {
        let para = |t: &str, y: f32| {
            Block::Paragraph(Paragraph {
                text: t.into(),
                bbox: Some([72.0, y, 300.0, y + 12.0]),
                ..Default::default()
            })
        };
        let mut pages: Vec<(u32, Vec<Block>, f32)> = (1..=3)
            .map(|n| {
                (
                    n,
                    vec![
                        para("山东省科技合作项目申报书", 40.0),
                        para(&format!("正文第{n}页的内容"), 100.0),
                        para("更多正文", 700.0),
                        para(&format!("- {n} -"), 800.0),
                        para(&"很长的重复正文".repeat(10), 20.0),
                    ],
                    842.0,
                )
            })
            .collect();
        mark_running_heads(&mut pages);
        let regions: Vec<Region> = pages[1]
            .1
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.region,
                Block::Table(t) => t.region,
            })
            .collect();
        assert_eq!(
            regions,
            [
                Region::Header,
                Region::Body,
                Region::Body,
                Region::Footer,
                Region::Body
            ]
        );
    }

    #[test]
    fn text_table_and_inherited_resources() {
        let d = extract(&bytes(sample(None)), "t.pdf", false).unwrap();
        check(&d);
        let p = d.paragraphs().next().unwrap();
        assert_eq!(p.page, Some(1));
        let bb = p.bbox.unwrap();
        assert!(bb[1] > 50.0 && bb[1] < 80.0, "{bb:?}");
    }

    #[test]
    fn rotated_page_reads_upright() {
        for r in [90, 180, 270] {
            check(&extract(&bytes(sample(Some(r))), "t.pdf", false).unwrap());
        }
    }

    fn encrypted(user: &str, which: u8) -> Vec<u8> {
        let mut doc = sample(None);
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        let key = [7u8; 32];
        let aes128: Arc<dyn CryptFilter> = Arc::new(Aes128CryptFilter);
        let aes256: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
        let version = match which {
            0 => EncryptionVersion::V2 {
                document: &doc,
                owner_password: "owner",
                user_password: user,
                key_length: 128,
                permissions: Permissions::all(),
            },
            1 => EncryptionVersion::V4 {
                document: &doc,
                encrypt_metadata: true,
                crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), aes128)]),
                stream_filter: b"StdCF".to_vec(),
                string_filter: b"StdCF".to_vec(),
                owner_password: "owner",
                user_password: user,
                permissions: Permissions::all(),
            },
            _ => EncryptionVersion::V5 {
                encrypt_metadata: true,
                crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), aes256)]),
                file_encryption_key: &key,
                stream_filter: b"StdCF".to_vec(),
                string_filter: b"StdCF".to_vec(),
                owner_password: "owner",
                user_password: user,
                permissions: Permissions::all(),
            },
        };
        let state = EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        bytes(doc)
    }

    #[test]
    fn empty_user_password_decrypts_rc4_aes128_aes256() {
        for which in 0..3 {
            let d = extract(&encrypted("", which), "e.pdf", false).unwrap();
            check(&d);
        }
    }

    #[test]
    fn real_password_is_reported_as_encrypted() {
        for which in 0..3 {
            assert!(matches!(
                extract(&encrypted("secret", which), "e.pdf", false),
                Err(ExtractError::Encrypted) | Err(ExtractError::Corrupt(_))
            ));
        }
    }

    #[test]
    fn truncated_and_damaged_files_never_panic() {
        let full = bytes(sample(None));
        for cut in [10, full.len() / 3, full.len() / 2, full.len() - 40] {
            let _ = extract(&full[..cut], "cut.pdf", false);
        }
        // A broken xref offset: lopdf rebuilds the table by scanning.
        if let Some(i) = full.windows(9).rposition(|w| w == b"startxref") {
            let mut damaged = full[..i].to_vec();
            damaged.extend_from_slice(b"startxref\n999999\n%%EOF\n");
            let d = extract(&damaged, "bad-xref.pdf", false).unwrap();
            check(&d);
        }
    }
}
