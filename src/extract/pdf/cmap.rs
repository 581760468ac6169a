//! CMap parsing: ToUnicode CMaps (bfchar, bfrange incl. the array form,
//! UTF-16 surrogate pairs) and CID CMaps (cidchar, cidrange, usecmap), with
//! codespace ranges that decide how many bytes each character code takes.

use std::collections::HashMap;

/// One codespace range: codes of `len` bytes whose every byte lies between
/// the matching bytes of `lo` and `hi`.
#[derive(Debug, Clone)]
struct Codespace {
    len: u8,
    lo: [u8; 4],
    hi: [u8; 4],
}

#[derive(Debug, Clone)]
enum UniTarget {
    /// Destination of the range start; later codes increment its last unit.
    Base(Vec<u16>),
    Array(Vec<String>),
}

#[derive(Debug, Clone)]
struct UniRange {
    lo: u32,
    hi: u32,
    target: UniTarget,
}

/// A parsed CMap. The same structure serves ToUnicode maps (`to_unicode`)
/// and code→CID maps (`cid`).
#[derive(Debug, Clone, Default)]
pub struct CMap {
    codespace: Vec<Codespace>,
    uni_chars: HashMap<(u8, u32), String>,
    uni_ranges: Vec<(u8, UniRange)>,
    /// (len, lo, hi, first cid), sorted by (len, lo).
    cid_ranges: Vec<(u8, u32, u32, u32)>,
    /// Vertical writing mode.
    pub wmode: u8,
    /// Name of the CMap this one builds on.
    pub usecmap: Option<String>,
}

/// Hex string bytes, inline when short (nearly all CMap codes).
#[derive(Debug, Clone, PartialEq)]
enum Bytes {
    Inline([u8; 16], u8),
    Heap(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Inline(b, n) => &b[..*n as usize],
            Bytes::Heap(v) => v,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Bytes),
    Name(String),
    Int(i64),
    Word(String),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                i += 1;
                let mut inline = [0u8; 16];
                let mut heap: Vec<u8> = Vec::new();
                let mut n = 0usize;
                let mut half: Option<u8> = None;
                let mut push = |b: u8, n: &mut usize| {
                    if *n < 16 {
                        inline[*n] = b;
                    } else {
                        if heap.is_empty() {
                            heap.extend_from_slice(&inline);
                        }
                        heap.push(b);
                    }
                    *n += 1;
                };
                while i < data.len() && data[i] != b'>' {
                    if data[i].is_ascii_hexdigit() {
                        let v = hexval(data[i]);
                        match half.take() {
                            Some(h) => push((h << 4) | v, &mut n),
                            None => half = Some(v),
                        }
                    }
                    i += 1;
                }
                i += 1;
                if let Some(h) = half {
                    push(h << 4, &mut n);
                }
                out.push(Tok::Hex(if n <= 16 {
                    Bytes::Inline(inline, n as u8)
                } else {
                    Bytes::Heap(heap)
                }));
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings only appear in headers we ignore; skip
                // them with nesting and escapes honoured.
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                out.push(Tok::Name(
                    String::from_utf8_lossy(&data[start..i]).into_owned(),
                ));
            }
            _ if is_delim(c) => i += 1,
            _ => {
                let start = i;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                let raw = &data[start..i];
                match std::str::from_utf8(raw)
                    .ok()
                    .and_then(|w| w.parse::<i64>().ok())
                {
                    Some(n) => out.push(Tok::Int(n)),
                    None => out.push(Tok::Word(String::from_utf8_lossy(raw).into_owned())),
                }
            }
        }
    }
    out
}

fn is_delim(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'/' | b'<' | b'>' | b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'%' | 0
        )
}

