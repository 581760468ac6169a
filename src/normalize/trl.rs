//! Technology readiness level (技术成熟度 / TRL): current level and, when
//! stated, the target level ("由3级提升至6级", "TRL 4–7").

use std::sync::OnceLock;

use regex::Regex;

use super::half_width;
use super::numeral::parse_chinese_number;
use crate::record::Trl;

fn level_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:TRL|level|等级)\s*[-:=：]?\s*(?P<a>\d{1,2}|[一二三四五六七八九十]{1,2})|(?P<b>\d{1,2}|[一二三四五六七八九十]{1,2})\s*级")
            .unwrap_or_else(|e| panic!("trl regex: {e}"))
    })
}

fn range_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*级?\s*(?:->|[-–—~～→/]|至|到)\s*(?i:TRL|level)?\s*[-:]?\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})")
            .unwrap_or_else(|e| panic!("trl range regex: {e}"))
    })
}

fn range_prefix_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9])(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})\s*级?\s*(?:->|[-–—~～→]|至|到)\s*$")
            .unwrap_or_else(|e| panic!("trl range prefix regex: {e}"))
    })
}

fn paren_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"[（(][^）)]*[）)]").unwrap_or_else(|e| panic!("paren regex: {e}"))
    })
}

fn scale_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)[(（]?\s*(?:TRL\s*)?(?:1|一)\s*级?\s*(?:-|~|～|—|–|至|到)\s*(?:TRL\s*)?(?:9|九)\s*级?\s*[)）]?\s*[:：]?")
            .unwrap_or_else(|e| panic!("trl scale regex: {e}"))
    })
}

fn bare_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*(?P<a>\d{1,2})\s*(?:(?:->|[-–—~～→/]|至|到)\s*(?P<b>\d{1,2}))?\s*$")
            .unwrap_or_else(|e| panic!("trl bare regex: {e}"))
    })
}

const TARGET_HINTS: &[&str] = &[
    "目标", "预期", "预计", "达到", "提升", "提高", "升至", "至", "到", "→", "->", "target",
    "expected", "goal",
];
const CURRENT_HINTS: &[&str] = &[
    "当前",
    "目前",
    "现有",
    "现处",
    "现阶段",
    "已达到",
    "已达",
    "已经达到",
    "current",
    "present",
];

/// Last byte offset where one of `hints` ends in `ctx` (0 if none).
fn last_hint(ctx: &str, hints: &[&str]) -> usize {
    let lower = ctx.to_lowercase();
    hints
        .iter()
        .filter_map(|h| lower.rfind(h).map(|i| i + h.len()))
        .max()
        .unwrap_or(0)
}

fn level_value(s: &str) -> Option<i64> {
    let v = parse_chinese_number(s)?;
    (v.fract() == 0.0 && (0.0..100.0).contains(&v)).then_some(v as i64)
}

/// (current, target) as written, not range-checked: "4级", "TRL-4", "第四级",
/// "4→7", "由3级提升至6级", "当前…3级，预期达到6级", "TRL 4–7", "12级".
pub fn parse_trl_raw(s: &str) -> Option<(i64, Option<i64>)> {
    // Form labels state the scale ("技术成熟度（1-9级）"); that is no level.
    let t = scale_re().replace_all(&half_width(s), " ").into_owned();
    // (value, is_target)
    let mut hits: Vec<(i64, bool)> = Vec::new();
    let mut prev_end = 0;
    let mut pos = 0;
    while let Some(c) = level_re().captures_at(&t, pos) {
        let Some(m) = c.get(0) else { break };
        let Some(g) = c.name("a").or_else(|| c.name("b")) else {
            break;
        };
        pos = m.end();
        // "12级" must not yield "2级": the number must not continue a digit run.
        if t[..g.start()].ends_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let Some(v) = level_value(g.as_str()) else {
            continue;
        };
        let ctx = &t[prev_end.min(m.start())..m.start()];
        let is_target = !hits.is_empty()
            && last_hint(ctx, TARGET_HINTS) > last_hint(ctx, CURRENT_HINTS)
            || hits.is_empty()
                && last_hint(ctx, TARGET_HINTS) > last_hint(ctx, CURRENT_HINTS)
                && ctx.contains("目标");
        // "3-4级": the range's first number precedes the matched level.
        if hits.is_empty()
            && let Some(r) = range_prefix_re().captures(&t[..m.start()])
            && let Some(n) = r.name("n")
            && let Some(v0) = level_value(n.as_str())
        {
            hits.push((v0, false));
            hits.push((v, true));
        } else {
            hits.push((v, is_target));
        }
        prev_end = m.end();
        // "TRL 4–7", "4级-7级": a range continues the first level.
        if let Some(r) = range_re().captures(&t[m.end()..])
            && let Some(n) = r.name("n")
            && let Some(v2) = level_value(n.as_str())
        {
            hits.push((v2, true));
            let end = m.end() + r.get(0).map_or(0, |x| x.end());
            // Skip a "级" right after the range's number.
            pos = if t[end..].trim_start().starts_with('级') {
                end + t[end..].find('级').map_or(0, |i| i + '级'.len_utf8())
            } else {
                end
            };
            prev_end = pos;
        }
    }
    if hits.is_empty() {
        // A bare value ("4", "4-7"), possibly after a label ("技术成熟度：4").
        let value = t.rsplit([':', '：']).next().unwrap_or(&t);
        // "6（系统原型）": a parenthetical note after the level.
        let value = paren_re().replace_all(value, "");
        let c = bare_re().captures(&value)?;
        let a = c.name("a")?.as_str().parse().ok()?;
        let b = c.name("b").and_then(|b| b.as_str().parse().ok());
        return Some((a, b));
    }
    let current = hits.iter().find(|h| !h.1).or_else(|| hits.first())?.0;
    let target = hits
        .iter()
        .skip_while(|h| h.0 == current && !h.1)
        .find(|h| h.1 || h.0 != current)
        .map(|h| h.0);
    Some((current, target))
}

