//! Batch-level checks end to end through the CLI: near-duplicate proposals
//! (DUPLICATE_SUBMISSION by text similarity) and the summary table against
//! its documents (SUMMARY_MISMATCH), on the committed sample batch and on a
//! batch built here with known defects.

mod common;
use common::{ingest, read_jsonl, repo};

use std::path::Path;

use intake_samples::content::{IndKind, OrgType};
use intake_samples::form::{Proposal, render};
use intake_samples::rng::Rng;
use serde_json::Value;

fn lines(out: &Path) -> Vec<Value> {
    read_jsonl(&out.join("submissions.jsonl"))
}

fn findings<'a>(s: &'a Value, code: &str) -> Vec<&'a Value> {
    s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn sample_batch_has_exactly_the_planted_summary_mismatch() {
    let out = tempfile::tempdir().unwrap();
    ingest(
        &repo().join("samples/shandong-2026/inbox"),
        out.path(),
        "shandong-2026-guideline",
    );
    let subs = lines(out.path());
    let mut mismatched = Vec::new();
    for s in &subs {
        assert!(
            findings(s, "DUPLICATE_SUBMISSION").is_empty(),
            "no duplicates planted: {s}"
        );
        for f in findings(s, "SUMMARY_MISMATCH") {
            mismatched.push((s["sources"][0]["path"].clone(), f["field"].clone()));
            assert!(f["evidence"]["locator"].as_str().unwrap().contains("cell"));
        }
    }
    // truth.jsonl: one row of 济南's table differs from its document on the TRL.
    assert_eq!(mismatched.len(), 1, "{mismatched:?}");
    assert!(mismatched[0].0.as_str().unwrap().contains("新一代量子通信"));
    assert_eq!(mismatched[0].1, "trl.current");
    let batch: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("batch.json")).unwrap())
            .unwrap();
    // Only the summaries' own rule: no seal is read from a spreadsheet.
    let codes: Vec<&str> = batch["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SEAL_MISSING"; 3]);
}

fn proposal(i: usize) -> Proposal {
    let topics = [
        ("海水淡化膜材料", "青岛海膜科技有限公司"),
        ("智能农机导航", "潍坊智农装备有限公司"),
        ("氢燃料电池催化剂", "淄博氢能材料有限公司"),
        ("海洋牧场监测", "烟台蓝海渔业科技有限公司"),
    ];
    let (topic, unit) = topics[i];
    Proposal {
        project_name: format!("{topic}联合研发与示范应用"),
        project_name_en: String::new(),
        topic: topic.into(),
        applicant: unit.into(),
        applicant_type: OrgType::Enterprise,
        pi_name: ["王建国", "李明", "张伟", "刘洋"][i].into(),
        birth: (1980, 5, 1),
        title: "高级工程师".into(),
        countries: vec![("JP".into(), "日本".into())],
        partner_institution: "University of Tokyo".into(),
        field: "先进制造".into(),
        key_techs: (0..3)
            .map(|k| format!("{topic}关键技术{k}：面向{unit}的工艺与装备集成方法研究"))
            .collect(),
        trl_current: 4,
        trl_target: 6,
        indicators: vec![
            (IndKind::Patent, 2, "申请发明专利2项".into()),
            (IndKind::Paper, 3, "发表论文3篇".into()),
        ],
        requested_wan: 50.0,
        matching_wan: Some(100.0),
        start: (2026, 1),
        months: 24,
        phone: "0531-88886666".into(),
    }
}

