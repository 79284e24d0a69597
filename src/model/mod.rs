//! The model in the loop: one logistic classifier per label, learned from the store's
//! settled annotations, that suggests labels and says how sure it is.
//!
//! Everything here is deterministic: fixed hashing ([`encoder`]), a fixed training order
//! (the corpus order of the sentences) and one learner (helper threads only encode, and
//! hand their features over in that order), so the same store and corpus give the same
//! scores to the last digit on every run, on any number of cores.

pub mod embed;
pub mod encoder;
pub mod eval;
pub mod examples;
pub mod learner;
pub mod patterns;
pub mod score;

use encoder::{Encoder, Feature, HashedNgrams};
use learner::{Optimizer, Table, sigmoid};
use score::{Memo, Occurrences, Scorer};

use crate::schema::Schema;

/// A label is learned once it has this many positive and this many negative examples;
/// before, its score comes from its schema patterns alone.
pub const MIN_EXAMPLES: usize = 5;

/// The score a label's patterns give a sentence they match, before the label is learned.
pub const PATTERN_HIT: f64 = 0.9;

/// The score a label's patterns give a sentence none of them matches.
pub const PATTERN_MISS: f64 = 0.1;

/// The most memory the weight tables may take, in bytes.
pub const MEMORY_LIMIT: usize = 64 << 20;

/// The update rule stance uses (README, "The model", says how it was chosen).
pub const OPTIMIZER: Optimizer = Optimizer::AdaGrad { rate: 0.5, l2: 0.0 };

/// One annotated sentence to learn from: its text and its settled labels (schema positions;
/// empty is "no stance", a negative for every label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Position of the article in the corpus.
    pub article: usize,
    /// Position of the sentence in its article.
    pub sentence: usize,
    /// The sentence as written.
    pub text: String,
    /// Schema positions, ascending.
    pub labels: Vec<usize>,
}

/// Where a label's score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The label's classifier (it has enough examples).
    Model,
    /// The label's schema patterns (not enough examples yet).
    Patterns,
    /// Neither: not enough examples and no patterns; the score is 0 and never suggested.
    Nothing,
    /// The n-gram classifier, in a session with an encoder that has not yet embedded the
    /// sentence (or the sentences it trains from).
    Ngrams,
}

/// The model's view of one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// One score in [0, 1] per label, in schema order.
    pub scores: Vec<f64>,
    /// Where each score comes from.
    pub sources: Vec<Source>,
    /// Positions of the labels whose score reaches their threshold, ascending.
    pub suggested: Vec<usize>,
    /// 1 minus the sureness of the least sure label (README, "The model"): 0 is sure of every
    /// label, 1 is a score exactly on a threshold (or nothing to go on).
    pub uncertainty: f64,
}

struct LabelModel {
    positives: usize,
    negatives: usize,
    patterns: Vec<patterns::Pattern>,
    threshold: f64,
}

/// The classifiers of every label of a schema, and the encoder they read.
pub struct Model {
    encoder: Box<dyn Encoder>,
    optimizer: Optimizer,
    max_epochs: usize,
    labels: Vec<LabelModel>,
    /// Every label's weights, side by side per slot.
    table: Table,
    scratch: Vec<Feature>,
    /// One log-odds per label, reused between steps.
    logits: Vec<f64>,
    /// Which state of which model the weights are: new with every model and every step, so
    /// that a [`Memo`] is never read for weights other than those it was filled from.
    generation: u64,
    /// The memo of [`Model::suggest`], boxed: a model moves between threads in messages.
    memo: Box<Memo>,
}

/// The generation of the next model state; one counter for every model.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Hash bits for `labels` weight tables that fit in [`MEMORY_LIMIT`]: 2^18 slots per label
/// (few collisions for the vocabulary of tens of thousands of sentences), fewer for many
/// labels.
fn bits_for(labels: usize) -> u32 {
    let per_slot = 2 * std::mem::size_of::<f32>();
    let mut bits = 18;
    while bits > 10 && (labels.max(1) * per_slot) << bits > MEMORY_LIMIT {
        bits -= 1;
    }
    bits
}

/// Passes over the examples when training from scratch, at most: several for the few hundred
/// examples of a young store (online learning needs them to converge), one from
/// [`EPOCH_BUDGET`] examples on.
pub const MAX_EPOCHS: usize = 5;

