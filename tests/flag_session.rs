//! Flag (`!`) and note (`c`) in the session: not decisions, journaled as flag and note lines
//! through the store worker, one undo step each, shown in the article view (a mark, the
//! sentence's and the article's note) and others' with `o`.

use crate::common;

use common::screen::{draw, find, row_text};
use common::*;
use stance::app::{Action, Effect, Mode};
use stance::store::{Remark, RemarkChange, Remarks};

/// The flag and note writes among the effects, in order.
fn remarks(effects: &[Effect]) -> Vec<Remark> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveRemark { remark, .. } => Some(remark.clone()),
            _ => None,
        })
        .collect()
}

fn changes(effects: &[Effect]) -> Vec<RemarkChange> {
    remarks(effects).into_iter().map(|r| r.change).collect()
}

fn typed(text: &str) -> Vec<Action> {
    text.chars().map(Action::Type).collect()
}

#[test]
fn the_flag_key_flags_without_deciding_and_says_saved_once_synced() {
    let mut s = session(three_articles());
    let effects = stance::app::update(&mut s, Action::Flag);
    let written = remarks(&effects);
    assert_eq!(written.len(), 1);
    assert_eq!(
        (
            written[0].change.clone(),
            written[0].article.as_str(),
            written[0].start,
            written[0].end
        ),
        (RemarkChange::Flag, "a", 0, 21)
    );
    assert_eq!(written[0].text, "Envoys met in Geneva.");
    assert_eq!(written[0].annotator, "alice");
    assert_eq!(s.message().unwrap().text, "flagged · sentence 1");
    let Effect::SaveRemark { seq, .. } = effects[0] else {
        unreachable!()
    };
    stance::app::update(&mut s, Action::Saved(seq));
    assert_eq!(s.message().unwrap().text, "saved: flagged · sentence 1");
    assert_eq!(s.cursor().sentence, 0, "a flag does not move on");
    assert!(s.remark_on(0).is_some_and(|r| r.flagged));
    assert_eq!(s.annotation(0), None, "a flag is not a decision");
    assert_eq!(s.overall().annotated, 0);
    // A flagged sentence can be labelled too, and stays flagged.
    run(&mut s, [Action::ToggleLabel(0), Action::Confirm]);
    assert_eq!(s.annotation(0), Some(&labels(&["diplomatic"])));
    assert!(s.remark_on(0).is_some_and(|r| r.flagged));
}

#[test]
fn flag_again_withdraws_and_undo_and_redo_take_one_step_each() {
    let mut s = session(three_articles());
    run(&mut s, [Action::Flag, Action::NextSentence]);
    let effects = run(&mut s, [Action::PreviousSentence, Action::Flag]);
    assert_eq!(changes(&effects), [RemarkChange::Unflag]);
    assert!(s.remark_on(0).is_none());
    let undone = run(&mut s, [Action::NextSentence, Action::Undo]);
    assert_eq!(changes(&undone), [RemarkChange::Flag]);
    assert_eq!(s.cursor().sentence, 0, "undo goes to the sentence");
    assert!(s.remark_on(0).is_some_and(|r| r.flagged));
    assert_eq!(
        s.message().unwrap().text,
        "saved: undone: flag withdrawn · sentence 1"
    );
    let undone = run(&mut s, [Action::Undo]);
    assert_eq!(changes(&undone), [RemarkChange::Unflag]);
    assert!(s.remark_on(0).is_none());
    let redone = run(&mut s, [Action::Redo]);
    assert_eq!(changes(&redone), [RemarkChange::Flag]);
    assert!(s.remark_on(0).is_some_and(|r| r.flagged));
}

