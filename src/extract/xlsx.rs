//! Spreadsheets (.xlsx and legacy .xls) through calamine: each sheet
//! becomes one [`Table`] whose grid starts at A1, so locators name the
//! real cell (`sheet 汇总表, cell B4`). Merged ranges become spans on the
//! origin cell; cells they cover are dropped. Formula cells saved without
//! a cached value read as empty (calamine does not evaluate formulas).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Xls, Xlsx};

use super::ExtractError;
use crate::model::{Block, Cell, CellValue, Document, FileKind, Region, Table};

/// Sheets bigger than this are cut, with a warning: a pasted-in data dump
/// must not stall a batch.
const MAX_CELLS_PER_SHEET: usize = 2_000_000;

pub fn extract_xlsx(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(|e| map_err(e.to_string()))?;
    let mut doc = Document::new(source, FileKind::Xlsx);
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                doc.warnings.push(format!("sheet {name}: {e}"));
                continue;
            }
        };
        let merges = match wb.merge_cells_by_sheet_name(&name) {
            Ok(m) => m,
            Err(e) => {
                doc.warnings.push(format!("sheet {name}: merged cells: {e}"));
                Vec::new()
            }
        };
        push_sheet(&mut doc, name, &range, &merges);
    }
    Ok(doc)
}

pub fn extract_xls(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| map_err(e.to_string()))?;
    // The model has no separate kind for .xls; it is read like XLSX.
    let mut doc = Document::new(source, FileKind::Xlsx);
    doc.warnings
        .push("legacy .xls workbook read through calamine".into());
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                doc.warnings.push(format!("sheet {name}: {e}"));
                continue;
            }
        };
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        push_sheet(&mut doc, name, &range, &merges);
    }
    Ok(doc)
}

fn map_err(msg: String) -> ExtractError {
    let lower = msg.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        ExtractError::Encrypted
    } else {
        ExtractError::Corrupt(msg)
    }
}

fn push_sheet(doc: &mut Document, name: String, range: &calamine::Range<Data>, merges: &[Dimensions]) {
    let index = doc.tables().count() + 1;
    let mut table = Table {
        index,
        sheet: Some(name.clone()),
        region: Region::Body,
        ..Default::default()
    };
    let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else {
        doc.blocks.push(Block::Table(table));
        return;
    };
    let (r0, c0, r1, c1) = (r0 as usize, c0 as usize, r1 as usize, c1 as usize);

    // Merges clipped to the used range, indexed by row: (first col, last
    // col, origin?) so covered cells are found without a full grid.
    let mut covered: HashMap<usize, Vec<(usize, usize, bool)>> = HashMap::new();
    let mut spans: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut max_row = r1;
    let mut max_col = c1;
    for m in merges {
        let (sr, sc) = (m.start.0 as usize, m.start.1 as usize);
        let (er, ec) = (m.end.0 as usize, m.end.1 as usize);
        if er < sr || ec < sc || (er == sr && ec == sc) {
            continue;
        }
        spans.insert((sr, sc), (er - sr + 1, ec - sc + 1));
        if sr <= r1 && sc <= c1 {
            max_row = max_row.max(er.min(r1 + 1_000));
            max_col = max_col.max(ec.min(c1 + 1_000));
        }
        for r in sr.max(r0)..=er.min(r1) {
            covered.entry(r).or_default().push((sc, ec, r == sr));
        }
    }
    let is_covered = |r: usize, c: usize| {
        covered.get(&r).is_some_and(|v| {
            v.iter()
                .any(|&(a, b, origin_row)| a <= c && c <= b && !(origin_row && c == a))
        })
    };

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut n_cells = 0usize;
    let mut truncated = false;
    for (dr, dc, v) in range.used_cells() {
        let (r, c) = (r0 + dr, c0 + dc);
        if is_covered(r, c) {
            continue;
        }
        let Some((value, text)) = render(v) else {
            continue;
        };
        if n_cells >= MAX_CELLS_PER_SHEET {
            truncated = true;
            break;
        }
        n_cells += 1;
        let (row_span, col_span) = spans.get(&(r, c)).copied().unwrap_or((1, 1));
        let cell = Cell {
            row: r,
            col: c,
            row_span,
            col_span,
            text,
            value,
            bbox: None,
        };
        match rows.last_mut() {
            Some(last) if last.first().is_some_and(|x| x.row == r) => last.push(cell),
            _ => rows.push(vec![cell]),
        }
    }
    if truncated {
        doc.warnings.push(format!(
            "sheet {name}: more than {MAX_CELLS_PER_SHEET} cells, rest not read"
        ));
    }
    table.n_rows = max_row + 1;
    table.n_cols = max_col + 1;
    table.rows = rows;
    doc.blocks.push(Block::Table(table));
}

/// A cell's typed value and the text a person would see, or `None` for
/// an empty cell.
fn render(v: &Data) -> Option<(CellValue, String)> {
    Some(match v {
        Data::Empty => return None,
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                return None;
            }
            (CellValue::Text(s.clone()), t.to_string())
        }
        Data::Int(i) => (CellValue::Number(*i as f64), i.to_string()),
        Data::Float(f) => (CellValue::Number(*f), format_number(*f)),
        Data::Bool(b) => (
            CellValue::Bool(*b),
            if *b { "TRUE" } else { "FALSE" }.to_string(),
        ),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                let text = format_number(dt.as_f64());
                (CellValue::Number(dt.as_f64()), text)
            } else {
                let iso = iso_date(dt);
                (CellValue::Date(iso.clone()), iso)
            }
        }
        Data::DateTimeIso(s) => {
            let shown = s.strip_suffix("T00:00:00").unwrap_or(s).to_string();
            (CellValue::Date(s.clone()), shown)
        }
        Data::DurationIso(s) => (CellValue::Text(s.clone()), s.clone()),
        Data::Error(e) => (CellValue::Error(e.to_string()), e.to_string()),
    })
}

/// `YYYY-MM-DD`, or with `THH:MM:SS` when there is a time of day; a bare
/// time (serial below 1) is `HH:MM:SS`.
fn iso_date(dt: &calamine::ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    let serial = dt.as_f64();
    if (0.0..1.0).contains(&serial) && serial > 0.0 {
        return format!("{h:02}:{mi:02}:{s:02}");
    }
    if h == 0 && mi == 0 && s == 0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

/// Integers without `.0`; other floats rounded to the 15 significant
/// digits Excel shows, trailing zeros trimmed.
pub fn format_number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_render_like_excel() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-12.0), "-12");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(1234.5678), "1234.5678");
    }
}
