//! The one document model every extractor produces and every later stage reads.
//!
//! A [`Document`] is a list of [`Block`]s in reading order: paragraphs and
//! tables. Each block knows where it came from (file, page, table/row/col or
//! sheet/cell, bbox) so that every extracted value can cite its evidence.
//! Nothing downstream of `extract` ever looks at a raw format.

use serde::{Deserialize, Serialize};

/// What a file is, decided from its bytes first and its name second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Docx,
    Xlsx,
    Pdf,
    Image,
    Text,
    Zip,
    Eml,
    /// Legacy binary Office (.doc/.xls/.wps/.ppt/.msg): recognised, not read.
    Ole,
    Unknown,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pdf => "pdf",
            FileKind::Image => "image",
            FileKind::Text => "text",
            FileKind::Zip => "zip",
            FileKind::Eml => "eml",
            FileKind::Ole => "ole",
            FileKind::Unknown => "unknown",
        }
    }
}

/// Which part of a page a block belongs to; headers and footers are kept
/// apart so that running heads never pass for field values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    #[default]
    Body,
    Header,
    Footer,
    /// Text boxes, shapes and frames floating over the body.
    TextBox,
    Footnote,
}

/// A rectangle on a page, in points, origin top-left: `[x0, y0, x1, y1]`.
pub type BBox = [f32; 4];

/// A run of text that reads as one paragraph or line group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Paragraph {
    pub text: String,
    /// 1-based ordinal among the document's paragraphs (all regions).
    pub index: usize,
    pub region: Region,
    /// 1-based page, where the format has pages (PDF, images).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// Style or outline hint ("Heading1", "Title", "list"), when the format says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

/// A typed cell value, where the format types its cells (XLSX); DOCX and PDF
/// cells are always `Text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum CellValue {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// ISO 8601 date or date-time as the sheet stored it.
    Date(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

/// One cell of a table, at its top-left grid position. Cells covered by a
/// merge are not repeated: `row_span`/`col_span` say how far this one reaches,
/// and [`Table::cell_at`] resolves any grid position to the covering cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Cell {
    /// 0-based grid row.
    pub row: usize,
    /// 0-based grid column (after gridSpan of the cells before it).
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    /// The cell's text; its paragraphs joined by `\n`. Text of nested tables
    /// is not included here: they are blocks of their own.
    pub text: String,
    #[serde(skip_serializing_if = "is_empty_value")]
    pub value: CellValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
}

fn is_empty_value(v: &CellValue) -> bool {
    matches!(v, CellValue::Empty)
}

/// Where a nested table sits inside its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRef {
    /// `Table::index` of the parent table.
    pub table: usize,
    pub row: usize,
    pub col: usize,
}

/// A table: a DOCX/PDF table or one XLSX sheet's used range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Table {
    /// 1-based ordinal among the document's tables, nested ones included.
    pub index: usize,
    /// Sheet name, for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub region: Region,
    /// Set when this table sits inside a cell of another table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<CellRef>,
    /// Number of grid rows and columns.
    pub n_rows: usize,
    pub n_cols: usize,
    /// Origin cells, row-major, each row sorted by column.
    pub rows: Vec<Vec<Cell>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
}

impl Table {
    /// The cell covering grid position (`row`, `col`), following merges.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        // Merges only reach down and right, so the covering cell is in a row
        // at or above `row`.
        for r in (0..=row.min(self.rows.len().saturating_sub(1))).rev() {
            for c in self.rows.get(r)? {
                if c.col <= col
                    && col < c.col + c.col_span.max(1)
                    && c.row <= row
                    && row < c.row + c.row_span.max(1)
                {
                    return Some(c);
                }
            }
        }
        None
    }

    /// All origin cells in row-major order.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.rows.iter().flatten()
    }

    /// The locator of a cell, as shown in evidence: `table 2, row 3, col 1`
    /// (1-based) or `sheet 汇总表, cell B4`.
    pub fn locate(&self, cell: &Cell) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet {sheet}, cell {}", a1(cell.row, cell.col)),
            None => format!(
                "table {}, row {}, col {}",
                self.index,
                cell.row + 1,
                cell.col + 1
            ),
        }
    }
}

/// Spreadsheet A1 name of a 0-based (row, col).
pub fn a1(row: usize, col: usize) -> String {
    let mut name = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        name.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{name}{}", row + 1)
}

/// A block of the document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "block", rename_all = "lowercase")]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// An image found in a document, kept reachable for OCR and seal detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ImageRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Where the image lives inside the file (`word/media/image1.png`,
    /// `page 3, XObject Im1`).
    pub name: String,
    /// Encoding as stored: `png`, `jpeg`, `ccitt`, `jbig2`, `flate`, …
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
}

