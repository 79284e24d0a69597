//! Stores follow the corpus, not its path: a corpus moved to another folder or renamed finds
//! its labels (through the store records in the data folder), annotations whose article id
//! is gone come back by their sentence text, and `stance stores` lists what is there. Real
//! files in a temporary folder, the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

use crate::common;
use common::identity::{LABELS, NO_IDS};

/// Three articles with ids; the second and third share no sentence text with the first.
const WITH_IDS: &str = concat!(
    r#"{"article_id": "r-1", "title": "Talks", "text": "Envoys met in Geneva on Monday. The talks will resume next week."}"#,
    "\n",
    r#"{"article_id": "r-2", "title": "Coal", "text": "The EU banned coal imports from the country. Officials said more measures could follow."}"#,
    "\n",
    r#"{"article_id": "r-3", "title": "Drill", "text": "Troops moved to the border at dawn. Jets flew over the capital."}"#,
    "\n",
);

struct Place {
    dir: TempDir,
}

impl Place {
    fn new() -> Place {
        Place {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn stance(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(self.dir.path())
            .env("STANCE_DATA_DIR", self.path("data"))
            .env("STANCE_CONFIG_DIR", self.path("config"))
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.stance(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "stance {args:?} failed: {stderr}");
        (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
    }

    /// Imports [`LABELS`] as alice's; the report.
    fn import_labels(&self, corpus: &Path) -> String {
        let labels = self.write("labels.doccano.jsonl", LABELS);
        let (_, stderr) = self.ok(&[
            "import",
            s(corpus),
            "--from",
            s(&labels),
            "--format",
            "doccano",
            "--annotator",
            "alice",
        ]);
        stderr
    }

    fn stats(&self, corpus: &Path) -> (Value, String) {
        let (stdout, stderr) = self.ok(&["stats", s(corpus), "--json"]);
        (serde_json::from_str(&stdout).unwrap(), stderr)
    }

    fn stores(&self) -> Vec<Value> {
        let (stdout, _) = self.ok(&["stores", "--json"]);
        stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// (article_id, text, labels) of every exported line.
fn exported(place: &Place, corpus: &Path) -> Vec<(String, String, Vec<String>)> {
    let (stdout, _) = place.ok(&["export", s(corpus), "--format", "jsonl"]);
    stdout
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let labels = v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_owned())
                .collect();
            (
                v["article_id"].as_str().unwrap().to_owned(),
                v["text"].as_str().unwrap().to_owned(),
                labels,
            )
        })
        .collect()
}

#[test]
fn a_corpus_moved_to_another_folder_and_renamed_finds_its_labels() {
    let place = Place::new();
    let first = place.write("wire/reuters.jsonl", WITH_IDS);
    assert!(place.import_labels(&first).contains("added 3 decisions"));
    let (before, _) = place.stats(&first);
    assert_eq!(before["annotated"], 3);
    let labels_before = exported(&place, &first);

    let moved = place.path("elsewhere/renamed/archive.jsonl");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::rename(&first, &moved).unwrap();
    fs::remove_dir(place.path("wire")).unwrap();

    let (after, stderr) = place.stats(&moved);
    assert_eq!(after["annotated"], 3, "{stderr}");
    assert_eq!(after["orphaned"], 0);
    assert_eq!(after["store"], before["store"], "the same store is read");
    assert!(
        stderr.contains("the labels of this corpus are in the store")
            && stderr.contains("\"reuters\"")
            && stderr.contains("reuters.jsonl"),
        "the store used is named, with where the corpus was: {stderr}"
    );
    assert_eq!(exported(&place, &moved), labels_before);

    // A new session (an import adds nothing new) records where the corpus is now.
    let report = place.import_labels(&moved);
    assert!(report.contains("added 0 decisions"), "{report}");
    let stores = place.stores();
    assert_eq!(stores.len(), 1, "no second store was made: {stores:?}");
    assert_eq!(stores[0]["corpus"], "archive");
    assert_eq!(stores[0]["annotations"], 3);
    assert!(
        stores[0]["paths"][0]
            .as_str()
            .unwrap()
            .ends_with("archive.jsonl")
    );
}

#[test]
fn a_copy_with_one_article_more_finds_the_store_and_an_unrelated_corpus_does_not() {
    let place = Place::new();
    let first = place.write("a/reuters.jsonl", WITH_IDS);
    place.import_labels(&first);

    let grown = format!(
        "{WITH_IDS}{}\n",
        r#"{"article_id": "r-4", "text": "Ministers will meet again in May."}"#
    );
    let copy = place.write("b/reuters-2026.jsonl", &grown);
    let (stats, _) = place.stats(&copy);
    assert_eq!(stats["annotated"], 3);
    assert_eq!(stats["articles"], 4);

    let other = place.write(
        "c/other.jsonl",
        &format!(
            "{}\n",
            r#"{"id": "x", "text": "Nothing here was labelled before."}"#
        ),
    );
    let (stats, stderr) = place.stats(&other);
    assert_eq!(stats["annotated"], 0);
    assert_eq!(stats["orphaned"], 0);
    assert!(!stderr.contains("the labels of this corpus"), "{stderr}");
}

#[test]
fn annotations_whose_ids_came_from_the_file_name_reattach_by_sentence_text() {
    let place = Place::new();
    let first = place.write("news.jsonl", NO_IDS);
    place.import_labels(&first);
    assert!(
        exported(&place, &first)
            .iter()
            .all(|(id, _, _)| id.starts_with("news.jsonl#")),
        "ids from places name the file"
    );

    let renamed = place.path("wire-news.jsonl");
    fs::rename(&first, &renamed).unwrap();
    let (stats, stderr) = place.stats(&renamed);
    assert_eq!(stats["annotated"], 3, "{stderr}");
    assert_eq!(stats["orphaned"], 0);
    assert_eq!(stats["reattached"], 3);
    assert!(
        stderr.contains("3 annotations re-attached by their sentence text"),
        "{stderr}"
    );

    let mut got = exported(&place, &renamed);
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "wire-news.jsonl#1".to_owned(),
                "Envoys met in Geneva on Monday.".to_owned(),
                vec!["diplomatic".to_owned()]
            ),
            (
                "wire-news.jsonl#2".to_owned(),
                "The EU banned coal imports from the country.".to_owned(),
                vec!["sanctions".to_owned()]
            ),
            (
                "wire-news.jsonl#3".to_owned(),
                "Jets flew over the capital.".to_owned(),
                vec!["military".to_owned()]
            ),
        ]
    );
}

