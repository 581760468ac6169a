//! Styles (heading and list styles) and numbering definitions: list
//! markers rendered as Word shows them.

use super::*;

// ---------------------------------------------------------------- styles and numbering

/// styleId → a readable style name: `Heading1` (also for custom styles
/// with an outline level, as Chinese templates define them), `Title`, or
/// the style's own name.
pub(super) fn parse_styles(xml: &str) -> Styles {
    let mut styles = Styles::default();
    let mut r = Reader::from_str(xml);
    let mut id: Option<String> = None;
    let mut name: Option<String> = None;
    let mut outline: Option<usize> = None;
    let mut num_id: Option<String> = None;
    let mut ilvl = 0u8;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "style" => {
                id = attr(&e, "styleId");
                name = None;
                outline = None;
                num_id = None;
                ilvl = 0;
            }
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "name" => name = attr(&e, "val"),
                "outlineLvl" => outline = attr(&e, "val").and_then(|v| v.parse().ok()),
                "numId" => num_id = attr(&e, "val"),
                "ilvl" => ilvl = num_attr(&e, "val").min(8) as u8,
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                let Some(id) = id.take() else { continue };
                if let Some(n) = num_id.take() {
                    styles.numbering.insert(id.clone(), (n, ilvl));
                }
                let n = name.take().unwrap_or_else(|| id.clone());
                let lower = n.to_ascii_lowercase();
                let pretty = if let Some(level) = lower.strip_prefix("heading ") {
                    format!("Heading{level}")
                } else if lower == "title" {
                    "Title".into()
                } else if lower == "subtitle" {
                    "Subtitle".into()
                } else if let Some(level) = outline.filter(|&l| l < 9) {
                    format!("Heading{}", level + 1)
                } else {
                    n
                };
                styles.names.insert(id, pretty);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// What styles.xml says about paragraph styles.
#[derive(Default)]
pub(super) struct Styles {
    /// styleId → readable name
    pub(super) names: HashMap<String, String>,
    /// styleId → list level the style itself carries (numbered headings)
    pub(super) numbering: HashMap<String, NumRef>,
}

#[derive(Default)]
pub(super) struct Level {
    pub(super) fmt: String,
    pub(super) text: String,
    pub(super) start: i64,
    /// What follows the marker: `tab` (default), `space` or `nothing`.
    pub(super) suff: String,
}

/// What numbering.xml says about list levels.
#[derive(Default)]
pub(super) struct Numbering {
    /// numId → abstractNumId
    pub(super) nums: HashMap<String, String>,
    /// (abstractNumId, ilvl) → level
    pub(super) levels: HashMap<(String, u8), Level>,
    /// (numId, ilvl) → w:startOverride: such a num is a list of its own
    /// that restarts, where plain nums of one abstract list continue.
    pub(super) overrides: HashMap<(String, u8), i64>,
}

impl Numbering {
    pub(super) fn parse(xml: &str) -> Self {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        let mut abs: Option<String> = None;
        let mut num: Option<String> = None;
        let mut lvl: Option<u8> = None;
        let mut override_lvl: Option<u8> = None;
        loop {
            let (e, empty) = match r.read_event() {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match e.local_name().as_ref() {
                        "abstractNum" => abs = None,
                        "num" => num = None,
                        "lvl" => lvl = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            match e.local_name().as_ref() {
                "abstractNum" if !empty => abs = attr(&e, "abstractNumId"),
                "num" if !empty => num = attr(&e, "numId"),
                "lvl" if !empty && num.is_none() => {
                    lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                }
                "abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, attr(&e, "val")) {
                        n.nums.insert(id.clone(), a);
                    }
                }
                "lvlOverride" => override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some(id), Some(l)) = (&num, override_lvl) {
                        let start = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        n.overrides.insert((id.clone(), l), start);
                    }
                }
                name @ ("numFmt" | "lvlText" | "start" | "suff") => {
                    let (Some(a), Some(l)) = (&abs, lvl) else {
                        continue;
                    };
                    let Some(v) = attr(&e, "val") else { continue };
                    let level = n.levels.entry((a.clone(), l)).or_default();
                    match name {
                        // mc:Choice may carry a "custom" format with a
                        // plain fallback after it: keep the plain one.
                        "numFmt" if level.fmt.is_empty() || level.fmt == "custom" => level.fmt = v,
                        "lvlText" => level.text = v,
                        "start" => level.start = v.parse().unwrap_or(1),
                        "suff" => level.suff = v,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        n
    }
}

pub(super) fn format_counter(n: i64, fmt: &str) -> String {
    const CN: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const CN_LEGAL: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
    const GAN: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
    let chinese = |n: i64, digits: &[&str; 10]| -> String {
        if !(0..10_000).contains(&n) {
            return n.to_string();
        }
        let (q, b, s, g) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
        let mut out = String::new();
        let mut zero = false;
        for (d, unit) in [(q, "千"), (b, "百"), (s, "十")] {
            if d > 0 {
                if zero {
                    out.push_str(digits[0]);
                    zero = false;
                }
                // 十一, not 一十一, when the tens lead.
                if !(unit == "十" && d == 1 && out.is_empty()) {
                    out.push_str(digits[d as usize]);
                }
                out.push_str(unit);
            } else if !out.is_empty() {
                zero = true;
            }
        }
        if g > 0 {
            if zero {
                out.push_str(digits[0]);
            }
            out.push_str(digits[g as usize]);
        }
        if out.is_empty() {
            out.push_str(digits[0]);
        }
        out
    };
    let letters = |n: i64, base: u8| -> String {
        // Word stops repeating at 780 (ZZ…Z, 30 letters); past that a
        // hostile start value would repeat a letter 10^17 times.
        if !(1..=780).contains(&n) {
            return n.to_string();
        }
        // Word repeats the letter: AA, BB, ...
        let ch = (base + ((n - 1) % 26) as u8) as char;
        std::iter::repeat_n(ch, ((n - 1) / 26 + 1) as usize).collect()
    };
    let roman = |mut n: i64| -> String {
        if !(1..4000).contains(&n) {
            return n.to_string();
        }
        let table = [
            (1000, "M"),
            (900, "CM"),
            (500, "D"),
            (400, "CD"),
            (100, "C"),
            (90, "XC"),
            (50, "L"),
            (40, "XL"),
            (10, "X"),
            (9, "IX"),
            (5, "V"),
            (4, "IV"),
            (1, "I"),
        ];
        let mut s = String::new();
        for (v, r) in table {
            while n >= v {
                s.push_str(r);
                n -= v;
            }
        }
        s
    };
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese(n, &CN),
        "chineseLegalSimplified" => chinese(n, &CN_LEGAL),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(0) => "〇",
                Some(d) => CN[d as usize],
                None => "-",
            })
            .collect(),
        "ideographTraditional" if (1..=10).contains(&n) => GAN[(n - 1) as usize].into(),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_ascii_lowercase(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + (n - 1) as u32)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => char::from_u32(0x2474 + (n - 1) as u32)
            .map(String::from)
            .unwrap_or_default(),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
                None => c,
            })
            .collect(),
        _ => n.to_string(),
    }
}
