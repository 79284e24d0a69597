//! From a CORPUS argument to the files it names: one file, or a folder's files in path order.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::CorpusError;
use crate::{escape, special};

/// How a file's articles are laid out, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One article per file.
    Text,
    /// One JSON object per line.
    JsonLines,
    /// A JSON array of objects (or JSON lines, when the file opens with `{`).
    Json,
    /// A header row, then one article per row, split by this byte.
    Table(u8),
}

impl Format {
    /// The format of a file name, by its extension in any case.
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Text,
            "jsonl" | "ndjson" => Format::JsonLines,
            "json" => Format::Json,
            "csv" => Format::Table(b','),
            "tsv" => Format::Table(b'\t'),
            _ => return None,
        })
    }
}

/// One file to read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where to open it.
    pub path: PathBuf,
    /// The path for messages, as the user wrote it (joined with the folder's entries),
    /// escaped: a file name may hold control characters.
    pub shown: String,
    /// The start of derived article ids: the file's path relative to the argument, with `/`.
    pub id_base: String,
    /// How to read it.
    pub format: Format,
}

/// The files `arg` names: itself, or every supported file under it (recursively, hidden
/// entries skipped, folder links followed once), sorted by path. A FIFO, socket or device
/// is never opened (reading one can block forever): named, it is an error; in a folder, it
/// is skipped with a line in `warnings`.
pub fn expand(arg: &Path, warnings: &mut Vec<String>) -> Result<Vec<SourceFile>, CorpusError> {
    let shown = escape::path(arg);
    let meta = fs::metadata(arg).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => CorpusError::NotFound {
            path: shown.clone(),
        },
        _ => CorpusError::Io {
            path: shown.clone(),
            error,
        },
    })?;
    if let Some(kind) = special::kind(&meta) {
        return Err(CorpusError::NotAFile { path: shown, kind });
    }
    if !meta.is_dir() {
        let format = Format::of(arg).ok_or(CorpusError::Unsupported {
            path: shown.clone(),
        })?;
        let id_base = match arg.file_name() {
            Some(name) => name.to_string_lossy().into_owned(),
            None => shown.clone(),
        };
        return Ok(vec![SourceFile {
            path: arg.to_path_buf(),
            shown,
            id_base,
            format,
        }]);
    }
    let mut found = Vec::new();
    let mut visited = HashSet::new();
    walk(arg, Path::new(""), &mut visited, &mut found, warnings)?;
    if found.is_empty() {
        return Err(CorpusError::NoSupportedFiles { path: shown });
    }
    // Path order compares component by component, so a folder's files stay together.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found
        .into_iter()
        .map(|(relative, format)| {
            let path = arg.join(&relative);
            let id_base = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            SourceFile {
                shown: escape::path(&path),
                path,
                id_base,
                format,
            }
        })
        .collect())
}

fn walk(
    root: &Path,
    relative: &Path,
    visited: &mut HashSet<PathBuf>,
    found: &mut Vec<(PathBuf, Format)>,
    warnings: &mut Vec<String>,
) -> Result<(), CorpusError> {
    let folder = root.join(relative);
    let io_error = |error: io::Error| CorpusError::Io {
        path: escape::path(&folder),
        error,
    };
    // A link back up the tree would otherwise be walked forever.
    if !visited.insert(fs::canonicalize(&folder).map_err(io_error)?) {
        return Ok(());
    }
    for entry in fs::read_dir(&folder).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let child = relative.join(&name);
        let path = entry.path();
        // `fs::metadata` follows links; a dangling link names no file and is left out.
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(CorpusError::Io {
                    path: escape::path(&path),
                    error,
                });
            }
        };
        if meta.is_dir() {
            walk(root, &child, visited, found, warnings)?;
        } else if let Some(format) = Format::of(&path) {
            match special::kind(&meta) {
                Some(kind) => warnings.push(format!(
                    "{}: skipped, not a regular file ({kind})",
                    escape::path(&path)
                )),
                None => found.push((child, format)),
            }
        }
    }
    Ok(())
}
