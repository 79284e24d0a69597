//! `stance segment`: split a text file or standard input into sentences.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::boundary;
use crate::cli::SegmentArgs;
use crate::corpus::segment::sentences;
use crate::corpus::{self, CorpusSpec};
use crate::escape::escape;
use crate::store::{OpenedStore, Store};

/// One line of `--json` output: byte offsets into the (decoded) input and the sentence.
#[derive(Serialize)]
struct Sentence<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// Runs `stance segment`: one sentence per line, or one JSON object per line with `--json`.
pub fn run(args: &SegmentArgs) -> anyhow::Result<ExitCode> {
    if let Some(labels) = &args.labels {
        return with_overrides(args, labels);
    }
    if args.file.len() > 1 {
        anyhow::bail!("stance segment reads one FILE (or a corpus with --labels)");
    }
    let (name, bytes) = read_input(args.file.first().map(PathBuf::as_path))?;
    let text = decode(&name, bytes);
    let mut out = BufWriter::new(io::stdout().lock());
    // a byte-order mark is not part of the first sentence, but offsets still count it
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let skipped = text.len() - body.len();
    let mut line = Vec::new();
    for span in sentences(body) {
        let sentence = &body[span.start..span.end];
        line.clear();
        if args.json {
            let object = Sentence {
                start: span.start + skipped,
                end: span.end + skipped,
                text: sentence,
            };
            serde_json::to_writer(&mut line, &object).context("encoding a sentence as JSON")?;
        } else {
            fold_whitespace(sentence, &mut line);
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One line of `--json --labels` output: a sentence of an article of the corpus.
#[derive(Serialize)]
struct ArticleSentence<'a> {
    article: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
}

/// `stance segment --labels PATH [CORPUS...]`: every article's sentences as the store's
/// boundary overrides correct them, in corpus order.
fn with_overrides(args: &SegmentArgs, labels: &Path) -> anyhow::Result<ExitCode> {
    let spec = CorpusSpec {
        paths: args.file.clone(),
        ..CorpusSpec::default()
    };
    let corpus = corpus::open(&spec)?;
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {}", escape(warning));
    }
    let store = OpenedStore::open_read_only(labels)?;
    let stale = boundary::stale(&corpus.articles, store.boundaries()).len();
    if stale > 0 {
        eprintln!(
            "stance: warning: {}: {stale} boundary override(s) no longer fit their article \
             text and are ignored",
            crate::escape::path(labels)
        );
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let mut line = Vec::new();
    for article in &corpus.articles {
        for span in boundary::sentences(article, store.boundaries()) {
            let sentence = &article.text[span.start..span.end];
            line.clear();
            if args.json {
                let object = ArticleSentence {
                    article: &article.id,
                    start: span.start,
                    end: span.end,
                    text: sentence,
                };
                serde_json::to_writer(&mut line, &object).context("encoding a sentence as JSON")?;
            } else {
                fold_whitespace(sentence, &mut line);
            }
            line.push(b'\n');
            out.write_all(&line)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The input's name for messages, and its bytes: the file, or standard input for `-`.
fn read_input(file: Option<&Path>) -> anyhow::Result<(String, Vec<u8>)> {
    match file {
        Some(path) if path != Path::new("-") => {
            let name = crate::escape::path(path);
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
            Ok((name, bytes))
        }
        _ => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            Ok(("standard input".to_string(), bytes))
        }
    }
}

/// The text of `bytes`; invalid UTF-8 is replaced by U+FFFD, with a warning that names the
/// input and the first bad byte (offsets printed later refer to the decoded text).
fn decode(name: &str, bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            eprintln!(
                "stance: warning: {name}: invalid UTF-8 at byte {offset}, replaced with U+FFFD \
                 (offsets refer to the decoded text)"
            );
            String::from_utf8_lossy(err.as_bytes()).into_owned()
        }
    }
}

/// Appends `sentence` with every run of whitespace (newlines included) made one space.
fn fold_whitespace(sentence: &str, out: &mut Vec<u8>) {
    for (i, word) in sentence.split_whitespace().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(word.as_bytes());
    }
}