/// Examples seen, summed over passes, that training from scratch aims at.
pub const EPOCH_BUDGET: usize = 20_000;

/// Passes over `examples` examples when training from scratch with at most `max` passes.
pub fn epochs(examples: usize, max: usize) -> usize {
    EPOCH_BUDGET.div_ceil(examples.max(1)).clamp(1, max.max(1))
}

impl Model {
    /// An untrained model for `schema`, with the default encoder and optimizer.
    pub fn new(schema: &Schema) -> Model {
        Model::with(
            schema,
            Box::new(HashedNgrams::new(bits_for(schema.labels.len()))),
            OPTIMIZER,
        )
    }

    /// An untrained model with this encoder and optimizer (for measurements and tests).
    pub fn with(schema: &Schema, encoder: Box<dyn Encoder>, optimizer: Optimizer) -> Model {
        let dimension = encoder.dimension();
        Model {
            table: Table::new(schema.labels.len(), dimension),
            logits: vec![0.0; schema.labels.len()],
            labels: schema
                .labels
                .iter()
                .map(|label| LabelModel {
                    positives: 0,
                    negatives: 0,
                    patterns: label.patterns.clone(),
                    threshold: label.threshold.map_or(0.5, |t| t.get()),
                })
                .collect(),
            encoder,
            optimizer,
            max_epochs: MAX_EPOCHS,
            scratch: Vec::new(),
            generation: next_generation(),
            memo: Box::default(),
        }
    }

    /// A model for `schema` trained on `examples`, in their order, [`epochs`] times over.
    pub fn train(schema: &Schema, examples: &[Example]) -> Model {
        let mut model = Model::new(schema);
        model.fit(examples);
        model
    }

    /// Trains this (untrained) model on `examples`, in their order, [`epochs`] times over.
    pub fn fit(&mut self, examples: &[Example]) {
        self.fit_on(
            examples,
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        );
    }

    /// [`Model::fit`] with `threads` threads encoding the examples beside the one learning
    /// (none below 2): the same model, to the last bit, on any number.
    pub fn fit_on(&mut self, examples: &[Example], threads: usize) {
        self.generation = next_generation();
        let epochs = self.epochs(examples.len());
        let Model {
            labels,
            encoder,
            optimizer,
            table,
            logits,
            ..
        } = self;
        // With more than one pass, the first pass's features are kept, one list after
        // another, for the later passes: the same features, without encoding them again.
        let (mut kept, mut ends) = (Vec::new(), Vec::new());
        for_each_encoded(&**encoder, examples, threads, |example, features| {
            let step = Step {
                table,
                optimizer,
                logits,
            };
            learn(labels, step, features, &example.labels, true);
            if epochs > 1 {
                kept.extend_from_slice(features);
                ends.push(kept.len());
            }
        });
        for _ in 1..epochs {
            let mut from = 0;
            for (example, &to) in examples.iter().zip(&ends) {
                let step = Step {
                    table,
                    optimizer,
                    logits,
                };
                learn(labels, step, &kept[from..to], &example.labels, false);
                from = to;
            }
        }
    }

    /// Passes [`Model::fit`] makes over `examples` examples.
    pub fn epochs(&self, examples: usize) -> usize {
        epochs(examples, self.max_epochs)
    }

    /// The same model with at most `max` passes in [`Model::fit`] (for measurements).
    pub fn with_max_epochs(mut self, max: usize) -> Model {
        self.max_epochs = max;
        self
    }

    /// One incremental step: the sentence `text` was decided as `labels` (schema positions).
    pub fn update(&mut self, text: &str, labels: &[usize]) {
        let mut features = std::mem::take(&mut self.scratch);
        self.encoder.features(text, &mut features);
        self.learn(&features, labels, true);
        self.scratch = features;
    }

    /// One step on already encoded features (for simulations that encode once).
    pub fn learn(&mut self, features: &[Feature], labels: &[usize], count: bool) {
        self.generation = next_generation();
        let step = Step {
            table: &mut self.table,
            optimizer: &self.optimizer,
            logits: &mut self.logits,
        };
        learn(&mut self.labels, step, features, labels, count);
    }

    /// The features of `text`, as the model reads them.
    pub fn encode(&self, text: &str, out: &mut Vec<Feature>) {
        self.encoder.features(text, out);
    }

