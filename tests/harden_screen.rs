//! The screen under hostile text and hostile sizes: drawn into a test backend at every small
//! size, and end to end in a pseudo-terminal, checked on the parsed screen.

mod common;

use common::{article, open, setup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use stance::app::layout::{MARK_WIDTH, layout};
use stance::app::screen::Screen;
use stance::app::{Action, Mode, State, update};
use stance::corpus::segment;
use stance::schema::{Colour, Label, Schema};

fn draw(state: &State, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// One grapheme of 32,767 halfwidth voiced sound marks on a base, each mark a cell of its
/// own: 65,535 cells, more than a `u16` sum of a line's cells can hold.
fn widest_grapheme() -> String {
    format!("\u{ff76}{}", "\u{ff9e}".repeat(32_767))
}

#[test]
fn a_grapheme_wider_than_u16_sums_lays_out_and_draws() {
    let text = format!("Marks: x{} end. Next sentence.", widest_grapheme());
    let spans = segment(&text);
    for width in [2, 40, 98, 200] {
        let wrapped = layout(&text, &spans, width);
        for line in &wrapped.lines {
            let end = line
                .last()
                .map_or(0, |p| u32::from(p.column) + u32::from(p.width));
            assert!(end <= u32::from(width.max(MARK_WIDTH)) || line.len() == 1);
        }
    }
    let state = open(setup(vec![article("marks", &text)]), 100, 30);
    let buf = draw(&state, 100, 30);
    assert!(row(&buf, 3).contains("Marks: x"), "{buf:?}");
}

#[test]
fn titles_and_metadata_wider_than_u16_sums_are_cut_to_the_pane() {
    let mut long = article("long", "A short text.");
    long.title = "T".repeat(70_000);
    long.meta = vec![("note".into(), "m".repeat(70_000))];
    let state = open(setup(vec![long]), 80, 24);
    let buf = draw(&state, 80, 24);
    assert!(row(&buf, 0).trim_end().ends_with("T…"), "{}", row(&buf, 0));
    assert!(row(&buf, 1).trim_end().ends_with("m…"), "{}", row(&buf, 1));
}

/// A schema of `n` labels keyed by distinct characters beyond the Basic Multilingual Plane.
fn schema_of(n: u32) -> Schema {
    let labels = (0..n)
        .map(|i| Label {
            name: format!("label-{i}"),
            key: char::from_u32(0x10000 + i).unwrap(),
            colour: Colour::Named((i % 16) as u8),
            guideline: String::new(),
        })
        .collect();
    Schema {
        labels,
        exclusive: false,
    }
}

#[test]
fn more_labels_than_rows_say_too_small_below_and_are_cut_beside() {
    assert!(!Screen::new(80, 24, 70_000).fits);
    assert!(
        Screen::new(200, 50, 70_000).fits,
        "beside the article, labels take no rows"
    );
    let mut s = setup(vec![article("a", "One. Two.")]);
    s.schema = schema_of(70_000);
    let mut state = open(s, 80, 24);
    assert!(row(&draw(&state, 80, 24), 10).contains("too small"));
    update(
        &mut state,
        Action::Resize {
            width: 200,
            height: 50,
        },
    );
    draw(&state, 200, 50);
    update(&mut state, Action::Help);
    assert_eq!(*state.mode(), Mode::Help);
    draw(&state, 200, 50);
}
