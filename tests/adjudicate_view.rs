//! The adjudication view without a terminal: the disputed sentences with each annotator's
//! answer in a column, choosing and saving the final labels, taking an answer by column,
//! the filters (label, annotator pair, undecided) shown on screen, the article a key away,
//! undo and redo, others' decisions arriving, the help, and whole screens at 80x24 and
//! 120x40.

use crate::common;

use common::*;
use stance::app::{Action, Effect, Key, KeyCode, State, View, action_for};
use stance::store::{Op, Origin};

fn press(state: &mut State, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        if let Some(action) = action_for(state, Key::char(c)) {
            effects.extend(run(state, [action]));
        }
    }
    effects
}

fn press_key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let key = Key {
        code,
        ctrl: false,
        alt: false,
    };
    match action_for(state, key) {
        Some(action) => run(state, [action]),
        None => Vec::new(),
    }
}

/// The sentences listed, in order.
fn listed(state: &State) -> Vec<String> {
    state
        .adjudication()
        .rows()
        .map(|u| state.articles()[u.article].text[u.span.start..u.span.end].to_owned())
        .collect()
}

/// Three annotators on three articles; ana and bob agree on "Tariffs rose again.".
fn team() -> stance::app::Setup {
    let articles = three_articles();
    let events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "ana"),
        stored(&articles, 0, 0, &["military"], "bob"),
        stored(&articles, 0, 0, &["diplomatic"], "cy"),
        stored(&articles, 1, 1, &["sanctions"], "ana"),
        stored(&articles, 1, 1, &["sanctions"], "bob"),
        stored(&articles, 1, 2, &["military"], "bob"),
        stored(&articles, 1, 2, &["military", "diplomatic"], "cy"),
        stored(&articles, 2, 2, &[], "ana"),
        stored(&articles, 2, 2, &["military"], "cy"),
    ];
    stance::app::Setup {
        events,
        ..stance::app::Setup::new(std::sync::Arc::new(articles), "lead", "/tmp/labels.jsonl")
    }
}

fn adjudicating(width: u16, height: u16) -> State {
    let mut s = open(team(), width, height);
    s.adjudicate();
    s
}

fn screen(state: &State, width: u16, height: u16) -> String {
    let terminal = common::screen::draw(state, width, height);
    let buf = terminal.backend().buffer();
    (0..height)
        .map(|y| common::screen::row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn lists_every_disputed_sentence_in_corpus_order_with_a_column_per_annotator() {
    let s = adjudicating(80, 24);
    assert_eq!(s.view(), View::Adjudicate);
    assert_eq!(
        listed(&s),
        [
            "Envoys met in Geneva.",
            "A missile test followed.",
            "Ships left port."
        ]
    );
    let names: Vec<&str> = s
        .adjudication()
        .columns()
        .iter()
        .map(|&a| s.annotations().annotators()[a as usize].as_str())
        .collect();
    assert_eq!(names, ["ana", "bob", "cy"], "the lead is no column");
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("│1 ana"), "{shown}");
    assert!(shown.contains("│3 cy"), "{shown}");
    assert!(shown.contains("0 of 3 adjudicated"), "{shown}");
}

#[test]
fn label_keys_then_enter_save_the_final_labels_and_zero_saves_no_stance() {
    let mut s = adjudicating(80, 24);
    assert!(press(&mut s, "1").is_empty(), "a label key only chooses");
    assert_eq!(s.adjudication().draft(), Some(&labels(&["diplomatic"])));
    let saved = saves(&press_key(&mut s, KeyCode::Enter));
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (
            saved[0].op,
            saved[0].annotator.as_str(),
            saved[0].origin,
            saved[0].labels.clone(),
            saved[0].text.as_str()
        ),
        (
            Op::Set,
            "lead",
            Origin::Adjudicated,
            labels(&["diplomatic"]),
            "Envoys met in Geneva."
        )
    );
    assert_eq!(s.adjudication().selected(), 1, "Enter moves on");
    let saved = saves(&press(&mut s, "0"));
    assert_eq!(
        (saved[0].labels.clone(), saved[0].text.as_str()),
        (Vec::<String>::new(), "A missile test followed.")
    );
    assert_eq!(s.adjudication().progress(), (2, 3));
    assert!(screen(&s, 80, 24).contains("2 of 3 adjudicated"));
    // Enter with nothing chosen saves nothing.
    assert!(saves(&press_key(&mut s, KeyCode::Enter)).is_empty());
    assert!(
        s.message()
            .unwrap()
            .text
            .contains("choose the labels first")
    );
}

