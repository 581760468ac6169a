//! Every scheme's rules, end to end through the CLI, on sample proposals
//! with ground truth: per proposal, the finding codes must be exactly the
//! expected ones (every planted defect caught with its code, nothing on the
//! clean proposals), and the fields must match the truth (accuracy ≥ 0.95).
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

/// Checks one batch's output against its truth lines; returns a report.
fn check_batch(scheme: &str, out: &Path, truth: &[Value]) -> String {
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
        "{scheme}: {} proposals, field accuracy {ok}/{total} = {accuracy:.3}, codes exercised {caught:?}, rule codes no case breaks {untested:?}",
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
        accuracy >= 0.95,
        "{scheme}: {report}\n{}",
        failures.join("\n")
    );
    report
}

fn application_call(call: Call) {
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
    check_batch(scheme, out.path(), &truth);
}

#[test]
fn shanxi_2024_cooperation() {
    application_call(Call::Shanxi);
}

#[test]
fn most_intergov_2025_b3() {
    application_call(Call::Most);
}

#[test]
fn zhejiang_2025_jianbing_lingyan() {
    application_call(Call::Zhejiang);
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
        ][i % 16]
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
    let mut v = vec![
        gcase("clean-sco", sco, 0, ("KZ", "哈萨克斯坦"), &[]),
        gcase("clean-jk", jk, 1, jp, &[]),
        gcase("clean-bri", bri, 2, ("TH", "泰国"), &[]),
        gcase("clean-hmt", hmt, 3, ("HK", "香港"), &[]),
        // Mexico belongs to no direction of either call.
        gcase(
            "partner-not-eligible",
            sco,
            4,
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
    v
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
        let stem = c.stem.clone().unwrap_or_else(|| {
            if year == 2026 {
                format!("{}.{}-{}", i + 1, p.project_name, p.applicant)
            } else {
                format!("{}-{}-{}", p.pi_name, p.project_name, p.applicant)
            }
        });
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
            "fields": fields,
        }));
    }
    std::fs::write(dept.join("指南建议汇总表.xlsx"), summary_xlsx(&rows)).unwrap();
    truth
}

fn guideline_call(scheme: &str, year: u32) {
    let dir = tempfile::tempdir().unwrap();
    let truth = write_guideline_batch(dir.path(), year, &guideline_cases(year));
    let out = dir.path().join("out");
    ingest(&dir.path().join("inbox"), &out, scheme);
    check_batch(scheme, &out, &truth);
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
    guideline_call("shandong-2026-guideline", 2026);
}

#[test]
fn shandong_2025_guideline() {
    guideline_call("shandong-2025-guideline", 2025);
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

/// One suggestion under 日韩/, zipped and e-mailed on `date`; the codes of
/// its findings.
fn e_mailed_on(date: &str) -> BTreeSet<String> {
    use intake_samples::form::render;
    use intake_samples::mail::{Mail, build};
    use intake_samples::rng::Rng;
    use std::io::Write;
    let p = guideline_proposal(0, ("JP", "日本"));
    let (docx, _) = render(&p, &mut Rng::new(7));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let name = format!("日韩/1.{}-{}.docx", p.project_name, p.applicant);
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&docx).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    let eml = build(&Mail {
        from_name: "某市科学技术局",
        from_addr: "kjj@example.cn",
        to: "gjhz@example.cn",
        subject: "报送2026年省级科技合作项目指南建议",
        body: "请查收。",
        date,
        message_id: "1@example.cn",
        attachment_name: "指南建议材料.zip",
        attachment: &zip,
    });
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("报送.eml"), eml).unwrap();
    let out = dir.path().join("out");
    ingest(&inbox, &out, "shandong-2026-guideline");
    let subs = read_jsonl(&out.join("submissions.jsonl"));
    assert_eq!(subs.len(), 1);
    let late: Vec<&Value> = subs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SUBMITTED_LATE")
        .collect();
    for f in &late {
        // The e-mail's Date header is the evidence.
        assert!(f["evidence"]["text"].as_str().unwrap().starts_with("Date:"));
        assert!(f["source"].as_str().unwrap().ends_with("报送.eml"));
    }
    subs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn submitted_late_by_the_e_mail_date() {
    // Shandong 2026: by 11月28日 (2025), Beijing time.
    assert!(e_mailed_on("Sat, 29 Nov 2025 09:05:00 +0800").contains("SUBMITTED_LATE"));
    // Its boundary twin: the evening of the last day.
    assert!(!e_mailed_on("Fri, 28 Nov 2025 22:30:00 +0800").contains("SUBMITTED_LATE"));
}
