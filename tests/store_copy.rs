//! `stance store copy FROM TO` through the real binary: journal, folder and PostgreSQL
//! stores copied into each other keep every line (exports, stats and agreement equal byte
//! for byte), a second copy adds nothing, a later one only what is new, a session holding
//! the target refuses the copy, and a copy killed half-way leaves the target as it was.

use crate::common;
use crate::pg_support as support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::pty::{Home, Terminal};
use serde_json::Value;
use stance::corpus::segment;
use stance::store::{
    BoundaryChange, BoundaryKind, Event, Op, Origin, Remark, RemarkChange, Scores,
};

const A1: &str = "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks. Talks resume next week.";
const A2: &str = "Tariffs rose again. A missile test followed. Ministers met at dawn.";

/// The default schema, kept beside the source as a first session keeps it.
const SCHEMA: &str = include_str!("../data/schema.toml");

fn sentence(text: &str, index: usize) -> (usize, &str) {
    let span = segment(text)[index];
    (span.start, &text[span.start..span.end])
}

fn set(article: &str, index: usize, labels: &[&str], who: &str, ts: u64) -> Event {
    let text = if article == "a1" { A1 } else { A2 };
    let (start, sentence) = sentence(text, index);
    Event::set(article, start, sentence, labels.iter().copied(), who, ts)
}

fn with(mut event: Event, change: impl FnOnce(&mut Event)) -> Event {
    change(&mut event);
    event.v = event.version_needed();
    event
}

fn line(event: &impl serde::Serialize) -> String {
    serde_json::to_string(event).unwrap() + "\n"
}

fn remark(index: usize, who: &str, change: RemarkChange, ts: u64) -> String {
    let (start, text) = sentence(A1, index);
    let remark = Remark {
        article: "a1".into(),
        start,
        end: start + text.len(),
        text: text.into(),
        annotator: who.into(),
        change,
    };
    line(&remark.event(ts))
}

/// Every kind of line a journal holds, by four annotators and a lead, with history
/// (superseded decisions), a clear, an ignore, scores, imported and adjudicated
/// decisions, a split and its withdrawal, flags and notes, and one line twice.
fn source_lines() -> Vec<String> {
    let (s2, t2) = sentence(A2, 2);
    let split = |kind, ts| {
        let change = BoundaryChange {
            article: "a2".into(),
            kind,
            start: s2,
            end: s2 + t2.len(),
            at: s2 + "Ministers met".len(),
            text: t2.into(),
            annotator: "alice".into(),
        };
        line(&change.event(ts))
    };
    let twice = line(&set("a2", 0, &["sanctions"], "bob", 1_000_011));
    vec![
        line(&set("a1", 0, &["diplomatic"], "alice", 1_000_001)),
        line(&set("a1", 0, &["sanctions"], "bob", 1_000_002)),
        line(&set(
            "a1",
            0,
            &["diplomatic", "military"],
            "alice",
            1_000_003,
        )),
        line(&with(set("a1", 1, &[], "alice", 1_000_004), |e| {
            e.op = Op::Clear
        })),
        line(&set("a1", 1, &[], "alice", 1_000_005)),
        line(&with(set("a1", 2, &[], "bob", 1_000_006), |e| {
            e.op = Op::Ignore
        })),
        line(&with(
            set("a1", 2, &["military"], "carol", 1_000_007),
            |e| {
                e.origin = Origin::Suggestion;
                e.scores = Some(Scores::new(
                    ["diplomatic", "sanctions", "military"],
                    &[0.1, 0.2, 0.9],
                ));
            },
        )),
        line(&with(
            set("a1", 0, &["diplomatic"], "lead", 1_000_008),
            |e| e.origin = Origin::Adjudicated,
        )),
        line(&with(
            set("a1", 3, &["diplomatic"], "dave", 1_000_009),
            |e| e.origin = Origin::Imported,
        )),
        split(Some(BoundaryKind::Split), 1_000_010),
        twice.clone(),
        twice,
        remark(1, "bob", RemarkChange::Flag, 1_000_012),
        remark(
            2,
            "alice",
            RemarkChange::Note("check \"this\"".into()),
            1_000_013,
        ),
        remark(
            0,
            "alice",
            RemarkChange::ArticleNote("wire copy".into()),
            1_000_014,
        ),
        remark(1, "bob", RemarkChange::Unflag, 1_000_015),
        remark(3, "bob", RemarkChange::Flag, 1_000_016),
        split(None, 1_000_017),
        split(Some(BoundaryKind::Split), 1_000_018),
        line(&set("a2", 1, &["military"], "alice", 1_000_019)),
        line(&set("a1", 3, &["sanctions"], "bob", 1_000_020)),
    ]
}

