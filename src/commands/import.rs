//! `stance import`: read label files, place their annotations on the corpus's sentences and
//! append them to the label store in one atomic step.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};

use crate::cli::{ImportArgs, ImportFormat};
use crate::corpus;
use crate::escape;
use crate::import::{self, FileError, Format, Index, Plan};
use crate::kept_schema;
use crate::store::{self, LabelStore, Layout, OpenedStore, Store};

/// Runs `stance import`.
pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    super::pad_heaps();
    // The first file is read and parsed while the corpus is read (the corpus on one core,
    // the file's chunks on every core); its errors still come after the corpus's.
    let given = match args.format {
        ImportFormat::Auto => None,
        other => Some(format_of(other)),
    };
    let mut first = args.from.first().map(|path| {
        let path = path.clone();
        std::thread::spawn(move || import::parse_file(&path, given))
    });
    // A store named by path is read from the start, while the corpus and the first file
    // are (a million events take a core for a second): its errors still come after theirs.
    let named = named_store(args.labels.as_deref());
    let mut early = named.clone().map(|path| {
        let annotator = args.annotator.clone();
        std::thread::spawn(move || open_existing(&path, annotator.as_deref()))
    });
    let corpus = corpus::open(&args.corpus.spec())?;
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {}", escape::escape(warning));
    }
    let (store_path, choice) = super::store_of(args.labels.as_deref(), &corpus)?;
    if let Some(note) = choice.as_ref().and_then(|c| c.note.as_deref()) {
        eprintln!("stance: note: {note}");
    }
    let chosen = kept_schema::choose(args.schema.as_deref(), &store_path)?;
    let names: Vec<String> = chosen
        .schema
        .labels
        .iter()
        .map(|l| l.name.clone())
        .collect();

    // The store is read while the files are: placing needs its boundary overrides.
    let opening = match early.take() {
        Some(early) if named.as_ref() == Some(&store_path) => early,
        other => {
            // Not the store chosen after all: its lock is let go before the right one is
            // taken.
            drop(other.map(std::thread::JoinHandle::join));
            let (path, annotator) = (store_path.clone(), args.annotator.clone());
            std::thread::spawn(move || open_existing(&path, annotator.as_deref()))
        }
    };
    let mut locked = false;
    let mut opening = Some(opening);
    let mut existing = None;
    let mut index = None;
    let mut plan = Plan::new();
    let mut report = String::new();
    for (file, path) in args.from.iter().enumerate() {
        let shown = escape::path(path);
        let read = match first.take() {
            Some(reading) => reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => import::parse_file(path, given),
        };
        let (format, parsed) = read.map_err(|err| match err {
            FileError::Read(err) => {
                anyhow::Error::new(err).context(format!("{shown}: cannot read"))
            }
            FileError::Unknown => anyhow!("{shown}: {err}"),
            FileError::Parse(err) => anyhow::Error::new(err).context(shown.clone()),
        })?;
        let _ = writeln!(
            report,
            "{shown} ({}): {} annotations",
            format.name(),
            parsed.annotations.len()
        );
        let index = index.get_or_insert_with(|| Index::new(&corpus.articles));
        if let Some(opening) = opening.take() {
            // Segmented while the store is still read; the few articles its boundary
            // overrides touch are segmented again below.
            index.prepare(&parsed.annotations);
            let store;
            (store, locked) = opening
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            // Placed on the sentences the store's sessions see, boundary overrides applied.
            index.set_boundaries(store.boundaries().clone());
            existing = Some(store);
        }
        plan.add(file, parsed, index, args.annotator.as_deref(), &names)
            .with_context(|| shown.clone())?;
    }
    if !plan.unknown_labels.is_empty() && !args.keep_unknown_labels {
        bail!(
            "labels not in the schema: {}; add them to the schema (--schema) or give \
             --keep-unknown-labels; nothing was written",
            counted(&plan.unknown_labels)
        );
    }

    // The labels the store has must be in the schema (or `--schema-change` says so),
    // checked before anything is written.
    let existing = match existing {
        Some(existing) => existing,
        None => OpenedStore::open_read_only(&store_path)?,
    };
    let gaps = {
        // Read only by the check that needs it: a million labels need not be gathered twice.
        let used =
            || Store::annotations(&existing).flat_map(|a| a.labels().iter().map(String::as_str));
        chosen.check(used(), args.schema_change)?;
        chosen.default_gaps(used())
    };
    let added;
    let store = match store::layout_of(&store_path) {
        Layout::Journal(path) => {
            let store = match existing {
                OpenedStore::Journal(store) if locked => store,
                // A store that did not exist is opened under the writer's lock now (a
                // session may have saved meanwhile), so that a failed import creates none.
                unlocked => {
                    drop(unlocked);
                    open_journal(&path, args.annotator.as_deref())?
                }
            };
            plan.drop_existing_by(|article, start, end, annotator| {
                store.get(article, start, end, annotator)
            });
            let decisions = plan.take_decisions();
            added = decisions.len();
            if decisions.is_empty() {
                // Nothing to write; the store is left to the process's end, as below.
                std::mem::forget(store);
            } else {
                store.append_decisions_and_close(&decisions, store::now_ms())?;
            }
            // Synced and closed: the process ends soon, and freeing a million decisions
            // one by one would only delay it (the system takes the memory back at exit).
            std::mem::forget(decisions);
            None
        }
        Layout::Folder(folder) => {
            plan.drop_existing(Store::annotations(&existing));
            let decisions = plan.take_decisions();
            added = decisions.len();
            if let Some(err) = store::import_into_folder(&folder, decisions)? {
                eprintln!(
                    "stance: warning: the import is complete, but copying it into an \
                     annotator's journal failed ({err}); that annotator's next session copies it"
                );
            }
            Some(existing)
        }
        Layout::Postgres(address) => {
            let annotator = match &args.annotator {
                Some(name) => name.clone(),
                None => store::login_name(),
            };
            let mut store = store::PgStore::open_as(&address, &annotator)?;
            plan.drop_existing(Store::annotations(&store));
            let decisions = plan.take_decisions();
            added = decisions.len();
            Store::append_all(&mut store, &decisions)?;
            Some(OpenedStore::Postgres(Box::new(store)))
        }
    };
    if let Some(warning) = super::remember(choice.as_ref(), &corpus) {
        eprintln!("stance: warning: {warning}");
    }
    if let Some(gaps) = &gaps {
        eprintln!("stance: warning: {gaps}");
    }
    if let Err(err) = kept_schema::keep(&chosen, gaps.is_some()) {
        eprintln!(
            "stance: warning: {}: the schema could not be kept with the store: {err}",
            escape::path(&chosen.path)
        );
    }

    describe(&mut report, &plan, added, &args.from);
    let _ = writeln!(
        report,
        "added {added} decisions to {}",
        escape::path(&store_path)
    );
    // The decisions are saved: a report that cannot be printed must not undo the success.
    let _ = std::io::stderr().lock().write_all(report.as_bytes());
    // The process ends here: freeing a million decisions one by one would only delay it.
    std::mem::forget(index);
    std::mem::forget((plan, store, corpus));
    Ok(ExitCode::SUCCESS)
}

