//! Group: decides what each extracted file is for (form, agreement,
//! summary table, attachment) and which files make up one proposal.
//!
//! Guideline-suggestion calls (Shandong) send one document per proposal
//! under a region folder; application calls send a folder per proposal
//! (application book, agreement, attachments). The scheme says which. The
//! summary table (汇总表) is never a proposal; files that belong to none are
//! reported, never dropped.

use std::collections::BTreeMap;

use crate::model::{Block, Document, FileKind};
use crate::record::Role;
use crate::scheme::{Direction, Grouping, Scheme};

/// One file of the batch after extraction.
#[derive(Debug, Clone)]
pub struct FileRecord {
    /// Relative to the archive or folder root.
    pub path: String,
    /// Containers, outermost first.
    pub container: Vec<String>,
    pub kind: FileKind,
    pub sha256: String,
    pub size: u64,
    pub doc: Option<Document>,
    /// Why the file could not be read, when it could not.
    pub error: Option<String>,
    pub role: Role,
}

impl FileRecord {
    pub fn display_path(&self) -> String {
        let mut parts = self.container.clone();
        parts.push(self.path.clone());
        parts.join("/")
    }

    fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    fn dir(&self) -> (Vec<String>, String) {
        let dir = self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        (self.container.clone(), dir.to_string())
    }
}

/// A proposal: its files (form first) and its direction.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Indices into the records, form first, then by path.
    pub files: Vec<usize>,
    pub direction: Option<String>,
    /// Direction names met in the folders, when more than one matched.
    pub direction_conflict: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Grouped {
    pub proposals: Vec<Proposal>,
    /// Indices of summary tables.
    pub summaries: Vec<usize>,
    /// Files that belong to no proposal, with the reason.
    pub unassigned: Vec<(usize, String)>,
}

const AGREEMENT_WORDS: &[&str] = &[
    "协议",
    "合同",
    "备忘录",
    "意向书",
    "agreement",
    "mou",
    "memorandum",
    "contract",
];
const FORM_WORDS: &[&str] = &[
    "申报书",
    "申请书",
    "建议书",
    "信息表",
    "申请表",
    "申报表",
    "建议表",
    "任务书",
    "application",
    "proposal",
];
/// Supporting documents named for what they are (查新报告, 营业执照 …):
/// attachments even when they are DOCX beside the application book.
const ATTACHMENT_WORDS: &[&str] = &[
    "查新",
    "营业执照",
    "审计报告",
    "推荐函",
    "推荐意见",
    "承诺书",
    "承诺函",
    "证明",
    "简历",
    "身份证",
    "证书",
    "license",
    "certificate",
];
const DEFAULT_SUMMARY_WORDS: &[&str] = &["汇总表", "汇总", "一览表"];

/// Decides a file's role from its name and, for spreadsheets, its title rows.
pub fn role_of(rec: &FileRecord, scheme: &Scheme) -> Role {
    let name = rec.file_name().to_lowercase();
    let summary_words: Vec<&str> = match &scheme.summary_table {
        Some(s) if !s.file_keywords.is_empty() => {
            s.file_keywords.iter().map(String::as_str).collect()
        }
        _ => DEFAULT_SUMMARY_WORDS.to_vec(),
    };
    if summary_words.iter().any(|w| name.contains(w)) {
        return Role::Summary;
    }
    if is_workbook(rec)
        && let Some(doc) = &rec.doc
        && head_text(doc).contains("汇总表")
    {
        return Role::Summary;
    }
    if AGREEMENT_WORDS.iter().any(|w| name.contains(w)) {
        return Role::Agreement;
    }
    if ATTACHMENT_WORDS.iter().any(|w| name.contains(w)) {
        return Role::Attachment;
    }
    if FORM_WORDS.iter().any(|w| name.contains(w)) {
        return Role::Form;
    }
    if let Some(doc) = &rec.doc {
        let head = head_text(doc);
        if AGREEMENT_WORDS[..4].iter().any(|w| head.contains(w)) && !head.contains("申报") {
            return Role::Agreement;
        }
    }
    match rec.kind {
        FileKind::Ole if is_workbook(rec) => Role::Attachment,
        FileKind::Docx | FileKind::Pdf | FileKind::Ole | FileKind::Unknown => Role::Form,
        _ => Role::Attachment,
    }
}

