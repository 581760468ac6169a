//! CLI: `intake-samples shandong --out DIR --proposals N --seed S [--no-docs-truth] [--pdf]`
//! (`--pdf`: forms exported to PDF by LibreOffice, see `pdf.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str =
    "usage: intake-samples shandong --out DIR [--proposals N] [--seed S] [--no-docs-truth] [--pdf]";

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("shandong") => {}
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(other) => bail!("unknown command {other:?}\n{USAGE}"),
    }
    let mut out: Option<PathBuf> = None;
    let mut pdf = false;
    let mut opts = intake_samples::Options {
        proposals: 36,
        seed: 1,
        docs_truth: true,
    };
    while let Some(a) = args.next() {
        let mut value = |flag: &str| args.next().with_context(|| format!("{flag} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--proposals" => {
                opts.proposals = value("--proposals")?
                    .parse()
                    .context("--proposals: not a number")?
            }
            "--seed" => opts.seed = value("--seed")?.parse().context("--seed: not a number")?,
            "--no-docs-truth" => opts.docs_truth = false,
            "--pdf" => pdf = true,
            other => bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let out = out.with_context(|| format!("--out is required\n{USAGE}"))?;
    let batch = if pdf {
        intake_samples::pdf::shandong_pdf(&opts, &std::env::temp_dir().join("intake-samples-pdf"))?
    } else {
        intake_samples::shandong(&opts)?
    };
    intake_samples::write(&batch, &out)?;
    eprintln!(
        "wrote {} files and {} truth lines to {}",
        batch.files.len(),
        batch.truth.len(),
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
