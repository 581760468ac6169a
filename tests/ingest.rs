//! Integration tests for the ingest stage: archives and messages built by
//! hand in a temporary folder (GBK / UTF-8 / Unicode-extra names, nesting,
//! traversal, encryption, bombs, corruption), then the real third-party
//! corpus under ../shared when it is there.

mod common;
use common::corpus;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use intake::ingest::{Ingested, InputFile, Limits, Origin, collect};
use intake_samples::rawzip::{Name, RawZip};

// ---------------------------------------------------------------- helpers

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

fn b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 wrapped at 76 columns, as mailers write it.
fn b64_lines(data: &[u8]) -> String {
    let s = b64(data);
    s.as_bytes()
        .chunks(76)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// RFC 2047 Q encoding of raw bytes.
fn q(data: &[u8]) -> String {
    data.iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            }
        })
        .collect()
}

/// RFC 2231 percent encoding of raw bytes.
fn pct(data: &[u8]) -> String {
    data.iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn find<'a>(ing: &'a Ingested, display: &str) -> &'a InputFile {
    ing.files
        .iter()
        .find(|f| f.display_path() == display)
        .unwrap_or_else(|| panic!("{display} not found in {:#?}", displays(ing)))
}

fn displays(ing: &Ingested) -> Vec<String> {
    ing.files.iter().map(|f| f.display_path()).collect()
}

/// Every file under `dir`, for checking that nothing was written.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.insert(p);
        }
    }
    out
}

