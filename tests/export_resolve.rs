//! `stance export --resolve` through the real binary: `adjudicated` takes the lead's answer,
//! else a unanimous one, else leaves the sentence out; every mode says on stderr how many
//! sentences had conflicting annotators and how they were settled.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use stance::corpus::segment;
use stance::store::{Event, Origin};

const TEXT: &str = "Envoys met in Geneva. Sanctions were discussed. Troops stayed home.";

fn set(index: usize, labels: &[&str], annotator: &str, ts: u64) -> Event {
    let span = segment(TEXT)[index];
    Event::set(
        "a1",
        span.start,
        &TEXT[span.start..span.end],
        labels.iter().copied(),
        annotator,
        ts,
    )
}

fn adjudicated(index: usize, labels: &[&str], lead: &str, ts: u64) -> Event {
    let mut event = set(index, labels, lead, ts);
    event.origin = Origin::Adjudicated;
    event.v = event.version_needed();
    event
}

fn store(dir: &Path, events: &[Event]) {
    let corpus = serde_json::json!({"id": "a1", "text": TEXT}).to_string() + "\n";
    fs::write(dir.join("corpus.jsonl"), corpus).unwrap();
    let lines: Vec<String> = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    fs::write(dir.join("labels.jsonl"), lines.concat()).unwrap();
}

fn export(dir: &Path, resolve: &str) -> (Vec<Value>, String) {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args([
            "export",
            "corpus.jsonl",
            "--labels",
            "labels.jsonl",
            "--format",
            "jsonl",
            "--resolve",
            resolve,
        ])
        .current_dir(dir)
        .output()
        .expect("the stance binary runs");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    let records = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, stderr)
}

fn conflicting_store(dir: &Path) {
    store(
        dir,
        &[
            set(0, &["diplomatic"], "ana", 1),
            set(0, &["sanctions"], "bob", 2),
            adjudicated(0, &["military"], "lead", 3),
            // A later adjudication replaces the earlier one: the lead's last word counts.
            adjudicated(0, &["diplomatic", "sanctions"], "lead", 4),
            set(1, &["sanctions"], "ana", 1),
            set(1, &["sanctions"], "bob", 2),
            set(2, &[], "ana", 5),
            set(2, &["military"], "bob", 1),
        ],
    );
}

#[test]
fn adjudicated_takes_the_lead_then_unanimity_and_counts_what_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    conflicting_store(dir.path());
    let (records, stderr) = export(dir.path(), "adjudicated");
    let got: Vec<(u64, Value, Value)> = records
        .iter()
        .map(|r| {
            (
                r["sentence_index"].as_u64().unwrap(),
                r["labels"].clone(),
                r["annotator"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                0,
                serde_json::json!(["diplomatic", "sanctions"]),
                "lead".into()
            ),
            (1, serde_json::json!(["sanctions"]), "ana;bob".into()),
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "2 sentences had conflicting annotators: 1 took the adjudicated decision, \
             1 not adjudicated were left out\n"
        ),
        "{stderr}"
    );
}

#[test]
fn latest_and_majority_say_how_they_settled_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    conflicting_store(dir.path());
    let (latest, stderr) = export(dir.path(), "latest");
    assert_eq!(latest.len(), 3);
    assert_eq!(
        latest[2]["labels"],
        serde_json::json!([]),
        "ana decided last"
    );
    assert!(
        stderr.contains("2 sentences had conflicting annotators: each took the latest decision\n"),
        "{stderr}"
    );
    let (majority, stderr) = export(dir.path(), "majority");
    assert_eq!(majority.len(), 1, "two tied sentences are left out");
    assert!(
        stderr.contains(
            "2 sentences had conflicting annotators: 0 took the label set most annotators \
             chose, 2 ties were left out\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_store_without_conflicts_says_so() {
    let dir = tempfile::tempdir().unwrap();
    store(
        dir.path(),
        &[
            set(0, &["diplomatic"], "ana", 1),
            set(0, &["diplomatic"], "bob", 2),
        ],
    );
    let (records, stderr) = export(dir.path(), "adjudicated");
    assert_eq!(records.len(), 1);
    assert!(
        stderr.contains("0 sentences had conflicting annotators"),
        "{stderr}"
    );
}
