//! The first read of a store: every row streamed newest first and replayed as a journal's
//! backward pass replays its lines, so only the newest event of each sentence is stored and
//! older ones are checked without being built (no strings per event, and the rows are never
//! held all at once).
//! Rows are replayed as they arrive, while the next ones are received and the server sends
//! more. They are received on a connection of the read's own, driven by one pass of the
//! client's runtime for the whole read rather than one entry into it per row (the session's
//! connection, which the synchronous client drives, enters it once per message: the server
//! sends one message per row); when that connection cannot be made (a role's connection
//! limit, say) they come over the session's.

use std::sync::mpsc::{Receiver, Sender, SyncSender};

use postgres::Client;

use super::{PgStore, PgUrl};
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
        match replay_rows(&self.url, &mut conn.client) {
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

impl Chunk {
    /// An empty chunk that holds a full one without growing (a row past [`CHUNK`] aside).
    fn sized() -> Chunk {
        Chunk {
            lines: Vec::with_capacity(CHUNK + (CHUNK >> 4)),
            rows: Vec::with_capacity(CHUNK >> 7),
        }
    }
}

/// The store's rows replayed, and the newest sequence number (`None`: no rows). One thread
/// receives rows (the client's decoding) while this one parses and keeps them, so with the
/// server's own work three stages run at once. Replayed chunks go back to be filled again,
/// so their memory is not asked of the system (and zeroed by it) anew for every chunk.
fn replay_rows(url: &PgUrl, client: &mut Client) -> Result<(Replay, Option<i64>), Failed> {
    let (send, chunks) = std::sync::mpsc::sync_channel::<Chunk>(4);
    let (give_back, spare) = std::sync::mpsc::channel::<Chunk>();
    std::thread::scope(|scope| {
        let receiver = std::thread::Builder::new()
            .name("store read".into())
            .spawn_scoped(scope, move || {
                let mut feed = Feed {
                    split: Split::default(),
                    pending: Vec::new(),
                    send,
                    spare,
                };
                feed.split.chunk = Chunk::sized();
                receive(url, client, feed)
            })
            .expect("the system can start one more thread");
        let replayed = replay(chunks, &give_back);
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

/// The `COPY` of `store`'s rows; `COPY` takes no parameters, so the name is spelt as a
/// literal.
fn copy_of(store: &str) -> String {
    let query = ROWS.replace("{store}", &literal(store));
    format!("COPY ({query}) TO STDOUT (FORMAT binary)")
}

/// `text` as an SQL string literal, spelt as the server's `quote_literal` spells it: quotes
/// and backslashes doubled, and an escape string (`E'…'`) when a backslash is in it, which
/// reads the same whatever `standard_conforming_strings` says.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 3);
    if text.contains('\\') {
        out.push('E');
    }
    out.push('\'');
    for c in text.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Streams the rows newest first into the replay, a chunk at a time: over a connection of
/// its own, else over the session's `client`.
fn receive(url: &PgUrl, client: &mut Client, mut feed: Feed) -> Result<(), Failed> {
    let copy = copy_of(&url.store);
    if let Some(read) = receive_own(url, &copy, &mut feed) {
        return read.and_then(|()| feed.end());
    }
    use std::io::BufRead;
    let mut reader = client.copy_out(&copy).map_err(Failed::Server)?;
    loop {
        let got = reader.fill_buf().map_err(copy_failed)?;
        if got.is_empty() {
            break;
        }
        let taken = got.len();
        if !feed.take(got)? {
            return Ok(());
        }
        reader.consume(taken);
    }
    feed.end()
}

/// The rows read over a connection of this read's own, in one pass of a runtime of its
/// own; `None` when that connection cannot be made (nothing was read then).
fn receive_own(url: &PgUrl, copy: &str, feed: &mut Feed) -> Option<Result<(), Failed>> {
    use futures_util::TryStreamExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        let (client, connection) = url.config.connect(super::tls(url)).await.ok()?;
        let connection = tokio::spawn(connection);
        let read = async {
            let rows = client.copy_out(copy).await.map_err(Failed::Server)?;
            let mut rows = std::pin::pin!(rows);
            while let Some(message) = rows.try_next().await.map_err(Failed::Server)? {
                if !feed.take(&message)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        .await;
        drop(client);
        match read {
            // The connection says goodbye to the server and ends.
            Ok(true) => {
                let _ = connection.await;
            }
            // Rows the server still sends are not waited for.
            _ => connection.abort(),
        }
        Some(read.map(|_| ()))
    })
}

/// Cuts received bytes into rows and hands them to the replay a chunk at a time.
struct Feed {
    split: Split,
    /// A row cut between two messages waits here for the rest.
    pending: Vec<u8>,
    send: SyncSender<Chunk>,
    /// Chunks the replay is done with, to fill again.
    spare: Receiver<Chunk>,
}

impl Feed {
    /// Takes the next bytes of the stream; `false` once the replay stopped (nothing more
    /// needs reading).
    fn take(&mut self, got: &[u8]) -> Result<bool, Failed> {
        if self.pending.is_empty() {
            let used = self.split.rows(got)?;
            self.pending.extend_from_slice(&got[used..]);
        } else {
            self.pending.extend_from_slice(got);
            let used = self.split.rows(&self.pending)?;
            self.pending.drain(..used);
        }
        if self.split.chunk.lines.len() < CHUNK {
            return Ok(true);
        }
        let next = self.spare.try_recv().unwrap_or_else(|_| Chunk::sized());
        let full = std::mem::replace(&mut self.split.chunk, next);
        Ok(self.send.send(full).is_ok())
    }

    /// Checks that the stream ended after a whole row, and hands over the last rows.
    fn end(self) -> Result<(), Failed> {
        if !self.split.ended || !self.pending.is_empty() {
            return Err(Failed::Stream("the rows ended inside a row".into()));
        }
        let _ = self.send.send(self.split.chunk);
        Ok(())
    }
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

/// Replays received rows, met newest first, as a journal's backward pass does; each chunk
/// replayed goes back, emptied, through `give_back`.
fn replay(
    chunks: Receiver<Chunk>,
    give_back: &Sender<Chunk>,
) -> Result<(Replay, Option<i64>), Failed> {
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
        let mut chunk = chunk;
        chunk.lines.clear();
        chunk.rows.clear();
        let _ = give_back.send(chunk);
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
        let (send, chunks) = std::sync::mpsc::sync_channel(1 << 10);
        let (give_back, spare) = std::sync::mpsc::channel();
        // One spare chunk, as the replay gives them back.
        give_back.send(Chunk::sized()).unwrap();
        let mut feed = Feed {
            split: Split::default(),
            pending: Vec::new(),
            send,
            spare,
        };
        let reason = |e| match e {
            Failed::Stream(reason) => reason,
            _ => unreachable!("splitting meets no server"),
        };
        for piece in bytes.chunks(size) {
            assert!(feed.take(piece).map_err(reason)?, "the replay listens");
        }
        feed.end().map_err(reason)?;
        let mut out = Vec::new();
        for chunk in chunks.try_iter() {
            let mut from = 0;
            for &(seq, end) in &chunk.rows {
                out.push((seq, chunk.lines[from..end].to_vec()));
                from = end;
            }
        }
        Ok(out)
    }

    #[test]
    fn rows_filling_several_chunks_come_out_in_order() {
        let line = vec![b'x'; 5000];
        let rows: Vec<(i64, &[u8])> = (0..700).rev().map(|seq| (seq, &line[..])).collect();
        let bytes = stream(0, &rows);
        assert!(bytes.len() > 3 * CHUNK, "more than three chunks");
        let got = split_in(&bytes, 8192).unwrap();
        let seqs: Vec<i64> = got.iter().map(|(seq, _)| *seq).collect();
        assert_eq!(seqs, (0..700).rev().collect::<Vec<_>>());
        assert!(got.iter().all(|(_, l)| *l == line));
    }

    #[test]
    fn a_stream_cut_inside_a_row_is_an_error() {
        let bytes = stream(0, &[(1, b"a line")]);
        let err = split_in(&bytes[..bytes.len() - 4], 64).unwrap_err();
        assert!(err.contains("ended inside a row"), "{err}");
    }

    #[test]
    fn a_name_is_spelt_as_the_server_quotes_it() {
        assert_eq!(literal("news"), "'news'");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal(r"a\b'c"), r"E'a\\b''c'");
        assert_eq!(literal(""), "''");
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
