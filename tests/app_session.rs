//! The session state machine without a terminal: actions in, effects out.

use crate::common;

use common::*;
use stance::app::{Action, Cursor, Effect, Mode, Position, SaveState, State, update};
use stance::schema::Schema;
use stance::store::{Event, Op, fingerprint};

fn at(state: &State) -> (usize, usize) {
    let Cursor { article, sentence } = state.cursor();
    (article, sentence)
}

fn types(state: &mut State, text: &str) -> Vec<Effect> {
    run(state, text.chars().map(Action::Type))
}

#[test]
fn toggles_journal_the_new_set_at_once_and_stay_on_the_sentence() {
    let mut s = session(three_articles());
    let effects = run(&mut s, [Action::ToggleLabel(0), Action::ToggleLabel(1)]);
    assert_eq!(
        decisions(&effects),
        [
            (Op::Set, "a".into(), labels(&["diplomatic"])),
            (Op::Set, "a".into(), labels(&["diplomatic", "sanctions"])),
        ]
    );
    let event = &saves(&effects)[1];
    assert_eq!(event.text, "Envoys met in Geneva.");
    assert_eq!(event.fp, fingerprint("Envoys met in Geneva."));
    assert_eq!((event.start, event.end), (0, 21));
    assert_eq!(event.annotator, "alice");
    let effects = run(&mut s, [Action::ToggleLabel(0)]);
    assert_eq!(decisions(&effects)[0].2, labels(&["sanctions"]));
    assert_eq!(at(&s), (0, 0));
    assert_eq!(s.overall().labels, [0, 1, 0]);
    assert_eq!(s.in_article().annotated, 1);
    assert_eq!(s.save_state(), SaveState::Saved);
}

#[test]
fn labels_are_journaled_in_schema_order() {
    let mut s = session(three_articles());
    let effects = run(&mut s, [Action::ToggleLabel(2), Action::ToggleLabel(0)]);
    assert_eq!(
        decisions(&effects)[1].2,
        labels(&["diplomatic", "military"])
    );
}

#[test]
fn exclusive_schema_sets_one_label_and_moves_on() {
    let mut setup = setup(three_articles());
    setup.schema = Schema {
        exclusive: true,
        ..Schema::default()
    };
    let mut s = open(setup, 80, 24);
    let effects = run(
        &mut s,
        [
            Action::ToggleLabel(0),
            Action::ToggleLabel(1),
            Action::ToggleLabel(2),
            Action::ToggleLabel(1),
        ],
    );
    assert_eq!(
        decisions(&effects),
        [
            (Op::Set, "a".into(), labels(&["diplomatic"])),
            (Op::Set, "a".into(), labels(&["sanctions"])),
            (Op::Set, "a".into(), labels(&["military"])),
            (Op::Set, "b".into(), labels(&["sanctions"])),
        ]
    );
    assert_eq!(at(&s), (1, 1), "crossed into the next article");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SavePosition(p) if p.article == "b"))
    );
}

#[test]
fn zero_is_no_stance_and_differs_from_not_annotated() {
    let mut s = session(three_articles());
    let effects = run(&mut s, [Action::NoStance]);
    assert_eq!(decisions(&effects), [(Op::Set, "a".into(), vec![])]);
    assert_eq!(at(&s), (0, 1));
    assert_eq!(s.annotation(0), Some(&vec![]));
    assert_eq!(s.annotation(1), None);
    assert_eq!(s.overall().no_stance, 1);
    assert_eq!(s.overall().annotated, 1);
}

#[test]
fn clear_journals_a_clear_event_and_only_when_annotated() {
    let mut s = session(three_articles());
    assert!(run(&mut s, [Action::Clear]).is_empty());
    assert!(
        s.message()
            .is_some_and(|m| m.text.contains("not annotated"))
    );
    let effects = run(&mut s, [Action::ToggleLabel(1), Action::Clear]);
    assert_eq!(decisions(&effects)[1], (Op::Clear, "a".into(), vec![]));
    assert_eq!(s.annotation(0), None);
    assert_eq!(s.overall().annotated, 0);
    assert_eq!(s.overall().labels, [0, 0, 0]);
}

