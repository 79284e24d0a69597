//! Recreating the label store from the session after another process removed or replaced it:
//! the state machine on the real store worker with a `MemoryStore`, whose place another
//! process takes (`replace_from_outside`). The journal itself, in a real pseudo-terminal, is
//! in `harden_recreate.rs`.

use crate::common;

use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use common::screen::{draw, row_text};
use common::{session, stored, three_articles};
use stance::app::{Action, Effect, Mode, SaveState, State, update};
use stance::store::{Event, MemoryStore, Op};
use stance::terminal::worker::StoreWorker;

/// A session whose effects go to a real store worker on a memory store, as the event loop
/// hands them on.
struct Run {
    state: State,
    worker: StoreWorker,
    reports: Receiver<Action>,
    /// Jobs sent whose report has not come back yet.
    outstanding: usize,
    _folder: tempfile::TempDir,
}

impl Run {
    fn on(store: &MemoryStore) -> Run {
        let folder = tempfile::tempdir().unwrap();
        let (tx, reports) = channel();
        let position = folder.path().join("labels.position.json");
        let worker = StoreWorker::spawn(Box::new(store.session()), position, "alice".into(), tx);
        Run {
            state: session(three_articles()),
            worker,
            reports,
            outstanding: 0,
            _folder: folder,
        }
    }

    /// Runs the action and hands its effects to the worker; returns them.
    fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = update(&mut self.state, action);
        for effect in &effects {
            match effect {
                Effect::Save { seq, decision } => {
                    self.outstanding += 1;
                    self.worker.save(*seq, decision.clone());
                }
                Effect::SaveAll(saves) => {
                    self.outstanding += saves.len();
                    self.worker.save_all(saves.clone());
                }
                Effect::RecreateStore => {
                    self.outstanding += 1;
                    self.worker.recreate();
                }
                Effect::SaveBoundary { seq, change } => {
                    self.outstanding += 1;
                    self.worker.save_boundary(*seq, change.clone());
                }
                Effect::SaveRemark { seq, remark } => {
                    self.outstanding += 1;
                    self.worker.save_remark(*seq, remark.clone());
                }
                Effect::SavePosition(position) => self.worker.save_position(position.clone()),
                Effect::Redraw | Effect::Quit => {}
            }
        }
        effects
    }

    /// Takes every report due, and what they lead to, until nothing is outstanding; returns
    /// the effects and the reports.
    fn settle(&mut self) -> (Vec<Effect>, Vec<Action>) {
        let mut effects = Vec::new();
        let mut reports = Vec::new();
        while self.outstanding > 0 {
            let report = match self.reports.recv_timeout(Duration::from_secs(30)) {
                Ok(Action::Arrived(_)) => continue,
                Ok(report) => report,
                Err(RecvTimeoutError::Timeout) => panic!("no report from the store worker"),
                Err(RecvTimeoutError::Disconnected) => panic!("the store worker stopped"),
            };
            self.outstanding -= 1;
            reports.push(report.clone());
            effects.extend(self.act(report));
        }
        (effects, reports)
    }

    fn message(&self) -> String {
        self.state
            .message()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    fn status(&self) -> String {
        let terminal = draw(&self.state, 80, 24);
        let buf = terminal.backend().buffer();
        row_text(buf, buf.area.height - 1)
    }
}

/// `(article, start, labels)` of the events, for short comparisons.
fn summary(events: &[Event]) -> Vec<(String, usize, Op, Vec<String>)> {
    events
        .iter()
        .map(|e| (e.article.clone(), e.start, e.op, e.labels.clone()))
        .collect()
}

fn refusals(reports: &[Action]) -> Vec<bool> {
    reports
        .iter()
        .filter_map(|r| match r {
            Action::SaveFailed { recreate, .. } => Some(*recreate),
            _ => None,
        })
        .collect()
}

