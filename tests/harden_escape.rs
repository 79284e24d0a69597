//! Outside text in messages and tables, through the real binary: an OSC 52 clipboard write
//! and a CSI clear-screen in a file name, a folder name, the label store's path, a journal
//! line, an annotator name, a label name and a config entry must never reach stdout or
//! stderr raw. Each case also checks that the text was shown (escaped), so it cannot pass by
//! printing nothing.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::bounded::{output, stance};
use stance::store::Event;

/// The two sequences a terminal would obey: a clipboard write and a clear screen.
const OSC52: &str = "\u{1b}]52;c;cHduZWQ=\u{7}";
const CSI: &str = "\u{1b}[2J";
/// How they read once escaped.
const OSC52_SHOWN: &str = "\\u{1b}]52;c;cHduZWQ=\\u{7}";
const CSI_SHOWN: &str = "\\u{1b}[2J";

fn evil(name: &str) -> String {
    format!("{name}{OSC52}x{CSI}")
}

const TEXT: &str = "Envoys met in Geneva. Sanctions were discussed.\n";

/// Fails when either stream holds a control character other than a line feed (C0, DEL and
/// C1, decoded as UTF-8 so C1 characters are found and continuation bytes are not), or when
/// `shown` (what the escaped text should look like) is on neither.
fn assert_clean(out: &Output, shown: &str, context: &str) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if let Some(c) = text.chars().find(|&c| c.is_control() && c != '\n') {
            panic!("{context}: {name} holds the control character {c:?}: {text:?}");
        }
    }
    assert!(
        stdout.contains(shown) || stderr.contains(shown),
        "{context}: {shown} is shown on neither stream:\nstdout: {stdout}\nstderr: {stderr}"
    );
}

fn stance_in(dir: &Path, args: &[&str]) -> Output {
    output(&mut stance(dir, args))
}

#[test]
fn file_names_in_corpus_errors_and_the_stats_table_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.txt", evil("news"));
    fs::write(dir.path().join(&name), TEXT).unwrap();
    let out = stance_in(dir.path(), &["stats", &name]);
    assert!(out.status.success(), "{out:?}");
    assert_clean(&out, OSC52_SHOWN, "the corpus row of stats");

    let empty = format!("{}.txt", evil("empty"));
    fs::write(dir.path().join(&empty), "").unwrap();
    let out = stance_in(dir.path(), &["stats", &empty]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, CSI_SHOWN, "an empty file");

    let jsonl = format!("{}.jsonl", evil("wire"));
    fs::write(
        dir.path().join(&jsonl),
        format!("{{\"text\": 5, \"id\": \"{CSI}\"}}\n"),
    )
    .unwrap();
    let out = stance_in(dir.path(), &["export", &jsonl, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, OSC52_SHOWN, "a bad JSON line");

    let missing = evil("missing");
    let out = stance_in(dir.path(), &["stats", &missing]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, OSC52_SHOWN, "a missing path");

    let unsupported = format!("{}.doc", evil("memo"));
    fs::write(dir.path().join(&unsupported), TEXT).unwrap();
    let out = stance_in(dir.path(), &["stats", &unsupported]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, OSC52_SHOWN, "an unsupported file");
}

#[test]
fn folder_names_in_corpus_errors_warnings_and_the_stats_table_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let folder = evil("wire");
    fs::create_dir(dir.path().join(&folder)).unwrap();
    let out = stance_in(dir.path(), &["stats", &folder]);
    assert_eq!(out.status.code(), Some(1), "an empty folder is an error");
    assert_clean(&out, OSC52_SHOWN, "a folder without corpus files");

    fs::write(dir.path().join(&folder).join("a.txt"), TEXT).unwrap();
    fs::write(
        dir.path().join(&folder).join("b.jsonl"),
        format!("{{\"text\": \"Fine.\"}}\n{{\"text\": [\"{CSI}\"]}}\n"),
    )
    .unwrap();
    let out = stance_in(dir.path(), &["stats", &folder, "--skip-bad"]);
    assert!(out.status.success(), "{out:?}");
    assert_clean(&out, OSC52_SHOWN, "the corpus row and the skip warning");
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped 1 bad entry"));

    fs::write(dir.path().join(&folder).join("c.txt"), "  \n").unwrap();
    let out = stance_in(dir.path(), &["stats", &folder]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, CSI_SHOWN, "an empty file in the folder");
}

