//! `stance store convert`: a single-file store becomes a store folder.

use std::process::ExitCode;

use crate::cli::ConvertArgs;
use crate::corpus;
use crate::escape;
use crate::store::{self, Layout};

/// Runs `stance store convert`, reporting on stderr what went where.
pub fn convert(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let path = match &args.labels {
        Some(path) => path.clone(),
        None => store::default_path(&corpus::open(&args.corpus.spec())?.key)?,
    };
    if let Layout::Folder(folder) = store::layout_of(&path) {
        anyhow::bail!(
            "{}: already a store folder (one journal per annotator); nothing to convert",
            escape::path(&folder)
        );
    }
    let annotator = std::env::var("USER").unwrap_or_else(|_| "stance store convert".into());
    let done = store::convert(&path, &annotator)?;
    let per: Vec<String> = done
        .annotators
        .iter()
        .map(|(name, lines)| format!("{} {lines}", escape::escape(name)))
        .collect();
    eprintln!(
        "converted {} into the store folder {}: {} lines copied ({}); the old file is kept as {}",
        escape::path(&path),
        escape::path(&done.folder),
        done.lines,
        if per.is_empty() {
            "no annotators".to_owned()
        } else {
            per.join(", ")
        },
        escape::path(&done.kept),
    );
    if done.torn_left {
        eprintln!(
            "stance: warning: its last line was cut short by a crash (not a decision): it was \
             not copied and stays in {}",
            escape::path(&done.kept)
        );
    }
    Ok(ExitCode::SUCCESS)
}
