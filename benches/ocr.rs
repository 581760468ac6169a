//! OCR speed: seconds per scanned A4 page (a committed 150-dpi JPEG form
//! from samples/scanned, full pipeline: orientation, deskew, tables, cell
//! OCR, seals) and per seal (detection + ring/centre text on one page).
//! Target: ≤ 2 s per page per core.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn page(n: u32) -> Option<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/scanned/inbox");
    let sub = std::fs::read_dir(&dir).ok()?.flatten().next()?.path();
    let f = std::fs::read_dir(sub).ok()?.flatten().find(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with(&format!("{n}."))
    })?;
    std::fs::read(f.path()).ok()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ocr");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let Some(sealed) = page(1) else {
        println!("skipped: samples/scanned not found");
        return;
    };
    g.bench_function("scanned A4 page (image file → document)", |b| {
        b.iter(|| {
            intake::ocr::extract_image(black_box(&sealed), "page.jpg").map(|d| d.blocks.len())
        })
    });
    let img = image::load_from_memory(&sealed).expect("sample decodes");
    g.bench_function("seal (find + read, one per page)", |b| {
        b.iter(|| intake::seal::detect(black_box(&img), 1, 150.0).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