#[test]
fn enter_confirms_the_shown_set_and_moves_on() {
    let mut s = session(three_articles());
    let effects = run(&mut s, [Action::Confirm]);
    assert_eq!(decisions(&effects), [(Op::Set, "a".into(), vec![])]);
    assert_eq!(at(&s), (0, 1));
    let effects = run(&mut s, [Action::ToggleLabel(2), Action::Confirm]);
    assert_eq!(
        decisions(&effects),
        [(Op::Set, "a".into(), labels(&["military"]))],
        "the toggle was already journaled; Enter adds nothing"
    );
    assert_eq!(at(&s), (0, 2));
}

#[test]
fn movement_crosses_articles_and_stops_at_the_ends() {
    let mut s = session(three_articles());
    run(&mut s, [Action::PreviousSentence]);
    assert!(s.message().is_some_and(|m| m.text.contains("start")));
    run(&mut s, [Action::LastSentence, Action::NextSentence]);
    assert_eq!(at(&s), (1, 0));
    run(&mut s, [Action::PreviousSentence]);
    assert_eq!(at(&s), (0, 2));
    run(
        &mut s,
        [
            Action::NextArticle,
            Action::NextArticle,
            Action::NextArticle,
        ],
    );
    assert_eq!(at(&s), (2, 0));
    assert!(s.message().is_some_and(|m| m.text.contains("last article")));
    run(&mut s, [Action::LastSentence, Action::NextSentence]);
    assert!(
        s.message()
            .is_some_and(|m| m.text.contains("end of the corpus"))
    );
    run(&mut s, [Action::PreviousArticle, Action::FirstSentence]);
    assert_eq!(at(&s), (1, 0));
}

#[test]
fn space_finds_the_next_unannotated_sentence_across_articles() {
    let mut s = session(three_articles());
    run(
        &mut s,
        [Action::NextSentence, Action::NoStance, Action::NoStance],
    );
    assert_eq!(at(&s), (1, 0));
    run(&mut s, [Action::NoStance, Action::PreviousArticle]);
    let effects = run(&mut s, [Action::NextUnannotated]);
    assert_eq!(at(&s), (1, 1), "skips a:1, a:2 and b:0");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SavePosition(p) if p.article == "b"))
    );
    run(&mut s, [Action::NextUnannotated]);
    assert_eq!(at(&s), (1, 2));
    run(
        &mut s,
        [
            Action::LastSentence,
            Action::NextArticle,
            Action::LastSentence,
        ],
    );
    run(&mut s, [Action::NextUnannotated]);
    assert_eq!(at(&s), (0, 0), "wraps round to the start");
}

#[test]
fn space_says_so_when_everything_is_annotated() {
    let mut s = session(vec![article("only", "One. Two.")]);
    run(
        &mut s,
        [Action::NoStance, Action::NoStance, Action::NextUnannotated],
    );
    assert!(
        s.message()
            .is_some_and(|m| m.text.contains("every sentence"))
    );
}

