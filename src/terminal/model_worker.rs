//! The model worker: the thread that trains the model when the session opens, learns from
//! each new decision, and scores the sentences the session asks about, so that no key and no
//! frame ever waits for the model.
//!
//! At open it settles as `stance suggest` does ([`settle`] on the same store and corpus)
//! and trains one pass, so the first scores come soon; the trainer thread
//! ([`super::retrain`]) at once trains as `stance suggest` does ([`Model::train`]) and its
//! model replaces the first (when `stance suggest` makes one pass too, the first is
//! already the same). Each decision then takes one incremental step at once, and the
//! trainer trains again from scratch on the store as it is now; its model replaces this
//! one when done (with the steps of decisions it did not include taken again), so the
//! scores come to exactly what `stance suggest` prints. Jobs are
//! carried out in the order sent; of several scoring requests waiting at once only the
//! newest is answered, since the cursor has moved past the others.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::retrain::{Corpus, Retrained, Trainer};
use crate::app::Action;
use crate::app::assist::{Learned, Scored};
use crate::app::state::SentenceKey;
use crate::corpus::Article;
use crate::model::Model;
use crate::model::embed::session::{self, EncoderInput, SessionEncoder};
use crate::model::examples::settle;
use crate::schema::Schema;
use crate::store::{Decision, Event, Op, Overrides};

/// What the model is trained from when the session opens: the same inputs `stance suggest`
/// reads.
pub struct ModelInput {
    /// The corpus's articles.
    pub articles: Arc<Vec<Article>>,
    /// The label set the model scores.
    pub schema: Schema,
    /// The store's boundary overrides.
    pub boundaries: Overrides,
    /// Every annotator's current annotations in the store.
    pub events: Vec<Event>,
    /// Ids of the articles `--where` leaves out, whose annotations are not learned from.
    pub hidden: HashSet<String>,
    /// Rank every sentence of the corpus by uncertainty, after training and after each
    /// decision learned (`--order uncertain`).
    pub rank: bool,
    /// The sentence encoder (`--encoder`): suggestions come from the model over its
    /// embeddings once every annotated sentence has one.
    pub encoder: Option<EncoderInput>,
}

enum Job {
    /// Learn from these store events (decisions of the session or arrivals), in order.
    Learn(Vec<Event>),
    /// Score this sentence and report it.
    Score { key: SentenceKey, text: String },
    /// The trainer's model, trained from scratch: it replaces the one in use.
    Retrained(Retrained),
    /// The session is over.
    Stop,
}

/// The handle the event loop keeps on the model thread; dropping it ends the thread (and
/// its trainer, once a training under way is done).
pub struct ModelWorker {
    jobs: Sender<Job>,
}

impl Drop for ModelWorker {
    fn drop(&mut self) {
        let _ = self.jobs.send(Job::Stop);
    }
}

impl ModelWorker {
    /// Starts the thread: it trains from `input`, reports [`Action::ModelTrained`], then
    /// answers jobs with [`Action::Suggested`] on `reports`.
    pub fn spawn(input: ModelInput, reports: Sender<Action>) -> ModelWorker {
        let (jobs, queue) = channel();
        let models = jobs.clone();
        std::thread::Builder::new()
            .name("model".into())
            .spawn(move || work(input, &queue, models, &reports))
            .expect("the system can start one more thread");
        ModelWorker { jobs }
    }

    /// Asks for the scores of the sentence `key`, whose text is `text`.
    pub fn score(&self, key: SentenceKey, text: &str) {
        let _ = self.jobs.send(Job::Score {
            key,
            text: text.to_owned(),
        });
    }

    /// Has the model learn the session's decisions, made at `ts` (Unix milliseconds); a
    /// withdrawal and an ignored sentence take no incremental step but reach the trainer.
    pub fn learn(&self, decisions: &[&Decision], ts: u64) {
        if decisions.is_empty() {
            return;
        }
        let events = decisions.iter().map(|d| d.event(ts)).collect();
        let _ = self.jobs.send(Job::Learn(events));
    }

    /// Has the model learn the decisions other sessions appended.
    pub fn learn_arrivals(&self, events: &[Event]) {
        let _ = self.jobs.send(Job::Learn(events.to_vec()));
    }
}

