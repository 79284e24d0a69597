//! Scores a sentence segmenter on a JSON-lines file of `{"id","tag","text","sentences"}`:
//! exact match per case, whitespace folded. Prints each failure and `N/M`.
//!
//! `cargo run --release --example segeval -- PATH [--segmenter stance|sentencex] [--quiet]
//! [--drop-sign-off]`
//!
//! `--drop-sign-off` leaves out a last sentence that is only a wire sign-off (`Reuter`), as
//! stance does, so that a segmenter that keeps it is scored on its boundaries alone.

use std::process::ExitCode;

use anyhow::{Context, bail};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    tag: String,
    text: String,
    sentences: Vec<String>,
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn split(segmenter: &str, text: &str) -> Vec<String> {
    match segmenter {
        "sentencex" => sentencex::segment("en", text)
            .into_iter()
            .map(fold)
            .filter(|s| !s.is_empty())
            .collect(),
        _ => stance::corpus::segment(text)
            .into_iter()
            .map(|span| fold(&text[span.start..span.end]))
            .collect(),
    }
}

/// `Reuter`, `REUTER`, `REUTER...`: the sign-off that Reuters-21578 articles end with.
fn is_sign_off(sentence: &str) -> bool {
    matches!(sentence.trim_end_matches('.'), "Reuter" | "REUTER")
}

fn run() -> anyhow::Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut segmenter = "stance".to_string();
    let mut quiet = false;
    let mut drop_sign_off = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--segmenter" => segmenter = args.next().context("--segmenter needs a name")?,
            "--quiet" => quiet = true,
            "--drop-sign-off" => drop_sign_off = true,
            _ if path.is_none() => path = Some(arg),
            _ => bail!("unexpected argument {arg}"),
        }
    }
    if !matches!(segmenter.as_str(), "stance" | "sentencex") {
        bail!("unknown segmenter {segmenter}: use stance or sentencex");
    }
    let path = path.context(
        "usage: segeval PATH [--segmenter stance|sentencex] [--quiet] [--drop-sign-off]",
    )?;
    let data = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let (mut passed, mut total) = (0, 0);
    for (number, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case =
            serde_json::from_str(line).with_context(|| format!("{path}: line {}", number + 1))?;
        let gold: Vec<String> = case.sentences.iter().map(|s| fold(s)).collect();
        let mut got = split(&segmenter, &case.text);
        if drop_sign_off && got.len() > 1 && got.last().is_some_and(|s| is_sign_off(s)) {
            got.pop();
        }
        total += 1;
        if got == gold {
            passed += 1;
        } else if !quiet {
            println!("FAIL {} {} {:?}", case.id, case.tag, case.text);
            for s in &gold {
                println!("  gold: {s}");
            }
            for s in &got {
                println!("  got:  {s}");
            }
        }
    }
    println!("{segmenter}: {passed}/{total}");
    Ok(if passed == total {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("segeval: {err:#}");
            ExitCode::from(2)
        }
    }
}
