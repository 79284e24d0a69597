//! The review list without a terminal: filters, edits through the journal path, undo,
//! orphans, opening a sentence in its article and coming back.

use crate::common;

use common::*;
use stance::app::{Action, Cursor, Effect, Key, LabelFilter, Mode, View, action_for};
use stance::store::{Event, Op, fingerprint};

fn texts(state: &stance::app::State) -> Vec<(String, String)> {
    rows(state)
        .into_iter()
        .map(|(text, who, _)| (text, who))
        .collect()
}

fn pair(text: &str, who: &str) -> (String, String) {
    (text.to_owned(), who.to_owned())
}

fn key(c: char) -> Key {
    Key::char(c)
}

/// Presses keys through the keymap, as the terminal would.
fn press(state: &mut stance::app::State, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        if let Some(action) = action_for(state, key(c)) {
            effects.extend(run(state, [action]));
        }
    }
    effects
}

#[test]
fn the_list_holds_every_annotator_in_corpus_order() {
    let s = open(reviewed_setup(), 80, 24);
    assert_eq!(s.view(), View::Review);
    assert_eq!(
        texts(&s),
        [
            pair("Envoys met in Geneva.", "alice"),
            pair("Envoys met in Geneva.", "bob"),
            pair("Tariffs rose again.", "alice"),
            pair("Tariffs rose again.", "bob"),
            pair("Ships left port.", "alice"),
        ]
    );
    assert_eq!(s.review().annotators(), ["alice", "bob"]);
    // The session annotator's counts in the list agree with the article view's.
    assert_eq!(s.review().counts()[0], *s.overall());
    assert_eq!(s.overall().annotated, 3);
    assert_eq!(s.all_annotators().labels, [2, 2, 1]);
    assert_eq!(s.annotator_counts(), [("alice", 3), ("bob", 2)]);
}

#[test]
fn filters_combine_and_count_what_matches() {
    let mut s = open(reviewed_setup(), 80, 24);
    // f then a label key filters by that label.
    press(&mut s, "f1");
    assert_eq!(s.review().filter().label, LabelFilter::Label(0));
    assert_eq!(
        texts(&s),
        [
            pair("Envoys met in Geneva.", "alice"),
            pair("Tariffs rose again.", "bob"),
        ]
    );
    // The annotator filter goes through the annotators in turn, and combines.
    press(&mut s, "A");
    assert_eq!(texts(&s), [pair("Envoys met in Geneva.", "alice")]);
    press(&mut s, "A");
    assert_eq!(texts(&s), [pair("Tariffs rose again.", "bob")]);
    press(&mut s, "A");
    assert_eq!(s.review().filter().annotator, None);
    // The same label again drops the label filter; 0 after f is "no stance".
    press(&mut s, "f1f0");
    assert_eq!(s.review().filter().label, LabelFilter::NoStance);
    assert_eq!(texts(&s), [pair("Ships left port.", "alice")]);
    press(&mut s, "F");
    assert_eq!(s.review().rows().len(), 5);
    // A key that is no label cancels the filter prompt.
    press(&mut s, "fz");
    assert_eq!(s.mode(), &Mode::Normal);
    assert!(s.review().filter().is_empty());
}

#[test]
fn the_text_filter_applies_as_it_is_typed_and_escape_puts_it_back() {
    let mut s = open(reviewed_setup(), 80, 24);
    press(&mut s, "/");
    assert!(matches!(s.mode(), Mode::FilterText { .. }));
    // Typed characters go to the filter, not to the label keys.
    run(&mut s, "tari".chars().map(Action::Type));
    assert_eq!(s.review().rows().len(), 2);
    run(&mut s, [Action::Submit]);
    assert_eq!(s.mode(), &Mode::Normal);
    press(&mut s, "f2");
    assert_eq!(s.review().rows().len(), 2, "both rows of it have sanctions");
    press(&mut s, "/");
    run(&mut s, "FF".chars().map(Action::Type));
    assert!(
        s.review().rows().is_empty(),
        "a capital makes it match case"
    );
    run(&mut s, [Action::Cancel]);
    assert_eq!(s.review().filter().text, "tari");
    assert_eq!(s.review().rows().len(), 2);
    run(&mut s, [Action::Erase]);
    assert_eq!(
        s.review().rows().len(),
        2,
        "Erase outside the prompt does nothing"
    );
}

