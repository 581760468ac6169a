//! OLE2 (compound file) containers: legacy .doc/.xls/.et/.wps/.msg and
//! password-protected OOXML. The directory is read here (bounded), to
//! tell them apart, and a workbook's stream for `xlsx::check_grid`;
//! workbooks (.xls, WPS .et) go to calamine, Word documents (.doc, WPS
//! .wps with a `WordDocument` stream) to `doc`, the rest get a clear
//! error.

use super::{ExtractError, doc, xlsx};
use crate::model::Document;

/// Reads what can be read from an OLE2 file.
pub fn extract(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    let names = directory_names(bytes)?;
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err(ExtractError::Encrypted);
    }
    if has("Workbook") || has("Book") {
        return xlsx::extract_xls(bytes, source);
    }
    if has("WordDocument") {
        return doc::extract(bytes, source);
    }
    if names.iter().any(|n| n.starts_with("__substg1.0_")) {
        return Err(ExtractError::Unsupported(
            "Outlook .msg message: forward it as .eml or save the attachments".into(),
        ));
    }
    if has("PowerPoint Document") {
        return Err(ExtractError::Unsupported(
            "legacy PowerPoint (.ppt): save as .pdf".into(),
        ));
    }
    if has("CONTENTS") || has("Contents") {
        return Err(ExtractError::Unsupported(
            "Works/WPS binary document: save as .docx".into(),
        ));
    }
    Err(ExtractError::Unsupported(
        "legacy OLE2 binary file of unknown type".into(),
    ))
}

/// Names of all entries in the compound file's directory.
pub fn directory_names(b: &[u8]) -> Result<Vec<String>, ExtractError> {
    Ok(Ole::parse(b)?.entries.into_iter().map(|e| e.name).collect())
}

/// A stream's bytes (`Workbook`), read as leniently as calamine opens the
/// file (the `cfb` crate refuses some damaged containers calamine reads),
/// at most the file's size. None when there is no such stream.
pub fn stream(b: &[u8], name: &str) -> Option<Vec<u8>> {
    Ole::parse(b).ok()?.read(b, name)
}

/// One directory entry: name, kind (1 storage, 2 stream, 5 root), first
/// sector and size.
struct Entry {
    name: String,
    kind: u8,
    start: u32,
    size: u64,
}

/// The parts of a compound file needed to list and read its streams.
/// Written by hand (the `cfb` crate stops at the first inconsistency) and
/// bounded: no chain is followed for more sectors than the file holds.
struct Ole {
    ssize: usize,
    fat: Vec<u32>,
    entries: Vec<Entry>,
    n_sectors: usize,
}

