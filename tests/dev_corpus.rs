//! Field accuracy on the development set that other people wrote
//! (`../shared/corpus/dev`: 63 proposals in four corpora over three calls),
//! scored by its own `score.py` against its `truth.jsonl`. Prints the
//! scorer's per-field table and fails when a field, or the findings'
//! recall or precision, falls below its floor.
//!
//! The floors are the bar of the fields and findings issues (every field
//! 0.95, all fields 0.97, findings recall and precision 0.95), raised to
//! just under what the extractor reaches where it reaches more, so that a
//! change which loses fields on forms we did not write fails here. Under
//! `CI=true` a missing `../shared` fails instead of skipping.

mod common;

use std::process::Command;

/// (field, floor). Seals are read from real stamps and scans (OCR) and
/// matched with the proposal's parties; every other field is located in
/// the document model.
const FLOORS: &[(&str, f64)] = &[
    ("project_name", 0.98),
    ("project_name_en", 0.96),
    ("applicant", 0.98),
    ("applicant_type", 0.98),
    ("partner_countries", 0.98),
    ("partner_institution", 0.98),
    ("key_technologies", 0.98),
    ("trl", 0.98),
    ("funding", 0.98),
    ("execution_period", 0.98),
    ("agreement", 0.96),
    ("pi", 0.97),
    ("indicators", 0.98),
    ("seals", 0.98),
];
/// Fields are at 0.999 (session 11, pi 0.992): each field's floor lets
/// one more miss among its 63 proposals (30 for the English name and the
/// agreement) pass, not two; all fields together lose about seven.
const ALL_FIELDS_FLOOR: f64 = 0.99;
/// Findings: recall and precision of the finding codes against the truth
/// (36 of 36 found): one miss passes.
const FINDINGS_FLOOR: f64 = 0.97;

#[test]
fn dev_set_field_accuracy() {
    let Some(shared) = common::shared("corpus/dev") else {
        assert!(
            std::env::var("CI").is_err(),
            "../shared/corpus/dev is missing under CI"
        );
        println!("skipped: ../shared/corpus/dev not found");
        return;
    };
    let dev = shared.join("corpus/dev");
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok())
        .expect("python3 runs the dev-set scorer");
    let out = Command::new(python)
        .arg(dev.join("score.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_intake"))
        .arg("--json")
        .current_dir(common::repo())
        .output()
        .expect("score.py runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{}", String::from_utf8_lossy(&out.stderr));
    println!("{stdout}");
    let json_line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or_else(|| panic!("score.py printed no JSON:\n{stdout}"));
    let metrics: serde_json::Value = serde_json::from_str(json_line).expect("score.py JSON");
    let fields = &metrics["per_field"];
    let mut low = Vec::new();
    for (field, floor) in FLOORS {
        let got = fields[*field].as_f64().unwrap_or(0.0);
        println!("{field:<20} {got:.3} (floor {floor:.2})");
        if got < *floor {
            low.push(format!("{field} {got:.3} < {floor:.2}"));
        }
    }
    let all = metrics["fields"].as_f64().unwrap_or(0.0);
    println!("{:<20} {all:.3} (floor {ALL_FIELDS_FLOOR:.2})", "ALL");
    if all < ALL_FIELDS_FLOOR {
        low.push(format!("all fields {all:.3} < {ALL_FIELDS_FLOOR:.2}"));
    }
    for key in ["findings_recall", "findings_precision"] {
        let got = metrics[key].as_f64().unwrap_or(0.0);
        println!("{key:<20} {got:.3} (floor {FINDINGS_FLOOR:.2})");
        if got < FINDINGS_FLOOR {
            low.push(format!("{key} {got:.3} < {FINDINGS_FLOOR:.2}"));
        }
    }
    assert!(low.is_empty(), "dev set below its floors: {low:?}");
}
