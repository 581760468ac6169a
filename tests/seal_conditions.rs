//! Seal reading per hard condition (issue 14): generated pages whose seals
//! are overprinted, on textured paper, faded, broken, turned, blurred,
//! 150-dpi JPEG, overlapping, or all at once (`intake_samples::seals`),
//! read by the real pipeline pieces — `seal::detect` on the page at its
//! dpi, then the owner decided from each mark's readings by
//! `fields::seals::judge_covered` against the page's parties (the seal's
//! own and two or three organizations of the same province and kind,
//! with the arcs of its text under another seal) — and the
//! real seal images of `../shared/corpus/external/seal-images`, scored
//! against `tests/seal_images.truth.tsv`.
//!
//! Similarity is 1 − Levenshtein distance / longer length over the CJK
//! characters of the ring text as reported (the mark's `text` before the
//! legend; never snapped to a party's name) and of the true name. A false
//! mismatch is a seal of a listed party that `fields::seals::seals_of`
//! gives to another party or a sub-unit, or leaves nobody's at confidence
//! ≥ 0.8 (the `seal_required` rule's default), which the check turns into
//! SEAL_MISMATCH. A stranger's seal given to a party is a seal judged
//! with its own name taken out of the parties and still decided: what a
//! stamp of an organization the proposal does not name, named like one it
//! does, would come out as; "caught" counts those that would be
//! SEAL_MISMATCH, as they should.
//!
//! `SEAL_CONDITION_PAGES=N` sets pages per condition (default 10) and
//! `SEAL_CONDITION_SEED=S` the first page's seed (default 1000): other
//! seeds check a change on pages it was not tuned on.
//! `SEAL_CONDITION_ONLY=overlap,all` reads only the named conditions (the
//! checks that each degradation takes effect then do not run).

mod common;

use std::time::Instant;

use intake::fields::seals::{Party, Verdict, judge_covered, seals_of};
use intake::model::SealMark;
use intake::record::{Role, SealOwner};
use intake_samples::seals::{Condition, Faces, HardPage, hard_page};

/// The `seal_required` rule's default `min_confidence`.
const MISMATCH_CONFIDENCE: f32 = 0.8;

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c)
}

/// 1 − Levenshtein / longer length, over CJK characters only.
fn similarity(a: &str, b: &str) -> f64 {
    let a: String = a.chars().filter(|c| is_cjk(*c)).collect();
    let b: String = b.chars().filter(|c| is_cjk(*c)).collect();
    common::char_similarity(&a, &b)
}

/// The ring part of a mark's text (before the legend).
fn ring(text: &str) -> &str {
    text.split(' ').next().unwrap_or(text)
}

fn owner_of(role: &str) -> SealOwner {
    match role {
        "applicant" => SealOwner::Applicant,
        "partner" => SealOwner::Partner,
        "recommender" => SealOwner::Recommender,
        _ => SealOwner::Other,
    }
}

/// What became of one stamped seal.
#[derive(Debug, Clone, Copy, Default)]
struct Outcome {
    found: bool,
    sim: f64,
    /// Best similarity among the mark's text and all its readings.
    best: f64,
    right: bool,
    false_mismatch: bool,
    /// With its own name left out of the parties (a stranger's seal named
    /// like them), an owner was still decided.
    stranger_owner: bool,
    /// Judged so, it would be SEAL_MISMATCH (nobody's, read surely): a
    /// stranger's seal caught.
    stranger_caught: bool,
}

