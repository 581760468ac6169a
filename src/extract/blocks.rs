//! Blocks: the items a word-processing reader builds (paragraphs, tables
//! with grid spans and vertical merges, text boxes) and their numbering
//! into model blocks. Shared by the DOCX (`docx/`) and DOC (`doc.rs`)
//! readers, so both formats give the same blocks for the same content.

use std::collections::HashMap;

use crate::model::{Block, Cell, CellRef, CellValue, Paragraph, Region, Table};

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

/// Turns parsed items into numbered model blocks.
#[derive(Default)]
pub(super) struct Out {
    pub(super) blocks: Vec<Block>,
    pub(super) paragraphs: usize,
    pub(super) tables: usize,
}

impl Out {
    pub(super) fn emit(&mut self, items: Vec<Item>, floating: Vec<Item>, region: Region) {
        for item in items {
            self.item(item, region);
        }
        // Text boxes not yet placed (none in well-formed parts).
        self.item(Item::Boxes(floating), region);
    }

    pub(super) fn item(&mut self, item: Item, region: Region) {
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

    pub(super) fn table(&mut self, t: TTable, region: Region, parent: Option<CellRef>) {
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
