//! Orchestrates a whole `shandong-2026-guideline` batch: departments, their
//! proposals, region folders, file names, zips (GBK / UTF-8 / Unicode-extra
//! names, one nested zip), one e-mail, summary tables, and `truth.jsonl`.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::content::{
    APPLICANTS, BELT_AND_ROAD, DEPTS, Dept, FIELDS, GIVEN, INDICATORS, IndKind, NAME_PREFIXES,
    NAME_SUFFIXES, Org, REGIONS, SUB_UNITS, SURNAMES, TOPICS, titles_for, zh_small,
};
use crate::form::{self, Proposal};
use crate::mail::{self, Mail};
use crate::rawzip::{Name, RawZip};
use crate::rng::Rng;
use crate::summary;
use crate::truth::{DocTruth, SummaryRow, SummaryTruth, TruthLine};

const CITIES: &[&str] = &[
    "济南", "青岛", "潍坊", "烟台", "淄博", "威海", "临沂", "东营",
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub proposals: usize,
    pub seed: u64,
    /// Write a truth line per proposal document (summary lines are always written).
    pub docs_truth: bool,
}

/// A generated batch, in memory: files relative to the output directory.
pub struct Batch {
    pub files: Vec<(String, Vec<u8>)>,
    pub truth: Vec<TruthLine>,
}

/// How a department's zip names its entries and how it is delivered.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Encoding {
    Gbk,
    Utf8,
    GbkUnicodeExtra,
}

struct DeptPlan {
    encoding: Encoding,
    by_mail: bool,
    nested: bool,
    top_folder: bool,
    dir_entries: bool,
    deflate: bool,
    bri_folder: &'static str,
}

fn name(enc: Encoding, s: &str) -> Name {
    match enc {
        Encoding::Gbk => Name::Gbk(s.to_string()),
        Encoding::Utf8 => Name::Utf8(s.to_string()),
        Encoding::GbkUnicodeExtra => Name::GbkWithUnicodeExtra(s.to_string()),
    }
}

/// A placed proposal: its facts, rendered form and where it lives.
struct Placed {
    seq: u32,
    proposal: Proposal,
    docx: Vec<u8>,
    fields: crate::truth::Fields,
    region: usize,
    in_sub: bool,
    file_name: String,
}

/// Generates the batch for `shandong-2026-guideline`.
pub fn shandong(opts: &Options) -> Result<Batch> {
    shandong_converted(opts, "docx", &mut |docx| Ok(docx))
}

/// The same batch with every form passed through `convert` (e.g. DOCX → PDF,
/// see `pdf.rs`) and its file name given the extension `ext`.
pub fn shandong_converted(
    opts: &Options,
    ext: &str,
    convert: &mut dyn FnMut(Vec<u8>) -> Result<Vec<u8>>,
) -> Result<Batch> {
    if opts.proposals == 0 {
        bail!("--proposals must be at least 1");
    }
    let mut rng = Rng::new(opts.seed);
    let n = opts.proposals;
    let n_depts = n.div_ceil(12).clamp(n.min(3), DEPTS.len());
    let mut used_names: HashSet<String> = HashSet::new();
    let mut batch = Batch {
        files: Vec::new(),
        truth: Vec::new(),
    };

    for (di, dept) in DEPTS.iter().take(n_depts).enumerate() {
        let count = n / n_depts + usize::from(di < n % n_depts);
        let mut drng = rng.fork(di as u64);
        let plan = plan_for(di, count, &mut drng);
        let mut placed = Vec::with_capacity(count);
        let mut regions: Vec<usize> = (0..count)
            .map(|j| if j < 5 { j } else { drng.below(5) })
            .collect();
        regions.sort_unstable();
        let sub_from = if plan.nested {
            count - (count / 3).max(2)
        } else {
            usize::MAX
        };
        for (j, &region) in regions.iter().enumerate() {
            let mut prng = drng.fork(j as u64);
            let proposal = make_proposal(dept, region, &mut used_names, &mut prng);
            let (docx, fields) = form::render(&proposal, &mut prng);
            let seq = (j + 1) as u32;
            let mut file_name = file_name(seq, &proposal, &mut prng);
            let docx = convert(docx)?;
            if let Some(stem) = file_name.strip_suffix(".docx") {
                file_name = format!("{stem}.{ext}");
            }
            placed.push(Placed {
                seq,
                proposal,
                docx,
                fields,
                region,
                in_sub: j >= sub_from,
                file_name,
            });
        }
        emit_dept(dept, &plan, &placed, opts, &mut drng, &mut batch)?;
    }
    Ok(batch)
}

