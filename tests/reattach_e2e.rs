//! The real binary in a pseudo-terminal on a corpus whose file was renamed, so that every
//! annotation's article id (taken from the file name) is gone: the first frame comes before
//! the search for their sentences ends, the labels arrive after it, a decision made
//! meanwhile wins, and the journal gains only what the analyst decided.

use crate::common;

use std::path::{Path, PathBuf};

use common::identity::{LABELS, NO_IDS};
use common::pty::{Home, Terminal};

fn s(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A home with `news.jsonl` labelled through `stance import`, then renamed to `wire.jsonl`;
/// the journal as it was before the session.
fn renamed_corpus(home: &Home) -> (PathBuf, String) {
    let news = home.write("news.jsonl", NO_IDS);
    let from = home.write("labels.doccano.jsonl", LABELS);
    let labels = home.labels();
    let out = home.run(&[
        "import",
        s(&news),
        "--from",
        s(&from),
        "--format",
        "doccano",
        "--annotator",
        "alice",
        "--labels",
        s(&labels),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wire = home.dir.path().join("wire.jsonl");
    std::fs::rename(&news, &wire).expect("rename the corpus");
    let journal = std::fs::read_to_string(&labels).expect("the journal");
    assert_eq!(journal.lines().count(), 3, "{journal}");
    assert!(journal.contains("news.jsonl#1"), "{journal}");
    (wire, journal)
}

/// The session on `wire`, with the search held until `release` exists.
fn held_session(home: &Home, wire: &Path, release: &Path) -> Terminal {
    Terminal::spawn_program(
        home,
        env!("CARGO_BIN_EXE_stance"),
        &["annotate", s(wire), "--labels", s(&home.labels())],
        &[
            ("STANCE_TEST_FAULT", "reattach:hold"),
            ("STANCE_TEST_RELEASE", s(release)),
        ],
        100,
        30,
    )
}

fn stats(home: &Home, wire: &Path) -> serde_json::Value {
    let out = home.run(&["stats", s(wire), "--labels", s(&home.labels()), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stats JSON")
}

#[test]
fn the_first_frame_comes_first_then_the_labels_arrive() {
    let home = Home::new();
    let (wire, before) = renamed_corpus(&home);
    let release = home.dir.path().join("release");
    let mut term = held_session(&home, &wire, &release);
    // The first frame, with the search under way and the labels not yet attached.
    let screen = term.wait_for("re-attaching 3 annotations…");
    assert!(screen.contains("Envoys met in Geneva"), "{screen}");
    assert!(screen.contains("this sentence: not annotated"), "{screen}");
    std::fs::write(&release, "").expect("release the search");
    let screen = term.wait_for("3 annotations re-attached by their sentence text");
    assert!(screen.contains("this sentence: diplomatic"), "{screen}");
    assert!(!screen.contains("re-attaching"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let after = std::fs::read_to_string(home.labels()).expect("the journal");
    assert_eq!(after, before, "re-attaching writes nothing to the journal");
    let stats = stats(&home, &wire);
    assert_eq!(stats["annotated"], 3, "{stats}");
    assert_eq!(stats["orphaned"], 0, "{stats}");
    // The places found are kept beside the store for the next session, which finds them
    // there.
    let index = home.dir.path().join("labels.reattach.json");
    let kept = std::fs::read_to_string(&index).expect("the index");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&kept).unwrap()["found"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{kept}"
    );
    let mut term = Terminal::spawn(
        &home,
        &["annotate", s(&wire), "--labels", s(&home.labels())],
        100,
        30,
    );
    let screen = term.wait_for("3 annotations re-attached by their sentence text");
    assert!(screen.contains("this sentence: diplomatic"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    assert_eq!(std::fs::read_to_string(home.labels()).unwrap(), before);
}

#[test]
fn a_sentence_decided_before_its_orphan_is_found_keeps_the_decision() {
    let home = Home::new();
    let (wire, before) = renamed_corpus(&home);
    let release = home.dir.path().join("release");
    let mut term = held_session(&home, &wire, &release);
    term.wait_for("re-attaching 3 annotations…");
    // Military on the first sentence, whose orphan says diplomatic, before it is found.
    term.send("3");
    term.wait_until("the decision saved", |s| {
        s.contains("this sentence: military") && s.contains("saved")
    });
    std::fs::write(&release, "").expect("release the search");
    let screen = term.wait_for("2 annotations re-attached");
    assert!(screen.contains("1 more not shown"), "{screen}");
    assert!(screen.contains("this sentence: military"), "{screen}");
    assert!(!screen.contains("diplomatic, military"), "{screen}");
    // The other two arrived: the second article's first sentence has its label.
    term.send("n");
    term.wait_for("this sentence: sanctions");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let after = std::fs::read_to_string(home.labels()).expect("the journal");
    let added = after
        .strip_prefix(&before)
        .expect("the old lines are kept as they were");
    let added: Vec<serde_json::Value> = added
        .lines()
        .map(|line| serde_json::from_str(line).expect("a journal line"))
        .collect();
    assert_eq!(added.len(), 1, "only the analyst's decision: {added:?}");
    assert_eq!(added[0]["article"], "wire.jsonl#1");
    assert_eq!(added[0]["labels"], serde_json::json!(["military"]));
    // Read again, the decision still wins and nothing is counted twice.
    let stats = stats(&home, &wire);
    assert_eq!(stats["annotated"], 3, "{stats}");
    assert_eq!(stats["orphaned"], 0, "{stats}");
}

#[test]
fn a_corpus_with_nothing_orphaned_starts_no_search() {
    let home = Home::new();
    let (wire, _) = renamed_corpus(&home);
    // Back at its old name, every id is there again.
    let news = home.dir.path().join("news.jsonl");
    std::fs::rename(&wire, &news).expect("rename back");
    let release = home.dir.path().join("release");
    let mut term = held_session(&home, &news, &release);
    let screen = term.wait_for("3/6 annotated");
    assert!(!screen.contains("re-attach"), "{screen}");
    // A round trip through the loop: the help opens and closes, and still no search.
    term.send("?");
    term.wait_for("Keys");
    term.send("\x1b");
    let screen = term.wait_until("the help closed", |s| !s.contains("Keys"));
    assert!(!screen.contains("re-attach"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}