/// A home with the corpus, the source journal `src.jsonl` and its kept schema.
fn home_with_source() -> Home {
    let home = Home::new();
    let corpus = [("a1", A1), ("a2", A2)]
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect::<String>();
    home.write("news.jsonl", &corpus);
    home.write("src.jsonl", &source_lines().concat());
    home.write("src.schema.toml", SCHEMA);
    home
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "stance failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn copy(home: &Home, from: &str, to: &str) -> String {
    stderr(&ok(home.run(&["store", "copy", from, to])))
}

/// What every reading subcommand prints about the store `labels`: exports in every format
/// and resolve mode, stats and agreement as JSON, and the sentences after boundary
/// overrides. The store's own location, which `stats --json` names, is blanked.
fn outputs(home: &Home, labels: &str) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut run = |name: String, args: Vec<&str>| {
        let out = ok(home.run(&args));
        let text = String::from_utf8_lossy(&out.stdout)
            .replace(labels, "<store>")
            .replace(&stance::store::pg::masked(labels, None), "<store>");
        all.push((name, text));
    };
    for format in ["jsonl", "csv", "spacy", "prodigy", "doccano"] {
        for resolve in ["latest", "majority", "adjudicated"] {
            let args = vec![
                "export",
                "news.jsonl",
                "--labels",
                labels,
                "--format",
                format,
                "--resolve",
                resolve,
                "--include-ignored",
            ];
            run(format!("export {format} {resolve}"), args);
        }
    }
    run(
        "stats".into(),
        vec!["stats", "news.jsonl", "--labels", labels, "--json"],
    );
    run(
        "agree".into(),
        vec!["agree", "news.jsonl", "--labels", labels, "--json"],
    );
    run(
        "segment".into(),
        vec!["segment", "news.jsonl", "--labels", labels, "--json"],
    );
    all
}

fn assert_same_outputs(home: &Home, a: &str, b: &str) {
    let (left, right) = (outputs(home, a), outputs(home, b));
    for ((name, l), (_, r)) in left.iter().zip(&right) {
        assert!(
            !l.trim().is_empty() || name.contains("adjudicated"),
            "{name} of {a} is empty"
        );
        assert_eq!(l, r, "{name} differs between {a} and {b}");
    }
}

/// Each annotator's lines in order, parsed: what a copy must keep.
fn per_annotator(lines: &[String]) -> std::collections::BTreeMap<String, Vec<Value>> {
    let mut map = std::collections::BTreeMap::<String, Vec<Value>>::new();
    for text in lines {
        let value: Value = serde_json::from_str(text).unwrap();
        let who = value["annotator"].as_str().unwrap().to_owned();
        map.entry(who).or_default().push(value);
    }
    map
}

fn journal_lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.to_owned() + "\n")
        .collect()
}

fn folder_lines(folder: &Path) -> Vec<String> {
    let mut names: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    names.sort();
    names.iter().flat_map(|p| journal_lines(p)).collect()
}

#[test]
fn journal_to_folder_to_journal_keeps_every_line_and_every_output() {
    let home = home_with_source();
    let n = source_lines().len();
    let said = copy(&home, "src.jsonl", "team");
    assert!(
        said.contains(&format!("{n} events read, {n} added, 0 already there")),
        "{said}"
    );
    assert!(said.contains("the kept schema was copied"), "{said}");
    let again = copy(&home, "src.jsonl", "team");
    assert!(
        again.contains(&format!("0 added, {n} already there")),
        "{again}"
    );
    copy(&home, "team", "back.jsonl");
    let dir = home.dir.path();
    let source = source_lines();
    assert_eq!(
        per_annotator(&folder_lines(&dir.join("team"))),
        per_annotator(&source)
    );
    let back = journal_lines(&dir.join("back.jsonl"));
    assert_eq!(per_annotator(&back), per_annotator(&source));
    // The folder's journals interleaved by time give the source's order back.
    assert_eq!(back, source);
    assert_eq!(
        fs::read_to_string(dir.join("team.schema.toml")).unwrap(),
        SCHEMA
    );
    assert_eq!(
        fs::read_to_string(dir.join("back.schema.toml")).unwrap(),
        SCHEMA
    );
    assert_same_outputs(&home, "src.jsonl", "team");
    assert_same_outputs(&home, "src.jsonl", "back.jsonl");
}

