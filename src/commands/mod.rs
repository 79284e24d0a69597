//! One module per subcommand: each turns validated settings into work and output.

pub mod adjudicate;
pub mod agree;
pub mod annotate;
pub mod encoder_option;
pub mod export;
pub mod import;
pub mod review;
pub mod segment;
pub mod stats;
pub mod stores;

use std::path::{Path, PathBuf};

use crate::corpus::Corpus;
use crate::store::registry::{self, Choice};

/// The environment variable that names the label store when `--labels` is not given.
pub const LABELS_ENV: &str = "STANCE_LABELS";

/// The store `labels` or the environment names, if either does (else the registry chooses
/// one by the corpus).
pub(crate) fn named_store(labels: Option<&Path>) -> Option<PathBuf> {
    let from_env = std::env::var_os(LABELS_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    labels.map(Path::to_owned).or(from_env)
}

/// The label store of `corpus`: `labels` (`--labels`) when given, else `STANCE_LABELS`,
/// else the store the registry chooses, with the choice (whose note says when it is not
/// the corpus's own). A PostgreSQL address comes back with its password masked (the
/// connection still has it) and with `store=` set to the corpus key when it names none.
pub(crate) fn store_of(
    labels: Option<&Path>,
    corpus: &Corpus,
) -> anyhow::Result<(PathBuf, Option<Choice>)> {
    match named_store(labels) {
        Some(path) if crate::store::pg::is_url_path(&path) => {
            let address = path.to_str().expect("an address is UTF-8");
            let shown = crate::store::pg::masked(address, Some(&corpus.key));
            Ok((PathBuf::from(shown), None))
        }
        Some(path) => Ok((path, None)),
        None => {
            let choice = registry::choose(corpus)?;
            Ok((choice.path.clone(), Some(choice)))
        }
    }
}

/// The corpus's store opened to read, as the reading subcommands open it: the store
/// `labels` names, else the one the registry chooses (its note printed), with the schema
/// `schema` names, else the one kept with the store, else the default.
pub(crate) fn read_store(
    labels: Option<&Path>,
    schema: Option<&Path>,
    corpus: &Corpus,
) -> anyhow::Result<(PathBuf, crate::store::OpenedStore, crate::schema::Schema)> {
    let (store_path, choice) = store_of(labels, corpus)?;
    if let Some(note) = choice.and_then(|c| c.note) {
        eprintln!("stance: note: {note}");
    }
    let schema = crate::kept_schema::choose(schema, &store_path)?.schema;
    let store = crate::store::OpenedStore::open_read_only(&store_path)?;
    Ok((store_path, store, schema))
}

/// What [`remember`] does, made ready to run later (on the session's first write), with
/// the warning it gives when the record cannot be written.
pub(crate) fn remember_later(
    choice: Option<&Choice>,
    corpus: &Corpus,
) -> Option<impl FnOnce() -> Option<String> + Send + use<>> {
    let key = choice?.key.clone();
    let (name, paths, digests) = (
        corpus.name.clone(),
        corpus.paths.clone(),
        corpus.digests.clone(),
    );
    Some(move || {
        let record = registry::record_of(name, paths, &digests, crate::store::now_ms());
        registry::write_record(&key, &record)
            .err()
            .map(|err| not_remembered(&key, err))
    })
}

fn not_remembered(key: &str, err: std::io::Error) -> String {
    format!(
        "the store record of {} could not be written: {err}",
        crate::escape::quote(key)
    )
}

/// Records `corpus` as the corpus of the chosen store, once the store is held for writing;
/// a record that cannot be written is a warning, since the labels are safe without it.
pub(crate) fn remember(choice: Option<&Choice>, corpus: &Corpus) -> Option<String> {
    let choice = choice?;
    registry::remember(&choice.key, corpus, crate::store::now_ms())
        .err()
        .map(|err| not_remembered(&choice.key, err))
}

/// Lets each malloc heap grow 64 MB at a time, for the commands that fill memory fast on
/// every core (`import`, `suggest`): a million parsed lines, their decisions and the
/// journal's buffers grew the threads' heaps a few pages at a time otherwise (some 46,000
/// `mprotect` calls in an import, each changing the mappings every core shares).
pub(crate) fn pad_heaps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets one of malloc's parameters; an unknown value is refused
    // with 0, and malloc works as before then.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

pub mod store;
pub mod store_copy;
pub mod suggest;
mod suggest_ahead;
mod suggest_out;
mod suggest_texts;