/// A journal line of a valid event, with `change` applied to its JSON.
fn journal_line(
    annotator: &str,
    labels: &[&str],
    change: impl Fn(&mut serde_json::Value),
) -> String {
    let event = Event::set(
        "news.txt",
        0,
        "Envoys met in Geneva.",
        labels.to_vec(),
        annotator,
        1,
    );
    let mut value = serde_json::to_value(&event).unwrap();
    change(&mut value);
    format!("{value}\n")
}

#[test]
fn journal_strings_quoted_in_store_errors_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("news.txt"), TEXT).unwrap();
    let cases = [
        ("op", serde_json::json!(evil("set"))),
        ("v", serde_json::json!(evil("1"))),
        ("labels", serde_json::json!(evil("not a list"))),
    ];
    for (field, bad) in cases {
        let line = journal_line("alice", &["diplomatic"], |v| v[field] = bad.clone());
        fs::write(dir.path().join("labels.jsonl"), format!("{line}{line}")).unwrap();
        for command in ["stats", "export"] {
            let mut args = vec![command, "news.txt", "--labels", "labels.jsonl"];
            if command == "export" {
                args.extend(["--format", "csv"]);
            }
            let out = stance_in(dir.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{command} with a bad {field}");
            assert_clean(&out, OSC52_SHOWN, &format!("{command}: a bad {field}"));
            assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
        }
    }
    // The store's own path, in a folder whose name is hostile.
    let folder = evil("store");
    fs::create_dir(dir.path().join(&folder)).unwrap();
    let store = format!("{folder}/labels.jsonl");
    fs::write(dir.path().join(&store), "not json\nnot json\n").unwrap();
    let out = stance_in(dir.path(), &["stats", "news.txt", "--labels", &store]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, OSC52_SHOWN, "the store's path in a store error");
}

