//! Garbled-text detection: a page whose text layer is mostly replacement,
//! private-use or control characters, Latin-1 mojibake of CJK bytes, or
//! codes no font could map, is sent to OCR instead of being emitted.

/// Why a page's text is not to be trusted, if it is not.
pub fn verdict(text: &str, unmapped: usize) -> Option<&'static str> {
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
    let mut freq: std::collections::HashMap<char, usize> = Default::default();
    for c in text.chars().filter(|c| is_han(*c)).take(3000) {
        han += 1;
        *freq.entry(c).or_default() += 1;
    }
    // Each distinct character is looked up once.
    for (c, n) in &freq {
        if !common_han(*c) {
            rare += n;
        }
    }
    let all = total + unmapped;
    if all == 0 {
        return None;
    }
    if (bad + unmapped) * 10 > all * 3 {
        return Some("unmapped or control characters");
    }
    if letters >= 8 && latin1 * 10 > letters * 4 {
        return Some("Latin-1 mojibake");
    }
    if total >= 8 && cjk_rare * 10 > total * 3 {
        return Some("implausible CJK characters");
    }
    if han >= 8 && rare * 4 >= han {
        return Some("implausible CJK characters");
    }
    if han >= 8 && freq.values().any(|n| n * 2 > han) {
        return Some("one character repeated through the text");
    }
    None
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
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
        assert_eq!(verdict("Ä¿Â¼¹ØÓÚºì¾ü×÷Õ½µÄÔ", 0), Some("Latin-1 mojibake"));
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
    }
}
