//! Extraction speed: a generated one-table application form (DOCX), a
//! generated 200-row workbook (XLSX), and the shared corpus when present.
//! Target: a typical 30 KB form DOCX well under 5 ms.

use std::hint::black_box;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use intake::classify::sniff;
use intake::extract::extract;
use intake::model::FileKind;

/// A form like the calls' application sheets: one table of label/value
/// rows, with the run-property noise Word writes around every fragment.
fn form_docx() -> Vec<u8> {
    let run = |t: &str| {
        format!(
            r#"<w:r w:rsidR="00A1B2C3"><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="宋体" w:hint="eastAsia"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t xml:space="preserve">{t}</w:t></w:r>"#
        )
    };
    let para = |t: &str| {
        let half = t.chars().count() / 2;
        let (a, b): (String, String) = (
            t.chars().take(half).collect(),
            t.chars().skip(half).collect(),
        );
        format!(
            r#"<w:p w:rsidR="00C4D5E6"><w:pPr><w:jc w:val="center"/><w:rPr><w:sz w:val="24"/></w:rPr></w:pPr>{}{}</w:p>"#,
            run(&a),
            run(&b)
        )
    };
    let cell = |t: &str, span: usize| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/><w:gridSpan w:val="{span}"/><w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
            para(t)
        )
    };
    let labels = [
        "项目名称",
        "项目类别",
        "申报单位",
        "单位地址",
        "项目负责人",
        "职称",
        "联系电话",
        "电子邮箱",
        "合作国家",
        "外方合作单位",
        "外方负责人",
        "起止时间",
        "申请经费（万元）",
        "自筹经费（万元）",
        "技术就绪水平",
        "研究内容",
        "预期成果",
        "考核指标",
        "单位意见",
        "主管部门意见",
    ];
    let mut rows = String::new();
    for (i, l) in labels.iter().enumerate() {
        rows.push_str(r#"<w:tr><w:trPr><w:trHeight w:val="567"/></w:trPr>"#);
        rows.push_str(&cell(l, 1));
        rows.push_str(&cell(&format!("示例内容第{i}项，填写说明与实际数值"), 3));
        rows.push_str("</w:tr>");
    }
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{rows}</w:tbl>{}<w:sectPr/></w:body></w:document>"#,
        para("国际科技合作项目申报书"),
        para("申报单位（盖章）：            日期：    年  月  日")
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<Types/>").unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(body.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

fn workbook_200_rows() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 4, "项目汇总表", &rust_xlsxwriter::Format::new())
        .unwrap();
    for r in 1..=200u32 {
        ws.write_string(r, 0, format!("项目{r}")).unwrap();
        ws.write_string(r, 1, "中德智能制造联合研究").unwrap();
        ws.write_number(r, 2, f64::from(r) * 1.5).unwrap();
        ws.write_number(r, 3, 2024.0).unwrap();
        ws.write_string(r, 4, "北京").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn corpus() -> Option<PathBuf> {
    [
        std::env::var("INTAKE_SHARED")
            .ok()
            .map(|s| PathBuf::from(s).join("corpus/external")),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/external")),
        Some(PathBuf::from("/work/shared/corpus/external")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_dir())
}

fn generated(c: &mut Criterion) {
    let docx = form_docx();
    let xlsx = workbook_200_rows();
    println!(
        "form docx: {} bytes; workbook: {} bytes",
        docx.len(),
        xlsx.len()
    );
    c.bench_function("docx/form-1-table", |b| {
        b.iter(|| extract(black_box(&docx), FileKind::Docx, "form.docx").unwrap())
    });
    c.bench_function("xlsx/200-rows", |b| {
        b.iter(|| extract(black_box(&xlsx), FileKind::Xlsx, "sum.xlsx").unwrap())
    });
    c.bench_function("classify/docx", |b| {
        b.iter(|| sniff(black_box(&docx), "x.pdf"))
    });
}

fn corpus_files(c: &mut Criterion) {
    let Some(root) = corpus() else {
        println!("skipped: ../shared not found");
        return;
    };
    for dir in ["docx", "xlsx"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let kind = sniff(&bytes, &name);
            c.bench_function(&format!("corpus/{dir}/{name}"), |b| {
                b.iter(|| extract(black_box(&bytes), kind, &name))
            });
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = generated, corpus_files
}
criterion_main!(benches);
