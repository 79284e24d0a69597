//! What the status bar says right after a decision, an undo and a redo: a stray `Enter` or
//! `0` shows at once what it saved, and undo says what it took back.

use crate::common;

use common::screen::{draw, find};
use common::*;
use stance::app::{Action, State};

fn said(s: &State) -> String {
    s.message().map(|m| m.text.clone()).unwrap_or_default()
}

/// Applies `action` and returns what the status bar says before and after its write is
/// reported synced.
fn decided(s: &mut State, action: Action) -> (String, String) {
    let effects = stance::app::update(s, action);
    let before = said(s);
    for effect in effects {
        if let stance::app::Effect::Save { seq, .. } = effect {
            stance::app::update(s, Action::Saved(seq));
        }
    }
    (before, said(s))
}

#[test]
fn each_decision_says_what_was_decided_and_saved_once_the_store_has_it() {
    let mut s = session(three_articles());
    let pairs = |what: &str| (what.to_owned(), format!("saved: {what}"));
    assert_eq!(
        decided(&mut s, Action::Confirm),
        pairs("no stance · sentence 1")
    );
    assert_eq!(
        decided(&mut s, Action::ToggleLabel(0)),
        pairs("diplomatic · sentence 2")
    );
    assert_eq!(
        decided(&mut s, Action::ToggleLabel(2)),
        pairs("diplomatic, military · sentence 2")
    );
    assert_eq!(
        decided(&mut s, Action::Clear),
        pairs("cleared · sentence 2")
    );
    assert_eq!(
        decided(&mut s, Action::Ignore),
        pairs("ignored · sentence 2")
    );
    assert_eq!(
        decided(&mut s, Action::NoStance),
        pairs("no stance · sentence 3")
    );
    // A write never reported synced is never said to be saved.
    stance::app::update(&mut s, Action::ToggleLabel(1));
    let pending = said(&s);
    assert!(pending.starts_with("sanctions · sentence "), "{pending}");
    // Moving on drops the message: it is there only for a moment.
    run(&mut s, [Action::NextSentence]);
    assert_eq!(said(&s), "");
}

#[test]
fn undo_and_redo_say_what_they_took_back_and_did_again() {
    let mut s = session(three_articles());
    run(
        &mut s,
        [
            Action::NextSentence,
            Action::NextSentence,
            Action::ToggleLabel(0),
            Action::NextArticle,
        ],
    );
    run(&mut s, [Action::Undo]);
    assert_eq!(said(&s), "undone: diplomatic on sentence 3");
    assert_eq!(s.cursor().article, 0);
    run(&mut s, [Action::Redo]);
    assert_eq!(said(&s), "redone: diplomatic on sentence 3");
    run(&mut s, [Action::Clear, Action::Undo]);
    assert_eq!(said(&s), "undone: clear on sentence 3");
    run(&mut s, [Action::Undo, Action::Undo]);
    assert_eq!(said(&s), "nothing to undo");
}

#[test]
fn undoing_a_finished_article_says_how_many() {
    let mut s = session(three_articles());
    run(&mut s, [Action::FinishArticle, Action::FinishArticle]);
    assert_eq!(said(&s), "saved: no stance · 3 sentences of article 1");
    run(&mut s, [Action::Undo]);
    assert_eq!(said(&s), "undone: no stance on 3 sentences");
}

#[test]
fn the_feedback_shows_in_the_status_bar_at_80x24_and_larger() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut s = open(setup(three_articles()), width, height);
        run(&mut s, [Action::NextSentence, Action::Confirm]);
        let terminal = draw(&s, width, height);
        let (_, y) = find(terminal.backend().buffer(), "saved: no stance · sentence 2");
        assert_eq!(y, height - 1, "on the status bar's second row");
        insta::assert_snapshot!(format!("saved_{width}x{height}"), terminal.backend());
        run(&mut s, [Action::Undo]);
        let terminal = draw(&s, width, height);
        find(
            terminal.backend().buffer(),
            "undone: no stance on sentence 2",
        );
    }
}

#[test]
fn a_hostile_label_name_is_shown_escaped() {
    let schema = stance::schema::Schema::parse(
        "[[labels]]\nname = \"evil\\u001b[2J\"\nkey = \"1\"\ncolour = \"red\"\n",
        std::path::Path::new("schema.toml"),
    )
    .expect("the schema parses");
    let mut s = open(
        stance::app::Setup {
            schema,
            ..setup(three_articles())
        },
        80,
        24,
    );
    run(&mut s, [Action::ToggleLabel(0)]);
    assert!(!said(&s).contains('\u{1b}'), "{:?}", said(&s));
    assert!(said(&s).starts_with("saved: evil"), "{:?}", said(&s));
}