/// A red official seal found on a page image (see `seal`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SealMark {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Where the seal sits on the page as scanned, in points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// Ring text, then the centre text after a space.
    pub text: String,
    /// Outline: `round`, `oval` or `square` (internal: the submission's
    /// seal entry keeps the SPEC fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    /// 0–1.
    pub confidence: f32,
    /// Every reading OCR made of the seal's name (variants of band, size
    /// and ink), for an error-tolerant match with the parties' names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<String>,
    /// Arcs of the ring text's circle that lie under another seal stamped
    /// across this one, as `[from, to]` degrees clockwise from the seal's
    /// top as it stands on the page: characters there are the two seals'
    /// ink at once, read or not (`fields::seals` does not hold them
    /// against a name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered: Vec<[f32; 2]>,
    /// The seal's crop as PNG, for the reviewer's report.
    #[serde(skip)]
    pub crop_png: Vec<u8>,
}

/// One extracted document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
// Fields left out when empty read back as empty (worker replies).
#[serde(default)]
pub struct Document {
    /// Logical path of the file (see `ingest::InputFile::path`).
    pub source: String,
    pub kind: Option<FileKind>,
    /// Number of pages, for paged formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    pub blocks: Vec<Block>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageRef>,
    /// True when any text came from OCR.
    pub ocr: bool,
    /// Pages with no usable text layer, waiting for OCR.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs_ocr: Vec<u32>,
    /// Red official seals found on OCR'd pages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seals: Vec<SealMark>,
    /// Non-fatal problems met while reading (a part that failed, a
    /// truncated table): shown to the reviewer, never silently dropped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Document title / subject from the file's metadata, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Numbered and styled headings and list items, nested; see
    /// [`Heading`]. Built from the blocks by `extract::outline`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outline: Vec<Heading>,
}

/// One node of a document's outline: a paragraph that opens with a
/// numbering (`一、` `（一）` `1.` `1、` `（1）` `①` `第一部分`) or carries a
/// heading style. Nodes nest by the order their numbering kinds appear, as
/// a reader reads them; a block's section is the last node at or before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Heading {
    /// Index of the paragraph in `Document::blocks`.
    pub block: usize,
    /// 1 for top-level nodes.
    pub level: u8,
    /// The numbering as written (`三、`, `（1）`), empty for style-only headings.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub numbering: String,
    /// The text after the numbering.
    pub title: String,
    /// Index of the parent node in `Document::outline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// Index in `Document::blocks` where this node's section ends (exclusive).
    pub end: usize,
}

impl Document {
    pub fn new(source: impl Into<String>, kind: FileKind) -> Self {
        Document {
            source: source.into(),
            kind: Some(kind),
            ..Default::default()
        }
    }

    /// The innermost outline node whose section holds block `block`.
    pub fn section_of(&self, block: usize) -> Option<usize> {
        self.outline
            .iter()
            .enumerate()
            .rev()
            .find(|(_, h)| h.block <= block && block < h.end)
            .map(|(i, _)| i)
    }

    /// The titles from the top-level node down to `node`.
    pub fn section_path(&self, node: usize) -> Vec<&str> {
        let mut path = Vec::new();
        let mut at = Some(node);
        while let Some(i) = at {
            let Some(h) = self.outline.get(i) else { break };
            path.push(h.title.as_str());
            at = h.parent.filter(|&p| p < i);
        }
        path.reverse();
        path
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }

    /// Plain text in reading order: paragraphs as lines, table rows as lines
    /// of tab-separated cells. Headers and footers are left out unless
    /// `all_regions`.
    pub fn plain_text(&self, all_regions: bool) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(p) => {
                    if all_regions || p.region == Region::Body || p.region == Region::TextBox {
                        out.push_str(&p.text);
                        out.push('\n');
                    }
                }
                Block::Table(t) => {
                    if !all_regions && matches!(t.region, Region::Header | Region::Footer) {
                        continue;
                    }
                    for row in &t.rows {
                        let line: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
                        out.push_str(&line.join("\t"));
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

/// Where a value was read: the evidence shown next to every field and finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct Evidence {
    pub source: String,
    pub page: Option<u32>,
    /// `table 1, row 2, col 3`, `sheet S, cell B4`, `paragraph 12`, or a file name.
    pub locator: String,
    /// The raw snippet the value was read from.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, col: usize, rs: usize, cs: usize, text: &str) -> Cell {
        Cell {
            row,
            col,
            row_span: rs,
            col_span: cs,
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn cell_at_follows_merges() {
        let t = Table {
            index: 1,
            n_rows: 3,
            n_cols: 3,
            rows: vec![
                vec![cell(0, 0, 2, 1, "A"), cell(0, 1, 1, 2, "B")],
                vec![cell(1, 1, 1, 1, "C"), cell(1, 2, 1, 1, "D")],
                vec![cell(2, 0, 1, 3, "E")],
            ],
            ..Default::default()
        };
        assert_eq!(t.cell_at(1, 0).map(|c| c.text.as_str()), Some("A"));
        assert_eq!(t.cell_at(0, 2).map(|c| c.text.as_str()), Some("B"));
        assert_eq!(t.cell_at(1, 2).map(|c| c.text.as_str()), Some("D"));
        assert_eq!(t.cell_at(2, 2).map(|c| c.text.as_str()), Some("E"));
        assert_eq!(t.cell_at(5, 0), None);
    }

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
    }
}
