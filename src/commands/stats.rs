//! `stance stats`: what a corpus holds, as a short table or one JSON object.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::attach::{Orphan, Reattached, attach_annotation};
use crate::boundary;
use crate::cli::StatsArgs;
use crate::corpus::{self, Article, Corpus, Span};
use crate::escape::escape;
use crate::kept_schema;
use crate::schema::Schema;
use crate::store::{Annotation, BoundaryKind, OpenedStore, Overrides, Store};
use crate::ui::bar::bar;

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
    /// Current annotations that still match the corpus, per annotator.
    pub annotators: BTreeMap<String, usize>,
    /// Articles with at least one sentence, each of which has a current annotation by
    /// someone.
    pub articles_done: usize,
    /// Annotations whose article id is gone, counted above at the one sentence that has
    /// their text ([`crate::attach::Reattached`]); left out of the JSON when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub reattached: usize,
    /// The store's boundary overrides (splits and merges analysts made), which the sentence
    /// counts above already apply.
    pub boundary_overrides: BoundaryReport,
    /// With `--where`: the conditions and how many articles were loaded before them (the
    /// other figures count only the articles kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterNote>,
    /// Coverage for `--overlap`: for each number n from 0 to the most, how many articles
    /// (with at least one sentence) exactly n annotators finished (decided every sentence).
    pub per_article_annotators: BTreeMap<usize, usize>,
    /// Label names in schema order, for the table.
    #[serde(skip)]
    label_order: Vec<String>,
    /// Each article's sentences, to tell which articles are done.
    #[serde(skip)]
    spans: Vec<Vec<Span>>,
    /// Of the annotated, how many are ignored (not to train on; neither labels nor "no
    /// stance").
    pub ignored: usize,
    /// With `--annotator`: the only annotators whose decisions every figure above counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_annotators: Option<Vec<String>>,
}

/// The boundary overrides of a label store, as `stats --json` reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BoundaryReport {
    /// Live overrides in the store, applied or not.
    pub count: usize,
    /// Of those, how many no longer fit their article (gone, or its text changed) and are
    /// ignored.
    pub stale: usize,
    /// Per article id (articles left out by `--where` too), its overrides in text order.
    pub articles: BTreeMap<String, Vec<BoundaryEntry>>,
}

/// One boundary override, as `stats --json` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryEntry {
    /// `split` or `merge`.
    pub kind: BoundaryKind,
    /// Byte offset of the boundary in the article text.
    pub at: usize,
    /// Who made it.
    pub annotator: String,
    /// When, in Unix milliseconds.
    pub ts: u64,
    /// `null` while it applies; else why it is ignored: `article_gone` or `text_changed`.
    pub stale: Option<&'static str>,
}

impl BoundaryReport {
    /// The report of `overrides` against `corpus`: an article `--where` left out is not gone.
    pub fn of(corpus: &Corpus, overrides: &Overrides) -> BoundaryReport {
        let stale: HashMap<(&str, usize), Orphan> = boundary::stale(&corpus.articles, overrides)
            .into_iter()
            .filter(|s| !corpus.hides(s.article))
            .map(|s| ((s.article, s.boundary.at), s.reason))
            .collect();
        let mut report = BoundaryReport {
            count: overrides.len(),
            stale: stale.len(),
            articles: BTreeMap::new(),
        };
        for (article, o) in overrides.iter() {
            let why = stale.get(&(article, o.at)).map(|reason| match reason {
                Orphan::ArticleGone => "article_gone",
                _ => "text_changed",
            });
            report
                .articles
                .entry(article.to_owned())
                .or_default()
                .push(BoundaryEntry {
                    kind: o.kind,
                    at: o.at,
                    annotator: o.annotator.clone(),
                    ts: o.ts,
                    stale: why,
                });
        }
        report
    }
}

/// What `--where` did, as `stats` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterNote {
    /// Each `--where` as given.
    #[serde(rename = "where")]
    pub conditions: Vec<String>,
    /// Articles in the corpus before the filter.
    pub articles_loaded: usize,
}

impl Stats {
    /// Counts `corpus`, segmenting every article and correcting its sentences by `overrides`.
    pub fn of(corpus: &Corpus, overrides: &Overrides) -> Stats {
        let spans = on_every_core(&corpus.articles, |article| {
            boundary::sentences(article, overrides)
        });
        Stats {
            corpus: corpus.name.clone(),
            articles: corpus.articles.len(),
            sentences: spans.iter().map(Vec::len).sum(),
            store: String::new(),
            annotated: 0,
            no_stance: 0,
            labels: BTreeMap::new(),
            orphaned: 0,
            reattached: 0,
            annotators: BTreeMap::new(),
            articles_done: 0,
            boundary_overrides: BoundaryReport::of(corpus, overrides),
            ignored: 0,
            filter: None,
            per_article_annotators: BTreeMap::new(),
            label_order: Vec::new(),
            spans,
            only_annotators: None,
        }
    }

