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
);

/// Vertical Uni* CMaps differ from their -H maps only in a few glyph
/// variants; the -H map serves for text.
fn base_name(name: &str) -> &str {
    if name.starts_with("Uni") && name.ends_with("-V") {
        return match name {
            "UniGB-UCS2-V" => "UniGB-UCS2-H",
            "UniGB-UTF16-V" => "UniGB-UTF16-H",
            "UniCNS-UCS2-V" => "UniCNS-UCS2-H",
            "UniCNS-UTF16-V" => "UniCNS-UTF16-H",
            "UniJIS-UCS2-V" => "UniJIS-UCS2-H",
            "UniJIS-UTF16-V" => "UniJIS-UTF16-H",
            "UniKS-UCS2-V" => "UniKS-UCS2-H",
            "UniKS-UTF16-V" => "UniKS-UTF16-H",
            _ => name,
        };
    }
    name
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
    if name.starts_with("GB") || name.starts_with("UniGB") {
        Some("GB1")
    } else if name.starts_with("B5")
        || name.starts_with("ETen")
        || name.starts_with("HK")
        || name.starts_with("CNS")
        || name.starts_with("UniCNS")
    {
        Some("CNS1")
    } else if name.starts_with("90")
        || name.starts_with("EUC")
        || name.starts_with("UniJIS")
        || name.starts_with("RKSJ")
    {
        Some("Japan1")
    } else if name.starts_with("KSC") || name.starts_with("UniKS") {
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
}
