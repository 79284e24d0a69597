//! The views that take the keyboard, behind one small interface: each panel turns keys into
//! actions and carries actions out; the view in `ui` draws it. A new view is a new file that
//! implements [`Panel`], a [`PanelId`], and one arm here and one in `ui`'s `draw`.
//!
//! What every view shares (quit, undo, the help, switching views, the keys that work
//! everywhere) is decided before a panel is asked: see `keys::action_for` and `update`.

use super::action::{Action, Effect};
use super::keymap::Key;
use super::state::{Mode, State, View};

/// A view that has the keyboard.
pub(super) trait Panel: Sync {
    /// The action `key` means while this panel has the keyboard; `None` when nothing.
    fn action_for(&self, state: &State, key: Key) -> Option<Action>;

    /// Carries out `action` while this panel has the keyboard; returns what the loop must do.
    fn update(&self, state: &mut State, action: Action) -> Vec<Effect>;
}

/// Which panel has the keyboard, or is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelId {
    /// One article, sentence by sentence (and its search prompt).
    Article,
    /// The review list (and its filter prompts).
    Review,
    /// The list of articles, over either view.
    Articles,
    /// The statistics, over either view.
    Stats,
    /// The keys, over either view.
    Help,
    /// Every label's guideline and examples, over either view.
    Guidelines,
    /// The go-to-article prompt, over either view.
    GoTo,
    /// The disputed sentences of `stance adjudicate`, side by side.
    Adjudicate,
    /// The article's metadata in full, over either view.
    Metadata,
    /// The note prompt, over the article view.
    Note,
}

impl PanelId {
    /// True for the full views, which the overlays sit on.
    pub fn is_view(self) -> bool {
        matches!(
            self,
            PanelId::Article | PanelId::Review | PanelId::Adjudicate
        )
    }
}

impl State {
    /// The panel that has the keyboard: the overlay that is open, else the view under it.
    pub fn active_panel(&self) -> PanelId {
        match self.mode() {
            Mode::Help => PanelId::Help,
            Mode::Stats => PanelId::Stats,
            Mode::Articles => PanelId::Articles,
            Mode::Guidelines { .. } => PanelId::Guidelines,
            Mode::GoTo(_) => PanelId::GoTo,
            Mode::Metadata { .. } => PanelId::Metadata,
            Mode::Note { .. } => PanelId::Note,
            _ => self.view_panel(),
        }
    }

    /// The full view under any overlay.
    pub fn view_panel(&self) -> PanelId {
        match self.view() {
            View::Article => PanelId::Article,
            View::Review => PanelId::Review,
            View::Adjudicate => PanelId::Adjudicate,
        }
    }
}

/// Where a scrolling overlay (guidelines, metadata) starts after `action`, from `top`, with
/// `rows` lines on screen and `last` the last top that still fills it; `None` when the
/// action closes the overlay.
pub(super) fn scrolled(top: usize, action: &Action, rows: usize, last: usize) -> Option<usize> {
    let page = rows.saturating_sub(1).max(1);
    let top = match action {
        Action::NextSentence => top + 1,
        Action::PreviousSentence => top.saturating_sub(1),
        Action::ScrollDown => top + page,
        Action::ScrollUp => top.saturating_sub(page),
        Action::FirstSentence => 0,
        Action::LastSentence => usize::MAX,
        _ => return None,
    };
    Some(top.min(last))
}