/// Trains the model from `input` as `stance suggest` does.
pub fn train(input: &ModelInput) -> Model {
    Model::train(&input.schema, &examples(input))
}

/// The settled examples of `input`, as `stance suggest` settles them.
fn examples(input: &ModelInput) -> Vec<crate::model::Example> {
    let annotations = input.events.iter().map(crate::store::Annotation::from);
    settle(
        &input.articles,
        &input.boundaries,
        annotations,
        &input.schema,
        |id| input.hidden.contains(id),
    )
    .examples
}

/// The model the session starts with, and whether it is the one `stance suggest` trains:
/// one pass over the examples, so the first scores come soon; when `stance suggest` makes
/// more passes the trainer thread makes them at once and its model replaces this one.
fn first_model(input: &ModelInput) -> (Model, bool) {
    let examples = examples(input);
    let mut model = Model::new(&input.schema).with_max_epochs(1);
    let exact = crate::model::epochs(examples.len(), crate::model::MAX_EPOCHS) == 1;
    model.fit(&examples);
    (model.with_max_epochs(crate::model::MAX_EPOCHS), exact)
}

/// A decision's incremental step, kept until a model trained from scratch includes it.
struct Step {
    /// The change's number among those sent to the trainer.
    seq: u64,
    text: String,
    labels: Vec<usize>,
}

fn work(
    mut input: ModelInput,
    queue: &Receiver<Job>,
    models: Sender<Job>,
    reports: &Sender<Action>,
) {
    let (mut model, exact) = first_model(&input);
    let mut encoder = input.encoder.take().map(|e| {
        SessionEncoder::new(
            e,
            &input.schema,
            examples(&input),
            Arc::clone(&input.articles),
            input.boundaries.clone(),
        )
    });
    let schema = input.schema.clone();
    let (articles, boundaries, rank) = (
        Arc::clone(&input.articles),
        input.boundaries.clone(),
        input.rank,
    );
    let learned = |model: &Model| Learned {
        counts: model.counts(),
    };
    if reports.send(Action::ModelTrained(learned(&model))).is_err() {
        return;
    }
    let trainer = Trainer::spawn(
        Corpus {
            articles: input.articles,
            schema: input.schema,
            boundaries: input.boundaries,
            hidden: input.hidden,
            embedded: encoder.as_ref().map(SessionEncoder::features),
        },
        input.events,
        exact,
        move |retrained| models.send(Job::Retrained(retrained)).is_ok(),
        reports.clone(),
    );
    // Changes sent to the trainer, and the steps it has not yet trained with.
    let mut sent: u64 = 0;
    let mut steps: Vec<Step> = Vec::new();
    // The sentence last scored, scored again when the model is replaced.
    let mut last: Option<(SentenceKey, String)> = None;
    // Jobs that came while the corpus was being ranked, carried out before ranking again.
    let mut early: Vec<Job> = Vec::new();
    // The corpus is ranked by `stance suggest`'s model, not by the first one-pass model:
    // ranking takes long and the better order comes soon.
    let mut stale = rank && exact;
    loop {
        // A model over embeddings that learned decisions incrementally is trained again from
        // scratch by the trainer, as `stance suggest --encoder` trains it.
        if let Some(encoder) = &mut encoder
            && encoder.take_inexact()
        {
            trainer.changed(Vec::new());
        }
        // With the model over embeddings trained, the candidate pool around the current
        // article is ranked by it instead of the whole corpus by the n-gram model.
        if stale
            && early.is_empty()
            && let Some(order) = encoder.as_mut().and_then(SessionEncoder::rank_pool)
        {
            stale = false;
            if reports.send(Action::Ranked(order)).is_err() {
                return;
            }
        }
        if stale && early.is_empty() {
            match ranking(&mut model, &articles, &boundaries, queue) {
                Ranking::Done(order) => {
                    stale = false;
                    if reports.send(Action::Ranked(order)).is_err() {
                        return;
                    }
                }
                Ranking::Interrupted(job) => early.push(job),
            }
        }
        let mut waiting = std::mem::take(&mut early);
        if waiting.is_empty()
            && let Some(encoder) = &mut encoder
        {
            match session::embed_while_idle(encoder, queue, last.as_ref(), rank) {
                session::Idle::Job(job) => waiting.push(job),
                session::Idle::Rescored(scored) => {
                    if reports.send(Action::Suggested(scored)).is_err() {
                        return;
                    }
                    stale |= rank;
                    continue;
                }
                session::Idle::Grew => {
                    stale = true;
                    continue;
                }
                session::Idle::Done => {}
                session::Idle::Closed => return,
            }
        }
        if waiting.is_empty() {
            match queue.recv() {
                Ok(job) => waiting.push(job),
                Err(_) => return,
            }
        }
        waiting.extend(queue.try_iter());
        let mut newest = None;
        let mut taught = false;
        for job in waiting {
            match job {
                Job::Learn(events) => {
                    for event in &events {
                        sent += 1;
                        if let Some(labels) = teaches(&schema, event) {
                            model.update(&event.text, &labels);
                            if let Some(encoder) = &mut encoder {
                                encoder.learn(&event.text, &labels);
                            }
                            steps.push(Step {
                                seq: sent,
                                text: event.text.clone(),
                                labels,
                            });
                            taught = true;
                        }
                    }
                    trainer.changed(events);
                }
                Job::Score { key, text } => newest = Some((key, text)),
                Job::Retrained(Retrained {
                    model: mut fresh,
                    upto,
                    embedding,
                }) => {
                    steps.retain(|step| step.seq > upto);
                    for step in &steps {
                        fresh.update(&step.text, &step.labels);
                    }
                    if let (Some(encoder), Some(trained)) = (&mut encoder, embedding) {
                        let later = steps.iter().map(|s| (s.text.as_str(), &s.labels[..]));
                        encoder.replace(*trained, later);
                    }
                    model = fresh;
                    taught = true;
                    if newest.is_none() {
                        newest = last.clone();
                    }
                }
                Job::Stop => return,
            }
        }
        if taught && reports.send(Action::ModelTrained(learned(&model))).is_err() {
            return;
        }
        stale |= taught && rank;
        if let Some((key, text)) = newest {
            if let Some(encoder) = &mut encoder {
                stale |= rank && encoder.focus(key.0) && encoder.ready();
            }
            let suggestion = session::score(&mut model, encoder.as_mut(), key, &text);
            last = Some((key, text));
            if reports
                .send(Action::Suggested(Scored { key, suggestion }))
                .is_err()
            {
                return;
            }
        }
    }
}

