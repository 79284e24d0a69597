//! `stance stores`: the default label stores in the data folder, with the corpus each was
//! last used with, its counts and its last use.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::cli::StoresArgs;
use crate::escape::{self, escape};
use crate::store::{self, OpenedStore, registry};

/// One store as `stance stores` lists it; the `--json` object has these fields.
#[derive(Debug, Serialize)]
struct Row {
    /// The store key: the store's file stem in the labels folder.
    key: String,
    /// The store's path.
    path: String,
    /// The corpus name from the store's record; `None` when it has no record yet.
    corpus: Option<String>,
    /// The paths the corpus was last opened from.
    paths: Vec<String>,
    /// Articles of that corpus.
    articles: Option<usize>,
    /// Live annotations in the store, of every annotator.
    annotations: Option<usize>,
    /// Distinct annotators of those.
    annotators: Option<usize>,
    /// Unix milliseconds of the last write (the record's, else the file's modification time).
    last_used: Option<u64>,
    /// Why the store or its record could not be read, if so.
    problem: Option<String>,
}

/// Runs `stance stores`.
pub fn run(args: &StoresArgs) -> anyhow::Result<ExitCode> {
    let dir = store::labels_dir()?;
    let rows = rows(&dir)?;
    let mut out = io::stdout().lock();
    if args.json {
        for row in &rows {
            let json = serde_json::to_string(row)?;
            writeln!(out, "{}", escape::json(&json))?;
        }
    } else {
        write_table(&mut out, &dir, &rows)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The stores of `dir`, by key: every journal (`KEY.jsonl`) and store folder, and every
/// record whose store is missing (so a record is never silently left behind).
fn rows(dir: &Path) -> anyhow::Result<Vec<Row>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| escape::path(dir)),
    };
    let mut keys = BTreeSet::new();
    for entry in entries {
        let entry = entry.with_context(|| escape::path(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(key) = name.strip_suffix(".corpus.json") {
            keys.insert(key.to_owned());
        } else if let Some(key) = name.strip_suffix(".jsonl") {
            keys.insert(key.to_owned());
        } else if entry.file_type().is_ok_and(|t| t.is_dir()) && !name.starts_with('.') {
            keys.insert(name.to_owned());
        }
    }
    Ok(keys.into_iter().map(|key| row(dir, key)).collect())
}

fn row(dir: &Path, key: String) -> Row {
    let mut problems = Vec::new();
    let record = registry::read(dir, &key).unwrap_or_else(|err| {
        problems.push(format!("{err:#}"));
        None
    });
    let path = store::default_path(&key).unwrap_or_else(|_| dir.join(&key));
    let (annotations, annotators, modified) = if path.exists() {
        match OpenedStore::open_read_only(&path) {
            Ok(store) => {
                let who: BTreeSet<&str> = store.annotations().map(|a| a.annotator()).collect();
                let modified = fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .and_then(|d| u64::try_from(d.as_millis()).ok());
                (Some(store.annotations().count()), Some(who.len()), modified)
            }
            Err(err) => {
                problems.push(err.to_string());
                (None, None, None)
            }
        }
    } else {
        problems.push("no store beside this record".to_owned());
        (None, None, None)
    };
    Row {
        path: path.display().to_string(),
        corpus: record.as_ref().map(|r| r.name.clone()),
        paths: record.as_ref().map(|r| r.paths.clone()).unwrap_or_default(),
        articles: record.as_ref().map(|r| r.articles),
        annotations,
        annotators,
        last_used: record.as_ref().map(|r| r.last_used).or(modified),
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
        key,
    }
}

fn write_table(out: &mut impl Write, dir: &Path, rows: &[Row]) -> io::Result<()> {
    writeln!(out, "stores in {}", escape::path(dir))?;
    if rows.is_empty() {
        return writeln!(out, "(none)");
    }
    let show = |n: Option<usize>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            [
                escape(&row.key).into_owned(),
                row.corpus
                    .as_deref()
                    .map_or_else(|| "(no record)".to_owned(), |c| escape(c).into_owned()),
                show(row.articles),
                show(row.annotations),
                row.last_used.map_or_else(|| "-".to_owned(), utc),
                match (&row.problem, row.paths.is_empty()) {
                    (Some(problem), _) => escape(problem).into_owned(),
                    (None, true) => String::new(),
                    (None, false) => escape(&row.paths.join(", ")).into_owned(),
                },
            ]
        })
        .collect();
    let head = [
        "store",
        "corpus",
        "articles",
        "annotations",
        "last use",
        "last opened from",
    ];
    let mut widths = head.map(|h| h.chars().count());
    for line in &table {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let head = head.map(str::to_owned);
    for line in std::iter::once(&head).chain(&table) {
        let mut text = String::new();
        for (i, (cell, width)) in line.iter().zip(widths).enumerate() {
            if i + 1 == line.len() {
                text.push_str(cell);
            } else {
                let pad = width - cell.chars().count();
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM UTC`.
fn utc(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates_follow_the_calendar() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_717_171_717_000), "2024-05-31 16:08 UTC");
    }
}