/// Reads one page and scores each of its seals.
fn score_page(p: &HardPage) -> (Vec<Outcome>, Vec<String>, usize) {
    let img = image::DynamicImage::ImageRgb8(p.image.clone());
    let marks = intake::seal::detect(&img, 1, p.dpi);
    let parties: Vec<Party> = p
        .parties
        .iter()
        .map(|(role, name)| Party {
            owner: owner_of(role),
            name: name.clone(),
        })
        .collect();
    let centre = |m: &SealMark| {
        let b = m.bbox.unwrap_or_default();
        let k = p.dpi / 72.0;
        ((b[0] + b[2]) / 2.0 * k, (b[1] + b[3]) / 2.0 * k)
    };
    let mut log = Vec::new();
    let mut used = vec![false; marks.len()];
    let outcomes = p
        .seals
        .iter()
        .map(|s| {
            let near = marks
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .map(|(i, m)| {
                    let (x, y) = centre(m);
                    (
                        i,
                        ((x - s.centre.0).powi(2) + (y - s.centre.1).powi(2)).sqrt(),
                    )
                })
                .filter(|&(_, d)| d < s.radius * 0.6)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((i, _)) = near else {
                log.push(format!("  {} not found ({} marks)", s.org, marks.len()));
                return Outcome::default();
            };
            used[i] = true;
            let m = &marks[i];
            let mut readings: Vec<&str> = Vec::new();
            if !m.text.is_empty() {
                readings.push(ring(&m.text));
            }
            readings.extend(m.readings.iter().map(String::as_str));
            let sim = similarity(ring(&m.text), &s.org);
            let best = readings
                .iter()
                .map(|r| similarity(r, &s.org))
                .fold(sim, f64::max);
            let want = owner_of(s.role);
            let verdict = judge_covered(&readings, &parties, &m.covered);
            let others: Vec<Party> = parties
                .iter()
                .filter(|q| q.name != s.org)
                .cloned()
                .collect();
            let stranger = judge_covered(&readings, &others, &m.covered);
            let stranger_owner = matches!(stranger, Verdict::Owner { .. });
            // What the check makes of the seal: `seals_of` as the CLI runs it.
            let doc = intake::model::Document {
                seals: vec![m.clone()],
                ..Default::default()
            };
            let as_seal = |parties: &[Party]| {
                let seal = seals_of(&[(&doc, Role::Form)], parties).remove(0);
                let mismatch = match seal.owner {
                    Some(o) => o != want,
                    None => {
                        !seal.text.is_empty()
                            && seal.confidence.unwrap_or(0.0) >= MISMATCH_CONFIDENCE
                    }
                };
                (seal.owner, mismatch)
            };
            let stranger_caught = as_seal(&others) == (None, true);
            if stranger_owner {
                log.push(format!(
                    "  STRANGER decided {stranger:?} covered {:?} readings {readings:?}",
                    m.covered
                ));
            }
            let (owner, false_mismatch) = as_seal(&parties);
            let right = owner == Some(want);
            log.push(format!(
                "  {} ({}, {:+.1}°, {}{}) read {:?} conf {:.2} sim {sim:.2} best {best:.2} → {}",
                s.org,
                s.role,
                s.rotation_deg,
                s.face,
                if s.star { ", star" } else { "" },
                m.text,
                m.confidence,
                match (&verdict, right, false_mismatch) {
                    (_, true, _) => "right".to_string(),
                    (_, _, true) => format!("FALSE MISMATCH {verdict:?} readings {readings:?}"),
                    _ => format!(
                        "unsure {verdict:?} readings {readings:?} parties {:?}",
                        p.parties
                    ),
                }
            ));
            Outcome {
                found: true,
                sim,
                best,
                right,
                false_mismatch,
                stranger_owner,
                stranger_caught,
            }
        })
        .collect::<Vec<_>>();
    // Marks no stamped seal claimed: a seal found twice, or ink that is none.
    let extra = marks
        .len()
        .saturating_sub(used.iter().filter(|u| **u).count());
    (outcomes, log, extra)
}

/// Red share, dark share and share of steep edges inside the first seal's disc,
/// paper brightness spread outside it: to check that a condition really
/// degrades its seals.
#[derive(Debug, Clone, Copy, Default)]
struct Look {
    red: f64,
    dark: f64,
    sharp: f64,
    paper_spread: f64,
}

fn look(p: &HardPage) -> Look {
    let s = &p.seals[0];
    let img = &p.image;
    let (mut red, mut dark, mut sharp, mut n) = (0usize, 0usize, 0.0f64, 0usize);
    let mut paper: Vec<f64> = Vec::new();
    for (x, y, px) in img.enumerate_pixels() {
        let d = ((x as f32 - s.centre.0).powi(2) + (y as f32 - s.centre.1).powi(2)).sqrt();
        let [r, g, b] = px.0;
        let luma = (299 * r as u32 + 587 * g as u32 + 114 * b as u32) / 1000;
        if d < s.radius {
            n += 1;
            red += usize::from(r as i32 - (g as i32).max(b as i32) > 60);
            dark += usize::from(r < 90 && g < 90 && b < 90);
            if x + 1 < img.width() {
                let q = img.get_pixel(x + 1, y).0;
                // Steep edges only: noise does not count, blur flattens them.
                let step = (luma as i32
                    - q.iter()
                        .zip([299, 587, 114])
                        .map(|(v, k)| *v as i32 * k)
                        .sum::<i32>()
                        / 1000)
                    .abs();
                sharp += f64::from(u8::from(step > 40));
            }
        } else if y > img.height() * 9 / 10 && luma > 150 {
            paper.push(luma as f64);
        }
    }
    let mean = paper.iter().sum::<f64>() / paper.len().max(1) as f64;
    let var = paper.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / paper.len().max(1) as f64;
    Look {
        red: red as f64 / n.max(1) as f64,
        dark: dark as f64 / n.max(1) as f64,
        sharp: sharp / n.max(1) as f64,
        paper_spread: var.sqrt(),
    }
}