/// An XLSX, or a legacy workbook (.xls, WPS .et: OLE2 read as sheets).
fn is_workbook(rec: &FileRecord) -> bool {
    rec.kind == FileKind::Xlsx
        || rec.kind == FileKind::Ole
            && rec
                .doc
                .as_ref()
                .is_some_and(|d| d.tables().any(|t| t.sheet.is_some()))
}

/// Gives every record its role. In calls whose proposals are folders, a
/// document that is a form only by default (no form word in its name) is an
/// attachment when its folder, or one above it, holds a named form.
pub fn assign_roles(records: &mut [FileRecord], scheme: &Scheme) {
    for r in records.iter_mut() {
        r.role = role_of(r, scheme);
    }
    if scheme.grouping != Grouping::Folder {
        return;
    }
    let named: Vec<DirKey> = records
        .iter()
        .filter(|r| r.role == Role::Form && has_form_word(r))
        .map(FileRecord::dir)
        .collect();
    for r in records.iter_mut() {
        if r.role == Role::Form && !has_form_word(r) {
            let dir = r.dir();
            if named.iter().any(|k| is_ancestor(k, &dir)) {
                r.role = Role::Attachment;
            }
        }
    }
}

fn has_form_word(r: &FileRecord) -> bool {
    let name = r.file_name().to_lowercase();
    FORM_WORDS.iter().any(|w| name.contains(w))
}

/// The first few lines of a document (its title area).
fn head_text(doc: &Document) -> String {
    let mut s = doc.title.clone().unwrap_or_default();
    for block in doc.blocks.iter().take(4) {
        match block {
            Block::Paragraph(p) => s.push_str(&p.text),
            Block::Table(t) => {
                for c in t.cells().take(6) {
                    s.push_str(&c.text);
                }
            }
        }
        if s.chars().count() > 200 {
            break;
        }
    }
    s
}

/// Directions named by the path's folders, deepest first (a region folder
/// inside a department folder wins).
fn directions_in_path<'s>(scheme: &'s Scheme, rec: &FileRecord) -> Vec<&'s Direction> {
    let (_, dir) = rec.dir();
    let mut found: Vec<&Direction> = Vec::new();
    for folder in dir.split('/').filter(|s| !s.is_empty()).rev() {
        if let Some(d) = scheme.direction_for_folder(folder)
            && !found.iter().any(|f| f.id == d.id)
        {
            found.push(d);
        }
    }
    found
}

/// Groups records into proposals per the scheme.
pub fn group(records: &[FileRecord], scheme: &Scheme, forced_direction: Option<&str>) -> Grouped {
    let mut out = Grouped::default();
    // A proposal of these files, its direction read from the first one's path.
    let proposal_of = |files: Vec<usize>| -> Proposal {
        if let Some(d) = forced_direction {
            return Proposal {
                files,
                direction: Some(d.to_string()),
                direction_conflict: Vec::new(),
            };
        }
        let found = files
            .first()
            .map(|&i| directions_in_path(scheme, &records[i]))
            .unwrap_or_default();
        let direction_conflict = if found.len() > 1 {
            found.iter().map(|d| d.id.clone()).collect()
        } else {
            Vec::new()
        };
        Proposal {
            files,
            direction: found.first().map(|d| d.id.clone()),
            direction_conflict,
        }
    };
    let is_document = |r: &FileRecord| {
        r.error.is_some()
            || !is_workbook(r)
                && matches!(
                    r.kind,
                    FileKind::Docx
                        | FileKind::Pdf
                        | FileKind::Image
                        | FileKind::Ole
                        | FileKind::Unknown
                )
    };

    for (i, r) in records.iter().enumerate() {
        if r.role == Role::Summary && r.error.is_none() {
            out.summaries.push(i);
        }
    }
    match scheme.grouping {
        Grouping::Document => {
            for (i, r) in records.iter().enumerate() {
                if r.role == Role::Summary && r.error.is_none() {
                    continue;
                }
                if is_document(r) {
                    out.proposals.push(proposal_of(vec![i]));
                } else {
                    out.unassigned.push((
                        i,
                        format!(
                            "{} file is not a proposal document in this call",
                            r.kind.as_str()
                        ),
                    ));
                }
            }
        }
        Grouping::Folder => group_by_folder(records, &mut out, &proposal_of),
    }
    out
}

