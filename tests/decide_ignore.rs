//! Ignore (`i`): "not a sentence to train on", neither labels nor a negative. Journaled as the
//! op `ignore`, replaced like a set, undone like one, marked on screen, counted as done,
//! filtered in review, left out of exports unless `--include-ignored`.

use crate::common;

use common::pty::{Home, Terminal, journal};
use common::screen::{draw, find, row_text};
use common::*;
use stance::app::{Action, LabelFilter, View};
use stance::store::{IGNORE, Op};

fn ignored() -> Vec<String> {
    vec![IGNORE.to_owned()]
}

#[test]
fn ignore_journals_an_ignore_moves_on_and_counts_as_done_but_not_as_no_stance() {
    let mut s = session(three_articles());
    let effects = run(&mut s, [Action::Ignore]);
    let saved = saves(&effects);
    assert_eq!(saved.len(), 1);
    assert_eq!((saved[0].op, saved[0].v), (Op::Ignore, 3));
    assert!(saved[0].labels.is_empty());
    assert_eq!(s.cursor().sentence, 1, "moves on, as no stance does");
    assert_eq!(s.annotation(0), Some(&ignored()));
    let counts = s.overall();
    assert_eq!(
        (counts.annotated, counts.no_stance, counts.ignored),
        (1, 0, 1)
    );
    assert_eq!(counts.labels, [0, 0, 0]);
    assert_eq!(s.article_progress(0).0, 1, "done for progress");
}

#[test]
fn undo_and_redo_put_back_what_the_ignore_replaced() {
    let mut s = session(three_articles());
    run(&mut s, [Action::ToggleLabel(1), Action::Ignore]);
    assert_eq!(s.annotation(0), Some(&ignored()));
    let undone = run(&mut s, [Action::Undo]);
    assert_eq!(
        decisions(&undone),
        [(Op::Set, "a".to_owned(), labels(&["sanctions"]))]
    );
    assert_eq!(s.annotation(0), Some(&labels(&["sanctions"])));
    let redone = run(&mut s, [Action::Redo]);
    assert_eq!(decisions(&redone), [(Op::Ignore, "a".to_owned(), vec![])]);
    assert_eq!(s.overall().ignored, 1);
    assert_eq!(s.overall().labels, [0, 0, 0]);
}

#[test]
fn a_label_key_on_an_ignored_sentence_makes_it_one_to_train_on() {
    let mut s = session(three_articles());
    run(&mut s, [Action::Ignore, Action::PreviousSentence]);
    let effects = run(&mut s, [Action::ToggleLabel(2)]);
    assert_eq!(
        decisions(&effects),
        [(Op::Set, "a".to_owned(), labels(&["military"]))]
    );
    assert_eq!(s.overall().ignored, 0);
}

#[test]
fn an_ignore_in_the_store_is_shown_with_its_own_mark_and_filtered_in_review() {
    let articles = three_articles();
    let mut ignore = stored(&articles, 0, 1, &[], "alice");
    ignore.op = Op::Ignore;
    ignore.v = 3;
    let setup = stance::app::Setup {
        events: vec![
            stored(&articles, 0, 0, &["diplomatic"], "alice"),
            ignore,
            stored(&articles, 0, 2, &[], "alice"),
        ],
        ..setup(articles)
    };
    for (width, height) in [(80, 24), (120, 40)] {
        let mut s = open(setup.clone(), width, height);
        // Resumed after the last decision, in the next article: back to the first.
        run(&mut s, [Action::PreviousArticle]);
        assert_eq!(s.annotation(1), Some(&ignored()));
        let terminal = draw(&s, width, height);
        let buf = terminal.backend().buffer();
        let (x, y) = find(buf, "Sanctions were discussed.");
        assert_eq!(buf[(x - 2, y)].symbol(), "⌀", "{}", row_text(buf, y));
        let (x, y) = find(buf, "Troops stayed home.");
        assert_eq!(buf[(x - 2, y)].symbol(), "○", "no stance keeps its mark");
        insta::assert_snapshot!(format!("article_{width}x{height}"), terminal.backend());

        run(&mut s, [Action::Review]);
        assert_eq!(s.view(), View::Review);
        assert_eq!(rows(&s).len(), 3);
        run(
            &mut s,
            [Action::FilterLabel, Action::FilterBy(LabelFilter::Ignored)],
        );
        let shown = rows(&s);
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(shown[0].0, "Sanctions were discussed.");
        assert_eq!(shown[0].2, Some(ignored()));
        let terminal = draw(&s, width, height);
        let text = format!("{:?}", terminal.backend());
        assert!(text.contains("ignored"), "the filter is named:\n{text}");
        insta::assert_snapshot!(
            format!("review_ignored_{width}x{height}"),
            terminal.backend()
        );
    }
}

#[test]
fn the_ignore_key_after_the_filter_key_filters_ignored_rows() {
    let mut s = open(reviewed_setup(), 80, 24);
    run(&mut s, [Action::Ignore]);
    assert_eq!(s.review().filter().label, LabelFilter::Any);
    let key = stance::app::Key::char('f');
    let action = stance::app::action_for(&s, key).unwrap();
    run(&mut s, [action]);
    let action = stance::app::action_for(&s, stance::app::Key::char('i')).unwrap();
    assert_eq!(action, Action::FilterBy(LabelFilter::Ignored));
    run(&mut s, [action]);
    assert_eq!(rows(&s).len(), 1, "{:?}", rows(&s));
}

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Editing by Jane Doe."}"#,
    "\n",
);

#[test]
fn ignore_undo_redo_in_the_terminal_reach_the_journal_and_exports_leave_it_out() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let labels = home.labels().display().to_string();
    let mut term = Terminal::spawn(&home, &["annotate", &corpus, "--labels", &labels], 80, 24);
    term.wait_for("sentence 1/3");
    term.send("1jj");
    term.wait_for("sentence 3/3");
    term.send("i");
    term.wait_until("the ignore saved", |s| {
        s.contains("this sentence: ignored") && s.contains("saved")
    });
    term.send("u");
    term.wait_until("undone", |s| {
        s.contains("not annotated") && s.contains("saved")
    });
    term.send("\x12");
    term.wait_until("redone", |s| {
        s.contains("this sentence: ignored") && s.contains("saved")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let events = journal(&home.labels());
    let ops: Vec<(&str, u64)> = events
        .iter()
        .map(|e| (e["op"].as_str().unwrap(), e["v"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [("set", 1), ("ignore", 3), ("clear", 1), ("ignore", 3)]
    );

    let export = |extra: &[&str]| {
        let mut args = vec!["export", &corpus, "--labels", &labels, "--format", "jsonl"];
        args.extend_from_slice(extra);
        let out = home.run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (plain, report) = export(&[]);
    assert_eq!(plain.lines().count(), 1, "{plain}");
    assert!(!plain.contains("Editing by"), "{plain}");
    assert!(
        report.contains("1 ignored sentences were left out"),
        "{report}"
    );
    let (all, _) = export(&["--include-ignored"]);
    let lines: Vec<serde_json::Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{all}");
    assert_eq!(lines[1]["text"], "Editing by Jane Doe.");
    assert_eq!(lines[1]["ignored"], true);
    assert_eq!(lines[1]["labels"], serde_json::json!([]));
    assert!(lines[0].get("ignored").is_none(), "{all}");

    let stats = home.run(&["stats", &corpus, "--labels", &labels]);
    let stats = String::from_utf8(stats.stdout).unwrap();
    assert!(stats.contains("ignored"), "{stats}");
}
