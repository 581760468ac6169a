//! The proposal's direction (指南方向 / project type) from every place that
//! states it: `--direction`, the region folder (found by `group`), and the
//! form — the value of a 指南方向 / 项目类别 / 合作方向 label, or the option
//! ticked in a checkbox list (`☑政府间合作 ☐载体联合研发`). The names each
//! direction goes by are scheme data (`name`, `form_names`, `folder_names`).
//!
//! Disagreement is never settled silently: a form that ticks several
//! directions, or names another one than its folder, gives
//! CATEGORY_MISMATCH with the form's text as evidence; so does a proposal
//! whose direction nothing states when the call has several.

use crate::fields::LabelTable;
use crate::group::Proposal;
use crate::model::{Block, Document, Evidence};
use crate::record::{Finding, Role, Severity};
use crate::scheme::Scheme;

/// Marks of a ticked box, and of any box (ticked or not).
const TICKED: &[char] = &['☑', '☒', '■', '✓', '✔', '√', '▣', '⊠'];
const BOX: &[char] = &['☐', '□', '☑', '☒', '■', '▣', '⊠', '○', '◯'];

/// A direction the form names, with where it says so.
#[derive(Debug, Clone)]
pub struct Stated {
    pub id: String,
    pub evidence: Evidence,
}

/// What a text says about the direction: the directions it names, reading
/// only the ticked options when it is a checkbox list.
fn named_in(scheme: &Scheme, text: &str) -> Vec<String> {
    let has_boxes = text
        .chars()
        .any(|c| BOX.contains(&c) || TICKED.contains(&c));
    if !has_boxes {
        return scheme
            .directions_in_text(text)
            .iter()
            .map(|d| d.id.clone())
            .collect();
    }
    let is_box = |c: &char| BOX.contains(c) || TICKED.contains(c);
    let marks: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| is_box(c)).collect();
    // "☑A ☐B": an option runs from its box to the next box; "A☑ B☐": from
    // the previous box (or the start) to its own box.
    let box_first = text.trim_start().starts_with(|c: char| is_box(&c));
    let mut out: Vec<String> = Vec::new();
    for (k, &(i, c)) in marks.iter().enumerate() {
        if !TICKED.contains(&c) {
            continue;
        }
        let (start, end) = if box_first {
            (
                i + c.len_utf8(),
                marks.get(k + 1).map(|m| m.0).unwrap_or(text.len()),
            )
        } else {
            (
                k.checked_sub(1)
                    .map(|p| marks[p].0 + marks[p].1.len_utf8())
                    .unwrap_or(0),
                i,
            )
        };
        let option = text.get(start..end).unwrap_or("");
        for d in scheme.directions_in_text(option) {
            if !out.contains(&d.id) {
                out.push(d.id.clone());
            }
        }
    }
    out
}

/// Words a label ends with when it asks for the project's kind (支持方向,
/// 项目类别, 申报类型 …): whatever its first words, such a label's value is
/// read as a direction when it names one of the call's.
const KIND_WORDS: &[&str] = &["方向", "类别", "类型"];

/// A short label cell asking for the project's kind.
fn kind_label(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '：' | ':' | '*' | '＊'))
        .collect();
    (2..=10).contains(&t.chars().count()) && KIND_WORDS.iter().any(|w| t.ends_with(w))
}

/// The value of a `支持方向：…` / `支持方向<TAB>…` line, if the text is one.
fn kind_line(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let (head, value) = line
            .split_once(['：', ':', '\t'])
            .or_else(|| line.split_once(char::is_whitespace))?;
        let value = value.trim();
        (kind_label(head) && !value.is_empty() && value.chars().count() <= 40).then_some(value)
    })
}

/// Directions the proposal's forms state, each with its evidence.
pub fn stated_in_forms(
    scheme: &Scheme,
    docs: &[(&Document, Role)],
    labels: &LabelTable,
) -> Vec<Stated> {
    let mut out: Vec<Stated> = Vec::new();
    let mut push = |ids: Vec<String>, ev: Evidence| {
        for id in ids {
            if !out.iter().any(|s| s.id == id) {
                out.push(Stated {
                    id,
                    evidence: ev.clone(),
                });
            }
        }
    };
    let is_direction_label = |t: &str| {
        labels
            .match_label(t)
            .is_some_and(|m| m.field == "direction")
            || kind_label(t)
    };
    for (doc, role) in docs {
        if *role != Role::Form {
            continue;
        }
        for (b, block) in doc.blocks.iter().enumerate() {
            match block {
                Block::Paragraph(p) => {
                    let labelled = labels
                        .split_inline(&p.text)
                        .filter(|(m, _)| m.field == "direction")
                        .map(|(_, v)| v)
                        .or_else(|| kind_line(&p.text));
                    let ticked = p.text.chars().any(|c| TICKED.contains(&c));
                    if let Some(text) = labelled.or(ticked.then_some(p.text.as_str())) {
                        let ev = Evidence {
                            source: doc.source.clone(),
                            page: p.page,
                            locator: format!("paragraph {}", b + 1),
                            text: p.text.clone(),
                        };
                        push(named_in(scheme, text), ev);
                    }
                }
                Block::Table(t) => {
                    for c in t.cells() {
                        let value_cell = if is_direction_label(&c.text) {
                            t.cell_at(c.row, c.col + c.col_span.max(1))
                        } else {
                            None
                        };
                        let inline = labels
                            .split_inline(&c.text)
                            .filter(|(m, _)| m.field == "direction")
                            .map(|(_, v)| v.to_string())
                            .or_else(|| kind_line(&c.text).map(str::to_string));
                        let ticked = c.text.chars().any(|ch| TICKED.contains(&ch));
                        let (text, at) = if let Some(v) = value_cell {
                            (v.text.clone(), v)
                        } else if let Some(v) = inline {
                            (v, c)
                        } else if ticked && !is_direction_label(&c.text) {
                            (c.text.clone(), c)
                        } else {
                            continue;
                        };
                        let ev = Evidence {
                            source: doc.source.clone(),
                            page: t.page,
                            locator: t.locate(at),
                            text: at.text.clone(),
                        };
                        push(named_in(scheme, &text), ev);
                    }
                }
            }
        }
    }
    out
}

