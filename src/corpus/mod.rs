//! Corpora: reading articles from files, folders, JSONL, JSON, CSV/TSV and standard input.
//!
//! Opening reads every article but segments none: an article's sentences are found when
//! asked for, so a large corpus opens in the time it takes to read it.

mod decode;
mod error;
mod files;
mod filter;
mod json;
mod load;
mod plain;
mod sample;
pub mod segment;
mod table;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use error::CorpusError;
use error::quote;
pub use filter::{Clause, Filter};
pub use segment::{Span, segment};

use crate::hash;

/// What to open, validated from the command line.
#[derive(Debug, Clone, Default)]
pub struct CorpusSpec {
    /// Files, folders or `-`; empty means the built-in sample corpus.
    pub paths: Vec<PathBuf>,
    /// The field or column holding the text, when it is not `text`.
    pub text_field: Option<String>,
    /// The field or column holding each article's id; `None` looks for the first of `id`,
    /// `article_id`, `doc_id`, `uuid`, `guid`.
    pub id_field: Option<String>,
    /// Skip unreadable JSONL lines and CSV rows (and later articles whose id repeats with
    /// other text) instead of failing.
    pub skip_bad: bool,
    /// Which of the loaded articles to keep (`--where`); empty keeps all.
    pub filter: Filter,
}

/// One article: an id stable across runs, a title, the text, and every other field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Unique within the corpus and stable across runs.
    pub id: String,
    /// Shown above the text, on one line (whitespace and control characters folded); may be empty.
    pub title: String,
    /// The text as read (invalid UTF-8 replaced by U+FFFD); sentence offsets point into it.
    pub text: String,
    /// Other fields or columns, in source order; non-string JSON values as compact JSON.
    pub meta: Vec<(String, String)>,
    /// Where it came from, for messages: `path` (a text file), `path:line N` (a JSON line,
    /// or the line a CSV row starts on), `path:item N` (a JSON array), `standard input`,
    /// `sample:NAME`.
    pub source: String,
}

#[cfg(test)]
impl Article {
    /// An article of `text` under `id`, its source named `id` too, with no title or metadata.
    pub(crate) fn plain(id: &str, text: &str) -> Self {
        Article {
            id: id.into(),
            title: String::new(),
            text: text.into(),
            meta: Vec::new(),
            source: id.into(),
        }
    }
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
    /// Articles in corpus order: arguments in the order given, folders in path order, rows
    /// and lines in file order.
    pub articles: Vec<Article>,
    /// For people: the file or folder name without its extension, `stdin`, or `sample`.
    pub name: String,
    /// A stable identity of what was opened, safe in a file name (`sample`, or the name and a
    /// hash of the canonical paths and the text field); names the default label store.
    pub key: String,
    /// Problems that did not stop the open (invalid UTF-8, skipped entries), one line each.
    pub warnings: Vec<String>,
    /// The metadata field names of every loaded article, filtered out or not, in the order
    /// first seen.
    pub fields: Vec<String>,
    /// Ids of the loaded articles the filter left out: their annotations are neither shown
    /// nor orphaned.
    pub hidden: HashSet<String>,
    /// [`content_digest`] of every loaded article, filtered out or not, in corpus order:
    /// what recognises the corpus after a move, whatever its path (`store::registry`).
    pub digests: Vec<u64>,
    /// The canonical paths opened, in the order given (`-` for standard input); empty for
    /// the sample corpus. Written to store records so a moved corpus's store can say where
    /// it was.
    pub paths: Vec<String>,
}

impl Corpus {
    /// True when the filter left out the article with this id.
    pub fn hides(&self, id: &str) -> bool {
        self.hidden.contains(id)
    }

    /// How many articles were loaded, before the filter.
    pub fn loaded(&self) -> usize {
        self.articles.len() + self.hidden.len()
    }

    /// An error naming `flag` unless every name is a metadata field of some article (or,
    /// with `own`, the article's `id` or `title`).
    pub fn check_fields<'n>(
        &self,
        flag: &'static str,
        names: impl IntoIterator<Item = &'n str>,
        own: bool,
    ) -> Result<(), CorpusError> {
        let known = |name: &str| {
            self.fields.iter().any(|f| f == name) || own && matches!(name, "id" | "title")
        };
        match names.into_iter().find(|name| !known(name)) {
            None => Ok(()),
            Some(name) => {
                let mut found: Vec<String> = self.fields.iter().map(|f| quote(f)).collect();
                if own {
                    found.extend([quote("id"), quote("title")]);
                }
                Err(CorpusError::UnknownField {
                    flag,
                    field: name.to_owned(),
                    found: match found.is_empty() {
                        true => "none".to_owned(),
                        false => found.join(", "),
                    },
                })
            }
        }
    }
}