/// Patches the declared uncompressed size of a one-entry archive (local
/// header and central directory), to make its sizes lie.
fn patch_declared_size(zip: &mut [u8], size: u32) {
    zip[22..26].copy_from_slice(&size.to_le_bytes());
    let eocd = zip.len() - 22;
    let cd = u32::from_le_bytes(zip[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    zip[cd + 24..cd + 28].copy_from_slice(&size.to_le_bytes());
}

fn replace_all(hay: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= hay.len() {
        if &hay[i..i + from.len()] == from {
            hay[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    n
}

// ------------------------------------------------------------- folders

#[test]
fn folder_with_region_zip_gbk_utf8_and_unicode_extra() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut z = RawZip::new();
    z.dir(Name::Gbk("一带一路共建国家/".into()))
        .file(
            Name::Gbk("一带一路共建国家/1.智能农机-山东大学.docx".into()),
            b"doc one",
            true,
        )
        .file(
            Name::Utf8("日韩/2.海水淡化-中国海洋大学.docx".into()),
            b"doc two",
            false,
        )
        .file(
            Name::GbkWithUnicodeExtra("港澳台地区/3.新材料-青岛大学.pdf".into()),
            b"doc three",
            true,
        )
        .file(Name::Raw(b"__MACOSX/._x.docx".to_vec()), b"junk", false)
        .file(Name::Gbk("日韩/~$海水淡化.docx".into()), b"lock", false)
        .file(Name::Raw(b"sub\\.DS_Store".to_vec()), b"junk", false)
        .file(Name::Gbk("附件3 汇总表.xlsx".into()), b"", false);
    write(&input.join("山东省科技厅/部门.zip"), &z.finish());
    write(&input.join("b.txt"), b"bee");
    write(&input.join("a.txt"), b"ay");
    write(&input.join("Z.txt"), b"zed");
    write(&input.join("中.txt"), b"zhong");
    write(&input.join("Thumbs.db"), b"junk");
    write(&input.join("empty.docx"), b"");

    let before = tree(tmp.path());
    let limits = Limits::default();
    let ing = collect(std::slice::from_ref(&input), &limits);
    assert!(ing.failures.is_empty(), "{:?}", ing.failures);

    let got: Vec<(String, Vec<String>)> = ing
        .files
        .iter()
        .map(|f| (f.path.clone(), f.container.clone()))
        .collect();
    let zc = vec!["山东省科技厅/部门.zip".to_string()];
    let want: Vec<(String, Vec<String>)> = vec![
        ("Z.txt".into(), vec![]),
        ("a.txt".into(), vec![]),
        ("b.txt".into(), vec![]),
        ("empty.docx".into(), vec![]),
        // 中 (E4 B8 AD) sorts before 山 (E5 B1 B1) in UTF-8 byte order.
        ("中.txt".into(), vec![]),
        (
            "一带一路共建国家/1.智能农机-山东大学.docx".into(),
            zc.clone(),
        ),
        ("日韩/2.海水淡化-中国海洋大学.docx".into(), zc.clone()),
        ("港澳台地区/3.新材料-青岛大学.pdf".into(), zc.clone()),
        ("附件3 汇总表.xlsx".into(), zc.clone()),
    ];
    assert_eq!(got, want);
    assert!(ing.files.iter().all(|f| f.problem.is_none()));

    let skipped: Vec<&str> = ing.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        skipped,
        vec![
            "Thumbs.db",
            "山东省科技厅/部门.zip/__MACOSX/._x.docx",
            "山东省科技厅/部门.zip/日韩/~$海水淡化.docx",
            "山东省科技厅/部门.zip/sub/.DS_Store",
        ]
    );
    assert!(ing.skipped.iter().all(|s| !s.reason.is_empty()));

    // Members read back by index, from the zip on disk.
    let f = find(
        &ing,
        "山东省科技厅/部门.zip/一带一路共建国家/1.智能农机-山东大学.docx",
    );
    assert!(matches!(f.origin, Origin::ZipMember { .. }));
    assert_eq!(f.size, 7);
    assert_eq!(f.read(&limits).unwrap(), b"doc one");
    let f = find(
        &ing,
        "山东省科技厅/部门.zip/港澳台地区/3.新材料-青岛大学.pdf",
    );
    assert_eq!(f.read(&limits).unwrap(), b"doc three");
    let f = find(&ing, "山东省科技厅/部门.zip/附件3 汇总表.xlsx");
    assert_eq!(f.read(&limits).unwrap(), b"");
    let f = find(&ing, "empty.docx");
    assert!(matches!(f.origin, Origin::Disk(_)));
    assert_eq!(f.read(&limits).unwrap(), b"");

    assert_eq!(tree(tmp.path()), before, "ingest wrote to disk");
}

#[test]
fn inputs_keep_command_line_order_and_single_files_have_no_container() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("x/申报书.docx");
    write(&doc, b"not really a docx");
    let mut z = RawZip::new();
    z.file(Name::Gbk("内/甲.txt".into()), b"jia", false);
    let zip = tmp.path().join("y/科技局.zip");
    write(&zip, &z.finish());
    let missing = tmp.path().join("nope.zip");
    let ing = collect(&[zip.clone(), missing, doc.clone()], &Limits::default());
    assert_eq!(displays(&ing), vec!["科技局.zip/内/甲.txt", "申报书.docx"]);
    assert_eq!(ing.files[0].container, vec!["科技局.zip"]);
    assert_eq!(ing.files[1].path, "申报书.docx");
    assert!(ing.files[1].container.is_empty());
    assert_eq!(ing.failures.len(), 1);
    assert!(ing.failures[0].path.ends_with("nope.zip"));
}

// ------------------------------------------------------------- names

#[test]
fn unicode_path_extra_field_is_applied_only_when_its_crc_matches() {
    let tmp = tempfile::tempdir().unwrap();
    // The extra field says 乙 while the GBK name says 甲: a matching CRC
    // makes the extra field win (zip 9 applies it; we rely on that).
    let mut z = RawZip::new();
    z.file(Name::GbkWithUnicodeExtra("甲.docx".into()), b"1", false);
    let mut good = z.finish();
    let n = replace_all(&mut good, "甲".as_bytes(), "乙".as_bytes());
    assert_eq!(n, 2, "extra field in local and central headers");
    write(&tmp.path().join("good.zip"), &good);

    // A stale CRC: the field must be ignored and the GBK name used.
    let mut z = RawZip::new();
    z.file(Name::GbkWithUnicodeExtra("丙.docx".into()), b"2", false);
    let mut stale = z.finish();
    let crc = crc32fast::hash(&gbk("丙.docx")).to_le_bytes();
    let n = replace_all(&mut stale, &crc, &[0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(n, 2);
    write(&tmp.path().join("stale.zip"), &stale);

    let ing = collect(&[tmp.path().to_path_buf()], &Limits::default());
    assert_eq!(
        displays(&ing),
        vec!["good.zip/乙.docx", "stale.zip/丙.docx"]
    );
}

#[test]
fn cp932_trail_byte_is_not_a_separator() {
    let tmp = tempfile::tempdir().unwrap();
    // Shift-JIS 表だよ/漢字.txt: 表 = 95 5C.
    let sjis = encoding_rs::SHIFT_JIS
        .encode("表だよ/漢字.txt")
        .0
        .into_owned();
    assert!(sjis.windows(2).any(|w| w == [0x95, 0x5c]));
    let mut z = RawZip::new();
    z.file(Name::Raw(sjis.clone()), b"x", false);
    // And a name that ends in the trap byte: must not be taken for a folder.
    z.file(Name::Raw(vec![b'a', b'/', 0x95, 0x5c]), b"y", false);
    let zip = tmp.path().join("jp.zip");
    write(&zip, &z.finish());
    let ing = collect(&[zip], &Limits::default());
    assert_eq!(ing.files.len(), 2, "{:#?}", displays(&ing));
    assert_eq!(
        ing.files[0].path.split('/').count(),
        2,
        "{}",
        ing.files[0].path
    );
    assert!(ing.files[0].path.ends_with(".txt"));
    assert_eq!(ing.files[1].path.split('/').count(), 2);
    assert!(ing.files.iter().all(|f| f.problem.is_none()));
}

#[test]
fn traversal_absolute_and_nul_names_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = tmp.path().join("a/b");
    let mut z = RawZip::new();
    z.file(Name::Raw(b"../../evil.docx".to_vec()), b"evil", false)
        .file(Name::Raw(b"/etc/passwd".to_vec()), b"root::0:0", false)
        .file(Name::Raw(b"C:\\x.docx".to_vec()), b"c", false)
        .file(Name::Raw(b"ok\\..\\..\\up.docx".to_vec()), b"up", false)
        .file(Name::Raw(b"nul\0.docx".to_vec()), b"nul", false)
        .file(Name::Gbk("正常/1.项目-单位.docx".into()), b"fine", false);
    write(&deep.join("t.zip"), &z.finish());
    let before = tree(tmp.path());
    let passwd_before = std::fs::read("/etc/passwd").ok();
    let limits = Limits::default();
    let ing = collect(std::slice::from_ref(&deep), &limits);
    for f in &ing.files {
        let _ = f.read(&limits);
    }
    let got: Vec<(String, bool)> = ing
        .files
        .iter()
        .map(|f| {
            let refused = f
                .problem
                .as_deref()
                .is_some_and(|p| p.starts_with("refused path: "));
            (f.path.clone(), refused)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("evil.docx".to_string(), true),
            ("etc/passwd".to_string(), true),
            ("x.docx".to_string(), true),
            ("ok/up.docx".to_string(), true),
            ("nul.docx".to_string(), true),
            ("正常/1.项目-单位.docx".to_string(), false),
        ]
    );
    assert!(ing.files[0].problem.as_ref().unwrap().contains(".."));
    assert!(ing.files[1].problem.as_ref().unwrap().contains("absolute"));
    assert!(ing.files[2].problem.as_ref().unwrap().contains("absolute"));
    assert!(ing.files[4].problem.as_ref().unwrap().contains("NUL"));
    assert!(ing.files[0].read(&limits).is_err());
    assert_eq!(ing.files[5].read(&limits).unwrap(), b"fine");
    assert!(ing.files.iter().all(|f| f.container == vec!["t.zip"]));
    assert_eq!(tree(tmp.path()), before);
    assert!(!tmp.path().join("evil.docx").exists());
    assert_eq!(std::fs::read("/etc/passwd").ok(), passwd_before);
}

// ------------------------------------------------------------- limits

#[test]
fn encrypted_entry_is_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let mut z = RawZip::new();
    z.encrypted_file(Name::Gbk("密/申报书.docx".into()), b"\x01\x02secret")
        .file(Name::Utf8("open.txt".into()), b"open", false);
    let zip = tmp.path().join("enc.zip");
    write(&zip, &z.finish());
    let limits = Limits::default();
    let ing = collect(&[zip], &limits);
    assert_eq!(
        displays(&ing),
        vec!["enc.zip/密/申报书.docx", "enc.zip/open.txt"]
    );
    assert_eq!(
        ing.files[0].problem.as_deref(),
        Some("encrypted (password-protected) zip entry")
    );
    assert!(
        ing.files[0]
            .read(&limits)
            .unwrap_err()
            .contains("encrypted")
    );
    assert_eq!(ing.files[1].problem, None);
    assert_eq!(ing.files[1].read(&limits).unwrap(), b"open");
}

fn bomb_limits() -> Limits {
    Limits {
        max_member_bytes: 64 << 20,
        max_ratio: 100.0,
        ratio_min_size: 1 << 20,
        ..Limits::default()
    }
}

#[test]
fn zip_bomb_is_caught_at_collect_by_its_declared_ratio() {
    let tmp = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 20 << 20];
    let mut z = RawZip::new();
    z.file(Name::Utf8("bomb.docx".into()), &zeros, true).file(
        Name::Utf8("small.txt".into()),
        &[0u8; 4096],
        true,
    );
    let zip = tmp.path().join("bomb.zip");
    write(&zip, &z.finish());
    let limits = bomb_limits();
    let ing = collect(&[zip], &limits);
    assert_eq!(ing.files.len(), 2);
    let p = ing.files[0].problem.as_deref().unwrap();
    assert!(p.contains("ratio") && p.contains("zip bomb"), "{p}");
    assert!(ing.files[0].read(&limits).is_err());
    // Small members may compress well: below ratio_min_size.
    assert_eq!(ing.files[1].problem, None);
    assert_eq!(ing.files[1].read(&limits).unwrap().len(), 4096);

    // The same member over a lowered size limit.
    let tight = Limits {
        max_member_bytes: 10 << 20,
        max_ratio: 1e9,
        ..Limits::default()
    };
    let ing = collect(&[tmp.path().join("bomb.zip")], &tight);
    assert!(
        ing.files[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("declared size"),
        "{:?}",
        ing.files[0].problem
    );
}

#[test]
fn zip_bomb_with_lying_sizes_fails_at_read() {
    let tmp = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 20 << 20];
    let mut z = RawZip::new();
    z.file(Name::Utf8("liar.docx".into()), &zeros, true);
    let mut bytes = z.finish();
    patch_declared_size(&mut bytes, 1000);
    let zip = tmp.path().join("liar.zip");
    write(&zip, &bytes);
    let limits = bomb_limits();
    let ing = collect(&[zip], &limits);
    assert_eq!(ing.files.len(), 1);
    assert_eq!(ing.files[0].size, 1000);
    assert_eq!(ing.files[0].problem, None, "declared sizes look harmless");
    let err = ing.files[0].read(&limits).unwrap_err();
    assert!(!err.is_empty());

    // With the size limit under the real size, the bounded read stops.
    let tight = Limits {
        max_member_bytes: 1 << 20,
        max_ratio: 1e9,
        ..Limits::default()
    };
    assert!(ing.files[0].read(&tight).is_err());
}

#[test]
fn too_many_entries_and_too_deep_and_batch_total() {
    let tmp = tempfile::tempdir().unwrap();
    let mut z = RawZip::new();
    for i in 0..30 {
        z.file(Name::Utf8(format!("f{i}.txt")), b"x", false);
    }
    write(&tmp.path().join("many.zip"), &z.finish());

    // zip in zip in zip.
    let mut inner = RawZip::new();
    inner.file(Name::Gbk("深.txt".into()), b"deep", false);
    let mut mid = RawZip::new();
    mid.file(Name::Utf8("inner.zip".into()), &inner.finish(), false);
    let mut outer = RawZip::new();
    outer.file(Name::Utf8("mid.zip".into()), &mid.finish(), true);
    write(&tmp.path().join("nest.zip"), &outer.finish());

    let limits = Limits {
        max_entries: 10,
        max_depth: 2,
        ..Limits::default()
    };
    let ing = collect(&[tmp.path().to_path_buf()], &limits);
    assert_eq!(
        displays(&ing),
        vec!["many.zip", "nest.zip/mid.zip/inner.zip"]
    );
    assert!(
        ing.files[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("too many entries")
    );
    assert!(
        ing.files[1]
            .problem
            .as_deref()
            .unwrap()
            .contains("nested too deep")
    );

    // With the default depth the deep file is reached, read from memory.
    let ing = collect(&[tmp.path().join("nest.zip")], &Limits::default());
    assert_eq!(displays(&ing), vec!["nest.zip/mid.zip/inner.zip/深.txt"]);
    assert_eq!(
        ing.files[0].container,
        vec!["nest.zip", "mid.zip", "inner.zip"]
    );
    assert_eq!(ing.files[0].read(&Limits::default()).unwrap(), b"deep");

    // Batch total: 30 one-byte members against a 20-byte budget.
    let budget = Limits {
        max_total_bytes: 20,
        ..Limits::default()
    };
    let ing = collect(&[tmp.path().join("many.zip")], &budget);
    assert_eq!(ing.files.len(), 30);
    assert!(ing.files[..20].iter().all(|f| f.problem.is_none()));
    assert!(ing.files[20..].iter().all(|f| {
        f.problem
            .as_deref()
            .is_some_and(|p| p.contains("batch limit"))
    }));
}

#[test]
fn truncated_and_corrupt_archives() {
    let tmp = tempfile::tempdir().unwrap();
    let mut z = RawZip::new();
    z.file(Name::Utf8("a.txt".into()), b"aaaaaaaaaaaaaaaa", false)
        .file(Name::Utf8("b.txt".into()), &[b'b'; 5000], true);
    let good = z.finish();
    write(&tmp.path().join("1-truncated.zip"), &good[..good.len() / 2]);
    let mut bad = good.clone();
    // Flip a byte of a.txt's stored data: CRC mismatch at read time.
    let at = 30 + "a.txt".len() + 3;
    bad[at] ^= 0xff;
    write(&tmp.path().join("2-badcrc.zip"), &bad);
    write(
        &tmp.path().join("3-notazip.zip"),
        b"this is not a zip at all",
    );
    let limits = Limits::default();
    let ing = collect(&[tmp.path().to_path_buf()], &limits);
    assert_eq!(
        displays(&ing),
        vec![
            "1-truncated.zip",
            "2-badcrc.zip/a.txt",
            "2-badcrc.zip/b.txt",
            "3-notazip.zip"
        ]
    );
    assert!(
        ing.files[0]
            .problem
            .as_deref()
            .unwrap()
            .starts_with("corrupt zip: ")
    );
    assert!(
        ing.files[3]
            .problem
            .as_deref()
            .unwrap()
            .starts_with("corrupt zip: ")
    );
    assert_eq!(ing.files[1].problem, None);
    let err = ing.files[1].read(&limits).unwrap_err();
    assert!(err.contains("corrupt"), "{err}");
    assert_eq!(ing.files[2].read(&limits).unwrap(), vec![b'b'; 5000]);
}

#[test]
fn ooxml_zips_are_documents_not_archives() {
    let tmp = tempfile::tempdir().unwrap();
    let mut docx = RawZip::new();
    docx.file(Name::Utf8("[Content_Types].xml".into()), b"<Types/>", true)
        .file(
            Name::Utf8("word/document.xml".into()),
            b"<w:document/>",
            true,
        );
    let docx = docx.finish();
    // Inside a bundle under a misleading name, and on disk as .bin.
    let mut bundle = RawZip::new();
    bundle
        .file(Name::Gbk("申报书.docx".into()), &docx, false)
        .file(Name::Gbk("附件/无扩展名".into()), &docx, false);
    write(&tmp.path().join("bundle.zip"), &bundle.finish());
    write(&tmp.path().join("form.bin"), &docx);
    let limits = Limits::default();
    let ing = collect(&[tmp.path().to_path_buf()], &limits);
    assert_eq!(
        displays(&ing),
        vec![
            "bundle.zip/申报书.docx",
            "bundle.zip/附件/无扩展名",
            "form.bin"
        ]
    );
    assert!(ing.files.iter().all(|f| f.problem.is_none()));
    // The sniffed one keeps its zip-member origin (no bytes held).
    assert!(matches!(ing.files[1].origin, Origin::ZipMember { .. }));
    assert_eq!(ing.files[1].read(&limits).unwrap(), docx);
    assert_eq!(ing.files[2].read(&limits).unwrap(), docx);
}

// ------------------------------------------------------------- e-mail

fn region_zip() -> Vec<u8> {
    let mut inner = RawZip::new();
    inner
        .dir(Name::Gbk("一带一路共建国家/".into()))
        .file(
            Name::Gbk("一带一路共建国家/1.智能农机-山东大学.docx".into()),
            b"inner doc",
            true,
        )
        .file(
            Name::GbkWithUnicodeExtra("上合组织成员国/2.盐碱地-山东农业大学.docx".into()),
            b"two",
            true,
        );
    let mut outer = RawZip::new();
    outer
        .file(Name::Utf8("inner.zip".into()), &inner.finish(), true)
        .file(Name::Gbk("附件3 汇总表.xlsx".into()), b"summary", true);
    outer.finish()
}

fn chinese_eml() -> Vec<u8> {
    let subject = encoding_rs::GB18030
        .encode("关于报送2026年国际科技合作项目的函")
        .0;
    let body = gbk("各位好：请查收附件。");
    let html = gbk("<p>各位好：请查收附件。</p>");
    let n1 = gbk("山东大学申报书.docx");
    let n2 = encoding_rs::GBK.encode("承诺书.doc").0.into_owned();
    let n3 = gbk("山东省推荐函.pdf");
    let from = b64("山东省科技厅".as_bytes());
    let mut m = String::new();
    m += &format!("From: =?UTF-8?B?{from}?= <kjt@example.cn>\r\n");
    m += "To: intake@example.cn\r\n";
    m += &format!("Subject: =?GB18030?B?{}?=\r\n", b64(&subject));
    m += "Date: Mon, 5 Jan 2026 09:30:00 +0800\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n";
    m += "--MIX\r\nContent-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n";
    m += "--ALT\r\nContent-Type: text/plain; charset=\"GBK\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += &b64_lines(&body);
    m += "\r\n--ALT\r\nContent-Type: text/html; charset=\"GBK\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += &b64_lines(&html);
    m += "\r\n--ALT--\r\n";
    m += &format!(
        "--MIX\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"=?GBK?B?{0}?=\"\r\nContent-Disposition: attachment; filename=\"=?GBK?B?{0}?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
        b64(&n1)
    );
    m += &b64_lines(b"docx bytes");
    m += &format!(
        "\r\n--MIX\r\nContent-Type: application/msword; name=\"=?gb2312?Q?{0}?=\"\r\nContent-Disposition: attachment; filename=\"=?gb2312?Q?{0}?=\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
        q(&n2)
    );
    m += "doc=20bytes";
    m += &format!(
        "\r\n--MIX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=GBK''{}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
        pct(&n3)
    );
    m += &b64_lines(b"%PDF-1.4 fake");
    m += "\r\n--MIX\r\nContent-Type: application/zip; name=\"attached.zip\"\r\nContent-Disposition: attachment; filename=\"attached.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += &b64_lines(&region_zip());
    m += "\r\n--MIX--\r\n";
    m.into_bytes()
}

#[test]
fn eml_with_encoded_names_and_nested_zips() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    write(&inbox.join("x.eml"), &chinese_eml());
    let before = tree(tmp.path());
    let limits = Limits::default();
    let ing = collect(std::slice::from_ref(&inbox), &limits);
    assert!(ing.failures.is_empty(), "{:?}", ing.failures);
    let got: Vec<(String, Vec<String>)> = ing
        .files
        .iter()
        .map(|f| (f.path.clone(), f.container.clone()))
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            ("山东大学申报书.docx".to_string(), s(&["x.eml"])),
            ("承诺书.doc".to_string(), s(&["x.eml"])),
            ("山东省推荐函.pdf".to_string(), s(&["x.eml"])),
            (
                "一带一路共建国家/1.智能农机-山东大学.docx".to_string(),
                s(&["x.eml", "attached.zip", "inner.zip"])
            ),
            (
                "上合组织成员国/2.盐碱地-山东农业大学.docx".to_string(),
                s(&["x.eml", "attached.zip", "inner.zip"])
            ),
            (
                "附件3 汇总表.xlsx".to_string(),
                s(&["x.eml", "attached.zip"])
            ),
        ]
    );
    assert!(ing.files.iter().all(|f| f.problem.is_none()));
    assert!(matches!(ing.files[0].origin, Origin::Memory(_)));
    assert_eq!(ing.files[0].read(&limits).unwrap(), b"docx bytes");
    assert_eq!(ing.files[1].read(&limits).unwrap(), b"doc bytes");
    assert_eq!(ing.files[3].read(&limits).unwrap(), b"inner doc");
    assert_eq!(ing.files[5].read(&limits).unwrap(), b"summary");

    assert_eq!(ing.messages.len(), 1);
    let m = &ing.messages[0];
    assert_eq!(m.path, "x.eml");
    assert_eq!(
        m.subject.as_deref(),
        Some("关于报送2026年国际科技合作项目的函")
    );
    assert_eq!(m.from.as_deref(), Some("山东省科技厅 <kjt@example.cn>"));
    assert_eq!(m.date.as_deref(), Some("2026-01-05T09:30:00+08:00"));
    assert_eq!(m.attachments, 4);
    assert_eq!(tree(tmp.path()), before);

    // Given directly, the message is its own container too.
    let ing2 = collect(&[inbox.join("x.eml")], &limits);
    assert_eq!(displays(&ing2), displays(&ing));
}

