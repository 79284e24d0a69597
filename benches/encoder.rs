//! Sentences per second of the sentence encoder (all-MiniLM-L6-v2 from
//! `STANCE_TEST_ENCODER`) on the 870 evaluation sentences, and its resident memory.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stance::model::embed::SentenceEncoder;

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn sentences() -> Vec<String> {
    let gold = include_str!("../tests/data/model-eval/gold.jsonl");
    gold.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold.jsonl is JSON");
            v["text"].as_str().expect("a text field").to_owned()
        })
        .collect()
}

fn encoder(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("STANCE_TEST_ENCODER") else {
        eprintln!("SKIPPED: set STANCE_TEST_ENCODER to the all-MiniLM-L6-v2 folder");
        return;
    };
    let before = resident_kib();
    let model = SentenceEncoder::load(dir.as_ref()).expect("the model folder loads");
    let texts = sentences();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut group = c.benchmark_group("encoder");
    group.sample_size(10);
    group.throughput(Throughput::Elements(refs.len() as u64));
    group.bench_function("embed 870 news sentences", |b| {
        b.iter(|| black_box(model.embed(black_box(&refs)).expect("embeds")))
    });
    group.finish();
    if let (Some(before), Some(after)) = (before, resident_kib()) {
        eprintln!(
            "encoder: resident memory {} MiB after loading and embedding ({} MiB before loading)",
            after / 1024,
            before / 1024
        );
    }
}

criterion_group!(benches, encoder);
criterion_main!(benches);
