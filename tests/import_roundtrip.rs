//! `stance import` of every stance export format: export a store, import the file into an
//! empty store, export that store again, and get the same bytes.

use crate::export_support;

use std::process::{Command, Output};

use export_support::{Fixture, GOLDEN, stderr};
use stance::store::{LabelStore, Origin};

/// Runs `stance import CORPUS --labels STORE ARGS...` in the fixture's folder.
fn import(fixture: &Fixture, store: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(fixture.dir.path())
        .env("STANCE_DATA_DIR", fixture.path("data"))
        .env("STANCE_CONFIG_DIR", fixture.path("config"))
        .arg("import")
        .arg(fixture.corpus())
        .arg("--labels")
        .arg(fixture.path(store))
        .args(args)
        .output()
        .unwrap()
}

/// `stance export` of the store `store` (not the fixture's own).
fn export_store(fixture: &Fixture, store: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(fixture.dir.path())
        .env("STANCE_DATA_DIR", fixture.path("data"))
        .arg("export")
        .arg(fixture.corpus())
        .arg("--labels")
        .arg(fixture.path(store))
        .args(args)
        .output()
        .unwrap()
}

fn round_trip(format: &str, extra: &[&str], schema: &[&str]) {
    let fixture = Fixture::new(&GOLDEN);
    let first = fixture.export(&[&["--format", format], schema].concat());
    assert!(first.status.success(), "{format}: {}", stderr(&first));
    let file = format!("exported.{format}");
    std::fs::write(fixture.path(&file), &first.stdout).unwrap();

    let out = import(
        &fixture,
        "new.jsonl",
        &[&["--from", &file, "--format", "auto"], extra, schema].concat(),
    );
    assert!(out.status.success(), "{format}: {}", stderr(&out));
    let report = stderr(&out);
    assert!(report.contains("not attached: 0"), "{format}: {report}");

    let second = export_store(
        &fixture,
        "new.jsonl",
        &[&["--format", format], schema].concat(),
    );
    assert!(second.status.success(), "{format}: {}", stderr(&second));
    assert_eq!(
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&first.stdout),
        "{format}"
    );
    let store = LabelStore::open_read_only(&fixture.path("new.jsonl")).unwrap();
    assert!(store.annotations().count() > 0);
    assert!(store.annotations().all(|a| a.origin() == Origin::Imported));

    // The same file again adds nothing, and says so.
    let before = std::fs::read(fixture.path("new.jsonl")).unwrap();
    let again = import(
        &fixture,
        "new.jsonl",
        &[&["--from", &file, "--format", format], extra, schema].concat(),
    );
    assert!(again.status.success(), "{format}: {}", stderr(&again));
    let report = stderr(&again);
    assert!(report.contains("(0 new, "), "{format}: {report}");
    assert!(report.contains(" already there"), "{format}: {report}");
    assert_eq!(std::fs::read(fixture.path("new.jsonl")).unwrap(), before);
}

#[test]
fn jsonl_round_trips_with_its_annotators() {
    round_trip("jsonl", &[], &[]);
}

#[test]
fn jsonl_of_an_exclusive_schema_round_trips() {
    round_trip("jsonl", &[], &["--schema", "exclusive.toml"]);
}

#[test]
fn csv_round_trips() {
    round_trip("csv", &["--annotator", "ana"], &[]);
}

#[test]
fn spacy_round_trips() {
    round_trip("spacy", &["--annotator", "ana"], &[]);
}

#[test]
fn prodigy_round_trips() {
    round_trip("prodigy", &["--annotator", "ana"], &[]);
}

#[test]
fn doccano_round_trips() {
    round_trip("doccano", &["--annotator", "ana"], &[]);
}

#[test]
fn a_store_written_by_the_binary_round_trips_with_both_annotators() {
    let fixture = Fixture::new(&GOLDEN);
    for annotator in ["ana", "ben"] {
        let first = fixture.export(&["--format", "jsonl", "--annotator", annotator]);
        assert!(first.status.success(), "{}", stderr(&first));
        let file = format!("{annotator}.jsonl");
        std::fs::write(fixture.path(&file), &first.stdout).unwrap();
        let out = import(
            &fixture,
            "both.jsonl",
            &["--from", &file, "--format", "jsonl"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for annotator in ["ana", "ben"] {
        let first = fixture.export(&["--format", "jsonl", "--annotator", annotator]);
        let second = export_store(
            &fixture,
            "both.jsonl",
            &["--format", "jsonl", "--annotator", annotator],
        );
        assert_eq!(second.stdout, first.stdout, "{annotator}");
    }
    let ours = LabelStore::open_read_only(&fixture.labels()).unwrap();
    let theirs = LabelStore::open_read_only(&fixture.path("both.jsonl")).unwrap();
    assert_eq!(ours.annotations().count(), theirs.annotations().count());
}