/// What [`open_watching`] tells of the articles read so far, and whether they are all.
pub type Watch<'a> = &'a mut dyn FnMut(&[Article], bool);

/// Opens the corpus `spec` names, or the built-in sample corpus when it names no path.
pub fn open(spec: &CorpusSpec) -> Result<Corpus, CorpusError> {
    open_watching(spec, None)
}

/// [`open`], telling `watch` of the articles read so far, in the order read, after each one
/// is added, and once more when all are read (`true`, even if there are none): before
/// repeated ids are dropped and `--where` applies, so what it is told may differ from the
/// corpus opened. It is not told of a read that fails.
pub fn open_watching<'a>(
    spec: &'a CorpusSpec,
    watch: Option<Watch<'a>>,
) -> Result<Corpus, CorpusError> {
    let mut loader = load::Loader::new(spec, watch);
    if spec.paths.is_empty() {
        sample::load(&mut loader)?;
        return finish(loader, "sample".into(), "sample".into(), Vec::new());
    }
    // (canonical path, name) per argument; `-` stands for standard input.
    let mut identity: Vec<(String, String)> = Vec::with_capacity(spec.paths.len());
    for arg in &spec.paths {
        if arg.as_os_str() == "-" {
            if identity.iter().any(|(path, _)| path == "-") {
                return Err(CorpusError::StdinTwice);
            }
            loader.read_stdin()?;
            identity.push(("-".into(), "stdin".into()));
            continue;
        }
        for file in files::expand(arg, &mut loader.warnings)? {
            loader.read_file(&file)?;
        }
        let canonical = std::fs::canonicalize(arg).map_err(|error| CorpusError::Io {
            path: crate::escape::path(arg),
            error,
        })?;
        identity.push((
            canonical.to_string_lossy().into_owned(),
            name_of(&canonical),
        ));
    }
    let paths: Vec<String> = identity.iter().map(|(path, _)| path.clone()).collect();
    let name = match identity.len() {
        1 => identity[0].1.clone(),
        n => format!("{} +{}", identity[0].1, n - 1),
    };
    // The same files named in another order or by another path are the same corpus.
    identity.sort();
    let mut hashed: Vec<&str> = identity.iter().map(|(path, _)| path.as_str()).collect();
    let text_field = format!("text-field={}", loader.text_field);
    hashed.push(&text_field);
    // Ids from `id` or from places are what every earlier version used: such corpora keep
    // their key (and their store); ids from another field make another corpus.
    let id_fields = match loader.id_fields_used.as_slice() {
        [] | ["id"] => None,
        used => Some(format!("id-field={}", used.join(","))),
    };
    hashed.extend(id_fields.as_deref());
    // Default store paths contain this digest: it must never change.
    let digest = format!("{:016x}", hash::fnv1a64(hashed.join("\n").as_bytes()));
    let key = format!("{}-{}", file_safe(&identity[0].1), &digest[..12]);
    finish(loader, name, key, paths)
}

fn finish(
    mut loader: load::Loader<'_>,
    name: String,
    key: String,
    paths: Vec<String>,
) -> Result<Corpus, CorpusError> {
    loader.done();
    let skip_bad = loader.skip_bad;
    drop_repeats(&mut loader.articles, skip_bad, &mut loader.warnings)?;
    let fields = field_names(&loader.articles);
    let digests = content_digests(&loader.articles);
    let mut corpus = Corpus {
        articles: loader.articles,
        name,
        key,
        warnings: loader.warnings,
        fields,
        hidden: HashSet::new(),
        digests,
        paths,
    };
    apply(&mut corpus, loader.filter)?;
    Ok(corpus)
}

/// [`content_digest`] of each article, in order; a big corpus on every core, since each
/// digest reads other memory (the head and tail of a text) and the first frame waits.
pub fn content_digests(articles: &[Article]) -> Vec<u64> {
    const SMALL: usize = 4096;
    crate::cores::map_from(articles, SMALL, |a| content_digest(&a.text))
}

