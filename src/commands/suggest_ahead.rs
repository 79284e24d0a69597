//! The store read and the model trained while the corpus is still being read: a store's
//! annotations usually name a part of the corpus (the articles done so far), and once every
//! article they name has been read, the model can learn on the second core while the first
//! reads the rest. It is kept only if the corpus as opened settles to the very examples it
//! learned from (repeated ids and `--where` apply only once the whole corpus is read), so
//! the scores are those of training after the open, to the last bit.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rustc_hash::FxHashSet;

use crate::corpus::{self, Article, Corpus, CorpusSpec};
use crate::model::Model;
use crate::model::examples::{Settled, settle};
use crate::schema::Schema;
use crate::store::{Op, OpenedStore, Store};

/// Text of the articles copied for training ahead, at most: past it the model is trained
/// after the open, as without a store named.
const COPIED_TEXT: usize = 256 << 20;

/// A model trained ahead, with what it was trained from.
pub(super) struct Trained {
    /// The copies of the articles whose ids the store's annotations name, in the order
    /// read: every such id is among them.
    articles: Vec<Article>,
    /// The store settled on those articles alone (article positions among them).
    settled: Settled,
    model: Model,
}

impl Trained {
    /// The store settled on `corpus`, and the model trained on it, if the corpus as opened
    /// has exactly the articles the store names that the model was trained from, in the
    /// same order, with none left out by `--where`: settling reads only those, so it
    /// settles to the same examples, and the model is the one training after the open
    /// would give, to the last bit.
    pub(super) fn for_corpus(self, corpus: &Corpus) -> Option<(Settled, Model)> {
        let Trained {
            articles,
            mut settled,
            model,
        } = self;
        let ids: FxHashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        if ids.iter().any(|id| corpus.hides(id)) {
            return None;
        }
        let at: Vec<usize> = corpus
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| ids.contains(a.id.as_str()))
            .map(|(i, _)| i)
            .collect();
        let same = at.len() == articles.len()
            && at.iter().zip(&articles).all(|(&i, copy)| {
                let article = &corpus.articles[i];
                article.id == copy.id && article.text == copy.text
            });
        if !same {
            return None;
        }
        for example in &mut settled.examples {
            example.article = at[example.article];
        }
        settled.annotated = settled
            .annotated
            .iter()
            .map(|&(article, sentence)| (at[article], sentence))
            .collect();
        Some((settled, model))
    }
}

/// What the store's thread read: the store, its schema and perhaps a model trained ahead.
pub(super) type Read = anyhow::Result<(OpenedStore, Schema, Option<Trained>)>;

/// Opens the corpus of `spec` while another thread reads the label store at `path` (a file
/// or folder, with the schema at `schema` or else the one kept beside it) and trains a
/// model as soon as every article its annotations name has been read. The corpus's error
/// comes first: the store's is only looked at once the corpus is open.
pub(super) fn open(
    spec: &CorpusSpec,
    path: &Path,
    schema: Option<&Path>,
) -> (Result<Corpus, corpus::CorpusError>, impl FnOnce() -> Read) {
    let (named_send, named) = mpsc::channel::<FxHashSet<String>>();
    let (copies_send, copies) = mpsc::channel::<Vec<Article>>();
    let (path, schema): (PathBuf, Option<PathBuf>) = (path.to_owned(), schema.map(Path::to_owned));
    let reader = std::thread::spawn(move || -> Read {
        let schema = crate::kept_schema::choose(schema.as_deref(), &path)?.schema;
        let store = OpenedStore::open_read_only(&path)?;
        let ids: FxHashSet<String> = store
            .annotations()
            .filter(|a| matches!(a.op(), Op::Set | Op::Ignore))
            .map(|a| a.article().to_owned())
            .collect();
        if named_send.send(ids).is_err() {
            return Ok((store, schema, None));
        }
        let trained = copies.recv().ok().map(|articles| {
            let settled = settle(
                &articles,
                store.boundaries(),
                store.annotations(),
                &schema,
                |_| false,
            );
            // On this thread alone: the corpus is still being read on another core.
            let mut model = Model::new(&schema);
            model.fit_on(&settled.examples, 1);
            Trained {
                articles,
                settled,
                model,
            }
        });
        Ok((store, schema, trained))
    });
    let mut watcher = Watcher {
        named,
        ids: None,
        missing: FxHashSet::default(),
        checked: 0,
        copies: Some(copies_send),
    };
    let corpus =
        corpus::open_watching(spec, Some(&mut |articles, all| watcher.read(articles, all)));
    // Not sent by now: the store's thread is done with the corpus.
    drop(watcher);
    let read = move || {
        reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    };
    (corpus, read)
}