#[test]
fn undo_and_redo_journal_the_old_state_across_articles() {
    let mut s = session(three_articles());
    run(
        &mut s,
        [
            Action::ToggleLabel(0),
            Action::NextArticle,
            Action::ToggleLabel(2),
        ],
    );
    run(&mut s, [Action::NextArticle]);
    assert_eq!(at(&s), (2, 0));
    let effects = run(&mut s, [Action::Undo]);
    assert_eq!(decisions(&effects), [(Op::Clear, "b".into(), vec![])]);
    assert_eq!(at(&s), (1, 0), "the cursor goes to the undone sentence");
    let effects = run(&mut s, [Action::Undo]);
    assert_eq!(decisions(&effects), [(Op::Clear, "a".into(), vec![])]);
    assert_eq!(at(&s), (0, 0));
    assert_eq!(s.overall().annotated, 0);
    run(&mut s, [Action::Undo]);
    assert!(
        s.message()
            .is_some_and(|m| m.text.contains("nothing to undo"))
    );
    let effects = run(&mut s, [Action::Redo, Action::Redo]);
    assert_eq!(
        decisions(&effects),
        [
            (Op::Set, "a".into(), labels(&["diplomatic"])),
            (Op::Set, "b".into(), labels(&["military"])),
        ]
    );
    assert_eq!(at(&s), (1, 0));
    // Undo of a change to an existing decision puts the old labels back.
    let effects = run(&mut s, [Action::ToggleLabel(1), Action::Undo]);
    assert_eq!(
        decisions(&effects)[1],
        (Op::Set, "b".into(), labels(&["military"]))
    );
    // A new decision drops the redo history.
    run(&mut s, [Action::NoStance, Action::Redo]);
    assert!(
        s.message()
            .is_some_and(|m| m.text.contains("nothing to redo"))
    );
}

#[test]
fn search_jumps_to_the_next_sentence_containing_the_text() {
    let mut s = session(three_articles());
    run(&mut s, [Action::Search]);
    assert_eq!(s.mode(), &Mode::Search(String::new()));
    types(&mut s, "tarifx");
    run(&mut s, [Action::Erase, Action::Type('f'), Action::Submit]);
    assert_eq!(at(&s), (1, 1), "case-insensitive, in a later article");
    assert_eq!(s.mode(), &Mode::Normal);
    run(&mut s, [Action::Search]);
    types(&mut s, "e");
    run(&mut s, [Action::Submit, Action::SearchNext]);
    assert_eq!(at(&s), (2, 0), "repeats from the cursor");
    run(&mut s, [Action::Search]);
    types(&mut s, "Envoys");
    run(&mut s, [Action::Submit]);
    assert_eq!(at(&s), (0, 0), "wraps round");
    run(&mut s, [Action::Search]);
    types(&mut s, "envoys met in GENEVA");
    run(&mut s, [Action::Submit]);
    assert!(
        s.message()
            .is_some_and(|m| m.error && m.text.contains("not found"))
    );
    run(&mut s, [Action::Search, Action::Type('z'), Action::Cancel]);
    assert_eq!(s.mode(), &Mode::Normal);
    assert_eq!(at(&s), (0, 0));
}

fn event(article: &str, text: &str, start: usize, labels: &[&str], ts: u64) -> Event {
    let sentence = &text[start..];
    let end = start + sentence.find('.').unwrap() + 1;
    Event::set(
        article,
        start,
        &text[start..end],
        labels.iter().copied(),
        "alice",
        ts,
    )
}

#[test]
fn reopening_shows_stored_decisions_and_resumes_at_the_position() {
    let articles = three_articles();
    let b = articles[1].text.clone();
    let mut setup = setup(articles);
    setup.events = vec![
        event("b", &b, 0, &["diplomatic"], 10),
        event("b", &b, 25, &[], 20),
        Event {
            annotator: "bob".into(),
            ..event("b", &b, 45, &["military"], 30)
        },
    ];
    setup.resume = Some(Position {
        article: "c".into(),
        start: 18,
        end: 38,
        ts: 50,
    });
    let s = open(setup.clone(), 80, 24);
    assert_eq!(at(&s), (2, 1), "at the position file's sentence");
    assert_eq!(s.overall().annotated, 2, "bob's decision is not alice's");
    assert_eq!(s.overall().labels, [1, 0, 0]);
    // A journal newer than the position file wins: the undecided sentence after the last
    // decision (bob's decision on it is not alice's).
    setup.resume.as_mut().unwrap().ts = 15;
    let mut s = open(setup.clone(), 80, 24);
    assert_eq!(at(&s), (1, 2));
    assert_eq!(s.annotation(0), Some(&labels(&["diplomatic"])));
    assert_eq!(s.annotation(1), Some(&vec![]));
    let effects = run(&mut s, [Action::Quit]);
    assert_eq!(
        effects,
        [
            Effect::SavePosition(Position {
                article: "b".into(),
                start: 45,
                end: 69,
                ts: 0
            }),
            Effect::Quit
        ]
    );
    // No position at all: the start.
    setup.resume = None;
    setup.events.clear();
    assert_eq!(at(&open(setup, 80, 24)), (0, 0));
}

