//! Bilingual agreements: recognizes a proposal's cooperation agreement
//! (合作协议/协议书/备忘录/意向书/Agreement/MoU) and how its Chinese and
//! English texts are laid out (`layout`), reads the paired fields of each
//! side (`extract`), and compares their normalized values — dates,
//! durations, amounts with currency, institution names (helped by the
//! partner name the form gives), the IP clause, the project period.
//!
//! Output: `Submission::bilingual` pairs, `BILINGUAL_MISMATCH` findings,
//! and the agreement's languages and term for `fields.agreement`, from
//! which the scheme's own rules raise AGREEMENT_MISSING,
//! AGREEMENT_NOT_BILINGUAL and AGREEMENT_NOT_COVERING_PERIOD (so those are
//! never raised twice). When the scheme requires the English project name
//! (MOST: the two sides' applications must agree), the application's
//! English name, partner, PI and period are compared with the agreement's.

pub mod extract;
pub mod foreign;
pub mod layout;
pub mod wording;

use crate::model::{Document, Evidence};
use crate::normalize::date::PartialDate;
use crate::normalize::org::org_similarity;
use crate::record::{BilingualPair, Fields, Finding, Role, Severity};
use crate::scheme::{Check, Scheme};
use extract::{Found, PartyLabel, Side};
use layout::{Layout, Structure, Unit};

/// Field-name prefix of pairs that set the application form (in the `zh`
/// slot) against the agreement (in the `en` slot).
pub const FORM_PREFIX: &str = "form.";

/// What the bilingual stage found for one proposal.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub structure: Option<Structure>,
    /// Compared pairs (consistent or not); fields that could not be
    /// compared (a Chinese name against its romanization) are left out.
    pub pairs: Vec<BilingualPair>,
    pub findings: Vec<Finding>,
    /// `["zh"]`, `["en"]` or `["zh","en"]` as the layout shows.
    pub languages: Vec<String>,
    /// The agreement's term (Chinese text first), ISO.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// Either side has an IP / ownership-of-results clause
    /// (`pipelines/agreement.toml` wording).
    pub has_ip_clause: bool,
}