/// The store the import adds to, read once: a journal that exists is opened under the
/// writer's lock at once (true), so that it is not replayed a second time to write; any
/// other store is read without the lock (false).
fn open_existing(
    path: &Path,
    annotator: Option<&str>,
) -> Result<(OpenedStore, bool), store::StoreError> {
    if let Layout::Journal(journal) = store::layout_of(path)
        && std::fs::symlink_metadata(&journal).is_ok()
    {
        let store = open_journal(&journal, annotator)?;
        return Ok((OpenedStore::Journal(store), true));
    }
    Ok((OpenedStore::open_read_only(path)?, false))
}

/// The store `--labels` (else `STANCE_LABELS`) names by path, as [`super::store_of`] takes
/// it; `None` when the registry chooses the store or it is a PostgreSQL address, which
/// need the corpus first.
fn named_store(labels: Option<&Path>) -> Option<std::path::PathBuf> {
    let from_env = std::env::var_os(super::LABELS_ENV)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    labels
        .map(Path::to_owned)
        .or(from_env)
        .filter(|path| !store::pg::is_url_path(path))
}

/// The journal opened for writing as `annotator`, else as the login name.
fn open_journal(path: &Path, annotator: Option<&str>) -> Result<LabelStore, store::StoreError> {
    match annotator {
        Some(name) => LabelStore::open_as(path, name),
        None => LabelStore::open(path),
    }
}

fn format_of(format: ImportFormat) -> Format {
    match format {
        ImportFormat::Jsonl => Format::Jsonl,
        ImportFormat::Csv => Format::Csv,
        ImportFormat::Spacy => Format::Spacy,
        ImportFormat::Prodigy => Format::Prodigy,
        ImportFormat::Doccano => Format::Doccano,
        ImportFormat::LabelStudio | ImportFormat::Auto => Format::LabelStudio,
    }
}

/// `name (n), ...` with every name escaped.
fn counted(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .map(|(name, n)| format!("{} ({n})", escape::quote(name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The totals, each annotation that was not attached with its reason, the skipped records
/// and the labels the schema lacks.
fn describe(report: &mut String, plan: &Plan, added: usize, files: &[std::path::PathBuf]) {
    let _ = writeln!(
        report,
        "attached: {} ({added} new, {} already there, {} replaced by a later record)",
        plan.attached, plan.already, plan.superseded
    );
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, miss) in &plan.missed {
        *by_reason.entry(miss.reason()).or_default() += 1;
    }
    let reasons: Vec<String> = by_reason
        .iter()
        .map(|(reason, n)| format!("{reason} {n}"))
        .collect();
    let _ = writeln!(
        report,
        "not attached: {}{}",
        plan.missed.len(),
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        }
    );
    for (file, at, miss) in &plan.missed {
        let _ = writeln!(report, "  {}: {at}: {miss}", escape::path(&files[*file]));
    }
    if !plan.skipped.is_empty() {
        let _ = writeln!(report, "skipped, no annotation: {}", plan.skipped.len());
        for (file, at, why) in &plan.skipped {
            let _ = writeln!(
                report,
                "  {}: {at}: {}",
                escape::path(&files[*file]),
                escape::escape(why)
            );
        }
    }
    if !plan.unknown_labels.is_empty() {
        let _ = writeln!(
            report,
            "labels not in the schema, kept: {}",
            counted(&plan.unknown_labels)
        );
    }
}
