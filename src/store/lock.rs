//! The one-writer lock: an OS file lock on `<store>.lock`, which names its holder.
//!
//! The lock lives on a file of its own, not on the journal, because compaction renames
//! a new journal over the old one: a lock on the journal's inode would not follow it.
//! The lock file is never removed (removing it would let two processes lock two
//! different inodes under one name); the OS releases the lock when the holder's file
//! handle closes, including when the process is killed.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use super::error::StoreError;

/// How often, and how far apart, a busy lock is tried again before it is reported as
/// held. The lock belongs to an open file, which a forked child shares until it execs:
/// a process that starts another program just as it releases the lock keeps it held
/// for that moment, and a session that is closing releases it a moment after its
/// last frame. A real holder is reported after a quarter of a second.
const BUSY_RETRIES: u32 = 25;
const BUSY_PAUSE: Duration = Duration::from_millis(10);

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct Lock {
    file: File,
    /// Who holds it, to take it again under the same name.
    annotator: String,
}

/// `<journal>.lock`.
pub(crate) fn lock_path(journal: &Path) -> PathBuf {
    sibling(journal, ".lock")
}

/// The journal's name with `suffix` appended, in the same folder.
pub(crate) fn sibling(journal: &Path, suffix: &str) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    journal.with_file_name(name)
}

impl Lock {
    /// Takes the lock for `journal` without waiting, and records who holds it.
    ///
    /// The lock file is opened without following a symbolic link, and is written only
    /// when it is a regular file that this call created, that is empty, or that reads
    /// as a stance lock file: a link, a folder, a device or someone's document put at
    /// `<store>.lock` is refused with [`StoreError::LockFileRefused`], never truncated.
    pub(crate) fn take(journal: &Path, annotator: &str) -> Result<Lock, StoreError> {
        let path = lock_path(journal);
        let mut file = open_lock_file(&path)?;
        let mut tries = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if tries < BUSY_RETRIES => {
                    tries += 1;
                    thread::sleep(BUSY_PAUSE);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked {
                        path: journal.to_owned(),
                        pid: holder_pid(&mut file),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(StoreError::io(&path, "lock", e)),
            }
        }
        // Read under the lock: a holder writes its lines only once it has the lock.
        if !looks_like_a_lock_file(&mut file) {
            return Err(refused(&path, "does not look like a stance lock file"));
        }
        let holder = format!(
            "pid {}\nannotator {}\n",
            std::process::id(),
            one_line(annotator)
        );
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(holder.as_bytes()))
            .map_err(|e| StoreError::io(&path, "write lock file", e))?;
        Ok(Lock {
            file,
            annotator: annotator.to_owned(),
        })
    }

    /// Takes the lock for `journal` again, for the same annotator, on the file now at
    /// `<journal>.lock` (after that file was removed or replaced).
    pub(crate) fn retake(&self, journal: &Path) -> Result<Lock, StoreError> {
        Lock::take(journal, &self.annotator)
    }

    /// Whether `<journal>.lock` still names the file this lock is held on; when it was
    /// removed or replaced, another process could lock the new file at that name.
    pub(crate) fn still_named_by(&self, journal: &Path) -> bool {
        let held = self.file.metadata();
        let named = fs::symlink_metadata(lock_path(journal));
        matches!((held, named), (Ok(held), Ok(named)) if same_file(&held, &named))
    }
}

/// Opens the lock file for reading and writing, creating it if missing, without
/// following a symbolic link, and checks that it is a regular file.
fn open_lock_file(path: &Path) -> Result<File, StoreError> {
    let open = |create_new: bool| {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(create_new);
        no_follow(&mut options);
        options.open(path)
    };
    let file = match open(true) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            open(false).map_err(|e| match fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => refused(path, "is a symbolic link"),
                Ok(m) if !m.is_file() => refused(path, "is not a regular file"),
                _ => StoreError::io(path, "open lock file", e),
            })?
        }
        Err(e) => return Err(StoreError::io(path, "create lock file", e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| StoreError::io(path, "open lock file", e))?;
    if !meta.is_file() {
        return Err(refused(path, "is not a regular file"));
    }
    Ok(file)
}

#[cfg(unix)]
fn no_follow(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO put in the lock file's place must not hang the session.
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
}

#[cfg(not(unix))]
fn no_follow(_: &mut OpenOptions) {}

fn refused(path: &Path, reason: &'static str) -> StoreError {
    StoreError::LockFileRefused {
        path: path.to_owned(),
        reason,
    }
}

/// Longest lock file read as one: a pid line and an annotator line.
const MAX_LOCK_FILE_LEN: u64 = 64 * 1024;

/// Whether the lock file is empty (new, or a crash before its first write) or holds
/// only the lines a holder writes: `pid N`, `annotator NAME`.
fn looks_like_a_lock_file(file: &mut File) -> bool {
    let mut text = Vec::new();
    let read = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.take(MAX_LOCK_FILE_LEN + 1).read_to_end(&mut text));
    if read.is_err() || text.len() as u64 > MAX_LOCK_FILE_LEN {
        return false;
    }
    let Ok(text) = std::str::from_utf8(&text) else {
        return false;
    };
    text.lines().all(|line| {
        line.strip_prefix("pid ")
            .is_some_and(|pid| pid.trim().parse::<u32>().is_ok())
            || line.starts_with("annotator ")
    })
}

/// Whether two metadata describe one file (same device and inode).
#[cfg(unix)]
pub(crate) fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Without device and inode numbers a replaced file cannot be told from the original;
/// a removed one still is (its path no longer names anything).
#[cfg(not(unix))]
pub(crate) fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// The pid written by the holder; it writes it just after locking, so wait a moment
/// for it rather than report "unknown" for a session that is starting.
fn holder_pid(file: &mut File) -> u32 {
    for _ in 0..20 {
        let mut text = String::new();
        let read = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut text));
        if read.is_ok() {
            let pid = text
                .lines()
                .find_map(|l| l.strip_prefix("pid "))
                .and_then(|p| p.trim().parse().ok());
            if let Some(pid) = pid {
                return pid;
            }
        }
        thread::sleep(Duration::from_millis(10));
    }
    0
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
