//! Runs the CLI on the committed sample batch and checks every field of every
//! proposal against the generator's ground truth, printing a per-field table.

mod common;
use common::{ingest, read_jsonl, repo, same};

const SCHEME: &str = "shandong-2026-guideline";

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn key_of_truth(t: &Value) -> String {
    let container: Vec<&str> = t["container"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!(
        "{}|{}",
        container.join("/"),
        t["path"].as_str().unwrap_or("")
    )
}

fn key_of_submission(s: &Value) -> String {
    let src = &s["sources"][0];
    format!(
        "{}|{}",
        src["container"].as_str().unwrap_or(""),
        src["path"].as_str().unwrap_or("")
    )
}

const FIELDS: &[&str] = &[
    "project_name",
    "project_name_en",
    "applicant",
    "applicant_type",
    "pi",
    "partner_countries",
    "partner_institution",
    "key_technologies",
    "trl",
    "indicators",
    "funding",
    "execution_period",
];
// `agreement` is not scored here: a guideline suggestion carries no
// agreement, so its truth is null in every line and the column could not
// fail. Agreements are scored on the application batches, whose truths
// hold them (tests/schemes_end_to_end.rs), and on the development set
// (tests/dev_corpus.rs). `accuracy` fails on a column that cannot fail.

/// Ingests `batch/inbox`, compares with `batch/truth.jsonl`, prints the
/// per-field table and returns the worst field's accuracy.
fn accuracy(batch: &Path, label: &str) -> f64 {
    let truth_path = batch.join("truth.jsonl");
    assert!(truth_path.exists(), "{} exists", truth_path.display());
    let out = tempfile::tempdir().expect("tempdir");
    ingest(&batch.join("inbox"), out.path(), SCHEME);

    let truth: Vec<Value> = read_jsonl(&truth_path);
    let proposals: Vec<&Value> = truth.iter().filter(|t| t.get("role").is_none()).collect();
    let summaries: Vec<&Value> = truth
        .iter()
        .filter(|t| t["role"].as_str() == Some("summary"))
        .collect();
    assert!(proposals.len() >= 30, "at least 30 proposals in {label}");

    let subs = read_jsonl(&out.path().join("submissions.jsonl"));
    let by_key: BTreeMap<String, &Value> = subs.iter().map(|s| (key_of_submission(s), s)).collect();
    for s in &summaries {
        assert!(
            !by_key.contains_key(&key_of_truth(s)),
            "summary table {} must not be a proposal",
            key_of_truth(s)
        );
    }
    assert_eq!(
        subs.len(),
        proposals.len(),
        "one line per proposal document"
    );

    let mut correct: BTreeMap<&str, usize> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    for t in &proposals {
        let key = key_of_truth(t);
        let Some(sub) = by_key.get(&key) else {
            misses.push(format!("{key}: no submission"));
            continue;
        };
        for field in FIELDS {
            let want = &t["fields"][field];
            let got = &sub["fields"][field];
            assert!(
                sub["fields"].get(field).is_some(),
                "{key}: key {field} present"
            );
            if same(field, got, want) {
                *correct.entry(field).or_default() += 1;
            } else {
                misses.push(format!("{key}: {field}: got {got} want {want}"));
            }
        }
    }
    // A column whose truth is one value everywhere scores by construction.
    for field in FIELDS {
        let distinct: std::collections::BTreeSet<String> = proposals
            .iter()
            .map(|t| t["fields"][field].to_string())
            .collect();
        assert!(
            distinct.len() >= 2,
            "{label}: the truth of {field} is the same in every line; a scored column must be able to fail"
        );
    }
    let n = proposals.len() as f64;
    println!(
        "\nper-field accuracy on {} proposals of {label}:",
        proposals.len()
    );
    println!("{:<22} {:>8} {:>9}", "field", "correct", "accuracy");
    let mut worst = 1.0f64;
    for field in FIELDS {
        let c = correct.get(field).copied().unwrap_or(0);
        let acc = c as f64 / n;
        worst = worst.min(acc);
        println!("{field:<22} {c:>8} {acc:>9.3}");
    }
    for m in misses.iter().take(40) {
        println!("  miss: {m}");
    }
    worst
}

#[test]
fn sample_batch_fields_match_ground_truth() {
    let worst = accuracy(
        &repo().join("samples/shandong-2026"),
        "samples/shandong-2026",
    );
    assert!(
        worst >= 0.95,
        "every field at least 0.95 accurate (worst {worst:.3})"
    );
}

/// The committed batch could be learnt by heart; fresh batches from seeds
/// the extractor never saw must read as well.
#[test]
fn fresh_generated_batches_match_ground_truth() {
    for seed in [11u64, 2026] {
        let dir = tempfile::tempdir().expect("tempdir");
        let batch = intake_samples::batch::shandong(&intake_samples::batch::Options {
            proposals: 60,
            seed,
            docs_truth: true,
        })
        .expect("generate");
        intake_samples::batch::write(&batch, dir.path()).expect("write batch");
        let worst = accuracy(dir.path(), &format!("a fresh batch (seed {seed})"));
        assert!(
            worst >= 0.95,
            "seed {seed}: every field at least 0.95 accurate (worst {worst:.3})"
        );
    }
}

#[test]
fn same_input_gives_identical_output() {
    let inbox = repo().join("samples/shandong-2026/inbox");
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    ingest(&inbox, a.path(), SCHEME);
    ingest(&inbox, b.path(), SCHEME);
    let read = |d: &Path, f: &str| std::fs::read(d.join(f)).expect("output file");
    assert_eq!(
        read(a.path(), "submissions.jsonl"),
        read(b.path(), "submissions.jsonl"),
        "submissions.jsonl is byte-identical across runs"
    );
    let strip = |d: &Path| {
        let mut v: Value = serde_json::from_slice(&read(d, "batch.json")).expect("batch.json");
        v.as_object_mut().map(|o| o.remove("timings_ms"));
        v
    };
    assert_eq!(
        strip(a.path()),
        strip(b.path()),
        "batch.json equal but for timings"
    );
}

#[test]
fn every_line_has_every_field_and_evidence_for_found_values() {
    let inbox = repo().join("samples/shandong-2026/inbox");
    let out = tempfile::tempdir().expect("tempdir");
    ingest(&inbox, out.path(), SCHEME);
    for s in read_jsonl(&out.path().join("submissions.jsonl")) {
        assert_eq!(s["schema_version"], intake::record::SCHEMA_VERSION);
        assert_eq!(s["scheme"], "shandong-2026-guideline");
        for k in [
            "id",
            "direction",
            "sources",
            "fields",
            "evidence",
            "bilingual",
            "findings",
        ] {
            assert!(s.get(k).is_some(), "line has {k}");
        }
        for f in FIELDS.iter().chain(["seals"].iter()) {
            assert!(s["fields"].get(f).is_some(), "fields has {f}");
        }
        for f in ["project_name", "applicant"] {
            if !s["fields"][f].is_null() {
                let ev = &s["evidence"][f];
                assert!(
                    ev["source"].is_string() && ev["text"].is_string(),
                    "{f} has evidence"
                );
            }
        }
        for src in s["sources"].as_array().expect("sources") {
            let p = src["path"].as_str().expect("path");
            assert!(!p.contains('\\') && !p.starts_with('/') && !p.contains(".."));
            assert_eq!(src["sha256"].as_str().map(str::len), Some(64));
        }
        assert!(
            s["direction"].is_string(),
            "direction from the region folder"
        );
    }
    let batch: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("batch.json")).expect("batch.json"))
            .expect("json");
    assert!(batch["counts"]["summaries"].as_u64().unwrap_or(0) >= 1);
    for stage in ["ingest", "extract", "fields", "emit"] {
        assert!(
            batch["timings_ms"].get(stage).is_some(),
            "timing for {stage}"
        );
    }
}

