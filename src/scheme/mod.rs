//! Schemes: the calls' rules as data, loaded from `pipelines/`.
//!
//! Every file under `pipelines/` is embedded at build time (`build.rs`);
//! [`Catalog::load`] overlays a folder given at run time on top, so a new
//! call is a new `pipelines/schemes/*.toml`, not new code. The catalog owns
//! the parsed schemes (`schemes/*.toml`), the country groups
//! (`country-groups.toml`) and the raw text of every other file
//! (`labels.toml`, `countries.tsv`, …) for the stages that read them.

mod rule;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use rule::{Check, FINDING_CODES, Rule, Scope, kind_name};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_pipelines.rs"));
}

/// The SPEC §3 field paths a rule may read (dotted for nested values), plus
/// `file_name` (the file stem, read by filename rules) and `submitted`
/// (the date of the e-mail that carried the proposal).
pub const KNOWN_FIELDS: &[&str] = &[
    "project_name",
    "project_name_en",
    "applicant",
    "applicant_type",
    "pi",
    "pi.name",
    "pi.birth_date",
    "pi.title",
    "partner_countries",
    "partner_institution",
    "applicant_registered",
    "novelty_report",
    "novelty_report.agency",
    "novelty_report.date",
    "key_technologies",
    "trl",
    "trl.current",
    "trl.target",
    "indicators",
    "funding",
    "funding.requested_wan",
    "funding.matching_wan",
    "execution_period",
    "execution_period.start",
    "execution_period.end",
    "agreement",
    "agreement.valid_from",
    "agreement.valid_to",
    "agreement.languages",
    "agreement.has_ip_clause",
    "seals",
    "file_name",
    "submitted",
];

#[derive(Debug, thiserror::Error)]
pub enum SchemeError {
    #[error("cannot read pipelines file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("pipelines file {path} is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error("cannot parse {path}: {message}")]
    Parse { path: String, message: String },
    #[error("invalid {path}: {message}")]
    Invalid { path: String, message: String },
}

/// How a call's submissions split into proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// Each document under a region folder is one proposal (Shandong
    /// guideline calls).
    Document,
    /// Each folder holding an application book + agreement + attachments is
    /// one proposal.
    Folder,
}

/// A cooperation direction (region, country or project type) of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Direction {
    /// Stable id, e.g. `belt-and-road`, `sco`, `kr-energy`.
    pub id: String,
    /// Chinese name, as in the notice.
    pub name: String,
    /// Folder names that mean this direction (quote variants included).
    #[serde(default)]
    pub folder_names: Vec<String>,
    /// How a form names this direction (in a 指南方向 / 项目类别 value or
    /// next to a ticked checkbox), besides `name`.
    #[serde(default)]
    pub form_names: Vec<String>,
    /// ISO codes, `@group` refs and `!CODE`/`!@group` exclusions; empty =
    /// no restriction.
    #[serde(default)]
    pub countries: Vec<String>,
    /// The notice's sentence defining the direction.
    pub quote: String,
}

/// The file naming convention of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    /// Regex on the file stem.
    pub pattern: String,
    pub example: String,
    pub quote: String,
    /// The name ends with the proposing unit (`…-建议单位`): a name that
    /// matches the pattern but puts the applicant first and something else
    /// last is still against the rule.
    #[serde(default)]
    pub unit_last: bool,
}

/// The batch summary table (汇总表) a call asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryTable {
    /// File-name keywords that identify the table.
    pub file_keywords: Vec<String>,
    #[serde(default)]
    pub requires_seal: bool,
    pub quote: String,
}

/// One call: its directions, conventions and rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: String,
    pub title: String,
    pub issuer: String,
    /// File name of the notice under `shared/seeds/`.
    pub seed: String,
    pub year: u16,
    pub grouping: Grouping,
    pub directions: Vec<Direction>,
    #[serde(default)]
    pub naming: Option<Naming>,
    #[serde(default)]
    pub summary_table: Option<SummaryTable>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Facts of the notice not (yet) encoded as rules, for people.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// How a group's members are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    /// ISO 3166-1 alpha-2 codes.
    #[default]
    Iso,
    /// Free names (e.g. UK counties), matched against a location field.
    Name,
}

