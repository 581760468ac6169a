//! Field location: finds every SPEC §3 field of a proposal in its documents'
//! model (never in raw formats), normalizes it, and keeps the evidence.
//!
//! `candidates` lists every labelled value a document offers; this module
//! picks, per field, the most trustworthy candidate that normalizes, in
//! document-priority order (the form before the agreement before the rest).

pub mod agreement;
pub mod candidates;
pub mod labels;
pub mod recommender;
pub mod seals;

use std::collections::BTreeMap;

use crate::model::{Document, Evidence};
use crate::normalize::{country, date, indicator, money, org, text, trl};
use crate::pixels::edit_distance;
use crate::record::{Fields, Funding, NoveltyReport, Period, Pi, Role, Trl};
use candidates::{Candidate, Rank};
pub use labels::LabelTable;

/// A value that was stated but cannot be right (TRL 12, a period that ends
/// before it starts): kept so the checks can say so instead of "missing".
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub field: String,
    pub reason: String,
    pub evidence: Evidence,
}

/// The fields of one proposal with their evidence.
#[derive(Debug, Clone, Default)]
pub struct Located {
    pub fields: Fields,
    pub evidence: BTreeMap<String, Evidence>,
    pub invalid: Vec<Invalid>,
}

/// Locates the fields of a proposal made of `docs` with their roles, most
/// important first. `file_names` are the proposal's file paths, read last
/// (`1.名称-单位.docx`).
pub fn locate(docs: &[(&Document, Role)], file_names: &[&str], labels: &LabelTable) -> Located {
    let mut cands: Vec<(usize, Candidate)> = Vec::new();
    for (i, (doc, _)) in docs.iter().enumerate() {
        cands.extend(candidates::collect(doc, labels).into_iter().map(|c| (i, c)));
    }
    for name in file_names {
        cands.extend(
            candidates::from_file_name(name)
                .into_iter()
                .map(|c| (usize::MAX, c)),
        );
    }
    // The form before the other documents; within one, tables before prose.
    cands.sort_by_key(|(da, a)| (*da, a.rank, a.order));
    let mut by_field: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for (_, c) in &cands {
        by_field.entry(c.field.as_str()).or_default().push(c);
    }
    let mut out = Located::default();
    let get = |f: &str| by_field.get(f).map(Vec::as_slice).unwrap_or(&[]);
    let ocr_sources: Vec<&str> = docs
        .iter()
        .filter(|(d, _)| d.ocr)
        .map(|(d, _)| d.source.as_str())
        .collect();
    let by_ocr = |c: &Candidate| {
        c.rank != Rank::FileName && ocr_sources.contains(&c.evidence.source.as_str())
    };

    let f = &mut out.fields;
    let ev = &mut out.evidence;
    f.project_name = first_spelled(get("project_name"), "project_name", ev, by_ocr, |v| {
        let s = text::clean_value(v);
        (s.chars().count() >= 2 && !labels.is_label(&s)).then_some(s)
    });
    f.project_name_en = first(get("project_name_en"), "project_name_en", ev, |v| {
        let s = text::clean_value(v);
        (s.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3).then_some(s)
    });
    f.applicant = first_spelled(get("applicant"), "applicant", ev, by_ocr, clean_org);
    f.applicant_type = first(get("applicant_type"), "applicant_type", ev, |v| {
        org::applicant_type_from_label(v)
    })
    .or_else(|| f.applicant.as_deref().and_then(org::applicant_type));
    f.partner_countries = first(get("partner_countries"), "partner_countries", ev, |v| {
        // A name with one character misread (OCR) is read item by item.
        let codes: Vec<String> = country::countries_in_list(v)
            .into_iter()
            .map(String::from)
            .collect();
        (!codes.is_empty()).then_some(codes)
    })
    .unwrap_or_default();
    f.partner_institution = first_spelled(
        get("partner_institution"),
        "partner_institution",
        ev,
        by_ocr,
        clean_org,
    );
    f.key_technologies = first(get("key_technologies"), "key_technologies", ev, |v| {
        let items = text::split_list(v);
        (!items.is_empty()).then_some(items)
    })
    .unwrap_or_default();
    f.indicators = first(get("indicators"), "indicators", ev, |v| {
        let items = indicator::parse_indicators(v);
        (!items.is_empty()).then_some(items)
    })
    .unwrap_or_default();
    f.pi = locate_pi(&get, ev);
    f.trl = locate_trl(&get, ev, &mut out.invalid);
    f.execution_period = locate_period(get("execution_period"), ev, &mut out.invalid);
    // Funding: explicit labels and budget lines/sections that state both
    // amounts, in the same document-and-rank order.
    let funding_cands: Vec<&Candidate> = cands
        .iter()
        .map(|(_, c)| c)
        .filter(|c| {
            matches!(
                c.field.as_str(),
                "funding_requested" | "funding_matching" | "funding"
            )
        })
        .collect();
    let requested = first_with(&funding_cands, "funding.requested_wan", ev, |c| {
        money_for("funding_requested", c, labels)
    });
    let matching = first_with(&funding_cands, "funding.matching_wan", ev, |c| {
        money_for("funding_matching", c, labels)
    });
    if requested.is_some() || matching.is_some() {
        f.funding = Some(Funding {
            requested_wan: requested,
            matching_wan: matching,
        });
        if let Some(e) = ev
            .get("funding.requested_wan")
            .or_else(|| ev.get("funding.matching_wan"))
        {
            let e = e.clone();
            ev.insert("funding".into(), e);
        }
    }
    f.applicant_registered = first(
        get("applicant_registered"),
        "applicant_registered",
        ev,
        |v| date::parse_date(v).map(|d| d.to_iso()),
    );
    let agency = first(
        get("novelty_agency"),
        "novelty_report.agency",
        ev,
        clean_org,
    );
    let novelty_date = first(get("novelty_date"), "novelty_report.date", ev, |v| {
        date::parse_date(v).map(|d| d.to_iso())
    });
    if agency.is_some() || novelty_date.is_some() {
        f.novelty_report = Some(NoveltyReport {
            agency,
            date: novelty_date,
        });
        if let Some(e) = ev
            .get("novelty_report.date")
            .or_else(|| ev.get("novelty_report.agency"))
        {
            let e = e.clone();
            ev.insert("novelty_report".into(), e);
        }
    }
    let agreements: Vec<&Document> = docs
        .iter()
        .filter(|(_, r)| *r == Role::Agreement)
        .map(|(d, _)| *d)
        .collect();
    if let Some((a, e)) = agreement::locate(&agreements) {
        f.agreement = Some(a);
        ev.insert("agreement".into(), e);
    }
    out
}

