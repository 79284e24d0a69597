//! The screen itself in a real pseudo-terminal: Ctrl-L repaints what another program wrote
//! over, and the help scrolls at the smallest size, keys sent as a terminal sends them.

use crate::common;

use std::time::Duration;

use common::harden::{rows, wait_settled};
use common::pty::{Home, Terminal};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

fn annotate(home: &Home, cols: u16, rows: u16) -> Terminal {
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let labels = home.labels().display().to_string();
    let args = ["annotate", corpus.as_str(), "--labels", labels.as_str()];
    Terminal::spawn(home, &args, cols, rows)
}

/// Every cell as it looks: its text (a blank written or cleared alike) and its colours and
/// attributes, one string per row, to compare whole frames.
fn frame(term: &Terminal) -> Vec<String> {
    term.with(|parser| {
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows.get())
            .map(|row| {
                (0..cols.get())
                    .map(|col| match screen.cell(row, col) {
                        Some(c) => format!(
                            "{:?}{:?}{:?}{}{}{}{}{}|",
                            if c.has_contents() { c.contents() } else { " " },
                            c.fgcolor(),
                            c.bgcolor(),
                            u8::from(c.bold()),
                            u8::from(c.dim()),
                            u8::from(c.italic()),
                            u8::from(c.underline()),
                            u8::from(c.inverse()),
                        ),
                        None => "-|".to_owned(),
                    })
                    .collect()
            })
            .collect()
    })
}

/// Waits until the screen shows `text` and has not changed for a while; its frame.
fn settled(term: &Terminal, text: &str) -> Vec<String> {
    let quiet = Duration::from_millis(300);
    wait_settled(term, text, quiet, |rows| {
        rows.iter().any(|r| r.contains(text))
    });
    frame(term)
}

/// Waits until the whole frame equals `expected`, as Ctrl-L should make it.
fn await_frame(term: &Terminal, expected: &[String], what: &str) {
    let start = std::time::Instant::now();
    while frame(term) != expected {
        assert!(
            start.elapsed() < common::pty::TIMEOUT,
            "Ctrl-L did not restore {what}:\n{}",
            rows(term).join("\n")
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Junk over the top rows and a row wiped, drawn in reverse video then reset, as a
/// background job or a `write` message might leave it.
const JUNK: &[u8] = b"\x1b[2;3H\x1b[7m#### stray output ####\x1b[0m\x1b[5;1H\x1b[2K";

#[test]
fn ctrl_l_repaints_what_another_program_wrote_over_and_keeps_a_typed_search() {
    let home = Home::new();
    let mut term = annotate(&home, 60, 16);
    let clean = settled(&term, " 0/5 · ");

    term.scribble(JUNK);
    assert!(term.screen().contains("stray output"));
    // A frame drawn now changes only the cells stance knows to have changed: the junk stays.
    term.send("j");
    term.wait_for("sentence 2/3");
    // A key that only puts a message in the status bar: once its frame shows, every frame
    // drawn before it (the move's, and any the loop drew meanwhile) is on screen too.
    term.send("x");
    term.wait_for("not annotated");
    assert!(term.screen().contains("stray output"), "{}", term.screen());
    term.send("k");
    term.wait_for("sentence 1/3");
    assert_ne!(frame(&term), clean);

    term.send("\x0c");
    await_frame(&term, &clean, "the frame");

    // In the search prompt, Ctrl-L repaints and types nothing.
    term.send("/Tro");
    let prompt = settled(&term, "/Tro");
    term.scribble(JUNK);
    term.send("\x0c");
    await_frame(&term, &prompt, "the prompt");
    term.send("\r");
    term.wait_for("sentence 3/3");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn at_the_smallest_size_the_help_scrolls_to_its_last_row_and_q_closes_it() {
    let home = Home::new();
    let mut term = annotate(&home, 30, 12);
    term.wait_for("sentence 1/3");
    term.send("?");
    let top = term.wait_for(" · j/k scroll ");
    assert!(top.contains("toggle diplomatic"), "{top}");
    assert!(!top.contains("quit (all"), "{top}");
    let total: usize = {
        let at = top.find("1–10 of ").expect("where the help is") + "1–10 of ".len();
        let digits: String = top[at..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().expect("row count")
    };

    term.send("\x1b[6~"); // PgDn
    term.wait_for(&format!(" 11–20 of {total} "));
    term.send("G");
    let end = term.wait_for(&format!(" {}–{total} of {total} ", total - 9));
    let rows = rows(&term);
    // The last action the help lists (the help follows the declaration order).
    let what = stance::app::Action::bindable()
        .filter_map(|action| action.description().and_then(|d| d.article))
        .last()
        .expect("described");
    let shown: String = what.chars().take(8).collect();
    assert!(rows[10].contains(&shown), "{shown:?} at the bottom:\n{end}");
    term.send("k");
    term.wait_for(&format!(" {}–{} of {total} ", total - 10, total - 1));

    term.send("q");
    term.wait_until("the help closed", |screen| !screen.contains("Keys"));
    assert_eq!(
        term.exit_code(),
        None,
        "q closes the help, it does not quit"
    );
    term.wait_for("sentence 1/3");
    term.send("?");
    term.wait_for(&format!(" 1–10 of {total} "));
    term.send("\x1b");
    term.wait_until("the help closed", |screen| !screen.contains("Keys"));
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}
