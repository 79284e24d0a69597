//! The status bar keeps its layout on a large corpus: the gauge and `? help` stay when a count
//! gains a digit; the words give way instead.

use crate::common;

use std::sync::Arc;

use common::screen::{draw, row_text};
use common::*;
use stance::app::{Action, State};
use stance::store::Event;

/// A session on `articles` one-sentence articles, `done` of them decided by alice, with the
/// corpus counted at `total` sentences.
fn large(articles: usize, done: usize, total: usize, width: u16) -> State {
    let corpus: Vec<_> = (0..articles)
        .map(|i| article(&format!("w{i}"), &format!("Envoys met {i} times.")))
        .collect();
    let events: Vec<Event> = (0..done)
        .map(|i| {
            let text = format!("Envoys met {i} times.");
            Event::set(&format!("w{i}"), 0, &text, ["diplomatic"], "alice", 1)
        })
        .collect();
    let mut setup = setup(Vec::new());
    setup.articles = Arc::new(corpus);
    setup.events = events;
    let mut s = open(setup, width, 24);
    common::run(&mut s, [Action::CorpusCounted(total)]);
    s
}

fn first_row(s: &State, width: u16) -> String {
    let terminal = draw(s, width, 24);
    row_text(terminal.backend().buffer(), 22)
}

#[test]
fn at_80_columns_the_gauge_and_help_stay_as_counts_grow_to_six_digits() {
    let mut rows = Vec::new();
    for (articles, done, total) in [
        (120, 9, 999),
        (120, 99, 9_999),
        (12_000, 10_000, 99_999),
        (12_000, 10_000, 123_456),
    ] {
        let mut s = large(articles, done, total, 80);
        // The last article: the place takes its most digits too.
        common::run(&mut s, [Action::LastSentence]);
        for _ in 0..3 {
            common::run(&mut s, [Action::NextArticle]);
        }
        let row = first_row(&s, 80);
        assert!(row.trim_end().ends_with("? help"), "{row}");
        assert!(row.contains('░'), "the gauge shows: {row}");
        assert!(row.contains(&stance_thousands(done)), "{row}");
        assert!(row.contains("alice"), "{row}");
        rows.push(row);
    }
    // The help sits in the same cells on every row.
    let at: Vec<usize> = rows.iter().map(|r| r.find("? help").unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] == w[1]), "{rows:#?}");
    let s = large(12_000, 10_000, 123_456, 80);
    insta::assert_snapshot!("large_80x24", draw(&s, 80, 24).backend());
    let s = large(12_000, 10_000, 123_456, 120);
    insta::assert_snapshot!("large_120x24", draw(&s, 120, 24).backend());
    assert!(
        first_row(&s, 120).contains("annotated (8.1%)"),
        "wide: every word"
    );
}

/// `n` with thousands separators, as the status bar writes it.
fn stance_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
