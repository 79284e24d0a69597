//! Finding text: the query matcher shared by search and the review list's text filter, and
//! the next sentence that matches, from the cursor on, across articles, wrapping.

use memchr::{memchr, memchr2};

use super::state::State;
use crate::corpus::Article;

/// A search query with smart case: it ignores case unless it has a capital letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    needle: String,
    fold: bool,
}

impl TextQuery {
    /// The query for `text`; an empty one matches everything.
    pub fn new(text: &str) -> TextQuery {
        let fold = !text.chars().any(char::is_uppercase);
        TextQuery {
            needle: if fold {
                text.to_lowercase()
            } else {
                text.to_owned()
            },
            fold,
        }
    }

    /// True when `haystack` contains the query.
    pub fn is_in(&self, haystack: &str) -> bool {
        let needle = self.needle.as_bytes();
        let Some(&first) = needle.first() else {
            return true;
        };
        if !self.fold {
            return memchr::memmem::find(haystack.as_bytes(), needle).is_some();
        }
        if !self.needle.is_ascii() {
            return haystack.to_lowercase().contains(&self.needle);
        }
        // An ASCII query ignoring case: candidates are the first byte in either case, then
        // the rest compared without case, with no allocation per haystack.
        let bytes = haystack.as_bytes();
        let upper = first.to_ascii_uppercase();
        let mut from = 0;
        while from + needle.len() <= bytes.len() {
            let rest = &bytes[from..=bytes.len() - needle.len()];
            let found = if upper == first {
                memchr(first, rest)
            } else {
                memchr2(first, upper, rest)
            };
            let Some(at) = found else {
                return false;
            };
            let start = from + at;
            if bytes[start..start + needle.len()].eq_ignore_ascii_case(needle) {
                return true;
            }
            from = start + 1;
        }
        false
    }
}

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

#[cfg(test)]
mod tests {
    use super::TextQuery;

    #[test]
    fn smart_case_matching() {
        let q = TextQuery::new("oil");
        assert!(q.is_in("New sanctions on OIL exports"));
        assert!(q.is_in("Oil"));
        assert!(!q.is_in("Soi l"));
        assert!(!q.is_in("oi"));
        let q = TextQuery::new("Oil");
        assert!(q.is_in("Oil prices"));
        assert!(!q.is_in("oil prices"));
        let q = TextQuery::new("東京");
        assert!(q.is_in("talks in 東京 ended"));
        let q = TextQuery::new("étude");
        assert!(q.is_in("Une ÉTUDE récente"));
        let q = TextQuery::new("a.b");
        assert!(q.is_in("xA.Bx") && !q.is_in("aXb"));
        assert!(TextQuery::new("").is_in(""));
        assert!(TextQuery::new("ab").is_in("aab"));
        assert!(!TextQuery::new("abc").is_in("ab"));
    }
}
