//! `stance store copy FROM TO`: every line of one label store into another, in any
//! direction between a journal file, a store folder and a PostgreSQL store.
//!
//! A store is a sequence of journal lines (decisions, boundary changes, flags and notes),
//! and an event's identity is its line in canonical form (parsed and written again as stance
//! writes it) together with how many identical lines come before it in its store: the n-th
//! copy of a line in the source is already in the target when the target holds the line at
//! least n times. The copy adds the source's lines the target lacks, in the source's order,
//! after what the target holds, so a second copy adds nothing and a copy after the source
//! grew adds only the new lines; a target that holds other lines keeps them (a merge).
//!
//! Safety: every journal the copy writes is locked first as a session locks it (one per
//! annotator in a folder; the annotators' advisory locks in PostgreSQL), so a running
//! session of such an annotator refuses the copy, naming itself, and no session opens one
//! meanwhile. A journal is written as a complete synced new file renamed over the old one
//! (old or new, never half), and a PostgreSQL target in one transaction.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::atomic::AtomicFile;

use super::copy_pg;
use super::error::StoreError;
use super::file_name::annotator_of;
use super::folder::journal_path;
use super::folder_imports::{is_import, marker};
use super::journal;
use super::layout::{Layout, layout_of};
use super::lock::{Lock, same_file};
use super::pg::{self, PgUrl};
use super::replay::{JournalLine, parse_event};

/// The name a copy's locks record, for the session it refuses.
pub(crate) const LOCK_NAME: &str = "stance store copy";

/// What a copy did (or, with a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// The source as shown (a PostgreSQL address with its password masked).
    pub from: String,
    /// The target as shown.
    pub to: String,
    /// Lines read from the source.
    pub read: usize,
    /// Lines added to the target (with a dry run: that would be added).
    pub added: usize,
    /// Source lines the target held already.
    pub already: usize,
    /// Added lines per annotator.
    pub per_annotator: BTreeMap<String, usize>,
    /// A source journal ended in a line cut short by a crash: not an event, not copied.
    pub torn_skipped: bool,
    /// What happened to the schema kept with the source.
    pub schema: SchemaCopy,
}

/// The kept schema's part of a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaCopy {
    /// The source keeps none.
    None,
    /// The target kept the same text already.
    Same,
    /// Written beside the target (with a dry run: would be).
    Copied,
}

/// The fault point where a debug build pauses half-way through writing, for a test to
/// kill it there.
pub(crate) const PAUSE: &str = "store-copy:pause";

/// How long [`PAUSE`] lasts: far longer than a test needs to see it and kill the copy.
pub(crate) const PAUSE_FOR: std::time::Duration = std::time::Duration::from_secs(120);

/// One journal line of a store, in canonical form, with what the target needs to file it.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The line as stance writes it, without its newline: the event's identity.
    pub text: String,
    /// Who wrote it (whose journal it belongs in, whose lock covers it).
    pub annotator: String,
    /// The article it is about.
    pub article: String,
    /// When it was made (Unix ms), to interleave a folder's journals.
    pub ts: u64,
}

impl Line {
    /// The canonical line of a parsed journal line.
    pub(crate) fn of(parsed: JournalLine) -> Line {
        let (text, annotator, article, ts) = match parsed {
            JournalLine::Decision(e) => (pg::encode(&e), e.annotator, e.article, e.ts),
            JournalLine::Boundary(e) => (pg::encode(&e), e.annotator, e.article, e.ts),
            JournalLine::Remark(e) => (pg::encode(&e), e.annotator, e.article, e.ts),
        };
        Line {
            text,
            annotator,
            article,
            ts,
        }
    }
}

/// Where a store is, as the copy reads and writes it.
enum Side {
    Journal(PathBuf),
    Folder(PathBuf),
    /// The parsed address and the address as given (with its password, for connecting).
    Postgres(Box<PgUrl>, String),
}

impl Side {
    fn of(path: &Path) -> Result<Side, StoreError> {
        Ok(match layout_of(path) {
            Layout::Journal(path) => Side::Journal(path),
            Layout::Folder(path) => Side::Folder(path),
            Layout::Postgres(address) => {
                let location = pg::masked(&address, None);
                let url = PgUrl::parse(&address).map_err(|reason| StoreError::Database {
                    reason: reason
                        .strip_prefix(&format!("{location}: "))
                        .map_or_else(|| reason.clone(), str::to_owned),
                    location,
                })?;
                Side::Postgres(Box::new(url), address)
            }
        })
    }

    fn shown(&self) -> String {
        match self {
            Side::Journal(path) | Side::Folder(path) => path.display().to_string(),
            Side::Postgres(url, _) => url.shown.clone(),
        }
    }

