//! `csv`: one row per sentence, labels joined by `;` and one 0/1 column per label.

use std::io::{self, Write};

use super::LabelSet;
use super::record::Record;

/// A CSV writer that has written its header row.
pub struct Table<W: Write> {
    out: ::csv::Writer<W>,
    with_split: bool,
    with_ignored: bool,
    with_remarks: bool,
    labels_cell: String,
    index_cell: String,
}

impl<W: Write> Table<W> {
    /// Starts the table: `article_id,sentence_index,text,labels`, one column per label,
    /// then `split` when splitting, `ignored` (1/0) with `--include-ignored`, `flagged`
    /// (1/0), `note` and `article_note` when the store has flags or notes, then one column
    /// per `--meta` field.
    pub fn new(
        out: W,
        labels: &LabelSet,
        with_split: bool,
        with_ignored: bool,
        with_remarks: bool,
        meta: Option<&[String]>,
    ) -> io::Result<Table<W>> {
        let mut out = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(out);
        let fixed = ["article_id", "sentence_index", "text", "labels"];
        let split = with_split.then_some("split");
        let ignored = with_ignored.then_some("ignored");
        let remarks = with_remarks
            .then_some(["flagged", "note", "article_note"])
            .into_iter()
            .flatten();
        let meta = meta.unwrap_or_default().iter().map(String::as_str);
        out.write_record(
            fixed
                .into_iter()
                .chain(labels.names())
                .chain(split)
                .chain(ignored)
                .chain(remarks)
                .chain(meta),
        )
        .map_err(into_io)?;
        Ok(Table {
            out,
            with_split,
            with_ignored,
            with_remarks,
            labels_cell: String::new(),
            index_cell: String::new(),
        })
    }

    /// Writes one row. An unannotated sentence has empty label cells (read as missing
    /// by pandas), a "no stance" one has zeros, an ignored one empty label cells and
    /// `ignored` 1.
    pub fn write(&mut self, record: &Record<'_>, labels: &LabelSet) -> io::Result<()> {
        use std::fmt::Write as _;
        self.labels_cell.clear();
        self.index_cell.clear();
        let _ = write!(self.index_cell, "{}", record.sentence_index);
        if let Some(annotation) = &record.annotation {
            for (n, &i) in annotation.labels.iter().enumerate() {
                if n > 0 {
                    self.labels_cell.push(';');
                }
                self.labels_cell.push_str(labels.name(i));
            }
        }
        let flags = (0..labels.len()).map(|i| match &record.annotation {
            // Not a negative: missing, as for a sentence nobody annotated.
            Some(annotation) if annotation.ignored => "",
            Some(annotation) if annotation.has(i) => "1",
            Some(_) => "0",
            None => "",
        });
        let split = record.split.filter(|_| self.with_split).map(|s| s.as_str());
        let ignored = self.with_ignored.then(|| {
            match record.annotation.as_ref().is_some_and(|a| a.ignored) {
                true => "1",
                false => "0",
            }
        });
        let remarks = self.with_remarks.then(|| {
            let r = &record.remarks;
            [
                if r.flagged { "1" } else { "0" },
                r.note.as_deref().unwrap_or(""),
                r.article_note.as_deref().unwrap_or(""),
            ]
        });
        let fixed = [
            record.article_id,
            &self.index_cell,
            &record.text,
            &self.labels_cell,
        ];
        // A field the article lacks is an empty cell, read as missing by pandas.
        let meta = record
            .meta
            .into_iter()
            .flat_map(|meta| meta.pairs())
            .map(|(_, value)| value.unwrap_or(""));
        self.out
            .write_record(
                fixed
                    .into_iter()
                    .chain(flags)
                    .chain(split)
                    .chain(ignored)
                    .chain(remarks.into_iter().flatten())
                    .chain(meta),
            )
            .map_err(into_io)
    }

    /// Flushes the rows and hands back the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// The underlying I/O error as it is, so a closed pipe is still recognised as one.
fn into_io(err: ::csv::Error) -> io::Error {
    let message = err.to_string();
    match err.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        _ => io::Error::other(message),
    }
}
