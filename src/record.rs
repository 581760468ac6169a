//! The JSON contract: one line of `submissions.jsonl` (SPEC §4) and the
//! normalized field types it carries (SPEC §3).
//!
//! These types are what downstream review systems read; change them only
//! together with `SCHEMA_VERSION`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Evidence;

/// Bumped whenever a line's shape changes incompatibly: a key removed or
/// renamed, a type or meaning changed, an enum value removed. Adding an
/// optional key or a new enum value (e.g. a finding code) does not bump it.
/// `schema/submission.schema.json` is generated from these types
/// ([`submission_schema`]); a test fails when it is stale.
pub const SCHEMA_VERSION: u32 = 2;

/// The JSON Schema (draft 2020-12) of one `submissions.jsonl` line; a
/// finding's `code` is closed to the stable SPEC §4 codes ([`Code`]).
pub fn submission_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Submission)).unwrap_or(serde_json::Value::Null)
}

/// Declares [`Code`] with its JSON names once: the enum, its list and its
/// names all come from this table.
macro_rules! finding_codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// A finding's stable SPEC §4 code: what downstream tools filter on.
        /// A code keeps its meaning; new ones may be added.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            JsonSchema,
        )]
        pub enum Code {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Code {
            /// Every code, in SPEC order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in JSON and in scheme files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }

        /// Every code's JSON name, in SPEC order.
        pub const FINDING_CODES: &[&str] = &[$($name,)*];
    };
}

