//! The exact bytes of every format on a small corpus, against `tests/golden/`.
//! After an intended change, regenerate with `STANCE_BLESS=1 cargo test --test export_golden`
//! and review the diff.

mod export_support;

use export_support::{Fixture, GOLDEN, assert_golden, stderr};

fn golden(name: &str, args: &[&str]) -> String {
    let fixture = Fixture::new(&GOLDEN);
    let out = fixture.export(args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(name, &out.stdout);
    stderr(&out)
}

#[test]
fn jsonl() {
    let report = golden("default.jsonl", &["--format", "jsonl"]);
    assert!(report.contains("exported 8 sentences"), "{report}");
    assert!(!report.contains("orphaned"), "{report}");
}

#[test]
fn csv() {
    golden("default.csv", &["--format", "csv"]);
}

#[test]
fn spacy() {
    golden("default.spacy.jsonl", &["--format", "spacy"]);
}

#[test]
fn prodigy() {
    golden("default.prodigy.jsonl", &["--format", "prodigy"]);
}

#[test]
fn doccano() {
    golden("default.doccano.jsonl", &["--format", "doccano"]);
}

#[test]
fn exclusive_schema_adds_label_and_leaves_out_several_labels() {
    let report = golden(
        "exclusive.jsonl",
        &["--format", "jsonl", "--schema", "exclusive.toml"],
    );
    assert!(
        report.contains("1 sentences with several labels were left out"),
        "{report}"
    );
}

#[test]
fn split_and_context() {
    let report = golden(
        "split-context.jsonl",
        &[
            "--format",
            "jsonl",
            "--split",
            "50,25,25",
            "--seed",
            "3",
            "--context",
            "1",
        ],
    );
    assert!(report.contains("train"), "{report}");
}

#[test]
fn unlabeled_rows_with_split() {
    golden(
        "unlabeled-split.csv",
        &[
            "--format",
            "csv",
            "--include-unlabeled",
            "--split",
            "50,25,25",
            "--seed",
            "3",
        ],
    );
}

#[test]
fn unlabeled_tasks() {
    golden(
        "unlabeled.prodigy.jsonl",
        &["--format", "prodigy", "--include-unlabeled"],
    );
}
