//! A second reading of the lines tesseract read doubtfully, by PP-OCRv4's
//! recognizer (`pixels::ppocr`): on scans it reads Chinese print far
//! better than chi_sim (circled numbers ①② that chi_sim reads as ©/@,
//! names' rarer characters, 萨 in 哈萨克斯坦), but at 25–80 ms a line it
//! is too slow for every line of a page. So the most doubtful lines are
//! read again, up to a budget of model input per page, short ones (a
//! form's cells) several side by side as one input. Tesseract keeps
//! the layout: each run of words (split where a gap is wider than the
//! line is high) keeps its box and takes the characters PP-OCR read
//! within it.

use image::{GrayImage, imageops};

use crate::pixels::{edit_distance, engine::RawWord, is_cjk, join_words, ppocr};

/// A word read below this confidence (0–100) makes its line doubtful.
/// chi_sim misreads characters at every confidence, so this only orders
/// lines; the budget decides how many are read again.
const DOUBT_CONF: f32 = 90.0;
/// Model input per page, in pixels of width at the model's height (48),
/// a line's width plus the gap after it: about 0.4 s of one core.
const BUDGET: u32 = 4500;
/// PP-OCR's reading replaces tesseract's when at least this sure (mean
/// character probability)…
const ACCEPT: f32 = 0.9;
/// …and when the two readings share this much (1 − edit distance over
/// the longer): a line box that cuts another line reads quite
/// differently, and is left alone. A short line (a name) whose every
/// character PP-OCR reads surely may differ more: chi_sim misreads two of
/// three characters of some names.
const AGREE: f32 = 0.5;
const SURE: f32 = 0.97;
/// A line of Latin letters on a Chinese page is doubtful when it is this
/// short and read below this confidence.
const SHORT_LATIN: usize = 12;
const LATIN_DOUBT: f32 = 60.0;
/// A word of at most this many Latin letters after Chinese, on a Chinese
/// page, makes its line doubtful (see [`doubt`]).
const STUB: usize = 3;

/// Reads again the most doubtful lines of `raw` (words on the page `up`),
/// replacing their words' text where PP-OCR reads the line surely. Does
/// nothing without the model.
pub(super) fn reread_doubtful(up: &GrayImage, raw: &mut [RawWord], dpi: f32) {
    if ppocr::recognizer().is_none() {
        return;
    }
    let mut keys: Vec<(u32, u32, u32)> = raw.iter().map(|w| w.line).collect();
    keys.sort_unstable();
    keys.dedup();
    // Most doubtful first: signs chi_sim writes for characters it does
    // not know, then the least sure word.
    let cjk = raw
        .iter()
        .flat_map(|w| w.text.chars())
        .filter(|c| is_cjk(*c))
        .count();
    let latin = raw
        .iter()
        .flat_map(|w| w.text.chars())
        .filter(char::is_ascii_alphabetic)
        .count();
    let chinese_page = cjk > latin;
    let mut lines: Vec<(f32, Vec<usize>)> = keys
        .into_iter()
        .filter_map(|key| {
            let mut idx: Vec<usize> = (0..raw.len()).filter(|&i| raw[i].line == key).collect();
            idx.sort_by_key(|&i| raw[i].left);
            doubt(idx.iter().map(|&i| &raw[i]), chinese_page).map(|d| (d, idx))
        })
        .collect();
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    // The most doubtful lines the budget allows, each scaled to the
    // model's height.
    let mut budget = BUDGET;
    let mut picked: Vec<(Vec<usize>, u32, u32, GrayImage)> = Vec::new();
    for (_, idx) in lines {
        let words: Vec<&RawWord> = idx.iter().map(|&i| &raw[i]).collect();
        let Some((x0, crop)) = line_crop(up, &words, dpi) else {
            continue;
        };
        let scaled_w = (crop.width() * HEIGHT / crop.height().max(1)).max(1);
        if scaled_w + GAP > budget {
            continue;
        }
        budget -= scaled_w + GAP;
        let line = imageops::resize(&crop, scaled_w, HEIGHT, imageops::FilterType::Triangle);
        picked.push((idx, x0, crop.width(), line));
    }
    // Short lines (a form's cells) are read several to one input, white
    // between them: the model reads at least 320 px at a time. Wider
    // ones alone: a neighbour changes a reading (③ read as 3).
    let mut at = 0;
    while at < picked.len() {
        let mut end = at + 1;
        let mut width = picked[at].3.width();
        let short = |w: u32| w < SHORT;
        while end < picked.len()
            && short(width)
            && short(picked[end].3.width())
            && width + GAP + picked[end].3.width() <= BATCH
        {
            width += GAP + picked[end].3.width();
            end += 1;
        }
        let batch = &picked[at..end];
        let Some(reads) = read_batch(batch.iter().map(|p| &p.3)) else {
            return;
        };
        for ((idx, x0, crop_w, _), read) in batch.iter().zip(reads) {
            let words: Vec<&RawWord> = idx.iter().map(|&i| &raw[i]).collect();
            if !accepted(&words, &read) {
                continue;
            }
            let runs = runs(&words);
            place_chars(raw, idx, &runs, *x0, *crop_w, &read);
        }
        at = end;
    }
}

