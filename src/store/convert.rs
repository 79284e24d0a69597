//! `X.jsonl` (one journal, every annotator) to the store folder `X/` (one journal each),
//! without losing a line and without a moment where neither is complete.
//!
//! Under the journal's lock (so no session writes it meanwhile), every complete line is
//! copied as it is, in order, into its annotator's journal in `X.convert-tmp/`; each file
//! and the folder are synced, the folder is read back and must hold exactly the journal's
//! annotations, and only then is it renamed to `X` and the journal renamed aside to
//! `X.jsonl.converted-<unix ms>`. A crash before the first rename leaves the journal as it
//! was (and a `.convert-tmp` folder to remove); between the two renames, both are complete
//! and the journal is still the one opened.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::error::StoreError;
use super::event::Event;
use super::file_name::journal_name;
use super::folder::FolderStore;
use super::journal::{self, sync_folder_of};
use super::layout::converted_folder;
use super::lock::{Lock, sibling};
use super::replay;

/// What a conversion did.
#[derive(Debug)]
pub struct Converted {
    /// The new store folder.
    pub folder: PathBuf,
    /// Where the journal was kept.
    pub kept: PathBuf,
    /// Lines copied (every complete line of the journal).
    pub lines: usize,
    /// Lines per annotator, by name.
    pub annotators: BTreeMap<String, usize>,
    /// The journal ended in a line torn by a crash (not an event): it was not copied and
    /// stays in the kept journal.
    pub torn_left: bool,
}

/// Converts the journal `path` (`X.jsonl`) into the store folder `X`, taking the journal's
/// lock as `annotator`; see the module documentation for the order of steps.
pub fn convert(path: &Path, annotator: &str) -> Result<Converted, StoreError> {
    let refuse = |reason: String| StoreError::Folder {
        path: path.to_owned(),
        reason,
    };
    let folder = converted_folder(path).ok_or_else(|| {
        refuse("only a journal whose name ends in .jsonl can be converted (X.jsonl becomes the folder X)".into())
    })?;
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_dir() => {}
        Ok(_) => return Err(refuse("is a folder already".into())),
        Err(e) => return Err(StoreError::io(path, "read label store", e)),
    }
    if fs::symlink_metadata(&folder).is_ok() {
        return Err(refuse(format!(
            "{} exists already; move it away to convert into it",
            folder.display()
        )));
    }
    let tmp = folder.with_file_name(format!(
        "{}.convert-tmp",
        folder.file_name().unwrap_or_default().to_string_lossy()
    ));
    if fs::symlink_metadata(&tmp).is_ok() {
        return Err(refuse(format!(
            "{} is left from a conversion that did not finish (the journal is intact): remove \
             it and convert again",
            tmp.display()
        )));
    }
    let real = journal::resolve(path)?;
    let _lock = Lock::take(&real, annotator)?;
    let file = File::open(&real).map_err(|e| StoreError::io(&real, "read label store", e))?;
    let replayed = replay::replay(&real, &file)?;

    fs::create_dir(&tmp).map_err(|e| StoreError::io(&tmp, "create folder", e))?;
    let copied = copy_lines(&file, &real, replayed.complete_len, &tmp)
        .and_then(|copied| check_same(&tmp, &replayed.annotations, path).map(|()| copied));
    let (lines, annotators) = match copied {
        Ok(copied) => copied,
        Err(err) => {
            // The journal was only read; what was written is an incomplete copy.
            let _ = fs::remove_dir_all(&tmp);
            return Err(err);
        }
    };
    // The new files' entries in it; then the rename's in its parent.
    sync_folder_of(&tmp.join("journal"))?;
    fs::rename(&tmp, &folder).map_err(|e| StoreError::io(&tmp, "rename into place", e))?;
    sync_folder_of(&folder)?;
    let kept = free_name(path)?;
    fs::rename(path, &kept).map_err(|e| StoreError::io(path, "keep aside", e))?;
    sync_folder_of(&kept)?;
    Ok(Converted {
        folder,
        kept,
        lines,
        annotators,
        torn_left: replayed.torn.is_some(),
    })
}