/// A quick hash of an article's text: its length and its first and last 64 bytes, read as
/// little-endian 64-bit words and mixed with MurmurHash3's finalizer. Reading only those
/// keeps the identity of a 50 MB corpus to a few milliseconds; texts that share length, head
/// and tail count as one, which only matters to telling corpora apart, never to attaching
/// labels. Written to store records: it must never change.
pub fn content_digest(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let head = &bytes[..bytes.len().min(64)];
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let mut h = hash::fmix64(bytes.len() as u64 ^ 0x9e37_79b9_7f4a_7c15);
    for part in [head, tail] {
        for chunk in part.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            h = hash::fmix64(h ^ u64::from_le_bytes(word)).wrapping_add(chunk.len() as u64);
        }
    }
    // Mixed once more so that the smallest digests, which make a store's sketch, are an even
    // sample.
    hash::fmix64(h)
}

/// The metadata field names of `articles`, in the order first seen.
fn field_names(articles: &[Article]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for article in articles {
        for (name, _) in &article.meta {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// Keeps the articles `filter` matches, after checking it names fields the corpus has; the
/// key and the ids were made before, so they do not depend on it.
fn apply(corpus: &mut Corpus, filter: &Filter) -> Result<(), CorpusError> {
    if filter.is_empty() {
        return Ok(());
    }
    corpus.check_fields(
        "--where",
        filter.clauses.iter().map(|c| c.field.as_str()),
        true,
    )?;
    let loaded = corpus.articles.len();
    let (kept, hidden): (Vec<Article>, Vec<Article>) = std::mem::take(&mut corpus.articles)
        .into_iter()
        .partition(|article| filter.matches(article));
    corpus.articles = kept;
    corpus.hidden = hidden.into_iter().map(|article| article.id).collect();
    if corpus.articles.is_empty() {
        corpus
            .warnings
            .push(format!("--where matched none of the {loaded} articles"));
    }
    Ok(())
}

/// A file's name without extension, or a folder's name.
fn name_of(canonical: &Path) -> String {
    let name = if canonical.is_dir() {
        canonical.file_name()
    } else {
        canonical.file_stem()
    };
    name.map_or_else(|| "corpus".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// `name` cut to letters, digits, `-`, `_` and `.`, short enough for a file name.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if safe.trim_matches(['.', '_']).is_empty() {
        "corpus".to_owned()
    } else {
        safe
    }
}

/// Keeps the first of the articles that share an id: a repeat with the same text is the same
/// article (a warning names the places); one with other text is an error naming both places,
/// or, with `skip_bad`, left out with a warning.
fn drop_repeats(
    articles: &mut Vec<Article>,
    skip_bad: bool,
    warnings: &mut Vec<String>,
) -> Result<(), CorpusError> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(articles.len());
    let mut keep = vec![true; articles.len()];
    // (how many, the first as a message) for repeats with the same text, then other text.
    let mut same: (usize, Option<String>) = (0, None);
    let mut other: (usize, Option<String>) = (0, None);
    for (at, article) in articles.iter().enumerate() {
        let first = match seen.entry(&article.id) {
            Entry::Occupied(first) => &articles[*first.get()],
            Entry::Vacant(slot) => {
                slot.insert(at);
                continue;
            }
        };
        keep[at] = false;
        let pair = || {
            format!(
                "id {} at {} and {}",
                quote(&article.id),
                first.source,
                article.source
            )
        };
        let tally = if first.text == article.text {
            &mut same
        } else if skip_bad {
            &mut other
        } else {
            return Err(CorpusError::DuplicateId {
                id: quote(&article.id),
                first: first.source.clone(),
                second: article.source.clone(),
            });
        };
        tally.0 += 1;
        tally.1.get_or_insert_with(pair);
    }
    let say = |(count, first): (usize, Option<String>), what: &str| {
        first.map(|first| match count {
            1 => format!("{what}: {first}"),
            n => format!("{n} times {what}; the first: {first}"),
        })
    };
    warnings.extend(say(
        same,
        "an article id repeats with the same text, kept once",
    ));
    warnings.extend(say(
        other,
        "an article id repeats with other text, the later skipped",
    ));
    if keep.contains(&false) {
        let mut flags = keep.into_iter();
        articles.retain(|_| flags.next().unwrap_or(true));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_on_every_core_are_those_of_each_article_in_order() {
        let articles: Vec<Article> = (0..10_000)
            .map(|i| Article {
                id: i.to_string(),
                title: String::new(),
                text: format!("Talks number {i} resumed. {}", "x".repeat(i % 200)),
                meta: Vec::new(),
                source: String::new(),
            })
            .collect();
        let one_by_one: Vec<u64> = articles.iter().map(|a| content_digest(&a.text)).collect();
        assert_eq!(content_digests(&articles), one_by_one);
        assert_eq!(content_digests(&articles[..3]), one_by_one[..3]);
    }
}
