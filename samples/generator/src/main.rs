//! CLI: `intake-samples shandong --out DIR --proposals N --seed S [--no-docs-truth] [--pdf|--doc|--legacy]`
//! (`--pdf`/`--doc`: forms exported to PDF or Word 97 `.doc` by LibreOffice,
//! see `pdf.rs`; `--legacy`: `.doc` forms, `.xls`/`.et` summary tables and
//! `.7z` archives, see `legacy.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str =
    "usage: intake-samples shandong --out DIR [--proposals N] [--seed S] [--no-docs-truth] [--pdf|--doc|--legacy]
       intake-samples agreements --out DIR [--proposals N] [--seed S] [--call shanxi|most]
       intake-samples application shanxi|most|zhejiang --out DIR
       intake-samples scan --out DIR [--seed S] [--pages N] [--hard-seals]";

/// `agreements`: proposals with bilingual agreements (see `agreement.rs`).
fn agreements(mut args: impl Iterator<Item = String>) -> Result<()> {
    let (mut out, mut n, mut seed, mut most) = (None, 30usize, 1u64, false);
    while let Some(a) = args.next() {
        let v = args.next().with_context(|| format!("{a} needs a value"))?;
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(v)),
            "--proposals" => n = v.parse().context("--proposals: not a number")?,
            "--seed" => seed = v.parse().context("--seed: not a number")?,
            "--call" => most = v == "most",
            other => bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let out = out.with_context(|| format!("--out is required\n{USAGE}"))?;
    let batch = if most {
        intake_samples::agreement::generate_most(seed, n)
    } else {
        intake_samples::agreement::generate(seed, n)
    };
    intake_samples::agreement::write(&batch, &out)?;
    eprintln!("wrote {} files to {}", batch.files.len(), out.display());
    Ok(())
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("shandong") => {}
        Some("agreements") => return agreements(args),
        Some("application") => return application(args),
        // Scanned pages with seals: the committed batch, or with `--pages N`
        // that many randomly varied pages; `--hard-seals`: N (default 6)
        // form pages whose seals are stamped as hard as real ones.
        Some("scan") => {
            let (mut out, mut seed, mut pages, mut hard) = (None, 5u64, None, false);
            while let Some(a) = args.next() {
                if a == "--hard-seals" {
                    hard = true;
                    continue;
                }
                let v = args.next().with_context(|| format!("{a} needs a value"))?;
                match a.as_str() {
                    "--out" => out = Some(PathBuf::from(v)),
                    "--seed" => seed = v.parse().context("--seed: not a number")?,
                    "--pages" => pages = Some(v.parse().context("--pages: not a number")?),
                    other => bail!("unknown option {other:?}\n{USAGE}"),
                }
            }
            let out = out.with_context(|| format!("--out is required\n{USAGE}"))?;
            if hard {
                return intake_samples::seals::write_hard_batch(&out, seed, pages.unwrap_or(6));
            }
            return match pages {
                Some(n) => intake_samples::scan::write_random_batch(&out, seed, n),
                None => intake_samples::scan::write_batch(&out, seed),
            };
        }
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(other) => bail!("unknown command {other:?}\n{USAGE}"),
    }
    let mut out: Option<PathBuf> = None;
    let mut pdf = false;
    let mut doc = false;
    let mut legacy = false;
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
            "--doc" => doc = true,
            "--legacy" => legacy = true,
            other => bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let out = out.with_context(|| format!("--out is required\n{USAGE}"))?;
    let batch = if pdf {
        intake_samples::pdf::shandong_pdf(&opts, &std::env::temp_dir().join("intake-samples-pdf"))?
    } else if legacy {
        intake_samples::legacy::shandong_legacy(
            &opts,
            &std::env::temp_dir().join("intake-samples-legacy"),
        )?
    } else if doc {
        intake_samples::pdf::shandong_doc(&opts, &std::env::temp_dir().join("intake-samples-doc"))?
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

/// `intake-samples application shanxi|most|zhejiang --out DIR`.
fn application(mut args: impl Iterator<Item = String>) -> Result<()> {
    use intake_samples::application::{Call, batch, write};
    let call = args
        .next()
        .and_then(|c| Call::parse(&c))
        .context("application needs a call: shanxi, most or zhejiang")?;
    let out = match (args.next().as_deref(), args.next()) {
        (Some("--out"), Some(dir)) => PathBuf::from(dir),
        _ => bail!("application CALL --out DIR"),
    };
    let b = batch(call)?;
    write(&b, &out)?;
    eprintln!("wrote {} proposals to {}", b.truth.len(), out.display());
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
