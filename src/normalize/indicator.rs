//! Assessment indicators (考核指标): split an indicator text into items,
//! classify each (paper, patent, workshop …) and read the committed count.

use std::sync::OnceLock;

use regex::Regex;

use super::money::find_amounts;
use super::numeral::parse_number;
use super::text::{clean_value, split_list};
use crate::record::{Indicator, IndicatorKind};

/// Keyword tables in priority order: the first kind with a hit wins, so
/// "在国际会议上发表论文" is a paper and "培训班" a workshop, not talent.
const RULES: &[(IndicatorKind, &[&str])] = &[
    (
        IndicatorKind::Paper,
        &[
            "论文",
            "sci",
            "ssci",
            "ei收录",
            "期刊",
            "专著",
            "paper",
            "publication",
            "journal",
            "article",
        ],
    ),
    (IndicatorKind::Patent, &["专利", "pct", "patent"]),
    (IndicatorKind::Standard, &["标准", "standard"]),
    (
        IndicatorKind::Economic,
        &[
            "销售收入",
            "销售额",
            "产值",
            "利润",
            "经济效益",
            "营业收入",
            "营收",
            "税收",
            "创收",
            "revenue",
            "sales",
            "profit",
            "output value",
        ],
    ),
    (
        IndicatorKind::Workshop,
        &[
            "研讨会",
            "学术会议",
            "培训班",
            "论坛",
            "国际会议",
            "交流会",
            "讲座",
            "workshop",
            "seminar",
            "symposium",
            "conference",
            "forum",
            "training course",
        ],
    ),
    (
        IndicatorKind::Visit,
        &[
            "互访",
            "访问学者",
            "交流人员",
            "人员交流",
            "派出",
            "来访",
            "来华",
            "互派",
            "访问",
            "人次",
            "visiting",
            "visit",
            "exchange of",
            "researcher exchange",
        ],
    ),
    (
        IndicatorKind::Talent,
        &[
            "培养",
            "引进",
            "人才",
            "博士",
            "硕士",
            "研究生",
            "团队",
            "学生",
            "talent",
            "train",
            "student",
            "phd",
            "postgraduate",
            "postdoc",
        ],
    ),
    (
        IndicatorKind::Platform,
        &[
            "平台",
            "实验室",
            "中心",
            "基地",
            "共建",
            "platform",
            "laborator",
            "lab ",
            "center",
            "centre",
        ],
    ),
    (
        IndicatorKind::Product,
        &[
            "产品",
            "样机",
            "装备",
            "新品种",
            "示范线",
            "生产线",
            "示范工程",
            "系统",
            "设备",
            "装置",
            "原型",
            "prototype",
            "product",
            "device",
            "system",
            "equipment",
        ],
    ),
    (IndicatorKind::Economic, &["万元", "亿元"]),
];

fn kind_of(item: &str) -> IndicatorKind {
    // EI is an index only as a whole word ("EI收录", "SCI/EI"), not inside "their".
    let lower = item.to_lowercase();
    for (kind, words) in RULES {
        if words.iter().any(|w| lower.contains(w)) {
            return *kind;
        }
    }
    if ei_re().is_match(item) {
        return IndicatorKind::Paper;
    }
    IndicatorKind::Other
}

fn ei_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[^A-Za-z])EI(?:$|[^A-Za-z])").unwrap_or_else(|e| panic!("ei regex: {e}"))
    })
}

const CN_NUM: &str = "零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟";

fn count_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?P<n>[0-9０-９]+(?:\.[0-9]+)?|[{CN_NUM}]+)\s*(?:余|多)?\s*个?\s*(?P<u>人次|篇|项|件|个月|个|次|场|名|人|位|套|台|条|部|种|届|期|家|处|批|份|本|册|门|轮|所|座|支|组|款|类|株|周)"
        ))
        .unwrap_or_else(|e| panic!("count regex: {e}"))
    })
}

fn plain_number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?P<n>[0-9]+(?:\.[0-9]+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)(?-u:\b)")
            .unwrap_or_else(|e| panic!("plain number regex: {e}"))
    })
}

fn word_number(w: &str) -> Option<f64> {
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let lw = w.to_ascii_lowercase();
    if let Some(i) = words.iter().position(|x| *x == lw) {
        return Some(i as f64 + 1.0);
    }
    match lw.as_str() {
        "twelve" => Some(12.0),
        "twenty" => Some(20.0),
        _ => w.parse().ok(),
    }
}

