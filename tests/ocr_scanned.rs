//! Runs the CLI on the committed scanned batch (samples/scanned: JPEG form
//! pages with skew, blur, a 90° page and red seals) and compares with its
//! truth: per-field accuracy, seal recall, no seal on seal-free pages, and
//! seal text similarity. Prints what is read.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn read_jsonl(p: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

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

#[test]
fn scanned_forms_and_seals() {
    let batch = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/scanned");
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args([
            "ingest",
            "--scheme",
            "shandong-2026-guideline",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .arg(batch.join("inbox"))
        .status()
        .unwrap();
    assert!(status.success());
    let truth = read_jsonl(&batch.join("truth.jsonl"));
    let subs = read_jsonl(&out.path().join("submissions.jsonl"));
    let fields = [
        "project_name",
        "applicant",
        "pi.name",
        "partner_countries",
        "partner_institution",
    ];
    let (mut right, mut total) = (0usize, 0usize);
    let (mut sealed, mut found, mut false_seals) = (0, 0, 0);
    let mut sims = Vec::new();
    for t in &truth {
        let path = t["path"].as_str().unwrap();
        let s = subs
            .iter()
            .find(|s| s["sources"][0]["path"].as_str() == Some(path))
            .unwrap_or_else(|| panic!("no submission for {path}"));
        for f in fields {
            let (want, got) = (get(&t["fields"], f), get(&s["fields"], f));
            total += 1;
            if want == got {
                right += 1;
            } else {
                println!("{path}: {f}: want {want}, got {got}");
            }
        }
        let want_seals = t["fields"]["seals"].as_array().cloned().unwrap_or_default();
        let got_seals = s["fields"]["seals"].as_array().cloned().unwrap_or_default();
        if want_seals.is_empty() {
            false_seals += got_seals.len();
        } else {
            sealed += 1;
            found += usize::from(!got_seals.is_empty());
            let want = want_seals[0]["text"].as_str().unwrap_or("");
            let got = got_seals
                .first()
                .and_then(|g| g["text"].as_str())
                .unwrap_or("");
            let ring = got.split(' ').next().unwrap_or(got);
            let sim = char_similarity(ring, want);
            assert_eq!(
                got_seals[0]["matches_applicant"], want_seals[0]["matches_applicant"],
                "{path}: seal owner compared with the applicant"
            );
            println!("{path}: seal {want:?} read as {got:?} (similarity {sim:.2})");
            sims.push(sim);
        }
    }
    let acc = right as f64 / total as f64;
    let good = sims.iter().filter(|&&s| s >= 0.85).count();
    println!(
        "scanned field accuracy {acc:.2} ({right}/{total}); seals {found}/{sealed}; {good}/{} seal texts ≥ 0.85",
        sims.len()
    );
    assert_eq!(found, sealed, "every seal is found");
    assert_eq!(false_seals, 0, "no seal on seal-free pages");
    assert_eq!(
        good,
        sims.len(),
        "every seal's text reads with similarity ≥ 0.85"
    );
    // Issue 5: at least 0.90 on scanned forms.
    assert!(acc >= 0.9 - 1e-9, "field accuracy {acc:.2}");
}
