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
        if c.is_alphabetic() {
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
    None
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
    }
}
