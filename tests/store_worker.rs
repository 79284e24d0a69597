//! Saving off the event loop: the store worker writes in the order decisions were made, the
//! session goes on while it does, and `saved` comes only after the store returned.

use crate::common;

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use common::pty::{Home, Terminal, journal};
use common::{session, three_articles};
use stance::app::{Action, Effect, SaveState, State, update};
use stance::store::{
    Annotation, BoundaryChange, Decision, Event, MemoryStore, Overrides, Store, StoreError,
};
use stance::terminal::worker::StoreWorker;

/// A store whose appends wait until the test opens its gate: a disk as slow as the test
/// wants, with no bet on timing.
struct Gated {
    inner: MemoryStore,
    gate: Arc<(Mutex<bool>, Condvar)>,
}

impl Store for Gated {
    fn location(&self) -> String {
        self.inner.location()
    }
    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        let (open, changed) = &*self.gate;
        let mut open = open.lock().unwrap();
        while !*open {
            open = changed.wait(open).unwrap();
        }
        drop(open);
        self.inner.append(decision)
    }
    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        let (open, changed) = &*self.gate;
        let mut open = open.lock().unwrap();
        while !*open {
            open = changed.wait(open).unwrap();
        }
        drop(open);
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
        self.inner.append_boundary(change)
    }
    fn append_remark(&mut self, remark: &stance::store::Remark) -> Result<(), StoreError> {
        self.inner.append_remark(remark)
    }

    fn remarks(&self) -> &stance::store::Remarks {
        self.inner.remarks()
    }

    fn boundaries(&self) -> &Overrides {
        self.inner.boundaries()
    }
}

/// Runs `action` and hands its saves to the worker, as the event loop does.
fn dispatch(state: &mut State, worker: &StoreWorker, action: Action) {
    for effect in update(state, action) {
        if let Effect::Save { seq, decision } = effect {
            worker.save(seq, decision);
        }
    }
}

fn next_report(reports: &Receiver<Action>) -> Action {
    loop {
        match reports.recv_timeout(Duration::from_secs(30)) {
            Ok(Action::Arrived(_)) => continue,
            Ok(report) => return report,
            Err(RecvTimeoutError::Timeout) => panic!("no report from the store worker"),
            Err(RecvTimeoutError::Disconnected) => panic!("the store worker stopped"),
        }
    }
}

fn worker_on(store: impl Store + 'static, reports: Sender<Action>) -> StoreWorker {
    let dir = tempfile::tempdir().unwrap();
    let position = dir.path().join("labels.position.json");
    // The folder outlives the test: the worker may write the position file into it.
    std::mem::forget(dir);
    StoreWorker::spawn(Box::new(store), position, "alice".into(), reports)
}

#[test]
fn keys_go_on_while_a_slow_store_saves_and_saved_comes_in_order_once_it_returns() {
    let memory = MemoryStore::new("memory");
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let store = Gated {
        inner: memory.session(),
        gate: Arc::clone(&gate),
    };
    let (tx, reports) = channel();
    let worker = worker_on(store, tx);
    let mut state = session(three_articles());
    for action in [
        Action::ToggleLabel(0),
        Action::NextSentence,
        Action::ToggleLabel(1),
        Action::NextSentence,
        Action::NoStance,
    ] {
        dispatch(&mut state, &worker, action);
    }
    // Nothing could be written yet, and the session moved on regardless.
    assert_eq!(state.cursor().sentence, 0);
    assert_eq!(
        state.cursor().article,
        1,
        "NoStance moved into the next article"
    );
    assert_eq!(state.save_state(), SaveState::Saving);
    assert!(memory.events().is_empty());
    assert!(matches!(
        reports.recv_timeout(Duration::from_millis(50)),
        Err(RecvTimeoutError::Timeout)
    ));
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    for expected in 0..3 {
        let report = next_report(&reports);
        assert_eq!(report, Action::Saved(expected), "saved in the order made");
        update(&mut state, report);
    }
    assert_eq!(state.save_state(), SaveState::Saved);
    let labels: Vec<Vec<String>> = memory.events().into_iter().map(|e| e.labels).collect();
    assert_eq!(
        labels,
        [
            vec!["diplomatic".to_owned()],
            vec!["sanctions".to_owned()],
            vec![]
        ]
    );
    worker.finish();
}