type DirKey = (Vec<String>, String);

fn is_ancestor(anc: &DirKey, dir: &DirKey) -> bool {
    anc.0 == dir.0
        && (anc.1.is_empty() || dir.1 == anc.1 || dir.1.starts_with(&format!("{}/", anc.1)))
}

fn group_by_folder(
    records: &[FileRecord],
    out: &mut Grouped,
    proposal_of: &dyn Fn(Vec<usize>) -> Proposal,
) {
    // A proposal folder is one that holds a form; each file goes to the
    // nearest such folder above it.
    let mut forms_by_dir: BTreeMap<DirKey, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if r.role == Role::Form {
            forms_by_dir.entry(r.dir()).or_default().push(i);
        }
    }
    let mut members: BTreeMap<DirKey, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if r.role == Role::Summary && r.error.is_none() {
            continue;
        }
        let dir = r.dir();
        let owner = forms_by_dir
            .keys()
            .filter(|k| is_ancestor(k, &dir))
            .max_by_key(|k| k.1.len());
        match owner {
            Some(k) => members.entry(k.clone()).or_default().push(i),
            None if r.error.is_some() => members.entry(dir).or_default().push(i),
            None => out.unassigned.push((
                i,
                "not inside any proposal folder (no application form found)".into(),
            )),
        }
    }
    for (dir, files) in members {
        let forms: Vec<usize> = forms_by_dir.get(&dir).cloned().unwrap_or_default();
        if forms.len() > 1 {
            // Several forms side by side: each is a proposal of its own; the
            // other files cannot be told apart.
            for &f in &forms {
                out.proposals.push(proposal_of(vec![f]));
            }
            for &i in files.iter().filter(|i| !forms.contains(i)) {
                if records[i].error.is_some() {
                    out.proposals.push(proposal_of(vec![i]));
                } else {
                    out.unassigned.push((
                        i,
                        "folder holds several application forms; cannot tell which this belongs to"
                            .into(),
                    ));
                }
            }
            continue;
        }
        let mut files = files;
        files.sort_by_key(|&i| {
            let role_rank = match records[i].role {
                Role::Form => 0,
                Role::Agreement => 1,
                Role::Attachment => 2,
                Role::Summary => 3,
            };
            (role_rank, records[i].path.clone())
        });
        out.proposals.push(proposal_of(files));
    }
}

