//! Whose seal it is: every seal found on a proposal's documents, matched
//! against the parties the proposal names (applicant, partner institution,
//! recommending department, the 查新机构 of its novelty report).
//!
//! OCR of a stamp misreads a few characters in each reading, a different
//! few in each variant of band, size and ink (`seal::read_seal`). So a name
//! is matched against all readings at once: a character of the name counts
//! as read when some reading has it in order (longest common subsequence).
//! Characters every organisation shares (有限公司, 科技, 研究所 …) weigh
//! little, so that two companies are not alike for their suffix. A seal
//! whose readings spell a party's name well is that party's, and its text
//! becomes the name (the raw reading kept beside it); a seal whose readings
//! spell a party's name followed by a unit of its own (…大学材料学院) is a
//! sub-unit's seal, which is not the party's, and one whose readings hold
//! characters of their own inside a party's name (…工业大学 for …大学) is
//! another organization's. Characters under another seal stamped across
//! this one are not held against a name ([`judge_covered`]).

use crate::model::Document;
use crate::record::{Fields, Role, Seal, SealOwner};

/// Characters of organisation names shared by many organisations; a match
/// on them says little about which organisation a seal names.
const COMMON_CHARS: &str = "有限公司股份责任集团科技术研究院所中心大学省市县区";
/// Weight of a common character against 1.0 for the others.
const COMMON_WEIGHT: f64 = 0.3;
/// Share of a name (weighted) the readings must spell for the seal to be
/// that party's. Measured on development seals (Shanxi, 43 seals): a
/// party's own seal spells 0.70–1.0 of its name where its text is read at
/// all (0.39–0.58 on three hard scans); the name of an unrelated
/// organisation of the same province and kind 0.61 at most.
pub const OWNER_SUPPORT: f64 = 0.7;
/// The best party must lead the next by this much: two parties named
/// alike cannot be told apart by a misread seal.
const OWNER_MARGIN: f64 = 0.2;
/// Extra characters after a spelled name that make a sub-unit's seal
/// (…大学 + 材料科学与工程学院).
const SUB_UNIT_EXTRA: usize = 4;

/// Share (weighted) of a listed name a reading lying wholly inside it
/// must spell to be taken as part of that name's seal
/// ([`Verdict::Partial`]): half, so that a parent organisation's name
/// (浙江大学) inside a long sub-unit's (…医学院附属医院) is not.
const FRAGMENT_SUPPORT: f64 = 0.5;

/// Confidence reported for a seal whose readings spell two listed names
/// alike ([`Verdict::Between`]) or part of one ([`Verdict::Partial`]):
/// below any `seal_required` bar.
const BETWEEN_CONFIDENCE: f32 = 0.5;

/// A party a seal may belong to.
#[derive(Debug, Clone)]
pub struct Party {
    pub owner: SealOwner,
    pub name: String,
}

/// The parties of a proposal, from its fields.
pub fn parties(fields: &Fields, recommender: Option<&str>) -> Vec<Party> {
    let mut out = Vec::new();
    let mut add = |owner, name: Option<&String>| {
        if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
            out.push(Party {
                owner,
                name: n.clone(),
            });
        }
    };
    add(SealOwner::Applicant, fields.applicant.as_ref());
    add(SealOwner::Partner, fields.partner_institution.as_ref());
    add(
        SealOwner::Other,
        fields
            .novelty_report
            .as_ref()
            .and_then(|n| n.agency.as_ref()),
    );
    if let Some(r) = recommender {
        out.push(Party {
            owner: SealOwner::Recommender,
            name: r.to_string(),
        });
    }
    out
}

/// The seals found on the proposal's documents, each with its owner.
pub fn seals_of(docs: &[(&Document, Role)], parties: &[Party]) -> Vec<Seal> {
    docs.iter()
        .flat_map(|(d, _)| {
            d.seals.iter().map(|m| {
                let mut readings: Vec<&str> = Vec::new();
                if !m.text.is_empty() {
                    readings.push(ring(&m.text));
                }
                readings.extend(m.readings.iter().map(String::as_str));
                let verdict = judge_covered(&readings, parties, &m.covered);
                let mut seal = Seal {
                    source: d.source.clone(),
                    page: m.page,
                    bbox: m.bbox,
                    text: m.text.clone(),
                    confidence: Some(m.confidence),
                    owner: None,
                    reading: None,
                };
                match verdict {
                    Verdict::Owner {
                        owner,
                        name,
                        support,
                    } => {
                        seal.owner = Some(owner);
                        // The legend below the name (合同专用章) stays.
                        let text = match m.text.split_once(' ') {
                            Some((_, legend)) => format!("{name} {legend}"),
                            None => name,
                        };
                        if seal.text != text {
                            seal.reading = Some(std::mem::replace(&mut seal.text, text));
                        }
                        let c = seal.confidence.unwrap_or(0.0).max(support as f32);
                        seal.confidence = Some((c * 100.0).round() / 100.0);
                    }
                    // Someone the proposal does not name as a party.
                    Verdict::SubUnit { .. } => seal.owner = Some(SealOwner::Other),
                    // Read well, but as two listed names alike: not read
                    // surely as anyone's, so unsure (SEAL_UNREADABLE), never
                    // nobody's (SEAL_MISMATCH).
                    Verdict::Between { .. } | Verdict::Partial { .. } => {
                        let c = seal.confidence.unwrap_or(0.0).min(BETWEEN_CONFIDENCE);
                        seal.confidence = Some(c);
                    }
                    // Nobody's, as surely as its readings agree on it.
                    Verdict::Unknown => {
                        let c = seal
                            .confidence
                            .unwrap_or(0.0)
                            .min(agreement(&readings) as f32);
                        seal.confidence = Some((c * 100.0).round() / 100.0);
                    }
                }
                seal
            })
        })
        .collect()
}

