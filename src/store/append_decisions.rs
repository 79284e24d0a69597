//! A big batch of decisions (an import) appended without first standing as a batch of
//! events: each decision's journal line is written straight from it, checked, on one of the
//! cores, a chunk at a time, and each chunk is written while the next ones are being made.

mod line_bytes;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use super::journal;
use super::{Decision, LabelStore, StoreError};

/// Below this many decisions the batch is encoded on one core, in one piece.
const BIG: usize = 1 << 15;

/// Decisions a chunk: about 2 MB of journal lines, so that a few chunks a core in flight
/// stay in the cache and their buffers are reused rather than grown.
const CHUNK: usize = 8192;

/// Buffers each encoding thread has: one being filled while the other is written.
const BUFFERS: usize = 2;

impl LabelStore {
    /// Writes `decisions` as events made at `ts` as [`LabelStore::append_all_and_close`]
    /// writes events (all or none, one sync, the same bytes), then closes the store. A big
    /// batch is encoded on every core in chunks, each written as soon as it and those
    /// before it are ready: an invalid event (the first in order is named) or a failed
    /// write cuts the journal back to where it was.
    pub fn append_decisions_and_close(
        mut self,
        decisions: &[Decision],
        ts: u64,
    ) -> Result<(), StoreError> {
        if decisions.is_empty() {
            return Ok(());
        }
        self.take_for_writing()?;
        let path = self.path.clone();
        let encode = |part: &[Decision], lines: &mut Vec<u8>| -> Result<(), StoreError> {
            part.iter()
                .try_for_each(|decision| encode(&path, decision, ts, lines))
        };
        let writer = self.writer_mut()?;
        if decisions.len() < BIG {
            let text: usize = decisions.iter().map(|d| 256 + d.text.len()).sum();
            let mut lines = Vec::with_capacity(text);
            encode(decisions, &mut lines)?;
            return writer.append_pieces(vec![lines]);
        }
        // A panic while encoding is carried on only once the journal is cut back.
        let mut panicked = None;
        let appended = writer.append_streamed(|sink| {
            let streamed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                stream(decisions, &encode, sink)
            }));
            streamed.unwrap_or_else(|panic| {
                panicked = Some(panic);
                let failed = std::io::Error::other("encoding the import's lines failed");
                Err(StoreError::io(&path, "append to label store", failed))
            })
        });
        if let Some(panic) = panicked {
            std::panic::resume_unwind(panic);
        }
        appended
    }
}

/// Appends the checked journal line of `decision` made at `ts` to `lines`.
fn encode(
    path: &Path,
    decision: &Decision,
    ts: u64,
    lines: &mut Vec<u8>,
) -> Result<(), StoreError> {
    // The version and the ignore's empty labels follow from the decision: only the span
    // can be wrong.
    super::replay::check(decision.start, decision.end).map_err(|reason| {
        StoreError::InvalidEvent {
            path: path.to_owned(),
            reason,
        }
    })?;
    if !line_bytes::encode(decision, ts, lines) {
        journal::encode(&decision.event(ts), lines);
    }
    Ok(())
}

