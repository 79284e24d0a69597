//! Guidelines in full: the side label pane wraps each guideline into the rows it has, and
//! `L` shows every label's guideline and the schema's examples, scrolling when long; at
//! 80x24 and 120x40.

use crate::common;

use std::path::Path;

use common::screen::{draw, row_text};
use common::*;
use stance::app::keymap::{Key, KeyCode};
use stance::app::{Action, Mode, State, action_for};
use stance::schema::Schema;

const SCHEMA: &str = r#"
[[labels]]
name = "diplomatic"
key = "1"
colour = "blue"
guideline = "Talks, negotiations, envoys, summits, treaties, appeals for dialogue or de-escalation, and any statement by a foreign ministry that calls for either; not a mere visit without talks."
examples = ["The envoys met in Geneva to resume talks.", "Beijing called for restraint on both sides."]

[[labels]]
name = "sanctions"
key = "2"
colour = "yellow"
guideline = "Economic pressure: sanctions, embargoes, tariffs, asset freezes, export or trade bans."
examples = ["The EU froze the assets of six officials."]

[[labels]]
name = "military"
key = "3"
guideline = "Force or its threat: troops, strikes, weapons tests, drills, deployments, arms sales."
"#;

fn session(width: u16, height: u16) -> State {
    let schema = Schema::parse(SCHEMA, Path::new("schema.toml")).expect("the schema parses");
    let setup = stance::app::Setup {
        schema,
        ..setup(three_articles())
    };
    open(setup, width, height)
}

fn press(s: &mut State, c: char) {
    let key = Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: false,
    };
    if let Some(action) = action_for(s, key) {
        run(s, [action]);
    }
}

fn screen_text(s: &State, width: u16, height: u16) -> String {
    let terminal = draw(s, width, height);
    let buf = terminal.backend().buffer();
    let rows: Vec<String> = (0..height).map(|y| row_text(buf, y)).collect();
    rows.join("\n")
}

fn folded(text: &str) -> String {
    text.split(['│', '\n'])
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn l_shows_every_guideline_and_example_in_full_and_scrolls() {
    let mut s = session(80, 24);
    press(&mut s, 'L');
    assert_eq!(*s.mode(), Mode::Guidelines { top: 0 });
    let lines: Vec<String> = s
        .guideline_lines(s.guidelines_width())
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    let all = folded(&lines.join("\n"));
    assert!(all.contains("not a mere visit without talks."), "{all}");
    assert!(
        all.contains("e.g. “The envoys met in Geneva to resume talks.”"),
        "{all}"
    );
    assert!(
        all.contains("“The EU froze the assets of six officials.”"),
        "{all}"
    );
    assert!(all.contains("arms sales."), "{all}");
    let screen = screen_text(&s, 80, 24);
    assert!(screen.contains(" Guidelines "), "{screen}");
    // j scrolls a line when the guidelines are longer than the panel, else stays.
    let last = s.guidelines_last_top();
    press(&mut s, 'j');
    assert_eq!(*s.mode(), Mode::Guidelines { top: 1.min(last) });
    press(&mut s, 'G');
    assert_eq!(*s.mode(), Mode::Guidelines { top: last });
    // Any other key closes it, and does nothing else.
    press(&mut s, '1');
    assert_eq!(*s.mode(), Mode::Normal);
    assert_eq!(s.annotation(0), None);
    press(&mut s, 'L');
    run(&mut s, [Action::Cancel]);
    assert_eq!(*s.mode(), Mode::Normal);
}

#[test]
fn guidelines_overlay_80x24() {
    let mut s = session(80, 24);
    press(&mut s, 'L');
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn guidelines_overlay_scrolls_at_80x16() {
    let mut s = session(80, 16);
    press(&mut s, 'L');
    assert!(s.guidelines_last_top() > 0, "longer than the panel");
    let screen = screen_text(&s, 80, 16);
    assert!(
        screen.contains(&format!(
            "of {}",
            s.guideline_lines(s.guidelines_width()).len()
        )),
        "{screen}"
    );
    assert!(screen.contains("other keys close"), "{screen}");
    press(&mut s, 'G');
    let screen = folded(&screen_text(&s, 80, 16));
    assert!(screen.contains("arms sales."), "{screen}");
}

#[test]
fn the_side_pane_wraps_whole_guidelines_at_120x40() {
    let s = session(120, 40);
    let screen = screen_text(&s, 120, 40);
    let pane: String = screen
        .lines()
        .map(|row| row.chars().skip(83).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    let pane = folded(&pane);
    assert!(pane.contains("not a mere visit without talks."), "{pane}");
    assert!(pane.contains("deployments, arms sales."), "{pane}");
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

#[test]
fn l_is_in_the_help() {
    let mut s = session(120, 40);
    press(&mut s, '?');
    let screen = screen_text(&s, 120, 40);
    assert!(screen.contains("guidelines in full"), "{screen}");
}
