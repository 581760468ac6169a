//! The Chinese names a reviewer knows the record's fields by, for finding
//! messages (`关键技术共6项`, not `key_technologies共6项`).

/// Field path → the label the forms use for it.
const NAMES: &[(&str, &str)] = &[
    ("project_name", "项目名称"),
    ("project_name_en", "项目英文名称"),
    ("applicant", "申报单位"),
    ("applicant_type", "单位类型"),
    ("applicant_registered", "单位注册时间"),
    ("pi", "项目负责人"),
    ("pi.name", "项目负责人姓名"),
    ("pi.birth_date", "项目负责人出生日期"),
    ("pi.title", "项目负责人职称"),
    ("partner_countries", "合作国别（地区）"),
    ("partner_institution", "外方合作单位"),
    ("key_technologies", "关键技术"),
    ("trl", "技术成熟度"),
    ("trl.current", "当前技术成熟度"),
    ("trl.target", "目标技术成熟度"),
    ("indicators", "考核指标"),
    ("funding", "经费"),
    ("funding.requested_wan", "申请经费（万元）"),
    ("funding.matching_wan", "配套经费（万元）"),
    ("execution_period", "执行期"),
    ("execution_period.start", "执行期起始"),
    ("execution_period.end", "执行期结束"),
    ("agreement", "合作协议"),
    ("agreement.valid_from", "协议生效日期"),
    ("agreement.valid_to", "协议有效期截止日期"),
    ("agreement.languages", "协议文本语言"),
    ("agreement.has_ip_clause", "协议知识产权条款"),
    ("seals", "公章"),
    ("novelty_report", "科技查新报告"),
    ("novelty_report.date", "查新完成日期"),
    ("file_name", "文件名"),
    ("submitted", "报送时间"),
];

/// The Chinese label of a field path; the path itself when none is known.
pub fn zh(path: &str) -> &str {
    NAMES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, z)| *z)
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_paths() {
        assert_eq!(zh("key_technologies"), "关键技术");
        assert_eq!(zh("trl.current"), "当前技术成熟度");
        assert_eq!(zh("something_else"), "something_else");
    }
}
