//! `stance export --label none` keeps the sentences reviewed as "no stance", as
//! `stance review --label none` shows them; and the help says what `--schema` defaults to.

use crate::export_support;

use export_support::{Fixture, GOLDEN, stderr};

#[test]
fn label_none_exports_only_the_no_stance_sentences() {
    let fixture = Fixture::new(&GOLDEN);
    let out = fixture.export(&["--format", "jsonl", "--label", "none"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = GOLDEN.iter().filter(|a| a.2.is_empty()).count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected, "{rows:?}");
    for row in &rows {
        assert_eq!(row["labels"], serde_json::json!([]), "{row}");
    }
    assert!(
        rows.iter()
            .any(|r| r["text"] == "Officials declined to comment.")
    );
}

#[test]
fn stats_and_export_help_name_the_default_schema() {
    for command in ["stats", "export", "review", "annotate"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let at = help.find("--schema").expect("--schema in the help");
        assert!(
            help[at..].contains("Default: diplomatic, sanctions, military"),
            "{command}: {help}"
        );
    }
}

#[test]
fn a_split_that_comes_out_empty_warns_with_the_counts() {
    let fixture = Fixture::new(&GOLDEN);
    let out = fixture.export(&["--format", "jsonl", "--split", "80,10,10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stderr(&out);
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let total = rows.len();
    // Few articles: at least one part is empty or far from its share, and is named with
    // the counts the rows bear out.
    let mut warned = 0;
    for part in ["train", "dev", "test"] {
        let got = rows.iter().filter(|r| r["split"] == part).count();
        let line = format!("warning: --split: {part} has {got} of {total} sentences");
        if report.contains(&line) {
            warned += 1;
        }
    }
    assert!(warned > 0, "{report}");
    // A split that asks for what it gets says nothing.
    let out = fixture.export(&["--format", "jsonl", "--split", "100,0,0"]);
    assert!(
        !stderr(&out).contains("warning: --split"),
        "{}",
        stderr(&out)
    );
}
