//! What the model learns from: every sentence of the corpus that has an annotation, settled
//! as `stance export --resolve latest` settles it, in corpus order.

use std::collections::{BTreeMap, HashMap};

use super::Example;
use crate::attach::attach_annotation;
use crate::corpus::{Article, Span};
use crate::export::resolve::{Resolution, Resolve, resolve};
use crate::schema::Schema;
use crate::store::{Annotation, Op, Overrides};

/// The settled annotations of a corpus, and which sentences anybody annotated.
#[derive(Debug, Default)]
pub struct Settled {
    /// One example per annotated sentence whose labels the schema has, in corpus order.
    pub examples: Vec<Example>,
    /// (article, sentence) positions of every sentence with an attached annotation by
    /// anyone, examples or not (looked up for every sentence of the corpus, so hashed with
    /// FxHash).
    pub annotated: rustc_hash::FxHashSet<(usize, usize)>,
    /// Sentences left out because their settled labels name a label the schema lacks, per
    /// such name.
    pub not_in_schema: BTreeMap<String, usize>,
    /// Annotations attached to no sentence of the corpus (orphans), not learned from.
    pub orphaned: usize,
}

/// Settles `annotations` on `articles` (only the articles that annotations name are
/// segmented, with the store's boundary overrides applied); `hides` tells an article left
/// out by `--where`, whose annotations are neither learned from nor orphaned. An ignored
/// sentence counts as annotated but is not learned from.
pub fn settle<'a>(
    articles: &[Article],
    boundaries: &Overrides,
    annotations: impl IntoIterator<Item = Annotation<'a>>,
    schema: &Schema,
    hides: impl Fn(&str) -> bool,
) -> Settled {
    let by_id: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut per_article: BTreeMap<usize, Vec<Annotation<'a>>> = BTreeMap::new();
    let mut settled = Settled::default();
    for annotation in annotations {
        if !matches!(annotation.op(), Op::Set | Op::Ignore) || hides(annotation.article()) {
            continue;
        }
        match by_id.get(annotation.article()) {
            Some(&i) => per_article.entry(i).or_default().push(annotation),
            None => settled.orphaned += 1,
        }
    }
    for (article_index, annotations) in per_article {
        let article = &articles[article_index];
        let spans: Vec<Span> = crate::boundary::sentences(article, boundaries);
        let mut per_sentence: BTreeMap<usize, Vec<Annotation<'a>>> = BTreeMap::new();
        for annotation in annotations {
            match attach_annotation(Some((&article.text, &spans)), annotation) {
                Ok(sentence) => per_sentence.entry(sentence).or_default().push(annotation),
                Err(_) => settled.orphaned += 1,
            }
        }
        for (sentence, group) in per_sentence {
            settled.annotated.insert((article_index, sentence));
            let Resolution::Decided(decision) = resolve(&group, &Resolve::Latest) else {
                continue;
            };
            if decision.labels == [crate::store::IGNORE] {
                continue;
            }
            let mut labels = Vec::with_capacity(decision.labels.len());
            let mut fits = true;
            for name in &decision.labels {
                match schema.index_of(name) {
                    Some(i) => labels.push(i),
                    None => {
                        *settled.not_in_schema.entry(name.to_string()).or_default() += 1;
                        fits = false;
                    }
                }
            }
            if !fits {
                continue;
            }
            labels.sort_unstable();
            let span = spans[sentence];
            settled.examples.push(Example {
                article: article_index,
                sentence,
                text: article.text[span.start..span.end].to_owned(),
                labels,
            });
        }
    }
    settled
}
