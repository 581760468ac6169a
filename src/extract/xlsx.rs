//! Spreadsheets (.xlsx and legacy .xls) through calamine: each sheet
//! becomes one [`Table`] whose grid starts at A1, so locators name the
//! real cell (`sheet 汇总表, cell B4`). Merged ranges become spans on the
//! origin cell; cells they cover are dropped. Formula cells saved without
//! a cached value read as empty (calamine does not evaluate formulas).
//! Before calamine opens a package or a legacy workbook, its declared
//! sizes (`check_package`) or its cells' positions (`check_grid`) are
//! checked, since calamine allocates by them.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Xls, Xlsx};

use super::{ExtractError, MAX_PART_BYTES};
use crate::model::{Block, Cell, CellValue, Document, FileKind, Region, Table};

/// Sheets bigger than this are cut, with a warning: a pasted-in data dump
/// must not stall a batch.
const MAX_CELLS_PER_SHEET: usize = 2_000_000;

pub fn extract_xlsx(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    check_package(bytes)?;
    guarded(|| read_xlsx(bytes, source))
}

pub fn extract_xls(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    check_grid(bytes)?;
    guarded(|| read_xls(bytes, source))
}

/// Grid cells (rows × columns spanned) a legacy sheet may have: calamine
/// lays each .xls sheet out densely while it opens the workbook, so one
/// cell record at a far position (a damaged file: column 40000) would
/// have it allocate gigabytes before we see a sheet.
const MAX_XLS_GRID: u64 = 8_000_000;

/// Refuses a legacy workbook whose cell records span a grid over
/// [`MAX_XLS_GRID`] in one sheet: the positions calamine will lay out,
/// read from the BIFF records themselves. Written by hand because
/// calamine offers no sparse reading of .xls; records are bounded by the
/// stream, positions are only compared, never allocated.
fn check_grid(bytes: &[u8]) -> Result<(), ExtractError> {
    let Some(stream) =
        super::ole::stream(bytes, "Workbook").or_else(|| super::ole::stream(bytes, "Book"))
    else {
        return Ok(()); // calamine says what is wrong with the container
    };
    match widest_sheet(&stream) {
        (rows, cols) if rows * cols > MAX_XLS_GRID => Err(ExtractError::Corrupt(format!(
            ".xls: a sheet's cells span {rows} rows × {cols} columns, more than a \
             spreadsheet reader can lay out; the file is damaged or a data dump"
        ))),
        _ => Ok(()),
    }
}

/// The largest (rows, columns) span of cell records in any one sheet
/// (substreams begin with BOF, 0x0809) of a BIFF workbook stream.
fn widest_sheet(stream: &[u8]) -> (u64, u64) {
    let u16_at = |b: &[u8], o: usize| super::ole::u16_at(b, o).map(u32::from);
    let mut widest = (0u64, 0u64);
    let mut span: Option<[u32; 4]> = None; // row min, row max, col min, col max
    let close = |span: &mut Option<[u32; 4]>, widest: &mut (u64, u64)| {
        if let Some([r0, r1, c0, c1]) = span.take() {
            let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
            if rows * cols > widest.0 * widest.1 {
                *widest = (rows, cols);
            }
        }
    };
    let mut at = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let data = stream
            .get(at + 4..(at + 4 + len as usize).min(stream.len()))
            .unwrap_or(&[]);
        at += 4 + len as usize;
        let cols = match kind {
            0x0809 => {
                close(&mut span, &mut widest);
                continue;
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, col.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                u16_at(data, 2).map(|c| (c, c))
            }
            // MulRk: row, first col, …, last col.
            0x00BD if data.len() >= 6 => u16_at(data, 2).zip(u16_at(data, data.len() - 2)),
            _ => None,
        };
        let (Some(row), Some((c0, c1))) = (u16_at(data, 0), cols) else {
            continue;
        };
        let s = span.get_or_insert([row, row, c0, c0]);
        *s = [
            s[0].min(row),
            s[1].max(row),
            s[2].min(c0).min(c1),
            s[3].max(c0).max(c1),
        ];
    }
    close(&mut span, &mut widest);
    widest
}

/// calamine is a large third-party parser; a panic inside it on a hostile
/// file must become an error for that file, not take the batch down.
fn guarded(f: impl FnOnce() -> Result<Document, ExtractError>) -> Result<Document, ExtractError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ExtractError::Corrupt(
            "spreadsheet reader failed on this file".into(),
        ))
    })
}

