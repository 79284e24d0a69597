//! What the keys do in the review list: move between rows, change a row's labels through
//! the same decisions as in the article, open a row's sentence in its article, and filter.

use super::action::{Action, Effect};
use super::annotations::{GONE, OrphanReason};
use super::edit::decide_on;
use super::history::Target;
use super::keymap::Key;
use super::keys::{plain_char, prompt_keys, view_keys};
use super::navigate::{go, say, say_error};
use super::panel::Panel;
use super::review_list::{Filter, LabelFilter};
use super::search::search_next;
use super::state::{Labels, Mode, State, View};
use crate::corpus::Span;
use crate::store::{IGNORE, is_ignore};

/// The review list's panel, with its filter prompts.
pub(super) struct ReviewPanel;

impl Panel for ReviewPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        match state.mode() {
            Mode::FilterText { .. } => prompt_keys(state, key),
            Mode::FilterKey => {
                if let Some(label) = plain_char(key).and_then(|c| state.schema().index_of_key(c)) {
                    return Some(Action::FilterBy(LabelFilter::Label(label)));
                }
                match state.keymap().action(&key) {
                    Some(Action::NoStance) => Some(Action::FilterBy(LabelFilter::NoStance)),
                    Some(Action::Ignore) => Some(Action::FilterBy(LabelFilter::Ignored)),
                    Some(Action::Redraw) => Some(Action::Redraw),
                    _ => Some(Action::Cancel),
                }
            }
            _ => view_keys(state, key),
        }
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        match state.mode.clone() {
            Mode::FilterKey => filter_key(state, action),
            Mode::FilterText { before } => filter_text(state, action, before),
            _ => update(state, action),
        }
    }
}

/// Rows of the review list on screen.
fn height(state: &State) -> usize {
    usize::from(state.screen.list.height).max(1)
}

/// Moves the selection to `row`, scrolling as little as needed.
fn select(state: &mut State, row: usize) {
    state.select_row(row);
}

/// Shows the review list where it was left.
pub(super) fn show(state: &mut State) -> Vec<Effect> {
    state.view = View::Review;
    state.from_review = false;
    let row = state.review.selected();
    select(state, row);
    Vec::new()
}

/// What the keys do on the review list with no prompt open.
fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let selected = state.review.selected();
    let page = height(state).saturating_sub(1).max(1);
    match action {
        Action::NextSentence => select(state, selected + 1),
        Action::PreviousSentence => select(state, selected.saturating_sub(1)),
        Action::ScrollDown => select(state, selected + page),
        Action::ScrollUp => select(state, selected.saturating_sub(page)),
        Action::FirstSentence => select(state, 0),
        Action::LastSentence => select(state, usize::MAX),
        Action::NextArticle => return other_article(state, true),
        Action::PreviousArticle => return other_article(state, false),
        Action::ToggleLabel(label) => return toggle(state, label),
        Action::NoStance => return edit_and_advance(state, |_| Some(Vec::new())),
        Action::Ignore => return edit_and_advance(state, |_| Some(vec![IGNORE.to_owned()])),
        Action::Clear => return clear(state),
        Action::Confirm => return open_in_article(state),
        Action::Search => {
            let before = state.review.filter().text.clone();
            state.mode = Mode::FilterText { before };
        }
        Action::SearchNext => return search_from_row(state, true),
        Action::SearchPrevious => return search_from_row(state, false),
        Action::NextUnannotated => {
            let hint = format!("{} goes to the article to annotate", back_key(state));
            return say(state, &hint);
        }
        Action::FilterLabel => {
            if state.schema.labels.is_empty() {
                return say(state, "the schema has no labels");
            }
            state.mode = Mode::FilterKey;
        }
        Action::FilterAnnotator => {
            let count = state.model.annotators().len() as u32;
            let next = match state.review.filter().annotator {
                None => Some(0),
                Some(a) if a + 1 < count => Some(a + 1),
                Some(_) => None,
            };
            refilter(state, |f| f.annotator = next);
        }
        Action::FilterOrphaned => refilter(state, |f| f.orphaned = !f.orphaned),
        Action::FilterDisagreements => refilter(state, |f| f.disagreements = !f.disagreements),
        Action::FilterFlagged => refilter(state, |f| f.flagged = !f.flagged),
        Action::TakeAnswer => return edit_and_advance(state, |labels| labels),
        Action::ClearFilters => refilter(state, |f| *f = Filter::default()),
        Action::Click { column, row } => {
            let list = state.screen.list;
            if state.screen.fits && list.contains(column, row) {
                let at = state.review.scroll() + usize::from(row - list.y);
                if at < state.review.rows().len() {
                    select(state, at);
                }
            }
        }
        Action::Wheel(lines) => {
            let height = height(state);
            state.review.scroll_by(lines as isize * 3, height);
        }
        _ => {}
    }
    Vec::new()
}

