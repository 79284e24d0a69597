//! The one-writer lock: an OS file lock on `<store>.lock`, which names its holder.
//!
//! The lock lives on a file of its own, not on the journal, because compaction renames
//! a new journal over the old one: a lock on the journal's inode would not follow it.
//! The lock file is never removed (removing it would let two processes lock two
//! different inodes under one name); the OS releases the lock when the holder's file
//! handle closes, including when the process is killed.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
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
    _file: File,
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
    pub(crate) fn take(journal: &Path, annotator: &str) -> Result<Lock, StoreError> {
        let path = lock_path(journal);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "create lock file", e))?;
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
        let holder = format!(
            "pid {}\nannotator {}\n",
            std::process::id(),
            one_line(annotator)
        );
        file.set_len(0)
            .and_then(|()| file.write_all(holder.as_bytes()))
            .map_err(|e| StoreError::io(&path, "write lock file", e))?;
        Ok(Lock { _file: file })
    }
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