    /// The schema kept with this store, if any: a file beside a journal or folder, a row
    /// of the database for PostgreSQL.
    fn kept_schema(&self) -> Result<Option<String>, StoreError> {
        match self {
            Side::Journal(path) | Side::Folder(path) => {
                let path = crate::kept_schema::path_for(path);
                match fs::read_to_string(&path) {
                    Ok(text) => Ok(Some(text)),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(StoreError::io(&path, "read the kept schema", e)),
                }
            }
            Side::Postgres(url, address) => {
                pg::side::schema(address).map_err(|reason| StoreError::Database {
                    location: url.shown.clone(),
                    reason,
                })
            }
        }
    }

    /// Keeps `text` as this store's schema, synced or committed before it returns.
    fn keep_schema(&self, text: &str) -> Result<(), StoreError> {
        match self {
            Side::Journal(path) | Side::Folder(path) => {
                write_schema(&crate::kept_schema::path_for(path), text)
            }
            Side::Postgres(url, address) => {
                pg::side::keep_schema(address, text).map_err(|reason| StoreError::Database {
                    location: url.shown.clone(),
                    reason,
                })
            }
        }
    }
}

/// Copies every line of the store `from` that `to` lacks into `to` (see the module
/// documentation); with `dry_run`, reads both and writes nothing.
pub fn copy(from: &Path, to: &Path, dry_run: bool) -> Result<Copied, StoreError> {
    let source = Side::of(from)?;
    let target = Side::of(to)?;
    refuse_same(&source, &target)?;
    let (lines, torn_skipped) = match &source {
        Side::Journal(path) => {
            let read = read_journal(path, true)?;
            (read.lines, read.torn.is_some())
        }
        Side::Folder(path) => read_folder(path)?,
        Side::Postgres(url, _) => (copy_pg::read(url)?, false),
    };
    let schema = schema_plan(&source, &target)?;
    let mut copied = Copied {
        from: source.shown(),
        to: target.shown(),
        read: lines.len(),
        added: 0,
        already: 0,
        per_annotator: BTreeMap::new(),
        torn_skipped,
        schema: schema.as_ref().map_or(SchemaCopy::None, |s| s.1),
    };
    let added = match &target {
        Side::Journal(path) => into_journals(&[(path.clone(), lines)], dry_run)?,
        Side::Folder(folder) => into_folder(folder, lines, dry_run)?,
        Side::Postgres(url, _) => copy_pg::write(url, lines, dry_run)?,
    };
    // After the events: a refused copy (a session holding the target) writes nothing.
    if let Some((text, SchemaCopy::Copied)) = &schema
        && !dry_run
    {
        target.keep_schema(text)?;
    }
    copied.added = added.len();
    copied.already = copied.read - copied.added;
    for line in &added {
        *copied
            .per_annotator
            .entry(line.annotator.clone())
            .or_insert(0) += 1;
    }
    Ok(copied)
}

