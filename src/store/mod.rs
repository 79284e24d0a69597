//! The label store: an append-only, fsynced JSON-lines journal of annotations.
//!
//! # Format
//! One [`Event`] per line, UTF-8, `\n`-terminated, for example:
//! ```text
//! {"v":1,"op":"set","article":"a3f9c2","start":120,"end":173,"fp":"2ab7d62388584cea","labels":["sanctions"],"annotator":"alice","ts":1717171717000,"origin":"typed","text":"The EU agreed new measures against Moscow on Tuesday."}
//! ```
//! `v` is the format version (1); `op` is `set` or `clear`; `article`, `start` and
//! `end` name the sentence (byte offsets into the article text); `fp` is
//! [`fingerprint`] of the sentence text; `labels` may be empty (reviewed, no stance);
//! `ts` is Unix milliseconds; `origin` is `typed` or `suggestion`; `text` is the
//! sentence as it was. Unknown fields are an error, so a misspelt field is never
//! silently read as "no labels".
//!
//! # Rules
//! - Replay: the last event per (article, start, end, annotator) wins; `clear` removes.
//! - [`LabelStore::append`] writes the whole line with one write and `fdatasync`s it
//!   before returning; only then is the event in the in-memory view.
//!   [`LabelStore::append_all`] does the same for many lines at once (one write, one
//!   sync), and on failure cuts them all off again. If the write or the
//!   sync fails, the bytes of that append (and only those: the lock guarantees no one
//!   else writes) are cut off again, so the file holds exactly the saved events; a file
//!   another process cut shorter meanwhile is never extended.
//! - Torn last line: a last line with no newline that is not well-formed JSON is what a
//!   crash mid-write leaves. Open tolerates it and reports it
//!   ([`LabelStore::recovered_torn_line`]). Before the next write, its bytes are copied
//!   to `<store>.torn-<unix ms>` (synced), then cut off the journal (synced) and the
//!   append goes on, with no rewrite: a nearly full disk with room for the line takes
//!   it. If the side file cannot be written, the append is refused and the torn bytes
//!   stay where they are. A last line without its newline that is a whole valid event
//!   counts (the next append starts with the newline); one that is whole JSON but not
//!   a valid event is a bad line, as below.
//! - Any other bad line (complete, but not a valid event, or an unknown `v`) is
//!   [`StoreError::BadLine`] naming the line; nothing is written.
//! - Compaction writes one line per live boundary override, one per live flag, note and
//!   article note, then one `set` per live annotation (orphans too: they are ordinary
//!   annotations) to `<store>.compact-tmp`, syncs it, renames it over the journal and
//!   syncs the folder. A leftover temporary file is removed by the next writer's open:
//!   the journal beside it is complete, since the rename is the last step. Compaction
//!   runs on [`LabelStore::compact`], and by itself when a writer opens a journal whose
//!   superseded events are both at least 10,000 and more than the live annotations
//!   (best effort: if it fails, the journal is as it was and the store works as usual).
//! - One writer: `<store>.lock` is locked with an OS file lock (released when the
//!   process ends, even killed) and names the holder's process id and annotator. A
//!   second writer gets [`StoreError::Locked`]; readers take no lock. The lock file is
//!   opened without following a symbolic link and is rewritten only when it is a
//!   regular file that is new, empty or a stance lock file
//!   ([`StoreError::LockFileRefused`] otherwise).
//! - Symbolic links: a writer resolves a store path whose last component is a link to
//!   the real file once, at open; the lock, appends, compaction and side files act on
//!   that file, so links stay links and two links to one journal share one lock.
//!   [`LabelStore::path`] stays the path as given.
//! - Other processes: before each append (and compaction) the writer checks that the
//!   path still names the file it holds open (same device and inode) and that the file
//!   is not shorter than what it wrote; if not, the append is refused
//!   ([`StoreError::JournalReplaced`], [`StoreError::JournalTruncated`]) and nothing is
//!   written until [`LabelStore::recreate`] writes the store's annotations back.
//! - Several annotators: a store folder keeps one such journal per annotator
//!   ([`FolderStore`]); [`OpenedStore`] opens a path in whichever layout it names
//!   ([`layout_of`]), and [`convert()`] turns a journal into a folder.

mod annotation;
mod append_decisions;
mod backend;
mod canonical;
mod convert;
mod copy;
mod copy_pg;
mod decision;
mod error;
pub mod event;
mod file_name;
mod folder;
mod folder_imports;
mod index;
mod journal;
mod layout;
mod line;
mod lines;
mod lock;
mod memory;
mod orphans;
mod overrides;
pub mod pg;
pub mod registry;
mod remarks;
mod replay;
mod scores;
mod session;
mod state;
mod tail;
mod writer;

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Context;

