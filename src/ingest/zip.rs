//! Zip: lists an archive's members as [`InputFile`]s (addressed by index,
//! names decoded by `names`), applies the safety limits, expands nested
//! archives and messages, and reads single members back, bounded.
//!
//! Top-level members are never read during listing except for their first
//! bytes (to spot nested archives); only nested archives are held in memory.

use std::io::{BufReader, Cursor, Read, Seek};
use std::sync::Arc;

use ::zip::result::ZipError;
use ::zip::{CompressionMethod, SUPPORTED_COMPRESSION_METHODS, ZipArchive};

use super::{ArchiveSource, Ctx, InputFile, Kind, Limits, Origin, dispatch_memory, kind_of, names};

const ENCRYPTED: &str = "encrypted (password-protected) zip entry";

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

type Archive = ZipArchive<Box<dyn ReadSeek>>;

fn open(src: &ArchiveSource) -> Result<Archive, String> {
    let reader: Box<dyn ReadSeek> = match src {
        ArchiveSource::Disk(p) => {
            let f = std::fs::File::open(p).map_err(|e| format!("cannot open: {e}"))?;
            Box::new(BufReader::new(f))
        }
        ArchiveSource::Memory(b) => Box::new(Cursor::new(b.clone())),
    };
    ZipArchive::new(reader).map_err(|e| format!("corrupt zip: {e}"))
}

/// Whether the archive is an OOXML or ODF document rather than a bundle.
fn is_document(ar: &Archive) -> bool {
    if ar
        .file_names_raw()
        .any(|n| n.eq_ignore_ascii_case(b"[Content_Types].xml"))
    {
        return true;
    }
    ar.by_index_data(0)
        .is_ok_and(|e| e.name_raw() == b"mimetype")
}

/// Lists and expands the archive `me` (whose bytes are `src`). On failure
/// `me` itself is listed with the problem.
pub(super) fn expand(ctx: &mut Ctx, me: InputFile, src: Arc<ArchiveSource>) {
    if let Err(e) = ctx.depth_ok(&me) {
        return ctx.push(with_problem(me, e));
    }
    let mut ar = match open(&src) {
        Ok(ar) => ar,
        Err(e) => return ctx.push(with_problem(me, e)),
    };
    if is_document(&ar) {
        return ctx.push(me);
    }
    if ar.len() > ctx.limits.max_entries {
        let e = format!(
            "too many entries: {} (limit {})",
            ar.len(),
            ctx.limits.max_entries
        );
        return ctx.push(with_problem(me, e));
    }
    if ar.has_duplicate_names() {
        // zip keeps one entry per name; say so rather than lose files quietly.
        ctx.fail(
            me.display_path(),
            "archive has several entries with the same name; only one of each is listed".into(),
        );
    }
    let container = me.as_container();
    let mut listed = 0usize;
    for index in 0..ar.len() {
        let (raw, flags, size, csize, encrypted, method) = match ar.by_index_data(index) {
            Ok(e) => (
                e.name_raw().to_vec(),
                e.flags().as_u16(),
                e.size(),
                e.compressed_size(),
                e.encrypted(),
                e.compression(),
            ),
            Err(e) => {
                ctx.fail(
                    format!("{}/#{index}", container.join("/")),
                    format!("corrupt zip entry: {e}"),
                );
                continue;
            }
        };
        // zip 9 has already applied a matching Unicode Path field (0x7075)
        // to `raw` and set the UTF-8 flag, so no extra blob is needed here.
        let decoded = names::decode_entry_name(&raw, flags, None);
        if names::is_dir_name(&decoded) {
            continue;
        }
        listed += 1;
        let mut f = InputFile {
            path: String::new(),
            container: container.clone(),
            size,
            origin: Origin::ZipMember {
                archive: src.clone(),
                index,
            },
            problem: None,
        };
        match names::sanitize(&decoded) {
            Ok(p) => f.path = p,
            Err(r) => {
                f.path = r.display;
                f.problem = Some(format!("refused path: {} in {:?}", r.reason, decoded));
                ctx.push(f);
                continue;
            }
        }
        if let Some(reason) = names::junk_reason(&f.path) {
            ctx.skip(f.display_path(), reason);
            continue;
        }
        f.problem = unsupported(method)
            .or_else(|| declared_problem(ctx.limits, encrypted, size, csize))
            .or_else(|| ctx.charge(size).err());
        if f.problem.is_some() {
            ctx.push(f);
            continue;
        }
        let head = sniff(&mut ar, index);
        if kind_of(&f.path, &head) == Kind::Plain {
            ctx.push(f);
            continue;
        }
        if let Err(e) = ctx.depth_ok(&f) {
            ctx.push(with_problem(f, e));
            continue;
        }
        match read_from(&mut ar, index, ctx.limits) {
            Ok(bytes) => dispatch_memory(ctx, f, Arc::from(bytes)),
            Err(e) => ctx.push(with_problem(f, e)),
        }
    }
    if listed == 0 {
        ctx.skip(me.display_path(), "archive contains no files");
    }
}

