//! A store folder: one journal per annotator, `<folder>/<annotator>.jsonl`, merged when read.
//!
//! Each journal is a [`LabelStore`] of its own, with its own lock, so everything that holds
//! for one journal (sync before "saved", torn tails, compaction, recreation, the lock file
//! rules, symbolic links) holds for each file. A session writes only its annotator's
//! journal and reads the others read-only, following what their owners append; two
//! sessions of different annotators then write at the same time without sharing a lock,
//! and the same annotator twice is refused by that journal's lock. Each annotator's events
//! are only in their own file, so the last event per (sentence, annotator) is found in one
//! file, as in a single journal.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::LabelStore;
use super::annotation::Annotation;
use super::backend::Store;
use super::decision::Decision;
use super::error::StoreError;
use super::event::Event;
use super::file_name::{annotator_of, journal_name};
use super::folder_imports::{self, Pending};
use super::overrides::{BoundaryChange, Overrides};
use super::remarks::{Remark, Remarks};

/// The annotations of one corpus, one journal per annotator in a folder.
#[derive(Debug)]
pub struct FolderStore {
    folder: PathBuf,
    /// The session annotator and their journal, open for writing; `None` for a reader.
    own: Option<(String, LabelStore)>,
    /// Every other annotator's journal, read-only, by file name.
    others: BTreeMap<String, (String, LabelStore)>,
    /// Every journal's boundary overrides as one: they apply for everyone.
    boundaries: Overrides,
    /// Imported decisions not yet copied into their annotators' journals.
    pending: Pending,
    /// Every journal's flags and notes as one.
    remarks: Remarks,
}

impl FolderStore {
    /// Opens `folder` (created if missing) with `annotator`'s journal for writing, taking
    /// that journal's lock: [`StoreError::Locked`] when another session of that annotator
    /// holds it. The other journals are read.
    pub fn open_as(folder: &Path, annotator: &str) -> Result<FolderStore, StoreError> {
        let path = journal_path(folder, annotator)?;
        let own = LabelStore::open_as(&path, annotator)?;
        FolderStore::with_own(folder, annotator, own)
    }

    /// As [`FolderStore::open_as`], except that a folder that cannot be written opens
    /// read-only with the reason, as [`LabelStore::open_or_wait_for_writable`] does.
    pub fn open_or_wait_for_writable(
        folder: &Path,
        annotator: &str,
    ) -> Result<(FolderStore, Option<StoreError>), StoreError> {
        let path = journal_path(folder, annotator)?;
        let (own, unwritable) = LabelStore::open_or_wait_for_writable(&path, annotator)?;
        Ok((FolderStore::with_own(folder, annotator, own)?, unwritable))
    }

    /// Reads every journal without locking or writing anything; a missing folder is an
    /// empty store.
    pub fn open_read_only(folder: &Path) -> Result<FolderStore, StoreError> {
        let mut store = FolderStore {
            folder: folder.to_owned(),
            own: None,
            others: BTreeMap::new(),
            boundaries: Overrides::default(),
            pending: Pending::default(),
            remarks: Remarks::default(),
        };
        store.find_new_journals()?;
        Ok(store)
    }

    fn with_own(
        folder: &Path,
        annotator: &str,
        own: LabelStore,
    ) -> Result<FolderStore, StoreError> {
        check_owner(&own, annotator, own.annotations().map(|a| a.annotator()))?;
        let mut store = FolderStore {
            folder: folder.to_owned(),
            own: Some((annotator.to_owned(), own)),
            others: BTreeMap::new(),
            boundaries: Overrides::default(),
            pending: Pending::default(),
            remarks: Remarks::default(),
        };
        store.find_new_journals()?;
        if let Some((name, own)) = store.own.as_mut() {
            // An import cut short by a crash is finished for this annotator before they write.
            store.pending.absorb(&store.folder, name, own)?;
        }
        Ok(store)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.folder
    }

    /// Whether the session annotator's journal ended in a line torn by a crash.
    pub fn recovered_torn_line(&self) -> bool {
        self.own
            .as_ref()
            .is_some_and(|(_, own)| own.recovered_torn_line())
    }

