//! Near-duplicate proposals across a batch (`kind = "similar"` rules): the
//! same proposal sent by different proposers or units, renamed, reworded
//! and reordered. Each proposal's text is a bag of character `k`-grams
//! weighted by rarity across the batch (tf·idf): what every form says (its
//! labels, headings, stock phrases) weighs nothing and grams held by half
//! the documents or more are dropped; what two documents alone share weighs
//! most. Two proposals are alike when the cosine of their bags reaches the
//! rule's threshold. A bag ignores order, so reordered sections still match.
//!
//! Candidates come from an inverted index over the rarer grams, so a batch
//! of thousands is not compared pair by pair.
//!
//! The text compared is the forms' values and prose, not their labels
//! ([`proposal_text`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::fields::LabelTable;
use crate::model::{Block, Document, Evidence};
use crate::record::{Finding, Role, Submission};
use crate::scheme::{Check, Scheme, Scope};

/// Fewer distinct grams than this (after boilerplate removal) is too little
/// own text for a similarity to mean anything.
const MIN_GRAMS: usize = 20;
/// Fewer comparable documents than this and the batch cannot say what is
/// template: nothing is compared.
const MIN_BATCH: usize = 4;
/// Texts shorter than this (an unreadable or empty form) are not compared.
const MIN_CHARS: usize = 200;

/// The text a proposal is compared on: its forms' paragraphs and table
/// cells, minus cells that are field labels, whitespace and punctuation.
pub fn proposal_text(docs: &[(&Document, Role)], labels: &LabelTable) -> String {
    let mut out = String::new();
    let forms: Vec<&Document> = docs
        .iter()
        .filter(|(_, r)| *r == Role::Form)
        .map(|(d, _)| *d)
        .collect();
    // A proposal without a recognized form is compared on whatever it has.
    let chosen: Vec<&Document> = if forms.is_empty() {
        docs.iter().map(|(d, _)| *d).collect()
    } else {
        forms
    };
    for doc in chosen {
        for block in &doc.blocks {
            match block {
                Block::Paragraph(p) => push_clean(&mut out, &p.text),
                Block::Table(t) => {
                    for c in t.cells() {
                        if !labels.is_label(&c.text) {
                            push_clean(&mut out, &c.text);
                        }
                    }
                }
            }
        }
    }
    out
}

fn push_clean(out: &mut String, text: &str) {
    out.extend(
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase),
    );
}

fn fnv(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        for b in (*c as u32).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The set of hashed `k`-character shingles of a text.
pub fn shingles(text: &str, k: usize) -> BTreeSet<u64> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < k {
        return BTreeSet::new();
    }
    chars.windows(k).map(fnv).collect()
}

/// Term counts of a text's `k`-grams.
fn gram_counts(text: &str, k: usize) -> BTreeMap<u64, u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut m = BTreeMap::new();
    if chars.len() >= k {
        for w in chars.windows(k) {
            *m.entry(fnv(w)).or_insert(0) += 1;
        }
    }
    m
}

/// A unit-length weighted bag of grams, sorted by gram.
type Bag = Vec<(u64, f64)>;

/// Each text's bag: (1 + ln tf) · ln(N / df), grams held by half the
/// documents or more dropped (boilerplate), normalized; empty when the
/// text is too short or too little of it is its own.
fn bags(texts: &[String], k: usize, min_chars: usize) -> Vec<Bag> {
    let counts: Vec<BTreeMap<u64, u32>> = texts
        .par_iter()
        .map(|t| {
            if t.chars().count() < min_chars {
                BTreeMap::new()
            } else {
                gram_counts(t, k)
            }
        })
        .collect();
    let n = counts.iter().filter(|c| !c.is_empty()).count();
    let mut df: HashMap<u64, usize> = HashMap::new();
    for c in &counts {
        for &g in c.keys() {
            *df.entry(g).or_default() += 1;
        }
    }
    // With fewer documents the form's template cannot be told from a copy
    // (two forms of one template read 0.6 alike): not compared.
    if n < MIN_BATCH {
        return vec![Vec::new(); counts.len()];
    }
    // A gram of two documents is never boilerplate: a pair must keep what
    // it shares.
    let boiler = |d: usize| d > 2 && 2 * d >= n;
    counts
        .par_iter()
        .map(|c| {
            let mut v: Bag = c
                .iter()
                .filter_map(|(&g, &tf)| {
                    let d = df.get(&g).copied().unwrap_or(1);
                    if boiler(d) {
                        return None;
                    }
                    let idf = (n as f64 / d as f64).ln();
                    Some((g, (1.0 + f64::from(tf).ln()) * idf))
                })
                .collect();
            if v.len() < MIN_GRAMS {
                return Vec::new();
            }
            let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut v {
                    *w /= norm;
                }
            }
            v
        })
        .collect()
}