/// Changes the filter and recomputes the rows.
fn refilter(state: &mut State, change: impl FnOnce(&mut Filter)) {
    let mut filter = state.review.filter().clone();
    change(&mut filter);
    state.review.flagged = state
        .remarks
        .sentences()
        .filter(|(_, r)| r.flagged)
        .map(|((article, start, end, _), _)| (article.to_owned(), start, end))
        .collect();
    state
        .review
        .set_filter(filter, &state.model, &state.articles, &state.schema);
    let row = state.review.selected();
    select(state, row);
}

/// The key after `FilterLabel`: the label to filter by, or anything else to cancel.
fn filter_key(state: &mut State, action: Action) -> Vec<Effect> {
    state.mode = Mode::Normal;
    if let Action::FilterBy(label) = action {
        let label = if state.review.filter().label == label {
            LabelFilter::Any
        } else {
            label
        };
        refilter(state, |f| f.label = label);
    }
    Vec::new()
}

/// Typing the text filter: it applies at each key; Enter keeps it (and makes it the search
/// that search-again repeats), Escape puts back the one before.
fn filter_text(state: &mut State, action: Action, before: String) -> Vec<Effect> {
    let mut text = state.review.filter().text.clone();
    match action {
        Action::Type(c) => text.push(c),
        Action::Paste(pasted) => text.push_str(&pasted),
        Action::Erase => {
            text.pop();
        }
        Action::Submit => {
            state.mode = Mode::Normal;
            if !text.is_empty() {
                state.last_search = Some(text);
            }
            return Vec::new();
        }
        Action::Cancel => {
            state.mode = Mode::Normal;
            text = before;
        }
        _ => return Vec::new(),
    }
    refilter(state, |f| f.text = text);
    Vec::new()
}

/// The first row of the next (or previous) article.
fn other_article(state: &mut State, forward: bool) -> Vec<Effect> {
    let rows = state.review.rows();
    let Some(&id) = rows.get(state.review.selected()) else {
        return Vec::new();
    };
    let article_of = |i: usize| state.model.article_id(rows[i], &state.articles);
    let here = state.model.article_id(id, &state.articles);
    let selected = state.review.selected();
    let found = if forward {
        (selected + 1..rows.len()).find(|&i| article_of(i) != here)
    } else {
        // Back to the start of this article's rows, then to the start of the one before.
        let start = (0..selected).rev().find(|&i| article_of(i) != here);
        start.map(|end| {
            let before = article_of(end);
            (0..end)
                .rev()
                .find(|&i| article_of(i) != before)
                .map_or(0, |i| i + 1)
        })
    };
    match found {
        Some(row) => {
            select(state, row);
            Vec::new()
        }
        None if forward => say(state, "this is the last article in the list"),
        None => say(state, "this is the first article in the list"),
    }
}

/// The selected row's sentence, segmenting its article; `None` when there is no row or it is
/// orphaned (which segmenting the article may just have found).
fn row_sentence(state: &mut State) -> Option<(u32, usize, usize, Span)> {
    let id = state.review.selected_id()?;
    let entry = state.model.entry(id);
    let (article, span) = (
        entry.article,
        Span {
            start: entry.start,
            end: entry.end,
        },
    );
    if entry.orphan.is_none() && article != GONE {
        // Segmenting may show that the span is no longer a sentence.
        let sentence = state
            .spans(article)
            .binary_search_by_key(&span.start, |s| s.start)
            .ok();
        if let Some(sentence) = sentence
            && state.model.entry(id).orphan.is_none()
        {
            return Some((id, article, sentence, span));
        }
    }
    None
}

fn toggle(state: &mut State, label: usize) -> Vec<Effect> {
    let Some(name) = state.schema.labels.get(label).map(|l| l.name.clone()) else {
        return Vec::new();
    };
    if state.schema.exclusive {
        return edit_and_advance(state, |_| Some(vec![name]));
    }
    edit(state, |labels| {
        let mut labels = labels.unwrap_or_default();
        if is_ignore(&labels) {
            labels.clear();
        }
        match labels.iter().position(|l| *l == name) {
            Some(i) => {
                labels.remove(i);
            }
            None => labels.push(name),
        }
        Some(labels)
    })
}

/// Decides the selected row's sentence as the session's annotator, starting from the labels
/// shown on the row; when the row is someone else's, the selection moves to the new row.
fn edit(state: &mut State, change: impl FnOnce(Option<Labels>) -> Option<Labels>) -> Vec<Effect> {
    let Some(id) = state.review.selected_id() else {
        return say(state, "no row to change");
    };
    let Some((id, article, sentence, span)) = row_sentence(state).filter(|r| r.0 == id) else {
        return say_orphaned(state, id);
    };
    let entry = state.model.entry(id);
    let mine = entry.annotator == state.model.me();
    let after = change(entry.labels.clone());
    let target = Target::Sentence {
        article,
        sentence,
        span,
    };
    let effects = decide_on(state, target, after);
    if !mine
        && let Some(row) = state
            .model
            .find(article, span, state.model.me())
            .and_then(|id| state.review.row_of(&state.model, id))
    {
        select(state, row);
    }
    effects
}