/// The first candidate that normalizes; records its evidence under `key`.
fn first<T>(
    cands: &[&Candidate],
    key: &str,
    evidence: &mut BTreeMap<String, Evidence>,
    norm: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    first_with(cands, key, evidence, |c| norm(&c.value))
}

fn first_with<T>(
    cands: &[&Candidate],
    key: &str,
    evidence: &mut BTreeMap<String, Evidence>,
    norm: impl Fn(&Candidate) -> Option<T>,
) -> Option<T> {
    for c in cands {
        if let Some(v) = norm(c) {
            evidence.insert(key.to_string(), c.evidence.clone());
            return Some(v);
        }
    }
    None
}

/// Like [`first`], but a value read by OCR gives way to a later one not
/// read by OCR (the file name, a digital document) that spells nearly
/// the same name: OCR misreads characters (草州林业大用 for the file
/// name's 东川林业大学), those do not. A name spelled quite differently,
/// or shorter, is another name, and the form's stays.
fn first_spelled(
    cands: &[&Candidate],
    key: &str,
    evidence: &mut BTreeMap<String, Evidence>,
    by_ocr: impl Fn(&Candidate) -> bool,
    norm: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let (at, value) = cands
        .iter()
        .enumerate()
        .find_map(|(i, c)| norm(&c.value).map(|v| (i, v)))?;
    let mut chosen = (cands[at], value);
    if by_ocr(cands[at]) {
        let read: Vec<char> = chosen.1.chars().collect();
        let spelled = cands[at + 1..].iter().filter(|c| !by_ocr(c)).find_map(|c| {
            let v = norm(&c.value)?;
            let other: Vec<char> = v.chars().collect();
            let longer = read.len().max(other.len()).max(1);
            let agree = 1.0 - edit_distance(&read, &other) as f64 / longer as f64;
            // A shortened name (a file's) is not a misreading.
            let same_length = read.len().abs_diff(other.len()) <= 1;
            (same_length && (SAME_NAME..1.0).contains(&agree)).then_some((*c, v))
        });
        if let Some(better) = spelled {
            chosen = better;
        }
    }
    evidence.insert(key.to_string(), chosen.0.evidence.clone());
    Some(chosen.1)
}