/// Measure words that count the indicator's own thing, so "举行50人以上的
/// 研讨会不少于2次" counts 2 workshops, not 50 people.
fn preferred_units(kind: IndicatorKind) -> &'static [&'static str] {
    match kind {
        IndicatorKind::Paper => &["篇", "部", "本"],
        IndicatorKind::Patent => &["项", "件"],
        IndicatorKind::Standard => &["项", "部", "个", "件"],
        IndicatorKind::Workshop => &["次", "场", "届", "期", "个"],
        IndicatorKind::Visit => &["人次", "人", "名", "位", "批"],
        IndicatorKind::Talent => &["名", "人", "位", "个", "支"],
        IndicatorKind::Platform => &["个", "家", "座", "处", "所"],
        IndicatorKind::Product => &["台", "套", "个", "件", "项", "种", "条", "款", "类", "株"],
        IndicatorKind::Economic | IndicatorKind::Other => &[],
    }
}

fn first_count(item: &str, kind: IndicatorKind) -> Option<f64> {
    let counts: Vec<(f64, &str)> = count_re()
        .captures_iter(item)
        .filter_map(|c| {
            let v = parse_number(c.name("n")?.as_str())?;
            Some((v, c.name("u")?.as_str()))
        })
        .collect();
    let preferred = preferred_units(kind);
    if let Some(&(v, _)) = counts.iter().find(|(_, u)| preferred.contains(u)) {
        return Some(v);
    }
    if let Some(&(v, _)) = counts.first() {
        return Some(v);
    }
    // English ("at least 2 joint papers", "two workshops"); skip years.
    for c in plain_number_re().captures_iter(item) {
        let Some(n) = c.name("n") else { continue };
        let Some(v) = word_number(n.as_str()) else {
            continue;
        };
        let after = item[n.end()..].trim_start();
        if (1900.0..=2100.0).contains(&v) || after.starts_with('年') {
            continue;
        }
        return Some(v);
    }
    None
}

/// Kind of one indicator item and the number it commits to (in 万元 for
/// economic indicators).
pub fn classify_indicator(item: &str) -> (IndicatorKind, Option<f64>) {
    let kind = kind_of(item);
    let count = if kind == IndicatorKind::Economic {
        find_amounts(item)
            .first()
            .map(|a| a.0)
            .or_else(|| first_count(item, kind))
    } else {
        first_count(item, kind)
    };
    (kind, count)
}

/// Drops a leading category label (`知识产权指标：`, `技术指标:`) from an
/// indicator item.
fn strip_category(part: &str) -> String {
    if let Some(i) = part.find(['：', ':']) {
        let head = &part[..i];
        if head.chars().count() <= 16
            && (head.ends_with("指标") || head.ends_with("目标") || head.ends_with("成果"))
        {
            return clean_value(part[i..].trim_start_matches(['：', ':']));
        }
    }
    part.to_string()
}