#[test]
fn a_change_from_the_list_is_journaled_stays_on_screen_and_undoes() {
    let mut s = open(reviewed_setup(), 80, 24);
    press(&mut s, "f1");
    assert_eq!(s.review().selected(), 0);
    // Remove diplomatic from alice's row, add military.
    let effects = press(&mut s, "13");
    let events = saves(&effects);
    assert_eq!(events.len(), 2);
    let last = &events[1];
    assert_eq!(
        (last.op, last.article.as_str(), &last.labels),
        (Op::Set, "a", &labels(&["military"]))
    );
    assert_eq!(last.annotator, "alice");
    assert_eq!(last.fp, fingerprint("Envoys met in Geneva."));
    assert_eq!(last.text, "Envoys met in Geneva.");
    // The row no longer matches, but it stays until the filter changes.
    assert_eq!(rows(&s)[0].2, Some(labels(&["military"])));
    assert_eq!(s.review().rows().len(), 2);
    assert_eq!(s.review().edited_out(), 1);
    assert_eq!(s.annotation_at(0, 0), Some(&labels(&["military"])));
    assert_eq!(s.review().counts()[0], *s.overall());
    // Undo puts back the labels, journaled like any decision, and stays in the list.
    let effects = press(&mut s, "u");
    assert_eq!(decisions(&effects), [(Op::Set, "a".into(), vec![])]);
    assert_eq!(s.view(), View::Review);
    assert_eq!(s.review().selected(), 0);
    assert_eq!(s.review().edited_out(), 1);
    let effects = press(&mut s, "u");
    assert_eq!(
        decisions(&effects),
        [(Op::Set, "a".into(), labels(&["diplomatic"]))]
    );
    assert_eq!(s.review().edited_out(), 0);
    let effects = press(&mut s, "u");
    assert_eq!(decisions(&effects), []);
    assert!(
        s.message()
            .is_some_and(|m| m.text.contains("nothing to undo"))
    );
    // Changing the filter drops rows that no longer match.
    press(&mut s, "f1");
    assert_eq!(s.review().rows().len(), 5);
}

#[test]
fn a_change_on_someone_elses_row_is_the_session_annotators_own() {
    let mut s = open(reviewed_setup(), 80, 24);
    press(&mut s, "A");
    press(&mut s, "A");
    assert_eq!(texts(&s)[0], pair("Envoys met in Geneva.", "bob"));
    // Starting from bob's labels (military), toggle sanctions: saved as alice's.
    let effects = press(&mut s, "2");
    let event = &saves(&effects)[0];
    assert_eq!(event.annotator, "alice");
    assert_eq!(event.labels, labels(&["sanctions", "military"]));
    // Alice's row is shown (though the filter is bob) and selected; bob's is unchanged.
    assert_eq!(
        rows(&s)[0],
        (
            "Envoys met in Geneva.".into(),
            "alice".into(),
            Some(labels(&["sanctions", "military"]))
        )
    );
    assert_eq!(rows(&s)[1].2, Some(labels(&["military"])));
    assert_eq!(s.review().selected(), 0);
    // Bob's annotation cannot be withdrawn from alice's session.
    press(&mut s, "j");
    let effects = press(&mut s, "x");
    assert!(effects.is_empty());
    assert!(s.message().is_some_and(|m| m.text.contains("bob")));
}

#[test]
fn no_stance_and_exclusive_labels_move_past_the_sentence() {
    let mut setup = reviewed_setup();
    setup.schema.exclusive = true;
    let mut s = open(setup, 80, 24);
    press(&mut s, "j");
    assert_eq!(texts(&s)[1].1, "bob");
    // On bob's row: alice's row for the sentence is changed, then the next sentence's row.
    let effects = press(&mut s, "3");
    assert_eq!(
        decisions(&effects),
        [(Op::Set, "a".into(), labels(&["military"]))]
    );
    assert_eq!(
        texts(&s)[s.review().selected()],
        pair("Tariffs rose again.", "alice")
    );
    let effects = press(&mut s, "0");
    assert_eq!(decisions(&effects), [(Op::Set, "b".into(), vec![])]);
    assert_eq!(
        texts(&s)[s.review().selected()],
        pair("Ships left port.", "alice")
    );
}

fn orphan_setup() -> stance::app::Setup {
    let mut setup = reviewed_setup();
    let mut changed = stored(&three_articles(), 0, 1, &["sanctions"], "alice");
    changed.fp = fingerprint("Sanctions were lifted.");
    changed.text = "Sanctions were lifted.".into();
    let gone = Event {
        article: "z-deleted".into(),
        ..stored(&three_articles(), 0, 2, &["military"], "bob")
    };
    setup.events.extend([changed, gone]);
    setup
}

