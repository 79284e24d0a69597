//! The model in the session, through the real binary in a pseudo-terminal on real store
//! files: the scores on screen are `stance suggest`'s, `y` journals an accepted suggestion
//! with those scores, and undo takes it back.

use crate::common;

use common::pty::{Home, Terminal, journal};
use serde_json::Value;

const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];

/// Labels 30 sentences of the sample from its start, each label and "no stance" in turn,
/// then quits once everything is saved.
pub(crate) fn label_thirty(home: &Home, labels: &str) {
    let mut term = Terminal::spawn(home, &["annotate", "--labels", labels], 80, 24);
    term.wait_for("this sentence");
    label_in(&mut term, labels, 30);
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

/// Labels `n` sentences from the cursor in a running session, each label and "no stance"
/// in turn, and waits until the journal holds `n` lines.
fn label_in(term: &mut Terminal, labels: &str, n: usize) {
    for i in 0..n {
        match i % 4 {
            0 => term.send("1\r"),
            1 => term.send("2\r"),
            2 => term.send("3\r"),
            _ => term.send("0"),
        }
        // One decision at a time: the status names the sentence just decided.
        term.wait_until("the decision's feedback", |s| {
            s.contains("sentence") && !s.contains("model training")
        });
    }
    term.wait_until("the decisions in the journal", |_| {
        journal(std::path::Path::new(labels)).len() >= n
    });
}

/// The percentage a score shows as: its 4 decimals, exactly.
fn percent(score: f64) -> String {
    let n = (score * 10_000.0).round() as u32;
    format!("{}.{:02}%", n / 100, n % 100)
}

/// Per label, the percentage on its row of the label pane under the article.
fn shown_percentages(screen: &str) -> Vec<String> {
    LABELS
        .iter()
        .map(|name| {
            let row = screen
                .lines()
                .find(|l| l.contains(&format!(" {name} ")) && l.contains('%'))
                .unwrap_or_else(|| panic!("no row for {name} in\n{screen}"));
            let end = row.find('%').unwrap() + 1;
            let start = row[..end].rfind(' ').unwrap() + 1;
            row[start..end].to_owned()
        })
        .collect()
}

#[test]
fn the_session_shows_suggests_scores_and_y_journals_them_as_an_accepted_suggestion() {
    let home = Home::new();
    let labels = home.labels();
    let labels = labels.to_str().unwrap();
    label_thirty(&home, labels);
    let out = home.run(&["suggest", "--labels", labels, "--json", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["sentence_index"], 0);
    let expected: Vec<String> = LABELS
        .iter()
        .map(|l| percent(first["scores"][l].as_f64().unwrap()))
        .collect();

    let mut term = Terminal::spawn(&home, &["annotate", "--labels", labels], 80, 24);
    term.wait_for("suggested (y)");
    // To the first sentence of the first article, which suggest printed first.
    term.send(":1\r");
    term.send("g");
    let screen = term.wait_until("the first sentence's scores", |s| {
        s.contains("suggested (y)") && shown_percentages(s) == expected
    });
    assert!(screen.contains("this sentence: diplomatic"), "{screen}");
    let suggested: Vec<String> = first["suggested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let what = if suggested.is_empty() {
        "no stance".to_owned()
    } else {
        suggested.join(", ")
    };
    assert!(
        screen.contains(&format!("suggested (y): {what}")),
        "{screen}"
    );

    let before = journal(std::path::Path::new(labels)).len();
    term.send("y");
    term.wait_for("saved: accepted suggestion");
    let lines = journal(std::path::Path::new(labels));
    assert_eq!(lines.len(), before + 1);
    let accepted = &lines[before];
    assert_eq!(accepted["origin"], "suggestion");
    assert_eq!(accepted["v"], 4);
    assert_eq!(
        accepted["scores"], first["scores"],
        "the scores shown are journaled"
    );
    assert_eq!(accepted["labels"], first["suggested"]);
    assert_eq!(accepted["start"], first["start"]);

    term.send("u");
    term.wait_for("undone");
    term.wait_until("the undo on disk", |_| {
        journal(std::path::Path::new(labels)).len() == before + 2
    });
    let lines = journal(std::path::Path::new(labels));
    let undone = &lines[before + 1];
    assert_eq!(undone["labels"], serde_json::json!(["diplomatic"]));
    assert_eq!(undone["origin"], "typed");
    assert!(undone.get("scores").is_none());
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn order_uncertain_sends_space_to_the_sentence_suggest_ranks_first() {
    let home = Home::new();
    let labels = home.labels();
    let labels = labels.to_str().unwrap();
    label_thirty(&home, labels);
    let doubted = suggest_json(
        &home,
        &[
            "suggest",
            "--labels",
            labels,
            "--json",
            "--order",
            "uncertain",
        ],
    )
    .remove(0);
    // The article's number in the corpus, from every sentence in corpus order.
    let mut ids: Vec<String> = Vec::new();
    for line in suggest_json(&home, &["suggest", "--labels", labels, "--json", "--all"]) {
        let id = line["article_id"].as_str().unwrap().to_owned();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let article = 1 + ids
        .iter()
        .position(|id| *id == doubted["article_id"])
        .unwrap();
    let sentence = 1 + doubted["sentence_index"].as_u64().unwrap();
    let place = format!("article {article}/{} · sentence {sentence}/", ids.len());

    let mut term = Terminal::spawn(
        &home,
        &["annotate", "--labels", labels, "--order", "uncertain"],
        80,
        24,
    );
    term.wait_for("suggested (y)");
    // Until the corpus is ranked Space goes in corpus order and says so: then try again.
    let screen = loop {
        term.send(" ");
        let screen = term.wait_until("where Space went", |s| {
            s.contains("least sure first") || s.contains("not ranked yet")
        });
        if screen.contains("least sure first") {
            break screen;
        }
        term.send(":1\r");
    };
    assert!(screen.contains(&place), "expected {place} in\n{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

/// `stance suggest ARGS` on the store as it is, one JSON value per line.
fn suggest_json(home: &Home, args: &[&str]) -> Vec<Value> {
    let out = home.run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The first sentence's percentages as `stance suggest --json --all` prints them now.
fn first_percentages(home: &Home, labels: &str) -> Vec<String> {
    let first = suggest_json(home, &["suggest", "--labels", labels, "--json", "--all"]).remove(0);
    assert_eq!(first["sentence_index"], 0);
    LABELS
        .iter()
        .map(|l| percent(first["scores"][l].as_f64().unwrap()))
        .collect()
}

#[test]
fn the_session_that_labels_comes_back_to_suggests_scores_and_its_panel_shows_eval_and_the_share() {
    let home = Home::new();
    let labels = home.labels();
    let labels = labels.to_str().unwrap();
    let mut term = Terminal::spawn(&home, &["annotate", "--labels", labels], 80, 24);
    term.wait_for("this sentence");
    label_in(&mut term, labels, 30);
    // One incremental step per decision is not what training from scratch gives: the
    // session's scores must come back to suggest's once the trainer is done.
    let expected = first_percentages(&home, labels);
    term.send(":1\r");
    term.send("g");
    term.wait_until("the first sentence with suggest's scores", |s| {
        s.contains("suggested (y)") && shown_percentages(s) == expected
    });

    // The 30 are in 2 articles; --eval needs 5, one test fold each.
    term.send("s");
    term.wait_for("Quality: needs annotations in 3 more articles (30 settled so far)");
    term.send("q");
    term.wait_until("the panel closed", |s| !s.contains("Statistics"));
    for article in 3..=5 {
        term.send(&format!(":{article}\r"));
        term.wait_for(&format!("article {article}/"));
        term.send("1\r");
        term.wait_until("the decision on disk", |_| {
            journal(std::path::Path::new(labels)).len() == 28 + article
        });
    }
    let eval = suggest_json(&home, &["suggest", "--labels", labels, "--eval", "--json"]).remove(0);
    let annotations = eval["annotations"].as_u64().unwrap();
    let two = |x: &Value| format!("{:.2}", x.as_f64().unwrap());
    let quality = format!(
        "Quality (5-fold by article, {annotations} settled): micro F1 {} · macro F1 {}",
        two(&eval["micro_f1"]),
        two(&eval["macro_f1"])
    );
    term.send("s");
    let screen = term.wait_until("the model's quality", |s| s.contains(&quality));
    assert!(
        screen.contains("Accepted suggestions: 0 of 33 decisions (0%) · changed since open: 0"),
        "{screen}"
    );
    let diplomatic = &eval["labels"]["diplomatic"]["f1"];
    assert!(
        screen.contains(&format!("F1: diplomatic {} ·", two(diplomatic))),
        "{screen}"
    );

    // Accept the suggestion on the first sentence, then type over it.
    term.send("q");
    term.wait_until("the panel closed", |s| !s.contains("Statistics"));
    term.send(":1\r");
    term.send("g");
    // The first sentence's own suggestion, not only its decision: it comes after the move.
    term.wait_for("this sentence: diplomatic · suggested (y): diplomatic");
    term.send("y");
    term.wait_for("saved: accepted suggestion");
    term.send("s");
    term.wait_for("Accepted suggestions: 1 of 33 decisions (3%) · changed since open: 0");
    term.send("q");
    term.wait_until("the panel closed", |s| !s.contains("Statistics"));
    term.send(":1\r");
    term.send("g");
    term.send("0");
    term.wait_until("the typed decision on disk", |_| {
        journal(std::path::Path::new(labels)).len() == 35
    });
    term.send("s");
    term.wait_for("Accepted suggestions: 0 of 33 decisions (0%) · changed since open: 1");
    term.send("q");
    term.wait_until("the panel closed", |s| !s.contains("Statistics"));
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}
