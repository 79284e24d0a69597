//! `stance suggest`: the model's scores for the sentences nobody annotated yet, and
//! `--eval`, its cross-validated quality on the store's annotations.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, mpsc};

use anyhow::bail;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::cli::{SuggestArgs, SuggestOrder};
use crate::corpus::{self, Corpus};
use crate::escape::{self, escape};
use crate::model::embed::features::Embedded;
use crate::model::embed::setup;
use crate::model::eval::{self, Order, Quality};
use crate::model::examples::{Settled, settle};
use crate::model::score::Memo;
use crate::model::{MIN_EXAMPLES, Model, Suggestion, round4};
use crate::schema::Schema;
use crate::store::{Overrides, Store};

/// Runs `stance suggest`.
pub fn run(args: &SuggestArgs) -> anyhow::Result<ExitCode> {
    super::pad_heaps();
    let spec = args.corpus.spec();
    // A store named as a file or folder can be read, and the model trained, while the
    // corpus is read; the encoder's features and `--eval` need the whole corpus first.
    let ahead = super::named_store(args.labels.as_deref())
        .filter(|path| !crate::store::pg::is_url_path(path))
        .filter(|_| !args.eval && args.encoder.is_none());
    let (corpus, store_path, store, schema, trained) = match ahead {
        Some(path) => {
            let (corpus, read) = super::suggest_ahead::open(&spec, &path, args.schema.as_deref());
            let corpus = corpus?;
            warn(&corpus);
            let (store, schema, trained) = read()?;
            (corpus, path, store, schema, trained)
        }
        None => {
            let corpus = corpus::open(&spec)?;
            warn(&corpus);
            let (store_path, store, schema) =
                super::read_store(args.labels.as_deref(), args.schema.as_deref(), &corpus)?;
            (corpus, store_path, store, schema, None)
        }
    };
    let boundaries = store.boundaries().clone();
    let (settled, trained) = match trained.and_then(|trained| trained.for_corpus(&corpus)) {
        Some((settled, model)) => (settled, Some(model)),
        None => {
            let settled = settle(
                &corpus.articles,
                &boundaries,
                store.annotations(),
                &schema,
                |id| corpus.hides(id),
            );
            (settled, None)
        }
    };
    drop(store);
    for (name, count) in &settled.not_in_schema {
        eprintln!(
            "stance: note: {count} settled annotations use the label {}, which the schema \
             lacks; they are not learned from",
            escape::quote(name)
        );
    }
    let encoder = crate::commands::encoder_option::folder(args.encoder.as_deref())?;
    let features = match &encoder {
        Some(dir) => Some(embed_needed(
            args,
            dir,
            &store_path,
            &corpus,
            &boundaries,
            &settled,
        )?),
        None => None,
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    if args.eval {
        let k = usize::from(args.folds);
        if let Some(why) = eval::too_few(&settled.examples, k) {
            bail!("{}: {why}", escape::path(&store_path));
        }
        evaluate(args, &schema, &settled, features.as_ref(), &mut out)?;
    } else {
        score(
            args,
            &corpus,
            &boundaries,
            &schema,
            &settled,
            Training {
                features: features.as_ref(),
                trained,
            },
            &mut out,
        )?;
        out.flush()?;
        // The command ends the process: freeing the corpus's strings one by one would only
        // keep it waiting.
        std::mem::forget(corpus);
        return Ok(ExitCode::SUCCESS);
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn warn(corpus: &Corpus) {
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {}", escape(warning));
    }
}

/// How `score` gets its model: trained already, or to train on the settled examples, with
/// the encoder's features when one is given.
struct Training<'f> {
    features: Option<&'f Embedded>,
    trained: Option<Model>,
}

/// Loads the encoder at `dir` and embeds, through the cache beside the store, every sentence
/// this run reads: the annotated ones, and with scoring the ones it scores.
fn embed_needed(
    args: &SuggestArgs,
    dir: &std::path::Path,
    store_path: &std::path::Path,
    corpus: &Corpus,
    boundaries: &Overrides,
    settled: &Settled,
) -> anyhow::Result<Embedded> {
    let mut texts: Vec<&str> = settled.examples.iter().map(|e| e.text.as_str()).collect();
    if !args.eval {
        for (a, article) in corpus.articles.iter().enumerate() {
            for (s, span) in crate::boundary::sentences(article, boundaries)
                .into_iter()
                .enumerate()
            {
                if args.all || !settled.annotated.contains(&(a, s)) {
                    texts.push(&article.text[span.start..span.end]);
                }
            }
        }
    }
    let alone = args.encoder_features == crate::cli::EncoderFeatures::Embedding;
    let (features, embedded) = setup::prepare(dir, store_path, texts, alone)?;
    if embedded > 0 {
        eprintln!(
            "stance: note: embedded {embedded} sentences with the encoder (cached beside the store)"
        );
    }
    Ok(features)
}

/// Says, on standard error, which labels are scored by their patterns (or not at all)
/// because they have too few examples.
fn cold_start_notes(schema: &Schema, model: &Model) {
    for (label, (positives, negatives)) in schema.labels.iter().zip(model.counts()) {
        if positives >= MIN_EXAMPLES && negatives >= MIN_EXAMPLES {
            continue;
        }
        let how = if label.patterns.is_empty() {
            "it has no patterns in the schema, so it scores 0 and is never suggested"
        } else {
            "its scores come from its schema patterns alone"
        };
        eprintln!(
            "stance: note: {} has {positives} positive and {negatives} negative annotations \
             ({MIN_EXAMPLES} of each are needed to learn it): {how}",
            escape::quote(&label.name)
        );
    }
}

/// One sentence's place and suggestion, before it is written.
struct Row {
    article: usize,
    sentence: usize,
    start: usize,
    end: usize,
    /// Shared with every row of the same text.
    suggestion: Arc<Suggestion>,
}

/// One sentence to be scored: its article, its position in it and its span.
type Place = (usize, usize, crate::corpus::Span);

/// Articles scored per round on every core before their rows are written: small enough
/// that `--limit` stops soon and rows stream out, large enough to keep the cores busy.
const ARTICLES_PER_ROUND: usize = 512;

/// Distinct sentence texts whose suggestions are kept for sentences that repeat them; past
/// it the kept ones are dropped, which bounds the memory and changes no score.
const KEPT_TEXTS: usize = 1 << 18;

/// Appends the sentences of one article that are to be scored to `places`.
fn article_places(
    args: &SuggestArgs,
    boundaries: &Overrides,
    settled: &Settled,
    a: usize,
    article: &crate::corpus::Article,
    places: &mut Vec<Place>,
) {
    places.extend(
        crate::boundary::sentences(article, boundaries)
            .into_iter()
            .enumerate()
            .filter(|&(s, _)| args.all || !settled.annotated.contains(&(a, s)))
            .map(|(s, span)| (a, s, span)),
    );
}

/// One round's output: the lines of its rows in corpus order (with where each ends, for
/// `--limit`), or the rows themselves for `--order uncertain`, which sorts them all first.
enum Part {
    Lines { bytes: Vec<u8>, ends: Vec<usize> },
    Rows(Vec<Row>),
}

/// Rounds at most done ahead of the round being written, waiting to be written.
const ROUNDS_AHEAD: usize = 4;

/// How many rounds have been written, for workers that wait to keep within
/// [`ROUNDS_AHEAD`] of the writer.
#[derive(Default)]
struct Window {
    written: Mutex<usize>,
    changed: Condvar,
}

impl Window {
    /// Waits until `round` may be scored; false if the scoring stopped meanwhile.
    fn wait_for(&self, round: usize, stop: &AtomicBool) -> bool {
        let mut written = super::suggest_texts::lock(&self.written);
        while round >= *written + ROUNDS_AHEAD {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            written = self
                .changed
                .wait(written)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        !stop.load(Ordering::Relaxed)
    }

    /// Records that the first `rounds` rounds are written.
    fn written(&self, rounds: usize) {
        *super::suggest_texts::lock(&self.written) = rounds;
        self.changed.notify_all();
    }

    /// Wakes every worker waiting, to look at the stop flag.
    fn wake(&self) {
        // Taken, so that no worker is between its look at the flag and its wait.
        drop(super::suggest_texts::lock(&self.written));
        self.changed.notify_all();
    }
}

/// Stops the scoring when the worker holding it panics.
struct StopOnPanic<'a>(&'a AtomicBool, &'a Window);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
            self.1.wake();
        }
    }
}

