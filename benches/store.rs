//! Label store speed: one keystroke's append to synced on disk, with a small and a
//! 1,000,000-event store (beside the disk's own write-and-sync floor, and through the
//! session's store worker), and reopening
//! (replaying) a 1,000,000-event store.
//!
//! The big journal is realistic in shape: ~20,000 articles of 25 sentences, two
//! annotators, sentence texts of ~120 characters (some with quotes and non-ASCII
//! text, which JSON escapes or keeps as UTF-8), re-labellings and a few clears.

use std::fs::{File, OpenOptions};
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use stance::app::Action;
use stance::store::{Decision, Event, JOURNAL_VERSION, LabelStore, Op, Origin, fingerprint};
use stance::terminal::worker::StoreWorker;

const ARTICLES: u64 = 20_000;
const SENTENCES_PER_ARTICLE: u64 = 25;
const BIG: usize = 1_000_000;

const WORDS: [&str; 24] = [
    "Seoul",
    "said",
    "on",
    "Tuesday",
    "the",
    "talks",
    "would",
    "resume",
    "after",
    "new",
    "sanctions",
    "were",
    "announced",
    "by",
    "U.S.",
    "officials",
    "in",
    "Zürich",
    "\"firmly\"",
    "troops",
    "near",
    "border",
    "$3.5 billion",
    "ministry",
];

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sentence(rng: &mut Rng) -> String {
    let mut text = String::with_capacity(140);
    while text.len() < 110 {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    text.push('.');
    text
}

/// One annotator's decision on a random sentence of the corpus, as the UI makes it.
fn decision(rng: &mut Rng, ts: u64) -> Event {
    let article = rng.below(ARTICLES);
    let index = rng.below(SENTENCES_PER_ARTICLE);
    // The same sentence always has the same text.
    let text = sentence(&mut Rng(
        (1 + article * SENTENCES_PER_ARTICLE + index).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    ));
    let index = index as usize;
    let start = index * 140;
    let clear = rng.below(20) == 0;
    let labels = ["diplomatic", "sanctions", "military"]
        .iter()
        .filter(|_| rng.below(3) == 0)
        .map(|l| (*l).to_owned())
        .collect();
    Event {
        v: JOURNAL_VERSION,
        op: if clear { Op::Clear } else { Op::Set },
        article: format!("{:012x}", article.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 16),
        start,
        end: start + text.len(),
        fp: fingerprint(&text),
        labels: if clear { Vec::new() } else { labels },
        annotator: ["alice", "bob"][rng.below(2) as usize].to_owned(),
        ts,
        origin: Origin::Typed,
        text: if clear { String::new() } else { text },
        scores: None,
    }
}

/// Writes `events` decisions straight to a journal file: quick, no sync per line.
fn build_journal(path: &Path, events: usize, rng: &mut Rng) {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    for i in 0..events {
        serde_json::to_writer(&mut out, &decision(rng, 1_700_000_000_000 + i as u64)).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.into_inner().unwrap().sync_all().unwrap();
}

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let big = dir.path().join("big.jsonl");
    build_journal(&big, BIG, &mut rng);
    let small = dir.path().join("small.jsonl");
    build_journal(&small, 10, &mut rng);

    let before = resident_kib();
    let store = LabelStore::open_read_only(&big).unwrap();
    eprintln!(
        "store: {} events ({} MB) replay to {} annotations; resident memory +{} MB",
        store.events_replayed(),
        std::fs::metadata(&big).unwrap().len() / 1_000_000,
        store.annotations().count(),
        resident_kib().saturating_sub(before) / 1024,
    );
    drop(store);

    let mut append = c.benchmark_group("append");
    // The disk's own floor: the same bytes appended and synced with no store around.
    let line = serde_json::to_vec(&decision(&mut rng, 0)).unwrap();
    let mut raw = OpenOptions::new()
        .append(true)
        .create(true)
        .open(dir.path().join("raw.jsonl"))
        .unwrap();
    append.bench_function("write_and_fdatasync_only", |b| {
        b.iter(|| {
            raw.write_all(&line).unwrap();
            raw.sync_data().unwrap();
        });
    });
    for (events, path) in [(10, &small), (BIG, &big)] {
        let mut store = LabelStore::open(path).unwrap();
        let mut ts = 1_800_000_000_000;
        append.bench_function(BenchmarkId::from_parameter(events), |b| {
            b.iter(|| {
                ts += 1;
                store.append(black_box(decision(&mut rng, ts))).unwrap();
            });
        });
    }
    // What a keystroke waits for in the session: the decision handed to the store worker,
    // appended and synced there, and `Saved` heard back.
    let (reports, heard) = std::sync::mpsc::channel();
    let worker = StoreWorker::spawn(
        Box::new(LabelStore::open(&big).unwrap()),
        dir.path().join("big.position.json"),
        "alice".into(),
        reports,
    );
    let mut seq = 0;
    append.bench_function(BenchmarkId::new("through_the_store_worker", BIG), |b| {
        b.iter(|| {
            seq += 1;
            let event = decision(&mut rng, 0);
            worker.save(
                seq,
                Decision {
                    labels: (event.op == Op::Set).then_some(event.labels),
                    article: event.article,
                    start: event.start,
                    end: event.end,
                    text: event.text,
                    origin: event.origin,
                    annotator: event.annotator,
                    scores: None,
                },
            );
            loop {
                match heard.recv().unwrap() {
                    Action::Saved(n) if n == seq => break,
                    Action::SaveFailed { reason, .. } => panic!("{reason}"),
                    _ => {}
                }
            }
        });
    });
    worker.finish();
    append.finish();

    let mut reopen = c.benchmark_group("reopen");
    reopen
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    reopen.bench_function(BenchmarkId::new("writer", BIG), |b| {
        b.iter_with_large_drop(|| LabelStore::open(&big).unwrap());
    });
    reopen.bench_function(BenchmarkId::new("read_only", BIG), |b| {
        b.iter_with_large_drop(|| LabelStore::open_read_only(&big).unwrap());
    });
    reopen.finish();
}

criterion_group!(store, benches);
criterion_main!(store);
