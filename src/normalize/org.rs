//! Organizations: applicant type from a name or a form's 单位性质 value
//! (incl. ticked checkboxes), and a comparison key plus similarity for
//! matching names across documents (seals, summary tables).

use std::collections::HashMap;

use super::half_width;
use crate::record::ApplicantType;

fn has_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// "学院" that is not the tail of "科学院" (中国科学院 is an institute).
fn has_college(s: &str) -> bool {
    s.match_indices("学院")
        .any(|(i, _)| !s[..i].ends_with('科'))
}

/// Applicant type from an organization name. Legal form first (a 有限公司
/// is an enterprise whatever it researches), then hospital (大学附属医院),
/// university, institute, enterprise words, other public bodies.
pub fn applicant_type(name: &str) -> Option<ApplicantType> {
    let key = normalize_org(name);
    if key.is_empty() {
        return None;
    }
    let lower = key.as_str();
    // English legal forms only as the name's tail: "Corpus Christi College"
    // is no corporation.
    let tail = lower.trim_end_matches(['.', ')', ' ']);
    let company_suffix = has_any(
        lower,
        &["有限公司", "有限责任公司", "股份公司", "co.,ltd", "co.ltd"],
    ) || lower.ends_with("公司")
        || lower.ends_with('厂')
        || [
            "ltd",
            "limited",
            "inc",
            "llc",
            "gmbh",
            "corp",
            "corporation",
            "plc",
            "pte",
        ]
        .iter()
        .any(|s| tail.ends_with(s));
    if company_suffix {
        return Some(ApplicantType::Enterprise);
    }
    if has_any(lower, &["医院", "卫生院", "保健院", "hospital"]) {
        return Some(ApplicantType::Hospital);
    }
    if lower.contains("大学")
        || has_college(lower)
        || has_any(
            lower,
            &["university", "college", "高等专科学校", "职业技术学校"],
        )
    {
        return Some(ApplicantType::University);
    }
    if has_any(
        lower,
        &[
            "研究院",
            "研究所",
            "科学院",
            "研究中心",
            "工程中心",
            "技术中心",
            "实验室",
            "设计院",
            "institute",
            "academy",
            "laboratory",
        ],
    ) || without_trailing_note(lower).ends_with("中心")
    {
        return Some(ApplicantType::Institute);
    }
    if has_any(
        lower,
        &[
            "公司",
            "集团",
            "股份",
            "企业",
            "company",
            "group",
            "enterprise",
        ],
    ) {
        return Some(ApplicantType::Enterprise);
    }
    if has_any(
        lower,
        &[
            "协会",
            "学会",
            "局",
            "委员会",
            "厅",
            "联合会",
            "基金会",
            "政府",
            "办公室",
            "商会",
            "association",
            "society",
            "council",
            "bureau",
            "ministry",
            "foundation",
        ],
    ) {
        return Some(ApplicantType::Other);
    }
    None
}

fn type_from_label_text(s: &str) -> Option<ApplicantType> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if has_any(s, &["医疗", "医院", "卫生"]) {
        return Some(ApplicantType::Hospital);
    }
    if has_any(s, &["高校", "高等院校", "高等学校", "大学", "院校", "学院"]) {
        return Some(ApplicantType::University);
    }
    if has_any(
        s,
        &[
            "科研院所",
            "科研机构",
            "研究院",
            "研究所",
            "科研单位",
            "事业单位",
            "院所",
        ],
    ) {
        return Some(ApplicantType::Institute);
    }
    if has_any(
        s,
        &[
            "企业", "公司", "民营", "国有", "国企", "外资", "合资", "私营", "股份",
        ],
    ) {
        return Some(ApplicantType::Enterprise);
    }
    if has_any(s, &["其他", "其它", "社会团体", "政府", "机关", "社团"]) {
        return Some(ApplicantType::Other);
    }
    // A name written as the type (琅川大学) says it; two or three
    // characters that are no type word are a misreading (局校 for 高校),
    // and the applicant's name decides instead.
    (s.chars().count() > 3).then(|| applicant_type(s)).flatten()
}

const TICKED: &[char] = &['☑', '■', '✓', '√', '✔', '☒', '▣', '◼', '●'];
const UNTICKED: &[char] = &['☐', '□', '○', '◻', '〇'];

