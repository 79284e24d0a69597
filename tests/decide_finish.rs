//! Finishing an article (`D`): every sentence of it this annotator has not decided becomes
//! "no stance", after a question that says how many, in one atomic write and one undo step.

use crate::common;

use common::pty::{Home, Terminal, journal};
use common::screen::draw;
use common::*;
use stance::app::{Action, Effect};
use stance::store::Op;

#[test]
fn the_first_press_asks_how_many_and_writes_nothing() {
    let mut s = session(three_articles());
    run(&mut s, [Action::NextSentence, Action::ToggleLabel(0)]);
    let effects = run(&mut s, [Action::FinishArticle]);
    assert!(effects.is_empty(), "{effects:?}");
    let asked = s.message().expect("a question").text.clone();
    assert!(asked.contains("2 undecided sentences"), "{asked}");
    assert!(asked.starts_with("D again"), "{asked}");
    for (width, height) in [(80, 24), (120, 40)] {
        let text = format!("{:?}", draw(&s, width, height).backend());
        assert!(text.contains("D again: 2 undecided"), "{text}");
    }
    // Any other key drops the question: the next press asks again.
    run(&mut s, [Action::PreviousSentence, Action::FinishArticle]);
    assert!(s.annotation(0).is_none());
    assert_eq!(s.message().map(|m| m.text.clone()), Some(asked));
}

#[test]
fn the_second_press_decides_the_undecided_at_once_and_one_undo_takes_all_back() {
    let mut s = session(three_articles());
    run(&mut s, [Action::NextSentence, Action::ToggleLabel(0)]);
    run(&mut s, [Action::FinishArticle]);
    let effects = run(&mut s, [Action::FinishArticle]);
    let writes: Vec<_> = effects
        .iter()
        .filter(|e| matches!(e, Effect::Save { .. } | Effect::SaveAll(_)))
        .collect();
    assert_eq!(writes.len(), 1, "one atomic write: {effects:?}");
    let Effect::SaveAll(saves) = writes[0] else {
        panic!("{writes:?}")
    };
    assert_eq!(saves.len(), 2);
    assert_eq!(
        decisions(&effects),
        [
            (Op::Set, "a".to_owned(), vec![]),
            (Op::Set, "a".to_owned(), vec![]),
        ]
    );
    assert_eq!(s.cursor().article, 1, "on to the next article");
    let said = s.message().expect("what was saved").text.clone();
    assert!(said.contains("2 sentences"), "{said}");
    let decided = |s: &stance::app::State| {
        (0..3)
            .map(|i| s.annotation_at(0, i).cloned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        decided(&s),
        [Some(vec![]), Some(labels(&["diplomatic"])), Some(vec![])]
    );
    assert_eq!(s.overall().no_stance, 2);

    let undone = run(&mut s, [Action::Undo]);
    assert_eq!(
        decisions(&undone),
        [
            (Op::Clear, "a".to_owned(), vec![]),
            (Op::Clear, "a".to_owned(), vec![]),
        ]
    );
    assert!(undone.iter().any(|e| matches!(e, Effect::SaveAll(_))));
    assert_eq!(decided(&s), [None, Some(labels(&["diplomatic"])), None]);
    assert_eq!(s.cursor().article, 0, "undo goes back to the article");
    // The label given before the finish is the next undo step.
    run(&mut s, [Action::Redo, Action::Undo, Action::Undo]);
    assert_eq!(decided(&s), [None, None, None]);
}

#[test]
fn an_article_with_nothing_undecided_is_said_so() {
    let mut s = session(three_articles());
    run(
        &mut s,
        [
            Action::NoStance,
            Action::NoStance,
            Action::Ignore,
            Action::PreviousSentence,
        ],
    );
    assert_eq!(s.cursor().article, 0);
    let effects = run(&mut s, [Action::FinishArticle, Action::FinishArticle]);
    assert!(effects.is_empty(), "{effects:?}");
    let said = s.message().unwrap().text.clone();
    assert!(said.contains("decided already"), "{said}");
}

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks. Markets were calm."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

#[test]
fn finish_then_undo_in_the_terminal_journals_both_steps() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let labels = home.labels().display().to_string();
    let mut term = Terminal::spawn(&home, &["annotate", &corpus, "--labels", &labels], 80, 24);
    term.wait_for("sentence 1/4");
    term.send("j2");
    term.wait_until("the label saved", |s| {
        s.contains("this sentence: sanctions") && s.contains("saved")
    });
    term.send("D");
    term.wait_for("3 undecided sentences");
    term.send("D");
    term.wait_until("the finish saved", |s| {
        s.contains("article 2/2") && s.contains("saved")
    });
    term.send("u");
    term.wait_until("the finish undone", |s| {
        s.contains("article 1/2") && s.contains("not annotated") && s.contains("saved")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let events = journal(&home.labels());
    let ops: Vec<(&str, usize)> = events
        .iter()
        .map(|e| {
            (
                e["op"].as_str().unwrap(),
                e["labels"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("set", 1),
            ("set", 0),
            ("set", 0),
            ("set", 0),
            ("clear", 0),
            ("clear", 0),
            ("clear", 0),
        ]
    );
    // The three of one step were written together: one time stamp.
    assert_eq!(events[1]["ts"], events[3]["ts"]);
    assert_eq!(events[4]["ts"], events[6]["ts"]);
}
