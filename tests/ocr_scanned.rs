//! Runs the CLI on the committed scanned batch (samples/scanned: JPEG form
//! pages with skew, blur, pages turned 90°/180°/270° and red seals) and
//! compares with its truth: per-field accuracy, seal recall, no seal on
//! seal-free pages, and seal text similarity. Prints what is read.
//!
//! A larger batch made on the fly (random variants, also 200/300 dpi):
//! `INTAKE_SCAN_PAGES=40 cargo test --release --test ocr_scanned -- --ignored --nocapture`.

mod common;

use std::path::Path;

use common::{ingest, read_jsonl, repo};
use serde_json::Value;

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

/// 1 − edit distance / longer length, over characters.
fn char_similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    let n = a.len().max(b.len()).max(1);
    1.0 - prev[b.len()] as f64 / n as f64
}

const FIELDS: [&str; 5] = [
    "project_name",
    "applicant",
    "pi.name",
    "partner_countries",
    "partner_institution",
];

/// What a batch scored.
#[derive(Default)]
struct Score {
    right: usize,
    total: usize,
    per_field: [(usize, usize); 5],
    sealed: usize,
    found: usize,
    false_seals: usize,
    owner_wrong: usize,
    sims: Vec<f64>,
}

/// Ingests `batch/inbox` and scores it against `batch/truth.jsonl`,
/// printing every miss.
fn score(batch: &Path) -> Score {
    let out = tempfile::tempdir().unwrap();
    ingest(&batch.join("inbox"), out.path(), "shandong-2026-guideline");
    let truth = read_jsonl(&batch.join("truth.jsonl"));
    let subs = read_jsonl(&out.path().join("submissions.jsonl"));
    let mut sc = Score::default();
    for t in &truth {
        let path = t["path"].as_str().unwrap();
        let s = subs
            .iter()
            .find(|s| s["sources"][0]["path"].as_str() == Some(path))
            .unwrap_or_else(|| panic!("no submission for {path}"));
        for (k, f) in FIELDS.iter().enumerate() {
            let (want, got) = (get(&t["fields"], f), get(&s["fields"], f));
            sc.total += 1;
            sc.per_field[k].1 += 1;
            if want == got {
                sc.right += 1;
                sc.per_field[k].0 += 1;
            } else {
                println!("{path} ({}): {f}: want {want}, got {got}", t["scan"]);
            }
        }
        let want_seals = t["fields"]["seals"].as_array().cloned().unwrap_or_default();
        let got_seals = s["fields"]["seals"].as_array().cloned().unwrap_or_default();
        if want_seals.is_empty() {
            sc.false_seals += got_seals.len();
            if !got_seals.is_empty() {
                println!("{path}: seal reported on a seal-free page: {got_seals:?}");
            }
        } else {
            sc.sealed += 1;
            sc.found += usize::from(!got_seals.is_empty());
            let want = want_seals[0]["text"].as_str().unwrap_or("");
            let got = got_seals
                .first()
                .and_then(|g| g["text"].as_str())
                .unwrap_or("");
            let ring = got.split(' ').next().unwrap_or(got);
            let sim = char_similarity(ring, want);
            let owner_ok = got_seals
                .first()
                .is_some_and(|g| g["matches_applicant"] == want_seals[0]["matches_applicant"]);
            sc.owner_wrong += usize::from(!owner_ok);
            println!("{path}: seal {want:?} read as {got:?} (similarity {sim:.2})");
            sc.sims.push(sim);
        }
    }
    let acc = sc.right as f64 / sc.total.max(1) as f64;
    let good = sc.sims.iter().filter(|&&s| s >= 0.85).count();
    println!(
        "scanned field accuracy {acc:.2} ({}/{}) on {} pages; seals {}/{}; {good}/{} seal texts ≥ 0.85; {} seal owners wrong",
        sc.right,
        sc.total,
        truth.len(),
        sc.found,
        sc.sealed,
        sc.sims.len(),
        sc.owner_wrong
    );
    for (k, f) in FIELDS.iter().enumerate() {
        let (r, n) = sc.per_field[k];
        println!("  {f:<20} {r}/{n}");
    }
    sc
}

#[test]
fn scanned_forms_and_seals() {
    let sc = score(&repo().join("samples/scanned"));
    let acc = sc.right as f64 / sc.total as f64;
    assert_eq!(sc.found, sc.sealed, "every seal is found");
    assert_eq!(sc.false_seals, 0, "no seal on seal-free pages");
    assert_eq!(sc.owner_wrong, 0, "seal owners compared with the applicant");
    assert_eq!(
        sc.sims.iter().filter(|&&s| s >= 0.85).count(),
        sc.sims.len(),
        "every seal's text reads with similarity ≥ 0.85"
    );
    // Issue 5: at least 0.90 on scanned forms.
    assert!(acc >= 0.9 - 1e-9, "field accuracy {acc:.2}");
}

/// A fresh, larger random batch (`INTAKE_SCAN_PAGES`, default 24; seed
/// `INTAKE_SCAN_SEED`): prints accuracy, asserts the same field bar.
#[test]
#[ignore = "slow: generates and OCRs a larger batch; run with --ignored"]
fn scanned_forms_random_batch() {
    let n = std::env::var("INTAKE_SCAN_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let seed = std::env::var("INTAKE_SCAN_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let dir = tempfile::tempdir().unwrap();
    intake_samples::scan::write_random_batch(dir.path(), seed, n).unwrap();
    let sc = score(dir.path());
    let acc = sc.right as f64 / sc.total as f64;
    assert!(acc >= 0.9 - 1e-9, "field accuracy {acc:.2}");
}