/// Per-condition totals.
#[derive(Debug, Default, Clone)]
struct Row {
    seals: usize,
    found: usize,
    sims: Vec<f64>,
    bests: Vec<f64>,
    right: usize,
    false_mismatch: usize,
    stranger_owner: usize,
    stranger_caught: usize,
    extra: usize,
    looks: Vec<Look>,
    jpeg: bool,
    rot: f64,
    overlap: bool,
    secs: f64,
}

impl Row {
    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len().max(1) as f64
    }
    fn look(&self, f: impl Fn(&Look) -> f64) -> f64 {
        self.looks.iter().map(f).sum::<f64>() / self.looks.len().max(1) as f64
    }
}

/// Floors per condition (mean similarity, share of owners right), a
/// little under what the reader reaches today, so a regression fails. With
/// PP-OCRv4 (models/ unpacked by scripts/setup, as in CI) every condition
/// reads ≥ 0.9; without it, tesseract alone is held to what it reached.
fn floors(c: Condition) -> (f64, f64) {
    if intake::pixels::ppocr::recognizer().is_some() {
        return match c {
            Condition::Clean | Condition::Overprint | Condition::Texture => (0.95, 0.95),
            Condition::Faded | Condition::Rotated | Condition::Jpeg150 => (0.95, 0.95),
            Condition::Turned => (0.95, 0.95),
            Condition::Broken => (0.93, 0.9),
            Condition::Blur => (0.93, 0.85),
            Condition::Overlap => (0.9, 0.95),
            // Half its pages crossed: 0.877–0.890 on 300 held-out pages
            // (seeds 10000–12000), 0.891 on these ten.
            Condition::All => (0.88, 0.9),
        };
    }
    match c {
        Condition::Clean => (0.92, 0.85),
        Condition::Overprint => (0.92, 0.9),
        Condition::Texture => (0.95, 0.9),
        Condition::Faded => (0.95, 0.9),
        Condition::Broken => (0.42, 0.35),
        Condition::Rotated => (0.92, 0.85),
        Condition::Turned => (0.92, 0.85),
        Condition::Blur => (0.85, 0.85),
        Condition::Jpeg150 => (0.9, 0.85),
        Condition::Overlap => (0.6, 0.5),
        Condition::All => (0.6, 0.6),
    }
}

fn run_conditions(n: usize, first_seed: u64) -> Vec<(Condition, Row)> {
    let faces = Faces::load().expect("a CJK font (fonts-noto-cjk)");
    let only = std::env::var("SEAL_CONDITION_ONLY").ok();
    let jobs: Vec<(Condition, u64)> = Condition::EVERY
        .iter()
        .filter(|c| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|o| o == c.name()))
        })
        .flat_map(|&c| (0..n as u64).map(move |i| (c, first_seed + i)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(c, seed)) = jobs.get(k) else { break };
                    let t = Instant::now();
                    let page = hard_page(&faces, c, seed).expect("page");
                    if let Ok(dir) = std::env::var("SEAL_DUMP_PAGES") {
                        let _ = page.image.save(format!("{dir}/{}_{seed}.png", c.name()));
                    }
                    let (outcomes, log, extra) = score_page(&page);
                    let secs = t.elapsed().as_secs_f64();
                    let lk = look(&page);
                    let gap = (page.seals.len() == 2).then(|| {
                        let (a, b) = (page.seals[0].centre, page.seals[1].centre);
                        (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() / page.seals[0].radius)
                            as f64
                    });
                    let meta = (
                        page.jpeg.is_some(),
                        page.seals
                            .iter()
                            .map(|s| s.rotation_deg.abs() as f64)
                            .sum::<f64>()
                            / page.seals.len() as f64,
                        gap.is_some_and(|g| g < 2.0),
                        gap,
                    );
                    results
                        .lock()
                        .unwrap()
                        .push((c, seed, outcomes, log, secs, lk, meta, extra));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| (r.0 as usize, r.1));
    let mut rows: Vec<(Condition, Row)> = Condition::EVERY
        .iter()
        .map(|&c| (c, Row::default()))
        .collect();
    for (c, seed, outcomes, log, secs, lk, (jpeg, rot, overlap, gap), extra) in results {
        match gap {
            Some(g) => println!(
                "{} #{seed} ({secs:.1}s, centres {g:.2} radii apart):",
                c.name()
            ),
            None => println!("{} #{seed} ({secs:.1}s):", c.name()),
        }
        for l in log {
            println!("{l}");
        }
        let row = &mut rows.iter_mut().find(|r| r.0 == c).unwrap().1;
        for o in outcomes {
            row.seals += 1;
            row.found += usize::from(o.found);
            row.sims.push(o.sim);
            row.bests.push(o.best);
            row.right += usize::from(o.right);
            row.false_mismatch += usize::from(o.false_mismatch);
            row.stranger_owner += usize::from(o.stranger_owner);
            row.stranger_caught += usize::from(o.stranger_caught);
        }
        row.looks.push(lk);
        row.extra += extra;
        row.jpeg |= jpeg;
        row.rot += rot / n as f64;
        row.overlap |= overlap;
        row.secs += secs;
    }
    rows
}