#[test]
fn eml_depth_counts_as_a_level() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("x.eml"), &chinese_eml());
    let limits = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    let ing = collect(&[tmp.path().join("x.eml")], &limits);
    let f = find(&ing, "x.eml/attached.zip/inner.zip");
    assert!(f.problem.as_deref().unwrap().contains("nested too deep"));
    assert!(
        find(&ing, "x.eml/attached.zip/附件3 汇总表.xlsx")
            .problem
            .is_none()
    );
}

#[test]
fn garbage_eml_does_not_panic() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("empty.eml"), b"");
    write(
        &tmp.path().join("junk.eml"),
        &[0xff, 0x00, 0x80, 0x0d, 0x0a],
    );
    let ing = collect(&[tmp.path().to_path_buf()], &Limits::default());
    // Either listed with a problem or parsed as a message without
    // attachments; never a panic, never a lost input silently.
    for name in ["empty.eml", "junk.eml"] {
        let listed = ing
            .files
            .iter()
            .any(|f| f.path == name && f.problem.is_some());
        let parsed = ing.messages.iter().any(|m| m.path == name);
        assert!(listed || parsed, "{name}");
    }
}

// ------------------------------------------------------------- corpus

fn table(ing: &Ingested) {
    for f in &ing.files {
        println!(
            "{:<60} {:>8}  {}",
            f.display_path(),
            f.size,
            f.problem.as_deref().unwrap_or("ok")
        );
    }
    for m in &ing.messages {
        println!(
            "  message {}: subject={:?} from={:?} date={:?} attachments={}",
            m.path, m.subject, m.from, m.date, m.attachments
        );
    }
}

