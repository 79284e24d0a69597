//! Training-data exporters, one module per format, and splits.
//!
//! [`export`] streams: it walks the articles in corpus order, segments only those with
//! annotations (every one with `include_unlabeled`), and writes each sentence as it is
//! settled, so its memory does not grow with the number of sentences written.

pub mod csv;
pub mod doccano;
pub mod jsonl;
pub mod prodigy;
pub mod record;
pub mod resolve;
pub mod spacy;
pub mod split;
pub mod split_check;
mod stream;
pub mod summary;

use std::io;

use thiserror::Error;

pub use crate::atomic::AtomicFile;
pub use crate::attach::Orphan;
pub use record::{MetaValues, Record, Verdict};
pub use resolve::Resolve;
pub use split::{Split, SplitName, SplitSpecError};
pub use stream::export;
pub use summary::Summary;

/// The formats `stance export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per sentence, for Hugging Face `datasets` and pandas.
    Jsonl,
    /// A header row and one row per sentence, with one 0/1 column per label.
    Csv,
    /// `{"text", "cats"}` lines for spaCy's text classifiers.
    Spacy,
    /// Prodigy choice tasks.
    Prodigy,
    /// doccano text-classification lines.
    Doccano,
}

/// The label names an export knows, in schema order, and whether a sentence takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSet {
    names: Vec<String>,
    /// One label per sentence (adds the `label` field to `jsonl`).
    pub exclusive: bool,
}

impl LabelSet {
    /// A label set from names in schema order.
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>, exclusive: bool) -> LabelSet {
        LabelSet {
            names: names.into_iter().map(Into::into).collect(),
            exclusive,
        }
    }

    /// The names, in schema order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// The name at this position of the schema.
    pub fn name(&self, position: usize) -> &str {
        &self.names[position]
    }

    /// How many labels the schema has.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True for a schema without labels.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The position of a label name, or an error that lists the schema's labels.
    pub fn position(&self, name: &str) -> Result<usize, ExportError> {
        self.names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| ExportError::UnknownLabel {
                name: name.to_string(),
                known: self.names.join(", "),
            })
    }
}

/// Which sentences `--label` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlyLabel {
    /// Those whose settled labels include this position of the schema.
    Label(usize),
    /// Those settled as "reviewed, no stance" (`--label none`, as in `stance review`).
    NoStance,
}

/// What to export and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The output format.
    pub format: Format,
    /// The schema's labels.
    pub labels: LabelSet,
    /// Assign each article to train/dev/test.
    pub split: Option<Split>,
    /// Add up to N sentences before and after, from the same article (`jsonl` only).
    pub context: Option<usize>,
    /// Also write sentences nobody annotated.
    pub include_unlabeled: bool,
    /// Write only sentences whose settled labels include this label (or that are "no
    /// stance").
    pub only_label: Option<OnlyLabel>,
    /// Whose decision counts.
    pub resolve: Resolve,
    /// Metadata fields to carry into every record (`--meta`), in this order.
    pub meta: Option<Vec<String>>,
    /// The store's boundary overrides, which correct every article's sentences.
    pub boundaries: crate::store::Overrides,
    /// Also write sentences decided "ignore", marked as such where the format has a place.
    pub include_ignored: bool,
    /// The store's flags and notes, written where the format has a place (`jsonl`).
    pub remarks: crate::store::Remarks,
}

/// Why an export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    /// `--label` named a label the schema does not have.
    #[error(
        "unknown label `{}`; the schema's labels are: {}",
        crate::escape::escape(name),
        crate::escape::escape(known)
    )]
    UnknownLabel {
        /// The name asked for.
        name: String,
        /// The schema's label names, comma-separated.
        known: String,
    },
    /// Writing the output failed (disk full, closed pipe, ...).
    #[error("cannot write the export")]
    Write(#[from] io::Error),
}
