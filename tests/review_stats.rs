//! `stance stats` as a reviewer reads it: plain when piped, bars on a terminal, and the
//! `annotators` and `articles_done` fields of `--json`.

use crate::common;

use common::pty::{Home, Terminal};
use serde_json::{Value, json};
use stance::store::{Event, fingerprint};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "text": "Envoys met in Geneva. Sanctions were not discussed."}"#,
    "\n",
    r#"{"id": "a2", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
    r#"{"id": "a3", "text": "Ships left port."}"#,
    "\n",
    r#"{"id": "a4", "text": "   "}"#,
    "\n",
);

fn event(article: &str, start: usize, sentence: &str, labels: &[&str], who: &str) -> Event {
    Event::set(article, start, sentence, labels.iter().copied(), who, 1)
}

/// a1 done by alice and bob together, a2 half done, a3 only by an orphan, a4 empty.
fn home() -> Home {
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let mut stale = event("a3", 0, "Ships left port.", &["military"], "carol");
    stale.fp = fingerprint("Ships left harbour.");
    let events = [
        event("a1", 0, "Envoys met in Geneva.", &["diplomatic"], "alice"),
        event("a1", 22, "Sanctions were not discussed.", &[], "bob"),
        event(
            "a1",
            22,
            "Sanctions were not discussed.",
            &["sanctions"],
            "alice",
        ),
        event(
            "a2",
            0,
            "Tariffs rose again.",
            &["sanctions", "military"],
            "bob",
        ),
        stale,
    ];
    let lines: String = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    home.write("labels.jsonl", &lines);
    home
}

const ARGS: [&str; 4] = ["stats", "news.jsonl", "--labels", "labels.jsonl"];

#[test]
fn json_counts_annotators_and_articles_done() {
    let home = home();
    let mut args = ARGS.to_vec();
    args.push("--json");
    let out = home.run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        stats["annotators"],
        json!({"alice": 2, "bob": 2}),
        "{stats}"
    );
    assert_eq!(stats["articles_done"], 1, "{stats}");
    assert_eq!(stats["annotated"], 4);
    assert_eq!(stats["orphaned"], 1);
    assert_eq!(stats["no_stance"], 1);
    assert_eq!(
        stats["labels"],
        json!({"diplomatic": 1, "sanctions": 2, "military": 1})
    );
}

#[test]
fn piped_output_is_plain_and_holds_the_same_figures() {
    let home = home();
    let out = home.run(&ARGS);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('█') && !text.contains('%'), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no escape codes when piped: {text}"
    );
    for line in [
        "annotated  4\n",
        "  no stance   1\n",
        "  sanctions   2\n",
        "orphaned   1\n",
        "done       1 of 4 articles\n",
        "annotators 2\n",
        "  alice       2\n",
        "  bob         2\n",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
}

#[test]
fn on_a_terminal_the_table_has_bars() {
    let home = home();
    let mut term = Terminal::spawn(&home, &ARGS, 100, 30);
    assert_eq!(term.wait_exit(), 0);
    let screen = term.wait_for("annotators 2");
    let sanctions = screen
        .lines()
        .find(|l| l.trim_start().starts_with("sanctions"))
        .unwrap();
    // 2 of 4 annotations: half the longest bar.
    assert!(sanctions.contains(" 50%  ███████████████"), "{screen}");
    assert!(!sanctions.contains("████████████████"), "{screen}");
    let alice = screen.lines().find(|l| l.contains("alice")).unwrap();
    assert!(alice.contains("█"), "{screen}");
}