/// Analyzes the agreement documents among `docs` against the form's
/// `fields`, under `scheme` and `direction`.
pub fn analyze(
    docs: &[(&Document, Role)],
    fields: &Fields,
    scheme: &Scheme,
    direction: Option<&str>,
) -> Analysis {
    let agreements: Vec<&Document> = docs
        .iter()
        .filter(|(d, r)| {
            *r == Role::Agreement || (*r == Role::Attachment && looks_like_agreement(d))
        })
        .map(|(d, _)| *d)
        .collect();
    let mut out = Analysis::default();
    // The MOST scheme requires the English project name because the two
    // sides' applications must agree: then the form is checked against
    // the agreement and the foreign side's own summary too.
    let cross_check = scheme.proposal_rules().any(|r| {
        matches!(r.check, Check::Required {})
            && r.field.as_deref() == Some("project_name_en")
            && r.applies_to(direction)
    });
    let Some(layout) = layout::analyze(&agreements) else {
        if cross_check {
            let name = fields.partner_institution.as_deref().and_then(latin_part);
            foreign::compare(
                docs,
                fields,
                name.as_deref(),
                &mut out.pairs,
                &mut out.findings,
            );
        }
        return out;
    };
    out.structure = Some(layout.structure);
    if !layout.zh.is_empty() {
        out.languages.push("zh".into());
    }
    if layout.structure.is_bilingual() || layout.structure == Structure::EnOnly {
        if layout.structure == Structure::EnOnly {
            out.languages.clear();
        }
        out.languages.push("en".into());
    }
    let mut zh = extract::read_side(&layout.zh, layout::Lang::Zh);
    let mut en = extract::read_side(&layout.en, layout::Lang::En);
    fill_from_aligned(&layout, &mut zh, &mut en);
    let term = |s: &Side| {
        let from = s
            .valid_from
            .as_ref()
            .map(|f| f.value)
            .or(s.signed_on.as_ref().map(|f| f.value));
        let to = s.valid_to.as_ref().map(|f| f.value).or_else(|| {
            let m = s.duration_months.as_ref()?.value;
            add_months(from?, m)
        });
        (from, to)
    };
    let (zf, zt) = term(&zh);
    let (ef, et) = term(&en);
    out.valid_from = zf.or(ef).map(|d| d.to_iso());
    out.valid_to = zt.or(et).map(|d| d.to_iso());
    out.has_ip_clause = zh.ip_clause.is_some() || en.ip_clause.is_some();

    let required_bilingual = scheme
        .proposal_rules()
        .any(|r| matches!(r.check, Check::AgreementBilingual { .. }) && r.applies_to(direction));
    let severity = if required_bilingual {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut cmp = Comparer {
        layout: &layout,
        out: &mut out,
        severity,
    };
    if layout.structure.is_bilingual() {
        compare_sides(&mut cmp, &zh, &en, fields);
    }
    if cross_check {
        cmp.severity = Severity::Error;
        compare_form(&mut cmp, &zh, &en, fields);
        // The partner's English name: the agreement's English side names
        // it, else the form may in brackets.
        let named = en
            .parties
            .iter()
            .find(|(l, _)| *l == PartyLabel::Foreign)
            .or_else(|| en.parties.iter().find(|(l, _)| *l == PartyLabel::B))
            .map(|(_, f)| f.value.as_str());
        let name = named
            .map(str::to_string)
            .or_else(|| fields.partner_institution.as_deref().and_then(latin_part));
        foreign::compare(
            docs,
            fields,
            name.as_deref(),
            &mut out.pairs,
            &mut out.findings,
        );
    }
    out
}

/// A term or project period found on one side only is looked for in the
/// aligned clause of the other side, whatever words that clause uses
/// ("comes into operation … ends on …" has no term keyword).
fn fill_from_aligned(layout: &Layout, zh: &mut Side, en: &mut Side) {
    use layout::Lang;
    let counterpart = |unit: usize, from_zh: bool| {
        layout
            .pairs
            .iter()
            .find(|(z, e)| if from_zh { *z == unit } else { *e == unit })
            .map(|(z, e)| if from_zh { *e } else { *z })
    };
    for from_zh in [true, false] {
        let (src, dst, dst_units, lang) = if from_zh {
            (&*zh, &mut *en, &layout.en, Lang::En)
        } else {
            (&*en, &mut *zh, &layout.zh, Lang::Zh)
        };
        let term_unit = src
            .valid_to
            .as_ref()
            .or(src.valid_from.as_ref())
            .map(|f| f.unit)
            .or(src.duration_months.as_ref().map(|f| f.unit));
        if dst.valid_to.is_none()
            && dst.duration_months.is_none()
            && let Some(j) = term_unit.and_then(|u| counterpart(u, from_zh))
            && let Some(u) = dst_units.get(j)
        {
            extract::read_term(dst, j, &u.text, lang);
        }
        if dst.project_period.is_none()
            && let Some(p) = &src.project_period
            && let Some(j) = counterpart(p.unit, from_zh)
            && let Some(u) = dst_units.get(j)
            && let Some(v) = crate::normalize::date::parse_period(&u.text)
        {
            dst.project_period = Some(Found {
                value: v,
                unit: j,
                raw: u.text.clone(),
            });
        }
    }
}

/// An attachment whose opening lines name it an agreement.
fn looks_like_agreement(d: &Document) -> bool {
    let head: String = d
        .paragraphs()
        .take(3)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let lower = head.to_lowercase();
    (["合作协议", "协议书", "备忘录", "意向书"]
        .iter()
        .any(|w| head.contains(w))
        || [
            "agreement",
            "memorandum of understanding",
            "letter of intent",
        ]
        .iter()
        .any(|w| lower.contains(w)))
        && !head.contains("申报")
}

struct Comparer<'a> {
    layout: &'a Layout,
    out: &'a mut Analysis,
    severity: Severity,
}

/// Chinese labels of the compared fields, for messages and the report.
pub fn field_label(field: &str) -> &'static str {
    match field.trim_start_matches(FORM_PREFIX) {
        "valid_from" => "协议生效日期",
        "valid_to" => "协议截止日期",
        "duration" => "协议期限",
        "amount" => "经费金额",
        "party.foreign" => "外方单位",
        "party.chinese" => "中方单位",
        "signatory" => "签字人",
        "ip_clause" => "知识产权条款",
        "project_period" => "项目执行期",
        "project_name_en" => "项目英文名称",
        "partner_institution" => "外方合作单位",
        "pi" => "项目负责人",
        "execution_period" => "执行期",
        _ => "其他",
    }
}

