//! The department's summary table (附件3 指南建议汇总表) as XLSX: merged
//! title row, optional 填报单位 row, header row, one row per proposal.

use anyhow::Result;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use crate::rng::Rng;

/// One row as the department typed it (countries as Chinese names, TRL as text).
pub struct Row {
    pub seq: u32,
    pub project_name: String,
    pub applicant: String,
    pub proposer: String,
    pub countries: String,
    pub partner_institution: String,
    pub field: String,
    pub trl: u8,
    pub phone: String,
}

pub const HEADERS: [&str; 9] = [
    "序号",
    "指南建议名称",
    "建议单位",
    "建议人",
    "合作国别（地区）",
    "外方合作单位",
    "技术领域",
    "当前技术成熟度",
    "联系电话",
];

pub fn build(dept: &str, rows: &[Row], rng: &mut Rng) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // A fixed creation time keeps the file byte-identical across runs.
    let when = ExcelDateTime::from_ymd(2025, 11, 25)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_author(dept),
    );
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(if rng.chance(0.5) {
        "Sheet1"
    } else {
        "汇总表"
    })?;
    ws.merge_range(0, 0, 0, 8, "2026年省级科技合作项目指南建议汇总表", &title)?;
    let mut r = 1u32;
    if rng.chance(0.5) {
        ws.merge_range(
            1,
            0,
            1,
            8,
            &format!("主管部门（盖章）：{dept}"),
            &Format::new(),
        )?;
        r = 2;
    }
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &head)?;
    }
    let widths = [6.0, 36.0, 24.0, 10.0, 14.0, 36.0, 14.0, 12.0, 16.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let trl_style = rng.below(3);
    let seq_as_number = rng.chance(0.7);
    for row in rows {
        r += 1;
        if seq_as_number {
            ws.write_number_with_format(r, 0, row.seq as f64, &cell)?;
        } else {
            ws.write_string_with_format(r, 0, row.seq.to_string(), &cell)?;
        }
        let texts = [
            &row.project_name,
            &row.applicant,
            &row.proposer,
            &row.countries,
            &row.partner_institution,
            &row.field,
        ];
        for (i, t) in texts.iter().enumerate() {
            ws.write_string_with_format(r, (i + 1) as u16, t.as_str(), &cell)?;
        }
        match trl_style {
            0 => ws.write_number_with_format(r, 7, row.trl as f64, &cell)?,
            1 => ws.write_string_with_format(r, 7, format!("{}级", row.trl), &cell)?,
            _ => ws.write_string_with_format(r, 7, format!("TRL{}", row.trl), &cell)?,
        };
        ws.write_string_with_format(r, 8, row.phone.as_str(), &cell)?;
    }
    Ok(wb.save_to_buffer()?)
}
