//! Fixing sentence boundaries in a real session: `S` splits the current sentence before a
//! word chosen with the word cursor, `J` merges it with the next; both are journaled before
//! "saved", survive a kill, are one undo step each, and orphan the labels they cut.

use crate::common;

use common::pty::{Home, Terminal, journal};

const TEXT: &str = "Talks resumed on Monday in Geneva. Troops moved north. Officials said nothing.";

fn corpus(home: &Home) -> std::path::PathBuf {
    let line = serde_json::json!({"id": "a1", "title": "Talks", "text": TEXT});
    home.write("news.jsonl", &format!("{line}\n"))
}

fn start(home: &Home) -> Terminal {
    let corpus = corpus(home);
    let labels = home.labels();
    let args = [
        "annotate",
        corpus.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ];
    let term = Terminal::spawn(home, &args, 200, 24);
    term.wait_for("Officials said nothing.");
    term
}

/// The boundary lines of the journal: (op, at, annotator).
fn boundary_lines(home: &Home) -> Vec<(String, u64, String)> {
    journal(&home.labels())
        .iter()
        .filter(|e| e.get("at").is_some())
        .map(|e| {
            assert_eq!(e["v"], 3, "{e}");
            (
                e["op"].as_str().unwrap().to_owned(),
                e["at"].as_u64().unwrap(),
                e["annotator"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Waits until the screen shows `text` with everything saved.
fn saved_with(term: &Terminal, text: &str) -> String {
    term.wait_until(&format!("{text:?} and saved"), |s| {
        s.contains(text) && s.contains("saved") && !s.contains("saving")
    })
}

fn sentences(home: &Home) -> Vec<String> {
    let corpus = corpus(home);
    let labels = home.labels();
    let out = home.run(&[
        "segment",
        "--json",
        "--labels",
        labels.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn a_split_is_saved_before_saved_survives_a_kill_and_is_one_undo_step() {
    let home = Home::new();
    let mut term = start(&home);
    term.send("1");
    saved_with(&term, "1 Talks resumed");
    term.send("S");
    term.wait_for("split: …Talks ┃ resumed on Monday");
    term.send("ll");
    term.wait_for("split: …Talks resumed on ┃ Monday in Geneva.");
    term.send("h");
    term.wait_for("split: …Talks resumed ┃ on Monday");
    term.send("l\r");
    let screen = saved_with(&term, "┊Monday in Geneva.");
    assert!(screen.contains("·┊Talks resumed on ·┊Monday"), "{screen}");
    let at = TEXT.find("Monday").unwrap() as u64;
    assert_eq!(
        boundary_lines(&home),
        [("split".into(), at, "alice".into())]
    );

    // Killed after "saved": the split is there when the store is opened again.
    term.kill_hard();
    drop(term);
    assert_eq!(
        sentences(&home),
        [
            "Talks resumed on",
            "Monday in Geneva.",
            "Troops moved north.",
            "Officials said nothing."
        ]
    );
    let mut term = start(&home);
    let screen = term.wait_for("┊Monday in Geneva.");
    assert!(screen.contains("·┊Talks resumed on"), "{screen}");

    // Undo and redo work within the session that made the change; start one more.
    term.send("g");
    term.send("S");
    term.wait_for("split: …Talks ┃ resumed");
    term.send("\r");
    saved_with(&term, "·┊resumed on ·┊Monday");
    term.send("u");
    let screen = saved_with(&term, "·┊Talks resumed on ·┊Monday");
    assert!(!screen.contains("┊resumed"), "{screen}");
    term.send("\x12");
    saved_with(&term, "·┊resumed on ·┊Monday");
    let lines = boundary_lines(&home);
    let second = TEXT.find("resumed").unwrap() as u64;
    assert_eq!(
        lines[1..],
        [
            ("split".into(), second, "alice".into()),
            ("restore".into(), second, "alice".into()),
            ("split".into(), second, "alice".into())
        ]
    );
}

#[test]
fn a_merge_orphans_the_labels_it_joins_and_undo_attaches_them_again() {
    let home = Home::new();
    let mut term = start(&home);
    term.send("1");
    saved_with(&term, "1 Talks resumed");
    term.send("J");
    let screen = saved_with(
        &term,
        "·┊Talks resumed on Monday in Geneva. Troops moved north.",
    );
    assert!(screen.contains("merged"), "{screen}");
    let at = TEXT.find("Troops").unwrap() as u64;
    assert_eq!(
        boundary_lines(&home),
        [("merge".into(), at, "alice".into())]
    );
    assert_eq!(
        sentences(&home),
        [
            "Talks resumed on Monday in Geneva. Troops moved north.",
            "Officials said nothing."
        ]
    );

    // The label is orphaned with its reason, not moved.
    term.send("\t");
    term.wait_for("[merged by alice] Talks resumed on Monday in Geneva.");
    term.send("2");
    term.wait_for("its sentence was merged");
    term.send("\t");

    term.send("u");
    let screen = saved_with(&term, "1 Talks resumed on Monday in Geneva. · Troops");
    assert!(!screen.contains('┊'), "{screen}");
    term.send("q");
    term.wait_exit();
    assert_eq!(sentences(&home).len(), 3);
}