pub use annotation::Annotation;
pub use backend::Store;
pub use convert::{Converted, convert};
pub use copy::{Copied, SchemaCopy, copy};
pub use decision::{Decision, IGNORE, is_ignore};
pub use error::StoreError;
pub use event::{Event, JOURNAL_VERSION, NEWEST_JOURNAL_VERSION, Op, Origin, fingerprint};
pub use folder::{FolderStore, journal_path};
pub use folder_imports::import_into_folder;
pub use layout::{Layout, OpenedStore, converted_folder, layout_of};
pub use memory::MemoryStore;
pub use orphans::orphans;
pub use overrides::{BoundaryChange, BoundaryEvent, BoundaryKind, Override, Overrides};
pub use pg::PgStore;
pub use remarks::{Remark, RemarkChange, RemarkEvent, Remarks, SentenceRemark};
pub use scores::Scores;
pub use session::SessionStore;

use lock::Lock;
pub(crate) use state::Annotations;
use writer::Writer;

/// Superseded events a writer's open tolerates before compacting by itself.
const AUTO_COMPACT_MIN_SUPERSEDED: usize = 10_000;

/// The annotations of one corpus, backed by a journal file.
#[derive(Debug)]
pub struct LabelStore {
    path: PathBuf,
    annotations: Annotations,
    overrides: Overrides,
    remarks: Remarks,
    events_replayed: usize,
    recovered_torn_line: bool,
    writer: Option<Writer>,
    /// Set when the store was opened read-only because its folder could not be written:
    /// the annotator to take the lock as once it can be, tried again on each append.
    retry_as: Option<String>,
    /// How far a read-only store has read its journal, to take in what its writer adds.
    followed: Option<tail::Mark>,
}

impl LabelStore {
    /// Opens for writing as the user logged in; see [`LabelStore::open_as`].
    pub fn open(path: &Path) -> Result<LabelStore, StoreError> {
        LabelStore::open_as(path, &login_name())
    }

    /// Opens for writing, creating the file and its folders, taking the one-writer lock
    /// (recording `annotator` in it for whoever is refused) and replaying the journal.
    pub fn open_as(path: &Path, annotator: &str) -> Result<LabelStore, StoreError> {
        if let Err(e) = crate::special::refuse(path)
            && e.kind() != io::ErrorKind::NotFound
        {
            return Err(StoreError::io(path, "open label store", e));
        }
        journal::create_folders_of(path)?;
        let real = journal::resolve(path)?;
        let lock = Lock::take(&real, annotator)?;
        journal::remove_leftover(&real)?;
        let file = journal::open_append(&real)?;
        let replay = replay::replay(&real, &file)?;
        let mut store = LabelStore {
            path: path.to_owned(),
            annotations: replay.annotations,
            overrides: replay.overrides,
            remarks: replay.remarks,
            events_replayed: replay.events,
            recovered_torn_line: replay.torn.is_some(),
            writer: Some(Writer::new(
                lock,
                real,
                file,
                replay.complete_len,
                replay.torn,
                replay.needs_newline,
            )),
            retry_as: None,
            followed: None,
        };
        let live = store.annotations.len() + store.overrides.len() + store.remarks.len();
        let superseded = replay.events - live;
        if superseded >= AUTO_COMPACT_MIN_SUPERSEDED && superseded > live {
            // The journal is complete whether or not this succeeds.
            let _ = store.compact();
        }
        Ok(store)
    }

