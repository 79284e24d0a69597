//! `stance export`: settle the labels of each sentence and write them as training data.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::CommandFactory;
use clap::error::ErrorKind;

use crate::attach::Reattached;
use crate::cli::{Cli, ExportArgs, ExportFormat, Resolve as ResolveArg};
use crate::corpus;
use crate::escape;
use crate::export::{
    self, AtomicFile, Format, LabelSet, OnlyLabel, Options, Resolve, Split, Summary,
};
use crate::kept_schema;
use crate::schema::Schema;
use crate::store::{self, OpenedStore, Store};

/// Runs `stance export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let (split, format) = match usage(args) {
        Ok(valid) => valid,
        Err(err) => {
            err.print()?;
            return Ok(ExitCode::from(2));
        }
    };
    let corpus = corpus::open(&args.corpus.spec())?;
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {}", escape::escape(warning));
    }
    let (store_path, choice) = super::store_of(args.labels.as_deref(), &corpus)?;
    if let Some(note) = choice.and_then(|c| c.note) {
        eprintln!("stance: note: {note}");
    }
    if !store_path.exists() && !store::pg::is_url_path(&store_path) {
        bail!(
            "{}: no label store here (annotate first, or name one with --labels)",
            escape::path(&store_path)
        );
    }
    let store = OpenedStore::open_read_only(&store_path)?;
    let chosen = kept_schema::choose(args.schema.as_deref(), &store_path)?;
    let used = || {
        store
            .annotations()
            .flat_map(|a| a.labels().iter().map(String::as_str))
    };
    chosen.check(used(), args.schema_change)?;
    if let Some(gaps) = chosen.default_gaps(used()) {
        eprintln!("stance: warning: {gaps}");
    }
    let chosen_schema = chosen.schema.clone();
    let labels = label_set(chosen.schema);
    let only_label = match &args.label {
        Some(name) if name == "none" && labels.position(name).is_err() => Some(OnlyLabel::NoStance),
        Some(name) => Some(OnlyLabel::Label(labels.position(name).context("--label")?)),
        None => None,
    };
    let mut options = Options {
        format,
        labels,
        split,
        context: args.context,
        include_unlabeled: args.include_unlabeled,
        include_ignored: args.include_ignored,
        only_label,
        resolve: match (&args.annotator, args.resolve) {
            (Some(name), _) => Resolve::Annotator(name.clone()),
            (None, ResolveArg::Latest) => Resolve::Latest,
            (None, ResolveArg::Majority) => Resolve::Majority,
            (None, ResolveArg::Adjudicated) => Resolve::Adjudicated,
        },
        meta: None,
        boundaries: Default::default(),
        remarks: store.remarks().clone(),
    };
    options.meta = meta_fields(args.meta.as_deref(), &corpus, &options)?;
    options.boundaries = store.boundaries().clone();
    if args.suggested {
        let shown = store.annotations().filter(|e| !corpus.hides(e.article()));
        let encoder = super::encoder_option::folder(args.encoder.as_deref())?
            .map(|dir| (dir, store_path.clone()));
        let events = suggestions(
            &corpus,
            &options.boundaries,
            &chosen_schema,
            shown,
            encoder.as_ref(),
        )?;
        let suggested = events.iter().map(store::Annotation::from);
        return write(args, &corpus, suggested, &options, &store_path);
    }
    // An article left out by `--where` is not exported, and its annotations are not gone.
    let reattached = Reattached::find(
        &corpus.articles,
        &options.boundaries,
        &corpus.hidden,
        store.annotations(),
    );
    if let Some(report) = reattached.report() {
        eprintln!("stance: note: {report}");
    }
    let annotations = reattached
        .annotations(store.annotations())
        .filter(|e| !corpus.hides(e.article()));
    write(args, &corpus, annotations, &options, &store_path)
}

/// The name that `--suggested` records carry where an annotator's name would be.
pub const SUGGESTION: &str = "suggestion";

