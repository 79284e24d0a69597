//! Which default label store a corpus uses: stores follow the corpus, not its path.
//!
//! Every default store in the data folder's `labels/` may have a record beside it,
//! `<store key>.corpus.json`, written by each session (and import) that takes the store for
//! writing: the corpus's name, the paths it was opened from, its article count, the last
//! use, and a sketch of its content (the smallest [`content_digest`]s of its articles).
//! A corpus opens the store of its own path key when that store has anything in it; when
//! not (the corpus was moved, renamed or copied), the records are read and the store whose
//! sketch this corpus's articles contain for the most part is used, and named.
//!
//! [`content_digest`]: crate::corpus::content_digest

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic::AtomicFile;
use crate::corpus::Corpus;
use crate::escape;

/// How many article digests a record keeps: enough to tell corpora apart, small enough that
/// reading every record of the data folder costs nothing next to a first frame.
const SKETCH_LEN: usize = 64;

/// What a record of a store says about the corpus it was last used with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The record format version (1).
    pub v: u32,
    /// The corpus name, as `Corpus::name` (file or folder name without extension).
    pub name: String,
    /// The paths the corpus was last opened from, canonical where they could be made so.
    pub paths: Vec<String>,
    /// Articles the corpus had when last opened, before any `--where`.
    pub articles: usize,
    /// Unix milliseconds of the last session or import that wrote the store.
    pub last_used: u64,
    /// The smallest article digests, as 16 hex digits each, in increasing order.
    pub sketch: Vec<String>,
}

/// The store a corpus opens, and what the user should be told about the choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The store key: the file stem of the store in the labels folder.
    pub key: String,
    /// The store itself ([`super::default_path`] of the key).
    pub path: PathBuf,
    /// Set when the store is not the one of the corpus's own path: one line naming it.
    pub note: Option<String>,
}

/// `<labels folder>/<key>.corpus.json`.
pub fn record_path(labels_dir: &Path, key: &str) -> PathBuf {
    labels_dir.join(format!("{key}.corpus.json"))
}

/// The default store `corpus` opens: its own path key's when that store holds anything,
/// else the store whose record's sketch the corpus contains for at least half (the best
/// such, the most recently used on a tie), else its own (new) one.
pub fn choose(corpus: &Corpus) -> anyhow::Result<Choice> {
    let own = super::default_path(&corpus.key)?;
    let own_choice = |note| Choice {
        key: corpus.key.clone(),
        path: own.clone(),
        note,
    };
    if holds_anything(&own) || corpus.digests.is_empty() {
        return Ok(own_choice(None));
    }
    let dir = super::labels_dir()?;
    let mut found = matches(&dir, corpus);
    found.retain(|m| m.key != corpus.key);
    if found.is_empty() {
        return Ok(own_choice(None));
    }
    found.sort_by(|a, b| {
        (b.shared, b.record.last_used)
            .cmp(&(a.shared, a.record.last_used))
            .then_with(|| a.key.cmp(&b.key))
    });
    let best = &found[0];
    let mut note = format!(
        "the labels of this corpus are in the store {} (corpus {}, {} of its {} sampled \
         articles are here; last opened from {}): using it",
        escape::quote(&best.key),
        escape::quote(&best.record.name),
        best.shared,
        best.record.sketch.len(),
        match best.record.paths.is_empty() {
            true => "the built-in sample".to_owned(),
            false => best
                .record
                .paths
                .iter()
                .map(|p| escape::quote(p))
                .collect::<Vec<_>>()
                .join(", "),
        },
    );
    if found.len() > 1 {
        let others: Vec<String> = found[1..].iter().map(|m| escape::quote(&m.key)).collect();
        note.push_str(&format!(
            "; other stores match less: {} (open one with --labels)",
            others.join(", ")
        ));
    }
    Ok(Choice {
        key: best.key.clone(),
        path: super::default_path(&best.key)?,
        note: Some(note),
    })
}

