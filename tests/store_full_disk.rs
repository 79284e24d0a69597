//! A write that the file system refuses: the append fails and nothing unsaved is claimed.
//!
//! Tests run as root here, and root ignores permission bits, so a read-only folder
//! cannot make a write fail. A file-size limit (`RLIMIT_FSIZE`) can, for any user: the
//! test runs itself again as a child process with the limit set, so the kernel really
//! cuts the write short and then refuses it, as a full disk does.

use std::fs;
use std::path::Path;
use std::process::Command;

use stance::store::{Event, JOURNAL_VERSION, LabelStore, Op, Origin, StoreError, fingerprint};

/// Set in the child process this test starts, to the journal it should write.
const CHILD_ENV: &str = "STANCE_TEST_FILE_SIZE_LIMIT";

fn event(start: usize) -> Event {
    let text = "Seoul said on Tuesday it would \"respond firmly\" to any further test.".to_owned();
    Event {
        v: JOURNAL_VERSION,
        op: Op::Set,
        article: "wire-0042".into(),
        start,
        end: start + text.len(),
        fp: fingerprint(&text),
        labels: vec!["military".into(), "diplomatic".into()],
        annotator: "alice".into(),
        ts: 1_717_171_717_000,
        origin: Origin::Typed,
        text,
    }
}

fn set_file_size_limit(bytes: libc::rlim_t) {
    // SAFETY: plain syscalls on this process's own limits and signal disposition.
    unsafe {
        // Without this the kernel kills the process (SIGXFSZ) instead of failing the write.
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
        limit.rlim_cur = bytes.min(limit.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
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
        store.get(&refused.article, refused.start, refused.end, "alice"),
        Some(&refused)
    );
    println!("saved {}", saved + 1);
}

#[test]
fn a_refused_write_fails_the_append_and_leaves_only_saved_events() {
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        append_until_refused(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open(&path).unwrap();
    for start in [0, 100, 200] {
        store.append(event(start)).unwrap();
    }
    drop(store);

    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "a_refused_write_fails_the_append_and_leaves_only_saved_events",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD_ENV, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
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