/// Cosine of two unit bags.
fn cosine(a: &Bag, b: &Bag) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Exact Jaccard similarity of two shingle sets.
pub fn jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Pairs `(i, j, similarity)`, `i < j`, whose texts are at least
/// `threshold` alike (rarity-weighted cosine of `k`-grams). Texts shorter
/// than `min_chars` are not compared (an unreadable or empty form is not a
/// duplicate of another).
pub fn similar_pairs(
    texts: &[String],
    k: usize,
    threshold: f64,
    min_chars: usize,
) -> Vec<(usize, usize, f64)> {
    pairs_of(&bags(texts, k, min_chars), threshold)
}

fn pairs_of(bags: &[Bag], threshold: f64) -> Vec<(usize, usize, f64)> {
    let n = bags.iter().filter(|b| !b.is_empty()).count();
    // Candidates share rare grams: index only grams held by few documents
    // (all of them in a small batch), so the work stays near-linear.
    let rare = 30.max(n / 20);
    let mut postings: HashMap<u64, Vec<(usize, f64)>> = HashMap::new();
    for (i, b) in bags.iter().enumerate() {
        for &(g, w) in b {
            postings.entry(g).or_default().push((i, w));
        }
    }
    let mut partial: HashMap<(usize, usize), f64> = HashMap::new();
    for list in postings.values().filter(|l| l.len() > 1 && l.len() <= rare) {
        for (x, &(i, wi)) in list.iter().enumerate() {
            for &(j, wj) in &list[x + 1..] {
                *partial.entry((i.min(j), i.max(j))).or_default() += wi * wj;
            }
        }
    }
    let mut out: Vec<(usize, usize, f64)> = partial
        .into_iter()
        .filter(|&(_, p)| p >= threshold / 3.0)
        .filter_map(|((i, j), _)| {
            let s = cosine(&bags[i], &bags[j]);
            (s >= threshold).then_some((i, j, s))
        })
        .collect();
    out.sort_by_key(|p| (p.0, p.1));
    out
}