/// A named list of countries (or places) that schemes refer to as `@id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub member_kind: MemberKind,
    /// ISO codes or `@group` refs (for `iso`), names (for `name`).
    pub members: Vec<String>,
    /// Where the list comes from and its limits.
    pub source: String,
    /// A seed sentence the list rests on, when a notice names it.
    #[serde(default)]
    pub seed: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsFile {
    #[serde(default)]
    groups: Vec<CountryGroup>,
}

/// All the `pipelines/` data: embedded files overlaid by a run-time folder.
#[derive(Debug, Clone)]
pub struct Catalog {
    files: BTreeMap<String, String>,
    schemes: BTreeMap<String, Scheme>,
    groups: BTreeMap<String, CountryGroup>,
    /// Relative path of the file each scheme came from.
    scheme_files: BTreeMap<String, String>,
}

const GROUPS_FILE: &str = "country-groups.toml";
const SCHEMES_DIR: &str = "schemes/";

impl Catalog {
    /// The embedded files, overlaid by every file under `override_dir`
    /// (same relative path replaces, new scheme files add schemes).
    pub fn load(override_dir: Option<&Path>) -> Result<Catalog, SchemeError> {
        let mut files: BTreeMap<String, String> = embedded::EMBEDDED
            .iter()
            .map(|(rel, text)| ((*rel).to_string(), (*text).to_string()))
            .collect();
        if let Some(dir) = override_dir {
            read_dir_into(dir, dir, &mut files)?;
        }
        Catalog::from_files(files)
    }

