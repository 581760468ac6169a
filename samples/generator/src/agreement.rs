//! Generates application-call proposals (one folder each: an application
//! form DOCX plus a cooperation agreement) whose agreements come in every
//! bilingual layout — a zh|en two-column table, alternating zh/en
//! paragraphs, a Chinese part then an English part, separate zh and en
//! files, Chinese only — with mismatches injected between the two texts
//! (dates, durations, amounts, partner names, project periods) or none, and
//! a truth line per proposal saying which fields differ.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::rawzip::{Name, RawZip};
use crate::rng::Rng;

/// (Chinese name, English name, Chinese country name)
const PARTNERS: &[(&str, &str, &str)] = &[
    ("首尔大学", "Seoul National University", "韩国"),
    (
        "韩国科学技术院",
        "Korea Advanced Institute of Science and Technology",
        "韩国",
    ),
    ("东京大学", "The University of Tokyo", "日本"),
    ("京都大学", "Kyoto University", "日本"),
    ("慕尼黑工业大学", "Technical University of Munich", "德国"),
    ("弗劳恩霍夫协会", "Fraunhofer Society", "德国"),
    ("剑桥大学", "University of Cambridge", "英国"),
    ("帝国理工学院", "Imperial College London", "英国"),
    (
        "以色列理工学院",
        "Technion Israel Institute of Technology",
        "以色列",
    ),
    ("赫尔辛基大学", "University of Helsinki", "芬兰"),
    ("多伦多大学", "University of Toronto", "加拿大"),
    ("莫纳什大学", "Monash University", "澳大利亚"),
    (
        "法国国家科学研究中心",
        "French National Centre for Scientific Research",
        "法国",
    ),
    (
        "瑞典皇家理工学院",
        "KTH Royal Institute of Technology",
        "瑞典",
    ),
    (
        "麻省理工学院",
        "Massachusetts Institute of Technology",
        "美国",
    ),
];

/// (Chinese name, English name)
const APPLICANTS: &[(&str, &str)] = &[
    ("山西大学", "Shanxi University"),
    ("太原理工大学", "Taiyuan University of Technology"),
    ("中北大学", "North University of China"),
    ("山西农业大学", "Shanxi Agricultural University"),
    ("山西医科大学", "Shanxi Medical University"),
    (
        "中国科学院山西煤炭化学研究所",
        "Institute of Coal Chemistry, CAS",
    ),
];

/// (surname, romanized) and (given name, romanized): PIs are their
/// combinations, so no two proposals of a batch share one.
const SURNAMES: &[(&str, &str)] = &[
    ("张", "Zhang"),
    ("王", "Wang"),
    ("李", "Li"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("赵", "Zhao"),
    ("郭", "Guo"),
];
const GIVEN: &[(&str, &str)] = &[
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("强", "Qiang"),
    ("洋", "Yang"),
    ("静", "Jing"),
    ("磊", "Lei"),
];

fn pi_of(i: usize) -> (String, String) {
    let (s, sp) = SURNAMES[i % SURNAMES.len()];
    let (g, gp) = GIVEN[(i / SURNAMES.len()) % GIVEN.len()];
    (format!("{s}{g}"), format!("{sp} {gp}"))
}

const FOREIGN_SIGNERS: &[&str] = &[
    "Kim Min-soo",
    "Hiroshi Tanaka",
    "Anna Schmidt",
    "James Wilson",
    "David Cohen",
    "Mikko Virtanen",
    "Emily Brown",
];

const TOPICS: &[(&str, &str)] = &[
    (
        "煤基固废高值化利用关键技术",
        "Key Technologies for High-value Utilization of Coal-based Solid Waste",
    ),
    (
        "氢燃料电池催化剂联合研发",
        "Joint Development of Hydrogen Fuel Cell Catalysts",
    ),
    (
        "智能矿山感知与决策系统",
        "Sensing and Decision Systems for Intelligent Mines",
    ),
    (
        "旱作农业节水技术合作研究",
        "Cooperative Research on Water-saving Dryland Farming",
    ),
    (
        "新型镁合金材料制备技术",
        "Preparation Technology of Novel Magnesium Alloys",
    ),
    (
        "肿瘤早期诊断生物标志物研究",
        "Biomarkers for Early Cancer Diagnosis",
    ),
];

/// Qualifiers that make each proposal's topic its own.
const QUALIFIERS: &[(&str, &str)] = &[
    ("", ""),
    ("面向黄河流域的", " for the Yellow River Basin"),
    ("低成本", " at Low Cost"),
    ("绿色", " with Green Processes"),
    ("高效", " with High Efficiency"),
    ("智能化", " with Intelligent Control"),
];

fn topic_of(i: usize) -> (String, String) {
    let (z, e) = TOPICS[i % TOPICS.len()];
    let (qz, qe) = QUALIFIERS[(i / TOPICS.len()) % QUALIFIERS.len()];
    (format!("{qz}{z}"), format!("{e}{qe}"))
}

/// How the agreement's two languages are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    TwoColumnTable,
    Alternating,
    Sequential,
    SeparateFiles,
    ZhOnly,
}