/// Refuses encrypted entries and parts whose declared size is over the
/// cap before calamine inflates them.
fn check_package(bytes: &[u8]) -> Result<(), ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("not a readable zip: {e}")))?;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        if f.encrypted() {
            return Err(ExtractError::Encrypted);
        }
        if f.size() > MAX_PART_BYTES {
            return Err(ExtractError::TooLarge(format!(
                "{}: {} bytes",
                f.name().unwrap_or_default(),
                f.size()
            )));
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(|e| map_err(e.to_string()))?;
    let mut doc = Document::new(source, FileKind::Xlsx);
    for name in wb.sheet_names() {
        // Cells one by one, never `worksheet_range`: that allocates the
        // dense bounding box first, and two cells at A1 and XFD1048576
        // made it 17 billion cells.
        let cells = match sparse_cells(&mut wb, &name) {
            Ok(c) => c,
            Err(e) => {
                doc.warnings.push(format!("sheet {name}: {e}"));
                continue;
            }
        };
        let merges = match wb.merge_cells_by_sheet_name(&name) {
            Ok(m) => m,
            Err(e) => {
                doc.warnings
                    .push(format!("sheet {name}: merged cells: {e}"));
                Vec::new()
            }
        };
        push_sheet(&mut doc, name, cells, &merges);
    }
    Ok(doc)
}

/// A sheet's non-empty cells as (row, col, value), at most
/// [`MAX_CELLS_PER_SHEET`] of them; `truncated` when there were more.
struct SparseCells {
    cells: Vec<(usize, usize, Data)>,
    truncated: bool,
}

fn sparse_cells(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
) -> Result<SparseCells, calamine::XlsxError> {
    let mut reader = wb.worksheet_cells_reader(name)?;
    let mut out = SparseCells {
        cells: Vec::new(),
        truncated: false,
    };
    while let Some(cell) = reader.next_cell()? {
        let value: Data = cell.get_value().clone().into();
        if matches!(value, Data::Empty) {
            continue;
        }
        if out.cells.len() >= MAX_CELLS_PER_SHEET {
            out.truncated = true;
            break;
        }
        let (r, c) = cell.get_position();
        out.cells.push((r as usize, c as usize, value));
    }
    Ok(out)
}

fn read_xls(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| map_err(e.to_string()))?;
    // Read like XLSX, and labelled so: later stages treat both alike.
    let mut doc = Document::new(source, FileKind::Xlsx);
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                doc.warnings.push(format!("sheet {name}: {e}"));
                continue;
            }
        };
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        // .xls grids are at most 65536 × 256, so calamine's dense range is bounded.
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = SparseCells {
            cells: Vec::new(),
            truncated: false,
        };
        for (dr, dc, v) in range.used_cells() {
            if cells.cells.len() >= MAX_CELLS_PER_SHEET {
                cells.truncated = true;
                break;
            }
            cells
                .cells
                .push((r0 as usize + dr, c0 as usize + dc, v.clone()));
        }
        push_sheet(&mut doc, name, cells, &merges);
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

