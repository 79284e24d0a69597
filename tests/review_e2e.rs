//! `stance review` in a pseudo-terminal: filter, open in context, change, quit, and the
//! journal read back; a second session on the same store reviews read-only.

use crate::common;

use common::pty::{Home, Terminal, journal};
use stance::store::Event;

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

fn label(article: &str, text: &str, sentence: &str, labels: &[&str], who: &str) -> Event {
    let start = text.find(sentence).expect("sentence in text");
    Event::set(
        article,
        start,
        sentence,
        labels.iter().copied(),
        who,
        1_700_000_000_000,
    )
}

/// A corpus and a journal with labels by alice and bob.
fn home_with_labels() -> (Home, String, String) {
    let home = Home::new();
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let a1 =
        "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks.";
    let a2 = "Tariffs rose again. A missile test followed.";
    let events = [
        label(
            "a1",
            a1,
            "Envoys met in Geneva on Tuesday.",
            &["diplomatic"],
            "alice",
        ),
        label(
            "a1",
            a1,
            "Sanctions were not discussed.",
            &["sanctions"],
            "alice",
        ),
        label("a2", a2, "Tariffs rose again.", &["sanctions"], "bob"),
        label("a2", a2, "A missile test followed.", &["military"], "bob"),
    ];
    let lines: String = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    let labels = home.write("labels.jsonl", &lines).display().to_string();
    (home, corpus, labels)
}

#[test]
fn filter_open_in_context_change_and_the_journal_has_it() {
    let (home, corpus, labels) = home_with_labels();
    let mut term = Terminal::spawn(&home, &["review", &corpus, "--labels", &labels], 100, 30);
    let screen = term.wait_for("4 match · 4 in all");
    assert!(screen.contains("every annotator's annotations"), "{screen}");
    // f then 2: sanctions only, alice's and bob's.
    term.send("f");
    term.wait_for("filter by: 1 diplomatic");
    term.send("2");
    let screen = term.wait_for("2 match");
    assert!(screen.contains("label sanctions"), "{screen}");
    // Its row is gone (the preview may still show it dimmed, as the sentence before).
    let row = |l: &&str| l.contains("Envoys met in Geneva") && l.contains("alice");
    assert!(!screen.lines().any(|l| row(&l)), "{screen}");
    // Enter: alice's row opens in its article, on its sentence.
    term.send("\r");
    term.wait_until("the sentence in context", |s| {
        s.contains("article 1/2 · sentence 2/3") && s.contains("this sentence: sanctions")
    });
    // Sanctions off, military on: journaled as alice's, like any decision.
    term.send("23");
    term.wait_until("military saved", |s| {
        s.contains("this sentence: military") && s.contains("saved")
    });
    // Back to the list at the same row, which no longer matches but stays.
    term.send("\t");
    let screen = term.wait_for("review · row 1/2");
    assert!(screen.contains("+1 edited"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let events = journal(home.dir.path().join("labels.jsonl").as_path());
    assert_eq!(events.len(), 6, "4 stored, then 2 decisions");
    let last = &events[5];
    assert_eq!(last["op"], "set");
    assert_eq!(last["article"], "a1");
    assert_eq!(last["annotator"], "alice");
    assert_eq!(last["labels"], serde_json::json!(["military"]));
    assert_eq!(last["text"], "Sanctions were not discussed.");
    assert_eq!(events[4]["labels"], serde_json::json!([]));
    // Bob's labels are untouched and stats agree with the journal.
    let out = home.run(&["stats", &corpus, "--labels", &labels, "--json"]);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        stats["annotators"],
        serde_json::json!({"alice": 2, "bob": 2})
    );
    assert_eq!(stats["labels"]["sanctions"], 1);
    assert_eq!(stats["labels"]["military"], 2);
    assert_eq!(stats["articles_done"], 1, "a2: both sentences have a label");
}

#[test]
fn label_option_a_second_session_reads_only_and_bad_labels_are_refused() {
    let (home, corpus, labels) = home_with_labels();
    let mut writer = Terminal::spawn(&home, &["annotate", &corpus, "--labels", &labels], 100, 30);
    writer.wait_for("article 1/2");
    let mut reader = Terminal::spawn(
        &home,
        &[
            "review", &corpus, "--labels", &labels, "--label", "military",
        ],
        100,
        30,
    );
    // The whole frame: its status bar (the read-only notice) is written after the list.
    let screen = reader.wait_until("the match and the read-only notice", |s| {
        s.contains("1 match") && s.contains("read-only")
    });
    assert!(screen.contains("A missile test followed."), "{screen}");
    // A change is refused, and nothing is written.
    reader.send("1");
    reader.wait_for("not saved: another session");
    reader.send("q");
    assert_eq!(reader.wait_exit(), 0);
    writer.send("q");
    assert_eq!(writer.wait_exit(), 0);
    assert_eq!(
        journal(home.dir.path().join("labels.jsonl").as_path()).len(),
        4
    );

    let out = home.run(&["review", &corpus, "--labels", &labels, "--label", "peace"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--label \"peace\"") && stderr.contains("diplomatic, sanctions, military"),
        "{stderr}"
    );
}
