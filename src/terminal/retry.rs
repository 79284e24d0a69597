//! Writes the store could not make because it could not be reached (a PostgreSQL server
//! down or cut off), sent again by the store worker on its own.
//!
//! A write refused for that reason ([`crate::store::StoreError::retry_later`]) is reported
//! `SaveFailed` at once, so the screen says NOT SAVED, and waits here. Every later write
//! waits behind it, so the store receives them in the order they were made. The queue is
//! sent again after 0.25 s, then after twice as long each time it fails again, up to 5 s;
//! each write that then succeeds is reported `Saved`. The store sends a decision again with
//! the unique id it first carried, so one whose commit landed while its acknowledgement was
//! lost is not written twice.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use crate::app::{Action, Position};
use crate::store::{BoundaryChange, Decision, Remark, Store, StoreError};

/// The first wait before sending again.
const FIRST_DELAY: Duration = Duration::from_millis(250);

/// The longest wait between two attempts.
const LONGEST_DELAY: Duration = Duration::from_secs(5);

/// One write for the store, with the numbers the session reports it under.
pub(super) enum Write {
    /// A decision; several numbers when the same decision was made again while it waited.
    Save { seqs: Vec<u64>, decision: Decision },
    /// Decisions written as one atomic step.
    SaveAll(Vec<(u64, Decision)>),
    /// A boundary override.
    Boundary { seq: u64, change: BoundaryChange },
    /// A flag or note.
    Remark { seq: u64, remark: Remark },
}

impl Write {
    fn seqs(&self) -> Vec<u64> {
        match self {
            Write::Save { seqs, .. } => seqs.clone(),
            Write::SaveAll(saves) => saves.iter().map(|(seq, _)| *seq).collect(),
            Write::Boundary { seq, .. } | Write::Remark { seq, .. } => vec![*seq],
        }
    }

    fn send(&self, store: &mut dyn Store) -> Result<(), StoreError> {
        match self {
            Write::Save { decision, .. } => store.append(decision),
            Write::SaveAll(saves) => {
                let decisions: Vec<Decision> = saves.iter().map(|(_, d)| d.clone()).collect();
                store.append_all(&decisions)
            }
            Write::Boundary { change, .. } => store.append_boundary(change),
            Write::Remark { remark, .. } => store.append_remark(remark),
        }
    }
}

/// Whether two decisions are on the same sentence by the same annotator.
fn same_sentence(a: &Decision, b: &Decision) -> bool {
    (a.article.as_str(), a.start, a.end, a.annotator.as_str())
        == (b.article.as_str(), b.start, b.end, b.annotator.as_str())
}

/// The writes waiting for the store to answer again, oldest first.
pub(super) struct Retries {
    queue: VecDeque<Write>,
    delay: Duration,
    due: Instant,
    /// Why the last attempt failed, for writes that join the queue.
    reason: String,
    /// The annotator's newest position, held back while writes wait.
    pub(super) position: Option<Position>,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            queue: VecDeque::new(),
            delay: FIRST_DELAY,
            due: Instant::now(),
            reason: String::new(),
            position: None,
        }
    }
}

impl Retries {
    /// Whether writes wait for the store.
    pub(super) fn waiting(&self) -> bool {
        !self.queue.is_empty()
    }

    /// How long until the next attempt is due; `None` when nothing waits.
    pub(super) fn due_in(&self) -> Option<Duration> {
        self.waiting()
            .then(|| self.due.saturating_duration_since(Instant::now()))
    }

    /// Carries out a new write: at once when nothing waits, else behind what waits (it is
    /// reported not saved until its turn comes). Returns whether it was saved.
    pub(super) fn write(
        &mut self,
        store: &mut dyn Store,
        write: Write,
        reports: &Sender<Action>,
    ) -> bool {
        if self.waiting() {
            for seq in write.seqs() {
                refused(reports, seq, &self.reason, false);
            }
            self.enqueue(write);
            return false;
        }
        match write.send(store) {
            Ok(()) => {
                saved(reports, &write);
                true
            }
            Err(err) if err.retry_later() => {
                self.reason = retrying(&err);
                for seq in write.seqs() {
                    refused(reports, seq, &self.reason, false);
                }
                self.queue.push_back(write);
                self.delay = FIRST_DELAY;
                self.due = Instant::now() + self.delay;
                false
            }
            Err(err) => {
                for seq in write.seqs() {
                    refused(reports, seq, &err.to_string(), err.needs_recreate());
                }
                false
            }
        }
    }

    /// A decision made again, unchanged, while the last write of its sentence waits joins
    /// that write rather than being written twice; anything else waits at the end.
    fn enqueue(&mut self, write: Write) {
        if let Write::Save { seqs, decision } = &write {
            let last = self.queue.iter_mut().rev().find_map(|w| match w {
                Write::Save {
                    seqs: queued,
                    decision: d,
                } if same_sentence(d, decision) => Some(Some((queued, d == decision))),
                Write::SaveAll(saves) if saves.iter().any(|(_, d)| same_sentence(d, decision)) => {
                    Some(None)
                }
                _ => None,
            });
            if let Some(Some((queued, true))) = last {
                queued.extend(seqs);
                return;
            }
        }
        self.queue.push_back(write);
    }

    /// Sends what waits again, in order, when the attempt is due (or at once, with `now`);
    /// stops at the first write the store still cannot reach. Returns whether any was saved.
    pub(super) fn send_again(
        &mut self,
        store: &mut dyn Store,
        reports: &Sender<Action>,
        now: bool,
    ) -> bool {
        if !self.waiting() || (!now && Instant::now() < self.due) {
            return false;
        }
        let mut any = false;
        while let Some(write) = self.queue.front() {
            match write.send(store) {
                Ok(()) => {
                    saved(reports, write);
                    any = true;
                    self.queue.pop_front();
                }
                Err(err) if err.retry_later() => {
                    self.reason = retrying(&err);
                    self.delay = (self.delay * 2).min(LONGEST_DELAY);
                    self.due = Instant::now() + self.delay;
                    return any;
                }
                // Refused by the store itself: sending it again would not help, so it stays
                // NOT SAVED until the analyst decides again.
                Err(err) => {
                    for seq in write.seqs() {
                        refused(reports, seq, &err.to_string(), err.needs_recreate());
                    }
                    self.queue.pop_front();
                }
            }
        }
        self.delay = FIRST_DELAY;
        any
    }
}

/// The reason shown while a write waits to be sent again.
fn retrying(err: &StoreError) -> String {
    format!("retrying: {err}")
}

fn saved(reports: &Sender<Action>, write: &Write) {
    for seq in write.seqs() {
        let _ = reports.send(Action::Saved(seq));
    }
}

fn refused(reports: &Sender<Action>, seq: u64, reason: &str, recreate: bool) {
    let _ = reports.send(Action::SaveFailed {
        seq,
        reason: reason.to_owned(),
        recreate,
    });
}
