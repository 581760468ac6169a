//! One declarative check of a call, as written in a scheme file's
//! `[[rules]]` tables. The engine that evaluates them is `check::engine`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::record::{Code, IndicatorKind, Severity};

/// The stable SPEC §4 finding codes a rule may raise (owned by the
/// output contract, `record`).
pub use crate::record::FINDING_CODES;

/// What a rule is evaluated on. Only `proposal` rules are evaluated by
/// [`crate::check::engine::evaluate`]; the others are data for the
/// batch-level checks (duplicates, summary tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Proposal,
    /// The batch's summary table (汇总表).
    Summary,
    /// Across all proposals of the batch.
    Batch,
}

/// A rule: the common part (code, severity, quote …) plus its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// SPEC §4 finding code raised when the rule is violated.
    pub code: Code,
    #[serde(default = "default_severity")]
    pub severity: Severity,
    /// The notice's sentence this rule encodes, copied verbatim.
    pub quote: String,
    /// Direction ids the rule applies to; empty = all directions.
    #[serde(default)]
    pub directions: Vec<String>,
    /// The field (SPEC §3 JSON path, dotted) the rule reads; each kind has a
    /// default, see [`Check::default_field`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// When the field is absent: stay silent instead of `MISSING_FIELD`.
    #[serde(default)]
    pub skip_if_missing: bool,
    /// The field is not extracted yet (see pipelines/README.md): the rule
    /// stays silent while the field is absent from `Fields`.
    #[serde(default)]
    pub pending: bool,
    #[serde(default)]
    pub scope: Scope,
    /// Free-text remark shown by `intake schemes ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(flatten)]
    pub check: Check,
}

fn default_severity() -> Severity {
    Severity::Error
}

