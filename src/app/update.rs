//! The pure update: an action changes the state and returns what the loop must do.

use super::action::{Action, Effect};
use super::edit::{decide, redo, undo};
use super::layout::Part;
use super::screen::Screen;
use super::state::{Cursor, Message, Mode, State, View};
use super::{picker, recreate, review};

/// Applies one action; returns the writes and the quit the loop must carry out, in order.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Resize { width, height } => {
            state.screen = Screen::new(width, height, state.schema.labels.len());
            state.refresh_layout();
            state.keep_cursor_visible();
            let row = state.review.selected();
            review::select(state, row);
            picker::refit(state);
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
            return quit_once_saved(state);
        }
        Action::SaveFailed {
            seq,
            reason,
            recreate,
        } => {
            state.saving.failed(seq, reason, recreate);
            return quit_once_saved(state);
        }
        Action::RecreateStore => return recreate::press(state),
        report @ (Action::Recreated { .. } | Action::RecreateFailed { .. }) => {
            let mut effects = recreate::reported(state, report);
            effects.extend(quit_once_saved(state));
            return effects;
        }
        Action::Arrived(events) => {
            state.take_arrivals(&events);
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
    match state.mode.clone() {
        Mode::Help => {
            help(state, action);
            Vec::new()
        }
        Mode::Stats => {
            state.mode = Mode::Normal;
            Vec::new()
        }
        Mode::FilterKey => review::filter_key(state, action),
        Mode::FilterText { before } => review::filter_text(state, action, before),
        Mode::Articles => picker::update(state, action),
        Mode::Search(mut query) => {
            match action {
                Action::Type(c) => {
                    query.push(c);
                    state.mode = Mode::Search(query);
                }
                Action::Paste(text) => {
                    query.push_str(&text);
                    state.mode = Mode::Search(query);
                }
                Action::Erase => {
                    query.pop();
                    state.mode = Mode::Search(query);
                }
                Action::Submit => {
                    state.mode = Mode::Normal;
                    if !query.is_empty() {
                        state.last_search = Some(query);
                    }
                    return search_next(state);
                }
                Action::Cancel => state.mode = Mode::Normal,
                _ => {}
            }
            Vec::new()
        }
        Mode::ConfirmQuit if action == Action::Quit => quit(state),
        Mode::ConfirmQuit => {
            state.mode = Mode::Normal;
            state.message = None;
            normal(state, action)
        }
        Mode::Normal => normal(state, action),
    }
}

fn normal(state: &mut State, action: Action) -> Vec<Effect> {
    if !matches!(action, Action::Wheel(_)) {
        state.message = None;
    }
    match action {
        Action::Help => {
            state.mode = Mode::Help;
            state.help_top = 0;
            return Vec::new();
        }
        Action::Stats => {
            state.mode = Mode::Stats;
            return Vec::new();
        }
        Action::Quit if state.saving.in_flight() > 0 => {
            state.saving.quit_when_saved = true;
            return say(state, "saving… stance quits once every decision is saved");
        }
        Action::Quit if state.saving.unsaved() > 0 => return ask_to_quit(state),
        Action::Quit => return quit(state),
        Action::Undo => return undo(state),
        Action::Redo => return redo(state),
        Action::Review if state.view == View::Review => {
            state.view = View::Article;
            return Vec::new();
        }
        Action::Review => return review::show(state),
        Action::Articles if state.articles.is_empty() => {
            return say(state, "the corpus has no articles");
        }
        Action::Articles => return picker::open(state),
        _ => {}
    }
    let edits = matches!(
        action,
        Action::ToggleLabel(_) | Action::NoStance | Action::Clear
    ) || (action == Action::Confirm && state.view == View::Article);
    if edits && let Some(reason) = &state.read_only {
        // Refused before anything moves, so the cursor stays on what was not saved.
        let text = format!("not saved: {reason}");
        return say_error(state, &text);
    }
    if state.view == View::Review {
        return review::update(state, action);
    }
    if state.articles.is_empty() {
        return Vec::new();
    }
    article(state, action)
}