#[test]
fn seals_per_condition() {
    let n = std::env::var("SEAL_CONDITION_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let first_seed = std::env::var("SEAL_CONDITION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let t = Instant::now();
    let rows = run_conditions(n, first_seed);
    println!(
        "\n{:<10} {:>7} {:>5} {:>6} {:>6} {:>7} {:>6} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "condition",
        "found",
        "extra",
        "sim",
        "best",
        "owner",
        "false",
        "strange",
        "caught",
        "red",
        "dark",
        "sharp",
        "secs"
    );
    for (c, r) in &rows {
        println!(
            "{:<10} {:>3}/{:<3} {:>5} {:>6.3} {:>6.3} {:>3}/{:<3} {:>6} {:>7} {:>6} {:>6.3} {:>6.3} {:>6.1} {:>6.1}",
            c.name(),
            r.found,
            r.seals,
            r.extra,
            Row::mean(&r.sims),
            Row::mean(&r.bests),
            r.right,
            r.seals,
            r.false_mismatch,
            r.stranger_owner,
            r.stranger_caught,
            r.look(|l| l.red),
            r.look(|l| l.dark),
            r.look(|l| l.sharp * 100.0),
            r.secs
        );
    }
    println!(
        "{} pages in {:.0}s",
        n * rows.len(),
        t.elapsed().as_secs_f64()
    );
    // The degradations take effect, measured on the pages as read.
    let row = |c: Condition| &rows.iter().find(|r| r.0 == c).unwrap().1;
    let clean = row(Condition::Clean);
    if std::env::var("SEAL_CONDITION_ONLY").is_ok() {
        check_floors(&rows);
        return;
    }
    assert!(row(Condition::Faded).look(|l| l.red) < clean.look(|l| l.red) * 0.8);
    assert!(row(Condition::Broken).look(|l| l.red) < clean.look(|l| l.red) * 0.9);
    assert!(row(Condition::Overprint).look(|l| l.dark) > clean.look(|l| l.dark) + 0.005);
    assert!(
        row(Condition::Texture).look(|l| l.paper_spread) > clean.look(|l| l.paper_spread) + 1.0
    );
    assert!(row(Condition::Blur).look(|l| l.sharp) < clean.look(|l| l.sharp) * 0.8);
    assert!(row(Condition::Rotated).rot >= 4.0);
    assert!(row(Condition::Turned).rot >= 20.0);
    assert!(row(Condition::Jpeg150).jpeg && row(Condition::All).jpeg);
    assert!(row(Condition::Overlap).overlap);
    assert!(row(Condition::All).look(|l| l.red) < clean.look(|l| l.red));
    check_floors(&rows);
}

/// Share of seals that, judged as a stranger's (their own name taken
/// out of the parties, the others named like it left in), may still be
/// given to a party. Names alike only in common characters (山东大学 and
/// 山东科技大学) cannot be told apart when such characters are lost: 0–8 %
/// per condition on seeds 10000 and 15000 (50 pages each), 5.1 % in all;
/// 12.8 % before a name read with characters of its own inside a party's
/// stopped being that party's.
const STRANGER_CEILING: f64 = 0.12;

/// Every condition read holds its floors and has no false mismatch.
fn check_floors(rows: &[(Condition, Row)]) {
    for (c, r) in rows.iter().filter(|r| r.1.seals > 0) {
        let (sim, owner) = floors(*c);
        assert_eq!(r.false_mismatch, 0, "{}: false mismatches", c.name());
        let mean = Row::mean(&r.sims);
        assert!(
            mean >= sim,
            "{}: mean similarity {mean:.3} < {sim}",
            c.name()
        );
        let share = r.right as f64 / r.seals.max(1) as f64;
        assert!(
            share >= owner,
            "{}: owners right {share:.2} < {owner}",
            c.name()
        );
        let strangers = r.stranger_owner as f64 / r.seals.max(1) as f64;
        assert!(
            strangers <= STRANGER_CEILING,
            "{}: strangers' seals taken as a party's {strangers:.2} > {STRANGER_CEILING}",
            c.name()
        );
    }
}

/// The real seal images, scored against what a person reads on them.
#[test]
fn real_seal_images() {
    let Some(root) = common::corpus() else {
        return;
    };
    let dir = root.join("seal-images");
    let truth = std::fs::read_to_string(common::repo().join("tests/seal_images.truth.tsv"))
        .expect("truth file");
    let mut want: Vec<(String, Vec<String>)> = Vec::new();
    for line in truth
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.split('\t');
        let (Some(file), Some(ring)) = (cols.next(), cols.next()) else {
            continue;
        };
        if file == "file" {
            continue;
        }
        match want.iter_mut().find(|w| w.0 == file) {
            Some(w) => w.1.push(ring.to_string()),
            None => want.push((file.to_string(), vec![ring.to_string()])),
        }
    }
    let mut sims = Vec::new();
    for (file, rings) in &want {
        let bytes = std::fs::read(dir.join(file)).expect("seal image");
        let img = image::load_from_memory(&bytes).expect("image");
        let dpi = intake::ocr::image_dpi(&bytes)
            .unwrap_or_else(|| intake::ocr::guess_dpi(img.width(), img.height()));
        let mut marks = intake::seal::detect(&img, 1, dpi);
        marks.sort_by(|a, b| {
            let x = |m: &SealMark| m.bbox.map_or(0.0, |b| b[0]);
            x(a).total_cmp(&x(b))
        });
        for (k, r) in rings.iter().enumerate() {
            let text = marks.get(k).map_or("", |m| ring(&m.text));
            let best = marks.get(k).map_or(0.0, |m| {
                m.readings
                    .iter()
                    .map(|t| similarity(t, r))
                    .fold(similarity(text, r), f64::max)
            });
            let sim = similarity(text, r);
            println!(
                "{file} #{k}: want {r:?}, read {text:?}: similarity {sim:.2} (best reading {best:.2})"
            );
            sims.push(sim);
        }
    }
    let mean = sims.iter().sum::<f64>() / sims.len().max(1) as f64;
    println!(
        "real seal images: mean ring similarity {mean:.3} over {} seals",
        sims.len()
    );
    // Issue 14's bar, with PP-OCRv4 (0.895 measured); tesseract alone
    // reached 0.37.
    let floor = if intake::pixels::ppocr::recognizer().is_some() {
        0.8
    } else {
        0.33
    };
    assert!(
        mean >= floor,
        "real seal images: mean similarity {mean:.3} < {floor}"
    );
}

