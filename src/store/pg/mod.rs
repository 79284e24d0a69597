//! The PostgreSQL label store, for teams across machines: one events table holding each
//! journal line exactly as the journal writes it, so every kind of line a journal can hold
//! lives there too, with indexed columns beside it (store, annotator, article, a
//! client-made unique id, the server's sequence).
//!
//! The semantics are the journal's: append-only, the last event per (sentence, annotator)
//! wins, "saved" only after COMMIT returned (with the server's `synchronous_commit` on).
//! Writers of one store take a transaction-level advisory lock of that store, so rows
//! become visible in sequence order and a reader that asks for rows past the last sequence
//! it saw never misses one. A writing session holds a session-level advisory lock per
//! (store, annotator), which the server releases when the connection dies; its
//! `application_name` names who holds it. Each decision carries a unique id: a commit
//! whose acknowledgement was lost and is sent again is not written twice.

mod read;
mod service;
pub mod side;
pub mod tables;
pub mod url;

use std::collections::HashSet;
use std::path::PathBuf;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Statement};

use super::annotation::Annotation;
use super::backend::Store;
use super::decision::Decision;
use super::error::StoreError;
use super::event::Event;
use super::overrides::{BoundaryChange, Overrides};
use super::remarks::{Remark, Remarks};
use super::replay::{JournalLine, parse_event};
use super::state::Annotations;
pub use url::{PgUrl, Verify, is_url, is_url_path, masked};

/// The channel writers notify after each commit, with the store's name as payload.
const CHANNEL: &str = "stance_events";

/// One row to insert: unique id, annotator, article, the journal line.
pub type Row = (String, String, String, String);

/// A label store in a PostgreSQL database.
pub struct PgStore {
    url: PgUrl,
    client: Option<Connection>,
    /// The annotator this session writes as (holding their lock); `None` for a reader.
    writer: Option<String>,
    annotations: Annotations,
    overrides: Overrides,
    /// Every annotator's flags and notes, newest line winning.
    remarks: Remarks,
    /// The last sequence number taken into `annotations`.
    last_seq: i64,
    /// Others' decisions met while catching up inside an append, not yet handed out.
    arrived: Vec<Event>,
    /// Writes whose commit was sent but not acknowledged: sent again, they keep their id
    /// and time, so the unique id makes the second one a no-op if the first landed.
    unacked: Vec<(Unacked, String, u64)>,
    /// Unique ids this session wrote that no catch-up has met yet: not arrivals.
    own: HashSet<String>,
    /// Random part of this session's unique ids.
    session: u64,
    counter: u64,
    /// Whether stance's tables exist (a reader of an empty database finds none).
    tables: bool,
    /// Whether the store was read once already, so a connection now is a reconnection.
    reconnecting: bool,
    /// Calls of [`Store::arrivals`] so far.
    polls: u64,
}

/// A write of this session not known to be committed.
#[derive(PartialEq)]
enum Unacked {
    Decision(Decision),
    Boundary(BoundaryChange),
    Remark(Remark),
}

