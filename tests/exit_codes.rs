//! Exit codes: 2 for a command that cannot run as asked (no such input,
//! unknown scheme or direction), 0 for a batch that ran, unreadable files
//! included.

use std::process::Command;

fn intake(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_intake"))
        .args(args)
        .output()
        .expect("run intake");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let out = out.to_str().expect("utf-8 path");
    let (code, err) = intake(&[
        "ingest",
        "/no/such/path",
        "--scheme",
        "shandong-2026-guideline",
        "--out",
        out,
        "-q",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/no/such/path"), "{err}");

    let inbox = dir.path().to_str().expect("utf-8 path");
    let (code, err) = intake(&["ingest", inbox, "--scheme", "no-such-call", "--out", out]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown scheme"), "{err}");

    let (code, err) = intake(&[
        "ingest",
        inbox,
        "--scheme",
        "shandong-2026-guideline",
        "--direction",
        "mars",
        "--out",
        out,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown direction"), "{err}");

    let (code, _) = intake(&["schemes", "no-such-call"]);
    assert_eq!(code, 2);
    let (code, _) = intake(&["extract", "/no/such/file.docx"]);
    assert_eq!(code, 2);
    assert!(!std::path::Path::new(out).exists(), "nothing written");
}

#[test]
fn a_batch_with_unreadable_files_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    std::fs::write(inbox.join("1.坏-某单位.docx"), b"PK\x03\x04broken").expect("write");
    let out = dir.path().join("out");
    let (code, err) = intake(&[
        "ingest",
        inbox.to_str().expect("utf-8"),
        "--scheme",
        "shandong-2026-guideline",
        "--out",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("batch.json").is_file());
}
