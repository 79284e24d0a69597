//! What recognising a corpus adds to opening it (the 50 MB synthetic wire CSV, 21,417
//! articles): the article digests `corpus::open` makes, and the store choice of a corpus
//! whose own store is missing (moved), which reads every store record of the data folder;
//! the session store's open, and the record a session writes after its first write; and the
//! re-attachment of a 10,000-annotation store of which 1,000 annotations name article ids
//! that are gone (found again by their sentence fingerprint), as every session's open does.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::corpus::{self, CorpusSpec, content_digests};
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
        b.iter(|| content_digests(black_box(&opened.articles)))
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
    let store = reattachable_store(&opened.articles, &dir.path().join("reattach.jsonl"));
    let hidden = std::collections::HashSet::new();
    let moved = stance::attach::Reattached::find(
        &opened.articles,
        store.boundaries(),
        &hidden,
        store.annotations(),
    )
    .moved_count();
    // Generated sentences repeat across articles: only those found once are re-attached.
    eprintln!("re-attached {moved} of the 1000 gone annotations");
    assert!(moved > 0, "no gone annotation was re-attached");
    group.bench_function("reattach_1000_gone_of_10000", |b| {
        b.iter(|| {
            let found = stance::attach::Reattached::find(
                black_box(&opened.articles),
                store.boundaries(),
                &hidden,
                store.annotations(),
            );
            assert_eq!(found.moved_count(), moved);
            found
        })
    });
    // What a session does before its first frame now: picks out the gone annotations for
    // the search that runs after it.
    let articles = std::sync::Arc::new(opened.articles.clone());
    group.bench_function("session_open_picks_1000_gone_of_10000", |b| {
        b.iter(|| {
            let input = stance::terminal::reattach::ReattachInput::of(
                black_box(&articles),
                store.boundaries(),
                &hidden,
                store.annotations(),
                None,
            )
            .expect("some are gone");
            assert_eq!(input.gone.len(), 1000);
            input
        })
    });
    // What the session's search does after the first frame.
    let input = stance::terminal::reattach::ReattachInput::of(
        &articles,
        store.boundaries(),
        &hidden,
        store.annotations(),
        None,
    )
    .expect("some are gone");
    group.bench_function("session_search_1000_gone", |b| {
        b.iter(|| {
            let found = stance::terminal::reattach::search(black_box(&input));
            assert_eq!(found.moves.len(), moved);
            found
        })
    });
    // The same on a session's second open: the index beside the store answers, and only
    // the articles it names are segmented to check it.
    let mut indexed = input.clone();
    indexed.index = Some(dir.path().join("reattach.reattach.json"));
    stance::terminal::reattach::search(&indexed);
    group.bench_function("session_search_1000_gone_from_index", |b| {
        b.iter(|| {
            let found = stance::terminal::reattach::search(black_box(&indexed));
            assert_eq!(found.moves.len(), moved);
            found
        })
    });
    group.bench_function("remember", |b| {
        b.iter(|| registry::remember("bench-000000000000", black_box(&opened), 1))
    });
    group.finish();
}

/// A journal at `path` of one annotation for each of the first 10,000 sentences of
/// `articles`, every tenth under an article id the corpus does not have, read back.
fn reattachable_store(articles: &[corpus::Article], path: &Path) -> stance::store::LabelStore {
    let overrides = stance::store::Overrides::default();
    let mut decisions = Vec::new();
    'articles: for article in articles {
        for span in stance::boundary::sentences(article, &overrides) {
            if decisions.len() == 10_000 {
                break 'articles;
            }
            let gone = decisions.len() % 10 == 0;
            decisions.push(stance::store::Decision {
                article: match gone {
                    true => format!("gone-{}", article.id),
                    false => article.id.clone(),
                },
                start: span.start,
                end: span.end,
                text: article.text[span.start..span.end].to_owned(),
                labels: Some(vec!["diplomatic".into()]),
                origin: stance::store::Origin::Typed,
                annotator: "ana".into(),
                scores: None,
            });
        }
    }
    let events: Vec<_> = decisions.into_iter().map(|d| d.into_event(1)).collect();
    stance::store::LabelStore::open_as(path, "ana")
        .expect("a new store")
        .append_all_and_close(&events)
        .expect("the annotations saved");
    stance::store::LabelStore::open_read_only(path).expect("the store reads back")
}

criterion_group!(benches, identity);
criterion_main!(benches);
