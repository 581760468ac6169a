//! Every scheme's rules, end to end through the CLI, on sample proposals
//! with ground truth: per proposal, the finding codes must be exactly the
//! expected ones (every planted defect caught with its code, nothing on the
//! clean proposals), and the fields must match the truth (accuracy ≥ 0.95).
//! Every proposal rule of every scheme must fire on a case made for it and
//! stay silent on its boundary twin (`twin_of` in the truth, see
//! `rule_coverage`); every batch or summary rule must fire on some case.
//!
//! Application-book calls (Shanxi, MOST, Zhejiang) use the committed batches
//! under `samples/<scheme-id>/`; the Shandong guideline calls use batches
//! built here from the generator's form renderer (see `guideline_cases`).

mod common;
use common::{ingest, read_jsonl, repo, same};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use intake_samples::application::{self, Call};
use serde_json::Value;

fn key(container: &str, path: &str) -> String {
    format!("{container}|{path}")
}

/// Checks one batch's output against its truth lines, and that every
/// proposal rule not in `exempt` (`CODE` or `CODE:param`, with the reason)
/// has a case that breaks it and a boundary twin; returns a report.
fn check_batch(scheme: &str, out: &Path, truth: &[Value], exempt: &[(&str, &str)]) -> String {
    // Findings that belong to no proposal (batch.json) count as exercised.
    let batch: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("batch.json")).unwrap()).unwrap();
    let subs = read_jsonl(&out.join("submissions.jsonl"));
    let by_key: BTreeMap<String, &Value> = subs
        .iter()
        .map(|s| {
            let src = &s["sources"][0];
            (
                key(
                    src["container"].as_str().unwrap(),
                    src["path"].as_str().unwrap(),
                ),
                s,
            )
        })
        .collect();
    assert_eq!(subs.len(), truth.len(), "{scheme}: proposal count");
    let mut failures = Vec::new();
    let (mut ok, mut total) = (0usize, 0usize);
    let mut caught: BTreeSet<String> = batch["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    for t in truth {
        let container: Vec<&str> = t["container"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let k = key(&container.join("/"), t["path"].as_str().unwrap());
        let Some(s) = by_key.get(&k) else {
            failures.push(format!("no proposal for {k}"));
            continue;
        };
        let case = t["case"].as_str().unwrap();
        let want: BTreeSet<&str> = t["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let got: BTreeSet<&str> = s["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        if got != want {
            failures.push(format!(
                "{case}: expected {want:?}, got {got:?}: {}",
                s["findings"]
            ));
        }
        caught.extend(want.iter().map(|c| c.to_string()));
        if let Some(d) = t.get("direction")
            && !d.is_null()
            && s["direction"] != *d
        {
            failures.push(format!("{case}: direction {} != {d}", s["direction"]));
        }
        for (field, want) in t["fields"].as_object().unwrap() {
            total += 1;
            if same(field, &s["fields"][field], want) {
                ok += 1;
            } else {
                failures.push(format!(
                    "{case}: field {field}: got {} want {want}",
                    s["fields"][field]
                ));
            }
        }
    }
    let (coverage, mut uncovered) = rule_coverage(scheme, truth, &by_key, exempt);
    let (batch_coverage, batch_uncovered) = batch_rule_cases(scheme, &subs, &batch);
    uncovered.extend(batch_uncovered);
    let accuracy = ok as f64 / total.max(1) as f64;
    // The scheme's checkable rule codes that no case breaks.
    let catalog = intake::scheme::Catalog::embedded();
    let untested: BTreeSet<&str> = catalog
        .scheme(scheme)
        .unwrap()
        .rules
        .iter()
        .filter(|r| !r.pending && !caught.contains(r.code.as_str()))
        .map(|r| r.code.as_str())
        .collect();
    let report = format!(
        "{scheme}: {} proposals, field accuracy {ok}/{total} = {accuracy:.3}, codes exercised {caught:?}, rule codes no case breaks {untested:?}, {coverage}, {batch_coverage}",
        truth.len()
    );
    eprintln!("{report}");
    // Field misses are tolerated down to 95 %; finding mismatches are not.
    let finding_failures: Vec<&String> = failures
        .iter()
        .filter(|f| !f.contains(": field "))
        .collect();
    assert!(
        finding_failures.is_empty(),
        "{scheme}:\n{}",
        finding_failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        uncovered.is_empty(),
        "{scheme}: rules without a breaking case and a twin:\n{}",
        uncovered.join("\n")
    );
    assert!(
        accuracy >= 0.95,
        "{scheme}: {report}\n{}",
        failures.join("\n")
    );
    report
}

fn application_call(call: Call, exempt: &[(&str, &str)]) {
    let scheme = call.scheme_id();
    let dir = repo().join("samples").join(scheme);
    // The committed batch is exactly what the generator writes.
    let fresh = application::batch(call).unwrap();
    for (rel, bytes) in &fresh.files {
        let committed = std::fs::read(dir.join(rel)).unwrap();
        assert!(
            committed == *bytes,
            "{rel} differs from the generator's output; regenerate samples/{scheme}"
        );
    }
    let truth = read_jsonl(&dir.join("truth.jsonl"));
    let out = tempfile::tempdir().unwrap();
    ingest(&dir.join("inbox"), out.path(), scheme);
    check_batch(scheme, out.path(), &truth, exempt);
}

/// The batches here are not e-mailed; the e-mail test has the case and
/// the twin.
const NOT_E_MAILED: (&str, &str) = (
    "SUBMITTED_LATE",
    "covered by submitted_late_by_the_e_mail_date (the batch is not e-mailed)",
);

#[test]
fn shanxi_2024_cooperation() {
    application_call(Call::Shanxi, &[NOT_E_MAILED]);
}

#[test]
fn most_intergov_2025_b3() {
    application_call(Call::Most, &[]);
}

#[test]
fn zhejiang_2025_jianbing_lingyan() {
    application_call(Call::Zhejiang, &[]);
}

// --- Rule coverage: a case that breaks each rule, and its twin --------------

use intake::record::{Fields, SourceRef};
use intake::scheme::{Check, Rule, Scheme, Scope};

/// What a twin or an exemption may name besides the code: the rule's
/// indicator, else its field (`indicators.count` for `each_has`).
fn rule_param(r: &Rule) -> String {
    let j = serde_json::to_value(r).unwrap();
    if let Some(i) = j["indicator"].as_str() {
        return i.to_string();
    }
    if let Some(fs) = j["fields"].as_array() {
        let fs: Vec<&str> = fs.iter().filter_map(Value::as_str).collect();
        return fs.join(",");
    }
    let field = j["field"].as_str().unwrap_or_default();
    match j["key"].as_str() {
        Some(k) => format!("{field}.{k}"),
        None => field.to_string(),
    }
}

/// How a rule is named in reports: code, kind, param and directions.
fn rule_label(r: &Rule) -> String {
    let j = serde_json::to_value(r).unwrap();
    let mut s = format!("{}/{}", r.code.as_str(), j["kind"].as_str().unwrap_or("?"));
    let p = rule_param(r);
    if !p.is_empty() {
        s += &format!("[{p}]");
    }
    if !r.directions.is_empty() {
        s += &format!("@{}", r.directions.join(","));
    }
    s
}

/// Batch and summary rules (duplicates, the summary table and its seal)
/// compare proposals, so a twin is no single proposal: each is asserted to
/// fire on some case, told apart by the finding's field (`pi.name`,
/// `project_name`, `applicant` for `unique`; none for `similar`).
fn batch_rule_cases(scheme_id: &str, subs: &[Value], batch: &Value) -> (String, Vec<String>) {
    let catalog = intake::scheme::Catalog::embedded();
    let scheme = catalog.scheme(scheme_id).unwrap();
    let mut findings: Vec<&Value> = subs
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap().iter())
        .collect();
    findings.extend(batch["findings"].as_array().into_iter().flatten());
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for r in scheme
        .rules
        .iter()
        .filter(|r| !r.pending && r.scope != Scope::Proposal)
    {
        let field = match &r.check {
            Check::Unique { fields } => Some(Value::from(fields.join(","))),
            Check::Similar { .. } => Some(Value::Null),
            _ => None,
        };
        let hit = findings.iter().any(|f| {
            f["code"] == r.code.as_str() && field.as_ref().is_none_or(|want| f["field"] == *want)
        });
        let label = rule_label(r);
        if hit {
            with.push(label);
        } else {
            without.push(format!("{label}: no case fires it"));
        }
    }
    (
        format!(
            "batch/summary rules with a case {}/{}",
            with.len(),
            with.len() + without.len()
        ),
        without,
    )
}