finding_codes! {
    MissingField => "MISSING_FIELD",
    KeyTechLimit => "KEY_TECH_LIMIT",
    TrlMissing => "TRL_MISSING",
    TrlInvalid => "TRL_INVALID",
    PartnerNotEligible => "PARTNER_NOT_ELIGIBLE",
    CategoryMismatch => "CATEGORY_MISMATCH",
    FundingCapExceeded => "FUNDING_CAP_EXCEEDED",
    MatchingRatioLow => "MATCHING_RATIO_LOW",
    PeriodOutOfRange => "PERIOD_OUT_OF_RANGE",
    AgreementMissing => "AGREEMENT_MISSING",
    AgreementNotCoveringPeriod => "AGREEMENT_NOT_COVERING_PERIOD",
    AgreementNotBilingual => "AGREEMENT_NOT_BILINGUAL",
    AgreementNoIpClause => "AGREEMENT_NO_IP_CLAUSE",
    BilingualMismatch => "BILINGUAL_MISMATCH",
    SealMissing => "SEAL_MISSING",
    SealMismatch => "SEAL_MISMATCH",
    PiAgeLimit => "PI_AGE_LIMIT",
    OrgRegisteredTooLate => "ORG_REGISTERED_TOO_LATE",
    NoveltyReportOutdated => "NOVELTY_REPORT_OUTDATED",
    IndicatorBelowMinimum => "INDICATOR_BELOW_MINIMUM",
    ApplicantTypeNotAllowed => "APPLICANT_TYPE_NOT_ALLOWED",
    FilenameConvention => "FILENAME_CONVENTION",
    DuplicateSubmission => "DUPLICATE_SUBMISSION",
    SummaryMismatch => "SUMMARY_MISMATCH",
    UnreadableFile => "UNREADABLE_FILE",
    SealUnreadable => "SEAL_UNREADABLE",
    FundingBelowRange => "FUNDING_BELOW_RANGE",
    SubmittedLate => "SUBMITTED_LATE",
    PiTitleNotEligible => "PI_TITLE_NOT_ELIGIBLE",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Code, String> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown finding code `{s}`"))
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApplicantType {
    Enterprise,
    University,
    Institute,
    Hospital,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Pi {
    pub name: String,
    /// `YYYY-MM-DD`, or `YYYY-MM` when the form gives only the month.
    pub birth_date: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Trl {
    pub current: u8,
    pub target: Option<u8>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    Paper,
    Patent,
    Standard,
    Workshop,
    Visit,
    Talent,
    Platform,
    Product,
    Economic,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    pub kind: IndicatorKind,
    /// The number the indicator commits to (papers, patents, people, 万元 …).
    pub count: Option<f64>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Funding {
    pub requested_wan: Option<f64>,
    pub matching_wan: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Agreement {
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// Subset of `["zh", "en"]`, in that order.
    pub languages: Vec<String>,
    pub has_ip_clause: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Seal {
    pub source: String,
    pub page: Option<u32>,
    /// Where the seal is on the page, in points `[x0, y0, x1, y1]`.
    #[serde(default)]
    pub bbox: Option<[f32; 4]>,
    /// The seal's text: as read, or the name of the party it was matched
    /// with when the readings spell that name (`reading` then keeps what
    /// OCR made of it).
    pub text: String,
    /// How sure the seal's text is, 0–1.
    #[serde(default)]
    pub confidence: Option<f32>,
    /// Which party of the proposal the seal belongs to; null when its text
    /// was not read confidently enough to say.
    #[serde(default)]
    pub owner: Option<SealOwner>,
    /// OCR's own reading, where `text` was completed from a party's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

/// The party a seal belongs to (SPEC §3 `seals[].owner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SealOwner {
    Applicant,
    Partner,
    /// The recommending department (推荐单位 / 主管部门).
    Recommender,
    /// Another party the proposal names: the 查新机构, a bank…
    Other,
}

/// Every SPEC §3 field; absent values are `null` or empty, never missing keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Fields {
    pub project_name: Option<String>,
    pub project_name_en: Option<String>,
    pub applicant: Option<String>,
    pub applicant_type: Option<ApplicantType>,
    pub pi: Option<Pi>,
    pub partner_countries: Vec<String>,
    pub partner_institution: Option<String>,
    pub key_technologies: Vec<String>,
    pub trl: Option<Trl>,
    pub indicators: Vec<Indicator>,
    pub funding: Option<Funding>,
    pub execution_period: Option<Period>,
    pub agreement: Option<Agreement>,
    pub seals: Vec<Seal>,
    /// When the applicant was registered (单位注册时间 / 成立日期), ISO date.
    #[serde(default)]
    pub applicant_registered: Option<String>,
    /// The 科技查新报告 that came with the proposal.
    #[serde(default)]
    pub novelty_report: Option<NoveltyReport>,
}

/// A novelty-search report (科技查新报告): who searched, and when it was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct NoveltyReport {
    /// 查新机构
    pub agency: Option<String>,
    /// 查新完成日期, ISO date.
    pub date: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A problem found with a proposal, with the evidence that shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// One of the stable SPEC §4 codes.
    pub code: Code,
    pub severity: Severity,
    pub field: Option<String>,
    pub message: String,
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// What a file is for within its proposal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The application form / suggestion form / application book.
    Form,
    Agreement,
    /// A batch summary table (汇总表); never a proposal of its own.
    Summary,
    Attachment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceRef {
    /// Relative to the archive or folder root, `/`-separated.
    pub path: String,
    /// The archives and e-mails the file was found in, outermost first,
    /// joined by `/` (empty for a file found directly in a folder).
    pub container: String,
    pub kind: String,
    pub role: Role,
    pub sha256: String,
    pub pages: Option<u32>,
    pub ocr: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BilingualPair {
    pub field: String,
    pub zh: String,
    pub en: String,
    pub consistent: bool,
}

/// One line of `submissions.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Submission {
    pub schema_version: u32,
    pub id: String,
    pub scheme: String,
    pub direction: Option<String>,
    pub sources: Vec<SourceRef>,
    pub fields: Fields,
    pub evidence: BTreeMap<String, Evidence>,
    pub bilingual: Vec<BilingualPair>,
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_their_names() {
        assert_eq!(Code::ALL.len(), FINDING_CODES.len());
        for (c, name) in Code::ALL.iter().zip(FINDING_CODES) {
            assert_eq!(c.as_str(), *name);
            assert_eq!(name.parse::<Code>(), Ok(*c));
            assert_eq!(serde_json::to_value(c).ok(), Some(serde_json::json!(name)));
        }
        assert!("NOT_A_CODE".parse::<Code>().is_err());
        assert!(Code::SealMismatch == "SEAL_MISMATCH");
    }
}
