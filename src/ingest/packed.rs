//! Packed: `.7z` (sevenz-rust2) and `.rar` (rars, RAR 1.3–7) archives.
//! Unlike zip, their members are decoded in one pass (solid blocks allow
//! nothing else) and held in memory, under the zip limits: entry count,
//! member size, compression ratio (over the whole archive, since a solid
//! block has no per-member packed size), depth and refused paths. Names are
//! UTF-8 where the format says so (7z always, RAR5, RAR4's Unicode name),
//! else GBK. An encrypted archive or entry is refused with that reason.

use std::io::{Cursor, Read, Write};
use std::sync::{Arc, Mutex};

use super::{Ctx, InputFile, Kind, Limits, Origin, dispatch_memory, kind_of, names};

/// Which packed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    SevenZ,
    Rar,
}

impl Format {
    pub(super) fn sniff(head: &[u8]) -> Option<Format> {
        if head.starts_with(b"7z\xBC\xAF\x27\x1C") {
            Some(Format::SevenZ)
        } else if head.starts_with(b"Rar!\x1A\x07") {
            Some(Format::Rar)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::SevenZ => "7z",
            Format::Rar => "rar",
        }
    }
}

/// One member as listed and decoded.
struct Member {
    name: String,
    declared: u64,
    data: Result<Vec<u8>, String>,
}

/// Expands the archive `me` whose bytes are `bytes`. On failure `me` itself
/// is listed with the problem.
pub(super) fn expand(ctx: &mut Ctx, me: InputFile, bytes: &[u8], format: Format) {
    if let Err(e) = ctx.depth_ok(&me) {
        return ctx.push(with_problem(me, e));
    }
    let budget = Budget::new(ctx.limits, bytes.len() as u64);
    // A decoder's panic on a hostile archive costs this archive only.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::SevenZ => read_7z(bytes, ctx.limits, &budget),
        Format::Rar => read_rar(bytes, ctx.limits, &budget),
    }))
    .unwrap_or_else(|_| {
        Err(format!(
            "corrupt {} archive (decoder failed)",
            format.name()
        ))
    });
    let members = match read {
        Ok(m) => m,
        Err(e) => return ctx.push(with_problem(me, e)),
    };
    let container = me.as_container();
    let mut listed = 0usize;
    for m in members {
        if names::is_dir_name(&m.name) {
            continue;
        }
        listed += 1;
        let mut f = InputFile {
            path: String::new(),
            container: container.clone(),
            size: m.declared,
            origin: Origin::Memory(Arc::from(Vec::new())),
            problem: None,
        };
        match names::sanitize(&m.name) {
            Ok(p) => f.path = p,
            Err(r) => {
                f.path = r.display;
                f.problem = Some(format!("refused path: {} in {:?}", r.reason, m.name));
                ctx.push(f);
                continue;
            }
        }
        if let Some(reason) = names::junk_reason(&f.path) {
            ctx.skip(f.display_path(), reason);
            continue;
        }
        let data = match m.data {
            Ok(d) => d,
            Err(e) => {
                ctx.push(with_problem(f, e));
                continue;
            }
        };
        f.size = data.len() as u64;
        if let Err(e) = ctx.charge(f.size) {
            ctx.push(with_problem(f, e));
            continue;
        }
        let data: Arc<[u8]> = Arc::from(data);
        f.origin = Origin::Memory(data.clone());
        if kind_of(&f.path, &data) == Kind::Plain {
            ctx.push(f);
        } else if let Err(e) = ctx.depth_ok(&f) {
            ctx.push(with_problem(f, e));
        } else {
            dispatch_memory(ctx, f, data);
        }
    }
    if listed == 0 {
        ctx.skip(me.display_path(), "archive contains no files");
    }
}

fn with_problem(mut f: InputFile, problem: String) -> InputFile {
    f.problem = Some(problem);
    f.origin = Origin::Memory(Arc::from(Vec::new()));
    f
}

/// Bytes one archive may still produce: per member `max_member_bytes`, in
/// all `max_ratio` × the archive's size (at least `ratio_min_size`).
struct Budget {
    member_max: u64,
    total_max: u64,
    used: Mutex<u64>,
}

impl Budget {
    fn new(limits: &Limits, packed: u64) -> Budget {
        let total = ((packed.max(1) as f64 * limits.max_ratio) as u64).max(limits.ratio_min_size);
        Budget {
            member_max: limits.max_member_bytes,
            total_max: total,
            used: Mutex::new(0),
        }
    }