/// A compression method this build cannot read (e.g. Deflate64 from
/// Windows Explorer, bzip2, LZMA), reported at listing time.
fn unsupported(method: CompressionMethod) -> Option<String> {
    if SUPPORTED_COMPRESSION_METHODS.contains(&method) {
        None
    } else {
        Some(format!(
            "unsupported zip compression method {method} (only stored and deflate are read)"
        ))
    }
}

fn with_problem(mut f: InputFile, problem: String) -> InputFile {
    f.problem = Some(problem);
    f
}

/// What the central directory alone says is wrong with a member.
fn declared_problem(limits: &Limits, encrypted: bool, size: u64, csize: u64) -> Option<String> {
    if encrypted {
        return Some(ENCRYPTED.to_string());
    }
    if size > limits.max_member_bytes {
        return Some(format!(
            "declared size {size} bytes is over the limit of {} bytes",
            limits.max_member_bytes
        ));
    }
    if size >= limits.ratio_min_size && size as f64 > csize as f64 * limits.max_ratio {
        return Some(format!(
            "compression ratio {:.0}:1 is over the limit of {}:1 (zip bomb)",
            size as f64 / csize.max(1) as f64,
            limits.max_ratio
        ));
    }
    None
}

/// The first bytes of a member (empty when unreadable: reading it later
/// reports the error).
fn sniff(ar: &mut Archive, index: usize) -> Vec<u8> {
    let mut head = Vec::with_capacity(8);
    if let Ok(zf) = ar.by_index(index) {
        let _ = zf.take(8).read_to_end(&mut head);
    }
    head
}

/// Reads member `index`, stopping as soon as it exceeds the size or ratio
/// limit: declared sizes may lie.
fn read_from(ar: &mut Archive, index: usize, limits: &Limits) -> Result<Vec<u8>, String> {
    let zf = ar.by_index(index).map_err(|e| match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
            ENCRYPTED.to_string()
        }
        e => format!("corrupt zip entry: {e}"),
    })?;
    if zf.encrypted() {
        return Err(ENCRYPTED.to_string());
    }
    let csize = zf.compressed_size();
    let max = limits.max_member_bytes;
    // Past `ratio_cap` bytes the ratio limit is broken whatever follows.
    let ratio_cap = ((csize.max(1) as f64 * limits.max_ratio) as u64).max(limits.ratio_min_size);
    let cap = max.min(ratio_cap);
    let mut buf = Vec::with_capacity(zf.size().min(cap).min(64 << 20) as usize);
    zf.take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("corrupt zip entry: {e}"))?;
    let n = buf.len() as u64;
    if n > max {
        return Err(format!(
            "uncompressed data is over the limit of {max} bytes"
        ));
    }
    if n > ratio_cap {
        return Err(format!(
            "compression ratio is over the limit of {}:1 (zip bomb)",
            limits.max_ratio
        ));
    }
    Ok(buf)
}

// Reads member `index` of `src` (see `super::InputFile::read`).
thread_local! {
    /// The archive this thread read from last, parsed. Members of one
    /// archive are read one after another, so keeping its central directory
    /// saves re-parsing it for every member (O(n²) on a 2,000-entry zip).
    /// Keyed by a weak handle: a dropped archive never matches a new one.
    static LAST_ARCHIVE: std::cell::RefCell<Option<(std::sync::Weak<ArchiveSource>, Archive)>> =
        const { std::cell::RefCell::new(None) };
}

pub(super) fn read_member(
    src: &Arc<ArchiveSource>,
    index: usize,
    limits: &Limits,
) -> Result<Vec<u8>, String> {
    LAST_ARCHIVE.with(|cell| {
        let mut cached = cell.borrow_mut();
        let hit = cached
            .as_ref()
            .is_some_and(|(w, _)| w.upgrade().is_some_and(|a| Arc::ptr_eq(&a, src)));
        if !hit {
            *cached = Some((Arc::downgrade(src), open(src)?));
        }
        match cached.as_mut() {
            Some((_, ar)) => read_from(ar, index, limits),
            None => Err("archive not open".into()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_limits() {
        let l = Limits {
            max_member_bytes: 1000,
            ratio_min_size: 100,
            max_ratio: 10.0,
            ..Limits::default()
        };
        assert!(
            declared_problem(&l, true, 1, 1)
                .unwrap()
                .contains("encrypted")
        );
        assert!(
            declared_problem(&l, false, 1001, 1001)
                .unwrap()
                .contains("declared size")
        );
        assert!(
            declared_problem(&l, false, 500, 10)
                .unwrap()
                .contains("ratio")
        );
        assert!(
            declared_problem(&l, false, 500, 0)
                .unwrap()
                .contains("ratio")
        );
        // Small members may compress well.
        assert!(declared_problem(&l, false, 99, 1).is_none());
        assert!(declared_problem(&l, false, 500, 50).is_none());
    }
}
