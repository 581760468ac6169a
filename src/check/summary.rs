//! The department's summary table (汇总表) against its documents
//! (`kind = "summary_matches"` rules, SUMMARY_MISMATCH).
//!
//! A summary covers the proposals under its own folder (archive, e-mail or
//! directory; the deepest summary wins for nested ones). Its header row is
//! found anywhere below a merged title by the label synonyms of
//! `pipelines/labels.toml`; each later row is one listed proposal. Rows are
//! paired one-to-one with documents by project name (and unit); then:
//! - a paired row that disagrees with its document on a compared field →
//!   SUMMARY_MISMATCH on the proposal, citing the summary's cell;
//! - a document of the department with no row → SUMMARY_MISMATCH on it;
//! - a row with no document → a SUMMARY_MISMATCH in `batch.json`'s
//!   `findings` (there is no proposal line to put it on), citing the row.

use std::collections::BTreeMap;

use crate::check::engine::{ProposalView, evaluate_summary};
use crate::fields::LabelTable;
use crate::group::FileRecord;
use crate::model::{Cell, Evidence, Table};
use crate::normalize::{country, org, trl};
use crate::record::{Fields, Finding, Severity, Submission};
use crate::scheme::{Catalog, Check, Scheme, Scope};

/// Label-table field names the summary's columns can carry, with the
/// record path each one is compared to.
const COLUMNS: &[(&str, &str)] = &[
    ("project_name", "project_name"),
    ("applicant", "applicant"),
    ("partner_countries", "partner_countries"),
    ("partner_institution", "partner_institution"),
    ("pi_name", "pi.name"),
    ("trl_current", "trl.current"),
];

/// One data row of a summary table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Record path → the cell read for it.
    pub cells: Vec<(&'static str, Cell)>,
    pub evidence: Evidence,
    table_locate: Vec<(&'static str, String)>,
}

impl Row {
    fn get(&self, path: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, c)| c.text.trim())
            .filter(|t| !t.is_empty())
    }
    fn locator(&self, path: &str) -> Option<&str> {
        self.table_locate
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, l)| l.as_str())
    }
}

