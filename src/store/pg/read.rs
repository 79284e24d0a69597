//! The first read of a store: every row streamed newest first and replayed as a journal's
//! backward pass replays its lines, so only the newest event of each sentence is stored and
//! older ones are checked without being built (no strings per event, and the rows are never
//! held all at once).
//! Rows are replayed as they arrive, while the next ones are received and the server sends
//! more.

use postgres::Client;

use super::PgStore;
use crate::store::error::StoreError;
use crate::store::replay::{Replay, parse_line, take};

/// Why a store could not be read.
enum Failed {
    Server(postgres::Error),
    /// The rows' stream was not what the server sends (cut short, or of other columns).
    Stream(String),
    /// The oldest bad row's sequence number, and why it is bad.
    Row(i64, String),
}

impl PgStore {
    /// Reads every row of the store into an empty view and sets `last_seq` to the newest;
    /// a bad row is an error naming the oldest bad one, as a journal names its first bad line.
    pub(super) fn load(&mut self) -> Result<(), StoreError> {
        let conn = self.client.as_mut().expect("connected before loading");
        match replay_rows(&mut conn.client, &self.url.store) {
            Ok((out, newest)) => {
                self.annotations = out.annotations;
                self.overrides = out.overrides;
                self.remarks = out.remarks;
                self.last_seq = newest.unwrap_or(self.last_seq);
                Ok(())
            }
            Err(Failed::Server(e)) => Err(self.db_error("read", &e)),
            Err(Failed::Stream(reason)) => {
                let reason = format!("cannot read ({}): {reason}", self.url.server());
                Err(self.fail(reason))
            }
            Err(Failed::Row(seq, reason)) => Err(self.fail(format!("event {seq}: {reason}"))),
        }
    }
}

/// Bytes of rows handed from the thread that receives them to the one that replays them.
const CHUNK: usize = 1 << 20;

/// Received rows: their lines one after another, each with its sequence number and end.
#[derive(Default)]
struct Chunk {
    lines: Vec<u8>,
    rows: Vec<(i64, usize)>,
}

/// The store's rows replayed, and the newest sequence number (`None`: no rows). One thread
/// receives rows (the client's decoding) while this one parses and keeps them, so with the
/// server's own work three stages run at once.
fn replay_rows(client: &mut Client, store: &str) -> Result<(Replay, Option<i64>), Failed> {
    let (send, chunks) = std::sync::mpsc::sync_channel::<Chunk>(4);
    std::thread::scope(|scope| {
        let receiver = std::thread::Builder::new()
            .name("store read".into())
            .spawn_scoped(scope, move || receive(client, store, &send))
            .expect("the system can start one more thread");
        let replayed = replay(chunks);
        let received = receiver
            .join()
            .expect("the receiving thread does not panic");
        // A server error ends the rows early: it comes first, before what they held.
        received?;
        replayed
    })
}

/// The rows newest first, read as `COPY`'s binary stream: the client hands each row over as
/// bytes, without the row value, column look-up and type checks a query's row costs it.
const ROWS: &str = "SELECT seq, line FROM stance_events WHERE store = {store} ORDER BY seq DESC";

/// Streams the rows newest first into `send`, a chunk at a time.
fn receive(
    client: &mut Client,
    store: &str,
    send: &std::sync::mpsc::SyncSender<Chunk>,
) -> Result<(), Failed> {
    use std::io::BufRead;
    // `COPY` takes no parameters: the server spells the name as a literal it reads back.
    let quoted: String = client
        .query_one("SELECT quote_literal($1::text)", &[&store])
        .map_err(Failed::Server)?
        .get(0);
    let query = ROWS.replace("{store}", &quoted);
    let mut reader = client
        .copy_out(&format!("COPY ({query}) TO STDOUT (FORMAT binary)"))
        .map_err(Failed::Server)?;
    let mut split = Split::default();
    // A row cut between two messages waits here for the rest.
    let mut pending = Vec::new();
    loop {
        let got = reader.fill_buf().map_err(copy_failed)?;
        if got.is_empty() {
            break;
        }
        let taken = got.len();
        if pending.is_empty() {
            let used = split.rows(got)?;
            pending.extend_from_slice(&got[used..]);
        } else {
            pending.extend_from_slice(got);
            let used = split.rows(&pending)?;
            pending.drain(..used);
        }
        reader.consume(taken);
        if split.chunk.lines.len() >= CHUNK && send.send(std::mem::take(&mut split.chunk)).is_err()
        {
            // The replay stopped: nothing more to read.
            return Ok(());
        }
    }
    if !split.ended || !pending.is_empty() {
        return Err(Failed::Stream("the rows ended inside a row".into()));
    }
    let _ = send.send(split.chunk);
    Ok(())
}

/// The server's error inside the `COPY` reader's I/O error.
fn copy_failed(e: std::io::Error) -> Failed {
    match e
        .into_inner()
        .map(|inner| inner.downcast::<postgres::Error>())
    {
        Some(Ok(e)) => Failed::Server(*e),
        Some(Err(other)) => Failed::Stream(other.to_string()),
        None => Failed::Stream("the rows could not be read".into()),
    }
}

/// `COPY`'s binary stream cut into rows: the header, then per row its field count and each
/// field's length and bytes, then a count of -1.
#[derive(Default)]
struct Split {
    header: bool,
    ended: bool,
    chunk: Chunk,
}

/// The first bytes of `COPY`'s binary stream; its flags and header extension's length follow.
const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