/// Share of characters two spellings of one name have in common, at least
/// (1 − edit distance over the longer): half, as OCR of a scanned form
/// misreads up to one character in two of a short name.
const SAME_NAME: f64 = 0.5;

fn clean_org(v: &str) -> Option<String> {
    let mut s = text::clean_value(v);
    // Notes on the unit's role or stamp, not part of its name.
    for suffix in [
        "（盖章）",
        "(盖章)",
        "（公章）",
        "(公章)",
        "（牵头）",
        "(牵头)",
        "（牵头单位）",
        "(牵头单位)",
    ] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.trim().to_string();
        }
    }
    // A signature block's date under an empty 建议单位（盖章）： line, or a
    // number, is no organisation: a name has letters or characters.
    let starts_dated = s.chars().take_while(char::is_ascii_digit).count() >= 4
        && s.chars()
            .find(|c| !c.is_ascii_digit() && !c.is_whitespace())
            == Some('年');
    let has_name = s
        .chars()
        .any(|c| c.is_alphabetic() && !"年月日号".contains(c));
    (s.chars().count() >= 2 && !starts_dated && has_name).then_some(s)
}

fn label_unit(c: &Candidate) -> money::MoneyUnit {
    if c.label_rest.contains("万元") || c.label_rest.contains("万") {
        money::MoneyUnit::Wan
    } else if c.label_rest.contains("亿") {
        money::MoneyUnit::Yi
    } else if c.label_rest.contains('元') {
        money::MoneyUnit::Yuan
    } else {
        // Forms state funding in 万元 unless they say otherwise.
        money::MoneyUnit::Wan
    }
}

/// The amount of class `want` (`funding_requested` / `funding_matching`)
/// a candidate states: by the cue words before each amount when it holds
/// amounts with units, else its bare number in the label's unit when the
/// label itself is of that class.
fn money_for(want: &str, c: &Candidate, labels: &LabelTable) -> Option<f64> {
    let own = (c.field != "funding").then_some(c.field.as_str());
    let found = money::amounts_by_cue(&c.value, labels.money_cues(), own);
    if !found.is_empty() {
        return found
            .iter()
            .find(|(_, class)| *class == Some(want))
            .map(|(v, _)| *v);
    }
    (c.field == want)
        .then(|| money::parse_money_wan(&c.value, label_unit(c)))
        .flatten()
}

fn locate_pi<'a>(
    get: &dyn Fn(&str) -> &'a [&'a Candidate],
    ev: &mut BTreeMap<String, Evidence>,
) -> Option<Pi> {
    let name = first(get("pi_name"), "pi", ev, |v| {
        let s = text::clean_value(v);
        let n = s.chars().count();
        (2..=30).contains(&n).then_some(s)
    })?;
    let birth_date = first(get("pi_birth"), "pi.birth_date", ev, |v| {
        date::parse_date(v).map(|d| d.to_iso())
    });
    let title = first(get("pi_title"), "pi.title", ev, |v| {
        let s = text::clean_value(v);
        (!s.is_empty() && s.chars().count() <= 30).then_some(s)
    });
    Some(Pi {
        name,
        birth_date,
        title,
    })
}

