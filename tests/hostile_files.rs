//! The four small files that each once took the whole batch down now
//! cost only themselves: each reads quickly to an error or to a bounded
//! document.

mod hostile;

use std::time::{Duration, Instant};

use intake::extract::{Options, extract_with};
use intake::model::FileKind;

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "{what} took {:?}",
        t.elapsed()
    );
    out
}

const NO_OCR: Options = Options {
    ocr_scanned_pdf_pages: false,
};

#[test]
fn xlsx_with_a_far_corner_cell_is_read_sparsely() {
    let b = hostile::xlsx_far_corner();
    assert!(b.len() < 8 * 1024, "{} bytes", b.len());
    let d = quick("xlsx", || {
        extract_with(&b, FileKind::Xlsx, "far.xlsx", &NO_OCR)
    })
    .expect("two cells read");
    let t = d.tables().next().expect("one sheet");
    let cells: Vec<&str> = t.rows.iter().flatten().map(|c| c.text.as_str()).collect();
    assert_eq!(cells, ["项目名称", "尾"]);
    assert_eq!(t.n_cols, 16_384);
}

#[test]
fn docx_with_a_huge_list_counter_is_bounded() {
    let b = hostile::docx_huge_counter();
    let d = quick("docx", || {
        extract_with(&b, FileKind::Docx, "n.docx", &NO_OCR)
    })
    .expect("read");
    let text = d.plain_text(false);
    assert!(text.len() < 1000, "{} bytes of text", text.len());
    assert!(text.contains("项目名称"));
}

#[test]
fn doc_with_a_self_referencing_difat_is_refused_quickly() {
    let b = hostile::doc_difat_loop();
    let r = quick("doc", || {
        extract_with(&b, FileKind::Ole, "loop.doc", &NO_OCR)
    });
    assert!(r.is_err());
}

#[test]
fn pdf_whose_stream_inflates_to_60_mb_of_q_is_cut_at_the_budget() {
    let b = hostile::pdf_q_bomb();
    assert!(b.len() < 200 * 1024, "{} bytes", b.len());
    let d = quick("pdf", || extract_with(&b, FileKind::Pdf, "q.pdf", &NO_OCR)).expect("read");
    assert!(
        d.warnings.iter().any(|w| w.contains("read in part")),
        "{:?}",
        d.warnings
    );
}
