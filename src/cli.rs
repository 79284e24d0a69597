//! Command-line definitions (clap derive) and dispatch to the subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::corpus::{Clause, CorpusSpec, Filter};

/// Tag news sentences with stance labels, from the keyboard.
///
/// With no subcommand, annotates: `stance` opens the built-in sample corpus, and
/// `stance CORPUS...` takes the options of `stance annotate`.
#[derive(Debug, Parser)]
#[command(
    name = "stance",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// None when the arguments are a corpus and annotate options (or nothing at all).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The annotate options given without the `annotate` word; empty under a subcommand.
    #[command(flatten)]
    pub session: AnnotateArgs,
}

/// Parses the process's arguments; `--labels` help names the real default folder.
pub fn parse() -> Cli {
    let default = match crate::store::labels_dir() {
        Ok(dir) => format!(
            "The label store: a folder with one journal per annotator, or a single .jsonl \
             journal. Default: {}/<corpus key> (or <corpus key>.jsonl where that exists)",
            crate::escape::path(&dir)
        ),
        Err(err) => format!("The label store (a folder, or a .jsonl journal). No default: {err}"),
    };
    let with_default = |cmd: clap::Command| cmd.mut_arg("labels", |arg| arg.help(default.clone()));
    let mut command = with_default(Cli::command());
    for name in [
        "annotate",
        "review",
        "stats",
        "export",
        "import",
        "agree",
        "adjudicate",
        "suggest",
    ] {
        command = command.mut_subcommand(name, with_default);
    }
    let matches = command.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit())
}

/// The subcommands of `stance`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open a corpus and tag its sentences.
    Annotate(AnnotateArgs),
    /// Browse, filter and correct saved labels.
    Review(ReviewArgs),
    /// Count articles, sentences and labels.
    Stats(StatsArgs),
    /// Write labeled sentences as training data.
    Export(ExportArgs),
    /// Split text into sentences, one per line.
    Segment(SegmentArgs),
    /// Add labels from another tool's file (or a stance export) to the label store.
    Import(ImportArgs),
    /// Manage the label store itself.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Measure how well the annotators agree, per label and on the label set.
    Agree(AgreeArgs),
    /// Settle the sentences where annotators disagree, as a lead (origin `adjudicated`).
    Adjudicate(AnnotateArgs),
    /// Score sentences with the model learned from the label store, or evaluate it.
    Suggest(SuggestArgs),
    /// List the default label stores in the data folder: corpus, counts, last use.
    Stores(StoresArgs),
}

/// Options of `stance stores`.
#[derive(Debug, Args)]
pub struct StoresArgs {
    /// Print one JSON object per store instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The subcommands of `stance store`.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Turn a single-file store (X.jsonl) into a store folder (X/, one journal per
    /// annotator), keeping every line; the file is kept as X.jsonl.converted-<time>.
    Convert(ConvertArgs),
    /// Copy every event of one label store into another (journal file, store folder or
    /// postgresql:// address, in any direction), adding only what the target lacks.
    Copy(CopyArgs),
}

/// Options of `stance store copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The store to copy from: a .jsonl journal, a store folder, or
    /// postgresql://...?store=NAME (nothing is taken from STANCE_LABELS).
    #[arg(value_name = "FROM")]
    pub from: PathBuf,
    /// The store to copy into, of any of the same kinds; created when missing.
    #[arg(value_name = "TO")]
    pub to: PathBuf,
    /// Read both stores and say what would be added, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the summary as one JSON object on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Options of `stance store convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The corpus whose default store is converted (when no --labels is given).
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The single-file store to convert. Default: the corpus's store in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
}

