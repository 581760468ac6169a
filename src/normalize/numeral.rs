//! Numbers as written in Chinese documents: Chinese and capital (大写)
//! numerals, digit strings (二〇二五), mixed forms (1.5万), and Arabic
//! numbers with thousands separators or full-width digits.

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' | 'Ｏ' => 0,
        '一' | '壹' | '幺' | '弌' => 1,
        '二' | '贰' | '貳' | '两' | '兩' | '弍' => 2,
        '三' | '叁' | '參' | '弎' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<f64> {
    Some(match c {
        '十' | '拾' => 10.0,
        '百' | '佰' => 100.0,
        '千' | '仟' => 1000.0,
        _ => return None,
    })
}

fn big_unit(c: char) -> Option<f64> {
    Some(match c {
        '万' | '萬' => 1e4,
        '亿' | '億' => 1e8,
        _ => return None,
    })
}

/// ASCII or full-width decimal digit.
pub(crate) fn any_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Parse a Chinese numeral (一百二十三, 两千, 零点五, 壹佰伍拾, 二〇二五,
/// 一万二千, 1.5万, 三万五). Whitespace is ignored; anything else → None.
pub fn parse_chinese_number(s: &str) -> Option<f64> {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.is_empty() {
        return None;
    }
    // A pure digit string read positionally: 二〇二五 → 2025.
    if chars.len() >= 2 && chars.iter().all(|&c| cn_digit(c).is_some()) && chars[0] != '两' {
        let mut v = 0f64;
        for &c in &chars {
            v = v * 10.0 + f64::from(cn_digit(c)?);
        }
        return Some(v);
    }
    let mut total = 0f64; // completed 亿/万 groups
    let mut section = 0f64; // below 万
    let mut number: Option<f64> = None; // pending digit(s)
    let mut last_unit = 0f64; // for "三万五" = 35000
    let mut after_zero = false;
    let mut i = 0;
    let mut any = false;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = cn_digit(c) {
            if d == 0 {
                after_zero = true;
                number = None;
            } else {
                if number.is_some() {
                    return None; // "三四" inside a positional number
                }
                number = Some(f64::from(d));
            }
            any = true;
            i += 1;
        } else if any_digit(c).is_some() {
            // Arabic run with optional decimal part, used like one digit.
            let mut j = i;
            let mut txt = String::new();
            while j < chars.len() {
                if let Some(d) = any_digit(chars[j]) {
                    txt.push(char::from_digit(d, 10)?);
                } else if matches!(chars[j], '.' | '．') {
                    txt.push('.');
                } else if matches!(chars[j], ',' | '，') {
                    // thousands separator
                } else {
                    break;
                }
                j += 1;
            }
            if number.is_some() {
                return None;
            }
            number = Some(txt.parse().ok()?);
            any = true;
            i = j;
        } else if let Some(u) = small_unit(c) {
            let n = number.take().unwrap_or(1.0);
            section += n * u;
            last_unit = u;
            after_zero = false;
            any = true;
            i += 1;
        } else if let Some(u) = big_unit(c) {
            let n = number.take().unwrap_or(0.0);
            let group = section + n;
            if u >= 1e8 {
                total = (total + group) * u;
            } else {
                let g = if group == 0.0 && total == 0.0 {
                    1.0
                } else {
                    group
                };
                total += g * u;
            }
            section = 0.0;
            last_unit = u;
            after_zero = false;
            any = true;
            i += 1;
        } else if matches!(c, '点' | '點' | '.' | '．') {
            // Decimal part read digit by digit; a big unit may follow (三点五万).
            let int = total + section + number.take().unwrap_or(0.0);
            let mut frac = String::from("0.");
            let mut j = i + 1;
            while j < chars.len() {
                let d = cn_digit(chars[j]).or_else(|| any_digit(chars[j]));
                let Some(d) = d else { break };
                frac.push(char::from_digit(d, 10)?);
                j += 1;
            }
            if frac.len() == 2 {
                return None;
            }
            let mut v = int + frac.parse::<f64>().ok()?;
            while j < chars.len() {
                v *= big_unit(chars[j])?;
                j += 1;
            }
            return Some(v);
        } else {
            return None;
        }
    }
    if !any {
        return None;
    }
    let mut tail = number.unwrap_or(0.0);
    // Colloquial abbreviation: 一百五 = 150, 三万五 = 35000 (not after 零).
    if number.is_some() && last_unit >= 100.0 && !after_zero && tail < 10.0 {
        tail *= last_unit / 10.0;
    }
    Some(total + section + tail)
}

