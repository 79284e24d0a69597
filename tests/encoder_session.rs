//! The sentence encoder in the session, through the real binary in a pseudo-terminal on real
//! store files: once the embeddings are there the scores on screen are `stance suggest
//! --encoder`'s, and a model folder that cannot be used leaves a session on the n-gram model
//! that says so.

use crate::common;

use crate::common::encoder;

use crate::model_session::label_thirty;
use common::pty::{Home, Terminal, journal};
use serde_json::Value;

const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];

fn percent(score: f64) -> String {
    let n = (score * 10_000.0).round() as u32;
    format!("{}.{:02}%", n / 100, n % 100)
}

fn shown_percentages(screen: &str) -> Option<Vec<String>> {
    LABELS
        .iter()
        .map(|name| {
            let row = screen
                .lines()
                .find(|l| l.contains(&format!(" {name} ")) && l.contains('%'))?;
            let end = row.find('%')? + 1;
            let start = row[..end].rfind(' ')? + 1;
            Some(row[start..end].to_owned())
        })
        .collect()
}

/// The first line of `stance suggest --json --all ARGS`: the first sentence of the corpus.
fn first_suggestion(home: &Home, args: &[&str]) -> Value {
    let mut all = vec!["suggest", "--json", "--all"];
    all.extend_from_slice(args);
    let out = home.run(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(stdout.lines().next().unwrap()).unwrap()
}

/// A `suggest --json` line's scores as the label pane shows them, in schema order.
fn percents(line: &Value) -> Vec<String> {
    LABELS
        .iter()
        .map(|l| percent(line["scores"][l].as_f64().unwrap()))
        .collect()
}

/// The model folder and a home whose store holds 30 decisions made in a session, or `None`
/// (said on stderr) without a model folder.
fn thirty_labelled() -> Option<(String, Home, String)> {
    let dir = encoder::folder()?.to_str().unwrap().to_owned();
    let home = Home::new();
    let labels = home.labels().to_str().unwrap().to_owned();
    label_thirty(&home, &labels);
    Some((dir, home, labels))
}

#[test]
fn the_session_shows_the_encoder_models_scores_once_embedded() {
    let Some((dir, home, labels)) = thirty_labelled() else {
        return;
    };
    let (dir, labels) = (dir.as_str(), labels.as_str());
    let plain = first_suggestion(&home, &["--labels", labels]);
    let with = first_suggestion(&home, &["--labels", labels, "--encoder", dir]);
    assert_eq!(with["sentence_index"], 0);
    let expected = percents(&with);
    let ngrams = percents(&plain);
    assert_ne!(expected, ngrams, "the encoder changes the first scores");

    // The cache beside the store is kept from `suggest`: the session trains the model over
    // embeddings at once, and its scores are `suggest --encoder`'s to the last digit.
    let mut term = Terminal::spawn(
        &home,
        &["annotate", "--labels", labels, "--encoder", dir],
        100,
        30,
    );
    term.wait_for("suggested (y)");
    term.send(":1\r");
    term.send("g");
    let screen = term.wait_until("the encoder model's scores of the first sentence", |s| {
        s.contains("suggested (y)") && shown_percentages(s).as_ref() == Some(&expected)
    });
    assert!(!screen.contains("encoder still embedding"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn after_decisions_in_the_session_its_encoder_scores_are_still_suggests() {
    let Some((dir, home, labels)) = thirty_labelled() else {
        return;
    };
    let (dir, labels) = (dir.as_str(), labels.as_str());
    // Every sentence embedded beforehand, so the session only reads the cache.
    first_suggestion(&home, &["--labels", labels, "--encoder", dir]);
    let mut term = Terminal::spawn(
        &home,
        &["annotate", "--labels", labels, "--encoder", dir],
        100,
        30,
    );
    term.wait_until("the encoder model", |s| {
        s.contains("suggested (y)") && !s.contains("encoder still embedding")
    });
    term.send(":1\r");
    term.send("g");
    // Three decisions changed: the session's model learns them one by one, `suggest`
    // trains from the store's latest decisions.
    for _ in 0..3 {
        term.send("2\r");
    }
    term.wait_until("33 decisions in the journal", |_| {
        journal(std::path::Path::new(labels)).len() >= 33
    });
    let with = first_suggestion(&home, &["--labels", labels, "--encoder", dir]);
    let expected = percents(&with);
    term.send(":1\r");
    term.send("g");
    term.wait_until("suggest --encoder's scores of the first sentence", |s| {
        s.contains("suggested (y)") && shown_percentages(s).as_ref() == Some(&expected)
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_folder_that_cannot_be_used_leaves_the_session_on_the_ngram_model_and_says_so() {
    let home = Home::new();
    let labels = home.labels();
    let labels = labels.to_str().unwrap();
    let missing = home.dir.path().join("no-model");
    let mut term = Terminal::spawn(
        &home,
        &[
            "annotate",
            "--labels",
            labels,
            "--encoder",
            missing.to_str().unwrap(),
        ],
        200,
        30,
    );
    let screen = term.wait_for("suggestions come from the n-gram model");
    assert!(screen.contains("not a folder"), "{screen}");
    term.send("1\r");
    term.wait_until("the decision on disk", |_| {
        journal(std::path::Path::new(labels)).len() == 1
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}
