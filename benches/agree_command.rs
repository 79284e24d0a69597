//! `stance agree` as the command does it, in process: open a corpus of 100,000 sentences and a
//! journal of about 270,000 decisions by three annotators, segment, attach, compute every
//! coefficient and write the JSON (target: the whole process at most 1 s).
//!
//! With `STANCE_BENCH_KEEP=DIR` the corpus and the journal are also written to DIR, so the
//! real binary can be timed on the same files:
//! `time target/release/stance agree DIR/corpus.jsonl --labels DIR/labels.jsonl --json`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use stance::agree::units::Units;
use stance::corpus::{self, CorpusSpec};
use stance::store::{Event, LabelStore};

const ARTICLES: usize = 10_000;
const SENTENCES: usize = 10;
const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];
const ANNOTATORS: [&str; 3] = ["ana", "bob", "cy"];

/// A small deterministic generator, so every run benches the same decisions.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Writes `corpus.jsonl` and `labels.jsonl` into `dir`: one annotator in ten skips a
/// sentence, and each flips a label of the sentence's truth one time in six.
fn write_files(dir: &Path) {
    let mut rng = Lcg(7);
    let (mut corpus, mut journal) = (String::new(), String::new());
    for a in 0..ARTICLES {
        let sentences: Vec<String> = (0..SENTENCES)
            .map(|s| {
                format!(
                    "Unit {} of article {a} was read by the team.",
                    a * SENTENCES + s
                )
            })
            .collect();
        let text = sentences.join(" ");
        let id = format!("art{a}");
        let _ = writeln!(corpus, "{}", serde_json::json!({"id": id, "text": text}));
        let mut start = 0;
        for sentence in &sentences {
            let truth = rng.next() % 8;
            for who in ANNOTATORS {
                if rng.next().is_multiple_of(10) {
                    continue;
                }
                let labels = (0..3)
                    .filter(|&l| (truth >> l & 1 == 1) != rng.next().is_multiple_of(6))
                    .map(|l| LABELS[l]);
                let event = Event::set(&id, start, sentence, labels, who, 1);
                let _ = writeln!(journal, "{}", serde_json::to_string(&event).unwrap());
            }
            start += sentence.len() + 1;
        }
    }
    std::fs::write(dir.join("corpus.jsonl"), corpus).expect("write the corpus");
    std::fs::write(dir.join("labels.jsonl"), journal).expect("write the journal");
}

/// What `stance agree --json` does after parsing its arguments.
fn agree(dir: &Path) -> String {
    let spec = CorpusSpec {
        paths: vec![dir.join("corpus.jsonl")],
        ..CorpusSpec::default()
    };
    let corpus = corpus::open(&spec).expect("the corpus opens");
    let store = LabelStore::open_read_only(&dir.join("labels.jsonl")).expect("the store opens");
    let spans: Vec<_> = corpus.articles.iter().map(|a| a.sentences()).collect();
    let units = Units::collect(&corpus.articles, &spans, store.annotations());
    let labels = LABELS.iter().map(|s| s.to_string()).collect();
    let agreement = units.ratings(None, labels).expect("ratings").agreement();
    serde_json::to_string(&agreement).expect("serializes")
}

fn command(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp folder");
    write_files(dir.path());
    if let Some(keep) = std::env::var_os("STANCE_BENCH_KEEP") {
        std::fs::create_dir_all(&keep).expect("create STANCE_BENCH_KEEP");
        write_files(Path::new(&keep));
    }
    let json = agree(dir.path());
    assert!(json.contains(r#""units":"#), "{json}");
    let mut group = c.benchmark_group("agree_command");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("corpus_and_store_to_json_100k_units", |b| {
        b.iter(|| black_box(agree(black_box(dir.path()))))
    });
    group.finish();
}

criterion_group!(benches, command);
criterion_main!(benches);
