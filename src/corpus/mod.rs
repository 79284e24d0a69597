//! Corpora: reading articles from files, folders, JSONL, CSV and standard input.

pub mod segment;

use std::path::PathBuf;

pub use segment::{Span, segment};

/// What to open, validated from the command line.
#[derive(Debug, Clone, Default)]
pub struct CorpusSpec {
    /// Files, folders or `-`; empty means the built-in sample corpus.
    pub paths: Vec<PathBuf>,
    /// The field or column holding the text, when it is not `text`.
    pub text_field: Option<String>,
    /// Skip unreadable JSONL lines and CSV rows instead of failing.
    pub skip_bad: bool,
}

/// One article: an id stable across runs, a title, the text, and every other field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Unique within the corpus and stable across runs.
    pub id: String,
    /// Shown above the text; may be empty.
    pub title: String,
    /// The text as read (invalid UTF-8 replaced by U+FFFD).
    pub text: String,
    /// Other fields or columns, in source order.
    pub meta: Vec<(String, String)>,
    /// Where it came from, for messages: `path`, `path:line N` or `path:row N`.
    pub source: String,
}

impl Article {
    /// The article's sentences, found on demand.
    pub fn sentences(&self) -> Vec<Span> {
        segment(&self.text)
    }
}

/// The articles opened together.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Articles in corpus order.
    pub articles: Vec<Article>,
}
