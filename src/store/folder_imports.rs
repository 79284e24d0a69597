//! An import into a store folder as one step across annotators.
//!
//! The import's decisions, every annotator's, are written as one new file in the folder,
//! `%import-<unix ms>-<pid>.jsonl` (journal lines; a name no annotator's journal can have),
//! complete and synced before it is renamed into place: that rename is the import, all or
//! nothing. Each decision is then copied into its annotator's own journal ("absorbed"), and
//! a marker file `<import file>.absorbed-<annotator's journal stem>` says that this
//! annotator's part is there. Until then the merged read takes the annotator's part from
//! the import file, where it is newer than their journal's annotation. A crash after the
//! rename leaves parts unabsorbed: the next session of that annotator (or the next import)
//! absorbs them, and every reader sees them meanwhile.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::LabelStore;
use super::annotation::Annotation;
use super::decision::Decision;
use super::error::StoreError;
use super::event::Event;
use super::file_name::{JOURNAL_EXTENSION, journal_name};
use super::folder::journal_path;
use super::journal;

/// How an import file's name begins: `%` and then no two hex digits, which the encoding of
/// annotator names never writes.
const PREFIX: &str = "%import-";

/// What follows an import file's name in the name of the marker of an absorbed part.
const ABSORBED: &str = ".absorbed-";

/// Whether `file_name` is an import file's.
pub(crate) fn is_import(file_name: &str) -> bool {
    file_name.starts_with(PREFIX) && file_name.ends_with(JOURNAL_EXTENSION)
}

pub(crate) fn marker(folder: &Path, import: &str, annotator: &str) -> Result<PathBuf, StoreError> {
    let stem = journal_name(annotator).map_err(|reason| StoreError::Folder {
        path: folder.to_owned(),
        reason: format!("annotator {annotator:?}: {reason}"),
    })?;
    let stem = stem.strip_suffix(JOURNAL_EXTENSION).unwrap_or(&stem);
    Ok(folder.join(format!("{import}{ABSORBED}{stem}")))
}

/// Imports `decisions` into the store folder `folder` as one step: every annotator's journal
/// lock is taken first (a session holding one refuses the whole import), then the import
/// file is written (on error nothing is imported), then each annotator's part is copied
/// into their journal. `Ok(Some(err))`: the import is complete and seen by every reader,
/// but copying a part failed; that annotator's next session copies it.
pub fn import_into_folder(
    folder: &Path,
    decisions: Vec<Decision>,
) -> Result<Option<StoreError>, StoreError> {
    if decisions.is_empty() {
        return Ok(None);
    }
    let ts = super::now_ms();
    let mut parts: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for decision in decisions {
        let event = decision.into_event(ts);
        match parts.get_mut(&event.annotator) {
            Some(part) => part.push(event),
            None => {
                parts.insert(event.annotator.clone(), vec![event]);
            }
        }
    }
    let mut journals = Vec::with_capacity(parts.len());
    for annotator in parts.keys() {
        let path = journal_path(folder, annotator)?;
        journals.push(LabelStore::open_as(&path, annotator)?);
    }
    let events: Vec<&Event> = parts.values().flatten().collect();
    let import = write(folder, &events)?;
    let name = import
        .file_name()
        .and_then(|n| n.to_str())
        .expect("an import file name is UTF-8")
        .to_owned();
    for ((annotator, part), journal) in parts.into_iter().zip(&mut journals) {
        let absorbed = journal
            .append_all(part)
            .and_then(|()| mark(folder, &name, &annotator));
        if let Err(err) = absorbed {
            return Ok(Some(err));
        }
        crate::fault::crash_point("folder-import:absorbed-one");
    }
    Ok(journal::sync_folder_of(&import).err())
}

/// Writes the marker that `annotator`'s part of the import file `import` is in their
/// journal.
fn mark(folder: &Path, import: &str, annotator: &str) -> Result<(), StoreError> {
    let path = marker(folder, import, annotator)?;
    fs::File::create(&path)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io(&path, "mark an import as copied into its journal", e))
}

