//! Which layout a store path names (one journal file, or a folder of one journal per
//! annotator), and the store opened in that layout: the one place every subcommand opens
//! a label store.

use std::path::{Path, PathBuf};

use super::LabelStore;
use super::annotation::Annotation;
use super::backend::Store;
use super::decision::Decision;
use super::error::StoreError;
use super::event::Event;
use super::folder::FolderStore;
use super::overrides::{BoundaryChange, Overrides};
use super::remarks::{Remark, Remarks};

/// How the annotations at a store path are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// One journal file, every annotator in it; one writing session at a time.
    Journal(PathBuf),
    /// A folder with one journal per annotator; one writing session per annotator.
    Folder(PathBuf),
}

/// The layout of the store at `path`: a folder there is a store folder, any other file a
/// journal. A missing `X.jsonl` whose folder `X` exists is that folder (the journal was
/// converted); any other missing `.jsonl` path is a new journal, and any other missing path
/// a new store folder.
pub fn layout_of(path: &Path) -> Layout {
    if path.is_dir() {
        return Layout::Folder(path.to_owned());
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return Layout::Journal(path.to_owned());
    }
    match converted_folder(path) {
        Some(folder) if folder.is_dir() => Layout::Folder(folder),
        Some(_) => Layout::Journal(path.to_owned()),
        None => Layout::Folder(path.to_owned()),
    }
}

/// `X` for a path `X.jsonl`: where `stance store convert` puts its folder.
pub fn converted_folder(journal: &Path) -> Option<PathBuf> {
    let name = journal.file_name()?.to_str()?;
    let stem = name.strip_suffix(".jsonl").filter(|s| !s.is_empty())?;
    Some(journal.with_file_name(stem))
}

/// A label store opened in the layout its path names.
#[derive(Debug)]
pub enum OpenedStore {
    /// One journal file.
    Journal(LabelStore),
    /// One journal per annotator.
    Folder(FolderStore),
}

impl OpenedStore {
    /// Reads the store without locking or writing; a missing one is empty.
    pub fn open_read_only(path: &Path) -> Result<OpenedStore, StoreError> {
        Ok(match layout_of(path) {
            Layout::Journal(path) => OpenedStore::Journal(LabelStore::open_read_only(&path)?),
            Layout::Folder(path) => OpenedStore::Folder(FolderStore::open_read_only(&path)?),
        })
    }

    /// Opens the store for `annotator` to write: the whole journal, or their journal in
    /// the folder. [`StoreError::Locked`] when another session holds that lock.
    pub fn open_as(path: &Path, annotator: &str) -> Result<OpenedStore, StoreError> {
        Ok(match layout_of(path) {
            Layout::Journal(path) => OpenedStore::Journal(LabelStore::open_as(&path, annotator)?),
            Layout::Folder(path) => OpenedStore::Folder(FolderStore::open_as(&path, annotator)?),
        })
    }

    /// As [`OpenedStore::open_as`], except that a store that cannot be written opens
    /// read-only with the reason ([`LabelStore::open_or_wait_for_writable`]).
    pub fn open_or_wait_for_writable(
        path: &Path,
        annotator: &str,
    ) -> Result<(OpenedStore, Option<StoreError>), StoreError> {
        Ok(match layout_of(path) {
            Layout::Journal(path) => {
                let (store, why) = LabelStore::open_or_wait_for_writable(&path, annotator)?;
                (OpenedStore::Journal(store), why)
            }
            Layout::Folder(path) => {
                let (store, why) = FolderStore::open_or_wait_for_writable(&path, annotator)?;
                (OpenedStore::Folder(store), why)
            }
        })
    }

    /// The journal file or the folder.
    pub fn path(&self) -> &Path {
        match self {
            OpenedStore::Journal(store) => store.path(),
            OpenedStore::Folder(store) => store.path(),
        }
    }

    /// Whether the journal this session writes ended in a line torn by a crash.
    pub fn recovered_torn_line(&self) -> bool {
        match self {
            OpenedStore::Journal(store) => store.recovered_torn_line(),
            OpenedStore::Folder(store) => store.recovered_torn_line(),
        }
    }

    /// The current annotation per (article, start, end, annotator), in a stable order.
    pub fn annotations(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        match self {
            OpenedStore::Journal(store) => Either::Journal(store.annotations()),
            OpenedStore::Folder(store) => Either::Folder(store.annotations()),
        }
    }

    fn inner(&self) -> &dyn Store {
        match self {
            OpenedStore::Journal(store) => store,
            OpenedStore::Folder(store) => store,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Store {
        match self {
            OpenedStore::Journal(store) => store,
            OpenedStore::Folder(store) => store,
        }
    }
}

impl Store for OpenedStore {
    fn location(&self) -> String {
        self.inner().location()
    }

    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        self.inner_mut().append(decision)
    }

    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        self.inner_mut().append_all(decisions)
    }

    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        self.inner().annotations()
    }

    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        self.inner_mut().arrivals()
    }

    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        self.inner_mut().recreate()
    }

    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        self.inner_mut().append_boundary(change)
    }

    fn boundaries(&self) -> &Overrides {
        self.inner().boundaries()
    }

    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        self.inner_mut().append_remark(remark)
    }

    fn remarks(&self) -> &Remarks {
        self.inner().remarks()
    }
}

/// One of two iterators of the same items, so [`OpenedStore::annotations`] stays `Clone`.
#[derive(Clone)]
enum Either<J, F> {
    Journal(J),
    Folder(F),
}

impl<T, J: Iterator<Item = T>, F: Iterator<Item = T>> Iterator for Either<J, F> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            Either::Journal(it) => it.next(),
            Either::Folder(it) => it.next(),
        }
    }
}
