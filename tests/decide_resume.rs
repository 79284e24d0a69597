//! Resuming a session opens on the next sentence the annotator has not decided after the one
//! they left (or last decided), not on a decided one.

use crate::common;

use common::*;
use stance::app::{Position, State};
use stance::store::Event;

fn at(s: &State) -> (usize, usize) {
    (s.cursor().article, s.cursor().sentence)
}

/// A session whose journal holds `decided` (article, sentence) by alice at times 1, 2, ...
fn reopened(decided: &[(usize, usize)], resume: Option<Position>) -> State {
    let articles = three_articles();
    let events: Vec<Event> = decided
        .iter()
        .enumerate()
        .map(|(i, &(article, sentence))| {
            let mut e = stored(&articles, article, sentence, &[], "alice");
            e.ts = i as u64 + 1;
            e
        })
        .collect();
    let mut setup = setup(articles);
    setup.events = events;
    setup.resume = resume;
    open(setup, 80, 24)
}

#[test]
fn the_journal_resumes_after_the_last_decision_skipping_decided_ones() {
    // Last decided: a/0; a/1 was decided before it, so a/2 is next.
    assert_eq!(at(&reopened(&[(0, 1), (0, 0)], None)), (0, 2));
    // The last sentence of an article: the next article's first.
    assert_eq!(at(&reopened(&[(0, 2)], None)), (1, 0));
    // Across articles whose sentences are all decided.
    let all_of_b = [(1, 0), (1, 1), (1, 2), (0, 2)];
    assert_eq!(at(&reopened(&all_of_b, None)), (2, 0));
}

#[test]
fn a_position_on_a_decided_sentence_moves_on_and_an_undecided_one_stays() {
    let articles = three_articles();
    let span = stance::corpus::segment(&articles[0].text)[1];
    let position = |ts| Position {
        article: "a".into(),
        start: span.start,
        end: span.end,
        ts,
    };
    // The position file is newer than the journal: its sentence, decided, so the next.
    assert_eq!(at(&reopened(&[(0, 1)], Some(position(99)))), (0, 2));
    // Undecided: the analyst stays where they were.
    assert_eq!(at(&reopened(&[(2, 0)], Some(position(99)))), (0, 1));
}

#[test]
fn when_everything_after_is_decided_it_opens_on_the_last_decision() {
    let everything: Vec<(usize, usize)> =
        (0..3).flat_map(|a| (0..3).map(move |s| (a, s))).collect();
    assert_eq!(at(&reopened(&everything, None)), (2, 2));
}