/// Share of the first reading's own characters (not common ones) that no
/// other reading of most of it reads as something else in their place.
/// A stamp's bands and variants misread different characters of it;
/// where they disagree (南滨全建… beside 滨金德… and 南济全建…) the text
/// is a guess there, and a guessed name is no sure evidence that the
/// seal is nobody's. A reading cut short or missing a character does not
/// disagree.
pub fn agreement(readings: &[&str]) -> f64 {
    let Some((first, rest)) = readings.split_first() else {
        return 0.0;
    };
    let text = key(first);
    let total = text.iter().filter(|c| weight(**c) == 1.0).count();
    if total == 0 {
        return 1.0;
    }
    let mut contested = vec![false; text.len()];
    for r in rest {
        let r = key(r);
        let pairs = lcs_pairs(&text, &r, &lcs_table(&text, &r));
        if pairs.len() * 2 < text.len() {
            continue;
        }
        // Between two matched characters, or before the first or after the
        // last: the text's characters there are contested when the reading
        // has characters of its own there too.
        for (in_text, in_reading) in gaps(&pairs, text.len(), r.len()) {
            if !in_reading.is_empty() {
                for c in &mut contested[in_text] {
                    *c = true;
                }
            }
        }
    }
    let agreed = text
        .iter()
        .zip(&contested)
        .filter(|(c, k)| weight(**c) == 1.0 && !**k)
        .count();
    agreed as f64 / total as f64
}

/// A seal text's ring part: the name, without the legend read below the
/// centre (after the space).
fn ring(text: &str) -> &str {
    text.split(' ').next().unwrap_or(text)
}

/// What the readings of one seal say about its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The readings spell this party's name.
    Owner {
        owner: SealOwner,
        name: String,
        support: f64,
    },
    /// The readings spell this party's name and go on for a unit of its
    /// own: a school's or department's seal, not the party's.
    SubUnit { of: SealOwner },
    /// The readings spell a listed party's name well, but another's about
    /// as well: the seal is someone's the proposal names, not known whose.
    Between { support: f64 },
    /// A reading is part of a listed party's name, in order, with nothing
    /// of its own, or the whole name with one character misread, but
    /// spells too little of it to decide: a seal whose ends or middle were
    /// lost (another seal over it, worn ink) or misread, not evidence of
    /// someone else's. Also (support 0) readings with nothing of any
    /// name's own, only words every name has ([`nameless`]).
    Partial { support: f64 },
    /// Not decided: no reading, or no party spelled clearly.
    Unknown,
}

/// Decides a seal's owner from its readings.
///
/// A party is decided when its name is spelled well (support) and it
/// leads every other name by a margin, either in support — unless another
/// name fits the readings better ([`fit`]) — or in fit. Fit settles names
/// one of which is spelled inside the other: a reading of 东川师范大学
/// spells all of 东川大学 too, but 东川大学 leaves 师范 unexplained.
pub fn judge(readings: &[&str], parties: &[Party]) -> Verdict {
    let scored: Vec<(f64, f64, &Party)> = parties
        .iter()
        .map(|p| (support(readings, &p.name), fit(readings, &p.name), p))
        .collect();
    let (Some((by_support, support_lead)), Some((by_fit, fit_lead))) =
        (lead(&scored, |s| s.0), lead(&scored, |s| s.1))
    else {
        return Verdict::Unknown;
    };
    let same = key(&by_support.2.name) == key(&by_fit.2.name);
    // A reading that is exactly one party's name, and no other's, names it:
    // OCR does not drop just the characters that make another listed name.
    let exact: Vec<&(f64, f64, &Party)> = scored
        .iter()
        .filter(|s| readings.iter().any(|r| key(r) == key(&s.2.name)))
        .collect();
    let decided = if support_lead >= OWNER_MARGIN && same {
        Some(by_support)
    } else if fit_lead >= OWNER_MARGIN {
        Some(by_fit)
    } else if let [one] = exact[..] {
        Some(one)
    } else {
        nested(readings, &scored)
    };
    let decided = decided.filter(|d| d.0 >= OWNER_SUPPORT);
    if decided.is_some_and(|d| contradicted(readings, &d.2.name, CONTRADICTING_OWN)) {
        return Verdict::Unknown;
    }
    let Some(&(best, _, party)) = decided else {
        return if by_support.0 >= OWNER_SUPPORT {
            Verdict::Between {
                support: by_support.0,
            }
        } else {
            fragment(readings, parties)
                .or_else(|| near_miss(readings, parties))
                .or_else(|| cut_miss(readings, parties))
                .or_else(|| nameless(readings).then_some(0.0))
                .map_or(Verdict::Unknown, |support| Verdict::Partial { support })
        };
    };
    if sub_unit(readings, &party.name) {
        return Verdict::SubUnit { of: party.owner };
    }
    Verdict::Owner {
        owner: party.owner,
        name: party.name.clone(),
        support: best,
    }
}

/// [`judge`], for a seal another seal is stamped across: `covered` holds
/// the arcs of its ring text under the other seal (`SealMark::covered`).
/// Characters there are both seals' ink at once, so where the readings
/// spell every other character of one listed name, and of no other, the
/// seal is that party's however those characters were read
/// ([`under_cover`]).
pub fn judge_covered(readings: &[&str], parties: &[Party], covered: &[[f32; 2]]) -> Verdict {
    let plain = judge(readings, parties);
    if covered.is_empty() || matches!(plain, Verdict::Owner { .. } | Verdict::SubUnit { .. }) {
        return plain;
    }
    under_cover(readings, parties, covered).unwrap_or(plain)
}

