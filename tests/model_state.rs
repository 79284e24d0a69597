//! The model in the state machine, with its worker's reports given by hand: `y` accepts
//! the suggestion shown (journaled with origin `suggestion` and its scores), every other
//! way of deciding stays typed, `preselect` pre-toggles, and the label pane keeps suggested
//! and decided apart.

use crate::common;

use common::screen::draw;
use common::{labels, open, run, saves, setup, three_articles};
use stance::app::assist::{Learned, Scored};
use stance::app::model_stats::{Evaluated, Share};
use stance::app::{Action, State};
use stance::model::eval;
use stance::model::{Source, Suggestion};
use stance::store::{Origin, Scores};

/// Scores for the default schema's three labels, all from the classifier.
fn suggestion(scores: [f64; 3]) -> Suggestion {
    Suggestion {
        scores: scores.to_vec(),
        sources: vec![Source::Model; 3],
        suggested: (0..3).filter(|&i| scores[i] >= 0.5).collect(),
        uncertainty: 0.3,
    }
}

/// A session with a model attached and trained, at `width` x `height`.
fn with_model(width: u16, height: u16) -> State {
    let mut state = open(setup(three_articles()), width, height);
    state.attach_model();
    run(
        &mut state,
        [Action::ModelTrained(Learned {
            counts: vec![(6, 9), (5, 10), (0, 15)],
        })],
    );
    state
}

/// The worker's answer for the current sentence.
fn scored(state: &mut State, scores: [f64; 3]) {
    let (key, _) = state.wanted_suggestion().expect("a sentence to score");
    run(
        state,
        [Action::Suggested(Scored {
            key,
            suggestion: suggestion(scores),
        })],
    );
}

fn message(state: &State) -> String {
    state.message().map(|m| m.text.clone()).unwrap_or_default()
}

#[test]
fn y_without_a_suggestion_says_so_and_saves_nothing() {
    let mut state = open(setup(three_articles()), 80, 24);
    state.attach_model();
    let effects = run(&mut state, [Action::AcceptSuggestion]);
    assert!(saves(&effects).is_empty());
    assert!(
        message(&state).contains("still training"),
        "{}",
        message(&state)
    );
    run(
        &mut state,
        [Action::ModelTrained(Learned {
            counts: vec![(0, 0); 3],
        })],
    );
    let effects = run(&mut state, [Action::AcceptSuggestion]);
    assert!(saves(&effects).is_empty());
    assert!(message(&state).contains("no suggestion yet"));
    assert_eq!(state.cursor().sentence, 0, "nothing decided, nothing moved");
}

#[test]
fn y_journals_the_suggestion_with_its_scores_moves_on_and_undo_redo_keep_its_origin() {
    let mut state = with_model(80, 24);
    scored(&mut state, [0.912_34, 0.7, 0.1]);
    let effects = run(&mut state, [Action::AcceptSuggestion]);
    let events = saves(&effects);
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.labels, labels(&["diplomatic", "sanctions"]));
    assert_eq!(event.origin, Origin::Suggestion);
    assert_eq!(event.v, 4);
    let expected = Scores::new(["diplomatic", "sanctions", "military"], &[0.9123, 0.7, 0.1]);
    assert_eq!(event.scores.as_ref(), Some(&expected));
    assert_eq!(state.cursor().sentence, 1, "y moves on as Enter does");
    assert!(
        message(&state).starts_with("saved: accepted suggestion: diplomatic, sanctions"),
        "{}",
        message(&state)
    );

    let undone = saves(&run(&mut state, [Action::Undo]));
    assert_eq!(undone[0].op, stance::store::Op::Clear);
    assert_eq!(undone[0].scores, None);
    let redone = saves(&run(&mut state, [Action::Redo]));
    assert_eq!(redone[0].origin, Origin::Suggestion);
    assert_eq!(redone[0].scores.as_ref(), Some(&expected));
}

#[test]
fn an_empty_suggestion_is_no_stance_and_typed_decisions_stay_typed_even_when_they_match() {
    let mut state = with_model(80, 24);
    scored(&mut state, [0.1, 0.2, 0.3]);
    let events = saves(&run(&mut state, [Action::AcceptSuggestion]));
    assert_eq!(events[0].labels, Vec::<String>::new());
    assert_eq!(events[0].origin, Origin::Suggestion);
    // The next sentence: the suggestion is diplomatic, and the analyst types it.
    scored(&mut state, [0.9, 0.2, 0.3]);
    let events = saves(&run(&mut state, [Action::ToggleLabel(0), Action::Confirm]));
    assert!(
        events
            .iter()
            .all(|e| e.origin == Origin::Typed && e.scores.is_none())
    );
    assert_eq!(events[0].labels, labels(&["diplomatic"]));
}