/// The lines of `decisions`, encoded a chunk at a time on every core, given to `sink` in
/// order; stops at the first error in order (a chunk's or the sink's).
fn stream(
    decisions: &[Decision],
    encode: &(impl Fn(&[Decision], &mut Vec<u8>) -> Result<(), StoreError> + Sync),
    sink: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let chunks: Vec<&[Decision]> = decisions.chunks(CHUNK).collect();
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (done_tx, done_rx) = mpsc::channel::<(usize, usize, Result<Vec<u8>, StoreError>)>();
    thread::scope(|scope| {
        let mut free = Vec::with_capacity(threads);
        for worker in 0..threads {
            let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
            for _ in 0..BUFFERS {
                let _ = free_tx.send(Vec::new());
            }
            free.push(free_tx);
            let (chunks, next, stop, done) = (&chunks, &next, &stop, done_tx.clone());
            scope.spawn(move || {
                // A chunk is claimed only with a buffer in hand, and a claimed chunk is
                // always sent, so the one to write next is always on its way.
                while let Ok(mut lines) = free_rx.recv() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(k) else { break };
                    lines.clear();
                    let result = encode(chunk, &mut lines).map(|()| lines);
                    if result.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if done.send((k, worker, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let written = (|| {
            let mut waiting = BTreeMap::new();
            for want in 0..chunks.len() {
                let (worker, result) = loop {
                    if let Some(ready) = waiting.remove(&want) {
                        break ready;
                    }
                    let Ok((k, worker, result)) = done_rx.recv() else {
                        panic!("a thread encoding the import's lines stopped early");
                    };
                    waiting.insert(k, (worker, result));
                };
                let lines = result?;
                sink(&lines)?;
                let _ = free[worker].send(lines);
            }
            Ok(())
        })();
        stop.store(true, Ordering::Relaxed);
        drop(free);
        written
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Origin;

    fn decision(i: usize) -> Decision {
        Decision {
            article: format!("a{}", i / 25),
            start: (i % 25) * 20,
            end: (i % 25) * 20 + 14,
            text: format!("Talks {i:08}."),
            labels: Some(vec!["m".into()]),
            origin: Origin::Imported,
            annotator: "ana".into(),
            scores: None,
        }
    }

    #[test]
    fn a_batch_handed_to_the_disk_while_written_is_still_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (by_events, by_decisions) = (dir.path().join("e.jsonl"), dir.path().join("d.jsonl"));
        // Several times the bytes handed to the disk at a time.
        let long = |i: usize| Decision {
            text: format!("Talks {i:08} {}.", "went on ".repeat(100)),
            ..decision(i)
        };
        let decisions: Vec<Decision> = (0..BIG + 3).map(long).collect();
        let lines: usize = decisions.iter().map(|d| d.text.len()).sum();
        assert!(lines as u64 > 3 * crate::store::writeback::STEP);
        let written = write_both_ways(&by_events, &by_decisions, &decisions);
        // The last decision invalid: every byte handed on before it is cut back.
        let mut more: Vec<Decision> = (0..BIG + 3).map(long).collect();
        more.last_mut().unwrap().start = 999_999;
        let store = LabelStore::open_as(&by_decisions, "ana").unwrap();
        let err = store.append_decisions_and_close(&more, 8).unwrap_err();
        assert!(err.to_string().contains("start 999999"), "{err}");
        assert_eq!(std::fs::read(&by_decisions).unwrap(), written);
    }

    /// Writes `decisions` as events to one journal and as decisions to the other, asserts
    /// that both hold the same bytes, and gives them.
    fn write_both_ways(
        by_events: &std::path::Path,
        by_decisions: &std::path::Path,
        decisions: &[Decision],
    ) -> Vec<u8> {
        let events: Vec<_> = decisions.iter().map(|d| d.event(7)).collect();
        let store = LabelStore::open_as(by_events, "ana").unwrap();
        store.append_all_and_close(&events).unwrap();
        let store = LabelStore::open_as(by_decisions, "ana").unwrap();
        store.append_decisions_and_close(decisions, 7).unwrap();
        let written = std::fs::read(by_decisions).unwrap();
        assert_eq!(written, std::fs::read(by_events).unwrap());
        written
    }

    #[test]
    fn a_big_batch_writes_the_lines_of_its_events_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (by_events, by_decisions) = (dir.path().join("e.jsonl"), dir.path().join("d.jsonl"));
        // Several chunks, the last one short; a few decisions the serializer writes.
        let mut decisions: Vec<Decision> = (0..BIG + CHUNK / 2 + 1).map(decision).collect();
        decisions[3].labels = None;
        decisions[5].labels = Some(vec![crate::store::IGNORE.into()]);
        decisions[CHUNK + 1].origin = Origin::Suggestion;
        decisions[CHUNK + 1].scores = Some(crate::store::Scores::new(["m"], &[0.25]));
        decisions[CHUNK + 2].text = "Says \"no\"\t\u{1}.".into();
        let written = write_both_ways(&by_events, &by_decisions, &decisions);

        // Invalid decisions in a later chunk and near the end: nothing of the batch is
        // written (the earlier chunks were, and are cut back), and the first is named.
        for at in [0, 3 * CHUNK + 7, BIG + 10] {
            let mut more: Vec<Decision> = (0..BIG + 1001).map(decision).collect();
            let last = more.len() - 2;
            more[last].end = more[last].start - 1;
            more[at].start = 999_999;
            let store = LabelStore::open_as(&by_decisions, "ana").unwrap();
            let err = store.append_decisions_and_close(&more, 8).unwrap_err();
            assert!(matches!(err, StoreError::InvalidEvent { .. }), "{err}");
            assert!(err.to_string().contains("start 999999"), "{err}");
            assert_eq!(std::fs::read(&by_decisions).unwrap(), written);
        }
        // The store takes the next append as usual.
        let store = LabelStore::open_as(&by_decisions, "ana").unwrap();
        store
            .append_decisions_and_close(&decisions[..2], 9)
            .unwrap();
        assert!(std::fs::read(&by_decisions).unwrap().len() > written.len());
    }
}
