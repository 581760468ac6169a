//! The rule engine: evaluates a scheme's proposal rules on one proposal's
//! normalized fields and returns findings citing their evidence.
//!
//! Rules are data (`crate::scheme::Rule`); this file knows only the rule
//! kinds, never a particular call.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::check::labels::zh;
use crate::model::Evidence;
use crate::record::{Code, Fields, Finding};
use crate::scheme::{Catalog, Check, Rule, Scheme, Scope, kind_name};

/// What the engine sees of one proposal.
pub struct ProposalView<'a> {
    /// The proposal's direction id, when known.
    pub direction: Option<&'a str>,
    pub fields: &'a Fields,
    /// Keyed by field path (`trl`, `funding`, …).
    pub evidence: &'a BTreeMap<String, Evidence>,
    /// The form's file name without extension, for naming rules.
    pub file_stem: Option<&'a str>,
    /// The form's path, cited by findings without evidence.
    pub source: Option<&'a str>,
    /// The e-mail that carried the proposal, when one did.
    pub submitted: Option<&'a Submitted>,
    /// The proposal's documents (path and role), for rules on a kind of
    /// document (the seal a commitment letter must carry).
    pub documents: &'a [crate::record::SourceRef],
}

/// When a proposal was sent: the `Date:` header of the e-mail that carried
/// it (RFC 3339) and that e-mail's path.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub date: String,
    pub source: String,
}

/// Evaluates every proposal-scope rule of `scheme` that applies to the
/// view's direction. A satisfied proposal gets no findings.
pub fn evaluate(scheme: &Scheme, catalog: &Catalog, view: &ProposalView) -> Vec<Finding> {
    evaluate_scope(scheme, catalog, view, Scope::Proposal)
}

/// Evaluates the `scope = "summary"` rules (e.g. the summary table's seal)
/// on the fields read from a batch's summary table.
pub fn evaluate_summary(scheme: &Scheme, catalog: &Catalog, view: &ProposalView) -> Vec<Finding> {
    evaluate_scope(scheme, catalog, view, Scope::Summary)
}

fn evaluate_scope(
    scheme: &Scheme,
    catalog: &Catalog,
    view: &ProposalView,
    scope: Scope,
) -> Vec<Finding> {
    // Serialized once so that rules can address fields by dotted path.
    let json = serde_json::to_value(view.fields).unwrap_or(Value::Null);
    let ctx = Ctx {
        scheme,
        catalog,
        view,
        json: &json,
    };
    let mut out = Vec::new();
    for rule in scheme.rules.iter().filter(|r| r.scope == scope) {
        // Kinds that compare across documents have their own checkers
        // (`evaluate_batch`, `check::duplicates`, `check::summary`).
        let cross = matches!(
            rule.check,
            Check::Unique { .. } | Check::Similar { .. } | Check::SummaryMatches { .. }
        );
        if !cross && rule.applies_to(view.direction) {
            ctx.eval(rule, &mut out);
        }
    }
    dedup_missing(out)
}

/// Evaluates the batch-scope `unique` rules: every proposal that shares the
/// rule's fields with another gets DUPLICATE_SUBMISSION naming the others
/// by their `labels` (paths or ids). Returns one list per view, in order.
/// Values are compared without whitespace, quotes or case; proposals lacking
/// a field are not compared.
pub fn evaluate_batch(
    scheme: &Scheme,
    views: &[ProposalView],
    labels: &[&str],
) -> Vec<Vec<Finding>> {
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); views.len()];
    let jsons: Vec<Value> = views
        .iter()
        .map(|v| serde_json::to_value(v.fields).unwrap_or(Value::Null))
        .collect();
    for rule in scheme.rules.iter().filter(|r| r.scope == Scope::Batch) {
        let Check::Unique { fields } = &rule.check else {
            continue;
        };
        let mut by_key: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (i, (view, json)) in views.iter().zip(&jsons).enumerate() {
            if !rule.applies_to(view.direction) {
                continue;
            }
            let key: Option<Vec<String>> = fields
                .iter()
                .map(|f| {
                    lookup(json, f)
                        .map(|v| fold_value(&scalar(v)))
                        .filter(|s| !s.is_empty())
                })
                .collect();
            if let Some(key) = key {
                by_key.entry(key).or_default().push(i);
            }
        }
        for group in by_key.values().filter(|g| g.len() > 1) {
            for &i in group {
                let others: Vec<&str> = group
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| labels.get(j).copied().unwrap_or("?"))
                    .collect();
                let what = fields.join(" + ");
                // Name a few: a value shared by hundreds must not make every
                // message list every other proposal.
                const NAMED: usize = 5;
                let mut o = others[..others.len().min(NAMED)].join("、");
                if others.len() > NAMED {
                    o.push_str(&format!(
                        " 等{}项 (+{} more)",
                        others.len(),
                        others.len() - NAMED
                    ));
                }
                let what_zh: Vec<&str> = fields.iter().map(|f| zh(f)).collect();
                let what_zh = what_zh.join("、");
                let message = format!(
                    "与{o}的{what_zh}相同，重复提报 / same {what} as {o}: duplicate submission"
                );
                let field = fields.first().cloned().unwrap_or_default();
                let root = field.split('.').next().unwrap_or("").to_string();
                let evidence = views[i]
                    .evidence
                    .get(&field)
                    .or_else(|| views[i].evidence.get(&root))
                    .cloned();
                out[i].push(Finding {
                    code: rule.code,
                    severity: rule.severity,
                    field: Some(field),
                    message,
                    source: views[i].source.map(str::to_string),
                    evidence,
                });
            }
        }
    }
    out
}

/// A compiled naming pattern, compiled once per run (a batch evaluates the
/// same few patterns thousands of times).
fn cached_regex(pattern: &str) -> Option<regex::Regex> {
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<BTreeMap<String, regex::Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(re) = map.get(pattern) {
        return Some(re.clone());
    }
    let re = regex::Regex::new(pattern).ok()?;
    map.insert(pattern.to_string(), re.clone());
    Some(re)
}

/// Comparison form of a value: no whitespace, quotes or brackets, lowercase.
fn fold_value(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"“”\"'‘’《》「」".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Drops MISSING_FIELD findings already explained by another finding on the
/// same field (or a parent, e.g. TRL_MISSING on `trl` covers `trl.current`),
/// and repeated MISSING_FIELD on one field.
fn dedup_missing(findings: Vec<Finding>) -> Vec<Finding> {
    let covers = |parent: &str, child: &str| {
        child == parent || (child.starts_with(parent) && child[parent.len()..].starts_with('.'))
    };
    let mut kept: Vec<Finding> = Vec::new();
    for f in &findings {
        if f.code != Code::MissingField {
            continue;
        }
        let field = f.field.as_deref().unwrap_or("");
        let explained = findings.iter().any(|o| {
            o.code != Code::MissingField
                && o.field
                    .as_deref()
                    .is_some_and(|of| covers(of, field) || covers(field, of))
        });
        let repeated = kept
            .iter()
            .any(|k| k.code == Code::MissingField && k.field == f.field);
        if !explained && !repeated {
            kept.push(f.clone());
        }
    }
    findings
        .into_iter()
        .filter(|f| f.code != Code::MissingField)
        .chain(kept)
        .collect()
}

/// What a seal rule asks beyond presence.
#[derive(Clone, Copy)]
struct SealNeed {
    must_match: bool,
    min_confidence: f64,
}

struct Ctx<'a> {
    scheme: &'a Scheme,
    catalog: &'a Catalog,
    view: &'a ProposalView<'a>,
    json: &'a Value,
}

/// A value the rule reads: absent (null/empty) or present.
fn lookup<'v>(json: &'v Value, path: &str) -> Option<&'v Value> {
    let mut v = json;
    for part in path.split('.') {
        v = v.get(part)?;
    }
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::Array(a) if a.is_empty() => None,
        _ => Some(v),
    }
}

