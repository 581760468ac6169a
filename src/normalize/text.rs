//! Text cleanup shared by all field normalizers: whitespace and wrapper
//! removal (`clean_value`), list-marker removal (`strip_numbering`) and
//! splitting enumerations into items (`split_list`).

use std::sync::OnceLock;

use regex::Regex;

/// CJK ideographs and CJK/full-width punctuation: spaces between two of
/// these are layout artefacts (PDF/Word justification), not words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK punctuation
        | 0x3400..=0x4DBF // ext A
        | 0x4E00..=0x9FFF // unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF01..=0xFF60 // full-width forms
        | 0x20000..=0x2FFFF)
}

const WRAPPERS: &[(char, char)] = &[
    ('《', '》'),
    ('“', '”'),
    ('"', '"'),
    ('\'', '\''),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
    ('〈', '〉'),
];

fn is_colon(c: char) -> bool {
    matches!(c, '：' | ':')
}

/// Trim, collapse whitespace, drop spaces between CJK characters, strip one
/// wrapping pair of quotes/title marks and leading/trailing colons.
pub fn clean_value(s: &str) -> String {
    // Collapse every whitespace run (incl. U+3000, NBSP) into one space;
    // zero-width characters vanish.
    let mut collapsed: Vec<char> = Vec::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}') {
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !collapsed.is_empty() {
            let prev = collapsed[collapsed.len() - 1];
            if !(is_cjk(prev) && is_cjk(c)) {
                collapsed.push(' ');
            }
        }
        pending_space = false;
        collapsed.push(c);
    }
    let mut out: String = collapsed.into_iter().collect();
    // Colons and wrappers may nest either way ("：《X》", "《X》："), so loop.
    loop {
        let before = out.len();
        let t = out.trim().trim_matches(is_colon).trim();
        let mut t = t.to_string();
        for &(open, close) in WRAPPERS {
            if t.chars().count() >= 2 && t.starts_with(open) && t.ends_with(close) {
                let inner = &t[open.len_utf8()..t.len() - close.len_utf8()];
                // "《A》与《B》" is not one wrapped value.
                if !inner.contains(open) && !inner.contains(close) {
                    t = inner.trim().to_string();
                    break;
                }
            }
        }
        out = t;
        if out.len() == before {
            break;
        }
    }
    out
}

const CN_DIGITS: &str = "一二三四五六七八九十";

fn marker_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let pat = format!(
            r"^\s*(?:{circled}|[（(]\s*(?:\d{{1,3}}|[{cn}]{{1,3}}|[a-zA-Z]|[ivxIVX]{{1,4}})\s*[)）]\s*[、.．:：]?|第\s*(?:[{cn}]{{1,3}}|\d{{1,3}})\s*(?:[项条点]\s*[，,、:：.．]?|[，,、:：.．])|[{cn}]{{1,3}}\s*[、.．:：]|[{cn}]是|\d{{1,3}}\s*[、)）]|\d{{1,3}}[.．]|[a-zA-Z][)）]|[a-zA-Z][.．]\s|[ivxIVX]{{1,4}}[)）]|[•·\-—–*▪●◆◇■□○►▶➢➤>]+)\s*",
            circled = "[①-⑳⑴-⒇⒈-⒛]",
            cn = CN_DIGITS
        );
        Regex::new(&pat).unwrap_or_else(|e| panic!("marker regex: {e}"))
    })
}

/// Byte length of the list marker at the start of `s` (0 if none).
fn marker_len(s: &str) -> usize {
    let Some(m) = marker_re().find(s) else {
        return 0;
    };
    let t = m.as_str().trim_end();
    // "1.5万元": a decimal point, not a marker.
    if t.ends_with(['.', '．'])
        && t.chars().rev().nth(1).is_some_and(|c| c.is_ascii_digit())
        && s[t.len()..].starts_with(|c: char| c.is_ascii_digit())
    {
        return 0;
    }
    m.end()
}

/// Remove one leading list marker (①, (1), 1、, 一、, 第一，, •, a) …), then
/// [`clean_value`].
pub fn strip_numbering(s: &str) -> String {
    let t = s.trim_start();
    let n = marker_len(t);
    clean_value(&t[n..])
}

