//! Garbled-text detection: a page whose text layer is mostly replacement,
//! private-use or control characters, Latin-1 mojibake of CJK bytes, or
//! codes no font could map, is sent to OCR instead of being emitted.

/// Why a page's text is not to be trusted, if it is not: the rule that
/// fired, with the counts it fired on (shown in the page's warning).
pub fn verdict(text: &str, unmapped: usize) -> Option<String> {
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut latin1 = 0usize;
    let mut letters = 0usize;
    let mut cjk_rare = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        total += 1;
        let u = c as u32;
        if c == '\u{FFFD}' || (0xE000..=0xF8FF).contains(&u) || c.is_control() {
            bad += 1;
        }
        // Only Latin-range letters matter for mojibake (and the general
        // alphabetic lookup is slow for CJK).
        if u < 0x2000 && c.is_alphabetic() {
            letters += 1;
            if (0xC0..=0xFF).contains(&u) {
                latin1 += 1;
            }
        }
        // Ext-B and beyond are rare in real text; a page full of them is a
        // wrong mapping.
        if (0x20000..=0x3FFFF).contains(&u) {
            cjk_rare += 1;
        }
    }
    // Hanzi outside the common sets of GB2312, Big5 level 1 and JIS level 1
    // are rare in real text; a wrong ToUnicode produces mostly such.
    let mut han = 0usize;
    let mut rare = 0usize;
    // Kana and hangul count as letters too: in Japanese the one kanji of
    // a repeated line (風 of あのイーハトーヴォのすきとおった風) is not "the
    // text repeated".
    let mut letters_cjk = 0usize;
    let mut freq: std::collections::HashMap<char, usize> = Default::default();
    for c in text
        .chars()
        .filter(|c| is_han(*c) || is_kana_hangul(*c))
        .take(3000)
    {
        letters_cjk += 1;
        han += usize::from(is_han(c));
        *freq.entry(c).or_default() += 1;
    }
    // Each distinct character is looked up once.
    for (c, n) in &freq {
        if is_han(*c) && !common_han(*c) {
            rare += n;
        }
    }
    let all = total + unmapped;
    if all == 0 {
        return None;
    }
    if (bad + unmapped) * 10 > all * 3 {
        return Some(format!(
            "unmapped or control characters: {unmapped} codes no font maps and {bad} replacement, private-use or control characters of {all}"
        ));
    }
    if letters >= 8 && latin1 * 10 > letters * 4 {
        return Some(format!(
            "Latin-1 mojibake: {latin1} of {letters} letters in À–ÿ"
        ));
    }
    if total >= 8 && cjk_rare * 10 > total * 3 {
        return Some(format!(
            "implausible CJK characters: {cjk_rare} of {total} beyond the BMP"
        ));
    }
    if han >= 8 && rare * 4 >= han {
        return Some(format!(
            "implausible CJK characters: {rare} of {han} hanzi outside GB2312, Big5 and JIS level 1"
        ));
    }
    if han >= 8
        && let Some((c, n)) = freq.iter().find(|(_, n)| **n * 2 > letters_cjk)
    {
        return Some(format!(
            "one character repeated through the text: {c} is {n} of {letters_cjk} CJK letters"
        ));
    }
    None
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

fn is_kana_hangul(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x30FF | 0xAC00..=0xD7AF)
}

fn common_han(c: char) -> bool {
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    let (gb, _, e1) = encoding_rs::GBK.encode(s);
    if !e1 && gb.len() == 2 && (0xB0..=0xF7).contains(&gb[0]) && gb[1] >= 0xA1 {
        return true;
    }
    let (b5, _, e2) = encoding_rs::BIG5.encode(s);
    if !e2 && b5.len() == 2 && (0xA4..=0xC6).contains(&b5[0]) {
        return true;
    }
    let (sj, _, e3) = encoding_rs::SHIFT_JIS.encode(s);
    !e3 && sj.len() == 2 && (0x88..=0x98).contains(&sj[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(verdict("正常的中文文本，没有问题。", 0), None);
        assert!(
            verdict("Ä¿Â¼¹ØÓÚºì¾ü×÷Õ½µÄÔ", 0).is_some_and(|v| v.starts_with("Latin-1 mojibake"))
        );
        assert_eq!(
            verdict("ab", 10).as_deref(),
            Some(
                "unmapped or control characters: 10 codes no font maps and 0 replacement, private-use or control characters of 12"
            )
        );
        assert!(verdict("\u{4}\u{5}\u{6}", 0).is_some());
        assert!(verdict("ab", 10).is_some());
        assert_eq!(verdict("Hello world, ça va très bien", 0), None);
        assert!(verdict("𨉷趯軺糫 蒭鍍伴俘緌鍍伴俘 勢渡袱糫", 0).is_some());
        assert!(verdict("轉轉︰針針針針針針針針針針針針", 0).is_some());
        assert_eq!(
            verdict("坚持社会主义核心价值体系 增强文化自觉和文化自信", 0),
            None
        );
        assert_eq!(verdict("轉寄：針對港鐵幕門安全性的投訴", 0), None);
        assert!(verdict("嘆囈貭鍔嘆囈貭鍔", 0).is_some());
        // Japanese lines ending in the same kanji are no repeated glyph.
        assert_eq!(
            verdict(&"あのイーハトーヴォのすきとおった風\n".repeat(9), 0),
            None
        );
    }
}
