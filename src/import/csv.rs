//! stance's own `csv` export: `article_id,sentence_index,text,labels` (labels joined by `;`)
//! and one 0/1 column per label, which is not read: `labels` says the same. An `annotator`
//! column, when there is one, names who decided.

use super::{At, Imported, ParseError, Parsed};

/// The columns read, by position in the header.
#[derive(Clone, Copy)]
struct Columns {
    text: usize,
    labels: usize,
    article: Option<usize>,
    index: Option<usize>,
    annotator: Option<usize>,
    /// How many fields every row has.
    width: usize,
}

/// Reads the header and every row (a big file on every core); a row is named by the line
/// it starts on.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.len() >= 1 << 20
        && let Some(parsed) = on_every_core(bytes)
    {
        return Ok(parsed);
    }
    // Small files, and every file with a problem, are read in one go, which names the
    // problem as the reader finds it.
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let columns = header(&mut reader)?;
    let mut parsed = Parsed::default();
    let mut record = csv::StringRecord::new();
    loop {
        let at = At::Line(reader.position().line() as usize);
        match reader.read_record(&mut record) {
            Ok(true) => parsed.annotations.push(row(at, &record, columns)?),
            Ok(false) => break,
            Err(err) => return Err(ParseError::record(at, err.to_string())),
        }
    }
    Ok(parsed)
}

fn header(reader: &mut csv::Reader<&[u8]>) -> Result<Columns, ParseError> {
    let header = reader.headers().map_err(|err| ParseError {
        at: Some(At::Line(1)),
        field: None,
        reason: format!("cannot read the header: {err}"),
    })?;
    let column = |name: &str| header.iter().position(|c| c == name);
    let required = |name: &str| {
        column(name).ok_or_else(|| ParseError::field(At::Line(1), name, "no such column"))
    };
    Ok(Columns {
        text: required("text")?,
        labels: required("labels")?,
        article: column("article_id"),
        index: column("sentence_index"),
        annotator: column("annotator"),
        width: header.len(),
    })
}

fn row(at: At, record: &csv::StringRecord, columns: Columns) -> Result<Imported, ParseError> {
    let get = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|v| !v.is_empty());
    let sentence_index = match get(columns.index) {
        Some(n) => Some(n.parse().map_err(|_| {
            ParseError::field(at, "sentence_index", "expected a whole number, 0 or more")
        })?),
        None => None,
    };
    let names = record.get(columns.labels).unwrap_or_default();
    Ok(Imported {
        at,
        text: record.get(columns.text).unwrap_or_default().to_owned(),
        labels: names
            .split(';')
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        annotator: get(columns.annotator).map(str::to_owned),
        article: get(columns.article).map(str::to_owned),
        sentence_index,
        span: None,
    })
}

/// The rows read in pieces cut at line ends outside quotes, one piece per core; `None` at
/// the first problem, for the whole file to be read again in one go.
fn on_every_core(bytes: &[u8]) -> Option<Parsed> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let columns = header(&mut reader).ok()?;
    let position = reader.position();
    let body = bytes.get(position.byte() as usize..)?;
    let pieces = pieces(body, position.line() as usize - 1)?;
    let parts = super::parallel::map(&pieces, 1, |&(before, piece)| {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(piece);
        let mut record = csv::StringRecord::new();
        let mut annotations = Vec::new();
        loop {
            let at = At::Line(before + reader.position().line() as usize);
            match reader.read_record(&mut record) {
                Ok(true) if record.len() == columns.width => {
                    annotations.push(row(at, &record, columns).ok()?);
                }
                Ok(false) => break,
                _ => return None,
            }
        }
        Some(annotations)
    });
    let mut parsed = Parsed::default();
    for part in parts {
        parsed.annotations.extend(part?);
    }
    Some(parsed)
}

/// `body` cut after a line end outside quotes into about one piece per core, each with
/// the number of lines before it (`before` before the first). `None` when a quote opens
/// inside a field (not after a comma, a line end or another quote), where telling what is
/// quoted would take the reader's own rules.
fn pieces(body: &[u8], before: usize) -> Option<Vec<(usize, &[u8])>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut pieces = Vec::with_capacity(threads);
    let (mut start, mut first, mut lines, mut quoted) = (0, before, before, false);
    let mut next = body.len() / threads;
    for at in memchr::memchr2_iter(b'"', b'\n', body) {
        if body[at] == b'"' {
            if !quoted && at > start && !matches!(body[at - 1], b',' | b'\n' | b'\r' | b'"') {
                return None;
            }
            quoted = !quoted;
            continue;
        }
        lines += 1;
        if !quoted && at >= next && pieces.len() + 1 < threads {
            pieces.push((first, &body[start..=at]));
            (start, first) = (at + 1, lines);
            next = start + (body.len() - start) / (threads - pieces.len());
        }
    }
    pieces.push((first, &body[start..]));
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_file_read_on_every_core_is_read_as_in_one_go() {
        let mut file = String::from("article_id,sentence_index,text,labels,annotator\n");
        for i in 0..40_000 {
            file.push_str(&format!(
                "a{i},{},\"Said \"\"{i}\"\",\nthen left.\",x;y,ana\nb{i},0,plain {i},,\n",
                i % 7
            ));
        }
        let bytes = file.as_bytes();
        assert!(bytes.len() >= 1 << 20);
        let parallel = on_every_core(bytes).expect("a well-formed file");
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
        let columns = header(&mut reader).unwrap();
        let mut record = csv::StringRecord::new();
        let mut serial = Vec::new();
        loop {
            let at = At::Line(reader.position().line() as usize);
            if !reader.read_record(&mut record).unwrap() {
                break;
            }
            serial.push(row(at, &record, columns).unwrap());
        }
        assert_eq!(parallel.annotations.len(), 80_000);
        assert_eq!(parallel.annotations, serial);
        assert_eq!(parallel.annotations[2].at, At::Line(5));
    }

    #[test]
    fn a_stray_quote_or_a_bad_row_is_read_in_one_go() {
        let good = "a,0,plain,x\n".repeat(100_000);
        let header = "article_id,sentence_index,text,labels\n";
        let stray = format!("{header}{good}a,0,pl\"ain,x\n{good}");
        assert!(pieces(stray.as_bytes(), 1).is_none());
        let short = format!("{header}{good}a,0\n{good}");
        assert!(on_every_core(short.as_bytes()).is_none());
        let err = parse(short.as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("line 100002: "), "{err}");
    }
}