/// Copies every line of `file[..len]` into `<tmp>/<annotator>.jsonl`, synced.
fn copy_lines(
    file: &File,
    path: &Path,
    len: u64,
    tmp: &Path,
) -> Result<(usize, BTreeMap<String, usize>), StoreError> {
    let read_error = |e| StoreError::io(path, "read label store", e);
    let mut file = file;
    file.seek(io::SeekFrom::Start(0)).map_err(read_error)?;
    let mut reader = BufReader::with_capacity(1 << 20, file.take(len));
    let mut outputs: BTreeMap<String, (PathBuf, BufWriter<File>)> = BTreeMap::new();
    let mut counts = BTreeMap::new();
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(read_error)? == 0 {
            break;
        }
        number += 1;
        let body = line.strip_suffix(b"\n").unwrap_or(&line);
        let event = replay::parse_event(body).map_err(|reason| StoreError::BadLine {
            path: path.to_owned(),
            line: number,
            reason,
        })?;
        let (out_path, out) = match outputs.get_mut(event.annotator()) {
            Some(out) => out,
            None => {
                let name =
                    journal_name(event.annotator()).map_err(|reason| StoreError::Folder {
                        path: path.to_owned(),
                        reason: format!(
                            "line {number}: annotator {:?}: {reason}",
                            event.annotator()
                        ),
                    })?;
                let out_path = tmp.join(name);
                let created = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&out_path)
                    .map_err(|e| StoreError::io(&out_path, "create", e))?;
                outputs
                    .entry(event.annotator().to_owned())
                    .or_insert((out_path, BufWriter::new(created)))
            }
        };
        let write = |out: &mut BufWriter<File>| -> io::Result<()> {
            out.write_all(body)?;
            out.write_all(b"\n")
        };
        write(out).map_err(|e| StoreError::io(out_path.as_path(), "write", e))?;
        *counts.entry(event.annotator().to_owned()).or_insert(0) += 1;
    }
    for (out_path, out) in outputs.into_values() {
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io(&out_path, "write", e))?;
    }
    Ok((number, counts))
}

/// Reads the new folder back: it must hold exactly the journal's annotations.
fn check_same(
    tmp: &Path,
    journal: &super::state::Annotations,
    path: &Path,
) -> Result<(), StoreError> {
    let folder = FolderStore::open_read_only(tmp)?;
    let mut want: Vec<Event> = journal.iter().map(|a| a.to_event()).collect();
    let mut got: Vec<Event> = folder.annotations().map(|a| a.to_event()).collect();
    let order = |a: &Event, b: &Event| {
        (&a.article, a.start, a.end, &a.annotator).cmp(&(&b.article, b.start, b.end, &b.annotator))
    };
    want.sort_by(order);
    got.sort_by(order);
    if want != got {
        return Err(StoreError::Folder {
            path: path.to_owned(),
            reason: format!(
                "the converted copy read back differs from the journal ({} annotations, {} \
                 expected); nothing was changed",
                got.len(),
                want.len()
            ),
        });
    }
    Ok(())
}

/// `<journal>.converted-<unix ms>`, a name nothing has.
fn free_name(path: &Path) -> Result<PathBuf, StoreError> {
    let ms = super::now_ms();
    for attempt in 0..100 {
        let suffix = match attempt {
            0 => format!(".converted-{ms}"),
            n => format!(".converted-{ms}-{n}"),
        };
        let candidate = sibling(path, &suffix);
        if fs::symlink_metadata(&candidate).is_err() {
            return Ok(candidate);
        }
    }
    Err(StoreError::io(
        path,
        "keep aside",
        io::Error::new(io::ErrorKind::AlreadyExists, "no free .converted- name"),
    ))
}
