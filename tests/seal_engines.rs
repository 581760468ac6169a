//! Tesseract and PP-OCRv4 side by side on the same seal strips: every
//! seal of the real images (`tests/seal_images.truth.tsv`) and of the
//! generated scans (`samples/scanned`, its truth.jsonl), found as the
//! pipeline finds them, unwrapped by `seal::seal_strips`, each strip read
//! by each engine; an engine's reading of a seal is its most confident
//! strip. Prints a table (ring-text similarity per seal and engine, time
//! per seal) and asserts PP-OCRv4's lead, which is why the reader uses it
//! (`src/seal/read.rs`).
//!
//! Similarity is 1 − edit distance / longer length over characters (as
//! in tests/ocr_scanned.rs), spaces aside; round and oval seals by their
//! ring text, square seals by their whole legend. Truth is for scoring
//! only: the reader never sees it.

mod common;

use common::char_similarity;

use std::path::Path;
use std::time::Instant;

use image::DynamicImage;
use intake::seal::{self, Engine};

/// One engine's reading of one seal and the time it took.
struct Read {
    text: String,
    conf: f32,
    secs: f64,
}

/// Reads every strip of a seal with `engine`; the most confident wins.
/// With `SEAL_STRIPS_DUMP=DIR` the strips are saved there and PP-OCRv4's
/// raw line reading of each printed, to check against rapidocr's.
fn read(strips: &[image::GrayImage], engine: Engine) -> Read {
    if let (Some(dir), Engine::PpOcr) = (std::env::var_os("SEAL_STRIPS_DUMP"), engine) {
        for s in strips {
            let n = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            let path = Path::new(&dir).join(format!("strip{n:03}.png"));
            s.save(&path).expect("save strip");
            let r = intake::pixels::ppocr::read_line(s).unwrap_or_default();
            println!("{}: {:?} {:.4}", path.display(), r.text, r.confidence);
        }
    }
    let t = Instant::now();
    let best = strips
        .iter()
        .map(|s| seal::read_strip(s, engine))
        .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
        .unwrap_or_default();
    Read {
        text: best.text.replace(' ', ""),
        conf: best.confidence,
        secs: t.elapsed().as_secs_f64(),
    }
}

/// The seals found on a page image, each as (left edge, strips).
fn page_seals(img: &DynamicImage, dpi: f32) -> Vec<(u32, Vec<image::GrayImage>)> {
    let mut out: Vec<_> = seal::find(img, dpi)
        .into_iter()
        .map(|f| {
            let crop = seal::crop_found(img, &f);
            (f.rect[0], seal::seal_strips(&crop, f.shape))
        })
        .collect();
    out.sort_by_key(|s| s.0);
    out
}

fn load(path: &Path) -> Option<(DynamicImage, f32)> {
    let bytes = std::fs::read(path).ok()?;
    let img = image::load_from_memory(&bytes).ok()?;
    let dpi = intake::ocr::image_dpi(&bytes)
        .unwrap_or_else(|| intake::ocr::guess_dpi(img.width(), img.height()));
    Some((img, dpi))
}

/// A scored seal: where, what it says, each engine's reading.
struct Row {
    name: String,
    truth: String,
    tess: Read,
    pp: Read,
}

/// Pairs the page's stamped seals (truths) with found ones, best match
/// first by either engine, so neither engine chooses its own pairing; a
/// stamped seal left without one scores nothing.
fn score_page(name: &str, truths: &[String], found: Vec<Vec<image::GrayImage>>) -> Vec<Row> {
    let reads: Vec<(Read, Read)> = found
        .iter()
        .map(|s| (read(s, Engine::Tesseract), read(s, Engine::PpOcr)))
        .collect();
    let mut pairs = Vec::new();
    for (ti, t) in truths.iter().enumerate() {
        for (fi, (a, b)) in reads.iter().enumerate() {
            let s = char_similarity(&a.text, t).max(char_similarity(&b.text, t));
            pairs.push((ti, fi, s));
        }
    }
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut reads: Vec<Option<(Read, Read)>> = reads.into_iter().map(Some).collect();
    let mut rows: Vec<Option<Row>> = truths.iter().map(|_| None).collect();
    for (ti, fi, _) in pairs {
        if rows[ti].is_none()
            && let Some((tess, pp)) = reads[fi].take()
        {
            rows[ti] = Some(Row {
                name: name.to_string(),
                truth: truths[ti].clone(),
                tess,
                pp,
            });
        }
    }
    let none = || Read {
        text: String::new(),
        conf: 0.0,
        secs: 0.0,
    };
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| Row {
                name: name.to_string(),
                truth: truths[i].clone(),
                tess: none(),
                pp: none(),
            })
        })
        .collect()
}

