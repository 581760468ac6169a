//! Extraction in worker processes with hard limits (like Apache Tika's
//! ForkParser). This module owns the pool of workers, the protocol between
//! the parent and a worker, and the worker's own loop.
//!
//! A worker is this same binary re-executed as `intake __worker`. It puts
//! an address-space limit (RLIMIT_AS) on itself, then reads requests on
//! stdin and answers on stdout, one file at a time, until stdin closes.
//! Before each file it moves its CPU-time limit (RLIMIT_CPU) to what it has
//! used plus the file's allowance. The parent kills (SIGKILL) a worker
//! that overruns the file's wall-clock limit, and replaces any worker that
//! died; that file gets the reason (out of memory, time limit, crash) and
//! the batch goes on. Workers are killed when the pool is dropped, and
//! die with the parent (PR_SET_PDEATHSIG).
//!
//! Frames are a u64 little-endian length and that many bytes. A request
//! is a CBOR header ([`Request`]) then the file's raw bytes; a reply is one
//! CBOR [`Reply`]. CBOR rather than JSON: the model holds f32s that may be
//! NaN, which JSON cannot carry.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::extract;
use crate::model::{Document, FileKind};

/// The hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "__worker";

/// Address space a worker may map by default: far above what any real
/// form needs, far below what takes the machine down.
pub const DEFAULT_MEMORY_MB: u64 = 3 * 1024;

/// Largest reply accepted from a worker (a document's model).
const MAX_REPLY: u64 = 1 << 30;

/// How the workers are started and limited.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `intake` binary to re-execute.
    pub exe: PathBuf,
    /// Workers at most (files read at once).
    pub workers: usize,
    /// Rayon threads inside each worker (OCR pages of one PDF in parallel).
    pub threads: usize,
    /// RLIMIT_AS of each worker, in MiB.
    pub memory_mb: u64,
    /// Wall-clock limit per file; CPU time per file is this times `threads`.
    pub file_timeout: Duration,
    /// OCR scanned PDF pages (off: they stay in `needs_ocr`; the fuzz
    /// harness reads thousands of broken PDFs).
    pub ocr: bool,
}

#[derive(Serialize, Deserialize)]
struct Request {
    kind: FileKind,
    source: String,
    ocr: bool,
}

#[derive(Serialize, Deserialize)]
enum Reply {
    /// The document, and its seals' crops in order (the model does not
    /// serialize them).
    Doc(Box<Document>, Vec<Vec<u8>>),
    Error(String),
}

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)
}

/// One frame, or `None` at a clean end of stream.
fn read_frame(r: &mut impl Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("frame of {len} bytes"),
        ));
    }
    let mut buf = Vec::new();
    r.take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(buf))
}

fn to_cbor<T: Serialize>(v: &T) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(v, &mut out).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(out)
}

fn from_cbor<T: for<'de> Deserialize<'de>>(b: &[u8]) -> io::Result<T> {
    ciborium::from_reader(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
}

// ------------------------------------------------------------- the worker

/// The worker's main loop: limits itself, then reads files until stdin
/// closes. Must run before any other thread starts (it builds the global
/// rayon pool).
pub fn serve(threads: usize, memory_mb: u64, cpu_seconds: u64) -> io::Result<()> {
    die_with_parent();
    set_limit(libc::RLIMIT_AS, memory_mb.saturating_mul(1024 * 1024));
    // The global pool is this worker's only pool: its OCR stays within
    // the share of `--jobs` the parent gave it.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build_global();
    let mut input = BufReader::new(io::stdin().lock());
    let mut output = BufWriter::new(io::stdout().lock());
    while let Some(header) = read_frame(&mut input, 1 << 20)? {
        let req: Request = from_cbor(&header)?;
        let Some(bytes) = read_frame(&mut input, u64::MAX)? else {
            return Ok(());
        };
        // CPU time is cumulative: allow this file its share from here.
        set_cpu_limit(cpu_seconds);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let opts = extract::Options {
                ocr_scanned_pdf_pages: req.ocr,
            };
            extract::extract_with(&bytes, req.kind, &req.source, &opts)
        }));
        drop(bytes);
        let reply = match result {
            Ok(Ok(mut doc)) => {
                let crops = doc
                    .seals
                    .iter_mut()
                    .map(|s| std::mem::take(&mut s.crop_png))
                    .collect();
                Reply::Doc(Box::new(doc), crops)
            }
            Ok(Err(e)) => Reply::Error(e.to_string()),
            Err(panic) => Reply::Error(format!(
                "reader failed on this file (internal error: {})",
                panic_message(&panic)
            )),
        };
        write_frame(&mut output, &to_cbor(&reply)?)?;
        output.flush()?;
    }
    Ok(())
}

pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into())
}

fn die_with_parent() {
    // SAFETY: prctl with PR_SET_PDEATHSIG only sets a flag on this process.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        // The parent may have died before the flag was set.
        if libc::getppid() == 1 {
            libc::_exit(0);
        }
    }
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) {
    let lim = libc::rlimit {
        rlim_cur: value as libc::rlim_t,
        rlim_max: value as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct we pass; failure leaves the
    // limit as it was (the parent's time limit still applies).
    unsafe {
        libc::setrlimit(resource, &lim);
    }
}

/// Soft CPU limit at what this process has used plus `seconds`: SIGXCPU
/// ends the worker when one file overruns it.
fn set_cpu_limit(seconds: u64) {
    // SAFETY: getrusage/setrlimit only read and write the structs given.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return;
        }
        let used = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) as u64 + 1;
        let lim = libc::rlimit {
            rlim_cur: used.saturating_add(seconds) as libc::rlim_t,
            rlim_max: libc::RLIM_INFINITY,
        };
        libc::setrlimit(libc::RLIMIT_CPU, &lim);
    }
}

// ------------------------------------------------------------- the parent

/// What a worker sends back, or how it ended.
enum Outcome {
    Frame(Vec<u8>),
    Closed,
}

struct Worker {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    replies: Receiver<Outcome>,
    /// The end of the worker's stderr (why it aborted).
    stderr: Arc<Mutex<String>>,
}

