//! Dates and periods: Chinese (2025年1月1日, 二〇二五年一月), numeric
//! (2025.1.1, 2025/01, 20250101) and English (January 1, 2025; 1st of
//! January 2025) forms, partial dates (year or year-month) included.

use std::ops::Range;
use std::sync::OnceLock;

use regex::{Captures, Regex};

use super::numeral::{any_digit, parse_chinese_number};

/// A calendar date that may lack its day or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl PartialDate {
    /// Validating constructor; years outside 1900..=2100 are taken as noise.
    fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Option<Self> {
        if !(1900..=2100).contains(&year) {
            return None;
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return None;
            }
            if let Some(d) = day
                && (d == 0 || d > days_in_month(year, m))
            {
                return None;
            }
        } else if day.is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// The earliest day the partial date can mean.
    pub fn first_day(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The latest day the partial date can mean (month ends, leap years).
    pub fn last_day(&self) -> (i32, u32, u32) {
        let m = self.month.unwrap_or(12);
        let d = self.day.unwrap_or_else(|| days_in_month(self.year, m));
        (self.year, m, d)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Cjk,
    SepYmd,
    SepYm,
    Compact,
    EnMdy,
    EnDmy,
    EnMy,
    /// Day first, year last: 31.12.2027 (European), 31/12/2027.
    Dmy,
}

const Y: &str = r"(?P<y>[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})";
const M: &str = r"(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})";
const D: &str = r"(?P<d>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})";
const MON: &str = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept(?:ember)?|sep|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const ORD: &str = r"(?:st|nd|rd|th)?";

fn patterns() -> Vec<(Kind, String)> {
    let ny = r"(?P<y>[0-9]{4})";
    vec![
        (
            Kind::Cjk,
            format!(r"{Y}\s*年\s*(?:{M}\s*月(?:\s*份)?\s*(?:{D}\s*[日号]?)?)?"),
        ),
        (
            Kind::SepYmd,
            format!(r"{Y}\s*(?P<s1>[./\-／．])\s*{M}\s*(?P<s2>[./\-／．])\s*{D}"),
        ),
        (Kind::SepYm, format!(r"{Y}\s*[./\-／．]\s*{M}")),
        (
            Kind::Compact,
            r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})".to_string(),
        ),
        (
            Kind::EnMdy,
            format!(r"(?i){MON}\s*(?P<d>[0-9]{{1,2}}){ORD},?\s+{ny}"),
        ),
        (
            Kind::EnDmy,
            format!(r"(?i)(?P<d>[0-9]{{1,2}}){ORD}\s+(?:of\s+)?{MON},?\s+{ny}"),
        ),
        (Kind::EnMy, format!(r"(?i){MON},?\s+{ny}")),
        (
            Kind::Dmy,
            r"(?P<d>[0-9]{1,2})\s*(?P<s1>[./\-])\s*(?P<m>[0-9]{1,2})\s*(?P<s2>[./\-])\s*(?P<y>[0-9]{4})"
                .to_string(),
        ),
    ]
}

struct Matchers {
    free: Vec<(Kind, Regex)>,
    whole: Vec<(Kind, Regex)>,
}

fn matchers() -> &'static Matchers {
    static M: OnceLock<Matchers> = OnceLock::new();
    M.get_or_init(|| {
        let build = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("date regex {p}: {e}"));
        let pats = patterns();
        Matchers {
            free: pats.iter().map(|(k, p)| (*k, build(p))).collect(),
            whole: pats
                .iter()
                .map(|(k, p)| {
                    // Keep a leading (?i) flag outside the anchor group.
                    let (flag, body) = p
                        .strip_prefix("(?i)")
                        .map_or(("", p.as_str()), |b| ("(?i)", b));
                    (*k, build(&format!("{flag}^(?:{body})$")))
                })
                .collect(),
        }
    })
}

fn num(s: &str) -> Option<u32> {
    if s.chars().all(|c| any_digit(c).is_some()) {
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(any_digit(c)?)?;
        }
        return Some(v);
    }
    let v = parse_chinese_number(s)?;
    (v >= 0.0 && v.fract() == 0.0 && v < 1e9).then_some(v as u32)
}

