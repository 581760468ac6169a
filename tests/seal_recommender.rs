//! A recommending department's seal is told apart from the applicant's
//! when the proposal came in the department's own archive (issue 14: the
//! owner is decided against the parties the proposal names — applicant,
//! partner, recommending department, 查新机构). The page is a committed
//! `samples/scanned` form stamped with the applicant's seal and a city
//! bureau's.

mod common;

use std::io::Write;

use common::{ingest, read_jsonl, repo};
use serde_json::Value;

/// The committed scanned page carrying the applicant's seal and the bureau
/// named `bureau`, with its truth line.
fn page_with_bureau_seal() -> (std::path::PathBuf, String, String) {
    let batch = repo().join("samples/scanned");
    for line in read_jsonl(&batch.join("truth.jsonl")) {
        let seals = line["fields"]["seals"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let bureau = seals
            .iter()
            .filter(|s| s["owner"].is_null())
            .filter_map(|s| s["text"].as_str())
            .find(|t| t.ends_with('局'));
        let applicant = seals
            .iter()
            .filter(|s| s["owner"] == "applicant")
            .filter_map(|s| s["text"].as_str())
            .next();
        if let (Some(b), Some(a)) = (bureau, applicant) {
            let path = line["path"].as_str().unwrap_or_default();
            return (batch.join("inbox").join(path), b.to_string(), a.to_string());
        }
    }
    panic!("samples/scanned holds a page with a bureau's seal beside the applicant's");
}

/// Ingests the page inside a zip named `zip_name` (or loose in a folder)
/// and returns its proposal's seals.
fn seals_when_sent_as(page: &std::path::Path, zip_name: Option<&str>) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let member = format!(
        "上合组织成员国/{}",
        page.file_name().unwrap().to_string_lossy()
    );
    let bytes = std::fs::read(page).unwrap();
    match zip_name {
        Some(z) => {
            let f = std::fs::File::create(inbox.join(z)).unwrap();
            let mut zw = zip::ZipWriter::new(f);
            zw.start_file(member, zip::write::SimpleFileOptions::default())
                .unwrap();
            zw.write_all(&bytes).unwrap();
            zw.finish().unwrap();
        }
        None => {
            let p = inbox.join(member);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
    let out = dir.path().join("out");
    ingest(&inbox, &out, "shandong-2026-guideline");
    let subs = read_jsonl(&out.join("submissions.jsonl"));
    assert_eq!(subs.len(), 1);
    subs[0]["fields"]["seals"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn owner_of<'a>(seals: &'a [Value], text: &str) -> &'a Value {
    seals
        .iter()
        .find(|s| s["text"].as_str().is_some_and(|t| t.starts_with(text)))
        .map(|s| &s["owner"])
        .unwrap_or(&Value::Null)
}

#[test]
fn the_department_that_sent_the_zip_owns_its_seal() {
    let (page, bureau, applicant) = page_with_bureau_seal();
    let seals = seals_when_sent_as(&page, Some(&format!("{bureau}.zip")));
    println!("sent in {bureau}.zip: {seals:?}");
    assert_eq!(owner_of(&seals, &bureau), "recommender", "{seals:?}");
    assert_eq!(owner_of(&seals, &applicant), "applicant", "{seals:?}");

    // The twin: the same page loose in a folder names no department, so
    // the bureau's seal has no owner the proposal names.
    let seals = seals_when_sent_as(&page, None);
    println!("loose: {seals:?}");
    assert_ne!(owner_of(&seals, &bureau), "recommender", "{seals:?}");
    assert_eq!(owner_of(&seals, &applicant), "applicant", "{seals:?}");
}