/// Applicant type from a 单位性质/单位类型 value, including checkbox rows
/// such as "☑企业 ☐高校 ☐科研院所" (the first ticked option counts).
pub fn applicant_type_from_label(s: &str) -> Option<ApplicantType> {
    let has_boxes = s.contains(TICKED) || s.contains(UNTICKED);
    if !has_boxes {
        return type_from_label_text(s);
    }
    let is_box = |c: char| TICKED.contains(&c) || UNTICKED.contains(&c);
    let box_first = s.trim_start().starts_with(is_box);
    let mut options: Vec<(bool, String)> = Vec::new();
    let mut pending = String::new();
    for c in s.chars() {
        if is_box(c) {
            let ticked = TICKED.contains(&c);
            if box_first {
                // "☑企业 ☐高校": an option runs from its box to the next box.
                options.push((ticked, String::new()));
            } else {
                // "企业☑ 高校☐": the label comes before its box.
                options.push((ticked, std::mem::take(&mut pending)));
            }
        } else if box_first {
            if let Some(last) = options.last_mut() {
                last.1.push(c);
            }
        } else {
            pending.push(c);
        }
    }
    options
        .into_iter()
        .filter(|o| o.0)
        .find_map(|o| type_from_label_text(&o.1))
}

const SEAL_NOTES: &[&str] = &[
    "(盖章)",
    "(公章)",
    "(签章)",
    "(单位公章)",
    "(单位盖章)",
    "(加盖公章)",
    "(签字盖章)",
    "(签名)",
    "(签字)",
    "盖章",
];

