//! Money amounts → 万元: Arabic (400,000元, ￥400000, RMB 400,000), mixed
//! (40万元, 0.4亿元) and capital-numeral (人民币肆拾万元整) forms.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::half_width;
use super::numeral::parse_chinese_number;

/// The unit a bare number is in (typically from a column header "（万元）").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    Yuan,
    Wan,
    Yi,
}

const CN_NUM: &str = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億点";

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

fn run_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(r"[0-9][0-9.]*[万亿萬億]?|[{CN_NUM}]+"))
            .unwrap_or_else(|e| panic!("money run regex: {e}"))
    })
}

const FOREIGN: &[&str] = &[
    "美元", "欧元", "英镑", "日元", "港币", "港元", "韩元", "卢布", "新元", "澳元", "USD", "EUR",
    "GBP", "JPY", "US$", "$", "€", "£",
];

/// Parse a money value into 万元 (rounded to 4 decimals). A bare number is
/// read in `default_unit`; foreign currencies give None (no rate to convert).
pub fn parse_money_wan(s: &str, default_unit: MoneyUnit) -> Option<f64> {
    let hw = half_width(s);
    let chars: Vec<char> = hw.chars().filter(|c| !c.is_whitespace()).collect();
    // Drop thousands separators (only between digits).
    let mut t = String::with_capacity(hw.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c == ',' && between_digits {
            continue;
        }
        t.push(c);
    }
    let has_cny = ["￥", "¥", "RMB", "CNY", "人民币"]
        .iter()
        .any(|p| t.contains(p));
    if !has_cny && FOREIGN.iter().any(|f| t.contains(f)) {
        return None;
    }
    for m in run_re().find_iter(&t) {
        let run = m.as_str().trim_end_matches('.');
        let rest = &t[m.end()..];
        let yuan_unit = rest.starts_with(['元', '圆', '块']);
        let single_cn = run.chars().count() == 1 && !run.starts_with(|c: char| c.is_ascii_digit());
        // A lone 一/二 inside words ("统一") is not the amount.
        if single_cn && !yuan_unit && run != t {
            continue;
        }
        // "万元" alone carries no number.
        if !run.chars().any(|c| {
            c.is_ascii_digit() || "零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾".contains(c)
        }) {
            continue;
        }
        let Some(value) = parse_chinese_number(run) else {
            continue;
        };
        let has_big = run.contains(['万', '亿', '萬', '億']);
        let wan = if yuan_unit || has_big || has_cny {
            value / 1e4
        } else {
            match default_unit {
                MoneyUnit::Yuan => value / 1e4,
                MoneyUnit::Wan => value,
                MoneyUnit::Yi => value * 1e4,
            }
        };
        return Some(round4(wan));
    }
    None
}

/// Amounts with a unit in running text, each with the class of the last
/// cue word before it (after the previous amount): "申请经费35万元/自筹配套
/// 70万元" → (35, requested), (70, matching). An amount with no cue before it
/// takes `default` when it is the first one (the label said what it is).
/// `cues` maps a class to its cue words.
pub fn amounts_by_cue<'c>(
    text: &str,
    cues: &'c std::collections::BTreeMap<String, Vec<String>>,
    default: Option<&'c str>,
) -> Vec<(f64, Option<&'c str>)> {
    let mut out = Vec::new();
    let mut prev = 0;
    for (i, (v, r)) in find_amounts(text).into_iter().enumerate() {
        let seg = text.get(prev..r.start).unwrap_or("");
        let mut best: Option<(usize, &'c str)> = None;
        for (class, words) in cues {
            for w in words {
                if let Some(p) = seg.rfind(w.as_str()) {
                    let end = p + w.len();
                    if best.is_none_or(|(b, _)| end > b) {
                        best = Some((end, class.as_str()));
                    }
                }
            }
        }
        let class = best.map(|b| b.1).or(if i == 0 { default } else { None });
        out.push((v, class));
        prev = r.end;
    }
    out
}

fn amount_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?:(?P<cur>[￥¥]|RMB|CNY|人民币)\s*)?(?P<num>[0-9０-９]+(?:[,，][0-9０-９]{{3}})*(?:[.．][0-9０-９]+)?|[{CN_NUM}]+)\s*(?P<unit>万元|万圆|亿元|元|圆|万|亿)?"
        ))
        .unwrap_or_else(|e| panic!("amount regex: {e}"))
    })
}

