//! Other processes touching the label store's files while it is open: the journal removed,
//! replaced or truncated under a writer, a failed write after an outside truncation, a
//! symbolic link at `<store>.lock`, a store reached through symbolic links, and a torn line
//! on a nearly full disk. Real files, real processes (`rm`, `mv`, `truncate`, and the binary
//! in a pseudo-terminal), real limits (a tmpfs, `RLIMIT_FSIZE`).

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::harden::{
    SmallDisk, fill, outside, session_with_one_saved_decision, set_file_size_limit,
};
use common::predict::corpus_text;
use common::pty::{Home, Terminal};
use stance::store::{Event, JOURNAL_VERSION, LabelStore, Op, Origin, StoreError, fingerprint};

/// Set in the child processes these tests start, to the journal they should write.
const CHILD_ENV: &str = "STANCE_TEST_HARDEN_STORE";

fn event(start: usize) -> Event {
    let text = "Seoul said on Tuesday it would \"respond firmly\" to any further test.".to_owned();
    Event {
        v: JOURNAL_VERSION,
        op: Op::Set,
        article: "wire-0042".into(),
        start,
        end: start + text.len(),
        fp: fingerprint(&text),
        labels: vec!["military".into()],
        annotator: "alice".into(),
        ts: 1_717_171_717_000,
        origin: Origin::Typed,
        text,
        scores: None,
    }
}

fn saved(store: &LabelStore, start: usize) -> bool {
    let e = event(start);
    store.get(&e.article, e.start, e.end, "alice").is_some()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The one file in `dir` whose name starts with `prefix`.
fn only_side_file(dir: &Path, prefix: &str) -> PathBuf {
    let side: Vec<String> = names_in(dir)
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect();
    assert_eq!(side.len(), 1, "{side:?}");
    dir.join(&side[0])
}

fn writer_of_three(path: &Path) -> LabelStore {
    let mut store = LabelStore::open_as(path, "alice").unwrap();
    for start in [0, 100, 200] {
        store.append(event(start)).unwrap();
    }
    store
}

/// The annotations of the journal at `path`, read as a new session would.
fn reopened_count(path: &Path) -> usize {
    let store = LabelStore::open_read_only(path).unwrap();
    assert!(!store.recovered_torn_line(), "{}", path.display());
    store.annotations().count()
}

#[test]
fn a_journal_removed_under_a_writer_refuses_appends_until_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = writer_of_three(&path);
    outside("rm", &[text(&path)]);

    for _ in 0..2 {
        let err = store.append(event(300)).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, StoreError::JournalReplaced { .. }),
            "{message}"
        );
        assert!(err.needs_recreate());
        assert_eq!(
            message,
            format!(
                "label store {} was removed (or replaced) by another process: \
                 this decision is not saved",
                path.display()
            )
        );
        assert!(!saved(&store, 300));
        assert!(!path.exists(), "a refused append creates nothing");
    }

    assert_eq!(store.recreate().unwrap(), None, "nothing was there to keep");
    assert_eq!(
        reopened_count(&path),
        3,
        "everything the store knew is back"
    );
    store.append(event(300)).unwrap();
    assert_eq!(reopened_count(&path), 4);
    store.append(event(400)).unwrap();
    drop(store);
    let mut again = LabelStore::open_as(&path, "alice").unwrap();
    assert_eq!(again.annotations().count(), 5);
    again.append(event(500)).unwrap();
}

#[test]
fn another_file_moved_over_the_journal_is_kept_aside_by_recreate_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = writer_of_three(&path);
    let other = dir.path().join("other.jsonl");
    let foreign = b"someone else's notes\nnot a journal\n";
    fs::write(&other, foreign).unwrap();
    outside("mv", &[text(&other), text(&path)]);

    let err = store.append(event(300)).unwrap_err();
    assert!(
        err.to_string()
            .contains("was removed (or replaced) by another process"),
        "{err}"
    );
    assert_eq!(
        fs::read(&path).unwrap(),
        foreign,
        "the append wrote nothing"
    );
    assert!(
        store.compact().unwrap_err().needs_recreate(),
        "compaction must not rename over the other file"
    );
    assert_eq!(fs::read(&path).unwrap(), foreign);

    let aside = store
        .recreate()
        .unwrap()
        .expect("the other file was moved aside");
    assert_eq!(aside, only_side_file(dir.path(), "labels.jsonl.replaced-"));
    assert_eq!(fs::read(&aside).unwrap(), foreign);
    assert_eq!(reopened_count(&path), 3);
    store.append(event(300)).unwrap();
    store.compact().unwrap();
    store.append(event(400)).unwrap();
    assert_eq!(reopened_count(&path), 5);
    assert_eq!(fs::read(&aside).unwrap(), foreign);
}