#[test]
fn a_suggestion_for_another_sentence_is_not_accepted() {
    let mut state = with_model(80, 24);
    scored(&mut state, [0.9, 0.9, 0.9]);
    run(&mut state, [Action::NextSentence]);
    assert!(
        state.suggestion().is_none(),
        "the scores were for the first sentence"
    );
    let effects = run(&mut state, [Action::AcceptSuggestion]);
    assert!(saves(&effects).is_empty());
}

#[test]
fn preselect_pre_toggles_the_suggestion_on_an_undecided_sentence_and_enter_types_it() {
    let mut off = with_model(80, 24);
    scored(&mut off, [0.9, 0.2, 0.8]);
    assert_eq!(off.preselected(), None, "off by default");
    let events = saves(&run(&mut off, [Action::Confirm]));
    assert_eq!(events[0].labels, Vec::<String>::new());

    let mut on = with_model(80, 24);
    on.set_preselect(true);
    scored(&mut on, [0.9, 0.2, 0.8]);
    assert_eq!(on.preselected(), Some(labels(&["diplomatic", "military"])));
    let screen = format!("{:?}", draw(&on, 80, 24).backend());
    assert!(screen.contains("[+]  1  diplomatic"), "{screen}");
    assert!(on.annotation(0).is_none(), "pre-selected is not decided");
    let events = saves(&run(&mut on, [Action::Confirm]));
    assert_eq!(events[0].labels, labels(&["diplomatic", "military"]));
    assert_eq!(events[0].origin, Origin::Typed);
    // A label key on a pre-selected sentence starts from the pre-selection.
    scored(&mut on, [0.9, 0.2, 0.8]);
    let events = saves(&run(&mut on, [Action::ToggleLabel(2)]));
    assert_eq!(events[0].labels, labels(&["diplomatic"]));
    // A decided sentence shows its decision, not the suggestion.
    assert_eq!(on.preselected(), None);
}

#[test]
fn the_label_pane_shows_training_then_scores_apart_from_the_decision() {
    let mut state = open(setup(three_articles()), 80, 24);
    state.attach_model();
    let screen = format!("{:?}", draw(&state, 80, 24).backend());
    assert!(screen.contains("model training…"), "{screen}");
    assert!(!screen.contains('%'), "no scores while training");
    run(
        &mut state,
        [Action::ModelTrained(Learned {
            counts: vec![(6, 9); 3],
        })],
    );
    scored(&mut state, [0.9123, 0.05, 0.5]);
    run(&mut state, [Action::ToggleLabel(1)]);
    insta::assert_snapshot!("label_pane_80x24", draw(&state, 80, 24).backend());
    let mut wide = with_model(160, 48);
    scored(&mut wide, [0.9123, 0.05, 0.5]);
    run(&mut wide, [Action::ToggleLabel(1)]);
    insta::assert_snapshot!("label_pane_160x48", draw(&wide, 160, 48).backend());
    let wide_screen = format!("{:?}", draw(&wide, 160, 48).backend());
    assert!(wide_screen.contains("→ diplomatic"), "{wide_screen}");
    assert!(
        wide_screen.contains("suggested (y): diplomatic,"),
        "{wide_screen}"
    );
    assert!(wide_screen.contains("91.23%"), "{wide_screen}");
    let screen = format!("{:?}", draw(&state, 80, 24).backend());
    // Decided: sanctions (a check box); suggested: diplomatic and military (a word).
    assert!(screen.contains("[x]  2  sanctions"), "{screen}");
    assert!(screen.contains("[ ]  1  diplomatic"), "{screen}");
    assert!(screen.contains("91.23%  suggested"), "{screen}");
    assert!(screen.contains("50.00%  suggested"), "{screen}");
    assert!(screen.contains("5.00%"), "{screen}");
    assert!(
        screen.contains("suggested (y): diplomatic, military"),
        "{screen}"
    );
}

#[test]
fn a_label_on_patterns_alone_says_so() {
    let mut state = with_model(80, 24);
    let (key, _) = state.wanted_suggestion().unwrap();
    let mut s = suggestion([0.9, 0.1, 0.0]);
    s.sources = vec![Source::Patterns, Source::Model, Source::Nothing];
    run(
        &mut state,
        [Action::Suggested(Scored { key, suggestion: s })],
    );
    let screen = format!("{:?}", draw(&state, 80, 24).backend());
    assert!(screen.contains("90.00%p suggested"), "{screen}");
    assert!(screen.contains("0.00%-"), "{screen}");
    assert!(screen.contains("(p: patterns only)"), "{screen}");
}

