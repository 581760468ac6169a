//! The document outline: which paragraphs are headings or numbered items,
//! how they nest, and where each one's section ends. Built the same way for
//! every format from the model alone (paragraph text and heading styles),
//! so DOCX, text PDF and OCR'd pages get one outline.
//!
//! Nesting follows the order in which numbering kinds appear, as a reader
//! reads them: the first kind met is the top level, a new kind opens a level
//! below the current one, a kind already open closes everything under it.
//! That holds for `一、/（一）/1./（1）/①` and for forms that start at `1.`.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::{Block, Document, Heading, Region};

/// Kinds of numbering, as families a reader tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 第一部分 / 第一章 / 第一节
    Part,
    /// 一、
    Chinese,
    /// （一）
    ChineseParen,
    /// 1. 1、 1．
    Arabic,
    /// 1.1 / 1.1.1 (depth in the value)
    Dotted(u8),
    /// （1） (1) 1）
    ArabicParen,
    /// ① ⑴
    Circled,
    /// A heading style with no numbering (level from the style).
    Styled(u8),
}

fn marker_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\s*(?:(?P<part>第[一二三四五六七八九十百0-9]{1,3}[部分章节篇]+)[\s、：:．.]*|(?P<cn>[一二三四五六七八九十]{1,3})\s*[、．.]\s*|(?P<cnp>[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）])\s*[、．.]?\s*|(?P<dot>\d{1,2}(?:[.．]\d{1,2}){1,3})(?:[.．]|\s)\s*|(?P<ar>\d{1,2})\s*(?:[、．]|\.(?:[^0-9]|$))\s*|(?P<arp>(?:[（(]\s*\d{1,2}\s*|\d{1,2}\s*)[)）])\s*|(?P<circ>[①-⑳⑴-⒇]))",
        )
        .unwrap_or_else(|e| panic!("outline regex: {e}"))
    })
}

/// The numbering that opens `text`, its kind, and the byte length it takes.
fn numbering(text: &str) -> Option<(Kind, usize)> {
    let c = marker_re().captures(text)?;
    let whole = c.get(0)?;
    let kind = if c.name("part").is_some() {
        Kind::Part
    } else if c.name("cn").is_some() {
        Kind::Chinese
    } else if c.name("cnp").is_some() {
        Kind::ChineseParen
    } else if let Some(d) = c.name("dot") {
        Kind::Dotted(d.as_str().matches(['.', '．']).count().min(8) as u8)
    } else if c.name("ar").is_some() {
        Kind::Arabic
    } else if c.name("arp").is_some() {
        Kind::ArabicParen
    } else {
        Kind::Circled
    };
    // "1.5万元", "2026年": a number, not a marker.
    let mut end = whole.end();
    if kind == Kind::Arabic && text[end..].starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    // The regex eats the character after "1." (no lookahead): give it back.
    if kind == Kind::Arabic {
        let m = whole.as_str();
        if let Some(dot) = m.rfind('.')
            && m[dot + 1..]
                .chars()
                .next()
                .is_some_and(|ch| !ch.is_whitespace())
        {
            end = whole.start() + dot + 1;
        }
    }
    Some((kind, end))
}

fn style_level(style: Option<&str>) -> Option<u8> {
    let s = style?;
    if s == "Title" {
        return Some(0);
    }
    s.strip_prefix("Heading")?.parse::<u8>().ok()
}