#[test]
fn annotator_and_label_names_in_the_stats_table_and_export_report_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("news.txt"), TEXT).unwrap();
    let who = evil("alice");
    let stray = evil("stray");
    let journal = [
        journal_line(&who, &["diplomatic"], |_| {}),
        journal_line("bob", &[stray.as_str()], |_| {}),
    ]
    .concat();
    fs::write(dir.path().join("labels.jsonl"), journal).unwrap();
    let out = stance_in(
        dir.path(),
        &["stats", "news.txt", "--labels", "labels.jsonl"],
    );
    assert!(out.status.success(), "{out:?}");
    assert_clean(&out, OSC52_SHOWN, "annotator and label rows of stats");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&format!("\\u{{1b}}]52;c;cHduZWQ=\\u{{7}}x{CSI_SHOWN}")),
        "{table}"
    );

    let out = stance_in(
        dir.path(),
        &[
            "export",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--format",
            "csv",
            "--annotator",
            "bob",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_clean(
        &out,
        OSC52_SHOWN,
        "a label not in the schema, in the export report",
    );

    // OSC 52 holds `;`, which a schema label name may not: the refusal quotes it escaped.
    let schema = |name: &str| {
        let text = format!(
            "[[labels]]\nname = \"{}\"\nkey = \"1\"\ncolour = \"red\"\n",
            toml_escaped(name)
        );
        fs::write(dir.path().join("schema.toml"), text).unwrap();
    };
    schema(&evil("diplomatic"));
    let refused = stance_in(
        dir.path(),
        &[
            "stats",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--schema",
            "schema.toml",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert_clean(
        &refused,
        OSC52_SHOWN,
        "a schema label name refused for its `;`",
    );
    schema(&format!("diplomatic{CSI}\u{9b}31m\u{1b}[?1049l"));
    let stats = stance_in(
        dir.path(),
        &[
            "stats",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--schema",
            "schema.toml",
            "--schema-change",
        ],
    );
    assert!(stats.status.success(), "{stats:?}");
    assert_clean(
        &stats,
        "diplomatic\\u{1b}[2J\\u{9b}31m",
        "a schema label in stats",
    );
    let out_file = dir.path().join("out.csv");
    let export = stance_in(
        dir.path(),
        &[
            "export",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--format",
            "jsonl",
            "--schema",
            "schema.toml",
            "--schema-change",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{export:?}");
    for args in [
        &[
            "export",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--format",
            "csv",
        ][..],
        &["review", "news.txt", "--labels", "labels.jsonl"],
    ] {
        let mut args = args.to_vec();
        args.extend([
            "--schema",
            "schema.toml",
            "--schema-change",
            "--label",
            "nope",
        ]);
        let out = stance_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_clean(
            &out,
            "diplomatic\\u{1b}[2J",
            "the schema's labels listed for --label",
        );
    }
    assert_clean(
        &export,
        "diplomatic\\u{1b}[2J\\u{9b}31m",
        "a schema label in the export report",
    );
}

/// `text` inside a TOML basic string: control characters as `\uXXXX`.
fn toml_escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            c if c.is_control() => format!("\\u{:04X}", u32::from(c)),
            '"' => "\\\"".into(),
            '\\' => "\\\\".into(),
            c => c.to_string(),
        })
        .collect()
}

#[test]
fn schema_and_config_entries_in_messages_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("news.txt"), TEXT).unwrap();
    // A raw ESC is not allowed in TOML: the parser's message quotes the line.
    fs::write(
        dir.path().join("raw.toml"),
        format!("[[labels]]\nname = \"{}\"\n", evil("a")),
    )
    .unwrap();
    let out = stance_in(dir.path(), &["stats", "news.txt", "--schema", "raw.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, "raw.toml", "a TOML error quoting a raw escape");
    let colour = format!(
        "[[labels]]\nname = \"a\"\nkey = \"1\"\ncolour = \"{}\"\n",
        toml_escaped(&evil("red"))
    );
    fs::write(dir.path().join("colour.toml"), colour).unwrap();
    let out = stance_in(
        dir.path(),
        &["stats", "news.txt", "--schema", "colour.toml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_clean(&out, OSC52_SHOWN, "an unknown colour");

    let config = dir.path().join("config");
    fs::create_dir(&config).unwrap();
    fs::write(
        config.join("config.toml"),
        format!(
            "[keys]\n\"{}\" = \"x\"\nundo = \"{}\"\n",
            toml_escaped(&evil("undo")),
            toml_escaped(&evil("z"))
        ),
    )
    .unwrap();
    // Without a terminal the session does not start, but the config's problems are told first.
    let out = stance_in(dir.path(), &["annotate", "news.txt"]);
    assert_clean(
        &out,
        "[keys] undo\\u{1b}]52",
        "an unknown action in config.toml",
    );
    assert_clean(&out, "unknown key", "an unknown key in config.toml");
    fs::write(
        config.join("config.toml"),
        format!("[keys]\nundo = \"{OSC52}\"\n"),
    )
    .unwrap();
    let out = stance_in(dir.path(), &["annotate", "news.txt"]);
    assert_clean(&out, "using the default keys", "broken TOML in config.toml");
}

#[test]
fn stats_json_escapes_every_control_character_and_keeps_the_value() {
    let dir = tempfile::tempdir().unwrap();
    // serde_json escapes C0 itself; DEL, C1 and the direction overrides it leaves raw.
    let name = format!("{}\u{7f}\u{9b}2J\u{202e}.txt", evil("news"));
    fs::write(dir.path().join(&name), TEXT).unwrap();
    let out = stance_in(dir.path(), &["stats", "--json", &name]);
    assert!(out.status.success(), "{out:?}");
    assert_clean(&out, "\\u009b2J\\u202e", "stats --json");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        stats["corpus"],
        name.trim_end_matches(".txt"),
        "the same value"
    );
}
