//! What tesseract's words become as text: Chinese written without spaces,
//! brackets around Chinese made full-width.

/// Characters written without spaces between them (CJK ideographs, kana,
/// full-width forms and CJK punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x31A0..=0x31BF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// How many characters of `s` are CJK ([`is_cjk`]).
pub fn cjk_count(s: &str) -> usize {
    s.chars().filter(|c| is_cjk(*c)).count()
}

/// Joins words, with a space only between two non-CJK neighbours, and
/// none before closing punctuation or after an opening bracket: tesseract
/// cuts 「2.培养」 into 「2」「.培养」.
pub fn join_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for w in words {
        let w = w.trim();
        if w.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), w.chars().next())
            && !is_cjk(a)
            && !is_cjk(b)
            && !".,;:!?)%".contains(b)
            && a != '('
        {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Parentheses around or next to Chinese text made full-width, as Chinese
/// typesetting writes them (「中国石油大学(华东)」 → 「中国石油大学（华东）」):
/// OCR reads both kinds as ASCII, and a blurred 「（」 or 「）」 also as
/// 「〈」「《」「【」「〔」 or their closing forms. A pair that mixes a
/// parenthesis with such a bracket (「《华东)」) can only be a misread pair
/// of parentheses; real 「《》」「〈〉」 pairs stay. Pairs are changed
/// together; Latin parentheses such as 「University (Japan)」 stay.
pub fn cjk_parens(s: &str) -> String {
    const OPEN: [char; 6] = ['(', '（', '〈', '《', '【', '〔'];
    const CLOSE: [char; 6] = [')', '）', '〉', '》', '】', '〕'];
    let paren = |c: char| matches!(c, '(' | '（' | ')' | '）');
    let mut chars: Vec<char> = s.chars().collect();
    let mut open: Vec<usize> = Vec::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if OPEN.contains(&c) {
            open.push(i);
            continue;
        }
        if !CLOSE.contains(&c) {
            continue;
        }
        let Some(o) = open.pop() else { continue };
        // Without a parenthesis it is a bracket pair (「《书名》」) or no pair.
        if !paren(chars[o]) && !paren(c) {
            continue;
        }
        let near = |k: Option<usize>| {
            k.and_then(|k| chars.get(k))
                .is_some_and(|&c| is_cjk(c) && !OPEN.contains(&c) && !CLOSE.contains(&c))
        };
        let cjk = near(o.checked_sub(1))
            || near(Some(i + 1))
            || chars[o + 1..i].iter().any(|&c| is_cjk(c));
        if cjk {
            chars[o] = '（';
            chars[i] = '）';
        }
    }
    chars.into_iter().collect()
}

/// Levenshtein distance between two character sequences.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}
