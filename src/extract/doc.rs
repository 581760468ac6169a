//! DOC: Word 97–2003 binary documents (and `.wps` files that carry a
//! `WordDocument` stream), read into the same items as DOCX and emitted by
//! the DOCX reader's `Out`, so both formats give the same blocks.
//!
//! The OLE2 streams come through `cfb`. The text is the piece table's
//! (CLX in the table stream: 8-bit cp1252 and UTF-16 pieces); paragraph
//! properties (PAPX in FKP pages) say which paragraphs are in a table,
//! which mark ends a row (TTP) and, from the row's `sprmTDefTable`, where
//! its cells' edges are and which cells are merged. Fields keep their
//! result text (0x13 instruction 0x14 result 0x15). Headers and footers
//! (PlcfHdd stories), footnotes and text boxes follow the body in their
//! regions.
//!
//! PNG and JPEG pictures (a stamp pasted over a signature line) are found
//! in the Data and WordDocument streams and searched for seals
//! (`extract::pictures`), without their drawn size or place.
//!
//! Not read: list numbers Word computes (LSTF/LFO: only literal numbers
//! are text), symbol-font characters (sprmCSymbol: checkbox glyphs read as
//! `(`), metafile and bitmap pictures, Word 6/95 files, the document title.

use std::io::{Cursor, Read};

use super::blocks::{CellProps, Item, Out, Para, TCell, TRow, TTable, VMerge};
use super::docx::symbols::normalize_box;
use super::ole::{u16_at, u32_at};
use super::{ExtractError, pictures};
use crate::model::{Document, FileKind, ImageRef, Region};

/// Reads a Word 97+ binary document.
pub fn extract(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let corrupt = |why: String| ExtractError::Corrupt(format!(".doc: {why}"));
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("OLE2 container: {e}")))?;
    let max = bytes.len() as u64;
    let word = read_stream(&mut cf, "/WordDocument", max).map_err(corrupt)?;
    let fib = Fib::parse(&word).map_err(corrupt)?;
    if fib.encrypted {
        return Err(ExtractError::Encrypted);
    }
    if fib.n_fib < 0x00C1 {
        return Err(ExtractError::Unsupported(
            "Word 6/95 binary document: save as .docx".into(),
        ));
    }
    let table_name = if fib.which_table {
        "/1Table"
    } else {
        "/0Table"
    };
    let table = read_stream(&mut cf, table_name, max).map_err(corrupt)?;
    let clx =
        slice(&table, fib.fc_clx, fib.lcb_clx).ok_or_else(|| corrupt("no piece table".into()))?;
    let pieces = pieces(clx).ok_or_else(|| corrupt("bad piece table".into()))?;
    let text = Text::read(&word, &pieces, fib.ccp_total());
    let papx = Papx::read(
        &word,
        slice(&table, fib.fc_papx, fib.lcb_papx).unwrap_or(&[]),
    );

    let mut doc = Document::new(source, FileKind::Ole);
    let mut out = Out::default();
    let body_end = fib.ccp_text.min(text.len());
    out.emit(build(&text, &papx, 0, body_end), Vec::new(), Region::Body);
    if text.len() < fib.ccp_text {
        doc.warnings
            .push("document text is shorter than its header says: rest not read".into());
    }
    // Stories after the body, in the order Word stores them.
    let ftn = body_end..(body_end + fib.ccp_ftn).min(text.len());
    let hdd = ftn.end..(ftn.end + fib.ccp_hdd).min(text.len());
    let txbx_start = hdd.end + fib.ccp_mcr + fib.ccp_atn + fib.ccp_edn;
    let txbx = txbx_start.min(text.len())..(txbx_start + fib.ccp_txbx).min(text.len());
    let plc_hdd = slice(&table, fib.fc_hdd, fib.lcb_hdd).unwrap_or(&[]);
    for (region, range) in header_stories(plc_hdd, hdd.clone()) {
        out.emit(
            build(&text, &papx, range.start, range.end),
            Vec::new(),
            region,
        );
    }
    out.emit(
        build(&text, &papx, ftn.start, ftn.end),
        Vec::new(),
        Region::Footnote,
    );
    out.emit(
        build(&text, &papx, txbx.start, txbx.end),
        Vec::new(),
        Region::TextBox,
    );
    doc.blocks = out.blocks;
    // Pictures: inline ones in the Data stream, floating ones in the
    // WordDocument stream (Office Art BLIPs).
    let data = read_stream(&mut cf, "/Data", max).unwrap_or_default();
    let found: Vec<_> = [("Data", &data), ("WordDocument", &word)]
        .into_iter()
        .flat_map(|(stream, bytes)| {
            pictures::embedded(bytes)
                .into_iter()
                .map(move |(range, format)| (stream, bytes, range, format))
        })
        .collect();
    if found.len() > pictures::MAX_IMAGES {
        doc.warnings.push(format!(
            "more than {} pictures: the rest not searched for seals",
            pictures::MAX_IMAGES
        ));
    }
    let mut pictures = Vec::new();
    for (stream, bytes, range, format) in found.into_iter().take(pictures::MAX_IMAGES) {
        doc.images.push(ImageRef {
            page: None,
            name: format!("{stream} stream, byte {}", range.start),
            format: format!("{format:?}").to_lowercase(),
            width: None,
            height: None,
            bbox: None,
        });
        pictures.push(pictures::Picture {
            bytes: bytes[range].to_vec(),
            format,
            size: None,
        });
    }
    doc.seals = pictures::seals(&pictures);
    Ok(doc)
}