#[test]
fn a_journal_truncated_by_another_process_refuses_appends_and_recreate_keeps_the_cut_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = writer_of_three(&path);
    let len = fs::metadata(&path).unwrap().len();
    let cut = len / 2;
    outside("truncate", &["-s", &cut.to_string(), text(&path)]);
    let cut_bytes = fs::read(&path).unwrap();

    let err = store.append(event(300)).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, StoreError::JournalTruncated { .. }),
        "{message}"
    );
    assert!(err.needs_recreate());
    assert!(
        message.contains(&format!(
            "label store {} was truncated by another process ({cut} bytes, {len} expected)",
            path.display()
        )) && message.ends_with("this decision is not saved"),
        "{message}"
    );
    assert_eq!(fs::read(&path).unwrap(), cut_bytes, "nothing written");
    // Growing back does not make a cut journal trustworthy again.
    outside("truncate", &["-s", &(len + 10).to_string(), text(&path)]);
    assert!(store.append(event(300)).unwrap_err().needs_recreate());

    let aside = store.recreate().unwrap().expect("the cut file is kept");
    assert_eq!(fs::read(&aside).unwrap()[..cut as usize], cut_bytes[..]);
    assert_eq!(reopened_count(&path), 3);
    store.append(event(300)).unwrap();
    assert_eq!(reopened_count(&path), 4);
}

#[test]
fn recreate_takes_the_lock_again_and_never_writes_beside_a_session_that_took_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("store");
    let path = folder.join("labels.jsonl");
    let mut first = writer_of_three(&path);
    outside("rm", &["-r", text(&folder)]);

    // Another session starts on the same path meanwhile: a new journal, a new lock file.
    let mut second = LabelStore::open_as(&path, "bob").unwrap();
    second.append(event(900)).unwrap();
    let seconds = fs::read(&path).unwrap();
    assert!(first.append(event(300)).unwrap_err().needs_recreate());
    let err = first.recreate().unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), seconds, "nothing written");
    assert_eq!(names_in(&folder), ["labels.jsonl", "labels.jsonl.lock"]);
    drop(second);

    let aside = first
        .recreate()
        .unwrap()
        .expect("the other session's journal is kept");
    assert_eq!(fs::read(&aside).unwrap(), seconds);
    first.append(event(300)).unwrap();
    assert_eq!(reopened_count(&path), 4);
    let lock = fs::read_to_string(folder.join("labels.jsonl.lock")).unwrap();
    assert_eq!(
        lock,
        format!("pid {}\nannotator alice\n", std::process::id())
    );
    let Err(err) = LabelStore::open_as(&path, "bob") else {
        panic!("a second writer opened the store after recreate");
    };
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
}

/// Runs the test named `test` again in a child process that writes `path`.
fn run_child(test: &str, path: &Path) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture"])
        .env(CHILD_ENV, path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("child done"), "{stdout}");
}

/// In the child: the journal is cut by another process, then the next write fails (the
/// file-size limit lets the write start where the cut left the file, and stops it at the
/// journal's old length): the file must not be extended back to that length.
fn append_after_outside_truncation_with_a_failing_write(path: &Path) {
    let mut store = writer_of_three(path);
    let len = fs::metadata(path).unwrap().len();
    let cut = len - 10;
    outside("truncate", &["-s", &cut.to_string(), text(path)]);
    set_file_size_limit(len);

    let err = store.append(event(300)).unwrap_err();
    assert!(err.needs_recreate(), "{err}");
    let bytes = fs::read(path).unwrap();
    assert_eq!(bytes.len() as u64, cut, "the journal was not extended");
    assert!(!bytes.contains(&0), "no NUL padding");
    println!("child done");
}

