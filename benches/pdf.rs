//! PDF text-layer speed: the text PDFs of the shared corpus (when present)
//! and the LibreOffice-exported forms of `samples/shandong-2026-pdf`.
//! `scripts/bench-pdf` compares the same files against pdftotext and PyMuPDF,
//! and leaves there the ~150-page LibreOffice document benched here too.

use std::hint::black_box;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use intake::extract::extract;
use intake::model::FileKind;

fn corpus_pdfs() -> Vec<(String, Vec<u8>)> {
    let candidates = [
        std::env::var("INTAKE_SHARED")
            .ok()
            .map(|s| PathBuf::from(s).join("corpus/external/pdf")),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/external/pdf")),
        Some(PathBuf::from("/work/shared/corpus/external/pdf")),
    ];
    let Some(dir) = candidates.into_iter().flatten().find(|p| p.is_dir()) else {
        return Vec::new();
    };
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        // Text PDFs only (poppler's output beside them), as in
        // scripts/bench-pdf: scanned ones would time OCR.
        .filter(|p| p.with_extension("pdf.pdftotext.txt").exists())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&p).ok()?))
        })
        .collect();
    v.sort();
    v
}

/// PDF forms inside the committed sample zips.
fn sample_pdfs() -> Vec<(String, Vec<u8>)> {
    let zip_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shandong-2026-pdf/inbox/山东大学.zip");
    let Ok(bytes) = std::fs::read(zip_path) else {
        return Vec::new();
    };
    let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..z.len() {
        let Ok(mut f) = z.by_index(i) else { continue };
        if f.name_raw().ends_with(b".pdf") {
            let mut buf = Vec::new();
            if f.read_to_end(&mut buf).is_ok() {
                out.push((format!("sample{i}"), buf));
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let corpus = corpus_pdfs();
    if !corpus.is_empty() {
        c.bench_function("pdf/corpus all files", |b| {
            b.iter(|| {
                for (name, bytes) in &corpus {
                    let _ = black_box(extract(bytes, FileKind::Pdf, name));
                }
            })
        });
    }
    let samples = sample_pdfs();
    if let Some((name, bytes)) = samples.first() {
        c.bench_function("pdf/one LibreOffice form", |b| {
            b.iter(|| black_box(extract(bytes, FileKind::Pdf, name)))
        });
    }
    if !samples.is_empty() {
        c.bench_function("pdf/all sample forms of one zip", |b| {
            b.iter(|| {
                for (name, bytes) in &samples {
                    let _ = black_box(extract(bytes, FileKind::Pdf, name));
                }
            })
        });
    }
}

fn bench_long(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-pdf/long.pdf");
    if let Ok(bytes) = std::fs::read(path) {
        c.bench_function("pdf/long LibreOffice document", |b| {
            b.iter(|| black_box(extract(&bytes, FileKind::Pdf, "long.pdf")))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench, bench_long
}
criterion_main!(benches);
