//! A session creates its store on its first write: opening a corpus and quitting (or being
//! killed) without a decision leaves nothing in the data folder, and the same annotator
//! twice is still refused while the first session runs.

use crate::common;

use std::path::{Path, PathBuf};

use common::pty::{Home, Terminal};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed."}"#,
    "\n",
    r#"{"id": "a2", "title": "Troops", "text": "Troops stayed home. Talks went on."}"#,
    "\n",
);

/// Every file and folder under `dir`, relative to it, sorted; empty when `dir` is missing.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn open(home: &Home, corpus: &Path, extra: &[&str]) -> Terminal {
    let mut args = vec!["annotate", corpus.to_str().unwrap()];
    args.extend_from_slice(extra);
    let t = Terminal::spawn(home, &args, 80, 24);
    t.wait_for("annotated (");
    t
}

fn corpus(home: &Home) -> PathBuf {
    home.write("news.jsonl", CORPUS)
}

#[test]
fn open_and_quit_without_a_decision_leaves_the_data_folder_as_it_was() {
    let home = Home::new();
    let corpus = corpus(&home);
    let mut t = open(&home, &corpus, &[]);
    assert_eq!(tree(&home.data_dir()), Vec::<String>::new(), "while open");
    t.send("jjn");
    t.wait_for("article 2/2");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(
        tree(&home.data_dir()),
        Vec::<String>::new(),
        "after quitting"
    );
    // With a schema given, and with `--labels`: still nothing.
    let schema = home.write(
        "schema.toml",
        "[[labels]]\nname = \"pro\"\nkey = \"1\"\n[[labels]]\nname = \"con\"\nkey = \"2\"\n",
    );
    let labels = home.dir.path().join("store/labels.jsonl");
    let mut t = open(
        &home,
        &corpus,
        &[
            "--schema",
            schema.to_str().unwrap(),
            "--labels",
            labels.to_str().unwrap(),
        ],
    );
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(tree(&home.dir.path().join("store")), Vec::<String>::new());
    assert_eq!(tree(&home.data_dir()), Vec::<String>::new());
}

#[test]
fn a_killed_session_that_decided_nothing_leaves_nothing_and_holds_nothing() {
    let home = Home::new();
    let corpus = corpus(&home);
    let mut t = open(&home, &corpus, &[]);
    t.kill_hard();
    assert_eq!(tree(&home.data_dir()), Vec::<String>::new());
    // The next session is not refused by the killed one.
    let mut t = open(&home, &corpus, &[]);
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn the_first_decision_creates_the_store_its_schema_record_and_position() {
    let home = Home::new();
    let corpus = corpus(&home);
    let mut t = open(&home, &corpus, &[]);
    t.send("1");
    t.wait_for("saved");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    let files = tree(&home.data_dir());
    let has = |suffix: &str| files.iter().any(|f| f.ends_with(suffix));
    assert!(has("/alice.jsonl"), "the journal: {files:?}");
    assert!(has("/alice.jsonl.lock"), "its lock: {files:?}");
    assert!(has(".schema.toml"), "the kept schema: {files:?}");
    assert!(has(".corpus.json"), "the registry record: {files:?}");
    assert!(has(".position.json"), "the position: {files:?}");
    let journal = files.iter().find(|f| f.ends_with("/alice.jsonl")).unwrap();
    let lines = common::pty::journal(&home.data_dir().join(journal));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["labels"], serde_json::json!(["diplomatic"]));
    // The next session resumes from the position and the store.
    let mut t = open(&home, &corpus, &[]);
    t.wait_for("1/4 annotated");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_second_session_of_the_same_annotator_is_refused_before_and_after_the_first_write() {
    let home = Home::new();
    let corpus = corpus(&home);
    let mut first = open(&home, &corpus, &[]);
    let refused = |home: &Home| {
        let mut second = Terminal::spawn(home, &["annotate", corpus.to_str().unwrap()], 80, 24);
        assert_eq!(second.wait_exit(), 1);
        second.screen().replace('\n', "")
    };
    let message = refused(&home);
    assert!(
        message.contains(&format!("is in use by process {}", first.pid())),
        "{message}"
    );
    assert!(
        message.contains("alice.jsonl"),
        "names the journal: {message}"
    );
    // Another annotator has a journal of their own in the store folder: not refused.
    let mut bob = open(&home, &corpus, &["--annotator", "bob"]);
    bob.send("2");
    bob.wait_for("saved");
    first.send("1");
    first.wait_for("saved");
    let message = refused(&home);
    assert!(
        message.contains(&format!("is in use by process {}", first.pid())),
        "{message}"
    );
    for t in [&mut first, &mut bob] {
        t.send("q");
        assert_eq!(t.wait_exit(), 0);
    }
    let files = tree(&home.data_dir());
    assert!(
        files.iter().any(|f| f.ends_with("/alice.jsonl")),
        "{files:?}"
    );
    assert!(files.iter().any(|f| f.ends_with("/bob.jsonl")), "{files:?}");
}

#[test]
fn anyone_twice_on_a_single_journal_is_refused_before_its_first_write() {
    let home = Home::new();
    let corpus = corpus(&home);
    let labels = home.labels();
    let args = ["--labels", labels.to_str().unwrap()];
    let mut first = open(&home, &corpus, &args);
    let mut bob = Terminal::spawn(
        &home,
        &[
            "annotate",
            corpus.to_str().unwrap(),
            args[0],
            args[1],
            "--annotator",
            "bob",
        ],
        80,
        24,
    );
    assert_eq!(bob.wait_exit(), 1);
    let message = bob.screen().replace('\n', "");
    assert!(message.contains("is in use by process"), "{message}");
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
    assert!(!labels.exists());
}
