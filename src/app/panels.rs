//! Which panel is behind each id (the one place a new view is registered, besides its
//! drawing in `ui`), and turning key presses into actions: the keys every panel shares,
//! then the panel that has the keyboard.

use super::action::Action;
use super::keymap::{INTERRUPT, Key};
use super::panel::{Panel, PanelId};
use super::state::{Mode, State};

/// The panel behind an id.
pub(super) fn panel(id: PanelId) -> &'static dyn Panel {
    match id {
        PanelId::Article => &super::article_view::ArticleView,
        PanelId::Review => &super::review::ReviewPanel,
        PanelId::Articles => &super::picker::ArticleList,
        PanelId::Stats => &super::stats_panel::StatsPanel,
        PanelId::Help => &super::help::HelpPanel,
        PanelId::Guidelines => &super::guidelines::GuidelinesPanel,
        PanelId::GoTo => &super::goto::GoToPanel,
        PanelId::Adjudicate => &super::adjudication::AdjudicationPanel,
        PanelId::Metadata => &super::metadata::MetadataPanel,
        PanelId::Note => &super::remark::NotePanel,
    }
}

/// The action a key press means now; `None` when it means nothing.
pub fn action_for(state: &State, key: Key) -> Option<Action> {
    if key == INTERRUPT {
        // Whatever the keymap says: closes what is open, else quits as the quit key does.
        return Some(match state.mode() {
            Mode::Normal | Mode::ConfirmQuit => Action::Quit,
            _ => Action::Cancel,
        });
    }
    panel(state.active_panel()).action_for(state, key)
}
