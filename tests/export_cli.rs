//! `stance export` as a user runs it: options, errors, exit codes, what lands on disk.

use crate::export_support;

use export_support::{ARTICLES, Fixture, GOLDEN, event, stderr};
use serde_json::Value;

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn writes_to_out_the_same_bytes_as_to_standard_output() {
    let fixture = Fixture::new(&GOLDEN);
    let piped = fixture.export(&["--format", "csv"]);
    let saved = fixture.export(&["--format", "csv", "--out", "train.csv"]);
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert!(saved.stdout.is_empty());
    assert_eq!(
        std::fs::read(fixture.path("train.csv")).unwrap(),
        piped.stdout
    );
    assert!(stderr(&saved).contains("wrote train.csv"));
    assert!(!fixture.files().iter().any(|f| f.ends_with(".tmp")));
}

#[test]
fn bad_split_is_a_usage_error_naming_the_option() {
    let fixture = Fixture::new(&GOLDEN);
    for spec in ["80,10", "80,10,20", "80,x,20", "-10,60,50"] {
        let out = fixture.export(&[
            "--format",
            "jsonl",
            &format!("--split={spec}"),
            "--out",
            "o.jsonl",
        ]);
        assert_eq!(out.status.code(), Some(2), "{spec}: {}", stderr(&out));
        assert!(stderr(&out).contains("--split"), "{spec}: {}", stderr(&out));
    }
    let out = fixture.export(&["--format", "csv", "--context", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--context"));
    assert!(!fixture.path("o.jsonl").exists());
}

#[test]
fn unknown_label_lists_the_schema_and_leaves_no_file() {
    let fixture = Fixture::new(&GOLDEN);
    let before = fixture.files();
    let out = fixture.export(&[
        "--format", "jsonl", "--label", "economy", "--out", "o.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("economy"), "{message}");
    assert!(
        message.contains("diplomatic, sanctions, military"),
        "{message}"
    );
    assert_eq!(fixture.files(), before);
}

#[test]
fn bad_journal_line_names_it_and_keeps_the_old_output() {
    let fixture = Fixture::new(&GOLDEN);
    let before = fixture.files();
    std::fs::write(fixture.path("o.csv"), "old export\n").unwrap();
    let mut journal = std::fs::read_to_string(fixture.labels()).unwrap();
    journal.insert_str(
        journal.find('\n').unwrap() + 1,
        "{\"v\": 1, \"op\": \"set\"\n",
    );
    std::fs::write(fixture.labels(), journal).unwrap();
    let out = fixture.export(&["--format", "csv", "--out", "o.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("labels.jsonl line 2"), "{message}");
    assert_eq!(
        std::fs::read_to_string(fixture.path("o.csv")).unwrap(),
        "old export\n"
    );
    let mut after = before;
    after.push("o.csv".into());
    after.sort();
    assert_eq!(fixture.files(), after);
}

#[test]
fn refuses_to_write_over_the_label_store() {
    let fixture = Fixture::new(&GOLDEN);
    let journal = std::fs::read(fixture.labels()).unwrap();
    let out = fixture.export(&["--format", "jsonl", "--out", "labels.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--out"), "{}", stderr(&out));
    assert_eq!(std::fs::read(fixture.labels()).unwrap(), journal);
}

#[test]
fn missing_label_store_is_an_error() {
    let fixture = Fixture::empty();
    let out = fixture.export(&["--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("labels.jsonl"), "{}", stderr(&out));
}

#[test]
fn label_filter_keeps_sentences_carrying_it() {
    let fixture = Fixture::new(&GOLDEN);
    let out = fixture.export(&["--format", "jsonl", "--label", "sanctions"]);
    let rows = lines(&out.stdout);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| {
        r["labels"]
            .as_array()
            .unwrap()
            .contains(&"sanctions".into())
    }));
}

#[test]
fn annotator_view_and_majority_resolution() {
    let fixture = Fixture::new(&GOLDEN);
    let drills = "Troops held drills near the border on Tuesday.";
    let find = |rows: &[Value]| rows.iter().find(|r| r["text"] == drills).cloned();

    let latest = lines(&fixture.export(&["--format", "jsonl"]).stdout);
    assert_eq!(
        find(&latest).unwrap()["labels"],
        serde_json::json!(["military"])
    );
    assert_eq!(find(&latest).unwrap()["annotator"], "ben");

    let ana = lines(
        &fixture
            .export(&["--format", "jsonl", "--annotator", "ana"])
            .stdout,
    );
    assert_eq!(ana.len(), 6);
    assert_eq!(
        find(&ana).unwrap()["labels"],
        serde_json::json!(["diplomatic"])
    );

    let out = fixture.export(&["--format", "jsonl", "--resolve", "majority"]);
    assert!(find(&lines(&out.stdout)).is_none());
    assert!(
        stderr(&out).contains("1 sentences without a majority"),
        "{}",
        stderr(&out)
    );

    fixture.annotate(&[(
        "wire-002",
        "Troops held drills near the\nborder on Tuesday.",
        &["military"],
        "cy",
        10_000,
    )]);
    let majority = lines(
        &fixture
            .export(&["--format", "jsonl", "--resolve", "majority"])
            .stdout,
    );
    assert_eq!(find(&majority).unwrap()["annotator"], "ben;cy");
    assert_eq!(
        find(&majority).unwrap()["labels"],
        serde_json::json!(["military"])
    );
}

#[test]
fn orphans_are_counted_and_never_attached_elsewhere() {
    let fixture = Fixture::new(&GOLDEN[..1]);
    let mut store = stance::store::LabelStore::open(&fixture.labels()).unwrap();
    let mut changed = event(
        "wire-004",
        "Markets were closed for the holiday.",
        &["sanctions"],
        "ana",
        1,
    );
    changed.fp = stance::store::fingerprint("Markets were open for the holiday.");
    store.append(changed).unwrap();
    let mut shifted = event(
        "wire-004",
        "Trading resumes on Monday.",
        &["military"],
        "ana",
        2,
    );
    // The text at the new offsets, space included, is what was labeled: only the span is off.
    shifted.start -= 1;
    shifted.fp = stance::store::fingerprint(" Trading resumes on Monday.");
    store.append(shifted).unwrap();
    let mut gone = event(
        "wire-003",
        "Talks on the ceasefire will continue next week.",
        &[],
        "ana",
        3,
    );
    gone.article = "wire-999".into();
    // A text no sentence of the corpus has: one it has once would be re-attached there.
    gone.fp = stance::store::fingerprint("Talks on the ceasefire were called off.");
    store.append(gone).unwrap();
    drop(store);

    let out = fixture.export(&["--format", "jsonl", "--include-unlabeled"]);
    assert!(out.status.success());
    let rows = lines(&out.stdout);
    let sentences: usize = ARTICLES
        .iter()
        .map(|(_, t)| stance::corpus::segment(t).len())
        .sum();
    assert_eq!(rows.len(), sentences);
    assert_eq!(rows.iter().filter(|r| !r["annotator"].is_null()).count(), 1);
    let message = stderr(&out);
    assert!(
        message.contains("3 orphaned annotations")
            && message.contains("article missing: 1")
            && message.contains("no longer a sentence: 1")
            && message.contains("text changed: 1"),
        "{message}"
    );
}

#[test]
fn a_reader_that_stops_early_is_a_quiet_success() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let corpus: String = (0..3000)
        .map(|a| {
            let text = format!("Envoys met on day {a}. Tariffs rose again. Troops stayed home.");
            serde_json::json!({"id": format!("n{a}"), "text": text}).to_string() + "\n"
        })
        .collect();
    std::fs::write(dir.path().join("corpus.jsonl"), corpus).unwrap();
    std::fs::write(dir.path().join("labels.jsonl"), "").unwrap();
    for format in ["csv", "jsonl"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(dir.path())
            .args([
                "export",
                "corpus.jsonl",
                "--labels",
                "labels.jsonl",
                "--include-unlabeled",
            ])
            .args(["--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
    }
}