fn locate_trl<'a>(
    get: &dyn Fn(&str) -> &'a [&'a Candidate],
    ev: &mut BTreeMap<String, Evidence>,
    invalid: &mut Vec<Invalid>,
) -> Option<Trl> {
    let cur = get("trl_current")
        .iter()
        .find_map(|c| trl::parse_trl_raw(&c.value).map(|v| (v, *c)));
    let (current, mut target, cur_ev) = match cur {
        Some(((c, t), cand)) => (c, t, cand.evidence.clone()),
        None => return None,
    };
    ev.insert("trl".into(), cur_ev.clone());
    if target.is_none() {
        target = first(get("trl_target"), "trl.target", ev, |v| {
            trl::parse_trl_raw(v).map(|(c, _)| c)
        });
    }
    // The form gave the current level only; a place that states the same
    // current level with a target (the report's "由目前的4级提升至7级")
    // completes it.
    if target.is_none() {
        target = first(get("trl_current"), "trl.target", ev, |v| {
            trl::parse_trl_raw(v).and_then(|(c, t)| if c == current { t } else { None })
        });
    }
    let valid = |n: i64| (1..=9).contains(&n);
    if !valid(current) || target.is_some_and(|t| !valid(t)) {
        invalid.push(Invalid {
            field: "trl".into(),
            reason: format!(
                "技术成熟度应为1–9级，表中为 {current}{} / TRL must be 1–9",
                target.map(|t| format!("→{t}")).unwrap_or_default()
            ),
            evidence: cur_ev,
        });
        return None;
    }
    Some(Trl {
        current: current as u8,
        target: target.map(|t| t as u8),
    })
}