    /// Takes `n` more bytes; the error names the limit broken.
    fn take(&self, member_so_far: u64, n: u64) -> Result<(), String> {
        if member_so_far.saturating_add(n) > self.member_max {
            return Err(format!(
                "larger than the limit of {} bytes",
                self.member_max
            ));
        }
        let mut used = self.used.lock().map_err(|_| "internal lock".to_string())?;
        *used = used.saturating_add(n);
        if *used > self.total_max {
            return Err(format!(
                "archive inflates past {} bytes, over the compression ratio limit (archive bomb)",
                self.total_max
            ));
        }
        Ok(())
    }
}

const ENCRYPTED_7Z: &str = "encrypted (password-protected) 7z archive";
const ENCRYPTED_RAR: &str = "encrypted (password-protected) rar archive";

fn read_7z(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<Vec<Member>, String> {
    use sevenz_rust2::{ArchiveReader, EntryDecision, Error, Password};
    let explain = |e: Error| -> String {
        let text = e.to_string();
        let lower = text.to_ascii_lowercase();
        if matches!(e, Error::PasswordRequired)
            || lower.contains("aes")
            || lower.contains("password")
        {
            ENCRYPTED_7Z.to_string()
        } else {
            format!("corrupt 7z archive: {text}")
        }
    };
    // Dictionaries up to 256 MiB (7-Zip's -mx9 uses 64 MiB).
    let mut ar =
        ArchiveReader::new_with_memory_limit(Cursor::new(bytes), Password::empty(), 256 * 1024)
            .map_err(explain)?;
    ar.set_thread_count(1);
    let n = ar.archive().files.len();
    if n > limits.max_entries {
        return Err(format!(
            "too many entries: {n} (limit {})",
            limits.max_entries
        ));
    }
    let mut out: Vec<Member> = Vec::new();
    let mut fatal: Option<String> = None;
    let mut cut_short = false;
    let result = ar.for_each_entries_with_decision(|entry, reader| {
        let mut m = Member {
            name: if entry.is_directory {
                format!("{}/", entry.name)
            } else {
                entry.name.clone()
            },
            declared: entry.size,
            data: Ok(Vec::new()),
        };
        let mut decision = EntryDecision::Continue;
        if !entry.is_directory {
            m.data = read_bounded(reader, budget);
            if let Err(e) = &m.data {
                // Never drain an over-limit member (its declared size may
                // be anything): give up the rest of its block instead.
                cut_short = true;
                decision = if e.contains("archive bomb") {
                    fatal = Some(e.clone());
                    EntryDecision::Stop
                } else {
                    EntryDecision::SkipBlock
                };
            }
        }
        out.push(m);
        Ok(decision)
    });
    if let Some(e) = fatal {
        return Err(e);
    }
    let failure = result.err().map(explain);
    if let Some(e) = &failure
        && (e == ENCRYPTED_7Z || out.is_empty())
    {
        return Err(e.clone());
    }
    if failure.is_some() || cut_short {
        // Members never reached (after damage, or after an over-limit
        // member in the same solid block) are listed with the reason.
        let why = failure.unwrap_or_else(|| {
            "not read: an earlier member of its solid block was over a limit".to_string()
        });
        let seen: std::collections::HashSet<String> = out.iter().map(|m| m.name.clone()).collect();
        for f in &ar.archive().files {
            if f.is_directory || !f.has_stream || seen.contains(&f.name) {
                continue;
            }
            out.push(Member {
                name: f.name.clone(),
                declared: f.size,
                data: Err(why.clone()),
            });
        }
    }
    Ok(out)
}

/// Reads a member through the budget, stopping at the first byte over it.
fn read_bounded(reader: &mut dyn Read, budget: &Budget) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| format!("corrupt archive entry: {e}"))?;
        if n == 0 {
            return Ok(data);
        }
        budget.take(data.len() as u64, n as u64)?;
        data.extend_from_slice(&buf[..n]);
    }
}