    /// Scores, suggestion and uncertainty for the sentence `text`.
    pub fn suggest(&mut self, text: &str) -> Suggestion {
        let mut memo = std::mem::take(&mut self.memo);
        let suggestion = self.suggest_with(text, &mut memo);
        self.memo = memo;
        suggestion
    }

    /// [`Model::suggest`] without changing the model, so that threads can score at once,
    /// each with its own `memo` (kept between calls: it makes repeated words cheap).
    pub fn suggest_with(&self, text: &str, memo: &mut Memo) -> Suggestion {
        let words = self.pattern_words(text);
        let mut logits = Logits::new(self.labels.len());
        if self.labels.iter().any(LabelModel::learned) {
            match self.scorer() {
                Some(scorer) => scorer.text(text, self.generation, memo, logits.get()),
                None => {
                    self.encoder.features(text, &mut memo.features);
                    self.table
                        .logits(&self.optimizer, &memo.features, logits.get());
                }
            }
        }
        self.suggestion(logits.get(), &words)
    }

    /// The word occurrences of `text` for [`Model::suggest_occurrences`], when the encoder
    /// is scored word by word.
    pub fn occurrences(&self, text: &str) -> Option<Occurrences> {
        self.encoder
            .ngrams()
            .map(|ngrams| Occurrences::of(ngrams, text))
    }

    /// [`Model::suggest`] of a sentence whose word occurrences and pattern words were
    /// found already: the same scores to the last bit.
    pub fn suggest_occurrences(&self, occurrences: &Occurrences, words: &[String]) -> Suggestion {
        let mut logits = Logits::new(self.labels.len());
        if let Some(scorer) = self.scorer()
            && self.labels.iter().any(LabelModel::learned)
        {
            scorer.occurrences(occurrences, logits.get());
        }
        self.suggestion(logits.get(), words)
    }

    /// Scores, suggestion and uncertainty from features, as the learner sums them: for an
    /// encoder not scored word by word. Where one is, [`Model::suggest`] sums the same
    /// terms in another order, so the two may differ in the last bits.
    pub fn suggest_encoded(&self, features: &[Feature], words: &[String]) -> Suggestion {
        let mut logits = Logits::new(self.labels.len());
        if self.labels.iter().any(LabelModel::learned) {
            self.table.logits(&self.optimizer, features, logits.get());
        }
        self.suggestion(logits.get(), words)
    }

    /// The weights read word by word, when the encoder allows it.
    fn scorer(&self) -> Option<Scorer<'_>> {
        self.encoder.ngrams().map(|ngrams| Scorer {
            table: &self.table,
            optimizer: &self.optimizer,
            ngrams,
            labels: self.labels.len(),
        })
    }

    /// The words of `text` its labels' patterns read, when a label is scored by them.
    fn pattern_words(&self, text: &str) -> Vec<String> {
        if self
            .labels
            .iter()
            .any(|l| !l.learned() && !l.patterns.is_empty())
        {
            patterns::words(text)
        } else {
            Vec::new()
        }
    }

    /// The suggestion of a sentence whose learned labels have these log-odds.
    fn suggestion(&self, logits: &[f64], words: &[String]) -> Suggestion {
        let mut scores = Vec::with_capacity(self.labels.len());
        let mut sources = Vec::with_capacity(self.labels.len());
        let mut suggested = Vec::new();
        let mut sureness = f64::INFINITY;
        for (i, label) in self.labels.iter().enumerate() {
            let (score, source) = if label.learned() {
                (sigmoid(logits[i]), Source::Model)
            } else if !label.patterns.is_empty() {
                let hit = label.patterns.iter().any(|p| p.matches(words));
                let score = if hit { PATTERN_HIT } else { PATTERN_MISS };
                (score, Source::Patterns)
            } else {
                (0.0, Source::Nothing)
            };
            if source != Source::Nothing {
                let t = label.threshold;
                let sure = if score >= t {
                    suggested.push(i);
                    (score - t) / (1.0 - t)
                } else {
                    (t - score) / t
                };
                sureness = sureness.min(sure);
            }
            scores.push(score);
            sources.push(source);
        }
        Suggestion {
            scores,
            sources,
            suggested,
            uncertainty: if sureness.is_finite() {
                (1.0 - sureness).clamp(0.0, 1.0)
            } else {
                1.0
            },
        }
    }

    /// Per label: positive and negative examples learned from so far.
    pub fn counts(&self) -> Vec<(usize, usize)> {
        self.labels
            .iter()
            .map(|l| (l.positives, l.negatives))
            .collect()
    }

    /// Number of labels with enough examples to be scored by their classifier.
    pub fn learned(&self) -> usize {
        self.labels.iter().filter(|l| l.learned()).count()
    }

    /// Bytes the weight tables hold.
    pub fn bytes(&self) -> usize {
        self.table.bytes()
    }
}

