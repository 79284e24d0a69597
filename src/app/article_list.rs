//! What the article list holds: the query typed, the articles that match it ranked by a fuzzy
//! match on title and id, and the place in them.

/// The article list's query, matches and place.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub(super) query: String,
    pub(super) matches: Vec<u32>,
    pub(super) selected: usize,
    pub(super) scroll: usize,
    /// The query is a metadata condition (FIELD=VALUE), not a fuzzy match on title and id.
    pub(super) metadata: bool,
    /// Why the metadata condition typed does not apply yet (it is incomplete or names a
    /// field no article has); the list then shows every article.
    pub(super) problem: Option<String>,
    /// The order the matches are sorted in.
    pub(super) order: super::article_order::ListOrder,
    /// Each article's agreement on its sentences, computed when the list opens and again
    /// when others' decisions arrive while it is open.
    pub(super) agreements: Vec<Option<crate::agree::SetAgreement>>,
}

impl Picker {
    /// What has been typed.
    pub fn query(&self) -> &str {
        &self.query
    }
    /// Article indices that match, best first (corpus order when nothing is typed).
    pub fn matches(&self) -> &[u32] {
        &self.matches
    }
    /// The selected match.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The first match on screen.
    pub fn scroll(&self) -> usize {
        self.scroll
    }
    /// True when the query is a metadata condition, FIELD=VALUE.
    pub fn is_metadata(&self) -> bool {
        self.metadata
    }
    /// Why the metadata condition typed does not apply (yet).
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The order the matches are sorted in.
    pub fn order(&self) -> super::article_order::ListOrder {
        self.order
    }
    /// An article's agreement on the label set over its sentences two or more annotators
    /// decided; `None` without such a sentence (or before the list was opened).
    pub fn agreement(&self, article: usize) -> Option<&crate::agree::SetAgreement> {
        self.agreements.get(article)?.as_ref()
    }

    pub(super) fn select(&mut self, index: usize, height: usize) {
        let height = height.max(1);
        self.selected = index.min(self.matches.len().saturating_sub(1));
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + height {
            self.scroll = self.selected + 1 - height;
        }
        self.scroll = self.scroll.min(self.matches.len().saturating_sub(height));
    }
}

pub(super) fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// How well `text` matches the folded `query` as a subsequence; `None` when it does not.
/// Matches in a row and at the start of words count most, gaps and a late start count
/// against; a contiguous occurrence is scored too and the better of the two is kept.
pub fn score(query: &[char], text: &str, buf: &mut Vec<char>) -> Option<i64> {
    if query.is_empty() {
        return Some(0);
    }
    buf.clear();
    buf.extend(text.chars().map(fold));
    let chars = &buf[..];
    // The earliest end of a match, then the latest start that still matches before it.
    let mut q = 0;
    let mut end = None;
    for (i, &c) in chars.iter().enumerate() {
        if c == query[q] {
            q += 1;
            if q == query.len() {
                end = Some(i);
                break;
            }
        }
    }
    let end = end?;
    let mut q = query.len();
    let mut start = end;
    for i in (0..=end).rev() {
        if chars[i] == query[q - 1] {
            q -= 1;
            if q == 0 {
                start = i;
                break;
            }
        }
    }
    let mut best = window_score(query, chars, start, end);
    if query.len() <= chars.len() {
        for at in 0..=chars.len() - query.len() {
            if chars[at..at + query.len()] == *query {
                best = best.max(window_score(query, chars, at, at + query.len() - 1));
            }
        }
    }
    Some(best)
}

/// How `text` holds the folded `query` as words: 2 when it is there as a whole word (or
/// words), 1 when some word starts with it, 0 otherwise.
pub fn word_match(query: &str, text: &str) -> u8 {
    if query.is_empty() {
        return 0;
    }
    let text: String = text.chars().map(fold).collect();
    let mut best = 0;
    for (at, _) in text.match_indices(query) {
        let starts = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if !starts {
            continue;
        }
        let ends = text[at + query.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        best = best.max(if ends { 2 } else { 1 });
    }
    best
}

fn window_score(query: &[char], chars: &[char], start: usize, end: usize) -> i64 {
    let mut score = 0;
    let mut q = 0;
    let mut after_match = false;
    for i in start..=end {
        if q < query.len() && chars[i] == query[q] {
            let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
            score += 16 + if word_start { 12 } else { 0 } + if after_match { 8 } else { 0 };
            after_match = true;
            q += 1;
        } else {
            score -= 1;
            after_match = false;
        }
    }
    score - (start as i64).min(40) / 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(query: &str, titles: &[&str]) -> Vec<String> {
        let q: Vec<char> = query.chars().map(fold).collect();
        let mut buf = Vec::new();
        let mut scored: Vec<(i64, &str)> = titles
            .iter()
            .filter_map(|t| Some((score(&q, t, &mut buf)?, *t)))
            .collect();
        scored.sort_by_key(|b| std::cmp::Reverse(b.0));
        scored.into_iter().map(|(_, t)| t.to_owned()).collect()
    }

    #[test]
    fn whole_words_then_prefixes() {
        assert_eq!(word_match("opec", "opec cuts output"), 2);
        assert_eq!(word_match("opec", "after the opec-led cut"), 2);
        assert_eq!(word_match("opec", "opec's output"), 2);
        assert_eq!(word_match("ope", "talks open in vienna"), 1);
        assert_eq!(word_match("pec", "opec cuts"), 0);
        assert_eq!(word_match("opec", "o p e c"), 0);
        assert_eq!(word_match("oil price", "the oil prices fell"), 1);
        assert_eq!(word_match("", "x"), 0);
    }

    #[test]
    fn word_starts_and_runs_rank_first() {
        let ranked = rank(
            "gen",
            &[
                "Agents sign a deal",
                "Talks in Geneva",
                "Green energy now",
                "Nothing here",
            ],
        );
        assert_eq!(
            ranked,
            ["Talks in Geneva", "Agents sign a deal", "Green energy now"]
        );
        let ranked = rank(
            "sanc",
            &["Senate and council meet", "New sanctions on Iran"],
        );
        assert_eq!(ranked[0], "New sanctions on Iran");
        assert_eq!(rank("nk", &["North Korea"]), ["North Korea"]);
        assert!(rank("xyz", &["North Korea"]).is_empty());
        assert_eq!(rank("東京", &["会談 東京で"]).len(), 1);
    }
}
