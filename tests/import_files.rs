//! `stance import` of files other tools wrote (tests/data/import/): what attaches where,
//! what is reported, format detection, and that a failed import writes nothing.

use crate::export_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use export_support::{Fixture, GOLDEN, stderr};
use stance::store::{LabelStore, Origin};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import");

/// The fixture's corpus with `file` from tests/data/import copied beside it.
fn fixture_with(files: &[&str]) -> Fixture {
    let fixture = Fixture::empty();
    for file in files {
        std::fs::copy(Path::new(DATA).join(file), fixture.path(file)).unwrap();
    }
    fixture
}

fn import_cmd(fixture: &Fixture, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stance"));
    command
        .current_dir(fixture.dir.path())
        .env("STANCE_DATA_DIR", fixture.path("data"))
        .env("STANCE_CONFIG_DIR", fixture.path("config"))
        .arg("import")
        .arg(fixture.corpus())
        .arg("--labels")
        .arg(fixture.labels())
        .args(args);
    command
}

fn import(fixture: &Fixture, args: &[&str]) -> Output {
    import_cmd(fixture, args).output().unwrap()
}

/// (annotator, sentence text) -> labels, of every annotation in the fixture's store.
fn stored(fixture: &Fixture) -> BTreeMap<(String, String), Vec<String>> {
    let store = LabelStore::open_read_only(&fixture.labels()).unwrap();
    assert!(store.annotations().all(|a| a.origin() == Origin::Imported));
    store
        .annotations()
        .map(|a| {
            (
                (a.annotator().to_owned(), a.text().to_owned()),
                a.labels().to_vec(),
            )
        })
        .collect()
}

