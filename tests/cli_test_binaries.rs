//! Every test file is built: with the tests grouped into a few binaries (`autotests = false`
//! in Cargo.toml), a file that no suite names would never compile or run, silently.

use std::collections::BTreeMap;
use std::path::Path;

/// How often each `tests/*.rs` file is named: as a module of a suite in `tests/suites/`
/// (`#[path = "../NAME.rs"]`) or as a `[[test]]` target of its own in Cargo.toml.
fn times_named(root: &Path) -> BTreeMap<String, usize> {
    let mut named: BTreeMap<String, usize> = std::fs::read_dir(root.join("tests"))
        .expect("tests/")
        .map(|entry| entry.expect("tests/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| (path.file_stem().unwrap().to_string_lossy().into_owned(), 0))
        .collect();
    let mut count = |name: &str| {
        if let Some(times) = named.get_mut(name) {
            *times += 1;
        }
    };
    for entry in std::fs::read_dir(root.join("tests/suites")).expect("tests/suites/") {
        let suite = std::fs::read_to_string(entry.expect("suite").path()).expect("suite file");
        for line in suite.lines() {
            if let Some(rest) = line.strip_prefix("#[path = \"../")
                && let Some(name) = rest.strip_suffix(".rs\"]")
            {
                count(name);
            }
        }
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    for line in manifest.lines() {
        if let Some(rest) = line.strip_prefix("path = \"tests/")
            && let Some(name) = rest.strip_suffix(".rs\"")
        {
            count(name);
        }
    }
    named
}

#[test]
fn every_test_file_is_in_exactly_one_test_binary() {
    let named = times_named(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(named.contains_key("cli_test_binaries"), "{named:?}");
    let wrong: Vec<String> = named
        .iter()
        .filter(|&(_, &times)| times != 1)
        .map(|(name, times)| format!("tests/{name}.rs is in {times} test binaries"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{}; add it to a suite in tests/suites/ or give it a [[test]] in Cargo.toml",
        wrong.join("; ")
    );
}

#[test]
fn a_file_in_no_suite_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tests/suites")).unwrap();
    for name in ["a", "b", "c"] {
        std::fs::write(dir.path().join(format!("tests/{name}.rs")), "").unwrap();
    }
    std::fs::write(
        dir.path().join("tests/suites/one.rs"),
        "#[path = \"../a.rs\"]\nmod a;\n#[path = \"../a.rs\"]\nmod a2;\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[[test]]\nname = \"b\"\npath = \"tests/b.rs\"\n",
    )
    .unwrap();
    let named = times_named(dir.path());
    let expected: BTreeMap<String, usize> =
        [("a".into(), 2), ("b".into(), 1), ("c".into(), 0)].into();
    assert_eq!(named, expected);
}