/// Writes `events` as a new import file in `folder`: a temporary file, written and synced,
/// renamed into place, the folder synced. On error nothing of it is left in the folder.
fn write(folder: &Path, events: &[&Event]) -> Result<PathBuf, StoreError> {
    let ms = super::now_ms();
    let name = format!("{PREFIX}{ms:013}-{}{JOURNAL_EXTENSION}", std::process::id());
    let path = folder.join(&name);
    let tmp = folder.join(format!(".{name}.tmp"));
    let failed = |e| StoreError::io(&path, "write the import into the label store folder", e);
    let mut text = Vec::with_capacity(events.iter().map(|e| 256 + e.text.len()).sum());
    for event in events {
        journal::encode(event, &mut text);
    }
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(&text)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(failed(e));
    }
    crate::fault::crash_point("folder-import:written");
    if let Err(e) = fs::rename(&tmp, &path) {
        let _ = fs::remove_file(&tmp);
        return Err(failed(e));
    }
    journal::sync_folder_of(&path)?;
    crate::fault::crash_point("folder-import:renamed");
    Ok(path)
}

/// The decisions of a folder's import files that their annotators' journals do not hold
/// yet, the newest import's per sentence and annotator.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    /// Import files already read, by name.
    seen: BTreeSet<String>,
    /// The unabsorbed decisions, each with the name of its import file.
    events: Vec<(String, Event)>,
    /// (article, start, end, annotator) to its place in `events`.
    index: FxHashMap<(String, usize, usize, String), usize>,
}

impl Pending {
    /// Reads the import files among `names` (file names in `folder`) not read before and
    /// returns their unabsorbed decisions.
    pub(crate) fn read_new(
        &mut self,
        folder: &Path,
        names: &[String],
    ) -> Result<Vec<Event>, StoreError> {
        let mut new: Vec<&String> = names
            .iter()
            .filter(|n| is_import(n) && !self.seen.contains(*n))
            .collect();
        new.sort();
        let mut found = Vec::new();
        for name in new {
            let import = LabelStore::open_read_only(&folder.join(name))?;
            for annotation in import.annotations() {
                if exists(&marker(folder, name, annotation.annotator())?)? {
                    continue;
                }
                let event = annotation.to_event();
                found.push(event.clone());
                let key = (
                    event.article.clone(),
                    event.start,
                    event.end,
                    event.annotator.clone(),
                );
                match self.index.get(&key) {
                    Some(&at) => self.events[at] = (name.clone(), event),
                    None => {
                        self.index.insert(key, self.events.len());
                        self.events.push((name.clone(), event));
                    }
                }
            }
            self.seen.insert(name.clone());
        }
        Ok(found)
    }

    /// Whether nothing is pending (the usual case: the import absorbed every part).
    pub(crate) fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The pending decision of `annotation`'s sentence and annotator, if any.
    fn of(&self, article: &str, start: usize, end: usize, annotator: &str) -> Option<&Event> {
        let key = (article.to_owned(), start, end, annotator.to_owned());
        self.index.get(&key).map(|&at| &self.events[at].1)
    }

    /// Whether a journal's `annotation` gives way to a pending decision made no earlier.
    pub(crate) fn hides(&self, annotation: &Annotation<'_>) -> bool {
        !self.is_empty()
            && self
                .of(
                    annotation.article(),
                    annotation.start(),
                    annotation.end(),
                    annotation.annotator(),
                )
                .is_some_and(|event| event.ts >= annotation.ts())
    }

    /// The pending decisions, each as an annotation.
    pub(crate) fn annotations(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        self.events.iter().map(|(_, event)| Annotation::from(event))
    }

    /// Copies `annotator`'s pending decisions into their `journal` (one atomic append) and
    /// marks each import file's part as absorbed; they are no longer pending.
    pub(crate) fn absorb(
        &mut self,
        folder: &Path,
        annotator: &str,
        journal: &mut LabelStore,
    ) -> Result<(), StoreError> {
        let mut imports = BTreeSet::new();
        let mut events = Vec::new();
        for (import, event) in &self.events {
            if event.annotator == annotator {
                imports.insert(import.clone());
                // A part copied before a crash that left no marker is not copied again.
                let there = journal
                    .get(&event.article, event.start, event.end, annotator)
                    .is_some_and(|a| a.ts() >= event.ts);
                if !there {
                    events.push(event.clone());
                }
            }
        }
        if imports.is_empty() {
            return Ok(());
        }
        journal.append_all(events)?;
        for import in &imports {
            mark(folder, import, annotator)?;
        }
        journal::sync_folder_of(&folder.join(PREFIX))?;
        self.events
            .retain(|(_, event)| event.annotator != annotator);
        self.index = self
            .events
            .iter()
            .enumerate()
            .map(|(at, (_, e))| ((e.article.clone(), e.start, e.end, e.annotator.clone()), at))
            .collect();
        Ok(())
    }
}

fn exists(path: &Path) -> Result<bool, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io(path, "read label store folder", e)),
    }
}
