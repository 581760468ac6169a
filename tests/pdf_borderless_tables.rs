//! Tables without ruling lines: a label/value form and a four-column
//! table written as DOCX with every border removed, exported to PDF by
//! LibreOffice, must yield the same table cells as the DOCX originals; a
//! two-column page of prose and a page of plain paragraphs must yield no
//! table. Skipped (with a message) when `soffice` is not installed.

use std::process::Command;

use intake::extract::extract;
use intake::model::{Document, FileKind};
use intake_samples::agreement::docx_with_section as docx;

fn para(text: &str) -> String {
    let text = text.replace('&', "&amp;").replace('<', "&lt;");
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A table with every border set to nil, columns `widths` in twips.
fn borderless(rows: &[&[&str]], widths: &[u32]) -> String {
    let nil = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|b| format!("<w:{b} w:val=\"nil\"/>"))
        .collect::<String>();
    let mut s = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
    );
    for w in widths {
        s.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    s.push_str("</w:tblGrid>");
    for row in rows {
        s.push_str("<w:tr>");
        for (cell, w) in row.iter().zip(widths) {
            s.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
                para(cell)
            ));
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

/// The tables' cell texts, row by row.
fn cells(d: &Document) -> Vec<Vec<Vec<String>>> {
    d.tables()
        .map(|t| {
            t.rows
                .iter()
                .map(|r| r.iter().map(|c| c.text.trim().to_string()).collect())
                .collect()
        })
        .collect()
}

fn to_pdf(docs: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if Command::new("soffice").arg("--version").output().is_err() {
        // scripts/setup installs it: on CI its absence is a failure.
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true" || v == "1"),
            "CI=true and soffice (LibreOffice) is not installed"
        );
        println!("skipped: soffice (LibreOffice) not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    Some(intake_samples::pdf::convert_all(docs, dir.path()).unwrap())
}

const FORM: &[&[&str]] = &[
    &["项目名称", "黄河流域盐碱地生态修复关键技术国际联合研发"],
    &["申报单位", "山东大学"],
    &["项目负责人", "张明远"],
    &["合作国别", "荷兰"],
    &[
        "外方合作单位",
        "瓦赫宁根大学与研究中心（Wageningen University & Research）土壤生态与环境修复研究所及其下属的国际联合实验室",
    ],
    &["申请经费（万元）", "40"],
    &["联系电话", "0531-88361234"],
];

const GRID: &[&[&str]] = &[
    &["指标", "单位", "2026年", "2027年"],
    &["发表论文", "篇", "3", "5"],
    &["发明专利", "件", "1", "2"],
    &["培养研究生", "人", "4", "6"],
];

fn prose() -> String {
    let s = "本项目面向黄河流域生态保护和高质量发展重大需求，联合外方合作单位开展关键技术联合攻关，\
             围绕核心装备研制、示范应用和人才培养三个方面形成可推广的技术方案。";
    (0..12).map(|_| para(s)).collect()
}

#[test]
fn borderless_docx_tables_keep_their_cells_in_pdf() {
    let docs = vec![
        docx(
            &format!(
                "{}{}{}{}",
                para("山东省国际科技合作项目信息表"),
                borderless(FORM, &[2400, 6600]),
                para("预期成果"),
                borderless(GRID, &[2200, 1200, 1800, 1800])
            ),
            "",
        ),
        // Prose on a two-column page, and prose on a plain page.
        docx(&prose(), "<w:cols w:num=\"2\" w:space=\"425\"/>"),
        docx(&prose(), ""),
    ];
    let Some(pdfs) = to_pdf(&docs) else { return };
    let want = cells(&extract(&docs[0], FileKind::Docx, "form.docx").unwrap());
    assert_eq!(want.len(), 2, "the DOCX has two tables");
    let got_doc = extract(&pdfs[0], FileKind::Pdf, "form.pdf").unwrap();
    let got = cells(&got_doc);
    assert_eq!(got, want, "PDF tables differ from the DOCX tables");
    // Cells carry their boxes, as evidence needs.
    assert!(
        got_doc
            .tables()
            .all(|t| t.cells().all(|c| c.bbox.is_some()))
    );
    for (i, pdf) in pdfs.iter().enumerate().skip(1) {
        let d = extract(pdf, FileKind::Pdf, "prose.pdf").unwrap();
        assert_eq!(
            d.tables().count(),
            0,
            "prose document {i} read as a table: {:?}",
            cells(&d)
        );
        assert!(d.plain_text(false).contains("黄河流域生态保护"));
    }
}