#[test]
fn the_note_prompt_is_prefilled_saves_on_enter_cancels_on_escape_and_empty_withdraws() {
    let mut s = session(three_articles());
    run(&mut s, [Action::Note]);
    assert_eq!(
        *s.mode(),
        Mode::Note {
            text: String::new(),
            article: false
        }
    );
    run(&mut s, typed("ask the lead"));
    let effects = run(&mut s, [Action::Submit]);
    assert_eq!(
        changes(&effects),
        [RemarkChange::Note("ask the lead".into())]
    );
    assert_eq!(
        s.remark_on(0).unwrap().note.as_deref(),
        Some("ask the lead")
    );
    assert_eq!(s.annotation(0), None);

    run(&mut s, [Action::Note]);
    assert_eq!(
        *s.mode(),
        Mode::Note {
            text: "ask the lead".into(),
            article: false
        },
        "pre-filled with the note"
    );
    let cancelled = run(&mut s, [Action::Erase, Action::Cancel]);
    assert!(cancelled.is_empty());
    assert_eq!(*s.mode(), Mode::Normal);
    assert_eq!(
        s.remark_on(0).unwrap().note.as_deref(),
        Some("ask the lead")
    );

    // Tab (the note action inside the prompt) switches to the article's note.
    run(&mut s, [Action::Note, Action::Note]);
    assert_eq!(
        *s.mode(),
        Mode::Note {
            text: String::new(),
            article: true
        }
    );
    run(&mut s, typed("opinion piece"));
    let effects = run(&mut s, [Action::Submit]);
    assert_eq!(
        changes(&effects),
        [RemarkChange::ArticleNote("opinion piece".into())]
    );
    assert_eq!(s.article_note(), Some("opinion piece"));

    let mut erase = vec![Action::Note];
    erase.extend(std::iter::repeat_n(Action::Erase, 20));
    erase.push(Action::Submit);
    let effects = run(&mut s, erase);
    assert_eq!(changes(&effects), [RemarkChange::Note(String::new())]);
    assert!(s.remark_on(0).is_none(), "an empty note withdraws it");
    let undone = run(&mut s, [Action::Undo]);
    assert_eq!(
        changes(&undone),
        [RemarkChange::Note("ask the lead".into())]
    );
    let unchanged = run(&mut s, [Action::Note, Action::Submit]);
    assert!(unchanged.is_empty(), "an unchanged note writes nothing");
}

#[test]
fn a_paste_into_the_note_prompt_is_one_line_without_control_characters() {
    let mut s = session(three_articles());
    run(&mut s, [Action::Note]);
    run(
        &mut s,
        [Action::Paste("see\x1b[31m red\r\nline two\x07".into())],
    );
    let Mode::Note { text, .. } = s.mode().clone() else {
        panic!("the prompt stays open: {:?}", s.mode());
    };
    assert_eq!(text, "see[31m red line two");
    assert!(!text.chars().any(char::is_control));
}

#[test]
fn a_read_only_session_refuses_flags_and_notes() {
    let setup = stance::app::Setup {
        read_only: Some("held by bob".into()),
        ..setup(three_articles())
    };
    let mut s = open(setup, 80, 24);
    for action in [Action::Flag, Action::Note] {
        let effects = run(&mut s, [action]);
        assert!(remarks(&effects).is_empty());
        assert_eq!(*s.mode(), Mode::Normal);
        assert!(s.message().is_some_and(|m| m.error), "{:?}", s.message());
    }
}

/// A store with bob's flag and note on sentence 2 of article a, and his article note.
fn bobs_remarks() -> Remarks {
    let mut remarks = Remarks::default();
    let text = "Sanctions were discussed.";
    for change in [
        RemarkChange::Flag,
        RemarkChange::Note("bob\x1b[2J thinks so".into()),
        RemarkChange::ArticleNote("bob's article note".into()),
    ] {
        let remark = Remark {
            article: "a".into(),
            start: 22,
            end: 22 + text.len(),
            text: text.into(),
            annotator: "bob".into(),
            change,
        };
        remarks.apply(&remark.event(1));
    }
    remarks
}