    /// Adds the label counts of `annotations` (a store's), which are of `corpus` (the corpus
    /// [`Stats::of`] counted: its sentences are reused).
    pub fn count_labels<'a>(
        &mut self,
        annotations: impl IntoIterator<Item = Annotation<'a>>,
        corpus: &Corpus,
        schema: &Schema,
    ) {
        self.labels = schema.labels.iter().map(|l| (l.name.clone(), 0)).collect();
        self.label_order = schema.labels.iter().map(|l| l.name.clone()).collect();
        let by_id: HashMap<&str, usize> = corpus
            .articles
            .iter()
            .enumerate()
            .map(|(i, article)| (article.id.as_str(), i))
            .collect();
        let mut annotated: HashMap<&str, HashSet<(usize, usize)>> = HashMap::new();
        let mut by_annotator: HashMap<(&str, &str), usize> = HashMap::new();
        // An article left out by `--where` is neither counted nor gone.
        for event in annotations
            .into_iter()
            .filter(|e| !corpus.hides(e.article()))
        {
            let article = by_id
                .get(event.article())
                .map(|&i| (corpus.articles[i].text.as_str(), self.spans[i].as_slice()));
            if attach_annotation(article, event).is_err() {
                self.orphaned += 1;
                continue;
            }
            annotated
                .entry(event.article())
                .or_default()
                .insert((event.start(), event.end()));
            // Attached annotations are one per sentence and annotator: a count is a coverage.
            *by_annotator
                .entry((event.article(), event.annotator()))
                .or_insert(0) += 1;
            *self
                .annotators
                .entry(event.annotator().to_owned())
                .or_insert(0) += 1;
            self.annotated += 1;
            self.ignored += usize::from(event.is_ignored());
            self.no_stance += usize::from(event.labels().is_empty() && !event.is_ignored());
            for name in event.labels() {
                let count = self.labels.entry(name.clone()).or_insert_with(|| {
                    self.label_order.push(name.clone());
                    0
                });
                *count += 1;
            }
        }
        self.articles_done = corpus
            .articles
            .iter()
            .zip(&self.spans)
            .filter(|(article, spans)| {
                let done = annotated.get(article.id.as_str());
                !spans.is_empty()
                    && done.is_some_and(|d| spans.iter().all(|s| d.contains(&(s.start, s.end))))
            })
            .count();
        let mut finishers: HashMap<&str, usize> = HashMap::new();
        for (&(article, _), &decided) in &by_annotator {
            let sentences = by_id.get(article).map_or(0, |&i| self.spans[i].len());
            if sentences > 0 && decided >= sentences {
                *finishers.entry(article).or_insert(0) += 1;
            }
        }
        let mut histogram = BTreeMap::new();
        for (article, spans) in corpus.articles.iter().zip(&self.spans) {
            if !spans.is_empty() {
                let n = finishers.get(article.id.as_str()).copied().unwrap_or(0);
                *histogram.entry(n).or_insert(0) += 1;
            }
        }
        if let Some(&most) = histogram.keys().next_back() {
            for n in 0..most {
                histogram.entry(n).or_insert(0);
            }
        }
        self.per_article_annotators = histogram;
    }

    /// Writes the figures as a short two-column table; with `bars` (a terminal), the label
    /// and annotator counts also get a share and a bar.
    pub fn write_table(&self, out: &mut impl Write, bars: bool) -> io::Result<()> {
        // Names come from files and the journal: escaped, and padded by hand, since a format
        // width above 65,535 panics.
        writeln!(out, "corpus     {}", escape(&self.corpus))?;
        writeln!(out, "articles   {}", self.articles)?;
        if let Some(filter) = &self.filter {
            writeln!(
                out,
                "filter     {} ({} of {} articles)",
                escape(&filter.conditions.join(" ")),
                self.articles,
                filter.articles_loaded
            )?;
        }
        writeln!(out, "sentences  {}", self.sentences)?;
        writeln!(out, "store      {}", escape(&self.store))?;
        if let Some(only) = &self.only_annotators {
            writeln!(
                out,
                "only       {} (their decisions alone are counted)",
                escape(&only.join(", "))
            )?;
        }
        writeln!(out, "annotated  {}", self.annotated)?;
        let names = self.label_order.iter().map(|n| escape(n).chars().count());
        let people = self.annotators.keys().map(|n| escape(n).chars().count());
        let width = names.chain(people).max().unwrap_or(0).max(9);
        let count_width = self.annotated.to_string().len();
        let row = |out: &mut dyn Write, name: &str, count: usize, of: usize| {
            let name = escape(name);
            let pad = " ".repeat(width - name.chars().count());
            write!(out, "  {name}{pad}  {count:>count_width$}")?;
            if bars {
                let share = count as f64 / of.max(1) as f64;
                write!(
                    out,
                    "  {:>3}%  {}",
                    (share * 100.0).round(),
                    bar(share, BAR_WIDTH)
                )?;
            }
            writeln!(out)
        };
        row(out, "no stance", self.no_stance, self.annotated)?;
        if self.ignored > 0 {
            row(out, "ignored", self.ignored, self.annotated)?;
        }
        for name in &self.label_order {
            let count = self.labels.get(name).copied().unwrap_or(0);
            row(out, name, count, self.annotated)?;
        }
        writeln!(out, "orphaned   {}", self.orphaned)?;
        if self.reattached > 0 {
            writeln!(out, "reattached {} (by sentence text)", self.reattached)?;
        }
        if self.boundary_overrides.count > 0 {
            writeln!(
                out,
                "boundaries {} changed ({} ignored: their text changed)",
                self.boundary_overrides.count, self.boundary_overrides.stale
            )?;
        }
        writeln!(
            out,
            "done       {} of {} articles",
            self.articles_done, self.articles
        )?;
        writeln!(out, "annotators {}", self.annotators.len())?;
        let mut people: Vec<(&String, &usize)> = self.annotators.iter().collect();
        people.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (name, count) in people {
            row(out, name, *count, self.annotated)?;
        }
        Ok(())
    }
}

