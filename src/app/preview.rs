//! What the review preview shows for the selected row: the whole sentence, the sentences
//! either side of it, its article's title and every annotator's decision on it, and where
//! the text filter matches. The view draws it; nothing here decides for the view.

use std::ops::Range;

use super::annotations::GONE;
use super::query::TextQuery;
use super::state::{Labels, State};
use crate::corpus::{Article, Span};

/// Words an untitled article shows of its text instead of a title.
const FIRST_WORDS: usize = 8;

/// The title to show for an article: its own, or the first words of its text (ending in `…`
/// when there is more) when it has none, so that untitled articles can be told apart.
pub fn title_or_first_words(article: &Article) -> String {
    let title = article.title.trim();
    if !title.is_empty() {
        return title.to_owned();
    }
    // Only a prefix is read: an article of megabytes costs no more than a short one.
    let mut end = article.text.len().min(400);
    while !article.text.is_char_boundary(end) {
        end -= 1;
    }
    let mut words = article.text[..end].split_whitespace();
    let first: Vec<&str> = words.by_ref().take(FIRST_WORDS).collect();
    if first.is_empty() {
        return "(no text)".to_owned();
    }
    let more = words.next().is_some() || end < article.text.len();
    let mut out = first.join(" ");
    if more {
        out.push('…');
    }
    out
}

/// The selected review row, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview<'a> {
    /// The article's title, or its first words when untitled; `None` when it is gone.
    pub title: Option<String>,
    /// The article's id.
    pub article_id: &'a str,
    /// The sentence's number in its article, from 1; `None` for an orphan.
    pub number: Option<usize>,
    /// The sentence before, when there is one.
    pub before: Option<&'a str>,
    /// The row's sentence (an orphan's stored text).
    pub sentence: &'a str,
    /// The sentence after, when there is one.
    pub after: Option<&'a str>,
    /// Byte ranges of `sentence` where the text filter matches, in order.
    pub matches: Vec<Range<usize>>,
    /// Every annotator's live decision on this sentence, in annotator order (`None` labels:
    /// withdrawn in this session).
    pub annotators: Vec<(&'a str, Option<&'a Labels>)>,
    /// True when the annotation no longer matches a sentence of its article.
    pub orphaned: bool,
}

impl State {
    /// An article's sentences once segmented; the review list segments the selected row's.
    pub fn spans_of(&self, article: usize) -> Option<&[Span]> {
        self.sentences.of(article)
    }

    /// The selected review row's preview; `None` when the list has no rows.
    pub fn review_preview(&self) -> Option<Preview<'_>> {
        let id = self.review.selected_id()?;
        let entry = self.model.entry(id);
        let sentence = self.model.text(id, &self.articles);
        let article_id = self.model.article_id(id, &self.articles);
        let article = (entry.article != GONE)
            .then(|| self.articles.get(entry.article))
            .flatten();
        let orphaned = entry.orphan.is_some();
        let span = Span {
            start: entry.start,
            end: entry.end,
        };
        let index = match (article, orphaned) {
            (Some(_), false) => self
                .sentences
                .of(entry.article)
                .and_then(|spans| spans.binary_search_by_key(&span.start, |s| s.start).ok()),
            _ => None,
        };
        let neighbour = |i: Option<usize>| -> Option<&str> {
            let text = &article?.text;
            let s = self.sentences.of(entry.article)?.get(i?)?;
            text.get(s.start..s.end)
        };
        let before = neighbour(index.and_then(|i| i.checked_sub(1)));
        let after = neighbour(index.map(|i| i + 1));
        let matches = match &self.review.filter().text {
            t if t.is_empty() => Vec::new(),
            t => TextQuery::new(t).ranges(sentence),
        };
        let annotators = if orphaned || article.is_none() {
            let name = self.model.annotators()[entry.annotator as usize].as_str();
            vec![(name, entry.labels.as_ref())]
        } else {
            self.model
                .of_article(entry.article)
                .filter(|e| e.start == entry.start && e.end == entry.end && e.orphan.is_none())
                .map(|e| {
                    let name = self.model.annotators()[e.annotator as usize].as_str();
                    (name, e.labels.as_ref())
                })
                .collect()
        };
        Some(Preview {
            title: article.map(title_or_first_words),
            article_id,
            number: index.map(|i| i + 1),
            before,
            sentence,
            after,
            matches,
            annotators,
            orphaned,
        })
    }

    /// Segments the article of the selected review row, so that its preview has the
    /// sentences either side (and an orphan found on the way is shown as one).
    pub(super) fn segment_selected_row(&mut self) {
        let Some(id) = self.review.selected_id() else {
            return;
        };
        let article = self.model.entry(id).article;
        if article != GONE && article < self.articles.len() {
            self.spans(article);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, text: &str) -> Article {
        Article {
            id: "a".into(),
            title: title.into(),
            text: text.into(),
            meta: Vec::new(),
            source: "test".into(),
        }
    }

    #[test]
    fn untitled_articles_show_their_first_words() {
        assert_eq!(title_or_first_words(&article(" Talks ", "x")), "Talks");
        assert_eq!(
            title_or_first_words(&article("", "One two three four five six seven eight nine")),
            "One two three four five six seven eight…"
        );
        assert_eq!(
            title_or_first_words(&article("  ", "Short\ntext.")),
            "Short text."
        );
        assert_eq!(title_or_first_words(&article("", " \n")), "(no text)");
        let long = format!("{}tail", "é".repeat(300));
        assert!(title_or_first_words(&article("", &long)).ends_with('…'));
    }
}