/// The CLI on a small scanned batch whose seals are as hard as in
/// `Condition::All` (`intake-samples scan --hard-seals`): never a false
/// SEAL_MISMATCH, and where an owner is decided it is the right one.
#[test]
fn hard_seal_batch_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    intake_samples::seals::write_hard_batch(dir.path(), 14, 5).expect("batch");
    let out = tempfile::tempdir().unwrap();
    common::ingest(
        &dir.path().join("inbox"),
        out.path(),
        "shandong-2026-guideline",
    );
    let truth = common::read_jsonl(&dir.path().join("truth.jsonl"));
    let subs = common::read_jsonl(&out.path().join("submissions.jsonl"));
    let (mut right, mut sealed, mut false_mismatch) = (0, 0, 0);
    for t in &truth {
        let path = t["path"].as_str().unwrap();
        let s = subs
            .iter()
            .find(|s| s["sources"][0]["path"].as_str() == Some(path))
            .unwrap_or_else(|| panic!("no submission for {path}"));
        let want = &t["fields"]["seals"][0];
        let got = s["fields"]["seals"].as_array().cloned().unwrap_or_default();
        let codes: Vec<&str> = s["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["code"].as_str())
            .filter(|c| c.starts_with("SEAL"))
            .collect();
        println!(
            "{path}: seal {} ({}) read {:?} owners {:?}; findings {codes:?}",
            want["text"],
            t["scan"]["hard"],
            got.iter().map(|g| g["text"].clone()).collect::<Vec<_>>(),
            got.iter().map(|g| g["owner"].clone()).collect::<Vec<_>>(),
        );
        if want["owner"] == "applicant" {
            sealed += 1;
            right += usize::from(got.iter().any(|g| g["owner"] == "applicant"));
            // A seal of the applicant is never another party's, nor a
            // mismatch: shandong-2026 checks seals on its summary table, so
            // the page's verdict is taken as `seal_required` reads seals
            // (no applicant's seal, and one read surely whose owner is
            // nobody or another party).
            let sure = |g: &serde_json::Value| {
                g["confidence"].as_f64().unwrap_or(0.0) >= f64::from(MISMATCH_CONFIDENCE)
                    && !g["text"].as_str().unwrap_or("").is_empty()
            };
            let wrong = codes.contains(&"SEAL_MISMATCH")
                || got
                    .iter()
                    .any(|g| !g["owner"].is_null() && g["owner"] != "applicant")
                || (!got.iter().any(|g| g["owner"] == "applicant")
                    && got.iter().any(|g| g["owner"].is_null() && sure(g)));
            false_mismatch += usize::from(wrong);
        } else {
            // Another organization's seal never passes as the applicant's.
            assert!(
                got.iter().all(|g| g["owner"] != "applicant"),
                "{path}: a stranger's seal taken for the applicant's"
            );
        }
    }
    println!("CLI, hard seals: owner right {right}/{sealed}, false mismatches {false_mismatch}");
    assert_eq!(false_mismatch, 0, "false SEAL_MISMATCH on hard seals");
}