/// Decides the first sentence (saved), lets another process take the store's place, then
/// decides two more sentences (refused).
fn two_refused_after_one_saved(store: &MemoryStore, found: Option<Vec<Event>>) -> Run {
    let mut run = Run::on(store);
    run.act(Action::ToggleLabel(0));
    run.settle();
    assert_eq!(run.state.save_state(), SaveState::Saved);
    store.replace_from_outside(found);
    run.act(Action::NextSentence);
    run.act(Action::ToggleLabel(1));
    run.act(Action::NextSentence);
    run.act(Action::NoStance);
    let (_, reports) = run.settle();
    assert_eq!(refusals(&reports), [true, true], "{reports:?}");
    run
}

fn confirm_recreate(run: &mut Run) {
    assert!(run.act(Action::RecreateStore).is_empty(), "asks first");
    assert!(
        run.message()
            .starts_with("press R again to recreate the store"),
        "{}",
        run.message()
    );
    assert_eq!(run.act(Action::RecreateStore), [Effect::RecreateStore]);
}

#[test]
fn a_replaced_store_is_recreated_on_r_r_and_the_refused_decisions_saved_in_order() {
    let store = MemoryStore::new("memory");
    let articles = three_articles();
    let other = vec![stored(&articles, 2, 0, &["military"], "zoe")];
    let mut run = two_refused_after_one_saved(&store, Some(other.clone()));
    match run.state.save_state() {
        SaveState::NotSaved {
            decisions, reason, ..
        } => {
            assert_eq!(decisions, 2);
            assert!(reason.contains("removed (or replaced)"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let hint = run
        .state
        .recreate_hint()
        .expect("a hint while the store needs recreating");
    assert_eq!(hint[1], "R recreates the label store");
    assert!(
        run.status().contains("R: recreate store"),
        "{}",
        run.status()
    );
    assert!(
        store.events().len() == 1,
        "nothing was written while replaced"
    );

    // Quit still asks first; the recreate key leaves the question for its own.
    run.act(Action::Quit);
    assert_eq!(*run.state.mode(), Mode::ConfirmQuit);
    assert!(run.act(Action::RecreateStore).is_empty());
    assert_eq!(*run.state.mode(), Mode::Normal);
    // Any other key between the two presses takes the question back.
    run.act(Action::PreviousSentence);
    assert!(run.act(Action::RecreateStore).is_empty(), "asks again");
    assert_eq!(run.act(Action::RecreateStore), [Effect::RecreateStore]);
    assert!(
        run.state.recreate_hint().is_none(),
        "no hint while recreating"
    );

    let (effects, reports) = run.settle();
    assert_eq!(
        reports[0],
        Action::Recreated {
            kept: Some("memory.replaced-1".into())
        }
    );
    let handed: Vec<_> = common::saves(&effects);
    assert_eq!(
        summary(&handed),
        [
            ("a".into(), 22, Op::Set, vec!["sanctions".to_owned()]),
            ("a".into(), 48, Op::Set, vec![]),
        ],
        "handed again in the order made, as the session holds them"
    );
    assert_eq!(run.state.save_state(), SaveState::Saved);
    assert!(
        run.message()
            .contains("the file found at the path was kept as memory.replaced-1"),
        "{}",
        run.message()
    );
    assert_eq!(
        summary(&store.events()),
        [
            ("a".into(), 0, Op::Set, vec!["diplomatic".to_owned()]),
            ("a".into(), 22, Op::Set, vec!["sanctions".to_owned()]),
            ("a".into(), 48, Op::Set, vec![]),
        ]
    );
    assert_eq!(store.kept(), [("memory.replaced-1".to_owned(), other)]);
    assert!(run.state.recreate_hint().is_none());

    // Decisions go on to the recreated store, and quit no longer asks.
    run.act(Action::ToggleLabel(2));
    run.settle();
    assert_eq!(store.events().len(), 4);
    assert!(run.act(Action::Quit).contains(&Effect::Quit));
}

#[test]
fn a_removed_store_is_recreated_and_the_status_says_nothing_was_left_at_the_path() {
    let store = MemoryStore::new("memory");
    let mut run = two_refused_after_one_saved(&store, None);
    confirm_recreate(&mut run);
    let (_, reports) = run.settle();
    assert_eq!(reports[0], Action::Recreated { kept: None });
    assert!(
        run.message().contains("no file was left at the path"),
        "{}",
        run.message()
    );
    assert_eq!(store.events().len(), 3);
    assert!(store.kept().is_empty());
    assert_eq!(run.state.save_state(), SaveState::Saved);
}

#[test]
fn a_sentence_decided_again_after_its_refusal_is_handed_again_after_the_later_ones() {
    let store = MemoryStore::new("memory");
    let mut run = Run::on(&store);
    store.replace_from_outside(None);
    run.act(Action::ToggleLabel(0));
    run.act(Action::NextSentence);
    run.act(Action::ToggleLabel(1));
    run.act(Action::PreviousSentence);
    run.act(Action::ToggleLabel(2));
    run.settle();
    confirm_recreate(&mut run);
    let (effects, _) = run.settle();
    assert_eq!(
        summary(&common::saves(&effects)),
        [
            ("a".into(), 22, Op::Set, vec!["sanctions".to_owned()]),
            (
                "a".into(),
                0,
                Op::Set,
                vec!["diplomatic".to_owned(), "military".to_owned()]
            ),
        ]
    );
    assert_eq!(summary(&store.events()), summary(&common::saves(&effects)));
}

#[test]
fn quit_while_the_store_is_recreated_waits_for_the_decisions_handed_again() {
    let store = MemoryStore::new("memory");
    let mut run = two_refused_after_one_saved(&store, None);
    confirm_recreate(&mut run);
    assert!(!run.act(Action::Quit).contains(&Effect::Quit), "waits");
    assert!(run.message().contains("saving…"), "{}", run.message());
    let (effects, _) = run.settle();
    assert_eq!(effects.last(), Some(&Effect::Quit), "{effects:?}");
    assert_eq!(
        store.events().len(),
        3,
        "every decision saved before quitting"
    );
}

#[test]
fn a_failed_recreation_keeps_the_decisions_not_saved_and_the_key_offered_again() {
    let store = MemoryStore::new("memory");
    let mut run = two_refused_after_one_saved(&store, None);
    run.act(Action::RecreateStore);
    // Not handed to the worker: the report is the journal's when another session took the
    // path meanwhile.
    let effects = update(&mut run.state, Action::RecreateStore);
    assert_eq!(effects, [Effect::RecreateStore]);
    let reason = "label store labels.jsonl is in use by process 7: close that session first";
    run.act(Action::RecreateFailed {
        reason: reason.into(),
    });
    assert!(run.message().contains(reason), "{}", run.message());
    assert!(matches!(
        run.state.save_state(),
        SaveState::NotSaved { decisions: 2, .. }
    ));
    assert!(run.state.recreate_hint().is_some());
    run.act(Action::Quit);
    assert_eq!(*run.state.mode(), Mode::ConfirmQuit, "quit still asks");
}

#[test]
fn a_refusal_that_recreating_cannot_cure_offers_no_recreate() {
    let store = MemoryStore::new("memory");
    let mut run = Run::on(&store);
    store.fail_next_append("No space left on device");
    run.act(Action::ToggleLabel(0));
    let (_, reports) = run.settle();
    assert_eq!(refusals(&reports), [false]);
    assert!(run.state.recreate_hint().is_none());
    assert!(!run.status().contains("recreate"), "{}", run.status());
    assert!(run.act(Action::RecreateStore).is_empty());
    assert!(
        run.message().starts_with("nothing to recreate"),
        "{}",
        run.message()
    );
    assert!(run.act(Action::RecreateStore).is_empty(), "never recreates");
}