/// Share (weighted) of the characters not under another seal that the
/// readings must spell for [`under_cover`]: all but a common one.
const VISIBLE_SUPPORT: f64 = 0.9;
/// Own characters (not common ones) the readings must spell outside the
/// covered arcs.
const VISIBLE_OWN: usize = 1;
/// Spans a seal's ring text may fill, in degrees, centred on its top:
/// the generator's and real seals' lie between.
const TEXT_SPANS: [f32; 2] = [150.0, 260.0];
/// Degrees a covered arc is narrowed by on each side before a character
/// counts as under it: seals are stamped a few degrees turned.
const COVER_MARGIN: f32 = 8.0;

/// The party whose name the readings spell but for characters under
/// another seal ([`judge_covered`]), when at most a third of its
/// characters lie there, every visible one but a common one is spelled,
/// and no other name is spelled about as well (each name with its own
/// covered characters left out).
fn under_cover(readings: &[&str], parties: &[Party], covered: &[[f32; 2]]) -> Option<Verdict> {
    let scored: Vec<(f64, usize, &Party)> = parties
        .iter()
        .map(|p| {
            let name = key(&p.name);
            let hidden = hidden_chars(name.len(), covered);
            let (visible, own) = visible_support(readings, &name, &hidden);
            let n_hidden = hidden.iter().filter(|h| **h).count();
            let decidable = n_hidden >= 1 && n_hidden * 3 <= name.len() && own >= VISIBLE_OWN;
            (visible, usize::from(decidable), p)
        })
        .collect();
    let (first, margin) = lead(&scored, |s| s.0)?;
    let party = first.2;
    if first.1 == 0
        || first.0 < VISIBLE_SUPPORT
        || margin < OWNER_MARGIN
        || contradicted(readings, &party.name, 1)
    {
        return None;
    }
    if sub_unit(readings, &party.name) {
        return Some(Verdict::SubUnit { of: party.owner });
    }
    Some(Verdict::Owner {
        owner: party.owner,
        name: party.name.clone(),
        support: support(readings, &party.name),
    })
}

/// Which of a name's `n` characters may lie under the `covered` arcs:
/// spread evenly over the ring, on some span within [`TEXT_SPANS`]. The
/// span is not known (a long name fills more of the ring), and a
/// character's place moves with it by up to a character's width; asking
/// for a place under the arc on every span left the characters at a
/// covered arc's ends — where the other seal's border and text cross this
/// one's — held against the name.
fn hidden_chars(n: usize, covered: &[[f32; 2]]) -> Vec<bool> {
    let under = |deg: f32| {
        covered.iter().any(|&[from, to]| {
            let (from, to) = (from + COVER_MARGIN, to - COVER_MARGIN);
            to > from && (deg - from).rem_euclid(360.0) <= to - from
        })
    };
    let [lo, hi] = TEXT_SPANS;
    let steps = ((hi - lo) / SPAN_STEP).ceil() as usize;
    (0..n)
        .map(|i| {
            (0..=steps).any(|k| {
                let span = (lo + k as f32 * SPAN_STEP).min(hi);
                under(span * ((i as f32 + 0.5) / n as f32 - 0.5))
            })
        })
        .collect()
}

/// Degrees between the spans [`hidden_chars`] tries.
const SPAN_STEP: f32 = 5.0;

/// Share (weighted) of `name`'s characters outside `hidden` that some
/// reading spells in order, and how many of those are not common ones.
fn visible_support(readings: &[&str], name: &[char], hidden: &[bool]) -> (f64, usize) {
    let read = spelled(readings, name);
    let (mut got, mut total, mut own) = (0.0, 0.0, 0);
    for ((c, r), h) in name.iter().zip(&read).zip(hidden) {
        if *h {
            continue;
        }
        total += weight(*c);
        if *r {
            got += weight(*c);
            own += usize::from(weight(*c) == 1.0);
        }
    }
    (if total > 0.0 { got / total } else { 0.0 }, own)
}

/// Of two names the readings spell about as well, one spelled inside the
/// other (东川省农业科学院 in 东川省农业机械科学研究院), the longer when
/// one reading spells at least [`NESTED_EXTRA`] characters of its own,
/// not common ones, in order: OCR garbles characters but does not write
/// another listed name's own ones where they belong. Misread characters
/// elsewhere can leave [`fit`] short of the margin then. Never the shorter
/// for want of them: a worn seal loses characters.
fn nested<'a, 'p>(
    readings: &[&str],
    scored: &'a [(f64, f64, &'p Party)],
) -> Option<&'a (f64, f64, &'p Party)> {
    let mut order: Vec<&(f64, f64, &Party)> = scored.iter().collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let first = *order.first()?;
    let second = *order
        .iter()
        .find(|s| key(&s.2.name) != key(&first.2.name))?;
    // A third name as well spelled leaves it open.
    let third = order
        .iter()
        .filter(|s| key(&s.2.name) != key(&first.2.name) && key(&s.2.name) != key(&second.2.name))
        .map(|s| s.0)
        .fold(0.0, f64::max);
    if second.0 < OWNER_SUPPORT || second.0 - third < OWNER_MARGIN {
        return None;
    }
    let (a, b) = (key(&first.2.name), key(&second.2.name));
    let (long, short, party) = if a.len() > b.len() {
        (a, b, first)
    } else {
        (b, a, second)
    };
    let (inside, _) = aligned(&long, &short);
    if inside.iter().filter(|h| **h).count() != short.len() {
        return None;
    }
    // In one reading: garbled variants each hit a character somewhere.
    let own = readings
        .iter()
        .map(|r| {
            let (spelled, _) = aligned(&long, &key(r));
            long.iter()
                .zip(inside.iter().zip(&spelled))
                .filter(|(c, (inside, spelled))| !**inside && **spelled && weight(**c) == 1.0)
                .count()
        })
        .max()
        .unwrap_or(0);
    (own >= NESTED_EXTRA).then_some(party)
}

