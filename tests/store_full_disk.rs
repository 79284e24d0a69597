//! A write that the file system refuses: the append fails and nothing unsaved is claimed.
//!
//! Tests run as root here, and root ignores permission bits, so a read-only folder
//! cannot make a write fail. A file-size limit (`RLIMIT_FSIZE`) can, for any user: the
//! test runs itself again as a child process with the limit set, so the kernel really
//! cuts the write short and then refuses it, as a full disk does.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::harden::set_file_size_limit;
use stance::store::{Event, LabelStore, StoreError};

/// Set in the child processes these tests start, to the journal they should write.
const CHILD_ENV: &str = "STANCE_TEST_FILE_SIZE_LIMIT";

fn event(start: usize) -> Event {
    let text = "Seoul said on Tuesday it would \"respond firmly\" to any further test.";
    Event::set(
        "wire-0042",
        start,
        text,
        ["military", "diplomatic"],
        "alice",
        1_717_171_717_000,
    )
}

fn file_len(path: &Path) -> u64 {
    fs::metadata(path).unwrap().len()
}

/// Runs in the child: appends under a size limit until the file system refuses.
fn append_until_refused(path: &Path) {
    let mut store = LabelStore::open_as(path, "child").unwrap();
    let before = store.annotations().count();
    let limit = file_len(path) + 1000;
    set_file_size_limit(limit);

    let mut saved = 0;
    let mut saved_len = file_len(path);
    let err = loop {
        assert!(saved < 100, "the size limit never stopped a write");
        match store.append(event(1000 * (saved + 1))) {
            Ok(()) => {
                saved += 1;
                saved_len = file_len(path);
            }
            Err(err) => break err,
        }
    };
    let refused = event(1000 * (saved + 1));
    let line_len = serde_json::to_vec(&refused).unwrap().len() as u64 + 1;
    assert!(
        saved_len < limit && limit < saved_len + line_len,
        "the write was cut short, not refused whole"
    );

    let message = err.to_string();
    assert!(matches!(err, StoreError::Io { .. }), "{message}");
    assert!(
        message.contains("append to label store") && message.contains(&path.display().to_string()),
        "{message}"
    );
    assert!(message.contains("File too large"), "{message}");
    assert_eq!(
        store.get(&refused.article, refused.start, refused.end, "alice"),
        None
    );
    assert_eq!(store.annotations().count(), before + saved);
    assert_eq!(
        file_len(path),
        saved_len,
        "the bytes of the refused append were cut off"
    );

    set_file_size_limit(libc::RLIM_INFINITY);
    store.append(refused.clone()).unwrap();
    assert_eq!(
        store
            .get(&refused.article, refused.start, refused.end, "alice")
            .map(|a| a.to_event()),
        Some(refused)
    );
    println!("saved {}", saved + 1);
}

/// Runs the test named `test` again in a child process that writes `path`; returns
/// its standard output after checking it passed.
fn run_child(test: &str, path: &Path) -> String {
    let test = crate::common::test_path(module_path!(), test);
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test.as_str(), "--exact", "--nocapture"])
        .env(CHILD_ENV, path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    stdout
}

fn store_of_three(path: &Path) {
    let mut store = LabelStore::open(path).unwrap();
    for start in [0, 100, 200] {
        store.append(event(start)).unwrap();
    }
}

#[test]
fn a_refused_write_fails_the_append_and_leaves_only_saved_events() {
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        append_until_refused(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    store_of_three(&path);

    let stdout = run_child(
        "a_refused_write_fails_the_append_and_leaves_only_saved_events",
        &path,
    );
    let saved: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("saved "))
        .expect("the child reports what it saved")
        .parse()
        .unwrap();

    let reopened = LabelStore::open(&path).unwrap();
    assert!(!reopened.recovered_torn_line());
    assert_eq!(reopened.events_replayed(), 3 + saved);
    assert_eq!(reopened.annotations().count(), 3 + saved);
}

/// Runs in the child: the torn line's side file is refused, so the append must be too,
/// and the torn bytes stay in the journal.
fn append_after_torn_line_with_side_file_refused(path: &Path) {
    let before = fs::read(path).unwrap();
    let mut store = LabelStore::open_as(path, "child").unwrap();
    assert!(store.recovered_torn_line());
    // Less than the torn bytes: the side file is cut short, and the journal cannot grow.
    set_file_size_limit(10);

    let next = event(300);
    let message = store.append(next.clone()).unwrap_err().to_string();
    assert!(
        message.contains("labels.jsonl.torn-") && message.contains("File too large"),
        "{message}"
    );
    assert_eq!(
        store.get(&next.article, next.start, next.end, "alice"),
        None
    );
    assert_eq!(fs::read(path).unwrap(), before, "the journal is untouched");
    let folder = path.parent().unwrap();
    let names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains(".torn-")),
        "a side file cut short is removed: {names:?}"
    );

    set_file_size_limit(libc::RLIM_INFINITY);
    store.append(next).unwrap();
    let after = fs::read(path).unwrap();
    let fragment_at = before.len() - FRAGMENT.len();
    assert_eq!(
        after[..fragment_at],
        before[..fragment_at],
        "cut off, not rewritten"
    );
    println!("appended");
}

const FRAGMENT: &[u8] = br#"{"v":1,"op":"set","article":"wire-0042","start":4"#;

#[test]
fn a_torn_line_whose_side_file_is_refused_fails_the_append_and_changes_nothing() {
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        append_after_torn_line_with_side_file_refused(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    store_of_three(&path);
    let fragment = FRAGMENT;
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(fragment);
    fs::write(&path, &bytes).unwrap();

    let stdout = run_child(
        "a_torn_line_whose_side_file_is_refused_fails_the_append_and_changes_nothing",
        &path,
    );
    assert!(stdout.contains("appended"), "{stdout}");

    let side: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".torn-"))
        .collect();
    assert_eq!(
        side.len(),
        1,
        "the torn bytes are kept aside once: {side:?}"
    );
    assert_eq!(fs::read(&side[0]).unwrap(), fragment);
    let reopened = LabelStore::open(&path).unwrap();
    assert!(!reopened.recovered_torn_line());
    assert_eq!(reopened.annotations().count(), 4);
}
