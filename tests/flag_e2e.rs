//! Flag and note in the real binary on a real store: flag a sentence with a note, quit,
//! reopen (still shown), review with `W`, and `kill -9` after "saved" loses nothing.

use crate::common;

use common::pty::{Home, Terminal, journal};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed home."}"#,
    "\n",
);

#[test]
fn a_flag_with_a_note_is_journaled_reopened_reviewed_and_survives_kill_9() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let labels = home.labels().display().to_string();
    let args = ["annotate", corpus.as_str(), "--labels", labels.as_str()];
    let mut term = Terminal::spawn(&home, &args, 80, 24);
    term.wait_for("sentence 1/3");
    term.send("1j");
    term.wait_for("sentence 2/3");
    term.send("!");
    term.wait_until("the flag saved", |s| {
        s.contains("saved: flagged · sentence 2") && s.contains("⚑ flagged")
    });
    term.send("c");
    term.wait_for("note on sentence 2:");
    term.send("ask the lead");
    term.paste("\x1b[31m\r\nred?");
    term.send("\r");
    term.wait_until("the note saved", |s| {
        s.contains("saved: note saved · sentence 2")
    });
    term.send("c\t");
    term.wait_for("article note:");
    term.send("wire copy\r");
    term.wait_for("saved: note saved · the article");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let lines = journal(&home.labels());
    let ops: Vec<(&str, u64)> = lines
        .iter()
        .map(|e| (e["op"].as_str().unwrap(), e["v"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [("set", 1), ("flag", 4), ("note", 4), ("article_note", 4)]
    );
    assert_eq!(lines[2]["note"], "ask the lead[31m red?");
    assert_eq!(lines[2]["text"], "Sanctions were not discussed.");

    // Reopened: the session resumes after the last decision, on the flagged sentence.
    let mut term = Terminal::spawn(&home, &args, 80, 24);
    let screen = term.wait_for("article note: wire copy");
    assert!(!screen.contains('\x1b'));
    term.send("gj");
    term.wait_until("the note is shown again", |s| {
        s.contains("⚑ flagged · note: ask the lead[31m red?")
    });
    // Review: the decided sentence is not flagged, so W leaves no row; a decision on the
    // flagged one gives it a row.
    term.send("2");
    term.wait_for("saved: sanctions");
    term.send("\t");
    term.wait_for("Review");
    term.send("W");
    term.wait_until("the flagged filter", |s| {
        s.contains("filter: flagged only") && s.contains("1 match")
    });
    let screen = term.screen();
    assert!(
        screen.contains("⚑ alice · alice's note: ask the lead"),
        "{screen}"
    );
    term.send("\t");
    term.wait_for("sentence 2/3");
    // kill -9 right after "saved": the unflag is on disk.
    term.send("!");
    term.wait_for("saved: flag withdrawn · sentence 2");
    term.kill_hard();
    let lines = journal(&home.labels());
    let last = lines.last().unwrap();
    assert_eq!(
        (last["op"].as_str(), last["v"].as_u64()),
        (Some("unflag"), Some(4))
    );
    let out = home.run(&["stats", &corpus, "--labels", &labels]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The export carries the note (the flag was withdrawn) and the article's note.
    let out = home.run(&["export", &corpus, "--labels", &labels, "--format", "jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[1]["text"], "Sanctions were not discussed.");
    assert_eq!(lines[1]["note"], "alice: ask the lead[31m red?");
    assert!(lines[1].get("flagged").is_none(), "{text}");
    assert!(
        lines
            .iter()
            .all(|l| l["article_note"] == "alice: wire copy"),
        "{text}"
    );
}
