//! Candidate values: every place in a document where a labelled value may
//! sit — a label cell with its value beside or below it, a "label：value"
//! cell or paragraph, a label inside running text — each with its evidence.
//! Choosing among them and normalizing is `assemble`'s job.

use crate::extract::outline;
use crate::fields::labels::{LabelTable, fold};
use crate::model::{Block, Document, Evidence, Heading, Region, Table};

/// Most paragraphs a label or heading gathers as its value.
const MAX_ITEMS: usize = 40;

/// How a candidate was found; lower is more trustworthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// Label cell with the value in the cell to its right.
    TableRight,
    /// Label cell with the value in the cell below it.
    TableBelow,
    /// `label：value` written inside one cell.
    CellInline,
    /// `label：value` at the start of a paragraph, or a label paragraph
    /// with its items in the paragraphs after it.
    ParagraphInline,
    /// The section under a heading that means the field (`四、考核指标`).
    Section,
    /// A label somewhere in running text, the value after it.
    Prose,
    /// Read from the file name (`1.项目名称-建议单位.docx`).
    FileName,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub field: String,
    pub value: String,
    /// What followed the synonym in the label (a unit such as `(万元)`).
    pub label_rest: String,
    pub rank: Rank,
    /// Position in the document, to keep document order among equals.
    pub order: usize,
    pub evidence: Evidence,
}

/// All candidates of one document, in document order.
pub fn collect(doc: &Document, labels: &LabelTable) -> Vec<Candidate> {
    // Labels OCR read with a character wrong still name their field.
    let tolerant;
    let labels = if doc.ocr {
        tolerant = labels.tolerating_misreads();
        &tolerant
    } else {
        labels
    };
    let built;
    let outline: &[Heading] = if doc.outline.is_empty() {
        built = outline::build(doc);
        &built
    } else {
        &doc.outline
    };
    let mut out = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Table(t) if !matches!(t.region, Region::Header | Region::Footer) => {
                from_table(doc, t, labels, &mut out)
            }
            Block::Paragraph(p) if matches!(p.region, Region::Body | Region::TextBox) => {
                let ev = |text: &str| Evidence {
                    source: doc.source.clone(),
                    page: p.page,
                    locator: format!("paragraph {}", p.index),
                    text: text.to_string(),
                };
                from_text(&p.text, labels, Rank::ParagraphInline, &ev, &mut out);
                // "三、技术成熟度：4级": the label follows the numbering.
                if let Some(h) = outline.iter().find(|h| h.block == bi)
                    && !h.numbering.is_empty()
                {
                    inline_only(&h.title, labels, Rank::ParagraphInline, &ev, &mut out);
                }
                label_then_items(doc, bi, labels, &mut out);
            }
            _ => {}
        }
    }
    from_sections(doc, outline, labels, &mut out);
    out.retain(|c| !labels.is_pointer(&c.value));
    for (i, c) in out.iter_mut().enumerate() {
        c.order = i;
    }
    out
}

/// Text of the body paragraphs from block `from` up to `to`, one a line.
/// A list section ends where its numbered items stop: at an unnumbered
/// paragraph, an empty one or a `label：value` line after them (the
/// signature block after the report's last section).
fn section_text(
    doc: &Document,
    from: usize,
    to: usize,
    list: bool,
    labels: &LabelTable,
) -> Option<(String, Option<u32>)> {
    let mut lines = Vec::new();
    let mut page = None;
    let mut numbered_seen = false;
    let mut last_num = None;
    for b in doc.blocks.get(from..to.min(doc.blocks.len()))? {
        let Block::Paragraph(p) = b else { continue };
        if !matches!(p.region, Region::Body | Region::TextBox) {
            continue;
        }
        let t = p.text.trim();
        let (numbered, num) = crate::normalize::text::list_item(t, last_num);
        let numbered = numbered && !t.is_empty();
        last_num = num.or(last_num);
        if list && numbered_seen && (!numbered || labels.split_inline(t).is_some()) {
            break;
        }
        if t.is_empty() {
            continue;
        }
        numbered_seen |= numbered;
        page = page.or(p.page);
        lines.push(t);
        if lines.len() >= MAX_ITEMS {
            break;
        }
    }
    (!lines.is_empty()).then(|| (lines.join("\n"), page))
}