/// One log-odds per label, on the stack for up to 8 labels.
struct Logits {
    stack: [f64; 8],
    heap: Vec<f64>,
    labels: usize,
}

impl Logits {
    fn new(labels: usize) -> Logits {
        Logits {
            stack: [0.0; 8],
            heap: if labels > 8 {
                vec![0.0; labels]
            } else {
                Vec::new()
            },
            labels,
        }
    }

    fn get(&mut self) -> &mut [f64] {
        if self.labels > 8 {
            &mut self.heap
        } else {
            &mut self.stack[..self.labels]
        }
    }
}

/// What one learning step changes besides the counts, borrowed apart from the encoder.
struct Step<'a> {
    table: &'a mut Table,
    optimizer: &'a Optimizer,
    logits: &'a mut [f64],
}

/// [`Model::learn`] on the label models alone, so that the encoder can be lent meanwhile.
fn learn(
    models: &mut [LabelModel],
    step: Step<'_>,
    features: &[Feature],
    labels: &[usize],
    count: bool,
) {
    step.table.update(
        step.optimizer,
        features,
        |i| labels.contains(&i),
        step.logits,
    );
    for (i, label) in models.iter_mut().enumerate() {
        let positive = labels.contains(&i);
        if count {
            if positive {
                label.positives += 1;
            } else {
                label.negatives += 1;
            }
        }
    }
}

/// Examples encoded ahead of the learner per hand-off between threads.
const CHUNK: usize = 256;

/// Calls `each` with every example and its features, in order, while `helpers` other
/// threads (none below 2) encode the examples ahead: encoding is pure, so only the
/// learning, which must keep its order to stay deterministic, waits on one core.
fn for_each_encoded(
    encoder: &dyn Encoder,
    examples: &[Example],
    helpers: usize,
    mut each: impl FnMut(&Example, &[Feature]),
) {
    // One helper per core is best: encoding costs more than learning, so the learner
    // mostly waits and the helpers share its core.
    if helpers < 2 || examples.len() < 2 * CHUNK {
        let mut features = Vec::new();
        for example in examples {
            encoder.features(&example.text, &mut features);
            each(example, &features);
        }
        return;
    }
    let chunks: Vec<&[Example]> = examples.chunks(CHUNK).collect();
    std::thread::scope(|scope| {
        let lanes: Vec<Lane> = (0..helpers)
            .map(|helper| {
                // Two chunks in flight per helper: enough to keep the learner busy, and a
                // bound on the memory of features not yet learned from.
                let (sender, receiver) = std::sync::mpsc::sync_channel(2);
                // Chunks learned from come back to be filled again, so that after the first
                // few no chunk allocates.
                let (returner, returned) = std::sync::mpsc::channel::<Encoded>();
                let chunks = &chunks;
                scope.spawn(move || {
                    for chunk in chunks.iter().skip(helper).step_by(helpers) {
                        let mut encoded = returned.try_recv().unwrap_or_default();
                        encoded.resize_with(chunk.len(), Vec::new);
                        for (example, features) in chunk.iter().zip(&mut encoded) {
                            encoder.features(&example.text, features);
                        }
                        if sender.send(encoded).is_err() {
                            return;
                        }
                    }
                });
                Lane { receiver, returner }
            })
            .collect();
        for (i, chunk) in chunks.iter().enumerate() {
            let lane = &lanes[i % helpers];
            // A helper that panicked drops its sender; the scope then re-raises its panic.
            let Ok(encoded) = lane.receiver.recv() else {
                break;
            };
            for (example, features) in chunk.iter().zip(&encoded) {
                each(example, features);
            }
            // The helper may be done and gone; the chunk is then simply dropped.
            let _ = lane.returner.send(encoded);
        }
    });
}

/// The features of a chunk of examples, one list per example; the lists keep their memory
/// when the chunk is filled again.
type Encoded = Vec<Vec<Feature>>;

