//! The top-level command line: `stance CORPUS...` annotates, `--help` names the store folder.

use std::process::Command;

fn stance() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stance"))
}

#[test]
fn a_corpus_without_a_subcommand_is_opened_for_annotation() {
    let out = stance().arg("no-such-corpus.csv").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-corpus.csv"), "{err}");
}

#[test]
fn help_names_the_default_label_store_folder() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--help"][..], &["stats", "--help"], &["export", "--help"]] {
        let out = stance()
            .args(args)
            .env("STANCE_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8_lossy(&out.stdout);
        let folder = dir.path().join("labels").display().to_string();
        assert!(
            help.contains(&folder),
            "{args:?} help lacks {folder}:\n{help}"
        );
    }
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let out = stance()
        .args(["stats", "--no-such-option"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