#[test]
fn orphans_are_listed_with_their_stored_text_and_can_be_deleted_or_kept() {
    let mut s = open(orphan_setup(), 80, 24);
    press(&mut s, "O");
    assert_eq!(
        texts(&s),
        [
            pair("Sanctions were lifted.", "alice"),
            pair("Troops stayed home.", "bob"),
        ]
    );
    assert_eq!(s.review().orphans(), 2);
    assert_eq!(s.orphaned(), 1, "alice's own");
    // Labels of an orphan cannot change: it is not a sentence of the text.
    assert!(press(&mut s, "1").is_empty());
    assert!(s.message().is_some_and(|m| m.text.contains("orphaned")));
    // x deletes it with a clear event that names the stored sentence.
    let effects = press(&mut s, "x");
    let event = &saves(&effects)[0];
    assert_eq!(event.op, Op::Clear);
    assert_eq!(
        (event.article.as_str(), event.annotator.as_str()),
        ("a", "alice")
    );
    assert_eq!(event.text, "Sanctions were lifted.");
    assert_eq!(event.fp, fingerprint("Sanctions were lifted."));
    assert_eq!(s.review().orphans(), 1);
    assert_eq!(s.orphaned(), 0);
    assert_eq!(
        rows(&s)[0].2,
        None,
        "withdrawn, still listed until the filter changes"
    );
    // Undo restores it exactly as it was stored.
    let effects = press(&mut s, "u");
    let event = &saves(&effects)[0];
    assert_eq!(
        (event.op, &event.labels, event.text.as_str()),
        (Op::Set, &labels(&["sanctions"]), "Sanctions were lifted.")
    );
    assert_eq!(s.orphaned(), 1);
    // Bob's orphan is kept: only bob may delete it.
    press(&mut s, "j");
    assert!(press(&mut s, "x").is_empty());
    // Enter on an orphan of an article that is gone says so.
    let enter = action_for(&s, Key::plain(stance::app::KeyCode::Enter)).unwrap();
    run(&mut s, [enter]);
    assert!(
        s.message()
            .is_some_and(|m| m.error && m.text.contains("z-deleted"))
    );
    assert_eq!(s.view(), View::Review);
}

#[test]
fn enter_opens_the_sentence_in_its_article_and_tab_comes_back_to_the_row() {
    let mut s = open(reviewed_setup(), 80, 24);
    press(&mut s, "f2");
    run(&mut s, [Action::NextSentence]);
    assert_eq!(texts(&s)[1], pair("Tariffs rose again.", "bob"));
    let effects = run(&mut s, [Action::Confirm]);
    assert!(
        saves(&effects).is_empty(),
        "Enter on a row opens it, decides nothing"
    );
    assert_eq!(s.view(), View::Article);
    assert_eq!(
        s.cursor(),
        Cursor {
            article: 1,
            sentence: 1
        }
    );
    // A change in context is alice's, journaled and shown in the list.
    let effects = run(&mut s, [Action::ToggleLabel(2)]);
    assert_eq!(
        decisions(&effects),
        [(Op::Set, "b".into(), labels(&["sanctions", "military"]))]
    );
    run(&mut s, [Action::Review]);
    assert_eq!(s.view(), View::Review);
    assert_eq!(s.review().selected(), 1, "the same row");
    assert_eq!(rows(&s)[0].2, Some(labels(&["sanctions", "military"])));
    // A sentence decided in the article view that passes the filter joins the list.
    run(
        &mut s,
        [
            Action::Review,
            Action::FirstSentence,
            Action::ToggleLabel(1),
        ],
    );
    run(&mut s, [Action::Review]);
    assert_eq!(texts(&s)[0], pair("Talks stalled on Monday.", "alice"));
    assert_eq!(s.review().selected(), 2, "still on the same row");
}

#[test]
fn search_again_from_the_list_goes_from_match_to_match_across_articles() {
    let mut s = open(reviewed_setup(), 80, 24);
    press(&mut s, "/");
    run(&mut s, "e".chars().map(Action::Type));
    run(&mut s, [Action::Submit]);
    // From the first row's sentence (a, 0) the next sentence with an "e".
    run(&mut s, [Action::SearchNext]);
    assert_eq!(s.view(), View::Article);
    assert_eq!(
        s.cursor(),
        Cursor {
            article: 0,
            sentence: 1
        }
    );
    run(&mut s, [Action::SearchNext, Action::SearchNext]);
    assert_eq!(
        s.cursor(),
        Cursor {
            article: 1,
            sentence: 0
        },
        "into the next article"
    );
    run(
        &mut s,
        [Action::Review, Action::LastSentence, Action::SearchNext],
    );
    assert_eq!(
        s.cursor(),
        Cursor {
            article: 0,
            sentence: 0
        },
        "wraps round"
    );
}