/// A stream's bytes, at most `max` (no stream is larger than its file).
fn read_stream<F: Read + std::io::Seek>(
    cf: &mut cfb::CompoundFile<F>,
    name: &str,
    max: u64,
) -> Result<Vec<u8>, String> {
    let s = cf
        .open_stream(name)
        .map_err(|e| format!("{} stream: {e}", name.trim_start_matches('/')))?;
    let mut buf = Vec::new();
    s.take(max)
        .read_to_end(&mut buf)
        .map_err(|e| format!("{}: {e}", name.trim_start_matches('/')))?;
    Ok(buf)
}

fn slice(b: &[u8], fc: u32, lcb: u32) -> Option<&[u8]> {
    if lcb == 0 {
        return None;
    }
    let start = fc as usize;
    b.get(start..start.checked_add(lcb as usize)?)
}

/// What we need of the File Information Block.
struct Fib {
    n_fib: u16,
    which_table: bool,
    encrypted: bool,
    ccp_text: usize,
    ccp_ftn: usize,
    ccp_hdd: usize,
    ccp_mcr: usize,
    ccp_atn: usize,
    ccp_edn: usize,
    ccp_txbx: usize,
    ccp_hdr_txbx: usize,
    fc_clx: u32,
    lcb_clx: u32,
    fc_papx: u32,
    lcb_papx: u32,
    fc_hdd: u32,
    lcb_hdd: u32,
}

