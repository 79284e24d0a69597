//! A paste from the terminal: text for a prompt, never keystrokes.

use super::action::Action;
use super::navigate::say;
use super::state::{Mode, State};

/// What the status bar says when a paste lands where no text is typed.
pub const IGNORED: &str = "paste ignored: it goes only into a search or filter";

/// The action a paste becomes: its text, made one line, for the prompt that is open; `None`
/// outside a prompt, with the status bar saying the paste was ignored.
pub(super) fn route(state: &mut State, text: &str) -> Option<Action> {
    match state.mode() {
        Mode::Search(_)
        | Mode::FilterText { .. }
        | Mode::Articles
        | Mode::GoTo(_)
        | Mode::Note { .. } => Some(Action::Paste(one_line(text))),
        // The quit question stays on screen: a paste is not an answer to it.
        Mode::ConfirmQuit => None,
        _ => {
            say(state, IGNORED);
            None
        }
    }
}

/// Pasted text as one line for a prompt: each run of line breaks and tabs becomes one space
/// (none at either end), and every other control character is dropped.
pub fn one_line(text: &str) -> String {
    let breaks = |c: char| matches!(c, '\n' | '\r' | '\t' | '\u{0b}' | '\u{0c}' | '\u{85}');
    text.split(breaks)
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            piece
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_becomes_one_line_without_controls() {
        assert_eq!(one_line("Envoy\x1b\x07 3\r\nof"), "Envoy 3 of");
        assert_eq!(one_line("\r\n  two  words\t\tthen\n"), "  two  words then");
        assert_eq!(one_line("a\u{9b}31mb\u{7f}\u{85}c"), "a31mb c");
        assert_eq!(one_line("\n\r\t"), "");
        assert_eq!(one_line("Zürich 北京"), "Zürich 北京");
    }
}
