//! Cross-validation by article, and learning curves in corpus and in uncertain order.
//!
//! Folds: article `i` (0-based, in corpus order, counting only articles with at least one
//! example) is in fold `i % k`. Each fold is scored by a model trained on the other folds;
//! counts are pooled over folds (micro) and per-label F1 is averaged over labels (macro).

use std::collections::HashMap;

use super::encoder::Feature;
use super::score::Occurrences;
use super::{Example, Model, patterns};
use crate::schema::Schema;

/// The fewest examples `--eval` works with.
pub const MIN_EXAMPLES: usize = 20;

/// Picks made between two re-scorings of the pool in the uncertain-order simulation.
pub const PICKS_PER_ROUND: usize = 10;

/// Examples of the uncertain-order simulation taken in corpus order before the model picks.
pub const SEED: usize = 10;

/// True and false positives and false negatives of one label, pooled over folds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Suggested and given.
    pub tp: usize,
    /// Suggested, not given.
    pub fp: usize,
    /// Given, not suggested.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp); `None` when nothing was suggested.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn); `None` when the label was never given.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// 2tp / (2tp + fp + fn); `None` when the label was neither given nor suggested.
    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// Test sentences that carry the label.
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Quality over all folds: counts per label (schema order), micro and macro F1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quality {
    /// Per label, in schema order.
    pub labels: Vec<Counts>,
}

impl Quality {
    /// F1 of the counts pooled over labels; `None` when nothing was given or suggested.
    pub fn micro_f1(&self) -> Option<f64> {
        let sum = self.labels.iter().fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            fp: a.fp + c.fp,
            fn_: a.fn_ + c.fn_,
        });
        sum.f1()
    }

    /// Mean of the per-label F1s that are defined; `None` when none is.
    pub fn macro_f1(&self) -> Option<f64> {
        let f1s: Vec<f64> = self.labels.iter().filter_map(Counts::f1).collect();
        (!f1s.is_empty()).then(|| f1s.iter().sum::<f64>() / f1s.len() as f64)
    }
}

/// Fold of each example: its article's rank among articles with examples, modulo `k`.
pub fn folds(examples: &[Example], k: usize) -> Vec<usize> {
    let mut rank: HashMap<usize, usize> = HashMap::new();
    let mut order: Vec<usize> = examples.iter().map(|e| e.article).collect();
    order.sort_unstable();
    order.dedup();
    for (i, article) in order.into_iter().enumerate() {
        rank.insert(article, i);
    }
    examples.iter().map(|e| rank[&e.article] % k).collect()
}

/// The folds `stance suggest --eval` uses without `--folds`.
pub const FOLDS: usize = 5;

/// What `k`-fold evaluation of `examples` still lacks: (annotations, annotated articles)
/// more; `None` when there is enough.
pub fn shortfall(examples: &[Example], k: usize) -> Option<(usize, usize)> {
    let articles = article_count(examples);
    (examples.len() < MIN_EXAMPLES || articles < k).then(|| {
        (
            MIN_EXAMPLES.saturating_sub(examples.len()),
            k.saturating_sub(articles),
        )
    })
}

fn article_count(examples: &[Example]) -> usize {
    let mut articles: Vec<usize> = examples.iter().map(|e| e.article).collect();
    articles.sort_unstable();
    articles.dedup();
    articles.len()
}

/// Why there is too little to evaluate, as one line.
pub fn too_few(examples: &[Example], k: usize) -> Option<String> {
    shortfall(examples, k).map(|_| {
        format!(
            "--eval needs at least {MIN_EXAMPLES} settled annotations in at least {k} articles \
             (one test fold each); the store has {} in {} articles",
            examples.len(),
            article_count(examples)
        )
    })
}

/// One sentence ready to score or learn: features and pattern words found once.
struct Encoded<'e> {
    example: &'e Example,
    features: Vec<Feature>,
    /// For scoring as [`Model::suggest`] does, when the encoder is scored word by word.
    occurrences: Option<Occurrences>,
    words: Vec<String>,
}

/// The suggestion [`Model::suggest`] gives `item`'s sentence.
fn suggest(model: &Model, item: &Encoded) -> super::Suggestion {
    match &item.occurrences {
        Some(occurrences) => model.suggest_occurrences(occurrences, &item.words),
        None => model.suggest_encoded(&item.features, &item.words),
    }
}