/// The longest run of text in `a` that `b` shares (by gram), up to 80
/// characters: the evidence a reviewer reads first.
fn shared_snippet(a: &str, b: &BTreeSet<u64>, k: usize) -> String {
    let chars: Vec<char> = a.chars().collect();
    if chars.len() < k {
        return String::new();
    }
    let shared: Vec<bool> = chars.windows(k).map(|w| b.contains(&fnv(w))).collect();
    let (mut best, mut run_start) = ((0usize, 0usize), None);
    for (i, &s) in shared.iter().chain([&false]).enumerate() {
        match (s, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(st)) => {
                // Grams st..i cover characters st..i-1+k.
                if i - st > best.1 - best.0 {
                    best = (st, i);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    if best.1 == best.0 {
        return String::new();
    }
    let end = (best.1 - 1 + k).min(best.0 + 80).min(chars.len());
    chars[best.0..end].iter().collect()
}

/// Evaluates the scheme's `similar` rules. Returns one list of findings
/// per submission, in order; `labels` names each proposal in messages.
pub fn check(
    scheme: &Scheme,
    subs: &[Submission],
    texts: &[String],
    labels: &[String],
) -> Vec<Vec<Finding>> {
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); subs.len()];
    for rule in scheme.rules.iter().filter(|r| r.scope == Scope::Batch) {
        let Check::Similar { threshold, shingle } = &rule.check else {
            continue;
        };
        // Only proposals the rule applies to take part.
        let idx: Vec<usize> = (0..subs.len())
            .filter(|&i| rule.applies_to(subs[i].direction.as_deref()) && i < texts.len())
            .collect();
        let part: Vec<String> = idx.iter().map(|&i| texts[i].clone()).collect();
        let bags = bags(&part, *shingle, MIN_CHARS);
        for (a, b, sim) in pairs_of(&bags, *threshold) {
            let (i, j) = (idx[a], idx[b]);
            for (me, other) in [(i, j), (j, i)] {
                let pct = (sim * 100.0).round();
                let other_label = labels.get(other).map(String::as_str).unwrap_or("?");
                let (sm, so) = if me == i { (a, b) } else { (b, a) };
                // The evidence: the longest-running text the two share,
                // boilerplate aside (grams of both bags).
                let theirs: BTreeSet<u64> = bags[so].iter().map(|(g, _)| *g).collect();
                let shared: BTreeSet<u64> = bags[sm]
                    .iter()
                    .map(|(g, _)| *g)
                    .filter(|g| theirs.contains(g))
                    .collect();
                let snippet = shared_snippet(&texts[me], &shared, *shingle);
                let source = labels.get(me).cloned();
                out[me].push(Finding {
                    code: rule.code,
                    severity: rule.severity,
                    field: None,
                    message: format!(
                        "与{other_label}的文本相似度为{pct}%，疑似重复提报 / text {pct}% similar to {other_label}: likely the same proposal submitted twice"
                    ),
                    source: source.clone(),
                    evidence: source.map(|s| Evidence {
                        source: s,
                        page: None,
                        locator: format!("document text, {shingle}-character grams weighted by rarity"),
                        text: snippet,
                    }),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn text(seed: u64, n: usize) -> String {
        // Pseudo-random CJK text: distinct seeds share almost no shingles.
        let mut z = seed;
        (0..n)
            .map(|_| {
                z = mix(z.wrapping_add(0x9e37_79b9_7f4a_7c15));
                char::from_u32(0x4e00 + (z % 2000) as u32).unwrap_or('一')
            })
            .collect()
    }

    #[test]
    fn near_copies_pair_up_and_strangers_do_not() {
        let a = text(1, 1500);
        // b = a with every 50th character changed.
        let b: String = a
            .chars()
            .enumerate()
            .map(|(i, c)| if i % 50 == 0 { '改' } else { c })
            .collect();
        let c = text(2, 1500);
        let d = text(3, 1500);
        let pairs = similar_pairs(&[a, c, b, d], 5, 0.6, 200);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 2));
        assert!(pairs[0].2 > 0.6 && pairs[0].2 < 1.0, "{}", pairs[0].2);
    }

    #[test]
    fn a_reworded_reordered_copy_is_found_and_the_template_is_no_evidence() {
        // Every form carries the same headings; each proposal its own prose.
        let template = text(99, 600);
        let own: Vec<String> = (0..8).map(|i| text(10 + i, 900)).collect();
        let mut docs: Vec<String> = own.iter().map(|o| format!("{template}{o}")).collect();
        // Proposal 8 is proposal 0 renamed, its sections in another order
        // and one character in twelve changed.
        let parts: Vec<String> = own[0]
            .chars()
            .collect::<Vec<_>>()
            .chunks(150)
            .map(|c| c.iter().collect())
            .collect();
        let mut reordered: String = parts.iter().rev().cloned().collect();
        reordered = reordered
            .chars()
            .enumerate()
            .map(|(i, c)| if i % 12 == 0 { '改' } else { c })
            .collect();
        docs.push(format!("{}{template}{reordered}", text(77, 30)));
        let pairs = similar_pairs(&docs, 2, 0.4, 200);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 8));
        // Strangers on one template stay apart even at a low threshold.
        let strangers = similar_pairs(&docs[1..8], 2, 0.1, 200);
        assert!(strangers.is_empty(), "{strangers:?}");
    }

    #[test]
    fn too_small_a_batch_is_not_judged() {
        let a = text(1, 1500);
        let pairs = similar_pairs(&[a.clone(), a, text(2, 1500)], 5, 0.6, 200);
        assert!(pairs.is_empty(), "{pairs:?}");
    }

    #[test]
    fn short_texts_are_not_compared() {
        let pairs = similar_pairs(&["短".into(), "短".into()], 5, 0.5, 200);
        assert!(pairs.is_empty());
    }

    #[test]
    fn snippet_is_shared_text() {
        let a = "甲乙丙丁戊己庚辛壬癸子丑寅卯";
        let b = shingles("XXXX丙丁戊己庚辛壬YYYY子丑寅", 5);
        assert_eq!(shared_snippet(a, &b, 5), "丙丁戊己庚辛壬");
    }
}
