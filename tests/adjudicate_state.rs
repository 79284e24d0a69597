//! The disagreements filter of the review list and an adjudicating session, without a
//! terminal: which rows are disputed, decisions journaled as the lead's with origin
//! `adjudicated`, taking one annotator's answer, undo.

use crate::common;

use common::*;
use stance::app::{Effect, Key, State, View, action_for};
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

fn shown(state: &State) -> Vec<(String, String)> {
    rows(state)
        .into_iter()
        .map(|(text, who, _)| (text, who))
        .collect()
}

fn row(text: &str, who: &str) -> (String, String) {
    (text.to_owned(), who.to_owned())
}

#[test]
fn d_keeps_only_sentences_whose_annotators_disagree_and_toggles_back() {
    let mut s = open(reviewed_setup(), 80, 24);
    assert_eq!(rows(&s).len(), 5);
    press(&mut s, "d");
    assert_eq!(
        shown(&s),
        [
            row("Envoys met in Geneva.", "alice"),
            row("Envoys met in Geneva.", "bob"),
            row("Tariffs rose again.", "alice"),
            row("Tariffs rose again.", "bob"),
        ],
        "alice alone on Ships left port: no disagreement"
    );
    assert!(s.review().filter().disagreements);
    press(&mut s, "d");
    assert_eq!(rows(&s).len(), 5);
}

fn team_setup() -> stance::app::Setup {
    let articles = three_articles();
    let events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "ana"),
        stored(&articles, 0, 0, &["military"], "bob"),
        stored(&articles, 1, 1, &["sanctions"], "ana"),
        stored(&articles, 1, 1, &["sanctions"], "bob"),
        stored(&articles, 2, 2, &[], "ana"),
        stored(&articles, 2, 2, &["military"], "cy"),
    ];
    stance::app::Setup {
        events,
        ..stance::app::Setup::new(std::sync::Arc::new(articles), "lead", "/tmp/labels.jsonl")
    }
}

#[test]
fn a_lead_settles_each_disputed_sentence_as_an_adjudicated_decision_and_can_undo() {
    let mut s = open(team_setup(), 80, 24);
    s.adjudicate();
    assert_eq!(s.view(), View::Adjudicate);
    assert_eq!(s.origin(), Origin::Adjudicated);
    let units: Vec<&str> = s
        .adjudication()
        .rows()
        .map(|u| &s.articles()[u.article].text[u.span.start..u.span.end])
        .collect();
    assert_eq!(
        units,
        ["Envoys met in Geneva.", "Ships left port."],
        "ana and bob agree on Tariffs rose again."
    );

    // `t` then column 1 takes ana's answer as it is, and moves to the next sentence.
    let took = saves(&press(&mut s, "t1"));
    assert_eq!(took.len(), 1);
    assert_eq!(
        (took[0].op, took[0].annotator.as_str(), took[0].origin),
        (Op::Set, "lead", Origin::Adjudicated)
    );
    assert_eq!(took[0].labels, labels(&["diplomatic"]));
    assert_eq!(took[0].text, "Envoys met in Geneva.");
    assert_eq!(s.adjudication().selected(), 1);

    // A label key chooses, Enter saves the lead's labels.
    assert!(
        saves(&press(&mut s, "3")).is_empty(),
        "nothing saved before Enter"
    );
    let set = saves(&run(&mut s, [stance::app::Action::Confirm]));
    assert_eq!(
        (set[0].labels.clone(), set[0].origin, set[0].text.as_str()),
        (
            labels(&["military"]),
            Origin::Adjudicated,
            "Ships left port."
        )
    );
    assert_eq!(s.adjudication().progress(), (2, 2));
    // Undo withdraws the lead's decision again, still as the lead.
    let undone = saves(&press(&mut s, "u"));
    assert_eq!(
        (undone[0].op, undone[0].annotator.as_str()),
        (Op::Clear, "lead")
    );
    assert_eq!(s.adjudication().progress(), (1, 2));
}

#[test]
fn the_statistics_panel_shows_alpha_per_label_over_the_sessions_units() {
    let mut s = open(team_setup(), 100, 30);
    assert!(s.agreement().is_none());
    press(&mut s, "s");
    let got = serde_json::to_string(s.agreement().expect("computed on opening")).unwrap();
    let mut expected = stance::agree::Ratings::new(
        ["ana", "bob", "cy", "lead"].map(String::from).to_vec(),
        labels(&["diplomatic", "sanctions", "military"]),
    )
    .unwrap();
    let units: [[Option<&[&str]>; 4]; 3] = [
        [Some(&["diplomatic"]), Some(&["military"]), None, None],
        [Some(&["sanctions"]), Some(&["sanctions"]), None, None],
        [Some(&[]), None, Some(&["military"]), None],
    ];
    for unit in units {
        assert!(
            expected
                .push_unit(unit.map(|d| d.map(|l| l.iter())))
                .unwrap()
        );
    }
    assert_eq!(got, serde_json::to_string(&expected.agreement()).unwrap());
    let alpha = |label: usize| {
        expected.agreement().labels[label]
            .alpha
            .value()
            .map_or("-".to_owned(), |v| format!("{v:.2}"))
    };
    let terminal = common::screen::draw(&s, 100, 30);
    let buf = terminal.backend().buffer();
    let line = (0..30)
        .map(|y| common::screen::row_text(buf, y))
        .find(|l| l.contains("Agreement (alpha) over 3 units"))
        .expect("the agreement line is drawn");
    assert!(
        line.contains(&format!(
            "diplomatic {} · sanctions {} · military {}",
            alpha(0),
            alpha(1),
            alpha(2)
        )),
        "{line}"
    );
}
