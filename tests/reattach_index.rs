//! The fingerprint index beside a store: a session's search for the sentences of gone
//! annotations keeps its answer there, the next search on the same corpus takes it, and an
//! index that does not fit the corpus (changed text, a place that is not a sentence, a
//! fingerprint it does not answer for, an unreadable file) is searched past and replaced.

use crate::common;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use common::*;
use stance::corpus::Article;
use stance::store::{Annotation, Event, Overrides};
use stance::terminal::reattach::{ReattachInput, index, search};

/// Alice's labels of the first sentence of `a` and of `b`, stored under old ids.
fn gone(articles: &[Article]) -> Vec<Event> {
    let mut events = vec![
        stored(articles, 0, 0, &["diplomatic"], "alice"),
        stored(articles, 1, 1, &["sanctions"], "alice"),
    ];
    events[0].article = "old-a".into();
    events[1].article = "old-b".into();
    events
}

fn input(articles: Vec<Article>, events: &[Event], path: &Path) -> ReattachInput {
    ReattachInput::of(
        &Arc::new(articles),
        &Overrides::default(),
        &HashSet::new(),
        events.iter().map(Annotation::from),
        Some(path.to_owned()),
    )
    .expect("annotations are gone")
}

fn index_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the index")).expect("JSON")
}

/// Rewrites the index's entry for `fp` with `edit`.
fn edit_entry(path: &Path, fp: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut json = index_json(path);
    let found = json["found"].as_array_mut().expect("a list");
    let entry = found.iter_mut().find(|f| f["fp"] == fp).expect("the entry");
    edit(entry);
    std::fs::write(path, serde_json::to_string(&json).unwrap()).unwrap();
}

#[test]
fn the_first_search_writes_the_index_and_the_next_takes_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = index::path_for(&dir.path().join("labels.jsonl")).expect("a file store");
    assert_eq!(path, dir.path().join("labels.reattach.json"));
    let articles = three_articles();
    let events = gone(&articles);
    let first = search(&input(articles.clone(), &events, &path));
    assert_eq!(first.moves.len(), 2, "{first:?}");
    let json = index_json(&path);
    assert_eq!(json["found"].as_array().unwrap().len(), 2, "{json}");
    // An answer only the index can give (it is trusted on its digest for how many sentences
    // have a text): the second search says the first text is in two, so it does not move it.
    edit_entry(&path, &events[0].fp, |e| e["sentences"] = 2.into());
    let second = search(&input(articles, &events, &path));
    assert_eq!(second.moves.len(), 1, "the index answered: {second:?}");
    assert_eq!(second.moves[0].article, "old-b");
}

#[test]
fn a_corpus_changed_under_the_index_is_searched_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.reattach.json");
    let mut articles = three_articles();
    let events = gone(&articles);
    search(&input(articles.clone(), &events, &path));
    edit_entry(&path, &events[0].fp, |e| e["sentences"] = 2.into());
    // Article `c` now also says, in its middle, what `a` said first.
    articles[2].text = "The summit ended. Envoys met in Geneva. Ships left port.".into();
    let found = search(&input(articles.clone(), &events, &path));
    assert_eq!(found.moves.len(), 1, "{found:?}");
    assert_eq!(
        found.moves[0].article, "old-b",
        "the text is in two sentences now"
    );
    let json = index_json(&path);
    assert_eq!(
        json["corpus"],
        format!("{:016x}", index::digest(&articles, &Overrides::default())),
        "replaced for the corpus as it is"
    );
}

/// A change made to one entry of the index.
type Edit = dyn Fn(&mut serde_json::Value);

#[test]
fn an_index_whose_places_do_not_check_out_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.reattach.json");
    let articles = three_articles();
    let events = gone(&articles);
    search(&input(articles.clone(), &events, &path));
    let good = std::fs::read_to_string(&path).unwrap();
    let tampered: [(&str, Box<Edit>); 4] = [
        // Not a sentence: half of one.
        (
            "a span that is no sentence",
            Box::new(|e| e["place"][2] = 10.into()),
        ),
        // A sentence, but of another text.
        (
            "another sentence",
            Box::new(|e| e["place"] = serde_json::json!(["c", 0, 17])),
        ),
        (
            "an article that is not there",
            Box::new(|e| e["place"][0] = "zz".into()),
        ),
        (
            "a fingerprint found nowhere",
            Box::new(|e| e["place"] = serde_json::Value::Null),
        ),
    ];
    for (what, edit) in tampered {
        std::fs::write(&path, &good).unwrap();
        edit_entry(&path, &events[0].fp, edit);
        let found = search(&input(articles.clone(), &events, &path));
        assert_eq!(found.moves.len(), 2, "{what}: {found:?}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            good,
            "{what}: replaced"
        );
    }
    // Not JSON at all, and an index that does not answer for a fingerprint searched for.
    std::fs::write(&path, "{not json").unwrap();
    assert_eq!(
        search(&input(articles.clone(), &events, &path)).moves.len(),
        2
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), good);
    let mut json = index_json(&path);
    json["found"].as_array_mut().unwrap().remove(0);
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
    assert_eq!(search(&input(articles, &events, &path)).moves.len(), 2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), good);
}

#[test]
fn an_index_that_cannot_be_written_changes_nothing_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("no-such-folder")
        .join("labels.reattach.json");
    let articles = three_articles();
    let events = gone(&articles);
    assert_eq!(search(&input(articles, &events, &path)).moves.len(), 2);
    assert!(!path.exists());
}
