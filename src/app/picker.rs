//! The article list: every article with its progress, narrowed as the analyst types by a
//! fuzzy match on title and id.

use super::action::{Action, Effect};
use super::keymap::{Key, KeyCode};
use super::keys::{is_redraw, plain_char};
use super::navigate::go;
use super::panel::Panel;
use super::state::{Mode, State, View};

/// The article list's query, matches and place.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    query: String,
    matches: Vec<u32>,
    selected: usize,
    scroll: usize,
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

    fn select(&mut self, index: usize, height: usize) {
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

/// The article list's panel.
pub(super) struct ArticleList;

impl Panel for ArticleList {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        match key.code {
            KeyCode::Char('n') if key.ctrl => Some(Action::NextSentence),
            KeyCode::Char('p') if key.ctrl => Some(Action::PreviousSentence),
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
    state.picker.query.clear();
    state.picker.matches = (0..state.articles.len() as u32).collect();
    state.picker.scroll = 0;
    let rows = rows(state);
    state.picker.select(state.cursor.article, rows);
    state.mode = Mode::Articles;
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
    let rows = rows(state);
    let query: Vec<char> = state.picker.query.chars().map(fold).collect();
    if query.is_empty() {
        state.picker.matches = (0..state.articles.len() as u32).collect();
        state.picker.scroll = 0;
        state.picker.select(state.cursor.article, rows);
        return;
    }
    let mut buf = Vec::new();
    let mut scored: Vec<(i64, u32)> = state
        .articles
        .iter()
        .enumerate()
        .filter_map(|(i, article)| {
            let title = score(&query, &article.title, &mut buf);
            let id = score(&query, &article.id, &mut buf);
            let best = title.max(id)?;
            Some((best, i as u32))
        })
        .collect();
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    state.picker.matches = scored.into_iter().map(|(_, i)| i).collect();
    state.picker.scroll = 0;
    state.picker.select(0, rows);
}

fn fold(c: char) -> char {
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
