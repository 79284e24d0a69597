//! Segmentation speed on wire-news text: stance, sentencex (English) and
//! unicode-segmentation's UAX #29 sentence bounds, in bytes per second; plus stance on a
//! 10 MB line with no punctuation (no slower per byte than news), and on repeated tricky
//! patterns at 1 and 10 MB (the same speed at both: the cost is linear).
//!
//! The text comes from `../shared/tools/gen-corpus` (relative to the crate; another path
//! in `STANCE_GEN_CORPUS`), run once at start into a temporary folder.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use unicode_segmentation::UnicodeSegmentation;

/// Articles generated: about 4 MB of article text.
const ARTICLES: usize = 1500;

fn wire_news() -> Vec<String> {
    let tool = std::env::var_os("STANCE_GEN_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus"),
        std::path::PathBuf::from,
    );
    assert!(
        tool.is_file(),
        "the benchmark needs the corpus generator at {}: it writes the wire-news text that \
         is segmented",
        tool.display()
    );
    let dir = tempfile::tempdir().expect("a temporary folder for the corpus");
    let out = dir.path().join("corpus.jsonl");
    let status = Command::new("python3")
        .arg(&tool)
        .args([
            "--articles",
            &ARTICLES.to_string(),
            "--format",
            "jsonl",
            "--out",
        ])
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("running python3 {}: {e}", tool.display()));
    assert!(status.success(), "{} failed: {status}", tool.display());
    let data = std::fs::read_to_string(&out).expect("the generated corpus is UTF-8");
    data.lines()
        .map(|line| {
            let article: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
            article["text"].as_str().expect("a text field").to_string()
        })
        .collect()
}

/// One long line of words and spaces, with no punctuation at all.
fn unpunctuated(len: usize) -> String {
    let words = [
        "talks", "resumed", "in", "Geneva", "between", "the", "two", "envoys",
    ];
    let mut text = String::with_capacity(len + 16);
    for word in words.iter().cycle() {
        if text.len() >= len {
            break;
        }
        text.push_str(word);
        text.push(' ');
    }
    text
}

fn bench(c: &mut Criterion) {
    let articles = wire_news();
    let bytes: usize = articles.iter().map(String::len).sum();
    let mut group = c.benchmark_group("wire-news");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("stance", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|text| stance::corpus::segment(black_box(text)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("sentencex", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|text| sentencex::segment("en", black_box(text)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("unicode-segmentation split_sentence_bounds", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|text| black_box(text).split_sentence_bounds().count())
                .sum::<usize>()
        })
    });
    group.bench_function("unicode-segmentation unicode_sentences", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|text| black_box(text).unicode_sentences().count())
                .sum::<usize>()
        })
    });
    group.finish();

    let line = unpunctuated(10 << 20);
    let mut group = c.benchmark_group("10MB-line-without-punctuation");
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.sample_size(10);
    group.bench_function("stance", |b| {
        b.iter(|| stance::corpus::segment(black_box(&line)).len())
    });
    group.finish();

    // inputs built to make a segmenter look back or ahead a long way, dense in candidates:
    // at 1 MB and at 10 MB, the same bytes per second shows the cost is linear
    let mut group = c.benchmark_group("adversarial");
    group.sample_size(10);
    for (name, pattern) in [
        ("full-stops", ". "),
        ("titles", "Gen. "),
        ("no-spaces", "a.b?"),
        ("short-lines", "U.S.\n"),
        ("quotes", "\"Why?\" "),
        ("spaced-quotes", "e.g. \"x "),
    ] {
        for megabytes in [1, 10] {
            let text = pattern.repeat((megabytes << 20) / pattern.len());
            group.throughput(Throughput::Bytes(text.len() as u64));
            let id = BenchmarkId::new(name, format!("{megabytes}MB"));
            group.bench_with_input(id, &text, |b, text| {
                b.iter(|| stance::corpus::segment(black_box(text)).len())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
