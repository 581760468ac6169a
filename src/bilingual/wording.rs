//! The agreement wording lists of `pipelines/agreement.toml`: the phrases
//! an IP clause goes by, and the labels that open a clause (where a value
//! read before them ends).

use std::sync::OnceLock;

use serde::Deserialize;

use super::layout::Lang;

#[derive(Debug, Default, Deserialize)]
struct PerLang {
    #[serde(default)]
    zh: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
}

impl PerLang {
    fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Wording {
    #[serde(default)]
    ip_clause: PerLang,
    #[serde(default)]
    clause_labels: PerLang,
}

fn wording() -> &'static Wording {
    static W: OnceLock<Wording> = OnceLock::new();
    W.get_or_init(|| {
        // Embedded and checked by a test: a broken file is a build defect.
        toml::from_str(include_str!("../../pipelines/agreement.toml")).unwrap_or_default()
    })
}

/// Whether a clause (lowercased) speaks of IP or of who owns the results.
pub fn is_ip_clause(lower: &str, lang: Lang) -> bool {
    wording().ip_clause.get(lang).iter().any(|p| {
        lower.contains(p.as_str())
            || (lang == Lang::En && {
                let words: Vec<&str> = lower
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .collect();
                p.split_whitespace().count() > 1 && p.split_whitespace().all(|w| words.contains(&w))
            })
    })
}

/// Where the next clause's label starts in `value` (after its first
/// character), if one does: the value ends there.
pub fn next_label_at(value: &str, lang: Lang) -> Option<usize> {
    let lower = value.to_lowercase();
    // Lowercasing may change byte lengths outside ASCII; then only the
    // Chinese labels (unchanged by case) are safe to look up.
    let same_len = lower.len() == value.len();
    let mut best: Option<usize> = None;
    for label in wording().clause_labels.get(lang) {
        let mut from = 0;
        while let Some(rel) = lower.get(from..).and_then(|s| s.find(label.as_str())) {
            let at = from + rel;
            from = at + label.len();
            if at == 0 || (lang == Lang::En && !same_len) {
                continue;
            }
            let before = lower[..at].chars().next_back();
            if lang == Lang::En && before.is_some_and(char::is_alphanumeric) {
                continue;
            }
            // A label is followed by its colon, perhaps after a note in
            // brackets ("甲方（中方）："); OCR reads some colons as
            // semicolons.
            let rest = lower[from..].trim_start();
            let rest = match rest.chars().next() {
                Some('（' | '(') => rest
                    .find(['）', ')'])
                    .map(|i| rest[i..].trim_start_matches(['）', ')']).trim_start())
                    .unwrap_or(rest),
                _ => rest,
            };
            if rest.starts_with(['：', ':', '；', ';']) {
                best = Some(best.map_or(at, |b: usize| b.min(at)));
                break;
            }
        }
    }
    best
}

/// `value` up to the next clause's label, trimmed.
pub fn until_next_label(value: &str, lang: Lang) -> &str {
    match next_label_at(value, lang) {
        Some(i) => value[..i].trim(),
        None => value.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lists_load() {
        let w: Wording = toml::from_str(include_str!("../../pipelines/agreement.toml")).unwrap();
        assert!(!w.ip_clause.zh.is_empty() && !w.ip_clause.en.is_empty());
        assert!(!w.clause_labels.zh.is_empty() && !w.clause_labels.en.is_empty());
    }

    #[test]
    fn a_value_ends_at_the_next_label() {
        assert_eq!(
            until_next_label(
                "某国功率电子研究所（Some Institute of Power）项目名称：某某联合研究",
                Lang::Zh
            ),
            "某国功率电子研究所（Some Institute of Power）"
        );
        assert_eq!(
            until_next_label(
                "某国功率电子研究所（Some Institute）项目名称；某某联合研究",
                Lang::Zh
            ),
            "某国功率电子研究所（Some Institute）"
        );
        assert_eq!(
            until_next_label(
                "Some Institute of Power Electronics Project Title: Joint Research on X",
                Lang::En
            ),
            "Some Institute of Power Electronics"
        );
        assert_eq!(
            until_next_label("Some Research Centre Address : 12 Main Road", Lang::En),
            "Some Research Centre"
        );
        // A label word inside a name without a colon is part of the name.
        assert_eq!(
            until_next_label("Institute of Contact Mechanics", Lang::En),
            "Institute of Contact Mechanics"
        );
        assert_eq!(until_next_label("山西大学", Lang::Zh), "山西大学");
        assert_eq!(
            until_next_label("首尔大学 乙方（外方）：某研究所", Lang::Zh),
            "首尔大学"
        );
    }

    #[test]
    fn ip_clauses_by_meaning() {
        assert!(is_ip_clause("合作成果归属双方共有", Lang::Zh));
        assert!(is_ip_clause("专利申请权由双方共同享有", Lang::Zh));
        assert!(is_ip_clause(
            "results generated jointly shall be jointly owned; ownership of results …",
            Lang::En
        ));
        // Words of a phrase in scrambled order (a text layer read backwards).
        assert!(is_ip_clause(
            "requires property the jointly intellectual licensing",
            Lang::En
        ));
        assert!(!is_ip_clause("双方共同开展人员交流", Lang::Zh));
        assert!(!is_ip_clause(
            "the parties shall exchange researchers",
            Lang::En
        ));
    }
}
