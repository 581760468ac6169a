//! Positioned glyphs → lines → reading order: glyphs join a line along the
//! baseline (vertical writing runs top to bottom, columns right to left),
//! big gaps split a line into fragments, a clear vertical gutter makes a
//! two-column page read column by column.

use super::content::Glyph;

/// A line (or fragment of one) in page space.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub bbox: [f32; 4],
    pub size: f32,
    pub vertical: bool,
    pub artifact: bool,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Builds lines from glyphs in content order.
pub fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut out = Vec::new();
    let (vert, horiz): (Vec<&Glyph>, Vec<&Glyph>) = glyphs.iter().partition(|g| g.vertical);
    // Horizontal: sort by baseline band, then x; glyphs arrive mostly in
    // order, but producers also emit table cells or overprints out of order.
    let mut hs: Vec<&Glyph> = horiz;
    hs.sort_by(|a, b| {
        let (ya, yb) = (a.y1, b.y1);
        let tol = 0.4 * a.size.min(b.size).max(1.0);
        if (ya - yb).abs() <= tol {
            a.x0.total_cmp(&b.x0)
        } else {
            ya.total_cmp(&yb)
        }
    });
    // The pairwise-tolerant sort is not a strict order; group by bands.
    let mut bands: Vec<Vec<&Glyph>> = Vec::new();
    for g in hs {
        let mid = (g.y0 + g.y1) / 2.0;
        let found = bands.iter_mut().rev().take(4).find(|band| {
            let b = band[0];
            let bmid = (b.y0 + b.y1) / 2.0;
            (mid - bmid).abs() < 0.45 * b.size.min(g.size).max(1.0)
        });
        match found {
            Some(band) => band.push(g),
            None => bands.push(vec![g]),
        }
    }
    for mut band in bands {
        band.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cur: Vec<&Glyph> = Vec::new();
        for g in band {
            if let Some(last) = cur.last() {
                let gap = g.x0 - last.x1;
                let size = last.size.max(g.size).max(1.0);
                // Drop exact overprints (fake bold).
                if (g.x0 - last.x0).abs() < 0.1 * size && g.text == last.text {
                    continue;
                }
                if gap > 2.5 * size {
                    out.push(make_line(&cur, false));
                    cur.clear();
                }
            }
            cur.push(g);
        }
        if !cur.is_empty() {
            out.push(make_line(&cur, false));
        }
    }
    // Vertical: columns by x centre, right to left, each top to bottom.
    let mut cols: Vec<Vec<&Glyph>> = Vec::new();
    for g in vert {
        let cx = (g.x0 + g.x1) / 2.0;
        let found = cols.iter_mut().find(|c| {
            let h = c[0];
            ((h.x0 + h.x1) / 2.0 - cx).abs() < 0.5 * h.size.max(1.0)
        });
        match found {
            Some(c) => c.push(g),
            None => cols.push(vec![g]),
        }
    }
    cols.sort_by(|a, b| b[0].x0.total_cmp(&a[0].x0));
    for mut c in cols {
        c.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        out.push(make_line(&c, true));
    }
    out.retain(|l| !l.text.trim().is_empty());
    out
}

fn make_line(gs: &[&Glyph], vertical: bool) -> Line {
    let mut text = String::new();
    let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    let mut size: f32 = 0.0;
    let mut prev: Option<&Glyph> = None;
    for g in gs {
        if let Some(p) = prev
            && !vertical
        {
            let gap = g.x0 - p.x1;
            let sz = p.size.max(g.size).max(1.0);
            let last = text.chars().last().unwrap_or(' ');
            let next = g.text.chars().next().unwrap_or(' ');
            let threshold = if is_cjk(last) || is_cjk(next) {
                0.5
            } else {
                0.15
            };
            if gap > threshold * sz && last != ' ' && next != ' ' {
                text.push(' ');
            }
        }
        if g.text == " " && text.ends_with(' ') {
            // Collapse runs of spaces.
        } else {
            text.push_str(&g.text);
        }
        bbox[0] = bbox[0].min(g.x0);
        bbox[1] = bbox[1].min(g.y0);
        bbox[2] = bbox[2].max(g.x1);
        bbox[3] = bbox[3].max(g.y1);
        size = size.max(g.size);
        prev = Some(g);
    }
    Line {
        text: text.trim().to_string(),
        bbox,
        size,
        vertical,
        artifact: gs.iter().all(|g| g.artifact),
    }
}

