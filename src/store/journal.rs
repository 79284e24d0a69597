//! File operations on the journal: append with sync, roll back a failed append,
//! write a compacted copy and rename it over, keep a torn fragment aside.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::annotation::Annotation;
use super::error::StoreError;
use super::lock::sibling;
use super::overrides::BoundaryEvent;
use super::remarks::RemarkEvent;

/// Suffix of the file a compaction writes before renaming it over the journal.
pub(crate) const COMPACT_SUFFIX: &str = ".compact-tmp";

/// Creates the journal's missing folders.
pub(crate) fn create_folders_of(path: &Path) -> Result<(), StoreError> {
    parent(path).map_or(Ok(()), create_folders)
}

/// How many symbolic links in a row [`resolve`] follows, as Linux does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// The file the store at `path` really is, resolved once at open so that the lock,
/// the appends, compaction's rename and the side files all act on it: `path` itself
/// unless its last component is a symbolic link, else where the link(s) lead, with
/// the folder made absolute. A dangling link's target is where the journal will be
/// created (its folders are created here).
pub(crate) fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    let mut real = path.to_owned();
    for followed in 0..=MAX_LINKS {
        match fs::symlink_metadata(&real) {
            Ok(meta) if meta.file_type().is_symlink() && followed < MAX_LINKS => {
                let target =
                    fs::read_link(&real).map_err(|e| StoreError::io(&real, "read link", e))?;
                real = match parent(&real) {
                    Some(folder) => folder.join(target),
                    None => target,
                };
            }
            Ok(meta) if meta.file_type().is_symlink() => break,
            Ok(_) if followed == 0 => return Ok(real),
            Ok(_) => return absolute_folder(real),
            Err(e) if e.kind() == io::ErrorKind::NotFound && followed == 0 => return Ok(real),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                create_folders_of(&real)?;
                return absolute_folder(real);
            }
            Err(e) => return Err(StoreError::io(&real, "open label store", e)),
        }
    }
    Err(StoreError::io(
        path,
        "open label store",
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("more than {MAX_LINKS} symbolic links in a row"),
        ),
    ))
}

/// `path` with its folder canonical, so two links to one journal resolve alike.
fn absolute_folder(path: PathBuf) -> Result<PathBuf, StoreError> {
    let (Some(name), folder) = (path.file_name(), parent(&path).unwrap_or(Path::new("."))) else {
        return Ok(path);
    };
    let folder = fs::canonicalize(folder).map_err(|e| StoreError::io(folder, "open folder", e))?;
    Ok(folder.join(name))
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

/// Writes `pieces` in order, one write each, and syncs the data once; the caller rolls back
/// on error.
pub(crate) fn append_line(file: &mut File, pieces: &[Vec<u8>]) -> io::Result<()> {
    for piece in pieces {
        file.write_all(piece)?;
    }
    file.sync_data()
}

/// Cuts the journal back to `len` bytes, if it is longer, and syncs. Only bytes this
/// process wrote while holding the lock lie past `len` (a failed append's, a torn line
/// already kept aside): no saved event. A file already shorter (cut by another
/// process) is never extended: that would pad it with NUL bytes.
pub(crate) fn roll_back(file: &File, len: u64) -> io::Result<()> {
    if file.metadata()?.len() > len {
        file.set_len(len)?;
    }
    file.sync_data()
}

/// Writes `boundaries`, `remarks` then `annotations` to `<journal>.compact-tmp`, syncs it and renames it over the journal;
/// the caller then syncs the folder. Returns the new journal, open for appending, and its
/// length. On failure the temporary file is removed and the journal is untouched.
pub(crate) fn write_compacted<'a>(
    journal: &Path,
    boundaries: &[BoundaryEvent],
    remarks: &[RemarkEvent],
    annotations: impl Iterator<Item = Annotation<'a>>,
) -> Result<(File, u64), StoreError> {
    let tmp = sibling(journal, COMPACT_SUFFIX);
    remove_leftover(journal)?;
    let written = write_synced(&tmp, (boundaries, remarks), annotations).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        StoreError::io(&tmp, "write", e)
    })?;
    fs::rename(&tmp, journal).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        StoreError::io(journal, "rename the compacted copy over label store", e)
    })?;
    Ok(written)
}

/// Writes the compacted copy to `tmp`, which must not exist (a link put there is not
/// followed), and returns it open for appending: once renamed, it is the journal.
fn write_synced<'a>(
    tmp: &Path,
    (boundaries, remarks): (&[BoundaryEvent], &[RemarkEvent]),
    annotations: impl Iterator<Item = Annotation<'a>>,
) -> io::Result<(File, u64)> {
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create_new(true)
        .open(tmp)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut written = 0u64;
    let mut line = Vec::with_capacity(512);
    for boundary in boundaries {
        line.clear();
        encode(boundary, &mut line);
        out.write_all(&line)?;
        written += line.len() as u64;
    }
    for remark in remarks {
        line.clear();
        encode(remark, &mut line);
        out.write_all(&line)?;
        written += line.len() as u64;
    }
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
    Ok((file, written))
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
    let millis = unix_millis();
    let mut attempt = 0;
    loop {
        let suffix = match attempt {
            0 => format!(".torn-{millis}"),
            n => format!(".torn-{millis}-{n}"),
        };
        let side = sibling(journal, &suffix);
        match OpenOptions::new().write(true).create_new(true).open(&side) {
            Ok(mut file) => {
                if let Err(e) = file.write_all(fragment).and_then(|()| file.sync_all()) {
                    // Incomplete, and the fragment is still in the journal: no copy to keep.
                    let _ = fs::remove_file(&side);
                    return Err(StoreError::io(&side, "write", e));
                }
                return sync_folder_of(&side);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(StoreError::io(&side, "write", e)),
        }
    }
}

/// Moves whatever is at the journal's path to `<journal>.replaced-<unix ms>` (a free
/// name) and syncs the folder, so that a file this store did not write is kept, not
/// overwritten. Returns where it went; `None` when nothing is there.
pub(crate) fn move_aside(journal: &Path) -> Result<Option<PathBuf>, StoreError> {
    match fs::symlink_metadata(journal) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(journal, "read label store", e)),
        Ok(_) => {}
    }
    let millis = unix_millis();
    for attempt in 0..100 {
        let suffix = match attempt {
            0 => format!(".replaced-{millis}"),
            n => format!(".replaced-{millis}-{n}"),
        };
        let aside = sibling(journal, &suffix);
        if fs::symlink_metadata(&aside).is_ok() {
            continue;
        }
        fs::rename(journal, &aside)
            .map_err(|e| StoreError::io(journal, "move aside the file found at", e))?;
        sync_folder_of(journal)?;
        return Ok(Some(aside));
    }
    Err(StoreError::io(
        journal,
        "move aside the file found at",
        io::Error::new(io::ErrorKind::AlreadyExists, "no free .replaced- name"),
    ))
}

fn unix_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roll_back_cuts_only_a_longer_file_and_never_extends_a_shorter_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        fs::write(&path, b"0123456789").unwrap();
        let file = open_append(&path).unwrap();
        roll_back(&file, 4).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"0123");
        // Cut shorter by someone else than the length remembered: left as it is.
        roll_back(&file, 100).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"0123");
    }
}
