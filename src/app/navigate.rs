//! Moving the cursor and saying things in the status bar: what every panel does.

use super::action::Effect;
use super::state::{Cursor, Message, State};

/// Says `text` in the status bar.
pub(super) fn say(state: &mut State, text: &str) -> Vec<Effect> {
    state.message = Some(Message {
        text: text.to_owned(),
        error: false,
    });
    Vec::new()
}

/// Says what was just decided (`what`) in the status bar, and once the write numbered
/// `seq` is synced, `saved: what`: "saved" is said only of what the store holds.
pub(super) fn say_decided(state: &mut State, what: String, seq: Option<u64>) -> Vec<Effect> {
    say(state, &what);
    state.feedback = seq.map(|seq| (seq, what));
    Vec::new()
}

/// Turns the pending feedback into `saved: …` once its write `seq` is synced, unless
/// another message took its place meanwhile.
pub(super) fn saved_feedback(state: &mut State, seq: u64) {
    let Some((pending, what)) = state.feedback.take() else {
        return;
    };
    if pending != seq {
        state.feedback = Some((pending, what));
        return;
    }
    if state
        .message
        .as_ref()
        .is_some_and(|m| !m.error && m.text == what)
    {
        say(state, &format!("saved: {what}"));
    }
}

/// Says `text` in the status bar, as an error.
pub(super) fn say_error(state: &mut State, text: &str) -> Vec<Effect> {
    state.message = Some(Message {
        text: text.to_owned(),
        error: true,
    });
    Vec::new()
}

/// Moves the cursor; entering another article saves the position.
pub(super) fn go(state: &mut State, article: usize, sentence: usize) -> Vec<Effect> {
    let changed = article != state.cursor.article;
    state.cursor = Cursor { article, sentence };
    if changed {
        state.enter_article();
    }
    state.keep_cursor_visible();
    if changed {
        state
            .position()
            .map(Effect::SavePosition)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    }
}

/// One sentence forward or back, crossing into the neighbouring article at either end.
pub(super) fn step(state: &mut State, direction: isize) -> Vec<Effect> {
    let Cursor { article, sentence } = state.cursor;
    let count = state.sentence_count();
    if direction > 0 {
        if sentence + 1 < count {
            return go(state, article, sentence + 1);
        }
        match (article + 1..state.articles.len()).find(|&a| !state.spans(a).is_empty()) {
            Some(next) => go(state, next, 0),
            None => say(state, "end of the corpus"),
        }
    } else {
        if sentence > 0 {
            return go(state, article, sentence - 1);
        }
        match (0..article).rev().find(|&a| !state.spans(a).is_empty()) {
            Some(previous) => {
                let last = state.spans(previous).len() - 1;
                go(state, previous, last)
            }
            None => say(state, "start of the corpus"),
        }
    }
}
