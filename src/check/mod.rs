//! Check: turns what extraction and the scheme say about a proposal into
//! findings with stable SPEC §4 codes, each citing its evidence.
//!
//! Per-proposal findings that come from reading (an unreadable file, a value
//! stated but impossible, an ambiguous direction) are made here; the call's
//! rules are data in `pipelines/` evaluated by the rule engine.

pub mod direction;
pub mod duplicates;
pub mod engine;
pub mod labels;
pub mod summary;

pub use engine::{ProposalView, Submitted, evaluate, evaluate_batch, evaluate_summary};

use crate::fields::{LabelTable, Located};
use crate::group::{FileRecord, Proposal};
use crate::model::Evidence;
use crate::record::{Code, Finding, Severity, Submission};
use crate::scheme::{Catalog, Scheme};

/// Findings about reading the proposal's files and its values.
pub fn check_proposal(
    _sub: &Submission,
    located: &Located,
    proposal: &Proposal,
    files: &[&FileRecord],
    _scheme: &Scheme,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in files {
        if let Some(reason) = &f.error {
            out.push(Finding {
                code: Code::UnreadableFile,
                severity: Severity::Error,
                field: None,
                message: format!(
                    "无法读取文件 {}：{reason} / cannot read {}: {reason}",
                    f.display_path(),
                    f.display_path()
                ),
                source: Some(f.display_path()),
                evidence: None,
            });
        }
    }
    // Read only up to a limit: the reviewer must know part is missing.
    for f in files {
        let Some(doc) = &f.doc else { continue };
        let lost: Vec<&str> = doc
            .warnings
            .iter()
            .filter(|w| crate::extract::content_left_unread(w))
            .map(String::as_str)
            .take(3)
            .collect();
        if !lost.is_empty() {
            let why = lost.join("; ");
            out.push(Finding {
                code: Code::UnreadableFile,
                severity: Severity::Warning,
                field: None,
                message: format!(
                    "文件 {} 仅部分读取：{why} / {} read in part: {why}",
                    f.display_path(),
                    f.display_path()
                ),
                source: Some(f.display_path()),
                evidence: None,
            });
        }
    }
    for inv in &located.invalid {
        let code = match inv.field.as_str() {
            "trl" => Code::TrlInvalid,
            "execution_period" => Code::PeriodOutOfRange,
            _ => Code::MissingField,
        };
        out.push(Finding {
            code,
            severity: Severity::Error,
            field: Some(inv.field.clone()),
            message: inv.reason.clone(),
            source: Some(inv.evidence.source.clone()),
            evidence: Some(inv.evidence.clone()),
        });
    }
    if proposal.direction_conflict.len() > 1 {
        let first = files.first().map(|f| f.display_path());
        out.push(Finding {
            code: Code::CategoryMismatch,
            severity: Severity::Warning,
            field: None,
            message: format!(
                "文件夹对应多个合作方向（{}），无法确定 / the folders name several directions ({}); use --direction",
                proposal.direction_conflict.join("、"),
                proposal.direction_conflict.join(", ")
            ),
            source: first.clone(),
            evidence: first.map(|f| Evidence {
                source: f.clone(),
                page: None,
                locator: "folder".into(),
                text: f,
            }),
        });
    }
    out
}

/// What the batch-level checks read besides the submissions.
pub struct BatchInput<'a> {
    /// Each submission's comparison text ([`duplicates::proposal_text`]), in order.
    pub texts: &'a [String],
    /// The batch's summary tables (汇总表).
    pub summaries: &'a [&'a FileRecord],
    pub labels: &'a LabelTable,
    /// The e-mails of the batch (their `Date:` headers date the proposals
    /// they carried).
    pub messages: &'a [crate::ingest::Message],
}

/// The e-mail that carried a submission: the one its form was found in
/// (the deepest, for an e-mail forwarded inside another).
fn carried_by(s: &Submission, messages: &[crate::ingest::Message]) -> Option<engine::Submitted> {
    let container = &s.sources.first()?.container;
    messages
        .iter()
        .filter(|m| container == &m.path || container.starts_with(&format!("{}/", m.path)))
        .max_by_key(|m| m.path.len())
        .and_then(|m| {
            Some(engine::Submitted {
                date: m.date.clone()?,
                source: m.path.clone(),
            })
        })
}

