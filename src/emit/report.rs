//! `report.html`: the spot-check report a reviewer opens from a USB stick —
//! one self-contained file (inline CSS and JS, images as data: URIs, no
//! network), in Chinese: a batch overview (counts per finding code and per
//! direction), findings filterable by code and severity (also from the URL:
//! `report.html#code=BILINGUAL_MISMATCH&severity=error`), and one card per
//! proposal with its fields and evidence, its findings, its bilingual
//! pairs side by side with the differing characters highlighted, and its
//! seals. All document text is HTML-escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::bilingual::{FORM_PREFIX, field_label};
use crate::model::Evidence;
use crate::record::{BilingualPair, Finding, Seal, Severity, Submission};
use crate::scheme::Catalog;

use super::BatchReport;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Control characters other than tab/newline never belong in HTML.
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// The Chinese name of a finding code, for labels.
pub fn code_label(code: &str) -> &'static str {
    match code {
        "MISSING_FIELD" => "缺少字段",
        "KEY_TECH_LIMIT" => "关键技术超过上限",
        "TRL_MISSING" => "未填技术成熟度",
        "TRL_INVALID" => "技术成熟度无效",
        "PARTNER_NOT_ELIGIBLE" => "合作国别不符",
        "CATEGORY_MISMATCH" => "类别/方向不符",
        "FUNDING_CAP_EXCEEDED" => "经费超过上限",
        "MATCHING_RATIO_LOW" => "配套比例不足",
        "PERIOD_OUT_OF_RANGE" => "执行期不符",
        "AGREEMENT_MISSING" => "缺少合作协议",
        "AGREEMENT_NOT_COVERING_PERIOD" => "协议有效期未覆盖执行期",
        "AGREEMENT_NOT_BILINGUAL" => "协议非中英文对照",
        "AGREEMENT_NO_IP_CLAUSE" => "协议无知识产权条款",
        "BILINGUAL_MISMATCH" => "中英文不一致",
        "SEAL_MISSING" => "缺少公章",
        "SEAL_MISMATCH" => "公章与单位不符",
        "PI_AGE_LIMIT" => "负责人年龄不符",
        "ORG_REGISTERED_TOO_LATE" => "单位注册时间不符",
        "NOVELTY_REPORT_OUTDATED" => "查新报告过期",
        "INDICATOR_BELOW_MINIMUM" => "考核指标不足",
        "APPLICANT_TYPE_NOT_ALLOWED" => "申报单位类型不符",
        "FILENAME_CONVENTION" => "文件命名不规范",
        "DUPLICATE_SUBMISSION" => "重复申报",
        "SUMMARY_MISMATCH" => "与汇总表不一致",
        "UNREADABLE_FILE" => "文件无法读取",
        "SEAL_UNREADABLE" => "公章无法识别",
        "FUNDING_BELOW_RANGE" => "经费低于建议区间",
        "SUBMITTED_LATE" => "逾期报送",
        "PI_TITLE_NOT_ELIGIBLE" => "负责人职称不符",
        _ => "其他",
    }
}