/// Characters of its own a longer name must be spelled with to win over
/// the shorter name inside it ([`nested`]).
const NESTED_EXTRA: usize = 2;

/// The best support a reading gives a listed name it lies wholly inside
/// (every character of the reading spelled in order by the name, but for
/// common ones), when that is at least [`FRAGMENT_SUPPORT`]: OCR loses
/// characters of a seal far more often than it reads a listed name's
/// characters, in order, where another name is. Common characters out of
/// place are what OCR writes where it cannot read (东川公科技有限公司 for
/// 东川智远科技…, 智远 under print): they name nobody.
fn fragment(readings: &[&str], parties: &[Party]) -> Option<f64> {
    best_support(readings, parties, |name, r| {
        let own: Vec<char> = r.iter().copied().filter(|c| weight(*c) == 1.0).collect();
        let (hits, _) = aligned(name, &own);
        r.len() >= 2 && !own.is_empty() && hits.iter().filter(|h| **h).count() == own.len()
    })
    .filter(|s| *s >= FRAGMENT_SUPPORT)
}

/// The support a reading gives a listed name it spells in full but for
/// one character misread in its place (same length, one character
/// different), for names of [`NEAR_MISS_CHARS`] or more. A four-character
/// name (…北大学) spelled so has too little support to be decided (a
/// different character weighs more than the shared 大学), yet OCR
/// misreads one character of a seal far more often than a seal names an
/// organisation one character away from a listed one: such a seal is
/// unsure (SEAL_UNREADABLE), never nobody's (SEAL_MISMATCH).
fn near_miss(readings: &[&str], parties: &[Party]) -> Option<f64> {
    best_support(readings, parties, |name, r| {
        let differ = name.iter().zip(r).filter(|(a, b)| a != b).count();
        name.len() >= NEAR_MISS_CHARS && name.len() == r.len() && differ == 1
    })
}

/// The support a reading gives a listed name it spells a part of, cut
/// off at one end or both, with the character at a cut misread (济南晶联…
/// read 昌联…: the first characters lost, the next one half there): what
/// [`fragment`] and [`near_miss`] each allow, together, for readings of
/// [`NEAR_MISS_CHARS`] or more. Unsure, never nobody's.
fn cut_miss(readings: &[&str], parties: &[Party]) -> Option<f64> {
    best_support(readings, parties, |name, r| {
        let m = r.len();
        m >= NEAR_MISS_CHARS
            && name.len() > m
            && (0..=name.len() - m).any(|o| {
                let part = &name[o..o + m];
                let differ: Vec<usize> = (0..m).filter(|&i| part[i] != r[i]).collect();
                match differ[..] {
                    [0] => o > 0,
                    [i] => i == m - 1 && o + m < name.len(),
                    _ => false,
                }
            })
    })
}

/// The best [`support`] a single reading gives a listed name that `fits`
/// it (both as [`key`]s: the name's, then the reading's).
fn best_support(
    readings: &[&str],
    parties: &[Party],
    fits: impl Fn(&[char], &[char]) -> bool,
) -> Option<f64> {
    readings
        .iter()
        .flat_map(|r| {
            let rk = key(r);
            parties
                .iter()
                .filter(|p| fits(&key(&p.name), &rk))
                .map(|p| support(&[r], &p.name))
                .collect::<Vec<f64>>()
        })
        .max_by(f64::total_cmp)
}

/// Whether the readings spell nothing that tells one organisation from
/// another: fewer than [`NAMELESS_OWN`] characters each besides those
/// every name has (a faded seal read as 集团有限公司 or 工大学). Such a
/// seal's name was not read, so it is unsure (SEAL_UNREADABLE), never
/// nobody's (SEAL_MISMATCH), however surely its words were read.
fn nameless(readings: &[&str]) -> bool {
    !readings.is_empty()
        && readings
            .iter()
            .all(|r| key(r).iter().filter(|c| weight(**c) == 1.0).count() < NAMELESS_OWN)
}

/// See [`nameless`].
const NAMELESS_OWN: usize = 2;

/// Names shorter than this are too short for [`near_miss`]: one character
/// of three is a third of the name.
const NEAR_MISS_CHARS: usize = 4;

/// The party scoring best by `by`, and its lead over the runner-up among
/// other names only: the same name twice (applicant and partner alike) is
/// one party.
fn lead<'a, 'p, A, B>(
    scored: &'a [(A, B, &'p Party)],
    by: impl Fn(&(A, B, &Party)) -> f64,
) -> Option<(&'a (A, B, &'p Party), f64)> {
    let mut order: Vec<&(A, B, &Party)> = scored.iter().collect();
    order.sort_by(|a, b| by(b).total_cmp(&by(a)));
    let first = *order.first()?;
    let second = order
        .iter()
        .skip(1)
        .find(|s| key(&s.2.name) != key(&first.2.name))
        .map_or(0.0, |s| by(s));
    Some((first, by(first) - second))
}

