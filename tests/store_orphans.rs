//! Orphaned annotations: the sentence under a stored label no longer matches the corpus.

use stance::corpus::{Article, Corpus};
use stance::store::{Event, LabelStore, orphans};

const TEXT: &str =
    "Talks resumed in Geneva. Sanctions stay in place. Troops moved — 한국 observers said.";

fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.to_owned(),
        title: String::new(),
        text: text.to_owned(),
        meta: Vec::new(),
        source: format!("{id}.txt"),
    }
}

/// A label on `start..end` with `text` as its stored sentence, which need not fit the span.
fn label(article: &str, start: usize, end: usize, text: &str) -> Event {
    Event {
        end,
        ..Event::set(article, start, text, ["diplomatic"], "alice", 1)
    }
}

/// A label on `TEXT[start..end]` of article `a1`.
fn on_text(start: usize, end: usize) -> Event {
    label("a1", start, end, &TEXT[start..end])
}

#[test]
fn labels_off_the_current_sentences_are_orphans_and_stay_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let first = TEXT.find(" Sanctions").unwrap();
    let second = TEXT.find(" Troops").unwrap();
    let korean = TEXT.find("한").unwrap();

    let good = [
        on_text(0, first),
        on_text(first + 1, second),
        on_text(second + 1, TEXT.len()),
    ];
    let changed_text = label("a1", 0, first, "Talks resumed in Vienna.");
    // Its text is no sentence of the corpus: one that is would be re-attached there.
    let missing_article = label("deleted-article", 0, first, "Talks resumed in Bern.");
    let not_a_sentence = on_text(0, second);
    let inside_a_sentence = on_text(0, 5);
    let past_the_end = label("a1", TEXT.len() - 4, TEXT.len() + 10, "said.");
    let mid_character = label("a1", korean + 1, TEXT.len(), "");

    let mut store = LabelStore::open(&path).unwrap();
    let mut expected = Vec::new();
    for (i, event) in good.iter().enumerate() {
        store.append(event.clone()).unwrap();
        let orphan = [
            &missing_article,
            &not_a_sentence,
            &inside_a_sentence,
            &past_the_end,
            &mid_character,
        ][i];
        store.append(orphan.clone()).unwrap();
        expected.push(orphan.clone());
    }
    for orphan in [&past_the_end, &mid_character] {
        store.append(orphan.clone()).unwrap();
        expected.push(orphan.clone());
    }
    let bob = Event {
        annotator: "bob".into(),
        ..changed_text
    };
    store.append(bob.clone()).unwrap();
    expected.push(bob);

    #[allow(
        clippy::needless_update,
        reason = "the corpus also has name, key and warnings"
    )]
    let corpus = Corpus {
        articles: vec![article("a1", TEXT), article("a2", "Unrelated.")],
        ..Default::default()
    };
    let found: Vec<Event> = orphans(&store, &corpus)
        .iter()
        .map(|o| o.to_event())
        .collect();
    assert_eq!(found, expected);

    store.compact().unwrap();
    drop(store);
    let reopened = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(
        reopened.annotations().count(),
        good.len() + expected.len(),
        "orphans are kept"
    );
    assert_eq!(orphans(&reopened, &corpus).len(), expected.len());

    let empty = Corpus::default();
    assert_eq!(
        orphans(&reopened, &empty).len(),
        reopened.annotations().count()
    );
}
