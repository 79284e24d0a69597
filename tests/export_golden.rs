//! The exact bytes of every format on a small corpus, against `tests/golden/`.
//! After an intended change, regenerate with `STANCE_BLESS=1 cargo test --test export_golden`
//! and review the diff.

use crate::export_support;

use export_support::{Fixture, GOLDEN, assert_golden, stderr};

fn golden(name: &str, args: &[&str]) -> String {
    let fixture = Fixture::new(&GOLDEN);
    let out = fixture.export(args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(name, &out.stdout);
    stderr(&out)
}

#[test]
fn jsonl() {
    let report = golden("default.jsonl", &["--format", "jsonl"]);
    assert!(report.contains("exported 8 sentences"), "{report}");
    assert!(!report.contains("orphaned"), "{report}");
}

#[test]
fn csv() {
    golden("default.csv", &["--format", "csv"]);
}

#[test]
fn spacy() {
    golden("default.spacy.jsonl", &["--format", "spacy"]);
}

#[test]
fn prodigy() {
    golden("default.prodigy.jsonl", &["--format", "prodigy"]);
}

#[test]
fn doccano() {
    golden("default.doccano.jsonl", &["--format", "doccano"]);
}

#[test]
fn exclusive_schema_adds_label_and_leaves_out_several_labels() {
    let report = golden(
        "exclusive.jsonl",
        &["--format", "jsonl", "--schema", "exclusive.toml"],
    );
    assert!(
        report.contains("1 sentences with several labels were left out"),
        "{report}"
    );
}

#[test]
fn split_and_context() {
    let report = golden(
        "split-context.jsonl",
        &[
            "--format",
            "jsonl",
            "--split",
            "50,25,25",
            "--seed",
            "3",
            "--context",
            "1",
        ],
    );
    assert!(report.contains("train"), "{report}");
}

#[test]
fn unlabeled_rows_with_split() {
    golden(
        "unlabeled-split.csv",
        &[
            "--format",
            "csv",
            "--include-unlabeled",
            "--split",
            "50,25,25",
            "--seed",
            "3",
        ],
    );
}

#[test]
fn unlabeled_tasks() {
    golden(
        "unlabeled.prodigy.jsonl",
        &["--format", "prodigy", "--include-unlabeled"],
    );
}

/// `--meta`: in each format's place for metadata; a field an article lacks is null (an
/// empty cell in csv), a non-string value its compact JSON.
#[test]
fn meta_in_every_format() {
    let fields = ["--meta", "date,subject,words,tags"];
    for (name, format) in [
        ("meta.jsonl", "jsonl"),
        ("meta.csv", "csv"),
        ("meta.spacy.jsonl", "spacy"),
        ("meta.prodigy.jsonl", "prodigy"),
        ("meta.doccano.jsonl", "doccano"),
    ] {
        golden(name, &["--format", format, fields[0], fields[1]]);
    }
    let all = Fixture::new(&GOLDEN).export(&["--format", "jsonl", "--meta", "all"]);
    assert_eq!(
        String::from_utf8(all.stdout).unwrap(),
        std::fs::read_to_string("tests/golden/meta.jsonl").unwrap(),
        "all is every field, in the order first seen (the fixture writes keys sorted)"
    );
}

/// The golden corpus with "Officials declined to comment." (ana's "no stance") ignored.
fn with_an_ignore() -> export_support::Fixture {
    let fixture = export_support::Fixture::new(&GOLDEN);
    let mut ignore = export_support::event(
        "wire-001",
        "Officials declined to comment.",
        &[],
        "ana",
        9_000,
    );
    ignore.op = stance::store::Op::Ignore;
    ignore.v = ignore.version_needed();
    stance::store::LabelStore::open(&fixture.labels())
        .unwrap()
        .append(ignore)
        .unwrap();
    fixture
}

#[test]
fn an_ignored_sentence_is_left_out_and_counted() {
    let fixture = with_an_ignore();
    let out = fixture.export(&["--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(!written.contains("Officials declined"), "{written}");
    assert!(!written.contains("ignored"), "{written}");
    let report = stderr(&out);
    assert!(report.contains("exported 7 sentences"), "{report}");
    assert!(
        report.contains("1 ignored sentences were left out"),
        "{report}"
    );
}

#[test]
fn include_ignored_marks_it_where_each_format_has_a_place() {
    let fixture = with_an_ignore();
    for (format, name) in [
        ("jsonl", "ignored.jsonl"),
        ("csv", "ignored.csv"),
        ("spacy", "ignored.spacy.jsonl"),
        ("prodigy", "ignored.prodigy.jsonl"),
        ("doccano", "ignored.doccano.jsonl"),
    ] {
        let out = fixture.export(&["--format", format, "--include-ignored"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_golden(name, &out.stdout);
        let written = String::from_utf8(out.stdout.clone()).unwrap();
        let line = written
            .lines()
            .find(|l| l.contains("Officials declined"))
            .unwrap_or_else(|| panic!("{format}: the ignored sentence is written:\n{written}"));
        let marked = match format {
            "csv" => line.ends_with(",,,,1"),
            "spacy" => line.contains(r#""cats":{}"#),
            "prodigy" => line.contains(r#""answer":"ignore""#),
            _ => line.contains(r#""ignored":true"#),
        };
        assert!(marked, "{format}: {line}");
        let report = stderr(&out);
        assert!(report.contains("exported 8 sentences"), "{report}");
        assert!(report.contains("ignored"), "{report}");
    }
}

/// The golden corpus with "Officials declined to comment." flagged by ana and noted by ana
/// and bo, and wire-001 noted by ana, written by the real store as version 4 lines.
fn with_flags_and_notes() -> export_support::Fixture {
    use stance::store::{Remark, RemarkChange};
    let fixture = export_support::Fixture::new(&GOLDEN);
    let sentence =
        export_support::event("wire-001", "Officials declined to comment.", &[], "ana", 0);
    let mut store = stance::store::LabelStore::open(&fixture.labels()).unwrap();
    for (who, change) in [
        ("ana", RemarkChange::Flag),
        (
            "ana",
            RemarkChange::Note("a \"no comment\" is not no stance?".into()),
        ),
        ("bo", RemarkChange::Note("agree with ana".into())),
        (
            "ana",
            RemarkChange::ArticleNote("wire copy, check the date".into()),
        ),
    ] {
        let remark = Remark {
            article: sentence.article.clone(),
            start: sentence.start,
            end: sentence.end,
            text: sentence.text.clone(),
            annotator: who.into(),
            change,
        };
        store.append_remark(remark.event(9_000)).unwrap();
    }
    fixture
}

#[test]
fn flags_and_notes_go_into_every_format_where_it_has_a_place() {
    let fixture = with_flags_and_notes();
    let out = fixture.export(&["--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("flagged.jsonl", &out.stdout);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let flagged: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l.get("flagged").is_some())
        .collect();
    assert_eq!(flagged.len(), 1, "{text}");
    assert_eq!(flagged[0]["text"], "Officials declined to comment.");
    let notes = "ana: a \"no comment\" is not no stance? | bo: agree with ana";
    assert_eq!(flagged[0]["note"], notes);
    let article_note = "ana: wire copy, check the date";
    let of_article = lines
        .iter()
        .filter(|l| l["article_id"] == "wire-001")
        .all(|l| l["article_note"] == article_note);
    assert!(of_article, "{text}");
    // prodigy: in `meta`; doccano: top-level fields; spacy: in `meta`.
    for (format, name, place) in [
        ("prodigy", "flagged.prodigy.jsonl", Some("meta")),
        ("doccano", "flagged.doccano.jsonl", None),
        ("spacy", "flagged.spacy.jsonl", Some("meta")),
    ] {
        let out = fixture.export(&["--format", format]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_golden(name, &out.stdout);
        let text = String::from_utf8(out.stdout).unwrap();
        let fields = |line: &serde_json::Value| match place {
            Some(place) => line[place].clone(),
            None => line.clone(),
        };
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| fields(&serde_json::from_str(l).unwrap()))
            .collect();
        let flagged: Vec<_> = lines.iter().filter(|l| l["flagged"] == true).collect();
        assert_eq!(flagged.len(), 1, "{format}: {text}");
        assert_eq!(flagged[0]["note"], notes, "{format}: {text}");
        let noted = lines
            .iter()
            .filter(|l| l["article_note"] == article_note)
            .count();
        assert!(noted > 1, "{format}: {text}");
    }
    // csv: three columns, read back by a CSV reader.
    let out = fixture.export(&["--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("flagged.csv", &out.stdout);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (flag, note, article) = (column("flagged"), column("note"), column("article_note"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let flagged: Vec<_> = rows.iter().filter(|r| &r[flag] == "1").collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(&flagged[0][note], notes);
    assert!(rows.iter().filter(|r| &r[article] == article_note).count() > 1);
    assert!(rows.iter().all(|r| &r[flag] == "1" || &r[flag] == "0"));
}

#[test]
fn a_store_without_flags_or_notes_exports_as_before() {
    let fixture = export_support::Fixture::new(&GOLDEN);
    for (format, name) in [
        ("csv", "default.csv"),
        ("spacy", "default.spacy.jsonl"),
        ("prodigy", "default.prodigy.jsonl"),
        ("doccano", "default.doccano.jsonl"),
        ("jsonl", "default.jsonl"),
    ] {
        let out = fixture.export(&["--format", format]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_golden(name, &out.stdout);
    }
}
