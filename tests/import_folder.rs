//! `stance import` into a store folder (one journal per annotator) is one step across
//! annotators: a crash before the import file is in place leaves nothing, a crash after it
//! leaves everything visible, and the annotator's next session copies their part into their
//! journal. Real binary, real files, crashes injected at named points.

use crate::export_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use export_support::{Fixture, stderr};
use stance::store::{Decision, FolderStore, Origin, Store};

const GOLDEN_JSONL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/default.jsonl");

fn folder(fixture: &Fixture) -> PathBuf {
    fixture.path("team")
}

fn import(fixture: &Fixture, fault: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stance"));
    command
        .current_dir(fixture.dir.path())
        .env("STANCE_DATA_DIR", fixture.path("data"))
        .env("STANCE_CONFIG_DIR", fixture.path("config"))
        .env_remove("STANCE_TEST_FAULT")
        .arg("import")
        .arg(fixture.corpus())
        .arg("--labels")
        .arg(folder(fixture))
        .args(["--format", "jsonl", "--from", GOLDEN_JSONL]);
    if let Some(point) = fault {
        command.env("STANCE_TEST_FAULT", point);
    }
    command.output().unwrap()
}

/// (annotator, sentence text) -> (labels, how many times the merged read gives it).
fn merged(store: &FolderStore) -> BTreeMap<(String, String), (Vec<String>, usize)> {
    let mut seen: BTreeMap<(String, String), (Vec<String>, usize)> = BTreeMap::new();
    for a in store.annotations() {
        let entry = seen
            .entry((a.annotator().to_owned(), folded(a.text())))
            .or_insert((a.labels().to_vec(), 0));
        entry.1 += 1;
    }
    seen
}

/// The text with whitespace runs as one space, as exports write it.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The golden export's annotations, each once.
fn golden() -> BTreeMap<(String, String), (Vec<String>, usize)> {
    std::fs::read_to_string(GOLDEN_JSONL)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let labels = v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_owned())
                .collect();
            (
                (
                    v["annotator"].as_str().unwrap().to_owned(),
                    v["text"].as_str().unwrap().to_owned(),
                ),
                (labels, 1),
            )
        })
        .collect()
}

/// Lines in one annotator's own journal file (0 when it does not exist).
fn journal_lines(folder: &Path, annotator: &str) -> usize {
    std::fs::read_to_string(folder.join(format!("{annotator}.jsonl")))
        .map(|text| text.lines().count())
        .unwrap_or(0)
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_import_is_one_file_in_place_and_each_part_is_copied_into_its_journal() {
    let fixture = Fixture::empty();
    let out = import(&fixture, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let team = folder(&fixture);
    let store = FolderStore::open_read_only(&team).unwrap();
    assert_eq!(merged(&store), golden());
    assert!(store.annotations().all(|a| a.origin() == Origin::Imported));
    assert_eq!(
        (journal_lines(&team, "ana"), journal_lines(&team, "ben")),
        (5, 3)
    );
    let files = names(&team);
    let imports: Vec<&String> = files
        .iter()
        .filter(|n| n.starts_with("%import-") && n.ends_with(".jsonl"))
        .collect();
    assert_eq!(imports.len(), 1, "{files:?}");
    for who in ["ana", "ben"] {
        assert!(
            files.contains(&format!("{}.absorbed-{who}", imports[0])),
            "{files:?}"
        );
    }
    // The second import of the same file adds nothing, and no new import file.
    let again = import(&fixture, None);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("added 0 decisions"),
        "{}",
        stderr(&again)
    );
    assert_eq!(names(&team), files);
}

#[test]
fn a_crash_before_the_import_file_is_in_place_imports_nothing() {
    let fixture = Fixture::empty();
    let out = import(&fixture, Some("folder-import:written"));
    assert!(!out.status.success(), "the fault point was not reached");
    let team = folder(&fixture);
    let store = FolderStore::open_read_only(&team).unwrap();
    assert_eq!(store.annotations().count(), 0);
    assert_eq!(
        (journal_lines(&team, "ana"), journal_lines(&team, "ben")),
        (0, 0)
    );
    assert!(!names(&team).iter().any(|n| n.starts_with("%import-")));
    // Run again, it imports everything.
    let out = import(&fixture, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        merged(&FolderStore::open_read_only(&team).unwrap()),
        golden()
    );
}

#[test]
fn a_crash_between_journals_leaves_the_whole_import_seen_and_the_next_session_finishes_it() {
    let fixture = Fixture::empty();
    let team = folder(&fixture);
    // A session of another annotator is open while the import runs.
    let mut cy = FolderStore::open_as(&team, "cy").unwrap();
    let out = import(&fixture, Some("folder-import:absorbed-one"));
    assert!(!out.status.success(), "the fault point was not reached");
    // Only ana's part is in her journal; ben's is only in the import file.
    assert_eq!(
        (journal_lines(&team, "ana"), journal_lines(&team, "ben")),
        (5, 0)
    );
    assert_eq!(
        merged(&FolderStore::open_read_only(&team).unwrap()),
        golden()
    );
    let arrived = cy.arrivals().unwrap();
    assert_eq!(arrived.len(), 8, "{arrived:?}");
    assert_eq!(merged(&cy), golden());

    // Ben's next session copies his part into his journal first.
    let mut ben = FolderStore::open_as(&team, "ben").unwrap();
    assert_eq!(journal_lines(&team, "ben"), 3);
    assert_eq!(merged(&ben), golden());
    // Then withdrawing an imported annotation holds when read again.
    let talks = ben
        .annotations()
        .find(|a| a.text().starts_with("Talks on the ceasefire"))
        .unwrap();
    let withdraw = Decision {
        article: talks.article().to_owned(),
        start: talks.start(),
        end: talks.end(),
        text: talks.text().to_owned(),
        labels: None,
        origin: Origin::Typed,
        annotator: "ben".into(),
        scores: None,
    };
    Store::append(&mut ben, &withdraw).unwrap();
    drop(ben);
    let mut expected = golden();
    expected.remove(&(
        "ben".into(),
        "Talks on the ceasefire will continue next week.".into(),
    ));
    assert_eq!(
        merged(&FolderStore::open_read_only(&team).unwrap()),
        expected
    );
    assert_eq!(
        merged(&FolderStore::open_as(&team, "ben").unwrap()),
        expected
    );
}