#[test]
fn a_second_copy_adds_nothing_and_a_later_one_only_what_is_new() {
    let home = home_with_source();
    let dir = home.dir.path();
    let n = source_lines().len();
    copy(&home, "src.jsonl", "dst.jsonl");
    let first = fs::read(dir.join("dst.jsonl")).unwrap();
    let said = copy(&home, "src.jsonl", "dst.jsonl");
    assert!(
        said.contains(&format!("{n} events read, 0 added, {n} already there")),
        "{said}"
    );
    assert_eq!(fs::read(dir.join("dst.jsonl")).unwrap(), first);

    // The source grows by a new decision and by a third copy of a line it holds twice.
    let new = line(&set("a2", 2, &["diplomatic"], "erin", 1_000_030));
    let third = line(&set("a2", 0, &["sanctions"], "bob", 1_000_011));
    let mut grown = source_lines();
    grown.push(new.clone());
    grown.push(third.clone());
    home.write("src.jsonl", &grown.concat());
    let dry = stderr(&ok(home.run(&[
        "store",
        "copy",
        "src.jsonl",
        "dst.jsonl",
        "--dry-run",
    ])));
    assert!(dry.contains("2 would be added"), "{dry}");
    assert!(dry.contains("nothing was written"), "{dry}");
    assert_eq!(fs::read(dir.join("dst.jsonl")).unwrap(), first);

    let out = ok(home.run(&["store", "copy", "src.jsonl", "dst.jsonl", "--json"]));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["read"], n + 2);
    assert_eq!(summary["added"], 2);
    assert_eq!(summary["already"], n);
    assert_eq!(
        summary["added_per_annotator"],
        serde_json::json!({"bob": 1, "erin": 1})
    );
    assert_eq!(journal_lines(&dir.join("dst.jsonl")), grown);
    assert_same_outputs(&home, "src.jsonl", "dst.jsonl");
}

#[test]
fn a_target_with_other_events_keeps_them_and_gets_the_source_after_them() {
    let home = home_with_source();
    let dir = home.dir.path();
    let own = line(&set("a2", 2, &["military"], "erin", 5));
    home.write("dst.jsonl", &own);
    let said = copy(&home, "src.jsonl", "dst.jsonl");
    assert!(said.contains("0 already there"), "{said}");
    let mut want = vec![own];
    want.extend(source_lines());
    assert_eq!(journal_lines(&dir.join("dst.jsonl")), want);
}

