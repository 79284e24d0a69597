//! Finding text: the query matcher shared by search and the review list's text filter, and
//! the next sentence that matches, from the cursor on, across articles, wrapping.

use super::action::Effect;
use super::navigate::{go, say, say_error};
use super::query::TextQuery;
use super::state::{Mode, State};
use crate::corpus::Article;

/// The first sentence after the cursor for which `matches` holds, going through the following
/// articles and wrapping round to the cursor. Articles are segmented only as they are reached.
pub(super) fn find_from_cursor(
    state: &mut State,
    matches: impl Fn(&State, usize, usize) -> bool,
) -> Option<(usize, usize)> {
    scan(state, |_| true, matches)
}

/// The next sentence containing `query`: ignoring case unless the query has a capital letter.
pub(super) fn find_text(state: &mut State, query: &str) -> Option<(usize, usize)> {
    let query = TextQuery::new(query);
    scan(
        state,
        |article| query.is_in(&article.text),
        |state, article, sentence| {
            state.articles[article]
                .text
                .get(sentence_range(state, article, sentence))
                .is_some_and(|text| query.is_in(text))
        },
    )
}

/// Goes to the next sentence containing the last search, or opens the search prompt.
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

fn sentence_range(state: &State, article: usize, sentence: usize) -> std::ops::Range<usize> {
    state
        .sentences
        .of(article)
        .and_then(|s| s.get(sentence))
        .map_or(0..0, |s| s.start..s.end)
}

fn scan(
    state: &mut State,
    article_may_match: impl Fn(&Article) -> bool,
    matches: impl Fn(&State, usize, usize) -> bool,
) -> Option<(usize, usize)> {
    let articles = state.articles.len();
    if articles == 0 {
        return None;
    }
    let start = state.cursor;
    for step in 0..=articles {
        let article = (start.article + step) % articles;
        if !article_may_match(&state.articles[article]) {
            continue;
        }
        let count = state.spans(article).len();
        let range = match step {
            0 => start.sentence + 1..count,
            s if s == articles => 0..(start.sentence + 1).min(count),
            _ => 0..count,
        };
        if let Some(sentence) = range.into_iter().find(|&i| matches(state, article, i)) {
            return Some((article, sentence));
        }
    }
    None
}
