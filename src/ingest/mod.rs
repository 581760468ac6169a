//! Ingest: turns the command line's inputs (folders, single files, `.zip`
//! archives, nested ones too, and `.eml` messages) into a flat list of
//! [`InputFile`]s with correct Unicode logical paths, without extracting
//! anything to disk and without holding member bytes until they are read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    ZipMember { archive: Arc<ArchiveSource>, index: usize },
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

    /// Reads the file's bytes, enforcing `limits.max_member_bytes`.
    pub fn read(&self, limits: &Limits) -> Result<Vec<u8>, String> {
        let _ = limits;
        match &self.origin {
            Origin::Disk(p) => std::fs::read(p).map_err(|e| e.to_string()),
            Origin::Memory(b) => Ok(b.to_vec()),
            Origin::ZipMember { .. } => Err("not implemented".into()),
        }
    }
}

/// A whole input (or part of one) that could not be opened at all.
#[derive(Debug, Clone)]
pub struct Failure {
    pub path: String,
    pub reason: String,
}

/// The result of ingesting the command line's inputs.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Files in a deterministic order (input order, then archive order).
    pub files: Vec<InputFile>,
    pub failures: Vec<Failure>,
}

/// Walks `inputs` (files or folders) and expands archives and messages.
pub fn collect(inputs: &[PathBuf], limits: &Limits) -> Ingested {
    let _ = (inputs, limits, Path::new(""));
    Ingested::default()
}