/// Writes the record of the store `key` for `corpus` (atomically: a crash leaves the old
/// record or the new one). Called once the store is held for writing, so one writer at a
/// time writes a store's record.
pub fn remember(key: &str, corpus: &Corpus, now_ms: u64) -> io::Result<()> {
    let record = record_of(
        corpus.name.clone(),
        corpus.paths.clone(),
        &corpus.digests,
        now_ms,
    );
    write_record(key, &record)
}

/// The record of a corpus named `name`, opened from `paths`, whose articles have these
/// content digests, last used at `now_ms`.
pub fn record_of(name: String, paths: Vec<String>, digests: &[u64], now_ms: u64) -> Record {
    Record {
        v: 1,
        name,
        paths,
        articles: digests.len(),
        last_used: now_ms,
        sketch: sketch(digests)
            .into_iter()
            .map(crate::hash::format_fingerprint)
            .collect(),
    }
}

/// Writes `record` as the record of the store `key`, as [`remember`] does.
pub fn write_record(key: &str, record: &Record) -> io::Result<()> {
    let dir = super::labels_dir().map_err(io::Error::other)?;
    let mut file = AtomicFile::create(&record_path(&dir, key))?;
    let json = serde_json::to_string(record).map_err(io::Error::other)?;
    writeln!(file.writer(), "{json}")?;
    file.commit()
}

/// The [`SKETCH_LEN`] smallest distinct digests, in increasing order.
pub fn sketch(digests: &[u64]) -> Vec<u64> {
    let mut all = digests.to_vec();
    all.sort_unstable();
    all.dedup();
    all.truncate(SKETCH_LEN);
    all
}

/// Reads the record of the store `key`; `Ok(None)` when it has none.
pub fn read(labels_dir: &Path, key: &str) -> anyhow::Result<Option<Record>> {
    let path = record_path(labels_dir, key);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow::Error::new(e).context(escape::path(&path))),
    };
    let record: Record = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: not a store record: {e}", escape::path(&path)))?;
    anyhow::ensure!(
        record.v == 1,
        "{}: store record version {} is not 1",
        escape::path(&path),
        record.v
    );
    Ok(Some(record))
}

/// A store whose record the corpus matches, and by how many sampled articles.
struct Match {
    key: String,
    record: Record,
    shared: usize,
}

/// Every store in `dir` (with a record, and a store that holds anything) that `corpus`
/// contains at least half of the sampled articles of. Unreadable records are passed over:
/// they only help to find labels, and `stance stores` names them.
fn matches(dir: &Path, corpus: &Corpus) -> Vec<Match> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let here: HashSet<u64> = corpus.digests.iter().copied().collect();
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(key) = name.to_str().and_then(|n| n.strip_suffix(".corpus.json")) else {
            continue;
        };
        let Ok(Some(record)) = read(dir, key) else {
            continue;
        };
        let shared = record
            .sketch
            .iter()
            .filter_map(|hex| crate::hash::parse_fingerprint(hex))
            .filter(|digest| here.contains(digest))
            .count();
        let enough = shared > 0 && shared * 2 >= record.sketch.len();
        let store = super::default_path(key);
        if enough && store.as_deref().is_ok_and(holds_anything) {
            found.push(Match {
                key: key.to_owned(),
                record,
                shared,
            });
        }
    }
    found
}

/// True when a store exists at `path` and holds a line: a journal that is not empty, or a
/// store folder with a journal that is not. An empty one is what opening a moved corpus
/// leaves.
fn holds_anything(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if !meta.is_dir() {
        return meta.len() > 0;
    }
    fs::read_dir(path).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(".jsonl"))
                && entry.metadata().is_ok_and(|m| m.is_file() && m.len() > 0)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sketch_is_the_smallest_distinct_digests_in_order() {
        let digests: Vec<u64> = (0..200u64).rev().chain(0..10).collect();
        let got = sketch(&digests);
        assert_eq!(got, (0..64).collect::<Vec<u64>>());
        assert_eq!(sketch(&[5, 3, 5]), vec![3, 5]);
    }
}
