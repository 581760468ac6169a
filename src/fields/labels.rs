//! The label-synonym table (`pipelines/labels.toml`) and label matching.
//!
//! A label matches on a folded key (no whitespace, colons, asterisks; full-
//! width brackets made ASCII) so that "合作国别（地区）：" and "合作国别(地区)"
//! are one label. Longer synonyms win over shorter ones, so "项目英文名称" is
//! never read as "项目名称".

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::pixels::is_cjk;

/// One field's names, as written in `labels.toml`.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct FieldLabels {
    pub labels: Vec<String>,
    #[serde(default)]
    pub not: Vec<String>,
    #[serde(default)]
    pub prose: bool,
    /// Words that make a numbered or styled heading mean this field: the
    /// section under it holds the value (`四、考核指标` / `1.…` `2.…`).
    #[serde(default)]
    pub headings: Vec<String>,
    /// Words that stop a heading from meaning this field.
    #[serde(default)]
    pub headings_not: Vec<String>,
}

/// What values look like, beyond any one field.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ValueWords {
    /// A short value holding one of these points elsewhere (`详见说明报告
    /// 第四部分`): it is not the value.
    #[serde(default)]
    pub pointers: Vec<String>,
    /// First cells of a table's totals row (`合计`): a budget column's
    /// value is read there, not in its first row.
    #[serde(default)]
    pub totals: Vec<String>,
    /// Words before an amount in running text saying which amount it is.
    #[serde(default)]
    pub money_cues: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct LabelsFile {
    fields: BTreeMap<String, FieldLabels>,
    #[serde(default)]
    values: ValueWords,
}

/// A synonym ready for matching.
#[derive(Debug, Clone)]
struct Synonym {
    field: String,
    key: String,
}

/// All fields' synonyms, matched longest first.
#[derive(Debug, Clone)]
pub struct LabelTable {
    fields: BTreeMap<String, FieldLabels>,
    synonyms: Vec<Synonym>,
    not: BTreeMap<String, Vec<String>>,
    values: ValueWords,
    /// Whether a label with one character misread still matches
    /// ([`LabelTable::tolerating_misreads`]).
    misreads: bool,
}

/// Synonyms at least this long (folded characters) match with one
/// character misread: a shorter one is too often another word.
const MISREAD_MIN: usize = 4;

/// How a text matched a label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelMatch {
    pub field: String,
    /// Characters of the folded text left after the synonym (a unit, a note).
    pub rest: String,
    /// Length of the matched synonym, in characters: longer is more specific.
    pub len: usize,
}