fn plan_for(di: usize, count: usize, rng: &mut Rng) -> DeptPlan {
    let bri_spellings = ["“一带一路”共建国家", "一带一路共建国家"];
    let mut plan = DeptPlan {
        encoding: Encoding::Gbk,
        by_mail: false,
        nested: false,
        top_folder: rng.chance(0.5),
        dir_entries: rng.chance(0.5),
        deflate: rng.chance(0.7),
        bri_folder: bri_spellings[rng.below(bri_spellings.len())],
    };
    match di {
        0 => {
            plan.nested = count >= 4;
            plan.top_folder = false;
            plan.dir_entries = true;
            plan.bri_folder = bri_spellings[0];
        }
        1 => {
            plan.encoding = Encoding::Utf8;
            plan.top_folder = true;
            plan.bri_folder = bri_spellings[1];
        }
        2 => {
            plan.encoding = Encoding::GbkUnicodeExtra;
            plan.by_mail = true;
            plan.top_folder = false;
        }
        _ => {}
    }
    plan
}

fn person_name(rng: &mut Rng) -> String {
    let mut s = (*rng.pick(SURNAMES)).to_string();
    s.push_str(GIVEN[rng.below(GIVEN.len())]);
    if rng.chance(0.6) {
        s.push_str(GIVEN[rng.below(GIVEN.len())]);
    }
    s
}

fn make_proposal(
    dept: &Dept,
    region: usize,
    used: &mut HashSet<String>,
    rng: &mut Rng,
) -> Proposal {
    let org = match dept.applicants {
        // A city bureau forwards provincial units and its own city's, not
        // another city's.
        [] => {
            let local: Vec<&Org> = APPLICANTS
                .iter()
                .filter(|o| {
                    !CITIES
                        .iter()
                        .any(|c| o.name.starts_with(c) && !dept.name.starts_with(c))
                })
                .collect();
            *rng.pick(&local)
        }
        names => {
            let name = *rng.pick(names);
            APPLICANTS
                .iter()
                .find(|o| o.name == name)
                .unwrap_or(&APPLICANTS[0])
        }
    };
    let fits = |f: usize, allowed: &[usize]| allowed.is_empty() || allowed.contains(&f);
    let mut topics: Vec<usize> = (0..TOPICS.len())
        .filter(|&i| fits(TOPICS[i].field, dept.fields) && fits(TOPICS[i].field, org.fields))
        .collect();
    if topics.is_empty() {
        topics = (0..TOPICS.len())
            .filter(|&i| fits(TOPICS[i].field, org.fields))
            .collect();
    }
    // Draw until the name is new; fall back to a duplicate name only when
    // the pools are exhausted (very large batches).
    let mut attempt = 0;
    let (zh, en, topic) = loop {
        let topic = &TOPICS[*rng.pick(&topics)];
        let (pz, pe, post) = *rng.pick(NAME_PREFIXES);
        let (sz, se) = *rng.pick(NAME_SUFFIXES);
        let zh = format!("{pz}{}{sz}", topic.zh);
        attempt += 1;
        if used.insert(zh.clone()) || attempt > 30 {
            break (
                zh,
                se.replace("{}", &format!("{pe}{}{post}", topic.en)),
                topic,
            );
        }
    };
    let reg = &REGIONS[region];
    let n_countries = if reg.countries.len() > 1 && rng.chance(0.25) {
        2
    } else {
        1
    };
    let countries: Vec<(String, String)> = rng
        .sample_indices(reg.countries.len(), n_countries)
        .into_iter()
        .map(|i| {
            let c = &reg.countries[i];
            (c.iso.to_string(), rng.pick(c.aliases).to_string())
        })
        .collect();
    let first = reg
        .countries
        .iter()
        .find(|c| Some(c.iso) == countries.first().map(|x| x.0.as_str()))
        .unwrap_or(&reg.countries[0]);
    let partner_institution = rng.pick(first.institutions).to_string();
    let field = &FIELDS[topic.field];
    let k = if rng.chance(0.07) {
        6
    } else {
        rng.range(2, 5) as usize
    };
    let key_techs = rng
        .sample_indices(field.techs.len(), k)
        .into_iter()
        .map(|i| field.techs[i].to_string())
        .collect();
    let trl_current = rng.range(2, 6) as u8;
    let trl_target = (trl_current as u32 + rng.range(2, 3)).min(9) as u8;
    let n_ind = rng.range(2, 5) as usize;
    let mut kinds = rng.sample_indices(INDICATORS.len(), n_ind);
    kinds.sort_unstable();
    let indicators = kinds
        .into_iter()
        .map(|i| {
            let t = &INDICATORS[i];
            let mut count = rng.range(t.range.0, t.range.1);
            if t.kind == IndKind::Economic {
                count *= 100;
            }
            let num = match zh_small(count) {
                Some(z) if t.kind != IndKind::Economic && rng.chance(0.2) => z.to_string(),
                _ => count.to_string(),
            };
            let num = if rng.chance(0.15) {
                format!("不少于{num}")
            } else {
                num
            };
            (t.kind, count, rng.pick(t.texts).replace("{}", &num))
        })
        .collect();
    let requested_wan = *rng.pick(&[20.0, 30.0, 40.0, 40.0, 50.0, 60.0, 80.0, 100.0, 37.5, 45.0]);
    let matching_wan = if rng.chance(0.85) {
        Some(requested_wan * *rng.pick(&[0.5, 1.0, 1.0, 1.5, 2.0, 3.0]))
    } else {
        None
    };
    let start = *rng.pick(&[(2026, 1), (2026, 1), (2026, 1), (2026, 3), (2026, 7)]);
    let phone = if rng.chance(0.5) {
        format!("0531-8{:07}", rng.below(10_000_000))
    } else {
        format!("13{}{:08}", rng.range(0, 9), rng.below(100_000_000))
    };
    Proposal {
        project_name: zh,
        project_name_en: en,
        topic: topic.zh.to_string(),
        applicant: org.name.to_string(),
        applicant_type: org.kind,
        pi_name: person_name(rng),
        birth: (rng.range(1965, 1990), rng.range(1, 12), rng.range(1, 28)),
        title: rng.pick(titles_for(org.kind)).to_string(),
        countries,
        partner_institution,
        field: field.name.to_string(),
        key_techs,
        trl_current,
        trl_target,
        indicators,
        requested_wan,
        matching_wan,
        start,
        months: if rng.chance(0.6) { 36 } else { 24 },
        phone,
    }
}

