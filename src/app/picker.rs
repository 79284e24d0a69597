//! The article list: every article with its progress, narrowed as the analyst types by a
//! fuzzy match on title and id.

use super::action::{Action, Effect};
pub use super::article_list::Picker;
use super::article_list::{fold, score, word_match};
use super::keymap::{Key, KeyCode};
use super::keys::{is_redraw, plain_char};
use super::navigate::go;
use super::panel::Panel;
use super::preview::title_or_first_words;
use super::state::{Mode, State, View};
use crate::corpus::{Clause, Filter};

/// The article list's panel.
pub(super) struct ArticleList;

impl Panel for ArticleList {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        match key.code {
            KeyCode::Char('n') if key.ctrl => Some(Action::NextSentence),
            KeyCode::Char('p') if key.ctrl => Some(Action::PreviousSentence),
            KeyCode::Char('o') if key.ctrl => Some(Action::CycleArticleOrder),
            _ if plain_char(key).is_some() => plain_char(key).map(Action::Type),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc | KeyCode::Tab => Some(Action::Cancel),
            KeyCode::Down => Some(Action::NextSentence),
            KeyCode::Up => Some(Action::PreviousSentence),
            KeyCode::PageDown => Some(Action::ScrollDown),
            KeyCode::PageUp => Some(Action::ScrollUp),
            KeyCode::Home => Some(Action::FirstSentence),
            KeyCode::End => Some(Action::LastSentence),
            _ if is_redraw(state, key) => Some(Action::Redraw),
            _ => None,
        }
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        update(state, action)
    }
}

/// Rows of matches the article list shows.
fn rows(state: &State) -> usize {
    usize::from(state.screen.picker_rows())
}

/// Opens the article list on the current article.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.picker.metadata = false;
    state.picker.problem = None;
    state.picker.query.clear();
    state.picker.matches = (0..state.articles.len() as u32).collect();
    state.picker.agreements = state.article_agreements();
    state.sort_articles();
    state.picker.scroll = 0;
    let rows = rows(state);
    let at = state
        .picker
        .matches
        .iter()
        .position(|&a| a as usize == state.cursor.article)
        .unwrap_or(0);
    state.picker.select(at, rows);
    state.mode = Mode::Articles;
    Vec::new()
}

/// Others' decisions arrived while the list is open: the agreement figures follow them
/// (the order stays until it is chosen again, so rows do not move under the selection).
pub(super) fn arrived(state: &mut State) {
    if state.mode == Mode::Articles {
        state.picker.agreements = state.article_agreements();
    }
}

/// Opens the article list with an empty metadata condition to type (every article shown).
pub(super) fn open_metadata(state: &mut State) -> Vec<Effect> {
    open(state);
    state.picker.metadata = true;
    state.picker.problem = Some("type FIELD=VALUE".to_owned());
    Vec::new()
}

/// Keeps the selection on screen after the terminal changed size.
pub(super) fn refit(state: &mut State) {
    let rows = rows(state);
    let selected = state.picker.selected;
    state.picker.select(selected, rows);
}

/// What the keys do while the article list is open.
fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let rows = rows(state);
    let picker = &mut state.picker;
    let page = rows.saturating_sub(1).max(1);
    match action {
        Action::Type(c) => {
            picker.query.push(c);
            refilter(state);
        }
        Action::Paste(text) => {
            picker.query.push_str(&text);
            refilter(state);
        }
        Action::Erase => {
            picker.query.pop();
            refilter(state);
        }
        Action::NextSentence => picker.select(picker.selected + 1, rows),
        Action::PreviousSentence => picker.select(picker.selected.saturating_sub(1), rows),
        Action::ScrollDown => picker.select(picker.selected + page, rows),
        Action::ScrollUp => picker.select(picker.selected.saturating_sub(page), rows),
        Action::FirstSentence => picker.select(0, rows),
        Action::LastSentence => picker.select(usize::MAX, rows),
        Action::Wheel(lines) => {
            let to = picker.selected.saturating_add_signed(lines as isize * 3);
            picker.select(to, rows);
        }
        Action::Submit => return jump(state),
        Action::CycleArticleOrder => {
            let selected = state.picker.matches.get(state.picker.selected).copied();
            state.picker.order = state.picker.order.next();
            refilter(state);
            let at = selected
                .and_then(|a| state.picker.matches.iter().position(|&m| m == a))
                .unwrap_or(0);
            state.picker.select(at, rows);
        }
        Action::Cancel => state.mode = Mode::Normal,
        _ => {}
    }
    Vec::new()
}