/// Broken ink cuts a seal's ring into pieces, each found as a blob of its
/// own and fitted with a circle through its own arcs only; the seal is
/// outlined from all its pieces. On this page (all conditions at once,
/// seed 12057) the applicant's ring, crossed by the partner's, falls
/// into two pieces: fitted to the larger alone it came out a tenth too
/// small and off-centre, and its name read as one character.
#[test]
fn a_ring_broken_into_pieces_is_outlined_whole() {
    let faces = Faces::load().expect("a CJK font (fonts-noto-cjk)");
    let page = hard_page(&faces, Condition::All, 12057).expect("page");
    let img = image::DynamicImage::ImageRgb8(page.image.clone());
    let found = intake::seal::find(&img, page.dpi);
    for s in &page.seals {
        let f = found
            .iter()
            .min_by(|a, b| {
                let d = |f: &&intake::seal::Found| {
                    (f.outline.cx - s.centre.0).hypot(f.outline.cy - s.centre.1)
                };
                d(a).total_cmp(&d(b))
            })
            .expect("a seal found");
        let off = (f.outline.cx - s.centre.0).hypot(f.outline.cy - s.centre.1);
        // The outline is the ring's outer edge, the truth its radius.
        assert!(
            off < s.radius * 0.05 && (f.outline.rx / s.radius - 1.0).abs() < 0.05,
            "{} at {:?} r {:.0}: found {:?}",
            s.org,
            s.centre,
            s.radius,
            f.outline
        );
    }
}

/// Two stamps whose rings touch (centres 1.88 radii apart, as on the real
/// double-sealed scan), one faded to its ring and a few pale characters
/// (all conditions at once, generated page 17069): the faded one has
/// under 1 % ink inside its ring, which the finder took for an empty
/// circle, and the pair, one blob, was dropped whole.
#[test]
fn a_faded_seal_touching_another_is_found() {
    let faces = Faces::load().expect("a CJK font (fonts-noto-cjk)");
    let page = hard_page(&faces, Condition::All, 17069).expect("page");
    assert_eq!(page.seals.len(), 2);
    let img = image::DynamicImage::ImageRgb8(page.image.clone());
    let found = intake::seal::find(&img, page.dpi);
    for s in &page.seals {
        assert!(
            found.iter().any(|f| {
                (f.outline.cx - s.centre.0).hypot(f.outline.cy - s.centre.1) < s.radius * 0.1
            }),
            "{} at {:?} not found: {found:?}",
            s.org,
            s.centre
        );
    }
}