#[test]
fn space_in_uncertain_order_goes_to_the_least_sure_sentence_not_decided() {
    let mut state = with_model(80, 24);
    state.order_by_uncertainty();
    run(&mut state, [Action::NextUnannotated]);
    assert!(
        message(&state).contains("not ranked yet"),
        "{}",
        message(&state)
    );
    // Article c's second sentence, then article a's third: ranked least sure first.
    let c = three_articles()[2].text.clone();
    let a = three_articles()[0].text.clone();
    let span = |text: &str, sentence: &str| {
        let start = text.find(sentence).unwrap();
        (start, start + sentence.len())
    };
    let (c1, c2) = span(&c, "Exports were banned.");
    let (a1, a2) = span(&a, "Troops stayed home.");
    run(&mut state, [Action::Ranked(vec![(2, c1, c2), (0, a1, a2)])]);
    run(&mut state, [Action::FirstSentence, Action::NextUnannotated]);
    assert_eq!((state.cursor().article, state.cursor().sentence), (2, 1));
    assert!(message(&state).contains("least sure first"));
    run(&mut state, [Action::NoStance, Action::NextUnannotated]);
    assert_eq!((state.cursor().article, state.cursor().sentence), (0, 2));
    run(&mut state, [Action::NoStance, Action::NextUnannotated]);
    // Every ranked sentence decided: corpus order from the cursor.
    assert!(state.annotation_at(0, 2).is_some());
    assert!(!message(&state).contains("least sure first"));
}

#[test]
fn the_statistics_panel_shows_what_the_model_learned_its_quality_and_the_stores_accepted_share() {
    let mut state = with_model(80, 24);
    scored(&mut state, [0.9, 0.1, 0.1]);
    run(&mut state, [Action::AcceptSuggestion]);
    run(&mut state, [Action::NoStance]);
    // Back to the accepted sentence, decided otherwise now.
    run(&mut state, [Action::FirstSentence, Action::ToggleLabel(2)]);
    let tally = state.tally();
    assert_eq!((tally.decided, tally.accepted, tally.changed), (3, 1, 1));
    run(&mut state, [Action::Stats]);
    let screen = format!("{:?}", draw(&state, 80, 24).backend());
    assert!(
        screen.contains("Model: diplomatic 6+/9- · sanctions 5+/10- · military 0+/15- (not yet)"),
        "{screen}"
    );
    assert!(screen.contains("Quality: computing…"), "{screen}");
    assert!(
        screen.contains("Accepted suggestions: counting the store…"),
        "{screen}"
    );
    run(
        &mut state,
        [
            Action::ModelEvaluated(Evaluated {
                folds: 5,
                annotations: 15,
                counts: vec![(6, 9), (5, 10), (0, 15)],
                quality: None,
                shortfall: Some((5, 2)),
            }),
            Action::SuggestionShare(Share {
                decisions: 40,
                accepted: 10,
                changed: 3,
            }),
        ],
    );
    let screen = format!("{:?}", draw(&state, 80, 24).backend());
    assert!(
        screen.contains("Quality: needs 5 more annotations in 2 more articles (15 settled so far)"),
        "{screen}"
    );
    assert!(
        screen.contains("Accepted suggestions: 10 of 40 decisions (25%) · changed since open: 3"),
        "{screen}"
    );
    let counts = |tp, fp, fn_| eval::Counts { tp, fp, fn_ };
    run(
        &mut state,
        [Action::ModelEvaluated(Evaluated {
            folds: 5,
            annotations: 32,
            counts: vec![(12, 20), (5, 27), (2, 30)],
            quality: Some(eval::Quality {
                labels: vec![counts(6, 2, 4), counts(0, 1, 5), counts(1, 0, 1)],
            }),
            shortfall: None,
        })],
    );
    insta::assert_snapshot!("statistics_80x24", draw(&state, 80, 24).backend());
    let screen = format!("{:?}", draw(&state, 80, 24).backend());
    // diplomatic: 12 / (12 + 2 + 4); micro 14 / (14 + 3 + 10); macro (2/3 + 0 + 2/3) / 3.
    assert!(
        screen.contains("Quality (5-fold by article, 32 settled): micro F1 0.52 · macro F1 0.44"),
        "{screen}"
    );
    assert!(
        screen.contains("F1: diplomatic 0.67 · sanctions 0.00 · military needs 3 more"),
        "{screen}"
    );
    let mut wide = with_model(120, 40);
    run(
        &mut wide,
        [
            Action::ModelEvaluated(state.model_quality().unwrap().clone()),
            Action::SuggestionShare(state.suggestion_share().unwrap().clone()),
            Action::Stats,
        ],
    );
    insta::assert_snapshot!("statistics_120x40", draw(&wide, 120, 40).backend());
}
