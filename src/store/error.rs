//! What can go wrong with a label store, in messages that name the file.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

use crate::escape;

/// A label store failure; every message names the journal (and the line, for a bad line).
#[derive(Debug, Error)]
pub enum StoreError {
    /// Another session holds the one-writer lock; it keeps writing, this one must not.
    #[error(
        "label store {} is in use by {}: close that session first (lock file {}.lock)",
        escape::path(path),
        holder(*pid),
        escape::path(path)
    )]
    Locked {
        /// The journal.
        path: PathBuf,
        /// The holder's process id, 0 when its lock file does not say.
        pid: u32,
    },
    /// A complete journal line that is not a valid event; the file is left as it is.
    #[error(
        "label store {} line {line}: {}; the file was not changed",
        escape::path(path),
        escape::escape(reason)
    )]
    BadLine {
        /// The journal.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },
    /// Reading, writing, syncing or renaming failed (disk full, read-only folder, ...).
    #[error("cannot {action} {}: {error}", escape::path(path))]
    Io {
        /// The file or folder the operation was on.
        path: PathBuf,
        /// What was being done, as a verb phrase ("append to label store", "write").
        action: &'static str,
        /// The operating system's reason.
        error: io::Error,
    },
    /// The operating system does not let the store be written (a read-only file system,
    /// or permissions): the store is open read-only until it does.
    #[error("cannot write {}: {error}", escape::path(path))]
    Unwritable {
        /// The file or folder that could not be written (usually the lock file).
        path: PathBuf,
        /// The operating system's reason.
        error: io::Error,
    },
    /// The store was opened read-only, so it cannot take new events.
    #[error("label store {} is open read-only", escape::path(path))]
    ReadOnly {
        /// The journal.
        path: PathBuf,
    },
    /// An event that replay would reject later, refused before it reaches the journal.
    #[error(
        "label store {}: refusing to write an invalid event: {}",
        escape::path(path),
        escape::escape(reason)
    )]
    InvalidEvent {
        /// The journal.
        path: PathBuf,
        /// What is wrong with the event.
        reason: String,
    },
    /// `<store>.lock` is a symbolic link, not a regular file, or holds something other
    /// than a stance lock file: it is left as it is, and the store is not opened.
    #[error(
        "lock file {} {reason}: refusing to write it; move it away and open the store again",
        path.display()
    )]
    LockFileRefused {
        /// The lock file.
        path: PathBuf,
        /// What is wrong with it ("is a symbolic link", ...).
        reason: &'static str,
    },
    /// The journal's path no longer names the file this store writes: another process
    /// removed it, or moved another file there. Nothing is appended until
    /// [`crate::store::LabelStore::recreate`] writes the store's annotations there again.
    #[error(
        "label store {} was removed (or replaced) by another process: this decision is not saved",
        path.display()
    )]
    JournalReplaced {
        /// The journal.
        path: PathBuf,
    },
    /// The journal is shorter than the events this store wrote and read: another process
    /// cut it. Nothing is appended until [`crate::store::LabelStore::recreate`] moves
    /// the cut file aside and writes the store's annotations there again.
    #[error(
        "label store {} was truncated by another process ({len} bytes, {expected} expected): \
         this decision is not saved",
        path.display()
    )]
    JournalTruncated {
        /// The journal.
        path: PathBuf,
        /// Its length now.
        len: u64,
        /// The length of the events this store knows it holds.
        expected: u64,
    },
    /// A store folder (one journal per annotator) holds what is not an annotator's journal
    /// as stance writes it, or a journal holds another annotator's events; nothing is
    /// written.
    #[error(
        "label store folder {}: {}",
        escape::path(path),
        escape::escape(reason)
    )]
    Folder {
        /// The folder, or the journal in it.
        path: PathBuf,
        /// What is wrong, naming the file or the annotator.
        reason: String,
    },
    /// A PostgreSQL store could not be reached, or refused what was asked; the address is
    /// shown with its password masked.
    #[error("label store {}: {}", escape::escape(location), escape::escape(reason))]
    Database {
        /// The store's address, password masked.
        location: String,
        /// What went wrong, naming the server.
        reason: String,
    },
    /// Another session writes as the same annotator in a PostgreSQL store.
    #[error(
        "label store {} is in use by {} as {}: close that session first",
        escape::escape(location),
        escape::escape(holder),
        escape::quote(annotator)
    )]
    Held {
        /// The store's address, password masked.
        location: String,
        /// The annotator both sessions write as.
        annotator: String,
        /// Who holds it: the other session's name, host and process.
        holder: String,
    },
    /// The PostgreSQL server could not be reached, or the connection to it was lost: nothing
    /// was refused, and the same write may succeed once the server answers again.
    #[error("label store {}: {}", escape::escape(location), escape::escape(reason))]
    Unreachable {
        /// The store's address, password masked.
        location: String,
        /// What went wrong, naming the server.
        reason: String,
    },
}

fn holder(pid: u32) -> String {
    if pid == 0 {
        "another process".to_owned()
    } else {
        format!("process {pid}")
    }
}

impl StoreError {
    /// The operating system refusing to let the store be written (a read-only file
    /// system, or permissions) as [`StoreError::Unwritable`]; any other error as it is.
    pub(crate) fn into_unwritable(self) -> StoreError {
        match self {
            StoreError::Io { path, error, .. }
                if matches!(
                    error.kind(),
                    io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
                ) =>
            {
                StoreError::Unwritable { path, error }
            }
            other => other,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, error: io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            action,
            error,
        }
    }
}

impl StoreError {
    /// Whether this is the journal removed, replaced or truncated under the store, which
    /// [`crate::store::LabelStore::recreate`] repairs.
    pub fn needs_recreate(&self) -> bool {
        matches!(
            self,
            StoreError::JournalReplaced { .. } | StoreError::JournalTruncated { .. }
        )
    }

    /// Whether the write failed only because the store could not be reached, so sending it
    /// again later, unchanged, may save it.
    pub fn retry_later(&self) -> bool {
        matches!(self, StoreError::Unreachable { .. })
    }
}
