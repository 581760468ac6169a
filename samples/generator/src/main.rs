//! CLI: `intake-samples shandong --out DIR --proposals N --seed S [--no-docs-truth]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str =
    "usage: intake-samples shandong --out DIR [--proposals N] [--seed S] [--no-docs-truth]";

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("shandong") => {}
        // Scanned pages with seals: `intake-samples scan --out DIR [--seed S]`.
        Some("scan") => {
            let out = args.nth(1).context("scan --out DIR")?;
            let seed = args.nth(1).and_then(|s| s.parse().ok()).unwrap_or(5);
            return intake_samples::scan::write_batch(std::path::Path::new(&out), seed);
        }
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(other) => bail!("unknown command {other:?}\n{USAGE}"),
    }
    let mut out: Option<PathBuf> = None;
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
            other => bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let out = out.with_context(|| format!("--out is required\n{USAGE}"))?;
    let batch = intake_samples::shandong(&opts)?;
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