/// The little-endian integer at `o` in `b`, None past its end: compound
/// files and the binary formats inside them (.doc, .xls) are read so.
pub(super) fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(o..o.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// See [`u16_at`].
pub(super) fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(o..o.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A sector's little-endian words (FAT, DIFAT and mini-FAT sectors).
fn words(s: &[u8]) -> impl Iterator<Item = u32> + '_ {
    s.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The pieces of a chain from `start`, each the next by `links`, joined
/// and cut to `max` bytes. At most `bound` + 1 pieces: a cyclic chain in
/// a damaged file cannot hang us.
fn follow<'b>(
    start: u32,
    links: &[u32],
    bound: usize,
    max: u64,
    piece: impl Fn(u32) -> Option<&'b [u8]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut at = start;
    let mut steps = 0usize;
    while at < 0xFFFF_FFFA && steps <= bound && (out.len() as u64) < max {
        steps += 1;
        let Some(s) = piece(at) else { break };
        out.extend_from_slice(s);
        at = links.get(at as usize).copied().unwrap_or(0xFFFF_FFFE);
    }
    out.truncate(max.min(out.len() as u64) as usize);
    out
}

impl Ole {
    fn parse(b: &[u8]) -> Result<Ole, ExtractError> {
        let corrupt = |why: &str| ExtractError::Corrupt(format!("OLE2: {why}"));
        if b.len() < 512 || b[..8] != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            return Err(corrupt("bad header"));
        }
        let shift = u16::from_le_bytes([b[0x1E], b[0x1F]]);
        if !(7..=16).contains(&shift) {
            return Err(corrupt("sector size"));
        }
        let ssize = 1usize << shift;
        // No chain can hold more sectors than the file has: that bounds every
        // walk below, and a chain that revisits a sector is cut (a DIFAT
        // pointing at itself once made us collect sectors until memory ran out).
        let n_sectors = (b.len() / ssize).saturating_sub(1);
        let mut ole = Ole {
            ssize,
            fat: Vec::new(),
            entries: Vec::new(),
            n_sectors,
        };
        let in_file = |s: u32| (s as usize) < n_sectors;
        // FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(b, 0x4C + i * 4))
            .filter(|&s| in_file(s))
            .collect();
        let mut difat = u32_at(b, 0x44).unwrap_or(0xFFFF_FFFE);
        let mut seen = std::collections::HashSet::new();
        while in_file(difat) && seen.insert(difat) && fat_sectors.len() < n_sectors {
            let Some(s) = ole.sector(b, difat) else { break };
            let words: Vec<u32> = words(s).collect();
            let Some((&next, entries)) = words.split_last() else {
                break;
            };
            fat_sectors.extend(entries.iter().copied().filter(|&v| in_file(v)));
            difat = next;
        }
        fat_sectors.truncate(n_sectors);
        for fs in fat_sectors {
            let Some(s) = ole.sector(b, fs) else { continue };
            ole.fat.extend(words(s));
        }
        let dir = u32_at(b, 0x30).ok_or_else(|| corrupt("header"))?;
        let dir_bytes = ole.chain(b, dir, u64::MAX);
        for e in dir_bytes.chunks_exact(128) {
            let len = u16::from_le_bytes([e[64], e[65]]) as usize;
            let kind = e[66];
            if !(2..=64).contains(&len) || !matches!(kind, 1 | 2 | 5) {
                continue;
            }
            let units: Vec<u16> = e[..len - 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            ole.entries.push(Entry {
                name: String::from_utf16_lossy(&units),
                kind,
                start: u32::from_le_bytes([e[116], e[117], e[118], e[119]]),
                size: u64::from(u32::from_le_bytes([e[120], e[121], e[122], e[123]])),
            });
        }
        if ole.entries.is_empty() {
            return Err(corrupt("no directory entries"));
        }
        Ok(ole)
    }

    fn sector<'b>(&self, b: &'b [u8], n: u32) -> Option<&'b [u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(self.ssize)?;
        b.get(start..start.checked_add(self.ssize)?)
    }

    /// The sectors of the chain from `start`, at most `max` bytes.
    fn chain(&self, b: &[u8], start: u32, max: u64) -> Vec<u8> {
        follow(start, &self.fat, self.n_sectors, max, |n| self.sector(b, n))
    }

    /// The named stream's bytes: from the FAT, or for streams under the
    /// cutoff (4096 bytes) from the mini stream (64-byte sectors in the
    /// root entry's chain, chained by the mini FAT).
    fn read(&self, b: &[u8], name: &str) -> Option<Vec<u8>> {
        let e = self
            .entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))?;
        let size = e.size.min(b.len() as u64);
        let cutoff = u64::from(u32_at(b, 0x38).unwrap_or(4096));
        if size >= cutoff {
            return Some(self.chain(b, e.start, size));
        }
        let root = self.entries.iter().find(|e| e.kind == 5)?;
        let mini = self.chain(b, root.start, root.size.min(b.len() as u64));
        let minifat: Vec<u32> = words(&self.chain(b, u32_at(b, 0x3C)?, b.len() as u64)).collect();
        Some(follow(e.start, &minifat, minifat.len(), size, |n| {
            let from = (n as usize).checked_mul(64)?;
            mini.get(from..from.checked_add(64)?)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal compound file: header, one FAT sector, one directory
    /// sector holding a root entry and the given streams.
    pub fn tiny_ole(streams: &[&str]) -> Vec<u8> {
        let mut b = vec![0u8; 512 * 3];
        b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        b[0x1E] = 9; // 512-byte sectors
        b[0x2C] = 1; // one FAT sector
        b[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        b[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for i in 0..109 {
            let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            b[0x4C + i * 4..0x50 + i * 4].copy_from_slice(&v.to_le_bytes());
        }
        let fat = 512;
        b[fat..fat + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        b[fat + 4..fat + 8].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for i in 2..128 {
            b[fat + i * 4..fat + i * 4 + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        let names: Vec<&str> = std::iter::once("Root Entry")
            .chain(streams.iter().copied())
            .collect();
        for (i, name) in names.iter().enumerate().take(4) {
            let e = 1024 + i * 128;
            let units: Vec<u16> = name.encode_utf16().collect();
            for (k, u) in units.iter().enumerate() {
                b[e + k * 2..e + k * 2 + 2].copy_from_slice(&u.to_le_bytes());
            }
            b[e + 64..e + 66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
            b[e + 66] = if i == 0 { 5 } else { 2 };
        }
        b
    }

    #[test]
    fn tells_legacy_files_apart() {
        let names = directory_names(&tiny_ole(&["WordDocument", "1Table"])).unwrap();
        assert_eq!(names, vec!["Root Entry", "WordDocument", "1Table"]);
        let err = |s: &[&str]| extract(&tiny_ole(s), "x").unwrap_err();
        assert!(matches!(
            err(&["EncryptionInfo", "EncryptedPackage"]),
            ExtractError::Encrypted
        ));
        // A Word stream goes to the .doc reader, which finds it missing.
        assert!(matches!(err(&["WordDocument"]), ExtractError::Corrupt(_)));
        assert!(
            matches!(err(&["__substg1.0_0037001F"]), ExtractError::Unsupported(m) if m.contains(".msg"))
        );
        // A workbook stream goes to calamine, which finds it empty/bad.
        assert!(matches!(err(&["Workbook"]), ExtractError::Corrupt(_)));
        assert!(matches!(
            directory_names(&[0xD0, 0xCF]),
            Err(ExtractError::Corrupt(_))
        ));
        let mut cyclic = tiny_ole(&["WordDocument"]);
        cyclic[516..520].copy_from_slice(&1u32.to_le_bytes()); // directory chain loops
        let _ = directory_names(&cyclic); // terminates
    }

    /// An 8 KB .doc whose DIFAT chain names itself: once this collected
    /// FAT sectors until the allocator gave up.
    #[test]
    fn self_referencing_difat_is_bounded() {
        let mut b = tiny_ole(&["WordDocument"]);
        b.resize(8 * 1024, 0);
        // DIFAT starts at sector 2 (a free one), whose last word points at 2 again.
        b[0x44..0x48].copy_from_slice(&2u32.to_le_bytes());
        b[0x48..0x4C].copy_from_slice(&1000u32.to_le_bytes());
        let difat = 512 * 3;
        for i in 0..128 {
            let v: u32 = if i == 127 { 2 } else { 0 };
            b[difat + i * 4..difat + i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        let t = std::time::Instant::now();
        let r = extract(&b, "loop.doc");
        assert!(r.is_err(), "a .doc is refused, not read");
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn password_protected_ooxml_under_any_kind() {
        use crate::model::FileKind;
        let enc = tiny_ole(&["EncryptionInfo", "EncryptedPackage"]);
        for kind in [FileKind::Docx, FileKind::Xlsx, FileKind::Ole] {
            assert!(matches!(
                super::super::extract(&enc, kind, "x"),
                Err(ExtractError::Encrypted)
            ));
        }
    }
}