impl Split {
    /// Takes the whole rows at the start of `bytes` into the chunk; returns the bytes used.
    fn rows(&mut self, bytes: &[u8]) -> Result<usize, Failed> {
        let bad = |what: &str| Err(Failed::Stream(format!("the rows' stream {what}")));
        let mut at = 0;
        if !self.header {
            let fixed = SIGNATURE.len() + 8;
            if bytes.len() < fixed {
                return Ok(0);
            }
            if !bytes.starts_with(SIGNATURE) {
                return bad("does not start as COPY's binary format");
            }
            let extension = be_u32(&bytes[SIGNATURE.len() + 4..]) as usize;
            if bytes.len() < fixed + extension {
                return Ok(0);
            }
            self.header = true;
            at = fixed + extension;
        }
        while at + 2 <= bytes.len() && !self.ended {
            let row = &bytes[at..];
            match i16::from_be_bytes([row[0], row[1]]) {
                -1 => {
                    self.ended = true;
                    at += 2;
                    break;
                }
                2 => {}
                _ => return bad("has a row of other columns"),
            }
            // The count, the sequence number's length and its 8 bytes, the line's length.
            if row.len() < 18 {
                break;
            }
            if be_u32(&row[2..]) != 8 {
                return bad("has a sequence number not of 8 bytes");
            }
            let seq = i64::from_be_bytes(row[6..14].try_into().expect("8 bytes"));
            let len = be_u32(&row[14..]);
            if len == u32::MAX {
                return bad("has a row without its line");
            }
            let end = 18 + len as usize;
            if row.len() < end {
                break;
            }
            self.chunk.lines.extend_from_slice(&row[18..end]);
            self.chunk.rows.push((seq, self.chunk.lines.len()));
            at += end;
        }
        Ok(at)
    }
}

/// The big-endian number in the first 4 bytes.
fn be_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes"))
}

/// Replays received rows, met newest first, as a journal's backward pass does.
fn replay(chunks: std::sync::mpsc::Receiver<Chunk>) -> Result<(Replay, Option<i64>), Failed> {
    let mut out = Replay::default();
    let (mut boundaries, mut remarks) = (Vec::new(), Vec::new());
    let mut newest = None;
    // The oldest bad row met so far (the pass goes backward).
    let mut first_bad = None;
    for chunk in chunks {
        let mut from = 0;
        for &(seq, end) in &chunk.rows {
            newest.get_or_insert(seq);
            match parse_line(&chunk.lines[from..end]) {
                Ok(line) => take(&mut out, (&mut boundaries, &mut remarks), line),
                Err(reason) => first_bad = Some(Failed::Row(seq, reason)),
            }
            from = end;
        }
    }
    if let Some(bad) = first_bad {
        return Err(bad);
    }
    out.annotations.finish_backward();
    // Met newest first; the few there are go in again in sequence order.
    for event in boundaries.iter().rev() {
        out.overrides.apply(event);
    }
    for event in remarks.iter().rev() {
        out.remarks.apply(event);
    }
    Ok((out, newest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A binary stream as the server sends it: the header with an extension of `extension`
    /// bytes, then each row's sequence number and line, then the end.
    fn stream(extension: usize, rows: &[(i64, &[u8])]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&(extension as u32).to_be_bytes());
        out.extend(std::iter::repeat_n(7u8, extension));
        for (seq, line) in rows {
            out.extend_from_slice(&2i16.to_be_bytes());
            out.extend_from_slice(&8u32.to_be_bytes());
            out.extend_from_slice(&seq.to_be_bytes());
            out.extend_from_slice(&(line.len() as u32).to_be_bytes());
            out.extend_from_slice(line);
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        out
    }

    /// Feeds `bytes` in pieces of `size` as `receive` does; the rows, or the error.
    fn split_in(bytes: &[u8], size: usize) -> Result<Vec<(i64, Vec<u8>)>, String> {
        let mut split = Split::default();
        let mut pending = Vec::new();
        for piece in bytes.chunks(size) {
            pending.extend_from_slice(piece);
            let used = split.rows(&pending).map_err(|e| match e {
                Failed::Stream(reason) => reason,
                _ => unreachable!("splitting meets no server"),
            })?;
            pending.drain(..used);
        }
        assert!(
            split.ended && pending.is_empty(),
            "the whole stream is used"
        );
        let mut from = 0;
        Ok(split
            .chunk
            .rows
            .iter()
            .map(|&(seq, end)| {
                let line = split.chunk.lines[from..end].to_vec();
                from = end;
                (seq, line)
            })
            .collect())
    }

    #[test]
    fn rows_cut_anywhere_between_messages_come_out_whole_and_in_order() {
        let rows: [(i64, &[u8]); 4] = [
            (9, b"{\"a\":\"\\\"\"}"),
            (7, b""),
            (3, b"line\nwith a raw newline and \x1b"),
            (i64::MAX, "Zürich".as_bytes()),
        ];
        let bytes = stream(5, &rows);
        let want: Vec<(i64, Vec<u8>)> = rows.iter().map(|(s, l)| (*s, l.to_vec())).collect();
        for size in [1, 2, 3, 17, 19, 25, bytes.len()] {
            assert_eq!(split_in(&bytes, size).unwrap(), want, "pieces of {size}");
        }
    }

    #[test]
    fn a_stream_not_of_the_rows_asked_for_is_an_error() {
        let mut other = stream(0, &[(1, b"x")]);
        // The row's field count.
        other[19 + 1] = 3;
        let err = split_in(&other, 64).unwrap_err();
        assert!(err.contains("other columns"), "{err}");
        let mut text = stream(0, &[]);
        text[0] = b'1';
        let err = split_in(&text, 64).unwrap_err();
        assert!(err.contains("binary format"), "{err}");
    }
}
