//! Faults around the session, end to end in a pseudo-terminal: a disk that fills up, a store
//! folder that is read-only, a second session on the same store, and a panic.
//!
//! A full disk is a real one where this process may mount a small tmpfs (root, as CI runs);
//! otherwise, and always in a second test, a file-size limit (`RLIMIT_FSIZE`) set on the
//! running session, which the kernel enforces like a full disk (`stance` ignores SIGXFSZ itself,
//! so the write fails instead of killing the process; the shell it runs under does not).

mod common;

use std::time::Duration;

use common::harden::{SmallDisk, fill, is_root, limit_file_size, rows, wait_settled};
use common::predict::{
    Model, apply, await_screen, corpus_text, model_of, predict, press, press_pending, shows,
};
use common::pty::{Home, Terminal};
use stance::app::{Action, State, update};
use stance::store::LabelStore;

const COLS: u16 = 109;
const ROWS: u16 = 30;

/// Presses `key` and lets the screen say whether its writes were saved or refused; moves the
/// predicted session the same way. True when saved (or when the key wrote nothing).
fn decide(
    term: &mut Terminal,
    state: &mut State,
    saved: &mut Model,
    key: char,
    context: &str,
) -> bool {
    let writes = press_pending(state, key);
    term.send(&key.to_string());
    let (mut if_saved, mut if_refused) = (state.clone(), state.clone());
    for (seq, _) in &writes {
        update(&mut if_saved, Action::Saved(*seq));
        let reason = "refused".to_owned();
        update(
            &mut if_refused,
            Action::SaveFailed {
                seq: *seq,
                reason,
                recreate: false,
            },
        );
    }
    let screen = wait_settled(term, context, Duration::from_millis(30), |rows| {
        shows(rows, &if_saved) || shows(rows, &if_refused)
    });
    let ok = shows(&screen, &if_saved);
    if ok {
        writes.iter().for_each(|(_, event)| apply(saved, event));
    }
    *state = if ok { if_saved } else { if_refused };
    ok
}

/// Presses `q` with `unsaved` decisions refused: the session asks again and goes on.
fn one_q_is_held_back(term: &mut Terminal, state: &mut State, unsaved: usize) {
    assert!(press(state, 'q').is_empty());
    term.send("q");
    term.wait_for(&format!("{unsaved} decision(s) NOT SAVED"));
    await_screen(term, state, "quit asked");
    assert_eq!(
        term.exit_code(),
        None,
        "one q does not leave unsaved decisions"
    );
}

/// Moves the predicted and the real cursor with `key`.
fn walk(term: &mut Terminal, state: &mut State, key: char, context: &str) {
    assert!(
        press(state, key).is_empty(),
        "{context}: {key:?} moves only"
    );
    term.send(&key.to_string());
    await_screen(term, state, context);
}

