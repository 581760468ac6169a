//! Normalize: turns raw field text into the SPEC §3 normalized forms.
//! Pure functions, no I/O; each concern in its own file.

pub mod country;
pub mod date;
pub mod indicator;
pub mod money;
pub mod numeral;
pub mod org;
pub mod text;
pub mod trl;

/// Full-width ASCII (U+FF01..U+FF5E) → ASCII and U+3000 → space; other chars
/// unchanged. Shared by the parsers so each accepts `２０２５` like `2025`.
pub(crate) fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}