/// Whether most readings spell the name to its end (…大学, …公司) and go
/// on for a unit of their own (the seal of a school or department).
pub fn sub_unit(readings: &[&str], name: &str) -> bool {
    let name = key(name);
    let long = readings
        .iter()
        .filter(|r| {
            let r = key(r);
            spelled_end(&name, &r).is_some_and(|k| r.len() >= k + SUB_UNIT_EXTRA)
        })
        .count();
    !readings.is_empty() && long * 2 > readings.len()
}

/// The shortest start of `reading` that spells as much of `name` as the
/// whole reading does, when that includes the name's last character:
/// where the name ends in the reading.
fn spelled_end(name: &[char], reading: &[char]) -> Option<usize> {
    let (hits, spelled) = aligned(name, reading);
    if !hits.last().copied().unwrap_or(false) {
        return None;
    }
    let full = spelled.last().copied().unwrap_or(0);
    (1..spelled.len()).find(|&k| spelled[k] == full)
}

/// How well `name` accounts for the readings: the harmonic mean of its
/// [`support`] and the best share (weighted) of one reading's characters
/// that spell it in order.
pub fn fit(readings: &[&str], name: &str) -> f64 {
    let recall = support(readings, name);
    let name = key(name);
    let precision = readings
        .iter()
        .map(|r| {
            let r = key(r);
            let total: f64 = r.iter().map(|c| weight(*c)).sum();
            let (hits, _) = aligned(&name, &r);
            let spelled: f64 = name
                .iter()
                .zip(&hits)
                .filter(|(_, h)| **h)
                .map(|(c, _)| weight(*c))
                .sum();
            if total > 0.0 { spelled / total } else { 0.0 }
        })
        .fold(0.0, f64::max);
    if recall + precision > 0.0 {
        2.0 * recall * precision / (recall + precision)
    } else {
        0.0
    }
}

/// Share (weighted) of `name`'s characters that some reading spells in order.
pub fn support(readings: &[&str], name: &str) -> f64 {
    let name = key(name);
    let total: f64 = name.iter().map(|c| weight(*c)).sum();
    if total == 0.0 {
        return 0.0;
    }
    let read = spelled(readings, &name);
    name.iter()
        .zip(&read)
        .filter(|(_, r)| **r)
        .map(|(c, _)| weight(*c))
        .sum::<f64>()
        / total
}

/// Which of `name`'s characters some reading spells in order.
fn spelled(readings: &[&str], name: &[char]) -> Vec<bool> {
    let mut read = vec![false; name.len()];
    for r in readings {
        let (hits, _) = aligned(name, &key(r));
        for (seen, hit) in read.iter_mut().zip(hits) {
            *seen |= hit;
        }
    }
    read
}

fn weight(c: char) -> f64 {
    if COMMON_CHARS.contains(c) {
        COMMON_WEIGHT
    } else {
        1.0
    }
}

/// Characters that carry the name: no brackets, spaces or punctuation.
fn key(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Longest common subsequence of `name` in `reading`: which characters of
/// the name it spells, and how many of them each start of the reading
/// (`reading[..k]`, k = 0..=len) spells.
fn aligned(name: &[char], reading: &[char]) -> (Vec<bool>, Vec<u16>) {
    let dp = lcs_table(name, reading);
    let mut hits = vec![false; name.len()];
    for (i, _) in lcs_pairs(name, reading, &dp) {
        hits[i] = true;
    }
    (hits, dp[name.len() * (reading.len() + 1)..].to_vec())
}

/// Characters of its own (not common ones) `reading` holds between two
/// characters of `name` it spells, beyond as many as the name has there:
/// 工业 in 浙江工业大学 read for 浙江大学. Characters in place of the
/// name's (金穗 read 全税) are a misreading, not counted.
fn unexplained_inside(name: &[char], reading: &[char]) -> usize {
    // Traced from the start, so that the name's characters take their
    // first places in the reading (大学 in 大学机械工程学院 is the first 学,
    // leaving nothing inside).
    let (rn, rr): (Vec<char>, Vec<char>) = (
        name.iter().rev().copied().collect(),
        reading.iter().rev().copied().collect(),
    );
    let pairs: Vec<(usize, usize)> = lcs_pairs(&rn, &rr, &lcs_table(&rn, &rr))
        .into_iter()
        .rev()
        .map(|(i, j)| (name.len() - 1 - i, reading.len() - 1 - j))
        .collect();
    let all = gaps(&pairs, name.len(), reading.len());
    // Between two spelled characters only: not before the first or after
    // the last.
    let inner = all.len().saturating_sub(2);
    all.into_iter()
        .skip(1)
        .take(inner)
        .map(|(in_name, in_reading)| {
            let own = reading[in_reading]
                .iter()
                .filter(|c| weight(**c) == 1.0)
                .count();
            own.saturating_sub(in_name.len())
        })
        .sum()
}

/// The unmatched stretches around the matched `pairs` of a name (`n`
/// characters) and a reading (`m`): before the first pair, between each
/// two, after the last, as (name range, reading range).
fn gaps(
    pairs: &[(usize, usize)],
    n: usize,
    m: usize,
) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let mut out = Vec::with_capacity(pairs.len() + 1);
    let mut from = (0, 0);
    for &(i, j) in pairs.iter().chain(std::iter::once(&(n, m))) {
        out.push((from.0..i, from.1..j));
        from = (i + 1, j + 1);
    }
    out
}