impl Fib {
    fn parse(w: &[u8]) -> Result<Fib, String> {
        if u16_at(w, 0) != Some(0xA5EC) {
            return Err("not a Word document (bad FIB)".into());
        }
        let bad = || "truncated FIB".to_string();
        let flags = u16_at(w, 0x0A).ok_or_else(bad)?;
        // FibBase (32 bytes), then csw u16 + fibRgW, cslw u16 + fibRgLw,
        // cbRgFcLcb u16 + fibRgFcLcbBlob.
        let csw = u16_at(w, 32).ok_or_else(bad)? as usize;
        let lw = 34 + csw * 2;
        let cslw = u16_at(w, lw).ok_or_else(bad)? as usize;
        let rg_lw = lw + 2;
        let fc = rg_lw + cslw * 4;
        let cb = u16_at(w, fc).ok_or_else(bad)? as usize;
        let rg_fc = fc + 2;
        let lw_at = |i: usize| -> usize {
            if i < cslw {
                u32_at(w, rg_lw + i * 4).unwrap_or(0) as usize
            } else {
                0
            }
        };
        let pair = |i: usize| -> (u32, u32) {
            if i < cb {
                (
                    u32_at(w, rg_fc + i * 8).unwrap_or(0),
                    u32_at(w, rg_fc + i * 8 + 4).unwrap_or(0),
                )
            } else {
                (0, 0)
            }
        };
        let (fc_clx, lcb_clx) = pair(33);
        let (fc_papx, lcb_papx) = pair(13);
        let (fc_hdd, lcb_hdd) = pair(11);
        Ok(Fib {
            n_fib: u16_at(w, 2).ok_or_else(bad)?,
            which_table: flags & 0x0200 != 0,
            encrypted: flags & 0x0100 != 0,
            ccp_text: lw_at(3),
            ccp_ftn: lw_at(4),
            ccp_hdd: lw_at(5),
            ccp_mcr: lw_at(6),
            ccp_atn: lw_at(7),
            ccp_edn: lw_at(8),
            ccp_txbx: lw_at(9),
            ccp_hdr_txbx: lw_at(10),
            fc_clx,
            lcb_clx,
            fc_papx,
            lcb_papx,
            fc_hdd,
            lcb_hdd,
        })
    }

    /// Characters of all stories (each count as stored; sums saturate).
    fn ccp_total(&self) -> usize {
        [
            self.ccp_text,
            self.ccp_ftn,
            self.ccp_hdd,
            self.ccp_mcr,
            self.ccp_atn,
            self.ccp_edn,
            self.ccp_txbx,
            self.ccp_hdr_txbx,
        ]
        .iter()
        .fold(0usize, |a, &b| a.saturating_add(b))
        .saturating_add(1)
    }
}

/// One piece: CPs `[cp, cp_end)` stored at `fc`, 8-bit or UTF-16.
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// The piece table (PlcPcd) inside the CLX; property runs (Prc) before it
/// are skipped.
fn pieces(clx: &[u8]) -> Option<Vec<Piece>> {
    let mut i = 0;
    while *clx.get(i)? == 0x01 {
        let cb = u16_at(clx, i + 1)? as usize;
        i += 3 + cb;
    }
    if *clx.get(i)? != 0x02 {
        return None;
    }
    let lcb = u32_at(clx, i + 1)? as usize;
    let plc = clx.get(i + 5..(i + 5).checked_add(lcb)?)?;
    if plc.len() < 4 {
        return None;
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let cp = u32_at(plc, k * 4)?;
        let cp_end = u32_at(plc, (k + 1) * 4)?;
        let pcd = (n + 1) * 4 + k * 8;
        let fc_raw = u32_at(plc, pcd + 2)?;
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        if cp_end > cp {
            out.push(Piece {
                cp,
                cp_end,
                fc: if compressed { fc / 2 } else { fc },
                compressed,
            });
        }
    }
    Some(out)
}

/// The document's characters by CP, each with the file offset it was
/// stored at (paragraph properties are found by offset).
struct Text {
    units: Vec<u16>,
    fcs: Vec<u32>,
}

impl Text {
    /// Reads CPs `[0, limit)`, in piece order; a piece pointing outside the
    /// stream ends the text there.
    fn read(word: &[u8], pieces: &[Piece], limit: usize) -> Text {
        let mut t = Text {
            units: Vec::new(),
            fcs: Vec::new(),
        };
        // No document has more characters than its stream has bytes.
        let limit = limit.min(word.len());
        for p in pieces {
            if p.cp as usize != t.units.len() || t.units.len() >= limit {
                break;
            }
            let n = ((p.cp_end - p.cp) as usize).min(limit - t.units.len());
            for i in 0..n {
                if p.compressed {
                    let fc = p.fc as usize + i;
                    let Some(&b) = word.get(fc) else { return t };
                    t.units.push(cp1252(b));
                    t.fcs.push(fc as u32);
                } else {
                    let fc = p.fc as usize + i * 2;
                    let Some(u) = u16_at(word, fc) else { return t };
                    t.units.push(u);
                    t.fcs.push(fc as u32);
                }
            }
        }
        t
    }

