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

#[cfg(test)]
mod tests {
    /// Every normalizer on every short slice of awkward mixed text: no
    /// panics (char boundaries, overflow), whatever the input.
    #[test]
    fn no_panics_on_slices() {
        use super::*;
        let text = "①A②B（1）x 1、2、3. 4.5万元 ￥ RMB 二〇二五年十二月 Jan. 1st of 2025 TRL-4→TRL 7 三至六级 \
                    ☑企业□高校 《》“” 2026.01-2028.12 20250101 壹佰伍拾万元整 香港 Guinea-Bissau 99999999999999999999 点点 十十 ．．";
        let chars: Vec<char> = text.chars().collect();
        for w in [1usize, 2, 3, 5, 8, 13] {
            for i in 0..chars.len().saturating_sub(w) {
                let s: String = chars[i..i + w].iter().collect();
                let _ = text::clean_value(&s);
                let _ = text::split_list(&s);
                let _ = numeral::parse_number(&s);
                let _ = date::parse_date(&s);
                let _ = date::parse_period(&s);
                let _ = money::parse_money_wan(&s, money::MoneyUnit::Yuan);
                let _ = money::find_amounts(&s);
                let _ = trl::parse_trl(&s);
                let _ = country::to_iso(&s);
                let _ = country::find_countries(&s);
                let _ = indicator::parse_indicators(&s);
                let _ = org::applicant_type(&s);
                let _ = org::applicant_type_from_label(&s);
                let _ = org::org_similarity(&s, "浙江大学");
            }
        }
        assert_eq!(half_width("ＡＢＣ１２３　（）"), "ABC123 ()");
    }
}
