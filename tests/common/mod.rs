//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `shared/` folder beside the repository (CI clones it there), or
/// `$INTAKE_SHARED`, or `/work/shared`, when it holds `sub`.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("INTAKE_SHARED").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join(sub).is_dir())
}

/// The third-party corpus (`shared/corpus/external`); says the tests were
/// skipped when it is not there.
pub fn corpus() -> Option<PathBuf> {
    let found = shared("corpus/external").map(|p| p.join("corpus/external"));
    if found.is_none() {
        println!("skipped: ../shared not found");
    }
    found
}