/// Goes to the selected article: its first sentence not yet decided, else its first.
fn jump(state: &mut State) -> Vec<Effect> {
    let Some(&article) = state.picker.matches.get(state.picker.selected) else {
        return Vec::new();
    };
    let article = article as usize;
    state.mode = Mode::Normal;
    if state.view == View::Review {
        state.view = View::Article;
        state.from_review = true;
    }
    let count = state.spans(article).len();
    let sentence = (0..count)
        .find(|&i| state.annotation_at(article, i).is_none())
        .unwrap_or(0);
    go(state, article, sentence)
}

fn refilter(state: &mut State) {
    if state.picker.metadata {
        return refilter_metadata(state);
    }
    let rows = rows(state);
    let query: Vec<char> = state.picker.query.chars().map(fold).collect();
    if query.is_empty() {
        state.picker.matches = (0..state.articles.len() as u32).collect();
        state.sort_articles();
        state.picker.scroll = 0;
        let at = state
            .picker
            .matches
            .iter()
            .position(|&a| a as usize == state.cursor.article)
            .unwrap_or(0);
        state.picker.select(at, rows);
        return;
    }
    let mut buf = Vec::new();
    let words: String = query.iter().collect();
    let mut scored: Vec<((u8, i64), u32)> = state
        .articles
        .iter()
        .enumerate()
        .filter_map(|(i, article)| {
            let shown = title_or_first_words(article);
            let title = score(&query, &shown, &mut buf);
            let id = score(&query, &article.id, &mut buf);
            let best = title.max(id)?;
            let tier = word_match(&words, &shown).max(word_match(&words, &article.id));
            Some(((tier, best), i as u32))
        })
        .collect();
    // Whole-word matches, then word-prefix matches, then the fuzzy rest, each by score.
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    state.picker.matches = scored.into_iter().map(|(_, i)| i).collect();
    state.sort_articles();
    state.picker.scroll = 0;
    state.picker.select(0, rows);
}

/// Keeps the articles whose metadata meets the condition typed, in corpus order; while it
/// does not parse, or names a field no article has, every article shows and the problem
/// is said.
fn refilter_metadata(state: &mut State) {
    let rows = rows(state);
    let everything = |state: &mut State, problem: String| {
        state.picker.matches = (0..state.articles.len() as u32).collect();
        state.picker.problem = Some(problem);
    };
    let typed = state.picker.query.trim();
    match typed.parse::<Clause>() {
        _ if typed.is_empty() => everything(state, "type FIELD=VALUE".to_owned()),
        Err(err) => everything(state, err.to_string()),
        Ok(clause) => {
            let known = clause.field == "id"
                || clause.field == "title"
                || state
                    .articles
                    .iter()
                    .any(|a| a.meta.iter().any(|(name, _)| *name == clause.field));
            if known {
                let filter = Filter {
                    clauses: vec![clause],
                };
                state.picker.matches = (0..state.articles.len() as u32)
                    .filter(|&i| filter.matches(&state.articles[i as usize]))
                    .collect();
                state.picker.problem = None;
            } else {
                let problem = format!("no article has the field {}", clause.field);
                everything(state, problem);
            }
        }
    }
    state.sort_articles();
    state.picker.scroll = 0;
    state.picker.select(0, rows);
}