/// `顺序号.项目名称-建议单位.docx`, and a few that break the convention.
fn file_name(seq: u32, p: &Proposal, rng: &mut Rng) -> String {
    let (n, a) = (&p.project_name, &p.applicant);
    if !rng.chance(0.1) {
        return format!("{seq}.{n}-{a}.docx");
    }
    match rng.below(5) {
        0 => format!("{n}-{a}.docx"),
        1 => format!("{seq}、{n}-{a}.docx"),
        2 => format!("{seq}.{n}.docx"),
        3 => format!("{seq}.{a}-{n}.docx"),
        _ => format!("附件1：指南建议信息表（{n}）.docx"),
    }
}

fn emit_dept(
    dept: &Dept,
    plan: &DeptPlan,
    placed: &[Placed],
    opts: &Options,
    rng: &mut Rng,
    batch: &mut Batch,
) -> Result<()> {
    let zip_name = format!("{}.zip", dept.name);
    let outer_chain: Vec<String> = if plan.by_mail {
        vec![format!("{}.eml", dept.name), zip_name.clone()]
    } else {
        vec![zip_name.clone()]
    };
    let prefix = if plan.top_folder {
        format!("{}/", dept.short)
    } else {
        String::new()
    };
    let folder = |r: usize| {
        if r == BELT_AND_ROAD {
            plan.bri_folder
        } else {
            REGIONS[r].folder
        }
    };
    let sub_name = format!("{}.zip", rng.pick(SUB_UNITS));

    let mut outer = RawZip::new();
    let mut sub = RawZip::new();
    if plan.dir_entries {
        if plan.top_folder {
            outer.dir(name(plan.encoding, &prefix));
        }
        for r in 0..REGIONS.len() {
            outer.dir(name(plan.encoding, &format!("{prefix}{}/", folder(r))));
        }
    }
    let mut doc_locations = Vec::with_capacity(placed.len());
    for p in placed {
        let (chain, path) = if p.in_sub {
            let path = format!("{}/{}", folder(p.region), p.file_name);
            sub.file(Name::Gbk(path.clone()), &p.docx, true);
            let mut chain = outer_chain.clone();
            chain.push(sub_name.clone());
            (chain, path)
        } else {
            let path = format!("{prefix}{}/{}", folder(p.region), p.file_name);
            outer.file(name(plan.encoding, &path), &p.docx, plan.deflate);
            (outer_chain.clone(), path)
        };
        if opts.docs_truth {
            batch.truth.push(TruthLine::Doc(Box::new(DocTruth {
                container: chain.clone(),
                path: path.clone(),
                fields: p.fields.clone(),
            })));
        }
        doc_locations.push((chain, path));
    }
    if placed.iter().any(|p| p.in_sub) {
        outer.file(
            name(plan.encoding, &format!("{prefix}{sub_name}")),
            &sub.finish(),
            false,
        );
    }

    // Summary table, with one deliberate disagreement in a larger department.
    let mismatch_at = if placed.len() >= 8 && plan.nested {
        Some(2)
    } else {
        None
    };
    let mut rows = Vec::new();
    let mut truth_rows = Vec::new();
    for (i, p) in placed.iter().enumerate() {
        let pr = &p.proposal;
        let countries: Vec<String> = pr
            .countries
            .iter()
            .map(|(iso, written)| {
                let aliases = REGIONS[p.region]
                    .countries
                    .iter()
                    .find(|c| c.iso == iso)
                    .map(|c| c.aliases)
                    .unwrap_or(&[]);
                if aliases.is_empty() {
                    written.clone()
                } else {
                    rng.pick(aliases).to_string()
                }
            })
            .collect();
        let differs = mismatch_at == Some(i);
        let trl = if differs {
            if pr.trl_current < 9 {
                pr.trl_current + 1
            } else {
                8
            }
        } else {
            pr.trl_current
        };
        rows.push(summary::Row {
            seq: p.seq,
            project_name: pr.project_name.clone(),
            applicant: pr.applicant.clone(),
            proposer: pr.pi_name.clone(),
            countries: countries.join("、"),
            partner_institution: pr.partner_institution.clone(),
            field: pr.field.clone(),
            trl,
            phone: pr.phone.clone(),
        });
        truth_rows.push(SummaryRow {
            seq: p.seq,
            project_name: pr.project_name.clone(),
            applicant: pr.applicant.clone(),
            proposer: pr.pi_name.clone(),
            partner_countries: pr.countries.iter().map(|c| c.0.clone()).collect(),
            partner_institution: pr.partner_institution.clone(),
            field: pr.field.clone(),
            trl_current: trl,
            phone: pr.phone.clone(),
            document_container: doc_locations[i].0.clone(),
            document: doc_locations[i].1.clone(),
            differs: if differs {
                vec!["trl_current".to_string()]
            } else {
                Vec::new()
            },
        });
    }
    let xlsx = summary::build(dept.name, &rows, rng)
        .with_context(|| format!("summary table of {}", dept.name))?;
    let summary_name = match rng.below(3) {
        0 => "附件3：2026年省级科技合作项目指南建议汇总表.xlsx".to_string(),
        1 => format!("{}指南建议汇总表.xlsx", dept.name),
        _ => "指南建议汇总表.xlsx".to_string(),
    };
    let summary_path = format!("{prefix}{summary_name}");
    outer.file(name(plan.encoding, &summary_path), &xlsx, plan.deflate);
    batch.truth.push(TruthLine::Summary(SummaryTruth {
        container: outer_chain.clone(),
        path: summary_path,
        role: "summary".to_string(),
        rows: truth_rows,
    }));

    let zip = outer.finish();
    if plan.by_mail {
        let subject = format!(
            "关于报送2026年省级科技合作项目指南建议的函（{}）",
            dept.name
        );
        let body = format!(
            "省科技厅国际合作处：\r\n\r\n    现将{}征集汇总的2026年省级科技合作项目指南建议（共{}项）及汇总表报送给你们，请查收。\r\n\r\n{}\r\n2025年11月26日\r\n",
            dept.name,
            placed.len(),
            dept.name
        );
        let from = format!("kjc@{}", dept.mail);
        let eml = mail::build(&Mail {
            from_name: dept.name,
            from_addr: &from,
            to: "wangyirczx@shandong.cn",
            subject: &subject,
            body: &body,
            date: "Wed, 26 Nov 2025 15:42:08 +0800",
            message_id: &format!("202511261542080{:06}@{}", rng.below(1_000_000), dept.mail),
            attachment_name: &zip_name,
            attachment: &zip,
        });
        batch.files.push((format!("inbox/{}.eml", dept.name), eml));
    } else {
        batch.files.push((format!("inbox/{zip_name}"), zip));
    }
    Ok(())
}

/// Writes the batch under `out`: `inbox/…` and `truth.jsonl`. Refuses to mix
/// with an earlier batch in a non-empty `out/inbox`.
pub fn write(batch: &Batch, out: &Path) -> Result<()> {
    let inbox = out.join("inbox");
    if inbox.exists() && fs::read_dir(&inbox)?.next().is_some() {
        bail!(
            "{} is not empty; remove it or choose another --out",
            inbox.display()
        );
    }
    fs::create_dir_all(&inbox).with_context(|| format!("creating {}", inbox.display()))?;
    for (rel, bytes) in &batch.files {
        let path = out.join(rel);
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut lines = String::new();
    for t in &batch.truth {
        lines.push_str(&serde_json::to_string(t)?);
        lines.push('\n');
    }
    let path = out.join("truth.jsonl");
    fs::write(&path, lines).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