/// What the keys do in the article view with no prompt open.
fn article(state: &mut State, action: Action) -> Vec<Effect> {
    let cursor = state.cursor;
    let last_sentence = state.sentence_count().saturating_sub(1);
    match action {
        Action::NextSentence => step(state, 1),
        Action::PreviousSentence => step(state, -1),
        Action::NextArticle if cursor.article + 1 < state.articles.len() => {
            go(state, cursor.article + 1, 0)
        }
        Action::NextArticle => say(state, "this is the last article"),
        Action::PreviousArticle if cursor.article > 0 => go(state, cursor.article - 1, 0),
        Action::PreviousArticle => say(state, "this is the first article"),
        Action::FirstSentence => go(state, cursor.article, 0),
        Action::LastSentence => go(state, cursor.article, last_sentence),
        Action::ToggleLabel(i) => toggle(state, i),
        Action::NoStance => {
            let mut effects = decide(state, Some(Vec::new()));
            effects.extend(step(state, 1));
            effects
        }
        Action::Confirm => {
            let labels = state
                .annotation(cursor.sentence)
                .cloned()
                .unwrap_or_default();
            let mut effects = decide(state, Some(labels));
            effects.extend(step(state, 1));
            effects
        }
        Action::Clear if state.annotation(cursor.sentence).is_some() => decide(state, None),
        Action::Clear => say(state, "this sentence is not annotated"),
        Action::NextUnannotated => next_unannotated(state),
        Action::Search => {
            state.mode = Mode::Search(String::new());
            Vec::new()
        }
        Action::SearchNext => search_next(state),
        Action::ScrollDown | Action::ScrollUp => {
            let page = usize::from(state.screen.text.height.saturating_sub(1)).max(1);
            state.scroll = if action == Action::ScrollDown {
                state.scroll + page
            } else {
                state.scroll.saturating_sub(page)
            };
            state.clamp_scroll();
            Vec::new()
        }
        Action::Wheel(lines) => {
            state.scroll = state.scroll.saturating_add_signed(lines as isize * 3);
            state.clamp_scroll();
            Vec::new()
        }
        Action::Click { column, row } => click(state, column, row),
        _ => Vec::new(),
    }
}

/// In the help, the moving keys scroll it; anything else closes it.
fn help(state: &mut State, action: Action) {
    let top = state.help_top;
    let page = state.help_fit().shown;
    let to = match action {
        Action::NextSentence => top + 1,
        Action::PreviousSentence => top.saturating_sub(1),
        Action::ScrollDown => top + page,
        Action::ScrollUp => top.saturating_sub(page),
        Action::FirstSentence => 0,
        Action::LastSentence => usize::MAX,
        Action::Wheel(lines) => top.saturating_add_signed(lines as isize * 3),
        _ => {
            state.mode = Mode::Normal;
            return;
        }
    };
    state.scroll_help_to(to);
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

pub(super) fn say(state: &mut State, text: &str) -> Vec<Effect> {
    state.message = Some(Message {
        text: text.to_owned(),
        error: false,
    });
    Vec::new()
}

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
fn step(state: &mut State, direction: isize) -> Vec<Effect> {
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

fn toggle(state: &mut State, label: usize) -> Vec<Effect> {
    let Some(name) = state.schema.labels.get(label).map(|l| l.name.clone()) else {
        return Vec::new();
    };
    if state.sentence_count() == 0 {
        return say(state, "this article has no sentences");
    }
    if state.schema.exclusive {
        let mut effects = decide(state, Some(vec![name]));
        effects.extend(step(state, 1));
        return effects;
    }
    let mut labels = state
        .annotation(state.cursor.sentence)
        .cloned()
        .unwrap_or_default();
    match labels.iter().position(|l| *l == name) {
        Some(i) => {
            labels.remove(i);
        }
        None => labels.push(name),
    }
    decide(state, Some(labels))
}

fn next_unannotated(state: &mut State) -> Vec<Effect> {
    let found = super::search::find_from_cursor(state, |state, article, sentence| {
        state.annotation_at(article, sentence).is_none()
    });
    match found {
        Some((article, sentence)) => go(state, article, sentence),
        None => say(state, "every sentence is annotated"),
    }
}

pub(super) fn search_next(state: &mut State) -> Vec<Effect> {
    let Some(query) = state.last_search.clone() else {
        state.mode = Mode::Search(String::new());
        return Vec::new();
    };
    match super::search::find_text(state, &query) {
        Some((article, sentence)) => {
            let mut effects = go(state, article, sentence);
            effects.extend(say(state, &format!("found {query:?}")));
            effects
        }
        None => say_error(state, &format!("not found: {query:?}")),
    }
}

fn click(state: &mut State, column: u16, row: u16) -> Vec<Effect> {
    if let Some(label) = state.screen.label_at(&state.schema, column, row) {
        // as its key does, read-only refusal included
        return update(state, Action::ToggleLabel(label));
    }
    let text = state.screen.text;
    if !state.screen.fits || !text.contains(column, row) {
        return Vec::new();
    }
    let line = state.scroll + usize::from(row - text.y);
    let column = column - text.x;
    let hit = state.layout.lines.get(line).and_then(|pieces| {
        pieces
            .iter()
            .find(|p| column >= p.column && column < p.column + p.width)
    });
    match hit.map(|p| p.part) {
        Some(Part::Sentence(i) | Part::Mark(i)) => go(state, state.cursor.article, i),
        _ => Vec::new(),
    }
}
