//! `.rar` and `.7z` archives through ingest: members listed with their
//! names and bytes, nested archives expanded, encrypted archives refused
//! with that reason, and the zip limits (ratio, size, entries, traversal).
//!
//! No free tool writes RAR, so the `.rar` files in `tests/legacy/rar/` are
//! real ones from a public test suite: the `data/` folder of the `unrar`
//! crate 0.5.8 (github.com/muja/unrar.rs, MIT licence, copied with its
//! LICENSE-MIT): `version.rar` (RAR4), `crypted.rar` (RAR4, encrypted
//! entry), `solid.rar` and `unicode.rar` (RAR5), `comment-hpw-password.rar`
//! (RAR5, encrypted headers). The `.7z` archives are written here by
//! Debian's `7zip` (`7zz`, installed by scripts/setup).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use intake::ingest::{Ingested, InputFile, Limits, collect};

fn rar(name: &str) -> PathBuf {
    common::repo().join("tests/legacy/rar").join(name)
}

fn find<'a>(ing: &'a Ingested, display: &str) -> &'a InputFile {
    ing.files
        .iter()
        .find(|f| f.display_path() == display)
        .unwrap_or_else(|| {
            let all: Vec<String> = ing.files.iter().map(|f| f.display_path()).collect();
            panic!("{display} not among {all:?}")
        })
}

#[test]
fn rar4_and_rar5_members_are_read() {
    let limits = Limits::default();
    let ing = collect(&[rar("version.rar")], &limits);
    let f = find(&ing, "version.rar/VERSION");
    assert_eq!(f.problem, None);
    assert_eq!(f.read(&limits).unwrap(), b"unrar-0.4.0");

    let ing = collect(&[rar("unicode.rar")], &limits);
    assert_eq!(ing.files.len(), 1, "{:?}", ing.files);
    assert_eq!(ing.files[0].path, "te…―st✌");
    assert_eq!(ing.files[0].problem, None);

    let ing = collect(&[rar("solid.rar")], &limits);
    assert!(!ing.files.is_empty());
    for f in &ing.files {
        assert_eq!(f.problem, None, "{}", f.display_path());
        f.read(&limits).unwrap();
    }
}

/// Chinese WinRAR 4 writes names in the ANSI code page (GBK) without the
/// Unicode flag: `version.rar` with its 7-byte name `VERSION` replaced by
/// the GBK bytes of `申报书1` (7 bytes too) and its header CRC redone.
#[test]
fn rar4_gbk_names_are_decoded() {
    let mut b = std::fs::read(rar("version.rar")).unwrap();
    let header = 0x14; // the file header, after marker and archive headers
    let size = u16::from_le_bytes([b[header + 5], b[header + 6]]) as usize;
    let name_at = header + 32;
    assert_eq!(&b[name_at..name_at + 7], b"VERSION");
    let gbk = encoding_rs::GBK.encode("申报书1").0.into_owned();
    b[name_at..name_at + 7].copy_from_slice(&gbk);
    let crc = crc32fast::hash(&b[header + 2..header + size]) as u16;
    b[header..header + 2].copy_from_slice(&crc.to_le_bytes());
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("gbk.rar");
    std::fs::write(&path, &b).unwrap();
    let limits = Limits::default();
    let ing = collect(&[path], &limits);
    let f = find(&ing, "gbk.rar/申报书1");
    assert_eq!(f.read(&limits).unwrap(), b"unrar-0.4.0");
}

#[test]
fn encrypted_rar_is_unreadable_with_that_reason() {
    let limits = Limits::default();
    for name in ["crypted.rar", "comment-hpw-password.rar"] {
        let ing = collect(&[rar(name)], &limits);
        assert_eq!(ing.files.len(), 1, "{name}: {:?}", ing.files);
        let p = ing.files[0].problem.as_deref().unwrap_or("");
        assert!(p.contains("encrypted"), "{name}: {p}");
    }
}

#[test]
fn corrupt_rar_and_7z_are_unreadable_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let mut bytes = std::fs::read(rar("version.rar")).unwrap();
    bytes.truncate(40);
    std::fs::write(tmp.path().join("cut.rar"), &bytes).unwrap();
    std::fs::write(tmp.path().join("junk.7z"), b"7z\xBC\xAF\x27\x1Cjunk").unwrap();
    let ing = collect(&[tmp.path().to_path_buf()], &limits);
    for name in ["cut.rar", "junk.7z"] {
        let f = find(&ing, name);
        assert!(f.problem.is_some(), "{name}");
    }
}

