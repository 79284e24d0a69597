//! Writing the label store back after another process removed, replaced or truncated it.
//!
//! A refusal that only recreating the store can cure ([`Action::SaveFailed`] with
//! `recreate`) keeps its decision `NOT SAVED` and puts a hint in the status bar. The
//! recreate key asks first; pressed again while the question shows, it hands the store the
//! job ([`Effect::RecreateStore`]): what is at the path is kept aside, the store's
//! annotations are written there, and then every decision still refused is handed to the
//! store again, in the order made, as the session holds it now.

use super::action::{Action, Effect};
use super::edit::write_again;
use super::layout::sanitize;
use super::navigate::{say, say_error};
use super::state::{Mode, State};

impl State {
    /// What the status bar says while a refused decision waits for the store to be
    /// recreated, longest wording first (it shows the longest that fits); `None` when none
    /// waits, or while the store is being recreated.
    pub fn recreate_hint(&self) -> Option<[String; 3]> {
        if !self.saving.needs_recreate() || self.saving.recreating {
            return None;
        }
        Some(match self.recreate_key() {
            Some(key) => [
                format!(
                    "press {key} to recreate the label store with every decision this session knows"
                ),
                format!("{key} recreates the label store"),
                format!("{key}: recreate store"),
            ],
            None => [
                "bind recreate_store to a key to write the label store back".to_owned(),
                "bind recreate_store to a key".to_owned(),
                "no recreate key".to_owned(),
            ],
        })
    }

    /// The first key bound to recreating the store, as the status bar writes it.
    fn recreate_key(&self) -> Option<String> {
        let key = self.keymap.keys_of(&Action::RecreateStore).first()?;
        Some(sanitize(&key.to_string()))
    }

    /// The question the recreate key asks before it acts.
    fn recreate_question(&self) -> String {
        let key = self.recreate_key().unwrap_or_else(|| "it".to_owned());
        format!(
            "press {key} again to recreate the store with every decision this session \
             knows (a file found at its path is kept aside)"
        )
    }
}

/// The recreate key: asks, and once asked (the question still showing: any other key clears
/// it, as it clears every message) hands the store the job.
pub(super) fn press(state: &mut State) -> Vec<Effect> {
    if !matches!(state.mode, Mode::Normal | Mode::ConfirmQuit) {
        return Vec::new();
    }
    state.mode = Mode::Normal;
    if state.saving.recreating {
        return say(state, "recreating the label store…");
    }
    if !state.saving.needs_recreate() {
        return say(
            state,
            "nothing to recreate: the label store is still where this session writes it",
        );
    }
    let question = state.recreate_question();
    let asked = state.message.as_ref().is_some_and(|m| m.text == question);
    if !asked {
        return say_error(state, &question);
    }
    state.saving.recreating = true;
    say(state, "recreating the label store…");
    vec![Effect::RecreateStore]
}

/// The store worker's report on recreating the store: on success, every decision still
/// refused is handed to the store again in the order made.
pub(super) fn reported(state: &mut State, report: Action) -> Vec<Effect> {
    state.saving.recreating = false;
    match report {
        Action::Recreated { kept } => {
            let effects = state
                .saving
                .refused_in_order()
                .into_iter()
                .map(|key| write_again(state, key))
                .collect();
            let text = match kept {
                Some(kept) => {
                    format!("label store recreated; the file found at the path was kept as {kept}")
                }
                None => "label store recreated with every decision this session knows \
                         (no file was left at the path)"
                    .to_owned(),
            };
            say(state, &text);
            effects
        }
        Action::RecreateFailed { reason } => {
            say_error(state, &format!("label store not recreated: {reason}"))
        }
        _ => Vec::new(),
    }
}