#[test]
fn a_failed_write_after_an_outside_truncation_never_extends_the_journal() {
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        append_after_outside_truncation_with_a_failing_write(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    run_child(
        "a_failed_write_after_an_outside_truncation_never_extends_the_journal",
        &path,
    );
    // The cut last line reads as torn; everything before it is intact.
    let store = LabelStore::open_read_only(&path).unwrap();
    assert!(store.recovered_torn_line());
    assert_eq!(store.annotations().count(), 2);
}

#[test]
fn a_symlink_or_foreign_file_at_the_lock_path_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let lock = dir.path().join("labels.jsonl.lock");
    let precious = dir.path().join("precious.txt");
    fs::write(&precious, "a document\n").unwrap();

    let refused = |reason: &str| {
        let err = LabelStore::open_as(&path, "alice").unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, StoreError::LockFileRefused { .. }),
            "{message}"
        );
        assert_eq!(
            message,
            format!(
                "lock file {} {reason}: refusing to write it; move it away and open the \
                 store again",
                lock.display()
            )
        );
    };

    symlink(&precious, &lock).unwrap();
    refused("is a symbolic link");
    assert_eq!(fs::read_to_string(&precious).unwrap(), "a document\n");
    fs::remove_file(&lock).unwrap();

    let missing = dir.path().join("missing.txt");
    symlink(&missing, &lock).unwrap();
    refused("is a symbolic link");
    assert!(!missing.exists(), "a dangling link's target is not created");
    fs::remove_file(&lock).unwrap();

    fs::create_dir(&lock).unwrap();
    refused("is not a regular file");
    fs::remove_dir(&lock).unwrap();

    // Opening a FIFO for reading could wait for a writer forever.
    let fifo = std::ffi::CString::new(text(&lock)).unwrap();
    // SAFETY: a plain syscall with a NUL-terminated path that outlives it.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    refused("is not a regular file");
    fs::remove_file(&lock).unwrap();

    fs::write(&lock, "a document\n").unwrap();
    refused("does not look like a stance lock file");
    assert_eq!(fs::read_to_string(&lock).unwrap(), "a document\n");

    // An empty file, or a lock file a killed session left, is taken and rewritten.
    for left in ["", "pid 4242\nannotator bob\n"] {
        fs::write(&lock, left).unwrap();
        let mut store = LabelStore::open_as(&path, "alice").unwrap();
        store.append(event(0)).unwrap();
        let now = fs::read_to_string(&lock).unwrap();
        assert_eq!(
            now,
            format!("pid {}\nannotator alice\n", std::process::id())
        );
    }
}

#[test]
fn two_links_to_one_journal_share_its_lock_and_compaction_keeps_the_links() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("real");
    let links = dir.path().join("links");
    fs::create_dir_all(&real_dir).unwrap();
    fs::create_dir_all(&links).unwrap();
    let journal = real_dir.join("labels.jsonl");
    let one = links.join("one.jsonl");
    let two = dir.path().join("two.jsonl");
    // A dangling relative link: the first open creates its target.
    symlink("../real/labels.jsonl", &one).unwrap();
    symlink(&journal, &two).unwrap();

    let mut first = LabelStore::open_as(&one, "alice").unwrap();
    assert_eq!(first.path(), one, "the path as given, for display");
    assert!(journal.is_file());
    first.append(event(0)).unwrap();
    let Err(err) = LabelStore::open_as(&two, "bob") else {
        panic!("a second writer opened the journal through another link");
    };
    let message = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{message}");
    assert!(
        message.contains(&format!("process {}", std::process::id())),
        "{message}"
    );
    assert_eq!(names_in(&links), ["one.jsonl"], "no lock beside the link");

    first.append(event(0)).unwrap();
    first.append(event(100)).unwrap();
    first.compact().unwrap();
    first.append(event(200)).unwrap();
    for link in [&one, &two] {
        assert!(fs::symlink_metadata(link).unwrap().file_type().is_symlink());
    }
    assert_eq!(
        names_in(&real_dir),
        ["labels.jsonl", "labels.jsonl.lock"],
        "the lock and compaction's files are beside the real journal"
    );
    let lines = fs::read_to_string(&journal).unwrap().lines().count();
    assert_eq!(lines, 3, "compacted (two lines), then one append");
    assert_eq!(reopened_count(&two), 3);
    drop(first);

    let mut second = LabelStore::open_as(&two, "bob").unwrap();
    assert_eq!(second.annotations().count(), 3);
    second.append(event(300)).unwrap();
    assert_eq!(reopened_count(&one), 4);
}