fn locate_period(
    cands: &[&Candidate],
    ev: &mut BTreeMap<String, Evidence>,
    invalid: &mut Vec<Invalid>,
) -> Option<Period> {
    let (start, end) = first(cands, "execution_period", ev, date::parse_period)?;
    if end < start
        && let Some(e) = ev.get("execution_period")
    {
        invalid.push(Invalid {
            field: "execution_period".into(),
            reason: "实施期限的结束早于开始 / the period ends before it starts".into(),
            evidence: e.clone(),
        });
    }
    Some(Period {
        start: Some(start.to_iso()),
        end: Some(end.to_iso()),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_date_or_number_is_no_organisation() {
        assert_eq!(clean_org("2025年11月  日"), None);
        assert_eq!(clean_org("2025年11月20日"), None);
        assert_eq!(clean_org("12345"), None);
        assert_eq!(
            clean_org("东川远航机电有限公司（盖章）").as_deref(),
            Some("东川远航机电有限公司")
        );
        assert_eq!(
            clean_org("3M中国有限公司").as_deref(),
            Some("3M中国有限公司")
        );
    }

    use super::*;
    use crate::model::{Block, Cell, Paragraph, Table};

    fn cand(value: &str, rank: Rank, source: &str) -> Candidate {
        Candidate {
            field: "applicant".into(),
            value: value.into(),
            label_rest: String::new(),
            rank,
            order: 0,
            evidence: Evidence {
                source: source.into(),
                page: None,
                locator: String::new(),
                text: value.into(),
            },
        }
    }

    #[test]
    fn an_ocr_misreading_gives_way_to_the_same_name_spelled_in_text() {
        let by_ocr = |c: &Candidate| c.rank != Rank::FileName && c.evidence.source == "scan.pdf";
        let pick = |cands: &[Candidate]| {
            let refs: Vec<&Candidate> = cands.iter().collect();
            let mut ev = BTreeMap::new();
            let v = first_spelled(&refs, "applicant", &mut ev, by_ocr, clean_org);
            (v, ev["applicant"].locator.clone())
        };
        let mut misread = cand("草州林业大用", Rank::TableRight, "scan.pdf");
        misread.evidence.locator = "table 1".into();
        let mut named = cand("东川林业大学", Rank::FileName, "scan.pdf");
        named.evidence.locator = "file name".into();
        assert_eq!(
            pick(&[misread.clone(), named.clone()]),
            (Some("东川林业大学".into()), "file name".into())
        );
        // Read from text, the form's own spelling stands.
        let mut typed = misread.clone();
        typed.evidence.source = "form.docx".into();
        assert_eq!(
            pick(&[typed, named.clone()]).0.as_deref(),
            Some("草州林业大用")
        );
        // Another name, or a shortened one, is no spelling of the same.
        let other = cand("南江船舶设计研究院", Rank::FileName, "scan.pdf");
        assert_eq!(
            pick(&[misread.clone(), other]).0.as_deref(),
            Some("草州林业大用")
        );
        let short = cand("东川林大", Rank::FileName, "scan.pdf");
        assert_eq!(pick(&[misread, short]).0.as_deref(), Some("草州林业大用"));
    }

    fn labels() -> LabelTable {
        LabelTable::parse(include_str!("../../pipelines/labels.toml")).unwrap()
    }

    /// A table from rows of (text, row_span, col_span); covered grid
    /// positions are skipped automatically.
    fn table(rows: &[&[(&str, usize, usize)]]) -> Table {
        let n_rows = rows.len();
        let mut covered = vec![vec![false; 16]; n_rows + 4];
        let mut out = Vec::new();
        let mut n_cols = 0;
        for (r, row) in rows.iter().enumerate() {
            let mut col = 0;
            let mut cells = Vec::new();
            for &(text, rs, cs) in row.iter() {
                while covered[r][col] {
                    col += 1;
                }
                for covered_row in covered.iter_mut().skip(r).take(rs) {
                    for c in covered_row.iter_mut().skip(col).take(cs) {
                        *c = true;
                    }
                }
                cells.push(Cell {
                    row: r,
                    col,
                    row_span: rs,
                    col_span: cs,
                    text: text.to_string(),
                    ..Default::default()
                });
                col += cs;
                n_cols = n_cols.max(col);
            }
            out.push(cells);
        }
        Table {
            index: 1,
            n_rows,
            n_cols,
            rows: out,
            ..Default::default()
        }
    }

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            source: "a.docx".into(),
            blocks,
            ..Default::default()
        }
    }

    fn para(i: usize, text: &str) -> Block {
        Block::Paragraph(Paragraph {
            text: text.into(),
            index: i,
            ..Default::default()
        })
    }

    #[test]
    fn label_left_value_right_and_four_columns() {
        let t = table(&[
            &[
                ("指南建议名称", 1, 1),
                ("智能农机装备关键技术联合研发", 1, 3),
            ],
            &[
                ("建议人", 1, 1),
                ("张  伟", 1, 1),
                ("职称", 1, 1),
                ("教授", 1, 1),
            ],
            &[("建议单位", 1, 1), ("山东大学", 1, 3)],
        ]);
        let d = doc(vec![Block::Table(t)]);
        let got = locate(&[(&d, Role::Form)], &[], &labels());
        assert_eq!(
            got.fields.project_name.as_deref(),
            Some("智能农机装备关键技术联合研发")
        );
        assert_eq!(got.fields.applicant.as_deref(), Some("山东大学"));
        let pi = got.fields.pi.unwrap();
        assert_eq!(pi.title.as_deref(), Some("教授"));
        let ev = &got.evidence["project_name"];
        assert_eq!(ev.locator, "table 1, row 1, col 2");
        assert_eq!(ev.source, "a.docx");
    }

    #[test]
    fn a_listed_item_opening_with_a_decimal_looking_number_stays_in_the_list() {
        // "2.5G…" is item 2, not a decimal ending the list; under a
        // heading and under a label alike.
        let items = [
            "1.工业现场总线协议转换",
            "2.5G专网切片隔离技术",
            "3.端到端时延测量",
        ];
        let want = [
            "工业现场总线协议转换",
            "5G专网切片隔离技术",
            "端到端时延测量",
        ];
        for head in ["五、关键技术", "关键技术清单："] {
            let mut blocks = vec![
                para(0, "四、合作基础"),
                para(1, "双方合作多年。"),
                para(2, head),
            ];
            blocks.extend(items.iter().enumerate().map(|(i, t)| para(3 + i, t)));
            blocks.push(para(6, "六、考核指标"));
            let d = doc(blocks);
            let got = locate(&[(&d, Role::Form)], &[], &labels());
            assert_eq!(got.fields.key_technologies, want, "{head}");
        }
    }

    #[test]
    fn label_above_value_below_and_group_label_spanning_rows() {
        let t = table(&[
            &[("建议人", 2, 1), ("姓名", 1, 1), ("李娜", 1, 1)],
            &[("出生年月", 1, 1), ("1978年5月", 1, 1)],
            &[("关键技术清单", 1, 3)],
            &[("①高精度导航\n②智能决策", 1, 3)],
        ]);
        let d = doc(vec![Block::Table(t)]);
        let got = locate(&[(&d, Role::Form)], &[], &labels());
        assert_eq!(
            got.fields.pi.as_ref().map(|p| p.name.as_str()),
            Some("李娜")
        );
        assert_eq!(
            got.evidence["key_technologies"].locator,
            "table 1, row 4, col 1"
        );
        assert!(!got.fields.key_technologies.is_empty());
    }

    #[test]
    fn blank_value_cell_means_missing_not_the_next_label() {
        let t = table(&[
            &[("项目名称", 1, 1), ("", 1, 1)],
            &[("建议单位", 1, 1), ("山东大学", 1, 1)],
        ]);
        let d = doc(vec![Block::Table(t)]);
        let got = locate(&[(&d, Role::Form)], &[], &labels());
        assert_eq!(got.fields.project_name, None);
        assert_eq!(got.fields.applicant.as_deref(), Some("山东大学"));
    }

    #[test]
    fn inline_paragraphs_and_file_name_fallback() {
        let d = doc(vec![
            para(1, "项目名称：海洋牧场智能监测"),
            para(2, "说明报告"),
        ]);
        let got = locate(
            &[(&d, Role::Form)],
            &["dept.zip/日韩/3.海洋牧场智能监测-中国海洋大学.docx"],
            &labels(),
        );
        assert_eq!(got.fields.project_name.as_deref(), Some("海洋牧场智能监测"));
        assert_eq!(got.evidence["project_name"].locator, "paragraph 1");
        assert_eq!(got.fields.applicant.as_deref(), Some("中国海洋大学"));
        assert_eq!(got.evidence["applicant"].locator, "file name");
    }

    #[test]
    fn table_value_beats_prose_and_file_name() {
        let t = table(&[&[("项目名称", 1, 1), ("甲项目", 1, 1)]]);
        let d = doc(vec![Block::Table(t), para(5, "项目名称：乙项目")]);
        let got = locate(&[(&d, Role::Form)], &["1.丙项目-某单位.docx"], &labels());
        assert_eq!(got.fields.project_name.as_deref(), Some("甲项目"));
    }

    #[test]
    fn funding_and_period_from_prose() {
        let d = doc(vec![
            para(1, "三、经费预算"),
            para(
                2,
                "项目总经费120万元，其中申请省财政资金40万元，单位自筹配套80万元。",
            ),
            para(3, "项目实施期限为2026年1月至2028年12月。"),
            para(4, "合作国家：大韩民国"),
        ]);
        let got = locate(&[(&d, Role::Form)], &[], &labels());
        let f = got.fields.funding.unwrap();
        assert_eq!(f.requested_wan, Some(40.0));
        assert_eq!(f.matching_wan, Some(80.0));
        let p = got.fields.execution_period.unwrap();
        assert_eq!(p.start.as_deref(), Some("2026-01"));
        assert_eq!(p.end.as_deref(), Some("2028-12"));
        assert_eq!(got.fields.partner_countries, vec!["KR".to_string()]);
        assert_eq!(
            got.evidence["funding.requested_wan"].locator,
            "section 三、经费预算"
        );
    }

    #[test]
    fn country_with_one_misread_character() {
        let t = table(&[&[("合作国别", 1, 1), ("险萨克斯坦", 1, 1)]]);
        let d = doc(vec![Block::Table(t)]);
        let got = locate(&[(&d, Role::Form)], &[], &labels());
        assert_eq!(got.fields.partner_countries, vec!["KZ".to_string()]);
    }

    #[test]
    fn money_unit_comes_from_the_label() {
        let t = table(&[
            &[("申请省财政资金（元）", 1, 1), ("400,000", 1, 1)],
            &[("自筹资金（万元）", 1, 1), ("80", 1, 1)],
            &[("当前技术成熟度", 1, 1), ("12级", 1, 1)],
        ]);
        let d = doc(vec![Block::Table(t)]);
        let got = locate(&[(&d, Role::Form)], &[], &labels());
        let f = got.fields.funding.unwrap();
        assert_eq!(f.requested_wan, Some(40.0));
        assert_eq!(f.matching_wan, Some(80.0));
        assert_eq!(got.fields.trl, None, "TRL 12 is not a level");
        assert_eq!(got.invalid.len(), 1);
        assert_eq!(got.invalid[0].field, "trl");
    }
}