/// Comparison key: no whitespace, one bracket style, half-width, lower-case,
/// without "(盖章)"-style notes.
pub fn normalize_org(name: &str) -> String {
    let mut s: String = half_width(name)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .map(|c| match c {
            '（' | '〔' | '[' | '【' | '{' | '〈' | '<' => '(',
            '）' | '〕' | ']' | '】' | '}' | '〉' | '>' => ')',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    for note in SEAL_NOTES {
        s = s.replace(note, "");
    }
    s.trim_matches([':', '：']).to_string()
}

fn bigrams(s: &str) -> HashMap<(char, char), usize> {
    let chars: Vec<char> = s.chars().collect();
    let mut m = HashMap::new();
    for w in chars.windows(2) {
        *m.entry((w[0], w[1])).or_insert(0) += 1;
    }
    m
}

/// Similarity in 0..=1 of two names: character-bigram Dice coefficient on
/// [`normalize_org`] keys; identical keys → 1.0.
pub fn org_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize_org(a), normalize_org(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (ba, bb) = (bigrams(&a), bigrams(&b));
    let total: usize = ba.values().sum::<usize>() + bb.values().sum::<usize>();
    if total == 0 {
        return 0.0; // single different characters
    }
    let common: usize = ba
        .iter()
        .map(|(k, n)| (*n).min(*bb.get(k).unwrap_or(&0)))
        .sum();
    2.0 * common as f64 / total as f64
}

/// The name without a trailing bracketed alias: "山东省计算中心(国家超级计算
/// 济南中心)" → "山东省计算中心".
fn without_trailing_note(key: &str) -> &str {
    match key.strip_suffix(')') {
        Some(inner) => inner.rfind('(').map(|i| &key[..i]).unwrap_or(key),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicantType::*;

    #[test]
    fn types_from_names() {
        let cases = [
            ("浙江大学", University),
            ("山东理工学院", University),
            ("山西医科大学", University),
            ("Seoul National University", University),
            ("Imperial College London", University),
            ("中国科学院大学", University),
            ("XX大学附属医院", Hospital),
            ("山东省立医院", Hospital),
            ("Singapore General Hospital", Hospital),
            ("XX研究院有限公司", Enterprise),
            ("中国科学院过程工程研究所", Institute),
            ("山西省农业科学院", Institute),
            ("中国工程物理研究院", Institute),
            ("国家纳米科学中心", Institute),
            ("山东省计算中心（国家超级计算济南中心）", Institute),
            ("Korea Institute of Energy Research", Institute),
            ("Chinese Academy of Sciences", Institute),
            ("浙江某某科技有限公司", Enterprise),
            ("某某集团股份有限公司", Enterprise),
            ("太原重型机械集团", Enterprise),
            ("杭州第一棉纺厂", Enterprise),
            ("Samsung Electronics Co., Ltd.", Enterprise),
            ("Acme Inc", Enterprise),
            ("Siemens GmbH", Enterprise),
            ("Corpus Christi College", University),
            ("Huawei Technologies Co., Ltd.", Enterprise),
            ("某某科技（北京）有限公司", Enterprise),
            ("某某大学附属第一医院", Hospital),
            ("浙江省农业科学院（盖章）", Institute),
            ("中国科学技术协会", Other),
            ("山西省科学技术厅", Other),
            ("国家自然科学基金委员会", Other),
            ("中国化学会", Other),
        ];
        for (name, t) in cases {
            assert_eq!(applicant_type(name), Some(t), "{name}");
        }
        assert_eq!(applicant_type(""), None);
        assert_eq!(applicant_type("   "), None);
        assert_eq!(applicant_type("张三"), None);
    }

    #[test]
    fn types_from_labels() {
        assert_eq!(applicant_type_from_label("企业"), Some(Enterprise));
        assert_eq!(applicant_type_from_label("民营企业"), Some(Enterprise));
        assert_eq!(applicant_type_from_label("国有企业"), Some(Enterprise));
        assert_eq!(applicant_type_from_label("高校"), Some(University));
        assert_eq!(applicant_type_from_label("高等院校"), Some(University));
        assert_eq!(applicant_type_from_label("科研院所"), Some(Institute));
        assert_eq!(applicant_type_from_label("事业单位"), Some(Institute));
        assert_eq!(applicant_type_from_label("医疗机构"), Some(Hospital));
        assert_eq!(applicant_type_from_label("医院"), Some(Hospital));
        assert_eq!(applicant_type_from_label("其他"), Some(Other));
        assert_eq!(applicant_type_from_label(""), None);
        // A name as the type says it; a short misreading says nothing.
        assert_eq!(applicant_type_from_label("琅川师范大学"), Some(University));
        assert_eq!(applicant_type_from_label("局校"), None);
        assert_eq!(
            applicant_type_from_label("☑企业 ☐高校 ☐科研院所"),
            Some(Enterprise)
        );
        assert_eq!(
            applicant_type_from_label("☐企业 ☑高校 ☐科研院所"),
            Some(University)
        );
        assert_eq!(
            applicant_type_from_label("□企业 □高校 ■科研院所 □其他"),
            Some(Institute)
        );
        assert_eq!(applicant_type_from_label("□企业 √高校"), Some(University));
        assert_eq!(applicant_type_from_label("☐企业 ☐高校 ☐科研院所"), None);
        assert_eq!(
            applicant_type_from_label("企业☑ 高校□ 科研院所□"),
            Some(Enterprise)
        );
        assert_eq!(applicant_type_from_label("企业□ 高校■"), Some(University));
        assert_eq!(
            applicant_type_from_label("单位性质：企业"),
            Some(Enterprise)
        );
        assert_eq!(
            applicant_type_from_label("国有企业（央企）"),
            Some(Enterprise)
        );
        assert_eq!(
            applicant_type_from_label("事业单位（科研）"),
            Some(Institute)
        );
    }

    #[test]
    fn normalized_keys() {
        assert_eq!(normalize_org(" 浙江 大学 "), "浙江大学");
        assert_eq!(
            normalize_org("某某（北京）科技有限公司"),
            "某某(北京)科技有限公司"
        );
        assert_eq!(
            normalize_org("某某【北京】科技有限公司"),
            "某某(北京)科技有限公司"
        );
        assert_eq!(normalize_org("ＡＢＣ公司"), "abc公司");
        assert_eq!(normalize_org("Zhejiang University"), "zhejianguniversity");
        assert_eq!(normalize_org("浙江大学（盖章）"), "浙江大学");
        assert_eq!(normalize_org("浙江大学(公章)"), "浙江大学");
        assert!(normalize_org("申请单位：浙江大学").ends_with("浙江大学"));
    }

    #[test]
    fn similarity() {
        assert_eq!(org_similarity("浙江大学", "浙江 大学（盖章）"), 1.0);
        assert_eq!(
            org_similarity("某某（北京）科技有限公司", "某某(北京)科技有限公司"),
            1.0
        );
        assert!(org_similarity("浙江大学", "浙江工业大学") >= 0.5);
        assert!(org_similarity("浙江大学", "山西农业科学院") < 0.2);
        assert!(org_similarity("杭州某某科技有限公司", "杭州某某科技股份有限公司") >= 0.8);
        assert_eq!(org_similarity("", "浙江大学"), 0.0);
        assert_eq!(org_similarity("甲", "乙"), 0.0);
        let s = org_similarity("Zhejiang University", "zhejiang university");
        assert_eq!(s, 1.0);
    }
}
