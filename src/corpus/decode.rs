//! Untrusted bytes read as UTF-8 text, as a stream, so that every reader downstream sees
//! valid UTF-8 without the whole file in memory: a NUL byte stops the read (text never holds
//! one), invalid sequences become U+FFFD and are counted, a leading byte-order mark is dropped.

use std::fmt;
use std::io::{self, Read};

const CHUNK: usize = 1 << 16;
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A reader that yields valid UTF-8 from any bytes, or fails at the first NUL byte.
pub struct TextReader<R> {
    inner: R,
    /// Bytes read and not yet decoded; the first `carry` are an incomplete sequence.
    raw: Vec<u8>,
    carry: usize,
    /// File offset of `raw[0]`.
    offset: u64,
    out: Vec<u8>,
    out_pos: usize,
    started: bool,
    eof: bool,
    first_bad: Option<u64>,
    bad: usize,
}

/// The io error payload for a NUL byte, so callers can tell it from a system error.
#[derive(Debug)]
pub struct NulByte(pub u64);

impl fmt::Display for NulByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NUL byte at byte {}", self.0)
    }
}

impl std::error::Error for NulByte {}

/// The offset of the NUL byte when `err` came from a [`TextReader`] meeting one.
pub fn nul_offset(err: &io::Error) -> Option<u64> {
    err.get_ref()?.downcast_ref::<NulByte>().map(|nul| nul.0)
}

impl<R: Read> TextReader<R> {
    /// Wraps `inner`, which is read in large chunks (no need to buffer it first).
    pub fn new(inner: R) -> Self {
        TextReader {
            inner,
            raw: vec![0; CHUNK + 4],
            carry: 0,
            offset: 0,
            out: Vec::with_capacity(CHUNK + 16),
            out_pos: 0,
            started: false,
            eof: false,
            first_bad: None,
            bad: 0,
        }
    }

    /// The offset of the first invalid byte and the number of replaced sequences, if any.
    pub fn invalid(&self) -> Option<(u64, usize)> {
        self.first_bad.map(|first| (first, self.bad))
    }

    /// Reads into `raw[from..]`, retrying interruptions; 0 at the end of input.
    fn read_raw(&mut self, from: usize) -> io::Result<usize> {
        loop {
            match self.inner.read(&mut self.raw[from..]) {
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                result => return result,
            }
        }
    }

    fn note_bad(&mut self, at: u64) {
        self.first_bad.get_or_insert(at);
        self.bad += 1;
    }

    /// Decodes the next chunk into `out`.
    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        let mut len = self.carry;
        loop {
            let n = self.read_raw(len)?;
            len += n;
            // A short first read must not hide a byte-order mark.
            if n == 0 || self.started || len >= BOM.len() {
                break;
            }
        }
        if len == self.carry {
            self.eof = true;
            if self.carry > 0 {
                self.note_bad(self.offset);
                self.out.extend_from_slice(REPLACEMENT);
                self.carry = 0;
            }
            return Ok(());
        }
        let fresh = &self.raw[self.carry..len];
        if fresh.contains(&0) {
            let at = fresh.iter().position(|&b| b == 0).unwrap_or(0);
            let offset = self.offset + (self.carry + at) as u64;
            return Err(io::Error::new(io::ErrorKind::InvalidData, NulByte(offset)));
        }
        let mut pos = 0;
        if !self.started {
            self.started = true;
            if self.raw[..len].starts_with(BOM) {
                pos = BOM.len();
            }
        }
        while pos < len {
            match std::str::from_utf8(&self.raw[pos..len]) {
                Ok(_) => {
                    self.out.extend_from_slice(&self.raw[pos..len]);
                    pos = len;
                }
                Err(err) => {
                    let good = err.valid_up_to();
                    self.out.extend_from_slice(&self.raw[pos..pos + good]);
                    pos += good;
                    match err.error_len() {
                        Some(bad) => {
                            self.note_bad(self.offset + pos as u64);
                            self.out.extend_from_slice(REPLACEMENT);
                            pos += bad;
                        }
                        // An incomplete sequence at the end: its rest may be in the next chunk.
                        None => break,
                    }
                }
            }
        }
        self.raw.copy_within(pos..len, 0);
        self.carry = len - pos;
        self.offset += pos as u64;
        Ok(())
    }
}

impl<R: Read> Read for TextReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` one at a time, the worst case for sequences split across reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.is_empty()) {
                (Some((&b, rest)), false) => {
                    buf[0] = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn decode(bytes: &[u8]) -> (io::Result<String>, Option<(u64, usize)>) {
        let mut reader = TextReader::new(Trickle(bytes));
        let mut text = String::new();
        let result = reader.read_to_string(&mut text).map(|_| text);
        (result, reader.invalid())
    }

    #[test]
    fn valid_text_passes_unchanged_across_split_reads() {
        let text = "Séoul 서울 — 東京 🙂 done";
        let (out, invalid) = decode(text.as_bytes());
        assert_eq!(out.unwrap(), text);
        assert_eq!(invalid, None);
    }

    #[test]
    fn invalid_bytes_become_replacement_with_first_offset() {
        let (out, invalid) = decode(b"ab\xFFcd\xC3(e\xE2\x82");
        assert_eq!(out.unwrap(), "ab\u{FFFD}cd\u{FFFD}(e\u{FFFD}");
        assert_eq!(invalid, Some((2, 3)));
    }

    #[test]
    fn bom_is_dropped_only_at_the_start() {
        let (out, _) = decode(b"\xEF\xBB\xBFtitle\xEF\xBB\xBF");
        assert_eq!(out.unwrap(), "title\u{FEFF}");
    }

    #[test]
    fn nul_byte_is_an_error_with_its_offset() {
        let mut reader = TextReader::new(&b"abc\0def"[..]);
        let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(nul_offset(&err), Some(3));
    }
}