    /// Replays without locking or writing anything; a missing file is an empty store.
    /// A writer may be appending meanwhile: its unfinished last line reads as torn.
    pub fn open_read_only(path: &Path) -> Result<LabelStore, StoreError> {
        // A FIFO would block the read until a writer came.
        let (replay, file) = match crate::special::refuse(path).and_then(|()| File::open(path)) {
            Ok(file) => (replay::replay(path, &file)?, Some(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => (replay::Replay::default(), None),
            Err(e) => return Err(StoreError::io(path, "read label store", e)),
        };
        Ok(LabelStore {
            path: path.to_owned(),
            annotations: replay.annotations,
            overrides: replay.overrides,
            remarks: replay.remarks,
            events_replayed: replay.events,
            recovered_torn_line: replay.torn.is_some(),
            writer: None,
            retry_as: None,
            followed: Some(tail::Mark {
                file,
                len: replay.complete_len,
            }),
        })
    }

    /// Opens for writing as [`LabelStore::open_as`] does, except that a store whose
    /// folder is read-only (or not ours to write) opens read-only, with the reason:
    /// every append then tries to take the store for writing again, and fails with the
    /// operating system's reason until the folder can be written.
    pub fn open_or_wait_for_writable(
        path: &Path,
        annotator: &str,
    ) -> Result<(LabelStore, Option<StoreError>), StoreError> {
        match LabelStore::open_as(path, annotator).map_err(StoreError::into_unwritable) {
            Ok(store) => Ok((store, None)),
            Err(err @ StoreError::Unwritable { .. }) => {
                let mut store = LabelStore::open_read_only(path)?;
                store.retry_as = Some(annotator.to_owned());
                Ok((store, Some(err)))
            }
            Err(err) => Err(err),
        }
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `event` as one line and syncs it; on success (only) the in-memory view
    /// includes it. On error the journal holds exactly what it held before.
    pub fn append(&mut self, event: Event) -> Result<(), StoreError> {
        self.check(&event)?;
        self.take_for_writing()?;
        self.writer_mut()?.append(&event)?;
        self.annotations.apply(event);
        Ok(())
    }

    /// Writes `events` as one line each with one write and one sync: all of them are saved
    /// or, on any error (an invalid event, a full disk), none, and the journal holds
    /// exactly what it held before. On success the in-memory view includes them, in order.
    pub fn append_all(&mut self, events: Vec<Event>) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        for event in &events {
            self.check(event)?;
        }
        self.take_for_writing()?;
        self.writer_mut()?.append_all(&events)?;
        for event in events {
            self.annotations.apply(event);
        }
        Ok(())
    }

    /// Writes `events` as [`LabelStore::append_all`] does, then closes the store (its lock
    /// released) without taking them into memory: for a writer that is done with the store,
    /// such as an import of a million decisions.
    pub fn append_all_and_close(mut self, events: &[Event]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        for event in events {
            self.check(event)?;
        }
        self.take_for_writing()?;
        self.writer_mut()?.append_all(events)
    }

    /// Writes a boundary line and syncs it; on success (only) [`LabelStore::boundaries`]
    /// includes it. On error the journal holds exactly what it held before.
    pub fn append_boundary(&mut self, event: BoundaryEvent) -> Result<(), StoreError> {
        let invalid = |reason| StoreError::InvalidEvent {
            path: self.path.clone(),
            reason,
        };
        if event.v != event.op.since_version() {
            return Err(invalid(format!(
                "version {} is not {}",
                event.v,
                event.op.since_version()
            )));
        }
        if let Some(reason) = overrides::invalid(event.op, event.start, event.end, Some(event.at)) {
            return Err(invalid(reason));
        }
        self.take_for_writing()?;
        self.writer_mut()?.append_boundary(&event)?;
        self.overrides.apply(&event);
        Ok(())
    }

    /// The live boundary overrides, every annotator's.
    pub fn boundaries(&self) -> &Overrides {
        &self.overrides
    }

    /// Writes a flag or note line and syncs it; on success (only) [`LabelStore::remarks`]
    /// includes it. On error the journal holds exactly what it held before.
    pub fn append_remark(&mut self, event: RemarkEvent) -> Result<(), StoreError> {
        let invalid = |reason| StoreError::InvalidEvent {
            path: self.path.clone(),
            reason,
        };
        if !event.op.is_remark() || event.v != event.op.since_version() {
            return Err(invalid(format!(
                "op {:?} with version {} is not a flag or note line",
                event.op, event.v
            )));
        }
        let note = event.note.is_some();
        if let Some(reason) = remarks::invalid(event.op, event.start, event.end, note, false) {
            return Err(invalid(reason));
        }
        replay::check(event.start, event.end).map_err(invalid)?;
        self.take_for_writing()?;
        self.writer_mut()?.append_boundary(&event)?;
        self.remarks.apply(&event);
        Ok(())
    }

    /// The live flags and notes of this journal.
    pub fn remarks(&self) -> &Remarks {
        &self.remarks
    }

    /// Refuses an event whose version is not the one its fields need, or whose span is
    /// backwards.
    fn check(&self, event: &Event) -> Result<(), StoreError> {
        let invalid = |reason| StoreError::InvalidEvent {
            path: self.path.clone(),
            reason,
        };
        // Each line says the lowest version that can read it, so older readers read all
        // they can.
        if event.v != event.version_needed() {
            return Err(invalid(format!(
                "version {} is not {}, the one its fields need",
                event.v,
                event.version_needed()
            )));
        }
        if event.op == Op::Ignore && !event.labels.is_empty() {
            return Err(invalid("an ignore carries no labels".into()));
        }
        replay::check(event.start, event.end).map_err(invalid)
    }

    /// A store opened read-only for want of a writable folder tries to take the lock again.
    fn take_for_writing(&mut self) -> Result<(), StoreError> {
        if self.writer.is_none()
            && let Some(annotator) = &self.retry_as
        {
            // Replayed again under the lock, in case the journal changed meanwhile.
            *self =
                LabelStore::open_as(&self.path, annotator).map_err(StoreError::into_unwritable)?;
        }
        Ok(())
    }

    /// The current annotation per (article, start, end, annotator), in a stable order.
    pub fn annotations(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        self.annotations.iter()
    }

    /// One annotator's current annotation of the sentence at `start..end` of `article`.
    pub fn get(
        &self,
        article: &str,
        start: usize,
        end: usize,
        annotator: &str,
    ) -> Option<Annotation<'_>> {
        self.annotations.get(article, start, end, annotator)
    }

    /// Rewrites the journal as one `set` per live annotation, through a synced
    /// temporary file renamed over it; a torn last line is copied aside first.
    pub fn compact(&mut self) -> Result<(), StoreError> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(read_only(&self.path));
        };
        let side = (self.overrides.events(), self.remarks.events());
        writer.compact(&side.0, &side.1, self.annotations.iter())
    }

    /// Writes everything this store knows back at its path after another process
    /// removed, replaced or truncated the journal ([`StoreError::needs_recreate`]), and
    /// takes the journal for writing again, so that appends go on.
    ///
    /// The current annotations are written as a complete, synced new journal through
    /// compaction's temporary file and rename. A file found at the path (another file
    /// moved there, or the journal as another process cut it) is never overwritten: it
    /// is first renamed to `<store>.replaced-<unix ms>`, synced, and that path is
    /// returned. A torn line not yet kept aside goes to its `.torn-` file first. When
    /// the lock file was removed or replaced too, the lock is taken again on the file now
    /// at `<store>.lock`; if another session holds that one, this fails with
    /// [`StoreError::Locked`] and nothing is written. Read-only stores get
    /// [`StoreError::ReadOnly`].
    pub fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(read_only(&self.path));
        };
        let side = (self.overrides.events(), self.remarks.events());
        writer.recreate(&side.0, &side.1, self.annotations.iter())
    }

    /// Valid events read when the store was opened, superseded ones included.
    pub fn events_replayed(&self) -> usize {
        self.events_replayed
    }

    /// Whether the journal ended in a line torn by a crash mid-write (the event on it
    /// was never reported saved; its bytes are kept in `<store>.torn-<unix ms>`).
    pub fn recovered_torn_line(&self) -> bool {
        self.recovered_torn_line
    }

    fn writer_mut(&mut self) -> Result<&mut Writer, StoreError> {
        self.writer.as_mut().ok_or_else(|| read_only(&self.path))
    }
}

