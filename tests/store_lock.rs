//! The one-writer lock, with real processes.

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stance::store::{Event, LabelStore, StoreError};

/// Set in the child process this test starts, to the journal it should hold.
const HOLDER_ENV: &str = "STANCE_TEST_LOCK_HOLDER";

fn event(start: usize) -> Event {
    Event::set("a1", start, "Talks.", ["diplomatic"], "alice", 1)
}

fn locked_pid(path: &Path) -> u32 {
    let Err(err) = LabelStore::open(path) else {
        panic!("a second writer opened {}", path.display());
    };
    let message = err.to_string();
    let StoreError::Locked { path: locked, pid } = err else {
        panic!("expected the store to be locked, got {message}");
    };
    assert_eq!(locked, path);
    assert!(message.contains(&format!("process {pid}")), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    pid
}

#[test]
fn a_second_writer_is_refused_naming_the_first_and_gets_in_once_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut first = LabelStore::open_as(&path, "alice").unwrap();
    first.append(event(0)).unwrap();

    assert_eq!(locked_pid(&path), std::process::id());
    let lock_text = std::fs::read_to_string(dir.path().join("labels.jsonl.lock")).unwrap();
    assert!(lock_text.contains("annotator alice"), "{lock_text}");

    let reader = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(reader.annotations().count(), 1, "readers need no lock");

    first.append(event(10)).unwrap();
    drop(first);
    let mut second = LabelStore::open_as(&path, "bob").unwrap();
    assert_eq!(second.annotations().count(), 2);
    second.append(event(20)).unwrap();
}

#[test]
fn a_holder_killed_with_sigkill_releases_the_lock() {
    if let Some(held) = std::env::var_os(HOLDER_ENV) {
        let mut store = LabelStore::open_as(Path::new(&held), "child").unwrap();
        store.append(event(0)).unwrap();
        println!("holding {}", std::process::id());
        // Bounded, in case the parent dies before killing this process.
        std::thread::sleep(Duration::from_secs(120));
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let test = crate::common::test_path(
        module_path!(),
        "a_holder_killed_with_sigkill_releases_the_lock",
    );
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([test.as_str(), "--exact", "--nocapture"])
        .env(HOLDER_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let holding = stdout
        .lines()
        .map(Result::unwrap)
        .find_map(|line| {
            line.strip_prefix("holding ")
                .map(|pid| pid.parse::<u32>().unwrap())
        })
        .expect("the child reports that it holds the lock");
    assert_eq!(holding, child.id());

    assert_eq!(locked_pid(&path), child.id());
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "{status:?}");

    // The OS drops the lock as the process is reaped; allow a moment on a slow machine.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut store = loop {
        match LabelStore::open_as(&path, "parent") {
            Ok(store) => break store,
            Err(StoreError::Locked { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("the killed holder's lock was not released: {e}"),
        }
    };
    assert_eq!(
        store.annotations().count(),
        1,
        "the child's saved event survives"
    );
    store.append(event(10)).unwrap();
}

/// True when thread `tid` of this process is in a sleep system call: an opener that found
/// the lock busy and pauses before trying again (nothing else in `open_as` sleeps before
/// that, and it reads no slow device).
#[cfg(target_os = "linux")]
fn sleeping(tid: &str) -> bool {
    let Ok(syscall) = std::fs::read_to_string(format!("/proc/self/task/{tid}/syscall")) else {
        return false;
    };
    let number = syscall
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok());
    number.is_some_and(|n: libc::c_long| n == libc::SYS_clock_nanosleep || n == libc::SYS_nanosleep)
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_released_a_moment_later_is_taken_not_reported_as_held() {
    // A forked child shares the lock's open file until it execs, and a closing session
    // releases the lock just after its last frame: a lock busy for such a moment is
    // waited for rather than reported.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut first = LabelStore::open_as(&path, "alice").unwrap();
    first.append(event(0)).unwrap();
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let opener = std::thread::spawn(move || {
        // "<pid>/task/<tid>"
        let me = std::fs::read_link("/proc/thread-self").expect("/proc/thread-self");
        let tid = me.file_name().unwrap().to_string_lossy().into_owned();
        tid_tx.send(tid).unwrap();
        LabelStore::open_as(&path, "bob")
    });
    let tid = tid_rx.recv().unwrap();
    // Released only once the opener has found the lock busy and is waiting to try again, so
    // the test does not depend on how fast either thread runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !sleeping(&tid) && !opener.is_finished() {
        assert!(
            Instant::now() < deadline,
            "the opener never waited for the lock"
        );
        std::thread::yield_now();
    }
    drop(first);
    let mut second = opener
        .join()
        .unwrap()
        .expect("the lock came free while the opener waited for it");
    assert_eq!(second.annotations().count(), 1);
    second.append(event(10)).unwrap();
}
