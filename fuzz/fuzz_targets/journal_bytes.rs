//! Journal replay on any bytes: an error naming the file, or a store that a writer opens
//! the same way, appends to, and compacts, with nothing gained or lost on the way.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use stance::store::{Event, LabelStore};

fn state(store: &LabelStore) -> Vec<Event> {
    let mut events: Vec<Event> = store.annotations().map(|a| a.to_event()).collect();
    events.sort_by(|a, b| {
        (&a.article, a.start, a.end, &a.annotator).cmp(&(&b.article, b.start, b.end, &b.annotator))
    });
    events
}

fuzz_target!(|bytes: &[u8]| {
    let path = common::scratch().join("labels.jsonl");
    std::fs::write(&path, bytes).expect("write the journal");
    let read = LabelStore::open_read_only(&path);
    let mut writer = match (read, LabelStore::open(&path)) {
        (Err(read), Err(write)) => {
            let (read, write) = (read.to_string(), write.to_string());
            assert_eq!(read, write, "reader and writer disagree");
            assert!(read.contains("labels.jsonl"), "{read}");
            assert_eq!(
                std::fs::read(&path).expect("journal"),
                bytes,
                "a bad journal was changed"
            );
            return;
        }
        (Ok(read), Ok(writer)) => {
            assert_eq!(state(&read), state(&writer));
            assert_eq!(read.recovered_torn_line(), writer.recovered_torn_line());
            writer
        }
        (read, write) => panic!("reader {:?} but writer {:?}", read.err(), write.err()),
    };
    let mut expected = state(&writer);
    let text = "A sentence the fuzzer did not write.";
    let next = Event::set("fuzz-article", 7, text, ["military"], "fuzz", 1);
    writer.append(next.clone()).expect("append after replay");
    let same = |e: &Event| {
        (&e.article, e.start, e.end, &e.annotator)
            == (&next.article, next.start, next.end, &next.annotator)
    };
    expected.retain(|e| !same(e));
    expected.push(next);
    expected.sort_by(|a, b| {
        (&a.article, a.start, a.end, &a.annotator).cmp(&(&b.article, b.start, b.end, &b.annotator))
    });
    drop(writer);
    let reopened = LabelStore::open_read_only(&path).expect("reopen after append");
    assert!(
        !reopened.recovered_torn_line(),
        "the append left a torn line"
    );
    assert_eq!(state(&reopened), expected);
    let mut writer = LabelStore::open(&path).expect("writer reopens");
    writer.compact().expect("compact");
    drop(writer);
    let compacted = LabelStore::open_read_only(&path).expect("reopen after compaction");
    assert_eq!(state(&compacted), expected);
    assert_eq!(compacted.events_replayed(), expected.len());
});
