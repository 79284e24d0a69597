//! A label store in memory: for state-machine and worker tests, and for simulating several
//! sessions on one store (each [`MemoryStore::session`] sees what the others append as
//! arrivals). Nothing is ever written to disk, so it is never used for real annotations.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::annotation::Annotation;
use super::backend::Store;
use super::decision::Decision;
use super::error::StoreError;
use super::event::{Event, NEWEST_JOURNAL_VERSION};
use super::overrides::{BoundaryChange, BoundaryEvent, Overrides};
use super::remarks::{Remark, RemarkEvent, Remarks};
use super::state::Annotations;

/// The events every session of one memory store has appended, in order.
#[derive(Debug, Default)]
struct Log {
    events: Vec<Event>,
    /// Boundary lines of every session, in order; recreation keeps them.
    boundaries: Vec<BoundaryEvent>,
    /// Flag and note lines of every session, in order; recreation keeps them.
    remarks: Vec<RemarkEvent>,
    /// The next append of any session fails with this reason (once), for tests.
    fail_next: Option<String>,
    /// Set by [`MemoryStore::replace_from_outside`]: what another process left in the
    /// store's place (`None`: nothing), refusing every append until a session recreates it.
    displaced: Option<Option<Vec<Event>>>,
    /// What recreating found in the store's place, under the name it was kept as.
    kept: Vec<(String, Vec<Event>)>,
    /// Recreations so far: each rewrites `events`, so sessions that read an older log
    /// start over from the rewritten one.
    generation: u64,
}

/// One session's handle on a store held in memory.
#[derive(Debug)]
pub struct MemoryStore {
    name: String,
    log: Arc<Mutex<Log>>,
    /// Events of the log already in `annotations`.
    seen: usize,
    /// Positions in the log of the events this session appended past `seen`: not arrivals.
    own: std::collections::BTreeSet<usize>,
    annotations: Annotations,
    /// How long each append takes, to stand for a slow disk or network.
    delay: Duration,
    /// The clock that stamps events: a counter, so tests get the same times every run.
    clock: u64,
    /// The log's generation that `seen` counts in.
    generation: u64,
    /// Boundary lines of the log already in `overrides`.
    boundaries_seen: usize,
    overrides: Overrides,
    /// Flag and note lines of the log already in `remarks`.
    remarks_seen: usize,
    remarks: Remarks,
}

impl MemoryStore {
    /// An empty store named `name` (shown where a path would be).
    pub fn new(name: &str) -> MemoryStore {
        MemoryStore::on(name, Arc::default())
    }

    /// A store holding `events`, as if a journal with them had been replayed.
    pub fn with_events(name: &str, events: Vec<Event>) -> MemoryStore {
        let store = MemoryStore::new(name);
        store.log().events = events;
        let mut store = store;
        store.catch_up();
        store
    }

    fn on(name: &str, log: Arc<Mutex<Log>>) -> MemoryStore {
        MemoryStore {
            name: name.to_owned(),
            log,
            seen: 0,
            own: Default::default(),
            annotations: Annotations::default(),
            delay: Duration::ZERO,
            clock: 0,
            generation: 0,
            boundaries_seen: 0,
            overrides: Overrides::default(),
            remarks_seen: 0,
            remarks: Remarks::default(),
        }
    }

    /// Another session on the same store: what either appends, the other gets as arrivals.
    pub fn session(&self) -> MemoryStore {
        let mut other = MemoryStore::on(&self.name, Arc::clone(&self.log));
        other.catch_up();
        other
    }

    /// Makes every append take `delay` first, like a slow disk.
    pub fn slow(mut self, delay: Duration) -> MemoryStore {
        self.delay = delay;
        self
    }

    /// Makes the next append (of any session of this store) fail with `reason`.
    pub fn fail_next_append(&self, reason: &str) {
        self.log().fail_next = Some(reason.to_owned());
    }

    /// Stands for another process removing the store (`found` `None`, as `rm` does to a
    /// journal) or moving another one in its place (`Some`, as `mv other.jsonl` does): every
    /// append of every session is refused with [`StoreError::JournalReplaced`] until one of
    /// them recreates the store ([`Store::recreate`]).
    pub fn replace_from_outside(&self, found: Option<Vec<Event>>) {
        self.log().displaced = Some(found);
    }

    /// What recreating found in the store's place and kept, in order, each under the name
    /// [`Store::recreate`] returned.
    pub fn kept(&self) -> Vec<(String, Vec<Event>)> {
        self.log().kept.clone()
    }

    /// Every event the store holds, in order: those appended by every session since the
    /// last recreation, after the annotations that recreation wrote.
    pub fn events(&self) -> Vec<Event> {
        self.log().events.clone()
    }

