//! A small mutation fuzzer on stable Rust: real files (the sample
//! batches' documents, plus `../shared/corpus/external` when present) are
//! mutated — bytes flipped, truncated, one zip member's inflated bytes
//! flipped — and read by the extractors inside worker processes under
//! their limits. A worker that crashes, runs out of memory or overruns is
//! a finding: the input is saved under `target/fuzz-crashes/` to become a
//! regression test.
//!
//! The default run is short (`FUZZ_SECONDS`, default 40 s) for CI;
//! `cargo test --test fuzz -- --ignored` runs the long mode (3 minutes).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod hostile;

use intake::classify;
use intake::ingest::{self, Limits};
use intake::model::FileKind;
use intake::worker::{Config, Pool};

/// xorshift64*: deterministic, so a failing run can be repeated by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Documents to mutate: every readable document of the sample inboxes and
/// of the external corpus (not images: OCR makes each run seconds long).
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(root.join("samples"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path().join("inbox"))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    for sub in ["docx", "xlsx", "pdf", "other", "zip"] {
        for base in [
            root.join("../shared/corpus/external"),
            PathBuf::from("/work/shared/corpus/external"),
        ] {
            let p = base.join(sub);
            if p.is_dir() {
                inputs.push(p);
                break;
            }
        }
    }
    inputs.sort();
    let limits = Limits::default();
    // The files that once took batches down, to mutate around their caps.
    let mut out = vec![
        ("far.xlsx".to_string(), hostile::xlsx_far_corner()),
        ("counter.docx".to_string(), hostile::docx_huge_counter()),
        ("loop.doc".to_string(), hostile::doc_difat_loop()),
    ];
    for f in ingest::collect(&inputs, &limits).files {
        let Ok(bytes) = f.read(&limits) else { continue };
        let kind = classify::sniff(&bytes, &f.path);
        if matches!(
            kind,
            FileKind::Docx | FileKind::Xlsx | FileKind::Pdf | FileKind::Ole
        ) {
            out.push((f.display_path(), bytes));
        }
    }
    out
}

fn mutate(rng: &mut Rng, b: &[u8]) -> Vec<u8> {
    let mut m = b.to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..=rng.below(16) {
                let i = rng.below(m.len());
                if let Some(x) = m.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
        }
        1 => m.truncate(rng.below(m.len())),
        2 => {
            // A run of bytes overwritten with a "large" value.
            let i = rng.below(m.len());
            for k in i..(i + 8).min(m.len()) {
                m[k] = if rng.below(2) == 0 { 0xFF } else { b'9' };
            }
        }
        _ => {
            if let Some(z) = mutate_zip_member(rng, b) {
                return z;
            }
            m.reverse();
            m.truncate(64);
        }
    }
    m
}

/// The package rewritten with one member's inflated bytes mutated: what
/// a byte flip in compressed data never reaches.
fn mutate_zip_member(rng: &mut Rng, b: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(b)).ok()?;
    let victim = rng.below(zip.len());
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut data = Vec::new();
        f.by_ref().take(64 << 20).read_to_end(&mut data).ok()?;
        if i == victim && !data.is_empty() {
            for _ in 0..=rng.below(8) {
                let j = rng.below(data.len());
                data[j] = match rng.below(3) {
                    0 => b'9',
                    1 => b'<',
                    _ => data[j] ^ 0x20,
                };
            }
            if rng.below(3) == 0 {
                data.truncate(rng.below(data.len()));
            }
        }
        out.start_file(name, opts).ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fn run(budget: Duration, seed: u64) {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no seed documents found");
    let pool = Pool::new(Config {
        exe: PathBuf::from(env!("CARGO_BIN_EXE_intake")),
        workers: 1,
        threads: 1,
        memory_mb: 1024,
        file_timeout: Duration::from_secs(20),
        ocr: false,
    });
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let mut runs = 0usize;
    let mut found = Vec::new();
    while start.elapsed() < budget {
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let m = mutate(&mut rng, bytes);
        let kind = classify::sniff(&m, name);
        runs += 1;
        if let Err(e) = pool.extract(&m, kind, name)
            && (e.contains("crashed")
                || e.contains("out of memory")
                || e.contains("time limit")
                || e.contains("internal error")
                || e.contains("stopped without"))
        {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{seed}-{runs}-{}", name.replace('/', "_")));
            let _ = std::fs::write(&file, &m);
            found.push(format!("{}: {e}", file.display()));
        }
    }
    println!(
        "fuzz: {runs} mutated files from {} seeds in {:?}, {} findings",
        seeds.len(),
        start.elapsed(),
        found.len()
    );
    assert!(
        found.is_empty(),
        "readers failed hard:\n{}",
        found.join("\n")
    );
}

#[test]
fn short_fuzz_run() {
    let secs = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    run(Duration::from_secs(secs), seed);
}

#[test]
#[ignore = "long mode: cargo test --test fuzz -- --ignored"]
fn long_fuzz_run() {
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    println!("seed {seed}");
    run(Duration::from_secs(180), seed);
}