    fn len(&self) -> usize {
        self.units.len()
    }
}

fn cp1252(b: u8) -> u16 {
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(std::slice::from_ref(&b));
    s.chars().next().map_or(0xFFFD, |c| c as u32 as u16)
}

/// Paragraph properties we use.
#[derive(Default, Clone)]
struct ParaProps {
    istd: u16,
    in_table: bool,
    /// Table row end mark.
    ttp: bool,
    /// Table depth (1 = top level).
    itap: u32,
    outline: Option<u8>,
    /// From a row end's sprmTDefTable: cell edges (twips) and merge flags.
    edges: Vec<i16>,
    merges: Vec<(bool, VMerge)>,
}

/// Paragraph property runs by file offset, from the PAPX FKP pages.
struct Papx {
    runs: Vec<(u32, u32, ParaProps)>,
}

impl Papx {
    fn read(word: &[u8], plc: &[u8]) -> Papx {
        let mut runs = Vec::new();
        if plc.len() >= 4 {
            let n = (plc.len() - 4) / 8;
            for k in 0..n {
                let Some(pn) = u32_at(plc, (n + 1) * 4 + k * 4) else {
                    break;
                };
                let page = (pn & 0x003F_FFFF) as usize * 512;
                let Some(fkp) = word.get(page..page + 512) else {
                    continue;
                };
                read_fkp(fkp, &mut runs);
            }
        }
        runs.sort_by_key(|r| r.0);
        Papx { runs }
    }

    fn at(&self, fc: u32) -> ParaProps {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some((start, end, p)) if *start <= fc && fc < *end => p.clone(),
            _ => ParaProps::default(),
        }
    }
}

fn read_fkp(fkp: &[u8], runs: &mut Vec<(u32, u32, ParaProps)>) {
    let crun = fkp[511] as usize;
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(fkp, i * 4), u32_at(fkp, (i + 1) * 4)) else {
            return;
        };
        let bx = (crun + 1) * 4 + i * 13;
        let Some(&off) = fkp.get(bx) else { return };
        let mut props = ParaProps::default();
        if off != 0 {
            let o = off as usize * 2;
            let Some(&cb) = fkp.get(o) else { continue };
            let (len, data) = if cb != 0 {
                (cb as usize * 2 - 1, o + 1)
            } else {
                let Some(&cb2) = fkp.get(o + 1) else { continue };
                (cb2 as usize * 2, o + 2)
            };
            let Some(grp) = fkp.get(data..(data + len).min(511)) else {
                continue;
            };
            if let Some(istd) = u16_at(grp, 0) {
                props.istd = istd;
            }
            apply_sprms(grp.get(2..).unwrap_or(&[]), &mut props);
        }
        runs.push((start, end, props));
    }
}

/// Applies the paragraph and table sprms we know; others are skipped by
/// their operand size.
fn apply_sprms(g: &[u8], p: &mut ParaProps) {
    let mut i = 0;
    while let Some(sprm) = u16_at(g, i) {
        i += 2;
        // Operand size from the sprm's spra; 6 is variable: a size byte
        // (sprmTDefTable: a u16 counting itself once).
        let len = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ if sprm == 0xD608 => {
                let Some(n) = u16_at(g, i) else { return };
                i += 2;
                (n as usize).saturating_sub(1)
            }
            _ => {
                let Some(&n) = g.get(i) else { return };
                if sprm == 0xC615 && n == 255 {
                    return; // sprmPChgTabs' long form: rare, stop here
                }
                i += 1;
                n as usize
            }
        };
        let Some(operand) = g.get(i..i + len) else {
            return;
        };
        i += len;
        match sprm {
            0x2416 => p.in_table = operand.first().is_some_and(|&b| b != 0),
            0x2417 => p.ttp = operand.first().is_some_and(|&b| b != 0),
            0x6649 => p.itap = u32_at(operand, 0).unwrap_or(0),
            0x2640 => p.outline = operand.first().copied().filter(|&l| l < 9),
            0xD608 => def_table(operand, p),
            0xD62B => {
                // sprmTVertMerge: itc, then 0 none / 1 merged / 3 restart.
                if let (Some(&itc), Some(&v)) = (operand.first(), operand.get(1))
                    && let Some(m) = p.merges.get_mut(itc as usize)
                {
                    m.1 = match v {
                        1 => VMerge::Continue,
                        3 => VMerge::Restart,
                        _ => VMerge::None,
                    };
                }
            }
            _ => {}
        }
    }
}

