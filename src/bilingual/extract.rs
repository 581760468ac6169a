//! Reads the paired fields of one language side of an agreement: title,
//! parties, signatories, term (dates and duration), amounts with their
//! currency, the IP clause, the project period, and the project name and
//! Chinese PI it names.

use std::sync::OnceLock;

use regex::Regex;

use super::layout::{Lang, Unit};
use crate::normalize::date::{self, PartialDate};
use crate::normalize::numeral::parse_chinese_number;

/// A value read from one unit of one side.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub value: T,
    /// Index of the unit it came from.
    pub unit: usize,
    /// The raw words it was read from.
    pub raw: String,
}

/// Which party a line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyLabel {
    A,
    B,
    Chinese,
    Foreign,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount {
    /// ISO 4217: CNY, USD, EUR, …
    pub currency: &'static str,
    /// In the currency's units (yuan, dollars).
    pub value: f64,
}

/// Everything read from one language side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Side {
    pub title: Option<Found<String>>,
    pub parties: Vec<(PartyLabel, Found<String>)>,
    pub signatories: Vec<Found<String>>,
    pub valid_from: Option<Found<PartialDate>>,
    pub valid_to: Option<Found<PartialDate>>,
    pub duration_months: Option<Found<u32>>,
    pub signed_on: Option<Found<PartialDate>>,
    pub amounts: Vec<Found<Amount>>,
    pub ip_clause: Option<Found<()>>,
    pub project_period: Option<Found<(PartialDate, PartialDate)>>,
    pub project_name: Option<Found<String>>,
    /// The Chinese side's project leader, as the agreement names them.
    pub chinese_pi: Option<Found<String>>,
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).unwrap_or_else(|e| panic!("bilingual regex {pat}: {e}")))
}

const PERIOD_ZH: &[&str] = &[
    "项目执行期",
    "项目实施期",
    "项目周期",
    "项目期限",
    "执行期限",
    "实施周期",
    "执行期为",
    "项目执行时间",
];
const PERIOD_EN: &[&str] = &[
    "project period",
    "implementation period",
    "project duration",
    "execution period",
    "project will be implemented",
    "project shall be implemented",
    "project shall run",
    "project will run",
];
const TERM_ZH: &[&str] = &[
    "有效期",
    "本协议自",
    "协议期限",
    "本协议期限",
    "生效",
    "合作期限",
];
const TERM_EN: &[&str] = &[
    "valid",
    "in force",
    "effective",
    "term of this",
    "shall remain",
    "expire",
];

/// Reads one side (`units` all in `lang`).
pub fn read_side(units: &[Unit], lang: Lang) -> Side {
    let mut s = Side::default();
    let lower: Vec<String> = units.iter().map(|u| u.text.to_lowercase()).collect();
    let has_any = |i: usize, words: &[&str]| words.iter().any(|w| lower[i].contains(w));
    let (period_words, term_words) = match lang {
        Lang::Zh => (PERIOD_ZH, TERM_ZH),
        Lang::En => (PERIOD_EN, TERM_EN),
    };
    for (i, u) in units.iter().enumerate() {
        let text = u.text.as_str();
        if s.title.is_none() && i < 4 && is_title(text, lang) {
            s.title = Some(found(text.trim().to_string(), i, text));
        }
        for line in text.lines() {
            if let Some((label, name)) = party_line(line, lang)
                && !s.parties.iter().any(|(l, _)| *l == label)
            {
                s.parties.push((label, found(name, i, line)));
            }
            if let Some(name) = signatory_line(line, lang) {
                s.signatories.push(found(name, i, line));
            }
            if s.chinese_pi.is_none()
                && let Some(name) = pi_line(line, lang)
            {
                s.chinese_pi = Some(found(name, i, line));
            }
            if s.signed_on.is_none()
                && is_signing_date_line(line, lang)
                && let Some((d, _)) = date::find_dates(line).into_iter().next()
            {
                s.signed_on = Some(found(d, i, line));
            }
        }
        if s.project_name.is_none()
            && let Some(name) = project_name(text, lang)
        {
            s.project_name = Some(found(name, i, text));
        }
        let is_period = has_any(i, period_words);
        if is_period && s.project_period.is_none() {
            if let Some(p) = date::parse_period(text) {
                s.project_period = Some(found(p, i, text));
            }
        } else if !is_period && has_any(i, term_words) {
            read_term(&mut s, i, text, lang);
        }
        for a in amounts(text, lang) {
            s.amounts.push(found(a, i, text));
        }
        if s.ip_clause.is_none() && is_ip(&lower[i], lang) {
            s.ip_clause = Some(found((), i, text));
        }
    }
    s
}