/// Whether most of the readings that spell `name` best (within
/// [`NEAR_BEST`] of the best single reading's [`support`]) hold `own` or
/// more characters of their own inside it ([`unexplained_inside`]): the
/// seal reads as another name that shares much of this one's, not as
/// this one misread. OCR of a seal substitutes a character here and
/// there, seldom adds two inside a name in most of its readings.
fn contradicted(readings: &[&str], name: &str, own: usize) -> bool {
    let key_name = key(name);
    let each: Vec<f64> = readings.iter().map(|r| support(&[r], name)).collect();
    let best = each.iter().copied().fold(0.0, f64::max);
    let (mut near, mut against) = (0, 0);
    for (r, s) in readings.iter().zip(&each) {
        if *s < best - NEAR_BEST || *s < FRAGMENT_SUPPORT {
            continue;
        }
        near += 1;
        against += usize::from(unexplained_inside(&key_name, &key(r)) >= own);
    }
    near > 0 && against * 2 > near
}

/// See [`contradicted`].
const NEAR_BEST: f64 = 0.15;

/// Characters a reading holds inside a name for [`contradicted`] to take
/// it as another name's.
const CONTRADICTING_OWN: usize = 2;

fn lcs_table(name: &[char], reading: &[char]) -> Vec<u16> {
    let (n, m) = (name.len(), reading.len());
    let mut dp = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in 0..n {
        for j in 0..m {
            dp[at(i + 1, j + 1)] = if name[i] == reading[j] {
                dp[at(i, j)] + 1
            } else {
                dp[at(i, j + 1)].max(dp[at(i + 1, j)])
            };
        }
    }
    dp
}

