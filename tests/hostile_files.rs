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

/// Worker processes of this build's binary still alive anywhere (a
/// worker outliving its batch is reparented, so look at every process).
fn workers_alive() -> Vec<String> {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_intake")).expect("binary");
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in rd.flatten() {
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let is_ours = std::fs::read_link(e.path().join("exe")).is_ok_and(|p| p == exe);
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if is_ours && cmd.contains("__worker") {
            out.push(cmd);
        }
    }
    out
}

/// The batch tests look for leftover workers: one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run_intake(args: &[&std::ffi::OsStr]) -> (std::process::ExitStatus, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_intake"))
        .args(args)
        .output()
        .expect("run intake");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn unreadable(out: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join("submissions.jsonl")).expect("jsonl");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .flat_map(|s| s["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f["code"] == "UNREADABLE_FILE")
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The four bad files beside the sample proposals: the batch completes,
/// the good proposals are read and checked, and every worker is gone.
#[test]
fn a_batch_with_the_four_bad_files_completes() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let root = tempfile::tempdir().expect("tempdir");
    let inbox = root.path().join("inbox");
    let samples =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shandong-2026/inbox");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    for e in std::fs::read_dir(&samples).expect("samples").flatten() {
        std::fs::copy(e.path(), inbox.join(e.file_name())).expect("copy");
    }
    let region = inbox.join("上合组织成员国");
    std::fs::create_dir_all(&region).expect("mkdir");
    // One corner cell is data: the bounded reading of the sheet is fine.
    std::fs::write(
        region.join("1.远角-某单位.docx"),
        hostile::docx_huge_counter(),
    )
    .expect("write");
    std::fs::write(
        region.join("2.远角表-某单位.xlsx"),
        hostile::xlsx_far_corner(),
    )
    .expect("write");
    std::fs::write(
        region.join("3.旧格式-某单位.doc"),
        hostile::doc_difat_loop(),
    )
    .expect("write");
    std::fs::write(region.join("4.空白-某单位.pdf"), hostile::pdf_q_bomb()).expect("write");

    let out = root.path().join("out");
    let t = Instant::now();
    let (status, err) = run_intake(&[
        "ingest".as_ref(),
        inbox.as_os_str(),
        "--scheme".as_ref(),
        "shandong-2026-guideline".as_ref(),
        "--jobs".as_ref(),
        "2".as_ref(),
        "-q".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(status.success(), "{err}");
    assert!(t.elapsed() < Duration::from_secs(120), "{:?}", t.elapsed());
    let bad = unreadable(&out);
    assert!(
        bad.iter().any(|m| m.contains("3.旧格式-某单位.doc")),
        "{bad:#?}"
    );
    let batch: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("batch.json")).expect("batch"))
            .expect("json");
    let named = |key: &str, file: &str, why: &str| {
        batch[key].as_array().is_some_and(|a| {
            a.iter().any(|f| {
                f["path"].as_str().is_some_and(|p| p.ends_with(file))
                    && f["reason"].as_str().is_some_and(|r| r.contains(why))
            })
        })
    };
    assert!(
        named("failures", "3.旧格式-某单位.doc", ".doc: OLE2"),
        "{batch:#}"
    );
    assert!(
        named("warnings", "4.空白-某单位.pdf", "read in part"),
        "{batch:#}"
    );
    // The other two are read, bounded, and named with what was odd.
    let text = std::fs::read_to_string(out.join("submissions.jsonl")).expect("jsonl");
    assert!(text.contains("1.远角-某单位.docx"));
    assert!(
        named("warnings", "1.远角-某单位.docx", "list numbering"),
        "{batch:#}"
    );
    assert!(
        named("warnings", "2.远角表-某单位.xlsx", "read sparsely"),
        "{batch:#}"
    );
    assert!(
        !named("failures", "2.远角表-某单位.xlsx", ""),
        "the sheet is read: {batch:#}"
    );
    let subs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let truth = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/shandong-2026/truth.jsonl"),
    )
    .expect("truth");
    for line in truth.lines() {
        let want: serde_json::Value = serde_json::from_str(line).expect("truth line");
        let name = &want["fields"]["project_name"];
        if name.is_null() {
            continue;
        }
        let got = subs
            .iter()
            .find(|s| &s["fields"]["project_name"] == name)
            .unwrap_or_else(|| panic!("{name} not read"));
        assert!(got["findings"].is_array());
    }
    assert!(
        workers_alive().is_empty(),
        "workers left: {:?}",
        workers_alive()
    );
}