    /// The current annotation per (article, start, end, annotator): the session
    /// annotator's, then each other journal's in file name order.
    pub fn annotations(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        let own = self.own.iter().flat_map(|(_, own)| own.annotations());
        let others = self.others.values().flat_map(|(_, j)| j.annotations());
        let pending = &self.pending;
        let newer_in_journal = move |a: &Annotation<'_>| {
            self.journal_of(a.annotator())
                .and_then(|j| j.get(a.article(), a.start(), a.end(), a.annotator()))
                .is_some_and(|mine| mine.ts() > a.ts())
        };
        own.chain(others)
            .filter(move |a| !pending.hides(a))
            .chain(pending.annotations().filter(move |a| !newer_in_journal(a)))
    }

    /// `annotator`'s journal, when the folder has one.
    fn journal_of(&self, annotator: &str) -> Option<&LabelStore> {
        match &self.own {
            Some((name, own)) if name == annotator => Some(own),
            _ => self
                .others
                .get(&journal_name(annotator).ok()?)
                .map(|(_, journal)| journal),
        }
    }

    /// The annotators with a journal here, in file name order (the session's first).
    pub fn annotators(&self) -> impl Iterator<Item = &str> {
        let own = self.own.iter().map(|(name, _)| name.as_str());
        own.chain(self.others.values().map(|(name, _)| name.as_str()))
    }

    /// Reads the journals that appeared in the folder since the last look, returning their
    /// annotations as events.
    fn find_new_journals(&mut self) -> Result<Vec<Event>, StoreError> {
        let entries = match std::fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io(&self.folder, "read label store folder", e)),
        };
        let mut found = Vec::new();
        let mut imports = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| StoreError::io(&self.folder, "read label store folder", e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                if name.as_encoded_bytes().ends_with(b".jsonl") {
                    return Err(self.bad(format!(
                        "{} is not an annotator's journal file name (not UTF-8)",
                        name.to_string_lossy()
                    )));
                }
                continue;
            };
            if folder_imports::is_import(name) {
                imports.push(name.to_owned());
                continue;
            }
            let annotator = match annotator_of(name) {
                None => continue,
                Some(Err(reason)) => return Err(self.bad(reason)),
                Some(Ok(annotator)) => annotator,
            };
            let mine = self.own.as_ref().is_some_and(|(own, _)| *own == annotator);
            if !mine && !self.others.contains_key(name) {
                found.push((name.to_owned(), annotator));
            }
        }
        found.sort();
        let mut events = Vec::new();
        for (name, annotator) in found {
            let journal = LabelStore::open_read_only(&self.folder.join(&name))?;
            check_owner(
                &journal,
                &annotator,
                journal.annotations().map(|a| a.annotator()),
            )?;
            events.extend(journal.annotations().map(|a| a.to_event()));
            self.others.insert(name, (annotator, journal));
        }
        events.extend(self.pending.read_new(&self.folder, &imports)?);
        self.merge_boundaries();
        Ok(events)
    }

    /// Takes every journal's boundary overrides into the folder's.
    fn merge_boundaries(&mut self) {
        let own = self.own.iter().map(|(_, own)| own.boundaries());
        let others = self
            .others
            .values()
            .map(|(_, journal)| journal.boundaries());
        self.boundaries = Overrides::merged(own.chain(others));
        let own = self.own.iter().map(|(_, own)| own.remarks());
        let others = self.others.values().map(|(_, journal)| journal.remarks());
        self.remarks = Remarks::merged(own.chain(others));
    }

    fn bad(&self, reason: String) -> StoreError {
        StoreError::Folder {
            path: self.folder.clone(),
            reason,
        }
    }

    fn own_mut(&mut self, decisions: &[Decision]) -> Result<&mut LabelStore, StoreError> {
        let Some((annotator, own)) = self.own.as_mut() else {
            return Err(StoreError::ReadOnly {
                path: self.folder.clone(),
            });
        };
        if let Some(other) = decisions.iter().find(|d| d.annotator != *annotator) {
            return Err(StoreError::InvalidEvent {
                path: own.path().to_owned(),
                reason: format!(
                    "a decision by {:?} cannot go into the journal of {annotator:?}: each \
                     annotator writes only their own",
                    other.annotator
                ),
            });
        }
        Ok(own)
    }
}