fn month_of(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    let p = n.get(..3)?;
    let m = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|x| *x == p)?;
    Some(m as u32 + 1)
}

fn from_caps(kind: Kind, c: &Captures) -> Option<PartialDate> {
    let year = i32::try_from(num(c.name("y")?.as_str())?).ok()?;
    let month = match c.name("mon") {
        Some(mon) => Some(month_of(mon.as_str())?),
        None => match c.name("m") {
            Some(m) => Some(num(m.as_str())?),
            None => None,
        },
    };
    let day = match c.name("d") {
        Some(d) => Some(num(d.as_str())?),
        None => None,
    };
    let (mut month, mut day) = (month, day);
    if kind == Kind::Dmy
        && let (Some(m), Some(d)) = (month, day)
        && m > 12
        && d <= 12
    {
        // "06/30/2027" can only be US month-first; otherwise day-first.
        (month, day) = (Some(d), Some(m));
    }
    if matches!(kind, Kind::SepYmd | Kind::Dmy) {
        // "2026.01-20…" mixes separators: not one date.
        let norm = |s: &str| super::half_width(s).replace('／', "/");
        if norm(c.name("s1")?.as_str()) != norm(c.name("s2")?.as_str()) {
            return None;
        }
    }
    PartialDate::new(year, month, day)
}

/// Parse a string that is one date (surrounding 自/至/起/止/前/底 tolerated).
pub fn parse_date(s: &str) -> Option<PartialDate> {
    let mut t = s
        .trim()
        .trim_end_matches(['。', '.', '，', ',', '；', ';', ' '])
        .trim();
    for p in ["自", "从", "于", "截至", "截止", "至", "到", "始于"] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim_start();
        }
    }
    // A time of day after the date ("24时", "17:00") does not change it.
    let stripped = time_re().replace(t, "");
    let mut t = stripped.trim();
    for suf in [
        "以前", "至今", "至", "到", "之前", "为止", "开始", "结束", "以后", "之后", "左右", "起",
        "止", "前", "后", "底", "末", "初",
    ] {
        if let Some(r) = t.strip_suffix(suf) {
            t = r.trim_end();
            break;
        }
    }
    for (kind, re) in &matchers().whole {
        if let Some(c) = re.captures(t)
            && let Some(d) = from_caps(*kind, &c)
        {
            return Some(d);
        }
    }
    // A bare year.
    if t.chars().count() == 4 && t.chars().all(|c| any_digit(c).is_some()) {
        return PartialDate::new(i32::try_from(num(t)?).ok()?, None, None);
    }
    None
}

fn time_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:\s*|T)(?:[0-9]{1,2}\s*[时点](?:\s*[0-9]{1,2}\s*分)?(?:整)?|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)\s*$")
            .unwrap_or_else(|e| panic!("time regex: {e}"))
    })
}

fn is_digitish(c: char) -> bool {
    any_digit(c).is_some() || matches!(c, '〇' | '零' | '○')
}

/// All dates in free text, in order, as (date, byte range). Overlaps are
/// resolved leftmost-longest.
pub fn find_dates(text: &str) -> Vec<(PartialDate, Range<usize>)> {
    let mut cands: Vec<(PartialDate, Range<usize>)> = Vec::new();
    for (kind, re) in &matchers().free {
        let english = matches!(kind, Kind::EnMdy | Kind::EnDmy | Kind::EnMy);
        let mut pos = 0;
        while pos <= text.len() {
            let Some(c) = re.captures_at(text, pos) else {
                break;
            };
            let Some(m) = c.get(0) else { break };
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let bad_edge = |ch: Option<char>| {
                ch.is_some_and(|ch| is_digitish(ch) || (english && ch.is_ascii_alphabetic()))
            };
            // A date must not be cut out of a longer number-dotted run
            // ("2025.1.35" is not "2025.1"); a different separator may start
            // the next date ("2026.01-2028.12").
            let decimal_tail = matches!(kind, Kind::SepYm | Kind::SepYmd | Kind::Dmy) && {
                let sep = m
                    .as_str()
                    .chars()
                    .find(|ch| matches!(ch, '.' | '/' | '-' | '／' | '．'));
                let mut rest = text[m.end()..].chars();
                rest.next() == sep && rest.next().is_some_and(|ch| ch.is_ascii_digit())
            };
            // "2025.5万元" is an amount, not May 2025.
            let unit_after = !english
                && after
                    .is_some_and(|ch| matches!(ch, '万' | '亿' | '元' | '%' | '‰' | '千' | '百'));
            let ok = !bad_edge(before) && !bad_edge(after) && !decimal_tail && !unit_after;
            if ok && let Some(d) = from_caps(*kind, &c) {
                cands.push((d, m.range()));
                pos = m.end();
            } else {
                // Retry one char later so a valid date inside is not skipped.
                pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    cands.sort_by(|a, b| a.1.start.cmp(&b.1.start).then(b.1.end.cmp(&a.1.end)));
    let mut out: Vec<(PartialDate, Range<usize>)> = Vec::new();
    for (d, r) in cands {
        if out.last().is_some_and(|(_, last)| r.start < last.end) {
            continue;
        }
        out.push((d, r));
    }
    out
}

fn range_join_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:[起止始日号]|开始)?\s*(?:[-–—~～－]+|至|到|至于|to|until|till|through|thru)\s*$")
            .unwrap_or_else(|e| panic!("range join regex: {e}"))
    })
}

