//! File operations on the journal: append with sync, roll back a failed append,
//! write a compacted copy and rename it over, keep a torn fragment aside.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::annotation::Annotation;
use super::error::StoreError;
use super::lock::sibling;

/// Suffix of the file a compaction writes before renaming it over the journal.
pub(crate) const COMPACT_SUFFIX: &str = ".compact-tmp";

/// Creates the journal's missing folders.
pub(crate) fn create_folders_of(path: &Path) -> Result<(), StoreError> {
    parent(path).map_or(Ok(()), create_folders)
}

/// Opens the journal for appending (and reading), creating it if missing.
pub(crate) fn open_append(path: &Path) -> Result<File, StoreError> {
    let existed = path.exists();
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| StoreError::io(path, "open label store", e))?;
    if !existed {
        sync_folder_of(path)?;
    }
    Ok(file)
}

/// Creates missing folders, syncing each parent so a new folder survives a crash.
fn create_folders(folder: &Path) -> Result<(), StoreError> {
    if folder.is_dir() {
        return Ok(());
    }
    if let Some(up) = parent(folder) {
        create_folders(up)?;
    }
    match fs::create_dir(folder) {
        Ok(()) => sync_folder_of(folder),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && folder.is_dir() => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(StoreError::io(
            folder,
            "create folder",
            io::Error::new(
                io::ErrorKind::NotADirectory,
                "a file of that name is in the way",
            ),
        )),
        Err(e) => Err(StoreError::io(folder, "create folder", e)),
    }
}

/// The containing folder, `None` for a bare file name or a root.
fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|p| !p.as_os_str().is_empty())
}

/// Makes a rename or a new entry in `path`'s folder durable.
pub(crate) fn sync_folder_of(path: &Path) -> Result<(), StoreError> {
    let folder = parent(path).unwrap_or(Path::new("."));
    // Only Unix lets a folder be opened and synced; elsewhere the rename is what we have.
    if cfg!(unix) {
        File::open(folder)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io(folder, "sync folder", e))?;
    }
    Ok(())
}

/// Writes `line` with one write and syncs its data; the caller rolls back on error.
pub(crate) fn append_line(file: &mut File, line: &[u8]) -> io::Result<()> {
    file.write_all(line)?;
    file.sync_data()
}

/// Cuts the journal back to `len` bytes and syncs. Only bytes this process wrote
/// in a failed append, while holding the lock, lie past `len`: no saved event.
pub(crate) fn roll_back(file: &File, len: u64) -> io::Result<()> {
    file.set_len(len)?;
    file.sync_data()
}

/// Writes `annotations` to `<journal>.compact-tmp`, syncs it and renames it over the journal;
/// the caller then syncs the folder. Returns the new journal's length. On failure the
/// temporary file is removed and the journal is untouched.
pub(crate) fn write_compacted<'a>(
    journal: &Path,
    annotations: impl Iterator<Item = Annotation<'a>>,
) -> Result<u64, StoreError> {
    let tmp = sibling(journal, COMPACT_SUFFIX);
    let written = write_synced(&tmp, annotations).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        StoreError::io(&tmp, "write", e)
    })?;
    fs::rename(&tmp, journal).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        StoreError::io(journal, "rename the compacted copy over label store", e)
    })?;
    Ok(written)
}

fn write_synced<'a>(
    tmp: &Path,
    annotations: impl Iterator<Item = Annotation<'a>>,
) -> io::Result<u64> {
    let file = File::create(tmp)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut written = 0u64;
    let mut line = Vec::with_capacity(512);
    for annotation in annotations {
        line.clear();
        encode(&annotation.line(), &mut line);
        out.write_all(&line)?;
        written += line.len() as u64;
    }
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    crate::fault::crash_point("compact:tmp-written");
    file.sync_all()?;
    crate::fault::crash_point("compact:tmp-synced");
    Ok(written)
}

/// Appends `event` (a journal event, or an annotation's line) as one JSON line to `out`.
pub(crate) fn encode(event: &impl Serialize, out: &mut Vec<u8>) {
    serde_json::to_writer(&mut *out, event).expect("an event always serializes");
    out.push(b'\n');
}

/// Removes a compaction's temporary file left by a crash; the journal beside it is
/// complete, since the rename is the last step.
pub(crate) fn remove_leftover(journal: &Path) -> Result<(), StoreError> {
    let tmp = sibling(journal, COMPACT_SUFFIX);
    match fs::remove_file(&tmp) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(&tmp, "remove", e)),
    }
}

/// Saves a torn fragment as `<journal>.torn-<unix milliseconds>`, synced.
pub(crate) fn keep_torn(journal: &Path, fragment: &[u8]) -> Result<(), StoreError> {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut attempt = 0;
    loop {
        let suffix = match attempt {
            0 => format!(".torn-{millis}"),
            n => format!(".torn-{millis}-{n}"),
        };
        let side = sibling(journal, &suffix);
        match OpenOptions::new().write(true).create_new(true).open(&side) {
            Ok(mut file) => {
                file.write_all(fragment)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| StoreError::io(&side, "write", e))?;
                return sync_folder_of(&side);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(StoreError::io(&side, "write", e)),
        }
    }
}
