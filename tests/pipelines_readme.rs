//! The worked example of `pipelines/README.md` ("adding a sixth call")
//! really works: its scheme file loads through `--pipelines DIR`, shows up
//! in `intake schemes`, and `intake schemes ID` prints exactly the output
//! the README shows.

use std::path::PathBuf;
use std::process::Command;

fn readme() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pipelines/README.md");
    std::fs::read_to_string(path).unwrap()
}

/// The body of the fenced block whose info string is `info`.
fn block(text: &str, info: &str) -> String {
    let open = format!("```{info}\n");
    let start = text
        .find(&open)
        .unwrap_or_else(|| panic!("no ```{info} block in pipelines/README.md"))
        + open.len();
    let end = text[start..].find("```").unwrap() + start;
    text[start..end].to_string()
}

fn intake(args: &[&str], pipelines: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_intake"))
        .arg("--pipelines")
        .arg(pipelines)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "intake {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sixth_call_example_loads_and_prints_as_shown() {
    let text = readme();
    let scheme = block(&text, "toml sixth-call");
    let shown = block(&text, "text sixth-call-rules");
    let id = scheme
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schemes")).unwrap();
    std::fs::write(dir.path().join(format!("schemes/{id}.toml")), &scheme).unwrap();

    let list = intake(&["schemes"], dir.path());
    assert!(list.contains(&id), "{list}");
    assert!(list.contains("7 rules"), "{list}");
    // The built-in calls are still there.
    assert!(list.contains("shandong-2026-guideline"));

    assert_eq!(intake(&["schemes", &id], dir.path()), shown);
}

#[test]
fn a_broken_sixth_call_is_refused_with_its_name() {
    let scheme = block(&readme(), "toml sixth-call").replace("max = 30", "maximum = 30");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schemes")).unwrap();
    std::fs::write(dir.path().join("schemes/example.toml"), scheme).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_intake"))
        .arg("--pipelines")
        .arg(dir.path())
        .arg("schemes")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("schemes/example.toml"), "{err}");
    assert!(err.contains("max"), "{err}");
}