/// The model's input height: lines are scaled to it before batching.
const HEIGHT: u32 = 48;
/// White between two lines read as one input, and the widest such input.
const GAP: u32 = 32;
const BATCH: u32 = 1600;
/// Lines narrower than this (the model's least input width) are read
/// together; wider ones alone, as their neighbours change a reading.
const SHORT: u32 = 320;

/// Reads lines (each [`HEIGHT`] high) side by side as one input and
/// splits the reading back by where each character was read: one
/// reading per line, positions as a share of that line's width.
/// `None` without the model.
fn read_batch<'a>(lines: impl Iterator<Item = &'a GrayImage>) -> Option<Vec<ppocr::LineReading>> {
    let lines: Vec<&GrayImage> = lines.collect();
    let total = lines.iter().map(|l| l.width() + GAP).sum::<u32>() - GAP;
    let mut strip = GrayImage::from_pixel(total.max(1), HEIGHT, image::Luma([255]));
    let mut spans = Vec::new();
    let mut x = 0;
    for l in &lines {
        imageops::overlay(&mut strip, *l, x as i64, 0);
        spans.push((x, l.width()));
        x += l.width() + GAP;
    }
    let read = ppocr::read_line(&strip)?;
    let mut out: Vec<ppocr::LineReading> = vec![ppocr::LineReading::default(); lines.len()];
    for ((c, p), a) in read.chars.iter().zip(&read.at) {
        let px = a * total as f32;
        // The line whose span (to the middle of the gaps) holds it.
        let k = spans
            .iter()
            .position(|(x, w)| px < (x + w) as f32 + GAP as f32 / 2.0)
            .unwrap_or(lines.len() - 1);
        let (x, w) = spans[k];
        out[k].chars.push((*c, *p));
        out[k].at.push(((px - x as f32) / w as f32).clamp(0.0, 1.0));
    }
    for r in &mut out {
        r.text = r.chars.iter().map(|c| c.0).collect();
        r.confidence = if r.chars.is_empty() {
            0.0
        } else {
            r.chars.iter().map(|c| c.1).sum::<f32>() / r.chars.len() as f32
        };
    }
    Some(out)
}

/// Whether PP-OCR's reading of a line replaces tesseract's words.
fn accepted(words: &[&RawWord], read: &ppocr::LineReading) -> bool {
    let before: Vec<char> = words.iter().flat_map(|w| w.text.chars()).collect();
    let after: Vec<char> = read
        .chars
        .iter()
        .map(|c| c.0)
        .filter(|c| *c != ' ')
        .collect();
    let longer = before.len().max(after.len()).max(1);
    let agree = 1.0 - edit_distance(&before, &after) as f32 / longer as f32;
    let sure_short = read.confidence >= SURE && before.len().abs_diff(after.len()) <= 1;
    // Chinese that tesseract read as Latin letters shares nothing with
    // its reading; PP-OCR reads Latin as Latin.
    let was_latin = !before.iter().any(|c| is_cjk(*c));
    let chinese = after.iter().filter(|c| is_cjk(**c)).count() * 2 > after.len();
    read.confidence >= ACCEPT && (agree >= AGREE || sure_short || (was_latin && chinese))
}