#[test]
fn a_session_holding_the_target_refuses_the_copy_until_it_ends() {
    let home = home_with_source();
    let dir = home.dir.path();
    copy(&home, "src.jsonl", "team");
    let before = folder_lines(&dir.join("team"));
    let mut term = Terminal::spawn(
        &home,
        &[
            "annotate",
            "news.jsonl",
            "--labels",
            "team",
            "--annotator",
            "alice",
        ],
        100,
        30,
    );
    term.wait_for("sentence ");
    let mut grown = source_lines();
    grown.push(line(&set("a2", 2, &["diplomatic"], "alice", 1_000_040)));
    home.write("src.jsonl", &grown.concat());
    let out = home.run(&["store", "copy", "src.jsonl", "team"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("alice.jsonl is in use by"), "{said}");
    assert!(said.contains(&format!("{}", term.pid())), "{said}");
    assert_eq!(folder_lines(&dir.join("team")), before);
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let said = copy(&home, "src.jsonl", "team");
    assert!(said.contains("1 added"), "{said}");
}

#[test]
fn a_bad_source_line_is_named_and_nothing_is_written() {
    let home = home_with_source();
    let mut lines = source_lines();
    lines[2] = "{\"v\":1,\"op\":\"set\",\"oops\":true}\n".into();
    home.write("src.jsonl", &lines.concat());
    let out = home.run(&["store", "copy", "src.jsonl", "dst.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(said.contains("src.jsonl line 3"), "{said}");
    assert!(!home.dir.path().join("dst.jsonl").exists());
}

#[test]
fn a_copy_onto_itself_is_refused() {
    let home = home_with_source();
    copy(&home, "src.jsonl", "team");
    for (from, to) in [
        ("src.jsonl", "src.jsonl"),
        ("team", "team/alice.jsonl"),
        ("team/bob.jsonl", "team"),
    ] {
        let out = home.run(&["store", "copy", from, to]);
        assert_eq!(out.status.code(), Some(1), "{from} -> {to}");
        assert!(
            stderr(&out).contains("a copy onto itself is refused"),
            "{}",
            stderr(&out)
        );
    }
}

/// Waits (generously) until `done` holds.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `stance store copy FROM TO` paused half-way (a debug build's fault point).
fn paused_copy(home: &Home, from: &str, to: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["store", "copy", from, to])
        .current_dir(home.dir.path())
        .env("STANCE_DATA_DIR", home.data_dir())
        .env("STANCE_TEST_FAULT", "store-copy:pause")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run stance")
}

#[test]
fn a_copy_killed_half_way_leaves_the_journal_as_it_was() {
    let home = home_with_source();
    let dir = home.dir.path().to_owned();
    let own = line(&set("a2", 2, &["military"], "erin", 5));
    home.write("dst.jsonl", &own);
    let mut child = paused_copy(&home, "src.jsonl", "dst.jsonl");
    let temporary = || {
        fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.starts_with(".dst.jsonl.") && fs::metadata(p).is_ok_and(|m| m.len() > 0)
            })
    };
    wait_until("the half-written copy", || temporary().is_some());
    child.kill().expect("SIGKILL the copy");
    child.wait().unwrap();
    assert_eq!(fs::read_to_string(dir.join("dst.jsonl")).unwrap(), own);
    // The next copy finishes the job, past the lock the killed one held.
    copy(&home, "src.jsonl", "dst.jsonl");
    let mut want = vec![own];
    want.extend(source_lines());
    assert_eq!(journal_lines(&dir.join("dst.jsonl")), want);
    assert_eq!(
        temporary(),
        None,
        "the killed copy's temporary file was left"
    );
}

// ---- PostgreSQL ----

fn pg_target(test: &str) -> Option<(support::Server, String, String)> {
    let server = support::server()?;
    let store = support::fresh_store(test);
    let url = support::with_store(&server.writer, &store);
    Some((server, store, url))
}

#[test]
fn journal_to_postgresql_to_journal_keeps_every_line_and_every_output() {
    let Some((server, store, url)) = pg_target("copy_round_trip") else {
        return;
    };
    let home = home_with_source();
    let n = source_lines().len();
    let said = copy(&home, "src.jsonl", &url);
    assert!(
        said.contains(&format!("{n} events read, {n} added")),
        "{said}"
    );
    assert!(!said.contains("writer-pw"), "a password was shown: {said}");
    assert_eq!(support::count_events(&server, &store), n as i64);
    let said = copy(&home, "src.jsonl", &url);
    assert!(
        said.contains(&format!("0 added, {n} already there")),
        "{said}"
    );
    assert_eq!(support::count_events(&server, &store), n as i64);

    copy(&home, &url, "back.jsonl");
    assert_eq!(
        journal_lines(&home.dir.path().join("back.jsonl")),
        source_lines()
    );
    // PostgreSQL to PostgreSQL, into another store of the same database.
    let other = support::fresh_store("copy_pg_pg");
    let url2 = support::with_store(&server.writer, &other);
    copy(&home, &url, &url2);
    assert_eq!(support::count_events(&server, &other), n as i64);
    let out = home.run(&["store", "copy", &url, &url]);
    assert!(
        stderr(&out).contains("a copy onto itself is refused"),
        "{}",
        stderr(&out)
    );

    assert_same_outputs(&home, "src.jsonl", &url);
    assert_same_outputs(&home, "src.jsonl", &url2);
    assert_same_outputs(&home, "src.jsonl", "back.jsonl");
}