#[test]
fn flags_and_notes_are_marked_in_the_article_and_others_show_with_o() {
    for (width, height) in [(80, 24), (120, 40)] {
        let setup = stance::app::Setup {
            remarks: bobs_remarks(),
            ..setup(three_articles())
        };
        let mut s = open(setup, width, height);
        run(&mut s, [Action::Flag, Action::Note]);
        run(&mut s, typed("is this a threat?"));
        run(&mut s, [Action::Submit, Action::Note, Action::Note]);
        run(&mut s, typed("wire copy"));
        run(&mut s, [Action::Submit]);
        let terminal = draw(&s, width, height);
        let buf = terminal.backend().buffer();
        let (x, y) = find(buf, "Envoys met in Geneva.");
        assert_eq!(buf[(x - 1, y)].symbol(), "⚑", "{}", row_text(buf, y));
        let (x, y) = find(buf, "Sanctions were discussed.");
        assert_eq!(
            buf[(x - 1, y)].symbol(),
            " ",
            "bob's flag is hidden until o"
        );
        let (_, y) = find(buf, "article note: wire copy");
        assert!(row_text(buf, y).contains("id: a"));
        // Below the article at 80 columns, wrapped in the side pane at 120.
        let screen = format!("{:?}", terminal.backend());
        assert!(screen.contains("⚑ flagged · no"), "{screen}");
        assert!(screen.contains("is this a threat?"), "{screen}");
        insta::assert_snapshot!(format!("flagged_{width}x{height}"), terminal.backend());

        run(&mut s, [Action::ShowOthers, Action::NextSentence]);
        let terminal = draw(&s, width, height);
        let buf = terminal.backend().buffer();
        let (x, y) = find(buf, "Sanctions were discussed.");
        assert_eq!(buf[(x - 1, y)].symbol(), "⚑", "{}", row_text(buf, y));
        let screen = format!("{:?}", terminal.backend());
        assert!(screen.contains("bob's note: bob[2J thinks so"), "{screen}");
        assert!(
            screen.contains("bob's note: bob's article note"),
            "{screen}"
        );
        assert!(!screen.contains('\x1b'));
        insta::assert_snapshot!(
            format!("flagged_others_{width}x{height}"),
            terminal.backend()
        );
    }
}

#[test]
fn the_note_prompt_is_drawn_on_the_status_bar() {
    let mut s = session(three_articles());
    run(&mut s, [Action::Note]);
    run(&mut s, typed("why"));
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    let (_, y) = find(buf, "note on sentence 1: why▏");
    assert!(
        row_text(buf, y).contains("Enter saves"),
        "{}",
        row_text(buf, y)
    );
    insta::assert_snapshot!("note_prompt_80x24", terminal.backend());
}

#[test]
fn review_marks_flagged_rows_shows_the_note_and_w_filters_to_them() {
    let articles = three_articles();
    let setup = stance::app::Setup {
        events: vec![
            stored(&articles, 0, 0, &["diplomatic"], "alice"),
            stored(&articles, 0, 1, &["sanctions"], "alice"),
        ],
        remarks: bobs_remarks(),
        ..setup(articles)
    };
    for (width, height) in [(80, 24), (120, 40)] {
        let mut s = open(setup.clone(), width, height);
        run(&mut s, [Action::Review]);
        assert_eq!(rows(&s).len(), 2);
        run(&mut s, [Action::FilterFlagged]);
        let shown = rows(&s);
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(shown[0].0, "Sanctions were discussed.");
        let terminal = draw(&s, width, height);
        let buf = terminal.backend().buffer();
        let (_, y) = find(buf, "flagged only");
        assert!(
            row_text(buf, y).starts_with(" filter:"),
            "{}",
            row_text(buf, y)
        );
        let (_, y) = find(buf, "Sanctions were discussed.");
        assert_eq!(buf[(0, y)].symbol(), "⚑", "{}", row_text(buf, y));
        let screen = format!("{:?}", terminal.backend());
        assert!(
            screen.contains("⚑ bob · bob's note: bob[2J thinks so"),
            "{screen}"
        );
        insta::assert_snapshot!(
            format!("review_flagged_{width}x{height}"),
            terminal.backend()
        );
        // Combined with another filter; W again shows every row.
        run(&mut s, [Action::FilterAnnotator]);
        assert_eq!(rows(&s).len(), 1);
        run(&mut s, [Action::FilterFlagged, Action::ClearFilters]);
        assert_eq!(rows(&s).len(), 2);
    }
}
