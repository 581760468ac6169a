//! Renders one proposal as a DOCX 指南建议信息表 + 说明报告, varying labels,
//! value formats, table layout (2/4 columns, gridSpan, vMerge, label-above),
//! row order and run splitting, and returns what a careful typist would
//! read from exactly that rendering.
//!
//! The WordprocessingML is written by hand: it keeps files small, output
//! byte-deterministic, and gives full control over merges and runs.

use crate::content::{IndKind, OrgType, capital_yuan, zh_small};
use crate::rawzip::{Name, RawZip};
use crate::rng::Rng;
use crate::truth::{Fields, Funding, Indicator, Period, Pi, Trl};

/// The facts of one proposal, before any presentation choice.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub project_name: String,
    pub project_name_en: String,
    pub topic: String,
    pub applicant: String,
    pub applicant_type: OrgType,
    pub pi_name: String,
    /// (year, month, day)
    pub birth: (u32, u32, u32),
    pub title: String,
    /// (ISO code, Chinese name as this proposal writes it)
    pub countries: Vec<(String, String)>,
    pub partner_institution: String,
    pub field: String,
    pub key_techs: Vec<String>,
    /// 0 = the form states no TRL at all.
    pub trl_current: u8,
    pub trl_target: u8,
    /// (kind, count, text exactly as written)
    pub indicators: Vec<(IndKind, u32, String)>,
    pub requested_wan: f64,
    pub matching_wan: Option<f64>,
    /// (year, month) of the start and the duration in months
    pub start: (u32, u32),
    pub months: u32,
    pub phone: String,
}

#[derive(Clone, Copy, PartialEq)]
enum VMerge {
    No,
    Restart,
    Continue,
}

struct Cell {
    paras: Vec<String>,
    span: u32,
    vmerge: VMerge,
    label: bool,
}

/// A label cell; a `\n` in the label breaks it over two paragraphs, as
/// forms break `申请经费` / `（万元）` in a narrow column.
fn lab(text: &str) -> Cell {
    Cell {
        paras: text.split('\n').map(str::to_string).collect(),
        span: 1,
        vmerge: VMerge::No,
        label: true,
    }
}

fn val(paras: Vec<String>, span: u32) -> Cell {
    Cell {
        paras,
        span,
        vmerge: VMerge::No,
        label: false,
    }
}

/// A logical row of the form: a label and its value paragraphs.
struct Item {
    label: String,
    value: Vec<String>,
    long: bool,
}

enum Block {
    Item(Item),
    /// The proposer's rows, kept together: either 建议人 spanning 姓名 /
    /// 出生年月 / 职称 sub-rows via vMerge (4-column layout only), or plain
    /// label/value rows whose first label is the proposer label itself.
    Pi {
        label: String,
        subs: Vec<(String, String)>,
        merged: bool,
    },
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(ch),
        }
    }
    o
}

const TEAM_SURNAMES: &[&str] = &["孙", "刘", "褚", "卫", "蒋", "沈", "韩", "杨"];
const TEAM_GIVEN: &[&str] = &[
    "一鸣", "海燕", "子涵", "建新", "晓光", "雨桐", "振华", "立群",
];

const FONTS: &[&str] = &[
    "宋体",
    "仿宋_GB2312",
    "仿宋",
    "楷体_GB2312",
    "Times New Roman",
];

struct Xml<'a> {
    out: String,
    rng: &'a mut Rng,
    bookmark: u32,
}

