//! Type 1 font programs (`FontFile`), as LibreOffice embeds CJK OpenType
//! faces: the eexec section decrypted, its Subrs and CharStrings read, and
//! a glyph's charstring interpreted into an outline (flex and hint
//! replacement included; `seac` accents are not composed). Only used to
//! draw pages whose text layer cannot be decoded (render.rs).

use std::collections::HashMap;

use ttf_parser::OutlineBuilder;

/// A parsed Type 1 program.
pub struct Type1 {
    charstrings: HashMap<String, Vec<u8>>,
    subrs: Vec<Vec<u8>>,
    /// The built-in encoding: code → glyph name.
    encoding: HashMap<u8, String>,
    /// Glyph space → text space (usually 1/1000).
    pub matrix: [f32; 6],
}

impl std::fmt::Debug for Type1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Type1 {{ {} glyphs }}", self.charstrings.len())
    }
}

/// Charstrings and Subrs kept per font, against absurd programs.
const MAX_ENTRIES: usize = 70_000;
/// Operators interpreted per glyph, subroutines included.
const MAX_OPS: usize = 20_000;

impl Type1 {
    pub fn parse(data: &[u8]) -> Option<Type1> {
        let data = strip_pfb(data);
        let at = find(&data, b"eexec")?;
        let clear = &data[..at];
        let mut enc = &data[at + 5..];
        while let Some((b, rest)) = enc.split_first()
            && b.is_ascii_whitespace()
        {
            enc = rest;
        }
        // The encrypted part may be written in hex.
        let binary: Vec<u8> = if enc.len() >= 4 && enc[..4].iter().all(u8::is_ascii_hexdigit) {
            let digits: Vec<u8> = enc
                .iter()
                .filter_map(|b| (*b as char).to_digit(16).map(|d| d as u8))
                .collect();
            digits
                .chunks(2)
                .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
                .collect()
        } else {
            enc.to_vec()
        };
        let private = decrypt(&binary, 55665, 4);
        let len_iv = find(&private, b"/lenIV")
            .and_then(|i| int_after(&private, i + 6))
            .map(|(v, _)| v)
            .unwrap_or(4);
        let mut t = Type1 {
            charstrings: HashMap::new(),
            subrs: Vec::new(),
            encoding: encoding(clear),
            matrix: font_matrix(clear).unwrap_or([0.001, 0.0, 0.0, 0.001, 0.0, 0.0]),
        };
        let cs = |raw: &[u8]| {
            if len_iv < 0 {
                raw.to_vec()
            } else {
                decrypt(raw, 4330, len_iv as usize)
            }
        };
        if let Some(i) = find(&private, b"/Subrs") {
            let mut p = i + 6;
            // "N array" then "dup i len RD <bytes> NP" entries.
            if let Some((_, q)) = int_after(&private, p) {
                p = q;
            }
            while t.subrs.len() < MAX_ENTRIES {
                let Some(d) = find(&private[p..], b"dup") else {
                    break;
                };
                // Stop once past the Subrs array.
                if let Some(c) = find(&private[p..], b"/CharStrings")
                    && c < d
                {
                    break;
                }
                let Some((idx, q)) = int_after(&private, p + d + 3) else {
                    break;
                };
                let Some((bytes, q)) = binary_entry(&private, q) else {
                    break;
                };
                let idx = idx.clamp(0, MAX_ENTRIES as i64) as usize;
                if t.subrs.len() <= idx {
                    t.subrs.resize(idx + 1, Vec::new());
                }
                t.subrs[idx] = cs(bytes);
                p = q;
            }
        }
        let mut p = find(&private, b"/CharStrings")? + 12;
        while t.charstrings.len() < MAX_ENTRIES {
            // Next "/name len RD <bytes> ND".
            let Some(s) = private[p..].iter().position(|b| *b == b'/') else {
                break;
            };
            let start = p + s + 1;
            let end = start
                + private[start..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace())
                    .unwrap_or(0);
            if end <= start {
                break;
            }
            let name = String::from_utf8_lossy(&private[start..end]).into_owned();
            let Some((bytes, q)) = binary_entry(&private, end) else {
                break;
            };
            t.charstrings.insert(name, cs(bytes));
            p = q;
        }
        (!t.charstrings.is_empty()).then_some(t)
    }

    /// The glyph name of a code in the font's built-in encoding.
    pub fn name_of(&self, code: u8) -> Option<&str> {
        self.encoding.get(&code).map(String::as_str)
    }

