//! Pipeline: runs the stages in order for a batch — ingest, read + classify +
//! extract (in parallel, each file isolated), group, locate fields, check,
//! emit — and times each stage.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::bilingual;
use crate::check;
use crate::classify;
use crate::emit::{self, BatchReport};
use crate::extract::{self, ExtractError};
use crate::fields::{self, LabelTable};
use crate::group::{self, FileRecord};
use crate::ingest::{self, InputFile, Limits};
use crate::model::FileKind;
use crate::record::{Role, SCHEMA_VERSION, SourceRef, Submission};
use crate::scheme::{Catalog, Scheme};
use crate::worker;

/// What `intake ingest` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub scheme: String,
    pub out_dir: PathBuf,
    pub direction: Option<String>,
    pub jobs: Option<usize>,
    pub pipelines_dir: Option<PathBuf>,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    /// Longest time one file's extraction may take (enforced by workers).
    pub file_timeout: Duration,
    pub limits: Limits,
    /// Where files are extracted: in worker processes (the CLI) or in
    /// this process (tests, benches).
    pub isolation: Isolation,
}

/// Where extraction runs.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// On the batch's own threads: no memory or time limit beyond the
    /// readers' own caps; a reader that aborts the process takes it down.
    InProcess,
    /// In `intake __worker` processes (see [`worker`]): one bad file costs
    /// only itself, whatever it does.
    Workers {
        /// The `intake` binary.
        exe: PathBuf,
        /// Address-space limit of each worker, MiB.
        memory_mb: u64,
    },
}

impl Options {
    pub fn new(inputs: Vec<PathBuf>, scheme: &str, out_dir: PathBuf) -> Self {
        Options {
            inputs,
            scheme: scheme.to_string(),
            out_dir,
            direction: None,
            jobs: None,
            pipelines_dir: None,
            progress: false,
            // Generous: an 80-page scan is minutes of OCR; this only stops hangs.
            file_timeout: Duration::from_secs(600),
            limits: Limits::default(),
            isolation: Isolation::InProcess,
        }
    }
}

/// The command was asked for something that cannot be: an input path that
/// does not exist, an unknown scheme or direction. The CLI exits 2 on it;
/// a batch that ran exits 0 even when some of its files were unreadable.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The outcome of a batch, as written to `batch.json`.
pub type Outcome = BatchReport;

/// Runs a whole batch and writes its outputs into `opts.out_dir`.
pub fn run(opts: &Options) -> anyhow::Result<Outcome> {
    for input in &opts.inputs {
        if !input.exists() {
            return Err(UsageError(format!("{}: no such file or folder", input.display())).into());
        }
    }
    let catalog = Catalog::load(opts.pipelines_dir.as_deref())
        .map_err(|e| anyhow::anyhow!("loading pipelines: {e}"))?;
    let scheme = catalog
        .scheme(&opts.scheme)
        .ok_or_else(|| {
            let known: Vec<&str> = catalog.schemes().map(|s| s.id.as_str()).collect();
            UsageError(format!(
                "unknown scheme '{}'; known: {}",
                opts.scheme,
                known.join(", ")
            ))
        })?
        .clone();
    if let Some(d) = &opts.direction
        && !scheme.directions.iter().any(|x| &x.id == d)
    {
        let known: Vec<&str> = scheme.directions.iter().map(|x| x.id.as_str()).collect();
        return Err(UsageError(format!(
            "unknown direction '{d}' for {}; known: {}",
            scheme.id,
            known.join(", ")
        ))
        .into());
    }
    let labels = LabelTable::from_catalog(&catalog).map_err(|e| anyhow::anyhow!(e))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()?;
    pool.install(|| run_in_pool(opts, &catalog, &scheme, &labels))
}