/// Watches the articles as they are read, and sends copies of the ones the store names
/// once every one of them has been read.
struct Watcher {
    named: mpsc::Receiver<FxHashSet<String>>,
    /// The article ids the store's annotations name, once read.
    ids: Option<FxHashSet<String>>,
    /// Those not read yet.
    missing: FxHashSet<String>,
    /// Articles looked at so far.
    checked: usize,
    /// Where the copies go; `None` once they are sent, or when they never will be.
    copies: Option<mpsc::Sender<Vec<Article>>>,
}

impl Watcher {
    /// Looks at the articles read so far (`all` of them, at the end).
    fn read(&mut self, articles: &[Article], all: bool) {
        if self.copies.is_none() {
            return;
        }
        if self.ids.is_none() {
            // At the end, waits for the store: the model is then trained after the open,
            // but by the same rule whatever the timing.
            let ids = match all {
                true => self
                    .named
                    .recv()
                    .map_err(|_| mpsc::TryRecvError::Disconnected),
                false => self.named.try_recv(),
            };
            match ids {
                Ok(ids) => {
                    self.missing = ids.clone();
                    self.ids = Some(ids);
                }
                Err(mpsc::TryRecvError::Empty) => return,
                // The store could not be read: its error is reported after the open.
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.copies = None;
                    return;
                }
            }
        }
        // The articles up to the one that completes the named ones, however late the
        // store's ids came: the same copies whatever the timing.
        let mut upto = None;
        for (at, article) in articles.iter().enumerate().skip(self.checked) {
            self.missing.remove(article.id.as_str());
            if self.missing.is_empty() {
                upto = Some(at + 1);
                break;
            }
        }
        self.checked = articles.len();
        // No article completes an empty set: the store names none, so there is nothing to
        // copy and the model learns from nothing.
        let upto = match (upto, self.ids.as_ref().is_some_and(FxHashSet::is_empty)) {
            (_, true) => 0,
            (Some(upto), false) => upto,
            (None, false) => {
                if all {
                    self.copies = None;
                }
                return;
            }
        };
        let ids = self.ids.as_ref().expect("read above");
        let named = articles[..upto]
            .iter()
            .filter(|a| ids.contains(a.id.as_str()));
        let text: usize = named.clone().map(|a| a.text.len()).sum();
        let copies = self.copies.take().expect("checked above");
        if text <= COPIED_TEXT {
            // Settling reads an article's id and text alone.
            let _ = copies.send(
                named
                    .map(|a| Article {
                        id: a.id.clone(),
                        title: String::new(),
                        text: a.text.clone(),
                        meta: Vec::new(),
                        source: String::new(),
                    })
                    .collect(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Event, LabelStore, Overrides};

    const SENTENCES: [(&str, &[&str]); 4] = [
        ("Envoys resumed talks in Geneva.", &["diplomatic"]),
        ("The council imposed sanctions on banks.", &["sanctions"]),
        ("Troops moved tanks to the border.", &["military"]),
        ("Shares closed higher on Friday.", &[]),
    ];

    /// A JSONL corpus of `ids` (each article the four sentences, `changed` ones with one
    /// more) and a store annotating every sentence of `annotated`.
    fn write(dir: &Path, ids: &[&str], changed: &[usize], annotated: &[&str]) -> PathBuf {
        let text = SENTENCES.map(|(s, _)| s).join(" ");
        let mut lines = String::new();
        for (i, id) in ids.iter().enumerate() {
            let text = match changed.contains(&i) {
                true => format!("{text} Another line."),
                false => text.clone(),
            };
            lines.push_str(&format!(
                "{}\n",
                serde_json::json!({"id": id, "text": text})
            ));
        }
        std::fs::write(dir.join("news.jsonl"), lines).unwrap();
        let store = dir.join("labels.jsonl");
        let mut labels = LabelStore::open_as(&store, "ana").unwrap();
        let mut events = Vec::new();
        for id in annotated {
            let mut start = 0;
            for (ts, (sentence, names)) in SENTENCES.iter().enumerate() {
                events.push(Event::set(
                    id,
                    start,
                    sentence,
                    names.iter().copied(),
                    "ana",
                    ts as u64,
                ));
                start += sentence.len() + 1;
            }
        }
        labels.append_all(events).unwrap();
        store
    }

    /// Opens the corpus ahead; the settled store and the model if they are kept.
    fn opened(store: &Path, spec: &CorpusSpec) -> (Corpus, Option<(Settled, Model)>) {
        let (corpus, read) = open(spec, store, None);
        let corpus = corpus.unwrap();
        let (_, _, trained) = read().unwrap();
        let kept = trained.and_then(|t| t.for_corpus(&corpus));
        (corpus, kept)
    }

    fn spec(dir: &Path) -> CorpusSpec {
        CorpusSpec {
            paths: vec![dir.join("news.jsonl")],
            ..CorpusSpec::default()
        }
    }

    #[test]
    fn a_model_trained_ahead_is_kept_with_the_settled_store_in_corpus_positions() {
        let dir = tempfile::tempdir().unwrap();
        let store = write(dir.path(), &["a", "b", "c", "d", "e"], &[], &["b", "c"]);
        let (corpus, kept) = opened(&store, &spec(dir.path()));
        let (settled, model) = kept.expect("every named article is read before the last");
        let after = crate::model::examples::settle(
            &corpus.articles,
            &Overrides::default(),
            OpenedStore::open_read_only(&store).unwrap().annotations(),
            &Schema::default(),
            |_| false,
        );
        assert_eq!(settled.examples, after.examples);
        assert_eq!(settled.annotated, after.annotated);
        assert!(settled.annotated.contains(&(2, 3)));
        let mut fresh = Model::train(&Schema::default(), &after.examples);
        let text = "Envoys imposed sanctions in Geneva.";
        let bits = |m: &mut Model| -> Vec<u64> {
            m.suggest(text).scores.iter().map(|x| x.to_bits()).collect()
        };
        let mut model = model;
        assert_eq!(bits(&mut model), bits(&mut fresh));
    }

    #[test]
    fn a_model_trained_ahead_is_dropped_when_the_corpus_settles_otherwise() {
        let skip = |dir: &Path| CorpusSpec {
            skip_bad: true,
            ..spec(dir)
        };
        // A named article repeated before the last named one is read: the copies hold both,
        // the corpus only the first.
        let dir = tempfile::tempdir().unwrap();
        let store = write(dir.path(), &["a", "b", "a", "c", "d"], &[2], &["a", "c"]);
        let (corpus, kept) = opened(&store, &skip(dir.path()));
        assert_eq!(corpus.articles.len(), 4);
        assert!(kept.is_none(), "the repeat is not in the corpus");
        // A repeat after the last named one is read changes nothing settled.
        let dir = tempfile::tempdir().unwrap();
        let store = write(dir.path(), &["a", "b", "c", "a", "d"], &[3], &["a", "c"]);
        assert!(opened(&store, &skip(dir.path())).1.is_some());
        // `--where` leaves a named article out.
        let dir = tempfile::tempdir().unwrap();
        let store = write(dir.path(), &["a", "b", "c", "d"], &[], &["a", "c"]);
        let filtered = CorpusSpec {
            filter: crate::corpus::Filter::parse(&["id=a"]).unwrap(),
            ..spec(dir.path())
        };
        assert!(opened(&store, &filtered).1.is_none());
        // A named article the corpus lacks: nothing is trained ahead.
        let dir = tempfile::tempdir().unwrap();
        let store = write(dir.path(), &["a", "b", "c", "d"], &[], &["a", "gone"]);
        assert!(opened(&store, &spec(dir.path())).1.is_none());
    }
}
