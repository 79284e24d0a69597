//! `NO_COLOR`: no colour reaches the screen, and what colour told apart still is: the
//! current sentence and row are reversed from the first frame on, and a sentence's labels
//! can be read off its mark.

use crate::common;

use common::pty::{Home, Terminal};
use common::screen::{draw, find, row_text};
use common::*;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use stance::app::{Action, State};

/// alice's labels on article `a`: one label, two labels, three labels.
fn labelled(width: u16, height: u16) -> State {
    let articles = vec![
        article(
            "a",
            "Envoys met in Geneva. Sanctions were discussed. Troops stayed home. Talks went on.",
        ),
        article("b", "Talks stalled on Monday. Tariffs rose again."),
    ];
    let setup = stance::app::Setup {
        events: vec![
            stored(&articles, 0, 0, &["diplomatic"], "alice"),
            stored(&articles, 0, 1, &["diplomatic", "sanctions"], "alice"),
            stored(
                &articles,
                0,
                2,
                &["diplomatic", "sanctions", "military"],
                "alice",
            ),
        ],
        ..setup(articles)
    };
    let mut s = open(setup, width, height);
    // Resumed on the next undecided sentence: back to the first.
    run(&mut s, [Action::FirstSentence]);
    s.set_colour(false);
    s
}

fn no_colour_anywhere(buf: &Buffer) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "colour at {x},{y}: {}",
                row_text(buf, y)
            );
        }
    }
}

fn reversed(buf: &Buffer, x: u16, y: u16) -> bool {
    buf[(x, y)].modifier.contains(Modifier::REVERSED)
}

#[test]
fn without_colour_the_article_view_has_no_colour_and_marks_name_the_labels_at_80x24() {
    let s = labelled(80, 24);
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    no_colour_anywhere(buf);
    let (x, y) = find(buf, "Envoys met in Geneva.");
    assert!(reversed(buf, x, y), "the current sentence is reversed");
    assert_eq!(buf[(x - 2, y)].symbol(), "1", "one label: its key");
    assert!(reversed(buf, x - 2, y), "a label's mark is a chip");
    let (x, y) = find(buf, "Sanctions were discussed.");
    assert!(!reversed(buf, x, y), "only the current sentence is");
    let marks =
        |x: u16, y: u16| format!("{}{}", buf[(x - 2, y)].symbol(), buf[(x - 1, y)].symbol());
    assert_eq!(marks(x, y), "12", "two labels: both keys");
    let (x, y) = find(buf, "Troops stayed home.");
    assert_eq!(marks(x, y), "1+", "three labels: the first key, and more");
    let (x, y) = find(buf, "Talks went on.");
    assert_eq!(buf[(x - 2, y)].symbol(), "·", "undecided");
    // The label pane's chips and the status bar stand out by reversing.
    let (x, y) = find(buf, " 2 ");
    assert!(reversed(buf, x + 1, y), "{}", row_text(buf, y));
    let bar = buf.area.height - 2;
    assert!(reversed(buf, 0, bar), "{}", row_text(buf, bar));
    insta::assert_snapshot!("article_no_colour_80x24", terminal.backend());
}

#[test]
fn in_colour_the_same_marks_keep_their_colours() {
    let mut s = labelled(80, 24);
    s.set_colour(true);
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "Sanctions were discussed.");
    assert_eq!(buf[(x - 2, y)].symbol(), "▌");
    assert_ne!(buf[(x - 2, y)].bg, Color::Reset);
}

#[test]
fn without_colour_the_review_list_row_is_reversed_at_80x24() {
    let mut s = open(reviewed_setup(), 80, 24);
    s.set_colour(false);
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    no_colour_anywhere(buf);
    let selected = s.review().selected();
    let rows = rows(&s);
    let text: String = rows[selected].0.chars().take(12).collect();
    let (x, y) = find(buf, &text);
    assert!(reversed(buf, x, y), "{}", row_text(buf, y));
    insta::assert_snapshot!("review_no_colour_80x24", terminal.backend());
}

#[test]
fn the_first_frame_under_no_color_reverses_the_current_sentence() {
    let home = Home::new();
    let corpus = home.write(
        "news.jsonl",
        concat!(
            r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed."}"#,
            "\n"
        ),
    );
    let labels = home.labels();
    let mut t = Terminal::spawn_program(
        &home,
        env!("CARGO_BIN_EXE_stance"),
        &[
            corpus.to_str().unwrap(),
            "--labels",
            labels.to_str().unwrap(),
        ],
        &[("NO_COLOR", "1")],
        80,
        24,
    );
    // Counted: every frame the session draws by itself is on screen.
    t.wait_for("annotated (");
    let (inverse, coloured) = t.with(|p| {
        let screen = p.screen();
        let (row, col) = (0..24)
            .find_map(|r| {
                let line: String = (0..80)
                    .map(|c| match screen.cell(r, c).map(|c| c.contents()) {
                        Some(text) if !text.is_empty() => text.to_owned(),
                        _ => " ".to_owned(),
                    })
                    .collect();
                line.find("Envoys met")
                    .map(|at| (r, line[..at].chars().count() as u16))
            })
            .expect("the first sentence on screen");
        let inverse = (0..10).all(|i| screen.cell(row, col + i).unwrap().inverse());
        let coloured = (0..24).any(|r| {
            (0..80).any(|c| {
                let cell = screen.cell(r, c).unwrap();
                cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
            })
        });
        (inverse, coloured)
    });
    assert!(inverse, "the current sentence is reversed:\n{}", t.screen());
    assert!(!coloured, "no colour on screen:\n{}", t.screen());
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}
