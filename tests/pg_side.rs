//! What a journal keeps beside itself lives in the database for a PostgreSQL store: the
//! kept schema (with the same `--schema` / `--schema-change` rules) and each annotator's
//! position, so a second machine (here: a second home, with its own data folder) finds
//! both; a database of stance tables version 1 is migrated.

use crate::common;
use crate::pg_support as support;

use common::pty::{Home, Terminal};
use stance::store::{Decision, Origin, PgStore, Store};
use support::{admin_sql, fresh_store, server, with_db, with_store};

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed."}"#,
    "\n",
    r#"{"id": "a2", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

const SCHEMA: &str = r#"exclusive = false

[[labels]]
name = "talks"
key = "1"

[[labels]]
name = "threats"
key = "2"
"#;

/// The schema above without "threats".
const NARROWER: &str = r#"exclusive = false

[[labels]]
name = "talks"
key = "1"
"#;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_second_machine_gets_the_kept_schema_and_its_own_position_from_the_server() {
    let Some(server) = server() else { return };
    let store = fresh_store("side");
    let address = with_store(&server.writer, &store);
    let first = Home::new();
    first.write("news.jsonl", CORPUS);
    first.write("schema.toml", SCHEMA);
    let mut term = Terminal::spawn(
        &first,
        &[
            "annotate",
            "news.jsonl",
            "--labels",
            &address,
            "--schema",
            "schema.toml",
        ],
        120,
        30,
    );
    term.wait_for("sentence 1/2");
    term.send("2");
    term.wait_for("saved: threats");
    // Into the second article and its second sentence: the position to come back to.
    term.send("jjj");
    term.wait_until("the second article", |s| {
        s.contains("article 2/2") && s.contains("sentence 2/2")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    assert!(
        !first.data_dir().join("postgresql").exists(),
        "nothing kept in the data folder for a PostgreSQL store"
    );

    let second = Home::new();
    second.write("news.jsonl", CORPUS);
    second.write("narrow.toml", NARROWER);
    // The kept schema comes from the server: its labels head the export.
    let out = second.run(&[
        "export",
        "news.jsonl",
        "--labels",
        &address,
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("threats") && csv.contains("talks"), "{csv}");
    // A --schema that lacks a label of the kept one is refused, naming it.
    let out = second.run(&[
        "export",
        "news.jsonl",
        "--labels",
        &address,
        "--format",
        "csv",
        "--schema",
        "narrow.toml",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("\"threats\"") && err.contains("--schema-change"),
        "{err}"
    );
    assert!(!err.contains("writer-pw"), "{err}");

    // The same annotator on the second machine starts where they left off, with the
    // kept schema's keys.
    let mut term = Terminal::spawn(
        &second,
        &["annotate", "news.jsonl", "--labels", &address],
        120,
        30,
    );
    term.wait_until("the position kept on the server", |s| {
        s.contains("article 2/2") && s.contains("sentence 2/2") && s.contains("threats")
    });
    term.send("q");
    assert_eq!(term.wait_exit(), 0);

    // Accepted with --schema-change, the narrower schema is kept on the server from then on.
    let mut term = Terminal::spawn(
        &second,
        &[
            "annotate",
            "news.jsonl",
            "--labels",
            &address,
            "--schema",
            "narrow.toml",
            "--schema-change",
        ],
        120,
        30,
    );
    term.wait_for("article 2/2");
    term.send("1");
    term.wait_for("saved: talks");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let mut admin =
        postgres::Client::connect(&with_db(&server.admin, "stance"), postgres::NoTls).unwrap();
    let kept: String = admin
        .query_one(
            "SELECT schema_toml FROM stance_schemas WHERE store = $1",
            &[&store],
        )
        .unwrap()
        .get(0);
    assert_eq!(kept, NARROWER);
}

#[test]
fn a_database_with_version_1_tables_is_migrated_and_keeps_its_events() {
    let Some(server) = server() else { return };
    let db = fresh_store("v1");
    admin_sql(
        &server,
        "postgres",
        &format!("CREATE DATABASE {db} OWNER stance_writer"),
    );
    let address = with_store(&with_db(&server.writer, &db), "news");
    // The tables as a stance that knew only version 1 left them, with a decision in them.
    let mut client =
        postgres::Client::connect(&with_db(&server.writer, &db), postgres::NoTls).unwrap();
    stance::store::pg::tables::migrate_to(&mut client, 1, 0)
        .unwrap()
        .unwrap();
    let version =
        |client: &mut postgres::Client| stance::store::pg::tables::version(client).unwrap();
    assert_eq!(version(&mut client), 1);
    client
        .execute(
            "INSERT INTO stance_events (store, annotator, article, uid, line) \
             VALUES ('news', 'ana', 'a1', 'old-1', $1)",
            &[&stance::store::pg::encode(
                &Decision {
                    article: "a1".into(),
                    start: 0,
                    end: 32,
                    text: "Envoys met in Geneva on Tuesday.".into(),
                    labels: Some(vec!["diplomatic".into()]),
                    origin: Origin::Typed,
                    annotator: "ana".into(),
                    scores: None,
                }
                .event(1),
            )],
        )
        .unwrap();
    // A reader neither migrates nor fails on it: no schema, no positions kept yet.
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let out = home.run(&[
        "export",
        "news.jsonl",
        "--labels",
        &address,
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Envoys met"));
    assert_eq!(version(&mut client), 1);

    // The first writer migrates, in one step, keeping the events.
    let mut ana = PgStore::open_as(&address, "ana").unwrap();
    assert_eq!(version(&mut client), 2);
    assert_eq!(ana.annotations().count(), 1);
    ana.append(&Decision {
        article: "a2".into(),
        start: 0,
        end: 19,
        text: "Tariffs rose again.".into(),
        labels: Some(vec!["sanctions".into()]),
        origin: Origin::Typed,
        annotator: "ana".into(),
        scores: None,
    })
    .unwrap();
    drop(ana);
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE tablename IN ('stance_schemas', 'stance_positions')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 2);
    let applied: Vec<i32> = client
        .query(
            "SELECT version FROM stance_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(applied, [1, 2]);
    drop(client);
    admin_sql(
        &server,
        "postgres",
        &format!("DROP DATABASE {db} WITH (FORCE)"),
    );
}