/// Split an indicator text into items and classify each.
pub fn parse_indicators(text: &str) -> Vec<Indicator> {
    let mut out = Vec::new();
    for item in split_list(text) {
        for sentence in item.split('。') {
            let sentence = strip_category(&clean_value(sentence));
            if sentence.is_empty() {
                continue;
            }
            // "发表论文3篇，申请专利2项": comma parts become separate
            // indicators when they are counted things of a new kind; a part
            // without its own kind/count ("每人不少于1个月") or of the same kind
            // ("其中SCI论文2篇") stays with the part before it.
            // (kind, text, has its own kind and count)
            let mut groups: Vec<(IndicatorKind, String, bool)> = Vec::new();
            // "人才、平台与经济效益指标：召开交流会3场": the group's label
            // names a category, not this indicator's kind. A colon after a
            // counted indicator parts too: OCR reads a "；" as "：".
            let parts = sentence.split(['，', ',']).flat_map(|p| {
                let p = strip_category(&clean_value(p));
                let mut subs: Vec<(char, String)> = Vec::new();
                let mut head = String::new();
                for piece in p.split('：') {
                    if !head.is_empty() {
                        head.push('：');
                    }
                    head.push_str(piece);
                    let (kind, count) = classify_indicator(&head);
                    if kind != IndicatorKind::Other && count.is_some() {
                        let sep = if subs.is_empty() { '，' } else { '：' };
                        subs.push((sep, clean_value(&std::mem::take(&mut head))));
                    }
                }
                if !head.is_empty() {
                    match subs.last_mut() {
                        Some(last) => {
                            last.1.push('：');
                            last.1.push_str(&head);
                        }
                        None => subs.push(('，', clean_value(&head))),
                    }
                }
                subs
            });
            for (sep, part) in parts {
                if part.is_empty() {
                    continue;
                }
                let (kind, count) = classify_indicator(&part);
                let standalone = kind != IndicatorKind::Other && count.is_some();
                match groups.last_mut() {
                    // A leading "项目执行期内" joins the indicator after it.
                    Some(last) if standalone && !last.2 => {
                        last.1.push(sep);
                        last.1.push_str(&part);
                        last.0 = kind;
                        last.2 = true;
                    }
                    Some(last) if !standalone || last.0 == kind => {
                        last.1.push(sep);
                        last.1.push_str(&part);
                    }
                    _ => groups.push((kind, part, standalone)),
                }
            }
            if groups.len() <= 1 {
                let (kind, count) = classify_indicator(&sentence);
                out.push(Indicator {
                    kind,
                    count,
                    text: sentence,
                });
                continue;
            }
            for (_, text, _) in groups {
                let (kind, count) = classify_indicator(&text);
                out.push(Indicator { kind, count, text });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    fn c(s: &str) -> (IndicatorKind, Option<f64>) {
        classify_indicator(s)
    }

    #[test]
    fn category_labels_do_not_decide_the_kind() {
        let got = parse_indicators(
            "（3）人才、平台与经济效益指标：召开双边技术交流会2场，共建联合实验室一个。",
        );
        let kinds: Vec<_> = got.iter().map(|i| (i.kind, i.count)).collect();
        assert_eq!(kinds, vec![(Workshop, Some(2.0)), (Platform, Some(1.0))]);
    }

    #[test]
    fn kinds_and_counts() {
        assert_eq!(c("发表SCI论文不少于3篇"), (Paper, Some(3.0)));
        assert_eq!(c("联合发表高水平论文2篇"), (Paper, Some(2.0)));
        assert_eq!(c("申请发明专利两项"), (Patent, Some(2.0)));
        assert_eq!(c("申请PCT专利1件"), (Patent, Some(1.0)));
        assert_eq!(c("申请实用新型专利3项"), (Patent, Some(3.0)));
        assert_eq!(c("制定行业标准1项"), (Standard, Some(1.0)));
        assert_eq!(c("举办2次不少于50人的国际研讨会"), (Workshop, Some(2.0)));
        assert_eq!(c("举办国际学术会议1次"), (Workshop, Some(1.0)));
        assert_eq!(c("举办培训班3期"), (Workshop, Some(3.0)));
        assert_eq!(c("互派访问学者2人次，每次不少于1个月"), (Visit, Some(2.0)));
        assert_eq!(c("派出科研人员赴韩交流4人次"), (Visit, Some(4.0)));
        assert_eq!(c("培养研究生5名"), (Talent, Some(5.0)));
        assert_eq!(c("引进海外高层次人才2人"), (Talent, Some(2.0)));
        assert_eq!(c("培养博士研究生十名"), (Talent, Some(10.0)));
        assert_eq!(c("共建联合实验室1个"), (Platform, Some(1.0)));
        assert_eq!(c("建立国际联合研发中心一个"), (Platform, Some(1.0)));
        assert_eq!(c("研制样机1台"), (Product, Some(1.0)));
        assert_eq!(c("培育新品种2个"), (Product, Some(2.0)));
        assert_eq!(c("建成示范线1条"), (Product, Some(1.0)));
        assert_eq!(c("新增销售收入1000万元"), (Economic, Some(1000.0)));
        assert_eq!(c("新增产值1亿元"), (Economic, Some(10000.0)));
        assert_eq!(c("实现利润五百万元"), (Economic, Some(500.0)));
        assert_eq!(c("登记软件著作权2项"), (Other, Some(2.0)));
        assert_eq!(c("提高转化效率20%"), (Other, Some(20.0)));
        assert_eq!(c("无"), (Other, None));
    }

    #[test]
    fn english_indicators() {
        assert_eq!(c("at least 1 joint paper"), (Paper, Some(1.0)));
        assert_eq!(c("2 joint patents"), (Patent, Some(2.0)));
        assert_eq!(
            c("two workshops with at least 50 participants"),
            (Workshop, Some(2.0))
        );
        assert_eq!(c("2 visiting researchers for 1 month"), (Visit, Some(2.0)));
        assert_eq!(c("train 3 PhD students"), (Talent, Some(3.0)));
        assert_eq!(c("SCI/EI indexed: 2"), (Paper, Some(2.0)));
    }

    #[test]
    fn years_are_not_counts() {
        assert_eq!(c("2027年底前发表论文3篇"), (Paper, Some(3.0)));
        assert_eq!(c("by 2027, 4 papers"), (Paper, Some(4.0)));
        assert_eq!(c("发表论文10余篇"), (Paper, Some(10.0)));
    }

    #[test]
    fn parse_lists() {
        let t = "1、发表SCI论文不少于3篇；2、申请发明专利2项；3、培养研究生5名。";
        let v = parse_indicators(t);
        let kc: Vec<(IndicatorKind, Option<f64>)> = v.iter().map(|i| (i.kind, i.count)).collect();
        assert_eq!(
            kc,
            [(Paper, Some(3.0)), (Patent, Some(2.0)), (Talent, Some(5.0))]
        );
        assert_eq!(v[0].text, "发表SCI论文不少于3篇");

        let t = "发表论文3篇，申请专利2项。举办研讨会2次";
        let kinds: Vec<IndicatorKind> = parse_indicators(t).iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [Paper, Patent, Workshop]);

        let t = "发表论文3篇，其中SCI论文2篇";
        let v = parse_indicators(t);
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].kind, v[0].count), (Paper, Some(3.0)));

        // "；" read as "：" by OCR; a heading's colon stays in its item.
        let t = "发表论文四篇：培养博士后三人：新增产值500万元以上";
        let v = parse_indicators(t);
        let kc: Vec<(IndicatorKind, Option<f64>)> = v.iter().map(|i| (i.kind, i.count)).collect();
        assert_eq!(kc[..2], [(Paper, Some(4.0)), (Talent, Some(3.0))]);
        let v = parse_indicators("论文：发表SCI论文3篇，人才培养：培养研究生4名");
        let texts: Vec<&str> = v.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, ["论文：发表SCI论文3篇", "人才培养：培养研究生4名"]);

        let t = "①联合发表论文1篇②申请专利2项③互派访问学者2人次";
        let kinds: Vec<IndicatorKind> = parse_indicators(t).iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [Paper, Patent, Visit]);
        assert!(parse_indicators("").is_empty());
    }

    #[test]
    fn call_notice_phrasing() {
        // most-intergov-2025-b3 direction 1.1 / 1.2 requirements.
        let t = "项目执行期内应与韩方合作伙伴共同发表论文不少于1篇,共同申请发明专利不少于2项,接待韩方合作伙伴来华开展合作研究不少于2人,每人累计不少于1个月,围绕研究主题共同举行50人以上的国际研讨会不少于2次。";
        let v = parse_indicators(t);
        let kc: Vec<(IndicatorKind, Option<f64>)> = v.iter().map(|i| (i.kind, i.count)).collect();
        assert_eq!(kc[0], (Paper, Some(1.0)));
        assert_eq!(kc[1], (Patent, Some(2.0)));
        assert_eq!(kc[2], (Visit, Some(2.0)));
        assert_eq!(kc.last().copied(), Some((Workshop, Some(2.0))));
        assert_eq!(
            c("围绕研究主题共同举行50人以上的国际研讨会不少于2次"),
            (Workshop, Some(2.0))
        );
        let v = parse_indicators("项目执行期内，发表论文3篇，申请专利2项");
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].kind, v[0].count), (Paper, Some(3.0)));
        assert_eq!(v[0].text, "项目执行期内，发表论文3篇");
        let v = parse_indicators("举办国际研讨会2次，每次参会人数不少于50人");
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].kind, v[0].count), (Workshop, Some(2.0)));
        assert_eq!(
            c("每次研讨会来自企业的参会代表不少于20人"),
            (Workshop, Some(20.0))
        );
    }
}