/// The DOCX with text replaced in its body XML (where a value was not
/// split across runs).
fn edit_docx(docx: &[u8], edits: &[(&str, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            let mut xml = String::from_utf8(data).unwrap();
            for (from, to) in edits {
                xml = xml.replace(from, to);
            }
            data = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn summary_xlsx(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        3,
        "2026年省级科技合作项目指南建议汇总表",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    for (c, h) in ["序号", "指南建议名称", "建议单位", "合作国别（地区）"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        ws.write_number(r, 0, f64::from(r - 1)).unwrap();
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r, c as u16 + 1, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn near_duplicates_and_summary_defects_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let dept = dir.path().join("inbox/济南市科学技术局/日韩");
    std::fs::create_dir_all(&dept).unwrap();
    let mut ps: Vec<Proposal> = (0..4).map(proposal).collect();
    let mut docs: Vec<Vec<u8>> = ps
        .iter()
        .enumerate()
        .map(|(i, p)| render(p, &mut Rng::new(i as u64)).0)
        .collect();
    // Proposal 5 is proposal 1's file re-sent by another unit and proposer:
    // the names edited in the document, everything else left as it was.
    let mut copy = ps[0].clone();
    copy.applicant = "济南海创新材料有限公司".into();
    copy.pi_name = "赵强".into();
    docs.push(edit_docx(
        &docs[0],
        &[
            (&ps[0].applicant, &copy.applicant),
            (&ps[0].pi_name, &copy.pi_name),
        ],
    ));
    ps.push(copy);
    for (i, (p, bytes)) in ps.iter().zip(&docs).enumerate() {
        let name = format!("{}.{}-{}.docx", i + 1, p.project_name, p.applicant);
        std::fs::write(dept.join(name), bytes).unwrap();
    }
    // The copy's form may still name the first unit in its table cell,
    // where the edit missed a value split across runs: the summary row
    // names whichever unit the form is read to name.
    let first = dir.path().join("first");
    ingest(&dir.path().join("inbox"), &first, "shandong-2026-guideline");
    let copy_unit = lines(&first)
        .iter()
        .find(|s| {
            s["sources"][0]["path"]
                .as_str()
                .unwrap()
                .contains("日韩/5.")
        })
        .and_then(|s| s["fields"]["applicant"].as_str().map(str::to_string))
        .expect("the copy is read");
    // The summary: 0 right, 1 with the wrong country, 2 omitted, 3 right,
    // the copy right, and a row for a proposal that was never sent.
    let xlsx = summary_xlsx(&[
        [&ps[0].project_name, &ps[0].applicant, "日本"],
        [&ps[1].project_name, &ps[1].applicant, "韩国"],
        [&ps[3].project_name, &ps[3].applicant, "日本"],
        [&ps[4].project_name, &copy_unit, "日本"],
        ["石墨烯导热膜产业化", "济南烯材科技有限公司", "日本"],
    ]);
    std::fs::write(
        dir.path()
            .join("inbox/济南市科学技术局/指南建议汇总表.xlsx"),
        xlsx,
    )
    .unwrap();
    let out = dir.path().join("out");
    ingest(&dir.path().join("inbox"), &out, "shandong-2026-guideline");
    let subs = lines(&out);
    assert_eq!(subs.len(), 5);
    let by_name = |needle: &str| -> &Value {
        subs.iter()
            .find(|s| s["sources"][0]["path"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no proposal {needle}"))
    };
    let (a, b) = (by_name("日韩/1."), by_name("日韩/5."));
    for (me, other) in [(a, "5."), (b, "1.")] {
        // The same project name also trips the `unique` rule; this is the
        // text-similarity one.
        let d: Vec<&Value> = findings(me, "DUPLICATE_SUBMISSION")
            .into_iter()
            .filter(|f| f["message"].as_str().unwrap().contains('%'))
            .collect();
        assert_eq!(d.len(), 1, "{me}");
        let msg = d[0]["message"].as_str().unwrap();
        assert!(msg.contains(&format!("日韩/{other}")), "{msg}");
        assert!(msg.contains('%'), "{msg}");
        assert!(!d[0]["evidence"]["text"].as_str().unwrap().is_empty());
    }
    for n in ["日韩/2.", "日韩/3.", "日韩/4."] {
        assert!(findings(by_name(n), "DUPLICATE_SUBMISSION").is_empty());
    }
    let m2 = findings(by_name("日韩/2."), "SUMMARY_MISMATCH");
    assert_eq!(m2.len(), 1, "{m2:?}");
    assert_eq!(m2[0]["field"], "partner_countries");
    assert_eq!(m2[0]["evidence"]["text"], "韩国");
    let m3 = findings(by_name("日韩/3."), "SUMMARY_MISMATCH");
    assert_eq!(m3.len(), 1);
    assert!(m3[0]["message"].as_str().unwrap().contains("not listed"));
    for n in ["日韩/1.", "日韩/4.", "日韩/5."] {
        assert!(
            findings(by_name(n), "SUMMARY_MISMATCH").is_empty(),
            "{}",
            by_name(n)
        );
    }
    let batch: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("batch.json")).unwrap()).unwrap();
    let orphan: Vec<&Value> = batch["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SUMMARY_MISMATCH")
        .collect();
    assert_eq!(orphan.len(), 1, "{orphan:?}");
    assert_eq!(orphan[0]["code"], "SUMMARY_MISMATCH");
    assert!(
        orphan[0]["evidence"]["text"]
            .as_str()
            .unwrap()
            .contains("石墨烯导热膜")
    );
}
