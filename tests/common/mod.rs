//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The `shared/` folder beside the repository (CI clones it there), or
/// `$INTAKE_SHARED`, or `/work/shared`, when it holds `sub`.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("INTAKE_SHARED").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.join(sub).is_dir());
    if found.is_none() {
        skip(&format!("../shared/{sub} not found"));
    }
    found
}

/// Says a test was skipped; under `CI=true` a skip is a failure, so a CI
/// machine without the corpus cannot pass by testing nothing.
pub fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("CI=true and {why}: the shared corpus is required in CI");
    }
    println!("skipped: {why}");
}

/// The third-party corpus (`shared/corpus/external`); says the tests were
/// skipped when it is not there.
pub fn corpus() -> Option<PathBuf> {
    shared("corpus/external").map(|p| p.join("corpus/external"))
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `intake ingest INBOX --scheme SCHEME --out OUT` and requires success.
pub fn ingest(inbox: &Path, out: &Path, scheme: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args(["ingest", "--scheme", scheme, "--quiet", "--out"])
        .arg(out)
        .arg(inbox)
        .status()
        .expect("run intake");
    assert!(status.success(), "intake ingest failed for {scheme}");
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// Field equality as a reviewer would judge it: lists of countries as sets,
/// indicators by (kind, count), numbers with a tolerance.
pub fn same(field: &str, got: &Value, want: &Value) -> bool {
    match field {
        "partner_countries" => {
            let set = |v: &Value| {
                let mut s: Vec<String> = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                s.sort();
                s
            };
            set(got) == set(want)
        }
        "indicators" => {
            let bag = |v: &Value| {
                let mut s: Vec<(String, String)> = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| (x["kind"].to_string(), num_str(&x["count"])))
                            .collect()
                    })
                    .unwrap_or_default();
                s.sort();
                s
            };
            bag(got) == bag(want)
        }
        // A seal is its text and owner; where and how sure is the reader's.
        "seals" => {
            let bag = |v: &Value| {
                let mut s: Vec<(String, String)> = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| (x["text"].to_string(), x["owner"].to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                s.sort();
                s
            };
            bag(got) == bag(want)
        }
        _ => approx_eq(got, want),
    }
}

fn num_str(v: &Value) -> String {
    v.as_f64()
        .map(|f| format!("{f:.4}"))
        .unwrap_or_else(|| v.to_string())
}

fn approx_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64().unwrap_or(f64::NAN) - y.as_f64().unwrap_or(f64::NAN)).abs() < 1e-6
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| approx_eq(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| approx_eq(v, w))
        }
        _ => a == b,
    }
}

/// 1 − edit distance / longer length, over characters.
pub fn char_similarity(a: &str, b: &str) -> f64 {
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
