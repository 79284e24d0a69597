//! Any sequence of set/clear events, appended, replayed and compacted (also midway),
//! gives the state of a plain map from sentence-and-annotator to its last `Set` event.

use std::collections::BTreeMap;

use proptest::prelude::*;
use stance::store::{Event, JOURNAL_VERSION, LabelStore, Op, Origin, fingerprint};

type Model = BTreeMap<(String, usize, usize, String), Event>;

const ARTICLES: [&str; 3] = ["a1", "wire-2", "Ünïcode \"id\""];
const SPANS: [(usize, usize); 3] = [(0, 14), (15, 40), (0, 40)];
const ANNOTATORS: [&str; 2] = ["alice", "bob"];
const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];

fn event_strategy() -> impl Strategy<Value = Event> {
    (
        0..3usize,
        0..3usize,
        0..2usize,
        any::<bool>(),
        proptest::bits::u8::masked(0b111),
        any::<u32>(),
    )
        .prop_map(|(article, span, annotator, is_set, label_bits, ts)| {
            let (start, end) = SPANS[span];
            let text = format!("sentence {start}..{end}\n\t\"quoted\"");
            // Some sets are ignores instead: replaced and replacing like sets.
            let ignore = is_set && ts % 5 == 0;
            let mut event = Event {
                v: JOURNAL_VERSION,
                op: match (is_set, ignore) {
                    (true, true) => Op::Ignore,
                    (true, false) => Op::Set,
                    (false, _) => Op::Clear,
                },
                article: ARTICLES[article].to_owned(),
                start,
                end,
                fp: fingerprint(&text),
                labels: if is_set && !ignore {
                    (0..3)
                        .filter(|i| label_bits & (1 << i) != 0)
                        .map(|i| LABELS[i].to_owned())
                        .collect()
                } else {
                    Vec::new()
                },
                annotator: ANNOTATORS[annotator].to_owned(),
                ts: u64::from(ts),
                origin: if ts % 2 == 0 {
                    Origin::Typed
                } else {
                    Origin::Suggestion
                },
                text,
                scores: None,
            };
            event.v = event.version_needed();
            event
        })
}

fn model_of(events: &[Event]) -> Model {
    let mut model = Model::new();
    for e in events {
        let key = (e.article.clone(), e.start, e.end, e.annotator.clone());
        match e.op {
            Op::Set | Op::Ignore => {
                model.insert(key, e.clone());
            }
            Op::Clear => {
                model.remove(&key);
            }
            Op::Split | Op::Merge | Op::Restore => {}
            Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => {}
        }
    }
    model
}

fn state_of(store: &LabelStore) -> Model {
    let mut state = Model::new();
    for e in store.annotations() {
        assert_ne!(e.op(), Op::Clear);
        let key = (
            e.article().to_owned(),
            e.start(),
            e.end(),
            e.annotator().to_owned(),
        );
        assert_eq!(store.get(&key.0, key.1, key.2, &key.3), Some(e));
        assert!(
            state.insert(key, e.to_event()).is_none(),
            "one annotation per key"
        );
    }
    state
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn replay_and_compaction_equal_the_model(
        events in proptest::collection::vec(event_strategy(), 0..40),
        compact_at in 0..40usize,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        let expected = model_of(&events);

        let mut store = LabelStore::open(&path).unwrap();
        for (i, e) in events.iter().enumerate() {
            if i == compact_at {
                store.compact().unwrap();
                prop_assert_eq!(&state_of(&store), &model_of(&events[..i]));
            }
            store.append(e.clone()).unwrap();
        }
        prop_assert_eq!(&state_of(&store), &expected);
        prop_assert_eq!(&state_of(&LabelStore::open_read_only(&path).unwrap()), &expected);

        store.compact().unwrap();
        prop_assert_eq!(&state_of(&store), &expected);
        drop(store);
        let reopened = LabelStore::open(&path).unwrap();
        prop_assert_eq!(reopened.events_replayed(), expected.len());
        prop_assert_eq!(&state_of(&reopened), &expected);
    }
}
