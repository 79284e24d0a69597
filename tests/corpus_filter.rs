//! `--where` and `--meta` as a user runs them: what `stats` counts and `export` writes with a
//! filter, the same store and ids without it, and the one-line errors of bad input.

use crate::export_support;

use std::process::{Command, Output};

use export_support::{Fixture, GOLDEN, stderr};
use serde_json::Value;

/// `stance stats --json CORPUS --labels LABELS ARGS...` in the fixture's folder.
fn stats(fixture: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(fixture.dir.path())
        .env("STANCE_DATA_DIR", fixture.path("data"))
        .arg("stats")
        .arg("--json")
        .arg(fixture.corpus())
        .arg("--labels")
        .arg(fixture.labels())
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn article_ids(output: &Output) -> Vec<String> {
    assert!(output.status.success(), "{}", stderr(output));
    let mut ids: Vec<String> = String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["article_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    ids.dedup();
    ids
}

#[test]
fn stats_counts_only_the_articles_kept_and_says_so() {
    let fixture = Fixture::new(&GOLDEN);
    let all = json(&stats(&fixture, &[]));
    assert!(all.get("filter").is_none(), "{all}");
    let world = json(&stats(&fixture, &["--where", "subject=world*"]));
    assert_eq!(world["articles"], 2);
    assert_eq!(
        world["filter"],
        serde_json::json!({"where": ["subject=world*"], "articles_loaded": 4})
    );
    assert_eq!(
        world["orphaned"], 0,
        "annotations of articles left out are not orphans"
    );
    assert_eq!(world["store"], all["store"]);
    assert!(world["annotated"].as_u64() < all["annotated"].as_u64());

    let table = Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(fixture.dir.path())
        .args(["stats", "corpus.jsonl", "--labels", "labels.jsonl"])
        .args(["--where", "date>=2017-07-01", "--where", "words<=35"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("articles   1\n"), "{table}");
    assert!(
        table.contains("filter     date>=2017-07-01 words<=35 (1 of 4 articles)\n"),
        "{table}"
    );
}

#[test]
fn export_writes_only_the_articles_kept_with_the_same_ids() {
    let fixture = Fixture::new(&GOLDEN);
    let all = article_ids(&fixture.export(&["--format", "jsonl"]));
    assert_eq!(all, ["wire-001", "wire-002", "wire-003"]);
    let kept = fixture.export(&["--format", "jsonl", "--where", "date<2018-01-01"]);
    assert_eq!(article_ids(&kept), ["wire-001", "wire-003"]);
    assert!(!stderr(&kept).contains("orphaned"), "{}", stderr(&kept));
    let none = fixture.export(&["--format", "jsonl", "--where", "subject=markets"]);
    assert!(none.status.success());
    assert!(none.stdout.is_empty());
}

#[test]
fn the_default_store_is_the_same_with_or_without_a_filter() {
    let fixture = Fixture::new(&GOLDEN);
    let store = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(fixture.dir.path())
            .env("STANCE_DATA_DIR", fixture.path("data"))
            .args(["stats", "--json", "corpus.jsonl"])
            .args(args)
            .output()
            .unwrap();
        json(&out)["store"].as_str().unwrap().to_owned()
    };
    assert_eq!(store(&[]), store(&["--where", "subject=worldnews"]));
}

#[test]
fn where_errors_name_the_expression_or_the_field() {
    let fixture = Fixture::new(&GOLDEN);
    for bad in ["subject", "=x", "date>=soon", "words<"] {
        let out = stats(&fixture, &["--where", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("invalid value '{bad}' for '--where")),
            "{}",
            stderr(&out)
        );
    }
    let out = stats(&fixture, &["--where", "lang=en"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "stance: --where: no article has a field \"lang\"; fields found: \"date\", \
         \"subject\", \"words\", \"tags\", \"id\", \"title\"\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn meta_errors_name_the_field_and_write_nothing() {
    let fixture = Fixture::new(&GOLDEN);
    let before = fixture.files();
    let out = fixture.export(&[
        "--format",
        "csv",
        "--meta",
        "subject,lang",
        "--out",
        "o.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "stance: --meta: no article has a field \"lang\"; fields found: \"date\", \
         \"subject\", \"words\", \"tags\"\n"
    );
    assert_eq!(fixture.files(), before);

    std::fs::write(
        fixture.path("clash.jsonl"),
        "{\"id\": \"a\", \"body\": \"Talks resumed.\", \"text\": \"kept\"}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(fixture.dir.path())
        .args([
            "export",
            "clash.jsonl",
            "--text-field",
            "body",
            "--labels",
            "labels.jsonl",
        ])
        .args(["--format", "doccano", "--meta", "text", "--out", "o.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "stance: --meta: field \"text\" would overwrite the doccano field of that name; \
         leave it out of --meta\n"
    );
    assert!(!fixture.path("o.jsonl").exists());
}

#[test]
fn meta_with_a_filter_keeps_the_same_fields() {
    let fixture = Fixture::new(&GOLDEN);
    let out = fixture.export(&[
        "--format",
        "csv",
        "--meta",
        "all",
        "--where",
        "subject=politicsNews",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "article_id,sentence_index,text,labels,diplomatic,sanctions,military,date,subject,words,tags"
    );
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("wire-001,")),
        "{text}"
    );
}
