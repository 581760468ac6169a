//! The recommending department (推荐单位 / 主管部门) of a proposal, as the
//! batch shows it: the archive or e-mail its files came in. Departments
//! send their region's proposals as one zip named after themselves
//! (某某市科学技术局.zip) or by e-mail from their own address; a seal on a
//! recommendation letter is theirs. Forms rarely name the department, so
//! this is the only place it can come from.

/// Name endings of government departments, the bodies that recommend
/// proposals (局, 厅, 委, 委员会, 办公室, 管委会, 政府, 部, 科协). A zip
/// named after a university or company is an applicant sending its own.
const DEPARTMENT_ENDS: &[&str] = &[
    "局",
    "厅",
    "委",
    "委员会",
    "办公室",
    "管委会",
    "政府",
    "部",
    "科协",
];

/// The department that sent the proposal: the outermost container named
/// like one, or the sender of the e-mail it came in. `containers` are the
/// container chains of the proposal's files (outermost first), `senders`
/// each e-mail's display path with its `Name <address>`.
pub fn recommender(containers: &[&[String]], senders: &[(&str, &str)]) -> Option<String> {
    for chain in containers {
        for (i, c) in chain.iter().enumerate() {
            let name = if c.to_ascii_lowercase().ends_with(".eml") {
                let path = chain[..=i].join("/");
                senders
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, from)| display_name(from))
                    .filter(|n| is_department(n))
                    .or_else(|| Some(stem(c)).filter(|n| is_department(n)))
            } else {
                Some(stem(c)).filter(|n| is_department(n))
            };
            if let Some(n) = name {
                return Some(n.to_string());
            }
        }
    }
    None
}

/// A file name's last component without its extension.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s).trim()
}

/// `Name <address>` → `Name`, quotes dropped.
fn display_name(from: &str) -> &str {
    from.split('<')
        .next()
        .unwrap_or(from)
        .trim()
        .trim_matches('"')
        .trim()
}

/// Chinese, at least four characters, ending like a department's name.
fn is_department(name: &str) -> bool {
    let cjk = crate::pixels::cjk_count(name);
    cjk >= 4
        && cjk * 10 >= name.chars().count() * 8
        && DEPARTMENT_ENDS.iter().any(|e| name.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn department_zip_names_the_recommender() {
        let a = chain(&["报送/东海市科学技术局.zip"]);
        assert_eq!(recommender(&[&a], &[]).as_deref(), Some("东海市科学技术局"));
    }

    #[test]
    fn an_applicants_own_zip_or_a_batch_name_is_not_a_department() {
        for name in [
            "东海理工大学.zip",
            "第二批申报材料.zip",
            "东海新材料有限公司.7z",
        ] {
            let a = chain(&[name]);
            assert_eq!(recommender(&[&a], &[]), None, "{name}");
        }
        assert_eq!(recommender(&[], &[]), None);
    }

    #[test]
    fn e_mail_sender_first_then_the_message_name() {
        let a = chain(&["inbox/报送.eml", "材料.zip"]);
        let senders = [("inbox/报送.eml", "\"东海省农业农村厅\" <nyt@example.cn>")];
        assert_eq!(
            recommender(&[&a], &senders).as_deref(),
            Some("东海省农业农村厅")
        );
        // A person's name as sender: the message's own name is tried.
        let b = chain(&["inbox/东海市工业和信息化局.eml"]);
        let senders = [("inbox/东海市工业和信息化局.eml", "王某 <w@example.cn>")];
        assert_eq!(
            recommender(&[&b], &senders).as_deref(),
            Some("东海市工业和信息化局")
        );
        // A department zip inside a person's message.
        let c = chain(&["inbox/报送.eml", "东海区科技局.zip"]);
        let senders = [("inbox/报送.eml", "王某 <w@example.cn>")];
        assert_eq!(
            recommender(&[&c], &senders).as_deref(),
            Some("东海区科技局")
        );
    }
}
