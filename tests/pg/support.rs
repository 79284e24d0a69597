//! What the PostgreSQL tests share: the test server's addresses (from tests/pg/start.sh),
//! one fresh store name per test, and SQL as the administrator.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

/// The test server, as tests/pg/start.sh exported it.
pub struct Server {
    /// The administrator's address (a superuser).
    pub admin: String,
    /// A role that creates stance's tables and writes.
    pub writer: String,
    /// A role that may only read.
    pub reader: String,
    /// The cluster's folder, for tests/pg/ctl.sh.
    pub dir: String,
    /// tests/pg/ctl.sh.
    pub ctl: String,
}

/// The server, or `None` (said loudly) on a developer machine without one; in CI
/// (`CI=true`) a missing server fails the test.
pub fn server() -> Option<Server> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (
        var("STANCE_TEST_PG"),
        var("STANCE_TEST_PG_WRITER"),
        var("STANCE_TEST_PG_READER"),
    ) {
        (Some(admin), Some(writer), Some(reader)) => Some(Server {
            admin,
            writer,
            reader,
            dir: var("STANCE_TEST_PG_DIR").unwrap_or_default(),
            ctl: var("STANCE_TEST_PG_CTL").unwrap_or_default(),
        }),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "no PostgreSQL test server: STANCE_TEST_PG* are not set; .ci/run starts one with \
             tests/pg/start.sh"
        ),
        _ => {
            eprintln!(
                "\n*** SKIPPED: PostgreSQL test — no server. Start one with \
                 eval \"$(tests/pg/start.sh /tmp/stance-pg)\" ***\n"
            );
            None
        }
    }
}

/// A store name no other test run uses.
pub fn fresh_store(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos();
    format!("{test}_{}_{nanos}", std::process::id())
}

/// `address` with `?store=NAME` (or `&store=`) added.
pub fn with_store(address: &str, store: &str) -> String {
    let sep = if address.contains('?') { '&' } else { '?' };
    format!("{address}{sep}store={store}")
}

/// `address` naming another database.
pub fn with_db(address: &str, db: &str) -> String {
    let (base, _) = address
        .rsplit_once('/')
        .expect("an address with a database");
    format!("{base}/{db}")
}

/// Runs `sql` as the administrator in database `db`.
pub fn admin_sql(server: &Server, db: &str, sql: &str) {
    let mut client = postgres::Client::connect(&with_db(&server.admin, db), postgres::NoTls)
        .expect("the administrator connects");
    client
        .batch_execute(sql)
        .expect("the administrator's SQL runs");
}

/// Rows of stance's events table for `store`, counted by the administrator.
pub fn count_events(server: &Server, store: &str) -> i64 {
    let mut client = postgres::Client::connect(&with_db(&server.admin, "stance"), postgres::NoTls)
        .expect("the administrator connects");
    client
        .query_one(
            "SELECT count(*) FROM stance_events WHERE store = $1",
            &[&store],
        )
        .expect("count")
        .get(0)
}

/// Stops or starts the test server.
pub fn ctl(server: &Server, what: &str) {
    let status = std::process::Command::new(&server.ctl)
        .args([&server.dir, what])
        .status()
        .expect("run tests/pg/ctl.sh");
    assert!(status.success(), "tests/pg/ctl.sh {what} failed");
}