impl Comparer<'_> {
    fn unit(&self, lang: layout::Lang, i: usize) -> Option<&Unit> {
        match lang {
            layout::Lang::Zh => self.layout.zh.get(i),
            layout::Lang::En => self.layout.en.get(i),
        }
    }

    /// Records a compared pair; a mismatch also becomes a finding citing
    /// the Chinese clause (and naming where the English one is).
    fn pair(
        &mut self,
        field: &str,
        zh: &str,
        en: &str,
        consistent: bool,
        zh_unit: Option<usize>,
        en_unit: Option<usize>,
    ) {
        self.out.pairs.push(BilingualPair {
            field: field.to_string(),
            zh: zh.to_string(),
            en: en.to_string(),
            consistent,
        });
        if consistent {
            return;
        }
        let zu = zh_unit.and_then(|i| self.unit(layout::Lang::Zh, i));
        let eu = en_unit.and_then(|i| self.unit(layout::Lang::En, i));
        let label = field_label(field);
        let form = field.starts_with(FORM_PREFIX);
        let message = if form {
            format!(
                "申报书与合作协议不一致（{label}）：申报书“{zh}”，协议“{en}” / the application and the agreement differ on {}: form `{zh}`, agreement `{en}`",
                field.trim_start_matches(FORM_PREFIX)
            )
        } else {
            format!(
                "合作协议中英文不一致（{label}）：中文“{zh}”，英文“{en}” / the agreement's Chinese and English texts differ on {field}: zh `{zh}`, en `{en}`"
            )
        };
        let evidence = match (zu, eu) {
            (Some(z), Some(e)) => Some(Evidence {
                source: z.evidence.source.clone(),
                page: z.evidence.page,
                locator: if z.evidence.source == e.evidence.source {
                    format!("zh: {}; en: {}", z.evidence.locator, e.evidence.locator)
                } else {
                    format!(
                        "zh: {}; en: {} {}",
                        z.evidence.locator, e.evidence.source, e.evidence.locator
                    )
                },
                text: format!("{} ‖ {}", z.evidence.text, e.evidence.text),
            }),
            (Some(u), None) | (None, Some(u)) => Some(u.evidence.clone()),
            (None, None) => None,
        };
        self.out.findings.push(Finding {
            code: crate::record::Code::BilingualMismatch,
            severity: self.severity,
            field: Some(format!("bilingual.{field}")),
            message,
            source: evidence.as_ref().map(|e| e.source.clone()),
            evidence,
        });
    }
}

/// Two partial dates agree at the precision both give.
pub fn dates_agree(a: PartialDate, b: PartialDate) -> bool {
    a.year == b.year
        && match (a.month, b.month) {
            (Some(x), Some(y)) => {
                x == y
                    && match (a.day, b.day) {
                        (Some(d), Some(e)) => d == e,
                        _ => true,
                    }
            }
            _ => true,
        }
}

/// `d` plus `months`, minus one day when `d` has a day ("from 2025-01-01
/// for 3 years" ends 2027-12-31).
pub fn add_months(d: PartialDate, months: u32) -> Option<PartialDate> {
    let m0 = d.month.unwrap_or(1) as i64 - 1 + months as i64;
    let year = d.year + (m0 / 12) as i32;
    let month = (m0 % 12) as u32 + 1;
    let iso = match (d.month, d.day) {
        (Some(_), Some(day)) => {
            // One day before the same day `months` later.
            let (y, m, dd) = if day > 1 {
                (year, month, day - 1)
            } else if month == 1 {
                (year - 1, 12, 31)
            } else {
                let pm = month - 1;
                (year, pm, last_day(year, pm))
            };
            format!("{y:04}-{m:02}-{:02}", dd.min(last_day(y, m)))
        }
        (Some(_), None) => {
            let (y, m) = if month == 1 {
                (year - 1, 12)
            } else {
                (year, month - 1)
            };
            format!("{y:04}-{m:02}")
        }
        _ => format!("{:04}", d.year + (months as i32 + 11) / 12 - 1),
    };
    crate::normalize::date::parse_date(&iso)
}

