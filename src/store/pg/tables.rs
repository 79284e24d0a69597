//! The tables stance keeps in a PostgreSQL database, created and migrated by stance itself:
//! each migration runs inside one transaction under an advisory lock, so two sessions that
//! start at once do not both create them, and a database whose tables are newer than this
//! stance knows is refused rather than misread.

use postgres::Client;

/// The newest version of stance's tables that this stance creates and reads.
pub const TABLES_VERSION: i32 = 2;

/// Advisory lock key taken while tables are created or migrated.
const MIGRATE_LOCK: i64 = 0x7374_616e_6365_0001;

/// What each version adds, in order; index 0 is version 1. Version 2 keeps in the database
/// what a journal keeps beside itself: the schema of each store, and each annotator's
/// position in it.
const MIGRATIONS: &[&str] = &[
    "
    CREATE SEQUENCE stance_events_seq;
    CREATE TABLE stance_events (
        seq bigint PRIMARY KEY,
        store text NOT NULL,
        annotator text NOT NULL,
        article text NOT NULL,
        uid text NOT NULL,
        line text NOT NULL,
        UNIQUE (store, uid)
    );
    CREATE INDEX stance_events_store_seq ON stance_events (store, seq);
    CREATE INDEX stance_events_store_annotator ON stance_events (store, annotator);
    -- Rows of one store take their sequence number under that store's lock, held to the
    -- commit: they become visible in sequence order, so reading past the last number seen
    -- never misses one. The notification wakes the other sessions of the store.
    CREATE FUNCTION stance_events_order() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(NEW.store, 7));
        NEW.seq := nextval('stance_events_seq');
        PERFORM pg_notify('stance_events', NEW.store);
        RETURN NEW;
    END $$;
    CREATE TRIGGER stance_events_order BEFORE INSERT ON stance_events
        FOR EACH ROW EXECUTE FUNCTION stance_events_order();
",
    "
    CREATE TABLE stance_schemas (
        store text PRIMARY KEY,
        schema_toml text NOT NULL,
        updated_ms bigint NOT NULL
    );
    CREATE TABLE stance_positions (
        store text NOT NULL,
        annotator text NOT NULL,
        article text NOT NULL,
        start_byte bigint NOT NULL,
        end_byte bigint NOT NULL,
        updated_ms bigint NOT NULL,
        PRIMARY KEY (store, annotator)
    );
",
];

/// The version of stance's tables in the database: 0 when there are none.
pub fn version(client: &mut impl postgres::GenericClient) -> Result<i32, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('stance_migrations') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client.query_one(
        "SELECT coalesce(max(version), 0) FROM stance_migrations",
        &[],
    )?;
    Ok(row.get(0))
}

/// Why stance cannot use tables of `found`, newer than it knows.
pub fn newer(found: i32) -> String {
    format!(
        "its stance tables are version {found}, newer than this stance knows (up to \
         {TABLES_VERSION}): upgrade stance to use it"
    )
}

/// Brings the tables to [`TABLES_VERSION`] in one transaction; `Ok(Err(reason))` when the
/// database holds newer tables.
pub fn migrate(client: &mut Client, now_ms: i64) -> Result<Result<(), String>, postgres::Error> {
    migrate_to(client, TABLES_VERSION, now_ms)
}

/// Brings the tables to `target` (at most [`TABLES_VERSION`]) in one transaction, as a
/// stance that knew only `target` would have left them; `Ok(Err(reason))` when the database
/// holds tables newer than this stance knows.
pub fn migrate_to(
    client: &mut Client,
    target: i32,
    now_ms: i64,
) -> Result<Result<(), String>, postgres::Error> {
    let target = target.clamp(1, TABLES_VERSION);
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])?;
    let found = version(&mut tx)?;
    if found > TABLES_VERSION {
        return Ok(Err(newer(found)));
    }
    if found >= target {
        return Ok(Ok(()));
    }
    if found == 0 {
        tx.batch_execute(
            "CREATE TABLE stance_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL)",
        )?;
    }
    let steps = MIGRATIONS.iter().enumerate().take(target as usize);
    for (i, sql) in steps.skip(found as usize) {
        tx.batch_execute(sql)?;
        let v = i as i32 + 1;
        tx.execute(
            "INSERT INTO stance_migrations (version, applied_ms) VALUES ($1, $2)",
            &[&v, &now_ms],
        )?;
    }
    tx.commit()?;
    Ok(Ok(()))
}