/// The same proposals with their forms exported to PDF by LibreOffice
/// (`samples/shandong-2026-pdf`, see samples/README.md): fields must be
/// found in the PDF text layer as well as in the DOCX originals.
#[test]
fn pdf_sample_batch_fields_match_ground_truth() {
    let dir = std::env::var("INTAKE_PDF_BATCH")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("samples/shandong-2026-pdf"));
    let worst = accuracy(&dir, "samples/shandong-2026-pdf");
    assert!(
        worst >= 0.95,
        "every field at least 0.95 accurate on the PDF forms (worst {worst:.3})"
    );
}

/// The same proposals with their forms saved as Word 97–2003 `.doc` by
/// LibreOffice (`samples/shandong-2026-doc`, `intake-samples shandong
/// --doc`): the binary reader must find every field the DOCX reader does.
#[test]
fn doc_sample_batch_fields_match_ground_truth() {
    let dir = repo().join("samples/shandong-2026-doc");
    let worst = accuracy(&dir, "samples/shandong-2026-doc");
    assert!(
        worst >= 0.95,
        "every field at least 0.95 accurate on the .doc forms (worst {worst:.3})"
    );
}

/// The batch as an office receives it in legacy formats
/// (`samples/shandong-2026-legacy`, `intake-samples shandong --legacy`):
/// `.doc` forms, `.xls` and WPS `.et` summary tables, `.7z` department
/// archives (one holding a nested zip) and the e-mailed zip.
#[test]
fn legacy_sample_batch_fields_match_ground_truth() {
    let dir = repo().join("samples/shandong-2026-legacy");
    let worst = accuracy(&dir, "samples/shandong-2026-legacy");
    assert!(
        worst >= 0.95,
        "every field at least 0.95 accurate on the legacy batch (worst {worst:.3})"
    );
}