#[test]
fn a_failed_save_is_reported_as_failed_and_the_next_one_still_saves() {
    let memory = MemoryStore::new("memory");
    let (tx, reports) = channel();
    let worker = worker_on(memory.session(), tx);
    let mut state = session(three_articles());
    memory.fail_next_append("disk on fire");
    dispatch(&mut state, &worker, Action::ToggleLabel(0));
    dispatch(&mut state, &worker, Action::NextSentence);
    dispatch(&mut state, &worker, Action::ToggleLabel(2));
    let first = next_report(&reports);
    assert!(
        matches!(&first, Action::SaveFailed { seq: 0, reason, recreate: false } if reason.contains("disk on fire")),
        "{first:?}"
    );
    update(&mut state, first);
    let second = next_report(&reports);
    assert_eq!(second, Action::Saved(1));
    update(&mut state, second);
    assert!(matches!(
        state.save_state(),
        SaveState::NotSaved { decisions: 1, .. }
    ));
    assert_eq!(memory.events().len(), 1);
    worker.finish();
}

#[test]
fn quit_waits_for_the_saves_under_way_and_asks_first_when_one_failed() {
    let mut state = session(three_articles());
    let pending: Vec<u64> = update(&mut state, Action::ToggleLabel(0))
        .into_iter()
        .filter_map(|e| match e {
            Effect::Save { seq, .. } => Some(seq),
            _ => None,
        })
        .collect();
    assert!(
        update(&mut state, Action::Quit).is_empty(),
        "no quit while saving"
    );
    let effects = update(&mut state, Action::Saved(pending[0]));
    assert!(effects.contains(&Effect::Quit), "{effects:?}");

    let mut state = session(three_articles());
    let seq = match &update(&mut state, Action::ToggleLabel(0))[0] {
        Effect::Save { seq, .. } => *seq,
        other => panic!("{other:?}"),
    };
    update(&mut state, Action::Quit);
    let reason = "No space left on device".to_owned();
    let effects = update(
        &mut state,
        Action::SaveFailed {
            seq,
            reason,
            recreate: false,
        },
    );
    assert!(!effects.contains(&Effect::Quit));
    assert!(
        state
            .message()
            .is_some_and(|m| m.text.contains("NOT SAVED"))
    );
}

#[test]
fn another_sessions_decisions_arrive_through_the_worker() {
    let memory = MemoryStore::new("memory");
    let (tx, reports) = channel();
    let worker = worker_on(memory.session(), tx);
    let mut bob = memory.session();
    let decision = Decision {
        article: "a".into(),
        start: 0,
        end: 21,
        text: "Envoys met in Geneva.".into(),
        labels: Some(vec!["military".into()]),
        origin: stance::store::Origin::Typed,
        annotator: "bob".into(),
        scores: None,
    };
    bob.append(&decision).unwrap();
    let arrived = loop {
        match reports.recv_timeout(Duration::from_secs(30)) {
            Ok(Action::Arrived(events)) => break events,
            Ok(_) => continue,
            Err(e) => panic!("nothing arrived: {e:?}"),
        }
    };
    assert_eq!(arrived, [decision.event(1)]);
    worker.finish();
}

#[test]
fn with_a_store_that_takes_200_ms_per_write_keys_never_wait_in_the_real_session() {
    let home = Home::new();
    let corpus = home.write(
        "news.txt",
        "One here. Two here. Three here. Four here. Five here. Six here. Seven here.",
    );
    let labels = home.labels();
    let args = [
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ];
    let mut term = Terminal::spawn_program(
        &home,
        env!("CARGO_BIN_EXE_stance"),
        &args,
        &[("STANCE_TEST_FAULT", "slow-store")],
        100,
        30,
    );
    term.wait_for("sentence 1/7");
    // Five decisions, a second of writing: the cursor is on sentence 6 while they are written.
    term.send("1j1j1j1j1j");
    let screen = term.wait_until("the cursor moved while saving", |s| {
        s.contains("sentence 6/7") && s.contains("saving…")
    });
    assert!(!screen.contains("saved "), "{screen}");
    term.wait_until("every decision saved", |s| {
        s.contains("sentence 6/7") && s.contains("saved") && !s.contains("saving")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let events = journal(&labels);
    assert_eq!(events.len(), 5);
    let starts: Vec<u64> = events
        .iter()
        .map(|e| e["start"].as_u64().unwrap())
        .collect();
    assert!(starts.is_sorted(), "written in the order made: {starts:?}");
}
