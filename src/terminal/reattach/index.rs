//! The fingerprint index kept beside a store (`<store>.reattach.json`): where the sentences
//! with the fingerprints of its gone annotations were found, so that the next session on
//! the same corpus finds them without segmenting every article.
//!
//! It is a cache, never the truth: it is used only when its digest of the whole corpus (every
//! article's id and full text, the store's boundary overrides, and this version of stance,
//! whose segmenter made the sentences) is the corpus's now, when it answers for every
//! fingerprint searched for, and when every sentence it names is still a sentence of that
//! article with that fingerprint. Anything else, an unreadable file included, means a full
//! search, whose answer replaces the file. A file that cannot be written is left as it is:
//! the next session searches again.

use std::collections::HashSet;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use crate::attach::Places;
use crate::corpus::{Article, Span};
use crate::hash::{fingerprint_u64, format_fingerprint, parse_fingerprint};
use crate::store::Overrides;

/// The index's format; another number is not read.
const VERSION: u32 = 1;

/// The index file of the store at `store`, or `None` for a PostgreSQL store.
pub fn path_for(store: &Path) -> Option<PathBuf> {
    if crate::store::pg::is_url_path(store) {
        return None;
    }
    let stem = store
        .file_stem()
        .map_or_else(|| "labels".into(), |s| s.to_string_lossy().into_owned());
    Some(store.with_file_name(format!("{stem}.reattach.json")))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    /// [`digest`] of the corpus it was made from, as 16 hex digits.
    corpus: String,
    found: Vec<Found>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Found {
    fp: String,
    /// How many sentences of the corpus have it.
    sentences: usize,
    /// The first of them (none when `sentences` is 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    place: Option<(String, usize, usize)>,
}

/// A digest of everything the places depend on: each article's id and whole text, in
/// order, the boundary overrides, and the version of stance.
pub fn digest(articles: &[Article], overrides: &Overrides) -> u64 {
    let mut h = FxHasher::default();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(format!("{overrides:?}").as_bytes());
    h.write_usize(articles.len());
    for article in articles {
        for part in [&article.id, &article.text] {
            h.write_usize(part.len());
            h.write(part.as_bytes());
        }
    }
    h.finish()
}

/// The places the index at `path` holds for `wanted`, when it was made from a corpus of
/// this `digest`, holds every fingerprint of `wanted`, and each place it names checks out
/// against `articles` as `overrides` segment them; else `None`.
pub fn read(
    path: &Path,
    digest: u64,
    articles: &[Article],
    overrides: &Overrides,
    wanted: &HashSet<u64>,
) -> Option<Places> {
    crate::special::refuse(path).ok()?;
    let text = std::fs::read_to_string(path).ok()?;
    let file: File = serde_json::from_str(&text).ok()?;
    if file.version != VERSION || file.corpus != format_fingerprint(digest) {
        return None;
    }
    let index: FxHashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut places = Places::new();
    let mut answered: HashSet<u64> = HashSet::new();
    for found in file.found {
        let fp = parse_fingerprint(&found.fp)?;
        if !wanted.contains(&fp) {
            continue;
        }
        answered.insert(fp);
        let Some((article, start, end)) = found.place else {
            if found.sentences != 0 {
                return None;
            }
            continue;
        };
        let at = *index.get(article.as_str())?;
        let span = Span { start, end };
        let text = &articles[at].text;
        if found.sentences == 0 || text.get(start..end).map(fingerprint_u64) != Some(fp) {
            return None;
        }
        if !crate::boundary::sentences(&articles[at], overrides).contains(&span) {
            return None;
        }
        places.insert(fp, (found.sentences, at, span));
    }
    (answered.len() == wanted.len()).then_some(places)
}

/// Replaces the index at `path` with `places`, the answer of a full search for `wanted` on
/// a corpus of this `digest`. A failure is not reported: the index is only a cache.
pub fn write(
    path: &Path,
    digest: u64,
    articles: &[Article],
    wanted: &HashSet<u64>,
    places: &Places,
) {
    let mut found: Vec<Found> = wanted
        .iter()
        .map(|&fp| match places.get(&fp) {
            Some(&(sentences, at, span)) => Found {
                fp: format_fingerprint(fp),
                sentences,
                place: Some((articles[at].id.clone(), span.start, span.end)),
            },
            None => Found {
                fp: format_fingerprint(fp),
                sentences: 0,
                place: None,
            },
        })
        .collect();
    found.sort_by(|a, b| a.fp.cmp(&b.fp));
    let file = File {
        version: VERSION,
        corpus: format_fingerprint(digest),
        found,
    };
    let _ = (|| -> std::io::Result<()> {
        let mut out = crate::atomic::AtomicFile::create(path)?;
        serde_json::to_writer(out.writer(), &file)?;
        out.writer().write_all(b"\n")?;
        out.commit()
    })();
}
