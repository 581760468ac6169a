//! Ground-truth line types written to `truth.jsonl`. `Fields` mirrors the
//! JSON shape of intake's `record::Fields` (SPEC §3) key for key, so a truth
//! line's `fields` deserializes into the product's own type.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pi {
    pub name: String,
    pub birth_date: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trl {
    pub current: u8,
    pub target: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub kind: String,
    pub count: Option<f64>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    pub requested_wan: Option<f64>,
    pub matching_wan: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Every SPEC §3 field, null or empty when the document does not give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    pub project_name: Option<String>,
    pub project_name_en: Option<String>,
    pub applicant: Option<String>,
    pub applicant_type: Option<String>,
    pub pi: Option<Pi>,
    pub partner_countries: Vec<String>,
    pub partner_institution: Option<String>,
    pub key_technologies: Vec<String>,
    pub trl: Option<Trl>,
    pub indicators: Vec<Indicator>,
    pub funding: Option<Funding>,
    pub execution_period: Option<Period>,
    /// Guideline suggestions carry no agreement.
    pub agreement: Option<serde_json::Value>,
    /// The seals on the proposal's documents (`text`, `owner`); the
    /// generated forms carry none.
    pub seals: Vec<serde_json::Value>,
    /// Not stated by the generated forms (null); the key keeps the truth's
    /// fields those of intake's `record::Fields`.
    #[serde(default)]
    pub applicant_registered: Option<String>,
    #[serde(default)]
    pub novelty_report: Option<serde_json::Value>,
}

/// One proposal document: where it is and what a careful typist reads in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocTruth {
    /// Archives and e-mails the file sits in, outermost first, as intake
    /// reports them for an ingest of `DIR/inbox`.
    pub container: Vec<String>,
    /// Path inside the innermost archive, `/`-separated, proper Unicode.
    pub path: String,
    pub fields: Fields,
}

/// One row of a department's summary table (附件3), as the table says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub seq: u32,
    pub project_name: String,
    pub applicant: String,
    pub proposer: String,
    pub partner_countries: Vec<String>,
    pub partner_institution: String,
    pub field: String,
    pub trl_current: u8,
    pub phone: String,
    /// The proposal document this row lists: its container chain and path.
    pub document_container: Vec<String>,
    pub document: String,
    /// Fields where this row deliberately disagrees with its document
    /// (so intake should report SUMMARY_MISMATCH); usually empty.
    pub differs: Vec<String>,
}

/// One summary table (role is always "summary").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryTruth {
    pub container: Vec<String>,
    pub path: String,
    pub role: String,
    pub rows: Vec<SummaryRow>,
}

/// Either kind of `truth.jsonl` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TruthLine {
    Summary(SummaryTruth),
    Doc(Box<DocTruth>),
}

impl TruthLine {
    pub fn container(&self) -> &[String] {
        match self {
            TruthLine::Summary(s) => &s.container,
            TruthLine::Doc(d) => &d.container,
        }
    }
    pub fn path(&self) -> &str {
        match self {
            TruthLine::Summary(s) => &s.path,
            TruthLine::Doc(d) => &d.path,
        }
    }
}