fn last_day(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The Latin-letter part of a name ("首尔大学（Seoul National University）"
/// → "Seoul National University"), when it has one of some length.
pub fn latin_part(s: &str) -> Option<String> {
    let mut best = String::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || " .,&'-".contains(c) {
            cur.push(c);
        } else {
            if cur.trim().len() > best.trim().len() {
                best = cur.clone();
            }
            cur.clear();
        }
    }
    if cur.trim().len() > best.trim().len() {
        best = cur;
    }
    let b = best.trim().trim_matches([',', '.', '-', ' ']).to_string();
    (b.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 6).then_some(b)
}

/// The Chinese part of a name, brackets and Latin removed.
pub fn han_part(s: &str) -> Option<String> {
    let h: String = s
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect();
    (h.chars().count() >= 2).then_some(h)
}

/// Verdict on a Chinese-text name `zh` and an English-text name `en` of the
/// same institution: `Some(true)` same, `Some(false)` different, `None`
/// cannot tell (no bridge between the two scripts).
pub fn names_agree(zh: &str, en: &str, known: Option<&str>) -> Option<bool> {
    const SAME: f64 = 0.8;
    const DIFFERENT: f64 = 0.55;
    let verdict = |s: f64| {
        if s >= SAME {
            Some(true)
        } else if s < DIFFERENT {
            Some(false)
        } else {
            None
        }
    };
    let en_latin = latin_part(en)?;
    // The Chinese text quotes the English name itself.
    if let Some(zl) = latin_part(zh) {
        return verdict(org_similarity(&zl, &en_latin));
    }
    // Bridge through the name the form gives in both scripts.
    let known = known?;
    let (kz, ke) = (han_part(known)?, latin_part(known)?);
    let zh_han = han_part(zh)?;
    let z = verdict(org_similarity(&zh_han, &kz));
    let e = verdict(org_similarity(&en_latin, &ke));
    match (z, e) {
        (Some(true), Some(true)) => Some(true),
        (Some(true), Some(false)) | (Some(false), Some(true)) => Some(false),
        _ => None,
    }
}

/// A party of one side: Chinese or foreign, after resolving 甲/乙 (A/B)
/// by which one names the applicant.
fn parties<'s>(
    s: &'s Side,
    applicant: Option<&str>,
    swap: bool,
) -> (Option<&'s Found<String>>, Option<&'s Found<String>>) {
    let mut chinese = None;
    let mut foreign = None;
    for (label, f) in &s.parties {
        let is_chinese = match label {
            PartyLabel::Chinese => true,
            PartyLabel::Foreign => false,
            PartyLabel::A => !swap,
            PartyLabel::B => swap,
        };
        if is_chinese {
            chinese.get_or_insert(f);
        } else {
            foreign.get_or_insert(f);
        }
    }
    let _ = applicant;
    (chinese, foreign)
}

fn compare_sides(c: &mut Comparer, zh: &Side, en: &Side, fields: &Fields) {
    // 甲方 is normally the Chinese applicant; when 乙方 names it, swap.
    let swap = fields.applicant.as_deref().is_some_and(|app| {
        let sim = |l: PartyLabel| {
            zh.parties
                .iter()
                .find(|(x, _)| *x == l)
                .map(|(_, f)| org_similarity(&f.value, app))
                .unwrap_or(0.0)
        };
        sim(PartyLabel::B) > sim(PartyLabel::A).max(0.5)
    });
    let (zc, zf) = parties(zh, fields.applicant.as_deref(), swap);
    let (ec, ef) = parties(en, fields.applicant.as_deref(), swap);
    if let (Some(z), Some(e)) = (zf, ef)
        && let Some(ok) = names_agree(&z.value, &e.value, fields.partner_institution.as_deref())
    {
        c.pair(
            "party.foreign",
            &z.value,
            &e.value,
            ok,
            Some(z.unit),
            Some(e.unit),
        );
    }
    if let (Some(z), Some(e)) = (zc, ec)
        && let Some(ok) = names_agree(&z.value, &e.value, None)
    {
        c.pair(
            "party.chinese",
            &z.value,
            &e.value,
            ok,
            Some(z.unit),
            Some(e.unit),
        );
    }
    // Signatories written in Latin letters on both sides (the foreign one).
    for (z, e) in zh.signatories.iter().zip(&en.signatories) {
        if let (Some(zl), Some(el)) = (latin_person(&z.value), latin_person(&e.value)) {
            c.pair(
                "signatory",
                &z.value,
                &e.value,
                zl == el,
                Some(z.unit),
                Some(e.unit),
            );
        }
    }
    for (field, a, b) in [
        ("valid_from", &zh.valid_from, &en.valid_from),
        ("valid_to", &zh.valid_to, &en.valid_to),
    ] {
        if let (Some(z), Some(e)) = (a, b) {
            let ok = dates_agree(z.value, e.value);
            c.pair(
                field,
                &z.value.to_iso(),
                &e.value.to_iso(),
                ok,
                Some(z.unit),
                Some(e.unit),
            );
        }
    }
    if let (Some(z), Some(e)) = (&zh.duration_months, &en.duration_months) {
        c.pair(
            "duration",
            &months_text(z.value),
            &months_text(e.value),
            z.value == e.value,
            Some(z.unit),
            Some(e.unit),
        );
    }
    compare_amounts(c, zh, en);
    match (&zh.ip_clause, &en.ip_clause) {
        (Some(z), Some(e)) => c.pair("ip_clause", "有", "yes", true, Some(z.unit), Some(e.unit)),
        (Some(z), None) => c.pair("ip_clause", "有", "none", false, Some(z.unit), None),
        (None, Some(e)) => c.pair("ip_clause", "无", "yes", false, None, Some(e.unit)),
        (None, None) => {}
    }
    if let (Some(z), Some(e)) = (&zh.project_period, &en.project_period) {
        let ok = dates_agree(z.value.0, e.value.0) && dates_agree(z.value.1, e.value.1);
        c.pair(
            "project_period",
            &period_text(z.value),
            &period_text(e.value),
            ok,
            Some(z.unit),
            Some(e.unit),
        );
    }
}

