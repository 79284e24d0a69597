//! Journal replay, torn and bad lines, and compaction, on real files.

use std::fs;
use std::path::{Path, PathBuf};

use stance::store::{Event, LabelStore, Op, Origin, StoreError};

fn event(article: &str, start: usize, end: usize, annotator: &str, labels: &[&str]) -> Event {
    let text = format!("Sentence {start}-{end} of {article}, with \"quotes\" and é.");
    // The span is the caller's, not the text's length: some are deliberately backwards.
    Event {
        end,
        ..Event::set(
            article,
            start,
            &text,
            labels.iter().copied(),
            annotator,
            1_717_171_717_000 + start as u64,
        )
    }
}

fn clear(article: &str, start: usize, end: usize, annotator: &str) -> Event {
    Event {
        op: Op::Clear,
        ..event(article, start, end, annotator, &[])
    }
}

fn labels(
    store: &LabelStore,
    article: &str,
    start: usize,
    end: usize,
    who: &str,
) -> Option<Vec<String>> {
    store
        .get(article, start, end, who)
        .map(|e| e.labels().to_vec())
}

fn journal(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("labels.jsonl")
}

/// A journal holding two of alice's decisions on `a1`: `diplomatic`, then no stance.
fn two_decisions(dir: &tempfile::TempDir) -> PathBuf {
    let path = journal(dir);
    store_with(
        &path,
        &[
            event("a1", 0, 10, "alice", &["diplomatic"]),
            event("a1", 11, 20, "alice", &[]),
        ],
    );
    path
}

fn store_with(path: &Path, events: &[Event]) {
    let mut store = LabelStore::open(path).unwrap();
    for e in events {
        store.append(e.clone()).unwrap();
    }
}

fn sorted_state(store: &LabelStore) -> Vec<Event> {
    let mut all: Vec<Event> = store.annotations().map(|a| a.to_event()).collect();
    all.sort_by(|a, b| {
        (&a.article, a.start, a.end, &a.annotator).cmp(&(&b.article, b.start, b.end, &b.annotator))
    });
    all
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn last_event_wins_per_sentence_and_annotator_and_clear_removes() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    let events = [
        event("a1", 0, 10, "alice", &["diplomatic"]),
        event("a1", 0, 10, "alice", &["military", "sanctions"]),
        event("a1", 0, 10, "bob", &["sanctions"]),
        event("a1", 11, 20, "alice", &[]),
        event("a1", 11, 20, "bob", &["military"]),
        clear("a1", 11, 20, "bob"),
        event("a2", 0, 10, "alice", &[]),
        clear("a2", 5, 9, "alice"),
    ];
    let mut store = LabelStore::open(&path).unwrap();
    for e in &events {
        store.append(e.clone()).unwrap();
    }
    let check = |store: &LabelStore| {
        assert_eq!(
            labels(store, "a1", 0, 10, "alice"),
            Some(vec!["military".into(), "sanctions".into()])
        );
        assert_eq!(
            labels(store, "a1", 0, 10, "bob"),
            Some(vec!["sanctions".into()])
        );
        assert_eq!(labels(store, "a1", 11, 20, "alice"), Some(vec![]));
        assert_eq!(labels(store, "a1", 11, 20, "bob"), None);
        assert_eq!(labels(store, "a2", 0, 10, "alice"), Some(vec![]));
        assert_eq!(labels(store, "a2", 0, 10, "carol"), None);
        assert_eq!(store.annotations().count(), 4);
    };
    check(&store);
    drop(store);
    let reopened = LabelStore::open(&path).unwrap();
    check(&reopened);
    assert_eq!(reopened.events_replayed(), events.len());
    assert!(!reopened.recovered_torn_line());
    assert_eq!(reopened.path(), path);
    check(&LabelStore::open_read_only(&path).unwrap());
}