/// The two channels between the learner and one encoding helper.
struct Lane {
    /// Encoded chunks, in the helper's order.
    receiver: std::sync::mpsc::Receiver<Encoded>,
    /// Chunks learned from, back to the helper.
    returner: std::sync::mpsc::Sender<Encoded>,
}

impl LabelModel {
    fn learned(&self) -> bool {
        self.positives >= MIN_EXAMPLES && self.negatives >= MIN_EXAMPLES
    }
}

/// `x` rounded to 4 decimals, as every output of scores writes it.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(article: usize, text: &str, labels: &[usize]) -> Example {
        Example {
            article,
            sentence: 0,
            text: text.into(),
            labels: labels.to_vec(),
        }
    }

    fn examples(n: usize) -> Vec<Example> {
        (0..n)
            .map(|i| match i % 3 {
                0 => example(i, &format!("Envoys held talks in city {i}."), &[0]),
                1 => example(i, &format!("New sanctions on bank {i}."), &[1]),
                _ => example(i, &format!("Rain in town {i}."), &[]),
            })
            .collect()
    }

    #[test]
    fn a_label_is_learned_from_five_positives_and_five_negatives() {
        let schema = Schema::default();
        let mut model = Model::train(&schema, &examples(13));
        assert_eq!(model.counts()[0], (5, 8));
        assert_eq!(model.counts()[1], (4, 9));
        let s = model.suggest("Envoys held talks in city 99.");
        assert_eq!(s.sources, [Source::Model, Source::Nothing, Source::Nothing]);
        assert_eq!(s.suggested, [0]);
        assert_eq!(s.scores[1], 0.0);
        model.update("More sanctions on bank 7.", &[1]);
        assert_eq!(model.counts()[1], (5, 9));
        let s = model.suggest("New sanctions on bank 42.");
        assert_eq!(s.sources[1], Source::Model);
        assert!(s.scores[1] > 0.5, "{s:?}");
        assert_eq!(model.learned(), 2);
    }

    #[test]
    fn training_is_reproducible_to_the_last_bit() {
        let schema = Schema::default();
        let (mut a, mut b) = (
            Model::train(&schema, &examples(30)),
            Model::train(&schema, &examples(30)),
        );
        for text in ["Talks in Geneva.", "Sanctions on oil.", "Nothing here."] {
            let (x, y) = (a.suggest(text), b.suggest(text));
            let bits = |s: &Suggestion| s.scores.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&x), bits(&y));
            assert_eq!(x.uncertainty.to_bits(), y.uncertainty.to_bits());
        }
    }

    #[test]
    fn training_with_encoding_helpers_learns_what_one_thread_learns() {
        let schema = Schema::default();
        // Several chunks per helper, and a last chunk shorter than the others.
        let many = examples(5 * CHUNK + 17);
        let mut models = vec![Model::train(&schema, &many)];
        for threads in [1, 3] {
            let mut model = Model::new(&schema);
            model.fit_on(&many, threads);
            models.push(model);
        }
        let mut alone = Model::new(&schema);
        let mut features = Vec::new();
        for epoch in 0..models[0].epochs(many.len()) {
            for example in &many {
                alone.encode(&example.text, &mut features);
                alone.learn(&features, &example.labels, epoch == 0);
            }
        }
        for (i, trained) in models.iter().enumerate() {
            assert_eq!(trained.counts(), alone.counts());
            for text in [
                "Envoys held talks in city 7.",
                "New sanctions on bank 3.",
                "Rain.",
            ] {
                trained.encode(text, &mut features);
                let (a, b) = (
                    trained.suggest_encoded(&features, &[]),
                    alone.suggest_encoded(&features, &[]),
                );
                let bits =
                    |s: &Suggestion| s.scores.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&a), bits(&b), "model {i}: {text}");
            }
        }
    }

    #[test]
    fn uncertainty_is_one_on_the_threshold_and_zero_far_from_it() {
        let schema = Schema::default();
        let model = Model::new(&schema);
        let none = model.suggest_encoded(&[], &[]);
        assert_eq!(none.uncertainty, 1.0, "nothing to go on");
        assert!(model.bytes() <= MEMORY_LIMIT);
        assert_eq!(bits_for(3), 18);
        assert!(
            bits_for(1000) < 18 && (1000 * 8) << bits_for(1000) <= MEMORY_LIMIT,
            "many labels get smaller tables"
        );
        assert_eq!(epochs(100, 5), 5);
        assert_eq!(epochs(100_000, 5), 1);
    }
}
