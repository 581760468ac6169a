//! Bilingual layout: splits a proposal's agreement documents into language
//! units (a paragraph, a table cell row side) and recognizes how the two
//! languages are laid out — a zh|en two-column table, alternating zh/en
//! paragraphs, a Chinese part followed by an English part, or separate zh
//! and en files — then aligns the clauses of the two languages.

use serde::Serialize;

use crate::model::{Block, Document, Evidence, Region};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

/// How the two languages of an agreement are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// A table whose rows hold the Chinese clause in one column and the
    /// English one in another.
    TwoColumnTable,
    /// zh paragraph, en paragraph, zh paragraph, …
    Alternating,
    /// The whole Chinese text, then the whole English text (or the reverse).
    Sequential,
    /// One file in Chinese, another in English.
    SeparateFiles,
    ZhOnly,
    EnOnly,
}

impl Structure {
    pub fn is_bilingual(self) -> bool {
        !matches!(self, Structure::ZhOnly | Structure::EnOnly)
    }

    /// The Chinese label shown to reviewers.
    pub fn label_zh(self) -> &'static str {
        match self {
            Structure::TwoColumnTable => "中英文双栏表格",
            Structure::Alternating => "中英文逐段交替",
            Structure::Sequential => "中文在前、英文在后",
            Structure::SeparateFiles => "中英文分别成文件",
            Structure::ZhOnly => "仅中文",
            Structure::EnOnly => "仅英文",
        }
    }
}

/// One piece of text in one language, with where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub lang: Lang,
    pub text: String,
    pub evidence: Evidence,
}

/// The agreement's text split by language, in reading order, with the
/// clauses of the two languages aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub structure: Structure,
    pub zh: Vec<Unit>,
    pub en: Vec<Unit>,
    /// Aligned clause pairs (indices into `zh`, `en`).
    pub pairs: Vec<(usize, usize)>,
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// The language a piece of text is written in, `None` for text with no
/// words (numbers, signature lines). A line that opens in Chinese is
/// Chinese even when it quotes an English name ("乙方：Seoul National
/// University"), since the English version would open in English.
pub fn lang_of(text: &str) -> Option<Lang> {
    let han = text.chars().filter(|&c| is_han(c)).count();
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if han == 0 {
        return (latin >= 3).then_some(Lang::En);
    }
    if latin < 3 {
        return Some(Lang::Zh);
    }
    let first = text.chars().find(|c| is_han(*c) || c.is_ascii_alphabetic());
    if first.is_some_and(is_han) {
        return Some(Lang::Zh);
    }
    // An English label line quoting a Chinese name ("Party B: 首尔大学")
    // belongs to the English text.
    let lower = text.trim_start().to_lowercase();
    if [
        "party",
        "article",
        "clause",
        "signature",
        "signed",
        "date",
        "name",
        "address",
    ]
    .iter()
    .any(|w| lower.starts_with(w))
    {
        return Some(Lang::En);
    }
    // Opens in Latin letters but has Chinese: decide by share (a Chinese
    // character carries about as much as a four-letter word).
    if han as f64 >= latin as f64 / 4.0 {
        Some(Lang::Zh)
    } else {
        Some(Lang::En)
    }
}

