//! OLE2 (compound file) containers: legacy .doc/.xls/.wps/.msg and
//! password-protected OOXML. Only the directory is read here, to tell them
//! apart; workbooks go to calamine, the rest get a clear error.

use super::{ExtractError, xlsx};
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
        return Err(ExtractError::Unsupported(
            "legacy Word/WPS binary (.doc/.wps): save as .docx".into(),
        ));
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
    let corrupt = |why: &str| ExtractError::Corrupt(format!("OLE2: {why}"));
    if b.len() < 512 || b[..8] != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return Err(corrupt("bad header"));
    }
    let u16_at = |o: usize| -> Option<u16> { Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?)) };
    let u32_at = |o: usize| -> Option<u32> { Some(u32::from_le_bytes(b.get(o..o + 4)?.try_into().ok()?)) };
    let shift = u16_at(0x1E).ok_or_else(|| corrupt("header"))?;
    if !(7..=16).contains(&shift) {
        return Err(corrupt("sector size"));
    }
    let ssize = 1usize << shift;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(ssize)?;
        b.get(start..start.checked_add(ssize)?)
    };
    // FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(0x4C + i * 4))
        .filter(|&s| s < 0xFFFF_FFFA)
        .collect();
    let mut difat = u32_at(0x44).unwrap_or(0xFFFF_FFFE);
    let mut guard = 0;
    while difat < 0xFFFF_FFFA && guard < 10_000 {
        guard += 1;
        let Some(s) = sector(difat) else { break };
        let per = ssize / 4 - 1;
        for i in 0..per {
            let v = u32::from_le_bytes([s[i * 4], s[i * 4 + 1], s[i * 4 + 2], s[i * 4 + 3]]);
            if v < 0xFFFF_FFFA {
                fat_sectors.push(v);
            }
        }
        difat = u32::from_le_bytes([s[per * 4], s[per * 4 + 1], s[per * 4 + 2], s[per * 4 + 3]]);
    }
    let mut fat: Vec<u32> = Vec::new();
    for fs in fat_sectors {
        let Some(s) = sector(fs) else { continue };
        fat.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }
    // Walk the directory chain, bounded so a cyclic FAT cannot hang us.
    let mut names = Vec::new();
    let mut dir = u32_at(0x30).ok_or_else(|| corrupt("header"))?;
    let mut steps = 0usize;
    while dir < 0xFFFF_FFFA && steps <= fat.len() {
        steps += 1;
        let Some(s) = sector(dir) else { break };
        for e in s.chunks_exact(128) {
            let len = u16::from_le_bytes([e[64], e[65]]) as usize;
            let kind = e[66];
            if !(2..=64).contains(&len) || !matches!(kind, 1 | 2 | 5) {
                continue;
            }
            let units: Vec<u16> = e[..len - 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            names.push(String::from_utf16_lossy(&units));
        }
        dir = fat.get(dir as usize).copied().unwrap_or(0xFFFF_FFFE);
    }
    if names.is_empty() {
        return Err(corrupt("no directory entries"));
    }
    Ok(names)
}