/// The lines of `source` that `target` does not hold, counting identical lines: the n-th
/// copy of a line is there when the target holds it n times.
pub(crate) fn missing<'t>(
    target: impl IntoIterator<Item = &'t str>,
    source: Vec<Line>,
) -> Vec<Line> {
    let mut held: HashMap<&str, usize> = HashMap::new();
    for text in target {
        *held.entry(text).or_insert(0) += 1;
    }
    source
        .into_iter()
        .filter(|line| match held.get_mut(line.text.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// A copy onto itself (the same file, a folder and one of its journals, the same
/// PostgreSQL store) is refused.
fn refuse_same(source: &Side, target: &Side) -> Result<(), StoreError> {
    let refused = |why: &str| StoreError::Folder {
        path: PathBuf::from(target.shown()),
        reason: format!("{why}; a copy onto itself is refused"),
    };
    match (source, target) {
        (Side::Postgres(a, _), Side::Postgres(b, _)) => {
            let db = |u: &PgUrl| u.config.get_dbname().unwrap_or_default().to_owned();
            if a.server() == b.server() && db(a) == db(b) && a.store == b.store {
                return Err(refused("is the same PostgreSQL store as the source"));
            }
        }
        (Side::Postgres(..), _) | (_, Side::Postgres(..)) => {}
        (Side::Journal(a) | Side::Folder(a), Side::Journal(b) | Side::Folder(b)) => {
            let (a, b) = (real(a), real(b));
            let same = |x: &Path, y: &Path| match (fs::metadata(x), fs::metadata(y)) {
                (Ok(x), Ok(y)) => same_file(&x, &y),
                _ => x == y,
            };
            if same(&a, &b) {
                return Err(refused("is the source store"));
            }
            let parent = |p: &Path| p.parent().map(Path::to_owned).unwrap_or_default();
            if same(&parent(&a), &b) || same(&a, &parent(&b)) {
                return Err(refused("holds the source, or is one of its journals"));
            }
        }
    }
    Ok(())
}

/// The path with symbolic links resolved, as far as it exists.
fn real(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// The source's kept schema and what to do with it; a target that keeps another schema
/// is refused before anything is written.
fn schema_plan(source: &Side, target: &Side) -> Result<Option<(String, SchemaCopy)>, StoreError> {
    let Some(text) = source.kept_schema()? else {
        return Ok(None);
    };
    match target.kept_schema()? {
        None => Ok(Some((text, SchemaCopy::Copied))),
        Some(kept) if kept == text => Ok(Some((text, SchemaCopy::Same))),
        Some(_) => Err(StoreError::Folder {
            path: PathBuf::from(target.shown()),
            reason: format!(
                "the target keeps another schema than the source's ({}): nothing was copied; \
                 make them the same (or move one away) and copy again",
                source.shown()
            ),
        }),
    }
}

fn write_schema(path: &Path, text: &str) -> Result<(), StoreError> {
    journal::create_folders_of(path)?;
    let write = || -> io::Result<()> {
        let mut file = AtomicFile::create(path)?;
        file.write_all(text.as_bytes())?;
        file.commit()
    };
    write().map_err(|e| StoreError::io(path, "write the kept schema", e))
}

/// A journal file as the copy reads it.
#[derive(Debug, Default)]
struct JournalText {
    /// Every event, in order.
    lines: Vec<Line>,
    /// The whole bytes of the file up to the end of its last complete event.
    bytes: Vec<u8>,
    /// A last line cut short by a crash (not an event).
    torn: Option<Vec<u8>>,
    /// The last event lacks its newline.
    needs_newline: bool,
}

/// Reads and validates every line of the journal `path`; a bad line is an error naming it,
/// a torn last line is set apart. A missing file is empty unless `must_exist`.
fn read_journal(path: &Path, must_exist: bool) -> Result<JournalText, StoreError> {
    if let Err(e) = crate::special::refuse(path)
        && (must_exist || e.kind() != io::ErrorKind::NotFound)
    {
        return Err(StoreError::io(path, "read label store", e));
    }
    let mut bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound && !must_exist => Vec::new(),
        Err(e) => return Err(StoreError::io(path, "read label store", e)),
    };
    let mut out = JournalText::default();
    let mut at = 0;
    let mut number = 0;
    while at < bytes.len() {
        number += 1;
        let end = bytes[at..].iter().position(|&b| b == b'\n').map(|i| at + i);
        let body = &bytes[at..end.unwrap_or(bytes.len())];
        match parse_event(body) {
            Ok(parsed) => out.lines.push(Line::of(parsed)),
            // A last line that is not whole JSON is what a crash mid-write leaves.
            Err(_)
                if end.is_none()
                    && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() =>
            {
                out.torn = Some(body.to_owned());
                bytes.truncate(at);
                break;
            }
            Err(reason) => {
                return Err(StoreError::BadLine {
                    path: path.to_owned(),
                    line: number,
                    reason,
                });
            }
        }
        out.needs_newline = end.is_none();
        at = end.map_or(bytes.len(), |e| e + 1);
    }
    out.bytes = bytes;
    Ok(out)
}

/// Every annotator's journal of the folder, and the parts of import files not yet copied
/// into them, interleaved by time (each file's own order kept).
fn read_folder(folder: &Path) -> Result<(Vec<Line>, bool), StoreError> {
    let listing = |e| StoreError::io(folder, "read label store folder", e);
    let mut names: Vec<String> = Vec::new();
    for entry in fs::read_dir(folder).map_err(listing)? {
        let name = entry.map_err(listing)?.file_name();
        if let Some(name) = name.to_str() {
            names.push(name.to_owned());
        }
    }
    names.sort();
    let mut files: Vec<Vec<Line>> = Vec::new();
    let mut torn = false;
    let mut held: HashMap<String, BTreeSet<String>> = HashMap::new();
    for name in &names {
        let Some(annotator) = annotator_of(name) else {
            continue;
        };
        let annotator = annotator.map_err(|reason| StoreError::Folder {
            path: folder.to_owned(),
            reason,
        })?;
        let read = read_journal(&folder.join(name), true)?;
        torn |= read.torn.is_some();
        held.insert(
            annotator,
            read.lines.iter().map(|l| l.text.clone()).collect(),
        );
        files.push(read.lines);
    }
    for name in names.iter().filter(|n| is_import(n)) {
        let read = read_journal(&folder.join(name), true)?;
        let mut pending = Vec::new();
        for line in read.lines {
            let absorbed = fs::symlink_metadata(marker(folder, name, &line.annotator)?).is_ok();
            let there = held
                .get(&line.annotator)
                .is_some_and(|texts| texts.contains(&line.text));
            if !absorbed && !there {
                pending.push(line);
            }
        }
        files.push(pending);
    }
    Ok((interleave(files), torn))
}

/// The lines of all `files`, oldest first; each file's own order is kept, and ties go to
/// the earlier file.
fn interleave(files: Vec<Vec<Line>>) -> Vec<Line> {
    use std::cmp::Reverse;
    let total = files.iter().map(Vec::len).sum();
    let mut iters: Vec<std::vec::IntoIter<Line>> = files.into_iter().map(Vec::into_iter).collect();
    let mut heads: Vec<Option<Line>> = iters.iter_mut().map(Iterator::next).collect();
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = heads
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.as_ref().map(|l| Reverse((l.ts, i))))
        .collect();
    let mut out = Vec::with_capacity(total);
    while let Some(Reverse((_, i))) = heap.pop() {
        let line = heads[i].take().expect("a file in the heap has a head");
        out.push(line);
        heads[i] = iters[i].next();
        if let Some(next) = &heads[i] {
            heap.push(Reverse((next.ts, i)));
        }
    }
    out
}

/// Adds each journal's missing lines: every journal is locked first, then each is
/// rewritten as its old lines and the new ones, through a synced file renamed over it.
/// Returns the lines added (or that would be, with `dry_run`).
fn into_journals(parts: &[(PathBuf, Vec<Line>)], dry_run: bool) -> Result<Vec<Line>, StoreError> {
    let mut plans = Vec::with_capacity(parts.len());
    for (path, lines) in parts {
        let (real, lock) = if dry_run {
            (path.clone(), None)
        } else {
            journal::create_folders_of(path)?;
            let real = journal::resolve(path)?;
            let lock = Lock::take(&real, LOCK_NAME)?;
            remove_killed_copies(&real)?;
            (real, Some(lock))
        };
        let held = read_journal(&real, false)?;
        let new = missing(held.lines.iter().map(|l| l.text.as_str()), lines.clone());
        plans.push((real, lock, held, new));
    }
    let mut added = Vec::new();
    for (real, _lock, held, new) in plans {
        if !dry_run && !new.is_empty() {
            rewrite(&real, &held, &new)?;
        }
        added.extend(new);
    }
    Ok(added)
}

/// Removes what a copy killed before its rename left beside the journal: the temporary
/// file `.<journal name>.<pid>-<n>.tmp`. Under the journal's lock nothing else writes one.
fn remove_killed_copies(real: &Path) -> Result<(), StoreError> {
    let (Some(folder), Some(name)) = (real.parent(), real.file_name().and_then(|n| n.to_str()))
    else {
        return Ok(());
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let prefix = format!(".{name}.");
    let listing = |e| StoreError::io(folder, "read label store folder", e);
    for entry in fs::read_dir(folder).map_err(listing)? {
        let entry = entry.map_err(listing)?;
        let file = entry.file_name();
        let Some(middle) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|f| f.strip_suffix(".tmp"))
        else {
            continue;
        };
        let temporary = middle.split_once('-').is_some_and(|(pid, n)| {
            [pid, n]
                .iter()
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        });
        if temporary {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| StoreError::io(&path, "remove", e))?;
        }
    }
    Ok(())
}

/// Writes `held`'s complete lines and then `new` as a complete new journal renamed over
/// `real`; a torn last line is kept aside first, as a session's next append would.
fn rewrite(real: &Path, held: &JournalText, new: &[Line]) -> Result<(), StoreError> {
    if let Some(torn) = &held.torn {
        journal::keep_torn(real, torn)?;
    }
    let write = || -> io::Result<()> {
        let mut file = AtomicFile::create(real)?;
        file.write_all(&held.bytes)?;
        if held.needs_newline {
            file.write_all(b"\n")?;
        }
        for (i, line) in new.iter().enumerate() {
            file.write_all(line.text.as_bytes())?;
            file.write_all(b"\n")?;
            if i == new.len() / 2 {
                // Half of it in the temporary file, for the kill tests.
                file.flush()?;
                crate::fault::delay_point(PAUSE, PAUSE_FOR);
            }
        }
        file.commit()
    };
    write().map_err(|e| StoreError::io(real, "write the copy into label store", e))
}

/// Files each line into its annotator's journal of `folder` (created if missing).
fn into_folder(folder: &Path, lines: Vec<Line>, dry_run: bool) -> Result<Vec<Line>, StoreError> {
    let mut parts: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for line in lines {
        parts.entry(line.annotator.clone()).or_default().push(line);
    }
    if !dry_run {
        fs::create_dir_all(folder).map_err(|e| StoreError::io(folder, "create folder", e))?;
    }
    let mut journals = Vec::with_capacity(parts.len());
    for (annotator, lines) in parts {
        journals.push((journal_path(folder, &annotator)?, lines));
    }
    into_journals(&journals, dry_run)
}
