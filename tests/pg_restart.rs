//! The PostgreSQL server stopped and started under running sessions: a decision made while
//! it is down is refused (it stays NOT SAVED on screen), lands once when sent again after
//! the server is back, and nothing is lost or doubled. A binary of its own: stopping the
//! server would disturb the other PostgreSQL tests running beside it.

#[path = "pg/support.rs"]
mod support;

use stance::store::{Decision, Origin, PgStore, Store, StoreError};
use support::{count_events, ctl, fresh_store, server, with_store};

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
    let store = fresh_store("restart");
    let address = with_store(&server.writer, &store);
    let mut ana = PgStore::open_as(&address, "ana").unwrap();
    let mut bob = PgStore::open_as(&address, "bob").unwrap();
    ana.append(&decision(0)).unwrap();

    ctl(&server, "stop");
    let refused = ana.append(&decision(1));
    ctl(&server, "start");
    let err = refused.expect_err("nothing is saved while the server is down");
    assert!(matches!(err, StoreError::Database { .. }), "{err}");
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
