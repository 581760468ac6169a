//! Walk: one command-line input — a folder (walked recursively, sorted by
//! the byte order of the UTF-8 names, symlinked folders not followed) or a
//! single file — handed on as files with paths relative to that input.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::{ArchiveSource, Ctx, InputFile, Kind, Origin, eml, kind_of, names, read_disk_bounded};

/// Handles one command-line input.
pub(super) fn input(ctx: &mut Ctx, input: &Path) {
    let shown = input.display().to_string();
    let meta = match std::fs::metadata(input) {
        Ok(m) => m,
        Err(e) => return ctx.fail(shown, e.to_string()),
    };
    if meta.is_dir() {
        let mut found = Vec::new();
        walk_dir(ctx, input, "", &mut found);
        for (abs, rel, size) in found {
            disk_file(ctx, &abs, rel, size);
        }
    } else {
        let name = input
            .file_name()
            .map(os_name)
            .unwrap_or_else(|| shown.clone());
        if let Some(reason) = names::junk_reason(&name) {
            return ctx.skip(name, reason);
        }
        disk_file(ctx, input, name, meta.len());
    }
}

/// Decodes a file-system name: UTF-8, or GBK bytes left by a zip tool that
/// extracted without converting.
fn os_name(n: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        names::decode_bytes(n.as_bytes())
    }
    #[cfg(not(unix))]
    {
        n.to_string_lossy().into_owned()
    }
}

/// Collects the files under `dir` as (absolute path, relative path, size),
/// sorted; junk goes to `ctx.skipped`, unreadable folders to failures.
fn walk_dir(
    ctx: &mut Ctx,
    dir: &Path,
    rel: &str,
    found: &mut Vec<(std::path::PathBuf, String, u64)>,
) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return ctx.fail(display_rel(dir, rel), e.to_string()),
    };
    let mut entries: Vec<(String, std::path::PathBuf)> = Vec::new();
    for e in rd {
        match e {
            Ok(e) => entries.push((os_name(&e.file_name()), e.path())),
            Err(e) => ctx.fail(display_rel(dir, rel), e.to_string()),
        }
    }
    // Byte order of the UTF-8 names, for determinism across file systems.
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (name, path) in entries {
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let lmeta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                ctx.fail(child, e.to_string());
                continue;
            }
        };
        let meta = if lmeta.file_type().is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => {
                    ctx.skip(child, "symlinked folder not followed");
                    continue;
                }
                Ok(m) => m,
                Err(e) => {
                    ctx.fail(child, format!("broken symlink: {e}"));
                    continue;
                }
            }
        } else {
            lmeta
        };
        if meta.is_dir() {
            if let Some(reason) = names::junk_reason(&format!("{child}/")) {
                ctx.skip(child, reason);
                continue;
            }
            walk_dir(ctx, &path, &child, found);
        } else if meta.is_file() {
            if let Some(reason) = names::junk_reason(&child) {
                ctx.skip(child, reason);
                continue;
            }
            found.push((path, child, meta.len()));
        } else {
            ctx.skip(child, "not a regular file");
        }
    }
}

fn display_rel(dir: &Path, rel: &str) -> String {
    if rel.is_empty() {
        dir.display().to_string()
    } else {
        rel.to_string()
    }
}

/// A file on disk: expanded if it is an archive or a message, else listed.
fn disk_file(ctx: &mut Ctx, abs: &Path, rel: String, size: u64) {
    let file = InputFile {
        path: rel,
        container: Vec::new(),
        size,
        origin: Origin::Disk(abs.to_path_buf()),
        problem: None,
    };
    let head = read_head(abs);
    match kind_of(&file.path, &head) {
        Kind::Zip => {
            let src = Arc::new(ArchiveSource::Disk(abs.to_path_buf()));
            super::zip::expand(ctx, file, src);
        }
        Kind::Packed(format) => match read_disk_bounded(abs, ctx.limits.max_member_bytes) {
            Ok(bytes) => super::packed::expand(ctx, file, &bytes, format),
            Err(e) => ctx.push(InputFile {
                problem: Some(format!("cannot read archive: {e}")),
                ..file
            }),
        },
        Kind::Eml => match read_disk_bounded(abs, ctx.limits.max_member_bytes) {
            Ok(bytes) => eml::expand(ctx, file, &bytes),
            Err(e) => ctx.push(InputFile {
                problem: Some(format!("cannot read e-mail: {e}")),
                ..file
            }),
        },
        Kind::Plain => ctx.push(file),
    }
}

/// The first bytes of a file (empty if unreadable: reading it later will
/// report the error).
fn read_head(p: &Path) -> Vec<u8> {
    let mut head = Vec::with_capacity(8);
    if let Ok(f) = std::fs::File::open(p) {
        let _ = f.take(8).read_to_end(&mut head);
    }
    head
}
