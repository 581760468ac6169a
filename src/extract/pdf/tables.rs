//! Tables from ruling lines: stroked lines and thin rectangles are merged
//! into horizontal and vertical rules, connected rules form a grid, a
//! missing rule between two grid slots merges them (row/col spans), and
//! glyphs are routed to the cell containing their centre. A label/value
//! form exported from Word, WPS or LibreOffice yields the same cells as the
//! DOCX it came from. Tables drawn without borders are recovered from
//! aligned text ([`aligned`]): runs of lines whose fragments start at the
//! same x positions line after line.

use super::content::{Glyph, Segment};

const TOL: f32 = 2.0;

#[derive(Debug, Clone, Copy)]
struct Rule {
    /// Position across the rule (y for horizontal, x for vertical).
    at: f32,
    lo: f32,
    hi: f32,
}

/// A detected cell: grid origin, spans, and its rectangle in page space.
#[derive(Debug, Clone)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub bbox: [f32; 4],
}

#[derive(Debug, Clone)]
pub struct Grid {
    pub n_rows: usize,
    pub n_cols: usize,
    pub cells: Vec<GridCell>,
    pub bbox: [f32; 4],
}

impl Grid {
    /// Index of the cell containing point (x, y), if any.
    pub fn cell_of(&self, x: f32, y: f32) -> Option<usize> {
        self.cells
            .iter()
            .position(|c| c.bbox[0] <= x && x <= c.bbox[2] && c.bbox[1] <= y && y <= c.bbox[3])
    }
}

fn merge_rules(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.lo.total_cmp(&b.lo)));
    let mut out: Vec<Rule> = Vec::new();
    for r in rules {
        if let Some(m) = out
            .iter_mut()
            .rev()
            .take(8)
            .find(|m| (m.at - r.at).abs() <= TOL && r.lo <= m.hi + TOL && m.lo <= r.hi + TOL)
        {
            m.lo = m.lo.min(r.lo);
            m.hi = m.hi.max(r.hi);
            continue;
        }
        out.push(r);
    }
    out
}

fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(l) if x - l <= TOL * 1.5 => {}
            _ => out.push(x),
        }
    }
    out
}

/// Finds ruled tables on a page.
pub fn detect(segments: &[Segment]) -> Vec<Grid> {
    let mut hs = Vec::new();
    let mut vs = Vec::new();
    for s in segments {
        let (dx, dy) = ((s.x1 - s.x0).abs(), (s.y1 - s.y0).abs());
        if dy <= 1.0 && dx > 3.0 {
            hs.push(Rule {
                at: (s.y0 + s.y1) / 2.0,
                lo: s.x0.min(s.x1),
                hi: s.x0.max(s.x1),
            });
        } else if dx <= 1.0 && dy > 3.0 {
            vs.push(Rule {
                at: (s.x0 + s.x1) / 2.0,
                lo: s.y0.min(s.y1),
                hi: s.y0.max(s.y1),
            });
        }
    }
    if hs.len() < 2 || vs.len() < 2 || hs.len() + vs.len() > 20_000 {
        return Vec::new();
    }
    let hs = merge_rules(hs);
    let vs = merge_rules(vs);
    // Hatching or a vector drawing, not a form: skip rather than spend time.
    if hs.len() * vs.len() > 2_000_000 {
        return Vec::new();
    }
    // Connected components of crossing rules.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.at >= h.lo - TOL && v.at <= h.hi + TOL && h.at >= v.lo - TOL && h.at <= v.hi + TOL
            {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> = Default::default();
    for i in 0..n {
        let r = find(&mut parent, i);
        let e = groups.entry(r).or_default();
        if i < hs.len() {
            e.0.push(hs[i]);
        } else {
            e.1.push(vs[i - hs.len()]);
        }
    }
    let mut grids = Vec::new();
    for (_, (h, v)) in groups {
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        if let Some(g) = build_grid(&h, &v) {
            grids.push(g);
        }
    }
    grids.sort_by(|a, b| a.bbox[1].total_cmp(&b.bbox[1]));
    grids
}

fn build_grid(h: &[Rule], v: &[Rule]) -> Option<Grid> {
    let ys = cluster(h.iter().map(|r| r.at).collect());
    let xs = cluster(v.iter().map(|r| r.at).collect());
    if ys.len() < 2 || xs.len() < 2 || ys.len() > 500 || xs.len() > 100 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let covered_v = |x: f32, y: f32| {
        v.iter()
            .any(|r| (r.at - x).abs() <= TOL * 1.5 && r.lo - TOL <= y && y <= r.hi + TOL)
    };
    let covered_h = |y: f32, x: f32| {
        h.iter()
            .any(|r| (r.at - y).abs() <= TOL * 1.5 && r.lo - TOL <= x && x <= r.hi + TOL)
    };
    // Union-find over slots: merge across missing rules.
    let idx = |r: usize, c: usize| r * nc + c;
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for r in 0..nr {
        let ym = (ys[r] + ys[r + 1]) / 2.0;
        for c in 0..nc {
            let xm = (xs[c] + xs[c + 1]) / 2.0;
            if c + 1 < nc && !covered_v(xs[c + 1], ym) {
                let (a, b) = (
                    find(&mut parent, idx(r, c)),
                    find(&mut parent, idx(r, c + 1)),
                );
                parent[b] = a;
            }
            if r + 1 < nr && !covered_h(ys[r + 1], xm) {
                let (a, b) = (
                    find(&mut parent, idx(r, c)),
                    find(&mut parent, idx(r + 1, c)),
                );
                parent[b] = a;
            }
        }
    }
    // Slots outside the drawn table (no rule on their outer edge at all)
    // are dropped: a component may be an L-shape.
    let mut regions: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
        Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, idx(r, c));
            let e = regions.entry(root).or_insert((r, c, r, c));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
        }
    }
    let mut cells: Vec<GridCell> = Vec::new();
    for (r0, c0, r1, c1) in regions.into_values() {
        // A region spanning the whole grid with no inner rules is not a table.
        cells.push(GridCell {
            row: r0,
            col: c0,
            row_span: r1 - r0 + 1,
            col_span: c1 - c0 + 1,
            bbox: [xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]],
        });
    }
    cells.sort_by_key(|c| (c.row, c.col));
    // Drop cells covered by an earlier (non-rectangular merges).
    let mut taken = vec![false; nr * nc];
    cells.retain(|c| {
        let free = (c.row..c.row + c.row_span)
            .all(|r| (c.col..c.col + c.col_span).all(|k| !taken[idx(r, k)]));
        if free {
            for r in c.row..c.row + c.row_span {
                for k in c.col..c.col + c.col_span {
                    taken[idx(r, k)] = true;
                }
            }
        }
        free
    });
    Some(Grid {
        n_rows: nr,
        n_cols: nc,
        cells,
        bbox: [xs[0], ys[0], xs[nc], ys[nr]],
    })
}

