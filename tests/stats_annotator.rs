//! `stance stats --annotator NAME` (repeatable): every figure counts only those annotators'
//! decisions, in the table and in `--json`, which names them.

use crate::common;

use std::path::Path;

use common::pty::Home;
use serde_json::{Value, json};
use stance::store::{Event, LabelStore};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva. Sanctions were discussed."}"#,
    "\n",
    r#"{"id": "a2", "title": "Troops", "text": "Troops stayed home."}"#,
    "\n",
);

/// alice: a1 fully (diplomatic; no stance), bob: a1 s0 (diplomatic, sanctions) and a2 s0
/// (military), carol: a2 s0 (military).
fn store(home: &Home) -> (std::path::PathBuf, std::path::PathBuf) {
    let corpus = home.write("news.jsonl", CORPUS);
    let labels = home.labels();
    let mut store = LabelStore::open_as(&labels, "alice").unwrap();
    let articles = [
        ("a1", "Envoys met in Geneva. Sanctions were discussed."),
        ("a2", "Troops stayed home."),
    ];
    let decide = |article: usize, sentence: usize, names: &[&str], who: &str| {
        let (id, text) = articles[article];
        let span = stance::corpus::segment(text)[sentence];
        Event::set(
            id,
            span.start,
            &text[span.start..span.end],
            names.iter().copied(),
            who,
            1,
        )
    };
    for event in [
        decide(0, 0, &["diplomatic"], "alice"),
        decide(0, 1, &[], "alice"),
        decide(0, 0, &["diplomatic", "sanctions"], "bob"),
        decide(1, 0, &["military"], "bob"),
        decide(1, 0, &["military"], "carol"),
    ] {
        store.append(event).unwrap();
    }
    (corpus, labels)
}

fn stats(home: &Home, corpus: &Path, labels: &Path, extra: &[&str]) -> (Value, String) {
    let mut args = vec![
        "stats",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = home.run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

#[test]
fn one_annotator_is_counted_alone_and_named_in_the_json() {
    let home = Home::new();
    let (corpus, labels) = store(&home);
    let (all, _) = stats(&home, &corpus, &labels, &[]);
    assert_eq!(all["annotated"], 5);
    assert!(all.get("only_annotators").is_none(), "{all}");

    let (alice, stderr) = stats(&home, &corpus, &labels, &["--annotator", "alice"]);
    assert_eq!(stderr, "");
    assert_eq!(alice["only_annotators"], json!(["alice"]));
    assert_eq!(alice["annotated"], 2);
    assert_eq!(alice["no_stance"], 1);
    assert_eq!(
        alice["labels"],
        json!({"diplomatic": 1, "sanctions": 0, "military": 0})
    );
    assert_eq!(alice["annotators"], json!({"alice": 2}));
    assert_eq!(alice["articles_done"], 1, "a1, by alice");
    assert_eq!(
        alice["sentences"], all["sentences"],
        "the corpus is the same"
    );

    let (two, _) = stats(
        &home,
        &corpus,
        &labels,
        &["--annotator", "carol", "--annotator", "bob"],
    );
    assert_eq!(two["only_annotators"], json!(["bob", "carol"]));
    assert_eq!(two["annotated"], 3);
    assert_eq!(
        two["labels"],
        json!({"diplomatic": 1, "sanctions": 1, "military": 2})
    );
    assert_eq!(two["annotators"], json!({"bob": 2, "carol": 1}));
    assert_eq!(
        two["articles_done"], 1,
        "a2 only: a1's second sentence is alice's"
    );
}

#[test]
fn the_table_says_whose_decisions_it_counts() {
    let home = Home::new();
    let (corpus, labels) = store(&home);
    let out = home.run(&[
        "stats",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
        "--annotator",
        "bob",
    ]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("only       bob (their decisions alone are counted)"),
        "{table}"
    );
    assert!(table.contains("annotated  2\n"), "{table}");
    assert!(table.contains("annotators 1\n"), "{table}");
}

#[test]
fn an_annotator_without_decisions_is_a_warning_naming_those_there_are() {
    let home = Home::new();
    let (corpus, labels) = store(&home);
    let (none, stderr) = stats(&home, &corpus, &labels, &["--annotator", "dave"]);
    assert_eq!(none["annotated"], 0);
    assert_eq!(none["only_annotators"], json!(["dave"]));
    assert!(
        stderr.contains(
            "--annotator \"dave\": the label store has no decision by them (it has alice, bob, carol)"
        ),
        "{stderr}"
    );
    // A name no session could have written: an error, the name shown escaped.
    for name in [" ", "dave\u{1b}[2J"] {
        let out = home.run(&["stats", "--annotator", name]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--annotator: "), "{stderr}");
        assert!(stderr.contains("is not a usable name"), "{stderr}");
        assert!(!stderr.contains('\u{1b}'), "{stderr}");
    }
}

#[test]
fn stats_help_documents_the_annotator_option() {
    let home = Home::new();
    let out = home.run(&["stats", "--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("--annotator <NAME>"), "{help}");
    assert!(help.contains("only_annotators"), "{help}");
}
