//! The cooperation agreement's properties: which languages it is written in,
//! whether it has an intellectual-property clause, and the term it is valid
//! for — read from the documents whose role is `Agreement`.

use crate::model::{Document, Evidence};
use crate::normalize::date;
use crate::record::Agreement;

/// What the clause-by-clause reading of a bilingual agreement
/// (`bilingual::analyze`, which knows its layout) adds to the agreement read
/// from its text: the languages as laid out, more IP wordings, and the term
/// where the text gave none.
pub fn merge_clauses(a: &mut Agreement, b: &crate::bilingual::Analysis) {
    a.languages = b.languages.clone();
    a.has_ip_clause |= b.has_ip_clause;
    if a.valid_to.is_none() {
        a.valid_from = a.valid_from.take().or_else(|| b.valid_from.clone());
        a.valid_to = b.valid_to.clone();
    }
}

/// Words that open a clause stating the agreement's term.
const TERM_WORDS_ZH: &[&str] = &[
    "有效期",
    "协议期限",
    "合作期限",
    "本协议自",
    "本协议期限",
    "期限为",
];
const TERM_WORDS_EN: &[&str] = &[
    "valid from",
    "validity",
    "in force",
    "into force",
    "effective from",
    "term of this agreement",
    "shall be valid",
    "remain valid",
    "period of",
];
const IP_WORDS: &[&str] = &["知识产权", "intellectual property"];

/// Reads the agreement from the given documents (all of one agreement, in
/// either language). `None` when there is no text at all.
pub fn locate(docs: &[&Document]) -> Option<(Agreement, Evidence)> {
    let mut text = String::new();
    let mut first_ev: Option<Evidence> = None;
    for d in docs {
        let t = d.plain_text(false);
        if first_ev.is_none() && !t.trim().is_empty() {
            first_ev = Some(Evidence {
                source: d.source.clone(),
                page: None,
                locator: "document".into(),
                text: t.chars().take(120).collect(),
            });
        }
        text.push_str(&t);
        text.push('\n');
    }
    let mut ev = first_ev?;
    let mut languages = Vec::new();
    if han_count(&text) >= 20 {
        languages.push("zh".to_string());
    }
    if latin_words(&text) >= 20 {
        languages.push("en".to_string());
    }
    let lower = text.to_lowercase();
    let has_ip_clause = IP_WORDS.iter().any(|w| lower.contains(w));
    let mut agreement = Agreement {
        valid_from: None,
        valid_to: None,
        languages,
        has_ip_clause,
    };
    if let Some((from, to, clause)) = term(&text) {
        agreement.valid_from = Some(from);
        agreement.valid_to = Some(to);
        ev.locator = "term clause".into();
        ev.text = clause;
    }
    Some((agreement, ev))
}

fn han_count(s: &str) -> usize {
    s.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

fn latin_words(s: &str) -> usize {
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .count()
}

/// The first term clause that yields a period: the text after a term word,
/// to the end of its sentence. A later clause that states the same period
/// more precisely (the English "31 December 2027" for a Chinese
/// "2027年12月" whose day was lost) refines it.
fn term(text: &str) -> Option<(String, String, String)> {
    let mut found = term_clauses(text);
    let mut best = found.next()?;
    for t in found {
        let refines = |a: &str, b: &str| b.starts_with(a);
        if refines(&best.0, &t.0)
            && refines(&best.1, &t.1)
            && t.0.len() + t.1.len() > best.0.len() + best.1.len()
        {
            best = t;
        }
    }
    Some(best)
}

/// Every term clause that yields a period, in order.
fn term_clauses(text: &str) -> impl Iterator<Item = (String, String, String)> + '_ {
    text.lines().flat_map(|line| {
        let lower = line.to_lowercase();
        let starts: Vec<usize> = TERM_WORDS_ZH
            .iter()
            .chain(TERM_WORDS_EN)
            .filter_map(|w| lower.find(w))
            .collect();
        starts
            .into_iter()
            .filter_map(move |start| term_at(line, start))
    })
}

/// The period of the clause starting at byte `start` of `line`, to the
/// end of its sentence.
fn term_at(line: &str, start: usize) -> Option<(String, String, String)> {
    // `lower` keeps byte offsets for ASCII and CJK alike.
    let rest = line.get(start..)?;
    let end = rest
        .char_indices()
        .find(|(i, c)| matches!(c, '。' | ';' | '；') || (*c == '.' && is_sentence_end(rest, *i)))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let clause = &rest[..end];
    if let Some((a, b)) = date::parse_period(clause) {
        return Some((a.to_iso(), b.to_iso(), clause.trim().to_string()));
    }
    let dates = date::find_dates(clause);
    (dates.len() >= 2).then(|| {
        (
            dates[0].0.to_iso(),
            dates[1].0.to_iso(),
            clause.trim().to_string(),
        )
    })
}

/// A '.' ends a sentence when the text ends there or a capital follows
/// ("Jan. 1, 2025" and "3.5" do not end one).
fn is_sentence_end(s: &str, i: usize) -> bool {
    let mut next = s[i + 1..].chars();
    match next.next() {
        None | Some('\n') => true,
        Some(' ') => next.next().is_none_or(|c| c.is_uppercase()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_clause_stating_the_term_more_precisely_refines_it() {
        let text = "第五条 本协议有效期自2026年3月1日至2029年2月\n\
                    This Agreement shall remain in force from 1 March 2026 to 28 February 2029.";
        let (from, to, clause) = term(text).unwrap();
        assert_eq!((from.as_str(), to.as_str()), ("2026-03-01", "2029-02-28"));
        assert!(clause.starts_with("in force"), "{clause}");
        // A later clause stating another term does not replace the first.
        let text = "本协议有效期自2026年3月1日至2029年2月\n\
                    This Agreement shall remain in force from 1 March 2026 to 28 February 2030.";
        let (_, to, _) = term(text).unwrap();
        assert_eq!(to, "2029-02");
    }
}
