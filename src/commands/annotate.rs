//! `stance annotate` (and `stance` alone): open a corpus and tag its sentences.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::app::{Keymap, LabelFilter, Setup, State};
use crate::cli::AnnotateArgs;
use crate::corpus;
use crate::escape;
use crate::kept_schema;
use crate::schema::Schema;
use crate::store::{OpenedStore, SessionStore, Store, StoreError};
use crate::terminal::reattach::ReattachInput;
use crate::terminal::{self, FirstWrite, Session, position};

/// Runs `stance annotate`.
pub fn run(args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    session(args, None)
}

/// Opens a session on the article, or (`review` holds the `--label` given, if any) on the
/// review list; a review of a store another session writes is read-only.
pub(crate) fn session(
    args: &AnnotateArgs,
    review: Option<Option<&str>>,
) -> anyhow::Result<ExitCode> {
    session_as(args, review, false)
}

/// [`session`], or with `adjudicate` a lead's session on the disputed sentences, whose
/// decisions are journaled with origin `adjudicated`.
pub(crate) fn session_as(
    args: &AnnotateArgs,
    review: Option<Option<&str>>,
    adjudicate: bool,
) -> anyhow::Result<ExitCode> {
    let corpus = corpus::open(&args.corpus.spec())?;
    let annotator = annotator(args.annotator.as_deref())?;
    let (store_path, choice) = super::store_of(args.labels.as_deref(), &corpus)?;
    let chosen = kept_schema::choose(args.schema.as_deref(), &store_path)?;
    let schema = chosen.schema.clone();
    let review = match review {
        Some(Some(name)) => Some(label_filter(&schema, name)?),
        Some(None) => Some(LabelFilter::Any),
        None => None,
    };
    let (keymap, mut warnings) = keymap();
    let (preselect, problem) = preselect();
    warnings.extend(problem);
    let encoder =
        super::encoder_option::for_session(args.encoder.as_deref(), &store_path, &mut warnings);
    warnings.extend(corpus.warnings.iter().cloned());
    warnings.extend(choice.as_ref().and_then(|c| c.note.clone()));
    for warning in &warnings {
        eprintln!("stance: warning: {}", escape::escape(warning));
    }
    let command = if review.is_some() {
        "review"
    } else {
        "annotate"
    };
    let stdin_is_corpus = args.corpus.corpus.iter().any(|p| p.as_os_str() == "-");
    terminal::ensure_terminal(command, stdin_is_corpus)?;
    // A writing session's store: created by its first write. A review refused it reads.
    let (session, read_only) = match SessionStore::open(&store_path, &annotator) {
        Ok((store, None)) => (Ok(store), None),
        Ok((store, Some(unwritable))) => {
            warnings.insert(
                0,
                format!(
                    "{unwritable}; nothing is saved until it can be: decisions stay on \
                     screen as NOT SAVED, Enter on one tries again"
                ),
            );
            (Ok(store), None)
        }
        Err(StoreError::Locked { pid, .. }) if review.is_some() => {
            let reason = format!("another session (process {pid}) is writing this label store");
            warnings.push(format!(
                "{reason}: reviewing read-only, changes are not saved"
            ));
            (Err(OpenedStore::open_read_only(&store_path)?), Some(reason))
        }
        Err(StoreError::Held { holder, .. }) if review.is_some() => {
            let reason = format!("{holder} is writing this label store");
            warnings.push(format!(
                "{reason}: reviewing read-only, changes are not saved"
            ));
            (Err(OpenedStore::open_read_only(&store_path)?), Some(reason))
        }
        Err(err) => return Err(err.into()),
    };
    let store = match &session {
        Ok(session) => session.opened(),
        Err(reader) => reader,
    };
    let used = || {
        store
            .annotations()
            .flat_map(|a| a.labels().iter().map(String::as_str))
    };
    chosen.check(used(), args.schema_change)?;
    let gaps = chosen.default_gaps(used());
    let side_files = side_files(
        read_only.is_none(),
        super::remember_later(choice.as_ref(), &corpus),
        chosen,
        gaps.is_some(),
    );
    let store_existed = match &session {
        Ok(session) => !session.is_pending(),
        Err(_) => std::fs::symlink_metadata(&store_path).is_ok(),
    };
    warnings.extend(gaps);
    if store.recovered_torn_line() {
        warnings.push(format!(
            "{}: the last line was cut short by a crash and was set aside",
            escape::path(&store_path)
        ));
    }
    let position_file = position::path_for(&store_path);
    let resume = match position::read_all(&position_file) {
        Ok(mut all) => all.remove(&annotator),
        Err(err) => {
            warnings.push(format!("{err:#}; starting from the last decision"));
            None
        }
    };
    let hidden = corpus.hidden;
    // What `stance suggest` would train from, taken before the store moves to its worker.
    let trained_from: Vec<crate::store::Event> =
        store.annotations().map(|a| a.to_event()).collect();
    let articles = Arc::new(corpus.articles);
    // Found after the first frame (src/terminal/reattach.rs): the search segments the whole
    // corpus.
    let reattach = ReattachInput::of(
        &articles,
        store.boundaries(),
        &hidden,
        store.annotations(),
        terminal::reattach::index::path_for(&store_path),
    );
    let setup = Setup {
        articles,
        schema,
        keymap,
        annotator,
        store_path: shown_path(&store_path),
        resume,
        warnings,
        events: Vec::new(),
        review,
        read_only,
        boundaries: store.boundaries().clone(),
        overlap: args.overlap,
        remarks: store.remarks().clone(),
    };
    // Annotations of articles left out by `--where` are not shown, nor counted as orphans.
    let shown = store
        .annotations()
        .filter(|e| !hidden.contains(e.article()));
    let mut state = State::with_events(setup, shown);
    state.set_colour(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()));
    state.set_preselect(preselect);
    if args.order == crate::cli::SuggestOrder::Uncertain {
        state.order_by_uncertainty();
    }
    if adjudicate {
        state.adjudicate();
    }
    let model = terminal::model_worker::ModelInput {
        articles: std::sync::Arc::clone(state.articles()),
        schema: state.schema().clone(),
        boundaries: store.boundaries().clone(),
        events: trained_from,
        hidden,
        rank: args.order == crate::cli::SuggestOrder::Uncertain,
        encoder,
    };
    let store: Box<dyn Store> = match session {
        Ok(session) => Box::new(session),
        Err(reader) => Box::new(reader),
    };
    terminal::run(Session {
        state,
        store,
        position_file,
        first_write: FirstWrite {
            side_files,
            store_existed,
        },
        model: Some(model),
        reattach,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What a writing session writes beside the store once it has written to it: the store's
/// registry record, and the schema kept with it (not when the default schema lacks labels
/// the store has: `gaps`). Nothing for a session that cannot write.
fn side_files(
    writes: bool,
    remember: Option<impl FnOnce() -> Option<String> + Send + 'static>,
    chosen: kept_schema::Chosen,
    gaps: bool,
) -> Box<dyn FnOnce() -> Vec<String> + Send> {
    if !writes {
        return Box::new(Vec::new);
    }
    Box::new(move || {
        let mut warnings: Vec<String> = remember
            .and_then(|remember| remember())
            .into_iter()
            .collect();
        if let Err(err) = kept_schema::keep(&chosen, gaps) {
            warnings.push(format!(
                "{}: the schema could not be kept with the store: {err}",
                escape::path(&chosen.path)
            ));
        }
        warnings
    })
}

/// The filter `--label NAME` asks for: a label of the schema (any case), or `none` for
/// "no stance".
fn label_filter(schema: &Schema, name: &str) -> anyhow::Result<LabelFilter> {
    let found = schema.index_of(name).or_else(|| {
        schema
            .labels
            .iter()
            .position(|l| l.name.eq_ignore_ascii_case(name))
    });
    if let Some(i) = found {
        return Ok(LabelFilter::Label(i));
    }
    let folded = name.to_ascii_lowercase().replace(['-', '_'], " ");
    if folded == "none" || folded == "no stance" {
        return Ok(LabelFilter::NoStance);
    }
    if folded == "ignored" {
        return Ok(LabelFilter::Ignored);
    }
    let names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    anyhow::bail!(
        "--label {name:?}: the schema has no such label; it has {} (or \"none\" for no stance, \"ignored\" for ignored)",
        escape::escape(&names.join(", "))
    )
}

/// `--annotator`, else the user name from the environment, else `anonymous`.
fn annotator(given: Option<&str>) -> anyhow::Result<String> {
    if let Some(name) = given {
        let name = name.trim();
        anyhow::ensure!(
            !name.is_empty() && !name.contains(char::is_control),
            "--annotator: {name:?} is not a usable name"
        );
        return Ok(name.to_owned());
    }
    Ok(["USER", "USERNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty() && !name.contains(char::is_control))
        .unwrap_or_else(|| "anonymous".to_owned()))
}

/// The folder of `config.toml`: `STANCE_CONFIG_DIR`, else the platform's config folder.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("STANCE_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "stance").map(|d| d.config_dir().to_owned()),
    }
}

/// The default keys patched by `[keys]` in `config.toml`, and what was wrong in it.
fn keymap() -> (Keymap, Vec<String>) {
    let mut keymap = Keymap::default();
    let Some(path) = config_dir().map(|dir| dir.join("config.toml")) else {
        return (keymap, Vec::new());
    };
    // A FIFO would block the read forever.
    let read = crate::special::refuse(&path).and_then(|()| std::fs::read_to_string(&path));
    match read.with_context(|| format!("cannot read {}", escape::path(&path))) {
        Ok(text) => {
            let problems = keymap.patch(&text, &path.display().to_string());
            (keymap, problems)
        }
        Err(err) if is_not_found(&err) => (keymap, Vec::new()),
        Err(err) => (keymap, vec![format!("{err:#}; using the default keys")]),
    }
}

/// `preselect = true` in config.toml (off by default, and when the file is missing or
/// unreadable, which [`keymap`] already reports); a value that is not true or false is
/// reported and taken as false.
fn preselect() -> (bool, Option<String>) {
    let Some(path) = config_dir().map(|dir| dir.join("config.toml")) else {
        return (false, None);
    };
    if crate::special::refuse(&path).is_err() {
        return (false, None);
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (false, None);
    };
    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
        return (false, None);
    };
    match table.get("preselect") {
        None => (false, None),
        Some(toml::Value::Boolean(on)) => (*on, None),
        Some(_) => (
            false,
            Some(format!(
                "{}: preselect must be true or false; suggestions are not pre-selected",
                escape::path(&path)
            )),
        ),
    }
}

fn is_not_found(err: &anyhow::Error) -> bool {
    err.downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// The path for the status bar, with the home folder as `~`.
fn shown_path(path: &Path) -> String {
    if crate::store::pg::is_url_path(path) {
        return path.display().to_string();
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && let Ok(rest) = absolute.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    absolute.display().to_string()
}