/// One inline marker family, with the value it numbers.
fn inline_markers(line: &str) -> Vec<(usize, usize, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"([①-⑳])|([⑴-⒇])|[（(]\s*(\d{1,2})\s*[)）]|[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]|(?:^|[\s；;。，,])(\d{1,2})\s*[、）)]|(?:^|[\s；;。，,])([一二三四五六七八九十]{1,3})、|(?:^|[\s；;。，,])(\d{1,2})[.．]")
            .unwrap_or_else(|e| panic!("inline regex: {e}"))
    });
    let mut out = Vec::new();
    for caps in re.captures_iter(line) {
        let (family, g) = match (1..=7).find_map(|i| caps.get(i).map(|g| (i, g))) {
            Some(x) => x,
            None => continue,
        };
        let value = match family {
            1 => g.as_str().chars().next().map(|c| c as u32 - '①' as u32 + 1),
            2 => g.as_str().chars().next().map(|c| c as u32 - '⑴' as u32 + 1),
            3 | 5 => super::half_width(g.as_str()).parse().ok(),
            // "1.A 2.B", but not the "2.5" of a decimal.
            7 => {
                let after = &line[g.end()..];
                let next = after.chars().nth(1);
                if next.is_some_and(|c| c.is_ascii_digit()) {
                    None
                } else {
                    super::half_width(g.as_str()).parse().ok()
                }
            }
            _ => super::numeral::parse_chinese_number(g.as_str()).map(|v| v as u32),
        };
        let Some(value) = value else { continue };
        // Start of the marker proper: for families 5/6 skip the separator.
        let start = if family >= 5 {
            g.start()
        } else {
            caps.get(0).map_or(g.start(), |m| m.start())
        };
        out.push((family, start, value));
    }
    out
}

/// Split `line` at inline markers of the family that opens it, accepting
/// only markers numbered consecutively (so "式（2）" mid-sentence stays).
fn split_inline(line: &str) -> Vec<String> {
    let marks = inline_markers(line);
    let lead = line.len() - line.trim_start().len();
    let Some(&(family, start, first)) = marks.first() else {
        return vec![line.to_string()];
    };
    if start > lead {
        return vec![line.to_string()];
    }
    let mut cuts = vec![start];
    let mut expect = first + 1;
    for &(f, s, v) in &marks[1..] {
        if f == family && v == expect {
            cuts.push(s);
            expect += 1;
        }
    }
    let mut out = Vec::new();
    for (i, &c) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(line.len());
        out.push(line[c..end].to_string());
    }
    out
}

fn trim_item_end(s: &str) -> String {
    s.trim_end_matches(['。', '；', ';', '，', ',', '、', '.'])
        .trim()
        .to_string()
}

/// Whether `line` opens a list item, given the number of the numbered
/// item before it (`prev`); and the item's number, when arabic, to pass
/// on as the next line's `prev`. "2.5G专网切片" reads as a decimal alone,
/// but when the list's numbering expects 2 next it is item 2.
pub fn list_item(line: &str, prev: Option<u32>) -> (bool, Option<u32>) {
    let l = line.trim_start();
    let marked = marker_len(l) > 0;
    match leading_arabic(l) {
        Some((n, _)) if marked || prev.is_some_and(|p| p + 1 == n) => (true, Some(n)),
        _ => (marked, None),
    }
}

/// Whether two lines open with list markers of one family (1. and 2、,
/// 一、 and 二、, ① and ②, （1） and （2）): a heading numbered 六、 after
/// items numbered 1. 2. 3. ends their list rather than joining it.
pub fn same_list(a: &str, b: &str) -> bool {
    let family = |s: &str| {
        let s = s.trim_start();
        let c = s.chars().next()?;
        Some(match c {
            '0'..='9' => 0u8,
            '（' | '(' => 1,
            '第' => 2,
            '①'..='⑳' | '⑴'..='⒇' | '⒈'..='⒛' => 3,
            c if CN_DIGITS.contains(c) => 4,
            c if c.is_ascii_alphabetic() => 5,
            _ => 6,
        })
    };
    marker_len(a.trim_start()) + marker_len(b.trim_start()) > 0 && family(a) == family(b)
}

/// A leading `N.` / `N、` / `N．`: the number and the marker's byte length.
fn leading_arabic(l: &str) -> Option<(u32, usize)> {
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let n = l[..digits].parse().ok()?;
    let sep = l[digits..].chars().next()?;
    matches!(sep, '.' | '、' | '．').then(|| (n, digits + sep.len_utf8()))
}

