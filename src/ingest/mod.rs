//! Ingest: turns the command line's inputs (folders, single files, `.zip`
//! archives, nested ones too, and `.eml` messages) into a flat list of
//! [`InputFile`]s with correct Unicode logical paths, without extracting
//! anything to disk and without holding member bytes until they are read.
//!
//! Files: `walk` (folders and single files), `zip` (archives), `packed`
//! (`.7z` and `.rar`, decoded in memory), `eml`
//! (messages), `mime_name` (attachment names in raw MIME headers), `names`
//! (entry-name decoding, path sanitising, junk).

mod eml;
mod mime_name;
pub mod names;
mod packed;
mod walk;
mod zip;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// Safety limits for archives and messages.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Total uncompressed bytes over the whole batch.
    pub max_total_bytes: u64,
    /// Uncompressed bytes of one member.
    pub max_member_bytes: u64,
    /// Uncompressed/compressed ratio, checked for members ≥ `ratio_min_size`.
    pub max_ratio: f64,
    pub ratio_min_size: u64,
    /// Entries in one archive.
    pub max_entries: usize,
    /// Archives within archives (an .eml counts as one level).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_bytes: 8 << 30,
            max_member_bytes: 512 << 20,
            max_ratio: 200.0,
            ratio_min_size: 1 << 20,
            max_entries: 20_000,
            max_depth: 6,
        }
    }
}

/// Where a file's bytes live, so they can be read when needed.
#[derive(Debug, Clone)]
pub enum Origin {
    Disk(PathBuf),
    Memory(Arc<[u8]>),
    /// Member `index` of a zip archive (on disk or in memory).
    ZipMember {
        archive: Arc<ArchiveSource>,
        index: usize,
    },
}

#[derive(Debug)]
pub enum ArchiveSource {
    Disk(PathBuf),
    Memory(Arc<[u8]>),
}

/// One file of the batch.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Relative to the root of the archive or folder it was found in,
    /// `/`-separated, correct Unicode.
    pub path: String,
    /// The archives and messages it was found in, outermost first (e.g.
    /// `["inbox/科技局.eml", "科技局.zip"]`); empty for a file in a folder
    /// or given directly.
    pub container: Vec<String>,
    /// Uncompressed size in bytes, as declared.
    pub size: u64,
    pub origin: Origin,
    /// Set when the file cannot be read at all (encrypted or corrupt entry,
    /// refused name, over a limit); such a file becomes an `UNREADABLE_FILE`
    /// finding and is never extracted.
    pub problem: Option<String>,
}

impl InputFile {
    /// `container/…/path`, unique within the batch.
    pub fn display_path(&self) -> String {
        let mut parts = self.container.clone();
        parts.push(self.path.clone());
        parts.join("/")
    }

    /// Reads the file's bytes, enforcing `limits.max_member_bytes` (and, for
    /// zip members, the compression ratio: declared sizes may lie).
    pub fn read(&self, limits: &Limits) -> Result<Vec<u8>, String> {
        if let Some(p) = &self.problem {
            return Err(p.clone());
        }
        match &self.origin {
            Origin::Disk(p) => read_disk_bounded(p, limits.max_member_bytes),
            Origin::Memory(b) => {
                if b.len() as u64 > limits.max_member_bytes {
                    Err(over_size(limits.max_member_bytes))
                } else {
                    Ok(b.to_vec())
                }
            }
            Origin::ZipMember { archive, index } => zip::read_member(archive, *index, limits),
        }
    }

    /// The file's container chain followed by its own path: what a file
    /// found inside it gets as `container`.
    fn as_container(&self) -> Vec<String> {
        let mut c = self.container.clone();
        c.push(self.path.clone());
        c
    }
}

/// A whole input (or part of one) that could not be opened at all, or a
/// junk file that was skipped.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub path: String,
    pub reason: String,
}

/// One e-mail message of the batch, for `batch.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Display path of the `.eml` (container chain and path joined by `/`).
    pub path: String,
    pub subject: Option<String>,
    /// `Name <address>` of the first sender.
    pub from: Option<String>,
    /// RFC 3339.
    pub date: Option<String>,
    /// Attachments listed as files (bodies excluded).
    pub attachments: usize,
}

/// The result of ingesting the command line's inputs.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Files in a deterministic order (input order, then archive order).
    pub files: Vec<InputFile>,
    pub failures: Vec<Failure>,
    /// Junk that was not processed (`__MACOSX/`, `.DS_Store`, `~$` lock
    /// files…), with the reason.
    pub skipped: Vec<Failure>,
    /// The e-mails met, in the order they were met.
    pub messages: Vec<Message>,
}