/// A session whose store's disk fills up mid-way (a tmpfs when `tmpfs` and mountable, else a
/// file-size limit), then gets room again.
fn full_disk_session(tmpfs: bool) {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(1, 40));
    let folder = home.dir.path().join("disk");
    let disk = if tmpfs {
        SmallDisk::mount(&folder, 64)
    } else {
        None
    };
    std::fs::create_dir_all(&folder).unwrap();
    let labels = folder.join("labels.jsonl");
    let stance = env!("CARGO_BIN_EXE_stance");
    let script = "trap - XFSZ; exec \"$0\" \"$@\"";
    let args = [
        "-c",
        script,
        stance,
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        "disk/labels.jsonl",
    ];
    let mut state = predict(&corpus, &labels, COLS, ROWS);
    let mut term = Terminal::spawn_program(&home, "sh", &args, &[], COLS, ROWS);
    await_screen(&term, &state, "start");
    let mut saved = Model::new();
    for key in ['1', 'j', '3', '2', 'j'] {
        let ok = decide(&mut term, &mut state, &mut saved, key, "room left");
        assert!(ok, "a decision with room on the disk was not saved");
    }

    let filler = match &disk {
        Some(disk) => Some(fill(&disk.path.join("filler"))),
        None => {
            let len = std::fs::metadata(&labels).unwrap().len();
            limit_file_size(term.pid(), len + 64);
            None
        }
    };
    // The journal's last page may still have room on a tmpfs: decide until refused.
    let mut refused = Vec::new();
    for attempt in 0..80 {
        let context = format!("disk full, decision {attempt}");
        if !decide(&mut term, &mut state, &mut saved, '2', &context) {
            refused.push(state.cursor().sentence);
            if refused.len() == 3 {
                break;
            }
        } else {
            assert!(
                refused.is_empty(),
                "saved after a refusal with the disk still full"
            );
        }
        walk(&mut term, &mut state, 'j', "next sentence");
    }
    assert_eq!(refused.len(), 3, "the full disk never refused a write");
    let screen = rows(&term).join("\n");
    assert!(
        screen.contains("NOT SAVED (3): cannot append to label store disk/labels.jsonl"),
        "{screen}"
    );
    assert!(
        screen.contains("No space") || screen.contains("File too"),
        "{screen}"
    );
    let on_disk = LabelStore::open_read_only(&labels).unwrap();
    assert_eq!(
        model_of(&on_disk),
        saved,
        "exactly the saved decisions are on disk"
    );

    // The refused decisions stay on screen, marked, until they are saved.
    walk(&mut term, &mut state, 'g', "first sentence");
    while state.cursor().sentence < refused[0] {
        walk(&mut term, &mut state, 'j', "back to a refused decision");
    }
    let screen = rows(&term).join("\n");
    assert!(
        screen.contains("(NOT SAVED)") && screen.contains("! Envoy"),
        "{screen}"
    );
    one_q_is_held_back(&mut term, &mut state, 3);

    // Room again: Enter on each refused decision saves it as it is.
    match filler {
        Some(filler) => std::fs::remove_file(filler).unwrap(),
        None => limit_file_size(term.pid(), libc::RLIM_INFINITY),
    }
    for _ in 0..3 {
        assert!(decide(&mut term, &mut state, &mut saved, '\r', "retry"));
    }
    let last = rows(&term).pop().unwrap();
    assert!(last.trim_end().ends_with(" saved"), "{last}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let store = LabelStore::open(&labels).unwrap();
    assert!(
        !store.recovered_torn_line(),
        "a refused write left no partial line"
    );
    assert_eq!(model_of(&store), saved);
    drop(store);
    drop(disk);
}

#[test]
fn a_full_disk_is_reported_refused_decisions_stay_on_screen_and_nothing_saved_is_lost() {
    full_disk_session(true);
}

#[test]
fn a_file_size_limit_is_reported_like_a_full_disk() {
    full_disk_session(false);
}

#[test]
fn a_read_only_store_folder_keeps_decisions_unsaved_on_screen_until_it_can_be_written() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(1, 5));
    let folder = home.dir.path().join("disk");
    let disk = SmallDisk::mount(&folder, 64);
    std::fs::create_dir_all(&folder).unwrap();
    let labels = folder.join("labels.jsonl");
    let mut state = predict(&corpus, &labels, COLS, ROWS);
    let mut store = LabelStore::open_as(&labels, "alice").unwrap();
    for key in ['1', 'j', '0'] {
        for event in press(&mut state, key) {
            store.append(event).unwrap();
        }
    }
    let mut saved = model_of(&store);
    drop(store);
    // A store never opened by a session here, so no lock file exists to be reused.
    std::fs::remove_file(folder.join("labels.jsonl.lock")).unwrap();
    let before = std::fs::read(&labels).unwrap();
    let (reason, writable): (&str, Box<dyn Fn()>) = match &disk {
        Some(disk) => {
            disk.make_read_only();
            ("Read-only file system", Box::new(|| disk.make_writable()))
        }
        None if !is_root() => {
            use std::os::unix::fs::PermissionsExt;
            let mode = |m| std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(m));
            mode(0o555).unwrap();
            ("Permission denied", Box::new(move || mode(0o755).unwrap()))
        }
        None => {
            eprintln!("root without mount: a folder cannot be made read-only here");
            return;
        }
    };
    let args = [
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        "disk/labels.jsonl",
    ];
    let mut term = Terminal::spawn(&home, &args, COLS, ROWS);
    let warning = format!("cannot write disk/labels.jsonl.lock: {reason}");
    term.wait_for(&warning);
    let mut state = predict(&corpus, &labels, COLS, ROWS);
    await_screen(&term, &state, "opened read-only");
    walk(
        &mut term,
        &mut state,
        'j',
        "to a sentence not yet annotated",
    );

    // Decisions are refused, stay on screen, and nothing reaches the journal.
    assert!(!decide(&mut term, &mut state, &mut saved, '3', "read-only"));
    assert!(!decide(&mut term, &mut state, &mut saved, '2', "read-only"));
    let screen = rows(&term).join("\n");
    assert!(
        screen.contains("NOT SAVED (1): cannot write disk/labels.jsonl.lock"),
        "{screen}"
    );
    assert_eq!(std::fs::read(&labels).unwrap(), before);
    one_q_is_held_back(&mut term, &mut state, 1);

    // Once the folder can be written, Enter saves the decision as it is.
    writable();
    assert!(decide(
        &mut term,
        &mut state,
        &mut saved,
        '\r',
        "writable again"
    ));
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let on_disk = std::fs::read(&labels).unwrap();
    assert_eq!(
        on_disk[..before.len()],
        before[..],
        "appended, not rewritten"
    );
    let stored = model_of(&LabelStore::open_read_only(&labels).unwrap());
    assert_eq!(stored, saved);
    assert_eq!(stored.len(), 3);
}