/// Like [`parse_trl_raw`], but None unless current (and target, if any) is 1..=9.
pub fn parse_trl(s: &str) -> Option<Trl> {
    let (c, t) = parse_trl_raw(s)?;
    let ok = |v: i64| (1..=9).contains(&v);
    if !ok(c) || t.is_some_and(|t| !ok(t)) {
        return None;
    }
    Some(Trl {
        current: u8::try_from(c).ok()?,
        target: t.and_then(|t| u8::try_from(t).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Option<(i64, Option<i64>)> {
        parse_trl_raw(s)
    }

    #[test]
    fn single_levels() {
        for s in [
            "4级",
            "TRL4",
            "TRL 4",
            "TRL-4",
            "trl4",
            "四级",
            "第四级",
            "4",
            "４级",
            "TRL：4",
            "技术成熟度：4",
            "Level 4",
            "技术成熟度等级为4级",
            "处于第4级",
        ] {
            assert_eq!(raw(s), Some((4, None)), "{s}");
        }
        assert_eq!(raw("12级"), Some((12, None)));
        assert_eq!(raw("九级"), Some((9, None)));
        assert_eq!(raw("十级"), Some((10, None)));
    }

    #[test]
    fn current_and_target() {
        for s in [
            "当前4级/目标7级",
            "4→7",
            "4级→7级",
            "4 -> 7",
            "TRL 4–7",
            "TRL4-TRL7",
            "由4级提升至7级",
            "当前技术成熟度：4级，预期达到7级",
            "目前已达到4级，项目结束时达到7级",
            "目标7级，当前4级",
            "现处于TRL 4，目标TRL 7",
            "4级至7级",
        ] {
            assert_eq!(raw(s), Some((4, Some(7))), "{s}");
        }
        assert_eq!(raw("由3级提升至6级"), Some((3, Some(6))));
        assert_eq!(raw("当前技术成熟度：3级，预期达到6级"), Some((3, Some(6))));
        assert_eq!(raw("Level 4 (TRL4)"), Some((4, None)));
        assert_eq!(raw("3-4级"), Some((3, Some(4))));
        assert_eq!(raw("6（系统原型）"), Some((6, None)));
        assert_eq!(raw("技术成熟度（1-9级）：4级"), Some((4, None)));
        assert_eq!(raw("TRL（1~9）：5"), Some((5, None)));
        assert_eq!(raw("一至九级中的第三级"), Some((3, None)));
        assert_eq!(raw("TRL6/TRL8"), Some((6, Some(8))));
        assert_eq!(raw("成熟度等级 6"), Some((6, None)));
        assert_eq!(raw("三至六级"), Some((3, Some(6))));
        assert_eq!(raw("TRL4级"), Some((4, None)));
        assert_eq!(raw("技术成熟度：4级（中试阶段）"), Some((4, None)));
    }

    #[test]
    fn rejects() {
        assert_eq!(raw(""), None);
        assert_eq!(raw("较高"), None);
        assert_eq!(raw("技术成熟度（依据GB/T 22900-2009）"), None);
        assert_eq!(raw("2025"), None);
    }

    #[test]
    fn validated() {
        assert_eq!(
            parse_trl("4级"),
            Some(Trl {
                current: 4,
                target: None
            })
        );
        assert_eq!(
            parse_trl("4→7"),
            Some(Trl {
                current: 4,
                target: Some(7)
            })
        );
        assert_eq!(parse_trl("12级"), None);
        assert_eq!(parse_trl("0级"), None);
        assert_eq!(parse_trl("4→10"), None);
        assert_eq!(
            parse_trl("TRL 9"),
            Some(Trl {
                current: 9,
                target: None
            })
        );
        assert_eq!(parse_trl("无"), None);
    }
}