/// Splits `docs` (the proposal's agreement files) into units and finds the
/// layout. `None` when the documents hold no words at all.
pub fn analyze(docs: &[&Document]) -> Option<Layout> {
    // A zh|en two-column table anywhere wins: its rows are aligned already.
    for d in docs {
        if let Some(l) = two_column(d) {
            return Some(l);
        }
    }
    let per_doc: Vec<Vec<Unit>> = docs.iter().map(|d| paragraph_units(d)).collect();
    let langs_of = |units: &[Unit]| {
        let zh = units.iter().filter(|u| u.lang == Lang::Zh).count();
        let en = units.len() - zh;
        (zh, en)
    };
    // Separate files: one mostly Chinese, another mostly English.
    if per_doc.len() >= 2 {
        let zh_doc = per_doc.iter().position(|u| {
            let (z, e) = langs_of(u);
            z >= 2 && z >= 4 * e
        });
        let en_doc = per_doc.iter().position(|u| {
            let (z, e) = langs_of(u);
            e >= 2 && e >= 4 * z
        });
        if let (Some(zi), Some(ei)) = (zh_doc, en_doc) {
            let zh: Vec<Unit> = per_doc[zi]
                .iter()
                .filter(|u| u.lang == Lang::Zh)
                .cloned()
                .collect();
            let en: Vec<Unit> = per_doc[ei]
                .iter()
                .filter(|u| u.lang == Lang::En)
                .cloned()
                .collect();
            let pairs = align(&zh, &en);
            return Some(Layout {
                structure: Structure::SeparateFiles,
                zh,
                en,
                pairs,
            });
        }
    }
    let units: Vec<Unit> = per_doc.into_iter().flatten().collect();
    if units.is_empty() {
        return None;
    }
    let (nz, ne) = langs_of(&units);
    // A handful of English lines in a Chinese agreement (names, addresses)
    // do not make it bilingual, and the reverse.
    let minor = nz.min(ne);
    let major = nz.max(ne);
    if minor < 2 || (minor as f64) < 0.25 * major as f64 {
        let structure = if nz >= ne {
            Structure::ZhOnly
        } else {
            Structure::EnOnly
        };
        let (zh, en): (Vec<Unit>, Vec<Unit>) = units.into_iter().partition(|u| u.lang == Lang::Zh);
        return Some(Layout {
            structure,
            zh,
            en,
            pairs: Vec::new(),
        });
    }
    let switches = units.windows(2).filter(|w| w[0].lang != w[1].lang).count();
    let (zh, en): (Vec<Unit>, Vec<Unit>) = units.iter().cloned().partition(|u| u.lang == Lang::Zh);
    if switches >= minor.max(4) {
        // Alternating: each Chinese unit pairs with the English unit that
        // follows it (or precedes it, when the English comes first).
        let mut pairs = Vec::new();
        let (mut zi, mut ei) = (0usize, 0usize);
        let mut pending_zh: Option<usize> = None;
        let mut pending_en: Option<usize> = None;
        for u in &units {
            match u.lang {
                Lang::Zh => {
                    if let Some(e) = pending_en.take() {
                        pairs.push((zi, e));
                    } else {
                        pending_zh = Some(zi);
                    }
                    zi += 1;
                }
                Lang::En => {
                    if let Some(z) = pending_zh.take() {
                        pairs.push((z, ei));
                    } else {
                        pending_en = Some(ei);
                    }
                    ei += 1;
                }
            }
        }
        return Some(Layout {
            structure: Structure::Alternating,
            zh,
            en,
            pairs,
        });
    }
    let pairs = align(&zh, &en);
    Some(Layout {
        structure: Structure::Sequential,
        zh,
        en,
        pairs,
    })
}

fn paragraph_units(d: &Document) -> Vec<Unit> {
    let mut out = Vec::new();
    for b in &d.blocks {
        match b {
            Block::Paragraph(p) => {
                if !matches!(p.region, Region::Body | Region::TextBox) {
                    continue;
                }
                let text = p.text.trim();
                if let Some(lang) = lang_of(text) {
                    out.push(Unit {
                        lang,
                        text: text.to_string(),
                        evidence: Evidence {
                            source: d.source.clone(),
                            page: p.page,
                            locator: format!("paragraph {}", p.index),
                            text: snippet(text),
                        },
                    });
                }
            }
            Block::Table(t) => {
                if matches!(t.region, Region::Header | Region::Footer) {
                    continue;
                }
                // A table that is not zh|en (a signature block): its cells
                // are units of their own.
                for c in t.cells() {
                    let text = c.text.trim();
                    if let Some(lang) = lang_of(text) {
                        out.push(Unit {
                            lang,
                            text: text.to_string(),
                            evidence: Evidence {
                                source: d.source.clone(),
                                page: t.page,
                                locator: t.locate(c),
                                text: snippet(text),
                            },
                        });
                    }
                }
            }
        }
    }
    merge_wrapped(out)
}