/// The header row of a table: the first row where at least two cells are
/// labels of distinct summary columns, one of them the project name.
fn header(table: &Table, labels: &LabelTable) -> Option<(usize, Vec<(usize, &'static str)>)> {
    for (r, row) in table.rows.iter().enumerate() {
        let mut cols: Vec<(usize, &'static str)> = Vec::new();
        for c in row {
            let Some(m) = labels.match_label(&c.text) else {
                continue;
            };
            if let Some((_, path)) = COLUMNS.iter().find(|(f, _)| *f == m.field)
                && !cols.iter().any(|(_, p)| p == path)
            {
                cols.push((c.col, path));
            }
        }
        if cols.len() >= 2 && cols.iter().any(|(_, p)| *p == "project_name") {
            return Some((r, cols));
        }
    }
    None
}

/// Reads the listed proposals of a summary file.
pub fn read_rows(rec: &FileRecord, labels: &LabelTable) -> Vec<Row> {
    let Some(doc) = &rec.doc else {
        return Vec::new();
    };
    let source = rec.display_path();
    let mut out = Vec::new();
    for table in doc.tables() {
        let Some((h, cols)) = header(table, labels) else {
            continue;
        };
        for row in table.rows.iter().skip(h + 1) {
            let Some(first) = row.first() else { continue };
            let mut cells = Vec::new();
            let mut locs = Vec::new();
            for &(col, path) in &cols {
                if let Some(c) = table.cell_at(first.row, col) {
                    locs.push((path, table.locate(c)));
                    cells.push((path, c.clone()));
                }
            }
            let name = cells
                .iter()
                .find(|(p, _)| *p == "project_name")
                .map(|(_, c)| c.text.trim().to_string())
                .unwrap_or_default();
            // Blank rows, totals and notes under the table are not proposals.
            if name.is_empty() || name.starts_with("合计") || name.starts_with("注") {
                continue;
            }
            let text: Vec<&str> = row.iter().map(|c| c.text.trim()).collect();
            out.push(Row {
                cells,
                evidence: Evidence {
                    source: source.clone(),
                    page: table.page,
                    locator: match &table.sheet {
                        Some(s) => format!("sheet {s}, row {}", first.row + 1),
                        None => format!("table {}, row {}", table.index, first.row + 1),
                    },
                    text: text.join(" | "),
                },
                table_locate: locs,
            });
        }
    }
    out
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folder (with containers) a summary covers.
fn root_of(display: &str) -> &str {
    display.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

fn under(path: &str, root: &str) -> bool {
    root.is_empty() || path.starts_with(&format!("{root}/"))
}

/// A name prepared for pairing: its comparison key and character bigrams.
struct NameKey {
    name: String,
    name_bi: Vec<(char, char)>,
    unit: String,
    unit_bi: Vec<(char, char)>,
}

impl NameKey {
    fn new(name: Option<&str>, unit: Option<&str>) -> NameKey {
        let name = name.map(fold).unwrap_or_default();
        let unit = unit.map(org::normalize_org).unwrap_or_default();
        NameKey {
            name_bi: bigrams(&name),
            unit_bi: bigrams(&unit),
            name,
            unit,
        }
    }
}

/// Sorted character bigrams (a multiset).
fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// Dice coefficient of two keys by their bigram multisets; equal keys → 1.
fn dice(a: &str, ab: &[(char, char)], b: &str, bb: &[(char, char)]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < ab.len() && j < bb.len() {
        match ab[i].cmp(&bb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let total = ab.len() + bb.len();
    if total == 0 {
        0.0
    } else {
        2.0 * common as f64 / total as f64
    }
}

/// How well a row names a document: 0 = not at all.
fn pair_score(row: &NameKey, doc: &NameKey) -> f64 {
    let name = dice(&row.name, &row.name_bi, &doc.name, &doc.name_bi);
    let unit = dice(&row.unit, &row.unit_bi, &doc.unit, &doc.unit_bi);
    if name >= 0.6 || (name >= 0.3 && unit >= 0.8) {
        name * 2.0 + unit
    } else {
        0.0
    }
}

/// A row's disagreement with its document on `path`, as (row value, document value).
fn disagreement(row: &Row, sub: &Submission, path: &str) -> Option<(String, String)> {
    let cell = row.get(path)?;
    let f = &sub.fields;
    match path {
        "project_name" | "partner_institution" => {
            let doc = if path == "project_name" {
                f.project_name.as_deref()
            } else {
                f.partner_institution.as_deref()
            }?;
            (fold(cell) != fold(doc)).then(|| (cell.to_string(), doc.to_string()))
        }
        "applicant" => {
            let doc = f.applicant.as_deref()?;
            (org::normalize_org(cell) != org::normalize_org(doc))
                .then(|| (cell.to_string(), doc.to_string()))
        }
        "pi.name" => {
            let doc = &f.pi.as_ref()?.name;
            (fold(cell) != fold(doc)).then(|| (cell.to_string(), doc.clone()))
        }
        "partner_countries" => {
            if f.partner_countries.is_empty() {
                return None;
            }
            let mut row_c: Vec<&str> = country::find_countries(cell);
            if row_c.is_empty() {
                row_c.extend(country::to_iso(cell));
            }
            let mut doc_c: Vec<&str> = f.partner_countries.iter().map(String::as_str).collect();
            row_c.sort_unstable();
            row_c.dedup();
            doc_c.sort_unstable();
            doc_c.dedup();
            (row_c != doc_c).then(|| (cell.to_string(), f.partner_countries.join(", ")))
        }
        "trl.current" => {
            let doc = f.trl?.current;
            let row_v = trl::parse_trl(cell)
                .map(|t| t.current)
                .or_else(|| cell.trim().parse::<f64>().ok().map(|v| v as u8))?;
            (row_v != doc).then(|| (cell.to_string(), doc.to_string()))
        }
        _ => None,
    }
}

/// The per-proposal findings (one list per submission) and the findings
/// that belong to no proposal (rows without a document).
pub struct Outcome {
    pub per_proposal: Vec<Vec<Finding>>,
    pub batch: Vec<Finding>,
}

/// One summary table as the department sent it: every copy found in one
/// folder (the spreadsheet and the sealed scan of its printout are the same
/// table twice, not two tables).
pub struct SummaryGroup<'a> {
    /// The folder (with containers) the summary covers.
    pub root: String,
    /// Born-digital copies first (their rows are read exactly), then scans.
    pub copies: Vec<&'a FileRecord>,
}

impl SummaryGroup<'_> {
    /// The copy cited for the table as a whole: the spreadsheet when there
    /// is one.
    fn cited(&self) -> String {
        self.copies
            .first()
            .map(|c| c.display_path())
            .unwrap_or_default()
    }
}

/// Whether a copy's text came from OCR (a scan or a photo of the table).
fn is_scan(rec: &FileRecord) -> bool {
    rec.doc.as_ref().is_some_and(|d| d.ocr) || matches!(rec.kind, crate::model::FileKind::Image)
}

/// Groups the batch's summary files by the folder they cover.
pub fn group_copies<'a>(summaries: &[&'a FileRecord]) -> Vec<SummaryGroup<'a>> {
    let mut groups: Vec<SummaryGroup<'a>> = Vec::new();
    for s in summaries {
        let root = root_of(&s.display_path()).to_string();
        match groups.iter_mut().find(|g| g.root == root) {
            Some(g) => g.copies.push(s),
            None => groups.push(SummaryGroup {
                root,
                copies: vec![s],
            }),
        }
    }
    for g in &mut groups {
        g.copies.sort_by_key(|c| (is_scan(c), c.display_path()));
    }
    groups
}

/// The rows to compare and whether they were read exactly: a born-digital
/// copy's rows when one has any, else the scans' (OCR) rows.
fn rows_of(group: &SummaryGroup, labels: &LabelTable) -> (Vec<Row>, bool, String) {
    for exact in [true, false] {
        for c in group.copies.iter().filter(|c| is_scan(c) != exact) {
            let rows = read_rows(c, labels);
            if !rows.is_empty() {
                return (rows, exact, c.display_path());
            }
        }
    }
    (Vec::new(), true, group.cited())
}

/// Whether an OCR'd cell says something else than the document, rather
/// than the same thing misread: a country that is a country, a number that
/// parses, a text that shares little with the document's.
fn clearly_differs(path: &str, in_row: &str, in_doc: &str) -> bool {
    match path {
        "partner_countries" => !country::find_countries(in_row).is_empty(),
        "trl.current" => true,
        _ => {
            let (a, b) = (fold(in_row), fold(in_doc));
            dice(&a, &bigrams(&a), &b, &bigrams(&b)) < 0.3
        }
    }
}

/// Whether the document's value of `path` was read by OCR (its evidence
/// is on an OCR'd file).
fn read_by_ocr(sub: &Submission, path: &str) -> bool {
    let root = path.split('.').next().unwrap_or(path);
    let Some(ev) = sub.evidence.get(path).or_else(|| sub.evidence.get(root)) else {
        return false;
    };
    sub.sources
        .iter()
        .any(|s| s.ocr && (ev.source == s.path || ev.source.ends_with(&format!("/{}", s.path))))
}

/// Two texts of the same length that differ in a character or so per ten:
/// one of them misread by OCR (疟→并), not another name.
fn misread_only(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (fold(a).chars().collect(), fold(b).chars().collect());
    if a.len() != b.len() || a.len() < 4 {
        return false;
    }
    let differ = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    differ <= (a.len() / 10).max(1)
}

/// Evaluates the scheme's `summary_matches` rules. `sources[i]` is the
/// display path of submission `i`'s form.
pub fn check(
    scheme: &Scheme,
    subs: &[Submission],
    sources: &[String],
    summaries: &[&FileRecord],
    labels: &LabelTable,
) -> Outcome {
    let mut out = Outcome {
        per_proposal: vec![Vec::new(); subs.len()],
        batch: Vec::new(),
    };
    let Some(rule) = scheme
        .rules
        .iter()
        .find(|r| r.scope == Scope::Summary && matches!(r.check, Check::SummaryMatches { .. }))
    else {
        return out;
    };
    let Check::SummaryMatches { fields } = &rule.check else {
        return out;
    };
    let groups = group_copies(summaries);
    let roots: Vec<&str> = groups.iter().map(|g| g.root.as_str()).collect();
    for group in &groups {
        let root = group.root.as_str();
        // The department's proposals: under this summary's folder and under
        // no deeper summary's.
        let members: Vec<usize> = (0..subs.len())
            .filter(|&i| {
                let p = &sources[i];
                under(p, root)
                    && !roots
                        .iter()
                        .any(|r| r.len() > root.len() && under(r, root) && under(p, r))
                    && rule.applies_to(subs[i].direction.as_deref())
                    // Without a name (an unreadable form) there is nothing
                    // to pair; its row is reported as without a document.
                    && subs[i].fields.project_name.is_some()
            })
            .collect();
        let (rows, exact, spath) = rows_of(group, labels);
        if rows.is_empty() {
            let all: Vec<String> = group.copies.iter().map(|c| c.display_path()).collect();
            let all = all.join("、");
            out.batch.push(Finding {
                code: rule.code,
                severity: Severity::Warning,
                field: None,
                message: format!(
                    "汇总表 {all} 中未找到表头（项目名称等列），无法核对 / no header row (project name …) found in summary table {all}; not checked"
                ),
                source: Some(group.cited()),
                evidence: None,
            });
            continue;
        }
        // Pair rows and documents greedily, best score first, one-to-one.
        let row_keys: Vec<NameKey> = rows
            .iter()
            .map(|r| NameKey::new(r.get("project_name"), r.get("applicant")))
            .collect();
        let doc_keys: Vec<(usize, NameKey)> = members
            .iter()
            .map(|&i| {
                let f = &subs[i].fields;
                (
                    i,
                    NameKey::new(f.project_name.as_deref(), f.applicant.as_deref()),
                )
            })
            .collect();
        let mut scored: Vec<(f64, usize, usize)> = Vec::new();
        for (ri, rk) in row_keys.iter().enumerate() {
            for (i, dk) in &doc_keys {
                let i = *i;
                let s = pair_score(rk, dk);
                if s > 0.0 {
                    scored.push((s, ri, i));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        let mut row_doc: Vec<Option<usize>> = vec![None; rows.len()];
        let mut doc_taken: Vec<usize> = Vec::new();
        for (_, ri, i) in scored {
            if row_doc[ri].is_none() && !doc_taken.contains(&i) {
                row_doc[ri] = Some(i);
                doc_taken.push(i);
            }
        }
        let mut unpaired_scan_rows = 0usize;
        for (ri, row) in rows.iter().enumerate() {
            let Some(i) = row_doc[ri] else {
                // A misread row of a scan is not a row without a document.
                if !exact {
                    unpaired_scan_rows += 1;
                    continue;
                }
                out.batch.push(Finding {
                    code: rule.code,
                    severity: rule.severity,
                    field: Some("project_name".into()),
                    message: format!(
                        "汇总表所列项目“{}”没有对应的申报文件（或文件无法读取） / summary row “{}” has no (readable) proposal document",
                        row.get("project_name").unwrap_or(""),
                        row.get("project_name").unwrap_or("")
                    ),
                    source: Some(spath.clone()),
                    evidence: Some(row.evidence.clone()),
                });
                continue;
            };
            for path in fields {
                let Some((in_row, in_doc)) = disagreement(row, &subs[i], path) else {
                    continue;
                };
                if !exact && !clearly_differs(path, &in_row, &in_doc) {
                    continue;
                }
                if read_by_ocr(&subs[i], path) && misread_only(&in_row, &in_doc) {
                    continue;
                }
                let locator = row
                    .locator(path)
                    .map(str::to_string)
                    .unwrap_or_else(|| row.evidence.locator.clone());
                let label = crate::check::labels::zh(path);
                out.per_proposal[i].push(Finding {
                    code: rule.code,
                    severity: rule.severity,
                    field: Some(path.clone()),
                    message: format!(
                        "汇总表的{label}为“{in_row}”，申报文件为“{in_doc}” / summary table says {path} “{in_row}”, the document says “{in_doc}”"
                    ),
                    source: Some(spath.clone()),
                    evidence: Some(Evidence {
                        source: spath.clone(),
                        page: row.evidence.page,
                        locator,
                        text: in_row,
                    }),
                });
            }
        }
        if unpaired_scan_rows > 0 {
            out.batch.push(Finding {
                code: rule.code,
                severity: Severity::Info,
                field: None,
                message: format!(
                    "汇总表扫描件 {spath} 有{unpaired_scan_rows}行未能可靠识别，未据以核对 / {unpaired_scan_rows} row(s) of the scanned summary {spath} were not read confidently and were not compared"
                ),
                source: Some(spath.clone()),
                evidence: None,
            });
        }
        for &i in &members {
            // With rows of a scan left unpaired, the missing proposal may be
            // one of them misread: only an exact table proves it absent.
            if doc_taken.contains(&i) || unpaired_scan_rows > 0 {
                continue;
            }
            out.per_proposal[i].push(Finding {
                code: rule.code,
                severity: rule.severity,
                field: Some("project_name".into()),
                message: format!(
                    "本项目未列入汇总表 {spath} / this proposal is not listed in the summary table {spath}"
                ),
                source: Some(spath.clone()),
                evidence: Some(Evidence {
                    source: spath.clone(),
                    page: None,
                    locator: "summary table".into(),
                    text: subs[i].fields.project_name.clone().unwrap_or_default(),
                }),
            });
        }
    }
    out
}

/// The `scope = "summary"` rules on each summary table itself (its seal),
/// once per table whatever its copies: the seals of all copies count (a
/// spreadsheet carries none; its sealed scan does). Findings go to
/// `batch.json`.
pub fn table_rules(scheme: &Scheme, catalog: &Catalog, summaries: &[&FileRecord]) -> Vec<Finding> {
    let mut out = Vec::new();
    let evidence = BTreeMap::new();
    for group in group_copies(summaries) {
        let mut fields = Fields::default();
        for c in &group.copies {
            let Some(doc) = &c.doc else { continue };
            fields
                .seals
                .extend(doc.seals.iter().map(|m| crate::record::Seal {
                    source: doc.source.clone(),
                    page: m.page,
                    bbox: m.bbox,
                    text: m.text.clone(),
                    confidence: Some(m.confidence),
                    // The department's name is not known to match it with.
                    owner: None,
                    reading: None,
                }));
        }
        // The scan is where a seal would be: cite it when there is one.
        let path = group
            .copies
            .iter()
            .rev()
            .find(|c| is_scan(c))
            .map(|c| c.display_path())
            .unwrap_or_else(|| group.cited());
        let view = ProposalView {
            documents: &[],
            submitted: None,
            direction: None,
            fields: &fields,
            evidence: &evidence,
            file_stem: None,
            source: Some(&path),
        };
        out.extend(evaluate_summary(scheme, catalog, &view));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::{Block, Document, FileKind};
    use crate::record::Role;

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
    fn header_below_a_title_and_merged_unit_cells() {
        let labels = LabelTable::parse(include_str!("../../pipelines/labels.toml")).unwrap();
        let t = Table {
            index: 1,
            sheet: Some("汇总表".into()),
            n_rows: 5,
            n_cols: 4,
            rows: vec![
                vec![cell(0, 0, 1, 4, "2026年指南建议汇总表")],
                vec![cell(1, 0, 1, 4, "主管部门（盖章）：济南市科学技术局")],
                vec![
                    cell(2, 0, 1, 1, "序号"),
                    cell(2, 1, 1, 1, "指南建议名称"),
                    cell(2, 2, 1, 1, "建议单位"),
                    cell(2, 3, 1, 1, "合作国别（地区）"),
                ],
                vec![
                    cell(3, 0, 1, 1, "1"),
                    cell(3, 1, 1, 1, "甲项目"),
                    // One unit for two rows.
                    cell(3, 2, 2, 1, "山东大学"),
                    cell(3, 3, 1, 1, "日本"),
                ],
                vec![
                    cell(4, 0, 1, 1, "2"),
                    cell(4, 1, 1, 1, "乙项目"),
                    cell(4, 3, 1, 1, "韩国"),
                ],
                vec![cell(5, 0, 1, 4, "注：以上项目均已审核")],
            ],
            ..Default::default()
        };
        let mut doc = Document::new("x.zip/汇总表.xlsx", FileKind::Xlsx);
        doc.blocks.push(Block::Table(t));
        let rec = FileRecord {
            path: "汇总表.xlsx".into(),
            container: vec!["x.zip".into()],
            kind: FileKind::Xlsx,
            sha256: String::new(),
            size: 0,
            doc: Some(doc),
            error: None,
            role: Role::Summary,
        };
        let rows = read_rows(&rec, &labels);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].get("project_name"), Some("乙项目"));
        assert_eq!(rows[1].get("applicant"), Some("山东大学"));
        assert_eq!(rows[1].get("partner_countries"), Some("韩国"));
        assert_eq!(
            rows[0].locator("partner_countries"),
            Some("sheet 汇总表, cell D4")
        );
        assert_eq!(rows[0].evidence.locator, "sheet 汇总表, row 4");
    }

    fn summary_rec(path: &str, kind: FileKind, ocr: bool, rows: &[(&str, &str)]) -> FileRecord {
        let mut cells = vec![vec![
            cell(0, 0, 1, 1, "指南建议名称"),
            cell(0, 1, 1, 1, "建议单位"),
        ]];
        for (i, (n, u)) in rows.iter().enumerate() {
            cells.push(vec![cell(i + 1, 0, 1, 1, n), cell(i + 1, 1, 1, 1, u)]);
        }
        let t = Table {
            index: 1,
            n_rows: cells.len(),
            n_cols: 2,
            rows: cells,
            ..Default::default()
        };
        let mut doc = Document::new(format!("d.zip/{path}"), kind);
        doc.ocr = ocr;
        doc.blocks.push(Block::Table(t));
        FileRecord {
            path: path.into(),
            container: vec!["d.zip".into()],
            kind,
            sha256: String::new(),
            size: 0,
            doc: Some(doc),
            error: None,
            role: Role::Summary,
        }
    }

    fn sub(name: &str, unit: &str) -> Submission {
        Submission {
            schema_version: crate::record::SCHEMA_VERSION,
            id: name.into(),
            scheme: "shandong-2026-guideline".into(),
            direction: Some("sco".into()),
            sources: Vec::new(),
            fields: Fields {
                project_name: Some(name.into()),
                applicant: Some(unit.into()),
                ..Default::default()
            },
            evidence: BTreeMap::new(),
            bilingual: Vec::new(),
            findings: Vec::new(),
        }
    }

    #[test]
    fn a_spreadsheet_and_its_sealed_scan_are_one_summary() {
        let catalog = Catalog::load(None).unwrap();
        let scheme = catalog.scheme("shandong-2026-guideline").unwrap();
        let labels = LabelTable::from_catalog(&catalog).unwrap();
        let xlsx = summary_rec(
            "汇总表.xlsx",
            FileKind::Xlsx,
            false,
            &[("海水淡化膜材料联合研发", "青岛海膜科技有限公司")],
        );
        // The scan lists the same row, misread, plus a line of noise.
        let scan = summary_rec(
            "汇总表（盖章）.pdf",
            FileKind::Pdf,
            true,
            &[
                ("海水淡化膜材科联合研友", "青岛海膜科扶有限公司"),
                ("rss", ""),
            ],
        );
        let subs = vec![
            sub("海水淡化膜材料联合研发", "青岛海膜科技有限公司"),
            sub("智能农机导航系统示范", "潍坊智农装备有限公司"),
        ];
        let sources = vec![
            "d.zip/日韩/1.a.docx".to_string(),
            "d.zip/日韩/2.b.docx".into(),
        ];
        let out = check(scheme, &subs, &sources, &[&xlsx, &scan], &labels);
        assert!(out.per_proposal[0].is_empty(), "{:?}", out.per_proposal[0]);
        // Missing from the table: said once, citing the spreadsheet.
        assert_eq!(out.per_proposal[1].len(), 1, "{:?}", out.per_proposal[1]);
        assert!(out.per_proposal[1][0].message.contains("汇总表.xlsx"));
        assert!(out.batch.is_empty(), "{:?}", out.batch);

        // The scan alone: its misreadings are not mismatches, and with a
        // row it could not read, nobody is declared missing.
        let out = check(scheme, &subs, &sources, &[&scan], &labels);
        assert!(
            out.per_proposal.iter().all(Vec::is_empty),
            "{:?}",
            out.per_proposal
        );
        assert!(out.batch.iter().all(|f| f.severity == Severity::Info));
    }

    #[test]
    fn the_scan_seal_satisfies_the_table_seal_rule_once() {
        let catalog = Catalog::load(None).unwrap();
        let scheme = catalog.scheme("shandong-2026-guideline").unwrap();
        let xlsx = summary_rec("汇总表.xlsx", FileKind::Xlsx, false, &[]);
        let mut scan = summary_rec("汇总表（盖章）.pdf", FileKind::Pdf, true, &[]);
        let none = table_rules(scheme, &catalog, &[&xlsx, &scan]);
        assert_eq!(none.len(), 1, "{none:?}");
        assert!(none[0].source.as_deref().unwrap_or("").contains("盖章"));
        if let Some(d) = scan.doc.as_mut() {
            d.seals.push(crate::model::SealMark {
                text: "琅川市科学技术局".into(),
                confidence: 0.9,
                ..Default::default()
            });
        }
        assert!(table_rules(scheme, &catalog, &[&xlsx, &scan]).is_empty());
    }

    #[test]
    fn one_misread_character_is_not_another_name() {
        assert!(misread_only(
            "高寒草甸退化机理与修复技术示范",
            "高寒草甸退化机埋与修复技术示范"
        ));
        assert!(!misread_only("高寒草甸退化机理", "高寒草原退化机制"));
        assert!(!misread_only("草甸修复", "草甸修复技术"));
    }

    #[test]
    fn dice_on_bigrams() {
        let k = |s: &str| (fold(s), bigrams(&fold(s)));
        let (a, ab) = k("海水淡化膜材料联合研发");
        let (b, bb) = k("海水淡化膜材料联合研发（二期）");
        assert!(dice(&a, &ab, &b, &bb) > 0.7);
        let (c, cb) = k("智能农机导航");
        assert!(dice(&a, &ab, &c, &cb) < 0.1);
        assert_eq!(dice(&a, &ab, &a, &ab), 1.0);
    }

    #[test]
    fn roots_and_nesting() {
        assert_eq!(root_of("a.zip/汇总表.xlsx"), "a.zip");
        assert_eq!(root_of("汇总表.xlsx"), "");
        assert!(under("a.zip/b.zip/x.docx", "a.zip"));
        assert!(!under("ab.zip/x.docx", "a.zip"));
        assert!(under("x.docx", ""));
    }
}