/// Routes glyphs to tables: returns, per grid, the glyphs of each cell, and
/// the glyphs outside every table.
pub fn route(grids: &[Grid], glyphs: Vec<Glyph>) -> (Vec<Vec<Vec<Glyph>>>, Vec<Glyph>) {
    // Most pages have no table: hand the glyphs back untouched.
    if grids.is_empty() {
        return (Vec::new(), glyphs);
    }
    let mut per: Vec<Vec<Vec<Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    let mut rest = Vec::new();
    'g: for g in glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, (g.y0 + g.y1) / 2.0);
        for (ti, grid) in grids.iter().enumerate() {
            let b = grid.bbox;
            if cx >= b[0]
                && cx <= b[2]
                && cy >= b[1]
                && cy <= b[3]
                && let Some(ci) = grid.cell_of(cx, cy)
            {
                per[ti][ci].push(g);
                continue 'g;
            }
        }
        rest.push(g);
    }
    (per, rest)
}

/// A horizontal band of glyphs (one visual line) split into chunks at
/// gaps wider than a column gutter.
#[derive(Debug)]
struct TextRow {
    y0: f32,
    y1: f32,
    size: f32,
    /// (x0, x1, characters) per chunk, left to right.
    chunks: Vec<(f32, f32, usize)>,
}

/// Gap (in font sizes) that separates two cells: LibreOffice and Word pad
/// cells by about 0.2 cm on each side, so adjacent cells are ≥ 0.9 em apart
/// even when the left one is full; words and CJK punctuation are closer.
const CELL_GAP: f32 = 0.8;
/// Fewest lines with two or more aligned chunks that make a table.
const MIN_ROWS: usize = 3;

fn text_rows(glyphs: &[Glyph]) -> Vec<TextRow> {
    let mut gs: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| !g.vertical && !g.text.trim().is_empty())
        .collect();
    gs.sort_by(|a, b| (a.y0 + a.y1).total_cmp(&(b.y0 + b.y1)));
    let mut bands: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        let mid = (g.y0 + g.y1) / 2.0;
        match bands.last_mut() {
            Some(band)
                if (mid - (band[0].y0 + band[0].y1) / 2.0).abs()
                    < 0.45 * band[0].size.min(g.size).max(1.0) =>
            {
                band.push(g)
            }
            _ => bands.push(vec![g]),
        }
    }
    bands
        .into_iter()
        .map(|mut band| {
            band.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let size = band.iter().map(|g| g.size).fold(1.0, f32::max);
            let mut chunks: Vec<(f32, f32, usize)> = Vec::new();
            for g in &band {
                match chunks.last_mut() {
                    Some(c) if g.x0 - c.1 <= CELL_GAP * size.min(g.size.max(1.0)) => {
                        c.1 = c.1.max(g.x1);
                        c.2 += g.text.chars().count();
                    }
                    _ => chunks.push((g.x0, g.x1, g.text.chars().count())),
                }
            }
            TextRow {
                y0: band.iter().map(|g| g.y0).fold(f32::MAX, f32::min),
                y1: band.iter().map(|g| g.y1).fold(f32::MIN, f32::max),
                size,
                chunks,
            }
        })
        .collect()
}