/// The model's suggestion for every sentence nobody annotated, as events of origin
/// `suggestion` by [`SUGGESTION`], in corpus order; never saved, only exported.
fn suggestions<'a>(
    corpus: &corpus::Corpus,
    boundaries: &store::Overrides,
    schema: &Schema,
    annotations: impl Iterator<Item = store::Annotation<'a>>,
    encoder: Option<&(std::path::PathBuf, std::path::PathBuf)>,
) -> anyhow::Result<Vec<store::Event>> {
    let settled =
        crate::model::examples::settle(&corpus.articles, boundaries, annotations, schema, |_| {
            false
        });
    let mut model = match encoder {
        // `--encoder`: every sentence this export reads is embedded (through the cache
        // beside the store) before the model trains, and the model reads the embedding
        // alone, as `stance suggest` does by default.
        Some((dir, store)) => {
            let mut texts: Vec<&str> = settled.examples.iter().map(|e| e.text.as_str()).collect();
            for article in &corpus.articles {
                for span in crate::boundary::sentences(article, boundaries) {
                    texts.push(&article.text[span.start..span.end]);
                }
            }
            let (features, _) = crate::model::embed::setup::prepare(dir, store, texts, true)?;
            let mut model = crate::model::embed::setup::model(schema, &features);
            model.fit(&settled.examples);
            model
        }
        None => crate::model::Model::train(schema, &settled.examples),
    };
    let mut events = Vec::new();
    for (a, article) in corpus.articles.iter().enumerate() {
        for (s, span) in crate::boundary::sentences(article, boundaries)
            .into_iter()
            .enumerate()
        {
            if settled.annotated.contains(&(a, s)) {
                continue;
            }
            let text = &article.text[span.start..span.end];
            let suggestion = model.suggest(text);
            let names = suggestion
                .suggested
                .iter()
                .map(|&i| schema.labels[i].name.as_str());
            let mut event = store::Event::set(&article.id, span.start, text, names, SUGGESTION, 0);
            event.origin = store::Origin::Suggestion;
            events.push(event);
        }
    }
    Ok(events)
}