#[test]
fn read_only_sessions_refuse_changes_everywhere() {
    let mut setup = reviewed_setup();
    setup.read_only = Some("another session is writing".into());
    let mut s = open(setup, 80, 24);
    assert!(press(&mut s, "2").is_empty());
    assert!(
        s.message()
            .is_some_and(|m| m.error && m.text.contains("another session"))
    );
    run(&mut s, [Action::Review]);
    let cursor = s.cursor();
    assert!(run(&mut s, [Action::ToggleLabel(0), Action::NoStance]).is_empty());
    assert_eq!(s.cursor(), cursor, "nothing moves on a refused decision");
    assert_eq!(s.overall().annotated, 3);
}

#[test]
fn background_segmentation_finds_orphans_and_the_total() {
    let mut articles = three_articles();
    articles.push(article("d", "One sentence here. Another one there."));
    let mut setup = reviewed_setup();
    // A label on a span that is text of the article but not one of its sentences.
    let text = articles[3].text.clone();
    setup.events.push(Event {
        article: "d".into(),
        start: 0,
        end: text.len(),
        fp: fingerprint(&text),
        text: text.clone(),
        ..stored(&articles, 3, 0, &["sanctions"], "bob")
    });
    setup.articles = std::sync::Arc::new(articles.clone());
    // Resumed on an undecided sentence of the first article: only it is segmented at open.
    let span = articles[0].sentences()[1];
    setup.resume = Some(stance::app::Position {
        article: "a".into(),
        start: span.start,
        end: span.end,
        ts: u64::MAX,
    });
    let mut s = open(setup, 80, 24);
    assert_eq!(
        s.review().orphans(),
        0,
        "not known before the article is segmented"
    );
    assert_eq!(s.total_sentences(), None);
    let spans = articles.iter().map(|a| a.sentences()).collect();
    run(&mut s, [Action::Segmented { first: 0, spans }]);
    assert_eq!(s.review().orphans(), 1);
    assert_eq!(s.total_sentences(), Some(11));
    assert_eq!(s.article_progress(2), (1, Some(3)));
    assert_eq!(s.all_annotators().annotated, 5);
}

#[test]
fn the_pace_comes_from_ticks() {
    let mut s = open(reviewed_setup(), 80, 24);
    run(&mut s, [Action::Tick(1_000_000)]);
    run(
        &mut s,
        [
            Action::Review,
            Action::PreviousArticle,
            Action::PreviousArticle,
        ],
    );
    assert_eq!(
        s.cursor(),
        Cursor {
            article: 0,
            sentence: 0
        }
    );
    run(
        &mut s,
        [Action::NoStance, Action::NoStance, Action::PreviousSentence],
    );
    run(&mut s, [Action::ToggleLabel(0), Action::Tick(1_030_000)]);
    let pace = s.pace();
    assert_eq!(
        (pace.sentences, pace.elapsed_ms, pace.per_hour),
        (2, 30_000, None)
    );
    run(&mut s, [Action::Tick(1_000_000 + 30 * 60_000)]);
    assert_eq!(s.pace().per_hour, Some(4.0));
    // The stats key opens the panel; any key closes it.
    run(&mut s, [Action::Stats]);
    assert_eq!(s.mode(), &Mode::Stats);
    let close = action_for(&s, key('j')).unwrap();
    run(&mut s, [close]);
    assert_eq!(s.mode(), &Mode::Normal);
}

#[test]
fn the_article_list_takes_letters_as_its_query() {
    let mut s = open(reviewed_setup(), 80, 24);
    press(&mut s, "a");
    assert_eq!(s.mode(), &Mode::Articles);
    // j, q and the label keys are typed, not obeyed.
    press(&mut s, "jq1");
    assert_eq!(s.picker().query(), "jq1");
    assert!(s.picker().matches().is_empty());
    let erase = action_for(&s, Key::plain(stance::app::KeyCode::Backspace)).unwrap();
    run(&mut s, [erase.clone(), erase.clone(), erase]);
    assert_eq!(s.picker().matches().len(), 3);
    let down = action_for(&s, Key::plain(stance::app::KeyCode::Down)).unwrap();
    run(&mut s, [down]);
    let selected = s.picker().matches()[s.picker().selected()];
    let esc = action_for(&s, Key::plain(stance::app::KeyCode::Esc)).unwrap();
    run(&mut s, [esc]);
    assert_eq!((s.mode(), s.view()), (&Mode::Normal, View::Review));
    assert_eq!(
        selected, 2,
        "back on the current article (c), the last: down stays"
    );
}
