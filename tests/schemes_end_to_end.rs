//! Every scheme's rules, end to end through the CLI, on sample proposals
//! with ground truth: per proposal, the finding codes must be exactly the
//! expected ones (every planted defect caught with its code, nothing on the
//! clean proposals), and the fields must match the truth (accuracy ≥ 0.95).
//!
//! Application-book calls (Shanxi, MOST, Zhejiang) use the committed batches
//! under `samples/<scheme-id>/`; the Shandong guideline calls use batches
//! built here from the generator's form renderer (see `guideline_cases`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use intake_samples::application::{self, Call};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ingest(inbox: &Path, out: &Path, scheme: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args(["ingest", "--scheme", scheme, "--quiet", "--out"])
        .arg(out)
        .arg(inbox)
        .status()
        .unwrap();
    assert!(status.success(), "intake ingest failed for {scheme}");
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn key(container: &str, path: &str) -> String {
    format!("{container}|{path}")
}

/// Field equality as a reviewer judges it (indicators by kind and count).
fn same(field: &str, got: &Value, want: &Value) -> bool {
    match field {
        "indicators" => {
            let bag = |v: &Value| {
                let mut b: Vec<String> = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|i| format!("{}:{}", i["kind"], i["count"]))
                            .collect()
                    })
                    .unwrap_or_default();
                b.sort();
                b
            };
            bag(got) == bag(want)
        }
        _ => got == want,
    }
}

/// Checks one batch's output against its truth lines; returns a report.
fn check_batch(scheme: &str, out: &Path, truth: &[Value]) -> String {
    let subs = read_jsonl(&out.join("submissions.jsonl"));
    let by_key: BTreeMap<String, &Value> = subs
        .iter()
        .map(|s| {
            let src = &s["sources"][0];
            (
                key(
                    src["container"].as_str().unwrap(),
                    src["path"].as_str().unwrap(),
                ),
                s,
            )
        })
        .collect();
    assert_eq!(subs.len(), truth.len(), "{scheme}: proposal count");
    let mut failures = Vec::new();
    let (mut ok, mut total) = (0usize, 0usize);
    let mut caught: BTreeSet<String> = BTreeSet::new();
    for t in truth {
        let container: Vec<&str> = t["container"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let k = key(&container.join("/"), t["path"].as_str().unwrap());
        let Some(s) = by_key.get(&k) else {
            failures.push(format!("no proposal for {k}"));
            continue;
        };
        let case = t["case"].as_str().unwrap();
        let want: BTreeSet<&str> = t["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let got: BTreeSet<&str> = s["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        if got != want {
            failures.push(format!(
                "{case}: expected {want:?}, got {got:?}: {}",
                s["findings"]
            ));
        }
        caught.extend(want.iter().map(|c| c.to_string()));
        if let Some(d) = t.get("direction")
            && !d.is_null()
            && s["direction"] != *d
        {
            failures.push(format!("{case}: direction {} != {d}", s["direction"]));
        }
        for (field, want) in t["fields"].as_object().unwrap() {
            total += 1;
            if same(field, &s["fields"][field], want) {
                ok += 1;
            } else {
                failures.push(format!(
                    "{case}: field {field}: got {} want {want}",
                    s["fields"][field]
                ));
            }
        }
    }
    let accuracy = ok as f64 / total.max(1) as f64;
    let report = format!(
        "{scheme}: {} proposals, field accuracy {ok}/{total} = {accuracy:.3}, codes exercised {caught:?}",
        truth.len()
    );
    eprintln!("{report}");
    // Field misses are tolerated down to 95 %; finding mismatches are not.
    let finding_failures: Vec<&String> = failures
        .iter()
        .filter(|f| !f.contains(": field "))
        .collect();
    assert!(
        finding_failures.is_empty(),
        "{scheme}:\n{}",
        finding_failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        accuracy >= 0.95,
        "{scheme}: {report}\n{}",
        failures.join("\n")
    );
    report
}

fn application_call(call: Call) {
    let scheme = call.scheme_id();
    let dir = repo().join("samples").join(scheme);
    // The committed batch is exactly what the generator writes.
    let fresh = application::batch(call).unwrap();
    for (rel, bytes) in &fresh.files {
        let committed = std::fs::read(dir.join(rel)).unwrap();
        assert!(
            committed == *bytes,
            "{rel} differs from the generator's output; regenerate samples/{scheme}"
        );
    }
    let truth = read_jsonl(&dir.join("truth.jsonl"));
    let out = tempfile::tempdir().unwrap();
    ingest(&dir.join("inbox"), out.path(), scheme);
    check_batch(scheme, out.path(), &truth);
}

#[test]
fn shanxi_2024_cooperation() {
    application_call(Call::Shanxi);
}

#[test]
fn most_intergov_2025_b3() {
    application_call(Call::Most);
}

#[test]
fn zhejiang_2025_jianbing_lingyan() {
    application_call(Call::Zhejiang);
}
