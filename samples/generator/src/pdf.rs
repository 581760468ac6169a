//! PDF and Word 97 versions of a batch: every DOCX form exported by
//! LibreOffice headless (`soffice --headless --convert-to pdf|doc`), as
//! applicants do with "Save as PDF" or "Word 97-2003". Generation is
//! deterministic, so the batch is generated twice: once to collect the DOCX
//! forms, which are converted in a single soffice run, and once more
//! substituting the converted forms in the same order.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::batch::{Batch, Options, shandong, shandong_converted};

/// The `shandong` batch with PDF forms instead of DOCX forms.
pub fn shandong_pdf(opts: &Options, work: &Path) -> Result<Batch> {
    shandong_as(opts, work, "pdf")
}

/// The `shandong` batch with Word 97–2003 `.doc` forms.
pub fn shandong_doc(opts: &Options, work: &Path) -> Result<Batch> {
    shandong_as(opts, work, "doc")
}

fn shandong_as(opts: &Options, work: &Path, ext: &str) -> Result<Batch> {
    let mut docs: Vec<Vec<u8>> = Vec::new();
    shandong_converted(opts, "docx", &mut |docx| {
        docs.push(docx.clone());
        Ok(docx)
    })?;
    let converted = convert_to(&docs, work, ext)?;
    let mut it = converted.into_iter();
    let batch = shandong_converted(opts, ext, &mut |_| {
        it.next().context("fewer converted documents than forms")
    })?;
    // The DOCX batch and this one must list the same documents.
    let plain = shandong(opts)?;
    if plain.truth.len() != batch.truth.len() {
        bail!("{ext} batch diverged from the DOCX batch");
    }
    Ok(batch)
}

/// Converts DOCX documents to PDF with one LibreOffice run in `work`.
pub fn convert_all(docs: &[Vec<u8>], work: &Path) -> Result<Vec<Vec<u8>>> {
    convert_to(docs, work, "pdf")
}

/// Converts DOCX documents to `ext` (`pdf`, `doc`) with one LibreOffice run.
fn convert_to(docs: &[Vec<u8>], work: &Path, ext: &str) -> Result<Vec<Vec<u8>>> {
    let dir = work.join(format!("docx2{ext}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;
    let mut inputs = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let p = dir.join(format!("f{i:04}.docx"));
        std::fs::write(&p, d)?;
        inputs.push(p);
    }
    // A private profile keeps runs independent of any user installation.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    // LibreOffice now and then aborts on start-up: tried up to three times.
    let mut status = None;
    for _ in 0..3 {
        let s = Command::new("soffice")
            .arg(&profile)
            .args(["--headless", "--convert-to", ext, "--outdir"])
            .arg(&dir)
            .args(&inputs)
            .status()
            .context("running soffice (install libreoffice-writer-nogui)")?;
        status = Some(s);
        if s.success() {
            break;
        }
    }
    if let Some(s) = status.filter(|s| !s.success()) {
        bail!("soffice failed: {s}");
    }
    (0..docs.len())
        .map(|i| {
            let p = dir.join(format!("f{i:04}.{ext}"));
            std::fs::read(&p).with_context(|| format!("soffice wrote no {}", p.display()))
        })
        .collect()
}
