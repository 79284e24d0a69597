//! What a journal keeps in files beside itself, kept in the database for a PostgreSQL store:
//! the store's schema (`stance_schemas`) and each annotator's position (`stance_positions`),
//! so a second machine opening the same store finds both.
//!
//! A store used before these tables existed kept them in the data folder (`postgresql/`);
//! what the database does not hold yet is read from there, and written to the database by
//! the next writer. Nothing is written to that folder any more.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use postgres::Client;

use super::url::PgUrl;
use super::{connect, tables};

/// An annotator's place in a store: article, sentence span, Unix milliseconds.
pub type Place = (String, usize, usize, u64);

/// An open connection, and whether stance's tables were brought up to date through it.
type Open = (Client, bool);

/// One open connection per address, so a position written at each article change does not
/// connect anew; dropped on any error, and made again by the next call.
fn connections() -> &'static Mutex<HashMap<String, Open>> {
    static CONNECTIONS: OnceLock<Mutex<HashMap<String, Open>>> = OnceLock::new();
    CONNECTIONS.get_or_init(Mutex::default)
}

/// Runs `f` on a connection to `address` (made if need be; with `write`, after bringing
/// stance's tables to the newest version); the reason, naming the server, when it fails.
fn with_client<T>(
    address: &str,
    write: bool,
    f: impl FnOnce(&mut Client, &PgUrl) -> Result<T, postgres::Error>,
) -> Result<T, String> {
    let url = PgUrl::parse(address)?;
    let mut all = connections().lock().unwrap_or_else(PoisonError::into_inner);
    let (mut client, mut migrated) = match all.remove(&url.shown) {
        Some((client, migrated)) if !client.is_closed() => (client, migrated),
        _ => (
            connect(&url).map_err(|e| reason(&url, "connect", &e))?,
            false,
        ),
    };
    if write && !migrated {
        match tables::migrate(&mut client, super::super::now_ms() as i64) {
            Ok(Ok(())) => migrated = true,
            Ok(Err(newer)) => return Err(newer),
            Err(e) => return Err(reason(&url, "create stance's tables", &e)),
        }
    }
    let doing = if write { "write" } else { "read" };
    let result = f(&mut client, &url).map_err(|e| reason(&url, doing, &e));
    if result.is_ok() {
        all.insert(url.shown.clone(), (client, migrated));
    }
    result
}

fn reason(url: &PgUrl, doing: &str, e: &postgres::Error) -> String {
    let text = super::error_text(e);
    // The server's words are outside text.
    let text = crate::escape::escape(&text);
    format!("cannot {doing} ({}): {text}", url.server())
}

/// Whether the database has stance's tables of version 2 or later (a database made by an
/// older stance, or with none yet, has no schema or positions to read).
fn has_side_tables(client: &mut Client) -> Result<bool, postgres::Error> {
    Ok(tables::version(client)? >= 2)
}

/// The schema kept with the store at `address`, if one is (in the database, else in the
/// data folder from before the database held it).
pub fn schema(address: &str) -> Result<Option<String>, String> {
    let kept = with_client(address, false, |client, url| {
        if !has_side_tables(client)? {
            return Ok(None);
        }
        schema_in_database(client, url)
    })?;
    Ok(kept.or_else(|| std::fs::read_to_string(legacy_file(address, "schema.toml")?).ok()))
}

/// The schema kept in the database itself, not from the data folder.
fn schema_in_database(client: &mut Client, url: &PgUrl) -> Result<Option<String>, postgres::Error> {
    let row = client.query_opt(
        "SELECT schema_toml FROM stance_schemas WHERE store = $1",
        &[&url.store],
    )?;
    Ok(row.map(|r| r.get(0)))
}

/// Keeps `text` as the schema of the store at `address`, unless the database has that text
/// already; committed before it returns.
pub fn keep_schema(address: &str, text: &str) -> Result<(), String> {
    with_client(address, true, |client, url| {
        if schema_in_database(client, url)?.as_deref() == Some(text) {
            return Ok(());
        }
        let now = super::super::now_ms() as i64;
        client.execute(
            "INSERT INTO stance_schemas (store, schema_toml, updated_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (store) DO UPDATE SET schema_toml = $2, updated_ms = $3",
            &[&url.store, &text, &now],
        )?;
        Ok(())
    })
}

/// Every annotator's place in the store at `address` (from the database, and for those it
/// has none of, from the data folder of before).
pub fn positions(address: &str) -> Result<BTreeMap<String, Place>, String> {
    let mut all = with_client(address, false, |client, url| {
        let mut all = BTreeMap::new();
        if !has_side_tables(client)? {
            return Ok(all);
        }
        let rows = client.query(
            "SELECT annotator, article, start_byte, end_byte, updated_ms FROM stance_positions \
             WHERE store = $1",
            &[&url.store],
        )?;
        for row in rows {
            let at = |i: usize| usize::try_from(row.get::<_, i64>(i)).unwrap_or(0);
            let ts = u64::try_from(row.get::<_, i64>(4)).unwrap_or(0);
            all.insert(row.get(0), (row.get(1), at(2), at(3), ts));
        }
        Ok(all)
    })?;
    if let Some(old) = legacy_file(address, "position.json")
        && let Ok(text) = std::fs::read_to_string(old)
        && let Ok(places) = serde_json::from_str::<BTreeMap<String, LegacyPlace>>(&text)
    {
        for (annotator, p) in places {
            all.entry(annotator)
                .or_insert((p.article, p.start, p.end, p.ts));
        }
    }
    Ok(all)
}

/// Records `annotator`'s place in the store at `address`, committed before it returns.
pub fn keep_position(address: &str, annotator: &str, place: &Place) -> Result<(), String> {
    let (article, start, end, ts) = place;
    let (start, end, ts) = (*start as i64, *end as i64, *ts as i64);
    with_client(address, true, |client, url| {
        client.execute(
            "INSERT INTO stance_positions \
             (store, annotator, article, start_byte, end_byte, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (store, annotator) DO UPDATE \
             SET article = $3, start_byte = $4, end_byte = $5, updated_ms = $6",
            &[&url.store, &annotator, article, &start, &end, &ts],
        )?;
        Ok(())
    })
}

/// A place as the position file of the data folder held it.
#[derive(serde::Deserialize)]
struct LegacyPlace {
    article: String,
    start: usize,
    end: usize,
    #[serde(default)]
    ts: u64,
}

/// The file in the data folder where a stance before version 2 of the tables kept what the
/// database now holds (`suffix`: the schema, the positions), named after the server,
/// database and store.
fn legacy_file(address: &str, suffix: &str) -> Option<PathBuf> {
    let url = PgUrl::parse(address).ok()?;
    let name = format!(
        "{}-{}-{}",
        url.server(),
        url.config.get_dbname().unwrap_or_default(),
        url.store
    );
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dir = super::super::labels_dir().ok()?.join("postgresql");
    Some(dir.join(format!("{safe}.{suffix}")))
}