/// Folds a label for comparison: drops whitespace, colons, asterisks and
/// trailing list punctuation, makes brackets ASCII and Latin lowercase.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            c if c.is_whitespace() => {}
            '：' | ':' | '*' | '＊' | '★' | '☆' | '_' => {}
            '（' | '【' | '[' | '〔' => out.push('('),
            '）' | '】' | ']' | '〕' => out.push(')'),
            '／' => out.push('/'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

impl LabelTable {
    /// Parses `labels.toml`.
    pub fn parse(text: &str) -> Result<LabelTable, String> {
        let file: LabelsFile = toml::from_str(text).map_err(|e| format!("labels.toml: {e}"))?;
        let mut synonyms = Vec::new();
        let mut not = BTreeMap::new();
        for (field, labels) in &file.fields {
            for l in &labels.labels {
                synonyms.push(Synonym {
                    field: field.clone(),
                    key: fold(l),
                });
            }
            not.insert(
                field.clone(),
                labels.not.iter().map(|n| fold(n)).collect::<Vec<_>>(),
            );
        }
        synonyms.sort_by(|a, b| {
            b.key
                .chars()
                .count()
                .cmp(&a.key.chars().count())
                .then(a.key.cmp(&b.key))
        });
        let mut fields = file.fields;
        for f in fields.values_mut() {
            for w in f.headings.iter_mut().chain(f.headings_not.iter_mut()) {
                *w = fold(w);
            }
        }
        Ok(LabelTable {
            fields,
            synonyms,
            not,
            values: file.values,
            misreads: false,
        })
    }

    /// This table for text read by OCR, whose labels come with a
    /// character misread (只务/职称, 买施周期, 建议里位): a label that
    /// matches no synonym as written matches one of `MISREAD_MIN` or
    /// more characters that it spells but for one Chinese character in
    /// place, when no other field's synonym is as close.
    pub fn tolerating_misreads(&self) -> LabelTable {
        LabelTable {
            misreads: true,
            ..self.clone()
        }
    }

    /// The table shipped in `pipelines/labels.toml` (or its override).
    pub fn from_catalog(catalog: &crate::scheme::Catalog) -> Result<LabelTable, String> {
        let text = catalog
            .file("labels.toml")
            .ok_or_else(|| "pipelines/labels.toml is missing".to_string())?;
        LabelTable::parse(text)
    }

    pub fn field(&self, name: &str) -> Option<&FieldLabels> {
        self.fields.get(name)
    }

    /// The fields a heading's title means, most specific (longest heading
    /// word) first.
    pub fn heading_fields(&self, title: &str) -> Vec<&str> {
        let key = fold(title);
        let mut hits: Vec<(usize, &str)> = Vec::new();
        for (field, l) in &self.fields {
            if l.headings_not.iter().any(|w| key.contains(w.as_str())) {
                continue;
            }
            if let Some(len) = l
                .headings
                .iter()
                .filter(|w| key.contains(w.as_str()))
                .map(|w| w.chars().count())
                .max()
            {
                hits.push((len, field.as_str()));
            }
        }
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        hits.into_iter().map(|(_, f)| f).collect()
    }

    /// True when `value` only points elsewhere (`详见说明报告第四部分`).
    pub fn is_pointer(&self, value: &str) -> bool {
        let v = value.trim();
        v.chars().count() <= 40 && self.values.pointers.iter().any(|p| v.contains(p.as_str()))
    }

    /// True when a cell's text names a totals row.
    pub fn is_total(&self, text: &str) -> bool {
        let key = fold(text);
        self.values.totals.iter().any(|t| key == fold(t))
    }

    /// Money cue words by class (`funding_requested`, `funding_matching`,
    /// `total`).
    pub fn money_cues(&self) -> &BTreeMap<String, Vec<String>> {
        &self.values.money_cues
    }

    /// Fields whose labels may also be found in running text.
    pub fn prose_fields(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|(_, l)| l.prose)
            .map(|(f, _)| f.as_str())
    }

    /// Every synonym of `field`, folded, longest first.
    pub fn synonyms(&self, field: &str) -> impl Iterator<Item = &str> {
        self.synonyms
            .iter()
            .filter(move |s| s.field == field)
            .map(|s| s.key.as_str())
    }

    fn excluded(&self, field: &str, key: &str) -> bool {
        self.not
            .get(field)
            .is_some_and(|words| words.iter().any(|w| key.contains(w.as_str())))
    }

    /// Matches a whole cell's text as a label: the folded text must start
    /// with a synonym and what follows must be short (`(万元)`, `(地区)`).
    /// Returns the most specific match.
    pub fn match_label(&self, text: &str) -> Option<LabelMatch> {
        // "建议人：张伟" is a label with its value, not a label: folding
        // drops the colon and would make a short value look like a tail.
        // A unit after the colon ("拟申请经费：（万元）") is still the label's.
        if let Some(i) = text.find(['：', ':']) {
            let after = text[i..].trim_start_matches(['：', ':']).trim();
            let note = after.starts_with(['(', '（']) && after.ends_with([')', '）']);
            if !after.is_empty() && !note {
                return None;
            }
        }
        let key = fold(text);
        if key.is_empty() || key.chars().count() > 40 {
            return None;
        }
        for syn in &self.synonyms {
            if let Some(rest) = key.strip_prefix(syn.key.as_str()) {
                if self.excluded(&syn.field, &key) {
                    continue;
                }
                if is_label_tail(rest) {
                    return Some(LabelMatch {
                        field: syn.field.clone(),
                        rest: rest.to_string(),
                        len: syn.key.chars().count(),
                    });
                }
            }
        }
        if self.misreads {
            return self.misread_label(&key);
        }
        None
    }

    /// The synonym `key` spells with one Chinese character misread in
    /// place; `None` when none does or synonyms of two fields do.
    fn misread_label(&self, key: &str) -> Option<LabelMatch> {
        let text: Vec<char> = key.chars().collect();
        let mut found: Option<LabelMatch> = None;
        for syn in &self.synonyms {
            let n = syn.key.chars().count();
            if n < MISREAD_MIN || text.len() < n {
                continue;
            }
            let mut diff = syn.key.chars().zip(&text).filter(|(a, b)| a != *b);
            let Some((a, b)) = diff.next() else { continue };
            if diff.next().is_some() || !is_cjk(a) || !is_cjk(*b) {
                continue;
            }
            let rest: String = text[n..].iter().collect();
            if !is_label_tail(&rest) || self.excluded(&syn.field, key) {
                continue;
            }
            match &found {
                Some(f) if f.field != syn.field => return None,
                Some(_) => {}
                None => {
                    found = Some(LabelMatch {
                        field: syn.field.clone(),
                        rest,
                        len: n,
                    })
                }
            }
        }
        found
    }

    /// True when `text` reads as any field's label.
    pub fn is_label(&self, text: &str) -> bool {
        self.match_label(text).is_some()
    }

    /// Finds "label：value" at the start of a text (a cell or a paragraph
    /// written as `项目名称：智能农机…`). Returns the field and the value part
    /// (original text, not folded).
    /// A semicolon after a label stands for its colon: OCR reads one for
    /// the other (`项目名称；…`).
    pub fn split_inline<'t>(&self, text: &'t str) -> Option<(LabelMatch, &'t str)> {
        let t = text.trim_start();
        [['：', ':'], ['；', ';']].into_iter().find_map(|sep| {
            let (head, tail) = t.split_at(t.find(sep)?);
            let value = tail.trim_start_matches(sep).trim();
            if value.is_empty() {
                return None;
            }
            Some((self.match_label(head)?, value))
        })
    }
}

