//! Whole-batch checks: determinism, truth lines parse with the SPEC §3 key
//! set, every truth path exists in its (nested / e-mailed) zip, and names
//! are encoded as promised.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use intake_samples::truth::TruthLine;
use intake_samples::{Batch, Options, shandong};

fn small() -> Batch {
    shandong(&Options {
        proposals: 36,
        seed: 1,
        docs_truth: true,
    })
    .unwrap()
}

fn files(b: &Batch) -> BTreeMap<String, Vec<u8>> {
    b.files
        .iter()
        .map(|(k, v)| (k.trim_start_matches("inbox/").to_string(), v.clone()))
        .collect()
}

fn b64decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::new();
    for ch in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in ch.iter().enumerate() {
            n |= (val(*c) as u32) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..ch.len() - 1]);
    }
    out
}

/// The zip attachment of a generated e-mail.
fn attachment(eml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(eml.to_vec()).unwrap();
    let part = text.split("filename*0*=").nth(1).unwrap();
    let body = part.split("\r\n\r\n").nth(1).unwrap();
    let body = body.split("\r\n--").next().unwrap();
    b64decode(body)
}

/// Entry name → bytes, names decoded as intake should (UTF-8 flag or GBK).
fn entries(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let raw = f.name_raw().to_vec();
        let name = match std::str::from_utf8(&raw) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::GBK.decode(&raw).0.into_owned(),
        };
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(name, data);
    }
    out
}