#[test]
fn torn_last_line_is_tolerated_reported_kept_aside_and_the_next_append_lands_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = two_decisions(&dir);
    let fragment = br#"{"v":1,"op":"set","article":"a1","start":21,"end":30,"fp":"00"#;
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(fragment);
    fs::write(&path, &bytes).unwrap();

    let reader = LabelStore::open_read_only(&path).unwrap();
    assert!(reader.recovered_torn_line());
    assert_eq!(reader.annotations().count(), 2);

    let mut store = LabelStore::open(&path).unwrap();
    assert!(store.recovered_torn_line());
    assert_eq!(store.events_replayed(), 2);
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "opening alone must not rewrite the journal"
    );
    store
        .append(event("a1", 21, 30, "alice", &["military"]))
        .unwrap();

    let side: Vec<String> = files_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("labels.jsonl.torn-"))
        .collect();
    assert_eq!(side.len(), 1, "{side:?}");
    assert_eq!(fs::read(dir.path().join(&side[0])).unwrap(), fragment);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.ends_with('\n'));
    assert_eq!(text.lines().count(), 3);
    drop(store);

    let reopened = LabelStore::open(&path).unwrap();
    assert!(!reopened.recovered_torn_line());
    assert_eq!(reopened.annotations().count(), 3);
    assert_eq!(
        labels(&reopened, "a1", 0, 10, "alice"),
        Some(vec!["diplomatic".into()])
    );
    assert_eq!(
        labels(&reopened, "a1", 21, 30, "alice"),
        Some(vec!["military".into()])
    );
}

#[test]
fn a_whole_last_event_without_its_newline_counts_and_the_next_append_adds_the_newline() {
    let dir = tempfile::tempdir().unwrap();
    let path = two_decisions(&dir);
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();

    let mut store = LabelStore::open(&path).unwrap();
    assert!(!store.recovered_torn_line());
    assert_eq!(store.annotations().count(), 2);
    store
        .append(event("a2", 0, 5, "alice", &["sanctions"]))
        .unwrap();
    drop(store);
    let after = fs::read(&path).unwrap();
    assert!(
        after.starts_with(&bytes),
        "existing bytes are never rewritten"
    );
    let reopened = LabelStore::open(&path).unwrap();
    assert_eq!(reopened.events_replayed(), 3);
    assert_eq!(
        labels(&reopened, "a2", 0, 5, "alice"),
        Some(vec!["sanctions".into()])
    );
}

