//! Runs the CLI on the committed scanned batch (samples/scanned: JPEG form
//! pages with skew, blur, pages turned 90°/180°/270° and red seals) and
//! compares with its truth: per-field accuracy, seal recall, no seal on
//! seal-free pages, and seal text similarity. Prints what is read.
//!
//! A larger batch made on the fly (random variants, also 200/300 dpi):
//! `INTAKE_SCAN_PAGES=40 cargo test --release --test ocr_scanned -- --ignored --nocapture`.

mod common;

use std::path::Path;

use common::{char_similarity, ingest, read_jsonl, repo};
use serde_json::Value;

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

const FIELDS: [&str; 5] = [
    "project_name",
    "applicant",
    "pi.name",
    "partner_countries",
    "partner_institution",
];

/// Seal kinds as the truth names them.
const SHAPES: [&str; 3] = ["round", "oval", "square"];

/// What a batch scored.
#[derive(Default)]
struct Score {
    right: usize,
    total: usize,
    per_field: [(usize, usize); 5],
    sealed: usize,
    found: usize,
    false_seals: usize,
    /// Seals reported beyond those stamped on sealed pages.
    extra_seals: usize,
    owner_wrong: usize,
    sims: Vec<f64>,
    /// Per shape (order of `SHAPES`): seals stamped, found, text similarities.
    per_shape: [(usize, usize, Vec<f64>); 3],
    /// Similarities of the horizontal legends (合同专用章…) of round and oval seals.
    bottom_sims: Vec<f64>,
}

/// What a stamped seal should read as, and what was read of it: round and
/// oval seals by their ring (the name), square seals by their whole
/// legend (name then kind), spaces aside.
fn seal_similarity(want: &Value, got: &str) -> f64 {
    let name = want["text"].as_str().unwrap_or("");
    if want["shape"] == "square" {
        let legend = format!("{name}{}", want["bottom"].as_str().unwrap_or(""));
        char_similarity(&got.replace(' ', ""), &legend)
    } else {
        char_similarity(got.split(' ').next().unwrap_or(got), name)
    }
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
            continue;
        }
        sc.sealed += want_seals.len();
        sc.extra_seals += got_seals.len().saturating_sub(want_seals.len());
        // Stamped and reported seals are paired best match first over the
        // whole page (pairing in truth order let a poorly read first seal
        // claim the second one's reading); a stamped seal no reading
        // resembles takes any reported seal left.
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for (wi, w) in want_seals.iter().enumerate() {
            for (gi, g) in got_seals.iter().enumerate() {
                pairs.push((wi, gi, seal_similarity(w, g["text"].as_str().unwrap_or(""))));
            }
        }
        pairs.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut used = vec![false; got_seals.len()];
        let mut pair_of: Vec<Option<(usize, f64)>> = vec![None; want_seals.len()];
        for (wi, gi, sim) in pairs {
            if sim > 0.0 && pair_of[wi].is_none() && !used[gi] {
                pair_of[wi] = Some((gi, sim));
                used[gi] = true;
            }
        }
        for p in pair_of.iter_mut().filter(|p| p.is_none()) {
            if let Some(gi) = used.iter().position(|u| !u) {
                used[gi] = true;
                *p = Some((gi, 0.0));
            }
        }
        for (w, best) in want_seals.iter().zip(pair_of) {
            let shape = w["shape"].as_str().unwrap_or("round");
            let k = SHAPES.iter().position(|s| *s == shape).unwrap_or(0);
            sc.per_shape[k].0 += 1;
            let want = w["text"].as_str().unwrap_or("");
            let Some((i, sim)) = best else {
                println!("{path}: {shape} seal {want:?} not found");
                sc.sims.push(0.0);
                sc.per_shape[k].2.push(0.0);
                continue;
            };
            sc.found += 1;
            sc.per_shape[k].1 += 1;
            let got = &got_seals[i];
            let text = got["text"].as_str().unwrap_or("");
            let owner_ok = got["owner"] == w["owner"];
            sc.owner_wrong += usize::from(!owner_ok);
            if let (Some(b), false) = (w["bottom"].as_str(), shape == "square") {
                let below = text.split_once(' ').map(|x| x.1).unwrap_or("");
                sc.bottom_sims.push(char_similarity(below, b));
            }
            println!(
                "{path}: {shape} seal {want:?} (bottom {}) read as {text:?} (similarity {sim:.2}, owner {})",
                w["bottom"],
                if owner_ok { "ok" } else { "WRONG" }
            );
            sc.sims.push(sim);
            sc.per_shape[k].2.push(sim);
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
    for (k, shape) in SHAPES.iter().enumerate() {
        let (n, found, sims) = &sc.per_shape[k];
        let good = sims.iter().filter(|&&s| s >= 0.85).count();
        let mean = sims.iter().sum::<f64>() / sims.len().max(1) as f64;
        println!(
            "  {shape:<7} seals found {found}/{n}; text ≥ 0.85 {good}/{}; mean similarity {mean:.2}",
            sims.len()
        );
    }
    let good = sc.bottom_sims.iter().filter(|&&s| s >= 0.85).count();
    println!(
        "  legends below the centre ≥ 0.85: {good}/{}; {} extra seal(s) on sealed pages, {} on seal-free pages",
        sc.bottom_sims.len(),
        sc.extra_seals,
        sc.false_seals
    );
    sc
}

/// The seal bars of issue 5: every seal found (all shapes), nothing on
/// seal-free pages or beyond the stamped seals, owners right, each seal's
/// text at similarity ≥ 0.85.
fn assert_seals(sc: &Score) {
    assert_eq!(sc.found, sc.sealed, "every seal is found");
    assert_eq!(sc.false_seals, 0, "no seal on seal-free pages");
    assert_eq!(sc.extra_seals, 0, "no seal beyond those stamped");
    assert_eq!(sc.owner_wrong, 0, "seal owners compared with the applicant");
    assert_eq!(
        sc.sims.iter().filter(|&&s| s >= 0.85).count(),
        sc.sims.len(),
        "every seal's text reads with similarity ≥ 0.85"
    );
}

#[test]
fn scanned_forms_and_seals() {
    let sc = score(&repo().join("samples/scanned"));
    let acc = sc.right as f64 / sc.total as f64;
    for (k, shape) in SHAPES.iter().enumerate() {
        assert!(sc.per_shape[k].0 > 0, "the batch holds {shape} seals");
    }
    assert_seals(&sc);
    // Issue 5: at least 0.90 on scanned forms.
    assert!(acc >= 0.9 - 1e-9, "field accuracy {acc:.2}");
}

/// A fresh, larger random batch (`INTAKE_SCAN_PAGES`, default 24; seed
/// `INTAKE_SCAN_SEED`): prints accuracy and seal readings; asserts seal
/// recall, no false seals, mean text similarity per seal shape and the
/// field bar.
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
    // Every seal found, nothing else; text per kind on average (blurred
    // 150-dpi pages misread a character of some long names).
    assert_eq!(sc.found, sc.sealed, "every seal is found");
    assert_eq!(sc.false_seals, 0, "no seal on seal-free pages");
    assert_eq!(sc.extra_seals, 0, "no seal beyond those stamped");
    for (k, shape) in SHAPES.iter().enumerate() {
        let sims = &sc.per_shape[k].2;
        let mean = sims.iter().sum::<f64>() / sims.len().max(1) as f64;
        assert!(
            sims.is_empty() || mean >= 0.85,
            "{shape} seals: mean text similarity {mean:.2}"
        );
    }
    assert!(acc >= 0.9 - 1e-9, "field accuracy {acc:.2}");
}
