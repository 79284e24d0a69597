//! Reading each file of a corpus into articles, with what the readers share: the settings,
//! warnings, the handling of bad entries and of system errors.

use std::fs::File;
use std::io::{self, BufReader, Read};

use super::decode::{TextReader, nul_offset};
use super::files::{Format, SourceFile};
use super::{Article, CorpusError, CorpusSpec, json, plain, table};

/// The fields an id is looked for in, in this order, when `--id-field` names none.
pub const ID_FIELDS: [&str; 5] = ["id", "article_id", "doc_id", "uuid", "guid"];

/// Where an entry's id comes from.
#[derive(Debug, Clone, Copy)]
pub enum IdField<'a> {
    /// The field `--id-field` names: every entry must have it.
    Named(&'a str),
    /// The first of [`ID_FIELDS`] an entry has, else a line or row number.
    Detected,
}

impl<'a> IdField<'a> {
    /// The position among `names` of the id field and its name, leaving out `text_field`
    /// (a field is either the text or the id).
    pub fn pick<'n>(
        &self,
        names: impl Iterator<Item = &'n str> + Clone,
        text_field: &str,
    ) -> Option<(usize, &'a str)> {
        let find = |wanted: &str| {
            names
                .clone()
                .position(|name| name == wanted && name != text_field)
        };
        match *self {
            IdField::Named(name) => find(name).map(|at| (at, name)),
            IdField::Detected => ID_FIELDS
                .iter()
                .find_map(|&candidate| find(candidate).map(|at| (at, candidate))),
        }
    }
}

/// What the readers fill, with the settings they read by.
pub struct Loader<'a> {
    /// The JSON field or CSV column holding the text.
    pub text_field: &'a str,
    /// Where ids come from.
    pub id_field: IdField<'a>,
    /// The fields ids were taken from, in the order first used.
    pub id_fields_used: Vec<&'a str>,
    /// Skip bad entries instead of failing.
    pub skip_bad: bool,
    /// Which loaded articles to keep, once all are read.
    pub filter: &'a super::Filter,
    /// Articles in corpus order.
    pub articles: Vec<Article>,
    /// Things the user should know that did not stop the open.
    pub warnings: Vec<String>,
    /// Told of the articles read so far after each one is added, and whether they are all
    /// (see [`super::open_watching`]).
    watch: Option<super::Watch<'a>>,
}

impl<'a> Loader<'a> {
    /// An empty loader reading by `spec`, telling `watch` of the articles read so far after
    /// each one is added.
    pub fn new(spec: &'a CorpusSpec, watch: Option<super::Watch<'a>>) -> Self {
        Loader {
            text_field: spec.text_field.as_deref().unwrap_or("text"),
            id_field: spec
                .id_field
                .as_deref()
                .map_or(IdField::Detected, IdField::Named),
            id_fields_used: Vec::new(),
            skip_bad: spec.skip_bad,
            filter: &spec.filter,
            articles: Vec::new(),
            warnings: Vec::new(),
            watch,
        }
    }

    fn added(&mut self) {
        if let Some(watch) = self.watch.as_mut() {
            watch(&self.articles, false);
        }
    }

    /// Tells the watcher that every article is read.
    pub fn done(&mut self) {
        if let Some(watch) = self.watch.take() {
            watch(&self.articles, true);
        }
    }

    /// Adds one article whose id came from the field `id_name`, or from its place.
    pub fn push(&mut self, article: Article, id_name: Option<&'a str>) {
        if let Some(name) = id_name
            && !self.id_fields_used.contains(&name)
        {
            self.id_fields_used.push(name);
        }
        self.articles.push(article);
        self.added();
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
        self.added();
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
