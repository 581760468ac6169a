//! Symbol-font glyphs (Wingdings/Symbol private-use codes) and checkbox
//! boxes turned into the Unicode characters they show.

// ---------------------------------------------------------------- glyphs

/// Fonts whose code points are pictures, not letters.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum SymFont {
    Wingdings,
    Wingdings2,
    Symbol,
}

impl SymFont {
    pub(super) fn from_name(name: &str) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        if n.starts_with("wingdings 2") || n.starts_with("wingdings2") {
            Some(SymFont::Wingdings2)
        } else if n.starts_with("wingdings") {
            Some(SymFont::Wingdings)
        } else if n == "symbol" {
            Some(SymFont::Symbol)
        } else {
            None
        }
    }
}

pub(super) fn box_glyph(checked: bool) -> char {
    if checked { '☑' } else { '☐' }
}

/// The character a `w:sym` (or a symbol-font letter) shows, with ticked
/// and empty boxes normalised to ☑ and ☐. Unknown pictures are dropped.
pub(super) fn sym_char(font: Option<SymFont>, code: u32) -> Option<char> {
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    match font {
        Some(SymFont::Wingdings) => Some(match low {
            0xFE | 0xFD | 0xFC | 0x78 | 0x6E => '☑',
            0xA8 | 0x6F | 0x71 | 0x72 => '☐',
            0x9F | 0x6C => '●',
            0xA1 => '○',
            0xFB => '✗',
            _ => return None,
        }),
        Some(SymFont::Wingdings2) => Some(match low {
            0x50..=0x54 => '☑',
            0xA3 | 0x2A | 0xA2 => '☐',
            0x4F => '✗',
            _ => return None,
        }),
        Some(SymFont::Symbol) => {
            const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
            const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
            Some(match low {
                0x41..=0x5A => UPPER.chars().nth((low - 0x41) as usize)?,
                0x61..=0x7A => LOWER.chars().nth((low - 0x61) as usize)?,
                0x2D => '−',
                0x2A => '∗',
                0x20..=0x3F => char::from_u32(low)?,
                0xD6 => '☑', // √ used as a tick
                0xB7 => '•',
                0xB4 => '×',
                0xB8 => '÷',
                0xB1 => '±',
                0xB0 => '°',
                0xA3 => '≤',
                0xB3 => '≥',
                0xB9 => '≠',
                0xBB => '≈',
                0xA5 => '∞',
                _ => return None,
            })
        }
        None if (0xF000..=0xF0FF).contains(&code) => sym_char(Some(SymFont::Wingdings), code),
        None => char::from_u32(code).map(normalize_box),
    }
}

/// Literal box and tick glyphs, as typed or pasted, normalised (the .doc
/// reader applies it too).
pub(in crate::extract) fn normalize_box(c: char) -> char {
    match c {
        '☑' | '☒' | '■' | '✓' | '✔' | '√' | '▣' => '☑',
        '□' | '☐' | '▢' => '☐',
        c => c,
    }
}

pub(super) fn push_text(out: &mut String, s: &str, font: Option<SymFont>) {
    for c in s.chars() {
        let code = c as u32;
        if font.is_some()
            && (code < 0x100 || (0xF000..=0xF0FF).contains(&code))
            && !c.is_whitespace()
        {
            if let Some(g) = sym_char(font, code) {
                out.push(g);
            }
        } else if (0xF000..=0xF0FF).contains(&code) {
            if let Some(g) = sym_char(None, code) {
                out.push(g);
            }
        } else {
            out.push(normalize_box(c));
        }
    }
}

pub(super) fn push_entity(out: &mut String, g: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = g.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&g.xml10_content()) {
        out.push_str(s);
    }
}
