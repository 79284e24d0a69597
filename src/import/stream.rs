//! A label file read and parsed a chunk at a time: the JSON-lines formats whose lines stand
//! alone (stance's jsonl, spaCy, doccano) are parsed as they are read, each chunk on every
//! core, into one buffer reused, so that a big file is never held whole and its parsing
//! starts with its first bytes. Other formats, and files that start like a JSON array, are
//! read whole and parsed as [`super::parse`] parses them, with the same results.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use thiserror::Error;

use super::json::Start;
use super::{DETECTED, Format, ParseError, Parsed};

/// Bytes read at a time (a chunk is cut at its last line end; a longer line grows it).
const CHUNK: usize = 16 << 20;

/// Why a label file gave no annotations.
#[derive(Debug, Error)]
pub enum FileError {
    /// The file could not be read (or is not a regular file).
    #[error("cannot read")]
    Read(#[source] io::Error),
    /// `--format auto`, and the content looks like no format.
    #[error("cannot tell its format; give --format")]
    Unknown,
    /// A record is not what the format needs.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// The file at `path` read as `format` (`None`: told from its content, as
/// [`super::detect`] tells it): the format and what the file holds, exactly as
/// [`super::parse`] of its whole bytes gives them. A FIFO or device is refused rather than
/// read (it could block forever).
pub fn parse_file(path: &Path, format: Option<Format>) -> Result<(Format, Parsed), FileError> {
    parse_in_chunks(path, format, CHUNK)
}

/// [`parse_file`] a `chunk` of bytes at a time.
fn parse_in_chunks(
    path: &Path,
    format: Option<Format>,
    chunk: usize,
) -> Result<(Format, Parsed), FileError> {
    crate::special::refuse(path).map_err(FileError::Read)?;
    let mut file = File::open(path).map_err(FileError::Read)?;
    let mut head = Vec::new();
    let eof = fill(&mut file, &mut head, chunk.max(DETECTED)).map_err(FileError::Read)?;
    // The first chunk holds all that telling a format of lines reads (the first 64 KiB);
    // an array is told from the whole file.
    let streamed = !eof && !super::starts_an_array(&head);
    if !streamed {
        file.read_to_end(&mut head).map_err(FileError::Read)?;
    }
    let format = match format {
        Some(format) => format,
        None => super::detect(&head).ok_or(FileError::Unknown)?,
    };
    let parse_from: fn(&[u8], Start) -> Result<Parsed, ParseError> = match format {
        Format::Jsonl if streamed => super::jsonl::parse_from,
        Format::Spacy if streamed => super::spacy::parse_from,
        Format::Doccano if streamed => super::doccano::parse_from,
        _ => {
            if streamed {
                file.read_to_end(&mut head).map_err(FileError::Read)?;
            }
            return Ok((format, super::parse(format, &head)?));
        }
    };
    let first = head[..head.len().min(DETECTED)].to_vec();
    let parsed = by_chunks(&mut file, head, chunk, parse_from).map_err(|err| match err {
        FileError::Parse(err) => FileError::Parse(super::looks_like(err, format, &first)),
        other => other,
    })?;
    Ok((format, parsed))
}

/// Parses `buffer` (the first chunk) and the rest of `file` a chunk of whole lines at a
/// time; on a record that does not read, the error of the first.
fn by_chunks(
    file: &mut File,
    mut buffer: Vec<u8>,
    chunk: usize,
    parse_from: fn(&[u8], Start) -> Result<Parsed, ParseError>,
) -> Result<Parsed, FileError> {
    let size = file.metadata().map_or(0, |m| m.len());
    let mut all = Parsed::default();
    let (mut lines, mut eof) = (0, false);
    loop {
        let cut = match memchr::memrchr(b'\n', &buffer) {
            _ if eof => buffer.len(),
            Some(end) => end + 1,
            None => 0,
        };
        if cut > 0 {
            let parsed = parse_from(&buffer[..cut], Start(lines))?;
            if all.annotations.is_empty() {
                // Sized for the whole file from the first chunk, so that it is not grown
                // (and copied) again and again.
                let chunks = usize::try_from(size / cut as u64).unwrap_or(0) + 1;
                all.annotations = parsed.annotations;
                all.annotations.reserve(all.annotations.len() * chunks);
            } else {
                all.annotations.extend(parsed.annotations);
            }
            all.skipped.extend(parsed.skipped);
            lines += memchr::memchr_iter(b'\n', &buffer[..cut]).count();
            buffer.drain(..cut);
        }
        if eof {
            return Ok(all);
        }
        // A line longer than a chunk makes the buffer grow until it ends.
        let want = buffer.len() + chunk;
        eof = fill(file, &mut buffer, want).map_err(FileError::Read)?;
    }
}

/// Reads into `buffer` until it holds `want` bytes (false) or the file ends (true).
fn fill(file: &mut File, buffer: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    buffer.reserve(want.saturating_sub(buffer.len()));
    while buffer.len() < want {
        let room = (want - buffer.len()) as u64;
        match file.by_ref().take(room).read_to_end(buffer) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reading `text` in chunks of `chunk` bytes gives, and what parsing it whole does,
    /// as strings to compare.
    fn both(text: &str, format: Option<Format>, chunk: usize) -> (String, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        std::fs::write(&path, text).unwrap();
        let chunked = match parse_in_chunks(&path, format, chunk) {
            Ok(parsed) => format!("{parsed:?}"),
            Err(err) => err.to_string(),
        };
        let whole = match format.or_else(|| super::super::detect(text.as_bytes())) {
            None => FileError::Unknown.to_string(),
            Some(format) => match super::super::parse(format, text.as_bytes()) {
                Ok(parsed) => format!("{:?}", (format, parsed)),
                Err(err) => err.to_string(),
            },
        };
        (chunked, whole)
    }

    fn line(i: usize) -> String {
        format!(
            "{{\"text\":\"Talks {i} resumed.\",\"labels\":[\"m\"],\"article_id\":\"a{}\",\"annotator\":\"ana\"}}",
            i / 7
        )
    }

    #[test]
    fn chunks_read_as_the_whole_file_does() {
        let mut text = String::from("\u{feff}");
        for i in 0..3000 {
            text.push_str(&line(i));
            text.push_str(match i % 5 {
                0 => "\r\n",
                1 => "\n\n  \n",
                _ => "\n",
            });
        }
        // A line longer than a chunk, and a last line without its newline.
        text.push_str(&line(3000).replace("resumed", &"very ".repeat(20_000)));
        text.push('\n');
        text.push_str(&line(3001));
        assert!(text.len() > 4 * DETECTED);
        for format in [None, Some(Format::Jsonl)] {
            let (chunked, whole) = both(&text, format, 4096);
            assert!(chunked.starts_with("(Jsonl, Parsed"), "{chunked:.200}");
            assert_eq!(chunked, whole);
        }
        let doccano = text
            .replace("\"labels\"", "\"label\"")
            .replace("\"annotator\":\"ana\"", "\"x\":1");
        let (chunked, whole) = both(&doccano, Some(Format::Doccano), 4096);
        assert!(chunked.starts_with("(Doccano, Parsed"), "{chunked:.200}");
        assert_eq!(chunked, whole);
    }

    #[test]
    fn an_error_in_a_later_chunk_names_its_line_as_the_whole_file_does() {
        let mut text: String = (0..3000).map(|i| line(i) + "\n").collect();
        text.push_str("{\"text\":\"a\",\"labels\":\"m\",\"article_id\":\"x\"}\n");
        text.push_str("{\"text\":\"b\"}\n");
        let (chunked, whole) = both(&text, Some(Format::Jsonl), 4096);
        assert_eq!(
            chunked,
            "line 3001: field `labels`: expected a list of strings"
        );
        assert_eq!(chunked, whole);
        // Read as another format: the same word on what the file looks like.
        let (chunked, whole) = both(&text, Some(Format::Spacy), 4096);
        assert!(chunked.contains("looks like jsonl"), "{chunked}");
        assert_eq!(chunked, whole);
        // A byte-order mark at the start of a later line is the line's, not left out.
        let mut marked: String = (0..3000).map(|i| line(i) + "\n").collect();
        marked.push_str(&format!("\u{feff}{}\n", line(3000)));
        let (chunked, whole) = both(&marked, Some(Format::Jsonl), 4096);
        assert!(chunked.starts_with("line 3001: not JSON"), "{chunked}");
        assert_eq!(chunked, whole);
    }
}
