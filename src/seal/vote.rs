//! Combining several readings of one text into one: tesseract's variants
//! by the reading closest to the others, PP-OCRv4's ring bands character
//! by character.

use crate::pixels::edit_distance;

/// The non-empty readings, each once, in order.
pub(super) fn distinct_readings<'a>(readings: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in readings {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// Of several readings of one image, the one closest (in edit distance)
/// to the others, ties to the more confident: tesseract misreads a
/// different character at each size, so the consensus beats the most
/// confident reading. Empty readings do not vote.
pub(super) fn consensus(readings: Vec<(String, f32)>) -> (String, f32) {
    let rs: Vec<(Vec<char>, f32)> = readings
        .into_iter()
        .filter(|(t, _)| !t.is_empty())
        .map(|(t, c)| (t.chars().collect(), c))
        .collect();
    let cost = |i: usize| -> usize {
        rs.iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, r)| edit_distance(&rs[i].0, &r.0))
            .sum()
    };
    (0..rs.len())
        .min_by(|&i, &j| cost(i).cmp(&cost(j)).then(rs[j].1.total_cmp(&rs[i].1)))
        .map(|i| (rs[i].0.iter().collect(), rs[i].1))
        .unwrap_or((String::new(), 0.0))
}

/// One position of the aligned readings: what each reading that has a
/// character there read, with its probability.
type Column = Vec<(char, f32)>;

/// PP-OCRv4's readings of the bands of one ring, merged character by
/// character: the readings are aligned (most probable first, each next
/// one against the columns so far), and each column gives the character
/// read with the most summed probability, kept when some band read it
/// with at least [`KEEP`], or when two bands read a character there
/// between kept ones. Each band of a seal crossed by another seal's
/// ink, or cut off at the ring's ends, loses different characters (one
/// reads 山东理工大, another 東山东理工大学); the most confident band alone
/// keeps its losses, while the fragments at the ends that one band reads
/// as characters of their own are read unsurely. Returns each kept
/// character with its best probability.
pub(super) fn merge_bands(bands: &[Vec<(char, f32)>]) -> Vec<(char, f32)> {
    let mut order: Vec<&Vec<(char, f32)>> = bands.iter().filter(|b| !b.is_empty()).collect();
    order.sort_by(|a, b| weight(b).total_cmp(&weight(a)));
    let Some((first, rest)) = order.split_first() else {
        return Vec::new();
    };
    let mut columns: Vec<Column> = first.iter().map(|&c| vec![c]).collect();
    for band in rest {
        columns = align(columns, band);
    }
    // Each column's most probable character: (char, summed, best, bands).
    let picks: Vec<(char, f32, f32, usize)> = columns
        .iter()
        .filter_map(|col| {
            let mut best: Option<(char, f32, f32, usize)> = None;
            for &(c, _) in col {
                let sum: f32 = col.iter().filter(|x| x.0 == c).map(|x| x.1).sum();
                let max = col
                    .iter()
                    .filter(|x| x.0 == c)
                    .map(|x| x.1)
                    .fold(0.0, f32::max);
                if best.is_none_or(|b| sum > b.1) {
                    best = Some((c, sum, max, col.len()));
                }
            }
            best
        })
        .collect();
    let sure: Vec<usize> = (0..picks.len()).filter(|&i| picks[i].2 >= KEEP).collect();
    let (Some(&first), Some(&last)) = (sure.first(), sure.last()) else {
        return Vec::new();
    };
    // Between sure characters, a place two bands read something is a
    // character of the name, however worn (a stray fragment is read by one).
    picks
        .iter()
        .enumerate()
        .filter(|&(i, p)| p.2 >= KEEP || (p.3 >= 2 && first < i && i < last))
        .map(|(_, p)| (p.0, p.2))
        .collect()
}

/// A merged character some band read at least this probably is kept:
/// end fragments read as characters come at 0.1–0.4, the ring's own
/// characters, even worn or crossed, mostly above. Readings vary little
/// between 0.45 and 0.6 (tests/seal_conditions.rs).
pub(super) const KEEP: f32 = 0.5;

fn weight(band: &[(char, f32)]) -> f32 {
    band.iter().map(|c| c.1).sum()
}