/// Orders lines for reading. Lines are grouped into blocks (stacked lines
/// of similar size that overlap horizontally), then blocks are sorted
/// topologically (Breuel's rule): A precedes B when they overlap
/// horizontally and A is above, or when A lies left of B with no block in
/// between that spans both. This reads two-column pages column by column and
/// bracketed label groups as a unit. Vertical lines read right to left after
/// the horizontal text.
pub fn reading_order(lines: Vec<Line>) -> Vec<Line> {
    let (vert, blocks) = split_blocks(lines);
    let boxes: Vec<[f32; 4]> = blocks.iter().map(|b| b.0).collect();
    let mut blocks: Vec<Option<Vec<Line>>> = blocks.into_iter().map(|b| Some(b.1)).collect();
    let mut out = Vec::new();
    for i in order(&boxes) {
        if let Some(ls) = blocks[i].take() {
            out.extend(ls);
        }
    }
    out.extend(vert);
    out
}

fn starts_list_item(s: &str) -> bool {
    let mut cs = s.chars();
    let Some(c0) = cs.next() else { return false };
    if "①②③④⑤⑥⑦⑧⑨⑩•·-—（(".contains(c0) {
        return true;
    }
    let rest: String = s
        .chars()
        .skip_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .take(1)
        .collect();
    (c0.is_ascii_digit() || "一二三四五六七八九十".contains(c0))
        && matches!(rest.as_str(), "." | "、" | "．" | "）" | ")")
}

/// Estimated width of a line's first word (its first character when that
/// is CJK), from the line's mean character width.
fn first_word_width(l: &Line) -> f32 {
    let n = l.text.chars().count().max(1) as f32;
    let per = (l.bbox[2] - l.bbox[0]) / n;
    let word = match l.text.chars().next() {
        Some(c) if is_cjk(c) => 1,
        _ => l
            .text
            .chars()
            .take_while(|c| !c.is_whitespace() && !is_cjk(*c))
            .count(),
    };
    word as f32 * per
}

/// Joins visual lines that wrap within a container (`left`..`right`) into
/// paragraphs: a line that reaches the right edge (or leaves less room
/// than the next line's first word) continues on the next line unless that one is indented or starts a list item. CJK joins
/// without a separator, Latin with a space, a hyphenated break without.
pub fn join_wrapped(lines: Vec<Line>, left: f32, right: f32) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut prev_x1 = f32::MIN;
    for l in lines {
        if let Some(p) = out.last_mut() {
            let size = p.size.max(l.size).max(1.0);
            // Wrapped: the line ends at the edge, or the next line's first
            // word would not have fitted after it (Latin words wrap early).
            let reaches_edge = prev_x1 >= right - 1.6 * size
                || prev_x1 + 0.25 * size + first_word_width(&l) > right + 0.5;
            let below = l.bbox[1] >= p.bbox[3] - 0.3 * size && l.bbox[1] - p.bbox[3] < 0.9 * size;
            let not_indented = l.bbox[0] <= left + 0.6 * size;
            if !p.vertical
                && !l.vertical
                && reaches_edge
                && below
                && not_indented
                && !starts_list_item(&l.text)
            {
                let last = p.text.chars().last().unwrap_or(' ');
                let first = l.text.chars().next().unwrap_or(' ');
                let hyphen_break = last == '-'
                    && p.text
                        .chars()
                        .rev()
                        .nth(1)
                        .is_some_and(|c| c.is_alphabetic());
                if !(hyphen_break || is_cjk(last) || is_cjk(first)) {
                    p.text.push(' ');
                }
                p.text.push_str(&l.text);
                prev_x1 = l.bbox[2];
                p.bbox = [
                    p.bbox[0].min(l.bbox[0]),
                    p.bbox[1].min(l.bbox[1]),
                    p.bbox[2].max(l.bbox[2]),
                    p.bbox[3].max(l.bbox[3]),
                ];
                continue;
            }
        }
        prev_x1 = l.bbox[2];
        out.push(l);
    }
    out
}

/// A block of horizontal lines with its bounding box.
pub type LineBlock = ([f32; 4], Vec<Line>);