    /// Outlines a glyph by name, in glyph space; false when absent.
    pub fn outline(&self, name: &str, b: &mut dyn OutlineBuilder) -> bool {
        let Some(cs) = self.charstrings.get(name) else {
            return false;
        };
        let mut st = State::default();
        self.run(cs, b, &mut st, 0);
        if st.open {
            b.close();
        }
        true
    }

    fn run(&self, cs: &[u8], b: &mut dyn OutlineBuilder, st: &mut State, depth: usize) -> bool {
        let mut i = 0;
        while i < cs.len() {
            st.ops += 1;
            if st.ops > MAX_OPS || st.stack.len() > 64 {
                return false;
            }
            let v = cs[i];
            i += 1;
            match v {
                32..=246 => st.stack.push(f32::from(v) - 139.0),
                247..=250 => {
                    let w = *cs.get(i).unwrap_or(&0);
                    i += 1;
                    st.stack
                        .push((f32::from(v) - 247.0) * 256.0 + f32::from(w) + 108.0);
                }
                251..=254 => {
                    let w = *cs.get(i).unwrap_or(&0);
                    i += 1;
                    st.stack
                        .push(-(f32::from(v) - 251.0) * 256.0 - f32::from(w) - 108.0);
                }
                255 => {
                    let n = cs
                        .get(i..i + 4)
                        .map_or(0, |q| i32::from_be_bytes([q[0], q[1], q[2], q[3]]));
                    i += 4;
                    st.stack.push(n as f32);
                }
                1 | 3 => st.stack.clear(),
                4 => {
                    let dy = st.arg(0);
                    st.moveto(b, 0.0, dy);
                }
                5 => {
                    let (dx, dy) = (st.arg(0), st.arg(1));
                    st.lineto(b, dx, dy);
                }
                6 => {
                    let dx = st.arg(0);
                    st.lineto(b, dx, 0.0);
                }
                7 => {
                    let dy = st.arg(0);
                    st.lineto(b, 0.0, dy);
                }
                8 => {
                    let a: Vec<f32> = (0..6).map(|k| st.arg(k)).collect();
                    st.curveto(b, a[0], a[1], a[2], a[3], a[4], a[5]);
                }
                9 => {
                    if st.open {
                        b.close();
                        st.open = false;
                    }
                    st.stack.clear();
                }
                10 => {
                    let n = st.stack.pop().unwrap_or(-1.0);
                    if depth < 10
                        && n >= 0.0
                        && let Some(sub) = self.subrs.get(n as usize)
                        && !self.run(sub, b, st, depth + 1)
                    {
                        return false;
                    }
                }
                11 => return true,
                13 => {
                    // hsbw: the side bearing is the start point.
                    st.x = st.arg(0);
                    st.y = 0.0;
                    st.stack.clear();
                }
                14 => {
                    st.stack.clear();
                    return false;
                }
                21 => {
                    let (dx, dy) = (st.arg(0), st.arg(1));
                    st.moveto(b, dx, dy);
                }
                22 => {
                    let dx = st.arg(0);
                    st.moveto(b, dx, 0.0);
                }
                30 => {
                    let a: Vec<f32> = (0..4).map(|k| st.arg(k)).collect();
                    st.curveto(b, 0.0, a[0], a[1], a[2], a[3], 0.0);
                }
                31 => {
                    let a: Vec<f32> = (0..4).map(|k| st.arg(k)).collect();
                    st.curveto(b, a[0], 0.0, a[1], a[2], 0.0, a[3]);
                }
                12 => {
                    let e = *cs.get(i).unwrap_or(&0);
                    i += 1;
                    match e {
                        7 => {
                            // sbw
                            st.x = st.arg(0);
                            st.y = st.arg(1);
                            st.stack.clear();
                        }
                        12 => {
                            let d = st.stack.pop().unwrap_or(1.0);
                            let n = st.stack.pop().unwrap_or(0.0);
                            st.stack.push(if d != 0.0 { n / d } else { 0.0 });
                        }
                        16 => {
                            let other = st.stack.pop().unwrap_or(-1.0) as i32;
                            let n = st.stack.pop().unwrap_or(0.0).max(0.0) as usize;
                            let k = st.stack.len().saturating_sub(n);
                            let args: Vec<f32> = st.stack.split_off(k);
                            match other {
                                1 => {
                                    st.flex = Some(Vec::new());
                                }
                                2 => {
                                    let (x, y) = (st.x, st.y);
                                    if let Some(f) = &mut st.flex {
                                        f.push((x, y));
                                    }
                                }
                                0 => {
                                    if let Some(f) = st.flex.take()
                                        && f.len() >= 7
                                    {
                                        st.ensure_open(b, f[0]);
                                        b.curve_to(f[1].0, f[1].1, f[2].0, f[2].1, f[3].0, f[3].1);
                                        b.curve_to(f[4].0, f[4].1, f[5].0, f[5].1, f[6].0, f[6].1);
                                        st.x = f[6].0;
                                        st.y = f[6].1;
                                    }
                                    // "pop pop setcurrentpoint" follows.
                                    st.ps = vec![st.y, st.x];
                                }
                                _ => {
                                    // Hint replacement and others: the
                                    // arguments come back through pop.
                                    st.ps = args.into_iter().collect();
                                }
                            }
                        }
                        17 => {
                            let v = st.ps.pop().unwrap_or(0.0);
                            st.stack.push(v);
                        }
                        33 => {
                            st.x = st.arg(0);
                            st.y = st.arg(1);
                            st.stack.clear();
                        }
                        _ => st.stack.clear(),
                    }
                }
                _ => st.stack.clear(),
            }
        }
        true
    }
}

