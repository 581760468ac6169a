//! Bad input through the whole CLI: every bad file gets an UNREADABLE_FILE
//! finding naming it and the reason, the rest of the batch goes on, and
//! nothing is written outside the output folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use intake_samples::rawzip::{Name, RawZip};
use serde_json::Value;

fn docx(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::from("<w:tbl>");
    for (l, v) in rows {
        body.push_str(&format!(
            "<w:tr><w:tc><w:p><w:r><w:t>{l}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc></w:tr>"
        ));
    }
    body.push_str("</w:tbl>");
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let mut z = RawZip::new();
    z.file(
        Name::Utf8("[Content_Types].xml".into()),
        types.as_bytes(),
        true,
    );
    z.file(Name::Utf8("word/document.xml".into()), doc.as_bytes(), true);
    z.finish()
}

fn tree(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p.clone());
                }
                out.insert(p);
            }
        }
    }
    out
}

#[test]
fn bad_files_are_reported_and_the_batch_goes_on() {
    let root = tempfile::tempdir().expect("tempdir");
    let inbox = root.path().join("inbox");
    let region = inbox.join("上合组织成员国");
    std::fs::create_dir_all(&region).expect("mkdir");
    let good = docx(&[
        ("指南建议名称", "智能农机装备关键技术联合研发"),
        ("建议单位", "山东大学"),
        ("合作国别（地区）", "俄罗斯"),
    ]);
    std::fs::write(
        region.join("1.智能农机装备关键技术联合研发-山东大学.docx"),
        &good,
    )
    .expect("write");
    std::fs::write(region.join("2.坏文件-某单位.docx"), &good[..good.len() / 2]).expect("write");
    std::fs::write(region.join("3.空文件-某单位.docx"), b"").expect("write");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(region.join("4.旧格式-某单位.doc"), &ole).expect("write");
    std::fs::write(region.join("5.garbage-某单位.pdf"), b"not a pdf at all").expect("write");

    let good2 = docx(&[
        ("项目名称", "中日韩智能制造联合研发"),
        ("申报单位", "某大学"),
    ]);
    let mut z = RawZip::new();
    z.file(Name::Gbk("日韩/6.好文件-某大学.docx".into()), &good2, true);
    z.file(Name::Raw(b"../../evil.docx".to_vec()), &good, false);
    z.encrypted_file(Name::Gbk("日韩/7.加密-某单位.docx".into()), &good);
    std::fs::write(inbox.join("dept.zip"), z.finish()).expect("write");
    std::fs::write(inbox.join("truncated.zip"), b"PK\x03\x04garbage").expect("write");

    let before = tree(root.path());
    let out = root.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args([
            "ingest",
            "--scheme",
            "shandong-2026-guideline",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .arg(&inbox)
        .status()
        .expect("run intake");
    assert!(status.success(), "a batch with bad files still succeeds");

    let after: BTreeSet<PathBuf> = tree(root.path())
        .into_iter()
        .filter(|p| !p.starts_with(&out))
        .collect();
    assert_eq!(before, after, "nothing written outside the output folder");
    assert!(!root.path().join("evil.docx").exists());

    let text = std::fs::read_to_string(out.join("submissions.jsonl")).expect("jsonl");
    let subs: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let unreadable: Vec<String> = subs
        .iter()
        .flat_map(|s| s["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f["code"] == "UNREADABLE_FILE")
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect();
    for name in [
        "2.坏文件-某单位.docx",
        "3.空文件-某单位.docx",
        "4.旧格式-某单位.doc",
        "5.garbage-某单位.pdf",
        "evil.docx",
        "7.加密-某单位.docx",
        "truncated.zip",
    ] {
        assert!(
            unreadable.iter().any(|m| m.contains(name)),
            "UNREADABLE_FILE names {name}; got {unreadable:#?}"
        );
    }
    let good_ones: Vec<&Value> = subs
        .iter()
        .filter(|s| s["fields"]["project_name"] == "智能农机装备关键技术联合研发")
        .collect();
    assert_eq!(good_ones.len(), 1, "the good file in the folder is read");
    assert_eq!(good_ones[0]["fields"]["partner_countries"][0], "RU");
    assert_eq!(good_ones[0]["direction"], "sco");
    assert!(
        subs.iter()
            .any(|s| s["fields"]["project_name"] == "中日韩智能制造联合研发"),
        "the good zip member is read despite its bad neighbours"
    );
    assert!(
        unreadable
            .iter()
            .any(|m| m.contains("2.坏文件-某单位.docx") && m.contains("truncated")),
        "a truncated DOCX is called damaged, not an archive: {unreadable:#?}"
    );
    let batch: Value =
        serde_json::from_slice(&std::fs::read(out.join("batch.json")).expect("batch"))
            .expect("json");
    assert!(batch["failures"].as_array().map(Vec::len).unwrap_or(0) >= 7);
}

/// An unreadable attachment costs only itself: the proposal's form is
/// still read and every rule still runs on what it gave.
#[test]
fn unreadable_attachment_keeps_the_proposals_rule_findings() {
    let root = tempfile::tempdir().expect("tempdir");
    let folder = root
        .path()
        .join("inbox/1.1 中韩能源技术联合研究/某大学-储能");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let form = docx(&[("项目名称", "中韩储能材料联合研究"), ("申报单位", "某大学")]);
    std::fs::write(folder.join("申报书.docx"), &form).expect("write");
    std::fs::write(folder.join("附件1.pdf"), b"%PDF-1.4 not really").expect("write");
    let out = root.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args([
            "ingest",
            "--scheme",
            "most-intergov-2025-b3",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .arg(root.path().join("inbox"))
        .status()
        .expect("run intake");
    assert!(status.success());
    let text = std::fs::read_to_string(out.join("submissions.jsonl")).expect("jsonl");
    let subs: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(subs.len(), 1, "one folder, one proposal");
    let s = &subs[0];
    assert_eq!(s["fields"]["project_name"], "中韩储能材料联合研究");
    let codes: Vec<(&str, &str)> = s["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or(""),
                f["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(codes.iter().any(|c| c.0 == "UNREADABLE_FILE"), "{codes:?}");
    assert!(
        codes.contains(&("MISSING_FIELD", "project_name_en")),
        "rules still run beside the unreadable attachment: {codes:?}"
    );
}
