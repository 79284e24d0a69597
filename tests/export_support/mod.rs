//! A small corpus, a journal written by the real label store, and a way to run the binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use stance::corpus::segment;
use stance::store::{Event, LabelStore};
use tempfile::TempDir;

/// Articles as (id, text): datelines, quotes and commas, a hard-wrapped sentence, and
/// wide and combining characters.
pub const ARTICLES: [(&str, &str); 4] = [
    (
        "wire-001",
        "SEOUL (Reuters) - South Korea and Japan agreed on Monday to resume talks. \
         The ministers said a joint statement would follow. Officials declined to comment.",
    ),
    (
        "wire-002",
        "Exports of crude oil to Iran fell 29% in February, customs data showed. \
         The ministry said \"no exemptions\" would be granted, citing the embargo.\n\
         Troops held drills near the\nborder on Tuesday.",
    ),
    (
        "wire-003",
        "The envoy met officials from 北京 in Gene\u{301}ve on Friday. \
         Talks on the ceasefire will continue next week.",
    ),
    (
        "wire-004",
        "Markets were closed for the holiday. Trading resumes on Monday.",
    ),
];

/// Metadata of each article of [`ARTICLES`]: text, a number, a list, and a field only some
/// articles have. Exports show it only with `--meta`.
pub static META: std::sync::LazyLock<[Value; 4]> = std::sync::LazyLock::new(|| {
    [
        serde_json::json!({"subject": "politicsNews", "date": "2017-12-31", "words": 30}),
        serde_json::json!({"subject": "worldnews", "date": "2018-01-02", "words": 40, "tags": ["oil", "iran"]}),
        serde_json::json!({"subject": "worldnews", "date": "2017-06-15", "words": 21}),
        serde_json::json!({"subject": "markets", "words": 11}),
    ]
});

/// A temporary folder holding `corpus.jsonl`, `labels.jsonl` and schema files.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    /// The corpus, and a journal with the given annotations.
    pub fn new(annotations: &[(&str, &str, &[&str], &str, u64)]) -> Fixture {
        let fixture = Fixture::empty();
        fixture.annotate(annotations);
        fixture
    }

    /// The corpus, no journal yet.
    pub fn empty() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<String> = ARTICLES
            .iter()
            .zip(META.iter())
            .map(|((id, text), meta)| {
                let mut line = serde_json::json!({"id": id, "title": id, "text": text});
                line.as_object_mut()
                    .unwrap()
                    .extend(meta.as_object().unwrap().clone());
                line.to_string()
            })
            .collect();
        std::fs::write(dir.path().join("corpus.jsonl"), lines.join("\n") + "\n").unwrap();
        std::fs::write(
            dir.path().join("exclusive.toml"),
            "exclusive = true\n\
             [[labels]]\nname = \"diplomatic\"\nkey = \"1\"\ncolour = \"blue\"\n\
             [[labels]]\nname = \"sanctions\"\nkey = \"2\"\ncolour = \"yellow\"\n\
             [[labels]]\nname = \"military\"\nkey = \"3\"\ncolour = \"red\"\n",
        )
        .unwrap();
        Fixture { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn corpus(&self) -> PathBuf {
        self.path("corpus.jsonl")
    }

    pub fn labels(&self) -> PathBuf {
        self.path("labels.jsonl")
    }

    /// Appends annotations (article id, sentence text, labels, annotator, time) through
    /// the real label store.
    pub fn annotate(&self, annotations: &[(&str, &str, &[&str], &str, u64)]) {
        let mut store = LabelStore::open(&self.labels()).unwrap();
        for &(article, sentence, labels, annotator, ts) in annotations {
            store
                .append(event(article, sentence, labels, annotator, ts))
                .unwrap();
        }
    }

    /// Runs `stance export CORPUS --labels LABELS ARGS...` in the fixture's folder.
    pub fn export(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(self.dir.path())
            .env("STANCE_DATA_DIR", self.path("data"))
            .env("STANCE_CONFIG_DIR", self.path("config"))
            .arg("export")
            .arg(self.corpus())
            .arg("--labels")
            .arg(self.labels())
            .args(args)
            .output()
            .unwrap()
    }

    /// Names of the files in the fixture's folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// A `set` event for the sentence with this text; fails when the segmenter does not find
/// that sentence, so a segmentation change shows up here rather than as silent orphans.
pub fn event(article: &str, sentence: &str, labels: &[&str], annotator: &str, ts: u64) -> Event {
    let text = ARTICLES.iter().find(|(id, _)| *id == article).unwrap().1;
    let start = text.find(sentence).unwrap();
    let end = start + sentence.len();
    assert!(
        segment(text)
            .iter()
            .any(|s| (s.start, s.end) == (start, end)),
        "the segmenter does not find `{sentence}` in {article}"
    );
    Event::set(
        article,
        start,
        sentence,
        labels.iter().copied(),
        annotator,
        ts,
    )
}

/// The annotations of the golden files: one, several and no labels; two annotators.
pub const GOLDEN: [(&str, &str, &[&str], &str, u64); 9] = [
    (
        "wire-001",
        "SEOUL (Reuters) - South Korea and Japan agreed on Monday to resume talks.",
        &["diplomatic"],
        "ana",
        1_000,
    ),
    (
        "wire-001",
        "The ministers said a joint statement would follow.",
        &["diplomatic", "sanctions"],
        "ana",
        2_000,
    ),
    (
        "wire-001",
        "Officials declined to comment.",
        &[],
        "ana",
        3_000,
    ),
    (
        "wire-002",
        "Exports of crude oil to Iran fell 29% in February, customs data showed.",
        &["sanctions"],
        "ana",
        4_000,
    ),
    (
        "wire-002",
        "The ministry said \"no exemptions\" would be granted, citing the embargo.",
        &["sanctions"],
        "ana",
        5_000,
    ),
    (
        "wire-002",
        "Troops held drills near the\nborder on Tuesday.",
        &["diplomatic"],
        "ana",
        6_000,
    ),
    (
        "wire-002",
        "Troops held drills near the\nborder on Tuesday.",
        &["military"],
        "ben",
        7_000,
    ),
    (
        "wire-003",
        "The envoy met officials from 北京 in Gene\u{301}ve on Friday.",
        &["diplomatic"],
        "ben",
        8_000,
    ),
    (
        "wire-003",
        "Talks on the ceasefire will continue next week.",
        &[],
        "ben",
        9_000,
    ),
];

/// Compares with `tests/golden/NAME`, or writes it when `STANCE_BLESS=1`.
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("STANCE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with STANCE_BLESS=1 to create it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} differs from the golden file\n--- expected\n{}\n--- actual\n{}",
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual)
    );
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