#[test]
fn decisions_whose_text_changed_are_orphaned_not_moved() {
    let articles = three_articles();
    let a = articles[0].text.clone();
    let mut setup = setup(articles);
    let mut stale = event("a", &a, 0, &["military"], 1);
    stale.fp = fingerprint("Envoys met in Paris.");
    let mut gone = event("a", &a, 0, &["military"], 2);
    gone.article = "deleted".into();
    setup.events = vec![stale, gone];
    let s = open(setup, 80, 24);
    assert_eq!(s.orphaned(), 2);
    assert_eq!(s.annotation(0), None);
    assert_eq!(s.overall().annotated, 0);
}

#[test]
fn a_failed_save_is_shown_and_quit_asks_again() {
    let mut s = session(three_articles());
    let effects = update(&mut s, Action::ToggleLabel(0));
    let Effect::Save { seq, .. } = effects[0] else {
        panic!("expected a save, got {effects:?}");
    };
    assert_eq!(s.save_state(), SaveState::Saving);
    update(
        &mut s,
        Action::SaveFailed {
            seq,
            reason: "disk full".into(),
            recreate: false,
        },
    );
    assert_eq!(
        s.save_state(),
        SaveState::NotSaved {
            decisions: 1,
            reason: "disk full".into(),
            saving: 0,
        }
    );
    assert!(s.is_unsaved(0));
    assert_eq!(
        s.annotation(0),
        Some(&labels(&["diplomatic"])),
        "kept on screen"
    );
    assert!(update(&mut s, Action::Quit).is_empty());
    assert_eq!(s.mode(), &Mode::ConfirmQuit);
    // Confirming the same set again retries the write.
    let effects = update(&mut s, Action::Confirm);
    assert_eq!(
        decisions(&effects),
        [(Op::Set, "a".into(), labels(&["diplomatic"]))]
    );
    let Effect::Save { seq, .. } = effects[0] else {
        panic!()
    };
    update(&mut s, Action::Saved(seq));
    assert_eq!(s.save_state(), SaveState::Saved);
    assert!(!s.is_unsaved(0));
    assert_eq!(update(&mut s, Action::Quit).last(), Some(&Effect::Quit));
}

#[test]
fn empty_corpus_and_empty_articles_do_not_panic() {
    let mut s = session(vec![]);
    let all = [
        Action::NextSentence,
        Action::ToggleLabel(0),
        Action::NoStance,
        Action::Confirm,
        Action::NextUnannotated,
        Action::Undo,
        Action::Click { column: 5, row: 5 },
    ];
    assert!(run(&mut s, all.clone()).is_empty());
    let mut s = session(vec![article("empty", "  \n "), article("x", "One.")]);
    assert!(run(&mut s, [Action::ToggleLabel(0), Action::Clear]).is_empty());
    run(&mut s, [Action::NextSentence]);
    assert_eq!(at(&s), (1, 0));
    run(&mut s, [Action::PreviousSentence]);
    assert!(s.message().is_some_and(|m| m.text.contains("start")));
    for width in 0..40 {
        for height in 0..30 {
            update(&mut s, Action::Resize { width, height });
        }
    }
}

