//! The article view shows the session annotator's own decisions, and the other annotators'
//! on a key (`o`, `show_others`): their labels for the sentence, and a mark on each sentence
//! they decided otherwise.

use crate::common;

use common::screen::draw;
use common::*;
use stance::app::{Action, State, update};

fn screen_text(state: &State) -> String {
    let term = draw(state, 100, 30);
    let buf = term.backend().buffer();
    (0..buf.area.height)
        .map(|y| common::screen::row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Alice's session on the first article; bob labelled its first sentence otherwise.
fn alice_with_bob() -> State {
    let mut setup = reviewed_setup();
    setup.review = None;
    let mut alice = open(setup, 100, 30);
    // The session resumes at her last decision, in the third article.
    run(
        &mut alice,
        [Action::PreviousArticle, Action::PreviousArticle],
    );
    alice
}

#[test]
fn others_labels_show_only_on_the_key_and_differences_are_marked() {
    let mut alice = alice_with_bob();
    let hidden = screen_text(&alice);
    assert!(!hidden.contains("bob"), "{hidden}");
    assert!(!hidden.contains('≠'), "{hidden}");

    update(&mut alice, Action::ShowOthers);
    let shown = screen_text(&alice);
    assert!(shown.contains("bob: military"), "{shown}");
    assert_eq!(
        shown.matches('≠').count(),
        1 + 1,
        "the mark and the message: {shown}"
    );
    assert!(
        shown.contains("diplomatic"),
        "her own decision stays: {shown}"
    );

    // On a sentence nobody else decided, the pane says so, and its mark is her own.
    update(&mut alice, Action::NextSentence);
    let next = screen_text(&alice);
    assert!(next.contains("none decided it"), "{next}");

    // Bob agrees with her on the first sentence: no difference is marked any more.
    let articles = three_articles();
    update(
        &mut alice,
        Action::Arrived(vec![stored(&articles, 0, 0, &["diplomatic"], "bob")]),
    );
    update(&mut alice, Action::PreviousSentence);
    let agreed = screen_text(&alice);
    assert!(agreed.contains("bob: diplomatic"), "{agreed}");
    assert!(!agreed.contains('≠'), "{agreed}");

    update(&mut alice, Action::ShowOthers);
    let hidden_again = screen_text(&alice);
    assert!(!hidden_again.contains("bob"), "{hidden_again}");
}

#[test]
fn the_key_is_o_and_the_help_names_it() {
    let alice = alice_with_bob();
    let key = stance::app::Key::char('o');
    assert_eq!(
        stance::app::action_for(&alice, key),
        Some(Action::ShowOthers)
    );
    assert_eq!(Action::ShowOthers.name(), Some("show_others"));
}
