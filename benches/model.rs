//! The suggestion model: score one sentence (target ≤ 20 µs; with its words' sums kept and
//! with none), one incremental update
//! (≤ 50 µs), and training from 100,000 annotations (≤ 1 s).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use stance::model::score::Memo;
use stance::model::{Example, Model};
use stance::schema::Schema;

/// A news-like sentence of 25 words, different for each `i`, with the labels it carries.
fn sentence(i: usize) -> (String, Vec<usize>) {
    const OPENINGS: [(&str, &[usize]); 4] = [
        ("Envoys from both governments resumed talks in Geneva", &[0]),
        (
            "The council imposed new sanctions and an asset freeze",
            &[1],
        ),
        (
            "Troops and artillery moved toward the disputed border",
            &[2],
        ),
        ("Shares in the shipping company closed higher again", &[]),
    ];
    let (opening, labels) = OPENINGS[i % OPENINGS.len()];
    let text = format!(
        "{opening} on Tuesday, officials in district {} said, adding that a decision on \
         the next round was expected within weeks {}.",
        i % 977,
        i % 31
    );
    (text, labels.to_vec())
}

fn examples(n: usize) -> Vec<Example> {
    (0..n)
        .map(|i| {
            let (text, labels) = sentence(i);
            Example {
                article: i / 10,
                sentence: i % 10,
                text,
                labels,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let schema = Schema::default();
    let mut model = Model::train(&schema, &examples(2_000));
    let (text, labels) = sentence(123_457);
    c.bench_function("score_one_sentence", |b| {
        b.iter(|| black_box(model.suggest(black_box(&text))))
    });
    // Every word summed afresh, as after each incremental step: the memo starts empty.
    c.bench_function("score_one_sentence_unseen_words", |b| {
        b.iter(|| black_box(model.suggest_with(black_box(&text), &mut Memo::default())))
    });
    c.bench_function("one_incremental_update", |b| {
        b.iter(|| model.update(black_box(&text), black_box(&labels)))
    });
    let many = examples(100_000);
    let mut group = c.benchmark_group("train");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("from_100000_annotations", |b| {
        b.iter(|| black_box(Model::train(&schema, black_box(&many))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