/// A section whose heading means a field gives the section's text as that
/// field's value; where a sub-heading means the same field, it is the more
/// specific place and the parent gives nothing.
fn from_sections(
    doc: &Document,
    outline: &[Heading],
    labels: &LabelTable,
    out: &mut Vec<Candidate>,
) {
    let meanings: Vec<Vec<&str>> = outline
        .iter()
        .map(|h| labels.heading_fields(&h.title))
        .collect();
    for (i, h) in outline.iter().enumerate() {
        for field in &meanings[i] {
            let deeper = outline
                .iter()
                .enumerate()
                .skip(i + 1)
                .take_while(|(_, d)| d.block < h.end)
                .any(|(j, _)| meanings[j].contains(field));
            if deeper {
                continue;
            }
            let list = matches!(*field, "key_technologies" | "indicators");
            let Some((value, page)) = section_text(doc, h.block + 1, h.end, list, labels) else {
                continue;
            };
            out.push(Candidate {
                field: field.to_string(),
                value,
                label_rest: String::new(),
                rank: Rank::Section,
                order: 0,
                evidence: Evidence {
                    source: doc.source.clone(),
                    page,
                    locator: format!("section {}{}", h.numbering, h.title),
                    text: h.title.clone(),
                },
            });
        }
    }
}

/// A paragraph that is only a label (`关键技术清单（不超过5项）：`) takes the
/// paragraphs after it as its value: the numbered ones in a run, or else
/// the one paragraph that follows, up to the next label.
fn label_then_items(doc: &Document, bi: usize, labels: &LabelTable, out: &mut Vec<Candidate>) {
    let Some(Block::Paragraph(p)) = doc.blocks.get(bi) else {
        return;
    };
    if labels.split_inline(&p.text).is_some() {
        return;
    }
    let head = p.text.trim().trim_end_matches(['：', ':']);
    let Some(m) = labels.match_label(head) else {
        return;
    };
    let mut lines: Vec<&str> = Vec::new();
    let mut page = p.page;
    let mut last_num = None;
    for b in doc.blocks.iter().skip(bi + 1) {
        let Block::Paragraph(q) = b else { break };
        if !matches!(q.region, Region::Body | Region::TextBox) {
            continue;
        }
        let t = q.text.trim();
        if t.is_empty() {
            continue;
        }
        if labels.is_label(t.trim_end_matches(['：', ':'])) || labels.split_inline(t).is_some() {
            break;
        }
        let (numbered, num) = crate::normalize::text::list_item(t, last_num);
        last_num = num.or(last_num);
        // Items of one list: a heading numbered otherwise ends it.
        let numbered = numbered
            && lines
                .first()
                .is_none_or(|f| crate::normalize::text::same_list(f, t));
        if !lines.is_empty() && !numbered {
            break;
        }
        page = page.or(q.page);
        lines.push(t);
        if !numbered || lines.len() >= MAX_ITEMS {
            break;
        }
    }
    if lines.is_empty() {
        return;
    }
    out.push(Candidate {
        field: m.field,
        value: lines.join("\n"),
        label_rest: m.rest,
        rank: Rank::ParagraphInline,
        order: 0,
        evidence: Evidence {
            source: doc.source.clone(),
            page,
            locator: format!("paragraph {} and after", p.index),
            text: p.text.trim().to_string(),
        },
    });
}

fn from_table(doc: &Document, t: &Table, labels: &LabelTable, out: &mut Vec<Candidate>) {
    let ev = |cell: &crate::model::Cell| Evidence {
        source: doc.source.clone(),
        page: t.page,
        locator: t.locate(cell),
        text: cell.text.clone(),
    };
    for cell in t.cells() {
        let text = cell.text.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(m) = labels.match_label(text) {
            if let Some((value_cell, rank)) = value_of(t, cell, labels) {
                // A list laid out as a table column (指标名称 | 指标值): every
                // row below, with the value beside it, is one item.
                // A header beside it (指标名称 | 指标值) is no value either.
                let header_row = rank == Rank::TableBelow
                    || (value_cell.text.trim().chars().count() <= 8
                        && !value_cell.text.chars().any(|c| c.is_ascii_digit()));
                let list = matches!(m.field.as_str(), "indicators" | "key_technologies");
                let (value, rank, evc) = match list.then(|| column_items(t, cell, labels)).flatten()
                {
                    Some(items) if header_row => (items, Rank::TableBelow, cell),
                    _ => (value_cell.text.clone(), rank, value_cell),
                };
                out.push(Candidate {
                    field: m.field,
                    value,
                    label_rest: m.rest,
                    rank,
                    order: 0,
                    evidence: ev(evc),
                });
            }
            continue;
        }
        let evc = |s: &str| Evidence {
            text: s.to_string(),
            ..ev(cell)
        };
        from_text(text, labels, Rank::CellInline, &evc, out);
    }
}

