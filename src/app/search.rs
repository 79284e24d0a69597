//! Finding text: the next (or previous) sentence whose text, or whose article's title or
//! metadata, has the query, across articles, wrapping, with which match of how many it is.

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

/// Where a search found its query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    article: usize,
    sentence: usize,
    /// In the sentence's text; false when only the article's title or metadata has it (the
    /// hit is then the article's first sentence).
    in_text: bool,
}

/// Every place `query` is found, in corpus order: each sentence whose text has it, and the
/// first sentence of each article whose title or a metadata value has it. Only the articles
/// that have it somewhere are segmented.
fn hits(state: &mut State, query: &TextQuery) -> Vec<Hit> {
    let mut out = Vec::new();
    for article in 0..state.articles.len() {
        let a = &state.articles[article];
        let heading = query.is_in(&a.title) || a.meta.iter().any(|(_, v)| query.is_in(v));
        if !heading && !query.is_in(&a.text) {
            continue;
        }
        let from = out.len();
        let count = state.spans(article).len();
        for sentence in 0..count {
            let text = state.articles[article]
                .text
                .get(sentence_range(state, article, sentence))
                .unwrap_or_default();
            if query.is_in(text) {
                out.push(Hit {
                    article,
                    sentence,
                    in_text: true,
                });
            }
        }
        if heading && out.get(from).is_none_or(|h| h.sentence > 0) {
            out.insert(
                from,
                Hit {
                    article,
                    sentence: 0,
                    in_text: false,
                },
            );
        }
    }
    out
}

/// Goes to the next match of the last search, or opens the search prompt.
pub(super) fn search_next(state: &mut State) -> Vec<Effect> {
    search(state, true)
}

/// Goes to the match before the cursor of the last search, or opens the search prompt.
pub(super) fn search_previous(state: &mut State) -> Vec<Effect> {
    search(state, false)
}

/// The match after (or before) the cursor, wrapping round the corpus; the status bar says
/// which match of how many it is, where it is when not in the text, and when it wrapped.
fn search(state: &mut State, forward: bool) -> Vec<Effect> {
    let Some(query) = state.last_search.clone() else {
        state.mode = Mode::Search(String::new());
        return Vec::new();
    };
    let hits = hits(state, &TextQuery::new(&query));
    let here = (state.cursor.article, state.cursor.sentence);
    let place = |h: &Hit| (h.article, h.sentence);
    let (index, wrapped) = if forward {
        match hits.iter().position(|h| place(h) > here) {
            Some(i) => (Some(i), false),
            None => ((!hits.is_empty()).then_some(0), true),
        }
    } else {
        match hits.iter().rposition(|h| place(h) < here) {
            Some(i) => (Some(i), false),
            None => (hits.len().checked_sub(1), true),
        }
    };
    let Some(index) = index else {
        return say_error(state, &format!("not found: {query:?}"));
    };
    let hit = hits[index];
    let mut effects = go(state, hit.article, hit.sentence);
    let mut text = format!("found {query:?}: match {} of {}", index + 1, hits.len());
    if !hit.in_text {
        text.push_str(" (in the title or metadata)");
    }
    if wrapped && hits.len() > 1 {
        text.push_str(if forward {
            " · wrapped to the first"
        } else {
            " · wrapped to the last"
        });
    } else if wrapped {
        text.push_str(" · the only one");
    }
    effects.extend(say(state, &text));
    effects
}

impl State {
    /// The query that search-again repeats, if any.
    pub fn last_search(&self) -> Option<&str> {
        self.last_search.as_deref()
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