/// Where `annotator`'s journal is in the store folder `folder`:
/// `<folder>/<annotator, encoded>.jsonl`, or why the name cannot be a file name.
pub fn journal_path(folder: &Path, annotator: &str) -> Result<PathBuf, StoreError> {
    let name = journal_name(annotator).map_err(|reason| StoreError::Folder {
        path: folder.to_owned(),
        reason: format!("annotator {annotator:?}: {reason}"),
    })?;
    Ok(folder.join(name))
}

/// Refuses a journal holding events of an annotator other than its owner: the merge reads
/// each annotator's decisions from their file only.
fn check_owner<'a>(
    journal: &LabelStore,
    owner: &str,
    mut annotators: impl Iterator<Item = &'a str>,
) -> Result<(), StoreError> {
    match annotators.find(|a| *a != owner) {
        None => Ok(()),
        Some(stranger) => Err(StoreError::Folder {
            path: journal.path().to_owned(),
            reason: format!(
                "holds decisions by {stranger:?}, but it is the journal of {owner:?} (each \
                 annotator's decisions go only in their own file)"
            ),
        }),
    }
}

impl Store for FolderStore {
    fn location(&self) -> String {
        self.folder.display().to_string()
    }

    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        Store::append(self.own_mut(std::slice::from_ref(decision))?, decision)
    }

    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        Store::append_all(self.own_mut(decisions)?, decisions)
    }

    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        Box::new(FolderStore::annotations(self))
    }

    /// Follows every other journal and reads those that appeared. A journal that cannot
    /// be read is left as it was read last; its error is returned only when no other
    /// journal brought anything, so no arrival is held back by it.
    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        let mut events = Vec::new();
        let mut first_error = None;
        for (annotator, journal) in self.others.values_mut() {
            match journal.follow() {
                Ok(new) => {
                    match check_owner(journal, annotator, new.iter().map(|e| e.annotator.as_str()))
                    {
                        Ok(()) => events.extend(new),
                        Err(err) => {
                            first_error.get_or_insert(err);
                        }
                    }
                }
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        match self.find_new_journals() {
            Ok(new) => events.extend(new),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
        // Journals are followed one after another; the session takes them in the order made.
        events.sort_by_key(|e| e.ts);
        self.merge_boundaries();
        match first_error {
            Some(err) if events.is_empty() => Err(err),
            _ => Ok(events),
        }
    }

    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        let Some((annotator, own)) = self.own.as_mut() else {
            return Err(StoreError::ReadOnly {
                path: self.folder.clone(),
            });
        };
        if change.annotator != *annotator {
            return Err(StoreError::InvalidEvent {
                path: own.path().to_owned(),
                reason: format!(
                    "a boundary change by {:?} cannot go into the journal of {annotator:?}: \
                     each annotator writes only their own",
                    change.annotator
                ),
            });
        }
        Store::append_boundary(own, change)?;
        self.merge_boundaries();
        Ok(())
    }

    fn boundaries(&self) -> &Overrides {
        &self.boundaries
    }

    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        let Some((annotator, own)) = self.own.as_mut() else {
            return Err(StoreError::ReadOnly {
                path: self.folder.clone(),
            });
        };
        if remark.annotator != *annotator {
            return Err(StoreError::InvalidEvent {
                path: own.path().to_owned(),
                reason: format!(
                    "a flag or note by {:?} cannot go into the journal of {annotator:?}: \
                     each annotator writes only their own",
                    remark.annotator
                ),
            });
        }
        Store::append_remark(own, remark)?;
        self.merge_boundaries();
        Ok(())
    }

    fn remarks(&self) -> &Remarks {
        &self.remarks
    }

    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        match self.own.as_mut() {
            Some((_, own)) => own.recreate(),
            None => Err(StoreError::ReadOnly {
                path: self.folder.clone(),
            }),
        }
    }
}