/// The rows under a header cell, each as its text and the cell right of
/// it (`中外合著论文 2篇`), one a line; None unless there are two or more.
fn column_items(t: &Table, header: &crate::model::Cell, labels: &LabelTable) -> Option<String> {
    // A header row names several columns; a label alone in its row (a
    // label above its value) heads no column.
    let row_cells = t.rows.get(header.row).map_or(0, |r| {
        r.iter().filter(|c| !c.text.trim().is_empty()).count()
    });
    if row_cells < 3 {
        return None;
    }
    let col = header.col;
    let next = col + header.col_span.max(1);
    let mut lines = Vec::new();
    for r in header.row + header.row_span.max(1)..t.n_rows {
        let Some(c) = t.cell_at(r, col) else { continue };
        if c.row != r || c.text.trim().is_empty() {
            continue;
        }
        if t.cell_at(r, 0).is_some_and(|f| labels.is_total(&f.text)) || labels.is_label(&c.text) {
            break;
        }
        let mut line = c.text.trim().replace('\n', "");
        if let Some(v) = t.cell_at(r, next).filter(|v| v.col == next) {
            line.push(' ');
            line.push_str(v.text.trim());
            // The row's remarks qualify the item (每次参会50人以上); in
            // brackets, so that they stay one item with it.
            let rest: Vec<&str> = (next + v.col_span.max(1)..t.n_cols)
                .filter_map(|k| t.cell_at(r, k).filter(|x| x.col == k && x.row == r))
                .map(|x| x.text.trim())
                .filter(|x| !x.is_empty())
                .collect();
            if !rest.is_empty() {
                line.push_str(&format!("（{}）", rest.join("；").replace('\n', "")));
            }
        }
        lines.push(line);
        if lines.len() >= MAX_ITEMS {
            break;
        }
    }
    (lines.len() >= 2).then(|| lines.join("\n"))
}

/// The value cell of a label cell: the next cell to the right when it is not
/// itself a label; else, when the label has nothing to its right (or a label
/// there), the cell below, when that is not a label.
fn value_of<'t>(
    t: &'t Table,
    label: &crate::model::Cell,
    labels: &LabelTable,
) -> Option<(&'t crate::model::Cell, Rank)> {
    let right_col = label.col + label.col_span.max(1);
    if right_col < t.n_cols
        && let Some(right) = t.cell_at(label.row, right_col)
        && !std::ptr::eq(right, label)
        && !labels.is_label(&right.text)
    {
        // An empty value cell means the form left the field blank.
        return (!right.text.trim().is_empty()).then_some((right, Rank::TableRight));
    }
    let below_row = label.row + label.row_span.max(1);
    // A budget column: its value is the totals row's, not the first line's.
    if let Some(total) = (below_row..t.n_rows).find(|&r| {
        t.cell_at(r, 0)
            .is_some_and(|c| c.col_span <= label.col.max(1) && labels.is_total(&c.text))
    }) && label.col > 0
        && let Some(cell) = t.cell_at(total, label.col)
        && !cell.text.trim().is_empty()
    {
        return Some((cell, Rank::TableBelow));
    }
    if below_row < t.n_rows
        && let Some(below) = t.cell_at(below_row, label.col)
        && !labels.is_label(&below.text)
        && !below.text.trim().is_empty()
    {
        return Some((below, Rank::TableBelow));
    }
    None
}