fn months_text(m: u32) -> String {
    if m.is_multiple_of(12) {
        format!("{}年 ({m} months)", m / 12)
    } else {
        format!("{m}个月 ({m} months)")
    }
}

fn period_text(p: (PartialDate, PartialDate)) -> String {
    format!("{} – {}", p.0.to_iso(), p.1.to_iso())
}

/// A person's name in Latin letters as a sorted word set ("Kim Min-soo" ==
/// "MIN-SOO KIM").
fn latin_person(s: &str) -> Option<Vec<String>> {
    let l = latin_part(s).or_else(|| {
        (s.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3).then(|| s.to_string())
    })?;
    let mut words: Vec<String> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !matches!(w.to_lowercase().as_str(), "dr" | "prof" | "mr" | "ms")
        })
        .map(str::to_lowercase)
        .collect();
    words.sort();
    (!words.is_empty()).then_some(words)
}

fn fmt_amount(a: &extract::Amount) -> String {
    let v = if a.value.fract() == 0.0 {
        format!("{}", a.value as i64)
    } else {
        format!("{}", a.value)
    };
    format!("{} {}", a.currency, v)
}

/// The amounts of the two sides as multisets; each one unmatched on either
/// side is a mismatch, paired with the nearest unmatched one of the other.
fn compare_amounts(c: &mut Comparer, zh: &Side, en: &Side) {
    if zh.amounts.is_empty() || en.amounts.is_empty() {
        return;
    }
    let same = |a: &extract::Amount, b: &extract::Amount| {
        a.currency == b.currency && (a.value - b.value).abs() <= 1e-6 * a.value.abs().max(1.0)
    };
    let mut used = vec![false; en.amounts.len()];
    let mut lone_zh = Vec::new();
    for z in &zh.amounts {
        match (0..en.amounts.len()).find(|&j| !used[j] && same(&z.value, &en.amounts[j].value)) {
            Some(j) => used[j] = true,
            None => lone_zh.push(z),
        }
    }
    let lone_en: Vec<&Found<extract::Amount>> = en
        .amounts
        .iter()
        .enumerate()
        .filter(|(j, _)| !used[*j])
        .map(|(_, f)| f)
        .collect();
    if lone_zh.is_empty() && lone_en.is_empty() {
        let (z, e) = (&zh.amounts[0], &en.amounts[0]);
        let zs: Vec<String> = zh.amounts.iter().map(|a| fmt_amount(&a.value)).collect();
        let es: Vec<String> = en.amounts.iter().map(|a| fmt_amount(&a.value)).collect();
        c.pair(
            "amount",
            &zs.join("; "),
            &es.join("; "),
            true,
            Some(z.unit),
            Some(e.unit),
        );
        return;
    }
    let n = lone_zh.len().max(lone_en.len());
    for k in 0..n {
        let z = lone_zh.get(k);
        let e = lone_en.get(k);
        // Normalized values only, so the report's diff shows the digits
        // that differ; the clauses are in the finding's evidence.
        let zt = z
            .map(|f| fmt_amount(&f.value))
            .unwrap_or_else(|| "（无）".into());
        let et = e
            .map(|f| fmt_amount(&f.value))
            .unwrap_or_else(|| "(none)".into());
        c.pair(
            "amount",
            &zt,
            &et,
            false,
            z.map(|f| f.unit),
            e.map(|f| f.unit),
        );
    }
}