fn year_range_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?P<a>[0-9]{4})\s*年?\s*(?:[-–—~～至到]|－)+\s*(?P<b>[0-9]{4})\s*(?P<nian>年)?",
        )
        .unwrap_or_else(|e| panic!("year range regex: {e}"))
    })
}

fn same_year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let p = format!(
            r"{Y}\s*年\s*(?P<m>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月(?:\s*(?P<d>[0-9]{{1,2}})\s*[日号])?\s*(?:[-–—~～至到]|－)+\s*(?P<m2>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月(?:\s*(?P<d2>[0-9]{{1,2}})\s*[日号])?"
        );
        Regex::new(&p).unwrap_or_else(|e| panic!("same-year regex: {e}"))
    })
}

/// A start–end period in text: 2026年1月至2028年12月, 2026.01-2028.12,
/// 2026-2028年, January 2026 – December 2028, 2026年1月至12月 …
pub fn parse_period(text: &str) -> Option<(PartialDate, PartialDate)> {
    let t = super::half_width(text);
    // Years only ("2026-2028年"): the second year must not start a longer date.
    if let Some(c) = year_range_re().captures(&t)
        && let Some(m) = c.get(0)
    {
        let before = t[..m.start()].chars().next_back();
        let rest = &t[m.end()..];
        let next_is_digit = rest
            .trim_start()
            .starts_with(|ch: char| ch.is_ascii_digit());
        let next_is_sep_digit = rest.starts_with(['.', '/', '-'])
            && rest[1..].starts_with(|ch: char| ch.is_ascii_digit());
        let a_followed_by_month = {
            let a_end = c.name("a").map_or(0, |a| a.end());
            t[a_end..].trim_start().starts_with(['.', '/']) // "2026.01-…" is not a year range
        };
        if !before.is_some_and(|ch| ch.is_ascii_digit())
            && !next_is_digit
            && !next_is_sep_digit
            && !a_followed_by_month
            && let (Some(a), Some(b)) = (c.name("a"), c.name("b"))
            && let (Some(a), Some(b)) = (num(a.as_str()), num(b.as_str()))
            && let (Some(a), Some(b)) = (
                PartialDate::new(a as i32, None, None),
                PartialDate::new(b as i32, None, None),
            )
        {
            return Some((a, b));
        }
    }
    let dates = find_dates(text);
    // Prefer two dates joined by a range word ("…至…", "… - …") over the
    // first two dates of the text (a signing date may come first).
    for w in dates.windows(2) {
        let between = &text[w[0].1.end..w[1].1.start];
        if range_join_re().is_match(between.trim()) {
            return Some((w[0].0, w[1].0));
        }
    }
    if dates.len() >= 2 {
        return Some((dates[0].0, dates[1].0));
    }
    // Same year, end month without its year: 2026年1月至12月.
    if let Some(c) = same_year_re().captures(&t) {
        let y = i32::try_from(num(c.name("y")?.as_str())?).ok()?;
        let d = |n: &str| c.name(n).and_then(|x| num(x.as_str()));
        let a = PartialDate::new(y, d("m"), d("d"))?;
        let b = PartialDate::new(y, d("m2"), d("d2"))?;
        return Some((a, b));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_iso())
    }

    fn period(s: &str) -> Option<(String, String)> {
        parse_period(s).map(|(a, b)| (a.to_iso(), b.to_iso()))
    }

    fn p(a: &str, b: &str) -> Option<(String, String)> {
        Some((a.to_string(), b.to_string()))
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(iso("2025年1月1日").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("2025年01月").as_deref(), Some("2025-01"));
        assert_eq!(iso("2025 年 1 月 1 日").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("2025年1月1号").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("二〇二五年一月一日").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("二零二五年十二月").as_deref(), Some("2025-12"));
        assert_eq!(
            iso("二〇二五年十二月三十一日").as_deref(),
            Some("2025-12-31")
        );
        assert_eq!(iso("2025年").as_deref(), Some("2025"));
        assert_eq!(iso("２０２５年３月").as_deref(), Some("2025-03"));
        assert_eq!(iso("2026年1月起").as_deref(), Some("2026-01"));
        assert_eq!(iso("2028年12月31日止").as_deref(), Some("2028-12-31"));
        assert_eq!(iso("2024年5月1日前").as_deref(), Some("2024-05-01"));
        assert_eq!(iso("自2026年1月").as_deref(), Some("2026-01"));
        assert_eq!(iso("1967年1月1日以后").as_deref(), Some("1967-01-01"));
        assert_eq!(iso("2025年1月1日至").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("2025年9月30日24时").as_deref(), Some("2025-09-30"));
        assert_eq!(iso("2025年9月30日 17:00").as_deref(), Some("2025-09-30"));
        assert_eq!(iso("2025-09-30T00:00:00").as_deref(), Some("2025-09-30"));
        assert_eq!(iso("2025-09-30 00:00:00").as_deref(), Some("2025-09-30"));
        assert_eq!(iso("2027年12月底").as_deref(), Some("2027-12"));
        assert_eq!(iso("2025年 1月").as_deref(), Some("2025-01"));
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(iso("2025.1.1").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("2025.01").as_deref(), Some("2025-01"));
        assert_eq!(iso("2025/01/01").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("2025-1").as_deref(), Some("2025-01"));
        assert_eq!(iso("2025-01-01").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("20250101").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("2025").as_deref(), Some("2025"));
        assert_eq!(iso(" 2025.12.31 ").as_deref(), Some("2025-12-31"));
    }

    #[test]
    fn english_dates() {
        assert_eq!(iso("January 1, 2025").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("1 January 2025").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("Jan. 2025").as_deref(), Some("2025-01"));
        assert_eq!(iso("Jan 1st 2025").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("1st of January 2025").as_deref(), Some("2025-01-01"));
        assert_eq!(iso("Sept. 2025").as_deref(), Some("2025-09"));
        assert_eq!(iso("december 31, 2027").as_deref(), Some("2027-12-31"));
        assert_eq!(iso("31 Dec 2027").as_deref(), Some("2027-12-31"));
    }

    #[test]
    fn day_first_dates() {
        assert_eq!(iso("31.12.2027").as_deref(), Some("2027-12-31"));
        assert_eq!(iso("1.1.2026").as_deref(), Some("2026-01-01"));
        assert_eq!(iso("31/12/2027").as_deref(), Some("2027-12-31"));
        assert_eq!(iso("06/30/2027").as_deref(), Some("2027-06-30"));
        assert_eq!(iso("05/06/2027").as_deref(), Some("2027-06-05"));
        assert_eq!(iso("31.13.2027"), None);
        assert_eq!(iso("31.12/2027"), None);
        assert_eq!(
            period("01.01.2026 – 31.12.2028"),
            p("2026-01-01", "2028-12-31")
        );
    }

    #[test]
    fn invalid_dates() {
        assert_eq!(iso("2025年13月"), None);
        assert_eq!(iso("2025年2月30日"), None);
        assert_eq!(iso("2025-02-29"), None);
        assert_eq!(iso("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(iso("2025.13"), None);
        assert_eq!(iso("20251301"), None);
        assert_eq!(iso("2025年0月"), None);
        assert_eq!(iso("Foo 2025"), None);
        assert_eq!(iso("hello"), None);
        assert_eq!(iso(""), None);
        assert_eq!(iso("2025年1月1日和2026年"), None);
        assert_eq!(iso("2025.1-3"), None);
    }

    #[test]
    fn partial_date_bounds() {
        let d = parse_date("2024年2月").unwrap();
        assert_eq!(d.first_day(), (2024, 2, 1));
        assert_eq!(d.last_day(), (2024, 2, 29));
        let d = parse_date("2100年2月").unwrap();
        assert_eq!(d.last_day(), (2100, 2, 28));
        let d = parse_date("2000年2月").unwrap();
        assert_eq!(d.last_day(), (2000, 2, 29));
        let d = parse_date("2027").unwrap();
        assert_eq!(
            (d.first_day(), d.last_day()),
            ((2027, 1, 1), (2027, 12, 31))
        );
        let d = parse_date("2027-04").unwrap();
        assert_eq!(d.last_day(), (2027, 4, 30));
        let d = parse_date("2027-04-15").unwrap();
        assert_eq!(d.last_day(), (2027, 4, 15));
        assert!(parse_date("2026.1").unwrap() < parse_date("2026.1.5").unwrap());
    }

    #[test]
    fn find_in_text() {
        let t = "项目于2026年1月启动，2028年12月31日结束；协议签署日期2025.10.8。";
        let found: Vec<String> = find_dates(t).iter().map(|(d, _)| d.to_iso()).collect();
        assert_eq!(found, ["2026-01", "2028-12-31", "2025-10-08"]);
        let (_, r) = &find_dates(t)[0];
        assert_eq!(&t[r.clone()], "2026年1月");
        let e = "valid from March 1, 2026 until 28 February 2029.";
        let found: Vec<String> = find_dates(e).iter().map(|(d, _)| d.to_iso()).collect();
        assert_eq!(found, ["2026-03-01", "2029-02-28"]);
        assert!(find_dates("电话13812345678，金额2025.5万元").is_empty());
        assert!(find_dates("no dates here, may be later").is_empty());
    }

    #[test]
    fn periods() {
        assert_eq!(period("2026年1月至2028年12月"), p("2026-01", "2028-12"));
        assert_eq!(period("2026.01-2028.12"), p("2026-01", "2028-12"));
        assert_eq!(period("2026/1/1—2028/12/31"), p("2026-01-01", "2028-12-31"));
        assert_eq!(
            period("2026年1月1日-2028年12月31日"),
            p("2026-01-01", "2028-12-31")
        );
        assert_eq!(
            period("自2026年1月起至2028年12月止"),
            p("2026-01", "2028-12")
        );
        assert_eq!(period("2026-2028年"), p("2026", "2028"));
        assert_eq!(period("2026—2028"), p("2026", "2028"));
        assert_eq!(
            period("January 2026 – December 2028"),
            p("2026-01", "2028-12")
        );
        assert_eq!(period("2026年1月～2027年12月"), p("2026-01", "2027-12"));
        assert_eq!(period("2026.1.1~2027.12.31"), p("2026-01-01", "2027-12-31"));
        assert_eq!(
            period("2026-01-01至2027-12-31"),
            p("2026-01-01", "2027-12-31")
        );
        assert_eq!(period("2026年1月至12月"), p("2026-01", "2026-12"));
        assert_eq!(period("2026年-2028年"), p("2026", "2028"));
        assert_eq!(period("2026年"), None);
        assert_eq!(
            period("申报日期：2025年10月8日；执行期：2026年1月—2027年12月"),
            p("2026-01", "2027-12")
        );
        assert_eq!(period("From Jan 2026 to Dec 2027"), p("2026-01", "2027-12"));
        assert_eq!(period("3年（2026-2028）"), p("2026", "2028"));
        assert_eq!(
            period("2026 年 1 月— 2028 年 12 月"),
            p("2026-01", "2028-12")
        );
        assert_eq!(period("2026/01-2028/12"), p("2026-01", "2028-12"));
        assert_eq!(period("三年"), None);
    }
}