fn push_sheet(doc: &mut Document, name: String, sheet: SparseCells, merges: &[Dimensions]) {
    let index = doc.tables().count() + 1;
    let mut table = Table {
        index,
        sheet: Some(name.clone()),
        region: Region::Body,
        ..Default::default()
    };
    let rendered: Vec<(usize, usize, CellValue, String)> = sheet
        .cells
        .iter()
        .filter_map(|(r, c, v)| render(v).map(|(value, text)| (*r, *c, value, text)))
        .collect();
    if rendered.is_empty() {
        doc.blocks.push(Block::Table(table));
        return;
    }
    // The used range is where the text is, not what the sheet declares.
    let r1 = rendered.iter().map(|x| x.0).max().unwrap_or(0);
    let c1 = rendered.iter().map(|x| x.1).max().unwrap_or(0);

    // Merges clipped to the used range, indexed by row: (first col, last
    // col, origin?) so covered cells are found without a full grid.
    let mut covered: HashMap<usize, Vec<(usize, usize, bool)>> = HashMap::new();
    let mut spans: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut max_row = r1;
    let mut max_col = c1;
    for m in merges.iter().take(MAX_CELLS_PER_SHEET) {
        let (sr, sc) = (m.start.0 as usize, m.start.1 as usize);
        let (er, ec) = (m.end.0 as usize, m.end.1 as usize);
        if er < sr || ec < sc || (er == sr && ec == sc) || sr > r1 || sc > c1 {
            continue;
        }
        // A merge reaching far past the text is clipped: its rows would
        // otherwise all be materialised below.
        let (er, ec) = (er.min(r1 + 1_000), ec.min(c1 + 1_000));
        spans.insert((sr, sc), (er - sr + 1, ec - sc + 1));
        max_row = max_row.max(er);
        max_col = max_col.max(ec);
        for r in sr..=er.min(r1) {
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
    for (r, c, value, text) in rendered {
        if is_covered(r, c) {
            continue;
        }
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
        // One vector per grid row from A1, so `rows[r]` is row r.
        while rows.len() <= r {
            rows.push(Vec::new());
        }
        rows[r].push(cell);
    }
    for row in &mut rows {
        row.sort_by_key(|c| c.col);
    }
    // A sheet whose few cells span a huge grid is read sparsely; said so,
    // since it is usually a stray cell far from the table.
    let grid = (r1 as u64 + 1).saturating_mul(c1 as u64 + 1);
    if grid > MAX_CELLS_PER_SHEET as u64 && sheet.cells.len() < MAX_CELLS_PER_SHEET {
        doc.warnings.push(format!(
            "sheet {name}: {} cells spread over {} rows × {} columns, read sparsely",
            sheet.cells.len(),
            r1 + 1,
            c1 + 1
        ));
    }
    if sheet.truncated {
        doc.warnings.push(format!(
            "sheet {name}: more than {MAX_CELLS_PER_SHEET} cells, rest not read"
        ));
    }
    table.n_rows = max_row + 1;
    table.n_cols = max_col + 1;
    rows.resize_with(table.n_rows, Vec::new);
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
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    use super::*;

    fn sample() -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("汇总表").unwrap();
        ws.merge_range(0, 0, 0, 3, "国际合作项目汇总", &Format::new())
            .unwrap();
        ws.write_string(1, 0, "项目名称").unwrap();
        ws.write_string(1, 1, "经费（万元）").unwrap();
        ws.write_string(1, 2, "开始日期").unwrap();
        ws.write_string(1, 3, "通过").unwrap();
        ws.write_string(3, 0, "  中德智能制造联合实验室 ").unwrap();
        ws.write_number(3, 1, 120.0).unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        ws.write_datetime_with_format(3, 2, ExcelDateTime::from_ymd(2025, 3, 1).unwrap(), &date)
            .unwrap();
        ws.write_boolean(3, 3, true).unwrap();
        ws.write_number(4, 1, 0.1 + 0.2).unwrap();
        ws.merge_range(4, 2, 6, 2, "跨三行", &Format::new())
            .unwrap();
        let ws2 = wb.add_worksheet();
        ws2.set_name("空表").unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn sheet_cells_types_and_merges() {
        let d = extract_xlsx(&sample(), "s.xlsx").unwrap();
        let tables: Vec<&Table> = d.tables().collect();
        assert_eq!(tables.len(), 2);
        let t = tables[0];
        assert_eq!((t.index, t.sheet.as_deref()), (1, Some("汇总表")));
        assert_eq!((t.n_rows, t.n_cols), (7, 4));
        assert_eq!(t.rows.len(), t.n_rows, "one row vector per grid row");
        let title = t.cell_at(0, 2).unwrap();
        assert_eq!(
            (title.text.as_str(), title.col, title.col_span),
            ("国际合作项目汇总", 0, 4)
        );
        assert_eq!(t.rows[0].len(), 1, "covered cells dropped");
        let name = t.cell_at(3, 0).unwrap();
        assert_eq!(name.text, "中德智能制造联合实验室");
        assert_eq!(t.locate(name), "sheet 汇总表, cell A4");
        let money = t.cell_at(3, 1).unwrap();
        assert_eq!(
            (money.text.as_str(), &money.value),
            ("120", &CellValue::Number(120.0))
        );
        let date = t.cell_at(3, 2).unwrap();
        assert_eq!(
            (date.text.as_str(), &date.value),
            ("2025-03-01", &CellValue::Date("2025-03-01".into()))
        );
        assert_eq!(t.cell_at(3, 3).unwrap().value, CellValue::Bool(true));
        assert_eq!(t.cell_at(4, 1).unwrap().text, "0.3");
        let tall = t.cell_at(6, 2).unwrap();
        assert_eq!(
            (tall.text.as_str(), tall.row, tall.row_span),
            ("跨三行", 4, 3)
        );
        assert!(t.rows[2].is_empty(), "blank row kept as an empty row");
        assert_eq!(tables[1].n_rows, 0);
    }

    /// A legacy workbook whose only sheet holds NUMBER records at `cells`.
    fn biff_workbook(cells: &[(u16, u16)]) -> Vec<u8> {
        use std::io::Write;
        let mut stream = Vec::new();
        let mut record = |kind: u16, data: &[u8]| {
            stream.extend_from_slice(&kind.to_le_bytes());
            stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
            stream.extend_from_slice(data);
        };
        record(0x0809, &[0; 16]);
        for (row, col) in cells {
            let mut d = Vec::new();
            d.extend_from_slice(&row.to_le_bytes());
            d.extend_from_slice(&col.to_le_bytes());
            d.extend_from_slice(&[0; 10]);
            record(0x0203, &d);
        }
        record(0x000A, &[]);
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/Workbook")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        cf.into_inner().into_inner()
    }

    #[test]
    fn a_sheet_with_a_cell_far_out_is_refused_before_it_is_laid_out() {
        let far = biff_workbook(&[(0, 0), (60000, 40000)]);
        match extract_xls(&far, "far.xls") {
            Err(ExtractError::Corrupt(why)) => assert!(why.contains("60001 rows × 40001"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(check_grid(&biff_workbook(&[(0, 0), (300, 20)])).is_ok());
    }

    #[test]
    fn corrupt_workbook_is_an_error() {
        let good = sample();
        assert!(extract_xlsx(&good[..good.len() / 2], "s.xlsx").is_err());
        assert!(extract_xlsx(b"PK\x03\x04nonsense", "s.xlsx").is_err());
    }

    #[test]
    fn numbers_render_like_excel() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-12.0), "-12");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(1234.5678), "1234.5678");
    }
}
