//! Runs classify and extract over the shared corpus of real third-party
//! documents: nothing may panic, legacy binaries must fail cleanly, and a
//! few known contents must come out.

mod common;
use common::corpus;

use std::path::{Path, PathBuf};

use intake::classify::sniff;
use intake::extract::{ExtractError, Options, extract_with};
use intake::model::{Block, Document, FileKind, Region};

/// The text layer only: scanned pages stay listed for OCR (OCR has its
/// own tests; here it would only make the corpus run slow).
fn extract(bytes: &[u8], kind: FileKind, name: &str) -> Result<Document, ExtractError> {
    let opts = Options {
        ocr_scanned_pdf_pages: false,
    };
    extract_with(bytes, kind, name, &opts)
}

fn files(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_file() && !p.to_string_lossy().ends_with(".txt"));
    v.sort();
    v
}

fn load(root: &Path, rel: &str) -> Document {
    let path = root.join(rel);
    let bytes = std::fs::read(&path).unwrap();
    let kind = sniff(&bytes, rel);
    extract(&bytes, kind, rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn all_text(d: &Document) -> String {
    d.plain_text(true)
}

#[test]
fn every_office_file_extracts_or_fails_cleanly() {
    let Some(root) = corpus() else { return };
    println!(
        "{:<34} {:>6} {:>7} {:>7} {:>8}  note",
        "file", "kind", "blocks", "tables", "chars"
    );
    for dir in ["docx", "xlsx", "other"] {
        for path in files(&root, dir) {
            let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            let bytes = std::fs::read(&path).unwrap();
            let kind = sniff(&bytes, &name);
            match extract(&bytes, kind, &name) {
                Ok(d) => {
                    let chars = all_text(&d).chars().count();
                    println!(
                        "{name:<34} {:>6} {:>7} {:>7} {:>8}  {}",
                        kind.as_str(),
                        d.blocks.len(),
                        d.tables().count(),
                        chars,
                        d.warnings.join("; ")
                    );
                    assert!(chars > 0, "{name}: no text");
                }
                Err(e) => {
                    println!("{name:<34} {:>6}  error: {e}", kind.as_str());
                    // Only legacy binaries may refuse.
                    assert_eq!(kind, FileKind::Ole, "{name}: {e}");
                    assert!(matches!(e, ExtractError::Unsupported(_)), "{name}: {e}");
                }
            }
        }
    }
}

#[test]
fn known_contents() {
    let Some(root) = corpus() else { return };

    // 636.docx is poi-tl's tracked-changes case: every row of its form
    // table (项目名称, 项目预算经费（万元）, ...) is a pending deletion, so
    // the accepted text has only the title, and a warning says why.
    let d = load(&root, "docx/636.docx");
    let t = all_text(&d);
    assert!(t.contains("横向项目立项申报表"), "{t}");
    assert!(!t.contains("项目名称") && !t.contains("预算经费"), "{t}");
    assert!(d.warnings.iter().any(|w| w.contains("tracked deletion")));
    assert_eq!(
        d.paragraphs()
            .find(|p| p.region == Region::Header)
            .map(|p| p.text.as_str()),
        Some("编号：VECC- XMB02-2021-")
    );

    let d = load(&root, "docx/161.docx");
    assert!(
        d.tables().flat_map(|t| t.cells()).any(|c| c.col_span > 1),
        "161.docx: no gridSpan cell"
    );

    let d = load(&root, "docx/sdt_cell.docx");
    let in_cells: String = d
        .tables()
        .flat_map(|t| t.cells())
        .map(|c| c.text.as_str())
        .collect();
    assert!(!in_cells.trim().is_empty(), "sdt_cell.docx: no cell text");

    let d = load(&root, "xlsx/stress020.xlsx");
    assert!(
        d.tables()
            .flat_map(|t| t.cells())
            .any(|c| c.row_span > 1 || c.col_span > 1),
        "stress020.xlsx: no merged cell"
    );
}

#[test]
fn no_phonetic_leak() {
    let Some(root) = corpus() else { return };
    let d = load(&root, "xlsx/51519.xlsx");
    let texts: Vec<&str> = d
        .tables()
        .flat_map(|t| t.cells())
        .map(|c| c.text.as_str())
        .collect();
    // Visible strings as Excel shows them; their rPh guides (トヨ, クルマ,
    // カブシキ, ...) must not be appended.
    for visible in [
        "豊田",
        "豊田車会社",
        "本田車株式会社",
        "株式会社",
        "日本オラクル",
    ] {
        assert!(texts.contains(&visible), "{visible} missing from {texts:?}");
    }
    // Readings that occur only inside rPh runs, never as visible text.
    for guide in [
        "クルマ",
        "カブシキ",
        "セイヒン",
        "トウカツ",
        "ホンブ",
        "ニンキ",
    ] {
        assert!(
            !texts.iter().any(|t| t.contains(guide)),
            "phonetic {guide} leaked: {texts:?}"
        );
    }
}

#[test]
fn sniff_every_corpus_file() {
    let Some(root) = corpus() else { return };
    let expect = [
        ("docx", FileKind::Docx),
        ("xlsx", FileKind::Xlsx),
        ("pdf", FileKind::Pdf),
        ("zip", FileKind::Zip),
        ("eml", FileKind::Eml),
        ("seal-images", FileKind::Image),
        ("other", FileKind::Ole),
    ];
    for (dir, kind) in expect {
        let list = files(&root, dir);
        assert!(!list.is_empty(), "{dir} is empty");
        for path in list {
            let bytes = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert_eq!(sniff(&bytes, &name), kind, "{dir}/{name}");
            // A misleading name changes nothing.
            assert_eq!(sniff(&bytes, "renamed.docx"), kind, "{dir}/{name} as .docx");
            if kind == FileKind::Pdf {
                // Every corpus PDF opens (text pages or pages flagged for OCR).
                assert!(extract(&bytes, kind, &name).is_ok(), "{dir}/{name}");
            }
        }
    }
}

#[test]
fn reference_texts_sniff_as_text() {
    let Some(root) = corpus() else { return };
    let Ok(rd) = std::fs::read_dir(root.join("pdf")) else {
        return;
    };
    for path in rd.flatten().map(|e| e.path()) {
        let name = path.to_string_lossy().to_string();
        if name.ends_with(".txt") {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.is_empty() {
                continue;
            }
            assert_eq!(sniff(&bytes, &name), FileKind::Text, "{name}");
            let d = extract(&bytes, FileKind::Text, &name).unwrap();
            assert!(
                d.paragraphs().count() > 0
                    || bytes.iter().all(|b| b.is_ascii_whitespace() || *b < 0x20)
            );
        }
    }
}

/// Truncated and bit-flipped copies of the real files: errors are fine,
/// panics are not.
#[test]
fn damaged_copies_never_panic() {
    let Some(root) = corpus() else { return };
    for dir in ["docx", "xlsx"] {
        for path in files(&root, dir) {
            let bytes = std::fs::read(&path).unwrap();
            let kind = sniff(&bytes, "x");
            let n = bytes.len();
            for cut in [10, n / 4, n / 2, n - n / 10, n - 1] {
                let _ = extract(&bytes[..cut], kind, "cut");
            }
            let mut seed = n as u64;
            for _ in 0..30 {
                let mut copy = bytes.clone();
                for _ in 0..4 {
                    // xorshift: deterministic positions and values
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let i = (seed as usize) % n;
                    copy[i] ^= (seed >> 32) as u8 | 1;
                }
                let _ = extract(&copy, kind, "flipped");
            }
        }
    }
}

/// Prints the plain text of one corpus file: `DUMP=docx/636.docx cargo test
/// --test extract_corpus dump -- --nocapture`.
#[test]
fn dump() {
    let (Some(root), Ok(rel)) = (corpus(), std::env::var("DUMP")) else {
        return;
    };
    let d = load(&root, &rel);
    for b in &d.blocks {
        match b {
            Block::Paragraph(p) => {
                println!("P{} [{:?} {:?}] {}", p.index, p.region, p.style, p.text)
            }
            Block::Table(t) => {
                println!(
                    "T{} [{:?}] {}x{} parent={:?} sheet={:?}",
                    t.index, t.region, t.n_rows, t.n_cols, t.parent, t.sheet
                );
                for c in t.cells() {
                    println!(
                        "  ({},{}) span {}x{}: {:?}",
                        c.row, c.col, c.row_span, c.col_span, c.text
                    );
                }
            }
        }
    }
    println!(
        "title={:?} images={:?} warnings={:?}",
        d.title, d.images, d.warnings
    );
}
