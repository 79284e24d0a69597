//! Orphaned annotations: those whose sentence is no longer in the corpus as it was.

use std::collections::HashSet;

use crate::attach::{self, Reattached};
use crate::corpus::Corpus;

use super::LabelStore;
use super::annotation::Annotation;

/// Annotations that [`attach`](crate::attach) does not attach to a sentence of `corpus`
/// (article gone, text changed, not a sentence, split or merged), in store order, leaving out those
/// [`Reattached`] finds a sentence for, as `stats` and `export` do, and those of articles
/// `--where` hid. They stay in the store (and on disk); this only finds them.
pub fn orphans<'s>(store: &'s LabelStore, corpus: &Corpus) -> Vec<Annotation<'s>> {
    let reattached = Reattached::find(
        &corpus.articles,
        store.boundaries(),
        &corpus.hidden,
        store.annotations(),
    );
    let shown = reattached
        .annotations(store.annotations())
        .filter(|a| !corpus.hides(a.article()));
    let key = |a: &Annotation<'_>| {
        (
            a.article().to_owned(),
            a.start(),
            a.end(),
            a.annotator().to_owned(),
        )
    };
    // Re-attached annotations always attach, so every orphan is one of the store's own.
    let orphaned: HashSet<(String, usize, usize, String)> =
        attach::classify(&corpus.articles, store.boundaries(), shown)
            .into_iter()
            .filter(|(_, verdict)| verdict.is_err())
            .map(|(annotation, _)| key(&annotation))
            .collect();
    store
        .annotations()
        .filter(|a| !orphaned.is_empty() && orphaned.contains(&key(a)))
        .collect()
}