fn score(
    args: &SuggestArgs,
    corpus: &Corpus,
    boundaries: &Overrides,
    schema: &Schema,
    settled: &Settled,
    training: Training<'_>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let Training {
        features,
        trained: pretrained,
    } = training;
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut table = Table::new(schema, args.json);
    let uncertain = args.order == SuggestOrder::Uncertain;
    // The header comes with the first round (or the sorted rows), so an empty corpus in
    // corpus order prints nothing at all.
    if uncertain || !corpus.articles.is_empty() {
        table.write_header(out)?;
    }
    // Set before the workers are told to score: they segment their first round meanwhile.
    let trained: OnceLock<Model> = OnceLock::new();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Per distinct text, its suggestion (to sort by) or its lines' tail (to copy).
    let suggestions = super::suggest_texts::Kept::<Arc<Suggestion>>::new(KEPT_TEXTS);
    let tails = super::suggest_texts::Kept::<(Box<[u8]>, bool)>::new(KEPT_TEXTS);
    let stop = AtomicBool::new(false);
    let lines = &table.lines;
    let rounds: Vec<&[crate::corpus::Article]> =
        corpus.articles.chunks(ARTICLES_PER_ROUND).collect();
    // Rounds are taken in order by whichever worker is free, and written in order; a round
    // is only scored while fewer than `ROUNDS_AHEAD` rounds before it wait to be written,
    // which bounds the memory of rounds done early.
    let next = AtomicUsize::new(0);
    let window = Window::default();
    // Rounds segmented while the model trains, taken by the worker that takes the round.
    let ahead: Vec<Mutex<Option<Vec<Place>>>> = rounds.iter().map(|_| Mutex::new(None)).collect();
    // Written buffers come back to be filled again, so a round's lines land in memory
    // already mapped instead of fresh pages.
    let spare = Mutex::new(Vec::<Vec<u8>>::new());
    let mut rows: Vec<Row> = Vec::new();
    let written: io::Result<()> = std::thread::scope(|scope| {
        let mut ready = Vec::with_capacity(workers);
        let (send, receive) = mpsc::channel::<(usize, Part)>();
        for w in 0..workers {
            let (go, wait) = mpsc::channel::<()>();
            ready.push(go);
            let send = send.clone();
            let (suggestions, tails, spare) = (&suggestions, &tails, &spare);
            let (stop, rounds, trained, ahead) = (&stop, &rounds, &trained, &ahead);
            let (next, window) = (&next, &window);
            scope.spawn(move || {
                // A worker that panics stops the others, which may wait on the window.
                let _stops = StopOnPanic(stop, window);
                let mut memo = Memo::default();
                // A new text's tail is made here and kept as an exact copy: grown in a
                // fresh vector it was reallocated several times.
                let mut scratch: Vec<u8> = Vec::with_capacity(4096);
                let mut prefix = super::suggest_out::Prefix::default();
                let prepare = |round: usize, places: &mut Vec<Place>| {
                    places.clear();
                    let first = round * ARTICLES_PER_ROUND;
                    for (i, article) in rounds[round].iter().enumerate() {
                        article_places(args, boundaries, settled, first + i, article, places);
                    }
                };
                // Until the model is trained, the first worker segments the rounds ahead,
                // in order: training leaves about one core idle, which one worker fills
                // without slowing the training down.
                let mut segmented = 0;
                let mut places = Vec::new();
                let model = loop {
                    // An error means the trainer's thread is unwinding.
                    let signal = match wait.try_recv() {
                        Err(mpsc::TryRecvError::Empty) if w == 0 && segmented < rounds.len() => {
                            let mut prepared = Vec::new();
                            prepare(segmented, &mut prepared);
                            *super::suggest_texts::lock(&ahead[segmented]) = Some(prepared);
                            segmented += 1;
                            continue;
                        }
                        Err(mpsc::TryRecvError::Empty) => wait.recv().is_ok(),
                        signal => signal.is_ok(),
                    };
                    if !signal {
                        return;
                    }
                    break trained.get().expect("trained before the signal");
                };
                loop {
                    let round = next.fetch_add(1, Ordering::Relaxed);
                    if round >= rounds.len() || !window.wait_for(round, stop) {
                        break;
                    }
                    let prepared = super::suggest_texts::lock(&ahead[round]).take();
                    match prepared {
                        Some(prepared) => places = prepared,
                        None => prepare(round, &mut places),
                    }
                    let part = if uncertain {
                        Part::Rows(
                            places
                                .iter()
                                .map(|&(a, sentence, span)| {
                                    let text = &corpus.articles[a].text[span.start..span.end];
                                    Row {
                                        article: a,
                                        sentence,
                                        start: span.start,
                                        end: span.end,
                                        suggestion: suggestions.with(
                                            text,
                                            || Arc::new(model.suggest_with(text, &mut memo)),
                                            Arc::clone,
                                        ),
                                    }
                                })
                                .collect(),
                        )
                    } else {
                        let mut bytes = super::suggest_texts::lock(spare).pop().unwrap_or_default();
                        bytes.reserve(places.len() * 320);
                        let mut ends = Vec::with_capacity(places.len());
                        for &(a, sentence, span) in &places {
                            let article = &corpus.articles[a];
                            let text = &article.text[span.start..span.end];
                            let make = || {
                                let suggestion = model.suggest_with(text, &mut memo);
                                scratch.clear();
                                let beyond_ascii = lines.tail(&mut scratch, text, &suggestion);
                                (Box::<[u8]>::from(&scratch[..]), beyond_ascii)
                            };
                            let span = (span.start, span.end);
                            tails.with(text, make, |(tail, beyond_ascii)| {
                                let article = (a, article);
                                let (prefix, beyond) = (&mut prefix, *beyond_ascii);
                                lines
                                    .line(&mut bytes, prefix, article, sentence, span, tail, beyond)
                            });
                            ends.push(bytes.len());
                        }
                        Part::Lines { bytes, ends }
                    };
                    if send.send((round, part)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let model = trained.get_or_init(|| match (pretrained, features) {
            (Some(model), _) => model,
            (None, Some(features)) => {
                let mut model = setup::model(schema, features);
                model.fit(&settled.examples);
                model
            }
            (None, None) => Model::train(schema, &settled.examples),
        });
        cold_start_notes(schema, model);
        for go in ready {
            // A worker gone already has no rounds to score.
            let _ = go.send(());
        }
        let mut written = 0usize;
        let mut done: Vec<Option<Part>> = rounds.iter().map(|_| None).collect();
        let result = (|| {
            for round in 0..rounds.len() {
                while done[round].is_none() {
                    let Ok((at, part)) = receive.recv() else {
                        return Ok(());
                    };
                    done[at] = Some(part);
                }
                match done[round].take().expect("received above") {
                    Part::Rows(part) => rows.extend(part),
                    Part::Lines { mut bytes, ends } => {
                        let take = ends.len().min(limit - written);
                        let to = if take == 0 { 0 } else { ends[take - 1] };
                        out.write_all(&bytes[..to])?;
                        bytes.clear();
                        super::suggest_texts::lock(&spare).push(bytes);
                        written += take;
                        if written == limit {
                            return Ok(());
                        }
                    }
                }
                window.written(round + 1);
            }
            Ok(())
        })();
        // Workers still scoring or waiting stop; the rounds they would send are not read.
        stop.store(true, Ordering::Relaxed);
        window.wake();
        drop(receive);
        result
    });
    written?;
    if uncertain {
        // Stable: equal uncertainty keeps corpus order.
        rows.sort_by(|a, b| {
            b.suggestion
                .uncertainty
                .total_cmp(&a.suggestion.uncertainty)
        });
        table.write_all(out, corpus, &rows[..rows.len().min(limit)])?;
    }
    // The command ends the process: freeing every kept suggestion one by one took a
    // quarter of a second on one core after the last line.
    std::mem::forget(rows);
    std::mem::forget(suggestions);
    std::mem::forget(tails);
    Ok(())
}

/// Writes rows as JSON lines or as a readable table (header first).
struct Table<'s> {
    lines: super::suggest_out::Lines<'s>,
    header: bool,
}

impl<'s> Table<'s> {
    fn new(schema: &'s Schema, json: bool) -> Table<'s> {
        Table {
            lines: super::suggest_out::Lines::new(schema, json),
            header: false,
        }
    }

    /// Writes the header, once.
    fn write_header(&mut self, out: &mut impl Write) -> io::Result<()> {
        if !self.header {
            self.header = true;
            let mut header = Vec::new();
            self.lines.header(&mut header);
            out.write_all(&header)?;
        }
        Ok(())
    }

    /// Writes `rows` in order. Lines stand alone, so they are made on every core and only
    /// written here, one buffer per chunk: formatting was a serial third of `suggest`'s time.
    fn write_all(&mut self, out: &mut impl Write, corpus: &Corpus, rows: &[Row]) -> io::Result<()> {
        self.write_header(out)?;
        let chunks: Vec<&[Row]> = rows.chunks(1024).collect();
        let lines = &self.lines;
        let made = crate::cores::map(&chunks, |chunk| {
            let mut bytes = Vec::with_capacity(chunk.len() * 320);
            let mut prefix = super::suggest_out::Prefix::default();
            for row in chunk.iter() {
                let article = (row.article, &corpus.articles[row.article]);
                let span = (row.start, row.end);
                lines.row(
                    &mut bytes,
                    &mut prefix,
                    article,
                    row.sentence,
                    span,
                    &row.suggestion,
                );
            }
            bytes
        });
        made.iter().try_for_each(|bytes| out.write_all(bytes))
    }
}

fn number(x: Option<f64>) -> Option<f64> {
    x.map(round4)
}

/// The `--eval --json` object; fields in this order, as the README documents them.
#[derive(Serialize)]
struct EvalJson<'a> {
    folds: usize,
    annotations: usize,
    labels: LabelsJson<'a>,
    micro_f1: Option<f64>,
    macro_f1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    curve: Option<Vec<PointJson>>,
}

/// Per-label figures, in schema order.
struct LabelsJson<'a>(&'a Schema, &'a Quality);

#[derive(Serialize)]
struct LabelJson {
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    support: usize,
}

impl Serialize for LabelsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.labels.len()))?;
        for (label, c) in self.0.labels.iter().zip(&self.1.labels) {
            let figures = LabelJson {
                precision: number(c.precision()),
                recall: number(c.recall()),
                f1: number(c.f1()),
                support: c.support(),
            };
            map.serialize_entry(&label.name, &figures)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct PointJson {
    annotations: usize,
    order: &'static str,
    micro_f1: Option<f64>,
    macro_f1: Option<f64>,
}

fn evaluate(
    args: &SuggestArgs,
    schema: &Schema,
    settled: &Settled,
    features: Option<&Embedded>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let k = usize::from(args.folds);
    let examples = &settled.examples;
    let new = || match features {
        Some(features) => setup::model(schema, features),
        None => Model::new(schema),
    };
    let quality = eval::cross_validate_with(&new, schema, examples, k);
    let curve = args
        .curve
        .then(|| eval::curve_with(&new, schema, examples, k));
    let order_name = |order: Order| match order {
        Order::Corpus => "corpus",
        Order::Uncertain => "uncertain",
    };
    if args.json {
        let object = EvalJson {
            folds: k,
            annotations: examples.len(),
            labels: LabelsJson(schema, &quality),
            micro_f1: number(quality.micro_f1()),
            macro_f1: number(quality.macro_f1()),
            curve: curve.as_ref().map(|points| {
                points
                    .iter()
                    .map(|p| PointJson {
                        annotations: p.annotations,
                        order: order_name(p.order),
                        micro_f1: number(p.quality.micro_f1()),
                        macro_f1: number(p.quality.macro_f1()),
                    })
                    .collect()
            }),
        };
        let text = serde_json::to_string(&object)?;
        writeln!(out, "{}", escape::json(&text))?;
        return Ok(());
    }
    let shown = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{x:.4}"));
    writeln!(
        out,
        "{k}-fold cross-validation by article over {} annotations",
        examples.len()
    )?;
    let width = schema
        .labels
        .iter()
        .map(|l| escape(&l.name).chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    writeln!(
        out,
        "  {:<width$}  {:>9}  {:>9}  {:>9}  {:>7}",
        "label", "precision", "recall", "f1", "support"
    )?;
    for (label, c) in schema.labels.iter().zip(&quality.labels) {
        let name = escape(&label.name);
        let pad = " ".repeat(width - name.chars().count());
        writeln!(
            out,
            "  {name}{pad}  {:>9}  {:>9}  {:>9}  {:>7}",
            shown(c.precision()),
            shown(c.recall()),
            shown(c.f1()),
            c.support()
        )?;
    }
    writeln!(out, "micro F1   {}", shown(quality.micro_f1()))?;
    writeln!(out, "macro F1   {}", shown(quality.macro_f1()))?;
    if let Some(curve) = &curve {
        writeln!(out, "learning curve (annotations per training fold)")?;
        writeln!(
            out,
            "  {:>11}  {:>9}  {:>8}  {:>8}",
            "annotations", "order", "micro F1", "macro F1"
        )?;
        for p in curve {
            writeln!(
                out,
                "  {:>11}  {:>9}  {:>8}  {:>8}",
                p.annotations,
                order_name(p.order),
                shown(p.quality.micro_f1()),
                shown(p.quality.macro_f1())
            )?;
        }
    }
    Ok(())
}
