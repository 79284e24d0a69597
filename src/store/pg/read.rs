//! The first read of a store: every row streamed newest first and replayed as a journal's
//! backward pass replays its lines, so only the newest event of each sentence is stored and
//! older ones are checked without being built (no strings per event, and the rows are never
//! held all at once).
//! Rows are replayed as they arrive, while the next ones are received and the server sends
//! more.

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{FromSql, ToSql, Type};

use super::PgStore;
use crate::store::error::StoreError;
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
        received.map_err(Failed::Server)?;
        replayed
    })
}

/// Streams the rows newest first into `send`, a chunk at a time.
fn receive(
    client: &mut Client,
    store: &str,
    send: &std::sync::mpsc::SyncSender<Chunk>,
) -> Result<(), postgres::Error> {
    let params: [&(dyn ToSql + Sync); 1] = [&store];
    let mut rows = client.query_raw(
        "SELECT seq, line FROM stance_events WHERE store = $1 ORDER BY seq DESC",
        params,
    )?;
    let mut chunk = Chunk::default();
    while let Some(row) = rows.next()? {
        let line: Raw = row.get(1);
        chunk.lines.extend_from_slice(line.0);
        chunk.rows.push((row.get(0), chunk.lines.len()));
        if chunk.lines.len() >= CHUNK && send.send(std::mem::take(&mut chunk)).is_err() {
            // The replay stopped: nothing more to read.
            return Ok(());
        }
    }
    let _ = send.send(chunk);
    Ok(())
}

/// A text column's bytes as the server sent them: the replay checks them as it checks a
/// journal's, so checking them here as well would do it twice.
struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> Result<Raw<'a>, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TEXT
    }
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