impl Xml<'_> {
    /// Writes `text` as 1–3 runs split at random character positions, with
    /// differing run properties, as Word leaves text after editing.
    fn runs(&mut self, text: &str, bold: bool, size: u32) {
        let chars: Vec<char> = text.chars().collect();
        let pieces = if chars.len() < 4 || self.rng.chance(0.5) {
            1
        } else if self.rng.chance(0.6) {
            2
        } else {
            3
        };
        let mut cuts: Vec<usize> = (1..pieces)
            .map(|_| 1 + self.rng.below(chars.len() - 1))
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut bounds = vec![0];
        bounds.extend(cuts);
        bounds.push(chars.len());
        let font = *self.rng.pick(FONTS);
        for w in bounds.windows(2) {
            let piece: String = chars[w[0]..w[1]].iter().collect();
            if w[0] > 0 && self.rng.chance(0.15) {
                self.out.push_str("<w:proofErr w:type=\"spellStart\"/>");
            }
            self.out.push_str("<w:r><w:rPr>");
            let f = if self.rng.chance(0.2) {
                *self.rng.pick(FONTS)
            } else {
                font
            };
            self.out.push_str(&format!(
                "<w:rFonts w:ascii=\"{f}\" w:hAnsi=\"{f}\" w:eastAsia=\"{f}\"/>"
            ));
            if bold {
                self.out.push_str("<w:b/>");
            }
            let sz = if self.rng.chance(0.1) { size + 2 } else { size };
            self.out
                .push_str(&format!("<w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/>"));
            self.out.push_str("</w:rPr><w:t xml:space=\"preserve\">");
            self.out.push_str(&esc(&piece));
            self.out.push_str("</w:t></w:r>");
        }
    }

    fn para(&mut self, text: &str, bold: bool, center: bool, size: u32) {
        self.out.push_str("<w:p><w:pPr>");
        if center {
            self.out.push_str("<w:jc w:val=\"center\"/>");
        }
        self.out.push_str("</w:pPr>");
        if self.rng.chance(0.05) {
            let id = self.bookmark;
            self.bookmark += 1;
            self.out.push_str(&format!(
                "<w:bookmarkStart w:id=\"{id}\" w:name=\"_Toc{}\"/><w:bookmarkEnd w:id=\"{id}\"/>",
                100 + id
            ));
        }
        if !text.is_empty() {
            self.runs(text, bold, size);
        }
        self.out.push_str("</w:p>");
    }

    fn table(&mut self, grid: &[u32], rows: &[Vec<Cell>]) {
        self.out.push_str(
            "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>\
             <w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/>\
             </w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        );
        for g in grid {
            self.out.push_str(&format!("<w:gridCol w:w=\"{g}\"/>"));
        }
        self.out.push_str("</w:tblGrid>");
        for row in rows {
            self.out
                .push_str("<w:tr><w:trPr><w:trHeight w:val=\"567\"/></w:trPr>");
            let mut col = 0usize;
            for cell in row {
                let span = cell.span as usize;
                let w: u32 = grid[col.min(grid.len() - 1)..(col + span).min(grid.len())]
                    .iter()
                    .sum();
                col += span;
                self.out.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
                ));
                if span > 1 {
                    self.out
                        .push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
                }
                match cell.vmerge {
                    VMerge::Restart => self.out.push_str("<w:vMerge w:val=\"restart\"/>"),
                    VMerge::Continue => self.out.push_str("<w:vMerge/>"),
                    VMerge::No => {}
                }
                self.out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
                if cell.paras.is_empty() || cell.vmerge == VMerge::Continue {
                    self.out.push_str("<w:p/>");
                }
                if cell.vmerge != VMerge::Continue {
                    for p in &cell.paras {
                        let center = cell.label && cell.paras.len() == 1 && self.rng.chance(0.5);
                        self.para(p, cell.label, center, 24);
                    }
                }
                self.out.push_str("</w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }
}

/// How a list (key technologies, indicators) is numbered.
#[derive(Clone, Copy)]
enum Numbering {
    Circled,
    Paren,
    Dun,
    Dot,
    Plain,
    Inline,
}

fn number(style: Numbering, i: usize) -> String {
    const CIRCLED: [&str; 10] = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"];
    let n = i + 1;
    match style {
        Numbering::Circled | Numbering::Inline => CIRCLED[i % 10].to_string(),
        Numbering::Paren => format!("（{n}）"),
        Numbering::Dun => format!("{n}、"),
        Numbering::Dot => format!("{n}. "),
        Numbering::Plain => String::new(),
    }
}

fn list_paras(items: &[String], style: Numbering, rng: &mut Rng) -> Vec<String> {
    let end = if rng.chance(0.5) { "；" } else { "" };
    match style {
        Numbering::Inline => {
            let joined: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}{s}", number(style, i)))
                .collect();
            vec![format!("{}。", joined.join("；"))]
        }
        _ => items
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let last = i + 1 == items.len();
                format!(
                    "{}{s}{}",
                    number(style, i),
                    if last && !end.is_empty() { "。" } else { end }
                )
            })
            .collect(),
    }
}

fn pick_numbering(rng: &mut Rng) -> Numbering {
    *rng.pick(&[
        Numbering::Circled,
        Numbering::Paren,
        Numbering::Dun,
        Numbering::Dot,
        Numbering::Plain,
        Numbering::Inline,
    ])
}

fn trl_text(n: u8, rng: &mut Rng, style: usize) -> String {
    let _ = rng;
    match style {
        0 => format!("{n}级"),
        1 => format!("TRL{n}"),
        2 => format!("{}级", zh_small(n as u32).unwrap_or("一")),
        3 => format!("第{n}级"),
        _ => format!("TRL {n}级"),
    }
}