/// A proposal's stable id, from its content: each file's hash (or, for an
/// unreadable file, nothing) with its path, so that identical files sent
/// twice still make two proposals with two ids.
pub fn proposal_id(files: &[&FileRecord]) -> String {
    use sha2::{Digest, Sha256};
    let mut parts: Vec<String> = files
        .iter()
        .map(|r| format!("{} {}", r.sha256, r.display_path()))
        .collect();
    parts.sort();
    let digest = Sha256::digest(parts.join("\n").as_bytes());
    crate::pipeline::hex(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Catalog;

    fn rec(container: &str, path: &str, kind: FileKind) -> FileRecord {
        FileRecord {
            path: path.into(),
            container: if container.is_empty() {
                Vec::new()
            } else {
                vec![container.into()]
            },
            kind,
            sha256: String::new(),
            size: 1,
            doc: None,
            error: None,
            role: Role::Attachment,
        }
    }

    fn with_roles(mut recs: Vec<FileRecord>, scheme: &Scheme) -> Vec<FileRecord> {
        for r in &mut recs {
            r.role = role_of(r, scheme);
        }
        recs
    }

    #[test]
    fn guideline_call_one_proposal_per_document_and_summary_apart() {
        let cat = Catalog::embedded();
        let s = cat.scheme("shandong-2026-guideline").unwrap();
        let recs = with_roles(
            vec![
                rec("a.zip", "市科技局/日韩/1.甲-某大学.docx", FileKind::Docx),
                rec(
                    "a.zip",
                    "市科技局/“一带一路”共建国家/2.乙-某公司.docx",
                    FileKind::Docx,
                ),
                rec("a.zip", "市科技局/指南建议汇总表.xlsx", FileKind::Xlsx),
                rec("a.zip", "市科技局/说明.txt", FileKind::Text),
            ],
            s,
        );
        let g = group(&recs, s, None);
        assert_eq!(g.proposals.len(), 2);
        assert_eq!(g.proposals[0].direction.as_deref(), Some("japan-korea"));
        assert_eq!(g.proposals[1].direction.as_deref(), Some("belt-and-road"));
        assert_eq!(g.summaries, vec![2]);
        assert_eq!(g.unassigned.len(), 1);
        assert_eq!(g.unassigned[0].0, 3);
        let forced = group(&recs, s, Some("sco"));
        assert!(
            forced
                .proposals
                .iter()
                .all(|p| p.direction.as_deref() == Some("sco"))
        );
    }

    #[test]
    fn application_call_one_proposal_per_folder() {
        let cat = Catalog::embedded();
        let s = cat.scheme("shanxi-2024-cooperation").unwrap();
        let mut recs = vec![
            rec("b.zip", "项目A/申报书.docx", FileKind::Docx),
            rec("b.zip", "项目A/合作协议.docx", FileKind::Docx),
            rec("b.zip", "项目A/附件/营业执照.pdf", FileKind::Pdf),
            rec("b.zip", "项目B/项目申请书.docx", FileKind::Docx),
            rec("b.zip", "项目B/查新报告.xlsx", FileKind::Xlsx),
            rec("b.zip", "readme.txt", FileKind::Text),
        ];
        recs.push(rec("b.zip", "项目A/附件/技术说明材料.docx", FileKind::Docx));
        recs.push(rec("b.zip", "项目A/外方来函扫描.pdf", FileKind::Pdf));
        assign_roles(&mut recs, s);
        assert_eq!(recs[2].role, Role::Attachment);
        assert_eq!(recs[7].role, Role::Attachment, "a PDF beside a named form");
        let g = group(&recs, s, None);
        assert_eq!(g.proposals.len(), 2, "{:?}", g.proposals);
        let a = &g.proposals[0];
        assert_eq!(
            a.files,
            vec![0, 1, 7, 6, 2],
            "form, agreement, then attachments by path"
        );
        assert_eq!(recs[1].role, Role::Agreement);
        assert_eq!(g.proposals[1].files, vec![3, 4]);
        assert_eq!(g.unassigned.len(), 1);
    }

    #[test]
    fn unreadable_file_outside_any_proposal_is_still_a_proposal() {
        let cat = Catalog::embedded();
        let s = cat.scheme("shanxi-2024-cooperation").unwrap();
        let mut r = rec("c.zip", "坏.docx", FileKind::Docx);
        r.error = Some("corrupt".into());
        r.role = Role::Attachment;
        let g = group(&[r], s, None);
        assert_eq!(g.proposals.len(), 1);
    }
}
