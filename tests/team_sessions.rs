//! Several annotators on one store folder, each in a real session of the real binary in a
//! pseudo-terminal: they write at the same time, each sees the other's decisions, and a
//! session killed loses nothing of the other's.

use crate::common;

use common::pty::{Home, Terminal, journal};
use serde_json::Value;

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

/// `stance SUBCOMMAND news.jsonl --labels team --annotator WHO` in a terminal.
fn session(home: &Home, subcommand: &str, who: &str) -> Terminal {
    home.write("news.jsonl", CORPUS);
    let args = [
        subcommand,
        "news.jsonl",
        "--labels",
        "team",
        "--annotator",
        who,
    ];
    Terminal::spawn(home, &args, 100, 30)
}

/// Sends `keys` and waits until the sentence shows `labels` and the status bar says saved.
fn label_and_wait(term: &mut Terminal, keys: &str, sentence: &str, labels: &str) {
    term.send(keys);
    term.wait_until(&format!("{sentence} {labels} saved"), |s| {
        s.contains(sentence)
            && s.contains(&format!("this sentence: {labels}"))
            && s.contains("saved")
    });
}

fn stats(home: &Home) -> Value {
    let out = home.run(&["stats", "news.jsonl", "--labels", "team", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stats JSON")
}

fn annotators_in(path: &std::path::Path) -> Vec<String> {
    journal(path)
        .iter()
        .map(|e| e["annotator"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn two_annotators_write_at_once_and_a_killed_one_loses_nothing_of_the_other() {
    let home = Home::new();
    let mut alice = session(&home, "annotate", "alice");
    let mut bob = session(&home, "annotate", "bob");
    alice.wait_for("sentence 1/3");
    bob.wait_for("sentence 1/3");

    // Keys to both before either is waited on: the saves overlap.
    alice.send("1");
    bob.send("2");
    label_and_wait(&mut alice, "", "sentence 1/3", "diplomatic");
    label_and_wait(&mut bob, "", "sentence 1/3", "sanctions");
    alice.send("j3");
    bob.send("j1");
    label_and_wait(&mut alice, "", "sentence 2/3", "military");
    label_and_wait(&mut bob, "", "sentence 2/3", "diplomatic");

    bob.kill_hard();
    alice.send("j2");
    label_and_wait(&mut alice, "", "sentence 3/3", "sanctions");
    alice.send("q");
    assert_eq!(alice.wait_exit(), 0);

    let team = home.dir.path().join("team");
    assert_eq!(annotators_in(&team.join("alice.jsonl")), ["alice"; 3]);
    assert_eq!(
        annotators_in(&team.join("bob.jsonl")),
        ["bob"; 2],
        "what bob's screen showed saved is on disk"
    );
    let counts = stats(&home);
    assert_eq!(
        counts["annotators"],
        serde_json::json!({"alice": 3, "bob": 2}),
        "{counts}"
    );
    assert_eq!(counts["orphaned"], 0, "{counts}");
}

#[test]
fn the_same_annotator_twice_is_refused_naming_the_holder_while_another_writes() {
    let home = Home::new();
    let mut first = session(&home, "annotate", "alice");
    first.wait_for("sentence 1/3");
    let mut second = session(&home, "annotate", "alice");
    let screen = second.wait_for("in use");
    assert_eq!(second.wait_exit(), 1);
    let holder = format!("process {}", first.pid());
    assert!(
        screen.contains("alice.jsonl") && screen.contains(&holder),
        "{screen}"
    );

    let mut bob = session(&home, "annotate", "bob");
    bob.wait_for("sentence 1/3");
    label_and_wait(&mut bob, "1", "sentence 1/3", "diplomatic");
    first.send("2");
    label_and_wait(&mut first, "", "sentence 1/3", "sanctions");
    for term in [&mut first, &mut bob] {
        term.send("q");
        assert_eq!(term.wait_exit(), 0);
    }
}

#[test]
fn a_running_session_sees_another_annotator_s_decisions_as_they_are_saved() {
    let home = Home::new();
    // Alice reviews before bob has a journal at all: his file appears in the folder later.
    let mut alice = session(&home, "review", "alice");
    alice.wait_for("review");
    let mut bob = session(&home, "annotate", "bob");
    bob.wait_for("sentence 1/3");
    label_and_wait(&mut bob, "3", "sentence 1/3", "military");
    alice.wait_until("bob's first decision in alice's review list", |s| {
        s.contains("bob") && s.contains("Envoys met in Geneva")
    });
    bob.send("j2");
    label_and_wait(&mut bob, "", "sentence 2/3", "sanctions");
    alice.wait_until("bob's second decision in alice's review list", |s| {
        s.contains("bob") && s.contains("Sanctions were not discussed")
    });
    for term in [&mut alice, &mut bob] {
        term.send("q");
        assert_eq!(term.wait_exit(), 0);
    }
}