/// Where the articles come from, shared by every corpus subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct CorpusArgs {
    /// Text files, folders, .jsonl/.ndjson, .json, .csv/.tsv, or `-` for standard input.
    /// With none, the built-in sample corpus.
    #[arg(value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    /// The JSON field or CSV column that holds the article text.
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// The JSON field or CSV column that holds the article id. Default: the first of id,
    /// article_id, doc_id, uuid, guid; else the line or row number.
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// Skip JSONL lines or CSV rows that cannot be read (and later articles whose id repeats
    /// with other text), and say how many.
    #[arg(long)]
    pub skip_bad: bool,
    /// Keep only articles whose metadata meets this: FIELD=VALUE (`*` matches any run of
    /// characters), or FIELD>=VALUE, >, <=, < on numbers and dates YYYY-MM-DD. Repeatable:
    /// all must hold.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filter: Vec<Clause>,
}

impl CorpusArgs {
    /// The validated corpus settings, free of clap types.
    pub fn spec(&self) -> CorpusSpec {
        CorpusSpec {
            paths: self.corpus.clone(),
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            skip_bad: self.skip_bad,
            filter: Filter {
                clauses: self.filter.clone(),
            },
        }
    }
}

/// Options of `stance annotate`.
#[derive(Debug, Args, Default)]
pub struct AnnotateArgs {
    /// The corpus to annotate: its paths and how to read them.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The label store (a JSON-lines journal). Default: one per corpus in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
    /// A TOML file with the label set. Default: diplomatic, sanctions, military.
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// Accept a --schema that lacks labels the label store has (they are kept in the store,
    /// but not shown or exported under this schema).
    #[arg(long, requires = "schema")]
    pub schema_change: bool,
    /// Who is annotating. Default: the user name from the environment.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Annotators each article should get: Space goes first to articles that fewer than K
    /// annotators have finished (and you have not).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = overlap)]
    pub overlap: usize,
    /// Where Space goes: the next sentence not yet annotated in corpus order, or the one
    /// the model is least sure of (`uncertain`), across the corpus.
    #[arg(long, value_enum, default_value_t = SuggestOrder::Corpus)]
    pub order: SuggestOrder,
    /// A sentence-transformers model folder (BERT family): suggestions come from a model
    /// over its sentence embeddings. Default: `encoder` in config.toml, else none.
    #[arg(long, value_name = "DIR")]
    pub encoder: Option<PathBuf>,
}

/// `--overlap K`: a whole number of annotators, at least 1.
fn overlap(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(k) if k >= 1 => Ok(k),
        _ => Err(format!(
            "{text:?} is not a number of annotators (1 or more)"
        )),
    }
}

/// Options of `stance review`.
#[derive(Debug, Args, Default)]
pub struct ReviewArgs {
    /// The corpus, store, schema and annotator, as `annotate` takes them.
    #[command(flatten)]
    pub session: AnnotateArgs,
    /// Open the list filtered by this label (a name from the schema, or `none` for no stance).
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,
}

/// Options of `stance stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The corpus whose sentences are counted against the store.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The label store. Default: one per corpus in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
    /// A TOML file with the label set. Default: diplomatic, sanctions, military.
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// Accept a --schema that lacks labels the label store has (they are kept in the store,
    /// but not shown or exported under this schema).
    #[arg(long, requires = "schema")]
    pub schema_change: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Count only this annotator's decisions (repeat it to count several annotators'
    /// together); the JSON then lists them as "only_annotators". Default: everyone's.
    #[arg(long, value_name = "NAME")]
    pub annotator: Vec<String>,
}

/// Training-data formats that `stance export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON lines for Hugging Face datasets and pandas.
    Jsonl,
    /// CSV with one 0/1 column per label.
    Csv,
    /// spaCy textcat `cats`.
    Spacy,
    /// Prodigy choice tasks.
    Prodigy,
    /// doccano text classification.
    Doccano,
}

/// How to settle several annotators' decisions on one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Resolve {
    /// The most recent decision wins.
    #[default]
    Latest,
    /// The label set most annotators chose; ties are left out and counted.
    Majority,
    /// The adjudicated decision, else the annotators' unanimous one; other sentences are
    /// left out and counted.
    Adjudicated,
}

