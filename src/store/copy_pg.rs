//! The PostgreSQL side of `stance store copy`: reading a store's lines in sequence order,
//! and adding lines under every annotator's writer lock in one transaction.
//!
//! A copied row's unique id is `copy-<FNV-1a of the line>-<n>` for the n-th copy of that
//! line in the store, so the table's (store, uid) constraint refuses a second insert of the
//! same event even from a copy running at the same moment; the transaction is rolled back
//! when any row was refused, so the target gets every missing line or none.

use std::collections::{BTreeSet, HashMap};

use postgres::Client;

use super::copy::{LOCK_NAME, Line, PAUSE, PAUSE_FOR, missing};
use super::error::StoreError;
use super::pg::{self, PgUrl, tables};
use super::replay::parse_event;

/// Rows sent per statement inside the copy's one transaction.
const BATCH: usize = 10_000;

/// Every line of the store, in sequence order; a store without stance's tables is empty.
pub(crate) fn read(url: &PgUrl) -> Result<Vec<Line>, StoreError> {
    let mut client = pg::connect_to(url).map_err(|e| db_error(url, "connect", &e))?;
    if !has_tables(&mut client, url)? {
        return Ok(Vec::new());
    }
    lines(&mut client, url)
}

/// Adds the lines of `source` that the store lacks ([`missing`]) and returns them; with
/// `dry_run`, only reads.
pub(crate) fn write(
    url: &PgUrl,
    source: Vec<Line>,
    dry_run: bool,
) -> Result<Vec<Line>, StoreError> {
    let mut client = pg::connect_to(url).map_err(|e| db_error(url, "connect", &e))?;
    let me = format!("{LOCK_NAME} pid {}", std::process::id());
    client
        .execute("SELECT set_config('application_name', $1, false)", &[&me])
        .map_err(|e| db_error(url, "connect", &e))?;
    if dry_run {
        let held = if has_tables(&mut client, url)? {
            lines(&mut client, url)?
        } else {
            Vec::new()
        };
        return Ok(missing(held.iter().map(|l| l.text.as_str()), source));
    }
    match tables::migrate(&mut client, super::now_ms() as i64) {
        Ok(Ok(())) => {}
        Ok(Err(newer)) => return Err(fail(url, newer)),
        Err(e) => return Err(db_error(url, "create stance's tables", &e)),
    }
    let may: bool = client
        .query_one("SELECT has_table_privilege('stance_events', 'INSERT')", &[])
        .map_err(|e| db_error(url, "read", &e))?
        .get(0);
    if !may {
        return Err(StoreError::ReadOnly {
            path: url.shown.clone().into(),
        });
    }
    let annotators: BTreeSet<&str> = source.iter().map(|l| l.annotator.as_str()).collect();
    for annotator in annotators {
        let key = pg::writer_lock_key(&url.store, annotator);
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .map_err(|e| db_error(url, "lock", &e))?
            .get(0);
        if !got {
            return Err(StoreError::Held {
                location: url.shown.clone(),
                annotator: annotator.to_owned(),
                holder: pg::lock_holder(&mut client, key)
                    .unwrap_or_else(|| "another session".into()),
            });
        }
    }
    // Read under the locks: no session of these annotators adds a line meanwhile.
    let held = lines(&mut client, url)?;
    let mut count: HashMap<&str, usize> = HashMap::new();
    for line in &held {
        *count.entry(line.text.as_str()).or_insert(0) += 1;
    }
    let new = missing(held.iter().map(|l| l.text.as_str()), source);
    if new.is_empty() {
        return Ok(new);
    }
    let mut uids = Vec::with_capacity(new.len());
    for line in &new {
        let n = count.entry(line.text.as_str()).or_insert(0);
        *n += 1;
        uids.push(format!(
            "copy-{:016x}-{n}",
            crate::hash::fingerprint_u64(&line.text)
        ));
    }
    insert(&mut client, url, &new, uids)?;
    Ok(new)
}

/// Inserts `new` with their `uids` in one transaction: all of them, or none.
fn insert(
    client: &mut Client,
    url: &PgUrl,
    new: &[Line],
    uids: Vec<String>,
) -> Result<(), StoreError> {
    let mut tx = client
        .transaction()
        .map_err(|e| db_error(url, "save", &e))?;
    let statement = tx
        .prepare(
            "INSERT INTO stance_events (store, annotator, article, uid, line) \
             SELECT $1, a, r, u, l FROM unnest($2::text[], $3::text[], $4::text[], \
             $5::text[]) AS t(a, r, u, l) ON CONFLICT (store, uid) DO NOTHING",
        )
        .map_err(|e| db_error(url, "prepare", &e))?;
    let mut added = 0;
    for (i, (lines, uids)) in new.chunks(BATCH).zip(uids.chunks(BATCH)).enumerate() {
        let annotators: Vec<&str> = lines.iter().map(|l| l.annotator.as_str()).collect();
        let articles: Vec<&str> = lines.iter().map(|l| l.article.as_str()).collect();
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        added += tx
            .execute(
                &statement,
                &[&url.store, &annotators, &articles, &uids, &texts],
            )
            .map_err(|e| db_error(url, "save", &e))?;
        if i == 0 {
            crate::fault::delay_point(PAUSE, PAUSE_FOR);
        }
    }
    if added != new.len() as u64 {
        // Dropping the transaction rolls it back.
        return Err(fail(
            url,
            format!(
                "{} of the {} rows to add were there already under the same id (another copy \
                 at the same time?): nothing was written; copy again",
                new.len() as u64 - added,
                new.len()
            ),
        ));
    }
    tx.commit().map_err(|e| db_error(url, "save", &e))
}

/// Whether stance's tables exist (refusing tables newer than this stance knows).
fn has_tables(client: &mut Client, url: &PgUrl) -> Result<bool, StoreError> {
    let found = tables::version(client).map_err(|e| db_error(url, "read", &e))?;
    if found > tables::TABLES_VERSION {
        return Err(fail(url, tables::newer(found)));
    }
    Ok(found > 0)
}

/// The store's lines in sequence order, each validated and in canonical form.
fn lines(client: &mut Client, url: &PgUrl) -> Result<Vec<Line>, StoreError> {
    let rows = client
        .query(
            "SELECT seq, line FROM stance_events WHERE store = $1 ORDER BY seq",
            &[&url.store],
        )
        .map_err(|e| db_error(url, "read", &e))?;
    rows.iter()
        .map(|row| {
            let seq: i64 = row.get(0);
            let line: &str = row.get(1);
            parse_event(line.as_bytes())
                .map(Line::of)
                .map_err(|reason| fail(url, format!("event {seq}: {reason}")))
        })
        .collect()
}

fn fail(url: &PgUrl, reason: impl std::fmt::Display) -> StoreError {
    StoreError::Database {
        location: url.shown.clone(),
        reason: reason.to_string(),
    }
}

fn db_error(url: &PgUrl, doing: &str, e: &postgres::Error) -> StoreError {
    let reason = pg::error_text(e);
    fail(url, format!("cannot {doing} ({}): {reason}", url.server()))
}