/// Cells of the longest bar in the table.
const BAR_WIDTH: usize = 30;

/// Sentences in all `articles`, segmented on every core: articles are independent, and
/// segmenting dominates the time of `stance stats` on a large corpus.
pub fn count_sentences(articles: &[Article]) -> usize {
    on_every_core(articles, |article| article.sentences().len())
        .into_iter()
        .sum()
}

/// `f` of each article, in order, computed on every core.
pub(crate) fn on_every_core<T: Send>(
    articles: &[Article],
    f: impl Fn(&Article) -> T + Sync,
) -> Vec<T> {
    crate::cores::map(articles, f)
}

/// The annotators `--annotator` names (`None` without it: everyone). A name with no
/// decision in the store is a warning naming those it has, not an error: their count is 0.
fn only_annotators(
    names: &[String],
    store: &OpenedStore,
) -> anyhow::Result<Option<std::collections::BTreeSet<String>>> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut only = std::collections::BTreeSet::new();
    for name in names {
        let name = name.trim();
        anyhow::ensure!(
            !name.is_empty() && !name.contains(char::is_control),
            "--annotator: {} is not a usable name",
            crate::escape::quote(name)
        );
        only.insert(name.to_owned());
    }
    let known: std::collections::BTreeSet<&str> =
        store.annotations().map(|a| a.annotator()).collect();
    for name in &only {
        if !known.contains(name.as_str()) {
            let has: Vec<&str> = known.iter().copied().collect();
            eprintln!(
                "stance: warning: --annotator {}: the label store has no decision by them \
                 (it has {})",
                crate::escape::quote(name),
                match has.is_empty() {
                    true => "none".to_owned(),
                    false => escape(&has.join(", ")).into_owned(),
                }
            );
        }
    }
    Ok(Some(only))
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Runs `stance stats`.
pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let corpus = corpus::open(&args.corpus.spec())?;
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {}", escape(warning));
    }
    let (store_path, choice) = super::store_of(args.labels.as_deref(), &corpus)?;
    if let Some(note) = choice.and_then(|c| c.note) {
        eprintln!("stance: note: {note}");
    }
    let store = OpenedStore::open_read_only(&store_path)?;
    let mut stats = Stats::of(&corpus, store.boundaries());
    if stats.boundary_overrides.stale > 0 {
        eprintln!(
            "stance: warning: {} boundary override(s) no longer fit their article text and \
             are ignored (kept in {})",
            stats.boundary_overrides.stale,
            escape(&store_path.display().to_string())
        );
    }
    if !args.corpus.filter.is_empty() {
        stats.filter = Some(FilterNote {
            conditions: args.corpus.filter.iter().map(ToString::to_string).collect(),
            articles_loaded: corpus.loaded(),
        });
    }
    let chosen = kept_schema::choose(args.schema.as_deref(), &store_path)?;
    let used = || {
        store
            .annotations()
            .flat_map(|a| a.labels().iter().map(String::as_str))
    };
    chosen.check(used(), args.schema_change)?;
    if let Some(gaps) = chosen.default_gaps(used()) {
        eprintln!("stance: warning: {gaps}");
    }
    let schema = chosen.schema;
    let only = only_annotators(&args.annotator, &store)?;
    let counted = || {
        store.annotations().filter(|a| {
            only.as_ref()
                .is_none_or(|only| only.contains(a.annotator()))
        })
    };
    let reattached = Reattached::find(
        &corpus.articles,
        store.boundaries(),
        &corpus.hidden,
        counted(),
    );
    if let Some(report) = reattached.report() {
        eprintln!("stance: note: {report}");
    }
    stats.reattached = reattached.moved_count();
    stats.store = store.path().display().to_string();
    stats.count_labels(reattached.annotations(counted()), &corpus, &schema);
    stats.only_annotators = only.map(|only| only.into_iter().collect());
    let mut out = io::stdout().lock();
    if args.json {
        let json = serde_json::to_string(&stats)?;
        writeln!(out, "{}", crate::escape::json(&json))?;
    } else {
        stats.write_table(&mut out, io::stdout().is_terminal())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