#[test]
fn postgresql_copies_only_what_is_new_and_a_killed_one_writes_nothing() {
    let Some((server, store, url)) = pg_target("copy_incremental") else {
        return;
    };
    let home = home_with_source();
    let n = source_lines().len();
    let mut child = paused_copy(&home, "src.jsonl", &url);
    let name = format!("stance store copy pid {}", child.id());
    wait_until("the copy's open transaction", || {
        let mut client = postgres::Client::connect(&server.admin, postgres::NoTls).unwrap();
        client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 \
                 AND state = 'idle in transaction'",
                &[&name],
            )
            .unwrap()
            .get::<_, i64>(0)
            == 1
    });
    child.kill().expect("SIGKILL the copy");
    child.wait().unwrap();
    assert_eq!(support::count_events(&server, &store), 0);

    copy(&home, "src.jsonl", &url);
    let mut grown = source_lines();
    grown.push(line(&set("a2", 2, &["diplomatic"], "erin", 1_000_030)));
    grown.push(line(&set("a2", 0, &["sanctions"], "bob", 1_000_011)));
    home.write("src.jsonl", &grown.concat());
    let said = copy(&home, "src.jsonl", &url);
    assert!(
        said.contains(&format!("2 added, {n} already there")),
        "{said}"
    );
    assert_eq!(support::count_events(&server, &store), n as i64 + 2);
    copy(&home, &url, "back.jsonl");
    assert_eq!(journal_lines(&home.dir.path().join("back.jsonl")), grown);
}

#[test]
fn a_postgresql_session_holding_an_annotator_refuses_the_copy() {
    let Some((server, store, url)) = pg_target("copy_held") else {
        return;
    };
    let home = home_with_source();
    let mut term = Terminal::spawn(
        &home,
        &[
            "annotate",
            "news.jsonl",
            "--labels",
            &url,
            "--annotator",
            "bob",
        ],
        100,
        30,
    );
    term.wait_for("sentence 1/");
    let out = home.run(&["store", "copy", "src.jsonl", &url]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("is in use by the session stance bob"),
        "{said}"
    );
    assert!(!said.contains("writer-pw"), "{said}");
    assert_eq!(support::count_events(&server, &store), 0);
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    copy(&home, "src.jsonl", &url);
    assert_eq!(
        support::count_events(&server, &store),
        source_lines().len() as i64
    );
}

#[test]
fn torn_last_lines_are_not_events_and_the_target_s_is_kept_aside() {
    let home = home_with_source();
    let dir = home.dir.path();
    let torn = "{\"v\":1,\"op\":\"set\",\"article\":\"a1\",\"sta";
    home.write("src.jsonl", &(source_lines().concat() + torn));
    let own = line(&set("a2", 2, &["military"], "erin", 5));
    home.write("dst.jsonl", &(own.clone() + torn));
    let said = copy(&home, "src.jsonl", "dst.jsonl");
    assert!(
        said.contains("ends in a line cut short by a crash"),
        "{said}"
    );
    let n = source_lines().len();
    assert!(
        said.contains(&format!("{n} events read, {n} added")),
        "{said}"
    );
    let mut want = vec![own];
    want.extend(source_lines());
    assert_eq!(journal_lines(&dir.join("dst.jsonl")), want);
    let kept: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("dst.jsonl.torn-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(fs::read_to_string(dir.join(&kept[0])).unwrap(), torn);
}

#[test]
fn a_bad_postgresql_row_is_named_with_the_address_masked() {
    let Some((server, store, url)) = pg_target("copy_bad_row") else {
        return;
    };
    let home = home_with_source();
    copy(&home, "src.jsonl", &url);
    support::admin_sql(
        &server,
        "stance",
        &format!(
            "INSERT INTO stance_events (store, annotator, article, uid, line) \
             VALUES ('{store}', 'zed', 'a1', 'bad-1', '{{\"v\":1,\"op\":\"nope\"}}')"
        ),
    );
    let out = home.run(&["store", "copy", &url, "back.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("stance_writer:***@"), "{said}");
    assert!(!said.contains("writer-pw"), "{said}");
    assert!(said.contains(": event "), "{said}");
    assert!(!home.dir.path().join("back.jsonl").exists());
    let out = home.run(&[
        "store",
        "copy",
        "postgresql://ana:pw@127.0.0.1:1/db",
        "x.jsonl",
    ]);
    let said = stderr(&out);
    assert!(said.contains("no store named (add ?store=NAME)"), "{said}");
    assert!(!said.contains(":pw@"), "{said}");
}