/// The outline of `doc`: body paragraphs that open with a numbering or
/// carry a heading style, nested, each with the block where its section
/// ends.
pub fn build(doc: &Document) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    // Open nodes: (kind, index in `out`).
    let mut stack: Vec<(Kind, usize)> = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        if !matches!(p.region, Region::Body | Region::TextBox) {
            continue;
        }
        let text = p.text.trim();
        if text.is_empty() {
            continue;
        }
        let (kind, title, numbering_text) = match numbering(text) {
            Some((k, n)) => (k, text[n..].trim(), text[..n].trim()),
            None => match style_level(p.style.as_deref()) {
                Some(l) if text.chars().count() <= 60 => (Kind::Styled(l), text, ""),
                _ => continue,
            },
        };
        if title.is_empty() {
            continue;
        }
        if let Some(pos) = stack.iter().position(|(k, _)| *k == kind) {
            close(&mut out, &mut stack, pos, bi);
        } else if let Kind::Styled(l) | Kind::Dotted(l) = kind {
            // A heading style (or 1.1 depth) sits below open nodes of a
            // higher level of the same family only.
            let pos = stack.iter().position(|(k, _)| match (k, kind) {
                (Kind::Styled(m), Kind::Styled(_)) | (Kind::Dotted(m), Kind::Dotted(_)) => *m >= l,
                _ => false,
            });
            if let Some(pos) = pos {
                close(&mut out, &mut stack, pos, bi);
            }
        }
        let parent = stack.last().map(|(_, i)| *i);
        out.push(Heading {
            block: bi,
            level: (stack.len() + 1).min(u8::MAX as usize) as u8,
            numbering: numbering_text.to_string(),
            title: title.to_string(),
            parent,
            end: doc.blocks.len(),
        });
        stack.push((kind, out.len() - 1));
    }
    out
}

/// Closes the open nodes from `pos` up, their sections ending at `block`.
fn close(out: &mut [Heading], stack: &mut Vec<(Kind, usize)>, pos: usize, block: usize) {
    for (_, i) in stack.drain(pos..) {
        if let Some(h) = out.get_mut(i) {
            h.end = block;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Paragraph;

    fn doc(lines: &[&str]) -> Document {
        Document {
            blocks: lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Block::Paragraph(Paragraph {
                        text: t.to_string(),
                        index: i + 1,
                        ..Default::default()
                    })
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn recognises_every_numbering_kind() {
        for (t, k) in [
            ("一、项目基本情况", Kind::Chinese),
            ("（一）关键技术", Kind::ChineseParen),
            ("1.碳化硅功率模块", Kind::Arabic),
            ("1、碳化硅", Kind::Arabic),
            ("1. 存内计算", Kind::Arabic),
            ("（1）光伏组件", Kind::ArabicParen),
            ("1）光伏组件", Kind::ArabicParen),
            ("①退化草地", Kind::Circled),
            ("第一部分 基本信息", Kind::Part),
            ("1.2 研究内容", Kind::Dotted(1)),
        ] {
            assert_eq!(numbering(t).map(|x| x.0), Some(k), "{t}");
        }
        for t in [
            "2026年省级科技合作",
            "1.5万元",
            "2025.01-2027.12",
            "一是加强",
            "十分重要",
        ] {
            assert_eq!(numbering(t), None, "{t}");
        }
    }

    #[test]
    fn nests_by_order_of_appearance_and_ends_sections() {
        let d = doc(&[
            "申报书",
            "三、关键技术及技术成熟度",
            "（一）关键技术",
            "1.海水淡化膜组件抗污染改性",
            "2.低温余热发电循环优化",
            "（二）技术成熟度",
            "技术就绪水平（TRL）：由 TRL 5 提升至 TRL 7。",
            "四、考核指标",
            "1.研制样机两台（套）；",
        ]);
        let o = build(&d);
        let titles: Vec<(&str, u8)> = o.iter().map(|h| (h.title.as_str(), h.level)).collect();
        assert_eq!(
            titles,
            vec![
                ("关键技术及技术成熟度", 1),
                ("关键技术", 2),
                ("海水淡化膜组件抗污染改性", 3),
                ("低温余热发电循环优化", 3),
                ("技术成熟度", 2),
                ("考核指标", 1),
                ("研制样机两台（套）；", 2),
            ]
        );
        assert_eq!(o[1].end, 5, "（一） ends where （二） starts");
        assert_eq!(o[4].end, 7);
        assert_eq!(o[0].end, 7);
        assert_eq!(o[6].parent, Some(5));
        let mut d = d;
        d.outline = o;
        assert_eq!(
            d.section_path(d.section_of(6).unwrap()),
            vec!["关键技术及技术成熟度", "技术成熟度"]
        );
    }

    #[test]
    fn heading_styles_without_numbers() {
        let mut d = doc(&["项目概况", "正文", "考核指标", "发表论文3篇"]);
        for i in [0, 2] {
            if let Block::Paragraph(p) = &mut d.blocks[i] {
                p.style = Some("Heading1".into());
            }
        }
        let o = build(&d);
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].end, 2);
        assert_eq!(o[1].level, 1);
    }
}