#[derive(Default)]
struct State {
    stack: Vec<f32>,
    ps: Vec<f32>,
    x: f32,
    y: f32,
    open: bool,
    flex: Option<Vec<(f32, f32)>>,
    ops: usize,
}

impl State {
    /// Operand `k` from the bottom; the stack is cleared by the operator
    /// after all its operands are read (see callers).
    fn arg(&mut self, k: usize) -> f32 {
        self.stack.get(k).copied().unwrap_or(0.0)
    }
    fn moveto(&mut self, b: &mut dyn OutlineBuilder, dx: f32, dy: f32) {
        self.stack.clear();
        self.x += dx;
        self.y += dy;
        if self.flex.is_some() {
            // Inside flex, moves only place the points othersubr 2 collects.
            return;
        }
        if self.open {
            b.close();
            self.open = false;
        }
        // Opened lazily at the first drawing operator.
    }
    fn ensure_open(&mut self, b: &mut dyn OutlineBuilder, at: (f32, f32)) {
        if !self.open {
            b.move_to(at.0, at.1);
            self.open = true;
        }
    }
    fn lineto(&mut self, b: &mut dyn OutlineBuilder, dx: f32, dy: f32) {
        self.stack.clear();
        self.ensure_open(b, (self.x, self.y));
        self.x += dx;
        self.y += dy;
        b.line_to(self.x, self.y);
    }
    #[allow(clippy::too_many_arguments)]
    fn curveto(
        &mut self,
        b: &mut dyn OutlineBuilder,
        dx1: f32,
        dy1: f32,
        dx2: f32,
        dy2: f32,
        dx3: f32,
        dy3: f32,
    ) {
        self.stack.clear();
        self.ensure_open(b, (self.x, self.y));
        let (x1, y1) = (self.x + dx1, self.y + dy1);
        let (x2, y2) = (x1 + dx2, y1 + dy2);
        let (x3, y3) = (x2 + dx3, y2 + dy3);
        b.curve_to(x1, y1, x2, y2, x3, y3);
        self.x = x3;
        self.y = y3;
    }
}

/// eexec / charstring decryption, dropping the first `skip` bytes.
fn decrypt(data: &[u8], mut r: u16, skip: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    for &c in data {
        out.push(c ^ (r >> 8) as u8);
        r = (u16::from(c).wrapping_add(r))
            .wrapping_mul(52845)
            .wrapping_add(22719);
    }
    out.drain(..skip.min(out.len()));
    out
}

