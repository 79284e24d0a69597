//! Accuracy of the segmenter on gold splits: the held-out news set and our own cases.
//! Every case must pass; failures are printed as a diff of folded sentences.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use stance::corpus::segment;

#[derive(Deserialize)]
struct Case {
    id: serde_json::Value,
    tag: String,
    text: String,
    sentences: Vec<String>,
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load(name: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    data.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: line {}: {e}", n + 1))
        })
        .collect()
}

/// The gold and found sentences with their common head and tail unmarked, the rest as
/// `-` (gold only) and `+` (found only).
fn diff(gold: &[String], got: &[String]) -> String {
    let head = gold.iter().zip(got).take_while(|(a, b)| a == b).count();
    let tail = gold[head..]
        .iter()
        .rev()
        .zip(got[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for s in &gold[..head] {
        let _ = writeln!(out, "    {s}");
    }
    for s in &gold[head..gold.len() - tail] {
        let _ = writeln!(out, "  - {s}");
    }
    for s in &got[head..got.len() - tail] {
        let _ = writeln!(out, "  + {s}");
    }
    for s in &gold[gold.len() - tail..] {
        let _ = writeln!(out, "    {s}");
    }
    out
}

fn check(name: &str, minimum: usize) {
    let cases = load(name);
    assert!(cases.len() >= minimum, "{name}: only {} cases", cases.len());
    let mut report = String::new();
    let mut failed = 0;
    for case in &cases {
        let gold: Vec<String> = case.sentences.iter().map(|s| fold(s)).collect();
        let got: Vec<String> = segment(&case.text)
            .iter()
            .map(|span| fold(&case.text[span.start..span.end]))
            .collect();
        if got != gold {
            failed += 1;
            let _ = writeln!(report, "case {} [{}] {:?}", case.id, case.tag, case.text);
            report.push_str(&diff(&gold, &got));
        }
    }
    assert!(
        failed == 0,
        "{name}: {failed} of {} cases split wrongly\n{report}",
        cases.len()
    );
}

#[test]
fn the_held_out_news_set_splits_exactly() {
    check("news-cases.jsonl", 150);
}

#[test]
fn our_own_layout_and_punctuation_cases_split_exactly() {
    check("segment-cases.jsonl", 50);
}

#[test]
fn a_failing_case_is_reported_as_a_diff() {
    let gold = ["A.", "B.", "C."].map(String::from);
    let got = ["A.", "B. C."].map(String::from);
    assert_eq!(diff(&gold, &got), "    A.\n  - B.\n  - C.\n  + B. C.\n");
}