#[test]
fn t_then_a_column_number_takes_that_annotators_answer_as_it_is() {
    let mut s = adjudicating(80, 24);
    press(&mut s, "j");
    let took = saves(&press(&mut s, "t3"));
    assert_eq!(took.len(), 1);
    assert_eq!(
        (took[0].labels.clone(), took[0].text.as_str()),
        (
            labels(&["diplomatic", "military"]),
            "A missile test followed."
        )
    );
    // Column 1 is ana, whose answer on "Ships left port." is no stance.
    let took = saves(&press(&mut s, "t1"));
    assert_eq!(took[0].labels, Vec::<String>::new());
    // A column that is not there takes nothing, nor does one without an answer.
    press(&mut s, "k");
    assert!(saves(&press(&mut s, "t7")).is_empty());
    assert!(s.message().unwrap().text.contains("no column 7"));
    assert!(saves(&press(&mut s, "t1")).is_empty());
    assert!(s.message().unwrap().text.contains("ana did not decide"));
    // Escape after `t` takes nothing; the next `1` chooses diplomatic again.
    press_key(&mut s, KeyCode::Esc);
    assert!(!s.adjudication().taking());
}

#[test]
fn undo_and_redo_put_the_decision_back_and_select_its_row() {
    let mut s = adjudicating(80, 24);
    press(&mut s, "t2");
    assert_eq!(s.adjudication().selected(), 1);
    let undone = saves(&press(&mut s, "u"));
    assert_eq!(
        (undone[0].op, undone[0].origin),
        (Op::Clear, Origin::Adjudicated)
    );
    assert_eq!(
        s.adjudication().selected(),
        0,
        "the undone sentence is selected"
    );
    assert_eq!(s.adjudication().progress(), (0, 3));
    let redone = saves(&run(&mut s, [Action::Redo]));
    assert_eq!(redone[0].labels, labels(&["military"]));
    assert_eq!(s.adjudication().progress(), (1, 3));
    assert_eq!(s.view(), View::Adjudicate);
}

#[test]
fn filters_by_label_by_pair_and_undecided_and_shows_them() {
    let mut s = adjudicating(80, 24);
    // `f` then a label key: sentences some annotator gave that label.
    press(&mut s, "f3");
    assert_eq!(
        listed(&s),
        [
            "Envoys met in Geneva.",
            "A missile test followed.",
            "Ships left port."
        ]
    );
    press(&mut s, "f3f1");
    assert_eq!(
        listed(&s),
        ["Envoys met in Geneva.", "A missile test followed."]
    );
    assert!(screen(&s, 80, 24).contains("filter: label diplomatic"));
    press(&mut s, "F");
    // `A` cycles the pairs: ana|bob first, where both answered and differ.
    press(&mut s, "A");
    assert_eq!(listed(&s), ["Envoys met in Geneva."]);
    assert!(screen(&s, 80, 24).contains("pair ana | bob"));
    press(&mut s, "A");
    assert_eq!(listed(&s), ["Ships left port."], "ana|cy");
    press(&mut s, "A");
    assert_eq!(
        listed(&s),
        ["Envoys met in Geneva.", "A missile test followed."],
        "bob|cy"
    );
    press(&mut s, "A");
    assert_eq!(listed(&s).len(), 3, "then no pair");
    // `d`: the sentences not adjudicated yet.
    press(&mut s, "gt1d");
    assert_eq!(listed(&s), ["A missile test followed.", "Ships left port."]);
    assert!(screen(&s, 80, 24).contains("filter: undecided"));
    // Deciding one under the undecided filter drops it and selects the next.
    press(&mut s, "t2");
    assert_eq!(listed(&s), ["Ships left port."]);
    assert_eq!(s.adjudication().selected(), 0);
}

