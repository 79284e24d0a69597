//! Hostile text and hostile sizes end to end: the real binary in a pseudo-terminal, read back
//! through a terminal emulator. Escape sequences, controls, direction overrides, a 100 KB
//! word, lines of combining marks, emoji and CJK in titles, metadata, ids and text (from
//! JSON lines, CSV and plain text) must not move the cursor, set the title, clear the screen
//! or shift a pane border; resizing while keys arrive must never bring the session down.

mod common;

use std::time::Duration;

use common::harden::{Rng, rows, wait_settled};
use common::pty::{Home, Terminal};
use stance::app::layout::is_hostile;
use stance::store::LabelStore;

const COLS: u16 = 120;
const ROWS: u16 = 30;
/// Where the label pane's border runs at 120 columns.
const BORDER: u16 = COLS - stance::app::screen::SIDE_PANE_WIDTH;

/// Every kind of text a terminal might obey rather than show, in one string.
fn hostile() -> String {
    [
        "clear\u{1b}[2J home\u{1b}[H move\u{1b}[10;40H red\u{1b}[31m reset\u{1b}c ",
        "alt\u{1b}[?1049l cursor\u{1b}[?25h save\u{1b}7 back\u{1b}8 ask\u{1b}[6n ",
        "title\u{1b}]0;pwned\u{7} st\u{1b}]2;owned\u{1b}\\ ",
        "link\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\ ",
        "clip\u{1b}]52;c;cHduZWQ=\u{7} bell\u{7}\u{7} bs\u{8}\u{8} cr\rX vt\u{b}ff\u{c} ",
        "c1\u{9b}2J osc\u{9d}0;c1title\u{9c} nel\u{85} ri\u{8d} del\u{7f} nul\u{0} ",
        "rlo\u{202e}desrever\u{202c} iso\u{2067}x\u{2069} alm\u{61c} rlm\u{200f} ls\u{2028} ",
        "zwj a\u{200d}b zwsp a\u{200b}b bom\u{feff} shy\u{ad} ",
        "emoji 😀 👍🏽 🇺🇸 👨\u{200d}👩\u{200d}👧 cjk 東京で首脳会談 한국어 ｶﾞ",
    ]
    .concat()
}

