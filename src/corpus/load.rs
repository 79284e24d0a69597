//! Reading each file of a corpus into articles, with what the readers share: the settings,
//! warnings, the handling of bad entries and of system errors.

use std::fs::File;
use std::io::{self, BufReader, Read};

use super::decode::{TextReader, nul_offset};
use super::files::{Format, SourceFile};
use super::{Article, CorpusError, CorpusSpec, json, plain, table};

/// What the readers fill, with the settings they read by.
pub struct Loader<'a> {
    /// The JSON field or CSV column holding the text.
    pub text_field: &'a str,
    skip_bad: bool,
    /// Articles in corpus order.
    pub articles: Vec<Article>,
    /// Things the user should know that did not stop the open.
    pub warnings: Vec<String>,
}

impl<'a> Loader<'a> {
    /// An empty loader reading by `spec`.
    pub fn new(spec: &'a CorpusSpec) -> Self {
        Loader {
            text_field: spec.text_field.as_deref().unwrap_or("text"),
            skip_bad: spec.skip_bad,
            articles: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Reads every article of `file`; a file that yields none is an error.
    pub fn read_file(&mut self, file: &SourceFile) -> Result<(), CorpusError> {
        let handle = File::open(&file.path).map_err(|err| read_error(&file.shown, err))?;
        let meta = handle
            .metadata()
            .map_err(|err| read_error(&file.shown, err))?;
        let size = meta.len();
        // A pipe or device reports no size; its emptiness shows when it is read.
        if meta.is_file() && size == 0 {
            return Err(CorpusError::Empty {
                path: file.shown.clone(),
            });
        }
        let before = self.articles.len();
        let mut reader = TextReader::new(handle);
        let mut bad = BadEntries::new(self.skip_bad);
        match file.format {
            Format::Text => {
                let text = read_all(&mut reader, &file.shown, size)?;
                let stem = file.path.file_stem().unwrap_or_default().to_string_lossy();
                self.push_text(file.id_base.clone(), &stem, text, file.shown.clone())?;
            }
            Format::JsonLines => {
                let lines = BufReader::with_capacity(1 << 16, &mut reader);
                json::read_lines(self, file, lines, &mut bad)?;
            }
            Format::Json => json::read_json(self, file, &mut reader, &mut bad)?,
            Format::Table(delimiter) => table::read(self, file, delimiter, &mut reader, &mut bad)?,
        }
        self.note_invalid(&file.shown, reader.invalid());
        if let Some(warning) = bad.warning(&file.shown) {
            self.warnings.push(warning);
        }
        if self.articles.len() == before {
            return Err(CorpusError::NoArticles {
                path: file.shown.clone(),
                skipped: bad.count,
            });
        }
        Ok(())
    }

    /// Reads one plain-text article from standard input.
    pub fn read_stdin(&mut self) -> Result<(), CorpusError> {
        let mut reader = TextReader::new(io::stdin().lock());
        let text = read_all(&mut reader, "standard input", 0)?;
        self.note_invalid("standard input", reader.invalid());
        self.push_text("stdin".into(), "stdin", text, "standard input".into())
    }

    /// Adds one plain-text article; only whitespace is an empty file.
    pub fn push_text(
        &mut self,
        id: String,
        fallback_title: &str,
        text: String,
        source: String,
    ) -> Result<(), CorpusError> {
        if text.trim().is_empty() {
            return Err(CorpusError::Empty { path: source });
        }
        self.articles
            .push(plain::article(id, fallback_title, text, source));
        Ok(())
    }

    fn note_invalid(&mut self, shown: &str, invalid: Option<(u64, usize)>) {
        if let Some((first, count)) = invalid {
            let more = match count {
                1 => String::new(),
                n => format!(" ({n} places in all)"),
            };
            self.warnings.push(format!(
                "{shown}: invalid UTF-8 at byte {first}{more}, shown as U+FFFD"
            ));
        }
    }
}

/// Bad entries of one file: an error, or counted and skipped with `--skip-bad`.
pub struct BadEntries {
    skip: bool,
    /// How many were skipped.
    pub count: usize,
    first: Option<String>,
}

impl BadEntries {
    fn new(skip: bool) -> Self {
        BadEntries {
            skip,
            count: 0,
            first: None,
        }
    }

    /// An error for the entry at `place`, unless bad entries are skipped.
    pub fn handle(&mut self, place: String, reason: String) -> Result<(), CorpusError> {
        if !self.skip {
            return Err(CorpusError::BadEntry { place, reason });
        }
        self.count += 1;
        self.first
            .get_or_insert_with(|| format!("{place}: {}", crate::escape::escape(&reason)));
        Ok(())
    }

    fn warning(&self, shown: &str) -> Option<String> {
        let first = self.first.as_ref()?;
        let entries = if self.count == 1 { "entry" } else { "entries" };
        Some(format!(
            "{shown}: skipped {} bad {entries}; the first: {first}",
            self.count
        ))
    }
}

/// The error for a failed read: a NUL byte means binary, anything else is the system's.
pub fn read_error(shown: &str, err: io::Error) -> CorpusError {
    match nul_offset(&err) {
        Some(offset) => CorpusError::Binary {
            path: shown.to_owned(),
            offset,
        },
        None => CorpusError::Io {
            path: shown.to_owned(),
            error: err,
        },
    }
}

fn read_all<R: Read>(
    reader: &mut TextReader<R>,
    shown: &str,
    size: u64,
) -> Result<String, CorpusError> {
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    reader
        .read_to_string(&mut text)
        .map_err(|err| read_error(shown, err))?;
    Ok(text)
}

/// The id of an entry: the given one as written, else `base#number`; an empty id is refused.
pub fn entry_id(given: Option<&str>, base: &str, number: u64) -> Result<String, String> {
    match given {
        Some(id) if id.trim().is_empty() => Err("empty id".into()),
        Some(id) => Ok(id.to_owned()),
        None => Ok(format!("{base}#{number}")),
    }
}
