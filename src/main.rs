//! The `intake` command line: a thin shell over the library's pipeline.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use intake::fields::{self, LabelTable};
use intake::ingest::{InputFile, Limits, Origin};
use intake::pipeline::{self, Extractor, Isolation, Options, UsageError};
use intake::record::Role;
use intake::scheme::Catalog;

#[derive(Parser)]
#[command(
    name = "intake",
    version,
    about = "Turns application materials for international S&T cooperation calls into checked, structured JSON"
)]
struct Cli {
    /// Folder of pipeline files overriding or adding to the built-in ones
    /// (schemes, country groups, label synonyms).
    #[arg(long, global = true, value_name = "DIR")]
    pipelines: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest e-mails, zips, folders or single documents; write submissions.jsonl and batch.json into DIR.
    Ingest {
        /// .eml, .zip, folders or documents.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// The call the batch answers (see `intake schemes`).
        #[arg(long)]
        scheme: String,
        /// Output folder; nothing is written outside it.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Force the direction (project type) instead of reading it from folders.
        #[arg(long, value_name = "D")]
        direction: Option<String>,
        /// Worker threads (default: one per core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Longest time one file may take to read, in seconds.
        #[arg(long, default_value_t = 600, value_name = "S")]
        file_timeout: u64,
        /// Address-space limit of each reader process, in MiB.
        #[arg(long, default_value_t = intake::worker::DEFAULT_MEMORY_MB, value_name = "MB")]
        worker_memory: u64,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// List the known schemes and their directions, or print one scheme's rules.
    Schemes {
        /// A scheme id: print its rules with the notice sentences they encode.
        id: Option<String>,
    },
    /// Print each document's model and fields as JSON, or its plain text.
    Extract {
        /// One or more documents, read in turn in one process.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Plain text in reading order instead of JSON.
        #[arg(long)]
        text: bool,
    },
    /// Internal: a reader process (see `intake::worker`).
    #[command(name = "__worker", hide = true)]
    Worker {
        threads: usize,
        memory_mb: u64,
        cpu_seconds: u64,
    },
}

fn main() -> ExitCode {
    // Tesseract's OpenMP threads would spin beside our own; libgomp reads
    // this when tesseract is loaded. Set here, while this is the only
    // thread, never later (set_var with live threads is unsound).
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        // SAFETY: no other thread exists yet.
        unsafe { std::env::set_var("OMP_THREAD_LIMIT", "1") };
    }
    let cli = Cli::parse();
    // Once per run, in the parent: without the PP-OCRv4 model seals are
    // still read, by tesseract alone.
    if matches!(
        cli.command,
        Command::Ingest { .. } | Command::Extract { .. }
    ) && let Some(n) = intake::pixels::ppocr::notice()
    {
        eprintln!("intake: note: {n}");
    }
    let result = match cli.command {
        Command::Ingest {
            inputs,
            scheme,
            out,
            direction,
            jobs,
            file_timeout,
            worker_memory,
            quiet,
        } => {
            let mut opts = Options::new(inputs, &scheme, out);
            opts.direction = direction;
            opts.jobs = jobs;
            opts.pipelines_dir = cli.pipelines;
            opts.progress = !quiet;
            opts.file_timeout = Duration::from_secs(file_timeout.max(1));
            match reader_exe() {
                Ok(exe) => {
                    opts.isolation = Isolation::Workers {
                        exe,
                        memory_mb: worker_memory,
                    };
                    ingest(&opts)
                }
                Err(e) => Err(e),
            }
        }
        Command::Worker {
            threads,
            memory_mb,
            cpu_seconds,
        } => {
            return match intake::worker::serve(threads, memory_mb, cpu_seconds) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("intake worker: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Schemes { id } => schemes(cli.pipelines.as_deref(), id.as_deref()),
        Command::Extract { files, text } => extract(cli.pipelines.as_deref(), &files, text),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("intake: {e:#}");
            // 2 for a command that cannot be run as asked (like clap's own
            // usage errors), 1 for a failure while running.
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// This binary, re-executed for reader processes.
fn reader_exe() -> anyhow::Result<PathBuf> {
    std::env::current_exe().map_err(|e| anyhow::anyhow!("cannot find the intake binary: {e}"))
}

fn ingest(opts: &Options) -> anyhow::Result<()> {
    let report = pipeline::run(opts)?;
    let c = &report.counts;
    eprintln!(
        "intake: {} files, {} proposals, {} summary tables, {} unreadable, {} in no proposal → {}",
        c.files,
        c.proposals,
        c.summaries,
        c.unreadable,
        c.unassigned,
        opts.out_dir.display()
    );
    Ok(())
}

fn schemes(dir: Option<&std::path::Path>, id: Option<&str>) -> anyhow::Result<()> {
    let catalog = Catalog::load(dir).map_err(|e| anyhow::anyhow!("loading pipelines: {e}"))?;
    match id {
        Some(id) => {
            let s = catalog
                .scheme(id)
                .ok_or_else(|| UsageError(format!("unknown scheme '{id}'")))?;
            print!("{}", s.render_rules());
        }
        None => print!("{}", catalog.describe()),
    }
    Ok(())
}

fn extract(dir: Option<&std::path::Path>, files: &[PathBuf], text: bool) -> anyhow::Result<()> {
    // Plain text needs neither the pipelines nor the label table.
    let labels = if text {
        None
    } else {
        let catalog = Catalog::load(dir).map_err(|e| anyhow::anyhow!("loading pipelines: {e}"))?;
        Some(LabelTable::from_catalog(&catalog).map_err(|e| anyhow::anyhow!(e))?)
    };
    // Each file in the same kind of reader process as a batch; one
    // worker, with every core for a scanned PDF's pages.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let extractor = Extractor::new(
        &Isolation::Workers {
            exe: reader_exe()?,
            memory_mb: intake::worker::DEFAULT_MEMORY_MB,
        },
        cores,
        1,
        Duration::from_secs(120),
    );
    for file in files {
        extract_one(file, labels.as_ref(), &extractor)?;
    }
    Ok(())
}

fn extract_one(
    file: &std::path::Path,
    labels: Option<&LabelTable>,
    extractor: &Extractor,
) -> anyhow::Result<()> {
    let size = std::fs::metadata(file)
        .map_err(|e| UsageError(format!("{}: {e}", file.display())))?
        .len();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let input = InputFile {
        path: name,
        container: Vec::new(),
        size,
        origin: Origin::Disk(file.to_path_buf()),
        problem: None,
    };
    let rec =
        pipeline::read_and_extract_with(&input, &Limits::default(), extractor, labels.is_some());
    let doc = match (&rec.doc, &rec.error) {
        (Some(d), _) => d,
        (None, Some(e)) => anyhow::bail!("{}: {e}", file.display()),
        (None, None) => anyhow::bail!("{}: nothing extracted", file.display()),
    };
    let Some(labels) = labels else {
        print!("{}", doc.plain_text(false));
        // Text that did not come from the text layer says so, with the
        // reason the layer was refused (the reader's warnings name it).
        for w in &doc.warnings {
            eprintln!("{}: {w}", file.display());
        }
        if doc.ocr && !doc.warnings.iter().any(|w| w.contains("OCR")) {
            eprintln!("{}: pages without a text layer read by OCR", file.display());
        }
        return Ok(());
    };
    let located = fields::locate(&[(doc, Role::Form)], &[rec.path.as_str()], labels);
    let out = serde_json::json!({
        "source": rec.path,
        "kind": rec.kind.as_str(),
        "sha256": rec.sha256,
        "fields": located.fields,
        "evidence": located.evidence,
        "document": doc,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
