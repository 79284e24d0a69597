//! `stance agree` through the real binary on journals in temp folders: which annotations are
//! units, the JSON object as the library computes it, the table's reasons for every
//! undefined coefficient, and `--annotator`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use stance::agree::Ratings;
use stance::corpus::segment;
use stance::store::{Event, Op, Origin};

const ARTICLES: [(&str, &str); 2] = [
    (
        "a1",
        "Envoys met in Geneva. Sanctions were discussed. Troops stayed home.",
    ),
    (
        "a2",
        "Talks stalled on Monday. Tariffs rose again. A missile test followed.",
    ),
];

fn stance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .current_dir(dir)
        .env("STANCE_DATA_DIR", dir.join("data"))
        .output()
        .expect("the stance binary runs")
}

fn write_corpus(dir: &Path) {
    let lines: Vec<String> = ARTICLES
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect();
    fs::write(dir.join("corpus.jsonl"), lines.concat()).unwrap();
}

/// A typed decision on sentence `index` of article `article` (0 or 1).
fn set(article: usize, index: usize, labels: &[&str], annotator: &str, ts: u64) -> Event {
    let (id, text) = ARTICLES[article];
    let span = segment(text)[index];
    Event::set(
        id,
        span.start,
        &text[span.start..span.end],
        labels.iter().copied(),
        annotator,
        ts,
    )
}

fn write_journal(dir: &Path, events: &[Event]) {
    let lines: Vec<String> = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    fs::write(dir.join("labels.jsonl"), lines.concat()).unwrap();
}

