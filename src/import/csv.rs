//! stance's own `csv` export: `article_id,sentence_index,text,labels` (labels joined by `;`)
//! and one 0/1 column per label, which is not read: `labels` says the same. An `annotator`
//! column, when there is one, names who decided.

use super::{At, Imported, ParseError, Parsed};

/// Reads the header and every row; a row is named by the line it starts on.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header = reader.headers().map_err(|err| ParseError {
        at: Some(At::Line(1)),
        field: None,
        reason: format!("cannot read the header: {err}"),
    })?;
    let column = |name: &str| header.iter().position(|c| c == name);
    let required = |name: &str| {
        column(name).ok_or_else(|| ParseError::field(At::Line(1), name, "no such column"))
    };
    let (text, labels) = (required("text")?, required("labels")?);
    let (article, index, annotator) = (
        column("article_id"),
        column("sentence_index"),
        column("annotator"),
    );
    let mut parsed = Parsed::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        let at = At::Line(line);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(ParseError::record(at, err.to_string())),
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|v| !v.is_empty());
        let sentence_index = match get(index) {
            Some(n) => Some(n.parse().map_err(|_| {
                ParseError::field(at, "sentence_index", "expected a whole number, 0 or more")
            })?),
            None => None,
        };
        let names = record.get(labels).unwrap_or_default();
        parsed.annotations.push(Imported {
            at,
            text: record.get(text).unwrap_or_default().to_owned(),
            labels: names
                .split(';')
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            annotator: get(annotator).map(str::to_owned),
            article: get(article).map(str::to_owned),
            sentence_index,
            span: None,
        });
    }
    Ok(parsed)
}
