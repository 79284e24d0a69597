//! Sentences per second of the sentence encoder (all-MiniLM-L6-v2 from
//! `STANCE_TEST_ENCODER`) on the 870 evaluation sentences, its resident memory, and the
//! session's first suggestion for a sentence of an article not yet embedded (embedded on the
//! spot, then scored by the model over embeddings).

use std::hint::black_box;

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stance::model::embed::SentenceEncoder;
use stance::model::embed::session::{self, EncoderInput, SessionEncoder};
use stance::model::{Example, Model};
use stance::schema::Schema;
use stance::store::Overrides;

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User and system CPU time of the whole process so far, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
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

/// The evaluation set's gold labels as training examples, in file order.
fn examples(schema: &Schema) -> Vec<Example> {
    let gold = include_str!("../tests/data/model-eval/gold.jsonl");
    gold.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold.jsonl is JSON");
            let mut labels: Vec<usize> = v["labels"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|l| schema.index_of(l.as_str()?))
                        .collect()
                })
                .unwrap_or_default();
            labels.sort_unstable();
            Example {
                article: i,
                sentence: 0,
                text: v["text"].as_str().expect("a text field").to_owned(),
                labels,
            }
        })
        .collect()
}

/// The worker's answer for the first sentence of an article just opened whose sentences
/// have no embedding yet: the encoder embeds it there and then, the model scores it.
fn first_suggestion(c: &mut Criterion, dir: &std::path::Path) {
    let schema = Schema::default();
    let training = examples(&schema);
    let mut ngrams = Model::train(&schema, &training);
    let input = EncoderInput {
        encoder: SentenceEncoder::load(dir).expect("the model folder loads"),
        store: None,
    };
    let mut encoder = SessionEncoder::new(
        input,
        &schema,
        training,
        Arc::new(Vec::new()),
        Overrides::default(),
    );
    let mut trained = false;
    while !encoder.ready() {
        assert!(
            encoder.step(&mut trained),
            "the training sentences get embedded"
        );
    }
    let mut n = 0u64;
    c.bench_function(
        "encoder: first suggestion of a sentence not yet embedded (embed + score)",
        |b| {
            b.iter(|| {
                n += 1;
                // A sentence never seen before each time, of a news sentence's length.
                let text = format!(
                    "Officials said on Tuesday that talks on the sanctions and the border \
                     troops would resume next week in Geneva, session {n}."
                );
                black_box(session::score(
                    &mut ngrams,
                    Some(&mut encoder),
                    (0, 0, 1),
                    &text,
                ))
            })
        },
    );
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
    // One more pass timed in CPU seconds: the figure that holds under load, where the
    // wall time above depends on what else the cores run.
    let (wall, cpu) = (std::time::Instant::now(), cpu_seconds());
    black_box(model.embed(&refs).expect("embeds"));
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    eprintln!(
        "encoder: one pass of {} sentences: {wall:.2} s wall, {cpu:.2} s of CPU, {:.1} \
         sentences per CPU-second, {:.2} cores busy",
        refs.len(),
        refs.len() as f64 / cpu,
        cpu / wall
    );
    if let (Some(before), Some(after)) = (before, resident_kib()) {
        eprintln!(
            "encoder: resident memory {} MiB after loading and embedding ({} MiB before loading)",
            after / 1024,
            before / 1024
        );
    }
    drop(model);
    first_suggestion(c, dir.as_ref());
}

criterion_group!(benches, encoder);
criterion_main!(benches);
