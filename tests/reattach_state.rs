//! Annotations whose article id is gone, re-attached during the session: the session opens
//! with them orphaned, the search's findings arrive as an action, and what the analyst
//! decided meanwhile wins. The search here is the worker's own function, on real articles.

use crate::common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use stance::app::reattach::Found;
use stance::app::{Action, State, update};
use stance::store::{Event, Overrides};
use stance::terminal::reattach::{ReattachInput, search};

/// The three articles, with alice's labels stored under the old ids `old-a` and `old-b`
/// (a renamed file), and bob's on `c` under its own id.
fn renamed() -> (Vec<stance::corpus::Article>, Vec<Event>) {
    let articles = three_articles();
    let mut events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "alice"),
        stored(&articles, 1, 1, &["sanctions"], "alice"),
        stored(&articles, 2, 2, &["military"], "bob"),
    ];
    events[0].article = "old-a".into();
    events[1].article = "old-b".into();
    (articles, events)
}

fn open_with(articles: Vec<stance::corpus::Article>, events: Vec<Event>) -> (State, Found) {
    let articles = Arc::new(articles);
    let input = ReattachInput::of(
        &articles,
        &Overrides::default(),
        &HashSet::new(),
        events.iter().map(stance::store::Annotation::from),
        None,
    )
    .expect("two annotations are gone");
    let found = search(&input);
    let mut setup = stance::app::Setup::new(articles, "alice", "/tmp/labels.jsonl");
    setup.events = events;
    let mut state = State::new(setup);
    update(
        &mut state,
        Action::Resize {
            width: 100,
            height: 30,
        },
    );
    (state, found)
}

#[test]
fn the_session_opens_with_them_orphaned_and_shows_them_once_found() {
    let (articles, events) = renamed();
    let (mut state, found) = open_with(articles, events);
    assert_eq!(found.moves.len(), 2, "{found:?}");
    assert_eq!(state.annotations().orphans(), 2);
    assert_eq!(
        state.annotation(0),
        None,
        "not attached before the search reports"
    );
    assert!(update(&mut state, Action::Reattaching(2)).is_empty());
    assert_eq!(state.reattaching(), Some(2));
    let effects = update(&mut state, Action::Reattached(found));
    assert!(effects.is_empty(), "nothing is written: {effects:?}");
    assert_eq!(state.reattaching(), None);
    assert_eq!(state.annotations().orphans(), 0);
    assert_eq!(state.annotation(0), Some(&labels(&["diplomatic"])));
    assert_eq!(state.overall().annotated, 2);
    let said = &state.message().expect("the status bar says it").text;
    assert!(said.starts_with("2 annotations re-attached"), "{said}");
    // The second one is on article b, sentence 1.
    run(&mut state, [Action::NextArticle, Action::NextSentence]);
    assert_eq!(state.annotation(1), Some(&labels(&["sanctions"])));
}

#[test]
fn a_sentence_decided_before_its_orphan_is_found_keeps_the_decision() {
    let (articles, events) = renamed();
    let (mut state, found) = open_with(articles, events);
    update(&mut state, Action::Reattaching(2));
    // The analyst decides sentence 0 of `a` (military) while the search runs.
    let effects = run(&mut state, [Action::ToggleLabel(2)]);
    let written = saves(&effects);
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].article, "a");
    update(&mut state, Action::Reattached(found));
    assert_eq!(state.annotation(0), Some(&labels(&["military"])));
    // The orphan it would have replaced leaves the view; the other one is shown.
    assert_eq!(state.annotations().orphans(), 0);
    assert_eq!(state.overall().annotated, 2);
    let said = &state.message().expect("the status bar says it").text;
    assert!(said.contains("1 more not shown"), "{said}");
    // Undo takes the analyst's decision back to what was there before it: nothing.
    let effects = run(&mut state, [Action::Undo]);
    assert_eq!(saves(&effects).len(), 1);
    assert_eq!(state.annotation(0), None);
}

#[test]
fn a_gone_annotation_withdrawn_meanwhile_is_not_brought_back() {
    let (articles, events) = renamed();
    let (mut state, found) = open_with(articles, events);
    // The analyst deletes alice's orphan of `old-a` in the review list before the search ends.
    run(&mut state, [Action::Review, Action::FilterOrphaned]);
    let effects = run(&mut state, [Action::Clear]);
    let written = saves(&effects);
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0].article, "old-a");
    update(&mut state, Action::Reattached(found));
    run(&mut state, [Action::Review]);
    assert_eq!(
        state.annotation(0),
        None,
        "the withdrawn one stays withdrawn"
    );
    assert_eq!(state.overall().annotated, 1);
}

#[test]
fn a_text_in_two_sentences_stays_an_orphan() {
    let mut articles = three_articles();
    articles.push(article("d", "Envoys met in Geneva. Nothing else happened."));
    let mut events = vec![stored(&articles, 0, 0, &["diplomatic"], "alice")];
    events[0].article = "old-a".into();
    let (mut state, found) = open_with(articles, events);
    assert!(found.moves.is_empty(), "{found:?}");
    update(&mut state, Action::Reattached(found));
    assert_eq!(state.annotations().orphans(), 1);
    assert_eq!(state.annotation(0), None);
}

#[test]
fn nothing_gone_means_no_search() {
    let articles = Arc::new(three_articles());
    let events = [stored(&articles, 0, 0, &["diplomatic"], "alice")];
    let input = ReattachInput::of(
        &articles,
        &Overrides::default(),
        &HashSet::new(),
        events.iter().map(stance::store::Annotation::from),
        None,
    );
    assert!(input.is_none());
}