/// The kinds of rule; the TOML `kind` key selects one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// The field must be present (not null, not empty).
    Required {},
    /// A list field has at most `max` items.
    MaxItems {
        max: usize,
    },
    /// A list field has at least `min` items.
    MinItems {
        min: usize,
    },
    /// A numeric field lies in `[min, max]` (either bound optional).
    Range {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    MaxValue {
        max: f64,
    },
    MinValue {
        min: f64,
    },
    /// `numerator / denominator >= min`, with per-applicant-type minimums.
    RatioMin {
        #[serde(default = "default_numerator")]
        numerator: String,
        #[serde(default = "default_denominator")]
        denominator: String,
        min: f64,
        /// e.g. `{ enterprise = 2.0 }`.
        #[serde(default)]
        by_applicant_type: BTreeMap<String, f64>,
    },
    /// The execution period's length in months lies in `[min, max]`.
    PeriodMonths {
        #[serde(default)]
        min: Option<u32>,
        #[serde(default)]
        max: Option<u32>,
    },
    /// A date field is on or after `date` (compared at the coarser precision).
    DateOnOrAfter {
        date: String,
    },
    DateOnOrBefore {
        date: String,
    },
    /// Every partner country belongs to the proposal's direction; when it
    /// belongs to another direction of the scheme, `other_direction_code`
    /// (e.g. CATEGORY_MISMATCH) is raised instead.
    CountriesInDirection {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other_direction_code: Option<Code>,
    },
    /// The applicant type is one of `allowed`.
    ApplicantTypes {
        allowed: Vec<String>,
    },
    /// The field's value (or every item of a list field) is one of `values`;
    /// `@group` refs expand to the group's members.
    OneOf {
        values: Vec<String>,
    },
    /// A list field contains `value`.
    Contains {
        value: String,
    },
    /// The indicators of `indicator` kind add up to at least `min`.
    IndicatorMin {
        indicator: IndicatorKind,
        min: f64,
        /// Each counted item must be at least this big, in `size_unit`
        /// (a workshop of 50人以上): an item whose text states a smaller
        /// size does not count; one that states none does.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size_min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size_unit: Option<String>,
    },
    /// Every item of a list field has a non-null `key` (e.g. indicators' count).
    EachHas {
        key: String,
    },
    /// The agreement is valid over the whole execution period.
    AgreementCoversPeriod {},
    /// The agreement is in all of `languages` (default zh + en).
    AgreementBilingual {
        #[serde(default = "default_languages")]
        languages: Vec<String>,
    },
    /// The agreement has an IP ownership clause.
    AgreementIpClause {},
    /// The file stem matches `pattern` (default: the scheme's naming pattern).
    Filename {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pattern: Option<String>,
    },
    /// At least one seal, on the proposal or, with `documents`, on each
    /// document whose role (`agreement`, `form`…) or file name (`承诺书`)
    /// is listed. With `must_match_applicant`, a seal that belongs to
    /// nobody it should (read with at least `min_confidence`, or spelling
    /// a sub-unit of a party) raises SEAL_MISMATCH; one read less surely
    /// SEAL_UNREADABLE (warning).
    SealRequired {
        #[serde(default)]
        must_match_applicant: bool,
        #[serde(default = "default_seal_confidence")]
        min_confidence: f64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        documents: Vec<String>,
    },
    /// The e-mail that carried the proposal is dated at or before
    /// `deadline` (RFC 3339 with its offset, e.g. `2025-11-28T23:59:59+08:00`);
    /// silent for proposals that came in no e-mail.
    SubmittedBy {
        deadline: String,
    },
    /// A title (the PI's) is at a required level: eligible when it holds a
    /// word of `degrees`, or when the longest word of `allowed` ∪ `below`
    /// it holds is in `allowed` (高级工程师 over 工程师, 助理研究员 over
    /// 研究员); not eligible when that word is in `below`; a title holding
    /// none of them is not judged.
    TitleLevel {
        allowed: Vec<String>,
        #[serde(default)]
        below: Vec<String>,
        #[serde(default)]
        degrees: Vec<String>,
    },
    /// No two proposals of the batch share these fields (batch scope).
    Unique {
        fields: Vec<String>,
    },
    /// No two proposals' document texts are near-duplicates (batch scope):
    /// character `shingle`-grams weighted by rarity across the batch
    /// (tf·idf, grams of half the documents dropped); at or above
    /// `threshold` cosine both get the finding (`check::duplicates`).
    Similar {
        threshold: f64,
        #[serde(default = "default_shingle")]
        shingle: usize,
    },
    /// Every summary-table row matches its proposal on `fields`, every
    /// proposal of the department has a row (summary scope).
    SummaryMatches {
        #[serde(default = "default_summary_fields")]
        fields: Vec<String>,
    },
}

fn default_seal_confidence() -> f64 {
    0.8
}

fn default_shingle() -> usize {
    5
}
fn default_summary_fields() -> Vec<String> {
    vec![
        "project_name".into(),
        "applicant".into(),
        "partner_countries".into(),
    ]
}

fn default_numerator() -> String {
    "funding.matching_wan".into()
}
fn default_denominator() -> String {
    "funding.requested_wan".into()
}
fn default_languages() -> Vec<String> {
    vec!["zh".into(), "en".into()]
}

/// Keys every rule table may carry, whatever its kind.
pub(crate) const COMMON_KEYS: &[&str] = &[
    "kind",
    "code",
    "severity",
    "quote",
    "directions",
    "field",
    "skip_if_missing",
    "pending",
    "scope",
    "note",
];

