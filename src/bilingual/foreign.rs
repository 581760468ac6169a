//! The foreign side's own application summary (外方申报信息: a one-page
//! English table of the partner's application) set against ours. Calls
//! with two national applications (MOST) require the English project
//! name, the partner and the period to match; a summary that says
//! otherwise gives BILINGUAL_MISMATCH with the summary as evidence.

use crate::model::{Block, Document, Evidence};
use crate::normalize::date::parse_period;
use crate::normalize::org::org_similarity;
use crate::record::{BilingualPair, Code, Fields, Finding, Role, Severity};

/// What the summary states, each value with where it stands.
#[derive(Debug, Default)]
struct Summary {
    title: Option<(String, Evidence)>,
    lead: Option<(String, Evidence)>,
    period: Option<(String, Evidence)>,
}

/// Which of our fields a summary label gives; `None` for other labels
/// (the Chinese side's own rows included).
fn slot(label: &str) -> Option<&'static str> {
    let l = label.to_lowercase();
    if l.contains("chinese") || l.contains("china") {
        return None;
    }
    if l.contains("title") {
        Some("title")
    } else if l.contains("institution") || l.contains("organisation") || l.contains("organization")
    {
        Some("lead")
    } else if l.contains("period") || l.contains("duration") {
        Some("period")
    } else {
        None
    }
}

/// An English document laid out as `label | value` rows with a project
/// title among them.
fn read(doc: &Document) -> Option<Summary> {
    let text = doc.plain_text(false);
    let han = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let latin = text.chars().filter(char::is_ascii_alphabetic).count();
    if latin < 200 || han * 10 > latin {
        return None;
    }
    let mut rows: Vec<(String, String, Evidence)> = Vec::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Table(t) => {
                for row in &t.rows {
                    if let [label, value, ..] = row.as_slice() {
                        rows.push((
                            label.text.clone(),
                            value.text.clone(),
                            Evidence {
                                source: doc.source.clone(),
                                page: t.page,
                                locator: t.locate(value),
                                text: format!("{} | {}", label.text.trim(), value.text.trim()),
                            },
                        ));
                    }
                }
            }
            Block::Paragraph(p) => {
                for line in p.text.lines() {
                    if let Some((label, value)) = line.split_once(['\t', ':']) {
                        rows.push((
                            label.to_string(),
                            value.to_string(),
                            Evidence {
                                source: doc.source.clone(),
                                page: p.page,
                                locator: format!("paragraph {}", b + 1),
                                text: line.trim().to_string(),
                            },
                        ));
                    }
                }
            }
        }
    }
    let mut s = Summary::default();
    for (label, value, ev) in rows {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        // A label is short; a sentence with a colon is not one.
        if value.is_empty() || label.split_whitespace().count() > 6 {
            continue;
        }
        let slot = match slot(&label) {
            Some("title") => &mut s.title,
            Some("lead") => &mut s.lead,
            Some("period") => &mut s.period,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some((value, ev));
        }
    }
    s.title.is_some().then_some(s)
}

