//! Turning key presses into actions, which depends on what the session is doing.

use super::action::Action;
use super::keymap::{INTERRUPT, Key, KeyCode};
use super::review_list::LabelFilter;
use super::state::{Mode, State};

/// The action a key press means now; `None` when it means nothing.
pub fn action_for(state: &State, key: Key) -> Option<Action> {
    if key == INTERRUPT {
        // Whatever the keymap says: closes what is open, else quits as the quit key does.
        return Some(match state.mode() {
            Mode::Normal | Mode::ConfirmQuit => Action::Quit,
            _ => Action::Cancel,
        });
    }
    let plain_char = match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => Some(c),
        _ => None,
    };
    // Every mode redraws on the redraw key, unless it uses the key itself (a prompt types it).
    let redraw = state.keymap().action(&key) == Some(&Action::Redraw);
    match state.mode() {
        Mode::Search(_) | Mode::FilterText { .. } => match key.code {
            _ if plain_char.is_some() => plain_char.map(Action::Type),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            _ if redraw => Some(Action::Redraw),
            _ => None,
        },
        Mode::Articles => match key.code {
            KeyCode::Char('n') if key.ctrl => Some(Action::NextSentence),
            KeyCode::Char('p') if key.ctrl => Some(Action::PreviousSentence),
            _ if plain_char.is_some() => plain_char.map(Action::Type),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc | KeyCode::Tab => Some(Action::Cancel),
            KeyCode::Down => Some(Action::NextSentence),
            KeyCode::Up => Some(Action::PreviousSentence),
            KeyCode::PageDown => Some(Action::ScrollDown),
            KeyCode::PageUp => Some(Action::ScrollUp),
            KeyCode::Home => Some(Action::FirstSentence),
            KeyCode::End => Some(Action::LastSentence),
            _ if redraw => Some(Action::Redraw),
            _ => None,
        },
        Mode::FilterKey => {
            if let Some(label) = plain_char.and_then(|c| state.schema().index_of_key(c)) {
                return Some(Action::FilterBy(LabelFilter::Label(label)));
            }
            match state.keymap().action(&key) {
                Some(Action::NoStance) => Some(Action::FilterBy(LabelFilter::NoStance)),
                Some(Action::Redraw) => Some(Action::Redraw),
                _ => Some(Action::Cancel),
            }
        }
        // The moving keys scroll the help; any other key closes it, a label key too.
        Mode::Help if plain_char.is_some_and(|c| state.schema().index_of_key(c).is_some()) => {
            Some(Action::Cancel)
        }
        Mode::Help => match state.keymap().action(&key) {
            Some(
                action @ (Action::NextSentence
                | Action::PreviousSentence
                | Action::ScrollDown
                | Action::ScrollUp
                | Action::FirstSentence
                | Action::LastSentence
                | Action::Redraw),
            ) => Some(action.clone()),
            _ => Some(Action::Cancel),
        },
        // Any key but the redraw key closes the statistics.
        Mode::Stats if redraw => Some(Action::Redraw),
        Mode::Stats => Some(Action::Cancel),
        Mode::Normal | Mode::ConfirmQuit => {
            if let Some(label) = plain_char.and_then(|c| state.schema().index_of_key(c)) {
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