fn agree(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["agree", "corpus.jsonl", "--labels", "labels.jsonl"];
    args.extend_from_slice(extra);
    stance(dir, &args)
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stance agree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn labels() -> Vec<String> {
    ["diplomatic", "sanctions", "military"]
        .map(String::from)
        .to_vec()
}

#[test]
fn json_counts_current_attached_decisions_of_two_or_more_annotators() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let mut changed = set(1, 2, &["military"], "cy", 5);
    changed.fp = stance::store::fingerprint("A missile test was cancelled.");
    let mut cleared = set(1, 1, &[], "cy", 6);
    cleared.op = Op::Clear;
    let mut lead = set(0, 0, &["sanctions"], "lead", 50);
    lead.origin = Origin::Adjudicated;
    lead.v = lead.version_needed();
    write_journal(
        dir.path(),
        &[
            set(0, 0, &["diplomatic"], "ana", 1),
            set(0, 0, &["diplomatic", "sanctions"], "bob", 2),
            set(0, 0, &["diplomatic"], "cy", 3),
            set(0, 1, &["sanctions"], "ana", 4),
            set(0, 1, &["military"], "bob", 4),
            // Superseded by bob's later decision.
            set(0, 1, &["sanctions"], "bob", 9),
            set(0, 2, &[], "ana", 4),
            set(0, 2, &["military"], "cy", 4),
            set(1, 0, &["diplomatic"], "ana", 4),
            set(1, 0, &[], "bob", 4),
            set(1, 0, &["diplomatic"], "cy", 4),
            set(1, 1, &["sanctions"], "ana", 4),
            set(1, 1, &["sanctions"], "cy", 4),
            // Cleared: ana's alone is left, so the sentence is not a unit.
            cleared,
            // Ana's alone: not a unit.
            set(1, 2, &["military"], "ana", 4),
            // An orphan: its text is no longer in the article.
            changed,
            lead,
        ],
    );
    let got = stdout_of(&agree(dir.path(), &["--json"]));

    let mut expected =
        Ratings::new(["ana", "bob", "cy"].map(String::from).to_vec(), labels()).unwrap();
    let units: [[Option<&[&str]>; 3]; 4] = [
        [
            Some(&["diplomatic"]),
            Some(&["diplomatic", "sanctions"]),
            Some(&["diplomatic"]),
        ],
        [Some(&["sanctions"]), Some(&["sanctions"]), None],
        [Some(&[]), None, Some(&["military"])],
        [Some(&["diplomatic"]), Some(&[]), Some(&["diplomatic"])],
    ];
    for unit in units {
        assert!(
            expected
                .push_unit(unit.map(|d| d.map(|l| l.iter())))
                .unwrap()
        );
    }
    let object = serde_json::to_string(&expected.agreement()).unwrap();
    assert_eq!(got, format!("{object}\n"));
    assert!(
        got.starts_with(
            r#"{"annotators":["ana","bob","cy"],"units":4,"labels":{"diplomatic":{"units":4,"percent":"#
        ),
        "{got}"
    );
    assert!(got.contains(r#""cohen":{"ana|bob":"#), "{got}");
    assert!(
        got.contains(r#"},"set":{"units":4,"percent_exact":0.25,"alpha_masi":"#),
        "{got}"
    );
}

#[test]
fn undefined_coefficients_are_null_in_json_and_explained_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    // Nobody chose military; ana and bob never share a sentence.
    write_journal(
        dir.path(),
        &[
            set(0, 0, &["diplomatic"], "ana", 1),
            set(0, 0, &["diplomatic"], "cy", 1),
            set(0, 1, &[], "ana", 1),
            set(0, 1, &["diplomatic"], "cy", 1),
            set(1, 0, &["sanctions"], "bob", 1),
            set(1, 0, &["sanctions"], "cy", 1),
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&agree(dir.path(), &["--json"]))).unwrap();
    let military = &json["labels"]["military"];
    assert_eq!(military["alpha"], serde_json::Value::Null, "{json}");
    assert_eq!(military["fleiss"], serde_json::Value::Null);
    assert_eq!(military["cohen"]["ana|bob"], serde_json::Value::Null);
    assert!(military["percent"].as_f64() == Some(1.0));

    let table = stdout_of(&agree(dir.path(), &[]));
    assert!(
        table.starts_with("annotators ana, bob, cy\nunits      3 "),
        "{table}"
    );
    assert!(
        table.contains("  military alpha: no variation: every decision is the same\n"),
        "{table}"
    );
    assert!(
        table.contains("  diplomatic cohen ana|bob: the pair shares no unit\n"),
        "{table}"
    );
    assert!(
        table.contains("  military fleiss: no unit annotated by every annotator\n"),
        "{table}"
    );
    let military_row = table
        .lines()
        .find(|l| l.starts_with("military "))
        .expect("a row per label");
    assert!(military_row.contains(" - "), "{military_row}");
}

#[test]
fn annotator_option_chooses_whom_to_compare_and_refuses_a_repeat() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    write_journal(
        dir.path(),
        &[
            set(0, 0, &["diplomatic"], "ana", 1),
            set(0, 0, &["diplomatic"], "bob", 1),
            set(0, 1, &["sanctions"], "ana", 1),
            set(0, 1, &["sanctions"], "cy", 1),
        ],
    );
    let out = stdout_of(&agree(
        dir.path(),
        &["--json", "--annotator", "bob", "--annotator", "ana"],
    ));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["annotators"], serde_json::json!(["bob", "ana"]));
    assert_eq!(json["units"], 1);
    assert_eq!(
        json["labels"]["diplomatic"]["cohen"]["ana|bob"],
        serde_json::Value::Null
    );

    let repeated = agree(dir.path(), &["--annotator", "ana", "--annotator", "ana"]);
    assert_eq!(repeated.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&repeated.stderr);
    assert!(
        stderr.contains("--annotator") && stderr.contains("listed twice"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn an_empty_store_has_no_units_and_every_figure_null() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let out = stdout_of(&agree(dir.path(), &["--json"]));
    assert!(!out.contains("NaN"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["units"], 0);
    assert_eq!(json["annotators"], serde_json::json!([]));
    assert_eq!(json["set"]["alpha_masi"], serde_json::Value::Null);
    assert_eq!(
        json["labels"]["diplomatic"]["percent"],
        serde_json::Value::Null
    );
}
