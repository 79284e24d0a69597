//! What recognising a corpus adds to opening it (the 50 MB synthetic wire CSV, 21,417
//! articles): the article digests `corpus::open` makes, and the store choice of a corpus
//! whose own store is missing (moved), which reads every store record of the data folder;
//! the session store's open, and the record a session writes after its first write.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::corpus::{self, CorpusSpec, content_digest};
use stance::store::registry;

fn identity(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // STANCE_BENCH_CORPUS names a corpus made already (gen-corpus's default CSV), else the
    // project's generator writes one.
    let csv = match std::env::var_os("STANCE_BENCH_CORPUS") {
        Some(path) => PathBuf::from(path),
        None => {
            let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus");
            let csv = dir.path().join("big.csv");
            let status = Command::new("python3")
                .arg(&tool)
                .arg("--out")
                .arg(&csv)
                .status()
                .expect("python3 runs the corpus generator");
            assert!(status.success(), "{} failed: {status}", tool.display());
            csv
        }
    };
    let data = dir.path().join("data");
    // SAFETY: set before any other thread of this benchmark exists.
    unsafe { std::env::set_var("STANCE_DATA_DIR", &data) };
    let opened = corpus::open(&CorpusSpec {
        paths: vec![csv],
        ..Default::default()
    })
    .expect("the CSV opens");

    // Twenty stores of other corpora and the one of this corpus under another key: the
    // choice reads every record and matches this corpus's digests against each.
    let labels = stance::store::labels_dir().expect("the data folder");
    std::fs::create_dir_all(&labels).expect("the labels folder");
    for n in 0..20u64 {
        let mut other = opened.clone();
        other.digests = (0..1000).map(|i| i * 7919 + n).collect();
        let key = format!("other{n}-000000000000");
        registry::remember(&key, &other, n).expect("a record");
        std::fs::write(labels.join(format!("{key}.jsonl")), "x").expect("a store");
    }
    registry::remember("moved-000000000000", &opened, 99).expect("a record");
    std::fs::write(labels.join("moved-000000000000.jsonl"), "x").expect("a store");

    let mut group = c.benchmark_group("identity");
    group.sample_size(20);
    group.bench_function("digests_21417_articles", |b| {
        b.iter(|| {
            black_box(&opened.articles)
                .iter()
                .map(|a| content_digest(&a.text))
                .collect::<Vec<u64>>()
        })
    });
    group.bench_function("choose_moved_corpus_among_21_records", |b| {
        b.iter(|| {
            let choice = registry::choose(black_box(&opened)).expect("a choice");
            assert_eq!(choice.key, "moved-000000000000");
            choice
        })
    });
    // What a session pays before its first frame now that the record waits for its first
    // write: the session lock, and reading a store that does not exist yet.
    let new_store = labels.join("new-000000000000");
    group.bench_function("open_new_session_store", |b| {
        b.iter(|| {
            let (store, _) = stance::store::SessionStore::open(black_box(&new_store), "alice")
                .expect("a new store opens");
            assert!(store.is_pending());
            store
        })
    });
    group.bench_function("remember", |b| {
        b.iter(|| registry::remember("bench-000000000000", black_box(&opened), 1))
    });
    group.finish();
}

criterion_group!(benches, identity);
criterion_main!(benches);
