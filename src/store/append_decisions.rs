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
        crate::cores::parts_mut(decisions, BIG, encode)
            .into_iter()
            .collect()
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
    fn a_big_batch_writes_the_lines_of_its_events_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (by_events, by_decisions) = (dir.path().join("e.jsonl"), dir.path().join("d.jsonl"));
        let decisions: Vec<Decision> = (0..BIG + 1001).map(decision).collect();
        let events: Vec<_> = decisions.iter().map(|d| d.event(7)).collect();
        let store = LabelStore::open_as(&by_events, "ana").unwrap();
        store.append_all_and_close(&events).unwrap();
        let store = LabelStore::open_as(&by_decisions, "ana").unwrap();
        store.append_decisions_and_close(decisions, 7).unwrap();
        let written = std::fs::read(&by_decisions).unwrap();
        assert_eq!(written, std::fs::read(&by_events).unwrap());

        // An invalid decision near the end: nothing of the batch is written.
        let mut more: Vec<Decision> = (0..BIG + 1001).map(decision).collect();
        let last = more.len() - 2;
        more[last].end = more[last].start - 1;
        let store = LabelStore::open_as(&by_decisions, "ana").unwrap();
        let err = store.append_decisions_and_close(more, 8).unwrap_err();
        assert!(matches!(err, StoreError::InvalidEvent { .. }), "{err}");
        assert_eq!(std::fs::read(&by_decisions).unwrap(), written);
    }
}