fn severity_id(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// A seal's image crop: (MIME type, bytes).
pub type SealCrop = Option<(&'static str, Vec<u8>)>;

/// The default crop lookup. The record does not carry crop bytes yet; the
/// OCR stage can pass its own lookup to [`render_with`] (keyed by the
/// seal's source and page), or fill this in once `Seal` holds the crop.
pub fn seal_crop(_seal: &Seal) -> SealCrop {
    None
}

/// Standard base64, for data: URIs.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Text runs, each flagged when it differs from the other side.
pub type Runs = Vec<(String, bool)>;

/// Character diff of `a` and `b` by longest common subsequence: each side
/// as (text, differs) runs. Long texts or texts with little in common are
/// one differing run (a Chinese name against an English one).
pub fn char_diff(a: &str, b: &str) -> (Runs, Runs) {
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let whole = || (vec![(a.to_string(), true)], vec![(b.to_string(), true)]);
    if ac.is_empty() || bc.is_empty() || ac.len() > 400 || bc.len() > 400 {
        return whole();
    }
    let (n, m) = (ac.len(), bc.len());
    let mut l = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if ac[i] == bc[j] {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let common = l[0][0] as usize;
    if common * 2 < n.min(m) {
        return whole();
    }
    let (mut ka, mut kb) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if ac[i] == bc[j] {
            ka[i] = true;
            kb[j] = true;
            i += 1;
            j += 1;
        } else if l[i + 1][j] >= l[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    let runs = |cs: &[char], keep: &[bool]| {
        let mut out: Vec<(String, bool)> = Vec::new();
        for (c, k) in cs.iter().zip(keep) {
            match out.last_mut() {
                Some((s, d)) if *d != *k => s.push(*c),
                _ => out.push((c.to_string(), !k)),
            }
        }
        out
    };
    (runs(&ac, &ka), runs(&bc, &kb))
}

fn diff_html(runs: &[(String, bool)]) -> String {
    let mut s = String::new();
    for (t, d) in runs {
        if *d {
            let _ = write!(s, "<mark class=\"diff\">{}</mark>", esc(t));
        } else {
            s.push_str(&esc(t));
        }
    }
    s
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:14px/1.55 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1f2933;background:#f3f5f8}
header.top{background:#1e3a5f;color:#fff;padding:18px 28px}
header.top h1{margin:0 0 4px;font-size:22px}
header.top .sub{opacity:.85}
main{max-width:1200px;margin:0 auto;padding:18px 20px 60px}
.panel{background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:14px 18px;margin-bottom:16px}
.panel h2{font-size:16px;margin:0 0 10px}
.stats{display:flex;gap:12px;flex-wrap:wrap}
.stat{background:#f7f9fb;border:1px solid #e3e7ec;border-radius:6px;padding:8px 14px;min-width:110px}
.stat b{display:block;font-size:22px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e6e9ee;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f7f9fb;font-weight:600;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
a.codelink{color:#1e5aa8;text-decoration:none;cursor:pointer}
.filters{display:flex;gap:14px;align-items:center;flex-wrap:wrap;position:sticky;top:0;z-index:5}
.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid #c4ccd6;border-radius:4px}
#shown-count{margin-left:auto;color:#52606d}
.card{background:#fff;border:1px solid #d9dee5;border-left:5px solid #3c9d5d;border-radius:8px;margin-bottom:16px;overflow:hidden}
.card.sev-error{border-left-color:#c0392b}.card.sev-warning{border-left-color:#d68910}
.card>header{padding:10px 16px;background:#fafbfc;border-bottom:1px solid #e6e9ee}
.card>header h3{margin:0;font-size:17px}
.card>header .meta{color:#52606d;font-size:13px}
.card .body{padding:10px 16px}
.card h4{margin:14px 0 6px;font-size:14px;color:#334e68}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;line-height:20px;margin-right:6px;white-space:nowrap}
.b-error{background:#fdecea;color:#a93226}.b-warning{background:#fef5e7;color:#9c640c}.b-info{background:#eaf2f8;color:#1f618d}
.b-ok{background:#e9f7ef;color:#1e8449}.b-code{background:#eef1f5;color:#334e68;font-family:monospace}
ul.findings{list-style:none;margin:0;padding:0}
li.finding{padding:6px 0;border-bottom:1px dashed #e6e9ee}
.ev{color:#52606d;font-size:12px}
.ev q{color:#243b53;background:#f7f9fb;padding:0 3px}
table.fields td:first-child{width:150px;color:#52606d;white-space:nowrap}
table.bi td{width:40%}table.bi td:first-child{width:20%}
tr.bad td{background:#fffaf0}
mark.diff{background:#f9c9c3;color:#7b241c;border-radius:2px;padding:0 1px}
tr.bad td.zh mark.diff{background:#f9c9c3}
.seals{display:flex;gap:12px;flex-wrap:wrap}
.seal{border:1px solid #e3e7ec;border-radius:6px;padding:6px;width:180px;font-size:12px}
.seal img{max-width:100%;display:block;margin-bottom:4px}
.hidden{display:none!important}
.empty{color:#7b8794}
"#;

const JS: &str = r#"
(function(){
  var code=document.getElementById('f-code'),sev=document.getElementById('f-sev'),
      only=document.getElementById('f-only'),q=document.getElementById('f-q');
  function parse(){var h={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){
    var p=kv.split('=');if(p[0])h[decodeURIComponent(p[0])]=decodeURIComponent(p[1]||'');});return h;}
  function apply(){
    var c=code.value,s=sev.value,o=only.checked,t=q.value.trim().toLowerCase();
    document.body.setAttribute('data-filter-code',c);document.body.setAttribute('data-filter-severity',s);
    var shown=0,cards=document.querySelectorAll('section.card');
    cards.forEach(function(card){
      var fs=card.querySelectorAll('li.finding'),hit=0;
      fs.forEach(function(f){var ok=(!c||f.getAttribute('data-code')===c)&&(!s||f.getAttribute('data-severity')===s);
        f.classList.toggle('hidden',!ok);if(ok)hit++;});
      var filtering=!!(c||s);
      var show=(filtering?hit>0:(!o||fs.length>0))&&(!t||card.textContent.toLowerCase().indexOf(t)>=0);
      card.classList.toggle('hidden',!show);if(show)shown++;
    });
    document.getElementById('shown-count').textContent='显示 '+shown+' / '+cards.length+' 个项目';
  }
  function fromHash(){var h=parse();code.value=h.code||'';sev.value=h.severity||'';only.checked=h.only==='1';q.value=h.q||'';apply();}
  function toHash(){var p=[];if(code.value)p.push('code='+encodeURIComponent(code.value));
    if(sev.value)p.push('severity='+encodeURIComponent(sev.value));if(only.checked)p.push('only=1');
    if(q.value)p.push('q='+encodeURIComponent(q.value));
    history.replaceState(null,'','#'+p.join('&'));apply();}
  [code,sev,only].forEach(function(e){e.addEventListener('change',toHash);});
  q.addEventListener('input',toHash);
  document.querySelectorAll('a.codelink').forEach(function(a){a.addEventListener('click',function(ev){
    ev.preventDefault();code.value=a.getAttribute('data-code');sev.value='';toHash();});});
  window.addEventListener('hashchange',fromHash);
  fromHash();
})();
"#;

/// Chinese labels of the fields shown on a card, in order.
const FIELD_ROWS: &[(&str, &str)] = &[
    ("project_name", "项目名称"),
    ("project_name_en", "项目英文名称"),
    ("applicant", "申报单位"),
    ("applicant_type", "单位类型"),
    ("pi", "项目负责人"),
    ("partner_countries", "合作国别"),
    ("partner_institution", "外方合作单位"),
    ("key_technologies", "关键技术"),
    ("trl", "技术成熟度"),
    ("indicators", "考核指标"),
    ("funding", "经费（万元）"),
    ("execution_period", "执行期"),
    ("agreement", "合作协议"),
];

fn applicant_type_zh(t: crate::record::ApplicantType) -> &'static str {
    use crate::record::ApplicantType::*;
    match t {
        Enterprise => "企业",
        University => "高校",
        Institute => "科研院所",
        Hospital => "医院",
        Other => "其他",
    }
}

/// A field's value as a reviewer reads it.
pub fn field_text(s: &Submission, key: &str) -> Option<String> {
    let f = &s.fields;
    let v = match key {
        "project_name" => f.project_name.clone()?,
        "project_name_en" => f.project_name_en.clone()?,
        "applicant" => f.applicant.clone()?,
        "applicant_type" => applicant_type_zh(f.applicant_type?).to_string(),
        "pi" => {
            let p = f.pi.as_ref()?;
            let mut t = p.name.clone();
            if let Some(b) = &p.birth_date {
                let _ = write!(t, "，出生 {b}");
            }
            if let Some(ti) = &p.title {
                let _ = write!(t, "，{ti}");
            }
            t
        }
        "partner_countries" => {
            if f.partner_countries.is_empty() {
                return None;
            }
            f.partner_countries
                .iter()
                .map(|c| match crate::normalize::country::name_zh(c) {
                    Some(n) => format!("{n}（{c}）"),
                    None => c.clone(),
                })
                .collect::<Vec<_>>()
                .join("、")
        }
        "partner_institution" => f.partner_institution.clone()?,
        "key_technologies" => {
            if f.key_technologies.is_empty() {
                return None;
            }
            f.key_technologies
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{}. {k}", i + 1))
                .collect::<Vec<_>>()
                .join("\n")
        }
        "trl" => {
            let t = f.trl?;
            match t.target {
                Some(g) => format!("当前 {} 级 → 目标 {g} 级", t.current),
                None => format!("当前 {} 级", t.current),
            }
        }
        "indicators" => {
            if f.indicators.is_empty() {
                return None;
            }
            f.indicators
                .iter()
                .map(|i| i.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        }
        "funding" => {
            let fu = f.funding?;
            let n = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "—".into());
            format!("申请 {}；配套 {}", n(fu.requested_wan), n(fu.matching_wan))
        }
        "execution_period" => {
            let p = f.execution_period.as_ref()?;
            format!(
                "{} 至 {}",
                p.start.as_deref().unwrap_or("?"),
                p.end.as_deref().unwrap_or("?")
            )
        }
        "agreement" => {
            let a = f.agreement.as_ref()?;
            let langs: Vec<&str> = a
                .languages
                .iter()
                .map(|l| if l == "zh" { "中文" } else { "英文" })
                .collect();
            format!(
                "有效期 {} 至 {}；语言：{}；知识产权条款：{}",
                a.valid_from.as_deref().unwrap_or("?"),
                a.valid_to.as_deref().unwrap_or("?"),
                if langs.is_empty() {
                    "未识别".to_string()
                } else {
                    langs.join("+")
                },
                if a.has_ip_clause { "有" } else { "无" }
            )
        }
        _ => return None,
    };
    Some(v)
}

/// Evidence as a small note; the source is left out when it is the card's
/// main document (`primary`), which the card names once in its file list.
fn evidence_html(e: &Evidence, primary: Option<&str>) -> String {
    let mut s = String::from("<div class=\"ev\">");
    if primary == Some(e.source.as_str()) {
        s.push_str("申报书");
    } else {
        let _ = write!(s, "来源：{}", esc(&e.source));
    }
    if let Some(p) = e.page {
        let _ = write!(s, "，第{p}页");
    }
    if !e.locator.is_empty() {
        let _ = write!(s, "，位置：{}", esc(&e.locator));
    }
    if !e.text.is_empty() {
        let _ = write!(s, "<br>原文：<q>{}</q>", esc(&e.text));
    }
    s.push_str("</div>");
    s
}

fn finding_html(f: &Finding, primary: Option<&str>) -> String {
    let sev = severity_id(f.severity);
    let mut s = format!(
        "<li class=\"finding\" data-code=\"{}\" data-severity=\"{sev}\"><span class=\"badge b-{sev}\">{}</span><span class=\"badge b-code\">{}</span><b>{}</b> {}",
        esc(f.code.as_str()),
        severity_label(f.severity),
        esc(f.code.as_str()),
        code_label(f.code.as_str()),
        esc(&f.message)
    );
    match &f.evidence {
        Some(e) => s.push_str(&evidence_html(e, primary)),
        None => {
            if let Some(src) = &f.source {
                let _ = write!(s, "<div class=\"ev\">来源：{}</div>", esc(src));
            }
        }
    }
    s.push_str("</li>");
    s
}

fn bilingual_html(pairs: &[BilingualPair]) -> String {
    let mut s = String::from(
        "<table class=\"bi\"><tr><th>字段</th><th>中文文本 / 申报书</th><th>英文文本 / 协议</th></tr>",
    );
    for p in pairs {
        let form = p.field.starts_with(FORM_PREFIX);
        let label = if form {
            format!("{}（申报书对协议）", field_label(&p.field))
        } else {
            field_label(&p.field).to_string()
        };
        let (zh, en) = if p.consistent {
            (esc(&p.zh), esc(&p.en))
        } else {
            let (a, b) = char_diff(&p.zh, &p.en);
            (diff_html(&a), diff_html(&b))
        };
        let status = if p.consistent {
            "<span class=\"badge b-ok\">一致</span>"
        } else {
            "<span class=\"badge b-error\">不一致</span>"
        };
        let _ = write!(
            s,
            "<tr class=\"{}\" data-field=\"{}\"><td>{status}{}</td><td class=\"zh\">{zh}</td><td class=\"en\">{en}</td></tr>",
            if p.consistent { "ok" } else { "bad" },
            esc(&p.field),
            esc(&label)
        );
    }
    s.push_str("</table>");
    s
}

fn seals_html(seals: &[Seal], crops: &dyn Fn(&Seal) -> SealCrop) -> String {
    let mut s = String::from("<div class=\"seals\">");
    for seal in seals {
        s.push_str("<div class=\"seal\">");
        if let Some((mime, bytes)) = crops(seal) {
            let _ = write!(
                s,
                "<img alt=\"公章\" src=\"data:{mime};base64,{}\">",
                base64(&bytes)
            );
        }
        use crate::record::SealOwner;
        let verdict = match seal.owner {
            Some(SealOwner::Applicant) => "<span class=\"badge b-ok\">申报单位公章</span>",
            Some(SealOwner::Partner) => "<span class=\"badge b-ok\">合作单位公章</span>",
            Some(SealOwner::Recommender) => "<span class=\"badge b-ok\">推荐单位公章</span>",
            Some(SealOwner::Other) => "<span class=\"badge b-warning\">其他单位公章</span>",
            None => "<span class=\"badge b-info\">未能可靠识别</span>",
        };
        let _ = write!(s, "<div><b>{}</b></div>{verdict}", esc(&seal.text));
        // What OCR read, where the text was matched to a party's name.
        if let Some(r) = &seal.reading {
            let _ = write!(s, "<div class=\"ev\">识别为：{}</div>", esc(r));
        }
        let _ = write!(s, "<div class=\"ev\">{}", esc(&seal.source));
        if let Some(p) = seal.page {
            let _ = write!(s, "，第{p}页");
        }
        s.push_str("</div></div>");
    }
    s.push_str("</div>");
    s
}

fn worst(s: &Submission) -> Option<Severity> {
    s.findings.iter().map(|f| f.severity).min()
}

fn card_html(
    i: usize,
    s: &Submission,
    dir_names: &BTreeMap<String, String>,
    crops: &dyn Fn(&Seal) -> SealCrop,
) -> String {
    let title = s
        .fields
        .project_name
        .clone()
        .or_else(|| s.sources.first().map(|x| x.path.clone()))
        .unwrap_or_else(|| s.id.clone());
    let codes: Vec<&str> = s.findings.iter().map(|f| f.code.as_str()).collect();
    // The form's display path, as evidence names it.
    let primary_path = s
        .sources
        .iter()
        .find(|x| x.role == crate::record::Role::Form)
        .or(s.sources.first())
        .map(|x| {
            if x.container.is_empty() {
                x.path.clone()
            } else {
                format!("{}/{}", x.container, x.path)
            }
        });
    let primary = primary_path.as_deref();
    let sev_class = match worst(s) {
        Some(Severity::Error) => "sev-error",
        Some(Severity::Warning) => "sev-warning",
        _ => "sev-ok",
    };
    let dir = s
        .direction
        .as_ref()
        .map(|d| dir_names.get(d).cloned().unwrap_or_else(|| d.clone()))
        .unwrap_or_else(|| "未确定方向".into());
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"card {sev_class}\" id=\"p-{}\" data-id=\"{}\" data-direction=\"{}\" data-codes=\"{}\"><header><h3>{}. {}</h3><div class=\"meta\">{} ｜ {} ｜ 编号 {}</div></header><div class=\"body\">",
        esc(&s.id),
        esc(&s.id),
        esc(s.direction.as_deref().unwrap_or("")),
        esc(&codes.join(" ")),
        i + 1,
        esc(&title),
        esc(s.fields.applicant.as_deref().unwrap_or("申报单位未识别")),
        esc(&dir),
        esc(&s.id)
    );
    // Findings first: they are what the reviewer checks.
    h.push_str("<h4>审查发现</h4>");
    if s.findings.is_empty() {
        h.push_str("<p class=\"empty\">未发现问题</p>");
    } else {
        h.push_str("<ul class=\"findings\">");
        for f in &s.findings {
            h.push_str(&finding_html(f, primary));
        }
        h.push_str("</ul>");
    }
    if !s.bilingual.is_empty() {
        h.push_str("<h4>中英文对照核对</h4>");
        h.push_str(&bilingual_html(&s.bilingual));
    }
    h.push_str("<h4>字段与证据</h4><table class=\"fields\">");
    for (key, label) in FIELD_ROWS {
        let value = field_text(s, key);
        let _ = write!(h, "<tr data-field=\"{key}\"><td>{label}</td><td>");
        match value {
            Some(v) => {
                let _ = write!(h, "{}", esc(&v).replace('\n', "<br>"));
                if let Some(e) = s.evidence.get(*key) {
                    h.push_str(&evidence_html(e, primary));
                }
            }
            None => h.push_str("<span class=\"empty\">未找到</span>"),
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</table>");
    if !s.fields.seals.is_empty() {
        h.push_str("<h4>公章</h4>");
        h.push_str(&seals_html(&s.fields.seals, crops));
    }
    h.push_str("<h4>文件</h4><table><tr><th>路径</th><th>类型</th><th>用途</th></tr>");
    for src in &s.sources {
        let path = if src.container.is_empty() {
            src.path.clone()
        } else {
            format!("{}/{}", src.container, src.path)
        };
        let role = match src.role {
            crate::record::Role::Form => "申报书",
            crate::record::Role::Agreement => "合作协议",
            crate::record::Role::Summary => "汇总表",
            crate::record::Role::Attachment => "附件",
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}{}</td><td>{role}</td></tr>",
            esc(&path),
            esc(&src.kind),
            if src.ocr { "（OCR）" } else { "" }
        );
    }
    h.push_str("</table></div></section>");
    h
}

/// Renders the whole report.
pub fn render(submissions: &[Submission], report: &BatchReport) -> String {
    render_with(submissions, report, &seal_crop)
}

/// Renders the report, embedding each seal's crop that `crops` returns as
/// a data: URI image.
pub fn render_with(
    submissions: &[Submission],
    report: &BatchReport,
    crops: &dyn Fn(&Seal) -> SealCrop,
) -> String {
    let catalog = Catalog::embedded();
    let scheme = catalog.scheme(&report.scheme);
    let dir_names: BTreeMap<String, String> = scheme
        .map(|s| {
            s.directions
                .iter()
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let title = scheme
        .map(|s| s.title.clone())
        .unwrap_or_else(|| report.scheme.clone());

    // Counts per code (by severity) and per direction.
    let mut by_code: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for s in submissions {
        for f in &s.findings {
            let e = by_code.entry(f.code.as_str()).or_default();
            e[match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            }] += 1;
        }
    }
    let mut by_dir: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for s in submissions {
        let name = s
            .direction
            .as_ref()
            .map(|d| dir_names.get(d).cloned().unwrap_or_else(|| d.clone()))
            .unwrap_or_else(|| "未确定方向".into());
        let e = by_dir.entry(name).or_default();
        e[0] += 1;
        if !s.findings.is_empty() {
            e[1] += 1;
        }
        e[2] += s
            .findings
            .iter()
            .filter(|f| f.code == "BILINGUAL_MISMATCH")
            .count();
    }
    let with_findings = submissions
        .iter()
        .filter(|s| !s.findings.is_empty())
        .count();
    let mismatches: usize = submissions
        .iter()
        .map(|s| s.bilingual.iter().filter(|p| !p.consistent).count())
        .sum();

    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    // No network: nothing may be fetched, even by accident.
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">");
    let _ = write!(h, "<title>申报材料抽查报告 — {}</title>", esc(&title));
    let _ = write!(h, "<style>{CSS}</style></head><body>");
    let _ = write!(
        h,
        "<header class=\"top\"><h1>申报材料抽查报告</h1><div class=\"sub\">{} ｜ 方案 {}</div></header><main>",
        esc(&title),
        esc(&report.scheme)
    );
    // Overview.
    h.push_str("<section class=\"panel\" id=\"overview\"><h2>批次概览</h2><div class=\"stats\">");
    for (label, n) in [
        ("项目", submissions.len()),
        ("有问题的项目", with_findings),
        ("文件", report.counts.files),
        ("无法读取", report.counts.unreadable),
        ("未归属文件", report.counts.unassigned),
        ("中英文不一致", mismatches),
    ] {
        let _ = write!(h, "<div class=\"stat\"><b>{n}</b>{label}</div>");
    }
    h.push_str("</div><div class=\"grid2\" style=\"margin-top:14px\"><div><table id=\"code-counts\"><tr><th>问题类型</th><th>代码</th><th>错误</th><th>警告</th><th>提示</th></tr>");
    for (code, n) in &by_code {
        let _ = write!(
            h,
            "<tr data-code=\"{c}\"><td><a class=\"codelink\" href=\"#code={c}\" data-code=\"{c}\">{}</a></td><td><span class=\"badge b-code\">{c}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            code_label(code),
            n[0],
            n[1],
            n[2],
            c = esc(code)
        );
    }
    if by_code.is_empty() {
        h.push_str("<tr><td colspan=\"5\" class=\"empty\">未发现问题</td></tr>");
    }
    h.push_str("</table></div><div><table id=\"direction-counts\"><tr><th>方向/地区</th><th>项目</th><th>有问题</th><th>中英文不一致</th></tr>");
    for (d, n) in &by_dir {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(d),
            n[0],
            n[1],
            n[2]
        );
    }
    h.push_str("</table></div></div></section>");
    if !report.failures.is_empty() || !report.unassigned.is_empty() {
        h.push_str(
            "<section class=\"panel\"><h2>文件问题</h2><table><tr><th>文件</th><th>原因</th></tr>",
        );
        for f in report.failures.iter().chain(&report.unassigned) {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(&f.path),
                esc(&f.reason)
            );
        }
        h.push_str("</table></section>");
    }
    // Filters.
    h.push_str("<section class=\"panel filters\"><label>问题类型 <select id=\"f-code\"><option value=\"\">全部</option>");
    for code in by_code.keys() {
        let _ = write!(
            h,
            "<option value=\"{c}\">{} {c}</option>",
            code_label(code),
            c = esc(code)
        );
    }
    h.push_str("</select></label><label>严重程度 <select id=\"f-sev\"><option value=\"\">全部</option><option value=\"error\">错误</option><option value=\"warning\">警告</option><option value=\"info\">提示</option></select></label>");
    h.push_str("<label><input type=\"checkbox\" id=\"f-only\"> 仅显示有问题的项目</label><label>搜索 <input type=\"search\" id=\"f-q\" placeholder=\"项目名称、单位…\"></label><span id=\"shown-count\"></span></section>");
    h.push_str("<div id=\"cards\">");
    for (i, s) in submissions.iter().enumerate() {
        h.push_str(&card_html(i, s, &dir_names, crops));
    }
    h.push_str("</div></main>");
    let _ = writeln!(h, "<script>{JS}</script></body></html>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn diff_marks_changed_characters() {
        let (a, b) = char_diff("2027-12-31", "2026-12-31");
        assert_eq!(
            a,
            vec![
                ("202".to_string(), false),
                ("7".to_string(), true),
                ("-12-31".to_string(), false)
            ]
        );
        assert_eq!(b[1], ("6".to_string(), true));
        // Different scripts: all of it differs.
        let (a, _) = char_diff("首尔大学", "Korea University");
        assert_eq!(a, vec![("首尔大学".to_string(), true)]);
    }
}