/// The real seal images' rows (ring text per seal).
fn real_rows() -> Vec<Row> {
    let Some(root) = common::corpus() else {
        return Vec::new();
    };
    let tsv = std::fs::read_to_string(common::repo().join("tests/seal_images.truth.tsv"))
        .expect("truth file");
    let mut files: Vec<(String, Vec<String>)> = Vec::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(file), Some(ring)) = (cols.next(), cols.next()) else {
            continue;
        };
        match files.iter_mut().find(|f| f.0 == file) {
            Some(f) => f.1.push(ring.to_string()),
            None => files.push((file.to_string(), vec![ring.to_string()])),
        }
    }
    let mut rows = Vec::new();
    for (file, truths) in files {
        let (img, dpi) = load(&root.join("seal-images").join(&file)).expect("seal image");
        let found = page_seals(&img, dpi).into_iter().map(|s| s.1).collect();
        rows.extend(score_page(&file, &truths, found));
    }
    rows
}

/// The generated scans' rows (samples/scanned; pages turned by 90° or
/// more are the page reader's business and left out).
fn generated_rows() -> Vec<Row> {
    let dir = common::repo().join("samples/scanned");
    let mut rows = Vec::new();
    for t in common::read_jsonl(&dir.join("truth.jsonl")) {
        let seals = t["fields"]["seals"].as_array().cloned().unwrap_or_default();
        if seals.is_empty() || t["scan"]["turn"].as_i64().unwrap_or(0) != 0 {
            continue;
        }
        let truths: Vec<String> = seals
            .iter()
            .map(|s| {
                let text = s["text"].as_str().unwrap_or("");
                if s["shape"] == "square" {
                    format!("{text}{}", s["bottom"].as_str().unwrap_or(""))
                } else {
                    text.to_string()
                }
            })
            .collect();
        let path = t["path"].as_str().unwrap_or("");
        let (img, dpi) = load(&dir.join("inbox").join(path)).expect("scanned page");
        let found = page_seals(&img, dpi).into_iter().map(|s| s.1).collect();
        let name = path.rsplit('/').next().unwrap_or(path);
        rows.extend(score_page(name, &truths, found));
    }
    rows
}

/// Prints the rows; returns (mean tesseract, mean PP-OCRv4) similarity.
fn table(title: &str, rows: &[Row]) -> (f64, f64) {
    println!("\n{title}");
    println!("| seal | truth | tesseract | sim | s | PP-OCRv4 | sim | s |");
    println!("|---|---|---|---|---|---|---|---|");
    let (mut st, mut sp, mut tt, mut tp) = (0.0, 0.0, 0.0, 0.0);
    for r in rows {
        let (a, b) = (
            char_similarity(&r.tess.text, &r.truth),
            char_similarity(&r.pp.text, &r.truth),
        );
        println!(
            "| {} | {} | {} ({:.2}) | {a:.2} | {:.2} | {} ({:.2}) | {b:.2} | {:.2} |",
            r.name, r.truth, r.tess.text, r.tess.conf, r.tess.secs, r.pp.text, r.pp.conf, r.pp.secs
        );
        (st, sp, tt, tp) = (st + a, sp + b, tt + r.tess.secs, tp + r.pp.secs);
    }
    let n = rows.len().max(1) as f64;
    println!(
        "| mean of {} | | tesseract | {:.3} | {:.2} | PP-OCRv4 | {:.3} | {:.2} |",
        rows.len(),
        st / n,
        tt / n,
        sp / n,
        tp / n
    );
    (st / n, sp / n)
}

#[test]
fn tesseract_and_ppocr_side_by_side() {
    if intake::pixels::ppocr::recognizer().is_none() {
        common::skip(&format!(
            "PP-OCRv4 unavailable ({}): run scripts/setup",
            intake::pixels::ppocr::load_error().unwrap_or_default()
        ));
        return;
    }
    let generated = generated_rows();
    let (gt, gp) = table("generated seals (samples/scanned)", &generated);
    let real = real_rows();
    if real.is_empty() {
        return;
    }
    let (rt, rp) = table("real seal images", &real);
    println!(
        "\nmeans: generated tesseract {gt:.3} PP-OCRv4 {gp:.3}; real tesseract {rt:.3} PP-OCRv4 {rp:.3}"
    );
    // Measured: real 0.300 vs 0.560; generated 0.971 vs 0.992.
    assert!(
        rp >= rt + 0.2,
        "PP-OCRv4 no longer leads on real stamps: {rp:.3} vs tesseract {rt:.3}"
    );
    assert!(
        gp >= 0.97 && gp >= gt,
        "PP-OCRv4 reads generated seals worse: {gp:.3} vs tesseract {gt:.3}"
    );
}
