//! Writes refused because the store could not be reached are sent again by the store worker
//! on its own, in the order made, each once, and the session turns them saved as they land.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use common::{session, three_articles};
use stance::app::{Action, Effect, SaveState, State, update};
use stance::store::{
    Annotation, BoundaryChange, Decision, Event, MemoryStore, Overrides, Remark, Remarks, Store,
    StoreError,
};
use stance::terminal::worker::StoreWorker;

/// A store behind a line that the test cuts and mends: while cut, every write fails as a
/// lost connection does.
struct Line {
    inner: MemoryStore,
    cut: Arc<AtomicBool>,
    /// Writes that reached the store.
    landed: Arc<AtomicUsize>,
    /// Writes tried while the line was cut.
    tried: Arc<AtomicUsize>,
}

impl Line {
    fn check(&self) -> Result<(), StoreError> {
        if self.cut.load(Ordering::SeqCst) {
            self.tried.fetch_add(1, Ordering::SeqCst);
            return Err(StoreError::Unreachable {
                location: "postgresql://ana@db/x?store=s".into(),
                reason: "cannot save (db:5432): connection refused".into(),
            });
        }
        self.landed.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl Store for Line {
    fn location(&self) -> String {
        self.inner.location()
    }
    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        self.check()?;
        self.inner.append(decision)
    }
    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        self.check()?;
        self.inner.append_all(decisions)
    }
    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        self.inner.annotations()
    }
    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        self.inner.arrivals()
    }
    fn recreate(&mut self) -> Result<Option<std::path::PathBuf>, StoreError> {
        self.inner.recreate()
    }
    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        self.check()?;
        self.inner.append_boundary(change)
    }
    fn boundaries(&self) -> &Overrides {
        self.inner.boundaries()
    }
    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        self.check()?;
        self.inner.append_remark(remark)
    }
    fn remarks(&self) -> &Remarks {
        self.inner.remarks()
    }
}

struct Rig {
    memory: MemoryStore,
    cut: Arc<AtomicBool>,
    landed: Arc<AtomicUsize>,
    tried: Arc<AtomicUsize>,
    worker: StoreWorker,
    reports: Receiver<Action>,
    state: State,
    position_file: std::path::PathBuf,
}

fn rig() -> Rig {
    let memory = MemoryStore::new("memory");
    let cut = Arc::new(AtomicBool::new(true));
    let landed = Arc::new(AtomicUsize::new(0));
    let tried = Arc::new(AtomicUsize::new(0));
    let line = Line {
        inner: memory.session(),
        cut: Arc::clone(&cut),
        landed: Arc::clone(&landed),
        tried: Arc::clone(&tried),
    };
    let (tx, reports): (Sender<Action>, _) = channel();
    let dir = tempfile::tempdir().unwrap();
    let position = dir.path().join("labels.position.json");
    // The folder outlives the test: the worker may write the position file into it.
    std::mem::forget(dir);
    let worker = StoreWorker::spawn(Box::new(line), position.clone(), "alice".into(), tx);
    Rig {
        memory,
        cut,
        landed,
        tried,
        worker,
        reports,
        state: session(three_articles()),
        position_file: position,
    }
}

impl Rig {
    fn press(&mut self, action: Action) {
        for effect in update(&mut self.state, action) {
            if let Effect::Save { seq, decision } = effect {
                self.worker.save(seq, decision);
            }
        }
    }

    /// The worker's next report, taken into the session.
    fn report(&mut self) -> Action {
        loop {
            match self.reports.recv_timeout(Duration::from_secs(60)) {
                Ok(Action::Arrived(_)) => continue,
                Ok(report) => {
                    update(&mut self.state, report.clone());
                    return report;
                }
                Err(RecvTimeoutError::Timeout) => panic!("no report from the store worker"),
                Err(RecvTimeoutError::Disconnected) => panic!("the store worker stopped"),
            }
        }
    }
}

