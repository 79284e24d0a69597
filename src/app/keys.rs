//! Turning key presses into actions, which depends on what the session is doing.

use super::action::Action;
use super::keymap::{Key, KeyCode};
use super::state::{Mode, State};

/// The action a key press means now; `None` when it means nothing.
pub fn action_for(state: &State, key: Key) -> Option<Action> {
    match state.mode() {
        Mode::Search(_) => match key.code {
            KeyCode::Char('c') if key.ctrl => Some(Action::Cancel),
            KeyCode::Char(c) if !key.ctrl && !key.alt => Some(Action::Type(c)),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            _ => None,
        },
        // Any key closes the help.
        Mode::Help => Some(Action::Cancel),
        Mode::Normal | Mode::ConfirmQuit => {
            if let KeyCode::Char(c) = key.code
                && !key.ctrl
                && !key.alt
                && let Some(label) = state.schema().index_of_key(c)
            {
                return Some(Action::ToggleLabel(label));
            }
            match state.keymap().action(&key) {
                Some(action) => Some(action.clone()),
                None if key.code == KeyCode::Esc => Some(Action::Cancel),
                None => None,
            }
        }
    }
}