#[test]
fn corpus_zips() {
    let Some(root) = corpus() else { return };
    let dir = root.join("zip");
    let limits = Limits::default();
    let ing = collect(&[dir], &limits);
    table(&ing);
    assert!(ing.failures.is_empty(), "{:?}", ing.failures);
    let paths = |zip: &str| -> Vec<String> {
        ing.files
            .iter()
            .filter(|f| f.container.first().map(String::as_str) == Some(zip))
            .map(|f| f.path.clone())
            .collect()
    };
    let old = paths("old7z_cp936.zip");
    assert!(old.contains(&"你好世界.txt".to_string()), "{old:?}");
    assert!(old.contains(&"こんにちは世界.txt".to_string()), "{old:?}");
    assert!(paths("chs_name.zip").contains(&"中文路径.txt".to_string()));
    let new = paths("new7z_cp936.zip");
    assert!(!new.is_empty());
    assert!(new.iter().all(|p| !p.contains('\u{fffd}')), "{new:?}");
    assert!(new.contains(&"src/你好世界.txt".to_string()), "{new:?}");
    let jp = paths("test_read_format_zip_filename_cp932.zip");
    assert_eq!(jp.len(), 2, "{jp:?}");
    assert!(jp.iter().all(|p| p.split('/').count() == 2), "{jp:?}");
    for f in &ing.files {
        assert_eq!(f.problem, None, "{}", f.display_path());
        f.read(&limits).unwrap();
    }
}