/// sprmTDefTable's operand (after its size): itcMac, the cells' edges and
/// a TC80 (20 bytes) per cell with its merge flags.
fn def_table(op: &[u8], p: &mut ParaProps) {
    let Some(&n) = op.first() else { return };
    let n = n as usize;
    p.edges = (0..=n)
        .map_while(|i| u16_at(op, 1 + i * 2).map(|v| v as i16))
        .collect();
    let tcs = 1 + (n + 1) * 2;
    p.merges = (0..n)
        .map(|i| {
            let flags = u16_at(op, tcs + i * 20).unwrap_or(0);
            let h = flags & 0x0002 != 0; // fMerged: continues the cell before
            let v = match (flags & 0x0020 != 0, flags & 0x0040 != 0) {
                (true, true) => VMerge::Restart,
                (true, false) => VMerge::Continue,
                _ => VMerge::None,
            };
            (h, v)
        })
        .collect();
}

/// Header/footer stories of the PlcfHdd: the first six are separators;
/// then per section even/odd header, even/odd footer, first header/footer.
fn header_stories(
    plc: &[u8],
    range: std::ops::Range<usize>,
) -> Vec<(Region, std::ops::Range<usize>)> {
    let cps: Vec<usize> = plc
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let mut out: Vec<(Region, std::ops::Range<usize>)> = Vec::new();
    for (i, w) in cps.windows(2).enumerate().skip(6) {
        let (a, b) = (range.start + w[0], range.start + w[1]);
        if a >= b || b > range.end {
            continue;
        }
        let region = match (i - 6) % 6 {
            0 | 1 | 4 => Region::Header,
            _ => Region::Footer,
        };
        out.push((region, a..b));
    }
    out
}

/// Field state: inside an instruction its text is dropped.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Instruction,
    Result,
}

