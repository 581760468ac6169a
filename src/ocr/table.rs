//! Tables on scanned pages, recovered from ruling lines: long dark runs
//! make horizontal and vertical segments, crossing segments make a table,
//! missing boundary segments between grid cells make merged cells.

use image::GrayImage;

use crate::pixels::raster::components;

/// A table's grid in pixels, with its (merged) cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Row boundaries (n_rows + 1), top to bottom.
    pub ys: Vec<u32>,
    /// Column boundaries (n_cols + 1), left to right.
    pub xs: Vec<u32>,
    /// Origin cells: (row, col, row_span, col_span).
    pub cells: Vec<(usize, usize, usize, usize)>,
}

impl Grid {
    pub fn bbox(&self) -> [u32; 4] {
        [
            self.xs.first().copied().unwrap_or(0),
            self.ys.first().copied().unwrap_or(0),
            self.xs.last().copied().unwrap_or(0),
            self.ys.last().copied().unwrap_or(0),
        ]
    }

    /// The cell (index into `cells`) whose rectangle holds point (x, y).
    pub fn cell_of(&self, x: f32, y: f32) -> Option<usize> {
        let col = self
            .xs
            .windows(2)
            .position(|p| x >= p[0] as f32 && x < p[1] as f32)?;
        let row = self
            .ys
            .windows(2)
            .position(|p| y >= p[0] as f32 && y < p[1] as f32)?;
        self.cells
            .iter()
            .position(|&(r, c, rs, cs)| r <= row && row < r + rs && c <= col && col < c + cs)
    }

    /// Pixel rectangle of cell `i`.
    pub fn cell_rect(&self, i: usize) -> [u32; 4] {
        let (r, c, rs, cs) = self.cells[i];
        [self.xs[c], self.ys[r], self.xs[c + cs], self.ys[r + rs]]
    }
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Position across the segment (y for horizontal, x for vertical).
    at: u32,
    from: u32,
    to: u32,
}

