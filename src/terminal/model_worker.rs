//! The model worker: the thread that trains the model when the session opens, learns from
//! each new decision, and scores the sentences the session asks about, so that no key and no
//! frame ever waits for the model.
//!
//! At open it settles and trains exactly as `stance suggest` does ([`settle`] and
//! [`Model::train`] on the same store and corpus), so the first scores it sends equal what
//! `stance suggest` prints. Jobs are carried out in the order sent; of several scoring
//! requests waiting at once only the newest is answered, since the cursor has moved past
//! the others.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::app::Action;
use crate::app::assist::{Learned, Scored};
use crate::app::state::SentenceKey;
use crate::corpus::Article;
use crate::model::Model;
use crate::model::embed::session::{self, EncoderInput, SessionEncoder};
use crate::model::examples::settle;
use crate::schema::Schema;
use crate::store::{Event, Op, Overrides, is_ignore};

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
    /// Learn that this sentence was decided with these label names.
    Learn { text: String, labels: Vec<String> },
    /// Score this sentence and report it.
    Score { key: SentenceKey, text: String },
}

/// The handle the event loop keeps on the model thread; dropping it lets the thread end.
pub struct ModelWorker {
    jobs: Sender<Job>,
}

impl ModelWorker {
    /// Starts the thread: it trains from `input`, reports [`Action::ModelTrained`], then
    /// answers jobs with [`Action::Suggested`] on `reports`.
    pub fn spawn(input: ModelInput, reports: Sender<Action>) -> ModelWorker {
        let (jobs, queue) = channel();
        std::thread::Builder::new()
            .name("model".into())
            .spawn(move || work(input, &queue, &reports))
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

    /// Has the model learn one decision: `labels` given to `text` (by name; `None`, a
    /// withdrawal, and an ignored sentence teach it nothing).
    pub fn learn(&self, text: &str, labels: Option<&[String]>) {
        let Some(labels) = labels.filter(|l| !is_ignore(l)) else {
            return;
        };
        let _ = self.jobs.send(Job::Learn {
            text: text.to_owned(),
            labels: labels.to_vec(),
        });
    }

    /// Has the model learn the decisions other sessions appended.
    pub fn learn_arrivals(&self, events: &[Event]) {
        for event in events.iter().filter(|e| e.op == Op::Set) {
            self.learn(&event.text, Some(&event.labels));
        }
    }
}

/// Trains the model from `input` as `stance suggest` does.
pub fn train(input: &ModelInput) -> Model {
    Model::train(&input.schema, &examples(input))
}

/// The examples `stance suggest` trains from, for the same store and corpus.
fn examples(input: &ModelInput) -> Vec<crate::model::Example> {
    let annotations = input.events.iter().map(crate::store::Annotation::from);
    let settled = settle(
        &input.articles,
        &input.boundaries,
        annotations,
        &input.schema,
        |id| input.hidden.contains(id),
    );
    settled.examples
}

fn work(mut input: ModelInput, queue: &Receiver<Job>, reports: &Sender<Action>) {
    let mut model = train(&input);
    let mut encoder = input.encoder.take().map(|e| {
        let examples = examples(&input);
        SessionEncoder::new(
            e,
            &input.schema,
            examples,
            Arc::clone(&input.articles),
            input.boundaries.clone(),
        )
    });
    let mut last: Option<(SentenceKey, String)> = None;
    let schema = input.schema;
    let (articles, boundaries, rank) = (input.articles, input.boundaries, input.rank);
    drop(input.events);
    let learned = |model: &Model| Learned {
        counts: model.counts(),
    };
    if reports.send(Action::ModelTrained(learned(&model))).is_err() {
        return;
    }
    // Jobs that came while the corpus was being ranked, carried out before ranking again.
    let mut early: Vec<Job> = Vec::new();
    let mut stale = rank;
    loop {
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
            match session::embed_while_idle(encoder, queue, last.as_ref()) {
                session::Idle::Job(job) => waiting.push(job),
                session::Idle::Rescored(scored) => {
                    if reports.send(Action::Suggested(scored)).is_err() {
                        return;
                    }
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
                Job::Learn { text, labels } => {
                    // As at open: a label set naming a label the schema lacks is not
                    // learned from.
                    let Some(mut labels) = labels
                        .iter()
                        .map(|l| schema.index_of(l))
                        .collect::<Option<Vec<usize>>>()
                    else {
                        continue;
                    };
                    labels.sort_unstable();
                    model.update(&text, &labels);
                    if let Some(encoder) = &mut encoder {
                        encoder.learn(&text, &labels);
                    }
                    taught = true;
                }
                Job::Score { key, text } => newest = Some((key, text)),
            }
        }
        if taught && reports.send(Action::ModelTrained(learned(&model))).is_err() {
            return;
        }
        stale |= taught && rank;
        if let Some((key, text)) = newest {
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