/// What may follow a synonym inside a label cell: nothing, or a short note
/// in brackets, a unit, or a few characters such as "等级".
fn is_label_tail(rest: &str) -> bool {
    if rest.is_empty() {
        return true;
    }
    if rest.starts_with('(') {
        return rest.chars().count() <= 24;
    }
    let n = rest.chars().count();
    n <= 4 && !rest.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> LabelTable {
        LabelTable::parse(include_str!("../../pipelines/labels.toml")).unwrap()
    }

    #[test]
    fn ocr_labels_match_with_one_character_misread() {
        let exact = table();
        let ocr = exact.tolerating_misreads();
        assert!(exact.match_label("只务/职称").is_none());
        let m = ocr.match_label("只务/职称").unwrap();
        assert_eq!((m.field.as_str(), m.len), ("pi_title", 5));
        assert_eq!(
            ocr.match_label("买施周期").unwrap().field,
            "execution_period"
        );
        let (m, value) = ocr.split_inline("只务/职称：研究员").unwrap();
        assert_eq!((m.field.as_str(), value), ("pi_title", "研究员"));
        // Written labels still match as written, the longest first.
        assert_eq!(
            ocr.match_label("项目英文名称").unwrap().field,
            "project_name_en"
        );
        // Two characters off, too short, or as close to two fields: none.
        assert!(ocr.match_label("只务/只称").is_none());
        assert!(ocr.match_label("名秒").is_none());
        assert!(ocr.match_label("X方单位").is_none());
        assert!(ocr.match_label("丙方单位").is_none());
    }

    #[test]
    fn folds_labels() {
        assert_eq!(fold(" 合作国别（地区）："), "合作国别(地区)");
        assert_eq!(fold("*项目 名称:"), "项目名称");
        assert_eq!(fold("Project Title"), "projecttitle");
    }

    #[test]
    fn longest_synonym_wins_and_not_words_exclude() {
        let t = table();
        assert_eq!(t.match_label("项目名称").unwrap().field, "project_name");
        assert_eq!(t.match_label("指南建议名称").unwrap().field, "project_name");
        assert_eq!(
            t.match_label("项目英文名称").unwrap().field,
            "project_name_en"
        );
        assert_eq!(
            t.match_label("项目名称（英文）").unwrap().field,
            "project_name_en"
        );
        assert_eq!(
            t.match_label("外方合作单位").unwrap().field,
            "partner_institution"
        );
        assert_eq!(t.match_label("建议单位").unwrap().field, "applicant");
        assert_eq!(
            t.match_label("建议单位性质").unwrap().field,
            "applicant_type"
        );
        assert_eq!(
            t.match_label("合作国别（地区）").unwrap().field,
            "partner_countries"
        );
        assert_eq!(
            t.match_label("申请省财政资金（万元）").unwrap().field,
            "funding_requested"
        );
        assert_eq!(t.match_label("预期技术成熟度").unwrap().field, "trl_target");
        assert_eq!(
            t.match_label("当前技术成熟度").unwrap().field,
            "trl_current"
        );
        assert_eq!(
            t.match_label("技术成熟度（当前）").unwrap().field,
            "trl_current"
        );
        assert_eq!(
            t.match_label("技术成熟度（目标）").unwrap().field,
            "trl_target"
        );
        assert_eq!(t.match_label("联系人姓名"), None);
    }

    #[test]
    fn long_text_is_not_a_label() {
        let t = table();
        assert!(
            t.match_label("项目名称为智能农机装备关键技术联合研发的建议")
                .is_none()
        );
        assert!(t.match_label("1.智能农机").is_none());
    }

    #[test]
    fn a_label_with_its_value_is_not_a_bare_label() {
        let t = table();
        assert_eq!(t.match_label("建议人：张伟"), None);
        assert_eq!(
            t.match_label("关键技术清单（不超过5项）：详见说明报告"),
            None
        );
        assert_eq!(
            t.match_label("拟申请经费：（万元）").unwrap().field,
            "funding_requested"
        );
        assert_eq!(t.match_label("建议人：").unwrap().field, "pi_name");
    }

    #[test]
    fn inline_label_value() {
        let t = table();
        let (m, v) = t.split_inline("项目名称：智能农机装备").unwrap();
        assert_eq!(m.field, "project_name");
        assert_eq!(v, "智能农机装备");
        assert!(t.split_inline("项目名称：").is_none());
        let (m, v) = t.split_inline("项目名称；智能农机装备").unwrap();
        assert_eq!((m.field.as_str(), v), ("project_name", "智能农机装备"));
        assert!(t.split_inline("这是一段说明；没有标签").is_none());
        assert!(t.split_inline("这是一段说明：没有标签").is_none());
    }
}