    /// The embedded catalog. The embedded data is validated by a test, so
    /// this cannot fail in a built binary; should it anyway, it degrades to
    /// an empty catalog rather than panic.
    pub fn embedded() -> Catalog {
        // Parsed once per process; callers get their own copy.
        static EMBEDDED: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                Catalog::load(None).unwrap_or_else(|_| Catalog {
                    files: BTreeMap::new(),
                    schemes: BTreeMap::new(),
                    groups: BTreeMap::new(),
                    scheme_files: BTreeMap::new(),
                })
            })
            .clone()
    }

    /// Parses and validates a set of `pipelines/` files.
    pub fn from_files(files: BTreeMap<String, String>) -> Result<Catalog, SchemeError> {
        let mut groups = BTreeMap::new();
        if let Some(text) = files.get(GROUPS_FILE) {
            let parsed: GroupsFile = toml::from_str(text).map_err(|e| SchemeError::Parse {
                path: GROUPS_FILE.into(),
                message: e.to_string(),
            })?;
            for g in parsed.groups {
                if groups.contains_key(&g.id) {
                    return Err(invalid(
                        GROUPS_FILE,
                        format!("group `{}` defined twice", g.id),
                    ));
                }
                groups.insert(g.id.clone(), g);
            }
        }
        let mut schemes = BTreeMap::new();
        let mut scheme_files: BTreeMap<String, String> = BTreeMap::new();
        for (rel, text) in &files {
            if !(rel.starts_with(SCHEMES_DIR) && rel.ends_with(".toml")) {
                continue;
            }
            let scheme: Scheme = toml::from_str(text).map_err(|e| SchemeError::Parse {
                path: rel.clone(),
                message: e.to_string(),
            })?;
            check_rule_keys(rel, text, &scheme)?;
            if let Some(other) = scheme_files.get(&scheme.id) {
                return Err(invalid(
                    rel,
                    format!("scheme id `{}` already defined in {other}", scheme.id),
                ));
            }
            scheme_files.insert(scheme.id.clone(), rel.clone());
            schemes.insert(scheme.id.clone(), scheme);
        }
        let catalog = Catalog {
            files,
            schemes,
            groups,
            scheme_files,
        };
        catalog.validate()?;
        Ok(catalog)
    }

    /// Text of any `pipelines/` file, e.g. `labels.toml`, `countries.tsv`.
    pub fn file(&self, rel: &str) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }

    /// Relative paths of all files.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// All schemes, sorted by id.
    pub fn schemes(&self) -> impl Iterator<Item = &Scheme> {
        self.schemes.values()
    }

    pub fn scheme(&self, id: &str) -> Option<&Scheme> {
        self.schemes.get(id)
    }

    /// The `pipelines/`-relative file a scheme was read from.
    pub fn scheme_file(&self, id: &str) -> Option<&str> {
        self.scheme_files.get(id).map(String::as_str)
    }

    pub fn group(&self, id: &str) -> Option<&CountryGroup> {
        self.groups.get(id)
    }

    pub fn groups(&self) -> impl Iterator<Item = &CountryGroup> {
        self.groups.values()
    }

    /// Expands country refs: `KR` stays, `@sco` becomes the group's members
    /// (recursively), `!JP` / `!@japan-korea` remove entries afterwards.
    /// Unknown groups expand to nothing (validation rejects them).
    pub fn expand_countries(&self, refs: &[String]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut removed = BTreeSet::new();
        for r in refs {
            let r = r.trim();
            match r.strip_prefix('!') {
                Some(ex) => self.expand_one(ex, &mut removed, 0),
                None => self.expand_one(r, &mut out, 0),
            }
        }
        out.retain(|c| !removed.contains(c));
        out
    }

    fn expand_one(&self, r: &str, out: &mut BTreeSet<String>, depth: usize) {
        // Depth guard: a group cycle must not loop forever.
        if depth > 8 {
            return;
        }
        match r.strip_prefix('@') {
            Some(id) => {
                if let Some(g) = self.groups.get(id) {
                    for m in &g.members {
                        self.expand_one(m, out, depth + 1);
                    }
                }
            }
            None if !r.is_empty() => {
                out.insert(r.to_string());
            }
            None => {}
        }
    }

    /// One line per scheme with its directions, for `intake schemes`.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        for scheme in self.schemes() {
            s.push_str(&scheme.describe());
        }
        s
    }

    fn validate(&self) -> Result<(), SchemeError> {
        for g in self.groups.values() {
            if g.member_kind == MemberKind::Iso {
                for m in &g.members {
                    self.check_country_ref(GROUPS_FILE, m, &format!("group `{}`", g.id))?;
                }
            }
        }
        for (id, scheme) in &self.schemes {
            let path = self
                .scheme_files
                .get(id)
                .map(String::as_str)
                .unwrap_or(SCHEMES_DIR);
            self.validate_scheme(path, scheme)?;
        }
        Ok(())
    }

    fn check_country_ref(&self, path: &str, r: &str, ctx: &str) -> Result<(), SchemeError> {
        let r = r.strip_prefix('!').unwrap_or(r);
        if let Some(id) = r.strip_prefix('@') {
            return match self.groups.get(id) {
                Some(_) => Ok(()),
                None => Err(invalid(
                    path,
                    format!("{ctx}: unknown country group `@{id}`"),
                )),
            };
        }
        let ok = r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase());
        if ok {
            Ok(())
        } else {
            Err(invalid(
                path,
                format!("{ctx}: `{r}` is neither an ISO alpha-2 code nor an @group"),
            ))
        }
    }

    fn validate_scheme(&self, path: &str, s: &Scheme) -> Result<(), SchemeError> {
        if s.id.is_empty()
            || !s
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(
                path,
                format!("scheme id `{}` must be lowercase a-z, 0-9, -", s.id),
            ));
        }
        let mut dir_ids = BTreeSet::new();
        for d in &s.directions {
            if !dir_ids.insert(d.id.as_str()) {
                return Err(invalid(path, format!("direction `{}` defined twice", d.id)));
            }
            for c in &d.countries {
                self.check_country_ref(path, c, &format!("direction `{}`", d.id))?;
            }
        }
        if let Some(n) = &s.naming {
            regex::Regex::new(&n.pattern)
                .map_err(|e| invalid(path, format!("naming pattern does not compile: {e}")))?;
        }
        for (i, r) in s.rules.iter().enumerate() {
            // Codes are typed: an unknown one fails to parse.
            let ctx = format!("rule {} ({})", i + 1, r.code);
            for d in &r.directions {
                if !dir_ids.contains(d.as_str()) {
                    return Err(invalid(path, format!("{ctx}: unknown direction `{d}`")));
                }
            }
            if r.quote.trim().is_empty() {
                return Err(invalid(
                    path,
                    format!("{ctx}: a rule must quote the notice"),
                ));
            }
            let field = r.field();
            if field.is_empty() {
                return Err(invalid(
                    path,
                    format!("{ctx}: kind `{}` needs a `field`", r.check.kind()),
                ));
            }
            if !r.pending && !KNOWN_FIELDS.contains(&field) {
                return Err(invalid(
                    path,
                    format!(
                        "{ctx}: unknown field `{field}` (mark the rule `pending = true` if it is not extracted yet)"
                    ),
                ));
            }
            let needs_scope = match &r.check {
                Check::Unique { .. } | Check::Similar { .. } => Some(Scope::Batch),
                Check::SummaryMatches { .. } => Some(Scope::Summary),
                _ => None,
            };
            if let Some(scope) = needs_scope
                && r.scope != scope
            {
                return Err(invalid(
                    path,
                    format!(
                        "{ctx}: kind `{}` needs scope = \"{}\"",
                        r.check.kind(),
                        format!("{scope:?}").to_lowercase()
                    ),
                ));
            }
            match &r.check {
                Check::Similar { threshold, shingle }
                    if !(*threshold > 0.0 && *threshold <= 1.0 && (2..=16).contains(shingle)) =>
                {
                    return Err(invalid(
                        path,
                        format!("{ctx}: threshold must be in (0, 1] and shingle in 2..=16"),
                    ));
                }
                Check::Filename { pattern } => {
                    match pattern
                        .as_deref()
                        .or(s.naming.as_ref().map(|n| n.pattern.as_str()))
                    {
                        Some(p) => {
                            regex::Regex::new(p).map_err(|e| {
                                invalid(path, format!("{ctx}: pattern does not compile: {e}"))
                            })?;
                        }
                        None => {
                            return Err(invalid(
                                path,
                                format!("{ctx}: no pattern and no [naming]"),
                            ));
                        }
                    }
                }
                Check::OneOf { values } => {
                    for v in values {
                        if let Some(g) = v.strip_prefix('@')
                            && !self.groups.contains_key(g)
                        {
                            return Err(invalid(path, format!("{ctx}: unknown group `@{g}`")));
                        }
                    }
                }
                Check::DateOnOrAfter { date } | Check::DateOnOrBefore { date }
                    if !is_iso_date(date) =>
                {
                    return Err(invalid(path, format!("{ctx}: `{date}` is not YYYY-MM-DD")));
                }
                Check::ApplicantTypes { allowed } => {
                    for a in allowed {
                        if !["enterprise", "university", "institute", "hospital", "other"]
                            .contains(&a.as_str())
                        {
                            return Err(invalid(
                                path,
                                format!("{ctx}: unknown applicant type `{a}`"),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Rules are flattened tagged tables, which serde cannot hold to a closed
/// key set; a misspelt key (`maximum = 5`) must still be an error, not a
/// silently ignored limit.
fn check_rule_keys(path: &str, text: &str, scheme: &Scheme) -> Result<(), SchemeError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| SchemeError::Parse {
        path: path.to_string(),
        message: e.to_string(),
    })?;
    let Some(rules) = table.get("rules").and_then(|r| r.as_array()) else {
        return Ok(());
    };
    for (i, (raw, rule)) in rules.iter().zip(&scheme.rules).enumerate() {
        let Some(raw) = raw.as_table() else { continue };
        for key in raw.keys() {
            let k = key.as_str();
            if !rule::COMMON_KEYS.contains(&k) && !rule.check.param_keys().contains(&k) {
                return Err(invalid(
                    path,
                    format!(
                        "rule {} ({}): unknown key `{k}` for kind `{}`",
                        i + 1,
                        rule.code,
                        rule.check.kind()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn invalid(path: &str, message: String) -> SchemeError {
    SchemeError::Invalid {
        path: path.to_string(),
        message,
    }
}

/// Reads every text file under `dir` into `files`, keyed by `/`-relative path.
fn read_dir_into(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, String>,
) -> Result<(), SchemeError> {
    let io = |source| SchemeError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            read_dir_into(root, &path, files)?;
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| SchemeError::Io {
            path: path.clone(),
            source,
        })?;
        let text =
            String::from_utf8(bytes).map_err(|_| SchemeError::NotText { path: path.clone() })?;
        let rel = path
            .strip_prefix(root)
            .map_err(|_| SchemeError::NotText { path: path.clone() })?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        // A BOM from Windows editors must not break TOML parsing.
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        files.insert(rel, text);
    }
    Ok(())
}

/// Folder-name form used for matching: no quotes, brackets or whitespace.
fn fold_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"“”\"'‘’「」『』《》".contains(*c))
        .collect()
}

impl Scheme {
    pub fn direction(&self, id: &str) -> Option<&Direction> {
        self.directions.iter().find(|d| d.id == id)
    }

    /// The direction a region folder stands for: an exact match of a name or
    /// folder name (quotes and spaces ignored), else the longest one the
    /// folder name contains (`1.“一带一路”共建国家（3项）`).
    pub fn direction_for_folder(&self, folder: &str) -> Option<&Direction> {
        let f = fold_name(folder);
        if f.is_empty() {
            return None;
        }
        let names = |d: &'_ Direction| {
            std::iter::once(d.name.clone())
                .chain(d.folder_names.iter().cloned())
                .map(|n| fold_name(&n))
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
        };
        if let Some(d) = self.directions.iter().find(|d| names(d).contains(&f)) {
            return Some(d);
        }
        self.directions
            .iter()
            .filter_map(|d| {
                names(d)
                    .into_iter()
                    .filter(|n| f.contains(n.as_str()))
                    .map(|n| n.chars().count())
                    .max()
                    .map(|len| (len, d))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, d)| d)
    }

    /// The directions a form's text names, by the longest of each
    /// direction's `name` / `form_names` / `folder_names` it contains (quotes
    /// and spaces ignored). A name that is part of another matched
    /// direction's longer name does not count ("一带一路" inside
    /// "“一带一路”科技合作项目").
    pub fn directions_in_text(&self, text: &str) -> Vec<&Direction> {
        let t = fold_name(text);
        let mut hits: Vec<(&Direction, String)> = Vec::new();
        for d in &self.directions {
            let best = std::iter::once(&d.name)
                .chain(&d.form_names)
                .chain(&d.folder_names)
                .map(|n| fold_name(n))
                .filter(|n| n.chars().count() >= 2 && t.contains(n.as_str()))
                .max_by_key(|n| n.chars().count());
            if let Some(n) = best {
                hits.push((d, n));
            }
        }
        let keep: Vec<&Direction> = hits
            .iter()
            .filter(|(d, n)| {
                !hits
                    .iter()
                    .any(|(o, on)| o.id != d.id && on.len() > n.len() && on.contains(n.as_str()))
            })
            .map(|(d, _)| *d)
            .collect();
        keep
    }

    /// Rules evaluated per proposal (scope `proposal`).
    pub fn proposal_rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.scope == Scope::Proposal)
    }

    /// `id  title` and the directions, for `intake schemes`.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{}  {} ({} {}, {} rules)\n",
            self.id,
            self.title,
            self.issuer,
            self.year,
            self.rules.len()
        );
        for d in &self.directions {
            let _ = writeln!(s, "    {:<22} {}", d.id, d.name);
        }
        s
    }

    /// Every rule with the notice sentence it encodes, for `intake schemes ID`.
    pub fn render_rules(&self) -> String {
        let mut s = format!(
            "{} — {}\n{} {}, seed {}\ngrouping: {}\n",
            self.id,
            self.title,
            self.issuer,
            self.year,
            self.seed,
            format!("{:?}", self.grouping).to_lowercase()
        );
        s.push_str("\ndirections:\n");
        for d in &self.directions {
            let _ = writeln!(s, "  {} {}", d.id, d.name);
            if !d.countries.is_empty() {
                let _ = writeln!(s, "      countries: {}", d.countries.join(", "));
            }
            let _ = writeln!(s, "      「{}」", d.quote);
        }
        if let Some(n) = &self.naming {
            let _ = writeln!(
                s,
                "\nfile naming: {}  (e.g. {})\n      「{}」",
                n.pattern, n.example, n.quote
            );
        }
        if let Some(t) = &self.summary_table {
            let _ = writeln!(
                s,
                "\nsummary table: {}{}\n      「{}」",
                t.file_keywords.join(" / "),
                if t.requires_seal { ", sealed" } else { "" },
                t.quote
            );
        }
        s.push_str("\nrules:\n");
        for (i, r) in self.rules.iter().enumerate() {
            let severity = format!("{:?}", r.severity).to_lowercase();
            let _ = writeln!(s, "  {:>2}. {severity} {}", i + 1, r.summary());
            let _ = writeln!(s, "      「{}」", r.quote);
            if let Some(n) = &r.note {
                let _ = writeln!(s, "      note: {n}");
            }
        }
        if !self.notes.is_empty() {
            s.push_str("\nnot checked automatically:\n");
            for n in &self.notes {
                let _ = writeln!(s, "  - {n}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads() {
        let c = Catalog::load(None).unwrap();
        assert!(c.schemes().count() >= 5);
        assert!(c.group("sco").is_some());
    }

    #[test]
    fn expand_groups_and_exclusions() {
        let c = Catalog::embedded();
        let e = c.expand_countries(&["KR".into(), "@sco".into()]);
        assert!(e.contains("KR") && e.contains("RU") && e.contains("BY"));
        assert!(!e.contains("CN"));
        let e = c.expand_countries(&["@innovation-leading".into(), "!@japan-korea".into()]);
        assert!(e.contains("US") && e.contains("DE"));
        assert!(!e.contains("JP") && !e.contains("KR"));
    }

    #[test]
    fn folder_matching_ignores_quotes_and_decoration() {
        let c = Catalog::embedded();
        let s = c.scheme("shandong-2026-guideline").unwrap();
        let id = |f: &str| s.direction_for_folder(f).map(|d| d.id.as_str());
        assert_eq!(id("“一带一路”共建国家"), Some("belt-and-road"));
        assert_eq!(id("\"一带一路\"共建国家"), Some("belt-and-road"));
        assert_eq!(id("一带一路共建国家"), Some("belt-and-road"));
        assert_eq!(id("2.日韩（3项）"), Some("japan-korea"));
        assert_eq!(id("上合组织成员国"), Some("sco"));
        assert_eq!(id("其他"), None);
    }

    #[test]
    fn describe_and_render() {
        let c = Catalog::embedded();
        let d = c.describe();
        assert!(d.contains("shanxi-2024-cooperation"));
        let r = c.scheme("shanxi-2024-cooperation").unwrap().render_rules();
        assert!(r.contains("PI_AGE_LIMIT") && r.contains("1967年1月1日"));
    }
}
