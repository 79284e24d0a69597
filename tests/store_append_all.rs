//! `append_all`: many decisions in one write and one sync, all kept or none.

use std::fs;

use stance::store::{Decision, LabelStore, MemoryStore, Origin, Store};

fn decision(start: usize, text: &str, labels: &[&str]) -> Decision {
    Decision {
        article: "wire-001".into(),
        start,
        end: start + text.len(),
        text: text.into(),
        labels: Some(labels.iter().map(|l| l.to_string()).collect()),
        origin: Origin::Imported,
        annotator: "ana".into(),
        scores: None,
    }
}

#[test]
fn the_journal_takes_all_decisions_and_replays_them_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "ana").unwrap();
    Store::append(&mut store, &decision(0, "Talks resumed.", &["diplomatic"])).unwrap();
    let batch = [
        decision(15, "Troops moved.", &["military"]),
        decision(29, "Nobody commented.", &[]),
        decision(0, "Talks resumed.", &["diplomatic", "sanctions"]),
    ];
    Store::append_all(&mut store, &batch).unwrap();
    drop(store);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains("\"origin\":\"imported\""))
    );
    let reopened = LabelStore::open_read_only(&path).unwrap();
    let labels: Vec<(usize, Vec<String>)> = reopened
        .annotations()
        .map(|a| (a.start(), a.labels().to_vec()))
        .collect();
    assert_eq!(labels.len(), 3);
    assert_eq!(
        reopened.get("wire-001", 0, 14, "ana").unwrap().labels(),
        ["diplomatic", "sanctions"]
    );
}

#[test]
fn one_invalid_decision_keeps_the_whole_batch_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "ana").unwrap();
    Store::append(&mut store, &decision(0, "Talks resumed.", &["diplomatic"])).unwrap();
    let before = fs::read(&path).unwrap();
    let mut backwards = decision(40, "Troops moved.", &["military"]);
    backwards.end = 2;
    let batch = [decision(15, "Troops moved.", &["military"]), backwards];
    assert!(Store::append_all(&mut store, &batch).is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(store.annotations().count(), 1);
    // An empty batch writes nothing at all.
    Store::append_all(&mut store, &[]).unwrap();
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn the_memory_store_keeps_all_or_none() {
    let mut store = MemoryStore::new("memory");
    let batch = [
        decision(0, "Talks resumed.", &["diplomatic"]),
        decision(15, "Troops moved.", &["military"]),
    ];
    store.fail_next_append("disk full");
    assert!(store.append_all(&batch).is_err());
    assert!(store.events().is_empty());
    assert_eq!(store.annotations().count(), 0);
    store.append_all(&batch).unwrap();
    assert_eq!(store.events().len(), 2);
    assert_eq!(store.annotations().count(), 2);
    let other = store.session();
    assert_eq!(other.annotations().count(), 2);
}