/// Amounts written with an explicit unit (元/万元/亿元) or currency sign in
/// prose, in 万元, with their byte ranges, in order.
pub fn find_amounts(text: &str) -> Vec<(f64, Range<usize>)> {
    let mut out = Vec::new();
    for c in amount_re().captures_iter(text) {
        let (Some(m), Some(num)) = (c.get(0), c.name("num")) else {
            continue;
        };
        let unit = c.name("unit").map(|u| u.as_str());
        let has_yuan = unit.is_some_and(|u| u.ends_with(['元', '圆']));
        if !has_yuan && c.name("cur").is_none() {
            continue; // "10万人次" is not money
        }
        let is_cn = !num
            .as_str()
            .starts_with(|ch: char| ch.is_ascii_digit() || ('０'..='９').contains(&ch));
        if is_cn && num.as_str().chars().count() == 1 && unit.is_some_and(|u| u == "元") {
            continue; // 二元化合物
        }
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|ch| ch.is_ascii_digit() || ch == '.') {
            continue;
        }
        let after = &text[m.end()..];
        // 美元/日元 etc. follow the number directly and fail the unit match;
        // "万美元" would match 万 without 元 and is skipped above.
        if after.starts_with(['美', '欧']) {
            continue;
        }
        // Trailing bare 万 after a currency sign is part of the amount.
        if let Some(v) = parse_money_wan(m.as_str(), MoneyUnit::Yuan) {
            out.push((v, m.range()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use MoneyUnit::*;

    fn w(s: &str) -> Option<f64> {
        parse_money_wan(s, Yuan)
    }

    #[test]
    fn arabic_amounts() {
        assert_eq!(w("40万元"), Some(40.0));
        assert_eq!(w("40 万元"), Some(40.0));
        assert_eq!(w("400,000元"), Some(40.0));
        assert_eq!(w("400000.00元"), Some(40.0));
        assert_eq!(w("￥400000"), Some(40.0));
        assert_eq!(w("¥400,000"), Some(40.0));
        assert_eq!(w("RMB 400,000"), Some(40.0));
        assert_eq!(w("0.4亿元"), Some(4000.0));
        assert_eq!(w("1,500,000元"), Some(150.0));
        assert_eq!(w("１５０万元"), Some(150.0));
        assert_eq!(w("12.3456万元"), Some(12.3456));
        assert_eq!(w("123456元"), Some(12.3456));
        assert_eq!(w("1元"), Some(0.0001));
        assert_eq!(w("合计：40万元。"), Some(40.0));
    }

    #[test]
    fn capital_amounts() {
        assert_eq!(w("人民币肆拾万元整"), Some(40.0));
        assert_eq!(w("壹佰伍拾万元"), Some(150.0));
        assert_eq!(w("壹佰伍拾万元整"), Some(150.0));
        assert_eq!(w("肆拾万圆整"), Some(40.0));
        assert_eq!(w("伍拾万零伍仟元"), Some(50.5));
        assert_eq!(w("贰拾万元"), Some(20.0));
        assert_eq!(w("四十万元"), Some(40.0));
    }

    #[test]
    fn default_units() {
        assert_eq!(parse_money_wan("40", Wan), Some(40.0));
        assert_eq!(parse_money_wan("400000", Yuan), Some(40.0));
        assert_eq!(parse_money_wan("0.5", Yi), Some(5000.0));
        assert_eq!(parse_money_wan("40万", Yuan), Some(40.0));
        assert_eq!(parse_money_wan("40元", Wan), Some(0.004));
        assert_eq!(parse_money_wan("￥40", Wan), Some(0.004));
    }

    #[test]
    fn money_rejects() {
        assert_eq!(w(""), None);
        assert_eq!(w("无"), None);
        assert_eq!(w("万元"), None);
        assert_eq!(w("10万美元"), None);
        assert_eq!(w("USD 100,000"), None);
    }

    #[test]
    fn amounts_in_prose() {
        let t = "申请专项经费40万元，单位自筹80万元，合计1,200,000元；另有￥5000。";
        let v: Vec<f64> = find_amounts(t).into_iter().map(|(v, _)| v).collect();
        assert_eq!(v, [40.0, 80.0, 120.0, 0.5]);
        let (_, r) = &find_amounts(t)[0];
        assert_eq!(&t[r.clone()], "40万元");
        let v: Vec<f64> = find_amounts("新增销售收入1亿元，实现产值五千万元")
            .into_iter()
            .map(|(v, _)| v)
            .collect();
        assert_eq!(v, [10000.0, 5000.0]);
        assert!(find_amounts("交流10万人次，二元化合物，2025年").is_empty());
        assert!(find_amounts("合同额100万美元").is_empty());
    }
}
