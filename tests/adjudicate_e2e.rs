//! `stance adjudicate` in a pseudo-terminal: a lead settles every disagreement from the
//! keyboard, the journal has the decisions as adjudicated, and `export --resolve adjudicated`
//! and `agree` read them back.

use crate::common;

use common::pty::{Home, Terminal, journal};
use stance::store::Event;

const A1: &str = "Envoys met in Geneva. Sanctions were discussed. Troops stayed home.";
const A2: &str = "Talks stalled on Monday. A missile test followed.";

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

#[test]
fn a_lead_adjudicates_every_disagreement_and_the_export_has_them() {
    let home = Home::new();
    let corpus = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a1", "title": "Envoys", "text": A1}),
        serde_json::json!({"id": "a2", "title": "Talks", "text": A2})
    );
    let corpus = home.write("news.jsonl", &corpus).display().to_string();
    let events = [
        label("a1", A1, "Envoys met in Geneva.", &["diplomatic"], "ana"),
        label("a1", A1, "Envoys met in Geneva.", &["military"], "bob"),
        label("a1", A1, "Sanctions were discussed.", &["sanctions"], "ana"),
        label("a1", A1, "Sanctions were discussed.", &["sanctions"], "bob"),
        label("a2", A2, "Talks stalled on Monday.", &[], "ana"),
        label("a2", A2, "Talks stalled on Monday.", &["sanctions"], "bob"),
        label("a2", A2, "A missile test followed.", &["military"], "ana"),
        label("a2", A2, "A missile test followed.", &["military"], "bob"),
    ];
    let lines: String = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    let labels = home.write("labels.jsonl", &lines).display().to_string();

    let mut term = Terminal::spawn(
        &home,
        &[
            "adjudicate",
            &corpus,
            "--labels",
            &labels,
            "--annotator",
            "lead",
        ],
        100,
        30,
    );
    let screen = term.wait_for("0 of 2 adjudicated");
    assert!(
        screen.contains("│1 ana") && screen.contains("│2 bob"),
        "{screen}"
    );
    // Agreed on by both: not among the rows (the rows end where the rule over the sentence
    // starts).
    let rows: Vec<&str> = screen
        .lines()
        .take_while(|l| !l.contains("── article"))
        .collect();
    assert!(
        !rows
            .iter()
            .any(|row| row.contains("Sanctions were discussed.")),
        "{screen}"
    );
    // Take ana's answer (column 1) on the first; the selection goes to the next sentence.
    term.send("t1");
    term.wait_until("the first decision saved", |s| {
        s.contains("row 2/2 · 1 of 2 adjudicated") && s.contains("saved: diplomatic")
    });
    // Choose sanctions on the second and save it with Enter.
    term.send("2");
    term.wait_for("final: sanctions (Enter saves)");
    term.send("\r");
    term.wait_until("the second decision saved", |s| {
        s.contains("2 of 2 adjudicated") && s.contains("saved: sanctions")
    });
    // Undo takes it back; redo makes it again.
    term.send("u");
    term.wait_for("1 of 2 adjudicated");
    term.send("\x12");
    term.wait_for("2 of 2 adjudicated");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    let journal = journal(home.dir.path().join("labels.jsonl").as_path());
    let lead: Vec<&serde_json::Value> = journal
        .iter()
        .filter(|e| e["annotator"] == "lead")
        .collect();
    assert!(lead.len() >= 2, "{journal:?}");
    for event in &lead {
        assert_eq!(event["origin"], "adjudicated", "{event}");
        assert_eq!(event["v"], 2, "{event}");
    }

    let out = home.run(&[
        "export",
        &corpus,
        "--labels",
        &labels,
        "--format",
        "jsonl",
        "--resolve",
        "adjudicated",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(String, serde_json::Value, String)> = records
        .iter()
        .map(|r| {
            (
                r["text"].as_str().unwrap().to_owned(),
                r["labels"].clone(),
                r["annotator"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = |text: &str, labels: serde_json::Value, who: &str| {
        (text.to_owned(), labels, who.to_owned())
    };
    assert_eq!(
        got,
        [
            want(
                "Envoys met in Geneva.",
                serde_json::json!(["diplomatic"]),
                "lead"
            ),
            want(
                "Sanctions were discussed.",
                serde_json::json!(["sanctions"]),
                "ana;bob"
            ),
            want(
                "Talks stalled on Monday.",
                serde_json::json!(["sanctions"]),
                "lead"
            ),
            want(
                "A missile test followed.",
                serde_json::json!(["military"]),
                "ana;bob"
            ),
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "2 sentences had conflicting annotators: 2 took the adjudicated decision, \
             0 not adjudicated were left out"
        ),
        "{stderr}"
    );

    // The lead's answers are not one more annotator in the agreement.
    let out = home.run(&["agree", &corpus, "--labels", &labels, "--json"]);
    let agreement: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(agreement["annotators"], serde_json::json!(["ana", "bob"]));
    assert_eq!(agreement["units"], 4);
}