/// A `Write` into a shared buffer, under the archive's budget.
struct Sink {
    buf: Arc<Mutex<Vec<u8>>>,
    budget: Arc<Budget>,
    error: Arc<Mutex<Option<String>>>,
}

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let mut buf = self.buf.lock().map_err(|_| std::io::Error::other("lock"))?;
        if let Err(e) = self.budget.take(buf.len() as u64, b.len() as u64) {
            if let Ok(mut slot) = self.error.lock() {
                *slot = Some(e.clone());
            }
            return Err(std::io::Error::other(e));
        }
        buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn read_rar(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<Vec<Member>, String> {
    use rars::{ArchiveReadOptions, ArchiveReader, ExtractionDecision};
    let explain = |e: rars::Error| -> String {
        let text = e.to_string();
        let lower = text.to_ascii_lowercase();
        if lower.contains("password") || lower.contains("encrypt") {
            ENCRYPTED_RAR.to_string()
        } else {
            format!("corrupt rar archive: {text}")
        }
    };
    let options = || {
        ArchiveReadOptions::new()
            .with_max_header_count(limits.max_entries as u64 * 2 + 16)
            .with_max_member_output_bytes(limits.max_member_bytes)
            .with_rar50_dictionary_size_limit(256 << 20)
    };
    let ar = ArchiveReader::read_with_options(bytes, options()).map_err(explain)?;
    let listed: Vec<rars::ArchiveMember> = ar.members().collect();
    if listed.len() > limits.max_entries {
        return Err(format!(
            "too many entries: {} (limit {})",
            listed.len(),
            limits.max_entries
        ));
    }
    if !listed.is_empty() && listed.iter().all(|m| m.meta.is_encrypted) {
        return Err(ENCRYPTED_RAR.to_string());
    }
    let budget = Arc::new(Budget {
        member_max: budget.member_max,
        total_max: budget.total_max,
        used: Mutex::new(0),
    });
    let error: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let mut buffers: Vec<Option<Arc<Mutex<Vec<u8>>>>> = Vec::new();
    let mut out: Vec<Member> = Vec::new();
    let result = ar.extract_with_control(options(), |m| {
        let raw = m
            .decoded_name(None)
            .map(|c| c.into_owned())
            .unwrap_or_else(|_| m.meta.name.clone());
        let mut name = if m.name_is_unicode() {
            String::from_utf8_lossy(&raw).into_owned()
        } else {
            names::decode_bytes(&raw)
        };
        if m.meta.is_directory {
            name.push('/');
        }
        let skip = |why: &str,
                    out: &mut Vec<Member>,
                    buffers: &mut Vec<_>|
         -> rars::Result<ExtractionDecision> {
            out.push(Member {
                name: name.clone(),
                declared: m.meta.unpacked_size,
                data: Err(why.to_string()),
            });
            buffers.push(None);
            Ok(ExtractionDecision::Skip)
        };
        if m.meta.is_directory || m.meta.is_redirection {
            return skip("not a file", &mut out, &mut buffers);
        }
        if m.meta.is_encrypted {
            return skip(
                "encrypted (password-protected) rar entry",
                &mut out,
                &mut buffers,
            );
        }
        if m.meta.is_split_before || m.meta.is_split_after {
            return skip(
                "split across volumes of a multi-part rar (only one part was sent)",
                &mut out,
                &mut buffers,
            );
        }
        if m.meta.unpacked_size > limits.max_member_bytes {
            let why = format!(
                "declared size {} bytes is over the limit of {} bytes",
                m.meta.unpacked_size, limits.max_member_bytes
            );
            return skip(&why, &mut out, &mut buffers);
        }
        let buf = Arc::new(Mutex::new(Vec::new()));
        out.push(Member {
            name,
            declared: m.meta.unpacked_size,
            data: Ok(Vec::new()),
        });
        buffers.push(Some(buf.clone()));
        Ok(ExtractionDecision::Extract(Box::new(Sink {
            buf,
            budget: budget.clone(),
            error: error.clone(),
        })))
    });
    if let Ok(slot) = error.lock()
        && let Some(e) = slot.as_ref()
        && e.contains("archive bomb")
    {
        return Err(e.clone());
    }
    // A failure belongs to the member being written when it happened: the
    // last one opened. Members before it are complete.
    let failure = result.err().map(explain);
    if let Some(e) = &failure
        && (out.is_empty() || e == ENCRYPTED_RAR)
    {
        return Err(e.clone());
    }
    let last_open = buffers.iter().rposition(Option::is_some);
    for (i, (m, buf)) in out.iter_mut().zip(buffers.iter()).enumerate() {
        let Some(buf) = buf else { continue };
        if let (Some(e), Some(last)) = (&failure, last_open)
            && i == last
        {
            m.data = Err(e.clone());
            continue;
        }
        let taken = buf.lock().map(|mut b| std::mem::take(&mut *b));
        m.data = taken.map_err(|_| "internal lock".to_string());
    }
    // Members never reached (after a failure) are not in `out`: name them.
    if let Some(e) = &failure {
        for m in listed.iter().skip(out.len()) {
            out.push(Member {
                name: names::decode_bytes(&m.meta.name),
                declared: m.meta.unpacked_size,
                data: Err(e.clone()),
            });
        }
    }
    Ok(out
        .into_iter()
        .filter(|m| m.data.as_ref().err().is_none_or(|e| e != "not a file"))
        .collect())
}