#[test]
fn tab_opens_the_sentence_in_its_article_and_comes_back() {
    let mut s = adjudicating(80, 24);
    press(&mut s, "j");
    press_key(&mut s, KeyCode::Tab);
    assert_eq!(s.view(), View::Article);
    assert_eq!((s.cursor().article, s.cursor().sentence), (1, 2));
    press_key(&mut s, KeyCode::Tab);
    assert_eq!(s.view(), View::Adjudicate);
    assert_eq!(s.adjudication().selected(), 1);
}

#[test]
fn another_annotators_arriving_answer_adds_a_disputed_sentence() {
    let mut s = adjudicating(80, 24);
    let articles = three_articles();
    let event = stored(&articles, 1, 1, &["military"], "cy");
    run(&mut s, [Action::Arrived(vec![event])]);
    assert_eq!(
        listed(&s),
        [
            "Envoys met in Geneva.",
            "Tariffs rose again.",
            "A missile test followed.",
            "Ships left port."
        ]
    );
}

#[test]
fn the_help_lists_the_views_keys() {
    let mut s = adjudicating(100, 40);
    press(&mut s, "?");
    let shown = screen(&s, 100, 40);
    for line in [
        "choose diplomatic (Enter saves)",
        "save the chosen labels; next",
        "then a column number: take that answer",
        "filter by annotator pair",
        "undecided only / all",
        "columns sideways",
        "the sentence in its article / back",
    ] {
        assert!(shown.contains(line), "{line}:\n{shown}");
    }
}

#[test]
fn columns_scroll_sideways_when_they_do_not_fit() {
    let articles = three_articles();
    let names = ["ana", "bob", "cy", "dee", "eve", "fay", "gus"];
    let events = names
        .iter()
        .enumerate()
        .map(|(i, who)| {
            let label = ["diplomatic", "military"][i % 2];
            stored(&articles, 0, 0, &[label], who)
        })
        .collect();
    let setup = stance::app::Setup {
        events,
        ..stance::app::Setup::new(std::sync::Arc::new(articles), "lead", "/tmp/labels.jsonl")
    };
    let mut s = open(setup, 80, 24);
    s.adjudicate();
    let first = screen(&s, 80, 24);
    assert!(
        first.contains("│1 ana") && !first.contains("│7 gus"),
        "{first}"
    );
    assert!(first.contains('›'), "more columns to the right:\n{first}");
    for _ in 0..4 {
        press_key(&mut s, KeyCode::Right);
    }
    let moved = screen(&s, 80, 24);
    assert!(
        moved.contains("│7 gus") && !moved.contains("│1 ana"),
        "{moved}"
    );
    assert!(moved.contains("sentence ‹"), "{moved}");
}

#[test]
fn screens_at_80x24_and_120x40() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut s = adjudicating(width, height);
        press(&mut s, "j2");
        insta::assert_snapshot!(
            format!("adjudicate_{width}x{height}"),
            common::screen::draw(&s, width, height).backend()
        );
    }
}

#[test]
fn an_annotator_name_with_escapes_is_drawn_escaped() {
    let articles = three_articles();
    let events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "ana"),
        stored(&articles, 0, 0, &["military"], "\u{1b}[2Jbob"),
    ];
    let setup = stance::app::Setup {
        events,
        ..stance::app::Setup::new(std::sync::Arc::new(articles), "lead", "/tmp/labels.jsonl")
    };
    let mut s = open(setup, 120, 40);
    s.adjudicate();
    let shown = screen(&s, 120, 40);
    assert!(!shown.contains('\u{1b}'), "{shown}");
    assert!(shown.contains("^[[2Jbob"), "{shown}");
}
