//! Every subcommand sees the sentences as boundary overrides corrected them: `stats`,
//! `review`, `export`, `segment --labels`, `import`, `suggest` and `agree`; an override
//! whose text changed is reported and ignored.

use crate::common;

use common::pty::{Home, Terminal};
use serde_json::Value;
use stance::store::{BoundaryChange, BoundaryKind, Decision, LabelStore, Origin};

const TEXT: &str = "Talks resumed on Monday in Geneva. Troops moved north. Officials said nothing.";

fn corpus(home: &Home, text: &str) -> String {
    let line = serde_json::json!({"id": "a1", "title": "Talks", "text": text});
    let path = home.write("news.jsonl", &format!("{line}\n"));
    path.to_str().unwrap().to_owned()
}

fn decision(start: usize, end: usize, label: &str, who: &str) -> Decision {
    Decision {
        article: "a1".into(),
        start,
        end,
        text: TEXT[start..end].into(),
        labels: Some(vec![label.into()]),
        origin: Origin::Typed,
        annotator: who.into(),
        scores: None,
    }
}

/// A store where bob labeled the first sentence, then alice split it before "Monday" and
/// labeled the second part: bob's label is orphaned by the split.
fn split_store(home: &Home) -> (String, String) {
    let corpus = corpus(home, TEXT);
    let labels = home.labels();
    let first = TEXT.find(" Troops").unwrap();
    let at = TEXT.find("Monday").unwrap();
    let mut store = LabelStore::open_as(&labels, "alice").unwrap();
    stance::store::Store::append(&mut store, &decision(0, first, "military", "bob")).unwrap();
    let change = BoundaryChange {
        article: "a1".into(),
        kind: Some(BoundaryKind::Split),
        start: 0,
        end: first,
        at,
        text: TEXT[..first].into(),
        annotator: "alice".into(),
    };
    stance::store::Store::append_boundary(&mut store, &change).unwrap();
    let second = decision(at, first, "diplomatic", "alice");
    stance::store::Store::append(&mut store, &second).unwrap();
    drop(store);
    (corpus, labels.to_str().unwrap().to_owned())
}

fn run(home: &Home, args: &[&str]) -> (Value, String) {
    let out = home.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (Value::Array(lines), stderr)
}

#[test]
fn stats_counts_the_corrected_sentences_and_reports_the_overrides() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let (out, _) = run(&home, &["stats", &corpus, "--labels", &labels, "--json"]);
    let stats = &out[0];
    assert_eq!(stats["sentences"], 4, "{stats}");
    assert_eq!(
        (stats["annotated"].clone(), stats["orphaned"].clone()),
        (1.into(), 1.into())
    );
    let overrides = &stats["boundary_overrides"];
    assert_eq!(
        (overrides["count"].clone(), overrides["stale"].clone()),
        (1.into(), 0.into())
    );
    let entry = &overrides["articles"]["a1"][0];
    assert_eq!(entry["kind"], "split");
    assert_eq!(entry["at"], TEXT.find("Monday").unwrap());
    assert_eq!(entry["annotator"], "alice");
    assert_eq!(entry["stale"], Value::Null);
}

#[test]
fn export_writes_the_sentence_the_split_made_and_leaves_the_cut_one_out() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let (out, stderr) = run(
        &home,
        &["export", &corpus, "--labels", &labels, "--format", "jsonl"],
    );
    let records = out.as_array().unwrap();
    assert_eq!(records.len(), 1, "{out}");
    assert_eq!(records[0]["text"], "Monday in Geneva.");
    assert_eq!(records[0]["sentence_index"], 1);
    assert_eq!(records[0]["labels"], serde_json::json!(["diplomatic"]));
    assert!(stderr.contains("1 orphaned annotations"), "{stderr}");
}

#[test]
fn segment_with_labels_prints_the_corrected_sentences_of_each_article() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let (out, _) = run(&home, &["segment", "--json", "--labels", &labels, &corpus]);
    let texts: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["article"], "a1");
            let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert_eq!(&TEXT[start as usize..end as usize], s["text"]);
            s["text"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        texts,
        [
            "Talks resumed on",
            "Monday in Geneva.",
            "Troops moved north.",
            "Officials said nothing."
        ]
    );
}