/// An open connection with its prepared statements.
struct Connection {
    client: Client,
    insert: Statement,
    since: Statement,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.url.shown)
            .field("writer", &self.writer)
            .field("last_seq", &self.last_seq)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Reads the store without taking any lock or creating anything; a database without
    /// stance's tables is an empty store.
    pub fn open_read_only(address: &str) -> Result<PgStore, StoreError> {
        let mut store = PgStore::new(address)?;
        store.connect()?;
        Ok(store)
    }

    /// Opens the store for `annotator` to write: creates or migrates the tables, takes the
    /// annotator's lock ([`StoreError::Held`] naming the other session when taken) and reads
    /// every event.
    pub fn open_as(address: &str, annotator: &str) -> Result<PgStore, StoreError> {
        let mut store = PgStore::new(address)?;
        store.writer = Some(annotator.to_owned());
        store.connect()?;
        Ok(store)
    }

    /// As [`PgStore::open_as`], except that a role that may not write opens read-only with
    /// the reason.
    pub fn open_or_wait_for_writable(
        address: &str,
        annotator: &str,
    ) -> Result<(PgStore, Option<StoreError>), StoreError> {
        match PgStore::open_as(address, annotator) {
            Ok(store) => Ok((store, None)),
            Err(StoreError::Unwritable { .. } | StoreError::ReadOnly { .. }) => {
                let store = PgStore::open_read_only(address)?;
                let why = StoreError::Database {
                    location: store.url.shown.clone(),
                    reason: "this role may not write stance's tables: decisions cannot be saved"
                        .into(),
                };
                Ok((store, Some(why)))
            }
            Err(err) => Err(err),
        }
    }

    fn new(address: &str) -> Result<PgStore, StoreError> {
        let url = PgUrl::parse(address).map_err(|reason| StoreError::Database {
            location: url::masked(address, None),
            reason,
        })?;
        Ok(PgStore {
            url,
            client: None,
            writer: None,
            annotations: Annotations::default(),
            overrides: Overrides::default(),
            remarks: Remarks::default(),
            last_seq: 0,
            arrived: Vec::new(),
            unacked: Vec::new(),
            own: HashSet::new(),
            session: random(),
            counter: 0,
            tables: false,
            polls: 0,
            reconnecting: false,
        })
    }

    /// The address, never with a password.
    pub fn location(&self) -> &str {
        &self.url.shown
    }

    /// The current annotation per (article, start, end, annotator), in a stable order.
    pub fn annotations_iter(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        self.annotations.iter()
    }

    /// The store's name inside the database.
    pub fn name(&self) -> &str {
        &self.url.store
    }

    /// Events read so far (every line of the store, superseded ones included).
    pub fn last_seq(&self) -> i64 {
        self.last_seq
    }

    fn fail(&self, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Database {
            location: self.url.shown.clone(),
            reason: reason.to_string(),
        }
    }

    fn db_error(&mut self, doing: &str, e: &postgres::Error) -> StoreError {
        let lost = e.as_db_error().is_none()
            || is_connection_lost(e)
            || self.client.as_ref().is_some_and(|c| c.client.is_closed());
        if lost {
            // The connection is gone (or in doubt): the next call connects again.
            self.client = None;
        }
        let reason = error_text(e);
        let reason = format!("cannot {doing} ({}): {reason}", self.url.server());
        if lost {
            self.unreachable(reason)
        } else {
            self.fail(reason)
        }
    }

    fn unreachable(&self, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Unreachable {
            location: self.url.shown.clone(),
            reason: reason.to_string(),
        }
    }

    /// Connects (again), makes sure of the tables, takes the writer's lock, and reads every
    /// event past the last one read.
    fn connect(&mut self) -> Result<(), StoreError> {
        self.client = None;
        let mut client = connect(&self.url).map_err(|e| self.db_error("connect", &e))?;
        let now = super::now_ms() as i64;
        if self.writer.is_some() {
            match tables::migrate(&mut client, now) {
                Ok(Ok(())) => {}
                Ok(Err(newer)) => return Err(self.fail(newer)),
                Err(e) if is_permission(&e) => {
                    return Err(StoreError::Unwritable {
                        path: self.url.shown.clone().into(),
                        error: std::io::Error::other(e.to_string()),
                    });
                }
                Err(e) => return Err(self.db_error("create stance's tables", &e)),
            }
            self.tables = true;
        } else {
            let found = tables::version(&mut client).map_err(|e| self.db_error("read", &e))?;
            if found > tables::TABLES_VERSION {
                return Err(self.fail(tables::newer(found)));
            }
            self.tables = found > 0;
        }
        if let Some(annotator) = self.writer.clone() {
            let may: bool = client
                .query_one("SELECT has_table_privilege('stance_events', 'INSERT')", &[])
                .map_err(|e| self.db_error("read", &e))?
                .get(0);
            if !may {
                return Err(StoreError::ReadOnly {
                    path: self.url.shown.clone().into(),
                });
            }
            let key = lock_key(&self.url.store, &annotator);
            let me = format!(
                "stance {annotator} on {} pid {}",
                hostname(),
                std::process::id()
            );
            client
                .execute("SELECT set_config('application_name', $1, false)", &[&me])
                .map_err(|e| self.db_error("connect", &e))?;
            let got: bool = client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
                .map_err(|e| self.db_error("lock", &e))?
                .get(0);
            if !got {
                let holder = holder(&mut client, key).unwrap_or_else(|| "another session".into());
                return Err(StoreError::Held {
                    location: self.url.shown.clone(),
                    annotator,
                    holder,
                });
            }
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .map_err(|e| self.db_error("listen", &e))?;
        }
        if !self.tables {
            self.client = None;
            // Nothing to read; a reader connects again when asked for arrivals.
            return Ok(());
        }
        let insert = client
            .prepare(
                "INSERT INTO stance_events (store, annotator, article, uid, line) \
                 SELECT $1, a, r, u, l FROM unnest($2::text[], $3::text[], $4::text[], \
                 $5::text[]) AS t(a, r, u, l) ON CONFLICT (store, uid) DO NOTHING",
            )
            .map_err(|e| self.db_error("prepare", &e))?;
        let since = client
            .prepare(
                "SELECT seq, uid, line FROM stance_events WHERE store = $1 AND seq > $2 \
                 ORDER BY seq",
            )
            .map_err(|e| self.db_error("prepare", &e))?;
        self.client = Some(Connection {
            client,
            insert,
            since,
        });
        // A write whose acknowledgement was lost may have landed: met by this catch-up, it
        // is this session's own, not an arrival (its retry makes it part of the view).
        self.own
            .extend(self.unacked.iter().map(|(_, uid, _)| uid.clone()));
        // What was there on opening is the store, not news; what others appended while
        // this session was cut off is.
        if self.reconnecting {
            let caught = self.catch_up()?;
            self.arrived.extend(caught);
        } else {
            self.load()?;
        }
        self.reconnecting = true;
        Ok(())
    }

    /// Reads the rows past `last_seq` into the view; returns the decisions of others.
    fn catch_up(&mut self) -> Result<Vec<Event>, StoreError> {
        let store = self.url.store.clone();
        let from = self.last_seq;
        let conn = self.client.as_mut().expect("connected before catching up");
        let rows = conn.client.query(&conn.since, &[&store, &from]);
        let rows = rows.map_err(|e| self.db_error("read", &e))?;
        self.take_rows(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))))
    }

    fn take_rows<'r>(
        &mut self,
        rows: impl Iterator<Item = (i64, &'r str, &'r str)>,
    ) -> Result<Vec<Event>, StoreError> {
        let mut others = Vec::new();
        for (seq, uid, line) in rows {
            let parsed = parse_event(line.as_bytes())
                .map_err(|reason| self.fail(format!("event {seq}: {reason}")))?;
            // This session's decisions went into the view when their commit returned.
            let mine = self.own.remove(uid);
            match parsed {
                JournalLine::Decision(event) if !mine => {
                    others.push(event.clone());
                    self.annotations.apply(event);
                }
                JournalLine::Decision(_) => {}
                JournalLine::Boundary(event) => self.overrides.apply(&event),
                JournalLine::Remark(event) => self.remarks.apply(&event),
            }
            self.last_seq = seq;
        }
        Ok(others)
    }

    fn next_uid(&mut self) -> String {
        self.counter += 1;
        format!("{:016x}-{}", self.session, self.counter)
    }

    /// Inserts `rows` in one transaction (rows whose unique id the store has are left out)
    /// and returns how many were new; `Ok` only once the commit returned. The rows are taken
    /// into the view by the next catch-up, in sequence order.
    pub fn insert(&mut self, rows: Vec<Row>) -> Result<usize, StoreError> {
        if self.client.is_none() {
            self.connect()?;
        }
        if !self.tables {
            return Err(StoreError::ReadOnly {
                path: self.url.shown.clone().into(),
            });
        }
        let store = self.url.store.clone();
        let own: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut uids = Vec::with_capacity(rows.len());
        let mut annotators = Vec::with_capacity(rows.len());
        let mut articles = Vec::with_capacity(rows.len());
        let mut lines = Vec::with_capacity(rows.len());
        for (uid, annotator, article, line) in rows {
            uids.push(uid);
            annotators.push(annotator);
            articles.push(article);
            lines.push(line);
        }
        let conn = self.client.as_mut().expect("connected above");
        // One statement is one transaction: it returns once committed, in one round trip.
        let result = conn.client.execute(
            &conn.insert,
            &[&store, &annotators, &articles, &uids, &lines],
        );
        match result {
            Ok(added) => {
                self.own.extend(own);
                Ok(added as usize)
            }
            Err(e) => Err(self.db_error("save", &e)),
        }
    }

    /// Inserts one boundary override or remark, settling its unique id.
    fn insert_one(&mut self, row: Row) -> Result<(), StoreError> {
        let uids = HashSet::from([row.0.clone()]);
        let result = self.insert(vec![row]);
        self.settle(&uids, &result);
        result.map(|_| ())
    }

    fn decision_rows(&mut self, decisions: &[Decision]) -> (Vec<Row>, Vec<Event>) {
        let now = super::now_ms();
        let mut rows = Vec::with_capacity(decisions.len());
        let mut events = Vec::with_capacity(decisions.len());
        for decision in decisions {
            let (uid, ts) = self.id_of(Unacked::Decision(decision.clone()), now);
            let event = decision.event(ts);
            let line = encode(&event);
            rows.push((
                uid,
                decision.annotator.clone(),
                decision.article.clone(),
                line,
            ));
            events.push(event);
        }
        (rows, events)
    }

    /// The unique id and time of a write: those it carried when it was sent before without
    /// an acknowledgement, else new ones; it is unacknowledged until [`PgStore::settle`].
    fn id_of(&mut self, write: Unacked, now: u64) -> (String, u64) {
        let (uid, ts) = match self.unacked.iter().position(|(w, _, _)| *w == write) {
            Some(i) => {
                let (_, uid, ts) = self.unacked.remove(i);
                (uid, ts)
            }
            None => (self.next_uid(), now),
        };
        self.unacked.push((write, uid.clone(), ts));
        (uid, ts)
    }

    /// Forgets the writes `uids` once the insert committed them, or the server refused
    /// them (committing nothing); a lost connection leaves them in doubt, to be sent again.
    fn settle<T>(&mut self, uids: &HashSet<String>, result: &Result<T, StoreError>) {
        let settled = match result {
            Ok(_) => true,
            Err(StoreError::Database { .. }) => self.client.is_some(),
            Err(_) => false,
        };
        if settled {
            self.unacked.retain(|(_, uid, _)| !uids.contains(uid));
        }
    }

    fn check_writer(&self, annotators: impl IntoIterator<Item = String>) -> Result<(), StoreError> {
        if self.writer.is_none() {
            return Err(StoreError::ReadOnly {
                path: self.url.shown.clone().into(),
            });
        }
        let _ = annotators;
        Ok(())
    }

    fn append_decisions(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        self.check_writer(decisions.iter().map(|d| d.annotator.clone()))?;
        for d in decisions {
            super::replay::check(d.start, d.end).map_err(|reason| StoreError::InvalidEvent {
                path: self.url.shown.clone().into(),
                reason,
            })?;
        }
        let (rows, events) = self.decision_rows(decisions);
        let uids: HashSet<String> = rows.iter().map(|r| r.0.clone()).collect();
        let result = self.insert(rows);
        self.settle(&uids, &result);
        if result.is_ok() {
            for event in events {
                self.annotations.apply(event);
            }
        }
        result.map(|_| ())
    }
}