#[test]
fn corpus_emls() {
    let Some(root) = corpus() else { return };
    let dir = root.join("eml");
    let limits = Limits::default();
    let ing = collect(&[dir], &limits);
    table(&ing);
    assert!(ing.failures.is_empty(), "{:?}", ing.failures);
    let names = |eml: &str| -> Vec<String> {
        ing.files
            .iter()
            .filter(|f| f.container == vec![eml.to_string()])
            .map(|f| f.path.clone())
            .collect()
    };
    assert_eq!(names("japanese_attachment.eml"), vec!["てすと.txt"]);
    assert_eq!(
        names("japanese_attachment_long_name.eml"),
        vec!["かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"]
    );
    let enc = names("attachment_with_encoded_name.eml");
    assert_eq!(enc.len(), 1, "{enc:?}");
    assert!(
        enc[0].starts_with("01 Quien Te Dij") && enc[0].ends_with("at. Pitbull.mp3"),
        "{enc:?}"
    );
    let gbk = names("test_chinese_multipart_mixed_gbk_over_base64.eml");
    assert!(
        gbk.contains(&"attached-pdf-filename.pdf".to_string()),
        "{gbk:?}"
    );
    assert!(
        gbk.contains(&"attached-json-filename.json".to_string()),
        "{gbk:?}"
    );
    assert!(names("chinese_gb2312_encoding.eml").is_empty());
    assert_eq!(ing.messages.len(), 7);
    for f in &ing.files {
        assert_eq!(f.problem, None, "{}", f.display_path());
        f.read(&limits).unwrap();
    }
}