#[test]
fn a_sentence_text_found_twice_is_not_guessed_at() {
    let place = Place::new();
    let first = place.write("news.jsonl", NO_IDS);
    place.import_labels(&first);
    let renamed = place.path("copy.jsonl");
    // The labelled first sentence now appears in two articles: it stays an orphan.
    let doubled = format!(
        "{NO_IDS}{}\n",
        r#"{"text": "Envoys met in Geneva on Monday. A second report."}"#
    );
    fs::write(&renamed, doubled).unwrap();
    fs::remove_file(&first).unwrap();
    let (stats, stderr) = place.stats(&renamed);
    assert_eq!(stats["annotated"], 2, "{stderr}");
    assert_eq!(stats["orphaned"], 1);
    assert_eq!(stats["reattached"], 2);
}

#[test]
fn stores_lists_every_store_with_its_corpus_counts_and_last_use_escaped() {
    let place = Place::new();
    let hostile = place.write("evil\u{1b}[31mname.jsonl", WITH_IDS);
    place.import_labels(&hostile);
    // Other texts (the last sentences differ), so another corpus with a store of its own.
    let plain = place.write("plain.jsonl", &NO_IDS.replace(".\"}", ". More later.\"}"));
    place.import_labels(&plain);

    let (table, _) = place.ok(&["stores"]);
    assert!(
        !table.contains('\u{1b}'),
        "no raw escape reaches the terminal: {table:?}"
    );
    assert!(table.contains("evil\\u{1b}[31mname"), "{table}");
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("stores in "), "{table}");
    assert!(lines[1].starts_with("store") && lines[1].contains("last use"));
    assert_eq!(lines.len(), 4, "a header and two stores: {table}");
    for line in &lines[2..] {
        assert!(
            line.contains(" 3 "),
            "three articles and annotations: {line}"
        );
        assert!(line.contains(" UTC"), "{line}");
    }

    let (json, _) = place.ok(&["stores", "--json"]);
    assert!(!json.contains('\u{1b}'));
    let rows = place.stores();
    let names: Vec<&str> = rows.iter().map(|r| r["corpus"].as_str().unwrap()).collect();
    assert!(names.contains(&"plain") && names.contains(&"evil\u{1b}[31mname"));
    assert!(
        rows.iter()
            .all(|r| r["annotators"] == 1 && r["last_used"].as_u64().is_some())
    );
}

#[test]
fn stores_in_an_empty_data_folder_says_none_and_a_store_without_record_is_listed() {
    let place = Place::new();
    let (table, _) = place.ok(&["stores"]);
    assert!(table.ends_with("(none)\n"), "{table}");
    // A store another version made, without a record beside it.
    let old = place.write(
        "data/labels/old-0123456789ab.jsonl",
        concat!(
            r#"{"v":1,"op":"set","article":"a","start":0,"end":3,"fp":"0000000000000000","labels":[],"annotator":"bob","ts":1,"origin":"typed","text":"abc"}"#,
            "\n"
        ),
    );
    assert!(old.exists());
    let rows = place.stores();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["key"], "old-0123456789ab");
    assert_eq!(rows[0]["corpus"], Value::Null);
    assert_eq!(rows[0]["annotations"], 1);
    let (table, _) = place.ok(&["stores"]);
    assert!(table.contains("(no record)"), "{table}");
}