fn expect(pairs: &[(&str, &str, &[&str])]) -> BTreeMap<(String, String), Vec<String>> {
    pairs
        .iter()
        .map(|(who, text, labels)| {
            (
                (who.to_string(), text.to_string()),
                labels.iter().map(|l| l.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn prodigy_choice_and_binary_tasks_attach_with_their_annotators() {
    let fixture = fixture_with(&["prodigy-choice.jsonl", "prodigy-binary.jsonl"]);
    let out = import(
        &fixture,
        &[
            "--from",
            "prodigy-choice.jsonl",
            "--from",
            "prodigy-binary.jsonl",
            "--format",
            "auto",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stderr(&out);
    assert!(
        report.contains("prodigy-choice.jsonl (prodigy): 4 annotations"),
        "{report}"
    );
    assert!(
        report.contains("prodigy-binary.jsonl (prodigy): 2 annotations"),
        "{report}"
    );
    assert!(
        report.contains("attached: 5 (5 new, 0 already there"),
        "{report}"
    );
    assert!(
        report.contains("not attached: 1 (text not found 1)"),
        "{report}"
    );
    assert!(
        report.contains("prodigy-choice.jsonl: line 5: text not found"),
        "{report}"
    );
    assert!(
        report.contains("prodigy-choice.jsonl: line 4: answer `reject`"),
        "{report}"
    );
    assert!(
        report.contains("prodigy-binary.jsonl: line 4: answer `ignore`"),
        "{report}"
    );
    assert_eq!(
        stored(&fixture),
        expect(&[
            (
                "stance_news-ana",
                "The ministers said a joint statement would follow.",
                &["diplomatic", "sanctions"]
            ),
            (
                "stance_news-ana",
                "Exports of crude oil to Iran fell 29% in February, customs data showed.",
                &["sanctions"]
            ),
            ("stance_news-ana", "Officials declined to comment.", &[]),
            (
                "stance_news-ben",
                "Troops held drills near the\nborder on Tuesday.",
                &["military"]
            ),
            (
                "stance_news-ben",
                "Markets were closed for the holiday.",
                &[]
            ),
        ])
    );
}

#[test]
fn doccano_needs_an_annotator_and_attaches_by_folded_text() {
    let fixture = fixture_with(&["doccano.jsonl"]);
    let out = import(
        &fixture,
        &["--from", "doccano.jsonl", "--format", "doccano"],
    );
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("doccano.jsonl: line 1: "), "{message}");
    assert!(message.contains("--annotator"), "{message}");
    assert!(!fixture.labels().exists());

    let out = import(
        &fixture,
        &[
            "--from",
            "doccano.jsonl",
            "--format",
            "auto",
            "--annotator",
            "carla",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stderr(&out);
    assert!(report.contains("(doccano): 5 annotations"), "{report}");
    assert!(
        report.contains("doccano.jsonl: line 5: text not found"),
        "{report}"
    );
    assert_eq!(
        stored(&fixture),
        expect(&[
            (
                "carla",
                "SEOUL (Reuters) - South Korea and Japan agreed on Monday to resume talks.",
                &["diplomatic"]
            ),
            (
                "carla",
                "Troops held drills near the\nborder on Tuesday.",
                &["military"]
            ),
            (
                "carla",
                "Talks on the ceasefire will continue next week.",
                &["diplomatic", "military"]
            ),
            ("carla", "Trading resumes on Monday.", &[]),
        ])
    );
}

#[test]
fn label_studio_json_attaches_each_annotation_and_skips_cancelled_ones() {
    let fixture = fixture_with(&["label-studio.json"]);
    let out = import(
        &fixture,
        &["--from", "label-studio.json", "--format", "auto"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stderr(&out);
    assert!(report.contains("(label-studio): 4 annotations"), "{report}");
    assert!(
        report.contains("label-studio.json: record 3: text not found"),
        "{report}"
    );
    assert!(
        report.contains("record 2: annotation 0 was cancelled"),
        "{report}"
    );
    let ministry = "The ministry said \"no exemptions\" would be granted, citing the embargo.";
    assert_eq!(
        stored(&fixture),
        expect(&[
            ("label-studio-user-1", ministry, &["sanctions"]),
            (
                "label-studio-user-2",
                ministry,
                &["diplomatic", "sanctions"]
            ),
            (
                "label-studio-user-2",
                "Markets were closed for the holiday.",
                &[]
            ),
        ])
    );
}

#[test]
fn labels_not_in_the_schema_stop_the_import_unless_kept() {
    let fixture = fixture_with(&["label-studio-min.json"]);
    let out = import(
        &fixture,
        &["--from", "label-studio-min.json", "--format", "auto"],
    );
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains("labels not in the schema: \"economy\" (1)"),
        "{message}"
    );
    assert!(message.contains("nothing was written"), "{message}");
    assert!(!fixture.labels().exists());

    let out = import(
        &fixture,
        &[
            "--from",
            "label-studio-min.json",
            "--format",
            "label-studio",
            "--keep-unknown-labels",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("labels not in the schema, kept: \"economy\" (1)"));
    assert_eq!(
        stored(&fixture),
        expect(&[
            (
                "ana@example.org",
                "Exports of crude oil to Iran fell 29% in February, customs data showed.",
                &["sanctions"]
            ),
            (
                "ana@example.org",
                "Talks on the ceasefire will continue next week.",
                &["diplomatic", "military"]
            ),
            (
                "ana@example.org",
                "Trading resumes on Monday.",
                &["economy"]
            ),
        ])
    );
}

#[test]
fn a_file_read_as_the_wrong_format_says_which_it_looks_like() {
    let fixture = fixture_with(&["doccano.jsonl", "label-studio.json", "prodigy-choice.jsonl"]);
    for (file, format, looks) in [
        ("doccano.jsonl", "spacy", "doccano"),
        ("label-studio.json", "prodigy", "label-studio"),
        ("prodigy-choice.jsonl", "label-studio", "prodigy"),
        ("prodigy-choice.jsonl", "jsonl", "prodigy"),
    ] {
        let out = import(
            &fixture,
            &["--from", file, "--format", format, "--annotator", "x"],
        );
        assert_eq!(out.status.code(), Some(1), "{file} as {format}");
        let message = stderr(&out);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(
            message.starts_with(&format!("stance: {file}: ")),
            "{message}"
        );
        assert!(
            message.contains(&format!("looks like {looks} (--format {looks})")),
            "{file} as {format}: {message}"
        );
    }
    std::fs::write(fixture.path("notes.txt"), "Talks resumed.\n").unwrap();
    let out = import(&fixture, &["--from", "notes.txt", "--format", "auto"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("notes.txt: cannot tell its format; give --format"));
    assert!(!fixture.labels().exists());
}

#[test]
fn one_bad_record_writes_nothing_and_names_line_and_field() {
    let fixture = Fixture::new(&GOLDEN);
    let before = std::fs::read(fixture.labels()).unwrap();
    let mut text = std::fs::read_to_string(Path::new(DATA).join("prodigy-choice.jsonl")).unwrap();
    text.push_str("{\"text\":\"Trading resumes on Monday.\",\"accept\":[],\"answer\":\"maybe\"}\n");
    std::fs::write(fixture.path("bad.jsonl"), text).unwrap();
    let out = import(&fixture, &["--from", "bad.jsonl", "--format", "prodigy"]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains("bad.jsonl: line 6: field `answer`: `maybe` is not accept"),
        "{message}"
    );
    assert_eq!(std::fs::read(fixture.labels()).unwrap(), before);
}

#[test]
fn a_write_the_file_system_refuses_leaves_the_journal_as_it_was() {
    let fixture = fixture_with(&["prodigy-choice.jsonl"]);
    fixture.annotate(&GOLDEN);
    let before = std::fs::read(fixture.labels()).unwrap();
    let limit = before.len() as libc::rlim_t + 200;
    let mut command = import_cmd(
        &fixture,
        &["--from", "prodigy-choice.jsonl", "--format", "prodigy"],
    );
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, move || {
            let mut current = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_FSIZE, &mut current);
            let limited = libc::rlimit {
                rlim_cur: limit.min(current.rlim_max),
                rlim_max: current.rlim_max,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limited);
            Ok(())
        });
    }
    let out = command.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("append to label store"), "{message}");
    assert!(message.contains("File too large"), "{message}");
    assert_eq!(std::fs::read(fixture.labels()).unwrap(), before);
    // Without the limit the same import goes through.
    let out = import(
        &fixture,
        &["--from", "prodigy-choice.jsonl", "--format", "prodigy"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(fixture.labels()).unwrap().len() > before.len() + 200);
}

#[test]
fn a_sentence_given_twice_keeps_the_files_last_word() {
    let fixture = Fixture::empty();
    let line = |labels: &str| {
        format!(
            "{{\"text\":\"Trading resumes on Monday.\",\"labels\":[{labels}],\"article_id\":\"wire-004\",\"annotator\":\"ana\"}}\n"
        )
    };
    std::fs::write(
        fixture.path("twice.jsonl"),
        line("\"sanctions\"") + &line("\"military\""),
    )
    .unwrap();
    let out = import(&fixture, &["--from", "twice.jsonl", "--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 replaced by a later record"));
    assert_eq!(
        stored(&fixture),
        expect(&[("ana", "Trading resumes on Monday.", &["military"])])
    );
}

#[test]
fn an_import_into_a_store_held_by_a_session_is_refused_and_then_taken_once_free() {
    let fixture = fixture_with(&["prodigy-choice.jsonl"]);
    let held = LabelStore::open_as(&fixture.labels(), "bea").unwrap();
    drop(held.append_all_and_close(&[]));
    let before = std::fs::read(fixture.labels()).unwrap();
    // The store exists now: the import takes its lock before reading the files.
    let session = LabelStore::open_as(&fixture.labels(), "bea").unwrap();
    let out = import(
        &fixture,
        &["--from", "prodigy-choice.jsonl", "--format", "prodigy"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("is in use"), "{}", stderr(&out));
    assert_eq!(std::fs::read(fixture.labels()).unwrap(), before);
    drop(session);
    let out = import(
        &fixture,
        &["--from", "prodigy-choice.jsonl", "--format", "prodigy"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stored(&fixture).is_empty());
}

#[test]
fn a_failed_import_into_a_new_store_creates_none() {
    let fixture = fixture_with(&["prodigy-choice.jsonl"]);
    let mut text = std::fs::read_to_string(fixture.path("prodigy-choice.jsonl")).unwrap();
    text.push_str("{\"text\":\"Trading resumes on Monday.\",\"accept\":[],\"answer\":\"maybe\"}\n");
    std::fs::write(fixture.path("bad.jsonl"), text).unwrap();
    assert!(!fixture.labels().exists());
    let out = import(&fixture, &["--from", "bad.jsonl", "--format", "prodigy"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!fixture.labels().exists(), "a store was created");
}
