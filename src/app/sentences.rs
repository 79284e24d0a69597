//! The sentences of every article, found when first needed (or in the background), and the
//! corpus total once every article has them.
//!
//! Invariants: an article's sentences are set once, and change during a session only when
//! the analyst splits or merges one (a boundary override, [`Sentences::replace`]); the total
//! is known exactly when every article is segmented (or counted in the background).

use crate::corpus::Span;

/// Each article's sentences, once found.
#[derive(Debug, Clone, Default)]
pub struct Sentences {
    spans: Vec<Option<Vec<Span>>>,
    segmented: usize,
    total: Option<usize>,
}

impl Sentences {
    /// None known yet, for a corpus of `articles` articles.
    pub(super) fn new(articles: usize) -> Sentences {
        Sentences {
            spans: vec![None; articles],
            ..Sentences::default()
        }
    }

    /// Takes an article's sentences; false when it already had them (they stay as they were).
    pub(super) fn install(&mut self, article: usize, spans: Vec<Span>) -> bool {
        if self.spans[article].is_some() {
            return false;
        }
        self.spans[article] = Some(spans);
        self.segmented += 1;
        if self.segmented == self.spans.len() && self.total.is_none() {
            self.total = Some(self.spans.iter().flatten().map(Vec::len).sum());
        }
        true
    }

    /// Puts in an article's sentences as a boundary override changed them, keeping the
    /// corpus total (when known) in step.
    pub(super) fn replace(&mut self, article: usize, spans: Vec<Span>) {
        let Some(old) = self.spans[article].as_mut() else {
            self.install(article, spans);
            return;
        };
        if let Some(total) = self.total.as_mut() {
            *total = (*total + spans.len()).saturating_sub(old.len());
        }
        *old = spans;
    }

    /// An article's sentences, when found.
    pub fn of(&self, article: usize) -> Option<&[Span]> {
        self.spans.get(article)?.as_deref()
    }

    /// Whether the article is segmented.
    pub fn has(&self, article: usize) -> bool {
        self.of(article).is_some()
    }

    /// Sentences in the whole corpus, once known.
    pub fn total(&self) -> Option<usize> {
        self.total
    }

    /// The total, counted in the background before every article was segmented here.
    pub(super) fn counted(&mut self, total: usize) {
        self.total = Some(total);
    }
}