/// Opening a journal with `bad` as line 2 fails naming line 2, and changes nothing.
fn assert_bad_second_line(bad: &str, reason_part: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = two_decisions(&dir);
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(1, bad);
    let before = format!("{}\n", lines.join("\n"));
    fs::write(&path, &before).unwrap();
    let files_before = files_in(dir.path());

    for result in [LabelStore::open(&path), LabelStore::open_read_only(&path)] {
        let err = result.unwrap_err();
        match &err {
            StoreError::BadLine {
                path: p,
                line,
                reason,
            } => {
                assert_eq!((p, *line), (&path, 2), "{err}");
                assert!(reason.contains(reason_part), "{reason}");
            }
            other => panic!("expected a bad line, got {other}"),
        }
        let message = err.to_string();
        assert!(
            message.contains(&path.display().to_string()) && message.contains("line 2"),
            "{message}"
        );
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
    assert_eq!(files_in(dir.path()), files_before);
}

#[test]
fn a_corrupt_middle_line_is_an_error_naming_it_and_the_file_is_unchanged() {
    assert_bad_second_line("this is not json", "not a journal event");
    assert_bad_second_line(r#"{"v":1,"op":"set","article":"a1""#, "not a journal event");
    assert_bad_second_line(r#"{"v":1,"op":"set"}"#, "missing field");
    assert_bad_second_line("", "empty line");
    let e = serde_json::to_string(&event("a1", 30, 40, "alice", &[])).unwrap();
    assert_bad_second_line(&e.replace(r#""labels""#, r#""lables""#), "unknown field");
    assert_bad_second_line(
        &e.replace(r#""start":30"#, r#""start":50"#),
        "start 50 is after end 40",
    );
    assert_bad_second_line(
        &e.replace(r#""op":"set""#, r#""op":"delete""#),
        "unknown variant",
    );
}

#[test]
fn an_unknown_format_version_is_an_error_naming_the_line() {
    let e = serde_json::to_string(&event("a1", 30, 40, "alice", &[])).unwrap();
    assert_bad_second_line(&e.replace(r#""v":1"#, r#""v":5"#), "version 5");
    assert_bad_second_line(&e.replace(r#""v":1"#, r#""v":5"#), "newer stance");
    assert_bad_second_line(&e.replace(r#""v":1"#, r#""v":0"#), "version 0");
    assert_bad_second_line(r#"{"v":7,"sentence":{"id":3}}"#, "version 7");
    assert_bad_second_line(r#"{"v":7,"sentence":{"id":3}}"#, "upgrade stance");
    // A version-2 value in a line that says version 1 is refused, not read as version 1.
    let imported = e.replace(r#""origin":"typed""#, r#""origin":"imported""#);
    assert_bad_second_line(&imported, "needs journal format version 2");
}

#[test]
fn version_1_and_version_2_lines_read_side_by_side_and_each_line_says_the_least_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    // A journal as the first version of stance wrote it, fields in its order.
    let v1 = r#"{"v":1,"op":"set","article":"a1","start":0,"end":10,"fp":"cbf29ce484222325","labels":["diplomatic"],"annotator":"alice","ts":5,"origin":"typed","text":""}"#;
    let v2 = r#"{"v":2,"op":"set","article":"a1","start":11,"end":20,"fp":"cbf29ce484222325","labels":[],"annotator":"bob","ts":6,"origin":"imported","text":""}"#;
    let v2_typed = v2
        .replace("\"start\":11,\"end\":20", "\"start\":21,\"end\":30")
        .replace("imported", "adjudicated");
    fs::write(&path, format!("{v1}\n{v2}\n{v2_typed}\n")).unwrap();
    let mut store = LabelStore::open(&path).unwrap();
    let origins: Vec<Origin> = store.annotations().map(|a| a.origin()).collect();
    assert_eq!(
        origins,
        [Origin::Typed, Origin::Imported, Origin::Adjudicated]
    );
    store.compact().unwrap();
    let lines: Vec<serde_json::Value> = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let versions: Vec<u64> = lines.iter().map(|l| l["v"].as_u64().unwrap()).collect();
    assert_eq!(
        versions,
        [1, 2, 2],
        "a typed line stays readable by a version-1 reader"
    );
    assert_eq!(fs::read_to_string(&path).unwrap().lines().next(), Some(v1));
}

#[test]
fn a_bad_last_line_that_is_complete_json_is_an_error_not_a_torn_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    store_with(&path, &[event("a1", 0, 10, "alice", &["diplomatic"])]);
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(br#"{"v":2,"op":"set"}"#);
    fs::write(&path, &bytes).unwrap();
    let err = LabelStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::BadLine { line: 2, .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn compaction_keeps_the_state_and_shrinks_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    let mut store = LabelStore::open(&path).unwrap();
    for round in 0..20 {
        for start in [0, 10, 20, 30] {
            let label = ["diplomatic", "sanctions", "military"][(round + start) % 3];
            store
                .append(event("a1", start, start + 9, "alice", &[label]))
                .unwrap();
        }
        store.append(clear("a1", 30, 39, "alice")).unwrap();
    }
    store
        .append(event("gone", 0, 4, "bob", &["military"]))
        .unwrap();
    let before = sorted_state(&store);
    let size_before = fs::metadata(&path).unwrap().len();

    store.compact().unwrap();
    assert_eq!(sorted_state(&store), before);
    let size_after = fs::metadata(&path).unwrap().len();
    assert!(
        size_after * 10 < size_before,
        "{size_after} vs {size_before}"
    );
    assert!(
        !files_in(dir.path())
            .iter()
            .any(|n| n.ends_with(".compact-tmp"))
    );
    store
        .append(event("a1", 40, 49, "alice", &["sanctions"]))
        .unwrap();
    drop(store);

    let reopened = LabelStore::open(&path).unwrap();
    assert_eq!(reopened.events_replayed(), before.len() + 1);
    let mut expected = before;
    expected.push(event("a1", 40, 49, "alice", &["sanctions"]));
    let mut got = sorted_state(&reopened);
    got.retain(|e| e.start != 40);
    got.push(reopened.get("a1", 40, 49, "alice").unwrap().to_event());
    assert_eq!(got, expected);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.lines().all(|l| l.contains(r#""op":"set""#)));
}

#[test]
fn compaction_writes_each_line_as_append_did_whatever_its_fingerprint_and_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    let odd_fps = [
        "CBF29CE484222325",
        "",
        "short",
        "not a fingerprint, and longer than sixteen bytes",
        "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{0}x",
    ];
    let mut events = Vec::new();
    for (i, fp) in odd_fps.iter().enumerate() {
        let mut e = event(
            "a\"1\n",
            i * 10,
            i * 10 + 9,
            "al\u{0}ice",
            &["x\\y", "\u{2028}"],
        );
        e.fp = (*fp).to_owned();
        e.origin = Origin::Suggestion;
        events.push(e);
    }
    let mut plain = event("a2", 0, 9, "bob", &[]);
    plain.text = String::new();
    events.push(plain);
    events.push(event("a2", 10, 19, "bob", &["military", "sanctions"]));
    store_with(&path, &events);
    let appended = fs::read(&path).unwrap();

    let mut store = LabelStore::open(&path).unwrap();
    store.compact().unwrap();
    assert_eq!(
        String::from_utf8(fs::read(&path).unwrap()).unwrap(),
        String::from_utf8(appended).unwrap()
    );
    drop(store);
    let reopened = LabelStore::open_read_only(&path).unwrap();
    let fps: Vec<String> = reopened
        .annotations()
        .map(|a| a.fp().into_owned())
        .collect();
    assert_eq!(fps[..odd_fps.len()], odd_fps);
}

#[test]
fn an_interrupted_compaction_leaves_the_old_journal_in_force() {
    let leftovers: [&[u8]; 3] = [
        b"",
        br#"{"v":1,"op":"set","article":"a1","st"#,
        b"{\"v\":1,\"op\":\"clear\",\"article\":\"a1\",\"start\":0,\"end\":10,\"fp\":\"0\",\"annotator\":\"alice\",\"ts\":1}\n",
    ];
    for leftover in leftovers {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        store_with(
            &path,
            &[
                event("a1", 0, 10, "alice", &["diplomatic"]),
                event("a1", 11, 20, "bob", &[]),
            ],
        );
        let tmp = dir.path().join("labels.jsonl.compact-tmp");
        fs::write(&tmp, leftover).unwrap();

        let reader = LabelStore::open_read_only(&path).unwrap();
        assert_eq!(reader.annotations().count(), 2);
        assert!(tmp.exists(), "a reader never removes files");

        let mut store = LabelStore::open(&path).unwrap();
        assert_eq!(
            labels(&store, "a1", 0, 10, "alice"),
            Some(vec!["diplomatic".into()])
        );
        assert_eq!(store.annotations().count(), 2);
        assert!(!tmp.exists(), "the writer removes the leftover");
        store.append(event("a2", 0, 10, "alice", &[])).unwrap();
        store.compact().unwrap();
        drop(store);
        assert_eq!(LabelStore::open(&path).unwrap().annotations().count(), 3);
    }
}

#[test]
fn a_writer_compacts_by_itself_a_journal_mostly_made_of_superseded_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    let mut text = String::new();
    for i in 0..12_000usize {
        let e = event(
            "a1",
            (i % 50) * 10,
            (i % 50) * 10 + 9,
            "alice",
            &[["diplomatic", "military"][i % 2]],
        );
        text.push_str(&serde_json::to_string(&e).unwrap());
        text.push('\n');
    }
    fs::write(&path, &text).unwrap();
    let expected = sorted_state(&LabelStore::open_read_only(&path).unwrap());
    assert_eq!(expected.len(), 50);

    let store = LabelStore::open(&path).unwrap();
    assert_eq!(store.events_replayed(), 12_000);
    assert_eq!(sorted_state(&store), expected);
    assert_eq!(fs::read_to_string(&path).unwrap().lines().count(), 50);
    drop(store);
    assert_eq!(sorted_state(&LabelStore::open(&path).unwrap()), expected);
}

#[test]
fn invalid_events_and_read_only_stores_are_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    store_with(&path, &[event("a1", 0, 10, "alice", &["diplomatic"])]);
    let before = fs::read(&path).unwrap();

    let mut store = LabelStore::open(&path).unwrap();
    let backwards = event("a1", 10, 0, "alice", &[]);
    assert!(matches!(
        store.append(backwards),
        Err(StoreError::InvalidEvent { .. })
    ));
    let future = Event {
        v: 2,
        ..event("a1", 0, 10, "alice", &[])
    };
    assert!(matches!(
        store.append(future),
        Err(StoreError::InvalidEvent { .. })
    ));
    assert_eq!(
        labels(&store, "a1", 0, 10, "alice"),
        Some(vec!["diplomatic".into()])
    );
    drop(store);

    let mut reader = LabelStore::open_read_only(&path).unwrap();
    let err = reader.append(event("a1", 0, 10, "alice", &[])).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(matches!(reader.compact(), Err(StoreError::ReadOnly { .. })));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn open_creates_missing_folders_and_names_the_path_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("deep/er/labels.jsonl");
    let mut store = LabelStore::open(&nested).unwrap();
    store.append(event("a1", 0, 10, "alice", &[])).unwrap();
    assert!(nested.is_file());

    let missing = dir.path().join("nothing-here.jsonl");
    let reader = LabelStore::open_read_only(&missing).unwrap();
    assert_eq!(reader.annotations().count(), 0);
    assert!(!missing.exists(), "a reader creates nothing");

    let file = dir.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();
    let under_file = file.join("labels.jsonl");
    let message = LabelStore::open(&under_file).unwrap_err().to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
}

#[test]
fn a_bad_line_deep_in_a_journal_larger_than_a_read_chunk_is_named_by_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    let mut text = String::new();
    for i in 0..30_000usize {
        let mut e = event(
            &format!("a{}", i % 700),
            i * 10,
            i * 10 + 9,
            "alice",
            &["sanctions"],
        );
        e.text = "x".repeat(i % 300);
        let line = serde_json::to_string(&e).unwrap();
        text.push_str(if i == 12_344 {
            "{\"v\":1,\"op\":\"set\"}"
        } else {
            &line
        });
        text.push('\n');
    }
    text.push_str(r#"{"v":1,"op":"se"#);
    assert!(text.len() > 8 << 20, "spans several read chunks");
    fs::write(&path, &text).unwrap();
    let err = LabelStore::open_read_only(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::BadLine { line: 12_345, .. }),
        "{err}"
    );

    let fixed = text.replace("{\"v\":1,\"op\":\"set\"}\n", "");
    fs::write(&path, &fixed).unwrap();
    let store = LabelStore::open_read_only(&path).unwrap();
    assert!(store.recovered_torn_line());
    assert_eq!(store.events_replayed(), 29_999);
    assert_eq!(store.annotations().count(), 29_999);
    let last = store.get("a599", 299_990, 299_999, "alice").unwrap();
    assert_eq!(last.text(), "x".repeat(29_999 % 300));
}

#[test]
fn a_large_journal_whose_sentences_recur_throughout_replays_as_the_model_says() {
    use std::collections::BTreeMap;
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    let mut model = BTreeMap::new();
    let mut lines = Vec::new();
    // Keys come back across the whole journal, across every read chunk.
    for i in 0..60_000usize {
        let key = (i * 7919) % 5_000;
        let (article, start, who) = (
            format!("a{}", key % 400),
            key / 400 * 20,
            ["alice", "bob"][key % 2],
        );
        let e = if i % 11 == 0 {
            clear(&article, start, start + 9, who)
        } else {
            let mut e = event(
                &article,
                start,
                start + 9,
                who,
                &[["diplomatic", "military"][i % 2]],
            );
            e.ts = i as u64;
            e.text = format!("{} \"{i}\"", "y".repeat(150));
            e
        };
        match e.op {
            Op::Set | Op::Ignore => model.insert((article, start, who.to_owned()), e.clone()),
            Op::Clear => model.remove(&(article, start, who.to_owned())),
            Op::Split | Op::Merge | Op::Restore => None,
            Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => None,
        };
        lines.push(serde_json::to_string(&e).unwrap());
    }
    let text = lines.join("\n") + "\n";
    assert!(text.len() > 8 << 20, "spans several read chunks");
    fs::write(&path, &text).unwrap();

    let store = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(store.events_replayed(), lines.len());
    let got: BTreeMap<_, _> = store
        .annotations()
        .map(|e| {
            let key = (e.article().to_owned(), e.start(), e.annotator().to_owned());
            (key, e.to_event())
        })
        .collect();
    assert_eq!(got.len(), store.annotations().count());
    assert!(got == model, "replay differs from the model");

    for (bad, expected_line) in [(59_000, 59_001), (3, 4)] {
        lines[bad] = "{}".to_owned();
        fs::write(&path, lines.join("\n") + "\n").unwrap();
        let err = LabelStore::open_read_only(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::BadLine { line, .. } if line == expected_line),
            "{err}"
        );
    }
}

fn ignore(article: &str, start: usize, end: usize, annotator: &str) -> Event {
    Event {
        v: 3,
        op: Op::Ignore,
        ..event(article, start, end, annotator, &[])
    }
}

#[test]
fn an_ignore_replaces_a_set_and_is_replaced_by_one_across_reopen_and_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(&dir);
    store_with(
        &path,
        &[
            event("a1", 0, 10, "alice", &["diplomatic"]),
            ignore("a1", 0, 10, "alice"),
            ignore("a1", 11, 20, "alice"),
            event("a1", 11, 20, "alice", &["military"]),
        ],
    );
    let text = fs::read_to_string(&path).unwrap();
    let second = text.lines().nth(1).unwrap();
    assert!(
        second.starts_with(r#"{"v":3,"op":"ignore","#) && second.contains(r#""labels":[]"#),
        "{second}"
    );
    // The first line uses nothing new: it keeps its old version.
    assert!(text.starts_with(r#"{"v":1,"op":"set""#), "{text}");
    for compact in [false, true] {
        if compact {
            LabelStore::open(&path).unwrap().compact().unwrap();
        }
        let store = LabelStore::open(&path).unwrap();
        let first = store.get("a1", 0, 10, "alice").unwrap();
        assert_eq!((first.op(), first.is_ignored()), (Op::Ignore, true));
        assert!(first.labels().is_empty());
        let second = store.get("a1", 11, 20, "alice").unwrap();
        assert_eq!(second.op(), Op::Set);
        assert_eq!(second.labels(), ["military"]);
    }
    let compacted = fs::read_to_string(&path).unwrap();
    assert_eq!(
        compacted.matches(r#""op":"ignore""#).count(),
        1,
        "{compacted}"
    );
}

#[test]
fn an_ignore_below_version_3_or_with_labels_is_an_error_naming_the_line() {
    let e = serde_json::to_string(&ignore("a1", 30, 40, "alice")).unwrap();
    assert!(e.contains(r#""v":3"#), "{e}");
    assert_bad_second_line(
        &e.replace(r#""v":3"#, r#""v":2"#),
        "needs journal format version 3",
    );
    assert_bad_second_line(
        &e.replace(r#""labels":[]"#, r#""labels":["military"]"#),
        "carries no labels",
    );
    let mut store = LabelStore::open(&two_decisions(&tempfile::tempdir().unwrap())).unwrap();
    let mut labelled = ignore("a1", 30, 40, "alice");
    labelled.labels = vec!["military".into()];
    assert!(matches!(
        store.append(labelled),
        Err(StoreError::InvalidEvent { .. })
    ));
}