fn read_only(path: &Path) -> StoreError {
    StoreError::ReadOnly {
        path: path.to_owned(),
    }
}

/// The time now in Unix milliseconds, the `ts` of a new event.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The user name from the environment, for the lock file.
pub(crate) fn login_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// `labels/<corpus_key>` (a store folder) in the platform data folder, or in
/// `STANCE_DATA_DIR`; `labels/<corpus_key>.jsonl` instead when that journal exists (a store
/// made before store folders, not yet converted).
pub fn default_path(corpus_key: &str) -> anyhow::Result<PathBuf> {
    let bad = corpus_key.is_empty()
        || corpus_key == "."
        || corpus_key == ".."
        || corpus_key.contains(['/', '\\', '\0']);
    anyhow::ensure!(
        !bad,
        "corpus key {corpus_key:?} cannot name a label store file"
    );
    let dir = labels_dir()?;
    let journal = dir.join(format!("{corpus_key}.jsonl"));
    if std::fs::symlink_metadata(&journal).is_ok() {
        return Ok(journal);
    }
    Ok(dir.join(corpus_key))
}

/// The folder that holds the default label stores: `labels/` in the platform data folder,
/// or in `$STANCE_DATA_DIR` when that is set.
pub fn labels_dir() -> anyhow::Result<PathBuf> {
    let data = match std::env::var_os("STANCE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => directories::ProjectDirs::from("", "", "stance")
            .context("no home folder to keep labels in; give --labels PATH or set STANCE_DATA_DIR")?
            .data_dir()
            .to_owned(),
    };
    Ok(data.join("labels"))
}