impl Store for PgStore {
    fn location(&self) -> String {
        self.url.shown.clone()
    }

    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        self.append_decisions(std::slice::from_ref(decision))
    }

    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        self.append_decisions(decisions)
    }

    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        Box::new(self.annotations.iter())
    }

    /// What others committed since the last look, woken by their NOTIFY; a session cut off
    /// from the server connects again here, so arrivals and retries resume by themselves.
    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        if self.client.is_none() {
            self.connect()?;
        }
        let mut events = std::mem::take(&mut self.arrived);
        let Some(conn) = self.client.as_mut() else {
            // A reader of a database without tables yet: it looks again next time.
            return Ok(events);
        };
        let mut woken = self.writer.is_none();
        if !woken {
            let polled: Result<bool, postgres::Error> = {
                let mut notes = conn.client.notifications();
                let mut iter = notes.iter();
                let mut any = false;
                loop {
                    match iter.next() {
                        Ok(Some(_)) => any = true,
                        Ok(None) => break Ok(any),
                        Err(e) => break Err(e),
                    }
                }
            };
            let closed = conn.client.is_closed();
            match polled {
                Err(e) => return Err(self.db_error("read", &e)),
                Ok(_) if closed => {
                    self.client = None;
                    return Err(self.unreachable("the connection to the server was lost"));
                }
                Ok(any) => woken = any,
            }
        }
        self.polls += 1;
        // Now and then without a notification too: a lost connection shows up only when used.
        if woken || self.polls.is_multiple_of(10) {
            events.extend(self.catch_up()?);
        }
        Ok(events)
    }

    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        Ok(None)
    }

    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        self.check_writer([change.annotator.clone()])?;
        let (uid, ts) = self.id_of(Unacked::Boundary(change.clone()), super::now_ms());
        let line = encode(&change.event(ts));
        let row = (uid, change.annotator.clone(), change.article.clone(), line);
        self.insert_one(row)
    }

    fn boundaries(&self) -> &Overrides {
        &self.overrides
    }

    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        self.check_writer([remark.annotator.clone()])?;
        let (uid, ts) = self.id_of(Unacked::Remark(remark.clone()), super::now_ms());
        let line = encode(&remark.event(ts));
        let row = (uid, remark.annotator.clone(), remark.article.clone(), line);
        self.insert_one(row)
    }

    fn remarks(&self) -> &Remarks {
        &self.remarks
    }
}