#[test]
fn import_places_a_label_on_a_sentence_only_the_split_made() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let from = home.write(
        "in.jsonl",
        "{\"text\": \"Talks resumed on\", \"label\": [\"sanctions\"]}\n",
    );
    let out = home.run(&[
        "import",
        &corpus,
        "--labels",
        &labels,
        "--from",
        from.to_str().unwrap(),
        "--format",
        "doccano",
        "--annotator",
        "carol",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let store = LabelStore::open_read_only(std::path::Path::new(&labels)).unwrap();
    let carol: Vec<(usize, usize)> = store
        .annotations()
        .filter(|a| a.annotator() == "carol")
        .map(|a| (a.start(), a.end()))
        .collect();
    assert_eq!(carol, [(0, "Talks resumed on".len())], "{stderr}");
    // The overrides stay in the store across the import's append.
    assert_eq!(store.boundaries().len(), 1);
}

#[test]
fn review_shows_the_corrected_sentences_and_who_split_the_orphaned_one() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let term = Terminal::spawn(&home, &["review", &corpus, "--labels", &labels], 160, 24);
    let screen = term.wait_for("[split by alice] Talks resumed on Monday in Geneva.");
    assert!(screen.contains("Monday in Geneva."), "{screen}");
}

#[test]
fn an_override_whose_text_changed_is_reported_and_never_applied_to_other_text() {
    let home = Home::new();
    let (_, labels) = split_store(&home);
    let changed = TEXT.replace("Monday in Geneva", "Sunday in Berne!");
    let corpus = corpus(&home, &changed);
    let (out, stderr) = run(&home, &["stats", &corpus, "--labels", &labels, "--json"]);
    assert!(
        stderr.contains("1 boundary override(s) no longer fit their article text"),
        "{stderr}"
    );
    let stats = &out[0];
    assert_eq!(stats["sentences"], 3, "{stats}");
    assert_eq!(stats["boundary_overrides"]["stale"], 1);
    assert_eq!(
        stats["boundary_overrides"]["articles"]["a1"][0]["stale"],
        "text_changed"
    );
    let (out, stderr) = run(&home, &["segment", "--json", "--labels", &labels, &corpus]);
    assert!(stderr.contains("no longer fit"), "{stderr}");
    assert_eq!(out.as_array().unwrap().len(), 3, "{out}");
    // The override is kept in the store, not dropped.
    let store = LabelStore::open_read_only(std::path::Path::new(&labels)).unwrap();
    assert_eq!(store.boundaries().len(), 1);
}

#[test]
fn suggest_scores_the_corrected_sentences() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let at = TEXT.find("Monday").unwrap();
    let (all, _) = run(
        &home,
        &["suggest", &corpus, "--labels", &labels, "--all", "--json"],
    );
    let spans: Vec<(u64, u64)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["start"].as_u64().unwrap(), row["end"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans.len(), 4, "{all}");
    assert!(
        spans.contains(&(0, at as u64 - 1)) || spans.contains(&(0, at as u64)),
        "{all}"
    );
    assert!(spans.iter().any(|&(start, _)| start == at as u64), "{all}");
    // The sentence alice labeled after the split is annotated, so it is not suggested.
    let (todo, _) = run(&home, &["suggest", &corpus, "--labels", &labels, "--json"]);
    let todo = todo.as_array().unwrap();
    assert_eq!(todo.len(), 3, "{todo:?}");
    assert!(todo.iter().all(|row| row["start"] != at), "{todo:?}");
}

#[test]
fn agree_compares_annotators_on_the_corrected_sentences() {
    let home = Home::new();
    let (corpus, labels) = split_store(&home);
    let at = TEXT.find("Monday").unwrap();
    let first = TEXT.find(" Troops").unwrap();
    // bob labels the sentence the split made, as alice did: one unit, only with the split.
    let mut store = LabelStore::open_as(std::path::Path::new(&labels), "bob").unwrap();
    stance::store::Store::append(&mut store, &decision(at, first, "diplomatic", "bob")).unwrap();
    drop(store);
    let (out, _) = run(&home, &["agree", &corpus, "--labels", &labels, "--json"]);
    assert_eq!(out[0]["units"], 1, "{out}");
    assert_eq!(out[0]["labels"]["diplomatic"]["percent"], 1.0, "{out}");
}
