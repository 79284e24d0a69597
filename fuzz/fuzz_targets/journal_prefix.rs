//! A journal of valid events, written as the store writes them or reformatted with spaces
//! and escapes (which the fast reader leaves to serde_json), then a last line cut short by a
//! crash, or any bytes without a newline: replay gives the state of the valid lines (plus
//! the last line when it is a whole valid event), or names that last line as bad.

#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use stance::store::{Event, JOURNAL_VERSION, LabelStore, Op, Origin, StoreError};

#[path = "common.rs"]
mod common;

#[derive(Debug, Arbitrary)]
struct Spec {
    clear: bool,
    article: u8,
    start: u16,
    len: u8,
    labels: u8,
    annotator: bool,
    ts: u64,
    suggestion: bool,
    text: String,
    /// Written with spaces after the separators and `\u` escapes, not as the store writes.
    reformatted: bool,
}

#[derive(Debug, Arbitrary)]
enum Tail {
    None,
    /// The first `cut` bytes of one more event's line.
    Torn {
        event: Spec,
        cut: u16,
    },
    /// Any bytes (newlines are dropped).
    Bytes(Vec<u8>),
}

#[derive(Debug, Arbitrary)]
struct Input {
    events: Vec<Spec>,
    tail: Tail,
}

const ARTICLES: [&str; 4] = ["wire-1", "wire-2", "wïre \"3\"", "\u{1b}[2J"];
const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];

fn event(spec: &Spec) -> Event {
    let start = usize::from(spec.start);
    Event {
        v: JOURNAL_VERSION,
        op: if spec.clear { Op::Clear } else { Op::Set },
        article: ARTICLES[usize::from(spec.article) % ARTICLES.len()].to_owned(),
        start,
        end: start + usize::from(spec.len),
        fp: stance::store::fingerprint(&spec.text),
        labels: (0..3)
            .filter(|i| spec.labels & (1 << i) != 0)
            .map(|i| LABELS[i].to_owned())
            .collect(),
        annotator: if spec.annotator { "alice" } else { "bob" }.to_owned(),
        ts: spec.ts,
        origin: if spec.suggestion {
            Origin::Suggestion
        } else {
            Origin::Typed
        },
        text: spec.text.clone(),
        scores: None,
    }
}

/// The event's line without its newline, as the store writes it or reformatted.
fn line(event: &Event, reformatted: bool) -> Vec<u8> {
    let compact = serde_json::to_string(event).expect("an event serializes");
    if !reformatted {
        return compact.into_bytes();
    }
    let value: serde_json::Value = serde_json::from_str(&compact).expect("JSON");
    let spaced = serde_json::to_string_pretty(&value)
        .expect("JSON")
        .replace('\n', " ");
    // `\u` escapes for the ASCII letters of string values are still the same strings.
    spaced.replace("\"set\"", "\"s\\u0065t\"").into_bytes()
}

type State = BTreeMap<(String, usize, usize, String), Event>;

fn apply(state: &mut State, event: &Event) {
    let key = (
        event.article.clone(),
        event.start,
        event.end,
        event.annotator.clone(),
    );
    match event.op {
        Op::Set | Op::Ignore => state.insert(key, event.clone()),
        Op::Clear => state.remove(&key),
        // The target writes only decisions; boundary lines change no annotation.
        Op::Split | Op::Merge | Op::Restore => None,
        Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => None,
    };
}

fn state_of(store: &LabelStore) -> State {
    store
        .annotations()
        .map(|e| {
            (
                (
                    e.article().to_owned(),
                    e.start(),
                    e.end(),
                    e.annotator().to_owned(),
                ),
                e.to_event(),
            )
        })
        .collect()
}

fuzz_target!(|input: Input| {
    let mut bytes = Vec::new();
    let mut expected = State::new();
    for spec in &input.events {
        let event = event(spec);
        bytes.extend(line(&event, spec.reformatted));
        bytes.push(b'\n');
        apply(&mut expected, &event);
    }
    let lines = input.events.len();
    let path = common::scratch().join("labels.jsonl");
    match &input.tail {
        Tail::None => {
            std::fs::write(&path, &bytes).expect("write");
            let store = LabelStore::open_read_only(&path).expect("a valid journal replays");
            assert!(!store.recovered_torn_line());
            assert_eq!(store.events_replayed(), lines);
            assert_eq!(state_of(&store), expected);
        }
        Tail::Torn { event: spec, cut } => {
            let whole = line(&event(spec), spec.reformatted);
            let cut = usize::from(*cut) % whole.len();
            bytes.extend_from_slice(&whole[..cut]);
            std::fs::write(&path, &bytes).expect("write");
            let store = LabelStore::open_read_only(&path).expect("a torn last line is tolerated");
            assert_eq!(store.recovered_torn_line(), cut > 0);
            assert_eq!(store.events_replayed(), lines);
            assert_eq!(state_of(&store), expected);
        }
        Tail::Bytes(tail) => {
            let tail: Vec<u8> = tail.iter().copied().filter(|&b| b != b'\n').collect();
            bytes.extend_from_slice(&tail);
            std::fs::write(&path, &bytes).expect("write");
            match LabelStore::open_read_only(&path) {
                Ok(store) if store.events_replayed() == lines => {
                    assert_eq!(store.recovered_torn_line(), !tail.is_empty());
                    assert_eq!(state_of(&store), expected);
                }
                Ok(store) => {
                    // The tail was itself a whole valid event: it counts.
                    assert_eq!(store.events_replayed(), lines + 1);
                    assert!(!store.recovered_torn_line());
                    let last: Event = serde_json::from_slice(&tail).expect("the tail is an event");
                    apply(&mut expected, &last);
                    assert_eq!(state_of(&store), expected);
                }
                Err(StoreError::BadLine { line, .. }) => assert_eq!(line, lines + 1),
                Err(err) => panic!("{err}"),
            }
        }
    }
});
