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
            let threshold = if is_cjk(last) || is_cjk(next) { 0.5 } else { 0.15 };
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

/// Orders lines for reading: top to bottom, left to right; when a vertical
/// gutter splits most lines into two columns, the left column is read
/// before the right one (full-width lines above or below stay in place).
pub fn reading_order(mut lines: Vec<Line>, page_w: f32) -> Vec<Line> {
    let key = |l: &Line| (l.bbox[1], l.bbox[0]);
    lines.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        let tol = 0.5 * a.size.min(b.size).max(1.0);
        if (ka.0 - kb.0).abs() <= tol {
            ka.1.total_cmp(&kb.1)
        } else {
            ka.0.total_cmp(&kb.0)
        }
    });
    let horiz: Vec<&Line> = lines.iter().filter(|l| !l.vertical).collect();
    if horiz.len() < 6 || page_w <= 0.0 {
        return lines;
    }
    // Candidate gutters: right edges of lines in the middle of the page.
    let mut best: Option<(f32, usize)> = None;
    let candidates = horiz.iter().flat_map(|l| [l.bbox[2] + 2.0, l.bbox[0] - 2.0]);
    for x in candidates {
        if x < page_w * 0.25 || x > page_w * 0.75 {
            continue;
        }
        let crossing = horiz.iter().filter(|m| m.bbox[0] < x && m.bbox[2] > x).count();
        let left = horiz.iter().filter(|m| m.bbox[2] <= x).count();
        let right = horiz.iter().filter(|m| m.bbox[0] >= x).count();
        if left >= 3 && right >= 3 && crossing * 5 <= horiz.len() && left + right >= horiz.len() * 3 / 4 {
            // Right-column lines must overlap left-column lines vertically.
            let overlap = horiz.iter().filter(|m| m.bbox[0] >= x).any(|r| {
                horiz
                    .iter()
                    .filter(|m| m.bbox[2] <= x)
                    .any(|lft| lft.bbox[1] < r.bbox[3] && r.bbox[1] < lft.bbox[3])
            });
            if overlap && best.is_none_or(|(_, c)| crossing < c) {
                best = Some((x, crossing));
            }
        }
    }
    let Some((gx, _)) = best else { return lines };
    let in_cols = |l: &Line| l.bbox[2] <= gx || l.bbox[0] >= gx;
    let col_top = lines
        .iter()
        .filter(|l| !l.vertical && in_cols(l))
        .map(|l| l.bbox[1])
        .fold(f32::MAX, f32::min);
    let mut above = Vec::new();
    let mut left = Vec::new();
    let mut right = Vec::new();
    let mut below = Vec::new();
    for l in lines {
        if l.vertical || !in_cols(&l) {
            if l.bbox[1] < col_top {
                above.push(l);
            } else {
                below.push(l);
            }
        } else if l.bbox[2] <= gx {
            left.push(l);
        } else {
            right.push(l);
        }
    }
    above.into_iter().chain(left).chain(right).chain(below).collect()
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
        let ls = reading_order(lines(&glyphs), 600.0);
        let texts: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(&texts[..5], &["左栏"; 5]);
        assert_eq!(&texts[5..], &["右栏"; 5]);
    }

    #[test]
    fn latin_word_spaces() {
        let glyphs = vec![g("A", 0.0, 0.0), g("B", 10.0, 0.0), g("C", 25.0, 0.0)];
        assert_eq!(lines(&glyphs)[0].text, "AB C");
    }
}