/// Tables drawn without ruling lines, from text alignment: at least
/// [`MIN_ROWS`] consecutive lines split into chunks that start at the same
/// x positions (left-aligned cells), a line with one chunk under a later
/// column continuing the row above (a wrapped value). Conservative on
/// purpose: a chunk off the columns ends the run, and runs whose first
/// column is full-width prose (a two-column page) are not tables.
pub fn aligned(glyphs: &[Glyph]) -> Vec<Grid> {
    let rows = text_rows(glyphs);
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        match aligned_run(&rows, i) {
            Some((grid, next)) => {
                out.push(grid);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// Column of a chunk starting at `x`, if it starts at one.
fn column_of(cols: &[f32], x: f32, tol: f32) -> Option<usize> {
    cols.iter().position(|c| (c - x).abs() <= tol)
}

/// The table starting at row `start`, if any, and the row after it.
fn aligned_run(rows: &[TextRow], start: usize) -> Option<(Grid, usize)> {
    let first = &rows[start];
    if first.chunks.len() < 2 {
        return None;
    }
    let size = first.size;
    let tol = 0.6 * size;
    let mut cols: Vec<f32> = first.chunks.iter().map(|c| c.0).collect();
    // Table rows: (first line, last line) indices into `rows`.
    let mut trows: Vec<(usize, usize)> = vec![(start, start)];
    let mut multi = 1;
    let mut end = start;
    for (k, r) in rows.iter().enumerate().skip(start + 1) {
        let prev = &rows[end];
        let similar = (r.size - size).abs() <= 0.25 * size;
        let close = r.y0 - prev.y1 < 1.6 * size;
        if !similar || !close {
            break;
        }
        let mapped: Vec<Option<usize>> = r
            .chunks
            .iter()
            .map(|c| column_of(&cols, c.0, tol))
            .collect();
        if r.chunks.len() >= 2 {
            // Every chunk on a column, or new columns right of the known ones.
            let rightmost = cols.iter().copied().fold(f32::MIN, f32::max);
            let fits = r
                .chunks
                .iter()
                .zip(&mapped)
                .all(|(c, m)| m.is_some() || c.0 > rightmost + tol);
            // Chunks must not straddle the next column's start.
            let straddles = r
                .chunks
                .iter()
                .any(|c| cols.iter().any(|&x| c.0 < x - tol && c.1 > x + 0.5 * size));
            if !fits || straddles || mapped[0] != Some(0) {
                break;
            }
            for (c, m) in r.chunks.iter().zip(&mapped) {
                if m.is_none() {
                    cols.push(c.0);
                }
            }
            trows.push((k, k));
            multi += 1;
            end = k;
            continue;
        }
        // One chunk: a wrapped value under a later column continues the row;
        // a short label alone in the first column starts a row.
        let c = r.chunks[0];
        match mapped[0] {
            Some(col) if col > 0 => {
                if let Some(last) = trows.last_mut() {
                    last.1 = k;
                }
            }
            Some(0) if cols.len() >= 2 && c.1 < cols[1] - 0.5 * size => trows.push((k, k)),
            _ => break,
        }
        end = k;
    }
    // A trailing label-only row is as likely to be prose after the table.
    while let Some(&(a, b)) = trows.last() {
        if a == b && rows[a].chunks.len() < 2 && trows.len() > 1 {
            trows.pop();
        } else {
            break;
        }
    }
    if multi < MIN_ROWS {
        return None;
    }
    let last_row = trows.last()?.1;
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by(|&a, &b| cols[a].total_cmp(&cols[b]));
    let xs: Vec<f32> = order.iter().map(|&i| cols[i]).collect();
    let lines = &rows[start..=last_row];
    // Every column is started by at least two lines.
    let starts = |x: f32| {
        lines
            .iter()
            .filter(|r| r.chunks.iter().any(|c| (c.0 - x).abs() <= tol))
            .count()
    };
    if xs.iter().any(|&x| starts(x) < 2) {
        return None;
    }
    // Two-column pages: the first column's lines run up to the gutter
    // (justified prose) on most rows.
    let full = lines
        .iter()
        .filter(|r| {
            r.chunks.len() >= 2
                && r.chunks[0].2 >= 12
                && r.chunks[0].1 >= xs[0] + 0.85 * (xs[1] - xs[0])
        })
        .count();
    if full * 10 >= multi * 6 {
        return None;
    }
    let right = lines
        .iter()
        .flat_map(|r| r.chunks.iter().map(|c| c.1))
        .fold(f32::MIN, f32::max);
    let half = 0.5 * tol;
    // Row boundaries halfway between one row's bottom and the next top.
    let mut ys = vec![rows[start].y0 - 1.0];
    for w in trows.windows(2) {
        ys.push((rows[w[0].1].y1 + rows[w[1].0].y0) / 2.0);
    }
    ys.push(rows[last_row].y1 + 1.0);
    let mut bx: Vec<f32> = xs.iter().map(|x| x - half).collect();
    bx.push(right + 1.0);
    let (nr, nc) = (trows.len(), xs.len());
    let mut cells = Vec::with_capacity(nr * nc);
    for r in 0..nr {
        for c in 0..nc {
            cells.push(GridCell {
                row: r,
                col: c,
                row_span: 1,
                col_span: 1,
                bbox: [bx[c], ys[r], bx[c + 1], ys[r + 1]],
            });
        }
    }
    Some((
        Grid {
            n_rows: nr,
            n_cols: nc,
            cells,
            bbox: [bx[0], ys[0], bx[nc], ys[nr]],
        },
        last_row + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(x0: f32, y0: f32, x1: f32, y1: f32) -> Segment {
        Segment { x0, y0, x1, y1 }
    }

    /// Glyphs of `text` from x on the line at y, 10 pt CJK advance.
    fn run(text: &str, x: f32, y: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string(),
                x0: x + 10.0 * i as f32,
                y0: y,
                x1: x + 10.0 * (i + 1) as f32,
                y1: y + 10.0,
                base: y + 8.0,
                size: 10.0,
                vertical: false,
                artifact: false,
            })
            .collect()
    }

    #[test]
    fn label_value_lines_make_a_table() {
        let mut gs = run("山东省项目信息表", 100.0, 50.0);
        let rows = [
            ("项目名称", "盐碱地修复"),
            ("申报单位", "山东大学"),
            ("负责人", "张明"),
        ];
        for (i, (l, v)) in rows.iter().enumerate() {
            let y = 80.0 + 16.0 * i as f32;
            gs.extend(run(l, 72.0, y));
            gs.extend(run(v, 200.0, y));
        }
        // A wrapped value continues the last row.
        gs.extend(run("续行", 200.0, 128.0));
        gs.extend(run(
            "表后的正文从左边距开始并且一直写到右边很远的地方为止",
            72.0,
            160.0,
        ));
        let grids = aligned(&gs);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.n_rows, g.n_cols), (3, 2));
        let (cells, rest) = route(&grids, gs);
        let text = |ci: usize| {
            cells[0][ci]
                .iter()
                .map(|g| g.text.as_str())
                .collect::<String>()
        };
        assert_eq!(text(0), "项目名称");
        assert_eq!(text(5), "张明续行");
        assert_eq!(rest.len(), 8 + 26);
    }

    #[test]
    fn two_column_prose_is_not_a_table() {
        let mut gs = Vec::new();
        for i in 0..8 {
            let y = 80.0 + 14.0 * i as f32;
            gs.extend(run("左栏正文左栏正文左栏正文左栏正文", 72.0, y));
            gs.extend(run("右栏正文右栏正文右栏正文右栏正文", 250.0, y));
        }
        assert!(aligned(&gs).is_empty());
        // Two lines are not enough either.
        let mut gs = run("姓名", 72.0, 80.0);
        gs.extend(run("张三", 200.0, 80.0));
        gs.extend(run("单位", 72.0, 96.0));
        gs.extend(run("山大", 200.0, 96.0));
        assert!(aligned(&gs).is_empty());
    }

    #[test]
    fn grid_with_merged_cell() {
        // 2x2 grid whose top row is merged (no inner vertical in row 0).
        let s = vec![
            seg(0.0, 0.0, 200.0, 0.0),
            seg(0.0, 20.0, 200.0, 20.0),
            seg(0.0, 40.0, 200.0, 40.0),
            seg(0.0, 0.0, 0.0, 40.0),
            seg(200.0, 0.0, 200.0, 40.0),
            seg(100.0, 20.0, 100.0, 40.0),
        ];
        let g = detect(&s);
        assert_eq!(g.len(), 1);
        let g = &g[0];
        assert_eq!((g.n_rows, g.n_cols), (2, 2));
        assert_eq!(g.cells.len(), 3);
        assert_eq!(g.cells[0].col_span, 2);
    }
}
