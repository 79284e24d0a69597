//! Why a corpus could not be opened; every message names the file and, where it applies,
//! the line, row or item.

use std::io;

use crate::escape::escape;

/// The file types a corpus is made of, for messages.
pub const SUPPORTED: &str = ".txt, .jsonl, .ndjson, .json, .csv, .tsv";

/// An error opening a corpus: one line, naming the place.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The path does not exist.
    #[error("{}: no such file or folder", escape(path))]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// Reading failed for a reason of the system (permissions, a device error).
    #[error("{}: {error}", escape(path))]
    Io {
        /// The file or folder being read.
        path: String,
        /// What the system said (in the message, so not also a source to print again).
        error: io::Error,
    },
    /// A file whose extension is not a corpus format.
    #[error(
        "{}: unsupported file type; a corpus is made of {SUPPORTED} files and folders",
        escape(path)
    )]
    Unsupported {
        /// The file as given.
        path: String,
    },
    /// A folder holding no file of a corpus format.
    #[error("{}: no {SUPPORTED} files in this folder", escape(path))]
    NoSupportedFiles {
        /// The folder as given.
        path: String,
    },
    /// A file with no bytes, or only whitespace.
    #[error("{}: the file is empty", escape(path))]
    Empty {
        /// The file.
        path: String,
    },
    /// A NUL byte, which text never holds: a binary or UTF-16 file.
    #[error(
        "{}: NUL byte at byte {offset}: not a UTF-8 text file (binary, or UTF-16?)",
        escape(path)
    )]
    Binary {
        /// The file.
        path: String,
        /// Offset of the first NUL byte from the start of the file.
        offset: u64,
    },
    /// A CSV or TSV file without the text column.
    #[error(
        "{}: no column {}; columns found: {found} (name the text column with --text-field)",
        escape(path),
        quote(column)
    )]
    MissingColumn {
        /// The file.
        path: String,
        /// The column looked for.
        column: String,
        /// The header's columns, quoted and joined.
        found: String,
    },
    /// A CSV or TSV file without the column `--id-field` names.
    #[error(
        "{}: no column {} (named by --id-field); columns found: {found}",
        escape(path),
        quote(column)
    )]
    MissingIdColumn {
        /// The file.
        path: String,
        /// The column looked for.
        column: String,
        /// The header's columns, quoted and joined.
        found: String,
    },
    /// One JSONL line, JSON item or CSV row that cannot be an article.
    #[error(
        "{}: {} (--skip-bad skips such entries)",
        escape(place),
        escape(reason)
    )]
    BadEntry {
        /// `path:line N`, `path:item N`.
        place: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file that cannot be read as its format at all.
    #[error("{}: {}", escape(place), escape(reason))]
    BadFile {
        /// The file, with the line when known.
        place: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file that yields no article.
    #[error("{}: no articles{}", escape(path), skipped_note(*.skipped))]
    NoArticles {
        /// The file.
        path: String,
        /// Entries skipped with `--skip-bad`.
        skipped: usize,
    },
    /// A `--where` or `--meta` naming a field no article has.
    #[error(
        "{flag}: no article has a field {}; fields found: {found}",
        quote(field)
    )]
    UnknownField {
        /// The option that named it.
        flag: &'static str,
        /// The field asked for.
        field: String,
        /// The fields the articles have, quoted and joined.
        found: String,
    },
    /// Two articles with one id.
    #[error("duplicate article id {id}: {} and {}", escape(first), escape(second))]
    DuplicateId {
        /// The id, quoted.
        id: String,
        /// Where it was first seen.
        first: String,
        /// Where it was seen again.
        second: String,
    },
    /// A FIFO, socket or device: reading one could block forever or never end.
    #[error(
        "{}: not a regular file ({kind}); name a file, a folder, or - for standard input",
        escape(path)
    )]
    NotAFile {
        /// The path as given.
        path: String,
        /// What it is instead, as [`crate::special::kind`] says.
        kind: &'static str,
    },
    /// Standard input named twice.
    #[error("`-` (standard input) can be given only once")]
    StdinTwice,
    /// A binary built without any `sample-data/*.txt`.
    #[error("the built-in sample corpus is empty: this binary was built without sample-data/*.txt")]
    NoSample,
}

fn skipped_note(skipped: usize) -> String {
    match skipped {
        0 => String::new(),
        n => format!(" left after skipping {n} bad entries"),
    }
}

/// `text` quoted for a one-line message: escaped as every message escapes outside text, long
/// text cut.
pub fn quote(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", crate::escape::quote(&text[..cut])),
        None => crate::escape::quote(text),
    }
}