#[test]
fn searching_an_empty_corpus_finds_nothing() {
    let mut s = session(vec![]);
    // The article view has nothing to search; the review list's text filter sets the search
    // that search-again then repeats over the (empty) corpus.
    run(&mut s, [Action::Search, Action::NextUnannotated]);
    run(&mut s, [Action::Review, Action::Search]);
    types(&mut s, "talks");
    run(&mut s, [Action::Submit, Action::SearchNext]);
    assert!(
        s.message()
            .is_some_and(|m| m.error && m.text.contains("not found")),
        "{:?}",
        s.message()
    );
    run(
        &mut s,
        [Action::NextUnannotated, Action::Review, Action::SearchNext],
    );
    assert_eq!(at(&s), (0, 0));
}

#[test]
fn a_click_selects_the_sentence_under_it() {
    let mut s = session(three_articles());
    let text = s.screen().text;
    let piece = s.layout().lines[0]
        .iter()
        .find(|p| matches!(p.part, stance::app::layout::Part::Sentence(2)))
        .expect("third sentence on the first line")
        .clone();
    run(
        &mut s,
        [Action::Click {
            column: text.x + piece.column + 1,
            row: text.y,
        }],
    );
    assert_eq!(at(&s), (0, 2));
}

fn cursor_visible(s: &State) -> bool {
    let (first, last) = s.layout().sentence_lines[s.cursor().sentence];
    let height = usize::from(s.screen().text.height);
    first >= s.scroll() && last < s.scroll() + height
}

#[test]
fn the_view_follows_the_cursor_and_the_wheel_scrolls_without_moving_it() {
    let text: String = (0..60)
        .map(|i| format!("Sentence number {i} is here."))
        .collect::<Vec<_>>()
        .join(" ");
    let mut s = open(setup(vec![article("long", &text)]), 40, 16);
    assert_eq!(s.sentence_count(), 60);
    assert!(s.layout().lines.len() > usize::from(s.screen().text.height));
    run(&mut s, [Action::LastSentence]);
    assert!(s.scroll() > 0 && cursor_visible(&s));
    run(&mut s, [Action::Wheel(-100)]);
    assert_eq!(s.scroll(), 0);
    assert_eq!(at(&s), (0, 59), "the wheel does not move the cursor");
    run(&mut s, [Action::PreviousSentence]);
    assert!(cursor_visible(&s));
    run(&mut s, [Action::FirstSentence, Action::ScrollDown]);
    assert!(s.scroll() > 0);
    for _ in 0..59 {
        run(&mut s, [Action::NextSentence]);
        assert!(cursor_visible(&s), "sentence {}", s.cursor().sentence);
    }
    // A narrower terminal wraps again and still shows the cursor.
    run(
        &mut s,
        [Action::Resize {
            width: 31,
            height: 13,
        }],
    );
    assert!(cursor_visible(&s));
}

#[test]
fn after_a_retry_succeeds_the_reason_shown_is_one_still_not_saved() {
    let mut s = session(three_articles());
    let fail = |s: &mut State, action: Action, reason: &str| {
        let effects = update(s, action);
        let Some(&Effect::Save { seq, .. }) = effects.first() else {
            panic!("expected a save, got {effects:?}");
        };
        let reason = reason.to_owned();
        update(
            s,
            Action::SaveFailed {
                seq,
                reason,
                recreate: false,
            },
        );
    };
    fail(&mut s, Action::ToggleLabel(0), "No space left on device");
    update(&mut s, Action::NextSentence);
    fail(&mut s, Action::ToggleLabel(1), "Permission denied");
    assert_eq!(
        s.save_state(),
        SaveState::NotSaved {
            decisions: 2,
            reason: "Permission denied".into(),
            saving: 0,
        }
    );
    // The second sentence's retry goes through; only the first is still refused.
    let effects = update(&mut s, Action::Confirm);
    let Some(&Effect::Save { seq, .. }) = effects.first() else {
        panic!("expected a save, got {effects:?}");
    };
    update(&mut s, Action::Saved(seq));
    assert_eq!(
        s.save_state(),
        SaveState::NotSaved {
            decisions: 1,
            reason: "No space left on device".into(),
            saving: 0,
        }
    );
}
