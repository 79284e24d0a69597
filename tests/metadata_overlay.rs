//! `M`: the current article's metadata in full (every field, long values wrapped,
//! scrollable, outside text escaped), closed by Esc, `q` or `M`.

use crate::common;

use common::pty::{Home, Terminal};
use common::screen::{draw, row_text};
use common::*;
use stance::app::keymap::KeyCode;
use stance::app::{Action, Key, Mode, State, action_for};

const TOPICS: &str = r#"["crude","opec","ship","nat-gas","iran","saudi-arabia","kuwait","venezuela","indonesia","ecuador","qatar","libya","algeria","nigeria","gabon"]"#;

fn with_metadata(width: u16, height: u16) -> State {
    let mut a = article(
        "reut-0042",
        "OPEC ministers met in Vienna. Output quotas were discussed.",
    );
    a.meta = vec![
        ("date".to_owned(), "26-FEB-1987 15:01:01.79".to_owned()),
        ("topics".to_owned(), TOPICS.to_owned()),
        (
            "places".to_owned(),
            "austria; saudi-arabia; kuwait".to_owned(),
        ),
        (
            "note\u{1b}[2J".to_owned(),
            "hostile \u{1b}]0;pwned\u{7} value".to_owned(),
        ),
        (
            "dateline".to_owned(),
            "VIENNA, Feb 26 - the dateline of a wire story, long enough to be wrapped over \
             more than one line of the overlay at every size"
                .to_owned(),
        ),
    ];
    open(
        setup(vec![a, article("b", "Talks stalled.")]),
        width,
        height,
    )
}

fn screen_text(s: &State, width: u16, height: u16) -> String {
    let terminal = draw(s, width, height);
    let buf = terminal.backend().buffer();
    (0..height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn m_shows_every_field_whole_and_escaped_at_80x24_and_120x40() {
    for (width, height) in [(80u16, 24u16), (120, 40)] {
        let mut s = with_metadata(width, height);
        let action = action_for(&s, Key::char('M')).expect("M is bound");
        assert_eq!(action, Action::ShowMetadata);
        run(&mut s, [action]);
        assert!(matches!(s.mode(), Mode::Metadata { top: 0 }));
        let lines = s.metadata_lines(s.metadata_width());
        let all: String = lines
            .iter()
            .map(|(text, _)| text.trim())
            .collect::<Vec<_>>()
            .concat();
        // Every character of the topics list is there, wrapped over several lines.
        assert!(all.contains(TOPICS), "{lines:?}");
        assert!(
            lines
                .iter()
                .filter(|(t, _)| t.contains("opec") || t.contains("gabon"))
                .count()
                >= 1
        );
        assert!(lines.len() > 8, "{lines:?}");
        let shown = screen_text(&s, width, height);
        assert!(shown.contains(" Metadata "), "{shown}");
        assert!(shown.contains("id:"), "{shown}");
        assert!(shown.contains("reut-0042"), "{shown}");
        assert!(shown.contains("note^[[2J:"), "escaped name:\n{shown}");
        assert!(shown.contains("^[]0;pwned^G"), "escaped value:\n{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown}");
        let terminal = draw(&s, width, height);
        insta::assert_snapshot!(format!("metadata_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn the_overlay_scrolls_when_it_does_not_fit_and_closes_on_esc_q_and_m() {
    let mut s = with_metadata(80, 24);
    run(&mut s, [Action::ShowMetadata]);
    let last = s.metadata_last_top();
    let rows = s.metadata_rows();
    let lines = s.metadata_lines(s.metadata_width()).len();
    assert_eq!(last, lines.saturating_sub(rows));
    if last > 0 {
        let j = action_for(&s, Key::char('j')).unwrap();
        run(&mut s, [j]);
        assert!(matches!(s.mode(), Mode::Metadata { top: 1 }));
        let end = action_for(&s, Key::char('G')).unwrap();
        run(&mut s, [end]);
        assert_eq!(*s.mode(), Mode::Metadata { top: last });
    }
    // A key that means nothing here keeps it open.
    assert_eq!(action_for(&s, Key::char('1')), None);
    for key in [Key::plain(KeyCode::Esc), Key::char('q'), Key::char('M')] {
        run(&mut s, [Action::ShowMetadata]);
        let action = action_for(&s, key).unwrap();
        run(&mut s, [action]);
        assert_eq!(*s.mode(), Mode::Normal, "{key:?} closes it");
    }
}

#[test]
fn an_article_without_other_fields_says_so() {
    let mut a = article("plain", "Just text.");
    a.meta.clear();
    let mut s = open(setup(vec![a]), 80, 24);
    run(&mut s, [Action::ShowMetadata]);
    let lines = s.metadata_lines(s.metadata_width());
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[2].0.contains("no other fields"), "{lines:?}");
}

#[test]
fn in_the_review_list_it_shows_the_selected_rows_article() {
    let mut s = open(reviewed_setup(), 80, 24);
    let selected = s.review().selected();
    let row = rows(&s)[selected].clone();
    run(&mut s, [Action::ShowMetadata]);
    let lines = s.metadata_lines(s.metadata_width());
    let article = s
        .articles()
        .iter()
        .find(|a| a.text.contains(&row.0))
        .unwrap();
    assert!(lines[0].0.contains(&article.id), "{lines:?}");
}

#[test]
fn m_in_a_real_terminal_on_a_csv_corpus_shows_the_fields_then_esc_closes() {
    let home = Home::new();
    let corpus = home.write(
        "wire.csv",
        &format!(
            "title,text,subject,date,topics\n\
             OPEC meets,\"OPEC ministers met in Vienna. Output quotas were discussed.\",\
             worldnews,\"February 26, 1987\",\"{}\"\n",
            TOPICS.replace('"', "\"\"")
        ),
    );
    let labels = home.labels();
    let mut t = Terminal::spawn(
        &home,
        &[
            corpus.to_str().unwrap(),
            "--labels",
            labels.to_str().unwrap(),
        ],
        80,
        24,
    );
    t.wait_for("annotated (");
    t.send("M");
    let screen = t.wait_for(" Metadata ");
    for shown in [
        "subject:",
        "worldnews",
        "February 26, 1987",
        "topics:",
        "\"gabon\"]",
    ] {
        assert!(screen.contains(shown), "{shown:?} missing:\n{screen}");
    }
    t.send("\x1b");
    t.wait_until("the overlay closed", |s| !s.contains(" Metadata "));
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert!(!labels.exists(), "looking writes nothing");
}
