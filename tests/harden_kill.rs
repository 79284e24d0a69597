//! Crashes at random and at chosen moments: the label store always reopens and holds every
//! decision the screen said was saved.
//!
//! The random kills drive the real binary in a pseudo-terminal. Beside it runs the session's
//! own state machine (the library's `State` and `update`, started from the same files), which
//! says what each key must show and which journal writes it makes; a decision counts as
//! saved once the screen shows its result with `saved`. After each SIGKILL the store must
//! equal the saved decisions plus some prefix of the writes that were still unconfirmed.

mod common;

use std::path::Path;
use std::time::Duration;

use common::harden::Rng;
use common::predict::{Model, apply, await_screen, corpus_text, model_of, predict, press};
use common::pty::{Home, Terminal};
use stance::store::{Event, LabelStore, Op};

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// Keys the scripted analyst presses; decisions are the most frequent.
const KEYS: &[char] = &[
    '1', '1', '2', '2', '3', '3', '0', '0', '\r', '\r', 'x', 'j', 'j', 'k', 'n', 'p', 'u', 'u',
    '\x12', ' ', 'g', 'G',
];

/// `runs` sessions on one store, each killed at a random moment; every reopen is checked.
fn kill_at_random_moments(seed: u64, runs: usize) {
    let mut rng = Rng::new(seed);
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(4, 6));
    let labels = home.labels();
    let args = [
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ];
    let (mut torn, mut landed, mut lost_in_flight) = (0, 0, 0);
    for run in 0..runs {
        let context = |step: &str| format!("seed {seed} run {run} {step}");
        let mut state = predict(&corpus, &labels, COLS, ROWS);
        let mut saved: Model = model_of(&LabelStore::open_read_only(&labels).unwrap());
        let mut term = Terminal::spawn(&home, &args, COLS, ROWS);
        await_screen(&term, &state, &context("start"));
        for step in 0..rng.below(9) {
            let key = *rng.pick(KEYS);
            let writes = press(&mut state, key);
            term.send(&key.to_string());
            await_screen(&term, &state, &context(&format!("step {step} key {key:?}")));
            writes.iter().for_each(|e| apply(&mut saved, e));
        }
        // Keys typed but never seen through, then the kill, a random moment later.
        let burst: Vec<char> = (0..rng.below(5)).map(|_| *rng.pick(KEYS)).collect();
        let unconfirmed: Vec<Event> = burst.iter().flat_map(|&k| press(&mut state, k)).collect();
        term.send(&burst.iter().collect::<String>());
        std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        term.kill_hard();
        drop(term);

        let store = LabelStore::open_read_only(&labels)
            .unwrap_or_else(|e| panic!("{}: the store does not reopen: {e}", context("kill")));
        torn += usize::from(store.recovered_torn_line());
        let actual = model_of(&store);
        // The journal is written in order: what survived is the saved state plus a prefix
        // of the unconfirmed writes.
        let mut candidate = saved.clone();
        let mut prefix = (actual == candidate).then_some(0);
        for (i, event) in unconfirmed.iter().enumerate() {
            apply(&mut candidate, event);
            if prefix.is_none() && actual == candidate {
                prefix = Some(i + 1);
            }
        }
        let Some(prefix) = prefix else {
            panic!(
                "{}: the store holds {actual:?}\nbut the saved decisions were {saved:?}\n\
                 and the unconfirmed writes {unconfirmed:?}",
                context("kill")
            );
        };
        landed += prefix;
        lost_in_flight += unconfirmed.len() - prefix;
    }
    let mut writer = LabelStore::open(&labels).expect("a writer opens the store at the end");
    assert!(!writer.recovered_torn_line() || torn > 0);
    writer.compact().expect("and compacts it");
    eprintln!(
        "seed {seed}: {runs} kills, {torn} left a torn line; of the writes in flight \
         {landed} landed and {lost_in_flight} were never made"
    );
}

#[test]
fn sessions_killed_at_random_moments_keep_every_decision_shown_saved() {
    kill_at_random_moments(0x5eed_0001, 25);
}

#[test]
fn more_sessions_killed_at_random_moments_keep_every_decision_shown_saved() {
    kill_at_random_moments(0x5eed_0002, 25);
}