/// Parse a number: Arabic (thousands separators `,`/`，`, full-width digits,
/// optional sign) or, failing that, a Chinese numeral.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let mut txt = String::new();
    let mut ok = true;
    for (i, c) in t.chars().enumerate() {
        if let Some(d) = any_digit(c) {
            txt.push(char::from_digit(d, 10)?);
        } else if matches!(c, '.' | '．') {
            txt.push('.');
        } else if matches!(c, ',' | '，' | ' ' | '\u{00A0}' | '\'') {
            // thousands separators
        } else if i == 0 && matches!(c, '-' | '+' | '－' | '＋') {
            txt.push(if matches!(c, '-' | '－') { '-' } else { '+' });
        } else {
            ok = false;
            break;
        }
    }
    if ok && txt.chars().any(|c| c.is_ascii_digit()) {
        return txt.parse().ok();
    }
    parse_chinese_number(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(s: &str) -> Option<f64> {
        parse_chinese_number(s)
    }

    #[test]
    fn basic_chinese() {
        assert_eq!(cn("一"), Some(1.0));
        assert_eq!(cn("十"), Some(10.0));
        assert_eq!(cn("十五"), Some(15.0));
        assert_eq!(cn("二十"), Some(20.0));
        assert_eq!(cn("一百二十三"), Some(123.0));
        assert_eq!(cn("一百零五"), Some(105.0));
        assert_eq!(cn("两千"), Some(2000.0));
        assert_eq!(cn("两"), Some(2.0));
        assert_eq!(cn("一千零一"), Some(1001.0));
        assert_eq!(cn("〇"), Some(0.0));
        assert_eq!(cn("零"), Some(0.0));
    }

    #[test]
    fn big_units() {
        assert_eq!(cn("一万二千"), Some(12000.0));
        assert_eq!(cn("一万"), Some(10000.0));
        assert_eq!(cn("万"), Some(10000.0));
        assert_eq!(cn("十万"), Some(100_000.0));
        assert_eq!(cn("一百五十万"), Some(1_500_000.0));
        assert_eq!(cn("一亿二千万"), Some(120_000_000.0));
        assert_eq!(cn("三万五"), Some(35000.0));
        assert_eq!(cn("一百五"), Some(150.0));
        assert_eq!(cn("五十万零五千"), Some(505_000.0));
    }

    #[test]
    fn capital_numerals() {
        assert_eq!(cn("壹佰伍拾"), Some(150.0));
        assert_eq!(cn("贰拾"), Some(20.0));
        assert_eq!(cn("肆拾万"), Some(400_000.0));
        assert_eq!(cn("壹佰伍拾万"), Some(1_500_000.0));
        assert_eq!(cn("伍拾万零伍仟"), Some(505_000.0));
        assert_eq!(cn("叁仟贰佰"), Some(3200.0));
    }

    #[test]
    fn decimals_and_digit_strings() {
        assert_eq!(cn("零点五"), Some(0.5));
        assert_eq!(cn("三点二五"), Some(3.25));
        assert_eq!(cn("二〇二五"), Some(2025.0));
        assert_eq!(cn("二零二六"), Some(2026.0));
        assert_eq!(cn("1.5万"), Some(15000.0));
        assert_eq!(cn("3万"), Some(30000.0));
        assert_eq!(cn("1万2千"), Some(12000.0));
        assert_eq!(cn("三点五万"), Some(35000.0));
        assert_eq!(cn("0.4亿"), Some(40_000_000.0));
    }

    #[test]
    fn chinese_rejects() {
        assert_eq!(cn(""), None);
        assert_eq!(cn("abc"), None);
        assert_eq!(cn("十个"), None);
        assert_eq!(cn("点"), None);
        assert_eq!(cn("三点"), None);
    }

    #[test]
    fn arabic() {
        assert_eq!(parse_number("123"), Some(123.0));
        assert_eq!(parse_number("1,234,567"), Some(1_234_567.0));
        assert_eq!(parse_number("1，500"), Some(1500.0));
        assert_eq!(parse_number("４００"), Some(400.0));
        assert_eq!(parse_number("400000.00"), Some(400000.0));
        assert_eq!(parse_number(" 3.5 "), Some(3.5));
        assert_eq!(parse_number("-2"), Some(-2.0));
        assert_eq!(parse_number("十二"), Some(12.0));
        assert_eq!(parse_number("1.5万"), Some(15000.0));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("N/A"), None);
        assert_eq!(parse_number("-"), None);
    }
}
