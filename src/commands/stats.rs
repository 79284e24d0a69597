//! `stance stats`: what a corpus holds, as a short table or one JSON object.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::process::ExitCode;
use std::thread;

use serde::Serialize;

use crate::cli::StatsArgs;
use crate::corpus::{self, Article, Corpus};
use crate::schema::Schema;
use crate::store::{self, Event, LabelStore};

/// The figures `stance stats` prints; `--json` writes them as one object, so fields are added
/// (label counts from the label store) and never renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The corpus name, as in the status bar.
    pub corpus: String,
    /// Number of articles.
    pub articles: usize,
    /// Number of sentences the segmenter finds in all of them.
    pub sentences: usize,
    /// The label store read.
    pub store: String,
    /// Current annotations (per sentence and annotator) that still match the corpus.
    pub annotated: usize,
    /// Of those, how many are "reviewed, no stance".
    pub no_stance: usize,
    /// Annotations per label name: every label of the schema, and any other name found.
    pub labels: BTreeMap<String, usize>,
    /// Annotations whose sentence is no longer in the corpus as it was.
    pub orphaned: usize,
    /// Label names in schema order, for the table.
    #[serde(skip)]
    label_order: Vec<String>,
}

impl Stats {
    /// Counts `corpus`, segmenting every article.
    pub fn of(corpus: &Corpus) -> Stats {
        Stats {
            corpus: corpus.name.clone(),
            articles: corpus.articles.len(),
            sentences: count_sentences(&corpus.articles),
            store: String::new(),
            annotated: 0,
            no_stance: 0,
            labels: BTreeMap::new(),
            orphaned: 0,
            label_order: Vec::new(),
        }
    }

    /// Adds the label counts of `store`, whose annotations are of `corpus`.
    pub fn count_labels(&mut self, store: &LabelStore, corpus: &Corpus, schema: &Schema) {
        self.store = store.path().display().to_string();
        self.labels = schema.labels.iter().map(|l| (l.name.clone(), 0)).collect();
        self.label_order = schema.labels.iter().map(|l| l.name.clone()).collect();
        let orphans: HashSet<*const Event> = store::orphans(store, corpus)
            .into_iter()
            .map(std::ptr::from_ref)
            .collect();
        self.orphaned = orphans.len();
        for event in store.annotations() {
            if orphans.contains(&std::ptr::from_ref(event)) {
                continue;
            }
            self.annotated += 1;
            self.no_stance += usize::from(event.labels.is_empty());
            for name in &event.labels {
                let count = self.labels.entry(name.clone()).or_insert_with(|| {
                    self.label_order.push(name.clone());
                    0
                });
                *count += 1;
            }
        }
    }

    /// Writes the figures as a short two-column table.
    pub fn write_table(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "corpus     {}", self.corpus)?;
        writeln!(out, "articles   {}", self.articles)?;
        writeln!(out, "sentences  {}", self.sentences)?;
        writeln!(out, "store      {}", self.store)?;
        writeln!(out, "annotated  {}", self.annotated)?;
        writeln!(out, "no stance  {}", self.no_stance)?;
        let width = self.label_order.iter().map(String::len).max().unwrap_or(0);
        for name in &self.label_order {
            let count = self.labels.get(name).copied().unwrap_or(0);
            writeln!(out, "  {name:<width$}  {count}")?;
        }
        writeln!(out, "orphaned   {}", self.orphaned)
    }
}

/// Sentences in all `articles`, segmented on every core: articles are independent, and
/// segmenting dominates the time of `stance stats` on a large corpus.
pub fn count_sentences(articles: &[Article]) -> usize {
    let count = |part: &[Article]| part.iter().map(|article| article.sentences().len()).sum();
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || articles.len() < 2 * threads {
        return count(articles);
    }
    thread::scope(|scope| {
        let parts: Vec<_> = articles
            .chunks(articles.len().div_ceil(threads))
            .map(|part| scope.spawn(move || count(part)))
            .collect();
        parts
            .into_iter()
            .map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .sum()
    })
}

/// Runs `stance stats`.
pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let corpus = corpus::open(&args.corpus.spec())?;
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {warning}");
    }
    let mut stats = Stats::of(&corpus);
    let schema = match &args.schema {
        Some(path) => Schema::load(path)?,
        None => Schema::default(),
    };
    let store_path = match &args.labels {
        Some(path) => path.clone(),
        None => store::default_path(&corpus.key)?,
    };
    stats.count_labels(&LabelStore::open_read_only(&store_path)?, &corpus, &schema);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        stats.write_table(&mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
