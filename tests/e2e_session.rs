//! The real binary in a pseudo-terminal: keys in, screen and journal out.

use crate::common;

use common::pty::{Home, Terminal, journal};
use serde_json::Value;

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

fn corpus(home: &Home) -> String {
    home.write("news.jsonl", CORPUS).display().to_string()
}

fn annotate(home: &Home, extra: &[&str]) -> Terminal {
    let corpus = corpus(home);
    let labels = home.labels().display().to_string();
    let mut args = vec!["annotate", corpus.as_str(), "--labels", labels.as_str()];
    args.extend_from_slice(extra);
    Terminal::spawn(home, &args, 100, 30)
}

fn labels_of(event: &Value) -> Vec<String> {
    event["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l.as_str().expect("label name").to_owned())
        .collect()
}

#[test]
fn labels_typed_are_in_the_journal_after_quit() {
    let home = Home::new();
    let mut term = annotate(&home, &[]);
    term.wait_for("sentence 1/3");
    term.send("13");
    term.wait_until("both labels saved", |s| {
        s.contains("this sentence: diplomatic, military") && s.contains("saved")
    });
    term.send("j0");
    term.wait_for("sentence 3/3");
    term.send("x2");
    term.wait_until("sanctions saved", |s| {
        s.contains("this sentence: sanctions") && s.contains("saved")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let events = journal(&home.labels());
    let summary: Vec<(String, Vec<String>)> = events
        .iter()
        .map(|e| (e["op"].as_str().unwrap().to_owned(), labels_of(e)))
        .collect();
    let owned = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        summary,
        [
            ("set".to_owned(), owned(&["diplomatic"])),
            ("set".to_owned(), owned(&["diplomatic", "military"])),
            ("set".to_owned(), owned(&[])),
            ("set".to_owned(), owned(&["sanctions"])),
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| e["annotator"] == "alice" && e["article"] == "a1")
    );
    assert_eq!(events[2]["text"], "Sanctions were not discussed.");
    assert!(events[1]["ts"].as_u64().unwrap() >= events[0]["ts"].as_u64().unwrap());

    let stats = |home: &Home| -> Value {
        let labels = home.labels().display().to_string();
        let out = home.run(&["stats", "news.jsonl", "--labels", &labels, "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("stats JSON")
    };
    let counts = stats(&home);
    assert_eq!(counts["annotated"], 3, "{counts}");
    assert_eq!(counts["no_stance"], 1, "{counts}");
    assert_eq!(
        counts["labels"],
        serde_json::json!({"diplomatic": 1, "military": 1, "sanctions": 1})
    );
    assert_eq!(counts["orphaned"], 0);
    // The corpus changes under the labels: the edited sentence's label is orphaned, not moved.
    home.write(
        "news.jsonl",
        &CORPUS.replace("Envoys met in Geneva", "Envoys met in Zurich"),
    );
    let counts = stats(&home);
    assert_eq!(
        (counts["annotated"].as_u64(), counts["orphaned"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(counts["labels"]["diplomatic"], 0, "{counts}");
}

#[test]
fn killed_right_after_saved_loses_nothing_and_resumes_after_the_sentence() {
    let home = Home::new();
    let mut term = annotate(&home, &["--annotator", "bob"]);
    term.wait_for("sentence 1/3");
    term.send("2j");
    term.wait_for("sentence 2/3");
    term.send("13");
    term.wait_until("saved", |s| {
        s.contains("this sentence: diplomatic, military") && s.contains("saved")
    });
    term.kill_hard();

    let events = journal(&home.labels());
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(labels_of(&events[2]), ["diplomatic", "military"]);
    assert!(events.iter().all(|e| e["annotator"] == "bob"));

    let mut term = annotate(&home, &["--annotator", "bob"]);
    // On the undecided sentence after the last decision.
    term.wait_until("resumed with the count", |s| {
        s.contains("sentence 3/3")
            && s.contains("this sentence: not annotated")
            && s.contains("2/5 annotated")
    });
    term.send("k");
    term.wait_for("this sentence: diplomatic, military");
    term.send("k");
    term.wait_for("this sentence: sanctions");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn reopening_resumes_where_the_analyst_left_off() {
    let home = Home::new();
    let position_file = home.dir.path().join("labels.position.json");
    let mut term = annotate(&home, &[]);
    term.wait_for("article 1/2");
    term.send("njj");
    term.wait_for("sentence 2/2");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    // A new store is created by its first write: moving alone leaves neither it nor a
    // position behind.
    assert!(!home.labels().exists(), "moving writes no labels");
    assert!(!position_file.exists(), "nor a position");

    let mut term = annotate(&home, &[]);
    term.wait_for("article 1/2");
    term.send("1");
    term.wait_for("saved");
    term.send("njj");
    term.wait_for("sentence 2/2");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    assert_eq!(journal(&home.labels()).len(), 1, "moving writes no labels");
    let position =
        std::fs::read_to_string(&position_file).expect("the position file is beside the store");
    assert!(position.contains("\"alice\""), "{position}");

    let mut term = annotate(&home, &[]);
    let screen = term.wait_for("article 2/2");
    assert!(screen.contains("sentence 2/2"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let home = Home::new();
    let text = "Plain. Title \u{1b}]0;pwned\u{7} bell \u{7}\u{7} clear \u{1b}[2J \
                colour \u{1b}[31mred \u{202e}reversed\u{2069} c1 \u{9b}31m end.";
    let line =
        serde_json::json!({"id": "evil\u{1b}[H", "title": "Hi \u{1b}]2;owned\u{7}", "text": text});
    home.write("evil.jsonl", &format!("{line}\n"));
    let corpus = home.dir.path().join("evil.jsonl").display().to_string();
    let labels = home.labels().display().to_string();
    let mut term = Terminal::spawn(&home, &["annotate", &corpus, "--labels", &labels], 120, 30);
    let screen = term.wait_for("^[]0;pwned^G");
    for shown in [
        "^G^G clear ^[[2J",
        "^[[31mred",
        "<U+202E>reversed<U+2069>",
        "<U+009B>31m",
    ] {
        assert!(screen.contains(shown), "{shown:?} missing:\n{screen}");
    }
    // The title is shown as text (the corpus reader may drop its control characters).
    assert!(screen.contains("]2;owned"), "{screen}");
    assert!(screen.contains("id: evil^[[H"), "{screen}");
    assert!(
        !screen.contains(['\u{202e}', '\u{2069}', '\u{1b}', '\u{7}']),
        "{screen}"
    );
    term.with(|parser| {
        assert!(
            parser.callbacks().titles.is_empty(),
            "a window title was set"
        );
        assert_eq!(parser.callbacks().bells, 0, "the bell rang");
        // Every row is still there: nothing cleared the screen or moved the cursor home.
        assert!(parser.screen().contents().starts_with(" Hi "));
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_bad_keymap_entry_is_reported_and_the_rest_works() {
    let home = Home::new();
    home.write(
        "config/config.toml",
        "[keys]\nnext_article = [\"N\", \"hyper-x\"]\nfrobnicate = \"z\"\n",
    );
    let mut term = annotate(&home, &[]);
    // The warning is on stderr before the session draws: wait for it in the status bar.
    term.wait_until("the warning beside the session", |screen| {
        screen.contains("frobnicate: unknown action") && screen.contains("article 1/2")
    });
    term.send("n");
    term.send("N");
    let screen = term.wait_for("article 2/2");
    assert!(
        screen.contains("sentence 1/2"),
        "n did nothing, N moved: {screen}"
    );
    term.send("?");
    let screen = term.wait_for("Keys");
    assert!(screen.contains("N            next article"), "{screen}");
    term.send("x");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn resizing_redraws_and_too_small_says_so() {
    let home = Home::new();
    let mut term = annotate(&home, &[]);
    term.wait_for("sentence 1/3");
    term.resize(24, 6);
    term.wait_for("too small");
    term.resize(100, 30);
    term.wait_for("sentence 1/3");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_second_session_on_the_same_store_is_refused() {
    let home = Home::new();
    let mut first = annotate(&home, &[]);
    first.wait_for("sentence 1/3");
    let mut second = annotate(&home, &[]);
    second.wait_for("in use");
    assert_eq!(second.wait_exit(), 1);
    first.send("1");
    first.wait_for("saved");
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
}

#[test]
fn stance_alone_opens_the_sample_corpus() {
    let home = Home::new();
    let mut term = Terminal::spawn(&home, &[], 100, 30);
    let screen = term.wait_for("article 1/");
    assert!(
        screen.contains("labels/sample") && !screen.contains("sample.jsonl"),
        "{screen}"
    );
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_bad_schema_is_an_error_naming_the_file_and_field() {
    let home = Home::new();
    let schema = home.write(
        "schema.toml",
        "[[labels]]\nname = \"a\"\nkey = \"1\"\ncolour = \"mauve\"\n",
    );
    let corpus = corpus(&home);
    let out = home.run(&[
        "annotate",
        &corpus,
        "--schema",
        &schema.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("schema.toml: labels[1].colour: unknown colour"),
        "{stderr}"
    );
}

#[test]
fn a_mouse_click_on_a_label_in_the_label_pane_toggles_it_and_saves() {
    let home = Home::new();
    let mut term = annotate(&home, &[]);
    term.wait_for("sentence 1/3");
    let screen = stance::app::screen::Screen::new(100, 30, 3);
    let (row, _) = screen.label_rows(&stance::schema::Schema::default())[2];
    // SGR mouse reports are 1-based: press and release of the left button
    let at = format!("{};{}", 20, row + 1);
    term.send(&format!("\x1b[<0;{at}M\x1b[<0;{at}m"));
    term.wait_until("military saved", |s| {
        s.contains("this sentence: military") && s.contains("saved")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let events = journal(&home.labels());
    assert_eq!(events.len(), 1);
    assert_eq!(labels_of(&events[0]), ["military"]);
}