/// Builds DOCX-like items from CPs `[start, end)`.
fn build(text: &Text, papx: &Papx, start: usize, end: usize) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut table: Option<Vec<PendingRow>> = None;
    let mut row: Vec<Vec<Item>> = Vec::new();
    let mut cell: Vec<Item> = Vec::new();
    let mut para = String::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut in_instruction = 0usize;
    let mut cp = start;
    while cp < end {
        let u = text.units[cp];
        let fc = text.fcs[cp];
        cp += 1;
        match u {
            0x13 => {
                fields.push(Field::Instruction);
                in_instruction += 1;
                continue;
            }
            0x14 => {
                if let Some(f) = fields.last_mut()
                    && *f == Field::Instruction
                {
                    *f = Field::Result;
                    in_instruction -= 1;
                }
                continue;
            }
            0x15 => {
                if fields.pop() == Some(Field::Instruction) {
                    in_instruction -= 1;
                }
                continue;
            }
            _ => {}
        }
        // Counted, not searched: a hostile file may nest fields deeply.
        let hidden = in_instruction > 0;
        match u {
            0x0D | 0x07 | 0x0C => {
                let p = papx.at(fc);
                let style = style_of(&p);
                let in_table = p.in_table || p.itap >= 1;
                if in_table {
                    if p.ttp && (u == 0x07 || p.itap <= 1) {
                        // Row end: the row's cells are complete.
                        if !para.trim().is_empty() {
                            cell.push(para_item(std::mem::take(&mut para), None));
                        }
                        if !cell.is_empty() {
                            row.push(std::mem::take(&mut cell));
                        }
                        let t = table.get_or_insert_with(Vec::new);
                        t.push((std::mem::take(&mut row), p));
                        para.clear();
                    } else if u == 0x07 && p.itap <= 1 {
                        cell.push(para_item(std::mem::take(&mut para), style));
                        row.push(std::mem::take(&mut cell));
                    } else {
                        // A paragraph inside a cell (an inner table's
                        // cells are read as the outer cell's lines).
                        cell.push(para_item(std::mem::take(&mut para), style));
                    }
                } else {
                    if let Some(t) = table.take() {
                        items.push(Item::Table(finish(t)));
                    }
                    if !cell.is_empty() || !row.is_empty() {
                        // Cell text without a row end: keep it as text.
                        for c in std::mem::take(&mut row)
                            .into_iter()
                            .chain([std::mem::take(&mut cell)])
                        {
                            items.extend(c);
                        }
                    }
                    items.push(para_item(std::mem::take(&mut para), style));
                }
            }
            _ if hidden => {}
            0x0B => para.push('\n'),
            0x09 => para.push('\t'),
            0x1E => para.push('-'),
            0xA0 => para.push(' '),
            u if u < 0x20 => {} // pictures, notes, separators, soft hyphen
            u => {
                // Surrogate pairs are two units.
                if (0xD800..0xDC00).contains(&u)
                    && let Some(&lo) = text.units.get(cp)
                    && (0xDC00..0xE000).contains(&lo)
                {
                    let c = 0x10000 + ((u as u32 - 0xD800) << 10) + (lo as u32 - 0xDC00);
                    para.extend(char::from_u32(c));
                    cp += 1;
                } else {
                    para.extend(char::from_u32(u as u32).map(normalize_box));
                }
            }
        }
    }
    // Text after the last mark: a cell's if a row is open, else a paragraph.
    let row_open = !cell.is_empty() || !row.is_empty();
    if !para.trim().is_empty() {
        if row_open {
            cell.push(para_item(std::mem::take(&mut para), None));
        } else {
            if let Some(t) = table.take() {
                items.push(Item::Table(finish(t)));
            }
            items.push(para_item(std::mem::take(&mut para), None));
        }
    }
    if !cell.is_empty() {
        row.push(cell);
    }
    if !row.is_empty() {
        let t = table.get_or_insert_with(Vec::new);
        t.push((row, ParaProps::default()));
    }
    if let Some(t) = table.take() {
        items.push(Item::Table(finish(t)));
    }
    items
}

fn para_item(text: String, style: Option<String>) -> Item {
    Item::Para(Para { text, style })
}

/// Built-in heading styles keep their istd (1–9); an outline level on the
/// paragraph says the same.
fn style_of(p: &ParaProps) -> Option<String> {
    if (1..=9).contains(&p.istd) {
        return Some(format!("Heading{}", p.istd));
    }
    p.outline.map(|l| format!("Heading{}", l + 1))
}

/// A table row as read: its cells' items and its row-end properties.
type PendingRow = (Vec<Vec<Item>>, ParaProps);

