//! Search finds titles and metadata as well as sentences, says which match of how many it
//! is and when it wraps round, goes back with `search_previous`, and highlights matches.

use crate::common;

use common::screen::{draw, find};
use common::*;
use ratatui::style::{Color, Modifier};
use stance::app::{Action, State};

fn corpus() -> Vec<stance::corpus::Article> {
    let mut articles = three_articles();
    // "opec" is in b's title only, in c's metadata only, and in two sentences of a.
    articles[0].text = "OPEC met in Vienna. Oil prices fell. Opec ministers left.".into();
    articles[1].title = "OPEC talks stall".into();
    articles[2].meta.push(("source".into(), "opec-wire".into()));
    articles
}

fn search(s: &mut State, query: &str) {
    run(s, [Action::Search]);
    run(s, query.chars().map(Action::Type));
    run(s, [Action::Submit]);
}

fn message(s: &State) -> String {
    s.message().map(|m| m.text.clone()).unwrap_or_default()
}

fn at(s: &State) -> (usize, usize) {
    (s.cursor().article, s.cursor().sentence)
}

#[test]
fn titles_and_metadata_are_found_counted_and_the_wrap_is_said() {
    let mut s = session(corpus());
    search(&mut s, "opec");
    assert_eq!(at(&s), (0, 2));
    assert_eq!(message(&s), "found \"opec\": match 2 of 4");
    run(&mut s, [Action::SearchNext]);
    assert_eq!(at(&s), (1, 0));
    assert_eq!(
        message(&s),
        "found \"opec\": match 3 of 4 (in the title or metadata)"
    );
    run(&mut s, [Action::SearchNext]);
    assert_eq!(at(&s), (2, 0));
    assert!(message(&s).contains("match 4 of 4 (in the title or metadata)"));
    run(&mut s, [Action::SearchNext]);
    assert_eq!(at(&s), (0, 0));
    assert_eq!(
        message(&s),
        "found \"opec\": match 1 of 4 · wrapped to the first"
    );
    run(&mut s, [Action::SearchPrevious]);
    assert_eq!(at(&s), (2, 0));
    assert_eq!(
        message(&s),
        "found \"opec\": match 4 of 4 (in the title or metadata) · wrapped to the last"
    );
    run(&mut s, [Action::SearchPrevious, Action::SearchPrevious]);
    assert_eq!(at(&s), (0, 2));
    assert!(message(&s).starts_with("found \"opec\": match 2 of 4"));
}

#[test]
fn a_single_match_says_so_and_none_is_an_error() {
    let mut s = session(corpus());
    search(&mut s, "Vienna");
    assert_eq!(at(&s), (0, 0));
    assert_eq!(message(&s), "found \"Vienna\": match 1 of 1 · the only one");
    search(&mut s, "zebra");
    assert!(
        s.message()
            .is_some_and(|m| m.error && m.text == "not found: \"zebra\"")
    );
    assert_eq!(at(&s), (0, 0));
}

#[test]
fn n_is_search_previous_by_default() {
    let s = session(corpus());
    let keys: Vec<String> = s
        .keymap()
        .keys_of(&Action::SearchPrevious)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(keys, ["N"]);
}

#[test]
fn matches_are_highlighted_in_the_article_80x24() {
    let mut s = session(corpus());
    search(&mut s, "opec");
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    // Both matches of the first article, the current sentence's and the other's.
    for word in ["OPEC met", "Opec ministers"] {
        let (x, y) = find(buf, word);
        for dx in 0..4 {
            assert_eq!(buf[(x + dx, y)].bg, Color::Yellow, "{word} {dx}");
            assert!(buf[(x + dx, y)].modifier.contains(Modifier::UNDERLINED));
        }
        assert_ne!(buf[(x + 4, y)].bg, Color::Yellow, "{word}");
    }
    let (x, y) = find(buf, "Oil prices");
    assert_ne!(buf[(x, y)].bg, Color::Yellow);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn search_status_120x40() {
    let mut s = open(setup(corpus()), 120, 40);
    search(&mut s, "opec");
    run(&mut s, [Action::SearchNext]);
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}