const LAYOUTS: &[Layout] = &[
    Layout::TwoColumnTable,
    Layout::Alternating,
    Layout::Sequential,
    Layout::SeparateFiles,
];

/// What intake should find in one proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseTruth {
    /// The proposal folder, relative to `inbox/`.
    pub folder: String,
    pub layout: Option<Layout>,
    /// Fields (as intake names them in `bilingual`) whose zh and en texts
    /// were made to differ; empty for a consistent agreement.
    pub mismatches: Vec<String>,
    /// Other finding codes the proposal must carry.
    pub expect_codes: Vec<String>,
}

/// A generated batch: files relative to the output folder, and truth.
pub struct Batch {
    pub files: Vec<(String, Vec<u8>)>,
    pub truth: Vec<CaseTruth>,
}

const DIRECTION_FOLDER: &str = "重点国别科技合作项目";

/// The facts of one agreement, shared by its two languages unless a
/// mismatch is injected into the English text.
#[derive(Clone)]
struct Facts {
    applicant: (&'static str, &'static str),
    partner: (&'static str, &'static str, &'static str),
    partner_en_written: String,
    pi: (String, String),
    signer: &'static str,
    topic: (String, String),
    /// (year, month) of the project start; project runs `months`.
    start: (u32, u32),
    months: u32,
    /// Agreement validity (zh) from start, `term_years` years.
    term_years: u32,
    en_term_years: u32,
    en_valid_to: (u32, u32, u32),
    en_period_end: (u32, u32),
    amount_wan: u32,
    en_amount_yuan: u64,
    signed: (u32, u32, u32),
}

fn end_month(start: (u32, u32), months: u32) -> (u32, u32) {
    let m0 = start.1 - 1 + months - 1;
    (start.0 + m0 / 12, m0 % 12 + 1)
}

fn last_day(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const NUM_WORDS: &[&str] = &["zero", "one", "two", "three", "four", "five", "six"];
const NUM_ZH: &[&str] = &["零", "一", "二", "三", "四", "五", "六"];

fn en_date(d: (u32, u32, u32), style: usize) -> String {
    let m = MONTHS[(d.1 - 1) as usize];
    match style % 3 {
        0 => format!("{m} {}, {}", d.2, d.0),
        1 => format!("{} {m} {}", d.2, d.0),
        _ => format!("{:04}-{:02}-{:02}", d.0, d.1, d.2),
    }
}

fn zh_date(d: (u32, u32, u32)) -> String {
    format!("{}年{}月{}日", d.0, d.1, d.2)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Character-bigram Dice similarity, to pick a clearly different name.
fn dice(a: &str, b: &str) -> f64 {
    let norm = |s: &str| -> Vec<char> {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    let bg = |v: &[char]| -> Vec<(char, char)> { v.windows(2).map(|w| (w[0], w[1])).collect() };
    let (ba, mut bb) = (bg(&a), bg(&b));
    let total = ba.len() + bb.len();
    let mut common = 0;
    for x in &ba {
        if let Some(i) = bb.iter().position(|y| y == x) {
            bb.swap_remove(i);
            common += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        2.0 * common as f64 / total as f64
    }
}

/// 40 → "人民币40万元" / "人民币400,000元" / "人民币肆拾万元整".
fn zh_money(wan: u32, style: usize) -> String {
    const CAP: &[&str] = &["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
    match style {
        _ if wan >= 100 => format!("人民币{wan}万元"),
        0 => format!("人民币{wan}万元"),
        1 => format!("人民币{}元", thousands(wan as u64 * 10_000)),
        _ => {
            // Amounts here are 10–90万: tens digit and 拾.
            let (t, u) = ((wan / 10) as usize, (wan % 10) as usize);
            let unit = if u == 0 {
                String::new()
            } else {
                CAP[u].to_string()
            };
            format!("人民币{}拾{unit}万元整", CAP[t])
        }
    }
}

/// 400000 → "RMB 400,000" / "400,000 yuan" / "CNY 0.4 million".
fn en_money(yuan: u64, style: usize) -> String {
    match style {
        0 => format!("RMB {}", thousands(yuan)),
        1 => format!("{} yuan", thousands(yuan)),
        _ => format!("CNY {} million", yuan as f64 / 1e6),
    }
}

/// The clauses of the agreement as (zh, en) pairs.
fn clauses(f: &Facts, rng: &mut Rng) -> Vec<(String, String)> {
    let (title_zh, title_en) = *rng.pick(&[
        (
            "国际科技合作协议",
            "International Science and Technology Cooperation Agreement",
        ),
        ("合作协议书", "Cooperation Agreement"),
        (
            "科技合作备忘录",
            "Memorandum of Understanding on Scientific Cooperation",
        ),
        ("合作意向书", "Letter of Intent for Cooperation"),
    ]);
    let ds = rng.below(3);
    let money_style = rng.below(3);
    let start_d = (f.start.0, f.start.1, 1);
    let (py, pm) = end_month(f.start, f.months);
    let zh_to = {
        let (y, m) = end_month(f.start, f.term_years * 12);
        (y, m, last_day(y, m))
    };
    let en_end = f.en_period_end;
    vec![
        (title_zh.to_string(), title_en.to_string()),
        (
            format!("甲方（中方）：{}", f.applicant.0),
            format!("Party A (Chinese Party): {}", f.applicant.1),
        ),
        (
            format!("乙方（外方）：{}（{}）", f.partner.0, f.partner.2),
            format!("Party B (Foreign Party): {}", f.partner_en_written),
        ),
        (
            format!(
                "第一条 合作内容：双方同意共同实施“{}”项目，开展联合研究、人员互访和学术交流。",
                f.topic.0
            ),
            format!(
                "Article 1 Scope: The Parties agree to jointly implement the project \"{}\", including joint research, researcher exchanges and academic workshops.",
                f.topic.1
            ),
        ),
        (
            format!(
                "第二条 项目执行期：{}年{}月至{}年{}月。",
                f.start.0, f.start.1, py, pm
            ),
            format!(
                "Article 2 Project period: from {} {} to {} {}.",
                MONTHS[(f.start.1 - 1) as usize],
                f.start.0,
                MONTHS[(en_end.1 - 1) as usize],
                en_end.0
            ),
        ),
        (
            format!(
                "第三条 经费：甲方向乙方提供合作经费{}，用于联合研究及人员交流。",
                zh_money(f.amount_wan, money_style)
            ),
            format!(
                "Article 3 Funding: Party A shall provide Party B with cooperation funding of {} for joint research and exchanges.",
                en_money(f.en_amount_yuan, money_style)
            ),
        ),
        (
            "第四条 知识产权：合作中产生的知识产权由双方共同所有，具体分配另行约定。".to_string(),
            "Article 4 Intellectual Property: Intellectual property arising from the cooperation shall be jointly owned by the Parties.".to_string(),
        ),
        (
            format!(
                "第五条 有效期：本协议有效期为{}年，自{}起至{}止。",
                NUM_ZH[f.term_years as usize],
                zh_date(start_d),
                zh_date(zh_to)
            ),
            format!(
                "Article 5 Term: This Agreement shall remain valid for a period of {} ({}) years, from {} to {}.",
                NUM_WORDS[f.en_term_years as usize],
                f.en_term_years,
                en_date(start_d, ds),
                en_date(f.en_valid_to, ds)
            ),
        ),
        (
            format!("中方项目负责人：{}", f.pi.0),
            format!("Chinese-side PI: {}", f.pi.1),
        ),
        (
            format!("乙方签字人：{}", f.signer),
            format!("Party B Signature: {}", f.signer),
        ),
        (
            format!("签署日期：{}", zh_date(f.signed)),
            format!("Date of signing: {}", en_date(f.signed, ds)),
        ),
    ]
}

// --- minimal DOCX writing ----------------------------------------------------

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn p(text: &str) -> String {
    format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1);
    let mut s = String::from(
        "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr><w:tblGrid>",
    );
    for _ in 0..cols {
        let _ = write!(s, "<w:gridCol w:w=\"{}\"/>", 8300 / cols);
    }
    s.push_str("</w:tblGrid>");
    for r in rows {
        s.push_str("<w:tr>");
        for c in r {
            let _ = write!(
                s,
                "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
                8300 / cols,
                p(c)
            );
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A minimal DOCX package around a `w:body`; shared with `application`.
pub(crate) fn docx(body: &str) -> Vec<u8> {
    docx_with_section(body, "")
}

/// [`docx`] with `sect` (e.g. `<w:cols w:num="2"/>`) inside the body's
/// `w:sectPr`; tests build their own layouts with it.
pub fn docx_with_section(body: &str, sect: &str) -> Vec<u8> {
    // An empty section stays `<w:sectPr/>`: the committed samples are
    // byte-for-byte what the generator writes.
    let sect_pr = if sect.is_empty() {
        "<w:sectPr/>".to_string()
    } else {
        format!("<w:sectPr>{sect}</w:sectPr>")
    };
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}{sect_pr}</w:body></w:document>"
    );
    let mut z = RawZip::new();
    z.file(
        Name::Raw(b"[Content_Types].xml".to_vec()),
        CONTENT_TYPES.as_bytes(),
        true,
    )
    .file(Name::Raw(b"_rels/.rels".to_vec()), RELS.as_bytes(), true)
    .file(
        Name::Raw(b"word/document.xml".to_vec()),
        doc.as_bytes(),
        true,
    );
    z.finish()
}

fn form(f: &Facts) -> Vec<u8> {
    form_titled(f, "2024年度山西省科技合作交流专项项目申报书")
}

fn form_titled(f: &Facts, title: &str) -> Vec<u8> {
    let (ey, em) = end_month(f.start, f.months);
    let rows = vec![
        vec!["项目名称".to_string(), f.topic.0.clone()],
        vec!["项目英文名称".to_string(), f.topic.1.clone()],
        vec!["申报单位".to_string(), f.applicant.0.to_string()],
        vec!["项目负责人".to_string(), f.pi.0.clone()],
        vec!["出生年月".to_string(), "1980年5月".to_string()],
        vec!["合作国别".to_string(), f.partner.2.to_string()],
        vec![
            "外方合作单位".to_string(),
            format!("{}（{}）", f.partner.0, f.partner.1),
        ],
        vec![
            "项目执行期".to_string(),
            format!("{}年{}月至{}年{}月", f.start.0, f.start.1, ey, em),
        ],
        vec!["申请经费（万元）".to_string(), "40".to_string()],
        vec!["配套资金（万元）".to_string(), "80".to_string()],
    ];
    let body = format!("{}{}", p(title), table(&rows));
    docx(&body)
}

/// Builds `n` proposals from `seed`.
pub fn generate(seed: u64, n: usize) -> Batch {
    let mut rng = Rng::new(seed);
    let mut batch = Batch {
        files: Vec::new(),
        truth: Vec::new(),
    };
    for i in 0..n {
        let mut r = rng.fork(i as u64);
        let partner = PARTNERS[i % PARTNERS.len()];
        let start = (2025, *r.pick(&[1u32, 3, 7]));
        let months = *r.pick(&[24u32, 36]);
        let term_years = months / 12 + r.range(0, 2);
        let zh_to = end_month(start, term_years * 12);
        let mut f = Facts {
            applicant: *r.pick(APPLICANTS),
            partner,
            partner_en_written: partner.1.to_string(),
            pi: pi_of(i),
            signer: FOREIGN_SIGNERS[r.below(FOREIGN_SIGNERS.len())],
            topic: topic_of(i),
            start,
            months,
            term_years,
            en_term_years: term_years,
            en_valid_to: (zh_to.0, zh_to.1, last_day(zh_to.0, zh_to.1)),
            en_period_end: end_month(start, months),
            amount_wan: *r.pick(&[20u32, 30, 40, 50]),
            en_amount_yuan: 0,
            signed: (2024, 12, r.range(1, 28)),
        };
        f.en_amount_yuan = f.amount_wan as u64 * 10_000;
        let mut expect_codes = Vec::new();
        // Every fifth proposal: the agreement expires before the project
        // ends (consistently in both languages).
        if i % 5 == 4 {
            f.term_years = 1;
            f.en_term_years = 1;
            let to = end_month(start, 12);
            f.en_valid_to = (to.0, to.1, last_day(to.0, to.1));
            expect_codes.push("AGREEMENT_NOT_COVERING_PERIOD".to_string());
        }
        // Half the proposals carry one injected mismatch.
        let mut mismatches = Vec::new();
        if i % 2 == 1 {
            match (i / 2) % 5 {
                0 => {
                    f.en_valid_to.0 -= 1;
                    mismatches.push("valid_to".to_string());
                }
                1 => {
                    f.en_amount_yuan = (f.amount_wan as u64 + 10) * 10_000;
                    mismatches.push("amount".to_string());
                }
                2 => {
                    f.en_term_years = f.term_years + 1;
                    mismatches.push("duration".to_string());
                }
                3 => {
                    let other = PARTNERS
                        .iter()
                        .map(|p| p.1)
                        .filter(|n| dice(n, partner.1) < 0.35)
                        .nth(i % 4)
                        .unwrap_or("Universidad de Chile");
                    f.partner_en_written = other.to_string();
                    mismatches.push("party.foreign".to_string());
                }
                _ => {
                    f.en_period_end = end_month(start, months + 6);
                    mismatches.push("project_period".to_string());
                }
            }
        }
        let layout = if i % 10 == 8 {
            Layout::ZhOnly
        } else {
            LAYOUTS[(i / 2 + i) % LAYOUTS.len()]
        };
        if layout == Layout::ZhOnly {
            mismatches.clear();
            expect_codes.push("AGREEMENT_NOT_BILINGUAL".to_string());
        }
        let folder = format!("{DIRECTION_FOLDER}/{:02}-{}", i + 1, f.applicant.0);
        batch
            .files
            .push((format!("inbox/{folder}/项目申报书.docx"), form(&f)));
        let cl = clauses(&f, &mut r);
        match layout {
            Layout::TwoColumnTable => {
                let rows: Vec<Vec<String>> =
                    cl.iter().map(|(z, e)| vec![z.clone(), e.clone()]).collect();
                let body = table(&rows);
                batch
                    .files
                    .push((format!("inbox/{folder}/合作协议.docx"), docx(&body)));
            }
            Layout::Alternating => {
                let body: String = cl
                    .iter()
                    .map(|(z, e)| format!("{}{}", p(z), p(e)))
                    .collect();
                batch.files.push((
                    format!("inbox/{folder}/合作协议（中英文对照）.docx"),
                    docx(&body),
                ));
            }
            Layout::Sequential => {
                let mut body: String = cl.iter().map(|(z, _)| p(z)).collect();
                body.push_str(&p(""));
                body.extend(cl.iter().map(|(_, e)| p(e)));
                batch
                    .files
                    .push((format!("inbox/{folder}/合作协议书.docx"), docx(&body)));
            }
            Layout::SeparateFiles => {
                let zh: String = cl.iter().map(|(z, _)| p(z)).collect();
                let en: String = cl.iter().map(|(_, e)| p(e)).collect();
                batch
                    .files
                    .push((format!("inbox/{folder}/合作协议-中文.docx"), docx(&zh)));
                batch.files.push((
                    format!("inbox/{folder}/Cooperation Agreement-English.docx"),
                    docx(&en),
                ));
            }
            Layout::ZhOnly => {
                let zh: String = cl.iter().map(|(z, _)| p(z)).collect();
                batch
                    .files
                    .push((format!("inbox/{folder}/合作协议.docx"), docx(&zh)));
            }
        }
        batch.truth.push(CaseTruth {
            folder,
            layout: Some(layout),
            mismatches,
            expect_codes,
        });
    }
    // One proposal without any agreement.
    let folder = format!("{DIRECTION_FOLDER}/{:02}-无协议", n + 1);
    let f = Facts {
        applicant: APPLICANTS[0],
        partner: PARTNERS[0],
        partner_en_written: PARTNERS[0].1.to_string(),
        pi: pi_of(n),
        signer: FOREIGN_SIGNERS[0],
        topic: topic_of(n),
        start: (2025, 1),
        months: 36,
        term_years: 3,
        en_term_years: 3,
        en_valid_to: (2027, 12, 31),
        en_period_end: (2027, 12),
        amount_wan: 40,
        en_amount_yuan: 400_000,
        signed: (2024, 12, 1),
    };
    batch
        .files
        .push((format!("inbox/{folder}/项目申报书.docx"), form(&f)));
    batch.truth.push(CaseTruth {
        folder,
        layout: None,
        mismatches: Vec::new(),
        expect_codes: vec!["AGREEMENT_MISSING".to_string()],
    });
    batch
}

/// Singapore partners for the MOST flagship direction (1.5).
const SG_PARTNERS: &[(&str, &str, &str)] = &[
    (
        "新加坡国立大学",
        "National University of Singapore",
        "新加坡",
    ),
    ("南洋理工大学", "Nanyang Technological University", "新加坡"),
    (
        "新加坡科技研究局",
        "Agency for Science, Technology and Research",
        "新加坡",
    ),
];

/// MOST (`most-intergov-2025-b3`) proposals: folders under the direction
/// folders 1.1 (Korea) and 1.5 (Singapore), each a 申报书 and a consistent
/// bilingual agreement; every other form disagrees with its agreement on
/// one of the English project name, partner, PI or period (the fields the
/// call says must match), named `form.<field>` in the truth.
pub fn generate_most(seed: u64, n: usize) -> Batch {
    let mut rng = Rng::new(seed ^ 0x4d05);
    let mut batch = Batch {
        files: Vec::new(),
        truth: Vec::new(),
    };
    for i in 0..n {
        let mut r = rng.fork(i as u64);
        let (partner, dir) = if i % 2 == 0 {
            (SG_PARTNERS[i / 2 % SG_PARTNERS.len()], "1.5")
        } else {
            (PARTNERS[i / 2 % 2], "1.1")
        };
        let start = (2026, 1);
        let months = 36;
        let to = end_month(start, 36);
        let f = Facts {
            applicant: *r.pick(APPLICANTS),
            partner,
            partner_en_written: partner.1.to_string(),
            pi: pi_of(i),
            signer: FOREIGN_SIGNERS[r.below(FOREIGN_SIGNERS.len())],
            topic: topic_of(i),
            start,
            months,
            term_years: 3,
            en_term_years: 3,
            en_valid_to: (to.0, to.1, last_day(to.0, to.1)),
            en_period_end: end_month(start, months),
            amount_wan: 80,
            en_amount_yuan: 800_000,
            signed: (2025, 9, r.range(1, 28)),
        };
        let mut on_form = f.clone();
        let mut mismatches = Vec::new();
        if i % 4 >= 2 {
            match (i / 4) % 4 {
                0 => {
                    on_form.topic.1 = format!("{} and Its Applications", f.topic.1);
                    mismatches.push("form.project_name_en".to_string());
                }
                1 => {
                    let other = SG_PARTNERS
                        .iter()
                        .chain(PARTNERS)
                        .find(|p| dice(p.1, partner.1) < 0.35 && p.2 == partner.2)
                        .or_else(|| PARTNERS.iter().find(|p| dice(p.1, partner.1) < 0.35))
                        .copied()
                        .unwrap_or(PARTNERS[5]);
                    on_form.partner = other;
                    mismatches.push("form.partner_institution".to_string());
                }
                2 => {
                    on_form.pi = pi_of(i + 17);
                    mismatches.push("form.pi".to_string());
                }
                _ => {
                    on_form.months = 24;
                    mismatches.push("form.execution_period".to_string());
                }
            }
        }
        let folder = format!("{dir}/{:02}-{}", i + 1, f.applicant.0);
        batch.files.push((
            format!("inbox/{folder}/项目申报书.docx"),
            form_titled(
                &on_form,
                "国家重点研发计划“政府间国际科技创新合作”重点专项项目申报书",
            ),
        ));
        let cl = clauses(&f, &mut r);
        let body: String = cl
            .iter()
            .map(|(z, e)| format!("{}{}", p(z), p(e)))
            .collect();
        batch.files.push((
            format!("inbox/{folder}/合作协议（中英文对照）.docx"),
            docx(&body),
        ));
        batch.truth.push(CaseTruth {
            folder,
            layout: Some(Layout::Alternating),
            mismatches,
            expect_codes: Vec::new(),
        });
    }
    batch
}

/// Writes the batch under `out` (`inbox/…` and `truth.jsonl`).
pub fn write(batch: &Batch, out: &Path) -> Result<()> {
    let inbox = out.join("inbox");
    if inbox.exists() && fs::read_dir(&inbox)?.next().is_some() {
        bail!("{} is not empty", inbox.display());
    }
    for (rel, bytes) in &batch.files {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut lines = String::new();
    for t in &batch.truth {
        lines.push_str(&serde_json::to_string(t)?);
        lines.push('\n');
    }
    fs::write(out.join("truth.jsonl"), lines)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_and_mismatch_kind_appears() {
        let b = generate(7, 30);
        let kinds: std::collections::BTreeSet<&str> = b
            .truth
            .iter()
            .flat_map(|t| t.mismatches.iter().map(String::as_str))
            .collect();
        assert_eq!(kinds.len(), 5, "{kinds:?}");
        for l in LAYOUTS {
            assert!(
                b.truth
                    .iter()
                    .any(|t| t.layout == Some(*l) && !t.mismatches.is_empty())
            );
            assert!(
                b.truth
                    .iter()
                    .any(|t| t.layout == Some(*l) && t.mismatches.is_empty())
            );
        }
        assert!(b.truth.iter().any(|t| t.layout == Some(Layout::ZhOnly)));
    }

    #[test]
    fn replacement_partner_names_differ() {
        assert!(dice("Seoul National University", "Seoul National University") > 0.99);
        assert!(dice("Seoul National University", "Fraunhofer Society") < 0.35);
    }
}