#[derive(Clone, Copy)]
enum Money {
    Wan,
    YuanComma,
    Capital,
    Yen,
    Bare,
}

fn fmt_wan(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{}", w as i64)
    } else {
        format!("{w}")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn money(wan: f64, style: Money, rng: &mut Rng) -> String {
    let yuan = (wan * 10_000.0).round() as u64;
    match style {
        Money::Wan => format!("{}万元", fmt_wan(wan)),
        Money::YuanComma => format!("{}元", thousands(yuan)),
        Money::Capital => capital_yuan(yuan),
        Money::Yen => {
            if rng.chance(0.5) {
                format!("￥{yuan}")
            } else {
                format!("￥{}.00", thousands(yuan))
            }
        }
        Money::Bare => fmt_wan(wan),
    }
}

fn last_day(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn label(rng: &mut Rng, options: &[&str]) -> String {
    let base = *rng.pick(options);
    if rng.chance(0.12) {
        format!("{base}：")
    } else if rng.chance(0.06) {
        format!("*{base}")
    } else {
        base.to_string()
    }
}

/// Spaces some typists put inside two-character names (王  焱).
fn spaced_name(name: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() == 2 && rng.chance(0.2) {
        format!("{}\u{3000}{}", chars[0], chars[1])
    } else {
        name.to_string()
    }
}

/// Renders the form; returns the DOCX bytes and its ground truth.
pub fn render(p: &Proposal, rng: &mut Rng) -> (Vec<u8>, Fields) {
    let four_col = rng.chance(0.45);
    let mut blocks: Vec<Block> = Vec::new();
    let mut truth = Fields {
        project_name: Some(p.project_name.clone()),
        project_name_en: None,
        applicant: Some(p.applicant.clone()),
        applicant_type: Some(p.applicant_type.json().to_string()),
        pi: None,
        partner_countries: p.countries.iter().map(|c| c.0.clone()).collect(),
        partner_institution: Some(p.partner_institution.clone()),
        key_technologies: p.key_techs.clone(),
        trl: None,
        indicators: Vec::new(),
        funding: None,
        execution_period: None,
        agreement: None,
        seals: Vec::new(),
        applicant_registered: None,
        novelty_report: None,
    };
    let item = |label: String, value: String, long: bool| {
        Block::Item(Item {
            label,
            value: vec![value],
            long,
        })
    };

    // Project names.
    let name_val = if rng.chance(0.1) {
        format!("《{}》", p.project_name)
    } else {
        p.project_name.clone()
    };
    blocks.push(item(
        label(
            rng,
            &["指南建议名称", "项目名称", "建议项目名称", "项目中文名称"],
        ),
        name_val,
        true,
    ));
    if rng.chance(0.5) {
        blocks.push(item(
            label(
                rng,
                &["项目英文名称", "英文名称", "Project Title (English)"],
            ),
            p.project_name_en.clone(),
            true,
        ));
        truth.project_name_en = Some(p.project_name_en.clone());
    }
    blocks.push(item(
        label(rng, &["建议单位", "申报单位", "依托单位", "建议单位名称"]),
        p.applicant.clone(),
        true,
    ));
    if rng.chance(0.5) {
        let v = if rng.chance(0.5) {
            let (on, off) = *rng.pick(&[("☑", "☐"), ("☑", "□"), ("■", "□"), ("√", "□")]);
            OrgType::ALL
                .iter()
                .map(|t| {
                    format!(
                        "{}{}",
                        if *t == p.applicant_type { on } else { off },
                        t.zh()
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            p.applicant_type.zh().to_string()
        };
        blocks.push(item(label(rng, &["单位性质", "单位类型"]), v, false));
    }

    // Proposer.
    let pi_label = label(rng, &["建议人", "项目负责人", "建议人姓名"]);
    let (y, m, d) = p.birth;
    let (birth_text, birth_iso) = if rng.chance(0.6) {
        let t = match rng.below(3) {
            0 => format!("{y}年{m}月"),
            1 => format!("{y}.{m:02}"),
            _ => format!("{y}-{m:02}"),
        };
        (t, format!("{y}-{m:02}"))
    } else {
        let t = match rng.below(3) {
            0 => format!("{y}年{m}月{d}日"),
            1 => format!("{y}-{m:02}-{d:02}"),
            _ => format!("{y}.{m}.{d}"),
        };
        (t, format!("{y}-{m:02}-{d:02}"))
    };
    let birth_label = rng.pick(&["出生年月", "出生日期"]).to_string();
    let title_label = rng.pick(&["职称", "职务职称", "技术职称"]).to_string();
    let shown_name = spaced_name(&p.pi_name, rng);
    // No proposer's name: the whole proposer block is left empty.
    let unnamed = p.pi_name.is_empty();
    let or_blank = |v: String| if unnamed { String::new() } else { v };
    blocks.push(Block::Pi {
        merged: four_col && rng.chance(0.5),
        label: pi_label,
        subs: vec![
            ("姓名".to_string(), shown_name),
            (birth_label, or_blank(birth_text)),
            (title_label, or_blank(p.title.clone())),
        ],
    });
    truth.pi = (!unnamed).then(|| Pi {
        name: p.pi_name.clone(),
        birth_date: Some(birth_iso),
        title: Some(p.title.clone()),
    });
    if rng.chance(0.5) {
        blocks.push(item(
            label(rng, &["联系电话", "手机"]),
            p.phone.clone(),
            false,
        ));
    }

    // Partner.
    let sep = *rng.pick(&["、", "，", "/", "；"]);
    let countries = p
        .countries
        .iter()
        .map(|c| c.1.as_str())
        .collect::<Vec<_>>()
        .join(sep);
    blocks.push(item(
        label(
            rng,
            &["合作国别（地区）", "合作国家", "外方合作国家", "合作国别"],
        ),
        countries,
        false,
    ));
    blocks.push(item(
        label(rng, &["外方合作单位", "合作单位（外方）", "外方合作机构"]),
        p.partner_institution.clone(),
        true,
    ));
    if rng.chance(0.6) {
        blocks.push(item(
            label(rng, &["技术领域", "所属技术领域"]),
            p.field.clone(),
            false,
        ));
    }
    if rng.chance(0.3) {
        let v = rng
            .pick(&["联合研发", "技术引进", "技术转移", "共建平台"])
            .to_string();
        blocks.push(item("合作方式".to_string(), v, false));
    }

    // Lists the form only points to: they are numbered sections of the
    // 说明报告 (`四、关键科学问题或技术清单` / `1.…`), as many real forms do.
    let mut report_lists: Vec<(String, Vec<String>)> = Vec::new();
    let pointer = |rng: &mut Rng| {
        rng.pick(&["详见说明报告。", "详见说明报告相关部分。", "见说明报告"])
            .to_string()
    };

    // Key technologies.
    let style = pick_numbering(rng);
    let kt_label = label(
        rng,
        &["关键科学问题或技术清单", "关键技术清单", "拟解决的关键技术"],
    );
    let kt_paras = list_paras(&p.key_techs, style, rng);
    if rng.chance(0.2) {
        let numbered = list_paras(&p.key_techs, Numbering::Dot, rng);
        blocks.push(item(kt_label.clone(), pointer(rng), true));
        report_lists.push((kt_label, numbered));
    } else {
        blocks.push(Block::Item(Item {
            label: kt_label,
            value: kt_paras,
            long: true,
        }));
    }

    // TRL.
    let trl_style = rng.below(5);
    let target_mode = rng.below(100);
    if p.trl_current == 0 {
        truth.trl = None;
    } else if target_mode < 25 {
        let v = format!(
            "当前{}，目标{}",
            trl_text(p.trl_current, rng, trl_style),
            trl_text(p.trl_target, rng, trl_style)
        );
        blocks.push(item(
            label(rng, &["技术成熟度", "技术成熟度等级"]),
            v,
            false,
        ));
        truth.trl = Some(Trl {
            current: p.trl_current,
            target: Some(p.trl_target),
        });
    } else {
        blocks.push(item(
            label(
                rng,
                &[
                    "当前技术成熟度",
                    "技术成熟度（当前）",
                    "技术就绪水平",
                    "TRL",
                ],
            ),
            trl_text(p.trl_current, rng, trl_style),
            false,
        ));
        if target_mode < 60 {
            blocks.push(item(
                label(rng, &["预期技术成熟度", "目标技术成熟度"]),
                trl_text(p.trl_target, rng, trl_style),
                false,
            ));
            truth.trl = Some(Trl {
                current: p.trl_current,
                target: Some(p.trl_target),
            });
        } else if rng.chance(0.4) {
            // The target is only in the report's prose.
            report_lists.push((
                "预期目标及效益".to_string(),
                vec![format!(
                    "项目实施后，拟将关键技术的成熟度由目前的{}级提升至{}级，形成可推广应用的技术方案。",
                    p.trl_current, p.trl_target
                )],
            ));
            truth.trl = Some(Trl {
                current: p.trl_current,
                target: Some(p.trl_target),
            });
        } else {
            truth.trl = Some(Trl {
                current: p.trl_current,
                target: None,
            });
        }
    }

    // Indicators.
    let texts: Vec<String> = p.indicators.iter().map(|i| i.2.clone()).collect();
    let style = pick_numbering(rng);
    let ind_label = label(rng, &["考核指标", "主要考核指标", "预期目标及考核指标"]);
    let ind_paras = list_paras(&texts, style, rng);
    if rng.chance(0.2) {
        blocks.push(item(ind_label.clone(), pointer(rng), true));
        report_lists.push((ind_label, list_paras(&texts, Numbering::Paren, rng)));
    } else {
        blocks.push(Block::Item(Item {
            label: ind_label,
            value: ind_paras,
            long: true,
        }));
    }
    truth.indicators = p
        .indicators
        .iter()
        .map(|(k, n, t)| Indicator {
            kind: k.json().to_string(),
            count: Some(*n as f64),
            text: t.clone(),
        })
        .collect();

    // Execution period.
    let (sy, sm) = p.start;
    let end_abs = sy * 12 + (sm - 1) + p.months - 1;
    let (ey, em) = (end_abs / 12, end_abs % 12 + 1);
    let ed = last_day(ey, em);
    let (ptext, period) = match rng.below(4) {
        0 => (
            format!("{sy}年{sm}月{}{ey}年{em}月", rng.pick(&["—", "至", "-"])),
            Period {
                start: Some(format!("{sy}-{sm:02}")),
                end: Some(format!("{ey}-{em:02}")),
            },
        ),
        1 => (
            format!("{sy}.{sm:02}-{ey}.{em:02}"),
            Period {
                start: Some(format!("{sy}-{sm:02}")),
                end: Some(format!("{ey}-{em:02}")),
            },
        ),
        2 => (
            format!("{sy}年{sm}月1日至{ey}年{em}月{ed}日"),
            Period {
                start: Some(format!("{sy}-{sm:02}-01")),
                end: Some(format!("{ey}-{em:02}-{ed:02}")),
            },
        ),
        _ => (
            format!("{sy}/{sm:02}/01-{ey}/{em:02}/{ed:02}"),
            Period {
                start: Some(format!("{sy}-{sm:02}-01")),
                end: Some(format!("{ey}-{em:02}-{ed:02}")),
            },
        ),
    };
    blocks.push(item(
        label(rng, &["实施期限", "起止年限", "执行期"]),
        ptext,
        false,
    ));
    truth.execution_period = Some(period);

    // Funding: in the table, in the prose after it, or only in a budget
    // table's 合计 row.
    let funding_where = rng.below(6);
    let funding_in_prose = funding_where < 2;
    let funding_in_budget = funding_where == 2;
    let styles = [
        Money::Wan,
        Money::YuanComma,
        Money::Capital,
        Money::Yen,
        Money::Bare,
    ];
    let req_style = *rng.pick(&styles);
    let mat_style = if rng.chance(0.8) {
        req_style
    } else {
        *rng.pick(&styles)
    };
    if !funding_in_prose && !funding_in_budget {
        // The unit in the label, on the same line or broken onto its own.
        let split = rng.chance(0.5);
        let unit = |s: Money| match (s, split) {
            (Money::Bare, true) => "\n（万元）",
            (Money::Bare, false) => "（万元）",
            _ => "",
        };
        let l = label(rng, &["申请省财政资金", "拟申请经费", "省财政经费"]);
        let v = money(p.requested_wan, req_style, rng);
        blocks.push(item(format!("{l}{}", unit(req_style)), v, false));
        if let Some(mw) = p.matching_wan {
            let l = label(rng, &["自筹资金", "配套资金", "单位自筹"]);
            let v = money(mw, mat_style, rng);
            blocks.push(item(format!("{l}{}", unit(mat_style)), v, false));
        }
    }
    truth.funding = Some(Funding {
        requested_wan: Some(p.requested_wan),
        matching_wan: p.matching_wan,
    });

    // Row order: canonical, lightly disturbed, or shuffled (name kept first
    // in most forms, as people expect).
    match rng.below(10) {
        0..=2 => {}
        3..=6 => {
            for _ in 0..3 {
                let a = 1 + rng.below(blocks.len() - 1);
                let b = 1 + rng.below(blocks.len() - 1);
                blocks.swap(a, b);
            }
        }
        _ => rng.shuffle(&mut blocks[1..]),
    }

    let mut x = Xml {
        out: String::with_capacity(24_000),
        rng,
        bookmark: 0,
    };
    x.para("附件1", true, false, 32);
    x.para("2026年省级科技合作项目指南建议信息表", true, true, 36);
    let rows = layout(&blocks, four_col, x.rng);
    let grid: &[u32] = if four_col {
        &[1900, 2600, 1900, 2600]
    } else {
        &[2600, 6400]
    };
    x.table(grid, &rows);
    if x.rng.chance(0.4) {
        x.para("注：技术成熟度等级参照附件2《技术成熟度等级划分》填写；关键科学问题或技术清单原则上不超过5项。", false, false, 21);
    }
    // A team table in some forms: more names and titles the extractor must
    // not take for the proposer.
    if x.rng.chance(0.25) {
        x.para("主要参加人员", true, false, 24);
        let mut rows = vec![vec![
            lab("姓名"),
            lab("工作单位"),
            lab("职称"),
            lab("项目分工"),
        ]];
        for i in 0..x.rng.range(2, 4) {
            let name = format!("{}{}", x.rng.pick(TEAM_SURNAMES), x.rng.pick(TEAM_GIVEN));
            let unit = if i == 0 {
                p.partner_institution.clone()
            } else {
                p.applicant.clone()
            };
            let title = x
                .rng
                .pick(&["副教授", "讲师", "工程师", "研究员", "助理研究员"])
                .to_string();
            let duty = x
                .rng
                .pick(&["技术攻关", "试验验证", "外方联络", "数据分析"])
                .to_string();
            rows.push(vec![
                val(vec![name], 1),
                val(vec![unit], 1),
                val(vec![title], 1),
                val(vec![duty], 1),
            ]);
        }
        x.table(&[1600, 3600, 1600, 2200], &rows);
    }

    // 说明报告.
    x.para("", false, false, 24);
    let heading = if x.rng.chance(0.5) {
        "说明报告"
    } else {
        "指南建议说明报告"
    };
    x.para(heading, true, true, 32);
    const NUMS: [&str; 9] = [
        "一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、",
    ];
    let partner = p.countries.first().map(|c| c.1.as_str()).unwrap_or("外方");
    let mut sections: Vec<(String, Vec<String>)> = vec![
        (
            "项目背景及合作必要性".to_string(),
            vec![format!(
                "{}是我省{}产业发展亟需突破的方向。{}与{}{}在该领域已有良好合作基础，双方优势互补，开展联合研发可有效提升我省相关技术水平。",
                p.topic, p.field, p.applicant, partner, p.partner_institution
            )],
        ),
        (
            "主要研究内容".to_string(),
            vec![format!(
                "项目拟围绕{}等关键技术开展联合攻关，引进消化吸收外方先进技术与装备，形成具有自主知识产权的成套技术并开展示范应用。",
                p.key_techs.first().map(String::as_str).unwrap_or("相关")
            )],
        ),
        (
            "预期成果及效益".to_string(),
            vec!["项目实施后将形成一批可检验、可考核的技术成果，带动相关产业转型升级，并为深化双方长期合作奠定基础。".to_string()],
        ),
    ];
    sections.extend(report_lists);
    if funding_in_prose {
        let r = money(
            p.requested_wan,
            if matches!(req_style, Money::Bare) {
                Money::Wan
            } else {
                req_style
            },
            x.rng,
        );
        let s = match p.matching_wan {
            Some(mw) => {
                let mtxt = money(
                    mw,
                    if matches!(mat_style, Money::Bare) {
                        Money::Wan
                    } else {
                        mat_style
                    },
                    x.rng,
                );
                let total = fmt_wan(p.requested_wan + mw);
                match x.rng.below(3) {
                    0 => format!(
                        "项目总经费{total}万元，其中申请省财政资金{r}，单位自筹配套{mtxt}。"
                    ),
                    1 => format!(
                        "拟申请省财政资金{r}，自筹资金{mtxt}，主要用于设备购置、材料及国际合作交流。"
                    ),
                    _ => format!("本项目申请省财政经费{r}；配套资金{mtxt}，由建议单位自筹解决。"),
                }
            }
            None => format!("项目拟申请省财政资金{r}，主要用于材料、测试化验加工及国际合作交流。"),
        };
        sections.push(("经费预算".to_string(), vec![s]));
    }
    let budget = funding_in_budget.then(|| budget_rows(p.requested_wan, p.matching_wan, x.rng));
    if budget.is_some() {
        sections.push((
            "经费预算".to_string(),
            vec!["项目经费预算如下表（单位：万元）。".to_string()],
        ));
    }
    if x.rng.chance(0.5) {
        sections.push((
            "合作方基本情况".to_string(),
            vec![format!(
                "{}在{}领域具有国际领先的研究团队和实验条件。",
                p.partner_institution, p.field
            )],
        ));
    }
    for (i, (head, paras)) in sections.iter().enumerate() {
        x.para(&format!("{}{head}", NUMS[i]), true, false, 28);
        for para in paras {
            x.para(para, false, false, 28);
        }
        if head == "经费预算"
            && let Some(rows) = &budget
        {
            let grid = vec![2400; rows[0].len()];
            x.table(&grid, rows);
        }
    }
    // Signature block: a second, irrelevant date and the unit's name again.
    if x.rng.chance(0.5) {
        x.para("", false, false, 24);
        x.para(
            &format!("建议单位（盖章）：{}", p.applicant),
            false,
            false,
            28,
        );
        x.para("2025年11月  日", false, false, 28);
    }
    let mut body = std::mem::take(&mut x.out);
    // A cover page, as online application systems print their books: the
    // title, then `label：value` lines repeating the form, then a page
    // break. Drawn last, so the rest of the form is as without it.
    if x.rng.chance(0.2) {
        body = format!("{}{body}", cover(p, x.rng));
    }
    (package(&body, &p.applicant), truth)
}

/// The cover page of an application book exported by an online system.
fn cover(p: &Proposal, rng: &mut Rng) -> String {
    let mut x = Xml {
        out: String::new(),
        rng,
        bookmark: 900,
    };
    x.para("", false, false, 24);
    x.para("山东省科技合作项目", true, true, 36);
    x.para("指 南 建 议 书", true, true, 44);
    x.para("", false, false, 24);
    let rows = [
        (
            label(x.rng, &["项目名称", "指南建议名称"]),
            p.project_name.clone(),
        ),
        (
            label(x.rng, &["建议单位", "申报单位"]),
            format!("{}（盖章）", p.applicant),
        ),
        (
            label(x.rng, &["归口管理部门", "推荐单位"]),
            "（系统自动生成）".to_string(),
        ),
        ("填报日期".to_string(), "2025年11月20日".to_string()),
    ];
    for (l, v) in rows {
        let l = l.trim_end_matches('：').trim_start_matches('*').to_string();
        x.para(&format!("{l}：{v}"), false, false, 30);
    }
    x.para("山东省科学技术厅制", false, true, 28);
    x.out
        .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    x.out
}

/// A budget table: 科目 rows split the requested and matching amounts, and
/// the 合计 row holds them (the only place the form states them).
fn budget_rows(requested: f64, matching: Option<f64>, rng: &mut Rng) -> Vec<Vec<Cell>> {
    const ITEMS: [&str; 5] = [
        "设备费",
        "材料费",
        "测试化验加工费",
        "国际合作与交流费",
        "劳务费",
    ];
    // Shares in tenths of a 万元, so the parts add up to the total exactly.
    let split = |total: f64, rng: &mut Rng| -> Vec<f64> {
        let tenths = (total * 10.0).round() as i64;
        let mut parts = Vec::new();
        let mut left = tenths;
        for k in 0..ITEMS.len() - 1 {
            let share = if left > 0 {
                (left * (15 + rng.below(20)) as i64 / 100).max(0)
            } else {
                0
            };
            let share = if k == ITEMS.len() - 2 {
                share.min(left)
            } else {
                share
            };
            parts.push(share);
            left -= share;
        }
        parts.push(left);
        parts.into_iter().map(|t| t as f64 / 10.0).collect()
    };
    let req = split(requested, rng);
    let mat = matching.map(|m| split(m, rng));
    let mut head = vec![
        lab(label(rng, &["预算科目", "科目名称", "支出科目"]).trim_end_matches('：')),
        lab(&label(rng, &["申请省财政资金", "省财政经费", "申请经费"])),
    ];
    if mat.is_some() {
        head.push(lab(&label(rng, &["自筹资金", "单位自筹", "配套资金"])));
    }
    let mut rows = vec![head];
    for (i, item) in ITEMS.iter().enumerate() {
        let mut r = vec![
            val(vec![item.to_string()], 1),
            val(vec![fmt_wan(req[i])], 1),
        ];
        if let Some(m) = &mat {
            r.push(val(vec![fmt_wan(m[i])], 1));
        }
        rows.push(r);
    }
    let word = *rng.pick(&["合计", "合  计", "总计"]);
    let mut total = vec![lab(word), val(vec![fmt_wan(requested)], 1)];
    if let Some(m) = matching {
        total.push(val(vec![fmt_wan(m)], 1));
    }
    rows.push(total);
    rows
}

/// Adds a short label/value pair: alone in a 2-column table, or paired with
/// the previous one in a 4-column table.
fn short_row(rows: &mut Vec<Vec<Cell>>, pending: &mut Option<Item>, it: Item, four_col: bool) {
    if !four_col {
        rows.push(vec![lab(&it.label), val(it.value, 1)]);
        return;
    }
    match pending.take() {
        Some(prev) => rows.push(vec![
            lab(&prev.label),
            val(prev.value, 1),
            lab(&it.label),
            val(it.value, 1),
        ]),
        None => *pending = Some(it),
    }
}

/// Turns blocks into table rows for the chosen layout.
fn layout(blocks: &[Block], four_col: bool, rng: &mut Rng) -> Vec<Vec<Cell>> {
    let width = if four_col { 4 } else { 2 };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut pending: Option<Item> = None;
    let above_lists = rng.chance(0.5);
    for b in blocks {
        match b {
            Block::Pi {
                label,
                subs,
                merged: true,
            } => {
                for (i, (sl, sv)) in subs.iter().enumerate() {
                    let mut l = lab(label);
                    l.vmerge = if i == 0 {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                    rows.push(vec![l, lab(sl), val(vec![sv.clone()], 2)]);
                }
            }
            Block::Pi {
                label,
                subs,
                merged: false,
            } => {
                for (i, (sl, sv)) in subs.iter().enumerate() {
                    let l = if i == 0 { label } else { sl };
                    let it = Item {
                        label: l.clone(),
                        value: vec![sv.clone()],
                        long: false,
                    };
                    short_row(&mut rows, &mut pending, it, four_col);
                }
            }
            Block::Item(it) => {
                let multi = it.value.len() > 1
                    || it.label.contains("技术清单")
                    || it.label.contains("关键技术")
                    || it.label.contains("考核指标");
                if it.long || multi {
                    if multi && above_lists {
                        rows.push(vec![Cell {
                            span: width,
                            ..lab(&it.label)
                        }]);
                        rows.push(vec![val(it.value.clone(), width)]);
                    } else {
                        rows.push(vec![lab(&it.label), val(it.value.clone(), width - 1)]);
                    }
                } else {
                    let it = Item {
                        label: it.label.clone(),
                        value: it.value.clone(),
                        long: false,
                    };
                    short_row(&mut rows, &mut pending, it, four_col);
                }
            }
        }
    }
    if let Some(prev) = pending {
        rows.push(vec![lab(&prev.label), val(prev.value, 3)]);
    }
    rows
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// Zips the parts into a DOCX package (ASCII part names, no UTF-8 flag, as Word writes).
fn package(body: &str, author: &str) -> Vec<u8> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1800\" w:bottom=\"1440\" w:left=\"1800\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:creator>{}</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-11-20T09:00:00Z</dcterms:created></cp:coreProperties>",
        esc(author)
    );
    let mut z = RawZip::new();
    z.file(
        Name::Raw(b"[Content_Types].xml".to_vec()),
        CONTENT_TYPES.as_bytes(),
        true,
    )
    .file(Name::Raw(b"_rels/.rels".to_vec()), RELS.as_bytes(), true)
    .file(
        Name::Raw(b"docProps/core.xml".to_vec()),
        core.as_bytes(),
        true,
    )
    .file(
        Name::Raw(b"word/_rels/document.xml.rels".to_vec()),
        DOC_RELS.as_bytes(),
        true,
    )
    .file(
        Name::Raw(b"word/styles.xml".to_vec()),
        STYLES.as_bytes(),
        true,
    )
    .file(
        Name::Raw(b"word/document.xml".to_vec()),
        doc.as_bytes(),
        true,
    );
    z.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats() {
        let mut r = Rng::new(1);
        assert_eq!(money(40.0, Money::Wan, &mut r), "40万元");
        assert_eq!(money(40.0, Money::YuanComma, &mut r), "400,000元");
        assert_eq!(money(150.0, Money::Capital, &mut r), "壹佰伍拾万元整");
        assert_eq!(money(37.5, Money::Bare, &mut r), "37.5");
    }

    #[test]
    fn list_numbering_styles() {
        let mut r = Rng::new(3);
        let items = vec!["甲技术".to_string(), "乙方法".to_string()];
        assert_eq!(
            list_paras(&items, Numbering::Inline, &mut r),
            vec!["①甲技术；②乙方法。"]
        );
        let p = list_paras(&items, Numbering::Paren, &mut r);
        assert!(p[0].starts_with("（1）甲技术"));
    }

    #[test]
    fn period_end_month() {
        assert_eq!(last_day(2028, 2), 29);
        assert_eq!(last_day(2027, 12), 31);
    }
}