    fn log(&self) -> MutexGuard<'_, Log> {
        // A test that panicked while holding the log leaves it as it was: still usable.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The shared log, for an append: a replaced journal or a planned failure (as a disk
    /// gives them) refuses every kind of line alike.
    fn log_for_append(&self) -> Result<MutexGuard<'_, Log>, StoreError> {
        let mut log = self.log();
        if log.displaced.is_some() {
            return Err(StoreError::JournalReplaced {
                path: self.name.clone().into(),
            });
        }
        if let Some(reason) = log.fail_next.take() {
            return Err(StoreError::io(
                self.name.clone(),
                "append to label store",
                std::io::Error::other(reason),
            ));
        }
        Ok(log)
    }

    /// Takes the log's boundary lines past `boundaries_seen` into `overrides`, and its flag
    /// and note lines past `remarks_seen` into `remarks`.
    fn catch_up_boundaries(&mut self) {
        let boundaries: Vec<BoundaryEvent> = self.log().boundaries[self.boundaries_seen..].to_vec();
        self.boundaries_seen += boundaries.len();
        for event in &boundaries {
            self.overrides.apply(event);
        }
        let remarks: Vec<RemarkEvent> = self.log().remarks[self.remarks_seen..].to_vec();
        self.remarks_seen += remarks.len();
        for event in &remarks {
            self.remarks.apply(event);
        }
    }

    /// Takes the log's events past `seen` into the view, in log order; returns those that
    /// other sessions appended.
    fn catch_up(&mut self) -> Vec<Event> {
        self.catch_up_boundaries();
        let generation = self.log().generation;
        if generation != self.generation {
            // Another session recreated the store: the log as it is now becomes the view,
            // with no arrivals for what it holds.
            self.generation = generation;
            self.annotations = Annotations::default();
            self.seen = 0;
            self.own.clear();
            let _ = self.catch_up();
            return Vec::new();
        }
        let new: Vec<Event> = self.log().events[self.seen..].to_vec();
        let first = self.seen;
        self.seen += new.len();
        let mut arrived = Vec::new();
        for (i, event) in new.into_iter().enumerate() {
            let mine = self.own.remove(&(first + i));
            self.annotations.apply(event.clone());
            if !mine {
                arrived.push(event);
            }
        }
        arrived
    }
}

impl Store for MemoryStore {
    fn location(&self) -> String {
        self.name.clone()
    }

    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        self.append_all(std::slice::from_ref(decision))
    }

    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        std::thread::sleep(self.delay);
        let mut events = Vec::with_capacity(decisions.len());
        for decision in decisions {
            let event = decision.event(self.clock + 1 + events.len() as u64);
            if event.v > NEWEST_JOURNAL_VERSION || event.start > event.end {
                return Err(StoreError::InvalidEvent {
                    path: self.name.clone().into(),
                    reason: format!("span {}..{}", event.start, event.end),
                });
            }
            events.push(event);
        }
        self.clock += events.len() as u64;
        let mut log = self.log_for_append()?;
        let first = log.events.len();
        log.events.extend(events.iter().cloned());
        drop(log);
        for (i, event) in events.into_iter().enumerate() {
            let at = first + i;
            if at == self.seen {
                self.seen += 1;
                self.annotations.apply(event);
            } else {
                // Others appended before it: they are arrivals still to hand out, in order.
                self.own.insert(at);
            }
        }
        Ok(())
    }

    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        Box::new(self.annotations.iter())
    }

    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        Ok(self.catch_up())
    }

    /// The memory equivalent of [`super::LabelStore::recreate`]: what another process left
    /// in the store's place ([`MemoryStore::replace_from_outside`]) is kept as
    /// `<name>.replaced-<n>` ([`MemoryStore::kept`]), and the log becomes one `set` per
    /// annotation this session knows, after which appends go on. Events other sessions
    /// appended that this one has not taken as arrivals yet go with the old log.
    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        let events: Vec<Event> = self.annotations.iter().map(|a| a.to_event()).collect();
        let mut log = self.log();
        let found = log.displaced.take().flatten();
        let kept = found.map(|found| {
            let name = format!("{}.replaced-{}", self.name, log.kept.len() + 1);
            log.kept.push((name.clone(), found));
            PathBuf::from(name)
        });
        let seen = events.len();
        log.events = events;
        log.generation += 1;
        let generation = log.generation;
        drop(log);
        self.generation = generation;
        self.seen = seen;
        self.own.clear();
        Ok(kept)
    }

    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        std::thread::sleep(self.delay);
        self.clock += 1;
        let event = change.event(self.clock);
        let mut log = self.log_for_append()?;
        log.boundaries.push(event);
        drop(log);
        // Others' lines before it are taken too: boundaries have no arrivals to hand out.
        self.catch_up_boundaries();
        Ok(())
    }

    fn boundaries(&self) -> &Overrides {
        &self.overrides
    }

    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        std::thread::sleep(self.delay);
        self.clock += 1;
        let event = remark.event(self.clock);
        let mut log = self.log_for_append()?;
        log.remarks.push(event);
        drop(log);
        self.catch_up_boundaries();
        Ok(())
    }

    fn remarks(&self) -> &Remarks {
        &self.remarks
    }
}