/// A title for comparison: lowercase words, `&` read as `and`.
fn words(s: &str) -> String {
    s.to_lowercase()
        .replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compares the foreign summaries among `docs` with our form's `fields`;
/// `foreign_name` is the partner's English name where the agreement or
/// the form gives one. Adds pairs and findings to `pairs` / `findings`.
pub fn compare(
    docs: &[(&Document, Role)],
    fields: &Fields,
    foreign_name: Option<&str>,
    pairs: &mut Vec<BilingualPair>,
    findings: &mut Vec<Finding>,
) {
    let summaries: Vec<Summary> = docs
        .iter()
        .filter(|(_, r)| !matches!(r, Role::Agreement | Role::Summary))
        .filter_map(|(d, _)| read(d))
        .collect();
    for s in summaries {
        let mut check = |field: &str,
                         zh: &str,
                         ours: String,
                         theirs: &(String, Evidence),
                         same: bool| {
            pairs.push(BilingualPair {
                field: format!("foreign.{field}"),
                zh: ours.clone(),
                en: theirs.0.clone(),
                consistent: same,
            });
            if !same {
                findings.push(Finding {
                    code: Code::BilingualMismatch,
                    severity: Severity::Error,
                    field: Some(field.to_string()),
                    message: format!(
                        "申报书与外方申报信息不一致（{zh}）：我方“{ours}”，外方“{}” / our application and the foreign side's summary differ on {field}: ours `{ours}`, theirs `{}`",
                        theirs.0, theirs.0
                    ),
                    source: Some(theirs.1.source.clone()),
                    evidence: Some(theirs.1.clone()),
                });
            }
        };
        if let (Some(t), Some(ours)) = (&s.title, fields.project_name_en.as_deref()) {
            check(
                "project_name_en",
                "项目英文名称",
                ours.to_string(),
                t,
                words(ours) == words(&t.0),
            );
        }
        if let (Some(p), Some(per)) = (&s.period, &fields.execution_period)
            && let (Some(a), Some(b)) = (per.start.as_deref(), per.end.as_deref())
            && let Some((from, to)) = parse_period(&p.0)
        {
            // Compared by month: forms give months, summaries days.
            let month = |s: &str| s.get(..7).unwrap_or(s).to_string();
            let same = month(a) == month(&from.to_iso()) && month(b) == month(&to.to_iso());
            check("execution_period", "执行期", format!("{a} — {b}"), p, same);
        }
        if let (Some(l), Some(name)) = (&s.lead, foreign_name) {
            let same = org_similarity(name, &l.0) >= 0.5;
            check(
                "partner_institution",
                "外方合作单位",
                name.to_string(),
                l,
                same,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Paragraph;

    fn summary(lines: &[&str]) -> Document {
        Document {
            source: "外方申报信息.docx".into(),
            blocks: lines
                .iter()
                .map(|t| {
                    Block::Paragraph(Paragraph {
                        text: t.to_string(),
                        ..Default::default()
                    })
                })
                .collect(),
            ..Default::default()
        }
    }

    const LINES: &[&str] = &[
        "Partner-side Application Summary",
        "Joint Research Programme 2025, submitted to the partner's ministry for review",
        "Project Title (English)\tJoint Research on Smart Irrigation for Dry Farming",
        "Research Field\tAgriculture",
        "Partner Lead Institution\tHighland Institute of Water Science",
        "Chinese Partner Institution\tSome Chinese University",
        "Project Period\tJanuary 2026 - December 2027",
        "This summary was prepared by the partner so that the two applications can be checked.",
    ];

    fn run(lines: &[&str], name_en: &str, end: &str) -> Vec<String> {
        let d = summary(lines);
        let fields = Fields {
            project_name_en: Some(name_en.into()),
            execution_period: Some(crate::record::Period {
                start: Some("2026-01".into()),
                end: Some(end.into()),
            }),
            ..Default::default()
        };
        let (mut pairs, mut findings) = (Vec::new(), Vec::new());
        compare(
            &[(&d, Role::Attachment)],
            &fields,
            Some("Highland Institute of Water Science"),
            &mut pairs,
            &mut findings,
        );
        assert_eq!(pairs.len(), 3, "{pairs:?}");
        findings.into_iter().filter_map(|f| f.field).collect()
    }

    #[test]
    fn a_summary_that_agrees_is_silent_and_one_that_differs_is_not() {
        let title = "Joint Research on Smart Irrigation for Dry Farming";
        assert!(run(LINES, title, "2027-12").is_empty());
        assert_eq!(run(LINES, title, "2028-12"), ["execution_period"]);
        assert_eq!(
            run(
                LINES,
                "Joint Research on Smart Irrigation & Water Saving",
                "2027-12"
            ),
            ["project_name_en"]
        );
        let mut other = LINES.to_vec();
        other[4] = "Partner Lead Institution\tLowland Centre of Soil Research";
        assert_eq!(run(&other, title, "2027-12"), ["partner_institution"]);
    }

    #[test]
    fn chinese_documents_are_not_summaries() {
        let d = summary(&["项目名称\t某某联合研究", "Project Title\tX"]);
        assert!(read(&d).is_none());
    }
}
