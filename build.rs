//! Embeds every file under `pipelines/` into the binary, so the calls'
//! schemes ship with it and an office can still overlay its own folder at
//! run time (see `src/scheme/mod.rs`).

use std::fmt::Write as _;
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
