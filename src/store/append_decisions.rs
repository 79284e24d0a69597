//! A big batch of decisions (an import) appended without first standing as a batch of
//! events: each decision becomes its event, is checked and is encoded on one of the cores,
//! and only the journal lines are kept until the one write and sync.

use super::journal;
use super::{Decision, LabelStore, StoreError};

/// Below this many decisions the batch is encoded on one core.
const BIG: usize = 1 << 15;

impl LabelStore {
    /// Writes `decisions` as events made at `ts` as [`LabelStore::append_all_and_close`]
    /// writes events (all or none, one write a core's piece and one sync, the same bytes),
    /// then closes the store; the events are made, checked and encoded on every core.
    pub fn append_decisions_and_close(
        mut self,
        mut decisions: Vec<Decision>,
        ts: u64,
    ) -> Result<(), StoreError> {
        if decisions.is_empty() {
            return Ok(());
        }
        let pieces = self.encode_decisions(&mut decisions, ts)?;
        drop(decisions);
        self.take_for_writing()?;
        self.writer_mut()?.append_pieces(pieces)
    }

    /// The journal lines of `decisions` (their strings taken), in pieces to write in order;
    /// on an invalid event, the error of the first in order.
    fn encode_decisions(
        &self,
        decisions: &mut [Decision],
        ts: u64,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        let encode = |part: &mut [Decision]| -> Result<Vec<u8>, StoreError> {
            let text: usize = part.iter().map(|d| 256 + d.text.len()).sum();
            let mut lines = Vec::with_capacity(text + 1);
            for decision in part {
                let event = take(decision).into_event(ts);
                self.check(&event)?;
                journal::encode(&event, &mut lines);
            }
            Ok(lines)
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads < 2 || decisions.len() < BIG {
            return Ok(vec![encode(decisions)?]);
        }
        let size = decisions.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = decisions
                .chunks_mut(size)
                .map(|part| scope.spawn(|| encode(part)))
                .collect();
            parts
                .into_iter()
                .map(|part| {
                    part.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    }
}

/// The decision, its strings moved out of `slot` rather than copied.
fn take(slot: &mut Decision) -> Decision {
    Decision {
        article: std::mem::take(&mut slot.article),
        text: std::mem::take(&mut slot.text),
        labels: slot.labels.take(),
        annotator: std::mem::take(&mut slot.annotator),
        scores: slot.scores.take(),
        ..*slot
    }
}