fn found<T>(value: T, unit: usize, raw: &str) -> Found<T> {
    Found {
        value,
        unit,
        raw: raw.trim().to_string(),
    }
}

fn is_title(text: &str, lang: Lang) -> bool {
    let t = text.trim();
    match lang {
        Lang::Zh => {
            t.chars().count() <= 60
                && ["协议", "备忘录", "意向书", "合同"]
                    .iter()
                    .any(|w| t.contains(w))
                && !t.contains('：')
        }
        Lang::En => {
            let l = t.to_lowercase();
            t.chars().count() <= 160
                && [
                    "agreement",
                    "memorandum",
                    "mou",
                    "letter of intent",
                    "contract",
                ]
                .iter()
                .any(|w| l.contains(w))
                && !l.contains(':')
        }
    }
}

/// "甲方（中方）：山西大学" → (A, 山西大学).
fn party_line(line: &str, lang: Lang) -> Option<(PartyLabel, String)> {
    static ZH: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let (label, rest) = match lang {
        Lang::Zh => {
            let c = re(
                &ZH,
                r"^\s*(甲方|乙方|中方|外方)(?:[（(]([^）)]{0,8})[）)])?(?:单位|名称|合作单位)?\s*[：:]\s*(.+)$",
            )
            .captures(line)?;
            let l = match (c.get(1)?.as_str(), c.get(2).map(|m| m.as_str())) {
                (_, Some("中方")) => PartyLabel::Chinese,
                (_, Some("外方")) => PartyLabel::Foreign,
                ("甲方", _) => PartyLabel::A,
                ("乙方", _) => PartyLabel::B,
                ("中方", _) => PartyLabel::Chinese,
                _ => PartyLabel::Foreign,
            };
            (l, c.get(3)?.as_str().to_string())
        }
        Lang::En => {
            let c = re(
                &EN,
                r"(?i)^\s*(party\s*a|party\s*b|the\s+chinese\s+party|chinese\s+party|the\s+foreign\s+party|foreign\s+party)(?:\s*\(([^)]{0,20})\))?\s*[:：]\s*(.+)$",
            )
            .captures(line)?;
            let head = c.get(1)?.as_str().to_lowercase();
            let note = c.get(2).map(|m| m.as_str().to_lowercase());
            let l = match note.as_deref() {
                Some(n) if n.contains("chinese") => PartyLabel::Chinese,
                Some(n) if n.contains("foreign") => PartyLabel::Foreign,
                _ if head.ends_with('a') => PartyLabel::A,
                _ if head.ends_with('b') => PartyLabel::B,
                _ if head.contains("chinese") => PartyLabel::Chinese,
                _ => PartyLabel::Foreign,
            };
            (l, c.get(3)?.as_str().to_string())
        }
    };
    let name = clean_name(super::wording::until_next_label(&rest, lang));
    (!name.is_empty()).then_some((label, name))
}

/// A party's name without "（以下简称…）", addresses or trailing punctuation.
fn clean_name(s: &str) -> String {
    let mut t = s.trim();
    for cut in [
        "（以下简称",
        "(以下简称",
        "(hereinafter",
        "（hereinafter",
        "，地址",
        ",地址",
        "; address",
        ", address",
        "，住所",
    ] {
        if let Some(i) = t.to_lowercase().find(cut)
            && let Some(head) = t.get(..i)
        {
            t = head;
        }
    }
    let mut t = t
        .trim_end_matches(['。', '；', ';', '，', ',', '.', ' '])
        .trim();
    // "首尔大学（韩国）": a trailing country note is not part of the name.
    if let Some(head) = t.strip_suffix(['）', ')'])
        && let Some(open) = head.rfind(['（', '('])
        && crate::normalize::country::to_iso(head[open..].trim_start_matches(['（', '('])).is_some()
    {
        t = head[..open].trim();
    }
    t.to_string()
}