#[test]
fn a_second_session_on_the_same_store_is_refused_naming_the_holder() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(1, 5));
    let labels = home.labels();
    let args = [
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ];
    let mut state = predict(&corpus, &labels, COLS, ROWS);
    let mut first = Terminal::spawn(&home, &args, COLS, ROWS);
    await_screen(&first, &state, "first session");
    let mut second = Terminal::spawn(&home, &args, COLS, ROWS);
    assert_eq!(second.wait_exit(), 1);
    let message = second.with(|p| p.screen().contents()).replace('\n', "");
    let holder = format!("is in use by process {}", first.pid());
    assert!(
        message.contains(&holder) && message.contains(labels.to_str().unwrap()),
        "{message}"
    );
    let mut saved = Model::new();
    assert!(decide(
        &mut first,
        &mut state,
        &mut saved,
        '2',
        "first goes on"
    ));
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
    assert_eq!(
        model_of(&LabelStore::open_read_only(&labels).unwrap()),
        saved
    );
}

#[cfg(debug_assertions)] // the fault point exists in debug builds only
#[test]
fn a_panic_restores_the_terminal_and_names_the_label_store() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(1, 5));
    let labels = home.labels();
    // After stance: whether the terminal is in canonical mode with echo, and stance's code.
    let script = "\"$0\" \"$@\"; code=$?; \
        modes=$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '); \
        echo \"modes: $modes| exit $code\"";
    let args = [
        "-c",
        script,
        env!("CARGO_BIN_EXE_stance"),
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ];
    let env = [
        (stance::fault::ENV, "panic-on-key"),
        ("RUST_BACKTRACE", "0"),
    ];
    let mut term = Terminal::spawn_program(&home, "sh", &args, &env, 200, 40);
    term.wait_for("sentence 1/5");
    term.with(|p| assert!(p.screen().alternate_screen() && p.screen().hide_cursor()));
    term.send("j");
    term.wait_for("| exit");
    assert_eq!(term.wait_exit(), 0, "the shell ends normally");
    term.with(|p| {
        let screen = p.screen();
        let text = screen.contents().replace('\n', "");
        assert!(
            !screen.alternate_screen(),
            "still on the alternate screen:\n{text}"
        );
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
        assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        assert!(!screen.bracketed_paste(), "bracketed paste is still on");
        assert!(text.contains("modes: icanon echo | exit 101"), "{text}");
        assert!(text.contains("fault injected at panic-on-key"), "{text}");
        let note = format!(
            "every decision shown as saved is in the label store {}",
            labels.display()
        );
        assert!(text.contains(&note), "{text}");
    });
}

#[test]
fn at_the_smallest_size_the_quit_question_stays_whole_beside_refused_decisions() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &corpus_text(1, 10));
    std::fs::create_dir_all(home.dir.path().join("disk")).unwrap();
    let labels = home.dir.path().join("disk/labels.jsonl");
    let script = "trap - XFSZ; exec \"$0\" \"$@\"";
    let stance = env!("CARGO_BIN_EXE_stance");
    let corpus = corpus.to_str().unwrap();
    let args = [
        "-c",
        script,
        stance,
        "annotate",
        corpus,
        "--labels",
        "disk/labels.jsonl",
    ];
    let mut term = Terminal::spawn_program(&home, "sh", &args, &[], 30, 12);
    term.wait_for("sentence 1/10");
    term.send("1");
    term.wait_for("saved");
    let len = std::fs::metadata(&labels).unwrap().len();
    limit_file_size(term.pid(), len + 16);
    term.send("j2");
    term.wait_for("NOT SAVED (1)");
    term.send("j3");
    term.wait_for("NOT SAVED (2)");

    term.send("q");
    term.wait_for("q again quits");
    let last = rows(&term).pop().unwrap();
    assert_eq!(last.trim_end(), " 2 NOT SAVED: q again quits");
    assert_eq!(term.exit_code(), None, "one q does not leave");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let store = LabelStore::open_read_only(&labels).unwrap();
    assert_eq!(
        store.annotations().count(),
        1,
        "only the first decision was saved"
    );
}