/// The (name, reading) index pairs, in order, of the longest common
/// subsequence whose table [`lcs_table`] filled.
fn lcs_pairs(name: &[char], reading: &[char], dp: &[u16]) -> Vec<(usize, usize)> {
    let (n, m) = (name.len(), reading.len());
    let at = |i: usize, j: usize| i * (m + 1) + j;
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if name[i - 1] == reading[j - 1] {
            pairs.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if dp[at(i - 1, j)] >= dp[at(i, j - 1)] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(owner: SealOwner, name: &str) -> Party {
        Party {
            owner,
            name: name.to_string(),
        }
    }

    #[test]
    fn readings_that_each_miss_a_character_spell_the_name_together() {
        let name = "东川远航机电设备有限公司";
        let readings = [
            "东川远航机电没备有服公司",
            "东州远航机电设备有限公",
            "本川远肮机电设备有服公司",
        ];
        assert!(support(&readings, name) > 0.95);
        let parties = [
            party(SealOwner::Applicant, name),
            party(SealOwner::Other, "西岭科技信息查新中心"),
        ];
        match judge(&readings, &parties) {
            Verdict::Owner { owner, name: n, .. } => {
                assert_eq!(owner, SealOwner::Applicant);
                assert_eq!(n, name);
            }
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn a_longer_name_spelled_with_its_own_characters_wins_over_the_one_inside_it() {
        let long = "东川省农业机械科学研究院";
        let short = "东川省农业科学院";
        let parties = [
            party(SealOwner::Partner, long),
            party(SealOwner::Other, "西岭省医学科学院"),
            party(SealOwner::Recommender, short),
        ];
        // Misread characters leave both names about as well spelled.
        let readings = ["东川省农业机械科警研赛院", "东川省农业机械科研院"];
        match judge(&readings, &parties) {
            Verdict::Owner { owner, .. } => assert_eq!(owner, SealOwner::Partner),
            v => panic!("{v:?}"),
        }
        // One character of the longer name's own is not enough.
        let readings = ["东川省农业机科警研赛院", "东川省农业机科研院"];
        assert!(!matches!(
            judge(&readings, &parties),
            Verdict::Owner {
                owner: SealOwner::Partner,
                ..
            }
        ));
    }

    #[test]
    fn a_company_is_not_another_for_its_suffix() {
        let readings = ["北岸华泰新能源科技有限公司", "北岸华泰新能源科技有限公"];
        let applicant = "东川远航机电科技有限公司";
        assert!(
            support(&readings, applicant) < 0.5,
            "{}",
            support(&readings, applicant)
        );
        let parties = [party(SealOwner::Applicant, applicant)];
        assert_eq!(judge(&readings, &parties), Verdict::Unknown);
    }

    #[test]
    fn a_school_seal_is_not_the_university_seal() {
        let readings = [
            "东川理工大学机械工程学院",
            "东川理工大学机械工程学",
            "东州理工大学机械工程学院",
        ];
        let parties = [party(SealOwner::Applicant, "东川理工大学")];
        assert!(support(&readings, "东川理工大学") > 0.9);
        assert!(sub_unit(&readings, "东川理工大学"));
        assert_eq!(
            judge(&readings, &parties),
            Verdict::SubUnit {
                of: SealOwner::Applicant
            }
        );
    }

    #[test]
    fn two_parties_read_alike_are_not_decided() {
        let readings = ["东川远航机电研究"];
        let parties = [
            party(SealOwner::Applicant, "东川远航机电研究所"),
            party(SealOwner::Partner, "东川远航机电研究院"),
        ];
        assert!(matches!(
            judge(&readings, &parties),
            Verdict::Between { .. }
        ));
    }

    #[test]
    fn legends_brackets_and_one_misread_character() {
        // The ring part, as `seals_of` passes it.
        let owns = |text: &str, name: &str| {
            let parties = [party(SealOwner::Applicant, name)];
            matches!(judge(&[ring(text)], &parties), Verdict::Owner { .. })
        };
        assert!(owns("山东大学 合同专用章", "山东大学"));
        // Brackets lost or half-width on the seal, one character misread.
        assert!(owns("中国五油大学华东)", "中国石油大学（华东）"));
        assert!(!owns("青岛农业大学", "中国石油大学（华东）"));
        assert!(!owns("青岛科技大学", "山东大学"));
    }

    #[test]
    fn a_name_spelled_inside_another_is_not_the_longer_one() {
        let parties = [
            party(SealOwner::Applicant, "东川师范大学"),
            party(SealOwner::Partner, "东川大学"),
            party(SealOwner::Other, "东川农业大学"),
        ];
        let owner = |readings: &[&str]| match judge(readings, &parties) {
            Verdict::Owner { owner, .. } => Some(owner),
            _ => None,
        };
        assert_eq!(owner(&["东川师范大学"]), Some(SealOwner::Applicant));
        assert_eq!(owner(&["东川大学"]), Some(SealOwner::Partner));
        // 农 read and 业 lost: spelled all of 东川大学, but fits 东川农业大学
        // about as well. Neither is decided.
        assert_eq!(owner(&["东川农大学"]), None);
        // Exactly one name, which another spells in part (科技 are common
        // characters, so 东川科技大学 is well spelled too).
        let parties = [
            party(SealOwner::Partner, "东川大学"),
            party(SealOwner::Applicant, "东川科技大学"),
        ];
        assert!(matches!(
            judge(&["东川大学"], &parties),
            Verdict::Owner {
                owner: SealOwner::Partner,
                ..
            }
        ));
    }

    #[test]
    fn a_reading_missing_part_of_a_listed_name_is_not_someone_elses() {
        let parties = [
            party(SealOwner::Applicant, "东川远航机电设备有限公司"),
            party(SealOwner::Partner, "西岭理工大学"),
        ];
        // The start lost under another seal; the middle worn away.
        for reading in ["航机电设备有限", "西岭大学", "岭理工"] {
            assert!(
                matches!(judge(&[reading], &parties), Verdict::Partial { .. }),
                "{reading}: {:?}",
                judge(&[reading], &parties)
            );
        }
        // Two characters of its own: someone else's seal.
        assert_eq!(judge(&["北山理工大学"], &parties[1..]), Verdict::Unknown);
        // One character misread in its place: a longer name is still
        // spelled well enough to decide; a four-character one is unsure,
        // not someone else's.
        assert!(matches!(
            judge(&["中岭理工大学"], &parties),
            Verdict::Owner { .. }
        ));
        let short = [party(SealOwner::Applicant, "西岭大学")];
        assert!(matches!(
            judge(&["西北大学"], &short),
            Verdict::Partial { .. }
        ));
        assert_eq!(judge(&["北山大学"], &short), Verdict::Unknown);
        // Its start lost and the character at the cut misread; a
        // character misread away from the cut is someone else's name.
        assert!(matches!(
            judge(&["昌机电设备有限公司"], &parties),
            Verdict::Partial { .. }
        ));
        assert!(matches!(
            judge(&["岭理工昌"], &parties),
            Verdict::Partial { .. }
        ));
        assert_eq!(judge(&["航昌电设备有限公司"], &parties), Verdict::Unknown);
        // A common character written where its own ones were lost.
        assert!(matches!(
            judge(&["东川公设备有限公司"], &parties),
            Verdict::Partial { .. }
        ));
        assert_eq!(judge(&["东川昌设备有限公司"], &parties), Verdict::Unknown);
        // Too little of the name: unsure whether one character of its own
        // is left besides what every organisation shares, else nobody's.
        assert_eq!(
            judge(&["理大学"], &parties[1..]),
            Verdict::Partial { support: 0.0 }
        );
        assert_eq!(judge(&["北山工大学"], &parties[1..]), Verdict::Unknown);
        for nameless in [&["有限公司"][..], &["集团有限公司司", "集团有限公司"]] {
            assert_eq!(judge(nameless, &parties), Verdict::Partial { support: 0.0 });
        }
        assert_eq!(
            judge(&["有限公司", "北山机电有限公司"], &parties),
            Verdict::Unknown
        );
        // A parent's name inside a long sub-unit's is no part of it.
        let hospital = [party(SealOwner::Applicant, "西岭大学医学院附属医院")];
        assert_eq!(judge(&["西岭大学"], &hospital), Verdict::Unknown);
    }

    #[test]
    fn a_short_name_read_surely_with_one_character_wrong_is_unsure() {
        let doc = Document {
            source: "承诺书.pdf".to_string(),
            seals: vec![crate::model::SealMark {
                text: "西北大学 科研专用章".to_string(),
                confidence: 0.97,
                readings: vec!["西北大学".to_string()],
                ..Default::default()
            }],
            ..Default::default()
        };
        let parties = [party(SealOwner::Applicant, "西岭大学")];
        let seals = seals_of(&[(&doc, Role::Form)], &parties);
        assert_eq!(seals.len(), 1);
        // Owner unknown, confidence under any `seal_required` bar: the
        // check reports SEAL_UNREADABLE, not SEAL_MISMATCH.
        assert_eq!(seals[0].owner, None);
        assert!(seals[0].confidence.unwrap_or(1.0) <= BETWEEN_CONFIDENCE);
        assert_eq!(seals[0].text, "西北大学 科研专用章");
    }

    #[test]
    fn a_name_its_readings_disagree_on_is_not_surely_nobodys() {
        let parties = [party(SealOwner::Applicant, "东川远航机电设备有限公司")];
        let seal = |text: &str, readings: &[&str]| {
            let doc = Document {
                source: "承诺书.pdf".to_string(),
                seals: vec![crate::model::SealMark {
                    text: text.to_string(),
                    confidence: 0.9,
                    readings: readings.iter().map(|r| r.to_string()).collect(),
                    ..Default::default()
                }],
                ..Default::default()
            };
            seals_of(&[(&doc, Role::Form)], &parties).remove(0)
        };
        // The bands read different characters at the start: a guess there.
        let guessed = [
            "南滨全建农业发展有限公司",
            "滨金德农业发展有限公司",
            "南济全建农业发展有限公司",
        ];
        assert!(agreement(&guessed) < 0.7);
        let s = seal(guessed[0], &guessed);
        assert_eq!(s.owner, None);
        assert!(s.confidence.unwrap_or(1.0) < 0.8);
        // Cut short or missing a character is no disagreement: a stranger's
        // seal read so stays surely nobody's.
        let agreed = [
            "北山农业发展有限公司",
            "山农业发展有限公司",
            "北山农发展有限公司",
        ];
        assert_eq!(agreement(&agreed), 1.0);
        let s = seal(agreed[0], &agreed);
        assert_eq!(s.owner, None);
        assert_eq!(s.confidence, Some(0.9));
    }

    #[test]
    fn a_name_read_with_characters_of_its_own_inside_a_listed_one_is_not_it() {
        // 东川农林大学 is not listed; 东川大学 is, and is spelled in full.
        let parties = [
            party(SealOwner::Applicant, "东川大学"),
            party(SealOwner::Partner, "西岭机电有限公司"),
        ];
        let stranger = ["东川农林大学", "东川农林大学", "东川农林大"];
        assert!(support(&stranger, "东川大学") > 0.99);
        assert_eq!(judge(&stranger, &parties), Verdict::Unknown);
        // Two characters misread in place of the name's are a misreading.
        let misread = ["西岭机由有阴公司", "西岭机电有限公司", "西岭机由有阴公司"];
        assert!(matches!(
            judge(&misread, &parties),
            Verdict::Owner {
                owner: SealOwner::Partner,
                ..
            }
        ));
        // One character slipped in is too: OCR splits a character.
        let split = ["东川大学", "东川木大学", "东川木大学"];
        assert!(matches!(
            judge(&split, &parties),
            Verdict::Owner {
                owner: SealOwner::Applicant,
                ..
            }
        ));
        assert_eq!(
            unexplained_inside(&key("东川大学"), &key("东川农林大学")),
            2
        );
        assert_eq!(
            unexplained_inside(&key("东川大学"), &key("东川大学农林学院")),
            0
        );
        assert_eq!(unexplained_inside(&key("西岭机电"), &key("西岭机由")), 0);
    }

    #[test]
    fn characters_under_another_seal_are_not_held_against_a_name() {
        let parties = [
            party(SealOwner::Applicant, "南屿大学"),
            party(SealOwner::Partner, "东川大学"),
        ];
        // The first character lies under the partner's seal, stamped to
        // the left; the rest is read.
        let readings = ["桥屿大学", "桥屿大学", "屿大学"];
        let left = [[-140.0, -40.0]];
        assert!(matches!(
            judge(&readings, &parties),
            Verdict::Partial { .. }
        ));
        assert!(matches!(
            judge_covered(&readings, &parties, &left),
            Verdict::Owner {
                owner: SealOwner::Applicant,
                ..
            }
        ));
        assert_eq!(hidden_chars(4, &left), [true, false, false, false]);
        // Covered on the other side, the misread first character counts.
        let right = [[40.0, 140.0]];
        assert!(!matches!(
            judge_covered(&readings, &parties, &right),
            Verdict::Owner { .. }
        ));
        // A character of its own inside the rest is someone else's name.
        let other = ["桥屿农大学", "桥屿农大学", "屿农大学"];
        assert!(!matches!(
            judge_covered(&other, &parties, &left),
            Verdict::Owner { .. }
        ));
        // Too much of a name under the other seal decides nothing.
        let two = ["大学", "大学"];
        assert!(!matches!(
            judge_covered(&two, &parties, &[[-180.0, 0.0]]),
            Verdict::Owner { .. }
        ));
        // A seal crossed lightly: the other's disc covers 40° left of
        // this one's text, where its first two characters lie on some
        // spans of a ten-character name (not on all).
        let company = [
            party(SealOwner::Applicant, "南屿智能科技有限公司"),
            party(SealOwner::Partner, "东川大学"),
        ];
        let light = [[-110.0, -70.0]];
        assert_eq!(&hidden_chars(10, &light)[..3], [true, true, false]);
        let lost = ["智能科技有限公司", "智能科技有限公司"];
        assert!(matches!(
            judge_covered(&lost, &company, &light),
            Verdict::Owner {
                owner: SealOwner::Applicant,
                ..
            }
        ));
        assert!(!matches!(
            judge_covered(&lost, &company, &[[70.0, 110.0]]),
            Verdict::Owner { .. }
        ));
    }

    #[test]
    fn a_longer_name_is_not_spelled_by_one_character_from_each_garbled_reading() {
        let parties = [
            party(SealOwner::Partner, "东川大学"),
            party(SealOwner::Recommender, "东川农林大学"),
        ];
        // 东川大学's seal, its last character lost; two garbled variants
        // each hold one of 农林, in order, and nothing else of the name.
        let readings = ["东川大海", "东川大海", "省农大", "浊川大林"];
        assert!(!matches!(judge(&readings, &parties), Verdict::Owner { .. }));
        // One reading with both is the longer name's seal.
        let readings = ["东川农林大海", "东川大海"];
        assert!(matches!(
            judge(&readings, &parties),
            Verdict::Owner {
                owner: SealOwner::Recommender,
                ..
            }
        ));
    }

    #[test]
    fn no_readings_no_owner() {
        let parties = [party(SealOwner::Applicant, "东川远航机电有限公司")];
        assert_eq!(judge(&[], &parties), Verdict::Unknown);
        assert_eq!(judge(&["东川远航机电有限公司"], &[]), Verdict::Unknown);
    }
}