/// Edits the row, then selects the first row of the next sentence.
fn edit_and_advance(
    state: &mut State,
    change: impl FnOnce(Option<Labels>) -> Option<Labels>,
) -> Vec<Effect> {
    let Some(id) = state.review.selected_id() else {
        return say(state, "no row to change");
    };
    let entry = state.model.entry(id);
    let sentence = (entry.article, entry.start, entry.end);
    let effects = edit(state, change);
    let rows = state.review.rows();
    let next = (state.review.selected()..rows.len()).find(|&i| {
        let e = state.model.entry(rows[i]);
        (e.article, e.start, e.end) != sentence
    });
    if let Some(row) = next {
        select(state, row);
    }
    effects
}

fn say_orphaned(state: &mut State, id: u32) -> Vec<Effect> {
    let reason = match state.model.entry(id).orphan.as_ref().map(|o| o.reason) {
        Some(OrphanReason::ArticleGone) => "its article is gone",
        Some(OrphanReason::TextChanged) => "its text changed",
        Some(OrphanReason::Split) => "its sentence was split",
        Some(OrphanReason::Merged) => "its sentence was merged",
        _ => "it is no longer a sentence",
    };
    let text = format!("orphaned ({reason}): x deletes it, or leave it as it is");
    say(state, &text)
}

/// Withdraws the session annotator's annotation on the row, or deletes their orphan.
fn clear(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.review.selected_id() else {
        return say(state, "no row to change");
    };
    let entry = state.model.entry(id);
    if entry.annotator != state.model.me() {
        let name = &state.model.annotators()[entry.annotator as usize];
        let text = format!("this is {name}'s annotation: only {name} can withdraw it");
        return say(state, &text);
    }
    if entry.labels.is_none() {
        return say(state, "already withdrawn (u undoes)");
    }
    if entry.orphan.is_some() {
        let effects = decide_on(state, Target::Orphan(id), None);
        say(state, "orphaned annotation deleted (u undoes)");
        return effects;
    }
    match row_sentence(state) {
        Some((_, article, sentence, span)) => {
            let target = Target::Sentence {
                article,
                sentence,
                span,
            };
            decide_on(state, target, None)
        }
        // Segmenting just found it orphaned: delete it as one.
        None => decide_on(state, Target::Orphan(id), None),
    }
}

/// Shows the row's sentence in its article; Tab comes back to the same row.
fn open_in_article(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.review.selected_id() else {
        return say(state, "no row to open");
    };
    if let Some((_, article, sentence, _)) = row_sentence(state) {
        state.view = View::Article;
        state.from_review = true;
        let effects = go(state, article, sentence);
        let hint = format!("{} goes back to the list", back_key(state));
        say(state, &hint);
        return effects;
    }
    let entry = state.model.entry(id);
    if entry.article == GONE {
        let id = state.model.article_id(id, &state.articles).to_owned();
        return say_error(state, &format!("article {id:?} is no longer in the corpus"));
    }
    // An orphan: the place in the article where it was.
    let (article, start) = (entry.article, entry.start);
    let sentence = state
        .spans(article)
        .iter()
        .position(|s| s.end > start)
        .unwrap_or(0);
    state.view = View::Article;
    state.from_review = true;
    let effects = go(state, article, sentence);
    let hint = format!(
        "orphaned: its sentence was here; {} goes back to the list",
        back_key(state)
    );
    say(state, &hint);
    effects
}

/// The first key that switches back to the list, for hints.
fn back_key(state: &State) -> String {
    state
        .keymap
        .keys_of(&Action::Review)
        .first()
        .map_or_else(|| "review".to_owned(), ToString::to_string)
}

/// Search-again from the review list: the next (or previous) sentence in the corpus from the
/// row's that contains the last search (or text filter), shown in its article.
fn search_from_row(state: &mut State, forward: bool) -> Vec<Effect> {
    if state.last_search.is_none() {
        let before = state.review.filter().text.clone();
        state.mode = Mode::FilterText { before };
        return Vec::new();
    }
    let mut effects = Vec::new();
    if let Some((_, article, sentence, _)) = row_sentence(state) {
        effects = go(state, article, sentence);
    }
    effects.extend(if forward {
        search_next(state)
    } else {
        super::search::search_previous(state)
    });
    if state.message.as_ref().is_some_and(|m| !m.error) {
        state.view = View::Article;
        state.from_review = true;
    }
    effects
}