/// Does `text` open a new clause or line item (第三条, Article 3, 3., （一）,
/// 甲方：, Party B:)?
fn opens_clause(text: &str) -> bool {
    let t = text.trim_start();
    let lower = t.to_lowercase();
    t.starts_with('第')
        || t.starts_with([
            '（', '(', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十',
        ])
        || ["甲方", "乙方", "中方", "外方", "签", "日期"]
            .iter()
            .any(|w| t.starts_with(w))
        || [
            "article",
            "clause",
            "party",
            "date",
            "signature",
            "signed",
            "name",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
        || {
            // "3." / "3、" / "3)" open an item; "2027年…" does not.
            let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
            (1..=2).contains(&digits) && t[digits..].starts_with(['.', '、', ')', '）', '．'])
        }
}

/// Paged formats (PDF, OCR) break a clause into one paragraph per line:
/// a line that does not end a sentence continues into the next line of the
/// same language unless that one opens a clause. DOCX paragraphs are real
/// paragraphs and are left alone.
fn merge_wrapped(units: Vec<Unit>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for u in units {
        if let Some(prev) = out.last_mut()
            && prev.evidence.page.is_some()
            && u.evidence.page.is_some()
            && prev.lang == u.lang
            && prev.evidence.source == u.evidence.source
            && !prev
                .text
                .ends_with(['。', '.', ';', '；', ':', '：', '!', '?', '！', '？'])
            && !opens_clause(&u.text)
        {
            let sep = if u.lang == Lang::En { " " } else { "" };
            prev.text = format!("{}{sep}{}", prev.text, u.text);
            prev.evidence.text = snippet(&prev.text);
            continue;
        }
        out.push(u);
    }
    out
}

/// A table whose rows mostly hold a Chinese cell and an English cell.
fn two_column(d: &Document) -> Option<Layout> {
    for t in d.tables() {
        if t.n_cols < 2 {
            continue;
        }
        let mut zh = Vec::new();
        let mut en = Vec::new();
        let mut pairs = Vec::new();
        let mut mixed_rows = 0;
        for row in &t.rows {
            let mut z: Vec<&crate::model::Cell> = Vec::new();
            let mut e: Vec<&crate::model::Cell> = Vec::new();
            for c in row {
                match lang_of(c.text.trim()) {
                    Some(Lang::Zh) => z.push(c),
                    Some(Lang::En) => e.push(c),
                    None => {}
                }
            }
            let unit = |cells: &[&crate::model::Cell], lang| {
                let text = cells
                    .iter()
                    .map(|c| c.text.trim())
                    .collect::<Vec<_>>()
                    .join("\n");
                Unit {
                    lang,
                    evidence: Evidence {
                        source: d.source.clone(),
                        page: t.page,
                        locator: t.locate(cells[0]),
                        text: snippet(&text),
                    },
                    text,
                }
            };
            match (z.is_empty(), e.is_empty()) {
                (false, false) => {
                    mixed_rows += 1;
                    pairs.push((zh.len(), en.len()));
                    zh.push(unit(&z, Lang::Zh));
                    en.push(unit(&e, Lang::En));
                }
                (false, true) => zh.push(unit(&z, Lang::Zh)),
                (true, false) => en.push(unit(&e, Lang::En)),
                (true, true) => {}
            }
        }
        if mixed_rows >= 3 && mixed_rows * 2 >= t.rows.len() {
            return Some(Layout {
                structure: Structure::TwoColumnTable,
                zh,
                en,
                pairs,
            });
        }
    }
    None
}

/// The first 160 characters, for evidence.
pub fn snippet(s: &str) -> String {
    let mut out: String = s.chars().take(160).collect();
    if s.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// Number tokens of a clause (digits and clause ordinals), the anchors that
/// survive translation.
fn anchors(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if let Some(n) = ordinal(s) {
        out.push(format!("#{n}"));
    }
    out
}

/// The clause number of "第三条 …" / "Article 3 …" / "3. …".
fn ordinal(s: &str) -> Option<u32> {
    let t = s.trim_start();
    if let Some(rest) = t.strip_prefix('第') {
        let end = rest.find(['条', '章', '款'])?;
        return crate::normalize::numeral::parse_chinese_number(&rest[..end]).map(|v| v as u32);
    }
    let lower = t.to_lowercase();
    let rest = lower
        .strip_prefix("article")
        .or_else(|| lower.strip_prefix("clause"))
        .unwrap_or(&lower)
        .trim_start();
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// Aligns two clause lists in order (Gale–Church style dynamic programming:
/// 1–1 matches scored by shared number anchors and length ratio, skips
/// allowed). Equal-length lists with no contrary evidence pair by index.
pub fn align(zh: &[Unit], en: &[Unit]) -> Vec<(usize, usize)> {
    let (n, m) = (zh.len(), en.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    // A huge "agreement" (a whole report filed as one) would make the
    // table quadratic: pair by order instead.
    if n.saturating_mul(m) > 1_000_000 {
        return (0..n.min(m)).map(|i| (i, i)).collect();
    }
    let za: Vec<Vec<String>> = zh.iter().map(|u| anchors(&u.text)).collect();
    let ea: Vec<Vec<String>> = en.iter().map(|u| anchors(&u.text)).collect();
    let score = |i: usize, j: usize| -> f64 {
        let (a, b) = (&za[i], &ea[j]);
        let common = a.iter().filter(|x| b.contains(x)).count();
        let union = a.len() + b.len() - common;
        let anchor = if union == 0 {
            0.5
        } else {
            common as f64 / union as f64
        };
        // English runs about 3 letters per Chinese character.
        let lz = zh[i].text.chars().count() as f64 * 3.0;
        let le = en[j].text.chars().count() as f64;
        let ratio = lz.min(le) / lz.max(le).max(1.0);
        0.6 * anchor + 0.4 * ratio
    };
    const SKIP: f64 = 0.15;
    // best[i][j]: best score aligning zh[..i] with en[..j].
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    let mut from = vec![vec![0u8; m + 1]; n + 1];
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            let mut b = f64::MIN;
            let mut f = 0u8;
            if i > 0 && j > 0 {
                let v = best[i - 1][j - 1] + score(i - 1, j - 1);
                if v > b {
                    b = v;
                    f = 1;
                }
            }
            if i > 0 && best[i - 1][j] - SKIP > b {
                b = best[i - 1][j] - SKIP;
                f = 2;
            }
            if j > 0 && best[i][j - 1] - SKIP > b {
                b = best[i][j - 1] - SKIP;
                f = 3;
            }
            best[i][j] = b;
            from[i][j] = f;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match from[i][j] {
            1 => {
                out.push((i - 1, j - 1));
                i -= 1;
                j -= 1;
            }
            2 => i -= 1,
            _ => j -= 1,
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Paragraph, Table};

    fn para(i: usize, t: &str) -> Block {
        Block::Paragraph(Paragraph {
            text: t.into(),
            index: i,
            ..Default::default()
        })
    }

    fn doc(name: &str, blocks: Vec<Block>) -> Document {
        Document {
            source: name.into(),
            blocks,
            ..Default::default()
        }
    }

    #[test]
    fn language_of_lines() {
        assert_eq!(lang_of("乙方：Seoul National University"), Some(Lang::Zh));
        assert_eq!(
            lang_of("Party B: Seoul National University"),
            Some(Lang::En)
        );
        assert_eq!(lang_of("Party B: 首尔大学"), Some(Lang::En));
        assert_eq!(
            lang_of("Fraunhofer协会负责提供设备和技术支持"),
            Some(Lang::Zh)
        );
        assert_eq!(lang_of("2025"), None);
        assert_eq!(lang_of("第一条 合作内容"), Some(Lang::Zh));
    }

    #[test]
    fn alternating_and_sequential() {
        let zh = [
            "第一条 合作内容",
            "第二条 有效期为三年",
            "第三条 经费40万元",
        ];
        let en = [
            "Article 1 Scope",
            "Article 2 Valid for three years",
            "Article 3 Funding RMB 400,000",
        ];
        let mut alt = Vec::new();
        for k in 0..3 {
            alt.push(para(2 * k + 1, zh[k]));
            alt.push(para(2 * k + 2, en[k]));
        }
        let l = analyze(&[&doc("a.docx", alt)]).unwrap();
        assert_eq!(l.structure, Structure::Alternating);
        assert_eq!(l.pairs, vec![(0, 0), (1, 1), (2, 2)]);

        let mut seq: Vec<Block> = zh.iter().enumerate().map(|(i, t)| para(i, t)).collect();
        seq.extend(en.iter().enumerate().map(|(i, t)| para(i + 3, t)));
        let l = analyze(&[&doc("a.docx", seq)]).unwrap();
        assert_eq!(l.structure, Structure::Sequential);
        assert_eq!(l.pairs, vec![(0, 0), (1, 1), (2, 2)]);
    }

    #[test]
    fn separate_files_and_zh_only() {
        let a = doc(
            "zh.docx",
            vec![para(1, "合作协议"), para(2, "第一条 合作内容")],
        );
        let b = doc(
            "en.docx",
            vec![para(1, "Cooperation Agreement"), para(2, "Article 1 Scope")],
        );
        let l = analyze(&[&a, &b]).unwrap();
        assert_eq!(l.structure, Structure::SeparateFiles);
        let l = analyze(&[&a]).unwrap();
        assert_eq!(l.structure, Structure::ZhOnly);
        assert!(!l.structure.is_bilingual());
    }

    #[test]
    fn wrapped_pdf_lines_rejoin() {
        let line = |i: usize, t: &str| {
            Block::Paragraph(Paragraph {
                text: t.into(),
                index: i,
                page: Some(1),
                ..Default::default()
            })
        };
        let d = doc(
            "a.pdf",
            vec![
                line(1, "第五条 本协议有效期自2025年1月1日起至"),
                line(2, "2027年12月31日止。"),
                line(3, "第六条 其他"),
                line(4, "Article 5 This Agreement is valid from January 1, 2025"),
                line(5, "to December 31, 2027."),
                line(6, "Article 6 Other matters"),
            ],
        );
        let l = analyze(&[&d]).unwrap();
        assert_eq!(l.zh.len(), 2);
        assert_eq!(
            l.zh[0].text,
            "第五条 本协议有效期自2025年1月1日起至2027年12月31日止。"
        );
        assert_eq!(
            l.en[0].text,
            "Article 5 This Agreement is valid from January 1, 2025 to December 31, 2027."
        );
        assert_eq!(l.structure, Structure::Sequential);
    }

    #[test]
    fn two_column_table() {
        let cell = |r, c, t: &str| Cell {
            row: r,
            col: c,
            row_span: 1,
            col_span: 1,
            text: t.into(),
            ..Default::default()
        };
        let rows = vec![
            vec![cell(0, 0, "合作协议"), cell(0, 1, "Cooperation Agreement")],
            vec![
                cell(1, 0, "甲方：山西大学"),
                cell(1, 1, "Party A: Shanxi University"),
            ],
            vec![
                cell(2, 0, "有效期三年"),
                cell(2, 1, "Valid for three years"),
            ],
        ];
        let t = Table {
            index: 1,
            n_rows: 3,
            n_cols: 2,
            rows,
            ..Default::default()
        };
        let l = analyze(&[&doc("a.docx", vec![Block::Table(t)])]).unwrap();
        assert_eq!(l.structure, Structure::TwoColumnTable);
        assert_eq!(l.pairs.len(), 3);
        assert_eq!(l.en[1].evidence.locator, "table 1, row 2, col 2");
    }

    #[test]
    fn alignment_skips_an_extra_clause() {
        let u = |lang, t: &str| Unit {
            lang,
            text: t.into(),
            evidence: Evidence::default(),
        };
        let zh = vec![
            u(Lang::Zh, "第一条 合作内容为联合研发"),
            u(
                Lang::Zh,
                "第二条 本协议有效期自2025年1月1日至2027年12月31日",
            ),
        ];
        let en = vec![
            u(
                Lang::En,
                "Article 1 The parties will jointly carry out research",
            ),
            u(Lang::En, "Note: this translation is for reference only"),
            u(
                Lang::En,
                "Article 2 This Agreement is valid from 1 January 2025 to 31 December 2027",
            ),
        ];
        assert_eq!(align(&zh, &en), vec![(0, 0), (1, 2)]);
    }
}