impl Check {
    /// The kind's own parameter keys, for rejecting misspelt ones.
    pub fn param_keys(&self) -> &'static [&'static str] {
        match self {
            Check::Required {} | Check::AgreementCoversPeriod {} | Check::AgreementIpClause {} => {
                &[]
            }
            Check::MaxItems { .. } | Check::MaxValue { .. } => &["max"],
            Check::MinItems { .. } | Check::MinValue { .. } => &["min"],
            Check::Range { .. } | Check::PeriodMonths { .. } => &["min", "max"],
            Check::RatioMin { .. } => &["numerator", "denominator", "min", "by_applicant_type"],
            Check::DateOnOrAfter { .. } | Check::DateOnOrBefore { .. } => &["date"],
            Check::CountriesInDirection { .. } => &["other_direction_code"],
            Check::ApplicantTypes { .. } => &["allowed"],
            Check::OneOf { .. } => &["values"],
            Check::Contains { .. } => &["value"],
            Check::IndicatorMin { .. } => &["indicator", "min", "size_min", "size_unit"],
            Check::EachHas { .. } => &["key"],
            Check::AgreementBilingual { .. } => &["languages"],
            Check::Filename { .. } => &["pattern"],
            Check::SealRequired { .. } => &["must_match_applicant", "min_confidence", "documents"],
            Check::SubmittedBy { .. } => &["deadline"],
            Check::TitleLevel { .. } => &["allowed", "below", "degrees"],
            Check::Unique { .. } | Check::SummaryMatches { .. } => &["fields"],
            Check::Similar { .. } => &["threshold", "shingle"],
        }
    }

    /// The kind's name as written in TOML.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Required {} => "required",
            Check::MaxItems { .. } => "max_items",
            Check::MinItems { .. } => "min_items",
            Check::Range { .. } => "range",
            Check::MaxValue { .. } => "max_value",
            Check::MinValue { .. } => "min_value",
            Check::RatioMin { .. } => "ratio_min",
            Check::PeriodMonths { .. } => "period_months",
            Check::DateOnOrAfter { .. } => "date_on_or_after",
            Check::DateOnOrBefore { .. } => "date_on_or_before",
            Check::CountriesInDirection { .. } => "countries_in_direction",
            Check::ApplicantTypes { .. } => "applicant_types",
            Check::OneOf { .. } => "one_of",
            Check::Contains { .. } => "contains",
            Check::IndicatorMin { .. } => "indicator_min",
            Check::EachHas { .. } => "each_has",
            Check::AgreementCoversPeriod {} => "agreement_covers_period",
            Check::AgreementBilingual { .. } => "agreement_bilingual",
            Check::AgreementIpClause {} => "agreement_ip_clause",
            Check::Filename { .. } => "filename",
            Check::SealRequired { .. } => "seal_required",
            Check::SubmittedBy { .. } => "submitted_by",
            Check::TitleLevel { .. } => "title_level",
            Check::Unique { .. } => "unique",
            Check::Similar { .. } => "similar",
            Check::SummaryMatches { .. } => "summary_matches",
        }
    }

    /// The field a kind reads when the rule names none; `None` = the rule
    /// must name its field.
    pub fn default_field(&self) -> Option<&'static str> {
        Some(match self {
            Check::RatioMin { .. } => "funding",
            Check::PeriodMonths { .. } => "execution_period",
            Check::CountriesInDirection { .. } => "partner_countries",
            Check::ApplicantTypes { .. } => "applicant_type",
            Check::IndicatorMin { .. } => "indicators",
            Check::AgreementCoversPeriod {} => "agreement",
            Check::AgreementBilingual { .. } => "agreement.languages",
            Check::AgreementIpClause {} => "agreement.has_ip_clause",
            Check::Filename { .. } => "file_name",
            Check::SealRequired { .. } => "seals",
            Check::SubmittedBy { .. } => "submitted",
            Check::TitleLevel { .. } => "pi.title",
            Check::Unique { .. } | Check::Similar { .. } => "project_name",
            Check::SummaryMatches { .. } => "project_name",
            _ => return None,
        })
    }
}

impl Rule {
    /// The field this rule reads (its own, else the kind's default).
    pub fn field(&self) -> &str {
        self.field
            .as_deref()
            .or_else(|| self.check.default_field())
            .unwrap_or("")
    }

    /// Whether the rule is evaluated for a proposal filed under `direction`.
    /// A rule limited to some directions stays silent when the direction is
    /// unknown: the direction check itself reports that.
    pub fn applies_to(&self, direction: Option<&str>) -> bool {
        self.directions.is_empty()
            || direction.is_some_and(|d| self.directions.iter().any(|x| x == d))
    }