/// The proposal's direction and the findings about it.
pub fn resolve(
    scheme: &Scheme,
    proposal: &Proposal,
    forced: bool,
    stated: &[Stated],
    source: Option<&str>,
) -> (Option<String>, Vec<Finding>) {
    let folder = proposal.direction.clone();
    if forced {
        return (folder, Vec::new());
    }
    let name = |id: &str| {
        scheme
            .direction(id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let finding = |message: String, evidence: Option<Evidence>| Finding {
        code: crate::record::Code::CategoryMismatch,
        severity: Severity::Warning,
        field: None,
        message,
        source: source.map(str::to_string),
        evidence,
    };
    let mut out = Vec::new();
    match stated {
        [] => {
            if folder.is_none()
                && proposal.direction_conflict.is_empty()
                && scheme.directions.len() > 1
            {
                out.push(finding(
                    "文件夹和申报书均未说明合作方向（指南方向/项目类别），无法按方向核对 / neither the folder nor the form states the direction; direction-specific rules not checked (use --direction)".into(),
                    None,
                ));
            }
            (folder, out)
        }
        [one] => match &folder {
            None => (Some(one.id.clone()), out),
            Some(f) if *f == one.id => (folder, out),
            Some(f) => {
                out.push(finding(
                    format!(
                        "文件夹为“{}”，申报书填写的方向为“{}” / filed under {} but the form states {}",
                        name(f),
                        name(&one.id),
                        f,
                        one.id
                    ),
                    Some(one.evidence.clone()),
                ));
                (folder, out)
            }
        },
        many => {
            let ids: Vec<&str> = many.iter().map(|s| s.id.as_str()).collect();
            let names: Vec<String> = ids.iter().map(|i| name(i)).collect();
            out.push(finding(
                format!(
                    "申报书同时填写了多个方向（{}），无法确定 / the form states several directions ({}); use --direction",
                    names.join("、"),
                    ids.join(", ")
                ),
                Some(many[0].evidence.clone()),
            ));
            // The folder, when it is one of them, still says where it was filed.
            let keep = folder.filter(|f| ids.contains(&f.as_str()));
            (keep, out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Catalog;

    #[test]
    fn any_kind_label_states_the_direction() {
        assert_eq!(
            kind_line("支持方向\t重点国别科技合作项目"),
            Some("重点国别科技合作项目")
        );
        assert_eq!(
            kind_line("项目申报类别：区域合作项目"),
            Some("区域合作项目")
        );
        assert!(kind_label("支持方向"));
        assert!(kind_label("项 目 类 型："));
        // Prose and other labels are not.
        assert_eq!(
            kind_line("本项目研究方向涉及新能源汽车热泵空调系统的关键部件"),
            None
        );
        assert!(!kind_label("项目名称"));
        let c = Catalog::embedded();
        let s = c.scheme("shanxi-2024-cooperation").unwrap();
        let labels = LabelTable::from_catalog(&c).unwrap();
        let doc = Document {
            source: "申报书.pdf".into(),
            blocks: vec![Block::Paragraph(crate::model::Paragraph {
                text: "支持方向\t重点国别科技合作项目".into(),
                ..Default::default()
            })],
            ..Default::default()
        };
        let stated = stated_in_forms(s, &[(&doc, Role::Form)], &labels);
        let ids: Vec<&str> = stated.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["key-country"]);
    }

    #[test]
    fn checkbox_lists_read_only_the_ticked_option() {
        let c = Catalog::embedded();
        let s = c.scheme("shanxi-2024-cooperation").unwrap();
        let ids = |t: &str| named_in(s, t);
        assert_eq!(
            ids("☐重点国别科技合作项目 ☑“一带一路”科技合作项目 ☐区域合作项目"),
            ["belt-and-road"]
        );
        assert_eq!(ids("□区域合作项目 ■科技援助合作项目"), ["aid"]);
        assert!(ids("☐区域合作项目 ☐科技援助合作项目").is_empty());
        assert_eq!(ids("☑区域合作项目 ☑科技援助合作项目"), ["regional", "aid"]);
        assert_eq!(ids("“一带一路”科技合作项目"), ["belt-and-road"]);
        // Boxes after the names.
        assert_eq!(ids("区域合作项目☐ 科技援助合作项目☑"), ["aid"]);
        assert_eq!(ids("区域合作项目 ☑ 科技援助合作项目 ☐"), ["regional"]);
    }
}