/// Marks runs of dark pixels at least `min_len` long (gaps of up to 2 px
/// bridged) along rows (`horizontal`) or columns.
fn run_mask(dark: &[bool], w: u32, h: u32, min_len: u32, horizontal: bool) -> Vec<bool> {
    let (outer, inner) = if horizontal { (h, w) } else { (w, h) };
    let idx = |o: u32, i: u32| -> usize {
        if horizontal {
            (o * w + i) as usize
        } else {
            (i * w + o) as usize
        }
    };
    let mut mask = vec![false; dark.len()];
    for o in 0..outer {
        let mut i = 0;
        while i < inner {
            if !dark[idx(o, i)] {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i;
            let mut j = i + 1;
            while j < inner {
                if dark[idx(o, j)] {
                    end = j;
                    j += 1;
                } else if j - end <= 2 {
                    j += 1;
                } else {
                    break;
                }
            }
            if end - start + 1 >= min_len {
                for k in start..=end {
                    mask[idx(o, k)] = true;
                }
            }
            i = end + 1;
        }
    }
    mask
}

fn segments(mask: &[bool], w: u32, h: u32, horizontal: bool, max_thick: u32) -> Vec<Seg> {
    let (comps, _) = components(mask, w, h);
    comps
        .iter()
        .filter_map(|c| {
            let (thick, len) = if horizontal {
                (c.height(), c.width())
            } else {
                (c.width(), c.height())
            };
            // A thick blob is a filled area or dense text, not a rule.
            if thick > max_thick || len < thick * 4 {
                return None;
            }
            Some(if horizontal {
                Seg {
                    at: (c.y0 + c.y1) / 2,
                    from: c.x0,
                    to: c.x1,
                }
            } else {
                Seg {
                    at: (c.x0 + c.x1) / 2,
                    from: c.y0,
                    to: c.y1,
                }
            })
        })
        .collect()
}

fn find(p: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    let mut j = i;
    while p[j] != r {
        let n = p[j];
        p[j] = r;
        j = n;
    }
    r
}

/// Merges positions closer than `tol` (sorted in, sorted out, averaged).
fn cluster(mut v: Vec<u32>, tol: u32) -> Vec<u32> {
    v.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    let mut last = None;
    for x in v {
        match (last, out.last_mut()) {
            (Some(l), Some(o)) if x - l <= tol => {
                o.0 += x as u64;
                o.1 += 1;
            }
            _ => out.push((x as u64, 1)),
        }
        last = Some(x);
    }
    out.iter().map(|&(s, n)| (s / n) as u32).collect()
}

/// Length of `[a, b]` covered by segments at position `at` (±tol).
fn coverage(segs: &[Seg], at: u32, a: u32, b: u32, tol: u32) -> f32 {
    let mut covered = 0u32;
    for s in segs.iter().filter(|s| s.at.abs_diff(at) <= tol) {
        let lo = s.from.max(a);
        let hi = s.to.min(b);
        if hi > lo {
            covered += hi - lo;
        }
    }
    covered as f32 / (b.saturating_sub(a)).max(1) as f32
}

/// Finds ruled tables in a page at `dpi`. Returns the grids and a mask of
/// the ruling-line pixels (to erase before OCR).
pub fn find_tables(gray: &GrayImage, thr: u8, dpi: f32) -> (Vec<Grid>, Vec<bool>) {
    let (w, h) = gray.dimensions();
    let dark: Vec<bool> = gray.as_raw().iter().map(|&p| p < thr).collect();
    let min_h = (dpi * 0.35) as u32;
    let min_v = (dpi * 0.22).max(50.0) as u32;
    let max_thick = (dpi / 30.0).max(4.0) as u32;
    let hmask = run_mask(&dark, w, h, min_h, true);
    let vmask = run_mask(&dark, w, h, min_v, false);
    let hs = segments(&hmask, w, h, true, max_thick);
    let vs = segments(&vmask, w, h, false, max_thick);
    let tol = (dpi / 25.0) as u32;

    // Crossing segments belong to one table.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, hseg) in hs.iter().enumerate() {
        for (j, vseg) in vs.iter().enumerate() {
            let cross = vseg.at + tol >= hseg.from
                && vseg.at <= hseg.to + tol
                && hseg.at + tol >= vseg.from
                && hseg.at <= vseg.to + tol;
            if cross {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for i in 0..n {
        let r = find(&mut parent, i);
        let g = groups.entry(r).or_default();
        if i < hs.len() {
            g.0.push(hs[i]);
        } else {
            g.1.push(vs[i - hs.len()]);
        }
    }
    let mut grids = Vec::new();
    let mut line_mask = vec![false; dark.len()];
    for (gh, gv) in groups.values() {
        if gh.len() < 2 || gv.len() < 2 {
            continue;
        }
        let ys = cluster(gh.iter().map(|s| s.at).collect(), tol);
        let xs = cluster(gv.iter().map(|s| s.at).collect(), tol);
        if ys.len() < 2 || xs.len() < 2 {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        let mut p: Vec<usize> = (0..nr * nc).collect();
        for r in 0..nr {
            for c in 0..nc {
                let pad = tol;
                if c + 1 < nc {
                    let cov = coverage(
                        gv,
                        xs[c + 1],
                        ys[r] + pad,
                        ys[r + 1].saturating_sub(pad),
                        tol,
                    );
                    if cov < 0.5 {
                        let (a, b) = (find(&mut p, r * nc + c), find(&mut p, r * nc + c + 1));
                        p[a] = b;
                    }
                }
                if r + 1 < nr {
                    let cov = coverage(
                        gh,
                        ys[r + 1],
                        xs[c] + pad,
                        xs[c + 1].saturating_sub(pad),
                        tol,
                    );
                    if cov < 0.5 {
                        let (a, b) = (find(&mut p, r * nc + c), find(&mut p, (r + 1) * nc + c));
                        p[a] = b;
                    }
                }
            }
        }
        let mut spans: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
            Default::default();
        for r in 0..nr {
            for c in 0..nc {
                let root = find(&mut p, r * nc + c);
                let e = spans.entry(root).or_insert((r, c, r, c));
                e.0 = e.0.min(r);
                e.1 = e.1.min(c);
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
            }
        }
        let mut cells: Vec<(usize, usize, usize, usize)> = spans
            .values()
            .map(|&(r0, c0, r1, c1)| (r0, c0, r1 - r0 + 1, c1 - c0 + 1))
            .collect();
        cells.sort_unstable();
        grids.push(Grid { ys, xs, cells });
        // Erase this table's rules (with a pixel of margin for blur).
        for (segs, horizontal) in [(gh, true), (gv, false)] {
            for s in segs {
                for along in s.from..=s.to {
                    for d in 0..=(max_thick + 2) {
                        let off = s.at as i64 + d as i64 - (max_thick as i64 / 2 + 1);
                        let (x, y) = if horizontal {
                            (along as i64, off)
                        } else {
                            (off, along as i64)
                        };
                        if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                            let i = (y as u32 * w + x as u32) as usize;
                            if dark[i] {
                                line_mask[i] = true;
                            }
                        }
                    }
                }
            }
        }
    }
    grids.sort_by_key(|g| (g.ys[0], g.xs[0]));
    (grids, line_mask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn grid_with_merged_cell() {
        // 3x3 grid, 100 px cells, the top row merged across all columns.
        let mut img = GrayImage::from_pixel(400, 400, Luma([255]));
        let line = |img: &mut GrayImage, x0: u32, y0: u32, x1: u32, y1: u32| {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    img.put_pixel(x, y, Luma([0]));
                }
            }
        };
        for k in 0..4 {
            line(&mut img, 50, 50 + k * 100, 350, 52 + k * 100);
        }
        line(&mut img, 50, 50, 52, 350);
        line(&mut img, 348, 50, 350, 352);
        for x in [150, 250] {
            line(&mut img, x, 150, x + 2, 350);
        }
        let (grids, mask) = find_tables(&img, 128, 300.0);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.ys.len(), g.xs.len()), (4, 4));
        assert!(g.cells.contains(&(0, 0, 1, 3)));
        assert_eq!(g.cells.len(), 7);
        assert!(mask.iter().any(|&m| m));
        assert_eq!(g.cell_of(300.0, 100.0), Some(0));
    }
}
