//! The model's trainer thread: it keeps the store's live annotations as they are now (those
//! at open, then every decision of the session and every arrival, applied as the store
//! applies them) and, whenever they changed, trains a model from scratch exactly as `stance
//! suggest` does ([`settle`], then [`Model::train`]), so that the session's scores never
//! drift from what `stance suggest` prints. It also cross-validates the model as `stance
//! suggest --eval` does and counts how the store's decisions were made.
//!
//! Bursts are coalesced: changes that come while it trains are all taken into the next
//! training, which starts as soon as the one under way ends.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::app::Action;
use crate::app::model_stats::{Evaluated, Share};
use crate::corpus::Article;
use crate::model::embed::features::Embedded;
use crate::model::embed::setup;
use crate::model::eval::{self, FOLDS};
use crate::model::examples::settle;
use crate::model::{Example, Model};
use crate::schema::Schema;
use crate::store::{Annotation, Annotations, Event, Op, Origin, Overrides};

/// The least time between two cross-validations: each costs about [`FOLDS`] trainings.
pub const EVAL_INTERVAL: Duration = Duration::from_secs(3);

/// A model trained from scratch on the store after the first `upto` changes the trainer was
/// sent.
pub struct Retrained {
    /// The new model.
    pub model: Model,
    /// Changes (events, counted from 1 in the order sent) it was trained with.
    pub upto: u64,
    /// The model over embeddings trained from the same examples as `stance suggest
    /// --encoder` trains it, when the session has an encoder and every example has its
    /// embedding.
    pub embedding: Option<Box<Model>>,
}

/// What the trainer reads besides the annotations, fixed for the session.
pub struct Corpus {
    /// The corpus's articles.
    pub articles: Arc<Vec<Article>>,
    /// The label set.
    pub schema: Schema,
    /// The store's boundary overrides at open.
    pub boundaries: Overrides,
    /// Ids of the articles `--where` leaves out.
    pub hidden: HashSet<String>,
    /// The session encoder's embeddings (shared, still growing), when it has one.
    pub embedded: Option<Embedded>,
}

/// The handle on the trainer thread; dropping it lets the thread end after its current
/// training.
pub struct Trainer {
    changes: Sender<Vec<Event>>,
}

impl Trainer {
    /// Starts the thread on the store's live annotations `events`, the ones the first model
    /// was trained on; `exact` says it was trained as `stance suggest` trains, else the
    /// thread trains at once. Models go to `models`, figures to `reports`.
    pub fn spawn(
        corpus: Corpus,
        events: Vec<Event>,
        exact: bool,
        models: impl Fn(Retrained) -> bool + Send + 'static,
        reports: Sender<Action>,
    ) -> Trainer {
        let (changes, queue) = channel();
        std::thread::Builder::new()
            .name("model-trainer".into())
            .spawn(move || work(&corpus, events, exact, &queue, &models, &reports))
            .expect("the system can start one more thread");
        Trainer { changes }
    }

    /// Hands the trainer store events in the order they happened; an empty batch asks for a
    /// training all the same (the encoder's embeddings now cover every example).
    pub fn changed(&self, events: Vec<Event>) {
        let _ = self.changes.send(events);
    }
}

/// The store's live annotations, kept as the store keeps them, and how they were made.
struct Mirror {
    annotations: Annotations,
    share: Share,
    applied: u64,
}

/// A live annotation that counts as a decision: labels or no stance, not an ignore.
fn is_decision(annotation: &Annotation) -> bool {
    annotation.op() == Op::Set
}

impl Mirror {
    fn new(events: Vec<Event>) -> Mirror {
        let mut annotations = Annotations::default();
        for event in events {
            annotations.apply(event);
        }
        let mut share = Share::default();
        for annotation in annotations.iter().filter(is_decision) {
            share.decisions += 1;
            share.accepted += usize::from(annotation.origin() == Origin::Suggestion);
        }
        Mirror {
            annotations,
            share,
            applied: 0,
        }
    }

    fn apply(&mut self, event: Event) {
        self.applied += 1;
        let before = self
            .annotations
            .get(&event.article, event.start, event.end, &event.annotator)
            .filter(is_decision)
            .map(|a| a.origin());
        if let Some(origin) = before {
            self.share.decisions -= 1;
            self.share.accepted -= usize::from(origin == Origin::Suggestion);
        }
        if event.op == Op::Set {
            self.share.decisions += 1;
            self.share.accepted += usize::from(event.origin == Origin::Suggestion);
            if event.origin == Origin::Typed && before == Some(Origin::Suggestion) {
                self.share.changed += 1;
            }
        }
        self.annotations.apply(event);
    }
}

/// The settled examples of the store as the mirror holds it, as `stance suggest` settles.
fn examples(corpus: &Corpus, mirror: &Mirror) -> Vec<Example> {
    settle(
        &corpus.articles,
        &corpus.boundaries,
        mirror.annotations.iter(),
        &corpus.schema,
        |id| corpus.hidden.contains(id),
    )
    .examples
}

