//! CSV and TSV files: a header row, then one article per row, read as a stream.

use std::io::Read;

use csv::{ErrorKind, ReaderBuilder, StringRecord};

use super::decode::TextReader;
use super::files::SourceFile;
use super::load::{BadEntries, IdField, Loader, entry_id, read_error};
use super::plain::clean_title;
use super::{Article, CorpusError, quote};

/// Reads every row of a table split by `delimiter`; ids default to `file#row`, where row
/// counts data rows from 1 (the header is not one).
pub fn read<R: Read>(
    loader: &mut Loader<'_>,
    file: &SourceFile,
    delimiter: u8,
    reader: &mut TextReader<R>,
    bad: &mut BadEntries,
) -> Result<(), CorpusError> {
    let mut table = ReaderBuilder::new()
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let header = table.headers().map_err(|err| csv_error(file, err))?.clone();
    let column = |name: &str| header.iter().position(|h| h == name);
    let text_at = column(loader.text_field).ok_or_else(|| CorpusError::MissingColumn {
        path: file.shown.clone(),
        column: loader.text_field.to_owned(),
        found: header.iter().map(quote).collect::<Vec<_>>().join(", "),
    })?;
    let id_at = loader.id_field.pick(header.iter(), loader.text_field);
    if let (IdField::Named(name), None) = (loader.id_field, id_at) {
        return Err(CorpusError::MissingIdColumn {
            path: file.shown.clone(),
            column: name.to_owned(),
            found: header.iter().map(quote).collect::<Vec<_>>().join(", "),
        });
    }
    let id_name = id_at.map(|(_, name)| name);
    let id_at = id_at.map(|(at, _)| at);
    let title_at = column("title");
    let meta_at: Vec<usize> = (0..header.len())
        .filter(|&i| i != text_at && Some(i) != id_at && Some(i) != title_at)
        .collect();

    let mut record = StringRecord::new();
    let mut row = 0u64;
    loop {
        match table.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                row += 1;
                let line = record.position().map_or(0, |p| p.line());
                let place = format!("{}:line {line}", file.shown);
                let id = match entry_id(id_at.map(|i| &record[i]), &file.id_base, row) {
                    Ok(id) => id,
                    Err(reason) => {
                        bad.handle(format!("{place} (row {row})"), reason)?;
                        continue;
                    }
                };
                let meta = meta_at
                    .iter()
                    .map(|&i| (header[i].to_owned(), record[i].to_owned()))
                    .collect();
                let article = Article {
                    id,
                    title: title_at
                        .map(|i| clean_title(&record[i]))
                        .unwrap_or_default(),
                    text: record[text_at].to_owned(),
                    meta,
                    source: place,
                };
                loader.push(article, id_name);
            }
            Err(err) => match err.kind() {
                ErrorKind::UnequalLengths {
                    pos,
                    expected_len,
                    len,
                } => {
                    row += 1;
                    let line = pos.as_ref().map_or(0, |p| p.line());
                    let place = format!("{}:line {line} (row {row})", file.shown);
                    bad.handle(
                        place,
                        format!("{len} fields where the header has {expected_len}"),
                    )?;
                }
                _ => return Err(csv_error(file, err)),
            },
        }
    }
}

fn csv_error(file: &SourceFile, err: csv::Error) -> CorpusError {
    let place = match err.position() {
        Some(position) => format!("{}:line {}", file.shown, position.line()),
        None => file.shown.clone(),
    };
    let reason = err.to_string();
    match err.into_kind() {
        ErrorKind::Io(io) => read_error(&file.shown, io),
        _ => CorpusError::BadFile { place, reason },
    }
}
