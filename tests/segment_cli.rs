//! `stance segment` end to end: the real binary on real files and standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde::Deserialize;

const ARTICLE: &str = "Talks resume in Geneva\n\nGENEVA (Reuters) - Gen. Ivo Brandt met\nthe U.N. envoy at 10 a.m. on Monday. \"Why now?\" Ms. Ferreira asked.\n\nThe U.S. Treasury said it\u{2019}s ready.  Prices rose 2.5%.\n";

const SENTENCES: &str = "Talks resume in Geneva\nGENEVA (Reuters) - Gen. Ivo Brandt met the U.N. envoy at 10 a.m. on Monday.\n\"Why now?\" Ms. Ferreira asked.\nThe U.S. Treasury said it\u{2019}s ready.\nPrices rose 2.5%.\n";

fn stance(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stance binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.unwrap_or_default())
        .expect("stdin takes the text");
    drop(input);
    child.wait_with_output().expect("stance finishes")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("output is UTF-8")
}

fn write_article(dir: &tempfile::TempDir, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join("article.txt");
    std::fs::write(&path, bytes).expect("the article is written");
    path
}

#[test]
fn a_file_prints_one_folded_sentence_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_article(&dir, ARTICLE.as_bytes());
    let output = stance(&["segment", path.to_str().unwrap()], None);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stdout(&output), SENTENCES);
    assert!(output.stderr.is_empty());
}

#[test]
fn standard_input_is_read_with_a_dash_or_no_file() {
    for args in [&["segment", "-"][..], &["segment"][..]] {
        let output = stance(args, Some(ARTICLE.as_bytes()));
        assert!(output.status.success(), "{output:?}");
        assert_eq!(stdout(&output), SENTENCES);
    }
}

#[derive(Deserialize)]
struct Sentence {
    start: usize,
    end: usize,
    text: String,
}

#[test]
fn json_offsets_give_back_each_sentence_as_written() {
    let output = stance(&["segment", "--json"], Some(ARTICLE.as_bytes()));
    assert!(output.status.success(), "{output:?}");
    let sentences: Vec<Sentence> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    assert_eq!(sentences.len(), SENTENCES.lines().count());
    let mut previous_end = 0;
    for (sentence, folded) in sentences.iter().zip(SENTENCES.lines()) {
        assert_eq!(&ARTICLE[sentence.start..sentence.end], sentence.text);
        assert_eq!(
            sentence
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            folded
        );
        assert!(ARTICLE[previous_end..sentence.start].trim().is_empty());
        previous_end = sentence.end;
    }
    assert!(
        sentences[1].text.contains("met\nthe"),
        "a hard-wrapped sentence keeps its newline"
    );
}

#[test]
fn a_missing_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-article.txt");
    let output = stance(&["segment", path.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-article.txt"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning_naming_the_file_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_article(&dir, b"Talks ended. Prices fell \xff\xfe sharply. Done.");
    let output = stance(&["segment", "--json", path.to_str().unwrap()], None);
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("article.txt") && stderr.contains("byte 25"),
        "{stderr}"
    );
    let texts: Vec<String> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str::<Sentence>(line).unwrap().text)
        .collect();
    assert_eq!(
        texts,
        [
            "Talks ended.",
            "Prices fell \u{fffd}\u{fffd} sharply.",
            "Done."
        ]
    );
}

#[test]
fn empty_input_prints_nothing() {
    let output = stance(&["segment"], Some(b" \n\n "));
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
}

#[test]
fn a_byte_order_mark_is_left_out_of_the_first_sentence_but_counted_in_offsets() {
    let mut input = "\u{feff}".as_bytes().to_vec();
    input.extend_from_slice(b"Talks ended. Officials left.");
    let output = stance(&["segment", "--json"], Some(&input));
    assert!(output.status.success(), "{output:?}");
    let first: Sentence = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(
        (first.start, first.end, first.text.as_str()),
        (3, 15, "Talks ended.")
    );
    assert_eq!(&input[first.start..first.end], b"Talks ended.");
}
