//! Every label's guideline in full, with the schema's examples, over either view: the label
//! pane has room for a few lines of each at most. The moving keys scroll it; any other key
//! closes it.

use super::action::{Action, Effect};
use super::keymap::Key;
use super::keys::is_redraw;
use super::layout::{sanitize, word_wrap};
use super::panel::Panel;
use super::state::{Mode, State};

/// What a line of the guidelines overlay is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidelineLine {
    /// A label's key and name; the index of the label.
    Label(usize),
    /// Part of a guideline.
    Guideline,
    /// Part of an example.
    Example,
    /// Between labels.
    Blank,
}

/// The guidelines overlay: the moving keys scroll, any other key but redraw closes it.
pub(super) struct GuidelinesPanel;

impl Panel for GuidelinesPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        if is_redraw(state, key) {
            return Some(Action::Redraw);
        }
        Some(match state.keymap().action(&key) {
            Some(
                action @ (Action::NextSentence
                | Action::PreviousSentence
                | Action::ScrollDown
                | Action::ScrollUp
                | Action::FirstSentence
                | Action::LastSentence),
            ) => action.clone(),
            _ => Action::Cancel,
        })
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        let Mode::Guidelines { top } = state.mode else {
            return Vec::new();
        };
        let rows = state.guidelines_rows();
        state.mode = match super::panel::scrolled(top, &action, rows, state.guidelines_last_top()) {
            Some(top) => Mode::Guidelines { top },
            None => Mode::Normal,
        };
        Vec::new()
    }
}

impl State {
    /// The guidelines overlay's lines for text `width` cells wide: each label's key and
    /// name, its guideline wrapped, each example wrapped and quoted, a blank line between.
    pub fn guideline_lines(&self, width: usize) -> Vec<(String, GuidelineLine)> {
        let width = width.max(8);
        let mut lines = Vec::new();
        for (i, label) in self.schema.labels.iter().enumerate() {
            if i > 0 {
                lines.push((String::new(), GuidelineLine::Blank));
            }
            lines.push((sanitize(&label.name), GuidelineLine::Label(i)));
            let guideline = sanitize(&label.guideline);
            let guideline = if guideline.trim().is_empty() {
                "(no guideline)".to_owned()
            } else {
                guideline
            };
            for line in word_wrap(&guideline, width - 2) {
                lines.push((format!("  {line}"), GuidelineLine::Guideline));
            }
            for example in &label.examples {
                let quoted = format!("“{}”", sanitize(example));
                for (n, line) in word_wrap(&quoted, width - 6).into_iter().enumerate() {
                    let lead = if n == 0 { "  e.g. " } else { "       " };
                    lines.push((format!("{lead}{line}"), GuidelineLine::Example));
                }
            }
        }
        lines
    }

    /// Text columns inside the overlay's border and margins.
    pub fn guidelines_width(&self) -> usize {
        usize::from(self.screen.popup.width.saturating_sub(4))
    }

    /// Rows of lines the overlay shows at once, inside its border.
    pub fn guidelines_rows(&self) -> usize {
        usize::from(self.screen.popup.height.saturating_sub(2)).max(1)
    }

    /// The first line shown when scrolled to the end.
    pub fn guidelines_last_top(&self) -> usize {
        let lines = self.guideline_lines(self.guidelines_width()).len();
        lines.saturating_sub(self.guidelines_rows())
    }

    /// Opens the overlay at its top.
    pub(super) fn open_guidelines(&mut self) {
        self.mode = Mode::Guidelines { top: 0 };
    }
}