impl Ctx<'_> {
    fn eval(&self, rule: &Rule, out: &mut Vec<Finding>) {
        let field = rule.field();
        let zf = zh(field);
        // The file name is not a field of the record.
        if let Check::Filename { pattern } = &rule.check {
            self.filename(rule, pattern.as_deref(), out);
            return;
        }
        // Nor is the e-mail's date.
        if let Check::SubmittedBy { deadline } = &rule.check {
            self.submitted_by(rule, deadline, out);
            return;
        }
        // A pending field is silent until the spine extracts it.
        let root = field.split('.').next().unwrap_or(field);
        if rule.pending && self.json.get(root).is_none() {
            return;
        }
        if let Check::SealRequired {
            must_match_applicant,
            min_confidence,
            documents,
        } = &rule.check
        {
            let seals: Vec<&Value> = lookup(self.json, field)
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let need = SealNeed {
                must_match: *must_match_applicant,
                min_confidence: *min_confidence,
            };
            self.seals(rule, field, &seals, documents, need, out);
            return;
        }
        let Some(value) = lookup(self.json, field) else {
            // For these kinds absence is the violation itself.
            if matches!(rule.check, Check::Required {}) {
                let msg = format!("缺少{zf} / {field} not found");
                out.push(self.finding(rule, rule.code, field, msg));
            } else if !rule.skip_if_missing {
                self.missing(rule, field, out);
            }
            return;
        };
        match &rule.check {
            Check::Required {}
            | Check::Filename { .. }
            | Check::SubmittedBy { .. }
            | Check::Unique { .. }
            | Check::Similar { .. }
            | Check::SummaryMatches { .. } => {}
            Check::MaxItems { max } => {
                let n = value.as_array().map_or(1, Vec::len);
                if n > *max {
                    let msg = format!(
                        "{zf}共{n}项，超过上限{max}项 / {n} items in {field}, more than the limit of {max}"
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::MinItems { min } => {
                let n = value.as_array().map_or(1, Vec::len);
                if n < *min {
                    let msg = format!(
                        "{zf}仅{n}项，少于{min}项 / only {n} items in {field}, fewer than {min}"
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::Range { min, max } => self.number(rule, field, value, *min, *max, out),
            Check::MaxValue { max } => self.number(rule, field, value, None, Some(*max), out),
            Check::MinValue { min } => self.number(rule, field, value, Some(*min), None, out),
            Check::RatioMin {
                numerator,
                denominator,
                min,
                by_applicant_type,
            } => self.ratio(rule, numerator, denominator, *min, by_applicant_type, out),
            Check::PeriodMonths { min, max } => self.period(rule, field, value, *min, *max, out),
            Check::DateOnOrAfter { date } | Check::DateOnOrBefore { date } => {
                let after = matches!(rule.check, Check::DateOnOrAfter { .. });
                let Some(v) = value.as_str() else {
                    return self.missing(rule, field, out);
                };
                let ok = match cmp_dates(v, date) {
                    Some(o) if after => o.is_ge(),
                    Some(o) => o.is_le(),
                    None => return self.unreadable(rule, field, v, out),
                };
                if !ok {
                    let (zh, en) = if after {
                        ("早于", "before")
                    } else {
                        ("晚于", "after")
                    };
                    let msg = format!("{zf}为{v}，{zh}{date} / {field} is {v}, {en} {date}");
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::CountriesInDirection {
                other_direction_code,
            } => self.countries(rule, field, value, *other_direction_code, out),
            Check::ApplicantTypes { allowed } => {
                let t = value.as_str().unwrap_or_default();
                if !allowed.iter().any(|a| a == t) {
                    let msg = format!(
                        "申报单位类型为{t}，要求为{} / applicant type is {t}, the call requires {}",
                        allowed.join("或"),
                        allowed.join(" or ")
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::OneOf { values } => {
                let allowed = self.catalog.expand_countries(values);
                let items: Vec<String> = match value {
                    Value::Array(a) => a.iter().map(scalar).collect(),
                    v => vec![scalar(v)],
                };
                let bad: Vec<&str> = items
                    .iter()
                    .filter(|i| !allowed.iter().any(|a| a.eq_ignore_ascii_case(i.trim())))
                    .map(String::as_str)
                    .collect();
                if !bad.is_empty() {
                    let b = bad.join(", ");
                    let msg = format!(
                        "{zf}中的{b}不在允许范围内 / {b} in {field} not among the allowed values"
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::Contains { value: want } => {
                let has = match value {
                    Value::Array(a) => a.iter().any(|i| scalar(i) == *want),
                    v => scalar(v) == *want,
                };
                if !has {
                    let msg = format!("{zf}中没有{want} / {field} does not include {want}");
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::IndicatorMin {
                indicator,
                min,
                size_min,
                size_unit,
            } => {
                let kind = kind_name(*indicator);
                let items: Vec<&Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|i| i.get("kind").and_then(Value::as_str) == Some(kind.as_str()))
                    .collect();
                // Items that state a size below the rule's do not count.
                let small = |i: &Value| match (size_min, size_unit) {
                    (Some(m), Some(u)) => i
                        .get("text")
                        .and_then(Value::as_str)
                        .and_then(|t| stated_size(t, u))
                        .is_some_and(|v| v < *m),
                    _ => false,
                };
                // An indicator line without a number commits to one item.
                let total: f64 = items
                    .iter()
                    .filter(|i| !small(i))
                    .map(|i| i.get("count").and_then(Value::as_f64).unwrap_or(1.0))
                    .sum();
                if total < *min {
                    let sized = match (size_min, size_unit) {
                        (Some(m), Some(u)) if items.iter().any(|i| small(i)) => {
                            format!("（每项须达{m}{u}以上）")
                        }
                        _ => String::new(),
                    };
                    let msg = format!(
                        "{kind}类考核指标合计{total}，少于要求的{min}{sized} / {total} {kind} indicator(s), fewer than the required {min}"
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::EachHas { key } => {
                let missing = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|i| lookup(i, key).is_none())
                    .count();
                if missing > 0 {
                    let msg = format!(
                        "{zf}中有{missing}项缺少{key} / {missing} item(s) of {field} lack {key}"
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::AgreementCoversPeriod {} => self.covers(rule, out),
            Check::AgreementBilingual { languages } => {
                let have: Vec<String> =
                    value.as_array().into_iter().flatten().map(scalar).collect();
                let lacking: Vec<&str> = languages
                    .iter()
                    .filter(|l| !have.iter().any(|h| h == *l))
                    .map(String::as_str)
                    .collect();
                if !lacking.is_empty() {
                    let msg = format!(
                        "合作协议缺少{}文本，须为中英文对照 / agreement lacks the {} text; a bilingual agreement is required",
                        lacking.join("、"),
                        lacking.join(", ")
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::AgreementIpClause {} => {
                if value.as_bool() != Some(true) {
                    let msg = "合作协议未约定知识产权归属 / the agreement has no intellectual-property clause".to_string();
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
            Check::SealRequired { .. } => {}
            Check::TitleLevel {
                allowed,
                below,
                degrees,
            } => {
                let t = scalar(value);
                if title_eligible(&t, allowed, below, degrees) == Some(false) {
                    let msg = format!(
                        "{}为“{t}”，不满足要求（{}或{}） / {field} `{t}` is below the required level",
                        zh(field),
                        allowed.first().map(String::as_str).unwrap_or(""),
                        degrees.first().map(String::as_str).unwrap_or("")
                    );
                    out.push(self.finding(rule, rule.code, field, msg));
                }
            }
        }
    }

    /// Seals where the rule wants them: on the proposal, or on each listed
    /// kind of document it holds. A missing seal is the rule's code
    /// (SEAL_MISSING); with `must_match`, see [`Ctx::seal_owner`].
    fn seals(
        &self,
        rule: &Rule,
        field: &str,
        seals: &[&Value],
        documents: &[String],
        need: SealNeed,
        out: &mut Vec<Finding>,
    ) {
        if documents.is_empty() {
            if seals.is_empty() {
                let msg = "未发现公章 / no official seal found".to_string();
                out.push(self.finding(rule, rule.code, field, msg));
            } else if need.must_match {
                self.seal_owner(rule, field, seals, None, need.min_confidence, out);
            }
            return;
        }
        for d in self.view.documents {
            let name = d.path.rsplit('/').next().unwrap_or(&d.path);
            let role = serde_json::to_value(d.role).ok();
            let listed = documents.iter().any(|w| {
                role.as_ref().and_then(Value::as_str) == Some(w.as_str())
                    || name.contains(w.as_str())
            });
            if !listed {
                continue;
            }
            let on: Vec<&Value> = seals
                .iter()
                .copied()
                .filter(|s| {
                    let src = s.get("source").and_then(Value::as_str).unwrap_or("");
                    src == d.path || src.ends_with(&format!("/{}", d.path))
                })
                .collect();
            if on.is_empty() {
                let msg = format!("《{name}》未发现公章 / no official seal found on {name}");
                let mut f = self.finding(rule, rule.code, field, msg);
                f.source = Some(d.path.clone());
                out.push(f);
            } else if need.must_match {
                self.seal_owner(rule, field, &on, Some(name), need.min_confidence, out);
            }
        }
    }

    /// The seals' owner (`fields::seals` decides it): a seal of the
    /// applicant or partner satisfies the rule. Else a seal read surely
    /// that belongs to nobody it should — on a listed document (`on`),
    /// also one that belongs to another party or a sub-unit — is
    /// SEAL_MISMATCH; seals read unsurely are SEAL_UNREADABLE (a warning),
    /// never a mismatch, and a guessed reading never passes as a match.
    fn seal_owner(
        &self,
        rule: &Rule,
        field: &str,
        seals: &[&Value],
        on: Option<&str>,
        min_confidence: f64,
        out: &mut Vec<Finding>,
    ) {
        let conf = |s: &Value| s.get("confidence").and_then(Value::as_f64).unwrap_or(0.0);
        let text = |s: &Value| {
            s.get("text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let owner = |s: &Value| s.get("owner").and_then(Value::as_str).map(str::to_string);
        let sure = |s: &Value| conf(s) >= min_confidence && !text(s).trim().is_empty();
        if seals
            .iter()
            .any(|s| matches!(owner(s).as_deref(), Some("applicant" | "partner")))
        {
            return;
        }
        let wrong: Vec<String> = seals
            .iter()
            .filter(|s| match owner(s).as_deref() {
                None => sure(s),
                // Proposal-wide, a party's own seal on its own paper (the
                // 查新机构's on its report) is not wrong.
                Some(_) => on.is_some(),
            })
            .map(|s| text(s))
            .collect();
        let place = on.map(|n| format!("《{n}》上的")).unwrap_or_default();
        if !wrong.is_empty() {
            let t = wrong.join("、");
            let msg = format!(
                "{place}公章（{t}）不是申报单位公章 / seal(s) ({t}) do not belong to the applicant"
            );
            let mut f = self.finding(rule, Code::SealMismatch, field, msg);
            if let Some(src) = seals
                .first()
                .and_then(|s| s.get("source"))
                .and_then(Value::as_str)
            {
                f.source = Some(src.to_string());
            }
            out.push(f);
            return;
        }
        let unsure: Vec<String> = seals
            .iter()
            .filter(|s| owner(s).is_none())
            .map(|s| format!("“{}”，置信度{:.2}", text(s), conf(s)))
            .collect();
        if unsure.is_empty() {
            return;
        }
        let t = unsure.join("；");
        let msg = format!(
            "{place}公章文字未能可靠识别（{t}），请人工核对是否为申报单位公章 / seal text not read confidently ({t}); check by eye that it is the applicant's"
        );
        let mut f = self.finding(rule, Code::SealUnreadable, field, msg);
        f.severity = crate::record::Severity::Warning;
        out.push(f);
    }

    fn submitted_by(&self, rule: &Rule, deadline: &str, out: &mut Vec<Finding>) {
        let Some(sent) = self.view.submitted else {
            return;
        };
        let (Some(at), Some(limit)) = (epoch_minutes(&sent.date), epoch_minutes(deadline)) else {
            return;
        };
        if at > limit {
            let msg = format!(
                "报送邮件发送时间{}晚于截止时间{deadline} / the e-mail was sent {} after the deadline {deadline}",
                sent.date, sent.date
            );
            out.push(Finding {
                code: rule.code,
                severity: rule.severity,
                field: Some("submitted".into()),
                message: msg,
                source: Some(sent.source.clone()),
                evidence: Some(Evidence {
                    source: sent.source.clone(),
                    page: None,
                    locator: "e-mail header Date".into(),
                    text: format!("Date: {}", sent.date),
                }),
            });
        }
    }

    fn missing(&self, rule: &Rule, field: &str, out: &mut Vec<Finding>) {
        let zf = zh(field);
        let mut f = self.finding(
            rule,
            Code::MissingField,
            field,
            format!("未找到{zf} / {field} not found"),
        );
        // A missing field under a scheme's rule is as severe as the rule.
        f.severity = rule.severity;
        out.push(f);
    }

    fn unreadable(&self, rule: &Rule, field: &str, v: &str, out: &mut Vec<Finding>) {
        let zf = zh(field);
        let msg = format!("{zf}的值“{v}”无法识别 / {field} value `{v}` cannot be read");
        out.push(self.finding(rule, Code::MissingField, field, msg));
    }

    fn number(
        &self,
        rule: &Rule,
        field: &str,
        v: &Value,
        min: Option<f64>,
        max: Option<f64>,
        out: &mut Vec<Finding>,
    ) {
        let zf = zh(field);
        let Some(n) = v.as_f64() else {
            return self.unreadable(rule, field, &scalar(v), out);
        };
        if let Some(lo) = min.filter(|lo| n < *lo) {
            let msg =
                format!("{zf}为{n}，低于下限{lo} / {field} is {n}, below the minimum of {lo}");
            out.push(self.finding(rule, rule.code, field, msg));
        } else if let Some(hi) = max.filter(|hi| n > *hi) {
            let msg =
                format!("{zf}为{n}，超过上限{hi} / {field} is {n}, above the maximum of {hi}");
            out.push(self.finding(rule, rule.code, field, msg));
        }
    }

    fn ratio(
        &self,
        rule: &Rule,
        num: &str,
        den: &str,
        min: f64,
        by_type: &BTreeMap<String, f64>,
        out: &mut Vec<Finding>,
    ) {
        let (Some(n), Some(d)) = (
            lookup(self.json, num).and_then(Value::as_f64),
            lookup(self.json, den).and_then(Value::as_f64),
        ) else {
            if !rule.skip_if_missing {
                let which = if lookup(self.json, num).is_none() {
                    num
                } else {
                    den
                };
                self.missing(rule, which, out);
            }
            return;
        };
        let atype = lookup(self.json, "applicant_type")
            .and_then(Value::as_str)
            .unwrap_or("");
        let need = by_type.get(atype).copied().unwrap_or(min);
        if d <= 0.0 {
            return;
        }
        let r = n / d;
        // Compare with a little slack: 万元 figures are often rounded.
        if r + 1e-9 < need {
            let msg = format!(
                "配套资金{n}万元与申请资金{d}万元之比为{r:.2}:1，低于{need}:1 / matching {n} vs requested {d} (ratio {r:.2}:1) is below {need}:1"
            );
            out.push(self.finding(rule, rule.code, num, msg));
        }
    }

    fn period(
        &self,
        rule: &Rule,
        field: &str,
        v: &Value,
        min: Option<u32>,
        max: Option<u32>,
        out: &mut Vec<Finding>,
    ) {
        let start = v.get("start").and_then(Value::as_str);
        let end = v.get("end").and_then(Value::as_str);
        let (Some(s), Some(e)) = (start, end) else {
            if !rule.skip_if_missing {
                let which = if start.is_none() {
                    "execution_period.start"
                } else {
                    "execution_period.end"
                };
                self.missing(rule, which, out);
            }
            return;
        };
        let Some(m) = months_between(s, e) else {
            return self.unreadable(rule, field, &format!("{s}..{e}"), out);
        };
        let bounds = match (min, max) {
            (Some(a), Some(b)) if a == b => format!("{a}个月 / {a} months"),
            (Some(a), Some(b)) => format!("{a}–{b}个月 / {a}–{b} months"),
            (Some(a), None) => format!("不少于{a}个月 / at least {a} months"),
            (None, Some(b)) => format!("不超过{b}个月 / at most {b} months"),
            (None, None) => return,
        };
        if min.is_some_and(|a| m < a) || max.is_some_and(|b| m > b) {
            let msg =
                format!("执行期{s}至{e}共{m}个月，要求{bounds} (period {s} to {e} is {m} months)");
            out.push(self.finding(rule, rule.code, field, msg));
        }
    }

    fn covers(&self, rule: &Rule, out: &mut Vec<Finding>) {
        let get = |p| lookup(self.json, p).and_then(Value::as_str);
        let (Some(ps), Some(pe)) = (get("execution_period.start"), get("execution_period.end"))
        else {
            if !rule.skip_if_missing {
                self.missing(rule, "execution_period", out);
            }
            return;
        };
        let Some(vt) = get("agreement.valid_to") else {
            // An agreement whose term was not read is not a pass: say so.
            if lookup(self.json, "agreement").is_some() {
                let msg = format!(
                    "已提供合作协议，但未能读出其有效期，无法核对是否覆盖执行期{ps}至{pe}，请人工核对 / the agreement's term could not be read: check by eye that it covers the execution period {ps} to {pe}"
                );
                let mut f = self.finding(rule, rule.code, "agreement.valid_to", msg);
                f.severity = crate::record::Severity::Warning;
                out.push(f);
            } else if !rule.skip_if_missing {
                self.missing(rule, "agreement.valid_to", out);
            }
            return;
        };
        let vf = get("agreement.valid_from");
        let starts_late = vf
            .and_then(|vf| cmp_dates(vf, ps))
            .is_some_and(|o| o.is_gt());
        let ends_early = cmp_dates(vt, pe).is_some_and(|o| o.is_lt());
        if starts_late || ends_early {
            let msg = format!(
                "合作协议有效期{}至{vt}未覆盖执行期{ps}至{pe} / agreement valid {} to {vt} does not cover the execution period {ps} to {pe}",
                vf.unwrap_or("?"),
                vf.unwrap_or("?")
            );
            out.push(self.finding(rule, rule.code, "agreement.valid_to", msg));
        }
    }

    fn countries(
        &self,
        rule: &Rule,
        field: &str,
        v: &Value,
        other_code: Option<Code>,
        out: &mut Vec<Finding>,
    ) {
        let Some(dir) = self.view.direction.and_then(|d| self.scheme.direction(d)) else {
            return;
        };
        if dir.countries.is_empty() {
            return;
        }
        let allowed = self.catalog.expand_countries(&dir.countries);
        let partners: Vec<String> = v.as_array().into_iter().flatten().map(scalar).collect();
        let bad: Vec<&String> = partners
            .iter()
            .filter(|c| !allowed.contains(c.as_str()))
            .collect();
        if bad.is_empty() {
            return;
        }
        let b = bad
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        // Does another direction of this call take all the bad partners?
        let elsewhere = other_code.and_then(|code| {
            self.scheme
                .directions
                .iter()
                .filter(|d| d.id != dir.id && !d.countries.is_empty())
                .find(|d| {
                    let set = self.catalog.expand_countries(&d.countries);
                    bad.iter().all(|c| set.contains(c.as_str()))
                })
                .map(|d| (code, d))
        });
        let f = match elsewhere {
            Some((code, d)) => {
                let msg = format!(
                    "合作国别{b}不属于“{}”，应归入“{}” / partner {b} is not in direction {}, it belongs under {}",
                    dir.name, d.name, dir.id, d.id
                );
                self.finding(rule, code, field, msg)
            }
            None => {
                let msg = format!(
                    "合作国别{b}不在“{}”支持范围内 / partner {b} is not eligible for direction {}",
                    dir.name, dir.id
                );
                self.finding(rule, rule.code, field, msg)
            }
        };
        out.push(f);
    }

    fn filename(&self, rule: &Rule, pattern: Option<&str>, out: &mut Vec<Finding>) {
        let Some(stem) = self.view.file_stem else {
            return;
        };
        let Some(p) = pattern.or(self.scheme.naming.as_ref().map(|n| n.pattern.as_str())) else {
            return;
        };
        // Patterns are validated when the catalog loads.
        let Some(re) = cached_regex(p) else { return };
        if !re.is_match(stem.trim()) {
            let example = self
                .scheme
                .naming
                .as_ref()
                .map(|n| n.example.as_str())
                .unwrap_or(p);
            let msg = format!(
                "文件名“{stem}”不符合命名要求（例如“{example}”） / file name `{stem}` does not follow the naming rule (e.g. `{example}`)"
            );
            out.push(self.finding(rule, rule.code, "file_name", msg));
        } else if let Some(naming) = self.scheme.naming.as_ref().filter(|n| n.unit_last)
            && let Some(applicant) = self.view.fields.applicant.as_deref()
            && unit_not_last(stem, applicant)
        {
            let example = &naming.example;
            let msg = format!(
                "文件名“{stem}”中建议单位不在末尾（应为“{example}”） / file name `{stem}` does not end with the proposing unit (e.g. `{example}`)"
            );
            out.push(self.finding(rule, rule.code, "file_name", msg));
        }
    }

    fn finding(&self, rule: &Rule, code: Code, field: &str, message: String) -> Finding {
        let root = field.split('.').next().unwrap_or(field);
        let evidence = self
            .view
            .evidence
            .get(field)
            .or_else(|| self.view.evidence.get(root))
            .cloned();
        let source = evidence
            .as_ref()
            .map(|e| e.source.clone())
            .or_else(|| self.view.source.map(str::to_string));
        Finding {
            code,
            severity: rule.severity,
            field: Some(field.to_string()),
            message,
            source,
            evidence,
        }
    }
}

/// Whether a file stem names the applicant in a part before its last one
/// and not in its last (`1.单位-项目名称` for `1.项目名称-单位`).
fn unit_not_last(stem: &str, applicant: &str) -> bool {
    use crate::normalize::org::org_similarity;
    let parts: Vec<&str> = stem
        .split(['-', '－', '—', '–'])
        .map(|p| {
            p.trim()
                .trim_start_matches(|c: char| c.is_ascii_digit() || ".．、 ".contains(c))
        })
        .filter(|p| !p.is_empty())
        .collect();
    let Some((last, before)) = parts.split_last() else {
        return false;
    };
    org_similarity(last, applicant) < 0.5
        && before.iter().any(|p| org_similarity(p, applicant) >= 0.8)
}

/// Whether a title meets the level (see [`Check::TitleLevel`]); `None`
/// when it names no known title or degree.
pub fn title_eligible(
    title: &str,
    allowed: &[String],
    below: &[String],
    degrees: &[String],
) -> Option<bool> {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    if degrees.iter().any(|d| t.contains(&d.to_lowercase())) {
        return Some(true);
    }
    let longest = |words: &[String]| {
        words
            .iter()
            .filter(|w| t.contains(&w.to_lowercase()))
            .map(|w| w.chars().count())
            .max()
    };
    match (longest(allowed), longest(below)) {
        (None, None) => None,
        (Some(_), None) => Some(true),
        (None, Some(_)) => Some(false),
        (Some(a), Some(b)) => Some(a >= b),
    }
}

/// Minutes since 1970-01-01 UTC of an RFC 3339 time (`2025-11-28T23:59:59+08:00`,
/// `…Z`); a bare date is its end of day in UTC+8 (a Chinese office's day).
pub fn epoch_minutes(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = match s.split_once(['T', ' ']) {
        Some((d, r)) => (d, Some(r)),
        None => (s, None),
    };
    let mut it = date.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let (hm, offset) = match rest {
        None => (23 * 60 + 59, 8 * 60),
        Some(r) => {
            let (clock, off) = if let Some(c) = r.strip_suffix(['Z', 'z']) {
                (c, 0)
            } else if let Some(i) = r.rfind(['+', '-']) {
                let sign = if r[i..].starts_with('-') { -1 } else { 1 };
                let mut o = r[i + 1..].split(':');
                let oh: i64 = o.next()?.parse().ok()?;
                let om: i64 = o.next().unwrap_or("0").parse().ok()?;
                (&r[..i], sign * (oh * 60 + om))
            } else {
                // No offset: the office's own time.
                (r, 8 * 60)
            };
            let mut c = clock.split(':');
            let h: i64 = c.next()?.parse().ok()?;
            let mi: i64 = c.next().unwrap_or("0").parse().ok()?;
            (h * 60 + mi, off)
        }
    };
    Some(days * 1440 + hm - offset)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The size an indicator's text states in `unit` (`每次参会40人以上` → 40
/// for 人): the largest number written just before the unit.
fn stated_size(text: &str, unit: &str) -> Option<f64> {
    let re = regex::Regex::new(&format!(r"(\d+(?:\.\d+)?)\s*{}", regex::escape(unit))).ok()?;
    re.captures_iter(text)
        .filter_map(|c| c.get(1)?.as_str().parse::<f64>().ok())
        .reduce(f64::max)
}

/// (year, month, day) of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn parse_date(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let mut it = s.trim().split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next().map(str::parse::<u32>).transpose().ok()?;
    let d = it.next().map(str::parse::<u32>).transpose().ok()?;
    if it.next().is_some()
        || m.is_some_and(|m| !(1..=12).contains(&m))
        || d.is_some_and(|d| !(1..=31).contains(&d))
    {
        return None;
    }
    Some((y, m, d))
}

/// Compares two dates at the coarser of their precisions, so that `1967-01`
/// is neither before nor after `1967-01-01`.
fn cmp_dates(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let (ay, am, ad) = parse_date(a)?;
    let (by, bm, bd) = parse_date(b)?;
    let mut o = ay.cmp(&by);
    if let (Some(am), Some(bm)) = (am, bm) {
        o = o.then(am.cmp(&bm));
        if let (Some(ad), Some(bd)) = (ad, bd) {
            o = o.then(ad.cmp(&bd));
        }
    }
    Some(o)
}

/// Whole months of an inclusive period, rounded: 2025-01-01..2027-12-31 and
/// 2025-01..2027-12 are both 36.
fn months_between(start: &str, end: &str) -> Option<u32> {
    let (sy, sm, sd) = parse_date(start)?;
    let (ey, em, ed) = parse_date(end)?;
    let (sm, em) = (sm.unwrap_or(1) as i32, em.unwrap_or(12) as i32);
    let (sd, ed) = (sd.unwrap_or(1) as f64, ed.unwrap_or(30) as f64);
    let months = (ey * 12 + em - sy * 12 - sm) as f64 + (ed - sd + 1.0) / 30.0;
    (months >= 0.0).then(|| months.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{
        Agreement, ApplicantType, Funding, Indicator, IndicatorKind, Period, Pi, Seal, Severity,
        Trl,
    };

    /// A one-rule, one-direction scheme around `rule_toml`.
    fn scheme(rule_toml: &str) -> Scheme {
        let text = format!(
            r#"
id = "t"
title = "t"
issuer = "t"
seed = "t"
year = 2025
grouping = "document"
[naming]
pattern = '^\d+[.．]\s*.+-[^-]+$'
example = "1.项目名称-建议单位"
quote = "q"
[[directions]]
id = "sco"
name = "上合组织成员国"
countries = ["@sco"]
quote = "q"
[[directions]]
id = "japan-korea"
name = "日韩"
countries = ["@japan-korea"]
quote = "q"
[[directions]]
id = "open"
name = "不限"
quote = "q"
[[rules]]
quote = "q"
{rule_toml}
"#
        );
        toml::from_str(&text).unwrap()
    }

    fn run(rule_toml: &str, fields: &Fields) -> Vec<Finding> {
        run_in(rule_toml, fields, Some("sco"), None)
    }

    fn run_in(
        rule_toml: &str,
        fields: &Fields,
        direction: Option<&str>,
        stem: Option<&str>,
    ) -> Vec<Finding> {
        let c = Catalog::embedded();
        let s = scheme(rule_toml);
        let mut ev = BTreeMap::new();
        ev.insert(
            "key_technologies".to_string(),
            Evidence {
                source: "a.docx".into(),
                page: None,
                locator: "table 1, row 3".into(),
                text: "1. …".into(),
            },
        );
        let view = ProposalView {
            documents: &[],
            submitted: None,
            direction,
            fields,
            evidence: &ev,
            file_stem: stem,
            source: Some("form.docx"),
        };
        evaluate(&s, &c, &view)
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn max_items() {
        let rule = r#"code = "KEY_TECH_LIMIT"
kind = "max_items"
field = "key_technologies"
max = 5"#;
        let mut f = Fields {
            key_technologies: (1..=6).map(|i| format!("t{i}")).collect(),
            ..Default::default()
        };
        let out = run(rule, &f);
        assert_eq!(codes(&out), ["KEY_TECH_LIMIT"]);
        assert!(out[0].message.contains("6") && out[0].message.contains(" / "));
        assert_eq!(out[0].evidence.as_ref().unwrap().locator, "table 1, row 3");
        assert_eq!(out[0].source.as_deref(), Some("a.docx"));
        f.key_technologies.truncate(5);
        assert!(run(rule, &f).is_empty());
        // Missing list: MISSING_FIELD, not a pass …
        assert_eq!(codes(&run(rule, &Fields::default())), ["MISSING_FIELD"]);
        // … unless the rule says so.
        assert!(
            run(
                &format!("{rule}\nskip_if_missing = true"),
                &Fields::default()
            )
            .is_empty()
        );
    }

    #[test]
    fn min_items() {
        let rule =
            "code = \"MISSING_FIELD\"\nkind = \"min_items\"\nfield = \"key_technologies\"\nmin = 2";
        let f = Fields {
            key_technologies: vec!["a".into()],
            ..Default::default()
        };
        assert_eq!(codes(&run(rule, &f)), ["MISSING_FIELD"]);
        let f = Fields {
            key_technologies: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        assert!(run(rule, &f).is_empty());
    }

    #[test]
    fn required_uses_its_code() {
        let rule = "code = \"TRL_MISSING\"\nkind = \"required\"\nfield = \"trl\"";
        assert_eq!(codes(&run(rule, &Fields::default())), ["TRL_MISSING"]);
        let f = Fields {
            trl: Some(Trl {
                current: 4,
                target: None,
            }),
            ..Default::default()
        };
        assert!(run(rule, &f).is_empty());
    }

    #[test]
    fn range_and_values() {
        let rule =
            "code = \"TRL_INVALID\"\nkind = \"range\"\nfield = \"trl.current\"\nmin = 1\nmax = 9";
        let f = Fields {
            trl: Some(Trl {
                current: 12,
                target: None,
            }),
            ..Default::default()
        };
        assert_eq!(codes(&run(rule, &f)), ["TRL_INVALID"]);
        let f = Fields {
            trl: Some(Trl {
                current: 0,
                target: None,
            }),
            ..Default::default()
        };
        assert_eq!(codes(&run(rule, &f)), ["TRL_INVALID"]);
        let f = Fields {
            trl: Some(Trl {
                current: 9,
                target: None,
            }),
            ..Default::default()
        };
        assert!(run(rule, &f).is_empty());

        let cap = "code = \"FUNDING_CAP_EXCEEDED\"\nkind = \"max_value\"\nfield = \"funding.requested_wan\"\nmax = 150";
        let money = |r| Fields {
            funding: Some(Funding {
                requested_wan: Some(r),
                matching_wan: None,
            }),
            ..Default::default()
        };
        assert_eq!(codes(&run(cap, &money(150.5))), ["FUNDING_CAP_EXCEEDED"]);
        assert!(run(cap, &money(150.0)).is_empty());
        let floor = "code = \"FUNDING_CAP_EXCEEDED\"\nkind = \"min_value\"\nfield = \"funding.requested_wan\"\nmin = 40";
        assert_eq!(codes(&run(floor, &money(39.0))), ["FUNDING_CAP_EXCEEDED"]);
        assert!(run(floor, &money(40.0)).is_empty());
    }

    #[test]
    fn ratio_min_with_enterprise_override() {
        let rule = "code = \"MATCHING_RATIO_LOW\"\nkind = \"ratio_min\"\nmin = 1.0\nby_applicant_type = { enterprise = 2.0 }";
        let f = |t, r, m| Fields {
            applicant_type: Some(t),
            funding: Some(Funding {
                requested_wan: Some(r),
                matching_wan: Some(m),
            }),
            ..Default::default()
        };
        assert!(run(rule, &f(ApplicantType::University, 40.0, 40.0)).is_empty());
        assert_eq!(
            codes(&run(rule, &f(ApplicantType::University, 40.0, 30.0))),
            ["MATCHING_RATIO_LOW"]
        );
        assert_eq!(
            codes(&run(rule, &f(ApplicantType::Enterprise, 40.0, 60.0))),
            ["MATCHING_RATIO_LOW"]
        );
        assert!(run(rule, &f(ApplicantType::Enterprise, 40.0, 80.0)).is_empty());
        let no_match = Fields {
            funding: Some(Funding {
                requested_wan: Some(40.0),
                matching_wan: None,
            }),
            ..Default::default()
        };
        let out = run(rule, &no_match);
        assert_eq!(codes(&out), ["MISSING_FIELD"]);
        assert_eq!(out[0].field.as_deref(), Some("funding.matching_wan"));
    }

    #[test]
    fn period_months() {
        let rule = "code = \"PERIOD_OUT_OF_RANGE\"\nkind = \"period_months\"\nmin = 24\nmax = 36";
        let p = |s: &str, e: &str| Fields {
            execution_period: Some(Period {
                start: Some(s.into()),
                end: Some(e.into()),
            }),
            ..Default::default()
        };
        assert!(run(rule, &p("2025-01-01", "2027-12-31")).is_empty());
        assert!(run(rule, &p("2025-01", "2026-12")).is_empty());
        assert_eq!(
            codes(&run(rule, &p("2025-01-01", "2028-12-31"))),
            ["PERIOD_OUT_OF_RANGE"]
        );
        assert_eq!(
            codes(&run(rule, &p("2025-01", "2025-12"))),
            ["PERIOD_OUT_OF_RANGE"]
        );
        assert_eq!(codes(&run(rule, &Fields::default())), ["MISSING_FIELD"]);
        assert_eq!(months_between("2025-03-15", "2028-03-14"), Some(36));
    }

    #[test]
    fn dates() {
        let rule = "code = \"PI_AGE_LIMIT\"\nkind = \"date_on_or_after\"\nfield = \"pi.birth_date\"\ndate = \"1967-01-01\"";
        let pi = |d: &str| Fields {
            pi: Some(Pi {
                name: "张三".into(),
                birth_date: Some(d.into()),
                title: None,
            }),
            ..Default::default()
        };
        assert!(run(rule, &pi("1967-01-01")).is_empty());
        assert!(run(rule, &pi("1967-01")).is_empty());
        assert!(run(rule, &pi("1980-05-02")).is_empty());
        assert_eq!(codes(&run(rule, &pi("1966-12-31"))), ["PI_AGE_LIMIT"]);
        assert_eq!(codes(&run(rule, &pi("1966-12"))), ["PI_AGE_LIMIT"]);
        // A PI without a birth date is a missing field, not a pass.
        let no_date = Fields {
            pi: Some(Pi {
                name: "张三".into(),
                birth_date: None,
                title: None,
            }),
            ..Default::default()
        };
        assert_eq!(codes(&run(rule, &no_date)), ["MISSING_FIELD"]);

        let before = "code = \"PI_AGE_LIMIT\"\nkind = \"date_on_or_before\"\nfield = \"pi.birth_date\"\ndate = \"1990-01-01\"";
        assert!(run(before, &pi("1989-12-31")).is_empty());
        assert_eq!(codes(&run(before, &pi("1990-01-02"))), ["PI_AGE_LIMIT"]);
    }

    #[test]
    fn pending_field_is_silent_until_extracted() {
        let rule = "code = \"ORG_REGISTERED_TOO_LATE\"\nkind = \"date_on_or_before\"\nfield = \"applicant_registered_on\"\ndate = \"2023-01-01\"\npending = true";
        assert!(run(rule, &Fields::default()).is_empty());
    }

    #[test]
    fn countries_in_direction() {
        let rule = "code = \"PARTNER_NOT_ELIGIBLE\"\nkind = \"countries_in_direction\"";
        let p = |c: &[&str]| Fields {
            partner_countries: c.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert!(run(rule, &p(&["RU", "BY"])).is_empty());
        assert_eq!(
            codes(&run(rule, &p(&["RU", "US"]))),
            ["PARTNER_NOT_ELIGIBLE"]
        );
        assert_eq!(codes(&run(rule, &p(&["CN"]))), ["PARTNER_NOT_ELIGIBLE"]);
        // Unrestricted or unknown direction: nothing to check.
        assert!(run_in(rule, &p(&["US"]), Some("open"), None).is_empty());
        assert!(run_in(rule, &p(&["US"]), None, None).is_empty());
        assert_eq!(codes(&run(rule, &p(&[]))), ["MISSING_FIELD"]);
        // Filed under the wrong folder: the other direction is named.
        let cat = format!("{rule}\nother_direction_code = \"CATEGORY_MISMATCH\"");
        let out = run(&cat, &p(&["JP"]));
        assert_eq!(codes(&out), ["CATEGORY_MISMATCH"]);
        assert!(out[0].message.contains("日韩"));
        assert_eq!(codes(&run(&cat, &p(&["US"]))), ["PARTNER_NOT_ELIGIBLE"]);
    }

    #[test]
    fn applicant_types() {
        let rule = "code = \"APPLICANT_TYPE_NOT_ALLOWED\"\nkind = \"applicant_types\"\nallowed = [\"university\", \"institute\"]";
        let t = |t| Fields {
            applicant_type: Some(t),
            ..Default::default()
        };
        assert!(run(rule, &t(ApplicantType::Institute)).is_empty());
        assert_eq!(
            codes(&run(rule, &t(ApplicantType::Enterprise))),
            ["APPLICANT_TYPE_NOT_ALLOWED"]
        );
    }

    #[test]
    fn one_of_and_contains() {
        let rule = "code = \"PARTNER_NOT_ELIGIBLE\"\nkind = \"one_of\"\nfield = \"partner_countries\"\nvalues = [\"@japan-korea\", \"SG\"]";
        let p = |c: &[&str]| Fields {
            partner_countries: c.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert!(run(rule, &p(&["JP", "SG"])).is_empty());
        assert_eq!(
            codes(&run(rule, &p(&["JP", "US"]))),
            ["PARTNER_NOT_ELIGIBLE"]
        );
        let has = "code = \"PARTNER_NOT_ELIGIBLE\"\nkind = \"contains\"\nfield = \"partner_countries\"\nvalue = \"KR\"";
        assert!(run(has, &p(&["KR", "JP"])).is_empty());
        assert_eq!(codes(&run(has, &p(&["JP"]))), ["PARTNER_NOT_ELIGIBLE"]);
    }

    #[test]
    fn indicators() {
        let rule = "code = \"INDICATOR_BELOW_MINIMUM\"\nkind = \"indicator_min\"\nindicator = \"patent\"\nmin = 2";
        let ind = |k, c| Indicator {
            kind: k,
            count: c,
            text: "x".into(),
        };
        let f = Fields {
            indicators: vec![
                ind(IndicatorKind::Patent, Some(1.0)),
                ind(IndicatorKind::Paper, Some(5.0)),
            ],
            ..Default::default()
        };
        assert_eq!(codes(&run(rule, &f)), ["INDICATOR_BELOW_MINIMUM"]);
        let f = Fields {
            indicators: vec![
                ind(IndicatorKind::Patent, Some(1.0)),
                ind(IndicatorKind::Patent, None),
            ],
            ..Default::default()
        };
        assert!(run(rule, &f).is_empty());

        let each = "code = \"MISSING_FIELD\"\nseverity = \"warning\"\nkind = \"each_has\"\nfield = \"indicators\"\nkey = \"count\"";
        let f = Fields {
            indicators: vec![ind(IndicatorKind::Paper, None)],
            ..Default::default()
        };
        let out = run(each, &f);
        assert_eq!(codes(&out), ["MISSING_FIELD"]);
        assert_eq!(out[0].severity, Severity::Warning);
        let f = Fields {
            indicators: vec![ind(IndicatorKind::Paper, Some(2.0))],
            ..Default::default()
        };
        assert!(run(each, &f).is_empty());
    }

    fn with_agreement(from: &str, to: &str, langs: &[&str], ip: bool) -> Fields {
        Fields {
            execution_period: Some(Period {
                start: Some("2025-01-01".into()),
                end: Some("2027-12-31".into()),
            }),
            agreement: Some(Agreement {
                valid_from: Some(from.into()),
                valid_to: Some(to.into()),
                languages: langs.iter().map(|s| s.to_string()).collect(),
                has_ip_clause: ip,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn agreement_rules() {
        let cover = "code = \"AGREEMENT_NOT_COVERING_PERIOD\"\nkind = \"agreement_covers_period\"";
        assert!(
            run(
                cover,
                &with_agreement("2024-06-01", "2028-06-30", &["zh"], false)
            )
            .is_empty()
        );
        assert!(run(cover, &with_agreement("2024-06", "2027-12", &["zh"], false)).is_empty());
        assert_eq!(
            codes(&run(
                cover,
                &with_agreement("2024-06-01", "2026-12-31", &["zh"], false)
            )),
            ["AGREEMENT_NOT_COVERING_PERIOD"]
        );
        assert_eq!(
            codes(&run(
                cover,
                &with_agreement("2025-03-01", "2028-12-31", &["zh"], false)
            )),
            ["AGREEMENT_NOT_COVERING_PERIOD"]
        );
        let bil = "code = \"AGREEMENT_NOT_BILINGUAL\"\nkind = \"agreement_bilingual\"\nskip_if_missing = true";
        assert!(
            run(
                bil,
                &with_agreement("2024-06-01", "2028-06-30", &["zh", "en"], false)
            )
            .is_empty()
        );
        assert_eq!(
            codes(&run(
                bil,
                &with_agreement("2024-06-01", "2028-06-30", &["zh"], false)
            )),
            ["AGREEMENT_NOT_BILINGUAL"]
        );
        assert!(run(bil, &Fields::default()).is_empty());
        let ip = "code = \"AGREEMENT_NO_IP_CLAUSE\"\nkind = \"agreement_ip_clause\"\nskip_if_missing = true";
        assert!(
            run(
                ip,
                &with_agreement("2024-06-01", "2028-06-30", &["zh"], true)
            )
            .is_empty()
        );
        assert_eq!(
            codes(&run(
                ip,
                &with_agreement("2024-06-01", "2028-06-30", &["zh"], false)
            )),
            ["AGREEMENT_NO_IP_CLAUSE"]
        );
        let req = "code = \"AGREEMENT_MISSING\"\nkind = \"required\"\nfield = \"agreement\"";
        assert_eq!(codes(&run(req, &Fields::default())), ["AGREEMENT_MISSING"]);
    }

    #[test]
    fn messages_name_fields_as_the_forms_do() {
        let rule = "code = \"KEY_TECH_LIMIT\"\nkind = \"max_items\"\nfield = \"key_technologies\"\nmax = 5";
        let f = Fields {
            key_technologies: (1..=6).map(|i| format!("t{i}")).collect(),
            ..Default::default()
        };
        let out = run(rule, &f);
        assert!(
            out[0].message.starts_with("关键技术共6项，超过上限5项"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn below_range_is_not_above_cap() {
        let rules = "code = \"FUNDING_CAP_EXCEEDED\"\nkind = \"max_value\"\nfield = \"funding.requested_wan\"\nmax = 60\n[[rules]]\nquote = \"q\"\ncode = \"FUNDING_BELOW_RANGE\"\nkind = \"min_value\"\nfield = \"funding.requested_wan\"\nmin = 40\nseverity = \"warning\"";
        let money = |r| Fields {
            funding: Some(crate::record::Funding {
                requested_wan: Some(r),
                matching_wan: None,
            }),
            ..Default::default()
        };
        assert_eq!(codes(&run(rules, &money(30.0))), ["FUNDING_BELOW_RANGE"]);
        assert!(run(rules, &money(40.0)).is_empty());
        assert!(run(rules, &money(60.0)).is_empty());
        assert_eq!(codes(&run(rules, &money(61.0))), ["FUNDING_CAP_EXCEEDED"]);
    }

    #[test]
    fn pi_title_levels() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let allowed = w(&["高级", "高级工程师", "研究员", "副研究员", "教授", "副教授"]);
        let below = w(&["工程师", "助理研究员", "讲师", "中级"]);
        let degrees = w(&["博士"]);
        let ok = |t: &str| title_eligible(t, &allowed, &below, &degrees);
        assert_eq!(ok("高级工程师"), Some(true));
        assert_eq!(ok("副研究员"), Some(true));
        assert_eq!(ok("工程师"), Some(false));
        assert_eq!(ok("助理研究员"), Some(false));
        assert_eq!(ok("讲师（博士）"), Some(true));
        assert_eq!(ok("所长"), None);
    }

    #[test]
    fn dates_of_e_mails() {
        let d = epoch_minutes("2025-11-28T23:59:59+08:00").unwrap();
        assert_eq!(epoch_minutes("2025-11-28T15:59:00Z"), Some(d));
        assert_eq!(epoch_minutes("2025-11-28"), Some(d));
        assert!(epoch_minutes("2025-11-29T00:01:00+08:00").unwrap() > d);
        assert_eq!(epoch_minutes("1970-01-01T00:00:00Z"), Some(0));
        assert!(epoch_minutes("not a date").is_none());
    }

    #[test]
    fn late_e_mail() {
        let c = Catalog::embedded();
        let s = scheme(
            "code = \"SUBMITTED_LATE\"\nkind = \"submitted_by\"\ndeadline = \"2025-11-28T23:59:59+08:00\"",
        );
        let ev = BTreeMap::new();
        let fields = Fields::default();
        let at = |date: &str| {
            let sent = Submitted {
                date: date.into(),
                source: "dept.eml".into(),
            };
            let view = ProposalView {
                documents: &[],
                submitted: Some(&sent),
                direction: None,
                fields: &fields,
                evidence: &ev,
                file_stem: None,
                source: None,
            };
            evaluate(&s, &c, &view)
        };
        let late = at("2025-11-29T09:00:00+08:00");
        assert_eq!(codes(&late), ["SUBMITTED_LATE"]);
        assert_eq!(late[0].source.as_deref(), Some("dept.eml"));
        assert!(at("2025-11-28T17:30:00+08:00").is_empty());
        // No e-mail: nothing to date it by.
        let view = ProposalView {
            documents: &[],
            submitted: None,
            direction: None,
            fields: &fields,
            evidence: &ev,
            file_stem: None,
            source: None,
        };
        assert!(evaluate(&s, &c, &view).is_empty());
    }

    #[test]
    fn agreement_with_an_unread_term_is_not_a_pass() {
        let rule = "code = \"AGREEMENT_NOT_COVERING_PERIOD\"\nkind = \"agreement_covers_period\"\nskip_if_missing = true";
        let mut f = Fields {
            execution_period: Some(crate::record::Period {
                start: Some("2025-01".into()),
                end: Some("2026-12".into()),
            }),
            agreement: Some(crate::record::Agreement {
                languages: vec!["zh".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        let out = run(rule, &f);
        assert_eq!(codes(&out), ["AGREEMENT_NOT_COVERING_PERIOD"]);
        assert_eq!(out[0].severity, crate::record::Severity::Warning);
        if let Some(a) = f.agreement.as_mut() {
            a.valid_to = Some("2027-12-31".into());
        }
        assert!(run(rule, &f).is_empty());
        f.agreement = None;
        assert!(run(rule, &f).is_empty());
    }

    #[test]
    fn filename() {
        let rule = "code = \"FILENAME_CONVENTION\"\nkind = \"filename\"";
        let f = Fields::default();
        assert!(run_in(rule, &f, None, Some("1.智能农机-山东大学")).is_empty());
        assert_eq!(
            codes(&run_in(rule, &f, None, Some("智能农机-山东大学"))),
            ["FILENAME_CONVENTION"]
        );
        // No file name known: nothing to say.
        assert!(run_in(rule, &f, None, None).is_empty());
        // The unit first and the project last: against `…-建议单位`.
        assert!(unit_not_last("28.山东大学-智能农机导航", "山东大学"));
        assert!(!unit_not_last("1.智能农机导航-山东大学", "山东大学"));
        assert!(!unit_not_last(
            "1.智能农机导航-山东大学（威海）",
            "山东大学"
        ));
        // An applicant named nowhere: nothing to say about the order.
        assert!(!unit_not_last("1.智能农机导航-某研究院", "山东大学"));
    }

    #[test]
    fn seals() {
        use crate::record::SealOwner;
        let rule = "code = \"SEAL_MISSING\"\nkind = \"seal_required\"\nmust_match_applicant = true";
        assert_eq!(codes(&run(rule, &Fields::default())), ["SEAL_MISSING"]);
        let seal = |owner, c| Seal {
            source: "a.pdf".into(),
            page: Some(1),
            text: "山东大学".into(),
            owner,
            confidence: Some(c),
            ..Default::default()
        };
        let with = |s: Seal| Fields {
            seals: vec![s],
            ..Default::default()
        };
        assert!(run(rule, &with(seal(Some(SealOwner::Applicant), 0.9))).is_empty());
        assert!(run(rule, &with(seal(Some(SealOwner::Applicant), 0.5))).is_empty());
        assert_eq!(codes(&run(rule, &with(seal(None, 0.9)))), ["SEAL_MISMATCH"]);
        // Proposal-wide, another party's seal on its own paper is no fault.
        assert!(run(rule, &with(seal(Some(SealOwner::Other), 0.9))).is_empty());
        // Read unsurely: a warning to look, never a mismatch.
        let f = run(rule, &with(seal(None, 0.6)));
        assert_eq!(codes(&f), ["SEAL_UNREADABLE"]);
        assert_eq!(f[0].severity, crate::record::Severity::Warning);
        assert_eq!(
            codes(&run(rule, &with(seal(None, 0.0)))),
            ["SEAL_UNREADABLE"]
        );
    }

    #[test]
    fn seals_on_each_listed_document() {
        use crate::record::{Role, SealOwner, SourceRef};
        let rule = "code = \"SEAL_MISSING\"\nkind = \"seal_required\"\nmust_match_applicant = true\ndocuments = [\"agreement\", \"承诺书\"]";
        let s = scheme(rule);
        let c = Catalog::embedded();
        let doc = |path: &str, role| SourceRef {
            path: path.into(),
            container: String::new(),
            kind: "pdf".into(),
            role,
            sha256: String::new(),
            pages: Some(1),
            ocr: false,
        };
        let docs = [
            doc("p/申报书.pdf", Role::Form),
            doc("p/合作协议.pdf", Role::Agreement),
            doc("p/资金配套承诺书.pdf", Role::Attachment),
            doc("p/查新报告.pdf", Role::Attachment),
        ];
        let seal = |src: &str, owner, c| Seal {
            source: src.into(),
            page: Some(1),
            text: "东川理工大学".into(),
            owner,
            confidence: Some(c),
            ..Default::default()
        };
        let ev = BTreeMap::new();
        let check = |seals: Vec<Seal>| {
            let fields = Fields {
                seals,
                ..Default::default()
            };
            let view = ProposalView {
                documents: &docs,
                submitted: None,
                direction: Some("sco"),
                fields: &fields,
                evidence: &ev,
                file_stem: None,
                source: Some("p/申报书.pdf"),
            };
            evaluate(&s, &c, &view)
                .into_iter()
                .map(|f| (f.code.as_str().to_string(), f.source.unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let app = Some(SealOwner::Applicant);
        // Both listed documents sealed by the applicant: silent.
        assert!(
            check(vec![
                seal("p/合作协议.pdf", app, 0.9),
                seal("p/资金配套承诺书.pdf", app, 0.7),
            ])
            .is_empty()
        );
        // The letter bears no seal, though the agreement does.
        assert_eq!(
            check(vec![seal("p/合作协议.pdf", app, 0.9)]),
            [(
                "SEAL_MISSING".to_string(),
                "p/资金配套承诺书.pdf".to_string()
            )]
        );
        // A sub-unit's seal (owner other) on the letter is the wrong seal.
        assert_eq!(
            check(vec![
                seal("p/合作协议.pdf", app, 0.9),
                seal("p/资金配套承诺书.pdf", Some(SealOwner::Other), 0.6),
            ]),
            [(
                "SEAL_MISMATCH".to_string(),
                "p/资金配套承诺书.pdf".to_string()
            )]
        );
        // Unsure on the letter: a warning only.
        let f = check(vec![
            seal("p/合作协议.pdf", app, 0.9),
            seal("p/资金配套承诺书.pdf", None, 0.5),
        ]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "SEAL_UNREADABLE");
    }

    #[test]
    fn directions_filter_and_dedup() {
        let rule = "code = \"TRL_MISSING\"\nkind = \"required\"\nfield = \"trl\"\ndirections = [\"japan-korea\"]";
        assert!(run(rule, &Fields::default()).is_empty());
        assert_eq!(
            codes(&run_in(rule, &Fields::default(), Some("japan-korea"), None)),
            ["TRL_MISSING"]
        );
        // TRL_MISSING on trl explains the missing trl.current of a range rule.
        let two = format!(
            "{rule}\n[[rules]]\nquote = \"q\"\ncode = \"TRL_INVALID\"\nkind = \"range\"\nfield = \"trl.current\"\nmin = 1\nmax = 9"
        );
        assert_eq!(
            codes(&run_in(&two, &Fields::default(), Some("japan-korea"), None)),
            ["TRL_MISSING"]
        );
    }

    #[test]
    fn known_fields_cover_the_record() {
        let json = serde_json::to_value(Fields::default()).unwrap();
        for key in json.as_object().unwrap().keys() {
            assert!(
                crate::scheme::KNOWN_FIELDS.contains(&key.as_str()),
                "{key} missing from KNOWN_FIELDS"
            );
        }
    }

    #[test]
    fn batch_duplicates_name_each_other() {
        let c = Catalog::embedded();
        let s = c.scheme("shandong-2026-guideline").unwrap();
        let f = |pi: &str, name: &str| Fields {
            pi: Some(Pi {
                name: pi.into(),
                birth_date: None,
                title: None,
            }),
            project_name: Some(name.into()),
            ..Default::default()
        };
        let fs = [
            f("张三", "甲项目"),
            f("张 三", "乙项目"),
            f("李四", "《丙项目》"),
            f("王五", "丙项目"),
        ];
        let ev = BTreeMap::new();
        let views: Vec<ProposalView> = fs
            .iter()
            .map(|f| ProposalView {
                documents: &[],
                submitted: None,
                direction: Some("sco"),
                fields: f,
                evidence: &ev,
                file_stem: None,
                source: None,
            })
            .collect();
        let out = evaluate_batch(s, &views, &["a", "b", "c", "d"]);
        assert_eq!(codes(&out[0]), ["DUPLICATE_SUBMISSION"]);
        assert!(out[0][0].message.contains('b'));
        assert_eq!(codes(&out[1]), ["DUPLICATE_SUBMISSION"]);
        assert_eq!(codes(&out[2]), ["DUPLICATE_SUBMISSION"]);
        assert!(out[2][0].message.contains('d'));
        assert_eq!(codes(&out[3]), ["DUPLICATE_SUBMISSION"]);
        // Per-proposal evaluation ignores batch rules.
        assert!(
            evaluate(s, &c, &views[0])
                .iter()
                .all(|f| f.code != "DUPLICATE_SUBMISSION")
        );
    }

    #[test]
    fn many_duplicates_name_only_a_few() {
        let c = Catalog::embedded();
        let s = c.scheme("shandong-2026-guideline").unwrap();
        let f = Fields {
            project_name: Some("同一项目".into()),
            ..Default::default()
        };
        let ev = BTreeMap::new();
        let views: Vec<ProposalView> = (0..20)
            .map(|_| ProposalView {
                documents: &[],
                submitted: None,
                direction: Some("sco"),
                fields: &f,
                evidence: &ev,
                file_stem: None,
                source: None,
            })
            .collect();
        let labels: Vec<String> = (0..20).map(|i| format!("p{i:02}")).collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let out = evaluate_batch(s, &views, &refs);
        let m = &out[0][0].message;
        assert!(
            m.contains("p01") && m.contains("p05") && !m.contains("p06"),
            "{m}"
        );
        assert!(m.contains("等19项"), "{m}");
    }

    #[test]
    fn summary_seal() {
        let c = Catalog::embedded();
        let s = c.scheme("shandong-2026-guideline").unwrap();
        let ev = BTreeMap::new();
        let none = Fields::default();
        let v = ProposalView {
            documents: &[],
            submitted: None,
            direction: None,
            fields: &none,
            evidence: &ev,
            file_stem: None,
            source: Some("汇总表.xlsx"),
        };
        assert_eq!(codes(&evaluate_summary(s, &c, &v)), ["SEAL_MISSING"]);
        let sealed = Fields {
            seals: vec![Seal {
                source: "汇总表.pdf".into(),
                page: Some(1),
                text: "济南市科学技术局".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let v = ProposalView {
            documents: &[],
            submitted: None,
            direction: None,
            fields: &sealed,
            evidence: &ev,
            file_stem: None,
            source: None,
        };
        assert!(evaluate_summary(s, &c, &v).is_empty());
    }
}