/// The labels (schema positions, ascending) an event's incremental step learns: a decision's
/// labels, none for a withdrawal, an ignore, or a label set naming a label the schema lacks
/// (as at open).
fn teaches(schema: &Schema, event: &Event) -> Option<Vec<usize>> {
    if event.op != Op::Set {
        return None;
    }
    let mut labels = event
        .labels
        .iter()
        .map(|l| schema.index_of(l))
        .collect::<Option<Vec<usize>>>()?;
    labels.sort_unstable();
    Some(labels)
}

/// The end of ranking the corpus: every sentence in order, or a job that came meanwhile.
enum Ranking {
    /// Every sentence's key, the least sure first, ties in corpus order.
    Done(Vec<SentenceKey>),
    /// A job arrived: it goes first, and ranking starts again after it.
    Interrupted(Job),
}

/// Sentences scored between two looks at the queue while ranking.
const RANK_STEP: usize = 256;

/// Scores every sentence of the corpus and orders them as `stance suggest --order
/// uncertain` does: by uncertainty, the highest first, ties in corpus order.
fn ranking(
    model: &mut Model,
    articles: &[Article],
    boundaries: &Overrides,
    queue: &Receiver<Job>,
) -> Ranking {
    let mut scored: Vec<(SentenceKey, f64)> = Vec::new();
    for (a, article) in articles.iter().enumerate() {
        for span in crate::boundary::sentences(article, boundaries) {
            let suggestion = model.suggest(&article.text[span.start..span.end]);
            scored.push(((a, span.start, span.end), suggestion.uncertainty));
            if scored.len().is_multiple_of(RANK_STEP)
                && let Ok(job) = queue.try_recv()
            {
                return Ranking::Interrupted(job);
            }
        }
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ranking::Done(scored.into_iter().map(|(key, _)| key).collect())
}