/// JSON lines, a CSV and a plain-text file, each carrying the hostile text everywhere.
fn write_corpus(home: &Home) -> Vec<String> {
    let evil = hostile();
    let marks = format!("e{}\n{}\n", "\u{301}".repeat(400), "\u{301}".repeat(400));
    let word: String = "Abcdefghij".repeat(10_000);
    let mut lines = String::new();
    let articles = [
        (
            format!("evil-1 {evil}"),
            format!("T {evil}"),
            format!("Start. {evil} end."),
        ),
        (
            "marks".to_owned(),
            format!("Marks {marks}"),
            format!("Marks.\n{marks}Done."),
        ),
        (
            "word".to_owned(),
            word.clone(),
            format!("Word {word} ends. Then {evil}."),
        ),
    ];
    for (id, title, text) in articles {
        let line = serde_json::json!({"id": id, "title": title, "text": text,
            evil.as_str(): evil, "date": "2017-12-31", "long": word});
        lines.push_str(&format!("{line}\n"));
    }
    let jsonl = home.write("evil.jsonl", &lines);
    // Files may not hold NUL (they are refused as binary); JSON escapes carry it above.
    let plain = evil.replace('\u{0}', "");
    let mut csv = csv::Writer::from_path(home.dir.path().join("evil.csv")).unwrap();
    csv.write_record(["id", "title", "text", "subject"])
        .unwrap();
    csv.write_record(["csv-1", &plain, &format!("Row. {plain}."), &plain])
        .unwrap();
    csv.flush().unwrap();
    let txt = home.write("evil.txt", &format!("Headline {plain}\n\nBody. {plain}.\n"));
    let csv = home.dir.path().join("evil.csv");
    [jsonl, csv, txt]
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

/// The screen must look like the session and nothing else: panes in place, title untouched.
fn check_screen(term: &Terminal, context: &str) {
    check_terminal(term, context);
    let screen = rows(term);
    let show = || format!("{context}:\n{}", screen.join("\n"));
    term.with(|parser| {
        let s = parser.screen();
        let body = ROWS - 2;
        for y in 0..body {
            let cell = |x| {
                s.cell(y, x)
                    .map_or(String::new(), |c| c.contents().to_owned())
            };
            assert_eq!(cell(BORDER), "│", "border moved on row {y}: {}", show());
            let blank = |x| cell(x).trim().is_empty();
            assert!(blank(0), "text in the margin on row {y}: {}", show());
            assert!(
                blank(BORDER - 1),
                "text past the pane on row {y}: {}",
                show()
            );
        }
    });
    let rule = &screen[2];
    assert!(rule.starts_with(" ─────"), "{}", show());
    let status = &screen[usize::from(ROWS) - 2];
    assert!(
        status.starts_with(" article ") && status.ends_with(" ? help "),
        "{}",
        show()
    );
}

/// Whatever the view: no title set, no bell, still on the alternate screen with the cursor
/// hidden, and no raw control character in any cell.
fn check_terminal(term: &Terminal, context: &str) {
    let screen = rows(term);
    let show = || format!("{context}:\n{}", screen.join("\n"));
    term.with(|parser| {
        let callbacks = parser.callbacks();
        assert!(callbacks.titles.is_empty(), "title set: {}", show());
        assert_eq!(callbacks.bells, 0, "bell: {}", show());
        let s = parser.screen();
        assert!(s.alternate_screen() && s.hide_cursor(), "{}", show());
        for y in 0..ROWS {
            for x in 0..COLS {
                let text = s.cell(y, x).map(|c| c.contents().to_owned());
                let text = text.unwrap_or_default();
                assert!(
                    !text.contains(is_hostile),
                    "raw {text:?} at {x},{y}: {}",
                    show()
                );
            }
        }
    });
}

#[test]
fn hostile_text_everywhere_is_shown_and_never_obeyed() {
    let home = Home::new();
    let files = write_corpus(&home);
    let labels = home.labels().display().to_string();
    let mut args = vec!["annotate"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--labels", labels.as_str()]);
    let mut term = Terminal::spawn(&home, &args, COLS, ROWS);
    let screen = term.wait_for("article 1/5");
    assert!(
        screen.contains("^[]0;pwned^G") && screen.contains("<U+009B>2J"),
        "{screen}"
    );
    assert!(
        screen.contains("^@") && screen.contains("<U+202E>desrever"),
        "{screen}"
    );
    check_screen(&term, "first article");
    for article in 1..=5 {
        for page in 0..4 {
            term.send("\x04"); // ctrl-d: a page down
            let context = format!("article {article} page {page}");
            settle(&term, &format!("article {article}/5"));
            check_screen(&term, &context);
        }
        term.send("1jn");
        settle(&term, &format!("article {}/5", (article + 1).min(5)));
        check_screen(&term, &format!("article {article} labelled"));
    }
    // The review list, and over it the article list and the statistics, show the same text.
    term.send("\t");
    settle(&term, "^[[2J");
    check_terminal(&term, "review list");
    for (key, shows, context) in [
        ("a", "T clear [2J home [H", "article list"),
        ("s", "annotated", "statistics"),
    ] {
        term.send(key);
        settle(&term, shows);
        check_terminal(&term, context);
        term.send("\u{1b}");
        settle(&term, " review · ");
    }
    term.send("\t");
    settle(&term, " article 5/5 ");
    // A search typed with a C1 control and an override (Escape itself cancels the prompt).
    term.send("/\u{9b}J\u{202e}x");
    settle(&term, "/<U+009B>J<U+202E>x");
    check_screen(&term, "search prompt");
    term.send("\u{1b}");
    settle(&term, " ? help ");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let store = LabelStore::open_read_only(&home.labels()).unwrap();
    assert_eq!(store.annotations().count(), 5);
    assert!(store.annotations().any(|e| e.article().contains('\u{0}')));
}

fn settle(term: &Terminal, text: &str) {
    wait_settled(term, text, Duration::from_millis(40), |rows| {
        rows.iter().any(|r| r.contains(text))
    });
}

#[test]
fn resizing_while_keys_arrive_never_brings_the_session_down() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &common::predict::corpus_text(3, 12));
    let labels = home.labels().display().to_string();
    let args = ["annotate", corpus.to_str().unwrap(), "--labels", &labels];
    let mut term = Terminal::spawn(&home, &args, 100, 30);
    term.wait_for("article 1/3");
    let mut rng = Rng::new(0x5e1f_0001);
    for _ in 0..300 {
        let cols = 1 + rng.below(160) as u16;
        let rows = 1 + rng.below(50) as u16;
        term.resize(cols, rows);
        let key: &&str = rng.pick(&["j", "k", "n", "p", "1", "2", "0", "x", "\r", "?", "?"]);
        term.send(key);
        std::thread::sleep(Duration::from_micros(rng.below(2000)));
        assert_eq!(term.exit_code(), None, "the session ended at {cols}x{rows}");
    }
    term.resize(29, 11);
    term.wait_for("Terminal too small");
    term.wait_for("need 30x12, have 29x11");
    term.resize(100, 30);
    let help_open = |rows: &[String]| rows.iter().any(|r| r.contains(" Keys "));
    let session =
        |rows: &[String]| rows.iter().any(|r| r.ends_with(" ? help ")) && !help_open(rows);
    let drawn = wait_settled(&term, "the session", Duration::from_millis(50), |rows| {
        session(rows) || help_open(rows)
    });
    // Esc only when the help is open: an Esc that closes nothing can be read together with
    // the `q` after it, as Alt+q.
    if help_open(&drawn) {
        term.send("\u{1b}");
        wait_settled(&term, "the session", Duration::from_millis(50), session);
    }
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    LabelStore::open(&home.labels()).expect("the store is whole");
}

/// Whether the session is drawn for exactly `cols` x `rows`: its status bar ends at the
/// last column, on the second row from the bottom.
fn drawn_for(screen: &[String], cols: u16, rows: u16) -> bool {
    screen.len() == usize::from(rows)
        && screen[usize::from(rows) - 2].ends_with(" ? help ")
        && screen[usize::from(rows) - 2].chars().count() == usize::from(cols)
}

#[test]
fn a_key_pressed_as_the_terminal_is_resized_is_acted_on_and_the_resize_is_not_lost() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", &common::predict::corpus_text(1, 45));
    let labels = home.labels().display().to_string();
    let args = ["annotate", corpus.to_str().unwrap(), "--labels", &labels];
    let mut term = Terminal::spawn(&home, &args, 100, 30);
    term.wait_for("article 1/1");
    for round in 0..40u16 {
        let (cols, rows) = (90 + round % 2 * 10, 28 + round % 2 * 2);
        // A key keeps the session busy while the resize and a label key reach it together.
        term.send("j");
        term.resize(cols, rows);
        term.send("1");
        let sentence = format!("sentence {}/45 ", round + 2);
        let start = std::time::Instant::now();
        loop {
            let screen = common::harden::rows(&term);
            let labelled = screen
                .iter()
                .any(|r| r.contains("this sentence: diplomatic "));
            let moved = screen.iter().any(|r| r.contains(&sentence));
            if drawn_for(&screen, cols, rows) && labelled && moved {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "round {round}: not drawn for {cols}x{rows} with the key acted on:\n{}",
                screen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}
