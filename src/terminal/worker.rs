//! The store worker: the one thread that writes the label store and the position file, so
//! the event loop never waits for a disk (or, later, a network).
//!
//! Jobs are carried out one at a time in the order they were sent (a channel is FIFO), and
//! each save is reported back as `Saved(seq)` only after the store's append returned, that is
//! after the line is synced. Recreating the store is a job like a save, so the saves sent
//! before it are refused or saved before it runs and those sent after it go to the new
//! journal. Between jobs the worker asks the store for decisions that other
//! sessions appended and passes them on as `Arrived`. Writes refused only because the store
//! could not be reached are sent again by the worker on its own ([`super::retry`]).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::position;
use super::retry::{Retries, Write};
use crate::app::{Action, Position};
use crate::store::{BoundaryChange, Decision, Remark, Store};

/// How often an idle worker asks the store for others' decisions.
const ARRIVALS_EVERY: Duration = Duration::from_millis(500);

/// Work for the store worker.
enum Job {
    /// Append a decision, then report `Saved(seq)` or `SaveFailed`.
    Save { seq: u64, decision: Decision },
    /// Append decisions as one atomic write, then report each number saved or failed.
    SaveAll(Vec<(u64, Decision)>),
    /// Record the annotator's position in the position file.
    Position(Position),
    /// Write the store back where it belongs, then report `Recreated` or `RecreateFailed`.
    Recreate,
    /// Append a boundary override, then report `Saved(seq)` or `SaveFailed`.
    Boundary { seq: u64, change: BoundaryChange },
    /// Append a flag or note, then report `Saved(seq)` or `SaveFailed`.
    Remark { seq: u64, remark: Remark },
}

/// What waits for the session's first successful write: a session that only reads leaves
/// nothing behind it.
pub struct FirstWrite {
    /// Writes the files that go beside a written store (its registry record, the schema
    /// kept with it) and says what could not be written. Run on the worker, after the
    /// first write, so no first frame waits for their syncs.
    pub side_files: Box<dyn FnOnce() -> Vec<String> + Send>,
    /// The store held the annotator's journal when the session opened: the position file
    /// is written from the start, not only after a write.
    pub store_existed: bool,
}

/// The handle the event loop keeps on the worker thread.
pub struct StoreWorker {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl StoreWorker {
    /// Moves `store` to a new thread that reports on `reports`; positions of `annotator` go
    /// to `position_file`.
    pub fn spawn(
        store: Box<dyn Store>,
        position_file: PathBuf,
        annotator: String,
        reports: Sender<Action>,
    ) -> StoreWorker {
        let first_write = FirstWrite {
            side_files: Box::new(Vec::new),
            store_existed: true,
        };
        StoreWorker::spawn_with(store, position_file, annotator, first_write, reports)
    }