/// Lays the rows on one grid: the distinct cell edges of all rows are the
/// grid's lines; a cell spans the grid columns between its edges. Merge
/// flags come from each row's sprmTDefTable.
fn finish(rows: Vec<PendingRow>) -> TTable {
    let mut lines: Vec<i16> = rows
        .iter()
        .flat_map(|r| r.1.edges.iter().copied())
        .collect();
    lines.sort_unstable();
    // Edges a few twips apart are one line (Word rounds differently per row).
    lines.dedup_by(|a, b| (*a as i32 - *b as i32).abs() <= 20);
    let col_of = |x: i16| -> usize {
        lines
            .iter()
            .position(|&l| (l as i32 - x as i32).abs() <= 20)
            .unwrap_or(0)
    };
    let mut t = TTable::default();
    for (cells, p) in rows {
        let e = &p.edges;
        let laid = e.len() > cells.len() && lines.len() >= 2;
        let mut row = TRow::default();
        if laid {
            row.grid_before = col_of(e[0]);
            row.grid_after = (lines.len() - 1).saturating_sub(col_of(e[cells.len()]));
        }
        for (i, items) in cells.into_iter().enumerate() {
            let (h, v) = p.merges.get(i).copied().unwrap_or((false, VMerge::None));
            let span = if laid {
                col_of(e[i + 1]).saturating_sub(col_of(e[i])).max(1)
            } else {
                1
            };
            row.cells.push(TCell {
                props: CellProps {
                    span,
                    vmerge: v,
                    hmerge_continue: h,
                },
                items,
            });
        }
        let width = row.grid_before + row.cells.iter().map(|c| c.props.span).sum::<usize>();
        t.grid_cols = t.grid_cols.max(width + row.grid_after);
        t.rows.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::model::Block;

    const TEXT_FC: usize = 1024;

    /// A minimal Word 97 file: `units` as one UTF-16 piece at offset 1024,
    /// one PAPX FKP whose runs are `(number of units, grpprl)`.
    fn make_doc(units: &[u16], runs: &[(usize, Vec<u8>)], flags: u16) -> Vec<u8> {
        let fkp_pn = (TEXT_FC + units.len() * 2).div_ceil(512);
        let mut word = vec![0u8; fkp_pn * 512 + 512];
        let put16 =
            |b: &mut Vec<u8>, o: usize, v: u16| b[o..o + 2].copy_from_slice(&v.to_le_bytes());
        let put32 =
            |b: &mut Vec<u8>, o: usize, v: u32| b[o..o + 4].copy_from_slice(&v.to_le_bytes());
        put16(&mut word, 0, 0xA5EC);
        put16(&mut word, 2, 0x00C1);
        put16(&mut word, 0x0A, 0x0200 | flags);
        put16(&mut word, 32, 14);
        put16(&mut word, 62, 22);
        put32(&mut word, 64 + 3 * 4, units.len() as u32); // ccpText
        put16(&mut word, 152, 93);
        for (i, u) in units.iter().enumerate() {
            put16(&mut word, TEXT_FC + i * 2, *u);
        }
        // FKP: rgfc, rgbx, PAPXs from offset 256 on, crun in the last byte.
        let fkp = fkp_pn * 512;
        let mut fc = TEXT_FC;
        let mut papx_at = 256;
        put32(&mut word, fkp, fc as u32);
        for (i, (n, grpprl)) in runs.iter().enumerate() {
            fc += n * 2;
            put32(&mut word, fkp + (i + 1) * 4, fc as u32);
            let mut papx = vec![0u8, 0, 0, 0]; // cb 0, cb', istd 0
            papx.extend_from_slice(grpprl);
            if papx.len() % 2 == 1 {
                papx.push(0);
            }
            papx[1] = ((papx.len() - 2) / 2) as u8;
            word[fkp + (runs.len() + 1) * 4 + i * 13] = (papx_at / 2) as u8;
            word[fkp + papx_at..fkp + papx_at + papx.len()].copy_from_slice(&papx);
            papx_at += papx.len();
        }
        word[fkp + 511] = runs.len() as u8;
        // Table stream: CLX (one piece), then PlcBtePapx (one page).
        let mut table = vec![0x02u8];
        table.extend_from_slice(&16u32.to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        table.extend_from_slice(&(units.len() as u32).to_le_bytes());
        table.extend_from_slice(&[0, 0]);
        table.extend_from_slice(&(TEXT_FC as u32).to_le_bytes());
        table.extend_from_slice(&[0, 0]);
        let clx_len = table.len() as u32;
        table.extend_from_slice(&(TEXT_FC as u32).to_le_bytes());
        table.extend_from_slice(&(fc as u32).to_le_bytes());
        table.extend_from_slice(&(fkp_pn as u32).to_le_bytes());
        let fib_pair = |w: &mut Vec<u8>, i: usize, fc: u32, lcb: u32| {
            put32(w, 154 + i * 8, fc);
            put32(w, 154 + i * 8 + 4, lcb);
        };
        fib_pair(&mut word, 33, 0, clx_len);
        fib_pair(&mut word, 13, clx_len, table.len() as u32 - clx_len);
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/WordDocument")
            .unwrap()
            .write_all(&word)
            .unwrap();
        cf.create_stream("/1Table")
            .unwrap()
            .write_all(&table)
            .unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    /// sprmPFInTable, optionally sprmPFTtp and a two-cell sprmTDefTable
    /// whose second cell starts a vertical merge.
    fn in_table(ttp: bool) -> Vec<u8> {
        let mut g = vec![0x16, 0x24, 1];
        if ttp {
            g.extend_from_slice(&[0x17, 0x24, 1, 0x08, 0xD6]);
            let mut op = vec![2u8];
            for x in [0i16, 1000, 3000] {
                op.extend_from_slice(&x.to_le_bytes());
            }
            op.extend_from_slice(&[0u8; 20]);
            let mut tc = [0u8; 20];
            tc[0] = 0x60; // fVertMerge | fVertRestart
            op.extend_from_slice(&tc);
            g.extend_from_slice(&((op.len() + 1) as u16).to_le_bytes());
            g.extend_from_slice(&op);
        }
        g
    }

    #[test]
    fn paragraphs_fields_and_a_table() {
        let p1: Vec<u16> = [
            units("项目名称："),
            vec![0x13],
            units(" MERGEFIELD 名称 "),
            vec![0x14],
            units("甲项目"),
            vec![0x15, 0x0D],
        ]
        .concat();
        let (a, b, row) = (units("单位\u{7}"), units("某大学\u{7}"), vec![0x07]);
        let last = units("完\r");
        let all = [p1.clone(), a.clone(), b.clone(), row.clone(), last.clone()].concat();
        let runs = vec![
            (p1.len(), vec![]),
            (a.len(), in_table(false)),
            (b.len(), in_table(false)),
            (row.len(), in_table(true)),
            (last.len(), vec![]),
        ];
        let doc = extract(&make_doc(&all, &runs, 0), "x.doc").unwrap();
        let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, vec!["项目名称：甲项目", "完"]);
        let t = doc.tables().next().expect("a table");
        assert_eq!((t.n_rows, t.n_cols), (1, 2));
        assert_eq!(t.cell_at(0, 0).unwrap().text, "单位");
        assert_eq!(t.cell_at(0, 1).unwrap().text, "某大学");
        assert!(matches!(doc.blocks[1], Block::Table(_)));
    }

    #[test]
    fn encrypted_and_hostile_files_are_errors_not_panics() {
        let all = units("甲\r");
        let enc = make_doc(&all, &[(all.len(), vec![])], 0x0100);
        assert!(matches!(
            extract(&enc, "x.doc"),
            Err(ExtractError::Encrypted)
        ));
        // Deep nesting of unterminated fields: linear, nothing shown.
        let mut deep = vec![0x13u16; 20_000];
        deep.push(0x0D);
        let doc = extract(&make_doc(&deep, &[(deep.len(), vec![])], 0), "x.doc").unwrap();
        assert_eq!(doc.paragraphs().count(), 0);
        // Every truncation and some byte flips: an error or a document.
        let good = make_doc(&all, &[(all.len(), in_table(true))], 0);
        for cut in (0..good.len()).step_by(97) {
            let _ = extract(&good[..cut], "x.doc");
        }
        for i in (0..good.len()).step_by(13) {
            let mut bad = good.clone();
            bad[i] ^= 0xA5;
            let _ = extract(&bad, "x.doc");
        }
    }
}