/// Vertical lines (right to left) and blocks of horizontal lines.
pub fn split_blocks(lines: Vec<Line>) -> (Vec<Line>, Vec<LineBlock>) {
    let (mut vert, horiz): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.vertical);
    vert.sort_by(|a, b| b.bbox[2].total_cmp(&a.bbox[2]));
    let blocks = make_blocks(horiz)
        .into_iter()
        .map(|b| (b.bbox, b.lines))
        .collect();
    (vert, blocks)
}

/// Reading order of boxes (see [`reading_order`]).
pub fn order(boxes: &[[f32; 4]]) -> Vec<usize> {
    if boxes.len() <= 250 {
        topo_order(boxes)
    } else {
        let mut idx: Vec<usize> = (0..boxes.len()).collect();
        idx.sort_by(|&a, &b| cmp_pos(&boxes[a], &boxes[b]));
        idx
    }
}

struct BlockOfLines {
    lines: Vec<Line>,
    bbox: [f32; 4],
    size: f32,
}

fn cmp_pos(a: &[f32; 4], b: &[f32; 4]) -> std::cmp::Ordering {
    a[1].total_cmp(&b[1]).then(a[0].total_cmp(&b[0]))
}

fn make_blocks(mut lines: Vec<Line>) -> Vec<BlockOfLines> {
    lines.sort_by(|a, b| cmp_pos(&a.bbox, &b.bbox));
    let mut blocks: Vec<BlockOfLines> = Vec::new();
    for l in lines {
        let fit = blocks.iter_mut().rev().take(12).find(|b| {
            let last = b.lines.last().map(|x| x.bbox).unwrap_or(b.bbox);
            let gap = l.bbox[1] - last[3];
            let overlap = l.bbox[0].max(last[0]) < l.bbox[2].min(last[2]);
            let similar = (l.size - b.size).abs() <= 0.2 * b.size.max(1.0);
            overlap && similar && gap > -0.3 * b.size && gap < 0.8 * b.size.max(1.0)
        });
        match fit {
            Some(b) => {
                b.bbox = [
                    b.bbox[0].min(l.bbox[0]),
                    b.bbox[1].min(l.bbox[1]),
                    b.bbox[2].max(l.bbox[2]),
                    b.bbox[3].max(l.bbox[3]),
                ];
                b.lines.push(l);
            }
            None => blocks.push(BlockOfLines {
                bbox: l.bbox,
                size: l.size,
                lines: vec![l],
            }),
        }
    }
    blocks
}

/// A vertical gutter splitting most boxes into two columns, if any.
fn gutter(boxes: &[[f32; 4]]) -> Option<f32> {
    if boxes.len() < 6 {
        return None;
    }
    let (minx, maxx) = boxes
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), x| (a.min(x[0]), b.max(x[2])));
    let w = maxx - minx;
    let mut best: Option<(f32, usize)> = None;
    // Candidates: the middle of the gap between a box and the nearest box
    // starting to its right.
    let candidates = boxes.iter().filter_map(|b| {
        boxes
            .iter()
            .map(|o| o[0])
            .filter(|x0| *x0 > b[2])
            .min_by(f32::total_cmp)
            .map(|x0| (b[2] + x0) / 2.0)
    });
    for x in candidates {
        if x < minx + w * 0.25 || x > minx + w * 0.75 {
            continue;
        }
        let crossing = boxes.iter().filter(|m| m[0] < x && m[2] > x).count();
        let left: Vec<&[f32; 4]> = boxes.iter().filter(|m| m[2] <= x).collect();
        let right: Vec<&[f32; 4]> = boxes.iter().filter(|m| m[0] >= x).collect();
        if left.len() >= 2
            && right.len() >= 2
            && crossing * 5 <= boxes.len()
            && column_of_text(&left)
            && column_of_text(&right)
        {
            let overlap = right
                .iter()
                .filter(|r| left.iter().any(|l| l[1] < r[3] && r[1] < l[3]))
                .count();
            if overlap >= 2 && best.is_none_or(|(_, c)| crossing < c) {
                best = Some((x, crossing));
            }
        }
    }
    best.map(|b| b.0)
}