/// Scheme rules per proposal and checks across the batch. Returns the
/// findings that belong to no proposal (for `batch.json`).
pub fn check_batch(
    submissions: &mut [Submission],
    scheme: &Scheme,
    catalog: &Catalog,
    input: &BatchInput,
) -> Vec<Finding> {
    let stems: Vec<Option<String>> = submissions.iter().map(form_stem).collect();
    let sources: Vec<Option<String>> = submissions.iter().map(form_source).collect();
    let sent: Vec<Option<engine::Submitted>> = submissions
        .iter()
        .map(|s| carried_by(s, input.messages))
        .collect();
    let mut per_proposal: Vec<Vec<Finding>> = Vec::with_capacity(submissions.len());
    let mut batch: Vec<Vec<Finding>> = Vec::new();
    {
        let views: Vec<ProposalView> = submissions
            .iter()
            .enumerate()
            .map(|(i, s)| ProposalView {
                documents: &s.sources,
                submitted: sent[i].as_ref(),
                direction: s.direction.as_deref(),
                fields: &s.fields,
                evidence: &s.evidence,
                file_stem: stems[i].as_deref(),
                source: sources[i].as_deref(),
            })
            .collect();
        for v in &views {
            per_proposal.push(evaluate(scheme, catalog, v));
        }
        let labels: Vec<&str> = sources
            .iter()
            .map(|s| s.as_deref().unwrap_or("?"))
            .collect();
        if !views.is_empty() {
            batch = evaluate_batch(scheme, &views, &labels);
        }
    }
    for (i, s) in submissions.iter_mut().enumerate() {
        // An unreadable file costs only itself: the rules still run on
        // what the proposal's other files gave (UNREADABLE_FILE says why a
        // value may be missing). A value stated but impossible (TRL 12) is
        // not also "missing".
        let stated: Vec<String> = s.findings.iter().filter_map(|f| f.field.clone()).collect();
        per_proposal[i].retain(|f| {
            !(matches!(f.code, Code::MissingField | Code::TrlMissing)
                && f.field
                    .as_deref()
                    .is_some_and(|x| stated.iter().any(|st| related(st, x))))
        });
        s.findings.append(&mut per_proposal[i]);
        if let Some(b) = batch.get_mut(i) {
            s.findings.append(b);
        }
    }
    let display: Vec<String> = sources
        .iter()
        .map(|s| s.clone().unwrap_or_default())
        .collect();
    let similar = duplicates::check(scheme, submissions, input.texts, &display);
    let summary = summary::check(scheme, submissions, &display, input.summaries, input.labels);
    for (i, s) in submissions.iter_mut().enumerate() {
        s.findings.extend(similar[i].iter().cloned());
        s.findings.extend(summary.per_proposal[i].iter().cloned());
    }
    let mut batch_level = summary.batch;
    batch_level.extend(summary::table_rules(scheme, catalog, input.summaries));
    batch_level
}

/// Whether two field paths are the same or one contains the other
/// (`trl` and `trl.current`).
fn related(a: &str, b: &str) -> bool {
    let under =
        |p: &str, c: &str| c.len() > p.len() && c.starts_with(p) && c[p.len()..].starts_with('.');
    a == b || under(a, b) || under(b, a)
}

/// The form's file name without its extension.
fn form_stem(s: &Submission) -> Option<String> {
    let path = &s.sources.first()?.path;
    let name = path.rsplit('/').next().unwrap_or(path);
    Some(
        name.rsplit_once('.')
            .map(|(a, _)| a)
            .unwrap_or(name)
            .to_string(),
    )
}

fn form_source(s: &Submission) -> Option<String> {
    let src = s.sources.first()?;
    Some(if src.container.is_empty() {
        src.path.clone()
    } else {
        format!("{}/{}", src.container, src.path)
    })
}
