//! The article pane keeps a few lines of context above and below the current sentence, so
//! the next one is never cut off at the bottom row; at 80x24 and 120x40.

use crate::common;

use common::screen::{draw, row_text};
use common::*;
use stance::app::state::SCROLL_OFF;
use stance::app::{Action, State};

fn long_article() -> Vec<stance::corpus::Article> {
    // Paragraphs of one sentence: taller than the pane at both sizes.
    let text: Vec<String> = (1..=40)
        .map(|i| format!("Sentence number {i} says what the envoys said on day {i}."))
        .collect();
    vec![article("long", &text.join("\n\n"))]
}

/// The current sentence has `SCROLL_OFF` lines (or what the pane allows) on each side,
/// except where the text begins or ends.
fn assert_context(s: &State) {
    let height = usize::from(s.screen().text.height);
    let lines = s.layout().lines.len();
    let (first, last) = s.layout().sentence_lines[s.cursor().sentence];
    let margin = SCROLL_OFF.min(height.saturating_sub(last - first + 1) / 2);
    let at = format!(
        "sentence {} lines {first}-{last}, scroll {}, height {height}",
        s.cursor().sentence,
        s.scroll()
    );
    assert!(
        first >= s.scroll() + margin || s.scroll() == 0,
        "above: {at}"
    );
    assert!(
        last + margin < s.scroll() + height || s.scroll() + height == lines,
        "below: {at}"
    );
}

#[test]
fn moving_down_and_up_keeps_lines_of_context_either_side() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut s = open(setup(long_article()), width, height);
        let count = s.sentence_count();
        for _ in 1..count {
            run(&mut s, [Action::NextSentence]);
            assert_context(&s);
        }
        assert!(s.scroll() > 0);
        for _ in 1..count {
            run(&mut s, [Action::PreviousSentence]);
            assert_context(&s);
        }
        assert_eq!(s.scroll(), 0);
    }
}

#[test]
fn the_next_sentence_is_not_on_a_cut_last_row() {
    let mut s = open(setup(long_article()), 80, 24);
    // Down until the text scrolls: the sentence after the current one is still in sight.
    while s.scroll() == 0 {
        run(&mut s, [Action::NextSentence]);
    }
    let next = s.cursor().sentence + 1;
    let (_, next_last) = s.layout().sentence_lines[next];
    let height = usize::from(s.screen().text.height);
    assert!(next_last < s.scroll() + height, "sentence {next} in full");
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    let screen: String = (0..24).map(|y| row_text(buf, y)).collect();
    assert!(
        screen.contains(&format!("said on day {}.", next + 1)),
        "{screen}"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn scroll_off_at_120x40() {
    let mut s = open(setup(long_article()), 120, 40);
    run(&mut s, std::iter::repeat_n(Action::NextSentence, 20));
    assert_context(&s);
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}