fn hexval(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

fn be(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

/// UTF-16BE destination bytes as code units; a lone byte is taken as-is.
fn units(bytes: &[u8]) -> Vec<u16> {
    if bytes.len() == 1 {
        return vec![u16::from(bytes[0])];
    }
    bytes
        .chunks(2)
        .map(|p| (u16::from(p[0]) << 8) | u16::from(*p.get(1).unwrap_or(&0)))
        .collect()
}

fn utf16(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

impl CMap {
    /// Parses CMap source text. Never fails: unknown syntax is skipped.
    pub fn parse(data: &[u8]) -> CMap {
        let toks = tokenize(data);
        let mut cm = CMap::default();
        let mut i = 0;
        while i < toks.len() {
            if let Tok::Word(w) = &toks[i] {
                match w.as_str() {
                    "begincodespacerange" => {
                        i += 1;
                        while let (Some(Tok::Hex(a)), Some(Tok::Hex(b))) =
                            (toks.get(i), toks.get(i + 1))
                        {
                            if !a.is_empty() && a.len() <= 4 && a.len() == b.len() {
                                let mut lo = [0u8; 4];
                                let mut hi = [0u8; 4];
                                lo[..a.len()].copy_from_slice(a);
                                hi[..b.len()].copy_from_slice(b);
                                cm.codespace.push(Codespace {
                                    len: a.len() as u8,
                                    lo,
                                    hi,
                                });
                            }
                            i += 2;
                        }
                        continue;
                    }
                    "beginbfchar" => {
                        i += 1;
                        while let (Some(Tok::Hex(a)), Some(dst)) = (toks.get(i), toks.get(i + 1)) {
                            let s = match dst {
                                Tok::Hex(d) => utf16(&units(d)),
                                Tok::Name(n) => {
                                    super::font::glyph_name_to_string(n).unwrap_or_default()
                                }
                                _ => break,
                            };
                            if a.len() <= 4 {
                                cm.uni_chars.insert((a.len() as u8, be(a)), s);
                            }
                            i += 2;
                        }
                        continue;
                    }
                    "beginbfrange" => {
                        i += 1;
                        while let (Some(Tok::Hex(a)), Some(Tok::Hex(b))) =
                            (toks.get(i), toks.get(i + 1))
                        {
                            let (lo, hi) = (be(a), be(b));
                            i += 2;
                            let target = match toks.get(i) {
                                Some(Tok::Hex(d)) => {
                                    i += 1;
                                    UniTarget::Base(units(d))
                                }
                                Some(Tok::Open) => {
                                    i += 1;
                                    let mut arr = Vec::new();
                                    while let Some(t) = toks.get(i) {
                                        i += 1;
                                        match t {
                                            Tok::Hex(d) => arr.push(utf16(&units(d))),
                                            Tok::Close => break,
                                            _ => arr.push(String::new()),
                                        }
                                    }
                                    UniTarget::Array(arr)
                                }
                                _ => break,
                            };
                            if lo <= hi && a.len() <= 4 {
                                cm.uni_ranges
                                    .push((a.len() as u8, UniRange { lo, hi, target }));
                            }
                        }
                        continue;
                    }
                    "begincidrange" | "beginnotdefrange" => {
                        let notdef = w == "beginnotdefrange";
                        i += 1;
                        while let (Some(Tok::Hex(a)), Some(Tok::Hex(b)), Some(Tok::Int(c))) =
                            (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                        {
                            if !notdef && a.len() <= 4 && *c >= 0 {
                                cm.cid_ranges.push((a.len() as u8, be(a), be(b), *c as u32));
                            }
                            i += 3;
                        }
                        continue;
                    }
                    "begincidchar" => {
                        i += 1;
                        while let (Some(Tok::Hex(a)), Some(Tok::Int(c))) =
                            (toks.get(i), toks.get(i + 1))
                        {
                            if a.len() <= 4 && *c >= 0 {
                                let code = be(a);
                                cm.cid_ranges.push((a.len() as u8, code, code, *c as u32));
                            }
                            i += 2;
                        }
                        continue;
                    }
                    "usecmap" => {
                        if let Some(Tok::Name(n)) = i.checked_sub(1).and_then(|j| toks.get(j)) {
                            cm.usecmap = Some(n.clone());
                        }
                    }
                    "def" => {
                        if let (Some(Tok::Name(k)), Some(Tok::Int(v))) = (
                            i.checked_sub(2).and_then(|j| toks.get(j)),
                            i.checked_sub(1).and_then(|j| toks.get(j)),
                        ) && k == "WMode"
                        {
                            cm.wmode = (*v).clamp(0, 1) as u8;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        cm.finish();
        cm
    }

    fn finish(&mut self) {
        self.cid_ranges.sort_by_key(|r| (r.0, r.1));
        self.uni_ranges.sort_by_key(|r| (r.0, r.1.lo));
    }

    /// Adds the entries of `parent` (a `usecmap` base) that this map lacks.
    pub fn inherit(&mut self, parent: &CMap) {
        if self.codespace.is_empty() {
            self.codespace = parent.codespace.clone();
        }
        // Own entries win: put parent's first so a stable search finds ours
        // last; lookups below scan for the last matching range.
        let mut cids = parent.cid_ranges.clone();
        cids.append(&mut self.cid_ranges);
        self.cid_ranges = cids;
        for (k, v) in &parent.uni_chars {
            self.uni_chars.entry(*k).or_insert_with(|| v.clone());
        }
        let mut unis = parent.uni_ranges.clone();
        unis.append(&mut self.uni_ranges);
        self.uni_ranges = unis;
        self.finish();
    }

    /// The code→CID part of this map (codespaces, CID ranges, WMode,
    /// usecmap) in the compact form [`CMap::from_compiled`] reads: build.rs
    /// compiles the shipped predefined CMaps with it, so a run loads them
    /// without gunzipping and parsing PostScript. All integers little-endian:
    /// `wmode u8, name_len u8, usecmap name, n u32, n × (len u8, lo [4], hi
    /// [4]), m u32, m × (len u8, lo u32, hi u32, cid u32)`.
    #[allow(dead_code)] // Used by build.rs, which includes this file.
    pub fn compile(&self) -> Vec<u8> {
        let mut out = vec![self.wmode];
        let name = self.usecmap.as_deref().unwrap_or("").as_bytes();
        out.push(name.len().min(255) as u8);
        out.extend_from_slice(&name[..name.len().min(255)]);
        out.extend_from_slice(&(self.codespace.len() as u32).to_le_bytes());
        for cs in &self.codespace {
            out.push(cs.len);
            out.extend_from_slice(&cs.lo);
            out.extend_from_slice(&cs.hi);
        }
        out.extend_from_slice(&(self.cid_ranges.len() as u32).to_le_bytes());
        for &(len, lo, hi, cid) in &self.cid_ranges {
            out.push(len);
            for v in [lo, hi, cid] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`CMap::compile`]'s output; `None` when it is cut short.
    pub fn from_compiled(data: &[u8]) -> Option<CMap> {
        let mut r = Reader(data);
        let mut cm = CMap {
            wmode: r.u8()?,
            ..CMap::default()
        };
        let n = usize::from(r.u8()?);
        let name = r.take(n)?;
        if !name.is_empty() {
            cm.usecmap = Some(String::from_utf8_lossy(name).into_owned());
        }
        let n = r.u32()? as usize;
        for _ in 0..n {
            let len = r.u8()?;
            let lo = r.take(4)?.try_into().ok()?;
            let hi = r.take(4)?.try_into().ok()?;
            cm.codespace.push(Codespace { len, lo, hi });
        }
        let m = r.u32()? as usize;
        cm.cid_ranges.reserve(m.min(data.len() / 13));
        for _ in 0..m {
            cm.cid_ranges.push((r.u8()?, r.u32()?, r.u32()?, r.u32()?));
        }
        // Written sorted by compile(); kept as is.
        Some(cm)
    }

    pub fn has_codespace(&self) -> bool {
        !self.codespace.is_empty()
    }

    pub fn is_empty_unicode(&self) -> bool {
        self.uni_chars.is_empty() && self.uni_ranges.is_empty()
    }

    /// Splits the next character code off `bytes`: (code, byte length).
    /// Without codespace ranges, `default_len` bytes are taken.
    pub fn next_code(&self, bytes: &[u8], default_len: usize) -> (u32, usize) {
        if bytes.is_empty() {
            return (0, 0);
        }
        if self.codespace.is_empty() {
            let n = default_len.clamp(1, 4).min(bytes.len());
            return (be(&bytes[..n]), n);
        }
        for n in 1..=4usize {
            if n > bytes.len() {
                break;
            }
            let hit = self.codespace.iter().any(|cs| {
                cs.len as usize == n && (0..n).all(|k| cs.lo[k] <= bytes[k] && bytes[k] <= cs.hi[k])
            });
            if hit {
                return (be(&bytes[..n]), n);
            }
        }
        // No range matches: take the length of a range whose first byte
        // fits, else the shortest length (what PDF readers do).
        let n = self
            .codespace
            .iter()
            .find(|cs| cs.lo[0] <= bytes[0] && bytes[0] <= cs.hi[0])
            .or_else(|| self.codespace.iter().min_by_key(|cs| cs.len))
            .map(|cs| cs.len as usize)
            .unwrap_or(1)
            .min(bytes.len());
        (be(&bytes[..n]), n)
    }

    /// The Unicode text a code maps to, if the map says.
    pub fn to_unicode(&self, code: u32, len: usize) -> Option<String> {
        let len = len as u8;
        if let Some(s) = self.uni_chars.get(&(len, code)) {
            return Some(s.clone());
        }
        if let Some(s) = self.find_uni(len, code) {
            return Some(s);
        }
        // Some writers declare 1-byte codes with 2-byte keys or the reverse.
        for other in 1..=4u8 {
            if other != len
                && let Some(s) = self.uni_chars.get(&(other, code))
            {
                return Some(s.clone());
            }
        }
        self.uni_ranges
            .iter()
            .rev()
            .find(|(_, r)| r.lo <= code && code <= r.hi)
            .and_then(|(_, r)| range_value(r, code))
    }

    fn find_uni(&self, len: u8, code: u32) -> Option<String> {
        let end = self
            .uni_ranges
            .partition_point(|(l, r)| (*l, r.lo) <= (len, code));
        self.uni_ranges[..end]
            .iter()
            .rev()
            .take_while(|(l, _)| *l == len)
            .find(|(_, r)| r.lo <= code && code <= r.hi)
            .and_then(|(_, r)| range_value(r, code))
    }

    /// The CID a code maps to, if the map says.
    pub fn to_cid(&self, code: u32, len: usize) -> Option<u32> {
        let len = len as u8;
        let end = self
            .cid_ranges
            .partition_point(|r| (r.0, r.1) <= (len, code));
        self.cid_ranges[..end]
            .iter()
            .rev()
            .take_while(|r| r.0 == len)
            .take(64)
            .find(|r| r.1 <= code && code <= r.2)
            .map(|r| r.3 + (code - r.1))
    }
}

/// A cursor over compiled CMap bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

fn range_value(r: &UniRange, code: u32) -> Option<String> {
    let off = code - r.lo;
    match &r.target {
        UniTarget::Base(base) => {
            let mut u = base.clone();
            let last = u.last_mut()?;
            *last = last.wrapping_add(off as u16);
            Some(utf16(&u))
        }
        UniTarget::Array(a) => a.get(off as usize).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_array_and_surrogates() {
        let src = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0001> <4E2D> <0002> <D842DFB7> endbfchar
            2 beginbfrange <0010> <0012> <6587> <0020> <0021> [<0041> <00420043>] endbfrange";
        let cm = CMap::parse(src);
        assert_eq!(cm.to_unicode(1, 2).as_deref(), Some("中"));
        assert_eq!(cm.to_unicode(2, 2).as_deref(), Some("𠮷"));
        assert_eq!(cm.to_unicode(0x10, 2).as_deref(), Some("文"));
        assert_eq!(cm.to_unicode(0x11, 2).as_deref(), Some("斈"));
        assert_eq!(cm.to_unicode(0x21, 2).as_deref(), Some("BC"));
        assert_eq!(cm.next_code(&[0x12, 0x34, 0x56], 1), (0x1234, 2));
    }

    #[test]
    fn mixed_codespace_and_cids() {
        let src = b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
            2 begincidrange <20> <7e> 1 <8140> <8150> 100 endcidrange";
        let cm = CMap::parse(src);
        assert_eq!(cm.next_code(b"A\x81\x41", 2), (0x41, 1));
        assert_eq!(cm.next_code(b"\x81\x41", 2), (0x8141, 2));
        assert_eq!(cm.to_cid(0x41, 1), Some(0x41 - 0x20 + 1));
        assert_eq!(cm.to_cid(0x8141, 2), Some(101));
        assert_eq!(cm.to_cid(0x9000, 2), None);
        // The compiled form reads back the same.
        let back = CMap::from_compiled(&cm.compile()).unwrap();
        assert_eq!(back.next_code(b"\x81\x41", 2), (0x8141, 2));
        assert_eq!(back.to_cid(0x8141, 2), Some(101));
        assert_eq!(back.to_cid(0x41, 1), Some(0x41 - 0x20 + 1));
        assert!(CMap::from_compiled(&cm.compile()[..7]).is_none());
    }
}
