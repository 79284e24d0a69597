//! `stance stats` through the real binary: the table, the JSON object, standard input, and
//! corpora at the edges of size.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn stance(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stance binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `stance stats --json ARGS` and returns the object, asserting success.
fn stats_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["stats", "--json"];
    all.extend_from_slice(args);
    let output = stance(dir, &all, b"");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "stance {all:?} failed: {stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "one object on one line: {stdout}"
    );
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn sample_corpus_counts_match_the_files_and_the_segmenter() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut articles = 0;
    let mut sentences = 0;
    for entry in fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            articles += 1;
            let text = fs::read_to_string(&path).unwrap();
            // Counting the whole file is an upper bound: a title line is at most one sentence.
            sentences += stance::corpus::segment(&text).len();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let stats = stats_json(dir.path(), &[]);
    assert_eq!(stats["corpus"], "sample");
    assert_eq!(stats["articles"], articles);
    let counted = stats["sentences"].as_u64().unwrap() as usize;
    assert!(
        counted > 0 && counted <= sentences && counted + articles >= sentences,
        "{counted} of {sentences}"
    );
}

#[test]
fn plain_output_is_a_short_table() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("wire.jsonl"),
        "{\"text\": \"One. Two.\"}\n{\"text\": \"Three.\"}\n",
    )
    .unwrap();
    let output = stance(dir.path(), &["stats", "wire.jsonl"], b"");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("corpus     wire\narticles   2\nsentences  3\nstore      "),
        "{stdout}"
    );
}

#[test]
fn standard_input_is_one_article_with_a_title() {
    let dir = tempfile::tempdir().unwrap();
    let output = stance(
        dir.path(),
        &["stats", "-", "--json"],
        b"Talks resume\n\nEnvoys met. They spoke.\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (stats["corpus"].as_str(), stats["articles"].as_u64()),
        (Some("stdin"), Some(1))
    );
    assert_eq!(stats["sentences"], 2);

    let empty = stance(dir.path(), &["stats", "-"], b"");
    assert_eq!(empty.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&empty.stderr),
        "stance: standard input: the file is empty\n"
    );
    let twice = stance(dir.path(), &["stats", "-", "-"], b"One.");
    assert_eq!(twice.status.code(), Some(1));
}

#[test]
fn an_article_of_10_mb_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "Envoys met in Geneva on Tuesday and spoke for three hours. ";
    let repeats = 10_000_000 / sentence.len() + 1;
    let mut line = String::with_capacity(repeats * sentence.len() + 32);
    line.push_str("{\"id\": \"long\", \"text\": \"");
    for _ in 0..repeats {
        line.push_str(sentence);
    }
    line.push_str("\"}\n");
    fs::write(dir.path().join("long.jsonl"), &line).unwrap();
    fs::write(dir.path().join("long.txt"), &line[24..line.len() - 3]).unwrap();

    for file in ["long.jsonl", "long.txt"] {
        let stats = stats_json(dir.path(), &[file]);
        assert_eq!(stats["articles"], 1, "{file}");
        assert_eq!(stats["sentences"], repeats, "{file}");
    }
}

#[test]
fn a_corpus_of_100_000_tiny_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::with_capacity(100_000 * 40);
    csv.push_str("id,text,subject\n");
    for i in 0..100_000 {
        writeln!(csv, "a{i},Talks resumed. Envoys met.,news").unwrap();
    }
    fs::write(dir.path().join("tiny.csv"), &csv).unwrap();
    let jsonl: String = (0..100_000)
        .map(|_| "{\"text\": \"Talks resumed.\"}\n")
        .collect();
    fs::write(dir.path().join("tiny.jsonl"), jsonl).unwrap();

    let stats = stats_json(dir.path(), &["tiny.csv", "tiny.jsonl"]);
    assert_eq!(stats["articles"], 200_000);
    assert_eq!(stats["sentences"], 300_000);
}
