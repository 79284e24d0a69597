//! `stance segment`: split a text file or standard input into sentences.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::cli::SegmentArgs;
use crate::corpus::segment::sentences;

/// One line of `--json` output: byte offsets into the (decoded) input and the sentence.
#[derive(Serialize)]
struct Sentence<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// Runs `stance segment`: one sentence per line, or one JSON object per line with `--json`.
pub fn run(args: &SegmentArgs) -> anyhow::Result<ExitCode> {
    let (name, bytes) = read_input(args.file.as_deref())?;
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
