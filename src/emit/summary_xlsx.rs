//! `summary.xlsx`: one row per proposal in the layout of the calls' summary
//! tables (序号, 项目名称, 申报单位, 合作国别, 技术成熟度, …) followed by the
//! findings columns, with a frozen header, an autofilter and set widths; a
//! second sheet lists every finding on its own row.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use super::report::{code_label, field_text};
use crate::record::{Severity, Submission};

/// The columns of the proposals sheet, with their widths.
pub const COLUMNS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("项目名称", 36.0),
    ("项目英文名称", 30.0),
    ("建议单位/申报单位", 26.0),
    ("单位类型", 10.0),
    ("项目负责人", 12.0),
    ("合作方向", 18.0),
    ("合作国别", 14.0),
    ("外方合作单位", 30.0),
    ("关键技术", 30.0),
    ("技术成熟度", 10.0),
    ("申请经费（万元）", 12.0),
    ("配套资金（万元）", 12.0),
    ("执行期", 22.0),
    ("协议有效期", 22.0),
    ("协议语言", 10.0),
    ("错误数", 8.0),
    ("警告数", 8.0),
    ("问题代码", 28.0),
    ("问题说明", 60.0),
    ("来源文件", 40.0),
];

/// Excel refuses cell text over 32,767 characters.
fn cap(s: &str) -> &str {
    match s.char_indices().nth(32_000) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Builds the workbook's bytes.
pub fn build(submissions: &[Submission], scheme: &str) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // A fixed creation time keeps the file identical across runs.
    let when = ExcelDateTime::from_ymd(2026, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_title(format!("申报项目汇总表 {scheme}")),
    );
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DCE6F1")
        .set_text_wrap();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let bad = cell.clone().set_font_color("#C0392B");

    // Directions by their Chinese names, as the call's tables write them.
    let catalog = crate::scheme::Catalog::embedded();
    let direction_name = |id: &str| {
        catalog
            .scheme(scheme)
            .and_then(|s| s.direction(id))
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let ws = wb.add_worksheet();
    ws.set_name("项目汇总")?;
    for (c, (h, w)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 30)?;
    for (i, s) in submissions.iter().enumerate() {
        let r = i as u32 + 1;
        let f = &s.fields;
        let text = |k: &str| field_text(s, k).unwrap_or_default();
        let errors = s
            .findings
            .iter()
            .filter(|x| x.severity == Severity::Error)
            .count();
        let warnings = s
            .findings
            .iter()
            .filter(|x| x.severity == Severity::Warning)
            .count();
        let mut codes: Vec<&str> = s.findings.iter().map(|x| x.code.as_str()).collect();
        codes.dedup();
        let notes: Vec<String> = s
            .findings
            .iter()
            .map(|x| format!("【{}】{}", code_label(x.code.as_str()), x.message))
            .collect();
        let period = f
            .execution_period
            .as_ref()
            .map(|p| {
                format!(
                    "{}至{}",
                    p.start.as_deref().unwrap_or("?"),
                    p.end.as_deref().unwrap_or("?")
                )
            })
            .unwrap_or_default();
        let agreement = f.agreement.as_ref();
        let term = agreement
            .filter(|a| a.valid_from.is_some() || a.valid_to.is_some())
            .map(|a| {
                format!(
                    "{}至{}",
                    a.valid_from.as_deref().unwrap_or("?"),
                    a.valid_to.as_deref().unwrap_or("?")
                )
            })
            .unwrap_or_default();
        let langs = agreement
            .map(|a| {
                a.languages
                    .iter()
                    .map(|l| if l == "zh" { "中" } else { "英" })
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .unwrap_or_default();
        let sources: Vec<String> = s
            .sources
            .iter()
            .map(|x| {
                if x.container.is_empty() {
                    x.path.clone()
                } else {
                    format!("{}/{}", x.container, x.path)
                }
            })
            .collect();
        let values: Vec<String> = vec![
            String::new(), // 序号 is written as a number below
            text("project_name"),
            text("project_name_en"),
            text("applicant"),
            text("applicant_type"),
            f.pi.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            s.direction
                .as_deref()
                .map(&direction_name)
                .unwrap_or_default(),
            text("partner_countries"),
            text("partner_institution"),
            text("key_technologies"),
            f.trl.map(|t| t.current.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            period,
            term,
            langs,
            String::new(),
            String::new(),
            codes.join(" "),
            notes.join("\n"),
            sources.join("\n"),
        ];
        for (c, v) in values.iter().enumerate() {
            let c = c as u16;
            match c {
                0 => {
                    ws.write_number_with_format(r, c, (i + 1) as f64, &cell)?;
                }
                10 => match f.trl {
                    Some(t) => {
                        ws.write_number_with_format(r, c, f64::from(t.current), &cell)?;
                    }
                    None => {
                        ws.write_blank(r, c, &cell)?;
                    }
                },
                11 | 12 => {
                    let v = f.funding.and_then(|fu| {
                        if c == 11 {
                            fu.requested_wan
                        } else {
                            fu.matching_wan
                        }
                    });
                    match v {
                        Some(v) => ws.write_number_with_format(r, c, v, &cell)?,
                        None => ws.write_blank(r, c, &cell)?,
                    };
                }
                16 => {
                    ws.write_number_with_format(r, c, errors as f64, &cell)?;
                }
                17 => {
                    ws.write_number_with_format(r, c, warnings as f64, &cell)?;
                }
                18 | 19 if errors > 0 => {
                    ws.write_string_with_format(r, c, cap(v), &bad)?;
                }
                _ => {
                    ws.write_string_with_format(r, c, cap(v), &cell)?;
                }
            }
        }
    }
    let last_row = submissions.len() as u32;
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)?;

    // Every finding on its own row, for sorting and counting.
    let ws = wb.add_worksheet();
    ws.set_name("问题清单")?;
    let heads = [
        ("序号", 6.0),
        ("项目名称", 36.0),
        ("问题代码", 28.0),
        ("问题类型", 20.0),
        ("严重程度", 10.0),
        ("字段", 22.0),
        ("说明", 70.0),
        ("来源", 40.0),
        ("位置", 24.0),
        ("原文", 50.0),
    ];
    for (c, (h, w)) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let mut r = 1u32;
    for (i, s) in submissions.iter().enumerate() {
        for x in &s.findings {
            let sev = match x.severity {
                Severity::Error => "错误",
                Severity::Warning => "警告",
                Severity::Info => "提示",
            };
            ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
            let vals = [
                s.fields.project_name.clone().unwrap_or_default(),
                x.code.as_str().to_string(),
                code_label(x.code.as_str()).to_string(),
                sev.to_string(),
                x.field.clone().unwrap_or_default(),
                x.message.clone(),
                x.source.clone().unwrap_or_default(),
                x.evidence
                    .as_ref()
                    .map(|e| e.locator.clone())
                    .unwrap_or_default(),
                x.evidence
                    .as_ref()
                    .map(|e| e.text.clone())
                    .unwrap_or_default(),
            ];
            for (c, v) in vals.iter().enumerate() {
                ws.write_string_with_format(r, c as u16 + 1, cap(v), &cell)?;
            }
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    Ok(wb.save_to_buffer()?)
}
