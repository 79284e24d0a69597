//! The article list's agreement per article and its orders, without a terminal: the figures
//! equal the agreement library's on the article's units, follow others' decisions as they
//! arrive, `Ctrl-o` sorts by lowest agreement and by articles needing this annotator
//! (`--overlap`), and `+` marks those.

use crate::common;

use common::*;
use stance::agree::{Ratings, SetAgreement};
use stance::app::article_order::ListOrder;
use stance::app::{Action, Key, KeyCode, Setup, State, action_for};

fn ctrl_o(state: &mut State) {
    let key = Key {
        code: KeyCode::Char('o'),
        ctrl: true,
        alt: false,
    };
    let action = action_for(state, key).expect("Ctrl-o means something in the list");
    run(state, [action]);
}

/// Article a: ana and bob agree on two sentences of three; article b: they disagree on
/// every one; article c: only ana.
fn pairs(me: &str) -> Setup {
    let articles = three_articles();
    let events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "ana"),
        stored(&articles, 0, 0, &["diplomatic"], "bob"),
        stored(&articles, 0, 1, &["sanctions"], "ana"),
        stored(&articles, 0, 1, &["sanctions"], "bob"),
        stored(&articles, 0, 2, &["military"], "ana"),
        stored(&articles, 0, 2, &["diplomatic"], "bob"),
        stored(&articles, 1, 0, &["diplomatic"], "ana"),
        stored(&articles, 1, 0, &["military"], "bob"),
        stored(&articles, 1, 1, &["sanctions"], "ana"),
        stored(&articles, 1, 1, &["diplomatic"], "bob"),
        stored(&articles, 1, 2, &["military"], "ana"),
        stored(&articles, 1, 2, &["sanctions"], "bob"),
        stored(&articles, 2, 0, &["military"], "ana"),
    ];
    Setup {
        events,
        ..Setup::new(std::sync::Arc::new(articles), me, "/tmp/labels.jsonl")
    }
}

/// What the agreement library computes for these units (one label set per annotator of
/// `annotators`, `None` where they did not decide).
fn expected(annotators: &[&str], units: &[Vec<Option<&[&str]>>]) -> SetAgreement {
    let mut ratings = Ratings::new(
        annotators.iter().map(|s| s.to_string()).collect(),
        labels(&["diplomatic", "sanctions", "military"]),
    )
    .unwrap();
    for unit in units {
        ratings
            .push_unit(unit.iter().map(|d| d.map(|l| l.iter())))
            .unwrap();
    }
    ratings.set_agreement()
}

/// The article list's row of the article with this title (inside the list's border, not the
/// article header behind it), and the column where the title starts.
fn list_row(buf: &ratatui::buffer::Buffer, title: &str) -> (usize, String) {
    (0..buf.area.height)
        .map(|y| common::screen::row_text(buf, y))
        .filter(|row| row.contains('│'))
        .find_map(|row| {
            let at = row.find(title)?;
            Some((row[..at].chars().count(), row))
        })
        .unwrap_or_else(|| panic!("{title} not in the list:\n{buf:?}"))
}

fn shown(state: &State) -> Vec<u32> {
    state.picker().matches().to_vec()
}

#[test]
fn each_article_shows_the_libraries_agreement_on_its_units() {
    let mut s = open(pairs("lead"), 100, 30);
    run(&mut s, [Action::Articles]);
    let who = ["ana", "bob", "lead"];
    let a = expected(
        &who,
        &[
            vec![Some(&["diplomatic"]), Some(&["diplomatic"]), None],
            vec![Some(&["sanctions"]), Some(&["sanctions"]), None],
            vec![Some(&["military"]), Some(&["diplomatic"]), None],
        ],
    );
    let b = expected(
        &who,
        &[
            vec![Some(&["diplomatic"]), Some(&["military"]), None],
            vec![Some(&["sanctions"]), Some(&["diplomatic"]), None],
            vec![Some(&["military"]), Some(&["sanctions"]), None],
        ],
    );
    assert_eq!(s.picker().agreement(0), Some(&a));
    assert_eq!(s.picker().agreement(1), Some(&b));
    assert_eq!(s.picker().agreement(2), None, "only ana decided article c");
    assert_eq!(a.units, 3);
    let alpha = a.alpha_masi.value().expect("defined");
    let screen = common::screen::draw(&s, 100, 30);
    let buf = screen.backend().buffer();
    let (_, row) = list_row(buf, "Title of a");
    assert!(row.contains(&format!("3 {alpha:>6.2}")), "{row}");
    let (_, y) = common::screen::find(buf, "units");
    assert!(common::screen::row_text(buf, y).contains("alpha"));
}

#[test]
fn ctrl_o_sorts_by_lowest_agreement_then_by_needing_you_then_corpus_order() {
    let mut s = open(pairs("lead"), 100, 30);
    run(&mut s, [Action::Articles]);
    assert_eq!(s.picker().order(), ListOrder::Corpus);
    assert_eq!(shown(&s), [0, 1, 2]);
    ctrl_o(&mut s);
    assert_eq!(s.picker().order(), ListOrder::Agreement);
    let alpha = |i: usize| s.picker().agreement(i).unwrap().alpha_masi.value().unwrap();
    assert!(alpha(1) < alpha(0), "{} {}", alpha(1), alpha(0));
    assert_eq!(shown(&s), [1, 0, 2], "b agrees least; c has no units");
    let screen = common::screen::draw(&s, 100, 30);
    let buf = screen.backend().buffer();
    common::screen::find(buf, "lowest agreement first");
    ctrl_o(&mut s);
    assert_eq!(s.picker().order(), ListOrder::NeedsYou);
    ctrl_o(&mut s);
    assert_eq!(shown(&s), [0, 1, 2]);
}

#[test]
fn the_figures_follow_decisions_that_arrive_while_the_list_is_open() {
    let mut s = open(pairs("lead"), 100, 30);
    run(&mut s, [Action::Articles]);
    assert_eq!(s.picker().agreement(2), None);
    let articles = three_articles();
    let event = stored(&articles, 2, 0, &["sanctions"], "bob");
    run(&mut s, [Action::Arrived(vec![event])]);
    let c = expected(
        &["ana", "bob", "lead"],
        &[vec![Some(&["military"]), Some(&["sanctions"]), None]],
    );
    assert_eq!(s.picker().agreement(2), Some(&c));
}

#[test]
fn with_overlap_articles_needing_you_are_marked_and_sorted_first() {
    // cy, overlap 2: a and b are finished by ana and bob (two annotators), c by nobody.
    let mut setup = pairs("cy");
    setup.overlap = 2;
    let mut s = open(setup, 100, 30);
    let spans = three_articles()
        .iter()
        .map(|a| stance::corpus::segment(&a.text))
        .collect();
    run(&mut s, [Action::Segmented { first: 0, spans }]);
    assert!(!s.needs_you(0) && !s.needs_you(1) && s.needs_you(2));
    run(&mut s, [Action::Articles]);
    ctrl_o(&mut s);
    ctrl_o(&mut s);
    assert_eq!(s.picker().order(), ListOrder::NeedsYou);
    assert_eq!(shown(&s), [2, 0, 1]);
    let screen = common::screen::draw(&s, 100, 30);
    let buf = screen.backend().buffer();
    let (x, row) = list_row(buf, "Title of c");
    assert_eq!(row.chars().nth(x - 2), Some('+'), "{row}");
    let (x, row) = list_row(buf, "Title of a");
    assert_eq!(row.chars().nth(x - 2), Some(' '), "{row}");
}
