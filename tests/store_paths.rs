//! Where a corpus's label store lives by default. One test, because it sets the
//! process environment.

use stance::store::default_path;

#[test]
fn the_default_store_is_per_corpus_under_the_data_folder_or_stance_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe { std::env::set_var("STANCE_DATA_DIR", dir.path()) };
    // A new corpus gets a store folder; a single-file store made before stays in use.
    assert_eq!(
        default_path("sample").unwrap(),
        dir.path().join("labels/sample")
    );
    std::fs::create_dir_all(dir.path().join("labels")).unwrap();
    std::fs::write(dir.path().join("labels/9f2c41d0.jsonl"), "").unwrap();
    assert_eq!(
        default_path("9f2c41d0").unwrap(),
        dir.path().join("labels/9f2c41d0.jsonl")
    );
    for bad in ["", ".", "..", "a/b", "a\\b"] {
        let message = default_path(bad).unwrap_err().to_string();
        assert!(message.contains("corpus key"), "{message}");
    }

    // SAFETY: as above.
    unsafe { std::env::remove_var("STANCE_DATA_DIR") };
    if let Ok(path) = default_path("sample") {
        assert!(path.ends_with("stance/labels/sample"), "{}", path.display());
        assert!(!path.starts_with(dir.path()));
    }
}
