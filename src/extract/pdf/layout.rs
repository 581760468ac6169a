//! Positioned glyphs → lines → blocks → reading order, after poppler's
//! TextOutputDev (what pdftotext prints): glyphs join a line along the
//! baseline (vertical writing runs top to bottom, columns right to left)
//! and split into fragments where text stands apart; blocks grow from
//! fragments of one size on adjacent lines; blocks read in Breuel's
//! topological order.

use super::content::Glyph;

/// A line (or fragment of one) in page space.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub bbox: [f32; 4],
    /// Baseline (of the largest glyph).
    pub base: f32,
    pub size: f32,
    pub vertical: bool,
    pub artifact: bool,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Builds lines from glyphs in content order, split where text stands
/// apart (see [`splits`]).
pub fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    lines_with(glyphs, false)
}

/// Lines inside a ruled table cell: the rules bound the text, so only a
/// very wide gap splits a line (justified text in a narrow cell spreads
/// its words wider than a column gap).
pub fn cell_lines(glyphs: &[Glyph]) -> Vec<Line> {
    lines_with(glyphs, true)
}

fn lines_with(glyphs: &[Glyph], in_cell: bool) -> Vec<Line> {
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
        // Last inked glyph of `cur`: spaces do not bridge a gap.
        let mut ink: Option<&Glyph> = None;
        for g in band {
            if let Some(last) = cur.last() {
                let size = last.size.max(g.size).max(1.0);
                // Drop exact overprints (fake bold).
                if (g.x0 - last.x0).abs() < 0.1 * size && g.text == last.text {
                    continue;
                }
            }
            // In a cell a space glyph bridges a gap as well.
            let last = if in_cell { cur.last().copied() } else { ink };
            if let (Some(first), Some(last)) = (cur.first(), last)
                && !g.text.trim().is_empty()
                && if in_cell {
                    g.x0 - last.x1 > 2.5 * last.size.max(g.size).max(1.0)
                } else {
                    splits(first.size, last, g)
                }
            {
                out.push(make_line(&cur, false));
                cur.clear();
            }
            if !g.text.trim().is_empty() {
                ink = Some(g);
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

/// Whether glyph `g` starts a new fragment after `last` in a fragment
/// begun at font size `size`. As in poppler's block building
/// (TextOutputDev): text further than one font size to the side does not
/// join; text of another size joins only when nearly touching
/// (0.3 font sizes) and less than 60% off.
fn splits(size: f32, last: &Glyph, g: &Glyph) -> bool {
    let size = size.max(1.0);
    let gap = g.x0 - last.x1;
    let off = (g.size - size).abs();
    gap > COL_GAP * size || off >= 0.6 * size || (off >= 0.2 * size && gap > 0.3 * size)
}

/// Widest gap, in font sizes, inside one fragment (poppler's
/// minColSpacing2).
const COL_GAP: f32 = 1.0;

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
        // Spaces widen no box (poppler's words end at them).
        if !g.text.trim().is_empty() {
            bbox[0] = bbox[0].min(g.x0);
            bbox[1] = bbox[1].min(g.y0);
            bbox[2] = bbox[2].max(g.x1);
            bbox[3] = bbox[3].max(g.y1);
        }
        size = size.max(g.size);
        prev = Some(g);
    }
    if bbox[0] > bbox[2] {
        for g in gs {
            bbox = [
                bbox[0].min(g.x0),
                bbox[1].min(g.y0),
                bbox[2].max(g.x1),
                bbox[3].max(g.y1),
            ];
        }
    }
    let base = gs
        .iter()
        .find(|g| !g.text.trim().is_empty())
        .or(gs.first())
        .map_or(bbox[3], |g| g.base);
    Line {
        text: text.trim().to_string(),
        bbox,
        base,
        size,
        vertical,
        artifact: gs.iter().all(|g| g.artifact),
    }
}

/// Orders lines for reading: blocks from [`split_blocks`] (vertical
/// columns among them) in [`order`].
pub fn reading_order(lines: Vec<Line>) -> Vec<Line> {
    let blocks = split_blocks(lines);
    let boxes: Vec<[f32; 4]> = blocks.iter().map(|b| b.bbox).collect();
    let sizes: Vec<f32> = blocks.iter().map(|b| b.size).collect();
    let mut blocks: Vec<Option<Vec<Line>>> = blocks.into_iter().map(|b| Some(b.lines)).collect();
    let mut out = Vec::new();
    for i in order(&boxes, &sizes) {
        if let Some(ls) = blocks[i].take() {
            out.extend(ls);
        }
    }
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

/// A block of horizontal lines: bounding box, lines top to bottom, and
/// the font size it was grown from.
pub struct LineBlock {
    pub bbox: [f32; 4],
    pub lines: Vec<Line>,
    pub size: f32,
}

/// Blocks of horizontal lines, in the order they were grown (top to
/// bottom by their first line), and blocks of vertical columns (read right
/// to left) placed among them by their top: a heading above a column
/// reads before it, as on the page.
pub fn split_blocks(lines: Vec<Line>) -> Vec<LineBlock> {
    let (mut vert, horiz): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.vertical);
    vert.sort_by(|a, b| b.bbox[2].total_cmp(&a.bbox[2]));
    let mut blocks = make_blocks(horiz);
    for vb in column_blocks(vert) {
        let at = blocks
            .iter()
            .position(|b| b.bbox[1] > vb.bbox[1])
            .unwrap_or(blocks.len());
        blocks.insert(at, vb);
    }
    blocks
}

/// Vertical columns (sorted right to left) grouped into blocks: the next
/// column to the left joins when it stands at most a column's width away
/// and overlaps the block top to bottom.
fn column_blocks(cols: Vec<Line>) -> Vec<LineBlock> {
    let mut out: Vec<LineBlock> = Vec::new();
    for c in cols {
        if let Some(b) = out.last_mut() {
            let size = b.size.max(c.size).max(1.0);
            let near = b.bbox[0] - c.bbox[2] <= 1.2 * size;
            let overlaps = c.bbox[1] < b.bbox[3] && b.bbox[1] < c.bbox[3];
            if near && overlaps && (c.size - b.size).abs() <= 0.3 * size {
                union(&mut b.bbox, &c.bbox);
                b.lines.push(c);
                continue;
            }
        }
        out.push(LineBlock {
            bbox: c.bbox,
            size: c.size,
            lines: vec![c],
        });
    }
    out
}

/// Baseline of a horizontal fragment.
fn base(l: &Line) -> f32 {
    l.base
}

fn union(a: &mut [f32; 4], b: &[f32; 4]) {
    a[0] = a[0].min(b[0]);
    a[1] = a[1].min(b[1]);
    a[2] = a[2].max(b[2]);
    a[3] = a[3].max(b[3]);
}

/// Grows blocks from fragments the way poppler's TextOutputDev does: a
/// block starts at the top-left-most fragment left and takes, until
/// nothing more fits, fragments of the same size on the lines just above
/// or below that overlap it, fragments on its own lines that overlap it,
/// and (when at most three lines have one) fragments just beside it.
fn make_blocks(frags: Vec<Line>) -> Vec<LineBlock> {
    let mut rest: Vec<Option<Line>> = {
        let mut v = frags;
        v.sort_by(|a, b| {
            base(a)
                .total_cmp(&base(b))
                .then(a.bbox[0].total_cmp(&b.bbox[0]))
        });
        v.into_iter().map(Some).collect()
    };
    // Baselines, ascending: candidates are looked up by baseline range.
    let bases: Vec<f32> = rest.iter().flatten().map(base).collect();
    let window =
        |lo: f32, hi: f32| bases.partition_point(|b| *b < lo)..bases.partition_point(|b| *b <= hi);
    let mut blocks = Vec::new();
    let mut first = 0;
    loop {
        while first < rest.len() && rest[first].is_none() {
            first += 1;
        }
        let Some(top) = rest[first..].iter().flatten().next() else {
            break;
        };
        // The left-most start among the next few lines (4 pt steps, as
        // poppler's pools): a superscript does not start a block.
        let limit = (base(top) / 4.0).floor() * 4.0 + 16.0;
        let start = (first..bases.partition_point(|b| *b < limit))
            .filter(|&i| rest[i].as_ref().is_some_and(|l| base(l) < limit))
            .min_by(|&i, &j| {
                let (a, b) = (rest[i].as_ref(), rest[j].as_ref());
                let ax = a.map_or(f32::MAX, |l| l.bbox[0]);
                let bx = b.map_or(f32::MAX, |l| l.bbox[0]);
                ax.total_cmp(&bx)
            })
            .unwrap_or(first);
        let Some(l0) = rest[start].take() else { break };
        let fs = l0.size.max(1.0);
        let (mut min_base, mut max_base) = (base(&l0), base(&l0));
        let mut bbox = l0.bbox;
        let mut members = vec![l0];
        // poppler's maxLineSpacingDelta, baseline to baseline.
        let line_space = 1.5 * fs;
        let intra = 0.5 * fs;
        loop {
            let mut found = false;
            // Lines above and below: same size, overlapping the block.
            for above in [true, false] {
                let mut idx: Vec<usize> =
                    window(min_base - line_space, max_base + line_space).collect();
                if above {
                    idx.reverse();
                }
                let (lo, hi) = (min_base, max_base);
                for i in idx {
                    let Some(l) = rest[i].as_ref() else { continue };
                    let b = base(l);
                    let near = if above {
                        b < lo && b >= lo - line_space
                    } else {
                        b > hi && b <= hi + line_space
                    };
                    if near
                        && l.bbox[0] < bbox[2]
                        && l.bbox[2] > bbox[0]
                        && (l.size - fs).abs() < 0.05 * fs
                    {
                        let b = take(&mut rest, i, &mut bbox, &mut members);
                        min_base = min_base.min(b);
                        max_base = max_base.max(b);
                        found = true;
                    }
                }
            }
            // On the block's lines and overlapping it.
            for i in window(min_base - intra, max_base + intra) {
                let Some(l) = rest[i].as_ref() else { continue };
                let b = base(l);
                if b >= min_base - intra
                    && b <= max_base + intra
                    && l.bbox[0] < bbox[2] + 0.3 * fs
                    && l.bbox[2] > bbox[0] - 0.3 * fs
                    && (l.size - fs).abs() < 0.6 * fs
                {
                    take(&mut rest, i, &mut bbox, &mut members);
                    found = true;
                }
            }
            if found {
                continue;
            }
            // Just beside it, left then right, one per line.
            for left in [true, false] {
                let side: Vec<usize> = window(min_base - intra, max_base + intra)
                    .filter(|&i| {
                        rest[i].as_ref().is_some_and(|l| {
                            let b = base(l);
                            let beside = if left {
                                l.bbox[2] <= bbox[0] && l.bbox[2] > bbox[0] - COL_GAP * fs
                            } else {
                                l.bbox[0] >= bbox[2] && l.bbox[0] < bbox[2] + COL_GAP * fs
                            };
                            b >= min_base - intra
                                && b <= max_base + intra
                                && beside
                                && (l.size - fs).abs() < 0.2 * fs
                        })
                    })
                    .collect();
                let mut per_line: Vec<usize> = Vec::new();
                for i in side {
                    let b = rest[i].as_ref().map_or(0.0, base);
                    let dup = per_line
                        .iter()
                        .any(|&j| rest[j].as_ref().is_some_and(|l| (base(l) - b).abs() < 0.5));
                    if !dup {
                        per_line.push(i);
                    }
                }
                if !per_line.is_empty() && per_line.len() <= 3 {
                    for i in per_line {
                        let b = take(&mut rest, i, &mut bbox, &mut members);
                        min_base = min_base.min(b);
                        max_base = max_base.max(b);
                    }
                    found = true;
                }
            }
            if !found {
                break;
            }
        }
        blocks.push(LineBlock {
            bbox,
            lines: block_lines(members, fs),
            size: fs,
        });
    }
    blocks
}

/// Whether line `n`, first of the next block in reading order, continues
/// line `p`, last of the block before: just below it, overlapping it, of
/// a similar size (a paragraph set with wide line spacing).
pub fn continues(p: &Line, n: &Line) -> bool {
    let size = p.size.max(1.0);
    let gap = n.bbox[1] - p.bbox[3];
    let overlap = n.bbox[0].max(p.bbox[0]) < n.bbox[2].min(p.bbox[2]);
    !p.vertical
        && !n.vertical
        && overlap
        && (n.size - p.size).abs() <= 0.2 * size
        && gap > -0.3 * size
        && gap < 0.8 * size
}

/// Moves fragment `i` into a block; returns its baseline.
fn take(rest: &mut [Option<Line>], i: usize, bbox: &mut [f32; 4], members: &mut Vec<Line>) -> f32 {
    match rest[i].take() {
        Some(l) => {
            union(bbox, &l.bbox);
            let b = base(&l);
            members.push(l);
            b
        }
        None => 0.0,
    }
}

/// A block's fragments as lines: fragments on one baseline join left to
/// right while less than 1.5 font sizes apart (poppler's maxWordSpacing).
fn block_lines(mut frags: Vec<Line>, fs: f32) -> Vec<Line> {
    frags.sort_by(|a, b| {
        base(a)
            .total_cmp(&base(b))
            .then(a.bbox[0].total_cmp(&b.bbox[0]))
    });
    let mut out: Vec<(f32, Line)> = Vec::new();
    while !frags.is_empty() {
        let b0 = base(&frags[0]);
        let mut same: Vec<usize> = (0..frags.len())
            .filter(|&i| (base(&frags[i]) - b0).abs() <= 0.5 * fs)
            .collect();
        same.sort_by(|&i, &j| frags[i].bbox[0].total_cmp(&frags[j].bbox[0]));
        let mut chain = vec![same[0]];
        for &i in &same[1..] {
            let last = &frags[chain[chain.len() - 1]];
            let gap = frags[i].bbox[0] - last.bbox[2];
            if gap < 1.5 * fs && gap >= -0.5 * fs {
                chain.push(i);
            } else {
                break;
            }
        }
        let mut line: Option<Line> = None;
        for &i in &chain {
            let f = frags[i].clone();
            line = Some(match line {
                None => f,
                Some(p) => join_same_line(p, f),
            });
        }
        chain.sort_unstable_by(|a, b| b.cmp(a));
        for i in chain {
            frags.remove(i);
        }
        if let Some(l) = line {
            out.push((b0, l));
        }
    }
    out.sort_by(|a, b| {
        if (a.0 - b.0).abs() <= 0.5 * fs {
            a.1.bbox[0].total_cmp(&b.1.bbox[0])
        } else {
            a.0.total_cmp(&b.0)
        }
    });
    out.into_iter().map(|x| x.1).collect()
}

/// Two fragments of one line, left to right, with a space between unless
/// CJK text meets closely.
fn join_same_line(mut a: Line, b: Line) -> Line {
    let gap = b.bbox[0] - a.bbox[2];
    let sz = a.size.max(b.size).max(1.0);
    let last = a.text.chars().last().unwrap_or(' ');
    let next = b.text.chars().next().unwrap_or(' ');
    let threshold = if is_cjk(last) || is_cjk(next) {
        0.5
    } else {
        0.15
    };
    if gap > threshold * sz {
        a.text.push(' ');
    }
    a.text.push_str(&b.text);
    union(&mut a.bbox, &b.bbox);
    a.size = a.size.max(b.size);
    a.artifact = a.artifact && b.artifact;
    a
}

/// Reading order of boxes (see [`reading_order`]), given in the order the
/// blocks were grown, with their font sizes.
pub fn order(boxes: &[[f32; 4]], sizes: &[f32]) -> Vec<usize> {
    if boxes.len() <= 300 {
        breuel_order(boxes, sizes)
    } else {
        let mut idx: Vec<usize> = (0..boxes.len()).collect();
        idx.sort_by(|&a, &b| cmp_pos(&boxes[a], &boxes[b]));
        idx
    }
}

fn cmp_pos(a: &[f32; 4], b: &[f32; 4]) -> std::cmp::Ordering {
    a[1].total_cmp(&b[1]).then(a[0].total_cmp(&b[0]))
}

/// Blocks that form a grid (poppler's table guess): a block, its nearest
/// neighbours to the right and below and the one diagonally between them,
/// aligned in x (centres, left or right edges) and in y (centres, tops or
/// bottoms). Returns a table id per block.
fn grid_ids(b: &[[f32; 4]], sizes: &[f32]) -> Vec<Option<usize>> {
    let n = b.len();
    let mut ids: Vec<Option<usize>> = vec![None; n];
    let mut tables = 0;
    for i in 0..n {
        let (mut right, mut below, mut diag) = (None::<usize>, None::<usize>, None::<usize>);
        let (mut rx, mut by, mut dx, mut dy) = (f32::MAX, f32::MAX, f32::MAX, f32::MAX);
        for j in 0..n {
            if j == i {
                continue;
            }
            let (a, c) = (&b[i], &b[j]);
            if c[1] <= a[3] && c[3] >= a[1] && c[0] > a[2] && c[0] < rx {
                rx = c[0];
                right = Some(j);
            } else if c[0] <= a[2] && c[2] >= a[0] && c[1] > a[3] && c[1] < by {
                by = c[1];
                below = Some(j);
            } else if c[0] > a[2] && c[0] < dx && c[1] > a[3] && c[1] < dy {
                dx = c[0];
                dy = c[1];
                diag = Some(j);
            }
        }
        let (Some(r), Some(d), Some(g)) = (right, below, diag) else {
            continue;
        };
        let (r_, d_, g_) = (&b[r], &b[d], &b[g]);
        let xo = |p: &[f32; 4], q: &[f32; 4]| p[0] <= q[2] && p[2] >= q[0];
        let yo = |p: &[f32; 4], q: &[f32; 4]| p[1] <= q[3] && p[3] >= q[1];
        if xo(d_, g_) || yo(r_, g_) || xo(r_, d_) || yo(r_, d_) || !(xo(g_, r_) && yo(g_, d_)) {
            continue;
        }
        let fs = sizes[i].min(sizes[r]).min(sizes[d]).min(sizes[g]);
        let (tx, ty) = (0.3 * fs, 0.5 * fs);
        let c = |p: &[f32; 4], k: usize| (p[k] + p[k + 2]) / 2.0;
        let a = &b[i];
        let mut cx = 0;
        let mut cy = 0;
        if (c(a, 0) - c(d_, 0)).abs() <= tx && (c(r_, 0) - c(g_, 0)).abs() <= tx {
            cx += 1;
        }
        if (c(a, 1) - c(r_, 1)).abs() <= ty && (c(d_, 1) - c(g_, 1)).abs() <= ty {
            cy += 1;
        }
        if (a[0] - d_[0]).abs() <= tx && (r_[0] - g_[0]).abs() <= tx {
            cx += 1;
        }
        if (a[2] - d_[2]).abs() <= tx && (r_[2] - g_[2]).abs() <= tx {
            cx += 1;
        }
        if (a[1] - r_[1]).abs() <= ty && (d_[1] - g_[1]).abs() <= ty {
            cy += 1;
        }
        if (a[3] - r_[3]).abs() <= ty && (d_[3] - g_[3]).abs() <= ty {
            cy += 1;
        }
        if cx > 0 && cy > 0 {
            let id = [i, r, d, g]
                .iter()
                .filter_map(|&k| ids[k])
                .max()
                .unwrap_or_else(|| {
                    tables += 1;
                    tables - 1
                });
            for k in [i, r, d, g] {
                ids[k] = Some(id);
            }
        }
    }
    ids
}

/// Breuel's topological reading order as poppler applies it: block A
/// precedes B when they overlap horizontally and A is above (rule 1), or
/// when A lies left of B and no block below B and above A overlaps both
/// (rule 2). Overlap is judged on boxes widened sideways over the blocks
/// below them as far as no neighbour on their own lines is hit, so a
/// column reads as one; blocks of one grid share the grid's box and read
/// row by row. The order is a depth-first walk in block order.
fn breuel_order(b: &[[f32; 4]], sizes: &[f32]) -> Vec<usize> {
    let n = b.len();
    let ids = grid_ids(b, sizes);
    let mut ext: Vec<[f32; 4]> = b.to_vec();
    let ntab = ids.iter().flatten().max().map_or(0, |m| m + 1);
    let mut env = vec![[f32::MAX, f32::MAX, f32::MIN, f32::MIN]; ntab];
    for (k, id) in ids.iter().enumerate() {
        if let Some(t) = id {
            union(&mut env[*t], &b[k]);
        }
    }
    for i in 0..n {
        if let Some(t) = ids[i] {
            ext[i] = env[t];
            continue;
        }
        let (mut lim_r, mut lim_l) = (f32::MAX, f32::MIN);
        for j in 0..n {
            if j != i && b[i][1] <= b[j][3] && b[i][3] >= b[j][1] {
                if b[j][0] > b[i][2] {
                    lim_r = lim_r.min(b[j][0]);
                }
                if b[j][2] < b[i][0] {
                    lim_l = lim_l.max(b[j][2]);
                }
            }
        }
        for j in 0..n {
            if j != i && b[j][1] >= b[i][3] {
                if b[j][2] > ext[i][2] && b[j][2] <= lim_r {
                    ext[i][2] = b[j][2];
                }
                if b[j][0] < ext[i][0] && b[j][0] >= lim_l {
                    ext[i][0] = b[j][0];
                }
            }
        }
    }
    let rule1 = |p: usize, q: usize| {
        let (a, c) = (&ext[p], &ext[q]);
        let overlap = (a[0] <= c[0] && c[0] <= a[2]) || (c[0] <= a[0] && a[0] <= c[2]);
        overlap && a[1] < c[1]
    };
    let before = |j: usize, i: usize| -> bool {
        if let (Some(s), Some(t)) = (ids[i], ids[j])
            && s == t
        {
            let (p, q) = (&b[j], &b[i]);
            return (p[2] <= q[0] && p[1] <= q[3] && p[3] >= q[1]) || p[3] <= q[1];
        }
        if rule1(j, i) {
            return true;
        }
        ext[j][2] <= ext[i][0] && !(0..n).any(|k| k != i && k != j && rule1(i, k) && rule1(k, j))
    };
    let mut visited = vec![false; n];
    let mut out = Vec::with_capacity(n);
    // Explicit stack: (block, next candidate to check).
    for s in 0..n {
        if visited[s] {
            continue;
        }
        visited[s] = true;
        let mut stack = vec![(s, 0usize)];
        while let Some(top) = stack.last_mut() {
            let (i, from) = *top;
            match (from..n).find(|&j| !visited[j] && before(j, i)) {
                Some(j) => {
                    top.1 = j + 1;
                    visited[j] = true;
                    stack.push((j, 0));
                }
                None => {
                    out.push(i);
                    stack.pop();
                }
            }
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
            base: y + 8.0,
            size: 10.0,
            vertical: false,
            artifact: false,
        }
    }

    #[test]
    fn lines_and_columns() {
        let mut glyphs = Vec::new();
        // Lines 1.2 sizes apart: each column is one block.
        for row in 0..5 {
            let y = 100.0 + row as f32 * 12.0;
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
        assert_eq!(&order(&bs, &[10.0; 13])[..3], &[0, 1, 2]);
    }

    #[test]
    fn text_a_column_gap_apart_splits_except_in_cells() {
        let glyphs = vec![g("A", 0.0, 0.0), g("B", 10.0, 0.0), g("C", 40.0, 0.0)];
        let texts = |ls: Vec<Line>| ls.into_iter().map(|l| l.text).collect::<Vec<_>>();
        assert_eq!(texts(lines(&glyphs)), ["AB", "C"]);
        assert_eq!(texts(cell_lines(&glyphs)), ["AB C"]);
    }

    #[test]
    fn a_block_widens_over_the_blocks_below_it() {
        // A value right of nothing on its line; below it and further left,
        // another value. The upper one reads first (rule 1 on the widened
        // box), not the lower-left one (rule 2).
        let bs = [[100.0, 10.0, 200.0, 20.0], [60.0, 21.0, 90.0, 31.0]];
        assert_eq!(order(&bs, &[10.0, 10.0]), [0, 1]);
        // With a neighbour on its line to the left, it cannot widen past it.
        let bs = [
            [100.0, 10.0, 200.0, 20.0],
            [60.0, 21.0, 90.0, 31.0],
            [0.0, 12.0, 70.0, 18.0],
        ];
        assert_eq!(order(&bs, &[10.0; 3]), [2, 1, 0]);
    }

    #[test]
    fn aligned_blocks_read_as_a_grid_row_by_row() {
        let bs = [
            [0.0, 0.0, 20.0, 10.0],
            [50.0, 0.0, 70.0, 10.0],
            [0.0, 20.0, 20.0, 30.0],
            [50.0, 20.0, 70.0, 30.0],
        ];
        assert_eq!(order(&bs, &[10.0; 4]), [0, 1, 2, 3]);
    }

    #[test]
    fn wide_line_spacing_splits_blocks_but_continues_the_flow() {
        // Baselines 17 apart at size 10: two blocks (poppler allows 15),
        // one paragraph flow.
        let glyphs = vec![g("甲", 0.0, 0.0), g("乙", 0.0, 17.0)];
        let blocks = split_blocks(lines(&glyphs));
        assert_eq!(blocks.len(), 2);
        assert!(continues(
            blocks[0].lines.last().unwrap(),
            &blocks[1].lines[0]
        ));
    }

    #[test]
    fn latin_word_spaces() {
        let glyphs = vec![g("A", 0.0, 0.0), g("B", 10.0, 0.0), g("C", 25.0, 0.0)];
        assert_eq!(lines(&glyphs)[0].text, "AB C");
    }

    #[test]
    fn vertical_columns_read_right_to_left_under_their_heading() {
        let v = |t: &str, x: f32, y: f32| Glyph {
            vertical: true,
            ..g(t, x, y)
        };
        // A heading, then two columns 2 points apart below it, then a
        // horizontal line below both.
        let mut glyphs = vec![g("标", 100.0, 50.0), g("题", 110.0, 50.0)];
        for (k, (a, b)) in [("一", "二"), ("三", "四")].into_iter().enumerate() {
            let x = 100.0 + 12.0 * k as f32;
            glyphs.push(v(a, x, 70.0));
            glyphs.push(v(b, x, 80.0));
        }
        glyphs.push(g("尾", 100.0, 200.0));
        let text: Vec<String> = reading_order(lines(&glyphs))
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(text, ["标题", "三四", "一二", "尾"]);
    }
}