/// `7zz` or `7z`, when installed.
fn sevenzip() -> Option<&'static str> {
    ["7zz", "7z"].into_iter().find(|c| {
        Command::new(c)
            .arg("i")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Packs `dir`'s contents into `out` with 7-Zip and extra `args`.
fn pack(dir: &Path, out: &Path, args: &[&str]) -> bool {
    let Some(cmd) = sevenzip() else {
        common::skip("7-Zip (7zz) not installed: apt-get install 7zip");
        return false;
    };
    let status = Command::new(cmd)
        .current_dir(dir)
        .args(["a", "-bd", "-bso0"])
        .args(args)
        .arg(out)
        .arg(".")
        .status()
        .unwrap();
    assert!(status.success());
    true
}

#[test]
fn sevenz_members_nested_zip_and_chinese_names() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("一带一路共建国家")).unwrap();
    std::fs::write(
        src.join("一带一路共建国家/1.甲项目-乙单位.txt"),
        "项目名称：甲",
    )
    .unwrap();
    // A zip inside the 7z.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("内层.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut z, "内".as_bytes()).unwrap();
    std::fs::write(src.join("inner.zip"), z.finish().unwrap().into_inner()).unwrap();
    let out = tmp.path().join("科技局.7z");
    if !pack(&src, &out, &["-ms=on"]) {
        return;
    }
    let limits = Limits::default();
    let ing = collect(std::slice::from_ref(&out), &limits);
    let f = find(&ing, "科技局.7z/一带一路共建国家/1.甲项目-乙单位.txt");
    assert_eq!(f.read(&limits).unwrap(), "项目名称：甲".as_bytes());
    let f = find(&ing, "科技局.7z/inner.zip/内层.txt");
    assert_eq!(f.read(&limits).unwrap(), "内".as_bytes());
}

#[test]
fn sevenz_limits_and_encryption() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("zeros.bin"), vec![0u8; 8 << 20]).unwrap();
    std::fs::write(src.join("a.txt"), "a").unwrap();
    let bomb = tmp.path().join("bomb.7z");
    if !pack(&src, &bomb, &[]) {
        return;
    }
    let limits = Limits {
        max_ratio: 50.0,
        ratio_min_size: 1 << 20,
        ..Limits::default()
    };
    let ing = collect(std::slice::from_ref(&bomb), &limits);
    assert_eq!(ing.files.len(), 1, "{:?}", ing.files);
    let p = ing.files[0].problem.as_deref().unwrap_or("");
    assert!(p.contains("bomb"), "{p}");

    let small = Limits {
        max_member_bytes: 1 << 20,
        max_ratio: 1e6,
        ..Limits::default()
    };
    let ing = collect(std::slice::from_ref(&bomb), &small);
    let p = find(&ing, "bomb.7z/zeros.bin")
        .problem
        .as_deref()
        .unwrap_or("");
    assert!(p.contains("limit"), "{p}");
    // The other member is listed, read or (after the over-limit one in the
    // same solid block, which is never drained) with the reason.
    let other = find(&ing, "bomb.7z/a.txt");
    assert!(
        other
            .problem
            .as_deref()
            .is_none_or(|p| p.contains("over a limit")),
        "{:?}",
        other.problem
    );

    let few = Limits {
        max_entries: 1,
        ..Limits::default()
    };
    let ing = collect(&[bomb], &few);
    let p = ing.files[0].problem.as_deref().unwrap_or("");
    assert!(p.contains("too many entries"), "{p}");

    std::fs::remove_file(src.join("zeros.bin")).unwrap();
    for (name, args) in [
        ("locked.7z", &["-psecret"][..]),
        ("hidden.7z", &["-psecret", "-mhe=on"][..]),
    ] {
        let out = tmp.path().join(name);
        assert!(pack(&src, &out, args));
        let ing = collect(&[out], &Limits::default());
        assert_eq!(ing.files.len(), 1, "{name}: {:?}", ing.files);
        let p = ing.files[0].problem.as_deref().unwrap_or("");
        assert!(p.contains("encrypted"), "{name}: {p}");
    }
}

/// Damaged archives — truncated, bytes flipped — are listed with a
/// problem or read in part, never a panic or a hang: ingest reads them in
/// the main process, outside the worker's limits.
#[test]
fn mutated_7z_and_rar_never_crash_or_hang() {
    let seven = common::repo().join("samples/shandong-2026-legacy/inbox/山东大学.7z");
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("a.7z", std::fs::read(seven).unwrap()),
        ("a.rar", std::fs::read(rar("version.rar")).unwrap()),
        ("b.rar", std::fs::read(rar("solid.rar")).unwrap()),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let start = std::time::Instant::now();
    for round in 0..150 {
        for (name, good) in &seeds {
            let mut b = good.clone();
            if round % 3 == 0 {
                b.truncate(next(b.len()));
            } else {
                for _ in 0..=next(8) {
                    let i = next(b.len());
                    b[i] ^= 1 << next(8);
                }
            }
            let path = tmp.path().join(name);
            std::fs::write(&path, &b).unwrap();
            let t = std::time::Instant::now();
            let ing = collect(std::slice::from_ref(&path), &limits);
            for f in &ing.files {
                let _ = f.read(&limits);
            }
            assert!(
                t.elapsed() < std::time::Duration::from_secs(10),
                "{name} round {round}: {:?}",
                t.elapsed()
            );
        }
    }
    println!("450 mutated archives in {:?}", start.elapsed());
}
