//! The legacy batch: the `--doc` batch (forms saved as Word 97 `.doc`) with
//! every department zip sent as a file repacked as `.7z` by 7-Zip (`7zz`,
//! Debian `7zip`) and every summary table saved as `.xls` by LibreOffice
//! Calc, the first one named `.et` as WPS Spreadsheets saves it (BIFF8 in
//! OLE2, like `.xls`). The e-mailed department keeps its zip attachment.
//! Two runs here gave the same bytes; another LibreOffice or 7-Zip version
//! may not (the forms and tables are converted, not written by us).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::batch::{Batch, Options};
use crate::truth::TruthLine;

/// The Shandong batch in legacy formats; `work` is a scratch folder.
pub fn shandong_legacy(opts: &Options, work: &Path) -> Result<Batch> {
    let mut batch = crate::pdf::shandong_doc(opts, work)?;
    let dir = work.join("legacy");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let mut renamed: Vec<(String, String)> = Vec::new(); // summary paths
    let mut first_et = true;
    let mut archives: Vec<(String, String)> = Vec::new(); // zip → 7z names
    for (path, bytes) in batch.files.iter_mut() {
        let Some(stem) = path.strip_suffix(".zip") else {
            continue;
        };
        let name = stem.rsplit('/').next().unwrap_or(stem).to_string();
        let tree = dir.join(&name);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice()))?;
        let mut xlsx = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i)?;
            let raw = f.name_raw().to_vec();
            let entry = match std::str::from_utf8(&raw) {
                Ok(s) if f.flags().as_u16() & 0x0800 != 0 || s.is_ascii() => s.to_string(),
                _ => encoding_rs::GBK.decode(&raw).0.into_owned(),
            };
            if entry.ends_with('/') {
                continue;
            }
            let out = tree.join(&entry);
            std::fs::create_dir_all(out.parent().context("entry path")?)?;
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data)?;
            std::fs::write(&out, data)?;
            if entry.ends_with(".xlsx") {
                xlsx.push(entry);
            }
        }
        for entry in xlsx {
            let src = tree.join(&entry);
            let folder = src.parent().context("summary folder")?;
            soffice_convert(&src, folder, "xls", work)?;
            std::fs::remove_file(&src)?;
            let stem = entry.trim_end_matches(".xlsx");
            let ext = if first_et { "et" } else { "xls" };
            if first_et {
                std::fs::rename(
                    tree.join(format!("{stem}.xls")),
                    tree.join(format!("{stem}.et")),
                )?;
                first_et = false;
            }
            renamed.push((entry.clone(), format!("{stem}.{ext}")));
        }
        let archive = dir.join(format!("{name}.7z"));
        // No timestamps stored: the same files give the same archive.
        let status = Command::new("7zz")
            .current_dir(&tree)
            .args(["a", "-bd", "-bso0", "-mtm=off", "-mtc=off", "-mta=off"])
            .arg(&archive)
            .arg(".")
            .status()
            .context("running 7zz (install Debian 7zip)")?;
        if !status.success() {
            bail!("7zz failed: {status}");
        }
        *bytes = std::fs::read(&archive)?;
        archives.push((format!("{name}.zip"), format!("{name}.7z")));
        *path = format!("{stem}.7z");
    }
    for line in batch.truth.iter_mut() {
        let (container, path) = match line {
            TruthLine::Doc(d) => (&mut d.container, &mut d.path),
            TruthLine::Summary(s) => (&mut s.container, &mut s.path),
        };
        // Only archives sent as files were repacked (not e-mailed ones);
        // a zip nested in one stays a zip inside the .7z.
        if let Some(first) = container.first_mut()
            && let Some((_, to)) = archives.iter().find(|(from, _)| first == from)
        {
            *first = to.clone();
            if container.len() == 1
                && let Some((_, new)) = renamed.iter().find(|(old, _)| old == path)
            {
                *path = new.clone();
            }
        }
    }
    Ok(batch)
}

fn soffice_convert(src: &Path, outdir: &Path, to: &str, work: &Path) -> Result<()> {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        work.join("profile-legacy").display()
    );
    // LibreOffice now and then aborts on start-up: tried up to three times.
    for _ in 0..3 {
        let status = Command::new("soffice")
            .arg(&profile)
            .args(["--headless", "--convert-to", to, "--outdir"])
            .arg(outdir)
            .arg(src)
            .output()
            .context("running soffice (install libreoffice-calc-nogui)")?;
        if status.status.success() {
            return Ok(());
        }
    }
    bail!("soffice failed on {}", src.display())
}