fn run_in_pool(
    opts: &Options,
    catalog: &Catalog,
    scheme: &Scheme,
    labels: &LabelTable,
) -> anyhow::Result<Outcome> {
    let mut timings = BTreeMap::new();
    let t = Instant::now();
    let ingested = ingest::collect(&opts.inputs, &opts.limits);
    timings.insert("ingest".to_string(), ms(t));

    let t = Instant::now();
    let bar = progress_bar(opts.progress, ingested.files.len() as u64);
    let extractor = Extractor::new(
        &opts.isolation,
        rayon::current_num_threads(),
        ingested.files.len(),
        opts.file_timeout,
    );
    let mut records: Vec<FileRecord> = ingested
        .files
        .par_iter()
        .map(|f| {
            let r = read_and_extract_with(f, &opts.limits, &extractor, true);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // Idle workers end here, not at the end of the batch.
    drop(extractor);
    timings.insert("extract".to_string(), ms(t));

    let t = Instant::now();
    group::assign_roles(&mut records, scheme);
    let grouped = group::group(&records, scheme, opts.direction.as_deref());
    timings.insert("group".to_string(), ms(t));

    let t = Instant::now();
    let senders: Vec<(&str, &str)> = ingested
        .messages
        .iter()
        .filter_map(|m| Some((m.path.as_str(), m.from.as_deref()?)))
        .collect();
    let (mut submissions, texts): (Vec<Submission>, Vec<String>) = grouped
        .proposals
        .par_iter()
        .map(|p| {
            build_submission(
                p,
                &records,
                scheme,
                labels,
                opts.direction.is_some(),
                &senders,
            )
        })
        .unzip();
    timings.insert("fields".to_string(), ms(t));

    let t = Instant::now();
    let summaries: Vec<&FileRecord> = grouped.summaries.iter().map(|&i| &records[i]).collect();
    let input = check::BatchInput {
        texts: &texts,
        summaries: &summaries,
        labels,
        messages: &ingested.messages,
    };
    let batch_findings = check::check_batch(&mut submissions, scheme, catalog, &input);
    timings.insert("check".to_string(), ms(t));

    submissions.sort_by_key(sort_key);
    let t = Instant::now();
    let mut report = BatchReport::new(scheme, &opts.inputs, &ingested, &records, &grouped);
    report.findings = batch_findings;
    report.count_findings(&submissions);
    // Seal crops stay out of the JSON line; the report embeds them.
    let crops: std::collections::HashMap<(String, Option<u32>, String), &[u8]> = records
        .iter()
        .filter_map(|r| r.doc.as_ref())
        .flat_map(|d| {
            d.seals.iter().map(move |m| {
                (
                    (d.source.clone(), m.page, format!("{:?}", m.bbox)),
                    m.crop_png.as_slice(),
                )
            })
        })
        .collect();
    let crop_of = |seal: &crate::record::Seal| -> emit::report::SealCrop {
        crops
            .get(&(seal.source.clone(), seal.page, format!("{:?}", seal.bbox)))
            .filter(|png| !png.is_empty())
            .map(|png| ("image/png", png.to_vec()))
    };
    emit::write_outputs(
        &opts.out_dir,
        &submissions,
        &mut report,
        &crop_of,
        timings,
        t,
    )?;
    Ok(report)
}

fn sort_key(s: &Submission) -> (String, String) {
    s.sources
        .first()
        .map(|x| (x.container.clone(), x.path.clone()))
        .unwrap_or_default()
}

fn ms(t: Instant) -> u64 {
    t.elapsed().as_millis() as u64
}

fn progress_bar(enabled: bool, len: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} files  {elapsed} ({eta} left)",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Extracts files, in this process or in worker processes.
pub enum Extractor {
    InProcess,
    Workers(worker::Pool),
}

impl Extractor {
    /// For a batch of `files` files on `jobs` threads: at most `jobs`
    /// workers, and the rest of `jobs` as threads inside each (a single
    /// scanned PDF still OCRs its pages in parallel).
    pub fn new(isolation: &Isolation, jobs: usize, files: usize, timeout: Duration) -> Self {
        match isolation {
            Isolation::InProcess => Extractor::InProcess,
            Isolation::Workers { exe, memory_mb } => {
                let jobs = jobs.max(1);
                let workers = jobs.min(files).max(1);
                Extractor::Workers(worker::Pool::new(worker::Config {
                    exe: exe.clone(),
                    workers,
                    threads: (jobs / workers).max(1),
                    memory_mb: *memory_mb,
                    file_timeout: timeout,
                    ocr: true,
                }))
            }
        }
    }

    fn extract(
        &self,
        bytes: Vec<u8>,
        kind: FileKind,
        source: &str,
    ) -> Result<crate::model::Document, String> {
        match self {
            Extractor::Workers(pool) => pool.extract(&bytes, kind, source),
            // On the calling thread: its OCR runs in the caller's pool and
            // reuses the thread's tesseract engine across files.
            Extractor::InProcess => std::panic::catch_unwind(AssertUnwindSafe(|| {
                extract::extract(&bytes, kind, source)
            }))
            .unwrap_or_else(|panic| {
                Err(ExtractError::Corrupt(format!(
                    "reader failed on this file (internal error: {})",
                    worker::panic_message(&panic)
                )))
            })
            .map_err(|e| describe(&e)),
        }
    }
}

/// Reads one file and extracts it in this process; a panic in a reader
/// becomes that file's error.
pub fn read_and_extract(f: &InputFile, limits: &Limits) -> FileRecord {
    read_and_extract_with(f, limits, &Extractor::InProcess, true)
}

/// [`read_and_extract`] through `extractor`; `hash: false` leaves `sha256`
/// empty, for callers that never show it (`intake extract --text`: hashing
/// every file cost ~10 % of its CPU on the sample forms).
pub fn read_and_extract_with(
    f: &InputFile,
    limits: &Limits,
    extractor: &Extractor,
    hash: bool,
) -> FileRecord {
    let mut rec = FileRecord {
        path: f.path.clone(),
        container: f.container.clone(),
        kind: FileKind::Unknown,
        sha256: String::new(),
        size: f.size,
        doc: None,
        error: f.problem.clone(),
        role: Role::Attachment,
    };
    if rec.error.is_some() {
        rec.kind = kind_from_name(&f.path);
        return rec;
    }
    let bytes = match f.read(limits) {
        Ok(b) => b,
        Err(e) => {
            rec.error = Some(e);
            rec.kind = kind_from_name(&f.path);
            return rec;
        }
    };
    rec.size = bytes.len() as u64;
    if hash {
        rec.sha256 = hex(&Sha256::digest(&bytes));
    }
    rec.kind = classify::sniff(&bytes, &f.path);
    let source = f.display_path();
    match extractor.extract(bytes, rec.kind, &source) {
        Ok(doc) => rec.doc = Some(doc),
        Err(e) => rec.error = Some(e),
    }
    rec
}

fn kind_from_name(path: &str) -> FileKind {
    classify::sniff(&[], path)
}

fn describe(e: &ExtractError) -> String {
    e.to_string()
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Builds one proposal's line: sources, fields with evidence, and the
/// per-proposal findings (unreadable files, invalid values, scheme rules);
/// with the text the batch's duplicate check compares.
fn build_submission(
    p: &group::Proposal,
    records: &[FileRecord],
    scheme: &Scheme,
    labels: &LabelTable,
    forced_direction: bool,
    senders: &[(&str, &str)],
) -> (Submission, String) {
    let files: Vec<&FileRecord> = p.files.iter().map(|&i| &records[i]).collect();
    let sources: Vec<SourceRef> = files
        .iter()
        .map(|r| SourceRef {
            path: r.path.clone(),
            container: r.container.join("/"),
            kind: r.kind.as_str().to_string(),
            role: r.role,
            sha256: r.sha256.clone(),
            pages: r.doc.as_ref().and_then(|d| d.pages),
            ocr: r.doc.as_ref().is_some_and(|d| d.ocr),
        })
        .collect();
    let docs: Vec<(&crate::model::Document, Role)> = files
        .iter()
        .filter_map(|r| r.doc.as_ref().map(|d| (d, r.role)))
        .collect();
    let names: Vec<String> = files.iter().map(|r| r.display_path()).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let located = fields::locate(&docs, &name_refs, labels);
    let id = crate::group::proposal_id(&files);
    let chains: Vec<&[String]> = files.iter().map(|r| r.container.as_slice()).collect();
    let recommender = fields::recommender::recommender(&chains, senders);
    // The folder's direction checked against what the form states.
    let stated = check::direction::stated_in_forms(scheme, &docs, labels);
    let (direction, direction_findings) = check::direction::resolve(
        scheme,
        p,
        forced_direction,
        &stated,
        names.first().map(String::as_str),
    );
    let mut sub = Submission {
        schema_version: SCHEMA_VERSION,
        id,
        scheme: scheme.id.clone(),
        direction,
        sources,
        fields: crate::record::Fields {
            seals: crate::fields::seals::seals_of(
                &docs,
                &crate::fields::seals::parties(&located.fields, recommender.as_deref()),
            ),
            ..located.fields.clone()
        },
        evidence: located.evidence.clone(),
        bilingual: Vec::new(),
        findings: Vec::new(),
    };
    sub.findings = check::check_proposal(&sub, &located, p, &files, scheme);
    sub.findings.extend(direction_findings);
    apply_bilingual(&mut sub, &docs, scheme);
    let text = check::duplicates::proposal_text(&docs, labels);
    (sub, text)
}

/// Runs the bilingual agreement cross-check: its pairs and mismatches go
/// on the line, and the agreement's languages and term as the layout shows
/// them feed the scheme's agreement rules (evaluated later in `check`).
fn apply_bilingual(
    sub: &mut Submission,
    docs: &[(&crate::model::Document, Role)],
    scheme: &Scheme,
) {
    let b = bilingual::analyze(docs, &sub.fields, scheme, sub.direction.as_deref());
    if let Some(a) = sub.fields.agreement.as_mut()
        && b.structure.is_some()
    {
        crate::fields::agreement::merge_clauses(a, &b);
    }
    sub.bilingual = b.pairs;
    sub.findings.extend(b.findings);
}
