//! Orphaned annotations: those whose sentence is no longer in the corpus as it was.

use std::collections::HashMap;

use crate::corpus::{Article, Corpus, Span, segment};

use super::LabelStore;
use super::annotation::Annotation;
use super::event::fingerprint;

/// Annotations whose article is missing, whose text at `start..end` no longer has the
/// stored fingerprint, or whose span is no longer a sentence of the segmentation.
/// They stay in the store (and on disk); this only finds them, in store order.
pub fn orphans<'s>(store: &'s LabelStore, corpus: &Corpus) -> Vec<Annotation<'s>> {
    let articles: HashMap<&str, &Article> =
        corpus.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    // Segment only the articles that have annotations, each once.
    let mut sentences: HashMap<&str, Vec<Span>> = HashMap::new();
    store
        .annotations()
        .filter(|event| {
            let Some(article) = articles.get(event.article()) else {
                return true;
            };
            let Some(text) = article.text.get(event.start()..event.end()) else {
                return true;
            };
            if fingerprint(text) != event.fp() {
                return true;
            }
            let spans = sentences
                .entry(article.id.as_str())
                .or_insert_with(|| segment(&article.text));
            let span = Span {
                start: event.start(),
                end: event.end(),
            };
            spans
                .binary_search_by_key(&span.start, |s| s.start)
                .map(|i| spans[i])
                != Ok(span)
        })
        .collect()
}