/// A reader that goes past its memory limit is killed and replaced: that
/// file says "out of memory", the next files are read by a fresh worker.
#[test]
fn a_worker_out_of_memory_costs_only_its_file() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let root = tempfile::tempdir().expect("tempdir");
    let region = root.path().join("inbox/上合组织成员国");
    std::fs::create_dir_all(&region).expect("mkdir");
    std::fs::write(region.join("1.炸弹-某单位.pdf"), hostile::pdf_q_bomb()).expect("write");
    std::fs::write(
        region.join("2.远角表-某单位.xlsx"),
        hostile::xlsx_far_corner(),
    )
    .expect("write");
    let out = root.path().join("out");
    let (status, err) = run_intake(&[
        "ingest".as_ref(),
        root.path().join("inbox").as_os_str(),
        "--scheme".as_ref(),
        "shandong-2026-guideline".as_ref(),
        "--jobs".as_ref(),
        "1".as_ref(),
        "--worker-memory".as_ref(),
        "200".as_ref(),
        "-q".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(status.success(), "{err}");
    let bad = unreadable(&out);
    assert!(
        bad.iter()
            .any(|m| m.contains("1.炸弹-某单位.pdf") && m.contains("out of memory")),
        "{bad:#?}"
    );
    assert!(
        !bad.iter().any(|m| m.contains("2.远角表")),
        "the next file is read by a fresh worker: {bad:#?}"
    );
    assert!(workers_alive().is_empty());
}

/// A reader past the per-file time limit is killed (SIGKILL) and its file
/// says so; the batch goes on.
#[test]
fn a_worker_past_the_time_limit_is_killed() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let root = tempfile::tempdir().expect("tempdir");
    let region = root.path().join("inbox/上合组织成员国");
    std::fs::create_dir_all(&region).expect("mkdir");
    // Ten copies of the 60 MB stream on ten pages: far past one second.
    let many = hostile::pdf_pages_sharing(10);
    std::fs::write(region.join("1.慢-某单位.pdf"), many).expect("write");
    std::fs::write(
        region.join("2.远角表-某单位.xlsx"),
        hostile::xlsx_far_corner(),
    )
    .expect("write");
    let out = root.path().join("out");
    let t = Instant::now();
    let (status, err) = run_intake(&[
        "ingest".as_ref(),
        root.path().join("inbox").as_os_str(),
        "--scheme".as_ref(),
        "shandong-2026-guideline".as_ref(),
        "--jobs".as_ref(),
        "1".as_ref(),
        "--file-timeout".as_ref(),
        "1".as_ref(),
        "-q".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(status.success(), "{err}");
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    let bad = unreadable(&out);
    assert!(
        bad.iter()
            .any(|m| m.contains("1.慢-某单位.pdf") && m.contains("time limit")),
        "{bad:#?}"
    );
    assert!(!bad.iter().any(|m| m.contains("2.远角表")), "{bad:#?}");
    assert!(workers_alive().is_empty());
}

/// Files read one after another on one thread share its tesseract
/// engines: reading the same scan twice starts none the second time.
#[test]
fn ocr_engines_are_reused_across_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/scanned/inbox/上合组织成员国");
    let Some(img) = std::fs::read_dir(&dir)
        .expect("scans")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jpg"))
    else {
        panic!("no scan in {}", dir.display());
    };
    let size = std::fs::metadata(&img).expect("scan").len();
    let input = |name: &str| intake::ingest::InputFile {
        path: name.to_string(),
        container: Vec::new(),
        size,
        origin: intake::ingest::Origin::Disk(img.clone()),
        problem: None,
    };
    let limits = intake::ingest::Limits::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    // The batch's in-process path, as `intake ingest` ran it before workers.
    pool.install(|| {
        let first = intake::pipeline::read_and_extract(&input("a.jpg"), &limits);
        assert!(first.doc.is_some(), "{:?}", first.error);
        let after_first = intake::pixels::engine::engines_created();
        assert!(after_first >= 1);
        let second = intake::pipeline::read_and_extract(&input("b.jpg"), &limits);
        assert!(second.doc.is_some());
        assert_eq!(intake::pixels::engine::engines_created(), after_first);
    });
}

/// Every sample document comes back from a worker exactly as read in
/// process: nothing of the model is lost on the wire (a field left out
/// when empty must read back as empty).
#[test]
fn worker_documents_equal_in_process_documents() {
    use intake::worker::{Config, Pool};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let inputs: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .expect("samples")
        .flatten()
        .map(|e| e.path().join("inbox"))
        .filter(|p| p.is_dir())
        .collect();
    let limits = intake::ingest::Limits::default();
    let pool = Pool::new(Config {
        exe: env!("CARGO_BIN_EXE_intake").into(),
        workers: 1,
        threads: 1,
        memory_mb: 2048,
        file_timeout: Duration::from_secs(60),
        ocr: false,
    });
    let mut compared = 0;
    for f in intake::ingest::collect(&inputs, &limits).files {
        let Ok(bytes) = f.read(&limits) else { continue };
        let kind = intake::classify::sniff(&bytes, &f.path);
        if matches!(kind, FileKind::Image | FileKind::Zip | FileKind::Eml) {
            continue;
        }
        let here = extract_with(&bytes, kind, &f.path, &NO_OCR).map_err(|e| e.to_string());
        let there = pool.extract(&bytes, kind, &f.path);
        let json = |r: &Result<intake::model::Document, String>| match r {
            Ok(d) => serde_json::to_value(d).expect("json"),
            Err(e) => serde_json::Value::String(e.clone()),
        };
        assert_eq!(json(&here), json(&there), "{}", f.path);
        if let (Ok(a), Ok(b)) = (&here, &there) {
            assert_eq!(a.outline, b.outline, "{}", f.path);
        }
        compared += 1;
    }
    assert!(compared > 20, "{compared} documents compared");
}
