//! Opening the synthetic wire-news corpus (about 50 MB, 21,417 articles) as CSV and as JSON
//! lines, and segmenting all of it as `stance stats` does.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::commands::stats::count_sentences;
use stance::corpus::{self, CorpusSpec};

/// Writes the default synthetic corpus in `format` into `dir` with the project's generator.
fn generate(dir: &Path, format: &str) -> PathBuf {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus");
    assert!(
        tool.is_file(),
        "this benchmark writes its input with {}, which is missing",
        tool.display()
    );
    let out = dir.join(format!("big.{format}"));
    let status = Command::new("python3")
        .arg(&tool)
        .args(["--format", format, "--out"])
        .arg(&out)
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success(), "{} failed: {status}", tool.display());
    out
}

fn spec(path: &Path) -> CorpusSpec {
    CorpusSpec {
        paths: vec![path.to_path_buf()],
        ..Default::default()
    }
}

fn corpus(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = generate(dir.path(), "csv");
    let jsonl = generate(dir.path(), "jsonl");

    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.bench_function("open_csv_21417_articles", |b| {
        b.iter(|| corpus::open(black_box(&spec(&csv))).expect("the CSV opens"))
    });
    group.bench_function("open_jsonl_21417_articles", |b| {
        b.iter(|| corpus::open(black_box(&spec(&jsonl))).expect("the JSONL opens"))
    });
    let opened = corpus::open(&spec(&csv)).expect("the CSV opens");
    group.bench_function("segment_all_21417_articles", |b| {
        b.iter(|| count_sentences(black_box(&opened.articles)))
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