#[test]
fn a_torn_line_on_a_nearly_full_disk_is_kept_aside_and_cut_off_without_a_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("disk");
    let Some(disk) = SmallDisk::mount(&folder, 64) else {
        eprintln!("no tmpfs can be mounted here: a nearly full disk cannot be made");
        return;
    };
    let path = folder.join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    const EVENTS: usize = 160;
    // About 40 KiB of journal: a rewrite needs ten pages of a 64 KiB disk.
    for n in 0..EVENTS {
        store.append(event(100 * n)).unwrap();
    }
    drop(store);
    let fragment = br#"{"v":1,"op":"set","article":"wire-0042","start":4"#;
    let mut bytes = fs::read(&path).unwrap();
    let complete = bytes.clone();
    bytes.extend_from_slice(fragment);
    fs::write(&path, &bytes).unwrap();
    // Fill the disk, then free a reserve of three pages: room for the side file and
    // for the line, none for a compacted copy.
    fs::write(disk.path.join("reserve"), vec![b'r'; 3 * 4096]).unwrap();
    fill(&disk.path.join("filler"));
    fs::remove_file(disk.path.join("reserve")).unwrap();

    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    assert!(store.recovered_torn_line());
    store.append(event(100 * EVENTS)).unwrap();
    store.append(event(100 * (EVENTS + 1))).unwrap();

    let side = only_side_file(&folder, "labels.jsonl.torn-");
    assert_eq!(fs::read(&side).unwrap(), fragment);
    let now = fs::read(&path).unwrap();
    assert_eq!(
        now[..complete.len()],
        complete[..],
        "appended, not rewritten"
    );
    assert!(
        !names_in(&folder)
            .iter()
            .any(|n| n.ends_with(".compact-tmp"))
    );
    drop(store);
    assert_eq!(reopened_count(&path), EVENTS + 2);
}

#[test]
fn a_session_whose_journal_is_removed_shows_its_next_decision_not_saved() {
    let home = Home::new();
    let (mut term, labels) = session_with_one_saved_decision(&home);
    outside("rm", &[text(&labels)]);

    term.send("j2");
    term.wait_for("NOT SAVED (1)");
    term.wait_for(
        "label store disk/labels.jsonl was removed (or replaced) by another process: \
         this decision is not saved",
    );
    assert!(!labels.exists(), "the refused decision went nowhere");
    term.send("q");
    term.wait_for("1 decision(s) NOT SAVED: press q again to leave anyway");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_second_session_through_another_link_to_the_journal_is_refused_as_locked() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(1, 5));
    let journal = home.dir.path().join("labels.jsonl");
    fs::write(&journal, "").unwrap();
    symlink("labels.jsonl", home.dir.path().join("one.jsonl")).unwrap();
    symlink(&journal, home.dir.path().join("two.jsonl")).unwrap();
    let session = |link: &'static str| {
        let args = ["annotate", text(&corpus), "--labels", link];
        Terminal::spawn(&home, &args, 200, 30)
    };
    let mut first = session("one.jsonl");
    first.wait_for("sentence 1/5");
    let mut second = session("two.jsonl");
    assert_eq!(second.wait_exit(), 1);
    let message = second.with(|p| p.screen().contents()).replace('\n', "");
    assert!(
        message.contains(&format!("is in use by process {}", first.pid())),
        "{message}"
    );
    first.send("1");
    first.wait_for(" saved");
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
    assert_eq!(reopened_count(&journal), 1);
    assert!(
        fs::symlink_metadata(home.dir.path().join("one.jsonl"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