/// A journal line without its newline.
pub fn encode(event: &impl serde::Serialize) -> String {
    let mut line = Vec::new();
    super::journal::encode(event, &mut line);
    line.pop();
    String::from_utf8(line).expect("serde_json writes UTF-8")
}

fn connect(url: &PgUrl) -> Result<Client, postgres::Error> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
    let mut builder =
        SslConnector::builder(SslMethod::tls()).expect("OpenSSL can make a TLS client context");
    let tls = match url.verify {
        // libpq's `prefer` and `require` encrypt without checking the certificate.
        Verify::Nothing => {
            builder.set_verify(SslVerifyMode::NONE);
            postgres_openssl::MakeTlsConnector::new(builder.build())
        }
        verify => {
            builder.set_verify(SslVerifyMode::PEER);
            // Read and checked when the address was parsed; should it fail now, no root is
            // trusted and the certificate check refuses the server.
            if let Some(root) = &url.root_cert {
                let _ = builder.set_ca_file(root);
            }
            let mut tls = postgres_openssl::MakeTlsConnector::new(builder.build());
            if verify == Verify::Chain {
                tls.set_callback(|config, _| {
                    config.set_verify_hostname(false);
                    Ok(())
                });
            }
            tls
        }
    };
    url.config.connect(tls)
}

