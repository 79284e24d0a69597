//! The screen under hostile text and hostile sizes: drawn into a test backend at every small
//! size, and end to end in a pseudo-terminal, checked on the parsed screen.

mod common;

use common::{article, open, setup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use stance::app::layout::{MARK_WIDTH, is_hostile, layout};
use stance::app::screen::Screen;
use stance::app::{Action, Effect, Mode, State, update};
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
            examples: Vec::new(),
            patterns: Vec::new(),
            threshold: None,
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

/// Sessions in each state the view draws differently.
fn sessions() -> Vec<(&'static str, State)> {
    let evil = "Start \u{1b}[2J\u{9b}31m\u{202e}x\u{200d}\u{301}\u{0} 東京👍🏽 end. Next.";
    let mut hostile = article("evil\u{1b}]0;t\u{7}", evil);
    hostile.title = format!("Title {evil}");
    hostile.meta = vec![(evil.to_owned(), evil.to_owned())];
    let normal = open(setup(vec![hostile, article("empty", "")]), 80, 24);
    let mut help = normal.clone();
    update(&mut help, Action::Help);
    let mut scrolled_help = normal.clone();
    let smallest = Action::Resize {
        width: 30,
        height: 12,
    };
    for action in [smallest, Action::Help, Action::LastSentence] {
        update(&mut scrolled_help, action);
    }
    let mut search = normal.clone();
    update(&mut search, Action::Search);
    for c in "\u{9b}q\u{202e}東".chars() {
        update(&mut search, Action::Type(c));
    }
    let mut quitting = normal.clone();
    let effects = update(&mut quitting, Action::ToggleLabel(1));
    let Some(Effect::Save { seq, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let reason = "No space left on device \u{1b}[2J".to_owned();
    update(
        &mut quitting,
        Action::SaveFailed {
            seq: *seq,
            reason,
            recreate: false,
        },
    );
    update(&mut quitting, Action::Quit);
    let mut empty_article = normal.clone();
    update(&mut empty_article, Action::NextArticle);
    let mut many = setup(vec![article("a", "One. Two.")]);
    many.schema = schema_of(9);
    many.schema.exclusive = true;
    let mut one = setup(vec![article("a", "One. Two.")]);
    one.schema = schema_of(1);
    one.schema.labels[0].name = "東京".repeat(30);
    one.schema.labels[0].guideline = "\u{1b}[2J guideline ".repeat(20);
    vec![
        ("normal", normal),
        ("help", help),
        ("help scrolled to its end", scrolled_help),
        ("search", search),
        ("confirm quit", quitting),
        ("article without sentences", empty_article),
        ("no articles", open(setup(Vec::new()), 80, 24)),
        ("nine exclusive labels", open(many, 80, 24)),
        ("one wide label", open(one, 80, 24)),
    ]
}

/// "Terminal too small" as the view cuts it to `width` cells.
fn too_small_shown(width: u16) -> String {
    let full = "Terminal too small";
    if usize::from(width) >= full.len() {
        return full.to_owned();
    }
    let kept: String = full.chars().take(usize::from(width) - 1).collect();
    format!("{kept}…")
}

#[test]
fn every_small_size_draws_in_every_state_and_says_too_small_below_the_minimum() {
    for (name, state) in sessions() {
        for width in 1..=32 {
            for height in 1..=14 {
                let mut sized = state.clone();
                update(&mut sized, Action::Resize { width, height });
                let buf = draw(&sized, width, height);
                let rows: Vec<String> = (0..height).map(|y| row(&buf, y)).collect();
                let shown = || format!("{name} at {width}x{height}:\n{}", rows.join("\n"));
                for cell in buf.content() {
                    assert!(!cell.symbol().contains(is_hostile), "{}", shown());
                }
                if sized.screen().fits && *sized.mode() == Mode::Help {
                    assert!(rows.iter().any(|r| r.contains(" Keys ")), "{}", shown());
                    let total = sized.help_rows().len();
                    if sized.help_fit().scrolls() {
                        let place = format!(" of {total} ");
                        assert!(rows.iter().any(|r| r.contains(&place)), "{}", shown());
                    }
                    if name == "help scrolled to its end" {
                        // The last row's keys, as the help draws them (its words may be cut).
                        let rows_of_help = sized.help_rows();
                        let last = &rows_of_help.last().expect("help has rows").0;
                        assert!(
                            rows.iter().any(|r| r.contains(&format!("│ {last} "))),
                            "{}",
                            shown()
                        );
                    }
                } else if sized.screen().fits {
                    let status = &rows[usize::from(height) - 2];
                    assert!(status.starts_with(" article "), "{}", shown());
                } else {
                    let message = too_small_shown(width);
                    assert!(
                        rows.iter().any(|r| r.trim() == message.trim()),
                        "{}",
                        shown()
                    );
                }
            }
        }
        // A frame drawn before the session has heard of the new size.
        for (width, height) in [(1, 1), (12, 4), (79, 24), (81, 25), (250, 70)] {
            draw(&state, width, height);
        }
    }
}