/// Options of `stance export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The corpus whose labeled sentences are written, in its order.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The label store. Default: one per corpus in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
    /// A TOML file with the label set. Default: diplomatic, sanctions, military.
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// Accept a --schema that lacks labels the label store has (they are kept in the store,
    /// but not shown or exported under this schema).
    #[arg(long, requires = "schema")]
    pub schema_change: bool,
    /// The output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write here instead of standard output (complete or not at all).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Train/dev/test percentages, by article, e.g. 80,10,10.
    #[arg(long, value_name = "TRAIN,DEV,TEST")]
    pub split: Option<String>,
    /// Seed of the split.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Add the N sentences before and after, from the same article.
    #[arg(long, value_name = "N")]
    pub context: Option<usize>,
    /// Also export sentences that nobody annotated.
    #[arg(long)]
    pub include_unlabeled: bool,
    /// Also export sentences decided "ignore", marked `ignored` (jsonl, doccano, csv
    /// column), answer "ignore" (prodigy) or with no `cats` (spacy).
    #[arg(long)]
    pub include_ignored: bool,
    /// Export only sentences with this label (`none`: only those reviewed as no stance).
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,
    /// Take this annotator's decisions only.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// How to settle several annotators on one sentence.
    #[arg(long, value_enum, default_value_t = Resolve::Latest)]
    pub resolve: Resolve,
    /// Carry these metadata fields (comma-separated, or `all`) into every record.
    #[arg(long, value_name = "FIELD,...|all", value_delimiter = ',')]
    pub meta: Option<Vec<String>>,
    /// Write the model's suggestions for the sentences nobody annotated, instead of the
    /// annotations (annotator `suggestion`).
    #[arg(long, conflicts_with_all = ["include_unlabeled", "annotator"])]
    pub suggested: bool,
    /// With --suggested: a sentence-transformers model folder whose embeddings the model
    /// reads. Default: `encoder` in config.toml, else none.
    #[arg(long, value_name = "DIR", requires = "suggested")]
    pub encoder: Option<PathBuf>,
}

/// Options of `stance segment`.
#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// A text file, or `-` (the default) for standard input. With `--labels`: the corpus,
    /// as `stance annotate` takes it (none: the built-in sample).
    #[arg(value_name = "FILE|CORPUS")]
    pub file: Vec<PathBuf>,
    /// One JSON object per sentence with byte offsets.
    #[arg(long)]
    pub json: bool,
    /// Apply this label store's boundary overrides (the splits and merges analysts made),
    /// so the sentences are the ones its sessions and exports see; the input is then a
    /// corpus, and each sentence names its article.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
}

/// Label files that `stance import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// stance's own jsonl export.
    Jsonl,
    /// stance's own csv export.
    Csv,
    /// spaCy textcat `cats` lines.
    Spacy,
    /// Prodigy tasks (choice or binary), as `prodigy db-out` writes them.
    Prodigy,
    /// doccano text classification JSONL.
    Doccano,
    /// Label Studio JSON or JSON-MIN export.
    LabelStudio,
    /// Tell the format from the content.
    Auto,
}

/// Options of `stance import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The corpus whose sentences the labels are attached to.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// A label file to import; give it again for more files (one atomic import).
    #[arg(long = "from", value_name = "FILE", required = true)]
    pub from: Vec<PathBuf>,
    /// The file's format.
    #[arg(long, value_enum)]
    pub format: ImportFormat,
    /// The label store. Default: one per corpus in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
    /// Who decided, for files that do not say.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// A TOML file with the label set the labels are checked against.
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// Accept a --schema that lacks labels the label store has (they are kept in the store,
    /// but not shown or exported under this schema).
    #[arg(long, requires = "schema")]
    pub schema_change: bool,
    /// Keep labels the schema does not have (without it they stop the import).
    #[arg(long)]
    pub keep_unknown_labels: bool,
}