/// Normalized words of an English title, for comparing two spellings.
fn title_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn compare_form(c: &mut Comparer, zh: &Side, en: &Side, fields: &Fields) {
    let f = |k: &str| format!("{FORM_PREFIX}{k}");
    if let (Some(form), Some(a)) = (fields.project_name_en.as_deref(), &en.project_name) {
        let ok = title_words(form) == title_words(&a.value);
        c.pair(
            &f("project_name_en"),
            form,
            &a.value,
            ok,
            None,
            Some(a.unit),
        );
    }
    if let Some(partner) = fields.partner_institution.as_deref() {
        let swap = false;
        let (_, ef) = parties(en, None, swap);
        let (_, zf) = parties(zh, None, swap);
        if let (Some(pl), Some(e)) = (latin_part(partner), ef)
            && let Some(el) = latin_part(&e.value)
        {
            let s = org_similarity(&pl, &el);
            if !(0.55..0.8).contains(&s) {
                c.pair(
                    &f("partner_institution"),
                    partner,
                    &e.value,
                    s >= 0.8,
                    None,
                    Some(e.unit),
                );
            }
        } else if let (Some(ph), Some(z)) = (han_part(partner), zf)
            && let Some(zh_han) = han_part(&z.value)
        {
            let s = org_similarity(&ph, &zh_han);
            if !(0.55..0.8).contains(&s) {
                c.pair(
                    &f("partner_institution"),
                    partner,
                    &z.value,
                    s >= 0.8,
                    Some(z.unit),
                    None,
                );
            }
        }
    }
    if let (Some(pi), Some(a)) = (fields.pi.as_ref(), &zh.chinese_pi) {
        let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let ok = norm(&pi.name) == norm(&a.value);
        c.pair(&f("pi"), &pi.name, &a.value, ok, Some(a.unit), None);
    }
    let period = fields
        .execution_period
        .as_ref()
        .and_then(|p| Some((p.start.as_deref()?, p.end.as_deref()?)));
    let agreed = en
        .project_period
        .as_ref()
        .map(|p| (p, layout::Lang::En))
        .or(zh.project_period.as_ref().map(|p| (p, layout::Lang::Zh)));
    if let (Some((s, e)), Some((a, lang))) = (period, agreed)
        && let (Some(ps), Some(pe)) = (
            crate::normalize::date::parse_date(s),
            crate::normalize::date::parse_date(e),
        )
    {
        let ok = dates_agree(ps, a.value.0) && dates_agree(pe, a.value.1);
        let (zu, eu) = match lang {
            layout::Lang::Zh => (Some(a.unit), None),
            layout::Lang::En => (None, Some(a.unit)),
        };
        c.pair(
            &f("execution_period"),
            &format!("{s} – {e}"),
            &period_text(a.value),
            ok,
            zu,
            eu,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Paragraph};
    use crate::scheme::Catalog;

    fn doc(lines: &[&str]) -> Document {
        Document {
            source: "协议.docx".into(),
            blocks: lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Block::Paragraph(Paragraph {
                        text: t.to_string(),
                        index: i + 1,
                        ..Default::default()
                    })
                })
                .collect(),
            ..Default::default()
        }
    }

    fn shanxi() -> Scheme {
        Catalog::embedded()
            .scheme("shanxi-2024-cooperation")
            .unwrap()
            .clone()
    }

    fn form() -> Fields {
        Fields {
            applicant: Some("山西大学".into()),
            partner_institution: Some("首尔大学（Seoul National University）".into()),
            ..Default::default()
        }
    }

    const ZH: &[&str] = &[
        "国际科技合作协议",
        "甲方：山西大学",
        "乙方：首尔大学",
        "第一条 本协议有效期自2025年1月1日起至2027年12月31日止。",
        "第二条 甲方提供经费人民币40万元。",
        "第三条 知识产权归双方共有。",
    ];

    fn en(to: &str, amount: &str, partner: &str) -> Vec<String> {
        vec![
            "International S&T Cooperation Agreement".into(),
            "Party A: Shanxi University".into(),
            format!("Party B: {partner}"),
            format!("Article 1 This Agreement is valid from January 1, 2025 to {to}."),
            format!("Article 2 Party A shall provide funding of {amount}."),
            "Article 3 Intellectual property rights are jointly owned.".into(),
        ]
    }

    fn run(en_lines: Vec<String>) -> Analysis {
        let mut lines: Vec<&str> = ZH.to_vec();
        lines.extend(en_lines.iter().map(String::as_str));
        let d = doc(&lines);
        analyze(
            &[(&d, Role::Agreement)],
            &form(),
            &shanxi(),
            Some("key-country"),
        )
    }

    fn mismatched(a: &Analysis) -> Vec<String> {
        a.pairs
            .iter()
            .filter(|p| !p.consistent)
            .map(|p| p.field.clone())
            .collect()
    }

    #[test]
    fn consistent_agreement_has_no_mismatch() {
        let a = run(en(
            "December 31, 2027",
            "RMB 400,000",
            "Seoul National University",
        ));
        assert_eq!(a.structure, Some(Structure::Sequential));
        assert_eq!(a.languages, ["zh", "en"]);
        assert!(a.findings.is_empty(), "{:?}", a.findings);
        let fields: Vec<&str> = a.pairs.iter().map(|p| p.field.as_str()).collect();
        for f in [
            "party.foreign",
            "valid_from",
            "valid_to",
            "amount",
            "ip_clause",
        ] {
            assert!(fields.contains(&f), "{f} not compared: {fields:?}");
        }
        assert_eq!(a.valid_to.as_deref(), Some("2027-12-31"));
    }

    #[test]
    fn injected_mismatches_are_found() {
        let a = run(en(
            "December 31, 2026",
            "RMB 400,000",
            "Seoul National University",
        ));
        assert_eq!(mismatched(&a), ["valid_to"]);
        assert_eq!(a.findings[0].code, "BILINGUAL_MISMATCH");
        assert_eq!(a.findings[0].severity, Severity::Error);
        assert!(a.findings[0].message.contains("2026-12-31"));
        let a = run(en(
            "December 31, 2027",
            "RMB 300,000",
            "Seoul National University",
        ));
        assert_eq!(mismatched(&a), ["amount"]);
        let a = run(en(
            "December 31, 2027",
            "RMB 400,000",
            "Korea Advanced Institute of Science and Technology",
        ));
        assert_eq!(mismatched(&a), ["party.foreign"]);
    }

    #[test]
    fn aligned_clause_without_term_words_is_still_compared() {
        let mut lines = en(
            "December 31, 2027",
            "RMB 400,000",
            "Seoul National University",
        );
        lines[3] =
            "Article 1 This Agreement comes into operation on 1 January 2025 and ends on 31 December 2026."
                .into();
        let a = run(lines);
        assert_eq!(mismatched(&a), ["valid_to"]);
    }

    /// Party lines that run on into the next clause, as PDF text layers
    /// join them.
    const ZH_RUN_ON: &[&str] = &[
        "国际科技合作协议",
        "甲方：山西大学",
        "乙方：首尔大学（Seoul National University）项目名称：某某材料联合研究",
        "第一条 本协议有效期自2025年1月1日起至2027年12月31日止。",
        "第二条 合作成果归属：双方共有。",
    ];
    const EN_RUN_ON: &[&str] = &[
        "International S&T Cooperation Agreement",
        "Party A: Shanxi University",
        "Party B: Seoul National University Project Title: Joint Research on Materials",
        "Article 1 This Agreement is valid from January 1, 2025 to December 31, 2027.",
        "Article 2 Results generated jointly shall be jointly owned by the Parties.",
    ];

    fn cell(row: usize, col: usize, text: &str) -> crate::model::Cell {
        crate::model::Cell {
            row,
            col,
            row_span: 1,
            col_span: 1,
            text: text.into(),
            ..Default::default()
        }
    }

    fn check_run_on(docs: &[(&Document, Role)], layout: &str) {
        let a = analyze(docs, &form(), &shanxi(), Some("key-country"));
        assert!(a.structure.is_some_and(|s| s.is_bilingual()), "{layout}");
        assert!(a.findings.is_empty(), "{layout}: {:?}", a.findings);
        let party = a.pairs.iter().find(|p| p.field == "party.foreign");
        let party = party.unwrap_or_else(|| panic!("{layout}: party not compared"));
        assert!(party.consistent, "{layout}: {party:?}");
        assert!(!party.zh.contains("项目名称"), "{layout}: {party:?}");
        assert!(!party.en.contains("Project Title"), "{layout}: {party:?}");
        assert!(a.has_ip_clause, "{layout}");
    }

    #[test]
    fn values_end_at_the_next_clause_in_every_layout() {
        // Chinese then English.
        let mut lines = ZH_RUN_ON.to_vec();
        lines.extend(EN_RUN_ON);
        let d = doc(&lines);
        check_run_on(&[(&d, Role::Agreement)], "zh then en");
        // Alternating paragraphs.
        let alt: Vec<&str> = ZH_RUN_ON
            .iter()
            .zip(EN_RUN_ON)
            .flat_map(|(z, e)| [*z, *e])
            .collect();
        let d = doc(&alt);
        check_run_on(&[(&d, Role::Agreement)], "alternating");
        // Separate files.
        let (z, e) = (doc(ZH_RUN_ON), doc(EN_RUN_ON));
        check_run_on(
            &[(&z, Role::Agreement), (&e, Role::Agreement)],
            "separate files",
        );
        // A zh | en table, one clause a row.
        let rows: Vec<Vec<crate::model::Cell>> = ZH_RUN_ON
            .iter()
            .zip(EN_RUN_ON)
            .enumerate()
            .map(|(r, (z, e))| vec![cell(r, 0, z), cell(r, 1, e)])
            .collect();
        let t = crate::model::Table {
            index: 1,
            n_rows: rows.len(),
            n_cols: 2,
            rows,
            ..Default::default()
        };
        let d = Document {
            source: "协议.docx".into(),
            blocks: vec![Block::Table(t)],
            ..Default::default()
        };
        check_run_on(&[(&d, Role::Agreement)], "zh|en table");
    }

    #[test]
    fn dates_and_months() {
        let d = |s: &str| crate::normalize::date::parse_date(s).unwrap();
        assert!(dates_agree(d("2027-12"), d("2027-12-31")));
        assert!(!dates_agree(d("2027-12-31"), d("2027-12-30")));
        assert_eq!(
            add_months(d("2025-01-01"), 36).unwrap().to_iso(),
            "2027-12-31"
        );
        assert_eq!(add_months(d("2025-03"), 24).unwrap().to_iso(), "2027-02");
        assert_eq!(
            add_months(d("2024-03-01"), 12).unwrap().to_iso(),
            "2025-02-28"
        );
    }

    #[test]
    fn names_across_scripts() {
        let known = Some("首尔大学（Seoul National University）");
        assert_eq!(
            names_agree("首尔大学", "Seoul National University", known),
            Some(true)
        );
        assert_eq!(
            names_agree("首尔大学", "Korea University of Technology", known),
            Some(false)
        );
        assert_eq!(
            names_agree("首尔大学", "Seoul National University", None),
            None
        );
        assert_eq!(
            names_agree(
                "首尔大学（Seoul National University）",
                "Seoul National Univ.",
                None
            ),
            Some(true)
        );
    }
}

