//! The pure update: an action changes the state and returns what the loop must do.

use super::action::{Action, Effect};
use super::edit::{redo, refused, undo};
use super::navigate::{say, say_error};
use super::panels::panel;
use super::screen::Screen;
use super::state::{Mode, State, View};
use super::{adjudication, finish, picker, recreate, review};

/// Applies one action; returns the writes and the quit the loop must carry out, in order.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Resize { width, height } => {
            state.screen = Screen::new(width, height, state.schema.labels.len());
            state.refresh_layout();
            state.keep_cursor_visible();
            let row = state.review.selected();
            state.select_row(row);
            picker::refit(state);
            adjudication::refresh(state);
            state.scroll_help_to(state.help_top);
            return Vec::new();
        }
        Action::Segmented { first, spans } => {
            for (i, spans) in spans.into_iter().enumerate() {
                if first + i < state.articles.len() {
                    state.install_spans(first + i, spans);
                }
            }
            return Vec::new();
        }
        Action::Tick(now) => {
            state.clock.tick(now);
            return Vec::new();
        }
        Action::Saved(seq) => {
            state.saving.saved(seq);
            super::navigate::saved_feedback(state, seq);
            // The refused decisions the quit question was about were sent again and saved.
            if state.mode == Mode::ConfirmQuit && state.saving.unsaved() == 0 {
                state.mode = Mode::Normal;
                say(state, "every decision is saved now");
            }
            return quit_once_saved(state);
        }
        Action::SaveFailed {
            seq,
            reason,
            recreate,
        } => {
            state.saving.failed(seq, reason, recreate);
            // A "saved: …" feedback must not stand beside the refusal of that very write.
            if state.message.as_ref().is_some_and(|m| !m.error) {
                state.message = None;
            }
            return quit_once_saved(state);
        }
        Action::RecreateStore => return recreate::press(state),
        Action::FinishArticle if state.mode == Mode::Normal => return finish::press(state),
        report @ (Action::Recreated { .. } | Action::RecreateFailed { .. }) => {
            let mut effects = recreate::reported(state, report);
            effects.extend(quit_once_saved(state));
            return effects;
        }
        Action::Arrived(events) => {
            state.take_arrivals(&events);
            adjudication::refresh(state);
            picker::arrived(state);
            return Vec::new();
        }
        report @ (Action::ModelTrained(_)
        | Action::Suggested(_)
        | Action::Ranked(_)
        | Action::ModelEvaluated(_)
        | Action::SuggestionShare(_)) => {
            return super::assist::reported(state, report);
        }
        Action::Reattaching(count) => {
            super::reattach::started(state, count);
            return Vec::new();
        }
        Action::Reattached(found) => {
            super::reattach::found(state, found);
            adjudication::refresh(state);
            return Vec::new();
        }
        Action::CorpusCounted(total) => {
            state.sentences.counted(total);
            return Vec::new();
        }
        Action::Notice(text) => return say_error(state, &text),
        // Whatever is open stays open, and a prompt keeps its text.
        Action::Redraw => return vec![Effect::Redraw],
        _ => {}
    }
    let action = match action {
        Action::Paste(text) => match super::paste::route(state, &text) {
            Some(action) => action,
            None => return Vec::new(),
        },
        action => action,
    };
    match state.mode {
        Mode::ConfirmQuit if action == Action::Quit => return quit(state),
        Mode::ConfirmQuit => {
            state.mode = Mode::Normal;
            state.message = None;
        }
        _ => {}
    }
    // A full view with no prompt open: first what every view shares.
    if state.mode == Mode::Normal
        && let Some(effects) = session_wide(state, &action)
    {
        return effects;
    }
    panel(state.active_panel()).update(state, action)
}

/// What the actions every full view shares do (quit, undo, the overlays, switching views),
/// and the refusal of edits in a read-only session; `None` leaves the action to the view.
fn session_wide(state: &mut State, action: &Action) -> Option<Vec<Effect>> {
    if !matches!(action, Action::Wheel(_)) {
        state.message = None;
    }
    let effects = match action {
        Action::Help => {
            state.mode = Mode::Help;
            state.help_top = 0;
            Vec::new()
        }
        Action::Stats => {
            state.mode = Mode::Stats;
            state.agreement = Some(state.model_agreement());
            Vec::new()
        }
        Action::Guidelines => {
            state.open_guidelines();
            Vec::new()
        }
        Action::ShowMetadata => {
            state.open_metadata();
            Vec::new()
        }
        Action::GoToArticle if state.articles.is_empty() => {
            say(state, "the corpus has no articles")
        }
        Action::GoToArticle => {
            state.open_go_to();
            Vec::new()
        }
        Action::Quit if state.saving.in_flight() > 0 => {
            state.saving.quit_when_saved = true;
            say(state, "saving… stance quits once every decision is saved")
        }
        Action::Quit if state.saving.unsaved() > 0 => ask_to_quit(state),
        Action::Quit => quit(state),
        Action::Undo => adjudication::after_replay(state, undo),
        Action::Redo => adjudication::after_replay(state, redo),
        Action::Review if state.origin == crate::store::Origin::Adjudicated => {
            adjudication::switch(state)
        }
        Action::Review if state.view == View::Review => {
            state.view = View::Article;
            Vec::new()
        }
        Action::Review => review::show(state),
        Action::Articles if state.articles.is_empty() => say(state, "the corpus has no articles"),
        Action::Articles => picker::open(state),
        Action::FilterMetadata if state.articles.is_empty() => {
            say(state, "the corpus has no articles")
        }
        Action::FilterMetadata => picker::open_metadata(state),
        _ => {
            let edits = matches!(
                action,
                Action::ToggleLabel(_)
                    | Action::NoStance
                    | Action::Clear
                    | Action::Ignore
                    | Action::AcceptSuggestion
                    | Action::SplitSentence
                    | Action::MergeSentence
                    | Action::Flag
                    | Action::Note
            ) || (*action == Action::Confirm && state.view == View::Article);
            return if edits { refused(state) } else { None };
        }
    };
    Some(effects)
}

/// Quit was asked while saves were under way: once the last is reported, quit, or ask first
/// if one failed.
fn quit_once_saved(state: &mut State) -> Vec<Effect> {
    if !state.saving.quit_when_saved || state.saving.in_flight() > 0 {
        return Vec::new();
    }
    state.saving.quit_when_saved = false;
    if state.saving.unsaved() == 0 {
        quit(state)
    } else {
        ask_to_quit(state)
    }
}

fn ask_to_quit(state: &mut State) -> Vec<Effect> {
    state.mode = Mode::ConfirmQuit;
    let [question, ..] = state.quit_question();
    say_error(state, &question)
}

fn quit(state: &mut State) -> Vec<Effect> {
    let mut effects: Vec<Effect> = state
        .position()
        .map(Effect::SavePosition)
        .into_iter()
        .collect();
    effects.push(Effect::Quit);
    effects
}