/// Whether boxes on one side of a gutter look like a text column: most of
/// them span a good part of its width. Scattered short labels (a drawing
/// frame's border letters, a title block) are not a column to read first.
fn column_of_text(side: &[&[f32; 4]]) -> bool {
    let (l, r) = side
        .iter()
        .fold((f32::MAX, f32::MIN), |(l, r), b| (l.min(b[0]), r.max(b[2])));
    let wide = side.iter().filter(|b| b[2] - b[0] >= 0.4 * (r - l)).count();
    wide * 2 >= side.len()
}

fn topo_order(blocks: &[[f32; 4]]) -> Vec<usize> {
    let n = blocks.len();
    let xo = |a: &[f32; 4], b: &[f32; 4]| a[0].max(b[0]) < a[2].min(b[2]) - 0.5;
    let gx = gutter(blocks);
    let mut before = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (a, b) = (&blocks[i], &blocks[j]);
            let h = (a[3] - a[1]).max(b[3] - b[1]).max(1.0);
            let precedes = if xo(a, b) {
                a[1] < b[1] - 0.5 || (a[1] <= b[1] + 0.5 && a[0] < b[0])
            } else if let Some(g) = gx.filter(|g| a[2] <= *g && b[0] >= *g) {
                // Two columns: the left one is read first.
                let _ = g;
                true
            } else if a[2] <= b[0] + 0.5 {
                // Left before right, unless the right one stands well
                // above (a page number over a heading).
                let (ylo, yhi) = (a[1].min(b[1]), a[1].max(b[1]));
                b[3] > a[1] - 2.5 * h
                    && !blocks.iter().enumerate().any(|(k, c)| {
                        k != i && k != j && c[1] > ylo && c[1] < yhi && xo(c, a) && xo(c, b)
                    })
            } else {
                false
            };
            if precedes {
                before[i].push(j);
                indeg[j] += 1;
            }
        }
    }
    // Kahn's algorithm, taking the top-left-most free block first; a cycle
    // (overlapping blocks) falls back to position order.
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let pick = (0..n)
            .filter(|&k| !done[k] && indeg[k] == 0)
            .min_by(|&x, &y| cmp_pos(&blocks[x], &blocks[y]))
            .or_else(|| {
                (0..n)
                    .filter(|&k| !done[k])
                    .min_by(|&x, &y| cmp_pos(&blocks[x], &blocks[y]))
            });
        let Some(k) = pick else { break };
        done[k] = true;
        out.push(k);
        for &j in &before[k] {
            indeg[j] = indeg[j].saturating_sub(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(t: &str, x: f32, y: f32) -> Glyph {
        Glyph {
            text: t.into(),
            x0: x,
            y0: y,
            x1: x + 10.0,
            y1: y + 10.0,
            size: 10.0,
            vertical: false,
            artifact: false,
        }
    }

    #[test]
    fn lines_and_columns() {
        let mut glyphs = Vec::new();
        for row in 0..5 {
            let y = 100.0 + row as f32 * 20.0;
            glyphs.push(g("左", 50.0, y));
            glyphs.push(g("栏", 60.0, y));
            glyphs.push(g("右", 350.0, y));
            glyphs.push(g("栏", 360.0, y));
        }
        let ls = reading_order(lines(&glyphs));
        let texts: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(&texts[..5], &["左栏"; 5]);
        assert_eq!(&texts[5..], &["右栏"; 5]);
    }

    #[test]
    fn scattered_labels_are_not_two_columns() {
        // A drawing frame: border numbers along the top on one baseline,
        // short labels below on both sides. No gutter: the top row reads
        // left to right first.
        let mut bs = vec![
            [10.0, 0.0, 20.0, 10.0],
            [210.0, 0.0, 220.0, 10.0],
            [410.0, 0.0, 420.0, 10.0],
        ];
        for k in 0..4 {
            let y = 40.0 + 30.0 * k as f32;
            bs.push([30.0, y, 60.0, y + 10.0]);
            bs.push([330.0, y, 380.0, y + 10.0]);
        }
        bs.push([30.0, 200.0, 40.0, 210.0]);
        bs.push([100.0, 200.0, 110.0, 210.0]);
        assert_eq!(&order(&bs)[..3], &[0, 1, 2]);
    }

    #[test]
    fn latin_word_spaces() {
        let glyphs = vec![g("A", 0.0, 0.0), g("B", 10.0, 0.0), g("C", 25.0, 0.0)];
        assert_eq!(lines(&glyphs)[0].text, "AB C");
    }
}