/// How doubtful a line is (lower is more), `None` when it is not: a line
/// with Chinese in it that tesseract read unsurely, or with signs it
/// writes for characters it does not know (©, @, ®).
///
/// On a Chinese page, a few Latin letters are doubtful too: chi_sim
/// writes them, unsurely or even surely, for a short Chinese value such
/// as a two-character name, alone on its line (HAR) or after its label
/// (建议人： Am). Letters after a number (100 kg) are a unit.
fn doubt<'a>(words: impl Iterator<Item = &'a RawWord> + Clone, chinese_page: bool) -> Option<f32> {
    let chars = words.clone().flat_map(|w| w.text.chars());
    let least = words.clone().map(|w| w.conf).fold(100.0f32, f32::min);
    if !chars.clone().any(is_cjk) {
        let letters = chars.clone().filter(char::is_ascii_alphabetic).count();
        let short = chars.clone().filter(|c| !c.is_whitespace()).count() <= SHORT_LATIN;
        return (chinese_page && letters > 0 && short && least < LATIN_DOUBT).then_some(least);
    }
    let odd = chars.clone().any(|c| "©®@¥§".contains(c));
    if odd {
        return Some(least - 100.0);
    }
    let texts: Vec<&str> = words.map(|w| w.text.as_str()).collect();
    let stub = texts.iter().enumerate().any(|(i, t)| {
        let after_chinese = i == 0
            || texts[i - 1]
                .chars()
                .last()
                .is_some_and(|c| is_cjk(c) || "：:".contains(c));
        (1..=STUB).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphabetic()) && after_chinese
    });
    if chinese_page && stub {
        return Some(least.min(LATIN_DOUBT));
    }
    (least < DOUBT_CONF).then_some(least)
}

/// The line's words grouped into runs, split where the gap between two
/// words is wider than the line is high (columns, a label and its value
/// set apart): positions into `words`, first and last of each run.
fn runs(words: &[&RawWord]) -> Vec<(usize, usize)> {
    let mut heights: Vec<u32> = words.iter().map(|w| w.height).collect();
    heights.sort_unstable();
    let height = heights.get(heights.len() / 2).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..=words.len() {
        let split = words.get(k).is_none_or(|w| {
            let prev = words[k - 1];
            w.left.saturating_sub(prev.left + prev.width) > height
        });
        if split {
            out.push((start, k - 1));
            start = k;
        }
    }
    out
}

/// Gives each run PP-OCR's characters read within it (to the middle of
/// the gaps beside it): its first word takes the run's box and text, the
/// others are emptied (and dropped by the caller).
fn place_chars(
    raw: &mut [RawWord],
    idx: &[usize],
    runs: &[(usize, usize)],
    x0: u32,
    width: u32,
    read: &ppocr::LineReading,
) {
    let right = |raw: &[RawWord], k: usize| raw[idx[k]].left + raw[idx[k]].width;
    let bounds: Vec<f32> = runs
        .windows(2)
        .map(|p| (right(raw, p[0].1) + raw[idx[p[1].0]].left) as f32 / 2.0)
        .collect();
    let mut texts = vec![String::new(); runs.len()];
    let mut probs = vec![Vec::new(); runs.len()];
    for ((c, p), at) in read.chars.iter().zip(&read.at) {
        let x = x0 as f32 + at * width as f32;
        let r = bounds.iter().take_while(|b| x >= **b).count();
        texts[r].push(*c);
        probs[r].push(*p);
    }
    for (r, &(first, last)) in runs.iter().enumerate() {
        let (left, right_edge) = (raw[idx[first]].left, right(raw, last));
        let top = (first..=last).map(|k| raw[idx[k]].top).min().unwrap_or(0);
        let bottom = (first..=last)
            .map(|k| raw[idx[k]].top + raw[idx[k]].height)
            .max()
            .unwrap_or(0);
        let p = &probs[r];
        for k in first..=last {
            raw[idx[k]].text.clear();
        }
        let w = &mut raw[idx[first]];
        // PP-OCR reads a space wherever print is spaced out; Chinese is
        // written without them, as tesseract's words are joined.
        w.text = join_words(texts[r].split(' '));
        w.conf = p.iter().sum::<f32>() / p.len().max(1) as f32 * 100.0;
        (w.left, w.top) = (left, top);
        (w.width, w.height) = (right_edge - left, bottom - top);
    }
}