/// (flags, raw name, extra) of every central directory record.
fn central(zip: &[u8]) -> Vec<(u16, Vec<u8>, Vec<u8>)> {
    let eocd = (0..zip.len() - 21)
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 5, 6])
        .unwrap();
    let u16at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let n = u16at(eocd + 10);
    let mut p = u32::from_le_bytes(zip[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let mut out = Vec::new();
    for _ in 0..n {
        assert_eq!(zip[p..p + 4], [0x50, 0x4b, 1, 2]);
        let (nl, el, cl) = (u16at(p + 28), u16at(p + 30), u16at(p + 32));
        out.push((
            u16at(p + 8) as u16,
            zip[p + 46..p + 46 + nl].to_vec(),
            zip[p + 46 + nl..p + 46 + nl + el].to_vec(),
        ));
        p += 46 + nl + el + cl;
    }
    out
}

#[test]
fn same_seed_same_bytes() {
    let a = small();
    let b = small();
    assert_eq!(files(&a), files(&b));
    let ta: Vec<String> = a
        .truth
        .iter()
        .map(|t| serde_json::to_string(t).unwrap())
        .collect();
    let tb: Vec<String> = b
        .truth
        .iter()
        .map(|t| serde_json::to_string(t).unwrap())
        .collect();
    assert_eq!(ta, tb);
    let c = shandong(&Options {
        proposals: 36,
        seed: 2,
        docs_truth: true,
    })
    .unwrap();
    assert_ne!(files(&a), files(&c));
}

#[test]
fn truth_lines_parse_with_spec_keys() {
    let b = small();
    let keys = [
        "agreement",
        "applicant",
        "applicant_type",
        "execution_period",
        "funding",
        "indicators",
        "key_technologies",
        "partner_countries",
        "partner_institution",
        "pi",
        "project_name",
        "project_name_en",
        "seals",
        "trl",
    ];
    let mut keys = keys.to_vec();
    keys.extend(["applicant_registered", "novelty_report"]);
    keys.sort_unstable();
    let (mut docs, mut summaries) = (0, 0);
    for t in &b.truth {
        let line = serde_json::to_string(t).unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let back: TruthLine = serde_json::from_str(&line).unwrap();
        assert_eq!(&back, t);
        match t {
            TruthLine::Doc(d) => {
                docs += 1;
                let got: Vec<&String> = v["fields"].as_object().unwrap().keys().collect();
                assert_eq!(got, keys.iter().collect::<Vec<_>>());
                assert!(d.path.ends_with(".docx"));
                assert!(!d.fields.partner_countries.is_empty());
                assert!(d.fields.trl.is_some());
                assert!(d.fields.agreement.is_none() && d.fields.seals.is_empty());
            }
            TruthLine::Summary(s) => {
                summaries += 1;
                assert_eq!(s.role, "summary");
                assert!(!s.rows.is_empty());
            }
        }
    }
    assert_eq!(docs, 36);
    assert_eq!(summaries, 3);
}

#[test]
fn every_truth_path_is_in_its_zip() {
    let b = small();
    let files = files(&b);
    let mut kinds = (0, 0); // (nested, e-mailed)
    for t in &b.truth {
        let chain = t.container();
        let mut zip = files
            .get(&chain[0])
            .unwrap_or_else(|| panic!("{:?}", chain))
            .clone();
        let mut rest = &chain[1..];
        if chain[0].ends_with(".eml") {
            zip = attachment(&zip);
            rest = &chain[2..];
            kinds.1 += 1;
        }
        for inner in rest {
            zip = entries(&zip)
                .remove(inner)
                .unwrap_or_else(|| panic!("{inner} in {chain:?}"));
            kinds.0 += 1;
        }
        let data = entries(&zip)
            .remove(t.path())
            .unwrap_or_else(|| panic!("{} in {chain:?}", t.path()));
        if let TruthLine::Doc(d) = t {
            // The visible text carries the project name and partner (runs joined).
            let xml = entries(&data).remove("word/document.xml").unwrap();
            let xml = String::from_utf8(xml).unwrap();
            let mut text = String::new();
            for piece in xml.split("<w:t xml:space=\"preserve\">").skip(1) {
                text.push_str(piece.split("</w:t>").next().unwrap());
            }
            let text = text.replace("&amp;", "&");
            let name = d.fields.project_name.as_deref().unwrap();
            assert!(text.contains(name), "{name} not in {}", d.path);
            assert!(text.contains(d.fields.partner_institution.as_deref().unwrap()));
            assert!(data.len() < 12_000, "{} is {} bytes", d.path, data.len());
        }
    }
    assert!(kinds.0 >= 2, "no nested zip");
    assert!(kinds.1 >= 2, "no e-mail");
}

#[test]
fn names_are_encoded_as_promised() {
    let b = small();
    let files = files(&b);
    let gbk_zip = &files["济南市科学技术局.zip"];
    let recs = central(gbk_zip);
    let mut chinese = 0;
    for (flags, raw, _) in &recs {
        assert_eq!(flags & (1 << 11), 0, "GBK entry has the UTF-8 flag");
        let (decoded, _, bad) = encoding_rs::GBK.decode(raw);
        assert!(!bad);
        if !decoded.is_ascii() {
            chinese += 1;
            assert!(
                std::str::from_utf8(raw).is_err(),
                "{decoded} is not GBK bytes"
            );
            assert_eq!(encoding_rs::GBK.encode(&decoded).0.as_ref(), raw.as_slice());
        }
    }
    assert!(chinese > 5);
    for (flags, raw, _) in central(&files["山东大学.zip"]) {
        assert_ne!(flags & (1 << 11), 0);
        assert!(std::str::from_utf8(&raw).is_ok());
    }
    let mailed = attachment(&files["山东省农业农村厅.eml"]);
    for (flags, raw, extra) in central(&mailed) {
        assert_eq!(flags & (1 << 11), 0);
        assert_eq!(
            &extra[..2],
            &[0x75, 0x70],
            "no Unicode Path extra on {:?}",
            raw
        );
    }
}

#[test]
fn summary_rows_match_documents() {
    let b = small();
    let docs: Vec<_> = b
        .truth
        .iter()
        .filter_map(|t| match t {
            TruthLine::Doc(d) => Some(d),
            _ => None,
        })
        .collect();
    let mut differing = 0;
    for t in &b.truth {
        if let TruthLine::Summary(s) = t {
            for row in &s.rows {
                let d = docs
                    .iter()
                    .find(|d| d.path == row.document && d.container == row.document_container)
                    .unwrap();
                assert_eq!(
                    d.fields.project_name.as_deref(),
                    Some(row.project_name.as_str())
                );
                assert_eq!(d.fields.partner_countries, row.partner_countries);
                let same_trl = d.fields.trl.map(|t| t.current) == Some(row.trl_current);
                assert_eq!(same_trl, row.differs.is_empty());
                differing += usize::from(!same_trl);
            }
        }
    }
    assert_eq!(differing, 1);
}

#[test]
fn large_batch_is_well_formed() {
    let b = shandong(&Options {
        proposals: 200,
        seed: 7,
        docs_truth: false,
    })
    .unwrap();
    assert!(b.truth.iter().all(|t| matches!(t, TruthLine::Summary(_))));
    let rows: usize = b
        .truth
        .iter()
        .map(|t| match t {
            TruthLine::Summary(s) => s.rows.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(rows, 200);
}

/// The truth `fields` keys must stay those of intake's `record::Fields`.
#[test]
fn fields_keys_match_record_rs() {
    let record = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/record.rs");
    let Ok(src) = std::fs::read_to_string(&record) else {
        println!("skipped: {} not found", record.display());
        return;
    };
    let body = src
        .split("pub struct Fields {")
        .nth(1)
        .unwrap()
        .split("\n}")
        .next()
        .unwrap();
    let mut want: Vec<&str> = body
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub ")?.split(':').next())
        .collect();
    want.sort_unstable();
    let b = small();
    let doc = b
        .truth
        .iter()
        .find(|t| matches!(t, TruthLine::Doc(_)))
        .unwrap();
    let v = serde_json::to_value(doc).unwrap();
    let got: Vec<&str> = v["fields"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(got, want);
}

/// The small batch exercises every kind of variation the extractor must cope with.
#[test]
fn small_batch_covers_the_variations() {
    let b = small();
    let files = files(&b);
    let mut xml = String::new();
    let mut names = Vec::new();
    for t in &b.truth {
        let TruthLine::Doc(d) = t else { continue };
        let chain = &d.container;
        let mut zip = files[&chain[0]].clone();
        let mut rest = &chain[1..];
        if chain[0].ends_with(".eml") {
            zip = attachment(&zip);
            rest = &chain[2..];
        }
        for inner in rest {
            zip = entries(&zip).remove(inner).unwrap();
        }
        let docx = entries(&zip).remove(&d.path).unwrap();
        xml.push_str(
            &String::from_utf8(entries(&docx).remove("word/document.xml").unwrap()).unwrap(),
        );
        names.push(d.path.rsplit('/').next().unwrap().to_string());
    }
    for needle in [
        "w:vMerge w:val=\"restart\"",
        "w:gridSpan w:val=\"3\"",
        "w:gridSpan w:val=\"2\"",
        "经费预算",
        "①",
        "（1）",
        "TRL",
        "万元）",
        "项目英文名称",
        "主要参加人员",
    ] {
        assert!(xml.contains(needle), "no form has {needle}");
    }
    let docs: Vec<_> = b
        .truth
        .iter()
        .filter_map(|t| match t {
            TruthLine::Doc(d) => Some(d),
            _ => None,
        })
        .collect();
    assert!(docs.iter().any(|d| d.fields.key_technologies.len() > 5));
    assert!(docs.iter().any(|d| d.fields.project_name_en.is_none()));
    assert!(
        docs.iter()
            .any(|d| d.fields.funding.unwrap().matching_wan.is_none())
    );
    assert!(docs.iter().any(|d| d.fields.trl.unwrap().target.is_none()));
    assert!(docs.iter().any(|d| {
        d.fields
            .pi
            .as_ref()
            .unwrap()
            .birth_date
            .as_ref()
            .unwrap()
            .len()
            == 7
    }));
    let conventional = |n: &str| {
        let (seq, rest) = n.split_once('.').unwrap_or(("", ""));
        !seq.is_empty() && seq.bytes().all(|c| c.is_ascii_digit()) && rest.contains('-')
    };
    assert!(
        names.iter().any(|n| !conventional(n)),
        "no off-convention file name"
    );
    let n_conv = names.iter().filter(|n| conventional(n)).count();
    // About one name in ten breaks the convention on purpose.
    assert!(
        n_conv * 10 >= names.len() * 8,
        "{n_conv} of {} names conventional",
        names.len()
    );
}