#[test]
fn writes_refused_while_the_store_is_unreachable_land_by_themselves_in_order_once() {
    let mut rig = rig();
    rig.press(Action::ToggleLabel(0));
    rig.press(Action::NextSentence);
    rig.press(Action::ToggleLabel(1));
    rig.press(Action::NextSentence);
    rig.press(Action::NoStance);
    for seq in 0..3 {
        match rig.report() {
            Action::SaveFailed {
                seq: s,
                reason,
                recreate: false,
            } => {
                assert_eq!(s, seq);
                assert!(reason.starts_with("retrying: "), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        rig.state.save_state(),
        SaveState::NotSaved { decisions: 3, .. }
    ));
    // Tried again by itself while cut (not only at the next key), without a report each time.
    let before = rig.tried.load(Ordering::SeqCst);
    while rig.tried.load(Ordering::SeqCst) < before + 2 {
        std::thread::yield_now();
    }
    assert!(matches!(
        rig.reports.try_recv(),
        Err(std::sync::mpsc::TryRecvError::Empty)
    ));
    rig.cut.store(false, Ordering::SeqCst);
    for seq in 0..3 {
        assert_eq!(rig.report(), Action::Saved(seq), "saved in the order made");
    }
    assert_eq!(rig.state.save_state(), SaveState::Saved);
    assert_eq!(rig.landed.load(Ordering::SeqCst), 3, "each written once");
    let labels: Vec<Vec<String>> = rig.memory.events().into_iter().map(|e| e.labels).collect();
    assert_eq!(
        labels,
        [
            vec!["diplomatic".to_owned()],
            vec!["sanctions".to_owned()],
            vec![]
        ]
    );
    rig.worker.finish();
}

#[test]
fn the_same_decision_made_again_while_it_waits_is_written_once_and_both_turn_saved() {
    let mut rig = rig();
    rig.press(Action::NoStance);
    assert!(matches!(rig.report(), Action::SaveFailed { seq: 0, .. }));
    // The same decision on a NOT SAVED sentence is handed over again.
    rig.press(Action::PreviousSentence);
    rig.press(Action::NoStance);
    assert!(matches!(rig.report(), Action::SaveFailed { seq: 1, .. }));
    rig.cut.store(false, Ordering::SeqCst);
    assert_eq!(rig.report(), Action::Saved(0));
    assert_eq!(rig.report(), Action::Saved(1));
    assert_eq!(rig.state.save_state(), SaveState::Saved);
    assert_eq!(rig.landed.load(Ordering::SeqCst), 1, "written once");
    assert_eq!(rig.memory.events().len(), 1);
    rig.worker.finish();
}

#[test]
fn quitting_with_writes_waiting_asks_and_their_landing_takes_the_question_back() {
    let mut rig = rig();
    rig.press(Action::ToggleLabel(0));
    assert!(matches!(rig.report(), Action::SaveFailed { seq: 0, .. }));
    rig.press(Action::Quit);
    assert!(
        rig.state
            .message()
            .is_some_and(|m| m.text.contains("NOT SAVED")),
        "{:?}",
        rig.state.message()
    );
    rig.cut.store(false, Ordering::SeqCst);
    assert_eq!(rig.report(), Action::Saved(0));
    assert_eq!(rig.state.save_state(), SaveState::Saved);
    assert_eq!(
        rig.state.message().map(|m| m.text.as_str()),
        Some("every decision is saved now")
    );
    // The question is gone: the next key is an ordinary key, and q quits at once.
    let effects = update(&mut rig.state, Action::Quit);
    assert!(effects.contains(&Effect::Quit), "{effects:?}");
    rig.worker.finish();
}

#[test]
fn the_position_waits_behind_the_writes_and_is_written_once_they_land() {
    let mut rig = rig();
    rig.press(Action::ToggleLabel(0));
    assert!(matches!(rig.report(), Action::SaveFailed { seq: 0, .. }));
    rig.worker.save_position(stance::app::Position {
        article: "a2".into(),
        start: 0,
        end: 5,
        ts: 0,
    });
    // A write sent after the position: once it is reported, the position was handled.
    rig.press(Action::NextSentence);
    rig.press(Action::ToggleLabel(1));
    assert!(matches!(rig.report(), Action::SaveFailed { seq: 1, .. }));
    assert!(
        !rig.position_file.exists(),
        "no position before the writes land"
    );
    rig.cut.store(false, Ordering::SeqCst);
    assert_eq!(rig.report(), Action::Saved(0));
    assert_eq!(rig.report(), Action::Saved(1));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !rig.position_file.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the position was never written"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let text = std::fs::read_to_string(&rig.position_file).unwrap();
    assert!(text.contains("\"a2\""), "{text}");
    rig.worker.finish();
}
