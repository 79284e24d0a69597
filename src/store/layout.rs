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
use super::pg::PgStore;
use super::remarks::{Remark, Remarks};

/// How the annotations at a store path are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// One journal file, every annotator in it; one writing session at a time.
    Journal(PathBuf),
    /// A folder with one journal per annotator; one writing session per annotator.
    Folder(PathBuf),
    /// A PostgreSQL address (`postgresql://...`); one writing session per annotator.
    Postgres(String),
}

/// The layout of the store at `path`: a folder there is a store folder, any other file a
/// journal. A missing `X.jsonl` whose folder `X` exists is that folder (the journal was
/// converted); any other missing `.jsonl` path is a new journal, and any other missing path
/// a new store folder.
pub fn layout_of(path: &Path) -> Layout {
    if let Some(address) = path.to_str().filter(|p| super::pg::is_url(p)) {
        return Layout::Postgres(address.to_owned());
    }
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
// One value per opened store, moved once into the worker: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum OpenedStore {
    /// One journal file.
    Journal(LabelStore),
    /// One journal per annotator.
    Folder(FolderStore),
    /// A PostgreSQL database.
    Postgres(Box<PgStore>),
}

impl OpenedStore {
    /// Reads the store without locking or writing; a missing one is empty.
    pub fn open_read_only(path: &Path) -> Result<OpenedStore, StoreError> {
        Ok(match layout_of(path) {
            Layout::Journal(path) => OpenedStore::Journal(LabelStore::open_read_only(&path)?),
            Layout::Folder(path) => OpenedStore::Folder(FolderStore::open_read_only(&path)?),
            Layout::Postgres(address) => {
                OpenedStore::Postgres(Box::new(PgStore::open_read_only(&address)?))
            }
        })
    }

    /// Opens the store for `annotator` to write: the whole journal, or their journal in
    /// the folder. [`StoreError::Locked`] when another session holds that lock.
    pub fn open_as(path: &Path, annotator: &str) -> Result<OpenedStore, StoreError> {
        Ok(match layout_of(path) {
            Layout::Journal(path) => OpenedStore::Journal(LabelStore::open_as(&path, annotator)?),
            Layout::Folder(path) => OpenedStore::Folder(FolderStore::open_as(&path, annotator)?),
            Layout::Postgres(address) => {
                OpenedStore::Postgres(Box::new(PgStore::open_as(&address, annotator)?))
            }
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
            Layout::Postgres(address) => {
                let (store, why) = PgStore::open_or_wait_for_writable(&address, annotator)?;
                (OpenedStore::Postgres(Box::new(store)), why)
            }
        })
    }

    /// The journal file or the folder; a PostgreSQL store's address, password masked.
    pub fn path(&self) -> &Path {
        match self {
            OpenedStore::Journal(store) => store.path(),
            OpenedStore::Folder(store) => store.path(),
            OpenedStore::Postgres(store) => Path::new(store.location()),
        }
    }

    /// Whether the journal this session writes ended in a line torn by a crash.
    pub fn recovered_torn_line(&self) -> bool {
        match self {
            OpenedStore::Journal(store) => store.recovered_torn_line(),
            OpenedStore::Folder(store) => store.recovered_torn_line(),
            OpenedStore::Postgres(_) => false,
        }
    }

    /// The current annotation per (article, start, end, annotator), in a stable order.
    pub fn annotations(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        match self {
            OpenedStore::Journal(store) => Either::Journal(store.annotations()),
            OpenedStore::Folder(store) => Either::Folder(store.annotations()),
            OpenedStore::Postgres(store) => Either::Postgres(store.annotations_iter()),
        }
    }

    fn inner(&self) -> &dyn Store {
        match self {
            OpenedStore::Journal(store) => store,
            OpenedStore::Folder(store) => store,
            OpenedStore::Postgres(store) => store.as_ref(),
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Store {
        match self {
            OpenedStore::Journal(store) => store,
            OpenedStore::Folder(store) => store,
            OpenedStore::Postgres(store) => store.as_mut(),
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

/// One of three iterators of the same items, so [`OpenedStore::annotations`] stays `Clone`.
#[derive(Clone)]
enum Either<J, F, P> {
    Journal(J),
    Folder(F),
    Postgres(P),
}

impl<T, J: Iterator<Item = T>, F: Iterator<Item = T>, P: Iterator<Item = T>> Iterator
    for Either<J, F, P>
{
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            Either::Journal(it) => it.next(),
            Either::Folder(it) => it.next(),
            Either::Postgres(it) => it.next(),
        }
    }
}
