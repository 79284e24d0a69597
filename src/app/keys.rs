//! The key handling the panels share: text prompts, the full views' keys.

use super::action::Action;
use super::keymap::{Key, KeyCode};
use super::state::State;

/// The character of a key typed without Control or Alt.
pub(super) fn plain_char(key: Key) -> Option<char> {
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => Some(c),
        _ => None,
    }
}

/// True when `key` is bound to the redraw action.
pub(super) fn is_redraw(state: &State, key: Key) -> bool {
    state.keymap().action(&key) == Some(&Action::Redraw)
}

/// The keys of a text prompt: characters type, Backspace erases, Enter submits, Escape
/// cancels; the redraw key still redraws unless the prompt types it.
pub(super) fn prompt_keys(state: &State, key: Key) -> Option<Action> {
    match key.code {
        _ if plain_char(key).is_some() => plain_char(key).map(Action::Type),
        KeyCode::Backspace => Some(Action::Erase),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Esc => Some(Action::Cancel),
        _ if is_redraw(state, key) => Some(Action::Redraw),
        _ => None,
    }
}

/// The keys of a full view with no prompt open: a label key toggles its label, else the
/// keymap says; Escape cancels (closes a message).
pub(super) fn view_keys(state: &State, key: Key) -> Option<Action> {
    if let Some(label) = plain_char(key).and_then(|c| state.schema().index_of_key(c)) {
        return Some(Action::ToggleLabel(label));
    }
    match state.keymap().action(&key) {
        Some(action) => Some(action.clone()),
        None if key.code == KeyCode::Esc => Some(Action::Cancel),
        None => None,
    }
}
