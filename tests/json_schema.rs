//! The JSON Schema of a `submissions.jsonl` line: generated from the Rust
//! types, committed as `schema/submission.schema.json`, and every line the
//! CLI writes for the sample batches validates against it.
//!
//! The validator is a small one for the subset schemars emits (`type`,
//! `properties`, `required`, `items`, `enum`, `const`, `$ref`, `anyOf`,
//! `oneOf`, `minimum`, `maximum`, `format` of integers), stricter than JSON
//! Schema in one way: an object may carry no key its schema does not
//! declare, so a new key cannot slip into the output undocumented.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema_path() -> PathBuf {
    repo().join("schema/submission.schema.json")
}

fn rendered() -> String {
    let mut s = serde_json::to_string_pretty(&intake::record::submission_schema()).unwrap();
    s.push('\n');
    s
}

#[test]
fn committed_schema_is_current() {
    let fresh = rendered();
    if std::env::var_os("INTAKE_UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        committed == fresh,
        "schema/submission.schema.json is stale: run INTAKE_UPDATE_SCHEMA=1 cargo test --test json_schema \
         (and bump SCHEMA_VERSION in src/record.rs if the change is incompatible)"
    );
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => root
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved $ref {r}")),
        None => schema,
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        other => panic!("unknown type {other}"),
    }
}

/// Appends one message per violation, with the JSON path.
fn validate(root: &Value, schema: &Value, v: &Value, path: &str, errs: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if schema == &Value::Bool(true) {
        return;
    }
    if let Some(t) = schema.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
            _ => panic!("bad type"),
        };
        if !ok {
            errs.push(format!("{path}: {v} is not of type {t}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{path}: {v} not in {e:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        errs.push(format!("{path}: {v} != const {c}"));
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && n < min
        {
            errs.push(format!("{path}: {n} < {min}"));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && n > max
        {
            errs.push(format!("{path}: {n} > {max}"));
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let passing = alts
                .iter()
                .filter(|a| {
                    let mut e = Vec::new();
                    validate(root, a, v, path, &mut e);
                    e.is_empty()
                })
                .count();
            let ok = if key == "oneOf" {
                passing == 1
            } else {
                passing >= 1
            };
            if !ok {
                errs.push(format!("{path}: {passing} of {key} alternatives match {v}"));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req {
                if !obj.contains_key(r.as_str().unwrap()) {
                    errs.push(format!("{path}: missing required key {r}"));
                }
            }
        }
        for (k, val) in obj {
            let sub = props.and_then(|p| p.get(k));
            match (sub, schema.get("additionalProperties")) {
                (Some(s), _) => validate(root, s, val, &format!("{path}.{k}"), errs),
                (None, Some(extra)) if extra.is_object() => {
                    validate(root, extra, val, &format!("{path}.{k}"), errs)
                }
                (None, _) if props.is_some() => {
                    errs.push(format!("{path}: key {k} is not in the schema"))
                }
                (None, _) => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(root, items, item, &format!("{path}[{i}]"), errs);
        }
    }
}

fn ingest(inbox: &Path, out: &Path, scheme: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args(["ingest", "--scheme", scheme, "--quiet", "--out"])
        .arg(out)
        .arg(inbox)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn every_sample_output_line_validates() {
    let schema: Value = serde_json::from_str(&rendered()).unwrap();
    let mut lines = 0;
    for (dir, scheme) in [
        ("shandong-2026", "shandong-2026-guideline"),
        ("shanxi-2024-cooperation", "shanxi-2024-cooperation"),
        ("most-intergov-2025-b3", "most-intergov-2025-b3"),
        (
            "zhejiang-2025-jianbing-lingyan",
            "zhejiang-2025-jianbing-lingyan",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        ingest(
            &repo().join("samples").join(dir).join("inbox"),
            out.path(),
            scheme,
        );
        let text = std::fs::read_to_string(out.path().join("submissions.jsonl")).unwrap();
        for (n, line) in text.lines().enumerate() {
            let v: Value = serde_json::from_str(line).unwrap();
            let mut errs = Vec::new();
            validate(&schema, &schema, &v, "$", &mut errs);
            assert!(errs.is_empty(), "{scheme} line {}: {errs:#?}", n + 1);
            lines += 1;
        }
    }
    assert!(lines > 60, "only {lines} lines checked");
}

#[test]
fn the_validator_rejects_bad_lines() {
    let schema: Value = serde_json::from_str(&rendered()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let scheme = "shanxi-2024-cooperation";
    ingest(
        &repo().join("samples").join(scheme).join("inbox"),
        out.path(),
        scheme,
    );
    let text = std::fs::read_to_string(out.path().join("submissions.jsonl")).unwrap();
    let good: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        let mut errs = Vec::new();
        validate(&schema, &schema, &v, "$", &mut errs);
        assert!(!errs.is_empty(), "accepted {v}");
    };
    bad(&|v| v["fields"]["trl"] = serde_json::json!({"current": "four"}));
    bad(&|v| v["findings"][0]["code"] = "NOT_A_CODE".into());
    bad(&|v| v["fields"]["surprise"] = 1.into());
    bad(&|v| {
        v.as_object_mut().unwrap().remove("scheme");
    });
    bad(&|v| v["fields"]["applicant_type"] = "company".into());
}