/// `label：value` at the start of a text, and labels inside running text for
/// the fields that allow it.
fn from_text(
    text: &str,
    labels: &LabelTable,
    inline_rank: Rank,
    ev: &dyn Fn(&str) -> Evidence,
    out: &mut Vec<Candidate>,
) {
    // A paragraph may hold several "label：value" lines, and a label line
    // may head the lines after it (its list items).
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if labels.split_inline(line).is_none()
            && let Some(m) = labels.match_label(line.trim().trim_end_matches(['：', ':']))
        {
            let items: Vec<&str> = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .take_while(|l| {
                    !labels.is_label(l.trim_end_matches(['：', ':']))
                        && labels.split_inline(l).is_none()
                })
                .take(MAX_ITEMS)
                .collect();
            if !items.is_empty() {
                out.push(Candidate {
                    field: m.field,
                    value: items.join("\n"),
                    label_rest: m.rest,
                    rank: inline_rank,
                    order: 0,
                    evidence: ev(line.trim()),
                });
            }
            continue;
        }
        inline_only(line, labels, inline_rank, ev, out);
    }
    for field in labels.prose_fields() {
        if let Some((value, rest)) = prose_value(text, labels, field) {
            out.push(Candidate {
                field: field.to_string(),
                value,
                label_rest: rest,
                rank: Rank::Prose,
                order: 0,
                evidence: ev(text.trim()),
            });
        }
    }
}

/// `label：value` lines only, no prose search.
fn inline_only(
    text: &str,
    labels: &LabelTable,
    rank: Rank,
    ev: &dyn Fn(&str) -> Evidence,
    out: &mut Vec<Candidate>,
) {
    for line in text.lines() {
        if let Some((m, value)) = labels.split_inline(line) {
            out.push(Candidate {
                field: m.field,
                value: value.to_string(),
                label_rest: m.rest,
                rank,
                order: 0,
                evidence: ev(line.trim()),
            });
        }
    }
}

/// The text after the first synonym of `field` found in running text, up
/// to the end of its clause. Works on the folded text, so that "申请省财政
/// 资金 40 万元" and "申请省财政资金40万元" read alike.
fn prose_value(text: &str, labels: &LabelTable, field: &str) -> Option<(String, String)> {
    let folded = fold(text);
    let mut best: Option<(usize, usize)> = None;
    for syn in labels.synonyms(field) {
        if let Some(pos) = folded.find(syn)
            && best.is_none_or(|(p, _)| pos < p)
        {
            best = Some((pos, syn.len()));
        }
    }
    let (pos, len) = best?;
    let label_start = folded[..pos].chars().rev().take(4).collect::<String>();
    // "not" words just before the synonym ("外方合作国家" vs "合作国家").
    let whole: String = label_start.chars().rev().collect::<String>() + &folded[pos..pos + len];
    if labels.match_label(&whole).is_some_and(|m| m.field != field) {
        return None;
    }
    let after = &folded[pos + len..];
    let end = after
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '；' | ';' | '\n'))
        .map(|(i, _)| i)
        .unwrap_or(after.len());
    let clause: String = after[..end].chars().take(80).collect();
    let clause = clause
        .trim_start_matches(['为', '是', '：', ':', '约', '共'])
        .to_string();
    if clause.is_empty() {
        return None;
    }
    Some((clause, String::new()))
}

/// Candidates from a file name written as `顺序号.项目名称-建议单位`.
pub fn from_file_name(source: &str) -> Vec<Candidate> {
    let name = source.rsplit('/').next().unwrap_or(source);
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let Some(rest) = strip_sequence_number(stem) else {
        return Vec::new();
    };
    let Some((project, unit)) = rest.rsplit_once(['-', '－', '—', '–']) else {
        return Vec::new();
    };
    let ev = |text: &str| Evidence {
        source: source.to_string(),
        page: None,
        locator: "file name".into(),
        text: text.to_string(),
    };
    let mut out = Vec::new();
    for (field, value) in [("project_name", project), ("applicant", unit)] {
        if value.trim().chars().count() >= 2 {
            out.push(Candidate {
                field: field.into(),
                value: value.trim().to_string(),
                label_rest: String::new(),
                rank: Rank::FileName,
                order: usize::MAX,
                evidence: ev(name),
            });
        }
    }
    out
}

/// `1.名称`, `01、名称`, `1．名称` → `名称`.
fn strip_sequence_number(stem: &str) -> Option<&str> {
    let digits = stem
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let rest = &stem[digits..];
    let rest = rest.strip_prefix(['.', '、', '．', '-', '_', ' '])?;
    Some(rest.trim())
}
