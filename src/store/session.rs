//! The store of an annotation session, created by its first write rather than when it
//! opens: opening a corpus and quitting without a decision leaves nothing behind.
//!
//! The one-writer rule still holds from the moment the session opens. Every writing session
//! takes a *session lock* before anything else: an OS file lock on a file in the temporary
//! folder named by a hash of the journal it would write (so the same annotator twice on a
//! store folder, or anyone twice on a single journal, collide there, as they do on the
//! journal's own lock). The file is removed, still locked, when the session ends; one left
//! by a killed session is locked by nobody and taken over by the next one. A session whose
//! journal already exists also opens it for writing at once, with the journal's own lock,
//! as sessions of earlier versions expect; one whose journal does not exist yet reads the
//! store (others' journals in a folder) and opens it for writing on the first write.

use std::fs;
use std::path::{Path, PathBuf};

use super::annotation::Annotation;
use super::backend::Store;
use super::decision::Decision;
use super::error::StoreError;
use super::event::Event;
use super::folder::journal_path;
use super::layout::{Layout, OpenedStore, layout_of};
use super::lock::{Lock, lock_path};
use super::overrides::{BoundaryChange, Overrides};
use super::remarks::{Remark, Remarks};

/// A writing session's store: open for writing, or read until its first write creates it.
#[derive(Debug)]
pub struct SessionStore {
    path: PathBuf,
    annotator: String,
    /// Read-only until the first write when the session's journal did not exist.
    store: OpenedStore,
    pending: bool,
    /// Others' decisions read just before the store was opened for writing, still to pass on.
    stashed: Vec<Event>,
    /// None for a PostgreSQL store, whose own advisory lock refuses a second session.
    _session: Option<SessionLock>,
}

impl SessionStore {
    /// Takes the session lock ([`StoreError::Locked`] naming the store's journal when
    /// another session holds it), then opens the store for `annotator` to write when their
    /// journal exists (as [`OpenedStore::open_or_wait_for_writable`], with the reason it
    /// could not be written, if so), else reads it and creates nothing.
    pub fn open(
        path: &Path,
        annotator: &str,
    ) -> Result<(SessionStore, Option<StoreError>), StoreError> {
        if let Layout::Postgres(_) = layout_of(path) {
            // The database exists already and its advisory lock is the session lock.
            let (store, unwritable) = OpenedStore::open_or_wait_for_writable(path, annotator)?;
            return Ok((
                SessionStore {
                    path: path.to_owned(),
                    annotator: annotator.to_owned(),
                    store,
                    pending: false,
                    stashed: Vec::new(),
                    _session: None,
                },
                unwritable,
            ));
        }
        let journal = own_journal(path, annotator)?;
        let session = SessionLock::take(&journal, annotator)?;
        let exists = fs::symlink_metadata(&journal).is_ok();
        let (store, unwritable) = if exists {
            OpenedStore::open_or_wait_for_writable(path, annotator)?
        } else {
            (OpenedStore::open_read_only(path)?, None)
        };
        Ok((
            SessionStore {
                path: path.to_owned(),
                annotator: annotator.to_owned(),
                store,
                pending: !exists,
                stashed: Vec::new(),
                _session: Some(session),
            },
            unwritable,
        ))
    }

    /// Whether the store is still to be created by the session's first write.
    pub fn is_pending(&self) -> bool {
        self.pending
    }

    /// The store as opened (read-only while pending), for what the session reads at open.
    pub fn opened(&self) -> &OpenedStore {
        &self.store
    }

    /// Opens the store for writing, creating it, if the session has not yet.
    fn create(&mut self) -> Result<(), StoreError> {
        if !self.pending {
            return Ok(());
        }
        // What others appended since the last look would be replayed by the writable
        // store, and not reported as arriving.
        let arrived = self.store.arrivals()?;
        let (store, _) = OpenedStore::open_or_wait_for_writable(&self.path, &self.annotator)?;
        self.stashed.extend(arrived);
        self.store = store;
        self.pending = false;
        Ok(())
    }
}

impl Store for SessionStore {
    fn location(&self) -> String {
        self.store.location()
    }

    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        self.create()?;
        self.store.append(decision)
    }

    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        self.create()?;
        self.store.append_all(decisions)
    }

    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        Store::annotations(&self.store)
    }

    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        let mut events = std::mem::take(&mut self.stashed);
        events.extend(self.store.arrivals()?);
        Ok(events)
    }

    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        self.create()?;
        self.store.recreate()
    }

    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        self.create()?;
        self.store.append_boundary(change)
    }

    fn boundaries(&self) -> &Overrides {
        self.store.boundaries()
    }

    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        self.create()?;
        self.store.append_remark(remark)
    }

    fn remarks(&self) -> &Remarks {
        self.store.remarks()
    }
}

/// The journal `annotator` writes in the store at `path`: the file itself, or theirs in
/// the folder.
fn own_journal(path: &Path, annotator: &str) -> Result<PathBuf, StoreError> {
    match layout_of(path) {
        Layout::Journal(journal) => Ok(journal),
        Layout::Folder(folder) => journal_path(&folder, annotator),
        Layout::Postgres(_) => unreachable!("a PostgreSQL store has no journal of its own"),
    }
}

/// The session lock of one journal, held while the session lives.
#[derive(Debug)]
struct SessionLock {
    /// The lock file's path without its `.lock`.
    base: PathBuf,
    lock: Option<Lock>,
}

impl SessionLock {
    fn take(journal: &Path, annotator: &str) -> Result<SessionLock, StoreError> {
        let base = std::env::temp_dir().join(format!(
            "stance-session-{:016x}",
            crate::hash::fnv1a64(key_of(journal).as_encoded_bytes())
        ));
        loop {
            let lock = Lock::take(&base, annotator).map_err(|err| match err {
                StoreError::Locked { pid, .. } => StoreError::Locked {
                    path: journal.to_owned(),
                    pid,
                },
                other => other,
            })?;
            // The holder before removed the file while it held it: this lock is on a file
            // no one else can find, and a third session could lock a new one at the name.
            if lock.still_named_by(&base) {
                return Ok(SessionLock {
                    base,
                    lock: Some(lock),
                });
            }
        }
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Removed while still held, so a session that opened the file meanwhile finds, once
        // it gets the lock, that the name no longer leads to it, and tries again.
        if self
            .lock
            .as_ref()
            .is_some_and(|l| l.still_named_by(&self.base))
        {
            let _ = fs::remove_file(lock_path(&self.base));
        }
        self.lock = None;
    }
}

/// The journal's path as every session names it: absolute, through the real path of its
/// nearest folder that exists (the store's folder may be created meanwhile).
fn key_of(journal: &Path) -> std::ffi::OsString {
    let absolute = std::path::absolute(journal).unwrap_or_else(|_| journal.to_owned());
    for ancestor in absolute.ancestors().skip(1) {
        if let Ok(real) = fs::canonicalize(ancestor)
            && let Ok(rest) = absolute.strip_prefix(ancestor)
        {
            return real.join(rest).into_os_string();
        }
    }
    absolute.into_os_string()
}