/// The quality `stance suggest --eval` (with its default folds) prints for `examples`.
pub fn evaluate(schema: &Schema, examples: &[Example]) -> Evaluated {
    let mut counts = vec![(0, 0); schema.labels.len()];
    for example in examples {
        for (label, count) in counts.iter_mut().enumerate() {
            if example.labels.contains(&label) {
                count.0 += 1;
            } else {
                count.1 += 1;
            }
        }
    }
    let shortfall = eval::shortfall(examples, FOLDS);
    Evaluated {
        folds: FOLDS,
        annotations: examples.len(),
        counts,
        quality: shortfall
            .is_none()
            .then(|| eval::cross_validate(schema, examples, FOLDS)),
        shortfall,
    }
}

fn work(
    corpus: &Corpus,
    events: Vec<Event>,
    exact: bool,
    queue: &Receiver<Vec<Event>>,
    models: &dyn Fn(Retrained) -> bool,
    reports: &Sender<Action>,
) {
    let mut mirror = Mirror::new(events);
    if reports
        .send(Action::SuggestionShare(mirror.share.clone()))
        .is_err()
    {
        return;
    }
    // The first model was trained on the annotations at open, change 0.
    let mut trained = exact.then_some(0);
    let mut evaluated: Option<u64> = None;
    // The first evaluation waits too: the session's opening (first frame, first scores,
    // segmenting the corpus) has the cores first.
    let mut last_eval = Instant::now();
    let mut settled: Option<(u64, Vec<Example>)> = None;
    loop {
        let wait = if trained != Some(mirror.applied) {
            Some(Duration::ZERO)
        } else {
            (evaluated != Some(mirror.applied))
                .then(|| EVAL_INTERVAL.saturating_sub(last_eval.elapsed()))
        };
        let first = match wait {
            None => queue.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(wait) => queue.recv_timeout(wait),
        };
        let mut batches = match first {
            Ok(batch) => vec![batch],
            Err(RecvTimeoutError::Timeout) => Vec::new(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        batches.extend(queue.try_iter());
        if !batches.is_empty() {
            if batches.iter().any(Vec::is_empty) {
                trained = None;
            }
            for event in batches.into_iter().flatten() {
                mirror.apply(event);
            }
            if reports
                .send(Action::SuggestionShare(mirror.share.clone()))
                .is_err()
            {
                return;
            }
        }
        let examples = match settled.take() {
            Some((at, examples)) if at == mirror.applied => examples,
            _ => examples(corpus, &mirror),
        };
        if trained != Some(mirror.applied) {
            let model = Model::train(&corpus.schema, &examples);
            let embedding = corpus
                .embedded
                .as_ref()
                .filter(|features| examples.iter().all(|e| features.has(&e.text)))
                .map(|features| {
                    let mut model = setup::model(&corpus.schema, features);
                    model.fit(&examples);
                    Box::new(model)
                });
            trained = Some(mirror.applied);
            settled = Some((mirror.applied, examples));
            if !models(Retrained {
                model,
                upto: mirror.applied,
                embedding,
            }) {
                return;
            }
            // Changes that came meanwhile go into the next training before any evaluation.
            continue;
        }
        let due = last_eval.elapsed() >= EVAL_INTERVAL;
        if evaluated != Some(mirror.applied) && due {
            let figures = evaluate(&corpus.schema, &examples);
            evaluated = Some(mirror.applied);
            last_eval = Instant::now();
            if reports.send(Action::ModelEvaluated(figures)).is_err() {
                return;
            }
        }
        settled = Some((mirror.applied, examples));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Scores;

    fn decided(annotator: &str, start: usize, labels: &[&str], origin: Origin, ts: u64) -> Event {
        let mut event = Event::set("a", start, "Talks resumed.", labels.to_vec(), annotator, ts);
        event.origin = origin;
        if origin == Origin::Suggestion {
            event.scores = Some(Scores::new(["diplomatic"], &[0.9]));
        }
        event.v = event.version_needed();
        event
    }

    #[test]
    fn the_share_counts_live_decisions_and_typed_changes_of_an_accepted_suggestion() {
        let mut mirror = Mirror::new(vec![
            decided("ana", 0, &["diplomatic"], Origin::Suggestion, 1),
            decided("bo", 0, &[], Origin::Typed, 2),
            decided("ana", 20, &[], Origin::Suggestion, 3),
        ]);
        let share = |m: &Mirror| (m.share.decisions, m.share.accepted, m.share.changed);
        assert_eq!(share(&mirror), (3, 2, 0));
        // Ana types over her accepted suggestion: changed; bo's typed over typed is not.
        mirror.apply(decided("ana", 0, &["military"], Origin::Typed, 4));
        mirror.apply(decided("bo", 0, &["military"], Origin::Typed, 5));
        assert_eq!(share(&mirror), (3, 1, 1));
        // An accepted suggestion withdrawn is no decision any more, and not a change.
        let mut clear = decided("ana", 20, &[], Origin::Typed, 6);
        clear.op = Op::Clear;
        mirror.apply(clear);
        assert_eq!(share(&mirror), (2, 0, 1));
        assert_eq!(mirror.applied, 3);
    }
}
