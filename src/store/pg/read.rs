//! The first read of a store: every row streamed newest first and replayed as a journal's
//! backward pass replays its lines, so only the newest event of each sentence is stored and
//! older ones are checked and dropped (the rows are never held all at once; only the text of
//! a decision is copied, on a parsing thread, see [`HeldLine`]).
//! Rows are parsed on every core as they arrive and replayed in order, while the next ones
//! are received and the server sends more.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::PgStore;
use crate::store::error::StoreError;
use crate::store::held::HeldLine;
use crate::store::replay::{Replay, parse_line, take};

/// Why a store could not be read.
enum Failed {
    Server(postgres::Error),
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
            Err(Failed::Row(seq, reason)) => Err(self.fail(format!("event {seq}: {reason}"))),
        }
    }
}

/// Bytes of rows handed from the thread that receives them to the ones that parse them.
const CHUNK: usize = 1 << 20;

/// Received rows: their lines one after another, each with its sequence number and end.
#[derive(Default)]
struct Chunk {
    lines: String,
    rows: Vec<(i64, usize)>,
}

/// A chunk's rows parsed: each line held by its place in the chunk, or why it is bad.
struct Parsed {
    chunk: Chunk,
    lines: Vec<Result<HeldLine, String>>,
}

/// The store's rows replayed, and the newest sequence number (`None`: no rows). One thread
/// receives rows (the client's decoding), one per core parses chunks of them, and this one
/// takes the parsed lines in order: with the server's own work, the stages run at once.
fn replay_rows(client: &mut Client, store: &str) -> Result<(Replay, Option<i64>), Failed> {
    let parsers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (to_parsers, from_receiver): (Vec<_>, Vec<_>) =
        (0..parsers).map(|_| sync_channel::<Chunk>(2)).unzip();
    let (to_replay, parsed): (Vec<_>, Vec<_>) =
        (0..parsers).map(|_| sync_channel::<Parsed>(2)).unzip();
    std::thread::scope(|scope| {
        let receiver = std::thread::Builder::new()
            .name("store read".into())
            .spawn_scoped(scope, move || receive(client, store, &to_parsers))
            .expect("the system can start one more thread");
        let parsing: Vec<_> = from_receiver
            .into_iter()
            .zip(to_replay)
            .map(|(chunks, send)| {
                std::thread::Builder::new()
                    .name("store parse".into())
                    .spawn_scoped(scope, move || parse(&chunks, &send))
                    .expect("the system can start one more thread")
            })
            .collect();
        let replayed = replay(&parsed);
        drop(parsed);
        for parser in parsing {
            parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        let received = receiver
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A server error ends the rows early: it comes first, before what they held.
        received.map_err(Failed::Server)?;
        replayed
    })
}

/// Streams the rows newest first to the parsers, a chunk at a time, each in turn.
fn receive(
    client: &mut Client,
    store: &str,
    parsers: &[SyncSender<Chunk>],
) -> Result<(), postgres::Error> {
    let params: [&(dyn ToSql + Sync); 1] = [&store];
    let mut rows = client.query_raw(
        "SELECT seq, line FROM stance_events WHERE store = $1 ORDER BY seq DESC",
        params,
    )?;
    let mut chunk = Chunk::default();
    let mut turn = parsers.iter().cycle();
    while let Some(row) = rows.next()? {
        let line: &str = row.get(1);
        chunk.lines.push_str(line);
        chunk.rows.push((row.get(0), chunk.lines.len()));
        if chunk.lines.len() >= CHUNK {
            let next = turn.next().expect("at least one parser");
            if next.send(std::mem::take(&mut chunk)).is_err() {
                // The replay stopped: nothing more to read.
                return Ok(());
            }
        }
    }
    let _ = turn.next().expect("at least one parser").send(chunk);
    Ok(())
}

/// Parses each chunk it is given, in the order given.
fn parse(chunks: &Receiver<Chunk>, send: &SyncSender<Parsed>) {
    for chunk in chunks {
        let mut from = 0;
        let lines = chunk
            .rows
            .iter()
            .map(|&(_, end)| {
                let line = parse_line(&chunk.lines.as_bytes()[from..end]);
                from = end;
                line.map(|line| HeldLine::new(&chunk.lines, line))
            })
            .collect();
        if send.send(Parsed { chunk, lines }).is_err() {
            return;
        }
    }
}

/// Replays parsed rows, met newest first, as a journal's backward pass does, taking the
/// parsers' chunks in the turn the receiver handed them out.
fn replay(parsed: &[Receiver<Parsed>]) -> Result<(Replay, Option<i64>), Failed> {
    let mut out = Replay::default();
    let (mut boundaries, mut remarks) = (Vec::new(), Vec::new());
    let mut newest = None;
    // The oldest bad row met so far (the pass goes backward).
    let mut first_bad = None;
    // A parser with nothing more means the rows ended: the next chunk would have been its.
    for Parsed { chunk, lines } in parsed.iter().cycle().map_while(|p| p.recv().ok()) {
        for (&(seq, _), line) in chunk.rows.iter().zip(lines) {
            newest.get_or_insert(seq);
            match line {
                Ok(line) => take(
                    &mut out,
                    (&mut boundaries, &mut remarks),
                    line.line(&chunk.lines),
                ),
                Err(reason) => first_bad = Some(Failed::Row(seq, reason)),
            }
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