/// The line's words' box on `up`, with a margin, and its left edge.
fn line_crop(up: &GrayImage, words: &[&RawWord], dpi: f32) -> Option<(u32, GrayImage)> {
    let (w, h) = up.dimensions();
    let pad = (dpi / 60.0) as u32;
    let x0 = words.iter().map(|w| w.left).min()?.saturating_sub(pad);
    let y0 = words.iter().map(|w| w.top).min()?.saturating_sub(pad);
    let x1 = (words.iter().map(|w| w.left + w.width).max()? + pad).min(w);
    let y1 = (words.iter().map(|w| w.top + w.height).max()? + pad).min(h);
    (x1 > x0 + 4 && y1 > y0 + 4).then(|| {
        (
            x0,
            image::imageops::crop_imm(up, x0, y0, x1 - x0, y1 - y0).to_image(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, left: u32, width: u32, conf: f32) -> RawWord {
        RawWord {
            text: text.into(),
            left,
            top: 100,
            width,
            height: 40,
            conf,
            line: (1, 1, 1),
        }
    }

    #[test]
    fn doubtful_lines_are_chinese_read_unsurely_or_short_latin_on_a_chinese_page() {
        let sure = [word("项目名称", 0, 160, 95.0)];
        assert_eq!(doubt(sure.iter(), true), None);
        let unsure = [word("买施周期", 0, 160, 70.0)];
        assert_eq!(doubt(unsure.iter(), true), Some(70.0));
        // A sign for a circled number goes before any unsure word.
        let signs = [word("©种质", 0, 120, 95.0)];
        assert!(doubt(signs.iter(), true).is_some_and(|d| d < 0.0));
        // A few letters read unsurely on a Chinese page: a short value.
        let name = [word("Am", 0, 60, 40.0)];
        assert_eq!(doubt(name.iter(), true), Some(40.0));
        assert_eq!(doubt(name.iter(), false), None);
        // …or read surely after its label, but not as a unit after a number.
        let labelled = [word("建议人：", 0, 160, 95.0), word("Am", 200, 60, 92.0)];
        assert_eq!(doubt(labelled.iter(), true), Some(LATIN_DOUBT));
        let unit = [word("产能100", 0, 160, 95.0), word("kg", 200, 60, 92.0)];
        assert_eq!(doubt(unit.iter(), true), None);
        // An English line, however unsure, is tesseract's.
        let latin = [
            word("Cooperation", 0, 160, 40.0),
            word("Agreement", 170, 140, 40.0),
        ];
        assert_eq!(doubt(latin.iter(), true), None);
    }

    fn reading(text: &str, p: f32) -> ppocr::LineReading {
        let chars: Vec<(char, f32)> = text.chars().map(|c| (c, p)).collect();
        ppocr::LineReading {
            text: text.into(),
            confidence: p,
            at: (0..chars.len())
                .map(|i| i as f32 / chars.len() as f32)
                .collect(),
            chars,
        }
    }

    #[test]
    fn a_sure_reading_replaces_a_close_one_or_latin_garbage() {
        let close = [word("买施周期", 0, 160, 70.0)];
        let close: Vec<&RawWord> = close.iter().collect();
        assert!(accepted(&close, &reading("实施周期", 0.95)));
        assert!(!accepted(&close, &reading("实施周期", 0.8)));
        // A box cutting another line reads quite differently.
        assert!(!accepted(&close, &reading("合作单位名称及地址", 0.95)));
        // Chinese chi_sim took for Latin letters.
        let garbage = [word("BWA:", 0, 80, 60.0), word("SHS", 90, 60, 50.0)];
        let garbage: Vec<&RawWord> = garbage.iter().collect();
        assert!(accepted(&garbage, &reading("建议人：韩雨桐", 0.95)));
        assert!(!accepted(&garbage, &reading("BWA SHS", 0.6)));
    }

    #[test]
    fn characters_go_to_their_run_and_a_run_keeps_its_words_box() {
        // "2025年1" "1月14日" close together, then a value far to the right.
        let mut raw = vec![
            word("2025年1", 100, 140, 80.0),
            word("1月14日", 245, 140, 60.0),
            word("柯王明", 700, 120, 85.0),
        ];
        let idx = [0, 1, 2];
        let refs: Vec<&RawWord> = raw.iter().collect();
        let runs = runs(&refs);
        assert_eq!(runs, vec![(0, 1), (2, 2)]);
        // A reading of the crop from x = 90 to 830, each character at its
        // place: ten across the first run, three across the second.
        let mut chars = Vec::new();
        let mut at = Vec::new();
        for (k, c) in "2025年11月14日".chars().enumerate() {
            chars.push((c, 0.99));
            at.push((110.0 + 27.0 * k as f32 - 90.0) / 740.0);
        }
        for (k, c) in "柯玉明".chars().enumerate() {
            chars.push((c, 0.98));
            at.push((720.0 + 40.0 * k as f32 - 90.0) / 740.0);
        }
        let read = ppocr::LineReading {
            text: chars.iter().map(|c| c.0).collect(),
            confidence: 0.99,
            chars,
            at,
        };
        place_chars(&mut raw, &idx, &runs, 90, 740, &read);
        assert_eq!(raw[0].text, "2025年11月14日");
        assert_eq!((raw[0].left, raw[0].width), (100, 285));
        assert_eq!(raw[1].text, "");
        assert_eq!(raw[2].text, "柯玉明");
        assert!((raw[2].conf - 98.0).abs() < 0.01);
    }
}
