//! Emit: writes a batch's outputs into the output folder and nowhere else —
//! `submissions.jsonl` (one SPEC §4 line per proposal), `batch.json`
//! (counts, per-file failures, files in no proposal, timings), the
//! reviewer's `report.html` (`report`) and `summary.xlsx` (`summary_xlsx`).

pub mod report;
pub mod summary_xlsx;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::group::{FileRecord, Grouped};
use crate::ingest::Ingested;
use crate::record::{SCHEMA_VERSION, Submission};
use crate::scheme::Scheme;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Counts {
    pub files: usize,
    pub proposals: usize,
    pub summaries: usize,
    pub unreadable: usize,
    pub unassigned: usize,
    pub skipped: usize,
    pub findings: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileIssue {
    pub path: String,
    pub reason: String,
}

/// `batch.json`.
#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    pub schema_version: u32,
    pub scheme: String,
    pub inputs: Vec<String>,
    pub counts: Counts,
    /// Files that could not be read, with the reason.
    pub failures: Vec<FileIssue>,
    /// Files read, but with problems the reader noted (a page read in
    /// part at the operator budget, a sheet cut, a part that failed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<FileIssue>,
    /// Files that belong to no proposal.
    pub unassigned: Vec<FileIssue>,
    /// Junk skipped on purpose (`__MACOSX/`, `Thumbs.db`, …).
    pub skipped: Vec<FileIssue>,
    /// Summary tables found (汇总表).
    pub summaries: Vec<String>,
    /// Findings that belong to no proposal (a summary-table row with no
    /// document), from the batch-level checks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<crate::record::Finding>,
    /// E-mails read: subject, sender, date, attachment count.
    pub messages: Vec<crate::ingest::Message>,
    /// Milliseconds per stage; the only part of the outputs that differs
    /// between two runs on the same input.
    pub timings_ms: BTreeMap<String, u64>,
}

impl BatchReport {
    pub fn new(
        scheme: &Scheme,
        inputs: &[PathBuf],
        ingested: &Ingested,
        records: &[FileRecord],
        grouped: &Grouped,
    ) -> Self {
        let mut failures: Vec<FileIssue> = ingested
            .failures
            .iter()
            .map(|f| FileIssue {
                path: f.path.clone(),
                reason: f.reason.clone(),
            })
            .collect();
        failures.extend(records.iter().filter_map(|r| {
            r.error.as_ref().map(|e| FileIssue {
                path: r.display_path(),
                reason: e.clone(),
            })
        }));
        let warnings: Vec<FileIssue> = records
            .iter()
            .filter_map(|r| {
                let d = r.doc.as_ref().filter(|d| !d.warnings.is_empty())?;
                let mut reason = d
                    .warnings
                    .iter()
                    .take(20)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ");
                if d.warnings.len() > 20 {
                    reason.push_str(&format!("; … {} more", d.warnings.len() - 20));
                }
                Some(FileIssue {
                    path: r.display_path(),
                    reason,
                })
            })
            .collect();
        let unassigned: Vec<FileIssue> = grouped
            .unassigned
            .iter()
            .map(|(i, reason)| FileIssue {
                path: records[*i].display_path(),
                reason: reason.clone(),
            })
            .collect();
        let skipped: Vec<FileIssue> = ingested
            .skipped
            .iter()
            .map(|f| FileIssue {
                path: f.path.clone(),
                reason: f.reason.clone(),
            })
            .collect();
        let summaries: Vec<String> = grouped
            .summaries
            .iter()
            .map(|&i| records[i].display_path())
            .collect();
        BatchReport {
            schema_version: SCHEMA_VERSION,
            scheme: scheme.id.clone(),
            inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
            counts: Counts {
                files: records.len(),
                proposals: grouped.proposals.len(),
                summaries: summaries.len(),
                unreadable: failures.len(),
                unassigned: unassigned.len(),
                skipped: skipped.len(),
                findings: BTreeMap::new(),
            },
            failures,
            warnings,
            unassigned,
            skipped,
            summaries,
            findings: Vec::new(),
            messages: ingested.messages.clone(),
            timings_ms: BTreeMap::new(),
        }
    }

    pub fn count_findings(&mut self, submissions: &[Submission]) {
        for s in submissions {
            for f in &s.findings {
                *self
                    .counts
                    .findings
                    .entry(f.code.as_str().to_string())
                    .or_default() += 1;
            }
        }
        for f in &self.findings {
            *self
                .counts
                .findings
                .entry(f.code.as_str().to_string())
                .or_default() += 1;
        }
    }
}

/// Writes `submissions.jsonl` and `batch.json` into `out_dir` (created if
/// needed). Each file is written to a temporary name in the same folder and
/// renamed, so a crash never leaves half a file behind.
pub fn write_outputs(
    out_dir: &Path,
    submissions: &[Submission],
    report: &mut BatchReport,
    seal_crops: &dyn Fn(&crate::record::Seal) -> report::SealCrop,
    mut timings: BTreeMap<String, u64>,
    emit_started: Instant,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out_dir.display()))?;
    let mut lines = Vec::new();
    for s in submissions {
        serde_json::to_writer(&mut lines, s)?;
        lines.push(b'\n');
    }
    write_atomic(&out_dir.join("submissions.jsonl"), &lines)?;
    write_atomic(
        &out_dir.join("summary.xlsx"),
        &summary_xlsx::build(submissions, &report.scheme)?,
    )?;
    write_atomic(
        &out_dir.join("report.html"),
        report::render_with(submissions, report, seal_crops).as_bytes(),
    )?;
    timings.insert("emit".into(), emit_started.elapsed().as_millis() as u64);
    report.timings_ms = timings;
    let json = serde_json::to_vec_pretty(report)?;
    write_atomic(&out_dir.join("batch.json"), &json)?;
    Ok(())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp.display()))?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}