/// Aligns one more reading against the columns so far (edit distance: a
/// character matches a column that holds it), giving the new columns.
fn align(columns: Vec<Column>, band: &[(char, f32)]) -> Vec<Column> {
    let (n, m) = (columns.len(), band.len());
    // cost[i][j]: columns[..i] against band[..j]; step: 0 diagonal,
    // 1 band character alone, 2 column alone.
    let mut cost = vec![vec![usize::MAX; m + 1]; n + 1];
    let mut step = vec![vec![0u8; m + 1]; n + 1];
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                cost[0][0] = 0;
                continue;
            }
            let mut best = (usize::MAX, 0u8);
            if i > 0 && j > 0 {
                let hit = columns[i - 1].iter().any(|c| c.0 == band[j - 1].0);
                best = best.min((cost[i - 1][j - 1] + usize::from(!hit), 0));
            }
            if j > 0 {
                best = best.min((cost[i][j - 1] + 1, 1));
            }
            if i > 0 {
                best = best.min((cost[i - 1][j] + 1, 2));
            }
            (cost[i][j], step[i][j]) = best;
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let mut columns = columns;
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match step[i][j] {
            0 => {
                let mut col = std::mem::take(&mut columns[i - 1]);
                col.push(band[j - 1]);
                out.push(col);
                i -= 1;
                j -= 1;
            }
            1 => {
                out.push(vec![band[j - 1]]);
                j -= 1;
            }
            _ => {
                out.push(std::mem::take(&mut columns[i - 1]));
                i -= 1;
            }
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str, p: &[f32]) -> Vec<(char, f32)> {
        s.chars().zip(p.iter().copied()).collect()
    }

    fn text(m: &[(char, f32)]) -> String {
        m.iter().map(|c| c.0).collect()
    }

    #[test]
    fn bands_lose_different_characters_and_the_merge_keeps_them_all() {
        // One band cut off at the end, one with an unsure fragment before
        // the name, one reading a character of the other seal's.
        let bands = [
            line("甲乙丙丁戊", &[0.99, 0.99, 0.99, 0.98, 0.99]),
            line("己甲乙丙丁戊庚", &[0.3, 0.99, 0.99, 0.97, 0.99, 0.95, 0.9]),
            line("甲乙辛丁戊庚", &[0.97, 0.99, 0.4, 0.99, 0.9, 0.8]),
        ];
        assert_eq!(text(&merge_bands(&bands)), "甲乙丙丁戊庚");
    }

    #[test]
    fn a_character_only_one_band_reads_surely_is_kept() {
        let bands = [
            line("乙丙丁", &[0.99, 0.99, 0.99]),
            line("甲乙丙丁", &[0.79, 0.99, 0.99, 0.99]),
        ];
        assert_eq!(text(&merge_bands(&bands)), "甲乙丙丁");
        let unsure = [
            line("乙丙丁", &[0.99, 0.99, 0.99]),
            line("甲乙丙丁", &[0.2, 0.99, 0.99, 0.99]),
        ];
        assert_eq!(text(&merge_bands(&unsure)), "乙丙丁");
    }

    #[test]
    fn a_worn_character_two_bands_read_stays_and_a_stray_one_goes() {
        let bands = [
            line("甲乙丙丁", &[0.99, 0.3, 0.99, 0.99]),
            line("甲乙丙戊丁", &[0.99, 0.4, 0.99, 0.3, 0.99]),
        ];
        assert_eq!(text(&merge_bands(&bands)), "甲乙丙丁");
    }

    #[test]
    fn disagreeing_bands_give_the_more_probable_character() {
        let bands = [
            line("甲乙丙", &[0.99, 0.6, 0.99]),
            line("甲丁丙", &[0.99, 0.55, 0.99]),
            line("甲丁丙", &[0.99, 0.3, 0.99]),
        ];
        // 丁 by summed probability (0.85 against 0.6).
        assert_eq!(text(&merge_bands(&bands)), "甲丁丙");
        assert!(merge_bands(&[]).is_empty());
        assert_eq!(text(&merge_bands(&[line("甲乙", &[0.9, 0.9])])), "甲乙");
    }
}