#[test]
fn eml_with_raw_gbk_filename() {
    let tmp = tempfile::tempdir().unwrap();
    let mut m: Vec<u8> = Vec::new();
    m.extend_from_slice(b"From: a@example.cn\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: application/octet-stream; name=\"");
    m.extend_from_slice(&gbk("申报书.docx"));
    m.extend_from_slice(b"\"\r\nContent-Disposition: attachment; filename=\"");
    m.extend_from_slice(&gbk("申报书.docx"));
    m.extend_from_slice(b"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    m.extend_from_slice(b64(b"raw gbk").as_bytes());
    m.extend_from_slice(b"\r\n--B--\r\n");
    write(&tmp.path().join("raw.eml"), &m);
    let ing = collect(&[tmp.path().join("raw.eml")], &Limits::default());
    assert_eq!(displays(&ing), vec!["raw.eml/申报书.docx"]);
}

#[test]
fn forwarded_message_attachment_is_expanded() {
    let tmp = tempfile::tempdir().unwrap();
    let inner = format!(
        "From: b@example.cn\r\nSubject: =?GBK?B?{}?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"IN\"\r\n\r\n--IN\r\nContent-Type: text/plain\r\n\r\nhi\r\n--IN\r\nContent-Type: application/pdf; name=\"=?GBK?B?{}?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--IN--\r\n",
        b64(&gbk("转发：申报材料")),
        b64(&gbk("合作协议.pdf")),
        b64(b"%PDF inner")
    );
    let outer = format!(
        "From: a@example.cn\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"OUT\"\r\n\r\n--OUT\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--OUT\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n{inner}\r\n--OUT--\r\n"
    );
    write(&tmp.path().join("fwd.eml"), outer.as_bytes());
    let limits = Limits::default();
    let ing = collect(&[tmp.path().join("fwd.eml")], &limits);
    assert_eq!(ing.files.len(), 1, "{:#?}", displays(&ing));
    let f = &ing.files[0];
    assert_eq!(f.path, "合作协议.pdf");
    assert_eq!(f.container.len(), 2);
    assert_eq!(f.container[0], "fwd.eml");
    assert_eq!(f.read(&limits).unwrap(), b"%PDF inner");
    assert_eq!(ing.messages.len(), 2);
    assert_eq!(ing.messages[1].subject.as_deref(), Some("转发：申报材料"));
    assert_eq!(ing.messages[0].attachments, 1);
}

#[test]
fn large_batch_is_listed_without_holding_members() {
    let tmp = tempfile::tempdir().unwrap();
    let mut z = RawZip::new();
    for i in 0..2000 {
        let name = format!("一带一路共建国家/{i}.项目-单位.docx");
        z.file(Name::Gbk(name), format!("member {i}").as_bytes(), true);
    }
    let zip = tmp.path().join("big.zip");
    write(&zip, &z.finish());
    let limits = Limits::default();
    let t = std::time::Instant::now();
    let ing = collect(&[zip], &limits);
    assert_eq!(ing.files.len(), 2000);
    assert!(
        ing.files
            .iter()
            .all(|f| matches!(f.origin, Origin::ZipMember { .. }) && f.problem.is_none())
    );
    assert_eq!(ing.files[1999].path, "一带一路共建国家/1999.项目-单位.docx");
    let listed = t.elapsed();
    for (i, f) in ing.files.iter().enumerate().step_by(97) {
        assert_eq!(f.read(&limits).unwrap(), format!("member {i}").as_bytes());
    }
    println!(
        "listed 2000 members in {listed:?}, 21 reads in {:?}",
        t.elapsed() - listed
    );
}

#[test]
fn unsupported_method_empty_archive_and_duplicate_names() {
    let tmp = tempfile::tempdir().unwrap();
    let mut z = RawZip::new();
    z.file(Name::Utf8("bz.docx".into()), b"pretend bzip2", false);
    let mut bz = z.finish();
    // Method 12 (bzip2) in the local header and the central directory.
    bz[8..10].copy_from_slice(&12u16.to_le_bytes());
    let eocd = bz.len() - 22;
    let cd = u32::from_le_bytes(bz[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    bz[cd + 10..cd + 12].copy_from_slice(&12u16.to_le_bytes());
    write(&tmp.path().join("a-bzip2.zip"), &bz);
    let mut empty = RawZip::new();
    empty.dir(Name::Utf8("只有目录/".into()));
    write(&tmp.path().join("b-empty.zip"), &empty.finish());
    let mut dup = RawZip::new();
    dup.file(Name::Utf8("same.txt".into()), b"1", false).file(
        Name::Utf8("same.txt".into()),
        b"2",
        false,
    );
    write(&tmp.path().join("c-dup.zip"), &dup.finish());

    let ing = collect(&[tmp.path().to_path_buf()], &Limits::default());
    assert_eq!(
        displays(&ing),
        vec!["a-bzip2.zip/bz.docx", "c-dup.zip/same.txt"]
    );
    let p = ing.files[0].problem.as_deref().unwrap();
    assert!(p.contains("unsupported zip compression method"), "{p}");
    assert!(
        ing.skipped
            .iter()
            .any(|s| s.path == "b-empty.zip" && s.reason.contains("no files"))
    );
    assert_eq!(ing.failures.len(), 1, "{:?}", ing.failures);
    assert_eq!(ing.failures[0].path, "c-dup.zip");
}

#[test]
fn mutated_archives_and_messages_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut z = RawZip::new();
    z.file(
        Name::Gbk("一带一路共建国家/1.项目-单位.docx".into()),
        &[7u8; 3000],
        true,
    )
    .file(
        Name::GbkWithUnicodeExtra("日韩/2.x.pdf".into()),
        b"pdf",
        false,
    )
    .file(Name::Utf8("inner.zip".into()), &region_zip(), true);
    let zip = z.finish();
    let eml = chinese_eml();
    let limits = Limits::default();
    // A small deterministic generator (no rand dependency).
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..150 {
        for (name, orig) in [("m.zip", &zip), ("m.eml", &eml)] {
            let mut bytes = orig.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() as usize) % bytes.len();
                bytes[at] = next() as u8;
            }
            if round % 10 == 0 {
                let cut = (next() as usize) % bytes.len();
                bytes.truncate(cut);
            }
            let p = tmp.path().join(name);
            write(&p, &bytes);
            let ing = collect(&[p], &limits);
            for f in &ing.files {
                let _ = f.read(&limits);
            }
        }
    }
}