fn signatory_line(line: &str, lang: Lang) -> Option<String> {
    static ZH: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let c = match lang {
        Lang::Zh => re(
            &ZH,
            r"^\s*(?:甲方|乙方|中方|外方)?(?:签字人|签署人|授权代表|法定代表人|代表签字|签字)\s*[：:]\s*(.+)$",
        )
        .captures(line)?,
        Lang::En => re(
            &EN,
            r"(?i)^\s*(?:party\s*[ab]\s*)?(?:signed\s+by|signatory|authorized\s+representative|authorised\s+representative|signature)\s*[:：]\s*(.+)$",
        )
        .captures(line)?,
    };
    let v = clean_name(super::wording::until_next_label(c.get(1)?.as_str(), lang));
    (!v.is_empty() && !v.chars().all(|c| c == '_' || c == ' ')).then_some(v)
}

fn pi_line(line: &str, lang: Lang) -> Option<String> {
    static ZH: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let c = match lang {
        Lang::Zh => re(&ZH, r"^\s*中方(?:项目)?负责人\s*[：:]\s*(.+)$").captures(line)?,
        Lang::En => re(
            &EN,
            r"(?i)^\s*(?:chinese|china)[-\s]side\s+(?:pi|principal\s+investigator|project\s+leader)\s*[:：]\s*(.+)$",
        )
        .captures(line)?,
    };
    let v = clean_name(super::wording::until_next_label(c.get(1)?.as_str(), lang));
    (!v.is_empty()).then_some(v)
}

fn is_signing_date_line(line: &str, lang: Lang) -> bool {
    let l = line.trim().to_lowercase();
    match lang {
        Lang::Zh => ["签署日期", "签订日期", "签字日期", "签约日期"]
            .iter()
            .any(|w| l.contains(w)),
        Lang::En => ["date of signing", "signing date", "signed on", "date:"]
            .iter()
            .any(|w| l.contains(w)),
    }
}

/// The project name the agreement quotes: 项目“…” / project "…".
fn project_name(text: &str, lang: Lang) -> Option<String> {
    static ZH: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let c = match lang {
        Lang::Zh => re(&ZH, r"项目(?:名称)?[：:]?\s*[“《「\x22]([^”》」\x22]{2,80})[”》」\x22]")
            .captures(text)?,
        Lang::En => re(
            &EN,
            r#"(?i)project(?:\s+title|\s+name)?\s*(?:entitled|titled|named)?\s*[:：]?\s*[“"]([^”"]{3,200})[”"]"#,
        )
        .captures(text)?,
    };
    Some(c.get(1)?.as_str().trim().to_string())
}

/// Reads the term (dates, duration) from unit `i`'s `text` into `s`.
pub(crate) fn read_term(s: &mut Side, i: usize, text: &str, lang: Lang) {
    if s.valid_to.is_none() {
        let dates = date::find_dates(text);
        if let Some((a, b)) = date::parse_period(text).filter(|_| dates.len() >= 2) {
            s.valid_from = Some(found(a, i, text));
            s.valid_to = Some(found(b, i, text));
        } else if let [(d, _)] = dates.as_slice()
            && s.valid_from.is_none()
        {
            s.valid_from = Some(found(*d, i, text));
        }
    }
    if s.duration_months.is_none()
        && let Some(m) = duration_months(text, lang)
    {
        s.duration_months = Some(found(m, i, text));
    }
}

/// "有效期为三年" / "for a period of three (3) years" → months.
pub fn duration_months(text: &str, lang: Lang) -> Option<u32> {
    static ZH: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let (n, unit) = match lang {
        Lang::Zh => {
            let c = re(
                &ZH,
                r"(?:为期|有效期(?:限)?(?:为|是)?|期限(?:为|是)?)\s*([0-9]{1,3}|[一二三四五六七八九十两]{1,3})\s*(个月|年)",
            )
            .captures(text)?;
            let n = parse_chinese_number(c.get(1)?.as_str())?;
            (n, if c.get(2)?.as_str() == "年" { 12 } else { 1 })
        }
        Lang::En => {
            let c = re(
                &EN,
                r"(?i)\b(?:for|of)\s+(?:a\s+(?:period|term)\s+of\s+)?([0-9]{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eighteen|twenty-four|thirty-six)(?:\s*\([0-9]{1,3}\))?\s+(years?|months?)\b",
            )
            .captures(text)?;
            let w = c.get(1)?.as_str().to_lowercase();
            let n = match w.as_str() {
                "one" => 1.0,
                "two" => 2.0,
                "three" => 3.0,
                "four" => 4.0,
                "five" => 5.0,
                "six" => 6.0,
                "seven" => 7.0,
                "eight" => 8.0,
                "nine" => 9.0,
                "ten" => 10.0,
                "eighteen" => 18.0,
                "twenty-four" => 24.0,
                "thirty-six" => 36.0,
                d => d.parse().ok()?,
            };
            let unit = c.get(2)?.as_str().to_lowercase();
            (n, if unit.starts_with("year") { 12 } else { 1 })
        }
    };
    if !(1.0..=1200.0).contains(&n) {
        return None;
    }
    Some(n as u32 * unit)
}

