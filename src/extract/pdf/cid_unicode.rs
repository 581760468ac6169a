//! The shipped CJK mapping data (data/cmaps/, see its README): predefined
//! code→CID CMaps and per-collection CID→Unicode tables. build.rs compiles
//! them into compact little-endian tables embedded in the binary, so a run
//! only copies out the few a file names (no gunzip, no PostScript parsing).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::cmap::CMap;

macro_rules! cmaps {
    ($($name:literal),* $(,)?) => {
        fn cmap_bytes(name: &str) -> Option<&'static [u8]> {
            match name {
                $($name => Some(include_bytes!(concat!(env!("OUT_DIR"), "/cmaps/", $name, ".cmap"))),)*
                _ => None,
            }
        }
    };
}

cmaps!(
    "GB-EUC-H",
    "GB-EUC-V",
    "GBpc-EUC-H",
    "GBpc-EUC-V",
    "GBK-EUC-H",
    "GBK-EUC-V",
    "GBKp-EUC-H",
    "GBKp-EUC-V",
    "GBK2K-H",
    "GBK2K-V",
    "GBT-EUC-H",
    "GBT-EUC-V",
    "B5pc-H",
    "B5pc-V",
    "ETen-B5-H",
    "ETen-B5-V",
    "HKscs-B5-H",
    "HKscs-B5-V",
    "CNS-EUC-H",
    "CNS-EUC-V",
    "90ms-RKSJ-H",
    "90ms-RKSJ-V",
    "90msp-RKSJ-H",
    "90msp-RKSJ-V",
    "EUC-H",
    "EUC-V",
    "KSCms-UHC-H",
    "KSCms-UHC-V",
    "KSC-EUC-H",
    "KSC-EUC-V",
    "UniGB-UCS2-H",
    "UniGB-UTF16-H",
    "UniCNS-UCS2-H",
    "UniCNS-UTF16-H",
    "UniJIS-UCS2-H",
    "UniJIS-UTF16-H",
    "UniKS-UCS2-H",
    "UniKS-UTF16-H",
    "GB-H",
    "GB-V",
    "GBT-H",
    "GBT-V",
    "GBTpc-EUC-H",
    "GBTpc-EUC-V",
    "B5-H",
    "B5-V",
    "CNS1-H",
    "CNS1-V",
    "CNS2-H",
    "CNS2-V",
    "ETHK-B5-H",
    "ETHK-B5-V",
    "ETenms-B5-H",
    "ETenms-B5-V",
    "HKdla-B5-H",
    "HKdla-B5-V",
    "HKdlb-B5-H",
    "HKdlb-B5-V",
    "HKgccs-B5-H",
    "HKgccs-B5-V",
    "HKm314-B5-H",
    "HKm314-B5-V",
    "HKm471-B5-H",
    "HKm471-B5-V",
    "H",
    "V",
    "RKSJ-H",
    "RKSJ-V",
    "78-H",
    "78-V",
    "78-EUC-H",
    "78-EUC-V",
    "78-RKSJ-H",
    "78-RKSJ-V",
    "78ms-RKSJ-H",
    "78ms-RKSJ-V",
    "83pv-RKSJ-H",
    "90pv-RKSJ-H",
    "90pv-RKSJ-V",
    "Add-H",
    "Add-V",
    "Add-RKSJ-H",
    "Add-RKSJ-V",
    "Ext-H",
    "Ext-V",
    "Ext-RKSJ-H",
    "Ext-RKSJ-V",
    "NWP-H",
    "NWP-V",
    "KSC-H",
    "KSC-V",
    "KSC-Johab-H",
    "KSC-Johab-V",
    "KSCms-UHC-HW-H",
    "KSCms-UHC-HW-V",
    "KSCpc-EUC-H",
    "KSCpc-EUC-V",
);

/// Vertical and half-width Uni* UCS2/UTF16 CMaps differ from their -H maps
/// only in a few glyph variants; the -H map serves for text.
fn base_name(name: &str) -> &str {
    match name {
        "UniGB-UCS2-V" => "UniGB-UCS2-H",
        "UniGB-UTF16-V" => "UniGB-UTF16-H",
        "UniCNS-UCS2-V" => "UniCNS-UCS2-H",
        "UniCNS-UTF16-V" => "UniCNS-UTF16-H",
        "UniJIS-UCS2-V"
        | "UniJIS-UCS2-HW-H"
        | "UniJIS-UCS2-HW-V"
        | "UniJISPro-UCS2-V"
        | "UniJISPro-UCS2-HW-V" => "UniJIS-UCS2-H",
        "UniJIS-UTF16-V" => "UniJIS-UTF16-H",
        "UniKS-UCS2-V" => "UniKS-UCS2-H",
        "UniKS-UTF16-V" => "UniKS-UTF16-H",
        _ => name,
    }
}

/// The UTF-16 CMap of a Uni* CMap's collection: UTF-8 and UTF-32 codes,
/// re-encoded as UTF-16, find their CIDs (widths) through it.
pub fn utf16_cmap_for(name: &str) -> Option<Arc<CMap>> {
    let utf16 = if name.starts_with("UniGB") {
        "UniGB-UTF16-H"
    } else if name.starts_with("UniCNS") {
        "UniCNS-UTF16-H"
    } else if name.starts_with("UniJIS") {
        "UniJIS-UTF16-H"
    } else if name.starts_with("UniKS") {
        "UniKS-UTF16-H"
    } else {
        return None;
    };
    predefined_cmap(utf16)
}