/// Set in the child process of the compaction test, to the journal it compacts.
const COMPACT_CHILD: &str = "STANCE_TEST_COMPACT_CHILD";

/// Compaction's steps, in order, as `stance::fault` names them.
const COMPACTION_STEPS: [&str; 5] = [
    "compact:torn-kept",
    "compact:tmp-written",
    "compact:tmp-synced",
    "compact:renamed",
    "compact:done",
];

fn event(n: usize, labels: &[&str], op: Op) -> Event {
    let text = format!("Sentence {n} of the wire story.");
    Event {
        op,
        ..Event::set(
            &format!("wire-{}", n % 3),
            100 * n,
            &text,
            labels.iter().copied(),
            "alice",
            1_700_000_000_000 + n as u64,
        )
    }
}

/// A journal of superseded and cleared decisions, maybe ending in a torn line; its bytes.
fn journal_to_compact(path: &Path, torn: Option<&[u8]>) -> Vec<u8> {
    let mut store = LabelStore::open(path).unwrap();
    for round in 0..4 {
        for n in 0..8 {
            let labels: &[&str] = [&["military"][..], &["sanctions", "diplomatic"], &[]][round % 3];
            store.append(event(n, labels, Op::Set)).unwrap();
        }
    }
    store.append(event(3, &[], Op::Clear)).unwrap();
    drop(store);
    let mut bytes = std::fs::read(path).unwrap();
    bytes.extend_from_slice(torn.unwrap_or_default());
    std::fs::write(path, &bytes).unwrap();
    bytes
}

fn side_files(dir: &Path, marker: &str) -> Vec<Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(marker))
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

#[cfg(debug_assertions)] // the fault points exist in debug builds only
#[test]
fn compaction_killed_at_each_step_leaves_the_old_or_the_new_journal_whole() {
    use std::os::unix::process::ExitStatusExt;
    if let Some(path) = std::env::var_os(COMPACT_CHILD) {
        let mut store = LabelStore::open_as(Path::new(&path), "child").unwrap();
        store.compact().unwrap();
        return;
    }
    let fragment: &[u8] = br#"{"v":1,"op":"set","article":"wire-1","start":1"#;
    for torn in [None, Some(fragment)] {
        for (step, point) in COMPACTION_STEPS.iter().enumerate() {
            let context = format!("crash at {point}, torn line {}", torn.is_some());
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("labels.jsonl");
            let before = journal_to_compact(&path, torn);
            let expected = model_of(&LabelStore::open_read_only(&path).unwrap());

            let status = std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "compaction_killed_at_each_step_leaves_the_old_or_the_new_journal_whole",
                    "--exact",
                ])
                .env(COMPACT_CHILD, &path)
                .env(stance::fault::ENV, point)
                .current_dir(dir.path())
                .output()
                .unwrap()
                .status;
            assert_eq!(status.signal(), Some(libc::SIGABRT), "{context}: {status}");

            let after = std::fs::read(&path).unwrap();
            let store = LabelStore::open_read_only(&path).unwrap();
            assert_eq!(model_of(&store), expected, "{context}");
            let renamed = step >= 3;
            if renamed {
                assert_eq!(
                    store.events_replayed(),
                    expected.len(),
                    "{context}: the compacted journal holds one set per annotation"
                );
                assert!(!store.recovered_torn_line(), "{context}");
            } else {
                assert_eq!(after, before, "{context}: the old journal is untouched");
            }
            if torn.is_some() {
                assert_eq!(side_files(dir.path(), ".torn-"), [fragment], "{context}");
            }

            let mut writer = LabelStore::open(&path).unwrap();
            assert!(
                side_files(dir.path(), ".compact-tmp").is_empty(),
                "{context}: the next writer removes the leftover temporary file"
            );
            let next = event(20, &["sanctions"], Op::Set);
            writer.append(next.clone()).unwrap();
            drop(writer);
            let mut with_next = expected.clone();
            apply(&mut with_next, &next);
            let reopened = LabelStore::open_read_only(&path).unwrap();
            assert_eq!(model_of(&reopened), with_next, "{context}");
            if let Some(fragment) = torn {
                let kept = side_files(dir.path(), ".torn-");
                assert!(kept.iter().all(|k| k == fragment) && !kept.is_empty());
            }
        }
    }
}
