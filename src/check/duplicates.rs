//! Near-duplicate proposals across a batch (`kind = "similar"` rules): the
//! same proposal sent by different proposers or units with a few words
//! changed. Each proposal's document text is cut into character shingles;
//! MinHash signatures with LSH banding find candidate pairs in about linear
//! time, and each candidate's exact Jaccard similarity decides.
//!
//! The text compared is the forms' values and prose, not their labels
//! ([`proposal_text`]), so two forms built on the same template are not
//! alike merely for sharing it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use crate::fields::LabelTable;
use crate::model::{Block, Document, Evidence};
use crate::record::{Finding, Role, Submission};
use crate::scheme::{Check, Scheme, Scope};

const HASHES: usize = 128;
/// 32 bands of 4 rows: pairs above ~0.45 similarity are almost surely candidates.
const BANDS: usize = 32;
const ROWS: usize = HASHES / BANDS;
/// Fewer distinct shingles than this (after boilerplate removal) is too
/// little text for a similarity to mean anything.
const MIN_SHINGLES: usize = 50;
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

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The set of hashed `k`-character shingles of a text.
pub fn shingles(text: &str, k: usize) -> BTreeSet<u64> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < k {
        return BTreeSet::new();
    }
    chars.windows(k).map(fnv).collect()
}

/// MinHash signature: for each of the HASHES functions `a·x + b` (odd `a`,
/// over already well-mixed shingle hashes), the minimum over the set.
fn signature(set: &BTreeSet<u64>) -> [u64; HASHES] {
    let mut ab = [(0u64, 0u64); HASHES];
    for (i, p) in ab.iter_mut().enumerate() {
        *p = (mix(2 * i as u64 + 1) | 1, mix(2 * i as u64 + 2));
    }
    let mut sig = [u64::MAX; HASHES];
    for &x in set {
        let x = mix(x);
        for (s, &(a, b)) in sig.iter_mut().zip(&ab) {
            let h = x.wrapping_mul(a).wrapping_add(b);
            if h < *s {
                *s = h;
            }
        }
    }
    sig
}

/// Exact Jaccard similarity of two shingle sets.
pub fn jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Removes shingles found in many documents of the batch: the call's
/// template and stock phrases, which make unrelated proposals look alike.
/// A shingle is boilerplate when more than `max(3, 30 %)` of the documents
/// hold it, so a few copies of one proposal still share theirs.
fn drop_boilerplate(sets: &mut [BTreeSet<u64>]) {
    let n = sets.iter().filter(|s| !s.is_empty()).count();
    let limit = 3.max(n * 3 / 10);
    if n <= limit {
        return;
    }
    let mut df: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for s in sets.iter() {
        for &x in s {
            *df.entry(x).or_default() += 1;
        }
    }
    for s in sets.iter_mut() {
        s.retain(|x| df.get(x).is_some_and(|&c| c <= limit));
    }
}

/// Pairs `(i, j, similarity)`, `i < j`, whose texts are at least
/// `threshold` alike. Texts shorter than `min_chars` are not compared (an
/// unreadable or empty form is not a duplicate of another).
pub fn similar_pairs(
    texts: &[String],
    k: usize,
    threshold: f64,
    min_chars: usize,
) -> Vec<(usize, usize, f64)> {
    pairs_of(&shingle_sets(texts, k, min_chars), threshold)
}

/// Each text's shingle set, boilerplate removed; empty when too short.
fn shingle_sets(texts: &[String], k: usize, min_chars: usize) -> Vec<BTreeSet<u64>> {
    let mut sets: Vec<BTreeSet<u64>> = texts
        .par_iter()
        .map(|t| {
            if t.chars().count() < min_chars {
                BTreeSet::new()
            } else {
                shingles(t, k)
            }
        })
        .collect();
    drop_boilerplate(&mut sets);
    // Too little own text left to judge: not compared.
    for s in &mut sets {
        if s.len() < MIN_SHINGLES {
            s.clear();
        }
    }
    sets
}

fn pairs_of(sets: &[BTreeSet<u64>], threshold: f64) -> Vec<(usize, usize, f64)> {
    let sigs: Vec<Option<[u64; HASHES]>> = sets
        .par_iter()
        .map(|s| (!s.is_empty()).then(|| signature(s)))
        .collect();
    let mut candidates: HashSet<(usize, usize)> = HashSet::new();
    for band in 0..BANDS {
        let mut buckets: BTreeMap<&[u64], Vec<usize>> = BTreeMap::new();
        for (i, sig) in sigs.iter().enumerate() {
            if let Some(sig) = sig {
                buckets
                    .entry(&sig[band * ROWS..(band + 1) * ROWS])
                    .or_default()
                    .push(i);
            }
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            for (a, &i) in members.iter().enumerate() {
                for &j in &members[a + 1..] {
                    candidates.insert((i, j));
                }
            }
        }
    }
    let mut out: Vec<(usize, usize, f64)> = candidates
        .into_iter()
        .filter_map(|(i, j)| {
            let s = jaccard(&sets[i], &sets[j]);
            (s >= threshold).then_some((i, j, s))
        })
        .collect();
    out.sort_by_key(|p| (p.0, p.1));
    out
}

/// The first run of text in `a` that `b` shares (by shingle), up to 80
/// characters: the evidence a reviewer reads first.
fn shared_snippet(a: &str, b: &BTreeSet<u64>, k: usize) -> String {
    let chars: Vec<char> = a.chars().collect();
    let Some(start) = chars.windows(k).position(|w| b.contains(&fnv(w))) else {
        return String::new();
    };
    let mut end = start + k;
    while end < chars.len() && end - start < 80 && b.contains(&fnv(&chars[end + 1 - k..=end])) {
        end += 1;
    }
    chars[start..end].iter().collect()
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
        let sets = shingle_sets(&part, *shingle, MIN_CHARS);
        for (a, b, sim) in pairs_of(&sets, *threshold) {
            let (i, j) = (idx[a], idx[b]);
            for (me, other) in [(i, j), (j, i)] {
                let pct = (sim * 100.0).round();
                let other_label = labels.get(other).map(String::as_str).unwrap_or("?");
                let (sm, so) = if me == i { (a, b) } else { (b, a) };
                let shared: BTreeSet<u64> = sets[sm].intersection(&sets[so]).copied().collect();
                let snippet = shared_snippet(&texts[me], &shared, *shingle);
                let source = labels.get(me).cloned();
                out[me].push(Finding {
                    code: rule.code.clone(),
                    severity: rule.severity,
                    field: None,
                    message: format!(
                        "与{other_label}的文本相似度为{pct}%，疑似重复提报 / text {pct}% similar to {other_label}: likely the same proposal submitted twice"
                    ),
                    source: source.clone(),
                    evidence: source.map(|s| Evidence {
                        source: s,
                        page: None,
                        locator: format!("document text, {shingle}-character shingles"),
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
        assert!(pairs[0].2 > 0.7 && pairs[0].2 < 1.0, "{}", pairs[0].2);
    }

    #[test]
    fn short_texts_are_not_compared() {
        let pairs = similar_pairs(&["短".into(), "短".into()], 5, 0.5, 200);
        assert!(pairs.is_empty());
    }

    #[test]
    fn snippet_is_shared_text() {
        let a = "甲乙丙丁戊己庚辛壬癸子丑寅卯";
        let b = shingles("XXXX丙丁戊己庚辛壬YYYY", 5);
        assert_eq!(shared_snippet(a, &b, 5), "丙丁戊己庚辛壬");
    }
}
