//! The PostgreSQL store against a real server: the same session on a journal and on
//! PostgreSQL gives byte-identical exports; credentials, refusals and the read-only role.

use crate::common;
use crate::pg_support as support;

use common::pty::{Home, Terminal};
use stance::store::{Decision, Origin, PgStore, Store, StoreError};
use support::{admin_sql, count_events, fresh_store, server, with_db, with_store};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(out: std::process::Output) -> std::process::Output {
    assert!(
        out.status.success(),
        "stance failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Annotates four sentences as alice in a pseudo-terminal on `labels`.
fn annotate(home: &Home, labels: &str) {
    let mut term = Terminal::spawn(
        home,
        &["annotate", "news.jsonl", "--labels", labels],
        100,
        30,
    );
    term.wait_for("sentence 1/3");
    term.send("13");
    term.wait_until("both labels saved", |s| {
        s.contains("this sentence: diplomatic, military") && s.contains("saved")
    });
    term.send("j0");
    term.wait_for("sentence 3/3");
    term.send("2");
    term.wait_until("sanctions saved", |s| {
        s.contains("this sentence: sanctions") && s.contains("saved") && !s.contains("saving")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
}

/// Every reading subcommand's output on `labels`, after annotating, importing as bob.
fn scenario(home: &Home, labels: &str) -> Vec<String> {
    annotate(home, labels);
    let export = |format: &str| {
        text(&ok(home.run(&[
            "export",
            "news.jsonl",
            "--labels",
            labels,
            "--format",
            format,
        ])))
    };
    let jsonl = export("jsonl");
    home.write("alice.jsonl", &jsonl);
    ok(home.run(&[
        "import",
        "news.jsonl",
        "--labels",
        labels,
        "--from",
        "alice.jsonl",
        "--format",
        "jsonl",
        "--annotator",
        "bob",
    ]));
    let mut outputs = vec![jsonl, export("csv"), export("spacy"), export("prodigy")];
    let agree = ok(home.run(&["agree", "news.jsonl", "--labels", labels]));
    outputs.push(text(&agree));
    let stats = ok(home.run(&["stats", "news.jsonl", "--labels", labels, "--json"]));
    let mut stats: serde_json::Value = serde_json::from_slice(&stats.stdout).expect("json");
    stats.as_object_mut().map(|o| o.remove("store"));
    outputs.push(stats.to_string());
    outputs
}

#[test]
fn the_same_session_on_a_journal_and_on_postgresql_exports_byte_for_byte_the_same() {
    let Some(server) = server() else { return };
    let journal_home = Home::new();
    journal_home.write("news.jsonl", CORPUS);
    let pg_home = Home::new();
    pg_home.write("news.jsonl", CORPUS);
    let on_journal = scenario(&journal_home, &journal_home.labels().display().to_string());
    let address = with_store(&server.writer, &fresh_store("same"));
    let on_pg = scenario(&pg_home, &address);
    assert!(
        on_journal[0].contains("\"diplomatic\",\"military\""),
        "{}",
        on_journal[0]
    );
    for (journal, pg) in on_journal.iter().zip(&on_pg) {
        assert_eq!(journal, pg);
    }
}

#[test]
fn stance_labels_in_the_environment_names_the_store_and_the_flag_wins() {
    let Some(server) = server() else { return };
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let store = fresh_store("env");
    let mut session = PgStore::open_as(&with_store(&server.writer, &store), "ana").unwrap();
    session
        .append(&decision(
            "a1",
            0,
            "Envoys met in Geneva on Tuesday.",
            "ana",
        ))
        .unwrap();
    let stats = |labels: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_stance"));
        cmd.args(["stats", "news.jsonl", "--json"])
            .current_dir(home.dir.path())
            .env("STANCE_DATA_DIR", home.data_dir())
            .env("STANCE_LABELS", with_store(&server.writer, &store));
        if let Some(labels) = labels {
            cmd.args(["--labels", labels]);
        }
        let out = ok(cmd.output().unwrap());
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let from_env = stats(None);
    assert_eq!(from_env["annotated"], 1, "{from_env}");
    let shown = from_env["store"].as_str().unwrap();
    assert!(
        !shown.contains("writer-pw") && shown.contains("***"),
        "{shown}"
    );
    let journal = home.labels().display().to_string();
    assert_eq!(stats(Some(&journal))["annotated"], 0);
}

fn decision(article: &str, start: usize, text: &str, annotator: &str) -> Decision {
    Decision {
        article: article.into(),
        start,
        end: start + text.len(),
        text: text.into(),
        labels: Some(vec!["diplomatic".into()]),
        origin: Origin::Typed,
        annotator: annotator.into(),
        scores: None,
    }
}

#[test]
fn a_wrong_password_or_an_unknown_host_is_one_clear_line_without_the_password() {
    let Some(server) = server() else { return };
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let wrong = server.writer.replacen("writer-pw", "not-the-pw", 1);
    let unknown = "postgresql://ana:hush-hush@no-such-host.invalid:5432/stance";
    for (address, says) in [
        (wrong.as_str(), "password"),
        (unknown, "no-such-host.invalid"),
    ] {
        let out = home.run(&[
            "export",
            "news.jsonl",
            "--labels",
            address,
            "--format",
            "csv",
        ]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(says), "{err}");
        assert!(
            !err.contains("not-the-pw") && !err.contains("hush-hush"),
            "{err}"
        );
        assert!(err.contains("***"), "{err}");
    }
}

#[test]
fn a_database_with_newer_stance_tables_is_refused() {
    let Some(server) = server() else { return };
    let db = fresh_store("newer");
    admin_sql(
        &server,
        "postgres",
        &format!("CREATE DATABASE {db} OWNER stance_writer"),
    );
    admin_sql(
        &server,
        &db,
        "CREATE TABLE stance_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL);
         INSERT INTO stance_migrations VALUES (1, 0), (99, 0);
         ALTER TABLE stance_migrations OWNER TO stance_writer;",
    );
    let address = with_store(&with_db(&server.writer, &db), "x");
    for err in [
        PgStore::open_as(&address, "ana").unwrap_err(),
        PgStore::open_read_only(&address).unwrap_err(),
    ] {
        let message = err.to_string();
        assert!(
            message.contains("version 99, newer than this stance"),
            "{message}"
        );
    }
    admin_sql(&server, "postgres", &format!("DROP DATABASE {db}"));
}

#[test]
fn the_same_annotator_twice_is_refused_naming_the_other_session() {
    let Some(server) = server() else { return };
    let address = with_store(&server.writer, &fresh_store("twice"));
    let first = PgStore::open_as(&address, "ana").unwrap();
    match PgStore::open_as(&address, "ana") {
        Err(StoreError::Held { holder, .. }) => {
            assert!(
                holder.contains(&format!("pid {}", std::process::id())),
                "{holder}"
            );
            assert!(holder.contains("stance ana on"), "{holder}");
        }
        other => panic!("a second session of ana was not refused: {other:?}"),
    }
    // Another annotator is welcome; once the first session is gone, ana is too.
    let _bob = PgStore::open_as(&address, "bob").unwrap();
    drop(first);
    PgStore::open_as(&address, "ana").expect("the lock went with the connection");
}

#[test]
fn others_decisions_arrive_in_a_running_session() {
    let Some(server) = server() else { return };
    let address = with_store(&server.writer, &fresh_store("arrive"));
    let mut ana = PgStore::open_as(&address, "ana").unwrap();
    let mut bob = PgStore::open_as(&address, "bob").unwrap();
    ana.append(&decision(
        "a1",
        0,
        "Envoys met in Geneva on Tuesday.",
        "ana",
    ))
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut got = Vec::new();
    while got.is_empty() && std::time::Instant::now() < deadline {
        got = bob.arrivals().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(got.len(), 1, "bob never saw ana's decision");
    assert_eq!(
        (got[0].annotator.as_str(), got[0].article.as_str()),
        ("ana", "a1")
    );
    assert_eq!(bob.annotations().count(), 1);
    // Her own decision is no news to ana.
    assert!(ana.arrivals().unwrap().is_empty());
}

#[test]
fn a_row_sent_twice_with_its_unique_id_is_written_once() {
    let Some(server) = server() else { return };
    let store = fresh_store("once");
    let mut ana = PgStore::open_as(&with_store(&server.writer, &store), "ana").unwrap();
    let line = stance::store::pg::encode(&decision("a1", 0, "Envoys met.", "ana").event(5));
    let row = (
        format!("{store}-1"),
        "ana".to_owned(),
        "a1".to_owned(),
        line,
    );
    assert_eq!(ana.insert(vec![row.clone()]).unwrap(), 1);
    assert_eq!(ana.insert(vec![row]).unwrap(), 0);
    assert_eq!(count_events(&server, &store), 1);
}

#[test]
fn a_read_only_role_exports_and_its_session_says_it_cannot_save() {
    let Some(server) = server() else { return };
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let store = fresh_store("reader");
    let mut ana = PgStore::open_as(&with_store(&server.writer, &store), "ana").unwrap();
    ana.append(&decision(
        "a1",
        0,
        "Envoys met in Geneva on Tuesday.",
        "ana",
    ))
    .unwrap();
    admin_sql(
        &server,
        "stance",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO stance_reader",
    );
    let reader = with_store(&server.reader, &store);
    let out = ok(home.run(&[
        "export",
        "news.jsonl",
        "--labels",
        &reader,
        "--format",
        "csv",
    ]));
    assert!(
        text(&out).contains("Envoys met in Geneva"),
        "{}",
        text(&out)
    );
    let mut term = Terminal::spawn(
        &home,
        &["annotate", "news.jsonl", "--labels", &reader],
        300,
        30,
    );
    term.wait_for("this role may not write stance's tables");
    term.send("2");
    term.wait_for("NOT SAVED");
    term.send("q");
    term.wait_until("quit asks first", |s| {
        s.to_lowercase().contains("not saved")
    });
    drop(term);
    assert_eq!(count_events(&server, &store), 1);
}