fn currency_of(token: &str) -> Option<&'static str> {
    let t = token.trim().to_lowercase();
    Some(match t.as_str() {
        "人民币" | "元" | "rmb" | "cny" | "￥" | "¥" | "yuan" | "renminbi" => "CNY",
        "美元" | "usd" | "us$" | "$" | "dollars" | "us dollars" | "u.s. dollars" => "USD",
        "欧元" | "eur" | "€" | "euro" | "euros" => "EUR",
        "英镑" | "gbp" | "£" | "pounds" => "GBP",
        "韩元" | "krw" | "won" => "KRW",
        "日元" | "jpy" | "yen" => "JPY",
        "新加坡元" | "新元" | "sgd" | "s$" => "SGD",
        _ => return None,
    })
}

/// Money amounts with a currency, in currency units.
pub fn amounts(text: &str, lang: Lang) -> Vec<Amount> {
    static ZH: OnceLock<Regex> = OnceLock::new();
    static EN_PRE: OnceLock<Regex> = OnceLock::new();
    static EN_POST: OnceLock<Regex> = OnceLock::new();
    let t = crate::normalize::half_width(text);
    let mut out = Vec::new();
    match lang {
        Lang::Zh => {
            let r = re(
                &ZH,
                r"(人民币|美元|欧元|RMB|CNY|USD|EUR|￥|¥|\$)?\s*([0-9][0-9,]*(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬]+)\s*(万|亿)?\s*(元|美元|欧元|英镑|韩元|日元|新加坡元)?",
            );
            for c in r.captures_iter(&t) {
                let cur = c
                    .get(4)
                    .map(|m| m.as_str())
                    .or_else(|| c.get(1).map(|m| m.as_str()));
                let (Some(cur), Some(num)) = (cur.and_then(currency_of), c.get(2)) else {
                    continue;
                };
                let raw = num.as_str().replace(',', "");
                let Some(mut v) = raw
                    .parse::<f64>()
                    .ok()
                    .or_else(|| parse_chinese_number(&raw))
                else {
                    continue;
                };
                match c.get(3).map(|m| m.as_str()) {
                    Some("万") => v *= 1e4,
                    Some("亿") => v *= 1e8,
                    _ => {}
                }
                out.push(Amount {
                    currency: cur,
                    value: v,
                });
            }
        }
        Lang::En => {
            let pre = re(
                &EN_PRE,
                r"(?i)(RMB|CNY|USD|US\$|EUR|SGD|S\$|GBP|KRW|JPY|€|\$|£|¥)\s*([0-9][0-9,]*(?:\.[0-9]+)?)(?:\s*(million|thousand)\b)?",
            );
            let mut spans = Vec::new();
            for c in pre.captures_iter(&t) {
                let (Some(cur), Some(num)) = (c.get(1), c.get(2)) else {
                    continue;
                };
                if let (Some(cur), Some(v)) = (currency_of(cur.as_str()), en_number(num.as_str())) {
                    let v = v * scale(c.get(3).map(|m| m.as_str()));
                    out.push(Amount {
                        currency: cur,
                        value: v,
                    });
                    if let Some(m) = c.get(0) {
                        spans.push(m.range());
                    }
                }
            }
            let post = re(
                &EN_POST,
                r"(?i)\b([0-9][0-9,]*(?:\.[0-9]+)?)(?:\s*(million|thousand)\b)?\s*(yuan|renminbi|RMB|CNY|US dollars|dollars|USD|euros?|EUR|SGD|won|yen)\b",
            );
            for c in post.captures_iter(&t) {
                let Some(m) = c.get(0) else { continue };
                if spans.iter().any(|s| s.start < m.end() && m.start() < s.end) {
                    continue;
                }
                let (Some(num), Some(cur)) = (c.get(1), c.get(3)) else {
                    continue;
                };
                if let (Some(cur), Some(v)) = (currency_of(cur.as_str()), en_number(num.as_str())) {
                    out.push(Amount {
                        currency: cur,
                        value: v * scale(c.get(2).map(|m| m.as_str())),
                    });
                }
            }
        }
    }
    out
}