/// Options of `stance agree`.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The corpus whose sentences the annotations are attached to.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The label store. Default: one per corpus in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
    /// A TOML file with the label set (labels found in the store but not in it are compared
    /// too, after it).
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// Compare only these annotators, in this order; repeatable. Default: every annotator
    /// with an attached decision, sorted.
    #[arg(long, value_name = "NAME")]
    pub annotator: Vec<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The order in which `stance suggest` lists sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SuggestOrder {
    /// Articles in corpus order, sentences in text order.
    #[default]
    Corpus,
    /// The sentences the model is least sure of first (ties in corpus order).
    Uncertain,
}

/// Options of `stance suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The corpus whose sentences are scored.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The label store the model learns from. Default: one per corpus in the data folder.
    #[arg(long, value_name = "PATH")]
    pub labels: Option<PathBuf>,
    /// A TOML file with the label set (and its patterns and thresholds).
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// One JSON object per line (with --eval: one object) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Score every sentence, annotated or not.
    #[arg(long, conflicts_with = "eval")]
    pub all: bool,
    /// The order of the sentences.
    #[arg(long, value_enum, default_value_t = SuggestOrder::Corpus, conflicts_with = "eval")]
    pub order: SuggestOrder,
    /// Print at most N sentences.
    #[arg(long, value_name = "N", conflicts_with = "eval")]
    pub limit: Option<usize>,
    /// Cross-validate the model on the store's annotations, by article, instead of scoring.
    #[arg(long)]
    pub eval: bool,
    /// Folds of the cross-validation.
    #[arg(long, value_name = "K", default_value_t = 5, requires = "eval",
          value_parser = clap::value_parser!(u16).range(2..))]
    pub folds: u16,
    /// Also the learning curves at 50, 100, 200, ... annotations, in corpus and uncertain order.
    #[arg(long, requires = "eval")]
    pub curve: bool,
    /// A sentence-transformers model folder (BERT family): the model reads its sentence
    /// embeddings. Embeddings are cached beside the store. Default:
    /// `encoder` in config.toml, else none.
    #[arg(long, value_name = "DIR")]
    pub encoder: Option<PathBuf>,
    /// With an encoder: the embedding alone (`embedding`), or beside the n-grams (`both`).
    #[arg(long, value_enum, default_value_t = EncoderFeatures::Embedding)]
    pub encoder_features: EncoderFeatures,
}

/// What the model reads with a sentence encoder (README, "The sentence encoder", says why
/// `embedding` is the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum EncoderFeatures {
    /// The embedding, then the hashed n-grams.
    Both,
    /// The embedding alone (and a bias).
    #[default]
    Embedding,
}

/// Runs the parsed command line; the exit code on success, an error otherwise.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    refuse_oversized_writes_instead_of_dying();
    match cli.command {
        None => commands::annotate::run(&cli.session),
        Some(Command::Annotate(args)) => commands::annotate::run(&args),
        Some(Command::Review(args)) => commands::review::run(&args),
        Some(Command::Stats(args)) => commands::stats::run(&args),
        Some(Command::Export(args)) => commands::export::run(&args),
        Some(Command::Segment(args)) => commands::segment::run(&args),
        Some(Command::Import(args)) => commands::import::run(&args),
        Some(Command::Stores(args)) => commands::stores::run(&args),
        Some(Command::Store(StoreCommand::Convert(args))) => commands::store::convert(&args),
        Some(Command::Store(StoreCommand::Copy(args))) => commands::store_copy::run(&args),
        Some(Command::Agree(args)) => commands::agree::run(&args),
        Some(Command::Adjudicate(args)) => commands::adjudicate::run(&args),
        Some(Command::Suggest(args)) => commands::suggest::run(&args),
    }
}

/// True when the error comes from writing to a closed pipe (`stance ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Past a file-size limit (`ulimit -f`) the kernel kills a writer with SIGXFSZ, which would
/// leave the terminal raw and say nothing; ignored, the write fails with EFBIG instead, and
/// that is reported like a full disk (the decision stays on screen, not "saved").
fn refuse_oversized_writes_instead_of_dying() {
    #[cfg(unix)]
    // SAFETY: setting a signal to SIG_IGN installs no handler code and touches no memory.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