/// An attachment named as Foxmail/Outlook write a long GBK name: RFC 2231
/// `filename*0*=GBK''…` continuations, and a quoted `name="…"` of several
/// RFC 2047 words folded over lines (base64 with `/` in it). Once the name
/// came out as `…eml/WuMTPvajS6S4=?==?GBK?B?emlw?=`.
#[test]
fn eml_attachment_name_in_continuations_and_folded_words() {
    use intake_samples::mail::{Mail, base64, build};
    let name = "关于报送2026年度省级国际科技合作项目指南建议及汇总表的函（某市科学技术局）.zip";
    let gbk_name = gbk(name);
    assert!(
        base64(&gbk_name).contains('/'),
        "the name's base64 holds a '/'"
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut z, b"a").unwrap();
    let zip = z.finish().unwrap().into_inner();
    let eml = build(&Mail {
        from_name: "某市科学技术局",
        from_addr: "a@example.cn",
        to: "b@example.cn",
        subject: "函",
        body: "见附件",
        date: "Wed, 26 Nov 2025 15:42:08 +0800",
        message_id: "1@example.cn",
        attachment_name: name,
        attachment: &zip,
    });
    let text = String::from_utf8_lossy(&eml);
    assert!(text.contains("filename*1*="), "continuations written");
    assert!(text.contains("?=\r\n =?GBK?B?"), "folded words written");
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("x.eml"), &eml);
    let ing = collect(&[tmp.path().join("x.eml")], &Limits::default());
    let paths: Vec<String> = ing.files.iter().map(|f| f.display_path()).collect();
    assert_eq!(paths, vec![format!("x.eml/{name}/a.txt")]);
}