/// Writes the export of `annotations` where `--out` says, and prints the report.
fn write<'a>(
    args: &ExportArgs,
    corpus: &'a corpus::Corpus,
    annotations: impl IntoIterator<Item = store::Annotation<'a>, IntoIter: Clone>,
    options: &Options,
    store_path: &Path,
) -> anyhow::Result<ExitCode> {
    let options = options.clone();
    let store_path = store_path.to_owned();
    let report = match &args.out {
        Some(out) => {
            refuse_to_overwrite_inputs(out, &store_path, &args.corpus.corpus)?;
            let shown = escape::path(out);
            if out.is_dir() {
                bail!("{shown}: --out names a folder; name a file to write");
            }
            let mut file =
                AtomicFile::create(out).with_context(|| format!("{shown}: cannot create"))?;
            let summary = export::export(&corpus.articles, annotations, &options, &mut file)
                .with_context(|| shown.clone())?;
            // Made before the commit: once the file is in place, nothing may fail.
            let report = report(&summary, &options, Some(out), &store_path);
            file.commit()
                .with_context(|| format!("{shown}: cannot save"))?;
            report
        }
        None => {
            let stdout = io::stdout().lock();
            let mut writer = BufWriter::with_capacity(1 << 16, stdout);
            let summary = export::export(&corpus.articles, annotations, &options, &mut writer)
                .context("standard output")?;
            writer
                .flush()
                .context("standard output: cannot write the export")?;
            report(&summary, &options, None, &store_path)
        }
    };
    // The export is in place: a report that cannot be printed (stderr on a full disk) must
    // not turn it into a failure, as `eprint!` would by panicking.
    let _ = io::stderr().lock().write_all(report.as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// Checks what clap cannot: the split's numbers and that `--context` has a place to go.
fn usage(args: &ExportArgs) -> Result<(Option<Split>, Format), clap::Error> {
    let mut root = Cli::command();
    root.build();
    let mut command = root
        .find_subcommand_mut("export")
        .expect("the export subcommand is defined in cli.rs")
        .clone();
    let split = match &args.split {
        Some(spec) => Some(Split::parse(spec, args.seed).map_err(|err| {
            command.error(
                ErrorKind::ValueValidation,
                format!("invalid value '{spec}' for '--split <TRAIN,DEV,TEST>': {err}"),
            )
        })?),
        None => None,
    };
    let format = match args.format {
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Spacy => Format::Spacy,
        ExportFormat::Prodigy => Format::Prodigy,
        ExportFormat::Doccano => Format::Doccano,
    };
    if args.context.is_some() && format != Format::Jsonl {
        return Err(command.error(
            ErrorKind::ArgumentConflict,
            "'--context' adds the fields context_before/context_after, which only \
             '--format jsonl' has",
        ));
    }
    Ok((split, format))
}

/// The fields `--meta` names (`all`: every metadata field of the corpus), each checked to be
/// a field of the corpus and not a name the format already uses where the field would go.
fn meta_fields(
    asked: Option<&[String]>,
    corpus: &corpus::Corpus,
    options: &Options,
) -> anyhow::Result<Option<Vec<String>>> {
    let Some(asked) = asked else {
        return Ok(None);
    };
    let names: Vec<String> = match asked {
        [all] if all == "all" => corpus.fields.clone(),
        names => {
            corpus.check_fields("--meta", names.iter().map(String::as_str), false)?;
            let mut unique: Vec<String> = Vec::with_capacity(names.len());
            for name in names {
                if !unique.contains(name) {
                    unique.push(name.clone());
                }
            }
            unique
        }
    };
    // Where the format puts flags and notes beside the metadata.
    let remarks = (!options.remarks.is_empty())
        .then_some(["flagged", "note", "article_note"])
        .into_iter()
        .flatten();
    let taken: Vec<&str> = match options.format {
        Format::Csv => ["article_id", "sentence_index", "text", "labels"]
            .into_iter()
            .chain(options.labels.names())
            .chain(options.split.map(|_| "split"))
            .chain(options.include_ignored.then_some("ignored"))
            .chain(remarks)
            .collect(),
        Format::Prodigy => ["article_id", "sentence_index"]
            .into_iter()
            .chain(remarks)
            .collect(),
        Format::Doccano => ["text", "label"]
            .into_iter()
            .chain(options.include_ignored.then_some("ignored"))
            .chain(remarks)
            .collect(),
        Format::Spacy => remarks.collect(),
        Format::Jsonl => Vec::new(),
    };
    if let Some(clash) = names.iter().find(|name| taken.contains(&name.as_str())) {
        bail!(
            "--meta: field {} would overwrite the {} field of that name; leave it out of --meta",
            escape::quote(clash),
            format_name(options.format)
        );
    }
    Ok(Some(names))
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
        Format::Spacy => "spacy",
        Format::Prodigy => "prodigy meta",
        Format::Doccano => "doccano",
    }
}

fn label_set(schema: Schema) -> LabelSet {
    LabelSet::new(
        schema.labels.into_iter().map(|label| label.name),
        schema.exclusive,
    )
}

/// An export written over the label store or a corpus file would destroy it.
fn refuse_to_overwrite_inputs(out: &Path, store: &Path, corpus: &[PathBuf]) -> anyhow::Result<()> {
    // A file in a store folder would be read as an annotator's journal next time.
    if let store::Layout::Folder(folder) = store::layout_of(store) {
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new(".")).canonicalize();
        if parent.is_ok() && parent.ok() == folder.canonicalize().ok() {
            bail!(
                "{}: --out names a file in the label store folder {}; choose another place",
                escape::path(out),
                escape::path(&folder)
            );
        }
    }
    let Ok(out_real) = out.canonicalize() else {
        return Ok(());
    };
    let inputs = std::iter::once(store).chain(corpus.iter().map(PathBuf::as_path));
    for input in inputs {
        if input.canonicalize().is_ok_and(|real| real == out_real) {
            bail!(
                "{}: --out names an input of this export; choose another file",
                escape::path(out)
            );
        }
    }
    Ok(())
}

/// The report for standard error: the summary and, with `--out`, where it went.
fn report(summary: &Summary, options: &Options, out: Option<&Path>, store: &Path) -> String {
    let mut text = summary.report(&options.labels, options.split.is_some());
    if let Some(split) = &options.split {
        for warning in export::split_check::split_warnings(summary, split.percents) {
            text.push_str(&warning);
            text.push('\n');
        }
    }
    text.push_str(&summary.conflict_report(&options.resolve));
    if let Some(out) = out {
        text.push_str(&format!(
            "wrote {} (labels from {})\n",
            escape::path(out),
            escape::path(store)
        ));
    }
    text
}