    /// As [`StoreWorker::spawn`], with what the session's first write brings.
    pub fn spawn_with(
        store: Box<dyn Store>,
        position_file: PathBuf,
        annotator: String,
        first_write: FirstWrite,
        reports: Sender<Action>,
    ) -> StoreWorker {
        let (jobs, queue) = channel();
        let thread = std::thread::Builder::new()
            .name("store".into())
            .spawn(move || {
                work(
                    store,
                    &queue,
                    &mut Places {
                        position_file,
                        annotator,
                        written: first_write.store_existed,
                        side_files: Some(first_write.side_files),
                    },
                    &reports,
                )
            })
            .expect("the system can start one more thread");
        StoreWorker {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    /// Queues a decision; it is reported back once synced (or failed).
    pub fn save(&self, seq: u64, decision: Decision) {
        self.send(Job::Save { seq, decision });
    }

    /// Queues a boundary override; it is reported back once synced (or failed), in order
    /// with the decisions.
    pub fn save_boundary(&self, seq: u64, change: BoundaryChange) {
        self.send(Job::Boundary { seq, change });
    }

    /// Queues a flag or note; it is reported back once synced (or failed), in order with
    /// the decisions.
    pub fn save_remark(&self, seq: u64, remark: Remark) {
        self.send(Job::Remark { seq, remark });
    }

    /// Queues decisions to be written as one atomic step; each is reported back once the
    /// step is synced (or failed).
    pub fn save_all(&self, saves: Vec<(u64, Decision)>) {
        self.send(Job::SaveAll(saves));
    }

    /// Queues writing the store back at its path after another process removed or replaced
    /// it; reported back once done (or failed).
    pub fn recreate(&self) {
        self.send(Job::Recreate);
    }

    /// Queues the annotator's position for the position file.
    pub fn save_position(&self, position: Position) {
        self.send(Job::Position(position));
    }

    fn send(&self, job: Job) {
        // The worker only stops when this handle is finished, so sending cannot fail while
        // it lives; if its thread died (a panic), the panic is what the analyst sees.
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Waits until every job sent before is carried out, then ends the thread.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for StoreWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where the worker writes besides the store.
struct Places {
    position_file: PathBuf,
    annotator: String,
    /// The store holds the annotator's journal: positions may be written beside it.
    written: bool,
    /// Run once, after the first write that succeeded.
    side_files: Option<Box<dyn FnOnce() -> Vec<String> + Send>>,
}

impl Places {
    /// Notes a write that succeeded: the first brings the side files.
    fn wrote(&mut self, reports: &Sender<Action>) {
        self.written = true;
        if let Some(side_files) = self.side_files.take() {
            for warning in side_files() {
                let _ = reports.send(Action::Notice(warning));
            }
        }
    }
}

fn work(
    mut store: Box<dyn Store>,
    queue: &Receiver<Job>,
    places: &mut Places,
    reports: &Sender<Action>,
) {
    let mut polled = Instant::now();
    let mut retries = Retries::default();
    loop {
        let wait = retries
            .due_in()
            .map_or(ARRIVALS_EVERY, |due| due.min(ARRIVALS_EVERY));
        match queue.recv_timeout(wait) {
            Ok(job) => carry_out(store.as_mut(), job, places, &mut retries, reports),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                // The session ends: one last attempt for what still waits.
                if retries.send_again(store.as_mut(), reports, true) {
                    places.wrote(reports);
                }
                if !retries.waiting()
                    && let Some(position) = retries.position.take()
                {
                    let _ = position::write(&places.position_file, &places.annotator, position);
                }
                return;
            }
        }
        if retries.send_again(store.as_mut(), reports, false) {
            places.wrote(reports);
        }
        if !retries.waiting()
            && let Some(position) = retries.position.take()
            && let Err(err) = position::write(&places.position_file, &places.annotator, position)
        {
            let _ = reports.send(Action::Notice(format!("{err:#}")));
        }
        // While writes wait, sending them again is what reaches the store.
        if !retries.waiting() && polled.elapsed() >= ARRIVALS_EVERY {
            polled = Instant::now();
            match store.arrivals() {
                Ok(events) if events.is_empty() => {}
                Ok(events) => {
                    let _ = reports.send(Action::Arrived(events));
                }
                Err(err) => {
                    let _ = reports.send(Action::Notice(format!(
                        "cannot read others' decisions: {err}"
                    )));
                }
            }
        }
    }
}

fn carry_out(
    store: &mut dyn Store,
    job: Job,
    places: &mut Places,
    retries: &mut Retries,
    reports: &Sender<Action>,
) {
    let mut write = |write: Write, places: &mut Places| {
        if retries.write(store, write, reports) {
            places.wrote(reports);
        }
    };
    let report = match job {
        Job::SaveAll(saves) => return write(Write::SaveAll(saves), places),
        Job::Save { seq, decision } => {
            let seqs = vec![seq];
            return write(Write::Save { seqs, decision }, places);
        }
        Job::Boundary { seq, change } => return write(Write::Boundary { seq, change }, places),
        Job::Remark { seq, remark } => return write(Write::Remark { seq, remark }, places),
        Job::Recreate => match store.recreate() {
            Ok(kept) => Action::Recreated {
                kept: kept.map(|path| path.display().to_string()),
            },
            Err(err) => Action::RecreateFailed {
                reason: err.to_string(),
            },
        },
        // A session that wrote nothing to a new store leaves no position file either.
        Job::Position(_) if !places.written => return,
        // The store cannot be reached: the position waits too (the newest wins), written
        // once the writes before it are.
        Job::Position(mut position) if retries.waiting() => {
            position.ts = crate::store::now_ms();
            retries.position = Some(position);
            return;
        }
        Job::Position(mut position) => {
            position.ts = crate::store::now_ms();
            match position::write(&places.position_file, &places.annotator, position) {
                Ok(()) => return,
                Err(err) => Action::Notice(format!("{err:#}")),
            }
        }
    };
    if matches!(report, Action::Saved(_) | Action::Recreated { .. }) {
        places.wrote(reports);
    }
    // The loop has gone only when the session ended; nothing is waiting for the report then.
    let _ = reports.send(report);
}
