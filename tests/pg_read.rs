//! Opening a PostgreSQL store reads its rows as a journal reads its lines: the same lines in
//! a journal file and in the database give the same annotations in the same order, the
//! same boundary overrides and the same flags and notes; a bad row is named by its
//! sequence number, the oldest one when there are several.

use crate::pg_support as support;

use stance::store::pg::{Row, encode};
use stance::store::{
    BoundaryChange, BoundaryKind, Event, LabelStore, Op, Origin, PgStore, Remark, RemarkChange,
    Store,
};
use support::{fresh_store, server, with_store};

/// Journal lines of every kind: sentences set, set again, cleared, ignored and set after a
/// clear, by two annotators, with boundary overrides and flags and notes among them.
fn lines() -> Vec<(String, String, String)> {
    lines_of(3)
}

/// [`lines`] over `rounds` rounds: each round sets every sentence again.
fn lines_of(rounds: usize) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut ts = 1_700_000_000_000;
    let mut push = |annotator: &str, article: &str, line: String| {
        out.push((annotator.to_owned(), article.to_owned(), line));
    };
    for round in 0..rounds {
        for a in 0..40 {
            let article = format!("art-{a}");
            for s in 0..6 {
                ts += 1;
                let text = format!("Sentence {s} of article {a} says \"more\" in Zürich.");
                let who = ["ana", "ben"][(a + s) % 2];
                let mut event = Event::set(
                    &article,
                    s * 60,
                    &text,
                    [["diplomatic", "sanctions", "military"][(round + s) % 3]],
                    who,
                    ts,
                );
                match (round + a + s) % 7 {
                    0 => {
                        event.op = Op::Clear;
                        event.labels.clear();
                    }
                    1 => {
                        event.op = Op::Ignore;
                        event.labels.clear();
                    }
                    2 => event.origin = Origin::Imported,
                    _ => {}
                }
                event.v = event.version_needed();
                push(who, &article, encode(&event));
            }
            if a % 9 == round % 9 {
                let text = format!("Sentence 0 of article {a} says \"more\" in Zürich.");
                let change = BoundaryChange {
                    article: article.clone(),
                    kind: Some([BoundaryKind::Split, BoundaryKind::Merge][round % 2]),
                    start: 0,
                    end: text.len(),
                    at: 9,
                    text: text.clone(),
                    annotator: "ana".into(),
                };
                push("ana", &article, encode(&change.event(ts)));
                let remark = Remark {
                    article: article.clone(),
                    start: 0,
                    end: text.len(),
                    text,
                    annotator: "ben".into(),
                    change: [
                        RemarkChange::Flag,
                        RemarkChange::Note(format!("round {round}")),
                        RemarkChange::Unflag,
                    ][round % 3]
                        .clone(),
                };
                push("ben", &article, encode(&remark.event(ts)));
            }
        }
    }
    out
}

/// Inserts `lines` into a fresh store of the test server; returns its address.
fn fill(server: &support::Server, test: &str, lines: &[(String, String, String)]) -> String {
    fill_store(server, &fresh_store(test), lines)
}

/// Inserts `lines` into the store named `store` (as spelt in an address); returns its address.
fn fill_store(server: &support::Server, store: &str, lines: &[(String, String, String)]) -> String {
    let address = with_store(&server.writer, store);
    let mut loader = PgStore::open_as(&address, "loader").expect("the loader opens the store");
    let rows: Vec<Row> = lines
        .iter()
        .enumerate()
        .map(|(i, (who, article, line))| {
            (
                format!("row-{i}"),
                who.clone(),
                article.clone(),
                line.clone(),
            )
        })
        .collect();
    // In a few transactions, as sessions write.
    for chunk in rows.chunks(100) {
        loader.insert(chunk.to_vec()).expect("the rows are saved");
    }
    address
}

#[test]
fn a_store_opens_with_what_the_same_lines_give_as_a_journal_in_the_same_order() {
    let Some(server) = server() else { return };
    same_as_the_journal(&server, "read_same", &lines());
}

/// More than 4 MiB of rows: the streamed read holds many batches, replayed in order.
#[test]
fn a_store_of_many_chunks_opens_as_the_same_journal() {
    let Some(server) = server() else { return };
    let lines = lines_of(100);
    assert!(bytes(&lines) > 4 << 20, "the lines are more than 4 MiB");
    same_as_the_journal(&server, "read_chunks", &lines);
}

