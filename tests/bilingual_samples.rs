//! The committed agreement batch (`samples/agreements`, every bilingual
//! layout, injected zh/en mismatches) and a fresh one from another seed:
//! mismatch recall ≥ 0.95, no mismatch on consistent agreements, and the
//! agreement findings the truth expects; under MOST, the application
//! form's English name, partner, PI and period against the agreement.

use std::collections::BTreeMap;
use std::path::Path;

use intake::pipeline::{Options, run};
use intake::record::Submission;
use intake_samples::agreement::CaseTruth;

struct Score {
    expected: usize,
    found: usize,
    false_mismatches: Vec<String>,
    missing_codes: Vec<String>,
}

fn score(inbox: &Path, truth: &[CaseTruth]) -> Score {
    score_under(inbox, truth, "shanxi-2024-cooperation")
}

fn score_under(inbox: &Path, truth: &[CaseTruth], scheme: &str) -> Score {
    let out = tempfile::tempdir().unwrap();
    let opts = Options::new(vec![inbox.to_path_buf()], scheme, out.path().to_path_buf());
    run(&opts).unwrap();
    let text = std::fs::read_to_string(out.path().join("submissions.jsonl")).unwrap();
    let subs: Vec<Submission> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_folder: BTreeMap<String, &Submission> = subs
        .iter()
        .map(|s| {
            let p = &s.sources[0].path;
            (p.rsplit_once('/').map(|x| x.0).unwrap_or("").to_string(), s)
        })
        .collect();
    let mut sc = Score {
        expected: 0,
        found: 0,
        false_mismatches: Vec::new(),
        missing_codes: Vec::new(),
    };
    for t in truth {
        let s = by_folder
            .get(&t.folder)
            .unwrap_or_else(|| panic!("no proposal for {}", t.folder));
        let got: Vec<&str> = s
            .bilingual
            .iter()
            .filter(|p| !p.consistent)
            .map(|p| p.field.as_str())
            .collect();
        sc.expected += t.mismatches.len();
        sc.found += t
            .mismatches
            .iter()
            .filter(|m| got.contains(&m.as_str()))
            .count();
        for g in &got {
            if !t.mismatches.iter().any(|m| m == g) {
                sc.false_mismatches.push(format!("{}: {g}", t.folder));
            }
        }
        let n_findings = s
            .findings
            .iter()
            .filter(|f| f.code == "BILINGUAL_MISMATCH")
            .count();
        assert_eq!(
            n_findings,
            got.len(),
            "{}: one finding per mismatch",
            t.folder
        );
        for c in &t.expect_codes {
            if !s.findings.iter().any(|f| f.code.as_str() == c.as_str()) {
                sc.missing_codes.push(format!("{}: {c}", t.folder));
            }
        }
    }
    sc
}

fn check(name: &str, sc: &Score) {
    let recall = sc.found as f64 / sc.expected.max(1) as f64;
    println!(
        "{name}: mismatch recall {}/{} = {recall:.3}; false mismatches {}; missing agreement findings {}",
        sc.found,
        sc.expected,
        sc.false_mismatches.len(),
        sc.missing_codes.len()
    );
    assert!(sc.expected > 0);
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(
        sc.false_mismatches.is_empty(),
        "false mismatches: {:?}",
        sc.false_mismatches
    );
    assert!(
        sc.missing_codes.is_empty(),
        "missing: {:?}",
        sc.missing_codes
    );
}

#[test]
fn committed_agreement_batch() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/agreements");
    let truth: Vec<CaseTruth> = std::fs::read_to_string(root.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    check("samples/agreements", &score(&root.join("inbox"), &truth));
}

#[test]
fn fresh_agreement_batch() {
    let dir = tempfile::tempdir().unwrap();
    let batch = intake_samples::agreement::generate(20261122, 40);
    intake_samples::agreement::write(&batch, dir.path()).unwrap();
    check(
        "fresh seed 20261122",
        &score(&dir.path().join("inbox"), &batch.truth),
    );
}

#[test]
fn most_forms_checked_against_agreements() {
    let dir = tempfile::tempdir().unwrap();
    let batch = intake_samples::agreement::generate_most(7, 24);
    intake_samples::agreement::write(&batch, dir.path()).unwrap();
    check(
        "MOST form vs agreement",
        &score_under(
            &dir.path().join("inbox"),
            &batch.truth,
            "most-intergov-2025-b3",
        ),
    );
}