/// Walks `inputs` (files or folders) and expands archives and messages.
pub fn collect(inputs: &[PathBuf], limits: &Limits) -> Ingested {
    let mut ctx = Ctx {
        limits,
        total: 0,
        out: Ingested::default(),
    };
    for input in inputs {
        walk::input(&mut ctx, input);
    }
    ctx.out
}

/// State shared while collecting.
pub(crate) struct Ctx<'a> {
    limits: &'a Limits,
    /// Uncompressed bytes taken out of archives and messages so far.
    total: u64,
    out: Ingested,
}

impl Ctx<'_> {
    fn push(&mut self, f: InputFile) {
        self.out.files.push(f);
    }

    fn skip(&mut self, path: String, reason: &str) {
        self.out.skipped.push(Failure {
            path,
            reason: reason.to_string(),
        });
    }

    fn fail(&mut self, path: String, reason: String) {
        self.out.failures.push(Failure { path, reason });
    }

    /// Counts `bytes` against the batch total.
    fn charge(&mut self, bytes: u64) -> Result<(), String> {
        let next = self.total.saturating_add(bytes);
        if next > self.limits.max_total_bytes {
            return Err(format!(
                "over the batch limit of {} uncompressed bytes",
                self.limits.max_total_bytes
            ));
        }
        self.total = next;
        Ok(())
    }

    /// Whether a container may be opened inside `parent` (checked before
    /// any of its bytes are read).
    fn depth_ok(&self, parent: &InputFile) -> Result<(), String> {
        if parent.container.len() >= self.limits.max_depth {
            Err(format!(
                "nested too deep (more than {} levels of archives/messages)",
                self.limits.max_depth
            ))
        } else {
            Ok(())
        }
    }
}

/// What a file is, for expansion purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A zip to expand (an OOXML/ODF document is recognised only once the
    /// archive is open, by its entries).
    Zip,
    /// A `.7z` or `.rar` archive.
    Packed(packed::Format),
    Eml,
    Plain,
}

/// Zip-based document formats that are never expanded, even when their
/// magic says zip: no need to open them to find out.
const ZIP_DOCUMENT_EXTS: &[&str] = &[
    "docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "pptm", "odt", "ods", "odp", "ofd",
    "epub", "jar", "apk",
];

fn extension(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Classifies by extension and the first bytes.
fn kind_of(name: &str, head: &[u8]) -> Kind {
    let ext = extension(name);
    if ext == "eml" {
        return Kind::Eml;
    }
    let zip_magic = head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06");
    if zip_magic && !ZIP_DOCUMENT_EXTS.contains(&ext.as_str()) || ext == "zip" {
        return Kind::Zip;
    }
    if let Some(f) = packed::Format::sniff(head) {
        return Kind::Packed(f);
    }
    match ext.as_str() {
        "7z" => return Kind::Packed(packed::Format::SevenZ),
        "rar" => return Kind::Packed(packed::Format::Rar),
        _ => {}
    }
    Kind::Plain
}

/// Expands or lists a file whose bytes are in memory (a nested archive or
/// an e-mail attachment). `file.origin` is kept for the file itself when it
/// turns out to be a document.
fn dispatch_memory(ctx: &mut Ctx, file: InputFile, bytes: Arc<[u8]>) {
    match kind_of(&file.path, &bytes) {
        Kind::Zip => zip::expand(ctx, file, Arc::new(ArchiveSource::Memory(bytes))),
        Kind::Packed(f) => packed::expand(ctx, file, &bytes, f),
        Kind::Eml => eml::expand(ctx, file, &bytes),
        Kind::Plain => ctx.push(file),
    }
}

fn over_size(max: u64) -> String {
    format!("larger than the limit of {max} bytes")
}

fn read_disk_bounded(p: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let f = std::fs::File::open(p).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > max {
        return Err(over_size(max));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind_of("a/b.ZIP", b""), Kind::Zip);
        assert_eq!(kind_of("x.bin", b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(kind_of("x.docx", b"PK\x03\x04rest"), Kind::Plain);
        assert_eq!(kind_of("x.eml", b"From: a"), Kind::Eml);
        assert_eq!(kind_of("x.msg", b"\xd0\xcf\x11\xe0"), Kind::Plain);
        assert_eq!(kind_of(".zip", b""), Kind::Plain);
    }

    #[test]
    fn display_path_joins_container() {
        let f = InputFile {
            path: "a/b.docx".into(),
            container: vec!["x.eml".into(), "y.zip".into()],
            size: 0,
            origin: Origin::Memory(Arc::from(Vec::new())),
            problem: None,
        };
        assert_eq!(f.display_path(), "x.eml/y.zip/a/b.docx");
        assert_eq!(f.as_container(), vec!["x.eml", "y.zip", "a/b.docx"]);
    }
}
