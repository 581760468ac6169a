//! `report.html` and `summary.xlsx` for the committed agreement batch: the
//! report is self-contained, shows every injected bilingual mismatch side
//! by side and every expected finding, and escapes document text; the
//! workbook reads back with calamine in the summary-table layout, with a
//! frozen header and an autofilter. (The browser-side check — filters run
//! in Chromium — is `scripts/report-dom-test`.)

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use intake::emit::report::{esc, render, render_with};
use intake::emit::summary_xlsx::COLUMNS;
use intake::emit::{BatchReport, Counts};
use intake::pipeline::{Options, run};
use intake::record::{Finding, Seal, Severity, Submission};
use intake_samples::agreement::CaseTruth;

struct Out {
    _dir: tempfile::TempDir,
    html: String,
    xlsx: std::path::PathBuf,
    subs: Vec<Submission>,
    truth: Vec<CaseTruth>,
}

fn ingest_samples() -> Out {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/agreements");
    let dir = tempfile::tempdir().unwrap();
    let opts = Options::new(
        vec![root.join("inbox")],
        "shanxi-2024-cooperation",
        dir.path().to_path_buf(),
    );
    run(&opts).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let subs = std::fs::read_to_string(dir.path().join("submissions.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let truth = std::fs::read_to_string(root.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Out {
        xlsx: dir.path().join("summary.xlsx"),
        _dir: dir,
        html,
        subs,
        truth,
    }
}

#[test]
fn report_is_self_contained_and_shows_mismatches_and_findings() {
    let o = ingest_samples();
    let h = &o.html;
    assert!(h.starts_with("<!DOCTYPE html>"));
    // Nothing fetched from anywhere: no external scripts, styles or images.
    for bad in [
        "<script src",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(http",
    ] {
        assert!(!h.contains(bad), "report refers outside itself: {bad}");
    }
    assert!(h.contains("lang=\"zh-CN\"") && h.contains("批次概览"));
    // One card per proposal.
    assert_eq!(h.matches("<section class=\"card").count(), o.subs.len());
    // Every injected mismatch is a highlighted side-by-side row.
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for t in &o.truth {
        for m in &t.mismatches {
            *expected.entry(m.clone()).or_default() += 1;
        }
    }
    for (field, n) in &expected {
        let row = format!("<tr class=\"bad\" data-field=\"{field}\">");
        assert_eq!(h.matches(&row).count(), *n, "rows for {field}");
    }
    let total: usize = expected.values().sum();
    assert_eq!(
        h.matches("data-code=\"BILINGUAL_MISMATCH\" data-severity=\"error\"")
            .count(),
        total
    );
    assert!(h.matches("<mark class=\"diff\">").count() >= total);
    for code in [
        "AGREEMENT_NOT_BILINGUAL",
        "AGREEMENT_NOT_COVERING_PERIOD",
        "AGREEMENT_MISSING",
    ] {
        let want = o
            .truth
            .iter()
            .filter(|t| t.expect_codes.iter().any(|c| c == code))
            .count();
        let li = format!("<li class=\"finding\" data-code=\"{code}\"");
        assert!(h.matches(&li).count() >= want, "{code}");
        assert!(h.contains(&format!("<option value=\"{code}\">")));
    }
    println!(
        "report.html: {} bytes, {} cards, {total} mismatch rows",
        h.len(),
        o.subs.len()
    );
}

fn empty_report() -> BatchReport {
    BatchReport {
        schema_version: intake::record::SCHEMA_VERSION,
        scheme: "shanxi-2024-cooperation".into(),
        inputs: vec![],
        counts: Counts::default(),
        failures: vec![],
        warnings: vec![],
        unassigned: vec![],
        skipped: vec![],
        summaries: vec![],
        messages: vec![],
        findings: vec![],
        timings_ms: BTreeMap::new(),
    }
}

#[test]
fn document_text_is_escaped() {
    let o = ingest_samples();
    let mut s = o.subs[0].clone();
    s.fields.project_name = Some("<script>alert('x')</script>&\"".into());
    s.fields.seals = vec![Seal {
        source: "a.pdf".into(),
        page: Some(3),
        text: "<img src=x onerror=alert(1)>".into(),
        owner: None,
        ..Default::default()
    }];
    s.findings.push(Finding {
        code: intake::record::Code::SealMismatch,
        severity: Severity::Warning,
        field: None,
        message: "</li><b>boom</b>".into(),
        source: None,
        evidence: None,
    });
    let h = render(&[s], &empty_report());
    assert!(!h.contains("<script>alert"));
    assert!(!h.contains("<img src=x"));
    assert!(!h.contains("<b>boom</b>"));
    assert!(h.contains(&esc("<script>alert('x')</script>&\"")));
    assert!(h.contains("未能可靠识别"));
    // Exactly one script element: the report's own.
    assert_eq!(h.matches("<script>").count(), 1);
}

#[test]
fn summary_xlsx_reads_back() {
    let o = ingest_samples();
    let mut wb: Xlsx<_> = open_workbook(&o.xlsx).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, ["项目汇总", "问题清单"]);
    let range = wb.worksheet_range("项目汇总").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let want: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(header, want);
    assert_eq!(rows.len(), o.subs.len() + 1);
    let col = |name: &str| want.iter().position(|c| *c == name).unwrap();
    for (i, s) in o.subs.iter().enumerate() {
        let r = rows[i + 1];
        assert_eq!(r[0], Data::Float((i + 1) as f64));
        assert_eq!(
            r[col("项目名称")].to_string(),
            s.fields.project_name.clone().unwrap_or_default()
        );
        assert_eq!(
            r[col("建议单位/申报单位")].to_string(),
            s.fields.applicant.clone().unwrap_or_default()
        );
        let codes = r[col("问题代码")].to_string();
        let has_mismatch = s.findings.iter().any(|f| f.code == "BILINGUAL_MISMATCH");
        assert_eq!(codes.contains("BILINGUAL_MISMATCH"), has_mismatch);
        if let Some(f) = s.fields.funding.and_then(|f| f.requested_wan) {
            assert_eq!(r[col("申请经费（万元）")], Data::Float(f));
        }
    }
    let findings = wb.worksheet_range("问题清单").unwrap();
    let n: usize = o.subs.iter().map(|s| s.findings.len()).sum();
    assert_eq!(findings.rows().count(), n + 1);

    // Frozen header and autofilter are in the sheet XML.
    let f = std::fs::File::open(&o.xlsx).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("state=\"frozen\""), "frozen pane");
    assert!(xml.contains("<autoFilter"), "autofilter");
    assert!(xml.contains("<cols>"), "column widths");
}

#[test]
fn seal_crops_are_embedded_as_data_uris() {
    let o = ingest_samples();
    let mut s = o.subs[0].clone();
    s.fields.seals = vec![Seal {
        source: "盖章页.pdf".into(),
        page: Some(2),
        text: "山西大学".into(),
        owner: Some(intake::record::SealOwner::Applicant),
        ..Default::default()
    }];
    let png: &[u8] = b"\x89PNG\r\n\x1a\n fake";
    let h = render_with(&[s.clone()], &empty_report(), &|seal: &Seal| {
        (seal.page == Some(2)).then(|| ("image/png", png.to_vec()))
    });
    assert!(h.contains("<img alt=\"公章\" src=\"data:image/png;base64,iVBORw0KGgog"));
    assert!(h.contains("申报单位公章"));
    // Without a crop the seal is still listed, with no image.
    let h = render(&[s], &empty_report());
    assert!(h.contains("山西大学") && !h.contains("data:image/png"));
}