/// Whether the server ended the connection or cannot take one yet (shutting down, starting
/// up): an error of the connection, not a refusal of what was asked.
fn is_connection_lost(e: &postgres::Error) -> bool {
    e.code()
        .is_some_and(|code| code.code().starts_with("08") || code.code().starts_with("57P"))
}

fn is_permission(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
}

/// The session-level advisory lock of (store, annotator).
fn lock_key(store: &str, annotator: &str) -> i64 {
    let mut text = String::with_capacity(store.len() + annotator.len() + 1);
    text.push_str(store);
    text.push('\0');
    text.push_str(annotator);
    crate::hash::fingerprint_u64(&text) as i64
}

/// Who holds the advisory lock `key`: the holder's application name and client address.
fn holder(client: &mut Client, key: i64) -> Option<String> {
    let hi = (key as u64 >> 32) as i64;
    let lo = (key as u64 & 0xffff_ffff) as i64;
    let row = client
        .query_opt(
            "SELECT a.application_name, coalesce(host(a.client_addr), 'a local socket'), a.pid \
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 \
             AND l.objid::bigint = $2 AND l.objsubid = 1",
            &[&hi, &lo],
        )
        .ok()??;
    let name: String = row.get(0);
    let addr: String = row.get(1);
    let pid: i32 = row.get(2);
    Some(format!(
        "the session {} (from {addr}, server process {pid})",
        crate::escape::escape(&name)
    ))
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "an unknown host".into())
}

/// A random number for this session's unique ids (std's hasher keys are random per process).
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// A connection of its own to `url`'s server, made as a session's is (TLS when the server
/// offers it), for a tool that works on stance's tables directly (`stance store copy`).
pub fn connect_to(url: &PgUrl) -> Result<Client, postgres::Error> {
    connect(url)
}

/// The session-level advisory lock key that a session writing as `annotator` holds in
/// `store`: whoever takes it keeps such sessions out.
pub fn writer_lock_key(store: &str, annotator: &str) -> i64 {
    lock_key(store, annotator)
}

/// Who holds the advisory lock `key` (their application name, address and server process),
/// for a refusal that names them.
pub fn lock_holder(client: &mut Client, key: i64) -> Option<String> {
    holder(client, key)
}

/// A client error in words: the server's message, else the error with every cause the
/// text does not already hold (the driver's own text often leaves out the reason).
pub fn error_text(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_owned();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}
