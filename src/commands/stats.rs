//! `stance stats`: what a corpus holds, as a short table or one JSON object.

use std::io::{self, Write};
use std::process::ExitCode;
use std::thread;

use serde::Serialize;

use crate::cli::StatsArgs;
use crate::corpus::{self, Article, Corpus};

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
}

impl Stats {
    /// Counts `corpus`, segmenting every article.
    pub fn of(corpus: &Corpus) -> Stats {
        Stats {
            corpus: corpus.name.clone(),
            articles: corpus.articles.len(),
            sentences: count_sentences(&corpus.articles),
        }
    }

    /// Writes the figures as a short two-column table.
    pub fn write_table(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "corpus     {}", self.corpus)?;
        writeln!(out, "articles   {}", self.articles)?;
        writeln!(out, "sentences  {}", self.sentences)
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
    let stats = Stats::of(&corpus);
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
