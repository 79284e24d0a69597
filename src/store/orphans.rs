//! Orphaned annotations: those whose sentence is no longer in the corpus as it was.

use crate::attach;
use crate::corpus::Corpus;

use super::LabelStore;
use super::annotation::Annotation;

/// Annotations that [`attach`](crate::attach) does not attach to a sentence of `corpus`
/// (article gone, text changed, not a sentence, split or merged), in store order. They stay in the store
/// (and on disk); this only finds them.
pub fn orphans<'s>(store: &'s LabelStore, corpus: &Corpus) -> Vec<Annotation<'s>> {
    attach::classify(&corpus.articles, store.boundaries(), store.annotations())
        .into_iter()
        .filter_map(|(annotation, verdict)| verdict.is_err().then_some(annotation))
        .collect()
}