/// A PFB file's segments joined (PDF usually has the raw PFA/binary form).
fn strip_pfb(data: &[u8]) -> Vec<u8> {
    if data.first() != Some(&0x80) {
        return data.to_vec();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i + 6 <= data.len() && data[i] == 0x80 && data[i + 1] != 3 {
        let n = u32::from_le_bytes([data[i + 2], data[i + 3], data[i + 4], data[i + 5]]) as usize;
        let end = (i + 6).saturating_add(n).min(data.len());
        out.extend_from_slice(&data[i + 6..end]);
        i = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The integer after position `p` (whitespace skipped), and where it ends.
fn int_after(data: &[u8], mut p: usize) -> Option<(i64, usize)> {
    while p < data.len() && data[p].is_ascii_whitespace() {
        p += 1;
    }
    let start = p;
    if p < data.len() && data[p] == b'-' {
        p += 1;
    }
    while p < data.len() && data[p].is_ascii_digit() {
        p += 1;
    }
    let s = std::str::from_utf8(data.get(start..p)?).ok()?;
    Some((s.parse().ok()?, p))
}

/// "len RD <len bytes>" from `p`: the bytes and the position after them.
fn binary_entry(data: &[u8], p: usize) -> Option<(&[u8], usize)> {
    let (len, mut q) = int_after(data, p)?;
    while q < data.len() && data[q].is_ascii_whitespace() {
        q += 1;
    }
    // The RD token ("RD" or "-|"), then exactly one space.
    while q < data.len() && !data[q].is_ascii_whitespace() {
        q += 1;
    }
    q += 1;
    let len = usize::try_from(len).ok()?;
    let bytes = data.get(q..q.checked_add(len)?)?;
    Some((bytes, q + len))
}

/// "dup <code> /<name> put" entries of the cleartext /Encoding.
fn encoding(clear: &[u8]) -> HashMap<u8, String> {
    let mut map = HashMap::new();
    let Some(start) = find(clear, b"/Encoding") else {
        return map;
    };
    let text = String::from_utf8_lossy(&clear[start..]);
    let mut toks = text.split_ascii_whitespace().peekable();
    while let Some(t) = toks.next() {
        if t == "readonly" || t == "def" {
            break;
        }
        if t == "dup"
            && let Some(code) = toks.next().and_then(|c| c.parse::<u8>().ok())
            && let Some(name) = toks.peek().and_then(|n| n.strip_prefix('/'))
        {
            map.insert(code, name.to_string());
        }
    }
    map
}

fn font_matrix(clear: &[u8]) -> Option<[f32; 6]> {
    let i = find(clear, b"/FontMatrix")?;
    let text = String::from_utf8_lossy(&clear[i + 11..(i + 120).min(clear.len())]).into_owned();
    let inner = text.split(['[', '{']).nth(1)?.split([']', '}']).next()?;
    let v: Vec<f32> = inner
        .split_ascii_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    (v.len() == 6 && v[0] != 0.0).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Rec(Vec<String>);
    impl OutlineBuilder for Rec {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x} {y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x} {y}"));
        }
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, x: f32, y: f32) {
            self.0.push(format!("C{x} {y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    fn encrypt(plain: &[u8], mut r: u16) -> Vec<u8> {
        plain
            .iter()
            .map(|&p| {
                let c = p ^ (r >> 8) as u8;
                r = (u16::from(c).wrapping_add(r))
                    .wrapping_mul(52845)
                    .wrapping_add(22719);
                c
            })
            .collect()
    }

    #[test]
    fn a_square_from_an_encrypted_program() {
        // hsbw 50 0; rmoveto 0 0... : 50 600 hsbw 0 0 rmoveto 100 hlineto
        // 100 vlineto -100 hlineto closepath endchar
        let n = |v: i32| (v + 139) as u8;
        let glyph = [
            n(50),
            248,
            236,
            13, // 50 600 hsbw
            n(0),
            n(0),
            21, // 0 0 rmoveto
            n(100),
            6, // 100 hlineto
            n(100),
            7, // 100 vlineto
            n(-100),
            6,  // -100 hlineto
            9,  // closepath
            14, // endchar
        ];
        let mut cs = vec![0u8; 4];
        cs.extend_from_slice(&glyph);
        let cs = encrypt(&cs, 4330);
        let mut private =
            b"xxxx/lenIV 4 def /Subrs 0 array\n/CharStrings 1 dict dup begin\n/sq ".to_vec();
        private.extend_from_slice(format!("{} RD ", cs.len()).as_bytes());
        private.extend_from_slice(&cs);
        private.extend_from_slice(b" ND\nend\n");
        let mut font = b"%!FontType1\n/FontMatrix [0.001 0 0 0.001 0 0] readonly def\n/Encoding 256 array\ndup 65 /sq put\nreadonly def\ncurrentfile eexec\n".to_vec();
        font.extend_from_slice(&encrypt(&private, 55665));
        let t = Type1::parse(&font).unwrap();
        assert_eq!(t.name_of(65), Some("sq"));
        assert_eq!(t.matrix[0], 0.001);
        let mut rec = Rec::default();
        assert!(t.outline("sq", &mut rec));
        assert_eq!(rec.0, ["M50 0", "L150 0", "L150 100", "L50 100", "Z"]);
    }
}
