//! OCR speed on the committed scanned A4 pages (samples/scanned: 150-dpi
//! JPEG forms, skewed, blurred, some turned, some sealed).
//!
//! First a CPU-time report, one thread, engine warmed up: CPU seconds
//! (user+sys of this thread, so other work on a shared machine does not
//! count) for each page image file → document (the full path: decode,
//! orientation, deskew, tables, cell OCR, seals), the mean per page, the
//! time per stage, and seconds per seal (find + read). Then criterion's
//! wall-clock benches of one sealed page and of its seal.
//!
//! Beside them, real scans written by others, from
//! `../shared/corpus/external` (skipped when absent): the 8 CCITT book
//! pages of `small_ocr.pdf`, a phone photo of a sealed notice and a 300-dpi
//! red-header A4 scan with two seals. `scripts/bench-ocr` compares
//! `small_ocr.pdf` with `pdftoppm` + the `tesseract` command in one run.
//! `OCR_BENCH_CPU_ONLY=1` skips criterion. Target: ≤ 2 s per page per core.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;
use intake::model::FileKind;
use intake::ocr::profile;

/// The committed scanned pages, in file-name order (1., 2., …).
fn pages() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/scanned/inbox");
    let Some(sub) = std::fs::read_dir(&dir)
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
    else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(sub.path())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, std::fs::read(e.path()).ok()?))
        })
        .collect();
    let num = |n: &str| {
        n.split('.')
            .next()
            .and_then(|k| k.parse::<u32>().ok())
            .unwrap_or(0)
    };
    out.sort_by_key(|(n, _)| num(n));
    out
}

/// CPU seconds of this thread.
fn cpu() -> f64 {
    profile::thread_cpu_ns().unwrap_or(0) as f64 / 1e9
}

/// User+sys CPU seconds of the whole process (all threads, so any
/// helper threads of tesseract's count too).
fn process_cpu() -> f64 {
    // SAFETY: getrusage fills the zeroed struct we own.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let s = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    s(ru.ru_utime) + s(ru.ru_stime)
}

fn cpu_report(pages: &[(String, Vec<u8>)]) {
    // Warm-up: loads the engine (once per thread in production too).
    let _ = intake::extract::page::extract_image(&pages[0].1, "warm.jpg");
    profile::take();
    profile::enable(true);
    let p0 = process_cpu();
    let mut total = 0.0;
    for (name, bytes) in pages {
        let t = cpu();
        let doc = intake::extract::page::extract_image(black_box(bytes), name);
        let dt = cpu() - t;
        total += dt;
        let seals = doc.as_ref().map(|d| d.seals.len()).unwrap_or(0);
        println!(
            "ocr cpu: {dt:5.2} s  {} seal(s)  {}",
            seals,
            name.chars().take(24).collect::<String>()
        );
    }
    let n = pages.len() as f64;
    println!(
        "ocr cpu: {:.2} s per scanned A4 page (mean of {} pages, CPU time of the calling thread; whole process user+sys: {:.2} s per page)",
        total / n,
        pages.len(),
        (process_cpu() - p0) / n
    );
    for (stage, secs) in profile::take() {
        println!("ocr cpu:   {stage:<14} {:5.3} s per page", secs / n);
    }
    profile::enable(false);
    // Seals alone: find + read, on the page images as decoded.
    let (mut secs, mut seals) = (0.0, 0usize);
    for (_, bytes) in pages {
        let Ok(img) = image::load_from_memory(bytes) else {
            continue;
        };
        let t = cpu();
        let found = intake::seal::detect(black_box(&img), 1, 150.0).len();
        secs += cpu() - t;
        seals += found;
    }
    println!(
        "ocr cpu: {:.2} s per seal ({seals} seals on {} pages, {:.2} s per page for seal search and reading)",
        secs / seals.max(1) as f64,
        pages.len(),
        secs / n
    );
}

/// CPU seconds per page of the real scans as the CLI reads them (a PDF
/// through the PDF reader, an image file through OCR): user+sys of the
/// whole process, since a PDF's pages are read on several threads.
fn real_report() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/external");
    if !root.is_dir() {
        println!("ocr cpu (real scans): skipped, ../shared/corpus/external not found");
        return;
    }
    let pdf = root.join("pdf/small_ocr.pdf");
    if let Ok(bytes) = std::fs::read(&pdf) {
        let t = process_cpu();
        let doc = intake::extract::extract(black_box(&bytes), FileKind::Pdf, "small_ocr.pdf");
        let dt = process_cpu() - t;
        let pages = doc.as_ref().ok().and_then(|d| d.pages).unwrap_or(1).max(1);
        println!(
            "ocr cpu (real scans): {:5.2} s per page  small_ocr.pdf ({pages} CCITT book pages, {:.1} s in all)",
            dt / pages as f64,
            dt
        );
    }
    for (name, what) in [
        (
            "seal-images/ias_seal_0.png",
            "phone photo of a sealed notice",
        ),
        ("seal-images/ias_seal_1.jpg", "300-dpi A4 scan, two seals"),
    ] {
        let Ok(bytes) = std::fs::read(root.join(name)) else {
            continue;
        };
        profile::take();
        profile::enable(true);
        let t = process_cpu();
        let doc = intake::extract::page::extract_image(black_box(&bytes), name);
        let dt = process_cpu() - t;
        profile::enable(false);
        let seals = doc.as_ref().map(|d| d.seals.len()).unwrap_or(0);
        println!("ocr cpu (real scans): {dt:5.2} s per page  {name} ({what}; {seals} seal(s))");
        let stages: Vec<String> = profile::take()
            .into_iter()
            .filter(|(_, secs)| *secs >= 0.01)
            .map(|(stage, secs)| format!("{stage} {secs:.2}"))
            .collect();
        println!("ocr cpu (real scans):   {}", stages.join(", "));
    }
}

fn main() {
    let pages = pages();
    if pages.is_empty() {
        println!("skipped: samples/scanned not found");
        return;
    }
    cpu_report(&pages);
    real_report();
    if std::env::var_os("OCR_BENCH_CPU_ONLY").is_some() {
        return;
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut g = c.benchmark_group("ocr");
    let sealed = &pages[0].1;
    g.bench_function("scanned A4 page (image file → document)", |b| {
        b.iter(|| {
            intake::extract::page::extract_image(black_box(sealed), "page.jpg")
                .map(|d| d.blocks.len())
        })
    });
    if let Ok(img) = image::load_from_memory(sealed) {
        g.bench_function("seal (find + read, one per page)", |b| {
            b.iter(|| intake::seal::detect(black_box(&img), 1, 150.0).len())
        });
    }
    g.finish();
    c.final_summary();
}
