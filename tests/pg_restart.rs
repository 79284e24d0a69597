//! The PostgreSQL server stopped and started under running sessions: a decision made while
//! it is down is refused (it stays NOT SAVED on screen), lands once when sent again after
//! the server is back (by the session itself, with no key pressed), and nothing is lost or
//! doubled. A binary of its own: stopping the server would disturb the other PostgreSQL
//! tests running beside it; its tests take turns for the same reason.

mod common;
#[path = "pg/support.rs"]
mod support;

use std::sync::{Mutex, MutexGuard, PoisonError};

use common::pty::{Home, Terminal};
use stance::store::{Decision, Origin, PgStore, Store, StoreError};
use support::{Server, count_events, ctl, fresh_store, server, with_store};

/// Held by the test that stops the server, so no other test of this binary sees it down.
fn server_to_myself() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Starts the server again when the test ends, passed or failed, so the next one finds it.
struct Restart<'a>(&'a Server);

impl Drop for Restart<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new(&self.0.ctl)
            .args([&self.0.dir, "start"])
            .status();
    }
}

fn decision(i: usize) -> Decision {
    let text = format!("Sentence {i}.");
    Decision {
        article: "a1".into(),
        start: i * 100,
        end: i * 100 + text.len(),
        text,
        labels: Some(vec!["military".into()]),
        origin: Origin::Typed,
        annotator: "ana".into(),
        scores: None,
    }
}

#[test]
fn a_server_restart_mid_session_loses_and_doubles_nothing() {
    let Some(server) = server() else { return };
    let _turn = server_to_myself();
    let store = fresh_store("restart");
    let address = with_store(&server.writer, &store);
    let mut ana = PgStore::open_as(&address, "ana").unwrap();
    let mut bob = PgStore::open_as(&address, "bob").unwrap();
    ana.append(&decision(0)).unwrap();

    ctl(&server, "stop");
    let refused = ana.append(&decision(1));
    ctl(&server, "start");
    let err = refused.expect_err("nothing is saved while the server is down");
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    assert!(
        err.retry_later(),
        "a lost connection is worth sending again: {err}"
    );
    assert!(!err.to_string().contains("writer-pw"), "{err}");

    // Sent again in order once the server is back: the session connects again by itself.
    ana.append(&decision(1)).unwrap();
    ana.append(&decision(2)).unwrap();
    assert_eq!(count_events(&server, &store), 3);
    assert_eq!(ana.annotations().count(), 3);

    // The lock came back with the new connection: ana is still held by this session.
    assert!(matches!(
        PgStore::open_as(&address, "ana"),
        Err(StoreError::Held { .. })
    ));

    // Bob's session, cut off too, connects again and gets every decision of ana once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut seen = Vec::new();
    while seen.len() < 3 && std::time::Instant::now() < deadline {
        if let Ok(events) = bob.arrivals() {
            seen.extend(events);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut starts: Vec<usize> = seen.iter().map(|e| e.start).collect();
    starts.sort_unstable();
    starts.dedup();
    assert_eq!(starts, [0, 100, 200], "bob's arrivals: {seen:?}");
    let read = PgStore::open_read_only(&address).unwrap();
    assert_eq!(read.annotations().count(), 3);
}

const CORPUS: &str = concat!(
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed. Troops stayed in barracks."}"#,
    "\n",
);

#[test]
fn decisions_made_while_the_server_is_down_turn_saved_by_themselves_once_it_is_back() {
    let Some(server) = server() else { return };
    let _turn = server_to_myself();
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let store = fresh_store("resend");
    let address = with_store(&server.writer, &store);
    let mut term = Terminal::spawn(
        &home,
        &["annotate", "news.jsonl", "--labels", &address],
        160,
        30,
    );
    term.wait_for("sentence 1/3");
    term.send("1");
    term.wait_for("saved: diplomatic");

    ctl(&server, "stop");
    let restart = Restart(&server);
    term.send("j3");
    term.wait_until("the second decision not saved", |s| {
        s.contains("NOT SAVED (1)") && s.contains("retrying")
    });
    term.send("j2");
    term.wait_for("NOT SAVED (2)");
    assert_eq!(
        term.exit_code(),
        None,
        "the session goes on while the server is down"
    );
    drop(restart);

    // No key pressed: the session sends both again by itself and says so.
    let screen = term.wait_until("both sent again and saved", |s| {
        !s.contains("NOT SAVED") && s.contains("saved") && !s.contains("saving")
    });
    assert!(!screen.contains("writer-pw"), "{screen}");
    term.send("q");
    assert_eq!(
        term.wait_exit(),
        0,
        "nothing unsaved: q quits without asking"
    );

    assert_eq!(count_events(&server, &store), 3, "each decision once");
    let read = PgStore::open_read_only(&address).unwrap();
    let mut got: Vec<(usize, Vec<String>)> = read
        .annotations()
        .map(|a| (a.start(), a.labels().to_vec()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (0, vec!["diplomatic".to_owned()]),
            (33, vec!["military".to_owned()]),
            (63, vec!["sanctions".to_owned()]),
        ]
    );
}

#[test]
fn a_session_cannot_open_while_the_server_is_down_and_says_so_in_one_line() {
    let Some(server) = server() else { return };
    let _turn = server_to_myself();
    let home = Home::new();
    home.write("news.jsonl", CORPUS);
    let address = with_store(&server.writer, &fresh_store("down"));
    ctl(&server, "stop");
    let restart = Restart(&server);
    let outs: Vec<_> = [
        vec!["annotate", "news.jsonl", "--labels", &address],
        vec!["review", "news.jsonl", "--labels", &address],
        vec![
            "export",
            "news.jsonl",
            "--labels",
            &address,
            "--format",
            "csv",
        ],
    ]
    .iter()
    .map(|args| home.run(args))
    .collect();
    drop(restart);
    for out in outs {
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains("postgresql://stance_writer:***@127.0.0.1:")
                && err.contains("cannot connect")
                && !err.contains("writer-pw"),
            "{err}"
        );
    }
}