#[cfg(test)]
mod most_tests {
    use super::*;
    use crate::model::{Block, Paragraph};
    use crate::record::{Period, Pi};
    use crate::scheme::Catalog;

    fn doc(lines: &[&str]) -> Document {
        Document {
            source: "MoU.docx".into(),
            blocks: lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Block::Paragraph(Paragraph {
                        text: t.to_string(),
                        index: i + 1,
                        ..Default::default()
                    })
                })
                .collect(),
            ..Default::default()
        }
    }

    const MOU: &[&str] = &[
        "合作备忘录",
        "Memorandum of Understanding",
        "甲方：浙江大学",
        "Party A: Zhejiang University",
        "乙方：新加坡国立大学",
        "Party B: National University of Singapore",
        "双方同意共同实施“老龄化人群智能健康监测”项目。",
        "The Parties agree to jointly implement the project \"Intelligent Health Monitoring for Ageing Populations\".",
        "项目执行期：2026年1月至2028年12月。",
        "Project period: from January 2026 to December 2028.",
        "中方项目负责人：李娜",
        "Chinese-side PI: Li Na",
    ];

    fn fields(name_en: &str, partner: &str, pi: &str, end: &str) -> Fields {
        Fields {
            project_name_en: Some(name_en.into()),
            applicant: Some("浙江大学".into()),
            partner_institution: Some(partner.into()),
            pi: Some(Pi {
                name: pi.into(),
                ..Default::default()
            }),
            execution_period: Some(Period {
                start: Some("2026-01".into()),
                end: Some(end.into()),
            }),
            ..Default::default()
        }
    }

    fn run(f: &Fields) -> Vec<(String, bool)> {
        let scheme = Catalog::embedded()
            .scheme("most-intergov-2025-b3")
            .unwrap()
            .clone();
        let d = doc(MOU);
        let a = analyze(&[(&d, Role::Agreement)], f, &scheme, Some("sg-flagship"));
        assert_eq!(a.structure, Some(Structure::Alternating));
        a.pairs
            .iter()
            .filter(|p| p.field.starts_with(FORM_PREFIX))
            .map(|p| (p.field.clone(), p.consistent))
            .collect()
    }

    #[test]
    fn application_agrees_with_the_agreement() {
        let got = run(&fields(
            "Intelligent Health Monitoring for Ageing Populations",
            "National University of Singapore",
            "李 娜",
            "2028-12",
        ));
        assert_eq!(
            got,
            [
                ("form.project_name_en".to_string(), true),
                ("form.partner_institution".to_string(), true),
                ("form.pi".to_string(), true),
                ("form.execution_period".to_string(), true),
            ]
        );
    }

    #[test]
    fn application_differs_from_the_agreement() {
        let got = run(&fields(
            "Smart Elderly Care Robots",
            "Nanyang Technological University",
            "王强",
            "2029-06",
        ));
        assert!(got.iter().all(|(_, ok)| !ok), "{got:?}");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn other_schemes_do_not_cross_check_the_form() {
        let scheme = Catalog::embedded()
            .scheme("shanxi-2024-cooperation")
            .unwrap()
            .clone();
        let d = doc(MOU);
        let f = fields("X", "Y University", "王强", "2029-06");
        let a = analyze(&[(&d, Role::Agreement)], &f, &scheme, Some("key-country"));
        assert!(a.pairs.iter().all(|p| !p.field.starts_with(FORM_PREFIX)));
    }
}