    /// One line for `intake schemes ID`.
    pub fn summary(&self) -> String {
        let what = match &self.check {
            Check::Required {} => "required".to_string(),
            Check::MaxItems { max } => format!("at most {max} items"),
            Check::MinItems { min } => format!("at least {min} items"),
            Check::Range { min, max } => format!("in [{}, {}]", opt(min), opt(max)),
            Check::MaxValue { max } => format!("<= {max}"),
            Check::MinValue { min } => format!(">= {min}"),
            Check::RatioMin {
                numerator,
                denominator,
                min,
                by_applicant_type,
            } => {
                let mut s = format!("{numerator} / {denominator} >= {min}");
                for (t, v) in by_applicant_type {
                    s.push_str(&format!(" ({t}: >= {v})"));
                }
                s
            }
            Check::PeriodMonths { min, max } => format!(
                "period of {}..{} months",
                min.map_or("-".into(), |v| v.to_string()),
                max.map_or("-".into(), |v| v.to_string())
            ),
            Check::DateOnOrAfter { date } => format!("on or after {date}"),
            Check::DateOnOrBefore { date } => format!("on or before {date}"),
            Check::CountriesInDirection { .. } => {
                "partners within the direction's countries".into()
            }
            Check::ApplicantTypes { allowed } => {
                format!("applicant type one of {}", allowed.join(", "))
            }
            Check::OneOf { values } => format!("one of {}", values.join(", ")),
            Check::Contains { value } => format!("contains {value}"),
            Check::IndicatorMin {
                indicator,
                min,
                size_min,
                size_unit,
            } => {
                let each = match (size_min, size_unit) {
                    (Some(m), Some(u)) => format!(", each of {m}{u} or more"),
                    _ => String::new(),
                };
                format!(
                    "indicators of kind {} add up to >= {min}{each}",
                    kind_name(*indicator)
                )
            }
            Check::EachHas { key } => format!("every item has {key}"),
            Check::AgreementCoversPeriod {} => {
                "agreement validity covers the execution period".into()
            }
            Check::AgreementBilingual { languages } => {
                format!("agreement in {}", languages.join(" + "))
            }
            Check::AgreementIpClause {} => "agreement has an IP clause".into(),
            Check::Filename { pattern } => match pattern {
                Some(p) => format!("file name matches {p}"),
                None => "file name matches the naming pattern".into(),
            },
            Check::SubmittedBy { deadline } => format!("e-mailed by {deadline}"),
            Check::TitleLevel {
                allowed, degrees, ..
            } => format!(
                "title one of {} or degree {}",
                allowed.join("/"),
                degrees.join("/")
            ),
            Check::SealRequired {
                must_match_applicant,
                ..
            } => {
                if *must_match_applicant {
                    "official seal present and matching the applicant".into()
                } else {
                    "official seal present".into()
                }
            }
            Check::Unique { fields } => {
                format!("unique across the batch by {}", fields.join(" + "))
            }
            Check::Similar { threshold, shingle } => {
                format!(
                    "no two proposals' texts alike at >= {threshold} ({shingle}-character grams weighted by rarity, cosine)"
                )
            }
            Check::SummaryMatches { fields } => format!(
                "every proposal has a summary-table row agreeing on {}",
                fields.join(" + ")
            ),
        };
        let mut s = format!(
            "{} [{}] {}: {what}",
            self.code,
            self.check.kind(),
            self.field()
        );
        if !self.directions.is_empty() {
            s.push_str(&format!(" (directions: {})", self.directions.join(", ")));
        }
        if self.scope != Scope::Proposal {
            s.push_str(&format!(" (scope: {:?})", self.scope).to_lowercase());
        }
        if self.pending {
            s.push_str(" (pending: field not extracted yet)");
        }
        s
    }
}

fn opt(v: &Option<f64>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

/// The lowercase JSON name of an indicator kind.
pub fn kind_name(k: IndicatorKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