impl Worker {
    fn spawn(cfg: &Config) -> io::Result<Worker> {
        let cpu = cfg.file_timeout.as_secs().max(1) * cfg.threads.max(1) as u64 + 5;
        let mut child = Command::new(&cfg.exe)
            .arg(WORKER_COMMAND)
            .arg(cfg.threads.max(1).to_string())
            .arg(cfg.memory_mb.to_string())
            .arg(cpu.to_string())
            // Tesseract's OpenMP threads would go past the worker's share;
            // libgomp reads this when it is loaded.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(mut err)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("worker pipes missing"));
        };
        let (tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("worker-out".into())
            .spawn(move || {
                let mut r = BufReader::new(stdout);
                loop {
                    let out = match read_frame(&mut r, MAX_REPLY) {
                        Ok(Some(f)) => Outcome::Frame(f),
                        Ok(None) | Err(_) => Outcome::Closed,
                    };
                    let closed = matches!(out, Outcome::Closed);
                    if tx.send(out).is_err() || closed {
                        return;
                    }
                }
            })?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let tail = stderr.clone();
        std::thread::Builder::new()
            .name("worker-err".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = err.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    if let Ok(mut t) = tail.lock() {
                        t.push_str(&String::from_utf8_lossy(&buf[..n]));
                        if t.len() > 8192 {
                            let cut = t.len() - 4096;
                            let cut = (cut..t.len()).find(|&i| t.is_char_boundary(i)).unwrap_or(0);
                            t.drain(..cut);
                        }
                    }
                }
            })?;
        Ok(Worker {
            child,
            stdin: Some(BufWriter::new(stdin)),
            replies,
            stderr,
        })
    }

    /// Sends one file and waits for its reply. `Err` means the worker is
    /// gone or must go (the reason is the file's error).
    fn run(
        &mut self,
        bytes: &[u8],
        kind: FileKind,
        source: &str,
        cfg: &Config,
    ) -> Result<Result<Document, String>, String> {
        let header = to_cbor(&Request {
            kind,
            source: source.to_string(),
            ocr: cfg.ocr,
        })
        .map_err(|e| e.to_string())?;
        let sent = match self.stdin.as_mut() {
            Some(w) => write_frame(w, &header)
                .and_then(|_| write_frame(w, bytes))
                .and_then(|_| w.flush()),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        };
        if sent.is_err() {
            return Err(self.death_reason(cfg));
        }
        match self.replies.recv_timeout(cfg.file_timeout) {
            Ok(Outcome::Frame(f)) => match from_cbor::<Reply>(&f) {
                Ok(Reply::Doc(mut doc, crops)) => {
                    for (seal, crop) in doc.seals.iter_mut().zip(crops) {
                        seal.crop_png = crop;
                    }
                    Ok(Ok(*doc))
                }
                Ok(Reply::Error(e)) => Ok(Err(e)),
                Err(e) => Err(format!("reader's reply unreadable ({e})")),
            },
            Ok(Outcome::Closed) | Err(RecvTimeoutError::Disconnected) => {
                Err(self.death_reason(cfg))
            }
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                Err(format!(
                    "time limit: reading took longer than {} s; stopped",
                    cfg.file_timeout.as_secs()
                ))
            }
        }
    }

    /// Why the worker ended, after waiting for it.
    fn death_reason(&mut self, cfg: &Config) -> String {
        self.stdin = None;
        let status = wait_briefly(&mut self.child);
        let tail = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
        let oom = tail.contains("memory allocation")
            || tail.contains("bad_alloc")
            || tail.contains("out of memory")
            || tail.contains("capacity overflow");
        use std::os::unix::process::ExitStatusExt;
        let signal = status.and_then(|s| s.signal());
        if oom {
            format!("out of memory: the reader went past {} MiB", cfg.memory_mb)
        } else if signal == Some(libc::SIGXCPU) {
            "time limit: the reader used up its CPU time".into()
        } else if let Some(sig) = signal {
            format!("the reader crashed on this file (signal {sig})")
        } else {
            let last = tail.lines().last().unwrap_or("").trim().to_string();
            format!("the reader stopped without a result {last}")
                .trim()
                .to_string()
        }
    }

    fn kill(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits up to two seconds for a worker that is exiting; kills it after.
fn wait_briefly(child: &mut Child) -> Option<std::process::ExitStatus> {
    for _ in 0..200 {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => return None,
        }
    }
    let _ = child.kill();
    child.wait().ok()
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin ends an idle worker; kill covers a busy or stuck one.
        self.stdin = None;
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Up to `cfg.workers` workers, started on demand and reused across files.
pub struct Pool {
    cfg: Config,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    pub fn new(cfg: Config) -> Pool {
        Pool {
            cfg,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Extracts one file in a worker. The caller bounds concurrency (at
    /// most `cfg.workers` callers at once).
    pub fn extract(&self, bytes: &[u8], kind: FileKind, source: &str) -> Result<Document, String> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        let mut worker = match idle {
            Some(w) => w,
            None => Worker::spawn(&self.cfg)
                .map_err(|e| format!("could not start a reader process: {e}"))?,
        };
        match worker.run(bytes, kind, source, &self.cfg) {
            Ok(result) => {
                if let Ok(mut v) = self.idle.lock() {
                    v.push(worker);
                }
                result
            }
            // The worker is dropped (killed and reaped); the next file
            // starts a fresh one.
            Err(reason) => Err(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_refuse_oversize() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"abc").unwrap();
        write_frame(&mut buf, b"").unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r, 10).unwrap().unwrap(), b"abc");
        assert_eq!(read_frame(&mut r, 10).unwrap().unwrap(), b"");
        assert!(read_frame(&mut r, 10).unwrap().is_none());
        let mut r = &buf[..];
        assert!(read_frame(&mut r, 2).is_err());
        let mut r = &buf[..9];
        assert!(read_frame(&mut r, 10).is_err());
    }

    #[test]
    fn a_document_survives_cbor() {
        let mut doc = Document::new("a.docx", FileKind::Docx);
        doc.blocks
            .push(crate::model::Block::Table(crate::model::Table {
                index: 1,
                n_rows: 1,
                n_cols: 1,
                rows: vec![vec![crate::model::Cell {
                    text: "x".into(),
                    row_span: 1,
                    col_span: 1,
                    ..Default::default()
                }]],
                ..Default::default()
            }));
        // Style-only heading: its empty numbering is left out on the wire.
        doc.outline.push(crate::model::Heading {
            title: "总则".into(),
            end: 1,
            ..Default::default()
        });
        doc.seals.push(crate::model::SealMark {
            confidence: f32::NAN,
            ..Default::default()
        });
        let reply = Reply::Doc(Box::new(doc.clone()), vec![vec![1, 2]]);
        let back: Reply = from_cbor(&to_cbor(&reply).unwrap()).unwrap();
        let Reply::Doc(got, crops) = back else {
            panic!("not a document")
        };
        assert_eq!(got.blocks, doc.blocks);
        assert_eq!(got.outline, doc.outline);
        assert!(got.seals[0].confidence.is_nan());
        assert_eq!(crops, vec![vec![1, 2]]);
    }
}