/// `CODE` or `CODE:param` names `r`.
fn names(entry: &str, r: &Rule) -> bool {
    match entry.split_once(':') {
        Some((c, p)) => c == r.code.as_str() && p == rule_param(r),
        None => entry == r.code.as_str(),
    }
}

/// Whether `rule` alone finds its code on a proposal's output (tells apart
/// rules that share a code).
fn fires_alone(scheme: &Scheme, rule: &Rule, sub: &Value) -> bool {
    let catalog = intake::scheme::Catalog::embedded();
    let mut one = scheme.clone();
    one.rules = vec![rule.clone()];
    let fields: Fields = serde_json::from_value(sub["fields"].clone()).unwrap();
    let documents: Vec<SourceRef> = serde_json::from_value(sub["sources"].clone()).unwrap();
    let path = sub["sources"][0]["path"].as_str().unwrap_or_default();
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str());
    let evidence = BTreeMap::new();
    let view = intake::check::ProposalView {
        direction: sub["direction"].as_str(),
        fields: &fields,
        evidence: &evidence,
        file_stem: stem,
        source: Some(path),
        submitted: None,
        documents: &documents,
    };
    intake::check::evaluate(&one, &catalog, &view)
        .iter()
        .any(|f| f.code == rule.code)
}

/// Asserts that every non-pending proposal rule of `scheme`, unless exempt,
/// is broken by a case that expects its code (and, where several rules of
/// the direction share the code, that the rule alone fires there) and has a
/// twin: a case that names it in `twin_of`, lies in its direction and does
/// not expect its code. For `required` rules the twin is any proposal of
/// the direction that has the field. Returns a summary for the report and
/// what is missing.
fn rule_coverage(
    scheme_id: &str,
    truth: &[Value],
    by_key: &BTreeMap<String, &Value>,
    exempt: &[(&str, &str)],
) -> (String, Vec<String>) {
    let catalog = intake::scheme::Catalog::embedded();
    let scheme = catalog.scheme(scheme_id).unwrap();
    let rules: Vec<&Rule> = scheme
        .rules
        .iter()
        .filter(|r| !r.pending && r.scope == Scope::Proposal)
        .collect();
    // (truth line, its proposal's output)
    let cases: Vec<(&Value, &Value)> = truth
        .iter()
        .filter_map(|t| {
            let container: Vec<&str> = t["container"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            let k = key(&container.join("/"), t["path"].as_str().unwrap());
            by_key.get(&k).map(|s| (t, *s))
        })
        .collect();
    let expects = |t: &Value, code: &str| {
        t["expect"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str() == Some(code))
    };
    let twins = |t: &Value| -> Vec<String> {
        t["twin_of"]
            .as_array()
            .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    // Every twin_of entry names a rule of its proposal's direction.
    for (t, s) in &cases {
        for e in twins(t) {
            if !rules
                .iter()
                .any(|r| names(&e, r) && r.applies_to(s["direction"].as_str()))
            {
                problems.push(format!(
                    "{}: twin_of {e} names no rule of its direction",
                    t["case"]
                ));
            }
        }
    }
    let (mut covered, mut lacking, mut exempted) = (Vec::new(), Vec::new(), Vec::new());
    for r in &rules {
        let code = r.code.as_str();
        let label = rule_label(r);
        let broken_by: Vec<&str> = cases
            .iter()
            .filter(|(t, s)| {
                let dir = s["direction"].as_str();
                let shared = rules
                    .iter()
                    .filter(|o| o.code == r.code && o.applies_to(dir))
                    .count();
                r.applies_to(dir) && expects(t, code) && (shared == 1 || fires_alone(scheme, r, s))
            })
            .map(|(t, _)| t["case"].as_str().unwrap())
            .collect();
        let required = matches!(r.check, Check::Required { .. });
        let twin: Vec<&str> = cases
            .iter()
            .filter(|(t, s)| {
                r.applies_to(s["direction"].as_str())
                    && !expects(t, code)
                    && (required || twins(t).iter().any(|e| names(e, r)))
                    && !fires_alone(scheme, r, s)
            })
            .map(|(t, _)| t["case"].as_str().unwrap())
            .collect();
        let ok = !broken_by.is_empty() && !twin.is_empty();
        match exempt.iter().find(|(e, _)| names(e, r)) {
            Some(_) if ok => {
                problems.push(format!("{label} is exempt but covered: drop the exemption"))
            }
            Some((_, why)) => exempted.push(format!("{label}: {why}")),
            None if ok => covered.push(label),
            None => lacking.push(format!("{label} (broken by {broken_by:?}, twins {twin:?})")),
        }
    }
    problems.extend(lacking);
    let summary = format!(
        "rules with case and twin {}/{}, exempt {exempted:?}",
        covered.len(),
        rules.len()
    );
    (summary, problems)
}

// --- Shandong guideline calls: batches built from the form renderer -------

use intake_samples::content::{IndKind, OrgType};
use intake_samples::form::{Proposal, render};
use intake_samples::rng::Rng;

/// Topics with names and key technologies of their own.
const TOPICS: &[(&str, [&str; 3])] = &[
    (
        "盐碱地耐盐大豆品种选育",
        ["耐盐基因标记辅助选择", "盐碱胁迫表型鉴定", "轻简化栽培技术"],
    ),
    (
        "海上风电基础防腐涂层",
        [
            "石墨烯改性环氧涂层",
            "阴极保护智能监测",
            "海洋大气腐蚀加速试验",
        ],
    ),
    (
        "高端数控机床热误差补偿",
        [
            "主轴温度场建模",
            "热误差实时预测算法",
            "补偿指令嵌入数控系统",
        ],
    ),
    (
        "生物可降解地膜研制",
        ["聚乳酸共混改性", "降解周期调控助剂", "田间覆盖效果评价"],
    ),
    (
        "海参苗种繁育与病害防控",
        ["亲参促熟培育", "幼体附着基优化", "腐皮综合征快速诊断"],
    ),
    (
        "锂离子电池硅碳负极",
        ["纳米硅包覆工艺", "预锂化技术", "循环膨胀抑制结构"],
    ),
    (
        "中医药治疗糖尿病肾病循证研究",
        [
            "多中心随机对照设计",
            "中药复方质量标志物",
            "肾功能生物标志物筛选",
        ],
    ),
    (
        "港口集装箱自动化装卸",
        ["岸桥远程操控", "集卡无人驾驶调度", "箱号视觉识别"],
    ),
    (
        "黄河三角洲湿地修复",
        ["盐沼植被恢复", "鸟类栖息地营造", "水盐动态监测网络"],
    ),
    (
        "氢能重卡储氢瓶",
        ["碳纤维缠绕工艺", "瓶阀集成设计", "氢脆性能评价"],
    ),
    (
        "工业互联网安全态势感知",
        ["协议深度解析", "异常流量检测模型", "威胁情报共享平台"],
    ),
    (
        "苹果采后贮藏保鲜",
        ["气调贮藏参数优化", "1-甲基环丙烯处理", "冷链品质追溯"],
    ),
    (
        "畜禽粪污资源化利用",
        ["高温好氧发酵", "沼液浓缩还田", "臭气生物滤池"],
    ),
    (
        "光纤传感油气管道监测",
        ["分布式声波传感", "泄漏定位算法", "第三方破坏预警"],
    ),
    (
        "海水提铀吸附材料",
        ["偕胺肟功能化纤维", "抗生物污损改性", "海上吊挂试验"],
    ),
    (
        "智慧养老服务机器人",
        ["跌倒检测视觉算法", "语音陪护对话系统", "居家环境自主导航"],
    ),
    (
        "冬小麦节水灌溉决策",
        ["土壤墒情遥感反演", "作物需水模型", "变量喷灌控制"],
    ),
    (
        "海洋牧场生态监测浮标",
        ["多参数水质传感", "浮标能源自给", "赤潮早期预警"],
    ),
    (
        "废旧轮胎热裂解炭黑提纯",
        ["裂解温度场控制", "炭黑酸洗脱灰", "裂解油品质升级"],
    ),
    (
        "乳腺癌早筛超声影像分析",
        ["病灶自动分割", "良恶性分级模型", "多中心数据标准化"],
    ),
    (
        "轨道交通车轮在线探伤",
        ["相控阵超声探头", "轮对缺陷成像", "检测数据云端诊断"],
    ),
    (
        "大蒜精深加工与副产物利用",
        ["大蒜素稳定化包埋", "蒜皮膳食纤维提取", "加工废水回用"],
    ),
    (
        "高速列车齿轮箱轴承寿命预测",
        ["振动特征提取", "剩余寿命深度模型", "台架加速寿命试验"],
    ),
    (
        "近海养殖网箱抗风浪设计",
        ["网箱水动力模拟", "高分子浮管材料", "锚泊系统优化"],
    ),
    (
        "秸秆生物基材料成型",
        ["秸秆纤维预处理", "生物基胶黏剂", "热压成型工艺"],
    ),
    (
        "城市燃气管网泄漏监测",
        ["激光甲烷遥测", "管网压力异常识别", "泄漏扩散模拟"],
    ),
];

const UNITS: &[&str] = &[
    "山东省农业科学院",
    "青岛海工装备有限公司",
    "济南二机床智能制造有限公司",
    "山东大学",
    "中国海洋大学",
    "烟台蓝海生物科技有限公司",
    "山东中医药大学",
    "日照港智能物流有限公司",
];

fn guideline_proposal(i: usize, country: (&str, &str)) -> Proposal {
    let (topic, techs) = TOPICS[i % TOPICS.len()];
    let unit = UNITS[i % UNITS.len()];
    Proposal {
        project_name: format!("{topic}联合研发"),
        project_name_en: String::new(),
        topic: topic.into(),
        applicant: unit.into(),
        applicant_type: if unit.contains("公司") {
            OrgType::Enterprise
        } else if unit.contains("大学") {
            OrgType::University
        } else {
            OrgType::Institute
        },
        pi_name: [
            "王建国",
            "李明华",
            "张志远",
            "刘海波",
            "陈晓东",
            "杨帆",
            "赵立新",
            "黄文静",
            "周振宇",
            "吴秀英",
            "郭明远",
            "马春生",
            "韩雪梅",
            "程国栋",
            "冯佳怡",
            "宋德胜",
            "邵永康",
            "贺丽君",
            "姜海峰",
            "袁志诚",
            "潘晓燕",
            "田国庆",
            "蒋文华",
            "龚振东",
            "崔立平",
            "谭雅琴",
        ][i % 26]
            .into(),
        birth: (1978, 3, 1),
        title: "研究员".into(),
        countries: vec![(country.0.into(), country.1.into())],
        partner_institution: "University Partner Institute".into(),
        field: "先进制造".into(),
        key_techs: techs.iter().map(|s| s.to_string()).collect(),
        trl_current: 4,
        trl_target: 6,
        indicators: vec![
            (IndKind::Patent, 2, "申请发明专利2项".into()),
            (IndKind::Paper, 3, "发表论文3篇".into()),
        ],
        requested_wan: 50.0,
        matching_wan: Some(100.0),
        start: (2026, 1),
        months: 24,
        phone: "0531-88886666".into(),
    }
}

/// One case of a guideline batch.
struct GCase {
    case: &'static str,
    folder: &'static str,
    proposal: Proposal,
    /// File stem; `None` = the call's convention.
    stem: Option<String>,
    /// Summary row: `None` = not listed; `Some(country)` = listed with it.
    summary_country: Option<&'static str>,
    expect: Vec<&'static str>,
    /// Rules this case sits just inside of (see `App::twin_of`).
    twin_of: Vec<&'static str>,
}

fn gcase(
    case: &'static str,
    folder: &'static str,
    i: usize,
    country: (&'static str, &'static str),
    expect: &[&'static str],
) -> GCase {
    GCase {
        case,
        folder,
        proposal: guideline_proposal(i, country),
        stem: None,
        summary_country: Some(country.1),
        expect: expect.to_vec(),
        twin_of: Vec::new(),
    }
}

/// Cases shared by both Shandong calls; `dirs` = (SCO folder, Japan-Korea
/// or innovation folder, Belt-and-Road folder, HK-Macao-Taiwan folder).
fn guideline_cases(year: u32) -> Vec<GCase> {
    let (sco, jk, bri, hmt) = if year == 2026 {
        ("上合组织成员国", "日韩", "“一带一路”共建国家", "港澳台地区")
    } else {
        (
            "上合组织成员国",
            "创新领先国家",
            "“一带一路”共建国家",
            "港澳台地区",
        )
    };
    let jp = ("JP", "日本");
    let twin = |mut c: GCase, twin_of: &[&'static str]| {
        c.twin_of = twin_of.to_vec();
        c
    };
    let mut v = vec![
        twin(
            gcase("clean-sco", sco, 0, ("KZ", "哈萨克斯坦"), &[]),
            &["PARTNER_NOT_ELIGIBLE"],
        ),
        gcase("clean-jk", jk, 1, jp, &[]),
        twin(
            gcase("clean-bri", bri, 2, ("TH", "泰国"), &[]),
            &["PARTNER_NOT_ELIGIBLE"],
        ),
        gcase("clean-hmt", hmt, 3, ("HK", "香港"), &[]),
        // Mexico belongs to no direction of either call.
        gcase(
            "partner-not-eligible",
            sco,
            4,
            ("MX", "墨西哥"),
            &["PARTNER_NOT_ELIGIBLE"],
        ),
        gcase(
            "partner-not-eligible-bri",
            bri,
            14,
            ("MX", "墨西哥"),
            &["PARTNER_NOT_ELIGIBLE"],
        ),
        // Japan is eligible, but in another direction than the folder's.
        gcase("country-vs-folder", sco, 5, jp, &["CATEGORY_MISMATCH"]),
    ];
    let mut c = gcase(
        "key-tech-limit",
        bri,
        6,
        ("TH", "泰国"),
        &["KEY_TECH_LIMIT"],
    );
    c.proposal.key_techs.extend(
        ["耐久性评价方法", "标准化测试规程", "示范工程运维"]
            .iter()
            .map(|s| s.to_string()),
    );
    v.push(c);
    let mut c = gcase("trl-invalid", bri, 7, ("TH", "泰国"), &["TRL_INVALID"]);
    c.proposal.trl_current = 12;
    c.proposal.trl_target = 13;
    v.push(c);
    let mut c = gcase("indicator-no-count", jk, 8, jp, &["MISSING_FIELD"]);
    c.proposal.indicators = vec![(IndKind::Other, 0, "建立长期稳定的合作机制".into())];
    v.push(c);
    let mut c = gcase(
        "file-name",
        bri,
        9,
        ("TH", "泰国"),
        &["FILENAME_CONVENTION"],
    );
    c.stem = Some(c.proposal.project_name.clone());
    v.push(c);
    // One proposer, two suggestions.
    let mut a = gcase(
        "same-proposer-1",
        hmt,
        10,
        ("HK", "香港"),
        &["DUPLICATE_SUBMISSION"],
    );
    let mut b = gcase(
        "same-proposer-2",
        hmt,
        11,
        ("MO", "澳门"),
        &["DUPLICATE_SUBMISSION"],
    );
    a.proposal.pi_name = "孙立群".into();
    b.proposal.pi_name = "孙立群".into();
    v.push(a);
    v.push(b);
    let mut c = gcase("summary-country", jk, 12, jp, &["SUMMARY_MISMATCH"]);
    c.summary_country = Some("韩国");
    v.push(c);
    let mut c = gcase(
        "summary-missing",
        sco,
        13,
        ("RU", "俄罗斯"),
        &["SUMMARY_MISMATCH"],
    );
    c.summary_country = None;
    v.push(c);
    // Boundary twins: five key technologies, TRL 1, one counted
    // indicator, a file name with the other separators the pattern allows.
    let mut c = gcase("key-tech-five", bri, 15, ("TH", "泰国"), &[]);
    c.proposal.key_techs.extend(
        ["耐久性评价方法", "标准化测试规程"]
            .iter()
            .map(|s| s.to_string()),
    );
    v.push(twin(c, &["KEY_TECH_LIMIT"]));
    let mut c = gcase("trl-one", jk, 16, jp, &[]);
    c.proposal.trl_current = 1;
    c.proposal.trl_target = 3;
    v.push(twin(c, &["TRL_INVALID"]));
    let mut c = gcase("indicator-one-count", hmt, 17, ("HK", "香港"), &[]);
    c.proposal.indicators = vec![(IndKind::Other, 1, "建立联合实验室1个".into())];
    v.push(twin(c, &["MISSING_FIELD:indicators.count"]));
    let mut c = gcase("file-name-edge", sco, 18, ("KZ", "哈萨克斯坦"), &[]);
    let p = &c.proposal;
    c.stem = Some(if year == 2026 {
        format!("{} 、{}－{}", v.len() + 1, p.project_name, p.applicant)
    } else {
        format!("{}－{}－{}", p.pi_name, p.project_name, p.applicant)
    });
    v.push(twin(c, &["FILENAME_CONVENTION"]));
    // Missing entries; the file name still follows the convention.
    let mut c = gcase("no-key-tech", jk, 19, jp, &["MISSING_FIELD"]);
    c.proposal.key_techs.clear();
    v.push(c);
    let mut c = gcase("no-indicators", bri, 20, ("TH", "泰国"), &["MISSING_FIELD"]);
    c.proposal.indicators.clear();
    v.push(c);
    let mut c = gcase("no-trl", sco, 21, ("KZ", "哈萨克斯坦"), &["TRL_MISSING"]);
    c.proposal.trl_current = 0;
    v.push(c);
    // Name, unit or proposer left out of the form; the file name (which
    // would otherwise supply them) is only a number.
    let bare = |mut c: GCase, i: usize| {
        c.stem = Some(i.to_string());
        c
    };
    let both = &["FILENAME_CONVENTION", "MISSING_FIELD"];
    let mut c = gcase("no-name", bri, 23, ("TH", "泰国"), both);
    c.proposal.project_name.clear();
    v.push(bare(c, v.len() + 1));
    // The 2026 call requires the unit, the 2025 one the proposer.
    if year == 2026 {
        let mut c = gcase("no-applicant", hmt, 22, ("MO", "澳门"), both);
        c.proposal.applicant.clear();
        v.push(bare(c, v.len() + 1));
    } else {
        let mut c = gcase("no-pi", jk, 24, jp, both);
        c.proposal.pi_name.clear();
        v.push(bare(c, v.len() + 1));
    }
    // One suggestion sent twice by two units and proposers.
    let a = gcase(
        "same-name-1",
        bri,
        25,
        ("TH", "泰国"),
        &["DUPLICATE_SUBMISSION"],
    );
    let mut b = gcase(
        "same-name-2",
        bri,
        25,
        ("TH", "泰国"),
        &["DUPLICATE_SUBMISSION"],
    );
    b.proposal.applicant = UNITS[(25 + 3) % UNITS.len()].into();
    b.proposal.pi_name = "邱志国".into();
    v.push(a);
    v.push(b);
    v
}

/// The file stem the call's naming convention asks for; `i` is 1-based.
fn conventional(year: u32, i: usize, p: &Proposal) -> String {
    if year == 2026 {
        format!("{i}.{}-{}", p.project_name, p.applicant)
    } else {
        format!("{}-{}-{}", p.pi_name, p.project_name, p.applicant)
    }
}

fn summary_xlsx(rows: &[[String; 4]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        4,
        "省级科技合作项目指南建议汇总表",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    for (c, h) in [
        "序号",
        "指南建议名称",
        "建议单位",
        "建议人",
        "合作国别（地区）",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        ws.write_number(r, 0, f64::from(r - 1)).unwrap();
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r, c as u16 + 1, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Writes the cases under `root/inbox/山东省某部门/…` with a summary table;
/// returns the truth lines.
fn write_guideline_batch(root: &Path, year: u32, cases: &[GCase]) -> Vec<Value> {
    let dept = root.join("inbox/山东省科技合作主管部门");
    let mut truth = Vec::new();
    let mut rows = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let p = &c.proposal;
        let (bytes, fields) = render(p, &mut Rng::new(100 + i as u64));
        let stem = c
            .stem
            .clone()
            .unwrap_or_else(|| conventional(year, i + 1, p));
        let dir = dept.join(c.folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{stem}.docx")), bytes).unwrap();
        if let Some(country) = c.summary_country {
            rows.push([
                p.project_name.clone(),
                p.applicant.clone(),
                p.pi_name.clone(),
                country.to_string(),
            ]);
        }
        // What intake should read where the renderer's truth is the input:
        // no English name is null, TRL 12 is rejected (TRL_INVALID), a
        // commitment without a number has no count.
        let mut fields = serde_json::to_value(&fields).unwrap();
        if fields["project_name_en"] == "" {
            fields["project_name_en"] = Value::Null;
        }
        if c.case == "trl-invalid" {
            fields["trl"] = Value::Null;
        }
        if c.case == "indicator-no-count" {
            fields["indicators"][0]["count"] = Value::Null;
        }
        truth.push(serde_json::json!({
            "container": [],
            "path": format!("山东省科技合作主管部门/{}/{stem}.docx", c.folder),
            "case": c.case,
            "expect": c.expect,
            "twin_of": c.twin_of,
            "fields": fields,
        }));
    }
    std::fs::write(dept.join("指南建议汇总表.xlsx"), summary_xlsx(&rows)).unwrap();
    truth
}

fn guideline_call(scheme: &str, year: u32, exempt: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let truth = write_guideline_batch(dir.path(), year, &guideline_cases(year));
    let out = dir.path().join("out");
    ingest(&dir.path().join("inbox"), &out, scheme);
    check_batch(scheme, &out, &truth, exempt);
    // The summary table's own rule (its seal) goes to batch.json.
    let batch: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("batch.json")).unwrap()).unwrap();
    let codes: Vec<&str> = batch["findings"]
        .as_array()
        .map(|a| a.iter().map(|f| f["code"].as_str().unwrap()).collect())
        .unwrap_or_default();
    let want: Vec<&str> = if year == 2026 {
        vec!["SEAL_MISSING"]
    } else {
        vec![]
    };
    assert_eq!(codes, want, "{scheme}: batch-level findings");
}

#[test]
fn shandong_2026_guideline() {
    guideline_call("shandong-2026-guideline", 2026, &[NOT_E_MAILED]);
}

#[test]
fn shandong_2025_guideline() {
    guideline_call("shandong-2025-guideline", 2025, &[NOT_E_MAILED]);
}

#[test]
fn forced_direction_settles_an_ambiguous_form() {
    let scheme = Call::Most.scheme_id();
    let dir = repo().join("samples").join(scheme);
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args(["ingest", "--scheme", scheme, "--quiet"])
        .args(["--direction", "kr-energy", "--out"])
        .arg(out.path())
        .arg(dir.join("inbox"))
        .status()
        .unwrap();
    assert!(status.success());
    let subs = read_jsonl(&out.path().join("submissions.jsonl"));
    let two = subs
        .iter()
        .find(|s| {
            s["sources"][0]["path"].as_str().unwrap().contains("申报书")
                && s["direction"] == "kr-energy"
                && s["sources"][0]["path"].as_str().unwrap().split('/').count() == 2
        })
        .expect("the two-directions proposal sits at the zip root");
    assert!(
        !two["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "CATEGORY_MISMATCH"),
        "{two}"
    );
    assert!(subs.iter().all(|s| s["direction"] == "kr-energy"));
}

/// One suggestion of a Shandong call, zipped under its direction folder
/// with the call's file name.
fn guideline_zip(year: u32) -> Vec<u8> {
    use std::io::Write;
    let p = guideline_proposal(0, ("JP", "日本"));
    let (docx, _) = render(&p, &mut Rng::new(7));
    let folder = if year == 2026 {
        "日韩"
    } else {
        "创新领先国家"
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let name = format!("{folder}/{}.docx", conventional(year, 1, &p));
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&docx).unwrap();
    zip.finish().unwrap().into_inner()
}

/// `attachment` e-mailed on `date` and ingested under `scheme`: the codes of
/// each proposal's findings.
fn e_mailed(scheme: &str, attachment: &[u8], date: &str) -> Vec<BTreeSet<String>> {
    use intake_samples::mail::{Mail, build};
    let eml = build(&Mail {
        from_name: "某市科学技术局",
        from_addr: "kjj@example.cn",
        to: "gjhz@example.cn",
        subject: "报送项目申报材料",
        body: "请查收。",
        date,
        message_id: "1@example.cn",
        attachment_name: "申报材料.zip",
        attachment,
    });
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("报送.eml"), eml).unwrap();
    let out = dir.path().join("out");
    ingest(&inbox, &out, scheme);
    let subs = read_jsonl(&out.join("submissions.jsonl"));
    assert!(!subs.is_empty());
    subs.iter()
        .map(|s| {
            let findings = s["findings"].as_array().unwrap();
            for f in findings.iter().filter(|f| f["code"] == "SUBMITTED_LATE") {
                // The e-mail's Date header is the evidence.
                assert!(f["evidence"]["text"].as_str().unwrap().starts_with("Date:"));
                assert!(f["source"].as_str().unwrap().ends_with("报送.eml"));
            }
            findings
                .iter()
                .map(|f| f["code"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn submitted_late_by_the_e_mail_date() {
    let shanxi = std::fs::read(
        repo().join("samples/shanxi-2024-cooperation/inbox/shanxi-2024-cooperation-申报材料.zip"),
    )
    .unwrap();
    // (scheme, what is sent, a late Date:, its twin in the deadline's
    // last minute, which the engine compares at minute precision)
    let calls = [
        // By 11月28日 (2025), Beijing time.
        (
            "shandong-2026-guideline",
            guideline_zip(2026),
            "Sat, 29 Nov 2025 09:05:00 +0800",
            "Fri, 28 Nov 2025 23:59:00 +0800",
        ),
        // 2月28日上午11点前.
        (
            "shandong-2025-guideline",
            guideline_zip(2025),
            "Fri, 28 Feb 2025 11:01:00 +0800",
            "Fri, 28 Feb 2025 11:00:00 +0800",
        ),
        // 2024年12月4日18:00.
        (
            "shanxi-2024-cooperation",
            shanxi,
            "Wed, 04 Dec 2024 18:01:00 +0800",
            "Wed, 04 Dec 2024 18:00:00 +0800",
        ),
    ];
    for (scheme, zip, late, twin) in &calls {
        let codes = e_mailed(scheme, zip, late);
        assert!(
            codes.iter().all(|c| c.contains("SUBMITTED_LATE")),
            "{scheme}: {late}: {codes:?}"
        );
        let codes = e_mailed(scheme, zip, twin);
        assert!(
            codes.iter().all(|c| !c.contains("SUBMITTED_LATE")),
            "{scheme}: {twin}: {codes:?}"
        );
    }
}
