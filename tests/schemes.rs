//! The embedded `pipelines/` data: every scheme parses and validates, every
//! quote is traceable to its seed notice, overlays add and replace schemes.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use intake::check::engine::{ProposalView, evaluate};
use intake::record::{Fields, Funding, Period, Trl};
use intake::scheme::{Catalog, FINDING_CODES};

fn shared() -> Option<PathBuf> {
    common::shared("seeds")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_five_calls_exist() {
    let c = Catalog::load(None).unwrap();
    for id in [
        "shandong-2025-guideline",
        "shandong-2026-guideline",
        "most-intergov-2025-b3",
        "zhejiang-2025-jianbing-lingyan",
        "shanxi-2024-cooperation",
    ] {
        let s = c
            .scheme(id)
            .unwrap_or_else(|| panic!("scheme {id} missing"));
        assert!(!s.directions.is_empty(), "{id} has no directions");
        assert!(!s.rules.is_empty(), "{id} has no rules");
    }
    let ids: Vec<&str> = c.schemes().map(|s| s.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "schemes() must be sorted by id");
}

#[test]
fn every_code_and_group_ref_is_known() {
    let c = Catalog::load(None).unwrap();
    for s in c.schemes() {
        for r in &s.rules {
            assert!(
                FINDING_CODES.contains(&r.code.as_str()),
                "{}: {}",
                s.id,
                r.code
            );
        }
        for d in &s.directions {
            for cref in &d.countries {
                if let Some(g) = cref.trim_start_matches('!').strip_prefix('@') {
                    assert!(c.group(g).is_some(), "{}: @{g}", s.id);
                }
            }
            // A restricted direction expands to real countries.
            if !d.countries.is_empty() {
                assert!(
                    !c.expand_countries(&d.countries).is_empty(),
                    "{}/{}",
                    s.id,
                    d.id
                );
            }
        }
    }
    for g in [
        "sco",
        "japan-korea",
        "innovation-leading",
        "belt-and-road",
        "hk-macao-taiwan",
        "midlands-engine",
        "key-countries-shanxi",
    ] {
        assert!(c.group(g).is_some(), "group {g} missing");
    }
    assert!(c.expand_countries(&["@belt-and-road".into()]).len() > 140);
    assert_eq!(c.group("key-countries-shanxi").unwrap().members.len(), 11);
    // 11 counties, each in English and Chinese.
    assert_eq!(c.group("midlands-engine").unwrap().members.len(), 22);
}

#[test]
fn every_quote_is_in_its_seed() {
    let Some(shared) = shared() else {
        return;
    };
    let c = Catalog::load(None).unwrap();
    let seed = |name: &str| -> String {
        let p = shared.join("seeds").join(name);
        squeeze(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
    };
    let mut checked = 0;
    for s in c.schemes() {
        let text = seed(&s.seed);
        let mut quotes: Vec<(String, &str)> = Vec::new();
        for d in &s.directions {
            quotes.push((format!("direction {}", d.id), &d.quote));
        }
        if let Some(n) = &s.naming {
            quotes.push(("naming".into(), &n.quote));
        }
        if let Some(t) = &s.summary_table {
            quotes.push(("summary_table".into(), &t.quote));
        }
        for (i, r) in s.rules.iter().enumerate() {
            quotes.push((format!("rule {} {}", i + 1, r.code), &r.quote));
        }
        for (what, q) in quotes {
            assert!(!q.trim().is_empty(), "{} {what}: empty quote", s.id);
            assert!(
                text.contains(&squeeze(q)),
                "{} {what}: quote not in {}: {q}",
                s.id,
                s.seed
            );
            checked += 1;
        }
    }
    for g in c.groups() {
        if let (Some(sd), Some(q)) = (&g.seed, &g.quote) {
            assert!(
                seed(sd).contains(&squeeze(q)),
                "group {}: quote not in {sd}: {q}",
                g.id
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} quotes checked");
}

#[test]
fn overlay_adds_and_replaces_schemes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemes")).unwrap();
    let sixth = r#"
id = "hebei-2027-test"
title = "河北测试"
issuer = "河北省科学技术厅"
seed = "none.txt"
year = 2027
grouping = "folder"
[[directions]]
id = "jk"
name = "日韩"
countries = ["@japan-korea"]
quote = "日韩"
[[rules]]
code = "KEY_TECH_LIMIT"
kind = "max_items"
field = "key_technologies"
max = 2
quote = "不超过2项"
"#;
    std::fs::write(dir.path().join("schemes/hebei.toml"), sixth).unwrap();
    // Replace an embedded scheme by writing its relative path.
    let embedded = Catalog::embedded();
    let rel = embedded
        .scheme_file("shanxi-2024-cooperation")
        .unwrap()
        .to_string();
    let replaced = embedded.file(&rel).unwrap().replace(
        "title = \"2024年度山西省科技合作交流专项\"",
        "title = \"本地修订版\"",
    );
    std::fs::write(dir.path().join(&rel), replaced).unwrap();
    std::fs::write(dir.path().join("labels.toml"), "# local labels\n").unwrap();

    let c = Catalog::load(Some(dir.path())).unwrap();
    assert_eq!(c.schemes().count(), embedded.schemes().count() + 1);
    assert_eq!(c.scheme("hebei-2027-test").unwrap().rules.len(), 1);
    assert_eq!(
        c.scheme("shanxi-2024-cooperation").unwrap().title,
        "本地修订版"
    );
    assert_eq!(c.file("labels.toml"), Some("# local labels\n"));

    // The new scheme works with the engine without new code.
    let f = Fields {
        key_technologies: vec!["a".into(), "b".into(), "c".into()],
        ..Default::default()
    };
    let ev = BTreeMap::new();
    let view = ProposalView {
        documents: &[],
        submitted: None,
        direction: Some("jk"),
        fields: &f,
        evidence: &ev,
        file_stem: None,
        source: None,
    };
    let out = evaluate(c.scheme("hebei-2027-test").unwrap(), &c, &view);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].code, "KEY_TECH_LIMIT");
}

#[test]
fn bad_overlays_are_errors_not_panics() {
    let bad = |name: &str, text: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("schemes")).unwrap();
        std::fs::write(dir.path().join("schemes").join(name), text).unwrap();
        Catalog::load(Some(dir.path())).unwrap_err().to_string()
    };
    let base = "id = \"x\"\ntitle = \"t\"\nissuer = \"i\"\nseed = \"s\"\nyear = 2025\ngrouping = \"folder\"\n";
    let dir = "[[directions]]\nid = \"d\"\nname = \"n\"\nquote = \"q\"\n";
    assert!(bad("a.toml", "id = ").contains("cannot parse"));
    let e = bad(
        "a.toml",
        &format!(
            "{base}{dir}[[rules]]\ncode = \"NOPE\"\nkind = \"required\"\nfield = \"trl\"\nquote = \"q\"\n"
        ),
    );
    assert!(e.contains("NOPE"), "{e}");
    let e = bad(
        "a.toml",
        &format!(
            "{base}[[directions]]\nid = \"d\"\nname = \"n\"\ncountries = [\"@nowhere\"]\nquote = \"q\"\n"
        ),
    );
    assert!(e.contains("@nowhere"), "{e}");
    let e = bad(
        "a.toml",
        &format!(
            "{base}{dir}[[rules]]\ncode = \"MISSING_FIELD\"\nkind = \"required\"\nfield = \"colour\"\nquote = \"q\"\n"
        ),
    );
    assert!(e.contains("colour"), "{e}");
    let e = bad(
        "a.toml",
        &format!(
            "{base}{dir}[[rules]]\ncode = \"MISSING_FIELD\"\nkind = \"required\"\nfield = \"trl\"\nquote = \"q\"\ndirections = [\"zz\"]\n"
        ),
    );
    assert!(e.contains("zz"), "{e}");
    let e = bad(
        "a.toml",
        &format!(
            "{base}{dir}[[rules]]\ncode = \"MISSING_FIELD\"\nkind = \"teleport\"\nquote = \"q\"\n"
        ),
    );
    assert!(e.contains("cannot parse"), "{e}");
    let e = bad(
        "dup.toml",
        &format!("{base}{dir}").replace("\"x\"", "\"shanxi-2024-cooperation\""),
    );
    assert!(e.contains("already defined"), "{e}");
    let e = bad(
        "a.toml",
        &format!("{base}{dir}[naming]\npattern = \"(\"\nexample = \"e\"\nquote = \"q\"\n"),
    );
    assert!(e.contains("naming pattern"), "{e}");
    // Misspelt keys are errors, not silently ignored limits.
    let e = bad(
        "a.toml",
        &format!(
            "{base}{dir}[[rules]]\ncode = \"KEY_TECH_LIMIT\"\nkind = \"max_items\"\nfield = \"key_technologies\"\nmaximum = 5\nmax = 5\nquote = \"q\"\n"
        ),
    );
    assert!(e.contains("maximum"), "{e}");
    let e = bad("a.toml", &format!("{base}{dir}titel = \"x\"\n"));
    assert!(e.contains("titel"), "{e}");
    let e = bad(
        "a.toml",
        &format!(
            "{base}[[directions]]\nid = \"d\"\nname = \"n\"\nquote = \"q\"\ncountry = [\"KR\"]\n"
        ),
    );
    assert!(e.contains("country"), "{e}");
    let dir2 = tempfile::tempdir().unwrap();
    std::fs::write(dir2.path().join("countries.tsv"), [0xff, 0xfe, 0x00]).unwrap();
    assert!(
        Catalog::load(Some(dir2.path()))
            .unwrap_err()
            .to_string()
            .contains("UTF-8")
    );
    assert!(Catalog::load(Some(Path::new("/nonexistent/pipelines"))).is_err());
}

