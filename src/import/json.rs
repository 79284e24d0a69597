//! What the JSON formats share: lines with their numbers, and errors that name the field.

use serde::Deserialize;
use serde_json::Value;

use super::{At, ParseError};

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// The lines of `bytes` that are not blank, numbered as if `before` lines came first.
fn lines_after(bytes: &[u8], before: usize) -> impl Iterator<Item = (At, &[u8])> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let now = rest?;
        Some(match memchr::memchr(b'\n', now) {
            Some(end) => {
                rest = Some(&now[end + 1..]);
                &now[..end]
            }
            None => {
                rest = None;
                now
            }
        })
    })
    .enumerate()
    .map(move |(i, line)| {
        (
            At::Line(before + i + 1),
            line.strip_suffix(b"\r").unwrap_or(line),
        )
    })
    .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
}

/// Where a run of whole lines begins in its file: the lines before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Start(pub(super) usize);

impl Start {
    /// The file's beginning, where a byte-order mark is left out.
    pub(super) const FILE: Start = Start(0);
}

/// `read` of each line that is not blank, in file order, numbered from 1 (a byte-order
/// mark before the first is left out); a big file is read on every core. On failure, the error of the first failing line.
pub(super) fn each_line<T: Send>(
    bytes: &[u8],
    read: impl Fn(At, &[u8]) -> Result<T, ParseError> + Sync,
) -> Result<Vec<T>, ParseError> {
    each_line_from(bytes, Start::FILE, read)
}

/// [`each_line`] of whole lines that begin at `start` of their file (a part of it read
/// apart), numbered as there.
pub(super) fn each_line_from<T: Send>(
    bytes: &[u8],
    start: Start,
    read: impl Fn(At, &[u8]) -> Result<T, ParseError> + Sync,
) -> Result<Vec<T>, ParseError> {
    let bytes = if start == Start::FILE {
        without_bom(bytes)
    } else {
        bytes
    };
    let pieces = super::parallel::pieces(bytes);
    let parts = super::parallel::map(&pieces, 1, |&(before, piece)| {
        lines_after(piece, start.0 + before)
            .map(|(at, line)| read(at, line))
            .collect::<Result<Vec<T>, ParseError>>()
    });
    let total = parts
        .iter()
        .map(|p| p.as_ref().map_or(0, Vec::len))
        .sum::<usize>();
    let mut parts = parts.into_iter();
    // The first part grows in place (a big allocation is remapped, not copied), so only
    // the later parts are copied.
    let mut all = parts.next().expect("at least one part")?;
    all.reserve(total - all.len());
    for part in parts {
        all.extend(part?);
    }
    Ok(all)
}

/// The type a field must have.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// A string.
    Str,
    /// A list of strings.
    StrList,
    /// A whole number, 0 or more.
    Count,
    /// An object.
    Object,
}

impl Kind {
    fn fits(self, value: &Value) -> bool {
        match self {
            Kind::Str => value.is_string(),
            Kind::StrList => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            Kind::Count => value.is_u64(),
            Kind::Object => value.is_object(),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Kind::Str => "expected a string",
            Kind::StrList => "expected a list of strings",
            Kind::Count => "expected a whole number, 0 or more",
            Kind::Object => "expected an object",
        }
    }
}

/// A field a record must (or may) have, and its type; `null` counts as absent.
pub(super) type Field = (&'static str, Kind, bool);

/// `line` read as `T`; on failure, an error naming the first field of `fields` that is
/// missing or of the wrong type, else the parser's own words.
pub(super) fn decode<'a, T: Deserialize<'a>>(
    at: At,
    line: &'a [u8],
    fields: &[Field],
) -> Result<T, ParseError> {
    serde_json::from_slice(line).map_err(|err| explain(at, line, fields, &err))
}

fn explain(at: At, line: &[u8], fields: &[Field], err: &serde_json::Error) -> ParseError {
    let value: Value = match serde_json::from_slice(line) {
        Ok(value) => value,
        Err(err) => return ParseError::record(at, format!("not JSON: {}", words(&err))),
    };
    if !value.is_object() {
        return ParseError::record(at, "not a JSON object");
    }
    check(at, &value, fields)
        .err()
        .unwrap_or_else(|| ParseError::record(at, words(err)))
}

/// Checks `fields` of the object `value`, naming the first that is missing or mistyped.
pub(super) fn check(at: At, value: &Value, fields: &[Field]) -> Result<(), ParseError> {
    for &(name, kind, required) in fields {
        match value.get(name) {
            None | Some(Value::Null) if required => {
                return Err(ParseError::field(at, name, "missing"));
            }
            None | Some(Value::Null) => {}
            Some(found) if !kind.fits(found) => {
                return Err(ParseError::field(at, name, kind.expected()));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// serde_json's message without its position, which counts within one line, not the file.
pub(super) fn words(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// A string field of `value`, `None` when absent, null or not a string.
pub(super) fn string(value: &Value, name: &str) -> Option<String> {
    value.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// A whole-number field of `value`, `None` when absent or not one.
pub(super) fn count(value: &Value, name: &str) -> Option<usize> {
    value
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}