fn encode<'e>(model: &Model, examples: impl Iterator<Item = &'e Example>) -> Vec<Encoded<'e>> {
    examples
        .map(|example| {
            let mut features = Vec::new();
            model.encode(&example.text, &mut features);
            Encoded {
                example,
                features,
                occurrences: model.occurrences(&example.text),
                words: patterns::words(&example.text),
            }
        })
        .collect()
}

fn score(model: &Model, test: &[&Encoded], counts: &mut [Counts]) {
    for item in test {
        let suggested = suggest(model, item).suggested;
        for (label, c) in counts.iter_mut().enumerate() {
            match (
                suggested.contains(&label),
                item.example.labels.contains(&label),
            ) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, true) => c.fn_ += 1,
                (false, false) => {}
            }
        }
    }
}

/// Makes an untrained model: [`Model::new`] for stance's own, others for measurements.
pub type Factory<'f> = &'f dyn Fn() -> Model;

/// A model trained on `train` (in its order) the way [`Model::fit`] trains.
fn trained(new: Factory, train: &[&Encoded]) -> Model {
    let mut model = new();
    for epoch in 0..model.epochs(train.len()) {
        for item in train {
            model.learn(&item.features, &item.example.labels, epoch == 0);
        }
    }
    model
}

/// `k`-fold cross-validation of `examples` (in corpus order).
pub fn cross_validate(schema: &Schema, examples: &[Example], k: usize) -> Quality {
    cross_validate_with(&|| Model::new(schema), schema, examples, k)
}

/// [`cross_validate`] of the models `new` makes.
pub fn cross_validate_with(
    new: Factory,
    schema: &Schema,
    examples: &[Example],
    k: usize,
) -> Quality {
    let fold_of = folds(examples, k);
    let encoder = new();
    let all = encode(&encoder, examples.iter());
    let mut counts = vec![Counts::default(); schema.labels.len()];
    for fold in 0..k {
        let train: Vec<&Encoded> = (0..all.len())
            .filter(|&i| fold_of[i] != fold)
            .map(|i| &all[i])
            .collect();
        let model = trained(new, &train);
        let test: Vec<&Encoded> = (0..all.len())
            .filter(|&i| fold_of[i] == fold)
            .map(|i| &all[i])
            .collect();
        score(&model, &test, &mut counts);
    }
    Quality { labels: counts }
}

/// How the training annotations of a curve point were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The first N in corpus order.
    Corpus,
    /// Picked by the model, most uncertain first, after [`SEED`] in corpus order.
    Uncertain,
}

/// One point of a learning curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Training annotations per fold (fewer when a fold's training pool is smaller).
    pub annotations: usize,
    /// How they were chosen.
    pub order: Order,
    /// Quality on the test folds.
    pub quality: Quality,
}

/// The training sizes of a curve over `total` annotations: 50, 100, 200, ... below `total`,
/// then `total`.
pub fn sizes(total: usize) -> Vec<usize> {
    let mut sizes: Vec<usize> = std::iter::successors(Some(50usize), |n| n.checked_mul(2))
        .take_while(|&n| n < total)
        .collect();
    sizes.push(total);
    sizes
}

