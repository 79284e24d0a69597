//! The encoder in a session, run by the model worker between its jobs: it embeds the
//! sentences a little at a time (the current article first, then the annotated sentences
//! the model trains from, then the articles outward from the current one), keeps every
//! embedding in the cache beside the store, and trains the model over embeddings as soon as
//! every annotated sentence has one. Until then the worker scores with the n-gram model.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use super::SentenceEncoder;
use super::cache::{self, Cache};
use super::features::Embedded;
use super::setup::{self, SCALE};
use crate::app::assist::Scored;
use crate::app::state::SentenceKey;
use crate::corpus::Article;
use crate::hash::fingerprint_u64;
use crate::model::{Example, Model, Source, Suggestion};
use crate::schema::Schema;
use crate::store::Overrides;

/// Sentences embedded in one step between two looks at the worker's queue: a few tens of
/// milliseconds, so a key's job never waits long behind the encoder.
pub const STEP: usize = 8;

/// Articles on each side of the current one whose sentences make the candidate pool that
/// `--order uncertain` ranks by the model over embeddings: the ones embedded first, so the
/// pool is ready soon after open and never waits for the whole corpus.
pub const POOL_ARTICLES: usize = 10;

/// What the session's encoder is given at open.
pub struct EncoderInput {
    /// The loaded encoder.
    pub encoder: SentenceEncoder,
    /// The store's file, beside which the cache lives; `None` (a PostgreSQL store) keeps
    /// embeddings in memory only.
    pub store: Option<std::path::PathBuf>,
}

/// The encoder's side of the model worker.
pub struct SessionEncoder {
    encoder: SentenceEncoder,
    cache: Option<Cache>,
    features: Embedded,
    schema: Schema,
    model: Option<Model>,
    /// The annotated sentences, until the model over embeddings is trained from them.
    training: Vec<Example>,
    /// Decisions made before the model was trained, learned right after training.
    later: Vec<(String, Vec<usize>)>,
    articles: Arc<Vec<Article>>,
    boundaries: Overrides,
    /// Each article's sentences, segmented when first needed.
    sentences: Vec<Option<Vec<String>>>,
    /// The article the analyst is on, and how far outward embedding has got from it.
    focus: usize,
    distance: usize,
    /// Sentences the encoder failed on (never tried again).
    failed: HashSet<u64>,
    /// The model over embeddings learned decisions incrementally since it was trained
    /// from scratch: it may differ from `stance suggest --encoder`'s until it is replaced.
    inexact: bool,
    /// Why the cache cannot be written or read, said once.
    pub warning: Option<String>,
}

impl SessionEncoder {
    /// Reads the cache of `input`'s encoder beside the store; `training` are the examples
    /// `stance suggest` would train from.
    pub fn new(
        input: EncoderInput,
        schema: &Schema,
        training: Vec<Example>,
        articles: Arc<Vec<Article>>,
        boundaries: Overrides,
    ) -> SessionEncoder {
        let folder = input.store.as_deref().map(cache::folder);
        let opened = folder.as_deref().map(|f| Cache::open(f, &input.encoder));
        let (cache, table, warning) = match opened {
            None => (None, Default::default(), None),
            Some(Ok(mut cache)) => {
                let table = cache.take_entries();
                (Some(cache), table, None)
            }
            Some(Err(e)) => (
                None,
                Default::default(),
                Some(format!(
                    "embedding cache {}: {e}; embeddings are not kept",
                    crate::escape::path(folder.as_deref().expect("opened from it"))
                )),
            ),
        };
        // The embedding alone, as `stance suggest` reads it by default (README, "The
        // sentence encoder", says why).
        let features = Embedded::new(table, input.encoder.dimension(), SCALE, None);
        let sentences = vec![None; articles.len()];
        let mut session = SessionEncoder {
            encoder: input.encoder,
            cache,
            features,
            schema: schema.clone(),
            model: None,
            training,
            later: Vec::new(),
            articles,
            boundaries,
            sentences,
            focus: 0,
            distance: 0,
            failed: HashSet::new(),
            inexact: false,
            warning,
        };
        session.train_when_ready();
        session
    }

    /// The embeddings so far, shared: they grow as this encoder embeds.
    pub fn features(&self) -> Embedded {
        self.features.clone()
    }

    /// True once, when the model over embeddings was trained with decisions learned
    /// incrementally after it (so a training from scratch is due).
    pub fn take_inexact(&mut self) -> bool {
        std::mem::take(&mut self.inexact)
    }