type Cache = Mutex<HashMap<String, Option<Arc<CMap>>>>;

/// A predefined CMap by name, with its `usecmap` parent merged in.
pub fn predefined_cmap(name: &str) -> Option<Arc<CMap>> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(map) = cache.lock()
        && let Some(hit) = map.get(name)
    {
        return hit.clone();
    }
    let parsed = load_cmap(name, 0).map(Arc::new);
    if let Ok(mut map) = cache.lock() {
        map.insert(name.to_string(), parsed.clone());
    }
    parsed
}

fn load_cmap(name: &str, depth: u32) -> Option<CMap> {
    let mut cm = CMap::from_compiled(cmap_bytes(base_name(name))?)?;
    if depth < 4
        && let Some(parent) = cm.usecmap.clone()
        && let Some(p) = load_cmap(&parent, depth + 1)
    {
        cm.inherit(&p);
    }
    Some(cm)
}

/// Character collection (`GB1`, `CNS1`, `Japan1`, `Korea1`) of a predefined
/// CMap name, for CMaps whose font dictionary omits CIDSystemInfo.
pub fn ordering_of_cmap(name: &str) -> Option<&'static str> {
    let starts = |ps: &[&str]| ps.iter().any(|p| name.starts_with(p));
    if starts(&["GB", "UniGB"]) {
        Some("GB1")
    } else if starts(&["B5", "ETen", "ETHK", "HK", "CNS", "UniCNS"]) {
        Some("CNS1")
    } else if matches!(name, "H" | "V")
        || starts(&[
            "90", "83pv", "78", "EUC", "RKSJ", "Add-", "Ext-", "NWP-", "UniJIS",
        ])
    {
        Some("Japan1")
    } else if starts(&["KSC", "UniKS"]) {
        Some("Korea1")
    } else {
        None
    }
}

/// CID→Unicode table of an Adobe collection, indexed by CID (0 = none).
pub fn cid_to_unicode(ordering: &str) -> Option<&'static [u32]> {
    static GB1: OnceLock<Vec<u32>> = OnceLock::new();
    static CNS1: OnceLock<Vec<u32>> = OnceLock::new();
    static JAPAN1: OnceLock<Vec<u32>> = OnceLock::new();
    static KOREA1: OnceLock<Vec<u32>> = OnceLock::new();
    let (cell, bytes): (&OnceLock<Vec<u32>>, &'static [u8]) = match ordering {
        "GB1" => (
            &GB1,
            include_bytes!(concat!(env!("OUT_DIR"), "/cmaps/Adobe-GB1.cid2uni")),
        ),
        "CNS1" => (
            &CNS1,
            include_bytes!(concat!(env!("OUT_DIR"), "/cmaps/Adobe-CNS1.cid2uni")),
        ),
        "Japan1" => (
            &JAPAN1,
            include_bytes!(concat!(env!("OUT_DIR"), "/cmaps/Adobe-Japan1.cid2uni")),
        ),
        "Korea1" => (
            &KOREA1,
            include_bytes!(concat!(env!("OUT_DIR"), "/cmaps/Adobe-Korea1.cid2uni")),
        ),
        _ => return None,
    };
    // One little-endian u32 per CID (see build.rs).
    let table = cell.get_or_init(|| {
        bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    });
    Some(table.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_euc_h_maps_through_gb1() {
        let cm = predefined_cmap("GBK-EUC-H").unwrap();
        // 中 is D6D0 in GBK.
        let (code, n) = cm.next_code(&[0xD6, 0xD0], 1);
        let cid = cm.to_cid(code, n).unwrap();
        let uni = cid_to_unicode("GB1").unwrap()[cid as usize];
        assert_eq!(char::from_u32(uni), Some('中'));
        // The -V map inherits the -H map's codes.
        let v = predefined_cmap("GBK-EUC-V").unwrap();
        assert_eq!(v.to_cid(code, n), Some(cid));
        assert_eq!(v.wmode, 1);
    }

    #[test]
    fn jis_vertical_cmaps_map_through_japan1() {
        // 日 is 0x467C in ISO-2022-JP (the `H`/`V` CMaps), 0x93FA in
        // Shift-JIS (RKSJ).
        for (name, bytes) in [
            ("V", [0x46, 0x7C]),
            ("90ms-RKSJ-V", [0x93, 0xFA]),
            ("78-RKSJ-V", [0x93, 0xFA]),
        ] {
            let cm = predefined_cmap(name).unwrap();
            assert_eq!(cm.wmode, 1, "{name}");
            let (code, n) = cm.next_code(&bytes, 1);
            let cid = cm.to_cid(code, n).unwrap();
            let table = cid_to_unicode(ordering_of_cmap(name).unwrap()).unwrap();
            assert_eq!(char::from_u32(table[cid as usize]), Some('日'), "{name}");
        }
        assert_eq!(ordering_of_cmap("KSC-Johab-V"), Some("Korea1"));
        assert_eq!(ordering_of_cmap("ETHK-B5-V"), Some("CNS1"));
        assert!(utf16_cmap_for("UniJIS-UTF8-V").is_some());
    }
}