/// The order in which the simulated annotator labels `pool`: [`SEED`] in corpus order, then
/// rounds of the [`PICKS_PER_ROUND`] most uncertain (earlier in corpus order on a tie),
/// learning each answer as it comes; `limit` picks at most.
fn uncertain_order(new: Factory, pool: &[&Encoded], limit: usize) -> Vec<usize> {
    let mut model = new();
    let mut picked: Vec<usize> = Vec::with_capacity(limit);
    let mut taken = vec![false; pool.len()];
    let take = |i: usize, model: &mut Model, picked: &mut Vec<usize>, taken: &mut [bool]| {
        taken[i] = true;
        picked.push(i);
        model.learn(&pool[i].features, &pool[i].example.labels, true);
    };
    for i in 0..SEED.min(limit).min(pool.len()) {
        take(i, &mut model, &mut picked, &mut taken);
    }
    while picked.len() < limit.min(pool.len()) {
        let mut candidates: Vec<(f64, usize)> = (0..pool.len())
            .filter(|&i| !taken[i])
            .map(|i| {
                let s = suggest(&model, pool[i]);
                (s.uncertainty, i)
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let room = limit.min(pool.len()) - picked.len();
        for &(_, i) in candidates.iter().take(PICKS_PER_ROUND.min(room)) {
            take(i, &mut model, &mut picked, &mut taken);
        }
    }
    picked
}

/// Learning curves of `examples` with `k` folds, at every size of [`sizes`], in corpus order
/// and in uncertain order, alternating.
pub fn curve(schema: &Schema, examples: &[Example], k: usize) -> Vec<Point> {
    curve_with(&|| Model::new(schema), schema, examples, k)
}

/// [`curve`] of the models `new` makes.
pub fn curve_with(new: Factory, schema: &Schema, examples: &[Example], k: usize) -> Vec<Point> {
    let fold_of = folds(examples, k);
    let encoder = new();
    let all = encode(&encoder, examples.iter());
    let sizes = sizes(examples.len());
    let label_count = schema.labels.len();
    let mut corpus = vec![vec![Counts::default(); label_count]; sizes.len()];
    let mut uncertain = corpus.clone();
    for fold in 0..k {
        let pool: Vec<&Encoded> = (0..all.len())
            .filter(|&i| fold_of[i] != fold)
            .map(|i| &all[i])
            .collect();
        let test: Vec<&Encoded> = (0..all.len())
            .filter(|&i| fold_of[i] == fold)
            .map(|i| &all[i])
            .collect();
        let most = sizes.last().copied().unwrap_or(0).min(pool.len());
        let picks = uncertain_order(new, &pool, most);
        for (s, &size) in sizes.iter().enumerate() {
            let n = size.min(pool.len());
            let model = trained(new, &pool[..n]);
            score(&model, &test, &mut corpus[s]);
            let chosen: Vec<&Encoded> = picks[..n].iter().map(|&i| pool[i]).collect();
            let model = trained(new, &chosen);
            score(&model, &test, &mut uncertain[s]);
        }
    }
    sizes
        .iter()
        .zip(corpus.into_iter().zip(uncertain))
        .flat_map(|(&size, (c, u))| {
            [(Order::Corpus, c), (Order::Uncertain, u)].map(|(order, labels)| Point {
                annotations: size,
                order,
                quality: Quality { labels },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(article: usize) -> Example {
        Example {
            article,
            sentence: 0,
            text: String::new(),
            labels: Vec::new(),
        }
    }

    #[test]
    fn folds_count_only_articles_with_examples() {
        let examples = [at(0), at(0), at(3), at(7), at(8), at(9), at(9)];
        assert_eq!(folds(&examples, 3), [0, 0, 1, 2, 0, 1, 1]);
    }

    #[test]
    fn the_shortfall_counts_annotations_and_articles_still_lacking() {
        let mut examples: Vec<Example> = (0..3).map(at).collect();
        assert_eq!(shortfall(&examples, 5), Some((17, 2)));
        examples.extend((0..17).map(|_| at(0)));
        assert_eq!(shortfall(&examples, 5), Some((0, 2)));
        examples.extend([at(3), at(4)]);
        assert_eq!(shortfall(&examples, 5), None);
        assert!(too_few(&examples, 5).is_none());
    }

    #[test]
    fn curve_sizes_double_from_fifty_and_end_at_the_total() {
        assert_eq!(sizes(30), [30]);
        assert_eq!(sizes(50), [50]);
        assert_eq!(sizes(240), [50, 100, 200, 240]);
        assert_eq!(sizes(400), [50, 100, 200, 400]);
    }

    #[test]
    fn undefined_figures_are_none_not_zero() {
        let c = Counts {
            tp: 0,
            fp: 0,
            fn_: 3,
        };
        assert_eq!(
            (c.precision(), c.recall(), c.f1()),
            (None, Some(0.0), Some(0.0))
        );
        let q = Quality {
            labels: vec![
                Counts::default(),
                Counts {
                    tp: 1,
                    fp: 1,
                    fn_: 0,
                },
            ],
        };
        assert_eq!(
            q.macro_f1(),
            Some(2.0 / 3.0),
            "the undefined label is left out"
        );
        assert_eq!(q.micro_f1(), Some(2.0 / 3.0));
    }
}
