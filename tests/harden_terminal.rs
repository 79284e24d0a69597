//! The terminal around a session: pastes, signals from other processes, job control and the
//! keys that always work, driven in a real pseudo-terminal.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::harden::limit_file_size;
use common::predict::corpus_text;
use common::pty::{Home, TIMEOUT, Terminal, journal};
use stance::store::LabelStore;

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// A home with a corpus of one article of five sentences; the `annotate` arguments for it.
fn one_article(home: &Home) -> Vec<String> {
    let corpus = home.write("news.jsonl", &corpus_text(1, 5));
    vec![
        "annotate".to_owned(),
        corpus.display().to_string(),
        "--labels".to_owned(),
        home.labels().display().to_string(),
    ]
}

fn spawn(home: &Home, args: &[String]) -> Terminal {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let term = Terminal::spawn(home, &args, COLS, ROWS);
    term.wait_for("sentence 1/5");
    term
}

/// Waits until `done` holds for the emulated screen (its modes as well as its text).
fn wait_screen(term: &Terminal, what: &str, done: impl Fn(&vt100::Screen) -> bool) {
    let start = Instant::now();
    while !term.with(|p| done(p.screen())) {
        if start.elapsed() > TIMEOUT {
            panic!(
                "timed out waiting for {what}; the screen was:\n{}",
                term.screen()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether the terminal is as a shell expects it: normal screen, cursor shown, no mouse
/// reporting, no bracketed paste.
fn restored(screen: &vt100::Screen) -> bool {
    !screen.alternate_screen()
        && !screen.hide_cursor()
        && screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None
        && !screen.bracketed_paste()
}

/// Whether the session's own modes are on: alternate screen, mouse reporting, bracketed paste.
fn in_session(screen: &vt100::Screen) -> bool {
    screen.alternate_screen()
        && screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None
        && screen.bracketed_paste()
}

#[test]
fn a_paste_in_the_article_view_decides_nothing_and_says_so() {
    let home = Home::new();
    let args = one_article(&home);
    let mut term = spawn(&home, &args);
    term.with(|p| assert!(in_session(p.screen()), "bracketed paste is on"));
    term.paste("1231230jjjx");
    term.wait_for("paste ignored: it goes only into a search or filter");
    // A key after the paste is handled, so everything before it was read.
    term.send("j");
    term.wait_for("sentence 2/5");
    assert!(journal(&home.labels()).is_empty(), "no decision was made");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_paste_into_search_is_typed_with_controls_dropped_and_line_breaks_as_spaces() {
    let home = Home::new();
    let args = one_article(&home);
    let mut term = spawn(&home, &args);
    term.send("/");
    term.wait_for("/▏");
    term.paste("Envoy\x1b\x07 3\r\nof");
    term.wait_for("/Envoy 3 of▏");
    term.send("\r");
    term.wait_for("found \"Envoy 3 of\"");
    term.wait_for("sentence 3/5");
    // The article list's filter takes a paste too.
    term.send("a");
    term.wait_for("Desk 1");
    term.paste("nothing\tlike it");
    term.wait_for("nothing like it");
    term.send("\x1b");
    term.wait_until("the list closed", |s| !s.contains("Articles"));
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    assert!(journal(&home.labels()).is_empty());
}

fn signal_name(signal: i32) -> String {
    // SAFETY: strsignal returns a pointer to a static or thread-local string.
    let name = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(signal)) };
    name.to_string_lossy().into_owned()
}

#[test]
fn sigterm_sigint_and_sigquit_restore_the_terminal_and_end_by_that_signal() {
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGQUIT] {
        let name = signal_name(signal);
        let home = Home::new();
        let args = one_article(&home);
        let mut term = spawn(&home, &args);
        term.with(|p| assert!(in_session(p.screen()), "{name}: the session's modes are on"));
        term.send("2");
        term.wait_for("saved");
        // SAFETY: a plain kill(2) of the child this test started.
        assert_eq!(unsafe { libc::kill(term.pid() as i32, signal) }, 0);
        let status = term.wait_status();
        assert_eq!(status.signal(), Some(name.as_str()), "{name}: {status}");
        term.with(|p| {
            assert!(
                restored(p.screen()),
                "{name}: the terminal is not restored:\n{}",
                p.screen().contents()
            )
        });
        assert_eq!(
            term.canonical_and_echo(),
            (true, true),
            "{name}: canonical mode with echo"
        );
        assert_eq!(
            journal(&home.labels()).len(),
            1,
            "{name}: the decision is kept"
        );
        LabelStore::open(&home.labels()).expect("the lock was freed");
    }
}

/// The only child process of `parent`, found in /proc.
fn child_of(parent: u32) -> Option<u32> {
    let mut found = None;
    for entry in std::fs::read_dir("/proc").ok()? {
        let Ok(pid) = entry.ok()?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if stat(pid).is_some_and(|(_, ppid)| ppid == parent) {
            found = Some(pid);
        }
    }
    found
}

/// The state letter (`R`, `S`, `T`…) and the parent of process `pid`.
fn stat(pid: u32) -> Option<(char, u32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = text.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    Some((state, fields.next()?.parse().ok()?))
}

fn wait_state(pid: u32, state: char, what: &str) {
    let start = Instant::now();
    while stat(pid).map(|(s, _)| s) != Some(state) {
        assert!(
            start.elapsed() < TIMEOUT,
            "{what}: process {pid} never reached state {state}: {:?}",
            stat(pid)
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// An interactive shell with job control in the terminal, running the session; and the
/// session's process id.
fn session_in_a_shell(home: &Home, args: &[String]) -> (Terminal, u32) {
    let home_dir = home.dir.path().display().to_string();
    // The shell's line editor would turn bracketed paste on again at its prompt.
    let inputrc = home.write("inputrc", "set enable-bracketed-paste off\n");
    let inputrc = inputrc.display().to_string();
    let env = [
        ("PS1", "$ "),
        ("HOME", home_dir.as_str()),
        ("HISTFILE", "/dev/null"),
        ("INPUTRC", inputrc.as_str()),
    ];
    let shell_args = ["--norc", "--noprofile", "-i"];
    let mut term = Terminal::spawn_program(home, "bash", &shell_args, &env, COLS, ROWS);
    term.wait_for("$ ");
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_stance").to_owned())
        .chain(args.iter().cloned())
        .map(|a| format!("'{a}'"))
        .collect();
    term.send(&format!("{}\r", quoted.join(" ")));
    term.wait_for("sentence 1/5");
    let pid = child_of(term.pid()).expect("the session runs under the shell");
    (term, pid)
}

#[test]
fn ctrl_z_sigtstp_and_sigstop_suspend_and_fg_resumes_with_keys_read_at_once() {
    let home = Home::new();
    let args = one_article(&home);
    let (mut term, pid) = session_in_a_shell(&home, &args);
    let ways: [(&str, Option<i32>); 3] = [
        ("Ctrl-Z", None),
        ("SIGTSTP", Some(libc::SIGTSTP)),
        ("SIGSTOP", Some(libc::SIGSTOP)),
    ];
    for (at, (way, signal)) in ways.into_iter().enumerate() {
        match signal {
            None => term.send("\x1a"),
            // SAFETY: a plain kill(2) of the session this test started.
            Some(signal) => assert_eq!(unsafe { libc::kill(pid as i32, signal) }, 0),
        }
        wait_state(pid, 'T', way);
        if signal != Some(libc::SIGSTOP) {
            // SIGSTOP cannot be caught: only a stop that stance takes itself is tidied.
            wait_screen(&term, &format!("{way}: the terminal restored"), restored);
        }
        // The shell has the terminal back and waits at its prompt.
        wait_screen(&term, &format!("{way}: the shell's prompt"), |s| {
            let (row, column) = s.cursor_position();
            let line: String = s.rows(0, COLS).nth(usize::from(row)).unwrap_or_default();
            line.trim_end() == "$" && column == 2 && s.contents().contains("Stopped")
        });
        term.send("fg\r");
        wait_screen(&term, &format!("{way}: the session's screen again"), |s| {
            in_session(s) && s.hide_cursor()
        });
        let here = format!("sentence {}/5", at + 1);
        let screen = term.wait_until(&format!("{way}: a whole redraw"), |screen| {
            screen.contains(&here) && !screen.contains("fg") && !screen.contains("Stopped")
        });
        assert!(
            !screen.contains("$ "),
            "{way}: the shell's text is gone:\n{screen}"
        );
        // In canonical mode the key would wait for Enter.
        term.send("j");
        term.wait_for(&format!("sentence {}/5", at + 2));
    }
    term.send("q");
    wait_state_gone(pid);
    term.send("exit\r");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn ctrl_z_with_no_shell_to_resume_the_session_leaves_it_running() {
    // Started straight in the terminal, the session's process group has no shell to
    // continue it: the system discards the stop, and the session goes on at once.
    let home = Home::new();
    let args = one_article(&home);
    let mut term = spawn(&home, &args);
    term.send("\x1a");
    term.send("j");
    term.wait_for("sentence 2/5");
    term.with(|p| assert!(in_session(p.screen())));
    assert_ne!(stat(term.pid()).map(|(s, _)| s), Some('T'));
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

fn wait_state_gone(pid: u32) {
    let start = Instant::now();
    while stat(pid).is_some_and(|(s, _)| s != 'Z') {
        assert!(start.elapsed() < TIMEOUT, "process {pid} did not end");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn with_config(home: &Home, keys: &str) -> PathBuf {
    home.write("config/config.toml", &format!("[keys]\n{keys}\n"))
}

#[test]
fn ctrl_c_quits_when_the_config_gives_every_quit_key_away_and_says_so_at_open() {
    let home = Home::new();
    let args = one_article(&home);
    let config = with_config(
        &home,
        "quit = []\nundo = [\"q\", \"ctrl-c\"]\nreview = []\narticles = []",
    );
    let mut term = spawn(&home, &args);
    let warning = format!(
        "{}: [keys] quit has no key left; Ctrl-c still quits",
        config.display()
    );
    let screen = term.screen().replace('\n', "");
    assert!(screen.contains("quit has no key left"), "{screen}");
    term.send("\x03");
    assert_eq!(term.wait_exit(), 0, "Ctrl-C quits");
    let text = term.screen().replace('\n', "");
    assert!(text.contains(&warning), "{text}");
    assert!(
        text.contains("[keys] undo: Ctrl-c always quits; left out"),
        "{text}"
    );
    assert!(text.contains("no key left for articles, review"), "{text}");
}

#[test]
fn ctrl_c_closes_a_prompt_first_and_then_quits_asking_first_when_a_decision_is_not_saved() {
    let home = Home::new();
    let args = one_article(&home);
    with_config(&home, "quit = []");
    let mut term = spawn(&home, &args);
    // Past a file-size limit every append fails.
    let len = std::fs::metadata(home.labels()).map_or(0, |m| m.len());
    limit_file_size(term.pid(), len);
    term.send("1");
    term.wait_for("NOT SAVED (1)");
    term.send("/abc");
    term.wait_for("/abc▏");
    term.send("\x03");
    term.wait_until("the prompt closed", |s| !s.contains("/abc"));
    term.send("\x03");
    term.wait_for("Ctrl-c again");
    assert_eq!(
        term.exit_code(),
        None,
        "the first Ctrl-C out of the prompt asks"
    );
    term.send("\x03");
    assert_eq!(term.wait_exit(), 0);
}