    /// Puts in `model`, trained from scratch on the store, then has it learn `later`, the
    /// decisions it was not trained with (text, labels by schema position).
    pub fn replace<'a>(
        &mut self,
        model: Model,
        later: impl Iterator<Item = (&'a str, &'a [usize])>,
    ) {
        self.model = Some(model);
        self.training.clear();
        self.later.clear();
        for (text, labels) in later {
            self.learn(text, labels);
        }
    }

    /// True once the model over embeddings is trained.
    pub fn ready(&self) -> bool {
        self.model.is_some()
    }

    /// Embedding goes on from article `article` outward; true when that moves the focus
    /// (and so the candidate pool).
    pub fn focus(&mut self, article: usize) -> bool {
        if article == self.focus {
            return false;
        }
        self.focus = article;
        self.distance = 0;
        true
    }

    /// True while embedding is still within the candidate pool: the sentences it embeds
    /// next may join it.
    pub fn pool_growing(&self) -> bool {
        self.distance <= POOL_ARTICLES
    }

    /// The candidate pool's sentences that have an embedding (those of the current article
    /// and of the [`POOL_ARTICLES`] articles before and after it), the one the model over
    /// embeddings is least sure of first, ties in corpus order; `None` until that model is
    /// trained.
    pub fn rank_pool(&mut self) -> Option<Vec<SentenceKey>> {
        let model = self.model.as_mut()?;
        let n = self.articles.len();
        let focus = self.focus.min(n.saturating_sub(1));
        let pool = focus.saturating_sub(POOL_ARTICLES)..(focus + POOL_ARTICLES + 1).min(n);
        let mut scored: Vec<(SentenceKey, f64)> = Vec::new();
        for a in pool {
            let article = &self.articles[a];
            for span in crate::boundary::sentences(article, &self.boundaries) {
                let text = &article.text[span.start..span.end];
                if self.features.has(text) {
                    scored.push(((a, span.start, span.end), model.suggest(text).uncertainty));
                }
            }
        }
        // A stable sort: equal uncertainties stay in corpus order.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        Some(scored.into_iter().map(|(key, _)| key).collect())
    }

    /// The suggestion for `text` from the model over embeddings, embedding it now if it has
    /// none; `None` until that model is trained.
    pub fn suggest(&mut self, text: &str) -> Option<Suggestion> {
        self.model.as_ref()?;
        if !self.features.has(text) {
            self.embed(&[text.to_owned()]);
        }
        let model = self.model.as_mut()?;
        Some(model.suggest(text))
    }

    /// Learns one decision (`labels` by schema position, ascending).
    pub fn learn(&mut self, text: &str, labels: &[usize]) {
        match &mut self.model {
            Some(_) => {
                if !self.features.has(text) {
                    self.embed(&[text.to_owned()]);
                }
                let model = self.model.as_mut().expect("checked above");
                model.update(text, labels);
            }
            None => self.later.push((text.to_owned(), labels.to_vec())),
        }
    }

    /// Embeds the next few sentences; false when every sentence of the corpus has its
    /// embedding (or failed). Returns true when it trained the model just now, through
    /// `trained`.
    pub fn step(&mut self, trained: &mut bool) -> bool {
        let batch = self.next_batch();
        if batch.is_empty() {
            return false;
        }
        self.embed(&batch);
        *trained = self.train_when_ready();
        true
    }

    fn train_when_ready(&mut self) -> bool {
        if self.model.is_some() || self.training.iter().any(|e| self.lacks(&e.text)) {
            return false;
        }
        let mut model = setup::model(&self.schema, &self.features);
        model.fit(&std::mem::take(&mut self.training));
        self.inexact = !self.later.is_empty();
        for (text, labels) in std::mem::take(&mut self.later) {
            if !self.features.has(&text) {
                self.embed(std::slice::from_ref(&text));
            }
            model.update(&text, &labels);
        }
        self.model = Some(model);
        true
    }

    fn lacks(&self, text: &str) -> bool {
        !self.features.has(text) && !self.failed.contains(&fingerprint_u64(text))
    }

    fn article(&mut self, a: usize) -> &[String] {
        if self.sentences[a].is_none() {
            let article = &self.articles[a];
            let texts = crate::boundary::sentences(article, &self.boundaries)
                .into_iter()
                .map(|s| article.text[s.start..s.end].to_owned())
                .collect();
            self.sentences[a] = Some(texts);
        }
        self.sentences[a].as_deref().expect("segmented above")
    }

    /// Up to [`STEP`] sentences without an embedding: the current article's, then the
    /// annotated ones, then those of the articles `distance` away, then further.
    fn next_batch(&mut self) -> Vec<String> {
        let mut batch: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        let mut take = |this: &SessionEncoder, text: &str, batch: &mut Vec<String>| {
            if batch.len() < STEP && this.lacks(text) && seen.insert(fingerprint_u64(text)) {
                batch.push(text.to_owned());
            }
        };
        if !self.articles.is_empty() {
            let focus = self.focus.min(self.articles.len() - 1);
            for text in self.article(focus).to_vec() {
                take(self, &text, &mut batch);
            }
        }
        for text in self
            .training
            .iter()
            .map(|e| e.text.clone())
            .collect::<Vec<_>>()
        {
            take(self, &text, &mut batch);
        }
        while batch.len() < STEP && self.distance < self.articles.len() {
            let d = self.distance;
            let mut done = true;
            let n = self.articles.len();
            let around = [self.focus.checked_add(d), self.focus.checked_sub(d)];
            for a in around.into_iter().flatten().filter(|&a| a < n) {
                for text in self.article(a).to_vec() {
                    take(self, &text, &mut batch);
                }
                done &= batch.len() < STEP;
            }
            if done {
                self.distance += 1;
            }
        }
        batch
    }

    fn embed(&mut self, texts: &[String]) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        match self.encoder.embed(&refs) {
            Ok(embeddings) => {
                if let Some(cache) = &self.cache {
                    let fresh: Vec<(&str, &[f32])> = refs
                        .iter()
                        .copied()
                        .zip(embeddings.iter().map(Vec::as_slice))
                        .collect();
                    if let Err(e) = cache.write(&fresh) {
                        self.warning = Some(format!(
                            "embedding cache {}: {e}; embeddings are not kept",
                            crate::escape::path(cache.path())
                        ));
                        self.cache = None;
                    }
                }
                for (text, embedding) in refs.iter().zip(embeddings) {
                    self.features.insert(text, embedding);
                }
            }
            Err(_) => {
                self.failed.extend(refs.iter().map(|t| fingerprint_u64(t)));
            }
        }
    }
}