/// Split a list written one item per line or inline (①A②B, 1、A；2、B,
/// （1）A （2）B, A；B；C) into items in order, numbering removed, empties dropped.
pub fn split_list(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // Lines wrapped by PDF/Word layout: when the list is numbered, an
    // unnumbered line continues the previous item.
    let marked = lines.iter().filter(|l| marker_len(l) > 0).count();
    let mut merged: Vec<String> = Vec::new();
    let mut seen_marker = false;
    let mut last_num: Option<u32> = None;
    for l in lines {
        let (has, num) = list_item(l, last_num);
        // "2.5G专网切片" as item 2: its marker written so that it strips.
        let renumbered;
        let mut l = l;
        if let (true, Some((n, len))) = (has && marker_len(l) == 0, leading_arabic(l)) {
            renumbered = format!("{n}、{}", &l[len..]);
            l = renumbered.as_str();
        }
        if num.is_some() {
            last_num = num;
        }
        if marked >= 2 && !has {
            if seen_marker {
                if let Some(last) = merged.last_mut() {
                    let join_space = last.chars().last().is_some_and(|c| !is_cjk(c))
                        && l.chars().next().is_some_and(|c| !is_cjk(c));
                    if join_space {
                        last.push(' ');
                    }
                    last.push_str(l);
                }
                continue;
            }
            // A heading such as "主要关键技术：" before the numbered items.
            if l.ends_with(['：', ':']) {
                continue;
            }
        }
        seen_marker |= has;
        merged.push(l.to_string());
    }
    let mut items = Vec::new();
    for line in merged {
        for seg in line.split(['；', ';']) {
            for part in split_inline(seg) {
                let item = trim_item_end(&strip_numbering(&part));
                let item = clean_value(&item);
                if !item.is_empty() {
                    items.push(item);
                }
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_starting_with_a_decimal_looking_number() {
        assert_eq!(
            split_list("1.工业现场总线协议转换\n2.5G专网切片隔离技术\n3.端到端时延测量"),
            vec![
                "工业现场总线协议转换",
                "5G专网切片隔离技术",
                "端到端时延测量"
            ]
        );
    }

    #[test]
    fn list_item_takes_the_expected_number_before_a_decimal() {
        assert_eq!(list_item("1.现场总线", None), (true, Some(1)));
        assert_eq!(list_item("2.5G切片", Some(1)), (true, Some(2)));
        // Alone, or out of turn, a decimal.
        assert_eq!(list_item("2.5G切片", None), (false, None));
        assert_eq!(list_item("3.5G切片", Some(1)), (false, None));
        assert_eq!(list_item("①现场总线", None), (true, None));
        assert_eq!(list_item("现场总线", Some(1)), (false, None));
        assert!(same_list("1.现场总线", "2、切片"));
        assert!(same_list("（一）总线", "（二）切片"));
        assert!(!same_list("1.现场总线", "六、考核指标"));
        assert!(!same_list("①现场总线", "2.切片"));
    }

    #[test]
    fn clean_whitespace() {
        assert_eq!(clean_value("  abc  "), "abc");
        assert_eq!(clean_value("a \t\n b"), "a b");
        assert_eq!(clean_value("深度\u{3000}学习"), "深度学习");
        assert_eq!(clean_value("深 度 学 习"), "深度学习");
        assert_eq!(clean_value("AI 芯片"), "AI 芯片");
        assert_eq!(clean_value("Deep\u{00A0}\u{00A0}Learning"), "Deep Learning");
        assert_eq!(clean_value("\u{FEFF}项目"), "项目");
        assert_eq!(clean_value(""), "");
        assert_eq!(clean_value("   "), "");
    }

    #[test]
    fn clean_wrappers_and_colons() {
        assert_eq!(clean_value("《智能电网关键技术》"), "智能电网关键技术");
        assert_eq!(clean_value("“氢能”"), "氢能");
        assert_eq!(clean_value("\"Hydrogen\""), "Hydrogen");
        assert_eq!(clean_value("'x'"), "x");
        assert_eq!(clean_value("「项目」"), "项目");
        assert_eq!(clean_value("『项目』"), "项目");
        assert_eq!(clean_value("：张三"), "张三");
        assert_eq!(clean_value("张三："), "张三");
        assert_eq!(clean_value("： 《项目》 "), "项目");
        assert_eq!(clean_value("《A》与《B》"), "《A》与《B》");
        assert_eq!(clean_value("《》"), "");
    }

    #[test]
    fn numbering_markers() {
        for s in [
            "①人工智能",
            "⑳人工智能",
            "(1)人工智能",
            "（1）人工智能",
            "（ 1 ）人工智能",
            "1、人工智能",
            "1.人工智能",
            "1. 人工智能",
            "1．人工智能",
            "1)人工智能",
            "1）人工智能",
            "一、人工智能",
            "（一）人工智能",
            "第一，人工智能",
            "第1项 人工智能",
            "• 人工智能",
            "· 人工智能",
            "- 人工智能",
            "— 人工智能",
            "* 人工智能",
            "▪ 人工智能",
            "● 人工智能",
            "a) 人工智能",
            "（a）人工智能",
            "⑴人工智能",
            "⒈人工智能",
            "12、人工智能",
        ] {
            assert_eq!(strip_numbering(s), "人工智能", "{s}");
        }
    }

    #[test]
    fn numbering_keeps_numbers_in_content() {
        assert_eq!(strip_numbering("1.5万元"), "1.5万元");
        assert_eq!(strip_numbering("2025年启动"), "2025年启动");
        assert_eq!(strip_numbering("3D打印技术"), "3D打印技术");
        assert_eq!(strip_numbering("5G通信"), "5G通信");
        assert_eq!(strip_numbering("人工智能"), "人工智能");
        assert_eq!(strip_numbering("3 years"), "3 years");
        assert_eq!(strip_numbering("1. Deep learning"), "Deep learning");
    }

    #[test]
    fn split_lines() {
        assert_eq!(
            split_list("1、A技术\n2、B技术\n3、C技术"),
            ["A技术", "B技术", "C技术"]
        );
        assert_eq!(split_list("A\n\nB\n"), ["A", "B"]);
        assert_eq!(split_list("（1）氢能；\n（2）光伏。"), ["氢能", "光伏"]);
    }

    #[test]
    fn split_inline_formats() {
        assert_eq!(split_list("①A②B③C"), ["A", "B", "C"]);
        assert_eq!(split_list("1、A；2、B"), ["A", "B"]);
        assert_eq!(split_list("（1）A （2）B"), ["A", "B"]);
        assert_eq!(split_list("(1)A (2)B (3)C"), ["A", "B", "C"]);
        assert_eq!(split_list("A；B；C"), ["A", "B", "C"]);
        assert_eq!(split_list("A;B; ;C"), ["A", "B", "C"]);
        assert_eq!(
            split_list("1、氢能 2、光伏 3、储能"),
            ["氢能", "光伏", "储能"]
        );
        assert_eq!(split_list("一、氢能 二、光伏"), ["氢能", "光伏"]);
        assert_eq!(
            split_list("1. 氢能 2. 光伏 3. 储能"),
            ["氢能", "光伏", "储能"]
        );
        assert_eq!(split_list("1.氢能2.5代技术"), ["氢能2.5代技术"]);
        assert_eq!(split_list("1) AI 2) Big data"), ["AI", "Big data"]);
        assert_eq!(split_list("⑴氢能⑵光伏"), ["氢能", "光伏"]);
        assert_eq!(split_list("（１）氢能 （２）光伏"), ["氢能", "光伏"]);
        assert_eq!(split_list("１、氢能；２、光伏"), ["氢能", "光伏"]);
        assert_eq!(split_list("1、A。2、B。"), ["A", "B"]);
        assert_eq!(split_list("（一）氢能（二）光伏"), ["氢能", "光伏"]);
    }

    #[test]
    fn split_keeps_unsequenced_markers() {
        assert_eq!(split_list("（1）按式（3）计算"), ["按式（3）计算"]);
        assert_eq!(split_list("人工智能、大数据"), ["人工智能、大数据"]);
        assert!(split_list("").is_empty());
        assert!(split_list(" \n ；").is_empty());
    }

    #[test]
    fn split_joins_wrapped_lines_and_drops_heading() {
        let t = "主要关键技术：\n1、高效光伏电池\n技术研究\n2、储能系统集成";
        assert_eq!(split_list(t), ["高效光伏电池技术研究", "储能系统集成"]);
        let e = "1. Solid state\nbatteries\n2. Fuel cells";
        assert_eq!(split_list(e), ["Solid state batteries", "Fuel cells"]);
    }
}