fn same_as_the_journal(server: &support::Server, test: &str, lines: &[(String, String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("labels.jsonl");
    let text: String = lines.iter().map(|(_, _, l)| format!("{l}\n")).collect();
    std::fs::write(&journal, text).unwrap();
    let address = fill(server, test, lines);

    let file = LabelStore::open_read_only(&journal).expect("the journal opens");
    for opened in [
        PgStore::open_read_only(&address).expect("the store opens"),
        PgStore::open_as(&address, "ana").expect("the store opens for ana"),
    ] {
        let from_pg: Vec<Event> = opened.annotations_iter().map(|a| a.to_event()).collect();
        let from_file: Vec<Event> = file.annotations().map(|a| a.to_event()).collect();
        assert!(from_file.len() > 100, "the lines leave annotations");
        assert_eq!(from_pg, from_file);
        assert!(from_pg.iter().any(|e| e.op == Op::Ignore));
        assert!(!opened.boundaries().is_empty());
        assert_eq!(opened.boundaries(), file.boundaries());
        assert!(!opened.remarks().is_empty());
        assert_eq!(opened.remarks(), file.remarks());
        assert!(opened.last_seq() > 0, "the rows were read");
    }
}

/// The rows are asked for by the store's name spelt as a literal: a quote or a backslash in
/// it selects that store's rows, not another's, and not an error.
#[test]
fn a_store_named_with_a_quote_and_a_backslash_opens_with_its_own_rows() {
    let Some(server) = server() else { return };
    let plain = fresh_store("read_quote");
    // `o'k\` and a letter beyond ASCII, after the plain name.
    let odd = format!("{plain}o%27k%5C%C3%A9");
    let lines = lines();
    fill_store(&server, &plain, &lines[..lines.len() / 2]);
    let address = fill_store(&server, &odd, &lines);
    let opened = PgStore::open_read_only(&address).expect("the store opens");
    assert_annotations_as_journal(&opened, &lines);
}

/// The rows come over a connection of the read's own; a role that may hold only one
/// connection at a time opens its stores all the same, the rows coming over the session's.
#[test]
fn a_role_limited_to_one_connection_opens_the_store_as_the_journal() {
    let Some(server) = server() else { return };
    let lines = lines();
    let written = fill(&server, "read_one_connection", &lines);
    let role = fresh_store("one");
    support::admin_sql(
        &server,
        "stance",
        &format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'one-pw' CONNECTION LIMIT 1; \
             GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"
        ),
    );
    let (_, at) = written.split_once('@').expect("an address with a host");
    let address = format!("postgresql://{role}:one-pw@{at}");
    let opened = PgStore::open_read_only(&address).expect("the store opens");
    // The store's session holds the role's one connection: no other is let in meanwhile.
    let second = postgres::Client::connect(address.split_once('?').unwrap().0, postgres::NoTls);
    let refused = second.err().expect("a second connection is refused");
    let refused = refused.as_db_error().map(|e| e.message().to_owned());
    let refused = refused.unwrap_or_default();
    assert!(refused.contains("too many connections"), "{refused}");
    let file = assert_annotations_as_journal(&opened, &lines);
    assert_eq!(opened.remarks(), file.remarks());
}

/// Asserts that `opened` holds the annotations the same `lines` give as a journal; the
/// journal, for further comparisons.
fn assert_annotations_as_journal(
    opened: &PgStore,
    lines: &[(String, String, String)],
) -> LabelStore {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("labels.jsonl");
    let text: String = lines.iter().map(|(_, _, l)| format!("{l}\n")).collect();
    std::fs::write(&journal, text).unwrap();
    let file = LabelStore::open_read_only(&journal).expect("the journal opens");
    let from_pg: Vec<Event> = opened.annotations_iter().map(|a| a.to_event()).collect();
    let from_file: Vec<Event> = file.annotations().map(|a| a.to_event()).collect();
    assert!(from_file.len() > 100, "the lines leave annotations");
    assert_eq!(from_pg, from_file);
    file
}

/// Bytes of the lines, to make sure a store is bigger than one batch of the streamed read.
fn bytes(lines: &[(String, String, String)]) -> usize {
    lines.iter().map(|(_, _, l)| l.len()).sum()
}

#[test]
fn a_bad_row_is_named_by_its_sequence_number_the_oldest_first() {
    let Some(server) = server() else { return };
    let mut lines = lines();
    lines.truncate(50);
    oldest_bad_row_named(&server, "read_bad", lines, [20, 35]);
}

/// The oldest bad row is read last, many rows after the newest bad one.
#[test]
fn a_bad_row_in_a_store_of_many_chunks_is_named_the_oldest_first() {
    let Some(server) = server() else { return };
    let lines = lines_of(100);
    assert!(bytes(&lines) > 4 << 20, "the lines are more than 4 MiB");
    let last = lines.len() - 10;
    oldest_bad_row_named(&server, "read_bad_chunks", lines, [10, last]);
}

/// Inserts a line that is not JSON at `bad[0]` and one of an unknown version at `bad[1]`;
/// the store's error names the first, only.
fn oldest_bad_row_named(
    server: &support::Server,
    test: &str,
    mut lines: Vec<(String, String, String)>,
    bad: [usize; 2],
) {
    let good = lines[0].clone();
    lines.insert(
        bad[0],
        (
            "ana".into(),
            "art-0".into(),
            "{\"v\":1,\"op\":\"set\"".into(),
        ),
    );
    lines.insert(
        bad[1],
        (good.0, good.1, good.2.replace("\"v\":1", "\"v\":99")),
    );
    let address = fill(server, test, &lines);
    let mut admin =
        postgres::Client::connect(&support::with_db(&server.admin, "stance"), postgres::NoTls)
            .unwrap();
    let store = address.rsplit_once("store=").unwrap().1;
    let uids = [format!("row-{}", bad[0]), format!("row-{}", bad[1])];
    let seqs: Vec<i64> = admin
        .query(
            "SELECT seq FROM stance_events WHERE store = $1 AND uid = ANY($2) ORDER BY seq",
            &[&store, &uids.to_vec()],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(seqs.len(), 2);
    let err = PgStore::open_read_only(&address)
        .expect_err("a bad row is an error")
        .to_string();
    assert!(err.contains(&format!("event {}: ", seqs[0])), "{err}");
    assert!(!err.contains(&format!("event {}", seqs[1])), "{err}");
    assert!(err.contains("not a journal event"), "{err}");
    assert!(!err.contains("writer-pw"), "{err}");
}