/// How [`embed_while_idle`] ended.
pub enum Idle<J> {
    /// A job arrived: it is the caller's to carry out.
    Job(J),
    /// The model over embeddings was just trained: the last sentence scored, scored again.
    Rescored(Scored),
    /// Sentences of the candidate pool got their embeddings (`rank` was asked for): the
    /// pool is to be ranked again.
    Grew,
    /// Every sentence has its embedding.
    Done,
    /// The queue's sender is gone: the session is over.
    Closed,
}

/// Embeds [`STEP`] sentences at a time for as long as no job waits on `queue`; `last` is the
/// sentence scored last, scored again by the model over embeddings once it is trained; with
/// `rank`, returns after each step that grew the ranked candidate pool.
pub fn embed_while_idle<J>(
    encoder: &mut SessionEncoder,
    queue: &Receiver<J>,
    last: Option<&(SentenceKey, String)>,
    rank: bool,
) -> Idle<J> {
    loop {
        match queue.try_recv() {
            Ok(job) => return Idle::Job(job),
            Err(TryRecvError::Disconnected) => return Idle::Closed,
            Err(TryRecvError::Empty) => {}
        }
        let mut trained = false;
        let growing = rank && encoder.pool_growing();
        if !encoder.step(&mut trained) {
            return Idle::Done;
        }
        if trained && let Some((key, text)) = last {
            let suggestion = encoder.suggest(text).expect("the model is trained");
            return Idle::Rescored(Scored {
                key: *key,
                suggestion,
            });
        }
        if growing && encoder.ready() {
            return Idle::Grew;
        }
    }
}

/// The suggestion the session shows for `text` (of the sentence `key`): the model over
/// embeddings', else the n-gram model's, marked [`Source::Ngrams`] when an encoder is
/// still embedding.
pub fn score(
    ngrams: &mut Model,
    encoder: Option<&mut SessionEncoder>,
    key: SentenceKey,
    text: &str,
) -> Suggestion {
    let Some(encoder) = encoder else {
        return ngrams.suggest(text);
    };
    encoder.focus(key.0);
    if let Some(suggestion) = encoder.suggest(text) {
        return suggestion;
    }
    let mut suggestion = ngrams.suggest(text);
    for source in &mut suggestion.sources {
        if *source == Source::Model {
            *source = Source::Ngrams;
        }
    }
    suggestion
}