fn en_number(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

fn scale(word: Option<&str>) -> f64 {
    match word.map(str::to_lowercase).as_deref() {
        Some("million") => 1e6,
        Some("thousand") => 1e3,
        _ => 1.0,
    }
}

fn is_ip(lower: &str, lang: Lang) -> bool {
    super::wording::is_ip_clause(lower, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Evidence;

    fn units(lang: Lang, lines: &[&str]) -> Vec<Unit> {
        lines
            .iter()
            .map(|t| Unit {
                lang,
                text: t.to_string(),
                evidence: Evidence::default(),
            })
            .collect()
    }

    #[test]
    fn zh_side() {
        let s = read_side(
            &units(
                Lang::Zh,
                &[
                    "国际科技合作协议",
                    "甲方（中方）：山西大学（以下简称甲方）",
                    "乙方（外方）：首尔大学（Seoul National University）（韩国）",
                    "本协议有效期自2025年1月1日起至2027年12月31日止。",
                    "项目执行期：2025年1月至2027年12月。",
                    "甲方向乙方提供经费人民币40万元。",
                    "双方共同拥有知识产权。",
                    "中方项目负责人：张伟",
                ],
            ),
            Lang::Zh,
        );
        assert_eq!(s.title.unwrap().value, "国际科技合作协议");
        assert_eq!(s.parties[0].0, PartyLabel::Chinese);
        assert_eq!(s.parties[0].1.value, "山西大学");
        assert_eq!(s.parties[1].0, PartyLabel::Foreign);
        assert_eq!(s.valid_to.unwrap().value.to_iso(), "2027-12-31");
        assert_eq!(s.project_period.unwrap().value.1.to_iso(), "2027-12");
        assert_eq!(s.amounts[0].value.value, 400000.0);
        assert_eq!(s.amounts[0].value.currency, "CNY");
        assert!(s.ip_clause.is_some());
        assert_eq!(s.chinese_pi.unwrap().value, "张伟");
    }

    #[test]
    fn en_side() {
        let s = read_side(
            &units(
                Lang::En,
                &[
                    "International S&T Cooperation Agreement",
                    "Party A: Shanxi University (hereinafter \"Party A\")",
                    "Party B: Seoul National University",
                    "This Agreement shall remain valid for a period of three (3) years from January 1, 2025.",
                    "Party A shall provide funding of RMB 400,000 and USD 1.5 million.",
                    "Intellectual property shall be jointly owned.",
                ],
            ),
            Lang::En,
        );
        assert_eq!(s.parties[0].0, PartyLabel::A);
        assert_eq!(s.parties[0].1.value, "Shanxi University");
        assert_eq!(s.duration_months.unwrap().value, 36);
        assert_eq!(s.valid_from.unwrap().value.to_iso(), "2025-01-01");
        let a: Vec<(&str, f64)> = s
            .amounts
            .iter()
            .map(|f| (f.value.currency, f.value.value))
            .collect();
        assert_eq!(a, vec![("CNY", 400000.0), ("USD", 1.5e6)]);
    }

    #[test]
    fn zh_amount_forms() {
        let v = |t: &str| {
            amounts(t, Lang::Zh)
                .iter()
                .map(|a| (a.currency, a.value))
                .collect::<Vec<_>>()
        };
        assert_eq!(v("经费40万元"), vec![("CNY", 400000.0)]);
        assert_eq!(v("人民币肆拾万元整"), vec![("CNY", 400000.0)]);
        assert_eq!(v("5万美元"), vec![("USD", 50000.0)]);
        assert_eq!(v("执行期3年，2025年开始"), vec![]);
        assert_eq!(duration_months("有效期为五年", Lang::Zh), Some(60));
        assert_eq!(duration_months("为期36个月", Lang::Zh), Some(36));
    }
}
