//! The session's own state machine run beside the real binary: started from the same files,
//! pressed the same keys, it says what the screen must show and which journal writes each
//! key makes, so a test knows when the screen has claimed a decision saved.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use stance::app::{Action, Effect, Key, KeyCode, SaveState, Setup, State, action_for, update};
use stance::corpus::{self, CorpusSpec};
use stance::store::{Event, LabelStore, Op};
use stance::terminal::position;

use super::harden::rows;
use super::pty::{TIMEOUT, Terminal};

/// Each annotation of `alice` by (article, start, end): its labels.
pub type Model = HashMap<(String, usize, usize), Vec<String>>;

/// `articles` articles of `sentences` short sentences each, as JSON lines.
pub fn corpus_text(articles: usize, sentences: usize) -> String {
    let mut out = String::new();
    for a in 1..=articles {
        let text: Vec<String> = (1..=sentences)
            .map(|s| format!("Envoy {s} of desk {a} filed a report on the talks."))
            .collect();
        let line = serde_json::json!({"id": format!("wire-{a}"), "title": format!("Desk {a}"),
            "text": text.join(" ")});
        out.push_str(&format!("{line}\n"));
    }
    out
}

/// The key a byte typed into the terminal is (`\r` Enter, `\x12` Ctrl-R).
pub fn key_of(c: char) -> Key {
    match c {
        '\r' => Key::plain(KeyCode::Enter),
        '\x12' => Key {
            code: KeyCode::Char('r'),
            ctrl: true,
            alt: false,
        },
        c => Key::char(c),
    }
}

/// `alice`'s annotations in a store.
pub fn model_of(store: &LabelStore) -> Model {
    store
        .annotations()
        .filter(|e| e.annotator() == "alice")
        .map(|e| {
            (
                (e.article().to_owned(), e.start(), e.end()),
                match e.is_ignored() {
                    true => vec![stance::store::IGNORE.to_owned()],
                    false => e.labels().to_vec(),
                },
            )
        })
        .collect()
}

/// Applies one journal event to a model.
pub fn apply(model: &mut Model, event: &Event) {
    let key = (event.article.clone(), event.start, event.end);
    match event.op {
        Op::Set => model.insert(key, event.labels.clone()),
        Op::Ignore => model.insert(key, vec![stance::store::IGNORE.to_owned()]),
        Op::Clear => model.remove(&key),
        // Boundary, flag and note lines change no annotation.
        Op::Split | Op::Merge | Op::Restore => None,
        Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => None,
    };
}

/// The session as `stance annotate CORPUS --labels LABELS` starts it for `alice` at
/// `cols` x `rows`, from the corpus, the store and the position file.
pub fn predict(corpus: &Path, labels: &Path, cols: u16, rows: u16) -> State {
    let spec = CorpusSpec {
        paths: vec![corpus.to_owned()],
        ..CorpusSpec::default()
    };
    let articles = corpus::open(&spec).expect("corpus").articles;
    let store = LabelStore::open_read_only(labels).expect("the store reopens");
    let setup = Setup {
        events: store
            .annotations()
            .filter(|e| e.annotator() == "alice")
            .map(|e| e.to_event())
            .collect(),
        resume: position::read_all(&position::path_for(labels))
            .expect("position file")
            .remove("alice"),
        ..super::setup(articles)
    };
    super::open(setup, cols, rows)
}

/// Presses `key`; the journal writes it makes, in order, with their numbers, not yet
/// reported saved or failed.
pub fn press_pending(state: &mut State, key: char) -> Vec<(u64, Event)> {
    let Some(action) = action_for(state, key_of(key)) else {
        return Vec::new();
    };
    update(state, action)
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::Save { seq, decision } => Some((seq, decision.event(0))),
            _ => None,
        })
        .collect()
}

/// Presses `key` and reports every write it makes saved; the writes, in order.
pub fn press(state: &mut State, key: char) -> Vec<Event> {
    press_pending(state, key)
        .into_iter()
        .map(|(seq, event)| {
            update(state, Action::Saved(seq));
            event
        })
        .collect()
}

/// Where the cursor is and its decision, as the status bar and the label pane word them.
pub fn expected_text(state: &State) -> (String, String) {
    let cursor = state.cursor();
    let count = state.sentence_count();
    let position = format!(
        "article {}/{} · sentence {}/{}",
        cursor.article + 1,
        state.article_count(),
        if count == 0 { 0 } else { cursor.sentence + 1 },
        count
    );
    let decision = match state.annotation(cursor.sentence) {
        None => "not annotated".to_owned(),
        Some(labels) if labels.is_empty() => "no stance".to_owned(),
        Some(labels) => labels.join(", "),
    };
    let unsaved = if state.is_unsaved(cursor.sentence) {
        " (NOT SAVED)"
    } else {
        ""
    };
    (position, format!("this sentence: {decision}{unsaved} "))
}

/// Whether the screen shows what `state` shows: position, decision, and whether saved.
pub fn shows(screen: &[String], state: &State) -> bool {
    let (position, decision) = expected_text(state);
    let last = screen.last().map_or("", |row| row.trim_end());
    let save_shown = match state.save_state() {
        SaveState::Saved => last.ends_with(" saved"),
        SaveState::NotSaved {
            decisions, saving, ..
        } => {
            last.contains(&format!("NOT SAVED ({decisions}): "))
                && (saving > 0) == last.contains("saving…")
        }
        SaveState::Idle | SaveState::Saving => {
            !last.ends_with(" saved") && !last.contains("NOT SAVED")
        }
    };
    screen.iter().any(|row| row.contains(&position))
        && screen.iter().any(|row| row.contains(&decision))
        && save_shown
}

/// Waits until the screen shows what `state` shows; fails naming `context` and the screen.
pub fn await_screen(term: &Terminal, state: &State, context: &str) -> Vec<String> {
    let start = Instant::now();
    loop {
        let screen = rows(term);
        if shows(&screen, state) {
            return screen;
        }
        if start.elapsed() > TIMEOUT {
            panic!(
                "{context}: the screen never showed {:?}, {:?}:\n{}",
                expected_text(state),
                state.save_state(),
                screen.join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