#[test]
fn shandong_2026_naming() {
    let c = Catalog::embedded();
    let s = c.scheme("shandong-2026-guideline").unwrap();
    let re = regex::Regex::new(&s.naming.as_ref().unwrap().pattern).unwrap();
    assert!(re.is_match("1.智能农机装备关键技术联合研发-山东大学"));
    assert!(re.is_match("12．海洋牧场装备-中国海洋大学"));
    assert!(!re.is_match("智能农机-山东大学"));
    assert!(!re.is_match("1.智能农机山东大学"));
    let s = c.scheme("shandong-2025-guideline").unwrap();
    let re = regex::Regex::new(&s.naming.as_ref().unwrap().pattern).unwrap();
    assert!(re.is_match("张某-项目名称-中医学院"));
    assert!(!re.is_match("项目名称"));
}

/// A proposal that satisfies each call gets no findings; one that breaks it
/// gets the SPEC §4 codes.
#[test]
fn end_to_end_findings() {
    let c = Catalog::embedded();
    let ev = BTreeMap::new();
    let s = c.scheme("shandong-2026-guideline").unwrap();
    let good = Fields {
        project_name: Some("智能农机装备关键技术联合研发".into()),
        applicant: Some("山东大学".into()),
        partner_countries: vec!["RU".into()],
        key_technologies: vec!["a".into(), "b".into()],
        trl: Some(Trl {
            current: 4,
            target: Some(6),
        }),
        indicators: vec![intake::record::Indicator {
            kind: intake::record::IndicatorKind::Patent,
            count: Some(3.0),
            text: "发明专利3项".into(),
        }],
        ..Default::default()
    };
    let view = |f: &'_ Fields, d: &'static str, stem: &'static str| -> Vec<String> {
        let v = ProposalView {
            documents: &[],
            submitted: None,
            direction: Some(d),
            fields: f,
            evidence: &ev,
            file_stem: Some(stem),
            source: Some("x.docx"),
        };
        evaluate(s, &c, &v)
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    };
    assert!(view(&good, "sco", "1.智能农机装备关键技术联合研发-山东大学").is_empty());
    let mut bad = good.clone();
    bad.key_technologies = (0..7).map(|i| i.to_string()).collect();
    bad.trl = None;
    bad.partner_countries = vec!["JP".into()];
    let codes = view(&bad, "sco", "智能农机-山东大学");
    for code in [
        "KEY_TECH_LIMIT",
        "TRL_MISSING",
        "CATEGORY_MISMATCH",
        "FILENAME_CONVENTION",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} not in {codes:?}");
    }

    let s = c.scheme("shanxi-2024-cooperation").unwrap();
    let f = Fields {
        applicant_type: Some(intake::record::ApplicantType::Enterprise),
        pi: Some(intake::record::Pi {
            name: "李四".into(),
            birth_date: Some("1965-03-01".into()),
            title: None,
        }),
        partner_countries: vec!["DE".into()],
        funding: Some(Funding {
            requested_wan: Some(40.0),
            matching_wan: Some(40.0),
        }),
        execution_period: Some(Period {
            start: Some("2025-01".into()),
            end: Some("2026-12".into()),
        }),
        ..Default::default()
    };
    // The commitment letter came without a seal.
    let letter = [intake::record::SourceRef {
        path: "1/资金配套承诺书.pdf".into(),
        container: String::new(),
        kind: "pdf".into(),
        role: intake::record::Role::Attachment,
        sha256: String::new(),
        pages: Some(1),
        ocr: true,
    }];
    let v = ProposalView {
        documents: &letter,
        submitted: None,
        direction: Some("key-country"),
        fields: &f,
        evidence: &ev,
        file_stem: None,
        source: None,
    };
    let codes: Vec<String> = evaluate(s, &c, &v)
        .into_iter()
        .map(|f| f.code.to_string())
        .collect();
    for code in [
        "PI_AGE_LIMIT",
        "MATCHING_RATIO_LOW",
        "AGREEMENT_MISSING",
        "SEAL_MISSING",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} not in {codes:?}");
    }
    assert!(
        !codes
            .iter()
            .any(|c| c == "PERIOD_OUT_OF_RANGE" || c == "PARTNER_NOT_ELIGIBLE"),
        "{codes:?}"
    );
}
