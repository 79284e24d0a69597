//! The schema kept with a label store: `<store stem>.schema.toml` beside the store, a copy
//! of the schema file the first writing session used (the default schema's text when none
//! was given). Later subcommands use it without `--schema`; a `--schema` that lacks a label
//! the store has (in the kept schema or in its annotations) is refused unless
//! `--schema-change` accepts it, and a session that accepts it keeps the new one. A
//! PostgreSQL store keeps its schema in the database ([`crate::store::pg::side`]), by the
//! same rules.

use std::collections::BTreeSet;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::atomic::AtomicFile;
use crate::escape;
use crate::schema::{DEFAULT_SCHEMA, Schema, SchemaError};

/// Where a subcommand's schema came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `--schema PATH`.
    Given,
    /// The file kept beside the store.
    Kept,
    /// The compiled-in default: neither was there.
    Default,
}

/// The schema a subcommand uses, with its TOML text (what is kept) and the kept one's
/// label names (empty when none is kept yet).
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The label set in use.
    pub schema: Schema,
    /// Its TOML source, written beside the store by [`keep`].
    pub text: String,
    /// Given, kept or default.
    pub source: Source,
    /// The label names of the schema kept beside the store, if one is.
    pub kept_labels: Vec<String>,
    /// The kept file's path.
    pub path: PathBuf,
}

/// `<store stem>.schema.toml` in the store's folder; for a PostgreSQL store, its address.
pub fn path_for(store: &Path) -> PathBuf {
    if crate::store::pg::is_url_path(store) {
        return store.to_owned();
    }
    let stem = store
        .file_stem()
        .map_or_else(|| "labels".into(), |s| s.to_string_lossy().into_owned());
    store.with_file_name(format!("{stem}.schema.toml"))
}

/// `--schema` when given, else the schema kept beside `store`, else the default. A kept
/// file that cannot be read or is not a valid schema is an error naming it.
pub fn choose(given: Option<&Path>, store: &Path) -> Result<Chosen, SchemaError> {
    let path = path_for(store);
    let kept = match read_kept(&path) {
        Ok(text) => Some((Schema::parse(&text, &path)?, text)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(SchemaError::Read { path, error }),
    };
    let kept_labels = kept
        .as_ref()
        .map(|(schema, _)| names(schema))
        .unwrap_or_default();
    let (schema, text, source) = match (given, kept) {
        (Some(given), _) => {
            let text = read(given).map_err(|error| SchemaError::Read {
                path: given.to_owned(),
                error,
            })?;
            (Schema::parse(&text, given)?, text, Source::Given)
        }
        (None, Some((schema, text))) => (schema, text, Source::Kept),
        (None, None) => (
            Schema::default(),
            DEFAULT_SCHEMA.to_owned(),
            Source::Default,
        ),
    };
    Ok(Chosen {
        schema,
        text,
        source,
        kept_labels,
        path,
    })
}

impl Chosen {
    /// Labels the store has (the kept schema's, and `used`: the labels of its annotations)
    /// that this schema lacks, in name order.
    pub fn missing<'a>(&self, used: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let have: BTreeSet<&str> = self.schema.labels.iter().map(|l| l.name.as_str()).collect();
        let mut store: BTreeSet<&str> = used.into_iter().collect();
        store.extend(self.kept_labels.iter().map(String::as_str));
        store
            .difference(&have)
            .map(|name| (*name).to_owned())
            .collect()
    }

    /// Refuses a `--schema` that lacks labels the store has, naming them, unless `change`
    /// (`--schema-change`). A kept or default schema is not refused: a kept one is what the
    /// store was made with, and the default's gaps are the caller's to report.
    pub fn check<'a>(
        &self,
        used: impl IntoIterator<Item = &'a str>,
        change: bool,
    ) -> anyhow::Result<()> {
        if self.source != Source::Given || change {
            return Ok(());
        }
        let missing = self.missing(used);
        anyhow::ensure!(
            missing.is_empty(),
            "--schema lacks labels the label store has: {}; add them to the schema, or give \
             --schema-change to use it anyway (the schema kept with the store is {})",
            quoted(&missing),
            escape::path(&self.path),
        );
        Ok(())
    }

    /// A warning when the default schema is in use although the store has labels it lacks
    /// (a store made before schemas were kept, with a `--schema` not given now).
    pub fn default_gaps<'a>(&self, used: impl IntoIterator<Item = &'a str>) -> Option<String> {
        if self.source != Source::Default {
            return None;
        }
        let missing = self.missing(used);
        (!missing.is_empty()).then(|| {
            format!(
                "the label store has labels the default schema lacks: {}; give --schema \
                 with the store's schema (it is then kept with the store)",
                quoted(&missing)
            )
        })
    }
}

/// Keeps `chosen` beside the store, unless the same text is there already, or it is the
/// default schema while the store has labels it lacks (`gaps`: keeping it would make the
/// gap permanent). Written whole or not at all. Called by writers holding the store.
pub fn keep(chosen: &Chosen, gaps: bool) -> io::Result<()> {
    // A PostgreSQL store's kept schema may still be in the data folder of before: written
    // to the database by the next writer (the database's text is compared, not the file's).
    if gaps || (chosen.source == Source::Kept && address(&chosen.path).is_none()) {
        return Ok(());
    }
    if let Some(address) = address(&chosen.path) {
        return crate::store::pg::side::keep_schema(address, &chosen.text)
            .map_err(io::Error::other);
    }
    if read(&chosen.path).is_ok_and(|text| text == chosen.text) {
        return Ok(());
    }
    let mut file = AtomicFile::create(&chosen.path)?;
    file.writer().write_all(chosen.text.as_bytes())?;
    file.commit()
}

/// A PostgreSQL store's address, when `path` is one.
fn address(path: &Path) -> Option<&str> {
    path.to_str().filter(|p| crate::store::pg::is_url(p))
}

/// The kept schema's text: the file, or what the database keeps for a PostgreSQL store
/// (`NotFound` when it keeps none).
fn read_kept(path: &Path) -> io::Result<String> {
    match address(path) {
        Some(address) => crate::store::pg::side::schema(address)
            .map_err(io::Error::other)?
            .ok_or_else(|| io::ErrorKind::NotFound.into()),
        None => read(path),
    }
}

fn read(path: &Path) -> io::Result<String> {
    crate::special::refuse(path).and_then(|()| std::fs::read_to_string(path))
}

fn names(schema: &Schema) -> Vec<String> {
    schema.labels.iter().map(|l| l.name.clone()).collect()
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| escape::quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}
