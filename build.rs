//! Embeds every file under `pipelines/` into the binary, so the calls'
//! schemes ship with it and an office can still overlay its own folder at
//! run time (see `src/scheme/mod.rs`), and compiles the shipped CJK CMaps
//! of `data/cmaps/` into compact tables (see `src/extract/pdf/cid_unicode.rs`).

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("pipelines");
    println!("cargo:rerun-if-changed=pipelines");
    let mut files = Vec::new();
    if root.is_dir() {
        walk(&root, &root, &mut files);
    }
    files.sort();
    let mut out = String::from(
        "/// Every file of `pipelines/` at build time: (relative `/` path, text).\n\
         pub static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (rel, abs) in &files {
        // `{:?}` yields a valid, escaped Rust string literal.
        writeln!(out, "    ({rel:?}, include_str!({abs:?})),").expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_pipelines.rs");
    fs::write(dest, out).expect("write embedded_pipelines.rs");
    compile_cmaps(&PathBuf::from(
        env::var("OUT_DIR").expect("cargo sets OUT_DIR"),
    ));
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Directories are watched too, so a new file triggers a rebuild.
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            walk(root, &path, files);
            continue;
        }
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        // Editor droppings and hidden files are not data.
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let (Ok(rel), Some(abs)) = (path.strip_prefix(root), path.to_str()) else {
            continue;
        };
        let Some(rel) = rel.to_str() else { continue };
        // Only text can be embedded with include_str!.
        if fs::read_to_string(&path).is_err() {
            continue;
        }
        println!("cargo:rerun-if-changed={abs}");
        files.push((rel.replace('\\', "/"), abs.to_string()));
    }
}

/// The CMap parser the library uses, compiled into this build script so
/// the shipped CMaps are parsed once, at build time.
#[allow(dead_code)]
#[path = "src/extract/pdf/cmap.rs"]
mod cmap;

/// Stand-in for the font module cmap.rs reaches for glyph names: the
/// predefined CMaps map codes to CIDs and name no glyphs.
mod font {
    pub fn glyph_name_to_string(_: &str) -> Option<String> {
        None
    }
}

/// Compiles `data/cmaps/*.gz` into OUT_DIR: each predefined CMap to
/// `NAME.cmap` ([`cmap::CMap::compile`]) and each `*.cid2uni.gz` table to
/// `COLLECTION.cid2uni` (one little-endian u32 code point per CID).
fn compile_cmaps(out_dir: &Path) {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("data/cmaps");
    println!("cargo:rerun-if-changed=data/cmaps");
    println!("cargo:rerun-if-changed=src/extract/pdf/cmap.rs");
    let dest = out_dir.join("cmaps");
    fs::create_dir_all(&dest).expect("create OUT_DIR/cmaps");
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".gz") else {
            continue;
        };
        println!("cargo:rerun-if-changed={}", path.display());
        let gz = fs::read(&path).expect("read data/cmaps file");
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut text)
            .unwrap_or_else(|e| panic!("{name}: not gzip: {e}"));
        if let Some(coll) = stem.strip_suffix(".cid2uni") {
            // After a `#` header, line n holds CID n's code point in hex.
            let table: Vec<u8> = String::from_utf8_lossy(&text)
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(|l| u32::from_str_radix(l.trim(), 16).unwrap_or(0).to_le_bytes())
                .collect();
            fs::write(dest.join(format!("{coll}.cid2uni")), table).expect("write cid2uni");
        } else {
            let cm = cmap::CMap::parse(&text);
            fs::write(dest.join(format!("{stem}.cmap")), cm.compile()).expect("write cmap");
        }
    }
}
